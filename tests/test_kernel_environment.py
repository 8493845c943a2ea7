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


def openblas_cores_of_a_child(env: dict[str, str]) -> set[str]:
    """The OpenBLAS kernel sets NumPy and SciPy load in a fresh Python process (as a kernel is) with ``env``."""
    probe = "import json, numpy, scipy.linalg, threadpoolctl; print(json.dumps(threadpoolctl.threadpool_info()))"
    completed = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return {pool.get("architecture") for pool in json.loads(completed.stdout) if pool["internal_api"] == "openblas"}


def test_a_kernel_started_under_pytest_uses_the_pinned_openblas_core():
    """The root conftest.py has run: a child process inherits the pinned core."""
    expected = kernel_environment()
    assert all(os.environ.get(name) == value for name, value in expected.items())
    if "OPENBLAS_CORETYPE" in expected:
        assert openblas_cores_of_a_child(dict(os.environ)) == {PINNED_OPENBLAS_CORE}


def test_this_openblas_obeys_the_variable():
    """The pin only works if NumPy's OpenBLAS reads OPENBLAS_CORETYPE: ask it for another core and see it obey.

    (On a machine whose default already is the pinned core, the test above alone could not tell.)
    """
    if "OPENBLAS_CORETYPE" not in kernel_environment():
        return
    assert openblas_cores_of_a_child({**os.environ, "OPENBLAS_CORETYPE": "Sandybridge"}) == {"Sandybridge"}
