"""How every notebook kernel is started under ``pytest``, ``course store`` and ``course seeds``.

- Its environment: ``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0`` keep
  TensorFlow from writing to stderr (strict nbval fails on stderr; tensorflow-cpu 2.21
  prints a timestamped oneDNN notice unless oneDNN's custom operations are off). Nothing
  numerical is pinned: OpenBLAS kernels, thread counts and CPU vendor are the host's own.
  Stored outputs hold only what every such machine reproduces (CONTRIBUTING.md), so they
  need no pin.
- Its sockets: :class:`LocalSocketKernelManager` (see there) instead of TCP ports, so
  two kernels started at once cannot collide.

Kernels inherit the environment of the process that starts them, so setting it in the
pytest process (the root ``conftest.py``) or in the ``course`` command is enough.
"""

import os
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_core.paths import jupyter_runtime_dir

KERNEL_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def set_kernel_environment() -> dict[str, str]:
    """Put :data:`KERNEL_ENVIRONMENT` into ``os.environ`` (for the kernels started later); return it."""
    os.environ.update(KERNEL_ENVIRONMENT)
    return dict(KERNEL_ENVIRONMENT)


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
