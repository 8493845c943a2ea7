"""Loaded by every pytest run in this repository, unit tests and nbval alike, before any kernel starts.

- Kernels inherit this process's environment: give them the variables that keep TensorFlow
  off stderr (see :mod:`course_tools.kernel_environment`). Nothing numerical is pinned: stored
  outputs must hold on any BLAS, CPU and thread count (CONTRIBUTING.md).
- nbval starts its kernels with jupyter_client's ``KernelManager``, over TCP ports that a
  kernel started at the same time on the other xdist worker can take first (the kernel
  then dies at start). nbval offers no option for it, so its module-level name is pointed
  at :class:`course_tools.kernel_environment.LocalSocketKernelManager`, which uses Unix domain
  sockets; ``tests/test_kernel_environment.py`` checks that it takes effect.

Do not set MPLBACKEND here: the kernels need matplotlib's inline backend to produce the
stored figures.
"""

import nbval.kernel

from course_tools.kernel_environment import LocalSocketKernelManager, set_kernel_environment

set_kernel_environment()
nbval.kernel.KernelManager = LocalSocketKernelManager
