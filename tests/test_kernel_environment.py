"""The kernels' environment: TensorFlow silenced, the host's numerical libraries left as they are,
but one thread each when kernels run side by side on every core."""

import json
import os
import subprocess
import sys

import pytest

from course_tools.kernel_environment import (
    KERNEL_ENVIRONMENT,
    ONE_THREAD,
    LocalSocketKernelManager,
    local_socket_settings,
    one_thread_each,
    set_kernel_environment,
    usable_cores,
)


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


def test_kernels_get_one_thread_each_only_when_they_fill_the_cores():
    assert one_thread_each(2, cores=2) == one_thread_each(3, cores=2) == ONE_THREAD
    assert one_thread_each(1, cores=2) == one_thread_each(2, cores=4) == {}
    assert set(ONE_THREAD) >= {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"}
    assert all(value == "1" for value in ONE_THREAD.values())


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_one_thread_each_rejects_a_bad_count(bad):
    with pytest.raises(ValueError, match="positive integer"):
        one_thread_each(bad, cores=2)
    with pytest.raises(ValueError, match="cores must be a positive integer"):
        one_thread_each(2, cores=bad)


def test_set_kernel_environment_keeps_the_host_thread_settings(monkeypatch):
    for name in ONE_THREAD:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "8")
    given = set_kernel_environment(concurrent_kernels=usable_cores())
    assert os.environ["OPENBLAS_NUM_THREADS"] == given["OPENBLAS_NUM_THREADS"] == "8"
    assert os.environ["TF_NUM_INTRAOP_THREADS"] == given["TF_NUM_INTRAOP_THREADS"] == "1"


def test_a_kernel_of_a_worker_that_fills_the_cores_gets_one_thread():
    """The root conftest.py has run: under ``-n N`` with N >= cores, kernels get ONE_THREAD (or the host's own value)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < usable_cores():
        pytest.skip(f"{workers} worker(s) on {usable_cores()} cores: kernels keep the host's threads")
    seen = child_environment("import json, os; print(json.dumps(dict(os.environ)))", dict(os.environ))
    assert all(name in seen for name in ONE_THREAD)
