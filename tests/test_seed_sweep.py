"""Unit tests of the COURSE_SEED override and of ``course seeds`` (course_tools.seed_sweep), on a tiny notebook made here."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools import cli
from course_tools.seed_sweep import CellFailure, failing_cells, format_sweep, sweep
from helpers.notebook_setup import SEED_VARIABLE, seed_override, setup_notebook


def test_course_seed_overrides_the_notebook_seed(monkeypatch):
    monkeypatch.setenv(SEED_VARIABLE, "3")
    assert seed_override() == 3
    assert setup_notebook(seed=0).random() == setup_notebook(seed=3).random()
    monkeypatch.setenv(SEED_VARIABLE, "")
    assert seed_override() is None
    assert setup_notebook(seed=0).random() != setup_notebook(seed=3).random()


@pytest.mark.parametrize("bad", ["-1", "1.5", "one"])
def test_a_bad_course_seed_names_the_variable(monkeypatch, bad):
    monkeypatch.setenv(SEED_VARIABLE, bad)
    with pytest.raises(ValueError, match="COURSE_SEED=.* is not a non-negative integer"):
        setup_notebook(seed=0)


def seed_sensitive_notebook(path):
    """A notebook whose second code cell asserts something true only for even seeds."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 99 · Tiny"),
            new_code_cell("import helpers\nimport os\nrng = helpers.setup_notebook(seed=0)\nseed = int(os.environ.get('COURSE_SEED', 0))"),
            new_code_cell("assert seed % 2 == 0, 'odd seed'"),
            new_code_cell("print('after')"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


def test_failing_cells_names_the_cell_that_fails_for_a_seed(tmp_path):
    path = seed_sensitive_notebook(tmp_path / "99_tiny.ipynb")
    assert failing_cells(path, 0) == []
    assert failing_cells(path, 1) == [CellFailure(1, "AssertionError: odd seed")]
    assert nbformat.read(path, as_version=4).cells[2].outputs == []  # the file is not changed


def test_cli_seeds_reports_and_fails(tmp_path, capsys):
    path = seed_sensitive_notebook(tmp_path / "99_tiny.ipynb")
    assert cli.main(["seeds", str(path), "--seeds", "0", "2"]) == 0
    assert cli.main(["seeds", str(path), "--seeds", "0", "1", "--jobs", "2"]) == 1
    out = capsys.readouterr().out
    assert "99_tiny.ipynb: seed 0: ok | seed 2: ok" in out
    assert "seed 1: Cell 1 (AssertionError: odd seed)" in out


def test_sweep_checks_its_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="No notebook at"):
        failing_cells(tmp_path / "missing.ipynb", 0)
    with pytest.raises(ValueError, match="non-negative"):
        failing_cells(seed_sensitive_notebook(tmp_path / "99_tiny.ipynb"), -1)
    assert sweep([], [0]) == {} and format_sweep({}) == ""
