"""The benchmark's Keras CNN is notebook 26's model and recipe: a test fails if they drift apart.

``benchmarks/mnist_models.py`` writes out notebook 26's model (``conv_bn_relu``, ``make_cnn``) and
training recipe (``cosine_schedule``, ``compile_cnn``) so that the accuracy-per-second figure shows the network
the course trains. Each of these functions must have the same abstract syntax tree in the
notebook and in the benchmark (docstrings removed; comments and formatting may differ), and the
benchmark must train with the notebook's batch size.
"""

import ast
import difflib

import nbformat
from conftest import NOTEBOOK_DIR, REPO
from test_nn_matches_notebook import strip_docstrings

NOTEBOOK = NOTEBOOK_DIR / "26_cnns_in_keras.ipynb"
BENCHMARK = REPO / "benchmarks" / "mnist_models.py"
SHARED = ("conv_bn_relu", "make_cnn", "cosine_schedule", "compile_cnn")


def function_definitions(tree: ast.AST) -> dict[str, list[ast.FunctionDef]]:
    """Every function defined anywhere in ``tree`` (nested ones too), by name."""
    found: dict[str, list[ast.FunctionDef]] = {}
    for node in ast.walk(strip_docstrings(tree)):
        if isinstance(node, ast.FunctionDef):
            found.setdefault(node.name, []).append(node)
    return found


def notebook_tree(path=NOTEBOOK) -> ast.Module:
    cells = nbformat.read(path, as_version=4).cells
    return ast.Module(body=[statement for cell in cells if cell.cell_type == "code"
                            for statement in ast.parse(cell.source).body], type_ignores=[])


def assignments(tree: ast.AST) -> dict[str, ast.expr]:
    """Top-level ``NAME = value`` (and ``A, B = x, y``) statements of ``tree``, by name (the last one wins)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    found.update({name.id: value for name, value in zip(target.elts, node.value.elts)
                                  if isinstance(name, ast.Name)})
    return found


def test_benchmark_keras_cnn_is_the_notebook_code():
    ours = function_definitions(ast.parse(BENCHMARK.read_text()))
    notebook = function_definitions(notebook_tree())
    problems = []
    for name in SHARED:
        if len(notebook.get(name, [])) != 1 or len(ours.get(name, [])) != 1:
            problems.append(f"{name}: defined {len(notebook.get(name, []))} times in the notebook, "
                            f"{len(ours.get(name, []))} times in the benchmark (expected once each)")
            continue
        theirs, mine = notebook[name][0], ours[name][0]
        if ast.dump(theirs) != ast.dump(mine):
            diff = difflib.unified_diff(ast.unparse(theirs).splitlines(), ast.unparse(mine).splitlines(),
                                        "notebook 26", "benchmarks/mnist_models.py", lineterm="")
            problems.append(f"{name} differs:\n" + "\n".join(diff))
    assert not problems, "\n\n".join(problems)


def test_benchmark_trains_with_the_notebook_batch_size():
    from benchmarks import workloads

    batch_size = assignments(notebook_tree()).get("BATCH_SIZE")
    assert isinstance(batch_size, ast.Constant), "notebook 26 should set BATCH_SIZE to a number"
    assert batch_size.value == workloads.BATCH_SIZE


def test_the_comparison_sees_a_change():
    """A changed layer in the benchmark's copy is caught (the test is not vacuous)."""
    source = BENCHMARK.read_text()
    changed = source.replace("name=\"dense\"", "name=\"dense_changed\"", 1)
    assert changed != source, "the benchmark's make_cnn should name its dense layer 'dense'"
    ours = function_definitions(ast.parse(changed))["make_cnn"][0]
    theirs = function_definitions(notebook_tree())["make_cnn"][0]
    assert ast.dump(ours) != ast.dump(theirs)


def test_the_course_cnns_are_retrained_for_their_notebooks_epochs_and_batch_size():
    """The report's CNN targets retrain each notebook's CNN as the notebook does (epochs, batch size)."""
    from benchmarks.mnist_models import MNIST_MODELS

    entries = [entry for entry in MNIST_MODELS if entry.notebook]
    assert {entry.notebook for entry in entries} == {"25_convolution_and_pooling_from_scratch", "26_cnns_in_keras"}
    for entry in entries:
        constants = assignments(notebook_tree(NOTEBOOK_DIR / f"{entry.notebook}.ipynb"))
        assert ast.literal_eval(constants["N_EPOCHS"]) == entry.epochs, f"{entry.name}: N_EPOCHS of {entry.notebook}"
        assert ast.literal_eval(constants["BATCH_SIZE"]) == entry.batch_size, f"{entry.name}: BATCH_SIZE"
    from benchmarks.mnist_models import SCRATCH_CNN_PEAK_LEARNING_RATE

    scratch = assignments(notebook_tree(NOTEBOOK_DIR / "25_convolution_and_pooling_from_scratch.ipynb"))
    assert ast.literal_eval(scratch["PEAK_LEARNING_RATE"]) == SCRATCH_CNN_PEAK_LEARNING_RATE
