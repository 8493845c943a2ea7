"""Shared fixtures: the notebook list, and a quiet TensorFlow for every kernel the tests start."""

import os
from pathlib import Path

# Kernels started by nbval and by the exercise tests inherit this environment. Do not set
# MPLBACKEND here: the kernels need matplotlib's inline backend to produce the stored figures.
os.environ.update(TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")

import nbformat  # noqa: E402
import pytest  # noqa: E402

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
