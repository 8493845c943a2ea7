"""Shared fixtures: the notebook list (the kernels' environment is pinned by the root ``conftest.py``)."""

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
