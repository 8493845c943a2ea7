"""The kernel metadata a notebook stores: exactly what the installed kernel reports.

When JupyterLab (4.x) opens a notebook and its kernel starts, it writes two metadata entries
from that kernel: ``kernelspec`` (``name``, ``display_name`` and ``language`` of the kernel's
spec) and ``language_info`` (the kernel's ``kernel_info`` reply). It compares each with the
stored value as JSON (``JSONExt.deepEqual``) and marks the document changed when they differ,
so closing an untouched notebook asks "Save your work?". A notebook is left clean only when
it stores both entries exactly as the kernel gives them. This module reads them from the
installed kernel (:func:`installed_kernelspec`, :func:`kernel_language_info`) and writes them
into a notebook (:func:`normalise_metadata`).

``language_info.version`` is the kernel's full Python version ("3.11.7"), so no stored value
suits every Python: the notebooks store that of the Python that stores their outputs, and
JupyterLab on another Python (another minor or patch release) marks them changed on opening.

Apply to notebooks (metadata only; cells and outputs are left as they are)::

    python -m course_tools.kernelspec notebooks/*.ipynb
"""

import copy
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from course_tools.kernel_environment import LocalSocketKernelManager

KERNEL_NAME = "python3"
KERNEL_INFO_TIMEOUT_S = 120


def installed_kernelspec(name: str = KERNEL_NAME) -> dict[str, str]:
    """The ``kernelspec`` metadata JupyterLab writes for the installed kernel ``name``.

    Returns:
        ``{"display_name": ..., "language": ..., "name": name}``, for ipykernel
        ``{"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}``.

    Raises:
        LookupError: no kernel called ``name`` is installed (the message lists those that are).
    """
    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
    except NoSuchKernel:
        installed = sorted(manager.find_kernel_specs())
        raise LookupError(
            f"No Jupyter kernel named {name!r} is installed (installed: {installed}); "
            "install the course's requirements (ipykernel provides 'python3')"
        ) from None
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def kernel_language_info(name: str = KERNEL_NAME, timeout: float = KERNEL_INFO_TIMEOUT_S) -> dict:
    """Start the installed kernel ``name``, return the ``language_info`` of its kernel_info reply, stop it.

    Raises:
        LookupError: no kernel called ``name`` is installed.
        RuntimeError: the kernel did not answer within ``timeout`` seconds.
    """
    installed_kernelspec(name)  # a clear error for a missing kernel
    manager = LocalSocketKernelManager(kernel_name=name)
    manager.start_kernel()
    client = manager.client()
    try:
        client.start_channels()
        try:
            client.wait_for_ready(timeout=timeout)
        except RuntimeError as error:
            raise RuntimeError(f"kernel {name!r} did not answer kernel_info within {timeout} s: {error}") from None
        reply = client.kernel_info(reply=True, timeout=timeout)
        return reply["content"]["language_info"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def normalise_metadata(nb, kernelspec: dict | None = None, language_info: dict | None = None) -> bool:
    """Set ``nb``'s kernel metadata (in place) to what the installed kernel reports; return whether it changed.

    ``kernelspec`` defaults to :func:`installed_kernelspec`. ``language_info`` is replaced only
    when given (:func:`kernel_language_info`): executing a notebook with nbclient already stores
    its kernel's. Other metadata (and every cell) is left alone.
    """
    before = copy.deepcopy(_kernel_metadata(nb))
    nb.metadata["kernelspec"] = dict(kernelspec if kernelspec is not None else installed_kernelspec())
    if language_info is not None:
        nb.metadata["language_info"] = copy.deepcopy(language_info)
    return _kernel_metadata(nb) != before


def _kernel_metadata(nb) -> dict:
    return {key: nb.metadata.get(key) for key in ("kernelspec", "language_info")}


def normalise_notebooks(paths: list[Path]) -> list[Path]:
    """Rewrite the kernel metadata of the notebooks at ``paths`` (nothing else); return those that changed.

    Starts the kernel once for its ``language_info``.

    Raises:
        FileNotFoundError: a path is not a file.
    """
    paths = [Path(path) for path in paths]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"No notebook at {', '.join(missing)}")
    kernelspec, language_info = installed_kernelspec(), kernel_language_info()
    changed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if normalise_metadata(nb, kernelspec, language_info):
            nbformat.write(nb, path)
            changed.append(path)
    return changed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m course_tools.kernelspec NOTEBOOK.ipynb ...")
    for changed_path in normalise_notebooks(sys.argv[1:]):
        print(f"kernel metadata updated: {changed_path}")
