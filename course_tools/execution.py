"""Running notebooks in a fresh kernel: ``course store`` (execute and save the outputs), and the
executions that ``course seeds`` and the exercise tests build on."""

import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_tools.exercises import collapse_solutions
from course_tools.kernel_environment import AsyncLocalSocketKernelManager, set_kernel_environment
from course_tools.kernelspec import normalise_metadata

CELL_TIMEOUT_S = 300


def execute_notebook(nb, cwd: Path, timeout: int = CELL_TIMEOUT_S, allow_errors: bool = False, extra_env: dict[str, str] | None = None):
    """Execute ``nb`` top to bottom in a fresh kernel of this Python environment; return it.

    The kernel starts in ``cwd``, as under ``pytest``, with the environment and sockets of
    :mod:`course_tools.kernel_environment`, plus ``extra_env`` (for example ``{"COURSE_SEED": "3"}``).

    Raises:
        nbclient.exceptions.CellExecutionError: a cell raised and ``allow_errors`` is False.
    """
    set_kernel_environment()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=AsyncLocalSocketKernelManager,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(env={**os.environ, **(extra_env or {})})
    return nb


def store_outputs(path: Path) -> float:
    """Re-execute the notebook at ``path`` from a clean kernel and save it with its new outputs.

    Returns:
        The wall-clock seconds the execution took.

    Raises:
        FileNotFoundError: no such notebook.
        nbclient.exceptions.CellExecutionError: a cell failed; the file is left unchanged.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No notebook at {path}")
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    execute_notebook(nb, path.parent)
    elapsed = time.perf_counter() - start
    collapse_solutions(nb)
    normalise_metadata(nb)  # the installed kernelspec, so JupyterLab opens it unchanged
    nbformat.write(nb, path)
    return elapsed
