"""Loaded by every pytest run in this repository, unit tests and nbval alike, before any kernel starts.

Kernels inherit this process's environment: give them the variables that keep TensorFlow
off stderr (see :mod:`helpers.kernel_environment`). Nothing numerical is pinned: stored
outputs must hold on any BLAS, CPU and thread count (CONTRIBUTING.md). Do not set MPLBACKEND here: the kernels
need matplotlib's inline backend to produce the stored figures.
"""

from helpers.kernel_environment import set_kernel_environment

set_kernel_environment()
