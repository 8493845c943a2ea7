"""Structural tests of every notebook: the anatomy in COURSE_DESIGN.md, checked without running anything."""

import ast
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, notebook_params

from course_tools.exercises import CHECK_TAG, REVEAL_HINT, SETUP_TAG, SOLUTION_TAG, exercise_cells, solution_cell_problems, source_of, tags

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


# What makes a cell's output machine-dependent for sure: a network trained over many steps
# (CONTRIBUTING.md, rule 2). Such a cell's output is not compared; its claim is an assert.
TRAINING_METHODS = {"train_on_batch", "train_step"}
EPOCH_KEYWORDS = {"epochs", "n_epochs"}
IGNORE_OUTPUT_TAG = "nbval-ignore-output"


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def uses_tape(node: ast.AST, tape_users: set[str]) -> bool:
    """``node`` records gradients: it opens a ``GradientTape`` or calls a function that does."""
    return any(isinstance(n, ast.Attribute) and n.attr == "GradientTape" for n in ast.walk(node)) or calls_any(node, tape_users)


def trains_directly(node: ast.AST, tape_users: set[str]) -> bool:
    """``node`` runs a training: ``fit(..., epochs=...)``, ``train_on_batch``/``train_step``, or gradient steps in a loop."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            if call.func.attr in TRAINING_METHODS:
                return True
            if call.func.attr == "fit" and EPOCH_KEYWORDS & {keyword.arg for keyword in call.keywords}:
                return True
    return any(uses_tape(loop, tape_users) for loop in ast.walk(node) if isinstance(loop, (ast.For, ast.While)))


def calls_any(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names for n in ast.walk(node))


def closure(functions: dict[str, ast.FunctionDef], has_it) -> set[str]:
    """The functions for which ``has_it(function, found)`` holds, given those found so far, to a fixed point."""
    found: set[str] = set()
    while more := {name for name, function in functions.items() if name not in found and has_it(function, found)}:
        found |= more
    return found


def training_cells(nb) -> list[int]:
    """0-based code-cell indices (nbval's "Cell N") of the cells that train a network when they run.

    A cell trains if its statements (definitions aside: defining a function trains
    nothing) train directly or call a function of the notebook that does, at any depth.
    """
    statements = []
    functions = {}
    for cell in code_cells(nb):
        body = ast.parse(source_of(cell)).body
        functions.update({node.name: node for node in body if isinstance(node, ast.FunctionDef)})
        statements.append(ast.Module([node for node in body if not isinstance(node, (ast.FunctionDef, ast.ClassDef))], []))
    tape_users = closure(functions, uses_tape)
    trainers = closure(functions, lambda function, found: trains_directly(function, tape_users) or calls_any(function, found))
    return [index for index, module in enumerate(statements) if trains_directly(module, tape_users) or calls_any(module, trainers)]


def prints_text(cell) -> bool:
    """The cell has a compared text output: printed text or a value (a figure's own text is only its size)."""
    return any(output.output_type in ("stream", "execute_result") for output in cell.outputs)


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


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_training_results_are_not_strictly_compared(notebook):
    """CONTRIBUTING.md rule 2: a cell that trains a network and prints is tagged nbval-ignore-output."""
    cells = code_cells(notebook)
    untagged = [index for index in training_cells(notebook) if prints_text(cells[index]) and IGNORE_OUTPUT_TAG not in tags(cells[index])]
    assert not untagged, (
        f"code cells {untagged} (nbval's Cell N) train a network and print, so their output differs on another "
        f"CPU or thread count: tag them '{IGNORE_OUTPUT_TAG}' and keep the claim in an assert (CONTRIBUTING.md)"
    )


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


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_solutions_are_collapsed_and_the_learner_told_how_to_reveal_them(notebook):
    heading = notebook.cells[-len(exercise_cells(notebook)) - 1]
    assert REVEAL_HINT in source_of(heading), "the Exercises heading must say how to reveal a solution: run `course store`"
    hidden = [cell.metadata.get("jupyter", {}).get("source_hidden") for cell in exercise_cells(notebook) if SOLUTION_TAG in tags(cell)]
    assert all(hidden), "every solution cell is collapsed in JupyterLab (metadata.jupyter.source_hidden): run `course store`"


MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("notebook", notebook_params(), indirect=True)
def test_headings_hold_no_latex(notebook):
    """JupyterLab's table of contents and a heading's anchor show `$R^2$` raw: write R² or words."""
    headings = [heading for cell in notebook.cells if cell.cell_type == "markdown"
                for heading in MARKDOWN_HEADING.findall(FENCED_CODE.sub("", source_of(cell)))]
    assert headings, "no markdown headings found"
    raw = [heading for heading in headings if "$" in heading]
    assert not raw, f"headings with LaTeX, shown raw in the table of contents: {raw}"


def test_training_cells_are_found_through_the_notebooks_own_functions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(source)
        for source in (
            "model.fit(X, y, epochs=3)",  # 0: Keras fit
            "LinearRegression().fit(X, y)",  # 1: a closed-form fit, not a network's training
            "def step(x):\n    with tf.GradientTape() as tape:\n        pass\n\ndef train(n):\n    for _ in range(n):\n        step(1)",
            "def run():\n    return train(5)",  # 3: definitions only
            "history = run()\nprint(history)",  # 4: trains through two functions
            "net.fit(X, y, loss=loss, optimizer=opt, n_epochs=2, rng=rng)",  # 5: helpers.nn fit
            "for _ in range(3):\n    with tf.GradientTape() as tape:\n        pass",  # 6: a training loop in the cell
        )
    ]
    assert training_cells(nb) == [0, 4, 5, 6]


def test_structure_tests_reject_a_bad_notebook():
    """The structural rules are not vacuous: a notebook breaking them is caught."""
    bad = nbformat.v4.new_notebook()
    bad.cells = [nbformat.v4.new_markdown_cell("# Untitled"), nbformat.v4.new_code_cell("!pip install keras")]
    with pytest.raises(ValueError):
        exercise_cells(bad)
    assert re.search(r"^\s*[!%]", source_of(bad.cells[1]), re.M)
    assert solution_cell_problems("x = 1") != []
