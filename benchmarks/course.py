"""The course's own runtime: the whole ``pytest`` and each notebook under nbval, from a JUnit report."""

import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

NOTEBOOK_NAME = re.compile(r"(\d\d_[a-z0-9_]+)\.ipynb")


def run_pytest(junit_path: Path, extra_args: list[str], cwd: Path) -> dict:
    """Run the README's test command (``pytest``) writing a JUnit report; return its exit code and wall time."""
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={junit_path}", *extra_args],
                               cwd=cwd, capture_output=True, text=True, check=False)
    return {"exit_code": completed.returncode, "seconds": time.perf_counter() - start,
            "summary": completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""}


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
