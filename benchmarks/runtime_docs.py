"""Write measured notebook runtimes into the places a reader sees them.

Two places state how long a notebook runs: its header cell ("**Runs in** about 25 s ...",
rounded up to a multiple of 5 s) and the "Runs in" column of the README's course map
(whole seconds, rounded up). ``write_runtimes`` rewrites both from one measurement, so they
never drift apart or go stale by hand.
"""

import math
import re
from pathlib import Path

import nbformat

HEADER_RUNTIME = re.compile(r"(\*\*Runs in\*\* about )(\d+)( s)")
MAP_ROW = re.compile(r"^(\| (\d\d) \| \[[^\]]+\]\(notebooks/(\d\d_[a-z0-9_]+)\.ipynb\) \|[^|]*\| )(\d+)( s \|.*)$")


def header_seconds(seconds: float) -> int:
    """A header's runtime: ``seconds`` rounded up to a multiple of 5 (at least 5)."""
    return max(5, 5 * math.ceil(seconds / 5))


def _set_header_runtime(notebook: Path, seconds: int) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    header = nb.cells[0]
    text = header.source
    if not HEADER_RUNTIME.search(text):
        raise ValueError(f"{notebook.name}: its first cell has no '**Runs in** about N s'; "
                         "add one, as in the other notebooks' headers")
    new_text = HEADER_RUNTIME.sub(rf"\g<1>{seconds}\g<3>", text, count=1)
    if new_text == text:
        return False
    header.source = new_text
    nbformat.write(nb, notebook)
    return True


def write_runtimes(runtimes: dict[str, float], readme: Path, notebook_dir: Path) -> list[str]:
    """Write ``runtimes`` (notebook stem -> seconds) into the README's course map and each notebook's header.

    Notebooks that were not measured keep their numbers, so one notebook can be measured alone.

    Returns:
        The stems whose header or map row changed.

    Raises:
        ValueError: ``runtimes`` is empty, or a measured notebook has no row in the course map or
            no runtime in its header.
    """
    if not runtimes:
        raise ValueError("no runtimes given: pass the JUnit report of a `pytest notebooks/... -n 0` run")
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    in_map, changed = set(), set()
    for i, line in enumerate(lines):
        row = MAP_ROW.match(line.rstrip("\n"))
        if not row:
            continue
        stem = row.group(3)
        if stem not in runtimes:
            continue
        in_map.add(stem)
        new_line = f"{row.group(1)}{math.ceil(runtimes[stem])}{row.group(5)}\n"
        if new_line != line:
            lines[i] = new_line
            changed.add(stem)
    missing = sorted(set(runtimes) - in_map)
    if missing:
        raise ValueError(f"no row in the README's course map for {', '.join(missing)}: add one between the "
                         "course-map markers, in the form of the rows there")
    readme.write_text("".join(lines), encoding="utf-8")
    for stem, seconds in runtimes.items():
        if _set_header_runtime(notebook_dir / f"{stem}.ipynb", header_seconds(seconds)):
            changed.add(stem)
    return sorted(changed)
