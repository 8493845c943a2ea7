"""Layers of the from-scratch network: the ``Layer`` contract, ``Dense``, activations, ``Dropout``, ``BatchNorm``.

The contract every layer follows (convolution and pooling layers in
:mod:`helpers.nn.conv` follow it too):

- ``forward(x, training=False) -> y``: ``x`` is a batch whose first axis indexes
  the examples (rows). ``training=True`` switches on training-only behaviour
  (dropout masks, batch statistics). The layer caches what ``backward`` needs.
- ``backward(grad_output) -> grad_input``: ``grad_output`` is dL/dy for the last
  ``forward`` call (shape of ``y``, checked by :func:`check_grad_output` before any
  state changes); the result is dL/dx (shape of ``x``). Layers with trainable arrays also fill ``self.grads`` (same keys and shapes as
  ``self.params``); gradients are *set*, never accumulated.
- ``parameter_gradients(grad_output) -> None``: fill ``self.grads`` only. Training
  calls it on the lowest layer that has parameters, whose input gradient nobody
  needs; the default runs ``backward`` and drops the result, and ``Dense`` and
  ``Conv2D`` skip computing dL/dx (see ``helpers.nn.model.backward_to_parameters``).
- ``params`` and ``grads``: dicts of name -> ``np.ndarray``. Optimizers update
  the arrays in ``params`` in place, so a layer must not replace them.

Networks train in float32 (fast matrix products); tests build layers with
``dtype=np.float64`` to check gradients numerically.
"""

import numpy as np

from helpers.checks import gradient_check


def check_batch(x, n_features: int | None, who: str) -> np.ndarray:
    """Return ``x`` as a NumPy array after checking it is a 2-D batch of numbers.

    Args:
        x: array-like of shape (m, n_features).
        n_features: the width the layer needs, or None to accept any width.
        who: the layer's name, for the message.

    Returns:
        ``np.asarray(x)`` (no copy when ``x`` already is an array).

    Raises:
        TypeError: ``x`` is not numeric.
        ValueError: ``x`` is not 2-D, or has ``x.shape[1] != n_features``.
    """
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{who} needs a numeric array, got dtype {x.dtype}")
    if x.ndim != 2:
        raise ValueError(f"{who} needs a 2-D batch of shape (m, {n_features or 'n'}), got shape {x.shape}; "
                         "one example is x.reshape(1, -1), images are X.reshape(len(X), -1)")
    if n_features is not None and x.shape[1] != n_features:
        raise ValueError(f"{who} expects {n_features} features per example but got x of shape {x.shape}")
    return x


def check_grad_output(grad_output, output_shape: tuple | None, who: str) -> np.ndarray:
    """Return ``grad_output`` as an array after checking it has the shape of the last forward's output.

    Every ``backward`` (and ``parameter_gradients``) calls it before it touches any state, so a
    wrong dL/dy fails here with both shapes instead of broadcasting silently or half-way.

    Args:
        grad_output: dL/dy.
        output_shape: the shape of the last ``forward``'s output, or None if there was none yet.
        who: the layer's name, for the message.

    Raises:
        RuntimeError: ``output_shape`` is None (backward before forward).
        ValueError: ``grad_output.shape != output_shape``.
    """
    if output_shape is None:
        raise RuntimeError(f"{who}: backward (or parameter_gradients) was called before forward")
    grad_output = np.asarray(grad_output)
    if grad_output.shape != tuple(output_shape):
        raise ValueError(f"{who}: grad_output has shape {grad_output.shape}, but the last forward returned shape "
                         f"{tuple(output_shape)}; dL/dy has the shape of y")
    return grad_output


class Layer:
    """Base class: a layer maps a batch ``x`` to ``y`` and back-propagates dL/dy to dL/dx.

    Subclasses override :meth:`forward` and :meth:`backward`, and put trainable
    arrays in ``self.params`` (gradients in ``self.grads``, same keys).
    """

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Return the layer's output for the batch ``x`` (examples are rows) and cache what backward needs."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(x, training=False)")

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Given dL/dy for the last forward call, fill ``self.grads`` and return dL/dx."""
        raise NotImplementedError(f"{type(self).__name__} must define backward(grad_output)")

    def parameter_gradients(self, grad_output: np.ndarray) -> None:
        """Given dL/dy, fill ``self.grads`` only; layers may override it to skip computing dL/dx."""
        self.backward(grad_output)

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return self.forward(x, training)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name}{value.shape}" for name, value in self.params.items())
        return f"{type(self).__name__}({shapes})"


def check_layer(layer: Layer, x: np.ndarray, *, training: bool = True, tol: float = 1e-7, seed: int = 0) -> float:
    """Gradient-check a layer's ``backward`` against central differences; return the worst relative error.

    Uses the scalar ``L = sum(layer.forward(x, training) * G)`` for a random ``G``, whose
    gradient with respect to the output is exactly ``G``: ``backward(G)`` must equal dL/dx
    and each ``grads[name]`` must equal dL/d``params[name]`` (see :func:`helpers.gradient_check`).
    ``forward`` must be deterministic (reseed a dropout layer's generator first).

    Args:
        layer: built with ``dtype=np.float64`` (float32 finite differences drown in round-off).
        x: a float64 input batch; perturbed in place during the check and restored.
        training: the mode passed to ``forward``.
        tol: the largest relative error accepted.
        seed: seed for ``G``.

    Raises:
        AssertionError: a gradient fails the check (the message names it).
        TypeError: ``x``, a parameter or the layer's output is not float64 (checked before the
            gradients, which would otherwise fail for a reason the message could not name).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"check_layer needs float64 arrays, but x is {got}; pass np.asarray(x, dtype=np.float64)")
    for name, value in layer.params.items():
        if value.dtype != np.float64:
            raise TypeError(f"check_layer needs float64 arrays, but {type(layer).__name__}.params[{name!r}] is "
                            f"{value.dtype}; build the layer with dtype=np.float64")
    output = layer.forward(x, training)
    if output.dtype != np.float64:
        raise TypeError(f"check_layer needs float64 arrays, but the layer's output is {output.dtype}; compute in float64")
    upstream = np.random.default_rng(seed).normal(size=output.shape)

    def loss():
        return np.sum(layer.forward(x, training) * upstream)

    loss()
    grad_x = layer.backward(upstream)
    grads = {name: grad.copy() for name, grad in layer.grads.items()}
    errors = [gradient_check(loss, x, grad_x, tol=tol, name="dL/dx")]
    for name, value in layer.params.items():
        errors.append(gradient_check(loss, value, grads[name], tol=tol, name=f"dL/d{name}"))
    return max(errors)


class WeightDecay:
    """L1 and L2 penalties on a weight matrix, as ``keras.regularizers.L1L2``: ``l1 * sum|W| + l2 * sum W**2``.

    ``penalty = decay(W)`` is the term added to the loss; ``decay.gradient(W)`` is its
    gradient ``l1 * sign(W) + 2 * l2 * W``, which :class:`Dense` adds to ``grads["W"]``.

    Raises:
        ValueError: ``l1`` or ``l2`` is negative.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        if min(l1, l2) < 0:
            raise ValueError(f"weight-decay strengths must be >= 0, got l1={l1}, l2={l2}")
        self.l1, self.l2 = l1, l2

    def __call__(self, W: np.ndarray) -> float:
        return float(self.l1 * np.abs(W).sum() + self.l2 * np.square(W).sum())

    def gradient(self, W: np.ndarray) -> np.ndarray:
        return self.l1 * np.sign(W) + 2 * self.l2 * W


def initial_weights(shape: tuple[int, ...], fan_in: int, fan_out: int, init: str, rng: np.random.Generator) -> np.ndarray:
    """Draw initial weights of ``shape`` (float64): He or Glorot, from the layer's fan-in and fan-out.

    ``"he"``: normal with variance 2 / fan_in, for ReLU networks. ``"glorot"``: uniform in
    +-sqrt(6 / (fan_in + fan_out)), for tanh and sigmoid (Keras's default). A Dense layer has
    fan_in = n_inputs and fan_out = n_outputs; a convolution multiplies both by the kernel's area.

    Raises:
        ValueError: ``init`` is neither ``"he"`` nor ``"glorot"``.
    """
    if init == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    if init == "glorot":
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)
    raise ValueError(f"init must be 'he' or 'glorot', got {init!r}")


class Dense(Layer):
    """A fully connected layer: ``y = x @ W + b``.

    Args:
        n_inputs: features per input example.
        n_outputs: units (features per output example).
        rng: the generator for the initial weights.
        init: ``"he"`` (normal, variance 2 / n_inputs, for ReLU) or ``"glorot"``
            (uniform in +-sqrt(6 / (n_inputs + n_outputs)), for tanh and sigmoid, as Keras's default).
        dtype: float32 for training, float64 for gradient checks.
        weight_decay: a :class:`WeightDecay` (or None): its penalty on ``W`` is returned by
            :meth:`penalty` and its gradient is added to ``grads["W"]``. Biases are not penalised.

    ``params``: ``W`` of shape (n_inputs, n_outputs) and ``b`` of shape (n_outputs,).
    ``forward(x)``: x of shape (m, n_inputs), cast to ``dtype``; returns shape (m, n_outputs).
    ``backward(g)``: g of shape (m, n_outputs); returns shape (m, n_inputs).

    Raises:
        ValueError: sizes are not positive, ``init`` is unknown, ``forward`` gets an
            input that is not 2-D with n_inputs columns, or ``backward`` a ``grad_output``
            whose shape is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self, n_inputs: int, n_outputs: int, *, rng: np.random.Generator, init: str = "he",
                 dtype=np.float32, weight_decay: "WeightDecay | None" = None):
        super().__init__()
        if min(n_inputs, n_outputs) < 1 or init not in ("he", "glorot"):
            raise ValueError(f"Dense needs sizes >= 1 and init 'he' or 'glorot'; got {n_inputs, n_outputs, init}")
        W = initial_weights((n_inputs, n_outputs), n_inputs, n_outputs, init, rng)
        self.params = {"W": W.astype(dtype), "b": np.zeros(n_outputs, dtype=dtype)}
        self.weight_decay, self.x = weight_decay, None

    def forward(self, x, training=False):
        W, b = self.params["W"], self.params["b"]
        self.x = check_batch(x, W.shape[0], "Dense").astype(W.dtype, copy=False)
        return self.x @ W + b

    def parameter_gradients(self, grad_output):
        output_shape = None if self.x is None else (len(self.x), self.params["W"].shape[1])
        grad_output = check_grad_output(grad_output, output_shape, "Dense")
        self.grads["W"] = self.x.T @ grad_output
        self.grads["b"] = grad_output.sum(axis=0)
        if self.weight_decay is not None:
            self.grads["W"] += self.weight_decay.gradient(self.params["W"])

    def backward(self, grad_output):
        self.parameter_gradients(grad_output)
        return grad_output @ self.params["W"].T

    def penalty(self) -> float:
        """Return the weight-decay term this layer adds to the loss (0.0 without weight decay)."""
        return 0.0 if self.weight_decay is None else self.weight_decay(self.params["W"])


class Activation(Layer):
    """An element-wise activation ``y = f(x)`` with no parameters; works on any shape.

    Subclasses define ``function(x)`` and ``derivative(x, y)`` (f'(x), given x and y = f(x)).
    ``backward`` multiplies the incoming gradient by f'(x) element-wise.

    Raises:
        TypeError: ``forward`` gets a non-numeric array.
        ValueError: ``backward`` gets a ``grad_output`` whose shape is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self):
        super().__init__()
        self.x = self.y = None

    def function(self, x):
        raise NotImplementedError

    def derivative(self, x, y):
        raise NotImplementedError

    def forward(self, x, training=False):
        self.x = np.asarray(x)
        if not np.issubdtype(self.x.dtype, np.number):
            raise TypeError(f"{type(self).__name__} needs a numeric array, got dtype {self.x.dtype}")
        self.y = self.function(self.x)
        return self.y

    def backward(self, grad_output):
        grad_output = check_grad_output(grad_output, None if self.y is None else self.y.shape, type(self).__name__)
        return grad_output * self.derivative(self.x, self.y)


class ReLU(Activation):
    """``max(0, x)``; derivative 1 where x > 0, else 0."""

    def function(self, x):
        return np.maximum(x, 0)

    def derivative(self, x, y):
        return x > 0


class LeakyReLU(Activation):
    """``x`` for x > 0, ``alpha * x`` otherwise (Keras's default alpha is 0.3; 0.01 is the other common choice)."""

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = alpha

    def function(self, x):
        return np.where(x > 0, x, self.alpha * x)

    def derivative(self, x, y):
        return np.where(x > 0, 1.0, self.alpha).astype(y.dtype, copy=False)


class Sigmoid(Activation):
    """``1 / (1 + exp(-x))``, computed without overflow; derivative ``y (1 - y)``."""

    def function(self, x):
        return 0.5 * (1 + np.tanh(0.5 * x))

    def derivative(self, x, y):
        return y * (1 - y)


class Tanh(Activation):
    """``tanh(x)``; derivative ``1 - y**2``."""

    def function(self, x):
        return np.tanh(x)

    def derivative(self, x, y):
        return 1 - y**2


class Dropout(Layer):
    """Inverted dropout: in training, zero each value with probability ``rate`` and scale the rest by 1 / (1 - rate).

    At inference (``training=False``) the layer is the identity, so nothing needs
    rescaling at test time: the expected activation is the same in both modes.

    Args:
        rate: the probability of dropping a value, in [0, 1).
        rng: the generator for the masks.

    ``forward(x, training)``: any shape; returns the same shape and dtype.
    ``backward(g)``: multiplies ``g`` by the mask of the last forward call.

    Raises:
        ValueError: ``rate`` is outside [0, 1), or ``backward`` gets a ``grad_output`` whose
            shape is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self, rate: float, *, rng: np.random.Generator):
        super().__init__()
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout rate is a probability in [0, 1), got {rate}")
        self.rate, self.rng, self.mask, self.shape = rate, rng, None, None

    def forward(self, x, training=False):
        x = np.asarray(x)
        self.shape = x.shape
        if not training or self.rate == 0:
            self.mask = 1.0
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.rate
        self.mask = keep.astype(x.dtype) / (1 - self.rate)
        return x * self.mask

    def backward(self, grad_output):
        return check_grad_output(grad_output, self.shape, "Dropout") * self.mask


def batch_norm_backward(grad_output, gamma, x_hat, inv_std, training):
    """Back-propagate through ``y = gamma * x_hat + beta`` with ``x_hat = (x - mean) * inv_std``.

    Args:
        grad_output: dL/dy, shape (m, ..., n); gamma: shape (n,); x_hat and inv_std: from the forward pass.
        training: True if mean and variance were the batch's (they depend on x), False if
            they were the running statistics (constants).

    Returns:
        ``(dL/dx, dL/dgamma, dL/dbeta)``. In training mode
        ``dx = inv_std / m * (m * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat))`` with
        ``dx_hat = grad_output * gamma`` and sums over the m values per feature.
    """
    axes = tuple(range(grad_output.ndim - 1))
    d_gamma, d_beta = (grad_output * x_hat).sum(axis=axes), grad_output.sum(axis=axes)
    d_x_hat = grad_output * gamma
    if not training:  # the running statistics are constants: the layer is an affine map
        return d_x_hat * inv_std, d_gamma, d_beta
    m = x_hat.size // x_hat.shape[-1]
    d_x = inv_std / m * (m * d_x_hat - d_x_hat.sum(axis=axes) - x_hat * (d_x_hat * x_hat).sum(axis=axes))
    return d_x, d_gamma, d_beta


class BatchNorm(Layer):
    """Batch normalisation over the last axis (features or channels), as ``keras.layers.BatchNormalization``.

    Training: ``x_hat = (x - mean) / sqrt(var + epsilon)`` with the mean and (biased)
    variance of the batch over every axis but the last; ``y = gamma * x_hat + beta``;
    the running statistics move towards the batch's:
    ``running = momentum * running + (1 - momentum) * batch``.
    Inference: the running mean and variance replace the batch's.

    Args:
        n_features: size of the last axis.
        momentum, epsilon: as Keras (defaults 0.99 and 1e-3).
        dtype: float32 for training, float64 for gradient checks.

    ``params``: ``gamma`` (ones) and ``beta`` (zeros), shape (n_features,).
    ``running_mean`` (zeros) and ``running_var`` (ones) are state, not trained.
    ``forward(x, training)``: x of shape (m, ..., n_features); returns the same shape.

    Raises:
        ValueError: bad arguments, an input with fewer than 2 axes or the wrong last axis, or
            a ``grad_output`` whose shape is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self, n_features: int, *, momentum: float = 0.99, epsilon: float = 1e-3, dtype=np.float32):
        super().__init__()
        if n_features < 1 or not 0 <= momentum < 1 or epsilon <= 0:
            raise ValueError(f"BatchNorm needs n >= 1, 0 <= momentum < 1, epsilon > 0; got {n_features, momentum, epsilon}")
        self.params = {"gamma": np.ones(n_features, dtype=dtype), "beta": np.zeros(n_features, dtype=dtype)}
        self.running_mean, self.running_var = np.zeros(n_features, dtype=dtype), np.ones(n_features, dtype=dtype)
        self.momentum, self.epsilon, self.cache = momentum, epsilon, None

    def forward(self, x, training=False):
        gamma, beta = self.params["gamma"], self.params["beta"]
        x = np.asarray(x, dtype=gamma.dtype)
        if x.ndim < 2 or x.shape[-1] != gamma.size:
            raise ValueError(f"BatchNorm({gamma.size}) needs shape (m, ..., {gamma.size}), got {x.shape}")
        axes = tuple(range(x.ndim - 1))
        mean, var = (x.mean(axis=axes), x.var(axis=axes)) if training else (self.running_mean, self.running_var)
        if training:  # move the running statistics towards the batch's
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        inv_std = 1 / np.sqrt(var + self.epsilon)
        x_hat = (x - mean) * inv_std
        self.cache = (x_hat, inv_std, training)
        return gamma * x_hat + beta

    def backward(self, grad_output):
        grad_output = check_grad_output(grad_output, None if self.cache is None else self.cache[0].shape, "BatchNorm")
        grad_x, d_gamma, d_beta = batch_norm_backward(grad_output, self.params["gamma"], *self.cache)
        self.grads["gamma"], self.grads["beta"] = d_gamma, d_beta
        return grad_x
