"""The environment every notebook kernel gets under ``pytest`` and ``course store``.

``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0`` keep TensorFlow from writing
to stderr (strict nbval fails on stderr; tensorflow-cpu 2.21 prints a timestamped oneDNN
notice unless oneDNN's custom operations are off).

Nothing here pins the numerical libraries: OpenBLAS kernels, thread counts and CPU
vendor are the host's own. Stored outputs hold only what every such machine reproduces
(see CONTRIBUTING.md, "Outputs that hold on every machine"), so they need no pin.

Kernels inherit the environment of the process that starts them, so setting it in the
pytest process (the root ``conftest.py``) or in ``course store`` is enough.
"""

import os

KERNEL_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def set_kernel_environment() -> dict[str, str]:
    """Put :data:`KERNEL_ENVIRONMENT` into ``os.environ`` (for the kernels started later); return it."""
    os.environ.update(KERNEL_ENVIRONMENT)
    return dict(KERNEL_ENVIRONMENT)
