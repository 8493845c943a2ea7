"""``course export``: the exercises in nbgrader's and otter-grader's formats.

The fast tests export every notebook and check the result without a kernel: the marked
regions are exactly what the learners' stubs replace, points and grade ids are in place,
and otter's tests expect what the checks print.

The slow tests run the real tools on the setup cell and Exercises section of one NumPy
notebook and one Keras notebook: nbgrader's ``generate_assignment`` and ``autograde`` must
score the stubs 0 and the solutions full marks, and otter's ``assign`` must produce a
student notebook that scores 0 and an autograder notebook that scores full marks under
``otter run``. The tools conflict with the course's lock (otter-grader needs wrapt<2), so
they live in a virtual environment of their own, with requirements.txt and then
requirements-instructors.txt installed; ``.ci/run`` makes it and names its folder in
``COURSE_GRADING_VENV``. Without that variable the slow tests skip, except under CI=true,
where they fail (but in the GitHub workflow, which checks the learners' platforms and does
not install the grading tools).
"""

import ast
import contextlib
import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, REPO, notebook_params
from packaging.utils import canonicalize_name
from test_requirements import parse_requirements, unpinned

from course_tools import cli
from course_tools.exercises import (
    CHECK_TAG,
    REVEAL_HINT,
    SETUP_TAG,
    SOLUTION_TAG,
    WRONG_ANSWERS_KEY,
    exercise_cells,
    source_of,
    stub_source,
    tags,
)
from course_tools.export import (
    NBGRADER_MARKERS,
    OTTER_MARKERS,
    discard_echoed_values,
    mark_function_bodies,
    to_nbgrader,
    to_otter,
)
from course_tools.kernel_environment import KERNEL_ENVIRONMENT

GRADED_NOTEBOOKS = ("06_simple_linear_regression", "18_activation_and_loss_functions")  # NumPy, Keras
STUB = 'raise NotImplementedError("stub")'
TOOL_TIMEOUT_S = 600


def replace_marked(source: str, markers: tuple[str, str], statement: str) -> str:
    """Replace each marked region and its marker lines by ``statement`` at the marker's indentation,
    as nbgrader's ClearSolutions and otter's solution remover do (written again here, independently)."""
    begin, end = markers
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == begin:
            inside = True
            lines.append(line[: len(line) - len(line.lstrip())] + statement)
        elif line.strip() == end:
            inside = False
        elif not inside:
            lines.append(line)
    assert not inside, f"{begin!r} without {end!r}"
    return "\n".join(lines) + "\n"


def solutions_and_checks(nb) -> tuple[list, list]:
    """The solution cells and the check cells of ``nb``."""
    return ([cell for cell in nb.cells if SOLUTION_TAG in tags(cell)], [cell for cell in nb.cells if CHECK_TAG in tags(cell)])


def only_raises(source: str) -> bool:
    """Whether every top-level function in ``source`` does nothing but raise (after its docstring)."""
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    bodies = [[node for node in f.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))] for f in functions]
    return bool(functions) and all(len(body) == 1 and isinstance(body[0], ast.Raise) for body in bodies)


SOLUTION = '''import math


@staticmethod
def area(r):
    """Area of a circle of radius r."""
    # the formula
    return math.pi * r**2


def both(r):
    return area(r), 2 * math.pi * r
'''


def test_markers_wrap_each_function_body_below_its_docstring():
    marked = mark_function_bodies(SOLUTION, *NBGRADER_MARKERS)
    assert marked.count("    ### BEGIN SOLUTION\n") == 2 and marked.count("    ### END SOLUTION\n") == 2
    assert '"""Area of a circle of radius r."""\n    ### BEGIN SOLUTION\n    # the formula\n' in marked
    assert replace_marked(marked, NBGRADER_MARKERS, STUB) == stub_source(SOLUTION, 1, STUB)
    with pytest.raises(ValueError, match="only a docstring"):
        mark_function_bodies('def f():\n    """Nothing else."""\n', *OTTER_MARKERS)
    with pytest.raises(ValueError, match="only imports and function definitions"):
        mark_function_bodies("x = 1\ndef f():\n    return x\n", *OTTER_MARKERS)


def doctest_output(source: str) -> str:
    """What ``source`` writes when run statement by statement as a doctest runs it (Python's 'single' mode)."""
    namespace, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        for statement in ast.parse(source).body:
            exec(compile(ast.Interactive(body=[statement]), "<test>", "single"), namespace)
    return out.getvalue()


def test_doctests_print_only_what_the_check_prints():
    check = (
        "import math\nmath.sqrt(4.0)\nfor x in [1.5]:\n    math.floor(x)  # echoed in a loop too\n    print('looped')\n"
        "def f():\n    math.floor(2.5)\n    return math.pi\nf()\nprint('Exercise 9: correct.')\n"
    )
    silenced = discard_echoed_values(check)
    assert "    _ = math.floor(x)  # echoed in a loop too\n" in silenced and silenced.count("_ = ") == 3
    assert doctest_output(check) == "2.0\n1\nlooped\n3.141592653589793\nExercise 9: correct.\n"
    assert doctest_output(silenced) == "looped\nExercise 9: correct.\n"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_nbgrader_source_marks_what_the_learners_version_stubs(notebook):
    original = nbformat.writes(notebook)
    exported = to_nbgrader(notebook)
    nbformat.validate(exported)
    assert nbformat.writes(notebook) == original, "the export changed the course notebook"
    solutions, checks = solutions_and_checks(exported)
    for number, (cell, course_cell) in enumerate(zip(solutions, solutions_and_checks(notebook)[0], strict=True), start=1):
        assert replace_marked(source_of(cell), NBGRADER_MARKERS, STUB) == stub_source(source_of(course_cell), number, STUB)
        assert cell.metadata["nbgrader"] == {"grade": False, "grade_id": f"exercise_{number}", "locked": False,
                                             "schema_version": 3, "solution": True}
        assert WRONG_ANSWERS_KEY not in cell.metadata and "jupyter" not in cell.metadata
    for cell in checks:
        grading = cell.metadata["nbgrader"]
        assert (grading["grade"], grading["locked"], grading["solution"], grading["points"]) == (True, True, False, 1)
        assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
    grade_ids = [cell.metadata["nbgrader"]["grade_id"] for cell in exported.cells if "nbgrader" in cell.metadata]
    assert len(grade_ids) == len(set(grade_ids)) == len(solutions) + len(checks) + 1
    setup = next(cell for cell in exported.cells if SETUP_TAG in tags(cell))
    assert setup.metadata["nbgrader"]["locked"] and not setup.metadata["nbgrader"]["grade"]
    assert not any(REVEAL_HINT in source_of(cell) for cell in exported.cells)


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_otter_master_has_one_question_per_exercise_whose_tests_expect_what_the_checks_print(notebook):
    exported = to_otter(notebook, "nb")
    nbformat.validate(exported)
    raw = [source_of(cell) for cell in exported.cells if cell.cell_type == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG\nname: nb\n")
    solutions, checks = solutions_and_checks(notebook)
    questions = [re.match(r"# BEGIN QUESTION\nname: (\w+)\npoints: (\d+)$", source) for source in raw]
    assert [(q[1], int(q[2])) for q in questions if q] == [(f"exercise_{n}", 1) for n in range(1, len(solutions) + 1)]
    blocks = [source for source in raw[1:] if not source.startswith("# BEGIN QUESTION")]
    assert blocks == ["# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS", "# END TESTS", "# END QUESTION"] * len(solutions)
    exported_solutions, exported_checks = solutions_and_checks(exported)
    for number, (cell, course_cell) in enumerate(zip(exported_solutions, solutions, strict=True), start=1):
        assert replace_marked(source_of(cell), OTTER_MARKERS, STUB) == stub_source(source_of(course_cell), number, STUB)
    for cell, course_cell in zip(exported_checks, checks, strict=True):
        assert source_of(cell) == discard_echoed_values(source_of(course_cell))
        assert [out.text for out in cell.outputs] == ["".join(out.text for out in course_cell.outputs)]
        assert cell.outputs[0].text.startswith("Exercise ")
    assert len(exported.cells) == len(notebook.cells) + 1 + 6 * len(solutions)


def test_otter_refuses_a_check_without_its_printed_output():
    notebook = nbformat.read(NOTEBOOK_DIR / f"{GRADED_NOTEBOOKS[0]}.ipynb", as_version=4)
    next(cell for cell in notebook.cells if CHECK_TAG in tags(cell)).outputs = []
    with pytest.raises(ValueError, match="no stored output"):
        to_otter(notebook, "nb")


def test_course_export_writes_the_layout_each_tool_expects(tmp_path, capsys):
    notebook = NOTEBOOK_DIR / f"{GRADED_NOTEBOOKS[0]}.ipynb"
    assert cli.main(["export", "--to", "nbgrader", str(tmp_path / "nbgrader"), str(notebook)]) == 0
    assert cli.main(["export", "--to", "otter", str(tmp_path / "otter"), str(notebook)]) == 0
    assert (tmp_path / "nbgrader" / "nbgrader_config.py").is_file()
    assert (tmp_path / "nbgrader" / "source" / notebook.stem / notebook.name).is_file()
    assert (tmp_path / "otter" / notebook.stem / notebook.name).is_file()
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_instructors_requirements_pin_the_grading_tools_on_top_of_the_lock():
    def pins(path: Path) -> dict[str, list[str]]:
        requirements, _ = parse_requirements(path)
        assert unpinned(requirements) == [], f"{path.name} must pin every line with =="
        found = {}
        for requirement in requirements:
            found.setdefault(canonicalize_name(requirement.name), []).append(str(requirement.specifier))
        return found

    instructors, course = pins(REPO / "requirements-instructors.txt"), pins(REPO / "requirements.txt")
    assert {"nbgrader", "otter-grader"} <= instructors.keys()
    differing = {name for name, versions in instructors.items() if name in course and versions != course[name]}
    assert differing == {"wrapt"}, "only wrapt may differ from requirements.txt (otter-grader needs wrapt<2)"


# ---------------------------------------------------------------- the real tools (slow)


@pytest.fixture(scope="module")
def grading_venv() -> Path:
    """The instructors' virtual environment named by COURSE_GRADING_VENV (skip without it, fail under CI)."""
    folder = os.environ.get("COURSE_GRADING_VENV")
    if not folder:
        message = ("COURSE_GRADING_VENV is not set: make a venv, install requirements.txt and then "
                   "requirements-instructors.txt into it, and set the variable to its folder")
        if os.environ.get("GITHUB_ACTIONS") == "true":
            pytest.skip("the GitHub workflow checks the learners' platforms; .ci/run runs the grading tools")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    venv = Path(folder)
    missing = [tool for tool in ("nbgrader", "otter") if not (venv / "bin" / tool).is_file()]
    assert not missing, f"{venv} has no {missing}: install requirements-instructors.txt into it"
    return venv


def run_tool(venv: Path, args: list[str], cwd: Path) -> str:
    """Run a grading tool of ``venv`` in ``cwd`` (its bin/ first on PATH); return its output, or fail with it."""
    env = {**os.environ, **KERNEL_ENVIRONMENT, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSE_SEED", None)
    result = subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=TOOL_TIMEOUT_S)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(args)} exited with {result.returncode}:\n{output[-3000:]}"
    return output


@pytest.fixture(scope="module")
def exercise_notebooks(tmp_path_factory) -> list[Path]:
    """The setup cell and the Exercises section of each graded notebook (they run alone, by the course's rules)."""
    folder = tmp_path_factory.mktemp("exercises")
    paths = []
    for stem in GRADED_NOTEBOOKS:
        notebook = nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
        section = exercise_cells(notebook)
        setup = next(cell for cell in notebook.cells if SETUP_TAG in tags(cell))
        notebook.cells = [setup, *notebook.cells[len(notebook.cells) - len(section) - 1 :]]
        paths.append(folder / f"{stem}.ipynb")
        nbformat.write(notebook, paths[-1])
    return paths


@pytest.mark.slow
def test_nbgrader_scores_stubs_zero_and_solutions_full_marks(grading_venv, exercise_notebooks, tmp_path):
    course = tmp_path / "course"
    assert cli.main(["export", "--to", "nbgrader", str(course), *map(str, exercise_notebooks)]) == 0
    checks = {}
    for path in exercise_notebooks:
        run_tool(grading_venv, ["nbgrader", "generate_assignment", path.stem], course)
        released = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
        solutions, checks[path.stem] = solutions_and_checks(released)
        assert solutions and all(only_raises(source_of(cell)) for cell in solutions), "a released answer cell holds solution code"
        for student, version in [("stub", "release"), ("solution", "source")]:
            submitted = course / "submitted" / student / path.stem / path.name
            submitted.parent.mkdir(parents=True)
            submitted.write_bytes((course / version / path.stem / path.name).read_bytes())
        run_tool(grading_venv, ["nbgrader", "autograde", path.stem], course)
    run_tool(grading_venv, ["nbgrader", "export"], course)
    with open(course / "grades.csv", newline="") as grades:
        scores = {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(grades)}
    expected = {}
    for stem, stem_checks in checks.items():
        expected[stem, "stub"] = (0.0, float(len(stem_checks)))
        expected[stem, "solution"] = (float(len(stem_checks)), float(len(stem_checks)))
    assert scores == expected


@pytest.mark.slow
def test_otter_checks_fail_on_stubs_and_pass_on_solutions(grading_venv, exercise_notebooks, tmp_path):
    assert cli.main(["export", "--to", "otter", str(tmp_path), *map(str, exercise_notebooks)]) == 0
    for path in exercise_notebooks:
        folder = tmp_path / path.stem
        run_tool(grading_venv, ["otter", "assign", "--no-run-tests", path.name, "dist"], folder)
        autograder = next((folder / "dist" / "autograder").glob("*.zip"))
        scores = {}
        for version in ("student", "autograder"):
            (folder / version).mkdir()
            run_tool(grading_venv, ["otter", "run", "--no-logo", "-a", str(autograder), "-o", version,
                                    str(folder / "dist" / version / path.name)], folder)
            results = json.loads((folder / version / "results.json").read_text())["tests"]
            scores[version] = {test["name"]: (test["score"], test["max_score"]) for test in results if test.get("max_score")}
        exercises = len(solutions_and_checks(nbformat.read(path, as_version=4))[0])
        assert scores["student"] == {f"exercise_{n}": (0, 1.0) for n in range(1, exercises + 1)}
        assert scores["autograder"] == {f"exercise_{n}": (1.0, 1.0) for n in range(1, exercises + 1)}

