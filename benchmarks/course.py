"""The course's own cost: the whole ``pytest``, each notebook's runtime under nbval, and each kernel's peak memory.

Runtimes come from a JUnit report (of the whole ``pytest``, of CI's, or of the notebooks run
one at a time). Peak memory comes from :func:`run_notebooks_alone`, which runs every notebook
in its own ``pytest`` and watches the process tree while it runs: a kernel's peak resident
set is the kernel's own high-water mark (Linux's ``VmHWM``, which the kernel keeps, so a
peak between two polls is not missed), or the largest sum of the resident sets of the
kernel and its child processes seen at a poll, whichever is larger.
"""

import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil

NOTEBOOK_NAME = re.compile(r"(\d\d_[a-z0-9_]+)\.ipynb")
VM_HWM = re.compile(r"^VmHWM:\s*(\d+)\s*kB\s*$", re.MULTILINE)
POLL_SECONDS = 0.1


def run_pytest(junit_path: Path, extra_args: list[str], cwd: Path) -> dict:
    """Run the README's test command (``pytest``) writing a JUnit report; return its exit code, wall time,
    summary line and the ids of the tests that failed (read from the report, so the report can name them)."""
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={junit_path}", *extra_args],
                               cwd=cwd, capture_output=True, text=True, check=False)
    return {"exit_code": completed.returncode, "seconds": time.perf_counter() - start,
            "summary": completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else "",
            "failed": failed_tests(junit_path) if Path(junit_path).is_file() else []}


def failed_tests(junit_path: Path) -> list[str]:
    """The ``classname::name`` of every test case of a JUnit report that failed or errored."""
    return [f"{case.get('classname')}::{case.get('name')}" for case in ET.parse(junit_path).getroot().iter("testcase")
            if case.find("failure") is not None or case.find("error") is not None]


def pytest_summary(junit_path: Path) -> dict:
    """Read the wall time and the counts of a finished pytest run from its JUnit report (for example CI's).

    Raises:
        FileNotFoundError: no report at ``junit_path``.
    """
    root = ET.parse(junit_path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    counts = {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    return {"exit_code": 1 if counts["failures"] or counts["errors"] else 0, "seconds": float(suite.get("time", 0.0)),
            "summary": f"{passed} passed, {counts['failures'] + counts['errors']} failed, {counts['skipped']} skipped"}


def notebook_runtimes(junit_path: Path) -> dict[str, float]:
    """Sum the JUnit test-case times of each notebook's nbval cells (kernel start included).

    Returns:
        Notebook stem -> seconds, sorted by name.

    Raises:
        FileNotFoundError: no report at ``junit_path``.
        ValueError: the report names no notebook.
    """
    root = ET.parse(junit_path).getroot()
    totals: dict[str, float] = {}
    for case in root.iter("testcase"):
        classname = case.get("classname", "")
        match = NOTEBOOK_NAME.search(classname)
        if match and classname.startswith("notebooks."):
            totals[match.group(1)] = totals.get(match.group(1), 0.0) + float(case.get("time", 0.0))
    if not totals:
        raise ValueError(f"{junit_path} has no nbval test cases of notebooks/NN_*.ipynb")
    return dict(sorted(totals.items()))


def parse_vm_hwm(status_text: str) -> int | None:
    """The peak resident set in bytes from the text of Linux's ``/proc/<pid>/status`` (its ``VmHWM`` line), or None."""
    match = VM_HWM.search(status_text)
    return int(match.group(1)) * 1024 if match else None


def is_kernel(cmdline: list[str]) -> bool:
    """Whether a command line is a Jupyter kernel's (``python -m ipykernel_launcher -f ...``)."""
    return any("ipykernel" in part for part in cmdline)


def _own_peak(process: psutil.Process) -> int:
    """The process's high-water mark where Linux keeps one, else its current resident set."""
    try:
        peak = parse_vm_hwm(Path(f"/proc/{process.pid}/status").read_text())
    except OSError:
        peak = None
    return peak if peak is not None else process.memory_info().rss


def watch_kernel_peak(process: psutil.Popen, poll_seconds: float = POLL_SECONDS) -> int:
    """Poll ``process``'s descendants until it exits; return the largest kernel peak in bytes (0 if no kernel ran).

    For each kernel: the larger of its own high-water mark and the largest sum of the resident
    sets of the kernel and its descendants at one poll.
    """
    peaks: dict[int, int] = {}
    while process.poll() is None:
        for child in process.children(recursive=True):
            try:
                if not is_kernel(child.cmdline()):
                    continue
                tree = sum(p.memory_info().rss for p in child.children(recursive=True))
                peaks[child.pid] = max(peaks.get(child.pid, 0), _own_peak(child), child.memory_info().rss + tree)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        time.sleep(poll_seconds)
    return max(peaks.values(), default=0)


def run_notebooks_alone(notebooks: list[Path], cwd: Path, scratch_dir: Path) -> dict[str, dict]:
    """Run each notebook in its own ``pytest <notebook> -n 0`` (strict nbval), one after the other.

    Returns:
        Notebook stem -> ``{"seconds": nbval's time for its cells (kernel start included),
        "peak_mb": its kernel's peak resident set in MiB, "exit_code": pytest's}``.
    """
    scratch_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for notebook in notebooks:
        junit = scratch_dir / f"{notebook.stem}.xml"
        process = psutil.Popen([sys.executable, "-m", "pytest", "-q", "-n", "0", f"--junitxml={junit}", str(notebook)],
                               cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = watch_kernel_peak(process)
        try:
            seconds = notebook_runtimes(junit)[notebook.stem]
        except (FileNotFoundError, ValueError, KeyError):  # pytest failed before running the notebook
            seconds = float("nan")
        results[notebook.stem] = {"seconds": seconds, "peak_mb": peak / 2**20, "exit_code": process.returncode}
        junit.unlink(missing_ok=True)
    return results
