"""Code in the notebooks fits the screen: no code line longer than MAX_LINE_LENGTH characters.

JupyterLab at 1280x800 with the file browser open shows about 100 characters of a code cell
without scrolling sideways; a longer line hides its end. The check covers every code cell and
the plausible wrong answers a solution cell lists in its ``wrong_answers`` metadata (they are
code the exercise tests run, and a maintainer reads them).
"""

import nbformat
import pytest
from conftest import notebook_params

from course_tools.exercises import wrong_answers

MAX_LINE_LENGTH = 100

# Cells allowed to keep longer lines, each for a reason that outweighs the screen. A cell is
# named by its notebook and the first line of its source, which survives cells being added.
EXEMPT = {
    # The class must have the abstract syntax tree of helpers.nn.BatchNorm
    # (tests/test_nn_matches_notebook.py) and fit in 30 lines (tests/test_notebook_structure.py);
    # wrapped to 100 characters it takes 38. Remove this entry when either constraint changes.
    ("22_regularizing_networks", "class BatchNorm(Layer):"),
}


def long_lines(source: str, limit: int = MAX_LINE_LENGTH) -> list[tuple[int, int, str]]:
    """(line number from 1, length, line) of every line of ``source`` longer than ``limit``."""
    return [(number, len(line), line) for number, line in enumerate(source.splitlines(), start=1) if len(line) > limit]


def offending_lines(nb, stem: str) -> list[str]:
    """One message per code line too long in ``nb``, naming the cell (0-based index) and line."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        first_line = cell.source.split("\n", 1)[0]
        if (stem, first_line) in EXEMPT:
            continue
        for number, length, line in long_lines(cell.source):
            problems.append(f"cell {index}, line {number} ({length} characters): {line.strip()[:60]}...")
        for answer_index, answer in enumerate(wrong_answers(cell)):
            for number, length, line in long_lines(answer):
                problems.append(f"cell {index}, wrong answer {answer_index}, line {number} "
                                f"({length} characters): {line.strip()[:60]}...")
    return problems


def test_long_lines_are_found_and_named():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("x" * 150), nbformat.v4.new_code_cell("a = 1\n" + "b = 2" + " " * 96 + "# c")]
    nb.cells.append(nbformat.v4.new_code_cell("def f():\n    return 1", metadata={"wrong_answers": ["def f():\n    return " + "1 + " * 30 + "1"]}))
    problems = offending_lines(nb, "00_example")
    assert len(problems) == 2, problems
    assert problems[0].startswith("cell 1, line 2 (104 characters): b = 2")
    assert problems[1].startswith("cell 2, wrong answer 0, line 2 (")
    nb.cells[1].source = "a = 1\n" + "b = 2" + " " * 94 + "#"  # exactly 100 characters: allowed
    assert len(offending_lines(nb, "00_example")) == 1


def test_exempt_cells_exist():
    """Each exemption names a cell that is still there, so a stale entry cannot hide a new one."""
    from conftest import NOTEBOOK_DIR

    for stem, first_line in EXEMPT:
        nb = nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
        assert any(cell.cell_type == "code" and cell.source.split("\n", 1)[0] == first_line for cell in nb.cells), (
            f"{stem}: no code cell starts with {first_line!r}; remove it from EXEMPT"
        )


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_code_lines_fit_the_screen(notebook, request):
    stem = request.node.callspec.id
    problems = offending_lines(notebook, stem)
    assert not problems, (
        f"{len(problems)} code lines longer than {MAX_LINE_LENGTH} characters; wrap them (break calls at "
        "commas, split strings by implicit concatenation, move trailing comments above):\n" + "\n".join(problems)
    )
