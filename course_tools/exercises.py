"""The exercise format of the course notebooks: tags, stubs, collapsed solutions, learners' versions.

Conventions these tools rely on (checked by ``tests/test_notebook_structure.py``):

- The first code cell is the setup cell, tagged ``setup``.
- The exercises come last, after a markdown cell that starts with ``## Exercises``.
  They use only the setup cell's names, ``helpers`` and what they define themselves,
  so the section runs on its own after the setup cell.
- Each exercise has a code cell tagged ``solution`` that holds only imports and
  function definitions (each function *returns* its answer), followed by a code
  cell tagged ``check`` that tests those functions against a reference.
- A solution cell may list plausible wrong answers in its metadata, under
  ``wrong_answers`` (a list of cell sources). The exercise tests run each one in
  place of the solution and require one of that exercise's check cells to fail
  (:mod:`course_tools.exercise_probe`). Learners' versions drop this metadata.
- Solution cells are collapsed in JupyterLab (``metadata.jupyter.source_hidden``), and the
  Exercises heading cell ends with :data:`REVEAL_HINT`; :func:`collapse_solutions` sees to
  both, and ``course store`` calls it. Learners' versions, whose solution cells are stubs
  to fill in, show them open.

Nothing here runs a kernel: :mod:`course_tools.execution` does.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

import nbformat

EXERCISES_HEADING = "## Exercises"
SETUP_TAG, SOLUTION_TAG, CHECK_TAG = "setup", "solution", "check"
WRONG_ANSWERS_KEY = "wrong_answers"
REVEAL_HINT = (
    "Each solution is collapsed under its exercise. Try first; then click the three dots, "
    "or the blue bar at the cell's left, to reveal it."
)


def tags(cell) -> list[str]:
    """Return the tags of a notebook cell (an empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def source_of(cell) -> str:
    """Return a cell's source as one string."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _exercises_heading(nb):
    return next((cell for cell in nb.cells if cell.cell_type == "markdown" and source_of(cell).lstrip().startswith(EXERCISES_HEADING)), None)


def collapse_solutions(nb) -> None:
    """Collapse every solution cell of ``nb`` in JupyterLab and end the Exercises heading cell
    with :data:`REVEAL_HINT` (in place; a notebook without exercises is left alone)."""
    heading = _exercises_heading(nb)
    if heading is None:
        return
    if REVEAL_HINT not in source_of(heading):
        heading.source = source_of(heading).rstrip() + "\n\n" + REVEAL_HINT
    for cell in nb.cells:
        if SOLUTION_TAG in tags(cell):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def solution_cell_problems(source: str) -> list[str]:
    """Return what keeps a solution cell from being stubbed (empty list when it is fine).

    A solution cell may hold only imports and function definitions.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return [f"does not parse: {error}"]
    problems = [
        f"line {node.lineno}: only imports and function definitions belong in a solution cell "
        f"(found {type(node).__name__}); move the rest to the check cell or a cell above"
        for node in tree.body
        if not isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom))
    ]
    if not any(isinstance(node, ast.FunctionDef) for node in tree.body):
        problems.append("defines no function for the learner to write")
    problems += [
        f"line {node.lineno}: put the body of {node.name}() on its own lines"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.body[0].lineno == node.lineno
    ]
    return problems


def stub_source(source: str, exercise: int, statement: str | None = None) -> str:
    """Replace the body of every top-level function in ``source`` with one statement.

    Signatures, decorators, docstrings, imports and comments outside the
    functions are kept. The default statement raises
    ``NotImplementedError("Exercise <n>: ...")``; pass ``statement`` (for example
    ``"return None"``) to use another.

    Raises:
        ValueError: the source is not a valid solution cell (see :func:`solution_cell_problems`).
    """
    problems = solution_cell_problems(source)
    if problems:
        raise ValueError(f"Exercise {exercise} solution cell: " + "; ".join(problems))
    statement = statement or f'raise NotImplementedError("Exercise {exercise}: write this function, then run the check below")'
    lines = source.splitlines()
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    for function in reversed(functions):  # bottom-up, so earlier line numbers stay valid
        first = function.body[0]
        keep_until = first.end_lineno if _is_docstring(first) else first.lineno - 1
        lines[keep_until : function.end_lineno] = [" " * first.col_offset + statement]
    return "\n".join(lines) + "\n"


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def exercise_cells(nb) -> list:
    """Return the cells of the Exercises section (after the ``## Exercises`` heading).

    Raises:
        ValueError: the notebook has no Exercises heading.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and source_of(cell).lstrip().startswith(EXERCISES_HEADING):
            return nb.cells[index + 1 :]
    raise ValueError(f"The notebook has no markdown cell starting with {EXERCISES_HEADING!r}")


def make_learner_version(nb):
    """Return a copy of ``nb`` for learners: solutions stubbed and shown open, all outputs cleared.

    Raises:
        ValueError: a solution cell cannot be stubbed.
    """
    learner = nbformat.from_dict(nb)
    heading = _exercises_heading(learner)
    if heading is not None:
        heading.source = source_of(heading).replace("\n\n" + REVEAL_HINT, "")
    exercise = 0
    for cell in learner.cells:
        if cell.cell_type != "code":
            continue
        if SOLUTION_TAG in tags(cell):
            exercise += 1
            cell.source = stub_source(source_of(cell), exercise)
            cell.metadata.pop(WRONG_ANSWERS_KEY, None)
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if cell.metadata.get("jupyter") == {}:
                del cell.metadata["jupyter"]
        cell.outputs = []
        cell.execution_count = None
    return learner


def write_learner_versions(paths: Iterable[Path], out_dir: Path) -> list[Path]:
    """Write the learners' version of each notebook into ``out_dir`` (same file names); return them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        learner = make_learner_version(nbformat.read(path, as_version=4))
        target = out_dir / Path(path).name
        nbformat.write(learner, target)
        written.append(target)
    return written


def wrong_answers(cell) -> list[str]:
    """Return the plausible wrong answers a solution cell lists in its metadata (sources of whole cells).

    Raises:
        ValueError: the metadata is not a list of non-empty strings.
    """
    answers = cell.get("metadata", {}).get(WRONG_ANSWERS_KEY, [])
    if not isinstance(answers, list) or not all(isinstance(answer, str) and answer.strip() for answer in answers):
        raise ValueError(f"metadata {WRONG_ANSWERS_KEY!r} must be a list of cell sources (non-empty strings), got {answers!r}")
    return answers
