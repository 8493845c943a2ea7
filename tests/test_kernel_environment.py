"""The kernels' environment: TensorFlow silenced, the host's numerical libraries left as they are."""

import json
import os
import subprocess
import sys

from helpers.kernel_environment import KERNEL_ENVIRONMENT, set_kernel_environment


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
