"""The course's from-scratch neural-network library, in NumPy.

One convention everywhere (as in cs231n's layers): every layer has
``forward(x, training=False) -> y`` and ``backward(grad_output) -> grad_input``;
trainable arrays live in ``layer.params`` (a dict of name -> array) and
``backward`` fills ``layer.grads`` with the same keys (``parameter_gradients``
fills them without computing ``grad_input``, which training skips below the
lowest trainable layer). Optimizers update the
arrays of ``params`` in place from ``grads``. Examples are rows: a batch has
shape ``(batch_size, ...)``. Networks train in float32.

Modules:

- :mod:`helpers.nn.layers`: Layer, WeightDecay, ``initial_weights`` (He, Glorot), Dense,
  activations, Dropout, BatchNorm, ``check_layer`` to gradient-check any layer, and the
  input checks every layer shares (``check_batch``, ``check_grad_output``);
- :mod:`helpers.nn.losses`: MSE, SoftmaxCrossEntropy, BinaryCrossEntropy (``check_targets``
  validates their targets);
- :mod:`helpers.nn.optimizers`: SGD, Momentum, Nesterov, Adagrad, Adadelta,
  RMSProp, Adam (``check_hyperparameter`` validates their hyper-parameters);
- :mod:`helpers.nn.model`: Network, Sequential, EarlyStopping, ``train_epoch`` (which stops
  training at a NaN or inf loss);
- :mod:`helpers.nn.conv`: Conv2D, pooling, Flatten (import them from there);
- :mod:`helpers.nn.residual`: Residual (``y = F(x) + x``, or a projection of ``x``) and
  ``basic_block``, ResNet's two-convolution block.

Notebooks 20-22 write this code step by step;
``tests/test_nn_matches_notebook.py`` keeps the two identical.

    model = Sequential([Dense(784, 128, rng=rng), ReLU(), Dense(128, 10, rng=rng)])
    history = model.fit(X, y, loss=SoftmaxCrossEntropy(), optimizer=Adam(),
                        n_epochs=5, batch_size=64, rng=rng)
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
    WeightDecay,
    batch_norm_backward,
    check_batch,
    check_grad_output,
    check_layer,
    initial_weights,
)
from helpers.nn.conv import AvgPool2D, Conv2D, Flatten, MaxPool2D  # noqa: F401  (channels-last conv layers, notebook 25)
from helpers.nn.losses import MSE, BinaryCrossEntropy, Loss, SoftmaxCrossEntropy, check_targets, softmax
from helpers.nn.model import EarlyStopping, Network, Sequential, backward_to_parameters, minibatches, train_epoch
from helpers.nn.optimizers import (
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    check_hyperparameter,
)
from helpers.nn.residual import Residual, basic_block

__all__ = [
    "MSE",
    "SGD",
    "Activation",
    "Adadelta",
    "Adagrad",
    "Adam",
    "BatchNorm",
    "BinaryCrossEntropy",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "Layer",
    "LeakyReLU",
    "Loss",
    "Momentum",
    "Nesterov",
    "Network",
    "Optimizer",
    "RMSProp",
    "ReLU",
    "Residual",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "WeightDecay",
    "basic_block",
    "batch_norm_backward",
    "check_batch",
    "check_grad_output",
    "check_hyperparameter",
    "check_layer",
    "check_targets",
    "minibatches",
    "softmax",
    "train_epoch",
]
