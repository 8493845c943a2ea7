"""One source for each notebook's runtime: ``benchmarks/results/runtimes.json``.

Three places state how long notebooks run: each notebook's header cell ("**Runs in** about 7 s
..."), the "Runs in" column of the README's course map, and the README sentence under the map
(total, median, slowest). All three are written from the committed file of measured runtimes,
in one form (:func:`shown_seconds`), so they cannot disagree; a test checks that they do not.

    python -m benchmarks --write-runtimes alone.xml   # record a measurement, then write all three
    python -m benchmarks.runtime_docs                 # write all three from the file as it is

The file holds the date and machine of the measurement and, per notebook stem, the seconds
its nbval run took alone (JUnit test-case times summed, kernel start included).
"""

import datetime
import json
import math
import re
import statistics
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
RUNTIMES_FILE = Path("benchmarks") / "results" / "runtimes.json"  # relative to the repository root

HEADER_RUNTIME = re.compile(r"(\*\*Runs in\*\* about )(\d+)( s)")
MAP_ROW = re.compile(r"^(\| (\d\d) \| \[[^\]]+\]\(notebooks/(\d\d_[a-z0-9_]+)\.ipynb\) \|[^|]*\| )(\d+)( s \|.*)$")
SUMMARY = re.compile(
    r"(measured on )(\d{4}-\d\d-\d\d)(.*?together the )(\d+)( notebooks take )(\d+)"
    r"( s one after another \(median )(\d+)( s, slowest )(\d+)( s\))"
)


def shown_seconds(seconds: float) -> int:
    """The runtime a reader sees, in the header and the course map alike: whole seconds, rounded up."""
    return max(1, math.ceil(seconds - 1e-9))


def read_runtimes(path: Path) -> dict:
    """The runtimes file: ``{"measured": date, "machine": str, "how": str, "seconds": {stem: s}}``.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the file lacks one of those keys, or a runtime is not a positive number.
    """
    record = json.loads(path.read_text(encoding="utf-8"))
    missing = {"measured", "machine", "how", "seconds"} - set(record)
    if missing:
        raise ValueError(f"{path}: missing {', '.join(sorted(missing))}; record a measurement with "
                         "`python -m benchmarks --write-runtimes alone.xml`")
    bad = {stem: s for stem, s in record["seconds"].items() if not isinstance(s, (int, float)) or s <= 0}
    if bad:
        raise ValueError(f"{path}: runtimes must be positive seconds, got {bad}")
    return record


def record_runtimes(runtimes: dict[str, float], path: Path, machine: str, how: str,
                    measured: str | None = None) -> dict:
    """Merge ``runtimes`` (stem -> seconds) into the file at ``path`` (created if absent); return the record.

    Notebooks not in ``runtimes`` keep their seconds; the date, machine and method become this
    measurement's.

    Raises:
        ValueError: ``runtimes`` is empty.
    """
    if not runtimes:
        raise ValueError("no runtimes given: pass the JUnit report of a `pytest notebooks/... -n 0` run")
    record = read_runtimes(path) if path.exists() else {"seconds": {}}
    record.update(measured=measured or datetime.date.today().isoformat(), machine=machine, how=how)
    record["seconds"] = dict(sorted({**record["seconds"], **{s: round(t, 2) for s, t in runtimes.items()}}.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def header_runtime(notebook: Path) -> int:
    """The N of "**Runs in** about N s" in ``notebook``'s first cell.

    Raises:
        ValueError: the first cell has no such phrase.
    """
    found = HEADER_RUNTIME.search(nbformat.read(notebook, as_version=4).cells[0].source)
    if not found:
        raise ValueError(f"{notebook.name}: its first cell has no '**Runs in** about N s'; "
                         "add one, as in the other notebooks' headers")
    return int(found.group(2))


def map_runtimes(readme: Path) -> dict[str, int]:
    """Stem -> the seconds in the "Runs in" column of the README's course map."""
    rows = (MAP_ROW.match(line) for line in readme.read_text(encoding="utf-8").splitlines())
    return {row.group(3): int(row.group(4)) for row in rows if row}


def summary(seconds: dict[str, float]) -> dict[str, int]:
    """What the README sentence under the map states: how many notebooks, total, median, slowest."""
    values = list(seconds.values())
    return {"count": len(values), "total": round(sum(values)), "median": shown_seconds(statistics.median(values)),
            "slowest": shown_seconds(max(values))}


def _set_header_runtime(notebook: Path, seconds: int) -> bool:
    header_runtime(notebook)  # raises if the phrase is missing
    nb = nbformat.read(notebook, as_version=4)
    new_text = HEADER_RUNTIME.sub(rf"\g<1>{seconds}\g<3>", nb.cells[0].source, count=1)
    if new_text == nb.cells[0].source:
        return False
    nb.cells[0].source = new_text
    nbformat.write(nb, notebook)
    return True


def render_runtimes(readme: Path, notebook_dir: Path, runtimes_file: Path) -> list[str]:
    """Write the runtimes file into the course map, the sentence under it and every notebook's header.

    Returns:
        The stems whose header or map row changed (plus "summary" if the sentence did).

    Raises:
        ValueError: a notebook in the file has no course-map row or no header runtime, a notebook
            in the course map is not in the file, or the README has no summary sentence.
    """
    record = read_runtimes(runtimes_file)
    seconds = record["seconds"]
    text = readme.read_text(encoding="utf-8")
    in_map = map_runtimes(readme)
    missing = sorted(set(seconds) - set(in_map))
    if missing:
        raise ValueError(f"no row in the README's course map for {', '.join(missing)}: add one between the "
                         "course-map markers, in the form of the rows there")
    unmeasured = sorted(set(in_map) - set(seconds))
    if unmeasured:
        raise ValueError(f"{runtimes_file} has no runtime for {', '.join(unmeasured)}: measure it alone and "
                         "record it with `python -m benchmarks --write-runtimes alone.xml`")
    changed = set()
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        row = MAP_ROW.match(line.rstrip("\n"))
        if row:
            new_line = f"{row.group(1)}{shown_seconds(seconds[row.group(3)])}{row.group(5)}\n"
            if new_line != line:
                lines[i] = new_line
                changed.add(row.group(3))
    new_text = "".join(lines)
    if not SUMMARY.search(new_text):
        raise ValueError("the README has no sentence '... measured on YYYY-MM-DD ... together the N notebooks "
                         "take T s one after another (median M s, slowest S s)' under the course map")
    facts = summary(seconds)
    new_text = SUMMARY.sub(lambda m: (f"{m[1]}{record['measured']}{m[3]}{facts['count']}{m[5]}{facts['total']}"
                                      f"{m[7]}{facts['median']}{m[9]}{facts['slowest']}{m[11]}"), new_text, count=1)
    if new_text != "".join(lines):
        changed.add("summary")
    readme.write_text(new_text, encoding="utf-8")
    for stem, value in seconds.items():
        if _set_header_runtime(notebook_dir / f"{stem}.ipynb", shown_seconds(value)):
            changed.add(stem)
    return sorted(changed)


def write_runtimes(runtimes: dict[str, float], readme: Path, notebook_dir: Path, runtimes_file: Path | None = None,
                   machine: str | None = None) -> list[str]:
    """Record ``runtimes`` (notebook stem -> seconds) in the runtimes file, then write it everywhere.

    Notebooks that were not measured keep their recorded seconds, so one notebook can be measured
    alone. ``runtimes_file`` defaults to benchmarks/results/runtimes.json beside ``readme``;
    ``machine`` defaults to this machine's CPU, cores and BLAS.

    Returns:
        What :func:`render_runtimes` returns.

    Raises:
        ValueError: ``runtimes`` is empty, or as :func:`render_runtimes`.
    """
    runtimes_file = runtimes_file or readme.parent / RUNTIMES_FILE
    if machine is None:
        from benchmarks.__main__ import machine as describe_machine

        about = describe_machine()
        machine = f"{about['cpu']}, {about['cores']} cores, {about['blas']}"
    record_runtimes(runtimes, runtimes_file, machine,
                    how="nbval, each notebook alone: pytest notebooks/NN_x.ipynb -n 0 --junitxml=alone.xml")
    return render_runtimes(readme, notebook_dir, runtimes_file)


def main() -> int:
    changed = render_runtimes(REPO / "README.md", REPO / "notebooks", REPO / RUNTIMES_FILE)
    print(f"runtimes changed for: {', '.join(changed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
