"""Export the course's exercises for grading: ``course export --to nbgrader|otter OUT/``.

The ``setup``/``solution``/``check`` tags of the course notebooks stay the single source
(see :mod:`course_tools.exercises`); this module turns them into what each grading tool
reads, in copies under ``OUT/``. The course notebooks are never changed.

- **nbgrader** (``OUT/nbgrader_config.py`` and ``OUT/source/<stem>/<stem>.ipynb``, one
  assignment per notebook): each function body of a solution cell sits between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in an autograded answer cell, so
  ``nbgrader generate_assignment`` keeps the signature and docstring; each check cell is
  a locked autograder test cell worth :data:`POINTS_PER_CHECK`; the setup cell is a
  read-only cell, restored from the source when autograding.
- **otter-grader** (``OUT/<stem>/<stem>.ipynb``, for ``otter assign``): the v1 notebook
  format, an ``# ASSIGNMENT CONFIG`` raw cell, then per exercise a question block
  (``# BEGIN QUESTION`` ... ``# END QUESTION``) holding its prompt, its solution cell
  (each function body between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` comments) and
  its check cells as tests. Otter runs a test as a doctest and compares its output with
  the test cell's stored output, so each test expects exactly what its check prints
  (``Exercise N: correct.``), and discards the values a doctest would echo
  (:func:`discard_echoed_values`).

In both, solution cells are shown open (as in learners' versions) and their
``wrong_answers`` metadata is dropped.
"""

import ast
import copy
from collections.abc import Iterable
from pathlib import Path

import nbformat

from course_tools.exercises import (
    CHECK_TAG,
    REVEAL_HINT,
    SETUP_TAG,
    SOLUTION_TAG,
    WRONG_ANSWERS_KEY,
    exercise_cells,
    solution_cell_problems,
    source_of,
    tags,
)

FORMATS = ("nbgrader", "otter")
POINTS_PER_CHECK = 1
NBGRADER_SCHEMA_VERSION = 3
NBGRADER_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
OTTER_MARKERS = ("# BEGIN SOLUTION", "# END SOLUTION")
NBGRADER_CONFIG = '''"""nbgrader settings for the course's exercises (written by `course export --to nbgrader`).

Run nbgrader from this folder: `nbgrader generate_assignment <notebook stem>`, then
`nbgrader autograde <notebook stem>` once submissions are in submitted/<student>/<stem>/.
"""

c = get_config()  # noqa: F821 (nbgrader provides it)
# What a learner finds in place of each function body, under its signature and docstring.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\\nraise NotImplementedError("Write this function, then run the check below")'
}
# Notebooks that train a Keras model take longer than nbgrader's default cell timeout.
c.Execute.timeout = 300
'''


def mark_function_bodies(source: str, begin: str, end: str) -> str:
    """Put the body of every top-level function in ``source`` between a ``begin`` and an ``end`` line.

    The marker lines are indented like the body. Signatures, decorators, docstrings,
    imports and comments outside the functions stay outside the markers, as
    :func:`course_tools.exercises.stub_source` keeps them.

    Raises:
        ValueError: ``source`` is not a valid solution cell.
    """
    problems = solution_cell_problems(source)
    if problems:
        raise ValueError("; ".join(problems))
    lines = source.splitlines()
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    for function in reversed(functions):  # bottom-up, so earlier line numbers stay valid
        first = function.body[0]
        if _is_docstring(first) and len(function.body) == 1:
            raise ValueError(f"{function.name}() has only a docstring; there is no solution to mark")
        indent = " " * first.col_offset
        lines.insert(function.end_lineno, indent + end)
        lines.insert(first.end_lineno if _is_docstring(first) else first.lineno - 1, indent + begin)
    return "\n".join(lines) + "\n"


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _open_solutions(nb) -> tuple:
    """Return a copy of ``nb`` with the reveal hint and solution-cell metadata of the course removed,
    and the index of its Exercises heading cell."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    heading = len(nb.cells) - len(exercise_cells(nb)) - 1
    nb.cells[heading].source = source_of(nb.cells[heading]).replace("\n\n" + REVEAL_HINT, "")
    for cell in nb.cells:
        if SOLUTION_TAG in tags(cell):
            cell.metadata.pop(WRONG_ANSWERS_KEY, None)
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if cell.metadata.get("jupyter") == {}:
                del cell.metadata["jupyter"]
    return nb, heading


def _nbgrader_metadata(grade_id: str, *, solution: bool = False, points: int | None = None) -> dict:
    metadata = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": NBGRADER_SCHEMA_VERSION,
        "solution": solution,
    }
    if points is not None:
        metadata["points"] = points
    return metadata


def to_nbgrader(nb):
    """Return a copy of ``nb`` as an nbgrader source notebook (see the module docstring).

    Grade ids: ``setup``, ``exercise_N`` (answer cells) and ``exercise_N_check`` (tests;
    ``exercise_N_check_K`` from the second check of one exercise on).

    Raises:
        ValueError: a solution cell cannot be marked, or a check cell comes before any solution.
    """
    nb, _ = _open_solutions(nb)
    exercise, checks = 0, 0
    for cell in nb.cells:
        if SETUP_TAG in tags(cell):
            cell.metadata["nbgrader"] = _nbgrader_metadata("setup")
        elif SOLUTION_TAG in tags(cell):
            exercise, checks = exercise + 1, 0
            try:
                cell.source = mark_function_bodies(source_of(cell), *NBGRADER_MARKERS)
            except ValueError as error:
                raise ValueError(f"Exercise {exercise} solution cell: {error}") from error
            cell.metadata["nbgrader"] = _nbgrader_metadata(f"exercise_{exercise}", solution=True)
        elif CHECK_TAG in tags(cell):
            if exercise == 0:
                raise ValueError("a check cell comes before the first solution cell")
            checks += 1
            grade_id = f"exercise_{exercise}_check" + (f"_{checks}" if checks > 1 else "")
            cell.metadata["nbgrader"] = _nbgrader_metadata(grade_id, points=POINTS_PER_CHECK)
            cell.metadata.update(deletable=False, editable=False)
    return nb


def _raw(source: str):
    return nbformat.v4.new_raw_cell(source)


def _config_cell(title: str, config: dict):
    """A raw otter cell: ``# TITLE`` and then ``config`` as YAML (strings, numbers, booleans, one level of nesting)."""
    lines = [f"# {title}"]
    for key, value in config.items():
        if isinstance(value, dict):
            lines += [f"{key}:"] + [f"  {inner}: {_yaml_scalar(item)}" for inner, item in value.items()]
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    return _raw("\n".join(lines))


def _yaml_scalar(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def discard_echoed_values(source: str) -> str:
    """Prefix ``_ = `` to each expression statement of ``source`` that would echo its value in a doctest.

    Otter runs a test cell as a doctest, which, like Python's interactive prompt, echoes the
    value of every expression statement outside function and class bodies, even inside a
    loop; a notebook cell shows only the last one's. The course's checks show none (their
    stored output is only what they print), so a call such as ``helpers.gradient_check(...)``,
    which returns the error it measured, would make the test fail. Calls to ``print`` and
    statements inside functions and classes are left alone.
    """
    starts = []

    def visit(statements) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(node, ast.Expr) and not _is_print(node.value):
                starts.append((node.lineno, node.col_offset))
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit(getattr(node, field, []))
            for case in getattr(node, "cases", []):
                visit(case.body)

    visit(ast.parse(source).body)
    lines = source.splitlines(keepends=True)
    for lineno, offset in sorted(starts, reverse=True):
        line = lines[lineno - 1].encode()  # ast's column offsets count UTF-8 bytes
        lines[lineno - 1] = (line[:offset] + b"_ = " + line[offset:]).decode()
    return "".join(lines)


def _is_print(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


def _printed_output(cell) -> list:
    """The check cell's printed output as one stdout stream (what otter's doctest expects)."""
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")
    if any(out.output_type != "stream" or out.name != "stdout" for out in cell.outputs):
        raise ValueError("a check cell may print to stdout only: otter compares every output of a test cell")
    if not text:
        raise ValueError("a check cell has no stored output: run `course store` first (otter compares printed output)")
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def to_otter(nb, name: str):
    """Return a copy of ``nb`` as an otter-grader master notebook named ``name`` (see the module docstring).

    Each exercise becomes the question ``exercise_N``, worth :data:`POINTS_PER_CHECK` per
    check cell. Its prompt is the run of markdown cells just before the solution cell (the
    Exercises heading stays outside); its tests are the check cells right after it.

    Raises:
        ValueError: a solution cell is not followed by a check cell, a check cell stands
            apart from a solution, or a check cell has no stored printed output.
    """
    nb, heading = _open_solutions(nb)
    config = {"name": name, "init_cell": True, "check_all_cell": False, "export_cell": {"pdf": False}}
    cells, section = [_config_cell("ASSIGNMENT CONFIG", config), *nb.cells[: heading + 1]], nb.cells[heading + 1 :]
    index, pending, exercise = 0, [], 0
    while index < len(section):
        cell = section[index]
        if CHECK_TAG in tags(cell):
            raise ValueError("a check cell stands apart from a solution cell: otter needs each exercise's tests right after it")
        if SOLUTION_TAG not in tags(cell):
            pending, index = pending + [cell], index + 1
            continue
        exercise += 1
        first_prompt = len(pending)
        while first_prompt > 0 and pending[first_prompt - 1].cell_type == "markdown":
            first_prompt -= 1
        end = index + 1
        while end < len(section) and CHECK_TAG in tags(section[end]):
            end += 1
        checks = section[index + 1 : end]
        if not checks:
            raise ValueError(f"Exercise {exercise} has no check cell right after its solution cell")
        try:
            cell.source = mark_function_bodies(source_of(cell), *OTTER_MARKERS)
        except ValueError as error:
            raise ValueError(f"Exercise {exercise} solution cell: {error}") from error
        for check in checks:
            check.outputs = _printed_output(check)
            check.source = discard_echoed_values(source_of(check))
        question = {"name": f"exercise_{exercise}", "points": POINTS_PER_CHECK * len(checks)}
        cells += pending[:first_prompt] + [_config_cell("BEGIN QUESTION", question), *pending[first_prompt:]]
        cells += [_raw("# BEGIN SOLUTION"), cell, _raw("# END SOLUTION"), _raw("# BEGIN TESTS"), *checks]
        cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
        pending, index = [], end
    nb.cells = cells + pending
    return nb


def write_nbgrader(paths: Iterable[Path], out_dir: Path) -> list[Path]:
    """Write an nbgrader course folder into ``out_dir``: its config and one source assignment
    per notebook, named after the notebook's stem; return the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    config = out_dir / "nbgrader_config.py"
    config.write_text(NBGRADER_CONFIG)
    written = [config]
    for path in map(Path, paths):
        target = out_dir / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(to_nbgrader(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def write_otter(paths: Iterable[Path], out_dir: Path) -> list[Path]:
    """Write one otter master notebook per notebook into ``out_dir/<stem>/``; return them."""
    written = []
    for path in map(Path, paths):
        target = Path(out_dir) / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(to_otter(nbformat.read(path, as_version=4), path.stem), target)
        written.append(target)
    return written


def export(paths: Iterable[Path], to: str, out_dir: Path) -> list[Path]:
    """Export the notebooks at ``paths`` for the grading tool ``to`` (one of :data:`FORMATS`); return the files written.

    Raises:
        ValueError: an unknown format, or a notebook whose exercises cannot be exported.
    """
    if to == "nbgrader":
        return write_nbgrader(paths, out_dir)
    if to == "otter":
        return write_otter(paths, out_dir)
    raise ValueError(f"unknown format {to!r}; choose one of {FORMATS}")

