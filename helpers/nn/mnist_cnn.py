"""The from-scratch CNN that notebook 25 trains on MNIST, and the learning-rate schedule it uses.

Everything here is built from :mod:`helpers.nn` layers and trained by the library's own
``Sequential.train_on_batch`` (or :func:`helpers.nn.train_epoch`), so the benchmarks can
train exactly the network the notebook trains:

    X = mnist_images(X_uint8)                              # (n, 28, 28) -> (n, 28, 28, 1) float32
    model = build_mnist_cnn(rng)
    optimizer = CosineDecay(Adam(learning_rate=0.003), total_steps=n_epochs * steps_per_epoch)
    for epoch in range(1, n_epochs + 1):
        train_epoch(model, X, y, SoftmaxCrossEntropy(), optimizer, batch_size, rng, epoch)
"""

import math

import numpy as np

from helpers.nn.conv import Conv2D, Flatten, MaxPool2D
from helpers.nn.layers import Dense, ReLU
from helpers.nn.model import Sequential

IMAGE_SHAPE = (28, 28, 1)
N_CLASSES = 10


def mnist_images(X) -> np.ndarray:
    """Return MNIST pixels as the network's input: float32 in [0, 1], shape (n, 28, 28, 1).

    Args:
        X: images of shape (n, 28, 28) with pixel values 0-255 (as ``helpers.data.load_mnist``
            returns them).

    Raises:
        ValueError: ``X`` is not of shape (n, 28, 28), or its values are outside 0-255.
    """
    X = np.asarray(X)
    if X.ndim != 3 or X.shape[1:] != IMAGE_SHAPE[:2]:
        raise ValueError(f"mnist_images needs images of shape (n, 28, 28), got shape {X.shape}")
    if X.size and not (X.min() >= 0 and X.max() <= 255):
        raise ValueError(f"mnist_images needs pixel values 0-255, got {X.min()} to {X.max()}; "
                         "pass the images as load_mnist returns them, before any scaling")
    return (X[..., np.newaxis] / 255.0).astype(np.float32)


def build_mnist_cnn(rng: np.random.Generator, *, filters: tuple[int, int] = (8, 16),
                    dtype=np.float32) -> Sequential:
    """Build the two-convolution CNN for 28x28 grey-scale digits (LeNet-style, valid padding).

    ====================================  ================  ==============================
    layer                                 output shape      parameters (filters (f1, f2))
    ====================================  ================  ==============================
    ``Conv2D(1, f1, 5)`` + ReLU           (n, 24, 24, f1)   5*5*1*f1 + f1
    ``MaxPool2D(2)``                      (n, 12, 12, f1)   0
    ``Conv2D(f1, f2, 3)`` + ReLU          (n, 10, 10, f2)   3*3*f1*f2 + f2
    ``MaxPool2D(2)``                      (n, 5, 5, f2)     0
    ``Flatten()``                         (n, 25 * f2)      0
    ``Dense(25 * f2, 10)`` (logits)       (n, 10)           25*f2*10 + 10
    ====================================  ================  ==============================

    With the default (8, 16): 208 + 1,168 + 4,010 = 5,386 parameters. The convolutions use
    He initialisation (they feed a ReLU), the output layer Glorot's.

    Args:
        rng: the generator for the initial weights.
        filters: the number of filters of the first and second convolution.
        dtype: float32 to train, float64 for gradient checks.

    Returns:
        A :class:`helpers.nn.Sequential` mapping images (n, 28, 28, 1) to logits (n, 10), to
        train with ``SoftmaxCrossEntropy`` on integer labels.

    Raises:
        ValueError: ``filters`` is not a pair of positive ints.
    """
    if (not isinstance(filters, (tuple, list)) or len(filters) != 2
            or not all(isinstance(f, int) and not isinstance(f, bool) and f >= 1 for f in filters)):
        raise ValueError("filters must be a pair of positive ints (first, second convolution), "
                         f"got {filters!r}")
    f1, f2 = filters
    return Sequential([
        Conv2D(IMAGE_SHAPE[2], f1, 5, rng=rng, dtype=dtype), ReLU(), MaxPool2D(2),
        Conv2D(f1, f2, 3, rng=rng, dtype=dtype), ReLU(), MaxPool2D(2),
        Flatten(), Dense(5 * 5 * f2, N_CLASSES, rng=rng, init="glorot", dtype=dtype),
    ])


class CosineDecay:
    """Wrap an optimizer and lower its learning rate along a half cosine, one value per step.

    At step t (counted from 0) of ``total_steps`` the learning rate is
    ``final + (peak - final) * (1 + cos(pi * t / total_steps)) / 2``, with ``peak`` the
    wrapped optimizer's learning rate when the schedule is built and
    ``final = final_fraction * peak``: large steps first, to make fast progress, then
    ever smaller ones, so that the last steps settle into a minimum instead of bouncing
    around it (Loshchilov and Hutter, 2017, without restarts). After ``total_steps`` the
    rate stays at ``final``.

    ``step(params, grads)`` sets the rate and calls the wrapped optimizer's ``step``, so a
    ``CosineDecay`` goes wherever an optimizer does (``train_on_batch``, ``train_epoch``, ``fit``).

    Raises:
        ValueError: ``total_steps`` < 1, ``final_fraction`` outside [0, 1], or the optimizer
            has no ``learning_rate``.
    """

    def __init__(self, optimizer, total_steps: int, final_fraction: float = 0.0):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError(f"CosineDecay wraps an optimizer with a learning_rate, "
                             f"got {optimizer!r}")
        if total_steps < 1 or not 0 <= final_fraction <= 1:
            raise ValueError("CosineDecay needs total_steps >= 1 and final_fraction in [0, 1], "
                             f"got total_steps={total_steps}, final_fraction={final_fraction}")
        self.optimizer, self.total_steps = optimizer, total_steps
        self.peak, self.final = optimizer.learning_rate, final_fraction * optimizer.learning_rate
        self.steps_taken = 0

    def learning_rate_at(self, step: int) -> float:
        """Return the learning rate of step ``step`` (counted from 0)."""
        progress = min(step, self.total_steps) / self.total_steps
        return self.final + (self.peak - self.final) * 0.5 * (1 + math.cos(math.pi * progress))

    def step(self, params: list, grads: list) -> None:
        self.optimizer.learning_rate = self.learning_rate_at(self.steps_taken)
        self.optimizer.step(params, grads)
        self.steps_taken += 1
