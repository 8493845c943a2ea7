"""The kernels' pinned environment: TensorFlow silenced, and one OpenBLAS kernel set on every x86-64 CPU."""

import json
import os
import subprocess
import sys

from helpers.kernel_environment import PINNED_OPENBLAS_CORE, cpu_flags, kernel_environment


def test_tensorflow_is_silenced_everywhere():
    for machine in ("x86_64", "aarch64", "arm64"):
        env = kernel_environment(machine, set())
        assert env["TF_CPP_MIN_LOG_LEVEL"] == "3" and env["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_openblas_core_is_pinned_only_where_its_kernels_run():
    assert kernel_environment("x86_64", {"avx2", "fma", "sse4_2"})["OPENBLAS_CORETYPE"] == PINNED_OPENBLAS_CORE
    assert "OPENBLAS_CORETYPE" not in kernel_environment("x86_64", {"sse4_2"})  # an old CPU without AVX2
    assert "OPENBLAS_CORETYPE" not in kernel_environment("aarch64", {"avx2", "fma"})


def test_cpu_flags_read_proc_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx2 fma\n")
    assert cpu_flags(cpuinfo) == {"fpu", "avx2", "fma"}
    assert cpu_flags(tmp_path / "missing") == set()


def test_a_kernel_started_under_pytest_uses_the_pinned_openblas_core():
    """The root conftest.py has run: a child process (as a kernel is) inherits the pinned core."""
    expected = kernel_environment()
    assert all(os.environ.get(name) == value for name, value in expected.items())
    if "OPENBLAS_CORETYPE" not in expected:
        return
    probe = "import json, numpy, threadpoolctl; print(json.dumps(threadpoolctl.threadpool_info()))"
    info = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
    architectures = {pool.get("architecture") for pool in info if pool["internal_api"] == "openblas"}
    assert architectures == {PINNED_OPENBLAS_CORE}
