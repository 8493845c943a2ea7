"""Loaded by every pytest run in this repository, unit tests and nbval alike, before any kernel starts.

- Kernels inherit this process's environment: give them the variables that keep TensorFlow
  off stderr, and one thread each when the xdist workers (one kernel each) fill the cores
  (see :mod:`course_tools.kernel_environment`). Nothing numerical is pinned: stored
  outputs must hold on any BLAS, CPU and thread count (CONTRIBUTING.md).
- nbval starts its kernels with jupyter_client's ``KernelManager``, over TCP ports that a
  kernel started at the same time on the other xdist worker can take first (the kernel
  then dies at start). nbval offers no option for it, so its module-level name is pointed
  at :class:`course_tools.kernel_environment.LocalSocketKernelManager`, which uses Unix domain
  sockets; ``tests/test_kernel_environment.py`` checks that it takes effect.
- Which tests run together on one xdist worker (``--dist loadfile``, refined by
  :mod:`course_tools.suite_scheduling`): the cells of one notebook under nbval (they share its
  kernel) and the tests of one test module (they share its fixtures), as with loadfile,
  except ``tests/test_exercises.py``, whose tests go one notebook at a time so that its
  kernel probes spread over the workers instead of all running on one.

Do not set MPLBACKEND here: the kernels need matplotlib's inline backend to produce the
stored figures.
"""

import os

import nbval.kernel
import pytest

from course_tools.kernel_environment import LocalSocketKernelManager, set_kernel_environment
from course_tools.suite_scheduling import make_scheduler

set_kernel_environment(concurrent_kernels=int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
nbval.kernel.KernelManager = LocalSocketKernelManager


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Under ``--dist loadfile`` (the default in pyproject.toml), schedule the tests with
    :func:`course_tools.suite_scheduling.make_scheduler`."""
    return make_scheduler(config, log) if config.getvalue("dist") == "loadfile" else None
