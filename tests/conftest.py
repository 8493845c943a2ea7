"""Shared fixtures: the notebook list (the kernels' environment is pinned by the root ``conftest.py``),
and a whole-network check that the nn tests share."""

from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def notebook_params():
    """One pytest param per notebook, with the file name as its id."""
    return [pytest.param(path, id=path.stem) for path in NOTEBOOKS]


@pytest.fixture
def notebook(request):
    """The parsed notebook for a ``path`` parameter."""
    return nbformat.read(request.param, as_version=4)


def assert_network_checks_and_learns(net, X, y, label: str) -> None:
    """Gradient-check a float64 ``helpers.nn`` network end to end (dL/dX and every parameter,
    softmax cross-entropy on integer labels ``y``), then require 40 Adam steps to halve the loss."""
    import helpers
    from helpers.nn import Adam, SoftmaxCrossEntropy

    loss = SoftmaxCrossEntropy()

    def value():
        return loss.forward(net.forward(X), y)

    value()
    dX = net.backward(loss.backward())
    helpers.gradient_check(value, X, dX, tol=1e-6, name=f"{label} dL/dX")
    for param, grad in zip(net.parameters(), net.gradients()):
        helpers.gradient_check(value, param, grad.copy(), tol=1e-6, name=f"{label} parameter of shape {param.shape}")
    optimizer = Adam(learning_rate=0.01)
    losses = [net.train_on_batch(X, y, loss, optimizer) for _ in range(40)]
    assert losses[-1] < 0.5 * losses[0], f"a small {label} should fit {len(y)} examples: loss {losses[0]:.3f} -> {losses[-1]:.3f}"
