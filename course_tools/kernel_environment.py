"""How every notebook kernel is started under ``pytest``, ``course store`` and ``course seeds``.

- Its environment: ``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0`` keep
  TensorFlow from writing to stderr (strict nbval fails on stderr; tensorflow-cpu 2.21
  prints a timestamped oneDNN notice unless oneDNN's custom operations are off). Nothing
  numerical is pinned: OpenBLAS kernels, thread counts and CPU vendor are the host's own.
  Stored outputs hold only what every such machine reproduces (CONTRIBUTING.md), so they
  need no pin.
- Its sockets: :class:`LocalSocketKernelManager` (see there) instead of TCP ports, so
  two kernels started at once cannot collide.

- Its threads, when kernels run side by side on every core (``pytest -n 2`` on two cores):
  :func:`one_thread_each` gives each kernel one BLAS, OpenMP and TensorFlow thread, so the
  kernels do not fight over the cores (measured in CONTRIBUTING.md's "Test-suite time").
  Outputs do not change: a strictly compared output holds for any thread count by design,
  and the strict suite runs this way. A value the host sets itself is kept.

Kernels inherit the environment of the process that starts them, so setting it in the
pytest process (the root ``conftest.py``) or in the ``course`` command is enough.
"""

import os
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_core.paths import jupyter_runtime_dir

KERNEL_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def one_thread_each(concurrent_kernels: int, cores: int | None = None) -> dict[str, str]:
    """The thread settings for ``concurrent_kernels`` kernels running at once on ``cores`` cores
    (default: :func:`usable_cores`): :data:`ONE_THREAD` when there are at least as many kernels
    as cores, else nothing (a lone kernel keeps the host's threads).

    Raises:
        ValueError: ``concurrent_kernels`` or ``cores`` is not a positive int.
    """
    cores = usable_cores() if cores is None else cores
    for name, value in (("concurrent_kernels", concurrent_kernels), ("cores", cores)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return dict(ONE_THREAD) if concurrent_kernels >= cores else {}


def set_kernel_environment(concurrent_kernels: int = 1) -> dict[str, str]:
    """Put :data:`KERNEL_ENVIRONMENT` into ``os.environ`` (for the kernels started later), and
    :func:`one_thread_each` for ``concurrent_kernels`` where the host has not set those
    variables itself; return what the kernels get.

    Raises:
        ValueError: ``concurrent_kernels`` is not a positive int.
    """
    os.environ.update(KERNEL_ENVIRONMENT)
    for name, value in one_thread_each(concurrent_kernels).items():
        os.environ.setdefault(name, value)
    names = [*KERNEL_ENVIRONMENT, *one_thread_each(concurrent_kernels)]
    return {name: os.environ[name] for name in names}


def local_socket_settings() -> dict[str, str]:
    """Kernel-manager settings for Unix domain sockets with a name unique to one kernel (empty on Windows).

    Over TCP, jupyter_client asks the OS for five free ports, releases them and lets the
    kernel bind them once it has started. On a loaded machine that takes seconds, and a
    port can be taken in between (by another kernel starting on a second pytest-xdist
    worker, or as the local port of a connection): the kernel then dies with
    ``ZMQError: Address already in use`` and nbval reports "Kernel died before replying to
    kernel_info" for every cell of the notebook. IPC sockets are files named after this
    kernel, so nothing else can take them. On Windows the kernel keeps TCP.
    """
    if os.name != "posix":
        return {}
    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True)
    return {"transport": "ipc", "ip": str(runtime / f"kernel-{uuid.uuid4().hex[:12]}-ipc")}


class LocalSocketKernelManager(KernelManager):
    """jupyter_client's (blocking) kernel manager on :func:`local_socket_settings`; nbval uses it."""

    def __init__(self, **kwargs):
        super().__init__(**({**local_socket_settings(), **kwargs} if "transport" not in kwargs else kwargs))


class AsyncLocalSocketKernelManager(AsyncKernelManager):
    """jupyter_client's asynchronous kernel manager on :func:`local_socket_settings`; nbclient uses it."""

    def __init__(self, **kwargs):
        super().__init__(**({**local_socket_settings(), **kwargs} if "transport" not in kwargs else kwargs))
