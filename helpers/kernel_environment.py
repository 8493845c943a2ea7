"""The environment every notebook kernel gets under ``pytest`` and ``course store``, so stored outputs reproduce.

- ``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0``: TensorFlow prints nothing to
  stderr (strict nbval fails on stderr).
- ``OPENBLAS_CORETYPE=Haswell`` on x86-64 CPUs with AVX2 and FMA: NumPy's OpenBLAS otherwise
  picks its matrix-product kernels from the CPU model (SkylakeX on AVX-512 CPUs, Intel or
  AMD) or from whatever ``OPENBLAS_CORETYPE`` the host happens to set, and different
  kernels round differently. Over thousands of training steps that changes the third digit
  of an accuracy, so outputs stored on one machine would not match a run on another.
  Haswell's kernels run on every such CPU. (The cache-size hint ``OPENBLAS_L2_SIZE`` that
  some hosts set does not change the results.)

Kernels inherit the environment of the process that starts them, so setting it in the
pytest process (the root ``conftest.py``) or in ``course store`` is enough.
"""

import os
import platform
from pathlib import Path

PINNED_OPENBLAS_CORE = "Haswell"


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """Return the CPU's feature flags from ``/proc/cpuinfo`` (an empty set where there is none, as on macOS)."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def kernel_environment(machine: str | None = None, flags: set[str] | None = None) -> dict[str, str]:
    """Return the variables a notebook kernel needs (see the module docstring).

    Args:
        machine: the CPU architecture (``platform.machine()`` by default).
        flags: the CPU's feature flags (:func:`cpu_flags` by default).
    """
    machine = platform.machine() if machine is None else machine
    flags = cpu_flags() if flags is None else flags
    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    if machine.lower() in ("x86_64", "amd64") and {"avx2", "fma"} <= flags:
        env["OPENBLAS_CORETYPE"] = PINNED_OPENBLAS_CORE
    return env


def set_kernel_environment() -> dict[str, str]:
    """Put :func:`kernel_environment` into ``os.environ`` (for the kernels started later); return it."""
    env = kernel_environment()
    os.environ.update(env)
    return env
