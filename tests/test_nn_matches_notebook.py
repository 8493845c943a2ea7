"""The code notebooks 20-22 write step by step is the code of helpers.nn: a test fails if they drift apart.

Every top-level class or function a notebook defines under a name that
``helpers.nn`` also defines must have the same abstract syntax tree, once
docstrings are removed (the library's docstrings state contracts; the notebooks
explain in markdown instead). Comments and formatting may differ; code may not.

Notebook 20 first writes a minimal version of a few pieces (``MinimalDense``, ``MinimalReLU``,
``softmax_cross_entropy``) to show the idea; their names are not the library's, so they are not
compared, and every name below must still be defined by the notebook's robust cells.
"""

import ast
import difflib
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, REPO

LIBRARY_MODULES = ["layers", "losses", "optimizers", "model"]

# What each notebook must write (it may write more).
REQUIRED = {
    "20_a_neural_network_library_from_scratch": {
        "check_batch", "check_grad_output", "Layer", "check_layer", "initial_weights", "Dense", "Activation", "ReLU",
        "LeakyReLU", "Sigmoid", "Tanh", "softmax", "check_targets", "Loss", "MSE", "SoftmaxCrossEntropy",
        "BinaryCrossEntropy", "check_hyperparameter", "Optimizer", "SGD", "minibatches", "Network",
        "backward_to_parameters", "EarlyStopping", "train_epoch", "Sequential",
    },
    "21_optimizers": {"Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSProp", "Adam"},
    "22_regularizing_networks": {"WeightDecay", "Dropout", "batch_norm_backward", "BatchNorm"},
}  # fmt: skip


def strip_docstrings(tree: ast.AST) -> ast.AST:
    """Remove the docstring of every module, class and function in ``tree`` (in place); return it."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def definitions(source: str) -> dict[str, ast.AST]:
    """Top-level classes and functions of ``source``, docstrings removed, by name."""
    tree = strip_docstrings(ast.parse(source))
    return {node.name: node for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}


def library_definitions() -> dict[str, ast.AST]:
    found = {}
    for module in LIBRARY_MODULES:
        found.update(definitions((REPO / "helpers" / "nn" / f"{module}.py").read_text()))
    return found


def notebook_definitions(path: Path) -> dict[str, ast.AST]:
    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            found.update(definitions(cell.source))
    return found


def drift(name: str, ours: ast.AST, library: ast.AST) -> str | None:
    """None if the two definitions are the same code, else a readable diff."""
    if ast.dump(ours) == ast.dump(library):
        return None
    diff = difflib.unified_diff(
        ast.unparse(library).splitlines(), ast.unparse(ours).splitlines(), "helpers.nn", "notebook", lineterm=""
    )
    return f"{name} differs:\n" + "\n".join(diff)


@pytest.mark.parametrize("stem", list(REQUIRED))
def test_notebook_code_is_the_library_code(stem):
    path = NOTEBOOK_DIR / f"{stem}.ipynb"
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    ours, library = notebook_definitions(path), library_definitions()
    missing = REQUIRED[stem] - ours.keys()
    assert not missing, f"{path.name} must define {sorted(missing)}, as helpers.nn does"
    problems = [drift(name, ours[name], library[name]) for name in sorted(ours.keys() & library.keys())]
    problems = [p for p in problems if p]
    assert not problems, "the notebook and helpers.nn drifted apart; make them identical:\n\n" + "\n\n".join(problems)


def test_every_library_definition_is_taught():
    assert set().union(*REQUIRED.values()) <= library_definitions().keys()
    taught = set().union(*REQUIRED.values())
    untaught = library_definitions().keys() - taught
    assert not untaught, f"helpers.nn defines {sorted(untaught)}, which no notebook writes: add it to REQUIRED"


def test_drift_is_detected():
    library = library_definitions()
    changed = definitions(ast.unparse(library["SGD"]).replace("param -= ", "param += "))["SGD"]
    assert drift("SGD", changed, library["SGD"]) is not None
    signature, body = ast.unparse(library["softmax"]).split("\n", 1)
    documented = definitions(f'{signature}\n    """Other words."""\n    # a comment\n{body}')
    assert drift("softmax", documented["softmax"], library["softmax"]) is None
