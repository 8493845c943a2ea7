"""Unit tests of course_tools.exercises, .exercise_probe and .execution and of the `course` command, on tiny notebooks made here."""

import ast

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_tools import cli
from course_tools.exercise_probe import ProbeKernel, probe_exercises
from course_tools.exercises import REVEAL_HINT, make_learner_version, solution_cell_problems, stub_source

SOLUTION = '''import math

def area(r):
    """Area of a circle of radius r."""
    return math.pi * r**2
'''


def tiny_notebook(check_source: str):
    def tagged(source, tag):
        cell = new_code_cell(source)
        cell.metadata["tags"] = [tag]
        return cell

    return new_notebook(
        cells=[
            new_markdown_cell("# 99 · Tiny"),
            tagged("import helpers\nrng = helpers.setup_notebook(seed=0)", "setup"),
            new_code_cell("print('body')"),
            new_markdown_cell("## Exercises"),
            tagged(SOLUTION, "solution"),
            tagged(check_source, "check"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


GOOD_CHECK = "import math\nhelpers.check_close(area(2.0), 4 * math.pi, name='area(2)')\nprint('correct')"
VACUOUS_CHECK = "area(2.0)\nprint('correct')"


def test_stub_keeps_signature_and_docstring_and_removes_the_body():
    stub = stub_source(SOLUTION, 3)
    tree = ast.parse(stub)
    function = tree.body[1]
    assert function.name == "area" and ast.get_docstring(function) == "Area of a circle of radius r."
    assert isinstance(function.body[-1], ast.Raise) and "Exercise 3" in stub
    assert "math.pi" not in stub


def test_solution_cell_rules():
    assert solution_cell_problems(SOLUTION) == []
    assert any("only imports and function definitions" in p for p in solution_cell_problems("x = 1\ndef f():\n    return x"))
    assert any("defines no function" in p for p in solution_cell_problems("import math"))
    assert any("own lines" in p for p in solution_cell_problems("def f(): return 1"))
    with pytest.raises(ValueError, match="Exercise 2 solution cell"):
        stub_source("answer = 42", 2)


def test_learner_version_clears_outputs_and_stubs_solutions():
    nb = tiny_notebook(GOOD_CHECK)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="body\n")]
    nb.cells[2].execution_count = 1
    learner = make_learner_version(nb)
    nbformat.validate(learner)
    assert learner.cells[2].outputs == [] and learner.cells[2].execution_count is None
    assert "NotImplementedError" in learner.cells[4].source and "math.pi *" not in learner.cells[4].source
    assert "math.pi *" in nb.cells[4].source  # the original is untouched


def test_probe_tells_a_real_check_from_a_vacuous_one(tmp_path):
    assert probe_exercises(tiny_notebook(GOOD_CHECK), tmp_path) == {"solution": [False], "stub": [True], "none": [True], "wrong": []}
    vacuous = probe_exercises(tiny_notebook(VACUOUS_CHECK), tmp_path)
    assert vacuous["none"] == [False], "a check that asserts nothing passes on a None answer, and the probe shows it"


def test_a_shared_probe_kernel_gives_each_notebook_a_fresh_namespace(tmp_path):
    leaky = tiny_notebook(GOOD_CHECK)
    leaky.cells[1].source += "\nimport numpy as np\nnp.set_printoptions(precision=2)\nleaked = 1"
    uses_leak = tiny_notebook("assert leaked == 1 and np.get_printoptions()['precision'] == 2")
    with ProbeKernel(tmp_path) as kernel:
        assert probe_exercises(leaky, tmp_path, kernel)["solution"] == [False]
        assert probe_exercises(uses_leak, tmp_path, kernel)["solution"] == [True], (
            "a name or a NumPy setting from the previous notebook's probe reached the next one")
        assert probe_exercises(tiny_notebook(GOOD_CHECK), tmp_path, kernel) == {
            "solution": [False], "stub": [True], "none": [True], "wrong": []}
        assert kernel.run("import numpy\nassert numpy.get_printoptions()['precision'] == 8") is False
    with pytest.raises(ValueError, match="start a ProbeKernel there"), ProbeKernel(tmp_path) as kernel:
        probe_exercises(leaky, tmp_path / "elsewhere", kernel)


def test_cli_store_and_learners(tmp_path, capsys):
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(tiny_notebook(GOOD_CHECK), path)
    assert cli.main(["store", str(path)]) == 0
    stored = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in stored.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4] and stored.cells[2].outputs[0].text == "body\n"
    assert stored.cells[4].metadata["jupyter"]["source_hidden"] is True, "the stored solution is collapsed"
    assert stored.cells[3].source.endswith(REVEAL_HINT), "and the Exercises heading says how to reveal it"
    assert cli.main(["learners", "--out", str(tmp_path / "out"), str(path)]) == 0
    learner = nbformat.read(tmp_path / "out" / "99_tiny.ipynb", as_version=4)
    assert "jupyter" not in learner.cells[4].metadata and REVEAL_HINT not in learner.cells[3].source, (
        "a learner's stub is shown open, without the hint"
    )
    assert "99_tiny.ipynb: stored in" in capsys.readouterr().out


def test_cli_store_needs_a_notebook():
    with pytest.raises(SystemExit, match="Name one or more notebooks"):
        cli.main(["store"])


def test_probe_runs_each_listed_wrong_answer_in_place_of_the_solution(tmp_path):
    nb = tiny_notebook(GOOD_CHECK)
    caught = "def area(r):\n    return math.pi * r"  # forgot the square: the check catches it
    missed = "def area(r):\n    return math.pi * r * r + 1e-12"  # within the check's tolerance
    nb.cells[4].metadata["wrong_answers"] = [caught, missed]
    results = probe_exercises(nb, tmp_path)
    assert results["wrong"] == [True, False] and results["solution"] == [False]
    learner = make_learner_version(nb)
    assert "wrong_answers" not in learner.cells[4].metadata, "learners must not receive the wrong answers"


def test_wrong_answers_metadata_must_be_a_list_of_sources(tmp_path):
    nb = tiny_notebook(GOOD_CHECK)
    nb.cells[4].metadata["wrong_answers"] = "def area(r):\n    return 0"
    with pytest.raises(ValueError, match="must be a list of cell sources"):
        probe_exercises(nb, tmp_path)
