"""The kernels' environment: TensorFlow silenced, the host's numerical libraries left as they are."""

import json
import os
import subprocess
import sys

from course_tools.kernel_environment import KERNEL_ENVIRONMENT, LocalSocketKernelManager, local_socket_settings, set_kernel_environment


def child_environment(code: str, env: dict[str, str]) -> dict:
    """Run ``code`` (which prints JSON) in a fresh Python process, as a kernel is started, and return what it printed."""
    completed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def test_a_kernel_started_under_pytest_has_tensorflow_silenced():
    """The root conftest.py has run: a child process inherits the variables."""
    seen = child_environment("import json, os; print(json.dumps(dict(os.environ)))", dict(os.environ))
    assert {name: seen.get(name) for name in KERNEL_ENVIRONMENT} == KERNEL_ENVIRONMENT
    assert KERNEL_ENVIRONMENT == {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def test_the_host_openblas_settings_are_left_alone(monkeypatch):
    """No pin: OPENBLAS_CORETYPE is whatever the host says, or unset (stored outputs must not need one)."""
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    set_kernel_environment()
    assert "OPENBLAS_CORETYPE" not in os.environ
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Sandybridge")
    set_kernel_environment()
    assert os.environ["OPENBLAS_CORETYPE"] == "Sandybridge"


def test_nbval_kernels_use_sockets_no_other_kernel_can_take():
    """The root conftest.py points nbval at LocalSocketKernelManager: its kernels start on IPC sockets and run code."""
    import nbval.kernel

    kernel = nbval.kernel.RunningKernel("python3", cwd=os.getcwd())
    try:
        reply = kernel.kc.execute_interactive("1 + 1", timeout=30)
        assert reply["content"]["status"] == "ok"
        expected = "ipc" if os.name == "posix" else "tcp"
        assert kernel.km.transport == expected and isinstance(kernel.km, LocalSocketKernelManager)
    finally:
        kernel.stop()


def test_each_kernel_gets_its_own_socket_path():
    first, second = local_socket_settings(), local_socket_settings()
    if os.name != "posix":
        assert first == {}
        return
    assert first["transport"] == "ipc" and os.path.isabs(first["ip"]) and first["ip"] != second["ip"]
    assert len(first["ip"]) + len("-65535") < 104, "a Unix socket path must stay under the OS limit (104 on macOS)"
