"""Structural tests of every notebook: the anatomy in COURSE_DESIGN.md, checked without running anything."""

import ast
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, notebook_params

from helpers.notebook_tools import CHECK_TAG, SETUP_TAG, SOLUTION_TAG, exercise_cells, solution_cell_problems, source_of, tags

NAME_PATTERN = re.compile(r"^(\d\d)_[a-z0-9]+(_[a-z0-9]+)*\.ipynb$")
MAX_SIZE_BYTES = 2_000_000
MAX_CODE_LINES = 30
MIN_EXERCISES = 3

# Code that downloads, installs or edits the import path has no place in an offline course;
# the legacy APIs listed here are the sources' mistakes the course corrects.
FORBIDDEN_CODE = {
    r"^\s*[!%]": "shell escapes and magics (`!pip`, `%run`, ...)",
    r"\bpip install\b": "installing packages from a notebook",
    r"\bsys\.path\b": "editing sys.path (helpers is an installed package)",
    r"\.load_data\(": "keras.datasets downloads; use helpers.data loaders",
    r"\bfetch_openml\b|\bfetch_[a-z0-9_]+\(": "scikit-learn fetchers download",
    r"urlretrieve|requests\.|urlopen|wget|curl ": "downloads",
    r"np\.random\.(seed|rand|randn|randint|random|normal|uniform|choice|shuffle|permutation)\(": "the legacy global RNG; use rng = np.random.default_rng(seed)",
    r"\bnb_epoch\b|\bnp_utils\b|keras\.layers\.core|\bnp\.infty\b|sklearn\.cross_validation": "removed APIs",
    r"\binput_shape\s*=": "Keras 3 style is keras.Input(shape=...)",
    r"\b(SGD|Adam|AdamW|RMSprop|Adagrad|Adadelta|Adamax|Nadam)\([^)]*\blr\s*=": "Keras 3 optimizers take learning_rate=",
    r"\bfit_generator\b|ImageDataGenerator": "deprecated Keras data pipeline; use preprocessing layers",
}


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


def test_notebook_numbers_are_unique_and_names_are_snake_case():
    numbers = []
    for path in NOTEBOOKS:
        match = NAME_PATTERN.match(path.name)
        assert match, f"{path.name}: name notebooks NN_snake_case.ipynb"
        numbers.append(match.group(1))
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not duplicates, f"notebook numbers used twice: {duplicates}"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_header_cell(notebook, request):
    number = request.node.callspec.id[:2]
    header = source_of(notebook.cells[0])
    assert notebook.cells[0].cell_type == "markdown", "the first cell must be the markdown title cell"
    assert re.match(rf"^# {number} · \S", header), f"the title must read '# {number} · Title'"
    for part in ("**You will learn**", "**Before this**", "**Runs in**"):
        assert part in header, f"the header cell lacks {part}"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_one_setup_cell_first(notebook):
    cells = code_cells(notebook)
    setup_cells = [cell for cell in cells if SETUP_TAG in tags(cell)]
    assert len(setup_cells) == 1, f"exactly one code cell must be tagged '{SETUP_TAG}', found {len(setup_cells)}"
    assert cells[0] is setup_cells[0], "the setup cell must be the first code cell"
    assert "helpers.setup_notebook(" in source_of(cells[0]), "the setup cell must call helpers.setup_notebook(...)"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_outputs_come_from_a_clean_run(notebook):
    counts = [cell.execution_count for cell in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1)), (
        "execution counts must be 1..N: store outputs with `course store <notebook>`"
    )
    for index, cell in enumerate(code_cells(notebook), start=1):
        for output in cell.outputs:
            assert output.output_type != "error", f"code cell {index} has a stored error"
            assert output.get("name") != "stderr", f"code cell {index} wrote to stderr: {''.join(output.text)[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_size(path):
    size = path.stat().st_size
    assert size < MAX_SIZE_BYTES, f"{path.name} is {size / 1e6:.1f} MB; lower figure dpi or plot less"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_code_is_offline_modern_and_short(notebook):
    for index, cell in enumerate(code_cells(notebook), start=1):
        source = source_of(cell)
        ast.parse(source)
        for pattern, why in FORBIDDEN_CODE.items():
            found = re.search(pattern, source, re.M)
            assert not found, f"code cell {index}: {found.group(0)!r} is not allowed ({why})"
        n_lines = len(source.splitlines())
        assert n_lines <= MAX_CODE_LINES, f"code cell {index} has {n_lines} lines; split it (at most {MAX_CODE_LINES})"


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_exercises_have_solution_and_check(notebook):
    section = [cell for cell in exercise_cells(notebook) if cell.cell_type == "code"]
    solutions = [i for i, cell in enumerate(section) if SOLUTION_TAG in tags(cell)]
    assert len(solutions) >= MIN_EXERCISES, f"{len(solutions)} exercises; at least {MIN_EXERCISES} are needed"
    for number, i in enumerate(solutions, start=1):
        problems = solution_cell_problems(source_of(section[i]))
        assert not problems, f"exercise {number}: " + "; ".join(problems)
        assert i + 1 < len(section) and CHECK_TAG in tags(section[i + 1]), (
            f"exercise {number}: the code cell after a solution must be tagged '{CHECK_TAG}'"
        )
    outside = [cell for cell in notebook.cells if cell not in exercise_cells(notebook)]
    assert not any(SOLUTION_TAG in tags(c) or CHECK_TAG in tags(c) for c in outside), (
        "solution and check cells belong in the Exercises section"
    )


def test_structure_tests_reject_a_bad_notebook():
    """The structural rules are not vacuous: a notebook breaking them is caught."""
    bad = nbformat.v4.new_notebook()
    bad.cells = [nbformat.v4.new_markdown_cell("# Untitled"), nbformat.v4.new_code_cell("!pip install keras")]
    with pytest.raises(ValueError):
        exercise_cells(bad)
    assert re.search(r"^\s*[!%]", source_of(bad.cells[1]), re.M)
    assert solution_cell_problems("x = 1") != []
