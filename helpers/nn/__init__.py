"""The course's from-scratch neural-network library, in NumPy.

One convention everywhere (as in cs231n's layers): every layer has
``forward(x, training=False) -> y`` and ``backward(grad_output) -> grad_input``;
trainable arrays live in ``layer.params`` (a dict of name -> array) and
``backward`` fills ``layer.grads`` with the same keys. Examples are rows: a
batch has shape ``(batch_size, ...)``. Networks train in float32.

Modules: :mod:`helpers.nn.layers` (Layer, Dense, activations, Dropout,
BatchNorm), :mod:`helpers.nn.losses`, :mod:`helpers.nn.optimizers`,
:mod:`helpers.nn.model` (Sequential). Notebook 16 writes this code step by
step; ``tests/test_nn_matches_notebook.py`` keeps the two identical.
"""

from helpers.nn.layers import (
    Activation,
    BatchNorm,
    Dense,
    Dropout,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Tanh,
    check_batch,
)

__all__ = [
    "Activation",
    "BatchNorm",
    "Dense",
    "Dropout",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "check_batch",
]
