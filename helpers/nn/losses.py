"""Losses of the from-scratch network: MSE, softmax cross-entropy from logits, binary cross-entropy.

The contract: ``forward(y_pred, y_true) -> float`` returns the mean loss over the
batch and caches what ``backward`` needs; ``backward() -> dL/dy_pred`` has the
shape and dtype of ``y_pred``. Each loss is the *mean* over examples (as Keras),
so its gradient carries a factor 1 / m. Classification losses also have
``accuracy(y_pred, y_true) -> float``.
"""

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    """Return the row-wise softmax of the logits ``z`` (shape (m, k)), computed stably (max subtracted)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_targets(y_pred, y_true, who: str, probabilities: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return ``y_pred, y_true`` as arrays after checking they are numbers of the same shape, with a 2-D ``y_pred``.

    Args:
        probabilities: the targets must lie in [0, 1] (0/1 labels, one-hot or probability
            rows), as the cross-entropy losses need; a regression loss accepts any number.

    Raises:
        TypeError: either array is not numeric.
        ValueError: ``y_pred`` is not 2-D, the shapes differ (for example (m, 1) and (m,)),
            or, with ``probabilities``, a target is outside [0, 1] (or NaN).
    """
    y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
    for array in (y_pred, y_true):
        if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
            raise TypeError(f"{who} needs numeric predictions and targets, got dtype {array.dtype}")
    if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError(f"{who} needs y_pred of shape (m, k) and y_true of the same shape, got {y_pred.shape} "
                         f"and {y_true.shape}; a column of targets is y.reshape(-1, 1)")
    if probabilities and y_true.size and not (y_true.min() >= 0 and y_true.max() <= 1):
        raise ValueError(f"{who} needs targets in [0, 1] (labels 0 and 1, one-hot rows or probabilities), got "
                         f"values from {y_true.min()} to {y_true.max()}; rescale them into [0, 1], or give "
                         "SoftmaxCrossEntropy integer class labels of shape (m,)")
    return y_pred, y_true


class Loss:
    """Base class: ``forward(y_pred, y_true) -> float`` (mean over the batch), ``backward() -> dL/dy_pred``."""

    def __init__(self):
        self.cache = None

    def __call__(self, y_pred, y_true) -> float:
        return self.forward(y_pred, y_true)

    def forward(self, y_pred, y_true) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def check_cache(self):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward")
        return self.cache


class MSE(Loss):
    """Mean squared error over every element: ``mean((y_pred - y_true)**2)``, as ``keras.losses.MeanSquaredError``.

    ``forward``: ``y_pred`` and ``y_true`` of the same shape (m, k).
    ``backward``: ``2 (y_pred - y_true) / y_pred.size``.

    Raises:
        TypeError: either array is not numeric.
        ValueError: the shapes differ or are not 2-D.
    """

    def forward(self, y_pred, y_true):
        y_pred, y_true = check_targets(y_pred, y_true, "MSE")
        diff = y_pred - y_true
        self.cache = diff
        return float(np.mean(np.square(diff, dtype=np.float64)))

    def backward(self):
        diff = self.check_cache()
        return (2 / diff.size * diff).astype(diff.dtype, copy=False)


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by categorical cross-entropy, from the logits (the last Dense layer's output).

    ``L = -mean_i sum_j Y_ij log softmax(z)_ij``; its gradient is the famously simple
    ``(softmax(z) - Y) / m``. Combining the two avoids ``log(0)`` and the softmax Jacobian.
    Same value as ``keras.losses.CategoricalCrossentropy(from_logits=True)`` (one-hot
    targets) or ``SparseCategoricalCrossentropy(from_logits=True)`` (integer labels).

    ``forward(z, y)``: logits ``z`` of shape (m, k); ``y`` integer labels of shape (m,)
    in 0..k-1, or one-hot / probability rows of shape (m, k).

    Raises:
        TypeError: ``z`` or ``y`` is not numeric.
        ValueError: ``z`` is not 2-D, ``y`` has the wrong shape, labels are out of range, or
            target rows hold values outside [0, 1].
    """

    def forward(self, y_pred, y_true):
        z, y_true = np.asarray(y_pred), np.asarray(y_true)
        if y_true.ndim == 1 and z.ndim == 2 and len(y_true) == len(z):
            if not np.issubdtype(y_true.dtype, np.integer) or y_true.min() < 0 or y_true.max() >= z.shape[1]:
                raise ValueError(f"integer labels in 0..{z.shape[1] - 1} are needed, got {y_true.dtype} "
                                 f"values from {y_true.min()} to {y_true.max()}")
            y_true = np.eye(z.shape[1], dtype=z.dtype)[y_true]
        z, y_true = check_targets(z, y_true, "SoftmaxCrossEntropy", probabilities=True)
        shifted = z - z.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.cache = (np.exp(log_probs), y_true)
        return float(-np.sum(y_true * log_probs, dtype=np.float64) / len(z))

    def backward(self):
        probs, y_true = self.check_cache()
        return ((probs - y_true) / len(probs)).astype(probs.dtype, copy=False)

    def accuracy(self, y_pred, y_true) -> float:
        """Fraction of rows whose largest logit is the true class (labels or one-hot rows)."""
        y_true = np.asarray(y_true)
        labels = y_true.argmax(axis=1) if y_true.ndim == 2 else y_true
        return float(np.mean(np.argmax(y_pred, axis=1) == labels))


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy ``-mean[y log p + (1 - y) log(1 - p)]``, as ``keras.losses.BinaryCrossentropy``.

    Args:
        from_logits: ``y_pred`` holds logits ``z`` (p = sigmoid(z), computed stably;
            gradient ``(p - y) / size``) instead of probabilities (clipped to
            [1e-7, 1 - 1e-7] as Keras does; gradient ``(p - y) / (p (1 - p) size)``).

    ``forward``: ``y_pred`` and ``y_true`` (0/1 or probabilities) of the same shape (m, k).

    Raises:
        TypeError: either array is not numeric.
        ValueError: the shapes differ or are not 2-D, or a target is outside [0, 1].
    """

    def __init__(self, from_logits: bool = False):
        super().__init__()
        self.from_logits = from_logits

    def forward(self, y_pred, y_true):
        y_pred, y_true = check_targets(y_pred, y_true, "BinaryCrossEntropy", probabilities=True)
        y_true = y_true.astype(y_pred.dtype, copy=False)
        if self.from_logits:
            self.cache = (0.5 * (1 + np.tanh(0.5 * y_pred)), y_true, None)
            losses = np.maximum(y_pred, 0) - y_pred * y_true + np.log1p(np.exp(-np.abs(y_pred)))
        else:
            p = np.clip(y_pred, 1e-7, 1 - 1e-7)
            self.cache = (p, y_true, p * (1 - p))
            losses = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
        return float(np.mean(losses, dtype=np.float64))

    def backward(self):
        p, y_true, scale = self.check_cache()
        grad = (p - y_true) / p.size
        return (grad if scale is None else grad / scale).astype(p.dtype, copy=False)

    def accuracy(self, y_pred, y_true) -> float:
        """Fraction of predictions on the right side of p = 0.5 (logit 0)."""
        threshold = 0.0 if self.from_logits else 0.5
        return float(np.mean((np.asarray(y_pred) > threshold) == (np.asarray(y_true) > 0.5)))
