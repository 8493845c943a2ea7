"""The GitHub Actions workflows pass actionlint (installed by requirements-dev.txt).

Without actionlint the check is skipped on a learner's machine, but fails under CI
(``CI=true``, set by .ci/run's caller and by GitHub Actions), so it can never skip there.
"""

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
INSTALL = "python -m pip install -r requirements-dev.txt"


def actionlint() -> str:
    """The path of the actionlint executable: this Python's scripts folder first, then PATH.

    Skips the calling test when it is missing, except under CI, where that is a failure.
    """
    search_path = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])
    found = shutil.which("actionlint", path=search_path)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"actionlint is not installed but CI must check the workflows; install it with:  {INSTALL}")
        pytest.skip(f"actionlint is not installed; install it with:  {INSTALL}")
    return found


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_tests_workflow_is_among_those_checked():
    assert ROOT / ".github" / "workflows" / "tests.yml" in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_passes_actionlint(workflow):
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    """Guards against a check that cannot fail: a wrong runner label and an unknown matrix key."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ${{ matrix.operating-system }}\n"
        "    strategy:\n"
        "      matrix:\n"
        "        os: [ubuntu-latest]\n"
        "    steps:\n"
        "      - run: echo hello\n"
    )
    result = run_actionlint(broken)
    assert result.returncode == 1
    assert "operating-system" in result.stdout
