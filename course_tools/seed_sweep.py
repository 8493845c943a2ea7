"""Rerun notebooks under other seeds and report the cells that fail (``course seeds``).

A claim a notebook asserts must hold for any seed, not only for the one its outputs
were stored with. Each run executes the whole notebook in a fresh kernel with
``COURSE_SEED`` set (``helpers.setup_notebook`` then uses that seed) and keeps going
after an error, as nbval's lax mode would: only errors count, not changed outputs.
"""

from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_tools.execution import execute_notebook
from helpers.notebook_setup import SEED_VARIABLE

DEFAULT_SEEDS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class CellFailure:
    """A code cell that raised: its 0-based index among the code cells (as nbval's "Cell N") and the error."""

    cell: int
    error: str


def failing_cells(path: Path, seed: int) -> list[CellFailure]:
    """Execute the notebook at ``path`` with ``COURSE_SEED=seed``; return its failing cells in order.

    The notebook file is not changed.

    Raises:
        FileNotFoundError: no notebook at ``path``.
        ValueError: ``seed`` is not a non-negative int.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No notebook at {path}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    nb = execute_notebook(nbformat.read(path, as_version=4), path.parent, allow_errors=True, extra_env={SEED_VARIABLE: str(seed)})
    failures = []
    for index, cell in enumerate(cell for cell in nb.cells if cell.cell_type == "code"):
        errors = [out for out in cell.get("outputs", []) if out.output_type == "error"]
        if errors:
            failures.append(CellFailure(index, f"{errors[0].ename}: {errors[0].evalue}"[:160]))
    return failures


def sweep(paths: Iterable[Path], seeds: Iterable[int] = DEFAULT_SEEDS, jobs: int = 1) -> dict[tuple[str, int], list[CellFailure]]:
    """Run :func:`failing_cells` for every notebook and seed, ``jobs`` kernels at a time.

    Returns:
        ``{(notebook file name, seed): failures}``, in the order of ``paths`` then ``seeds``.
    """
    runs = [(Path(path), seed) for path in paths for seed in seeds]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(failing_cells, *zip(*runs)) if runs else []
        return {(path.name, seed): failures for (path, seed), failures in zip(runs, results)}


def format_sweep(results: dict[tuple[str, int], list[CellFailure]]) -> str:
    """One line per notebook: ``ok`` for each seed that passed, the failing cells of each that did not."""
    lines = []
    for name in dict.fromkeys(name for name, _ in results):
        parts = []
        for (other, seed), failures in results.items():
            if other == name:
                cells = ", ".join(f"Cell {f.cell} ({f.error})" for f in failures)
                parts.append(f"seed {seed}: " + (cells or "ok"))
        lines.append(f"{name}: " + " | ".join(parts))
    return "\n".join(lines)
