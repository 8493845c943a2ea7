"""Previous / next links at the start and the end of every notebook.

Each notebook's title cell ends with a navigation line, and its last cell is a markdown cell
holding the same line:

    [← 04 · Calculus for machine learning](04_calculus_for_machine_learning.ipynb) | [Course map](../README.md#course-map) | [06 · Simple linear regression →](06_simple_linear_regression.ipynb)

The line is generated from the notebooks' file names and titles, so after a notebook is
added or renumbered ``course renumber`` (or :func:`write_navigation`) brings every line up
to date, and ``tests/test_links.py`` fails while one is stale.
"""

import re
from pathlib import Path

import nbformat

MARKER = "<!-- course navigation -->"  # invisible in JupyterLab; finds the line to replace
NAVIGATION_TAG = "navigation"
COURSE_MAP = "[Course map](../README.md#course-map)"
TITLE = re.compile(r"^# (\d\d) · (.+)$", re.MULTILINE)


def _title(nb, path: Path) -> str:
    match = TITLE.match(nb.cells[0].source) if nb.cells else None
    if not match:
        raise ValueError(f"{path.name}: the first cell must start with '# NN · Title' to be linked from its neighbours")
    return f"{match.group(1)} · {match.group(2).strip()}"


def navigation_lines(notebook_dir: Path) -> dict[Path, str]:
    """Return each notebook's navigation line (marker included), in course order.

    Raises:
        ValueError: a notebook's first cell has no ``# NN · Title`` heading.
    """
    paths = sorted(notebook_dir.glob("[0-9][0-9]_*.ipynb"))
    titles = [_title(nbformat.read(path, as_version=4), path) for path in paths]
    lines = {}
    for index, path in enumerate(paths):
        parts = [COURSE_MAP]
        if index > 0:
            parts.insert(0, f"[← {titles[index - 1]}]({paths[index - 1].name})")
        if index + 1 < len(paths):
            parts.append(f"[{titles[index + 1]} →]({paths[index + 1].name})")
        lines[path] = f"{MARKER}\n" + " | ".join(parts)
    return lines


def _without_navigation(source: str) -> str:
    return source.split(f"\n\n{MARKER}")[0]


def with_navigation(nb, line: str):
    """Return ``nb`` with ``line`` ending its title cell and as its last cell, replacing old ones."""
    nb.cells[0].source = _without_navigation(nb.cells[0].source) + f"\n\n{line}"
    if nb.cells[-1].cell_type == "markdown" and NAVIGATION_TAG in nb.cells[-1].metadata.get("tags", []):
        nb.cells[-1].source = line
    else:
        cell = nbformat.v4.new_markdown_cell(line)
        cell.metadata["tags"] = [NAVIGATION_TAG]
        nb.cells.append(cell)
    return nb


def write_navigation(notebook_dir: Path) -> list[Path]:
    """Bring every notebook's navigation lines up to date; return the notebooks that changed."""
    changed = []
    for path, line in navigation_lines(notebook_dir).items():
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        if nbformat.writes(with_navigation(nb, line)) != before:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def stale_navigation(notebook_dir: Path) -> list[str]:
    """Return the names of the notebooks whose navigation lines are missing or out of date."""
    stale = []
    for path, line in navigation_lines(notebook_dir).items():
        nb = nbformat.read(path, as_version=4)
        last = nb.cells[-1]
        if not nb.cells[0].source.endswith(f"\n\n{line}") or last.source != line or NAVIGATION_TAG not in last.metadata.get("tags", []):
            stale.append(path.name)
    return stale
