"""Optimizers of the from-scratch network, each matching a ``keras.optimizers`` class.

The contract: ``optimizer.step(params, grads)`` takes two equally long lists of
arrays (the trainable arrays and their gradients, in the same order at every
call) and updates each array of ``params`` *in place*. Per-array state (velocities,
running averages) lives in ``optimizer.state``, one dict per array, created at the
first call; ``optimizer.iterations`` counts the calls (Adam's ``t``).

Which Keras class each one matches (same defaults, same formulas):

==============  ===========================================================
``SGD``         ``keras.optimizers.SGD()``
``Momentum``    ``keras.optimizers.SGD(momentum=0.9)``
``Nesterov``    ``keras.optimizers.SGD(momentum=0.9, nesterov=True)``
``Adagrad``     ``keras.optimizers.Adagrad()``
``Adadelta``    ``keras.optimizers.Adadelta(learning_rate=1.0)`` (the paper's rule has no learning rate)
``RMSProp``     ``keras.optimizers.RMSprop()``
``Adam``        ``keras.optimizers.Adam()`` (up to where epsilon is added, see :class:`Adam`)
==============  ===========================================================
"""

import numpy as np


def check_hyperparameter(name: str, value: float, low: float, high: float, *, low_included: bool = False) -> float:
    """Return ``value`` after checking it lies in (low, high), or in [low, high) with ``low_included``.

    Every optimizer checks its hyper-parameters when it is built, so that ``Adam(beta_1=1)``
    fails at once with the valid range instead of turning the weights into NaN steps later.

    Raises:
        ValueError: ``value`` is outside the range, or NaN; the message names the parameter and its range.
    """
    if not ((low <= value if low_included else low < value) and value < high):
        interval = f"{'[' if low_included else '('}{low}, {high})"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return value


class Optimizer:
    """Base class: ``step(params, grads)`` updates every array of ``params`` in place.

    Subclasses define ``init_state(param) -> dict`` (arrays they keep per parameter)
    and ``update(param, grad, state)``.

    Raises:
        ValueError: a hyper-parameter is outside its range (``learning_rate`` must be in
            (0, inf); see :func:`check_hyperparameter`), or, from ``step``, the lists differ in
            length, a gradient's shape differs from its parameter's, or the parameters differ
            from those of the first call.
    """

    def __init__(self, learning_rate: float):
        self.learning_rate = check_hyperparameter("learning_rate", learning_rate, 0, np.inf)
        self.iterations, self.state, self.shapes = 0, None, None

    def init_state(self, param: np.ndarray) -> dict:
        return {}

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        params, grads = list(params), list(grads)
        shapes = [np.shape(p) for p in params]
        if shapes != [np.shape(g) for g in grads]:
            raise ValueError(f"each gradient needs its parameter's shape: params {shapes}, "
                             f"grads {[np.shape(g) for g in grads]}")
        if self.state is None:
            self.state, self.shapes = [self.init_state(p) for p in params], shapes
        if shapes != self.shapes:
            raise ValueError(f"this optimizer was first called with arrays of shapes {self.shapes} and now "
                             f"gets {shapes}; use a new optimizer for each model")
        self.iterations += 1
        for param, grad, state in zip(params, grads, self.state):
            self.update(param, grad, state)


class SGD(Optimizer):
    """Plain (mini-batch) gradient descent: ``w <- w - lr * g``."""

    def __init__(self, learning_rate: float = 0.01):
        super().__init__(learning_rate)

    def update(self, param, grad, state):
        param -= self.learning_rate * grad


class Momentum(Optimizer):
    """Gradient descent with momentum, Keras's form: ``v <- momentum * v - lr * g``; ``w <- w + v``.

    Many texts write ``v <- beta v + (1 - beta) g; w <- w - alpha v``: the same
    path with ``alpha = lr / (1 - beta)`` (v is then an average, not a sum, of gradients).
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.9):
        super().__init__(learning_rate)
        self.momentum = check_hyperparameter("momentum", momentum, 0, 1, low_included=True)

    def init_state(self, param):
        return {"velocity": np.zeros_like(param)}

    def update(self, param, grad, state):
        v = state["velocity"]
        v *= self.momentum
        v -= self.learning_rate * grad
        param += v


class Nesterov(Momentum):
    """Nesterov momentum (Keras's form): ``v <- momentum * v - lr * g``; ``w <- w + momentum * v - lr * g``.

    The step looks ahead: it applies the velocity *after* this update once more, which
    equals evaluating the gradient at the point momentum is about to carry w to.
    """

    def update(self, param, grad, state):
        v = state["velocity"]
        v *= self.momentum
        v -= self.learning_rate * grad
        param += self.momentum * v - self.learning_rate * grad


class Adagrad(Optimizer):
    """Adagrad: ``G <- G + g**2``; ``w <- w - lr * g / sqrt(G + eps)``; G starts at 0.1 as in Keras.

    Every weight gets its own step size, shrinking with the sum of its squared
    gradients: rare features keep large steps, but all steps decay for ever.
    """

    def __init__(self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.initial_accumulator_value = check_hyperparameter(
            "initial_accumulator_value", initial_accumulator_value, 0, np.inf, low_included=True)
        self.epsilon = check_hyperparameter("epsilon", epsilon, 0, np.inf)

    def init_state(self, param):
        return {"sum_sq": np.full_like(param, self.initial_accumulator_value)}

    def update(self, param, grad, state):
        state["sum_sq"] += grad**2
        param -= self.learning_rate * grad / np.sqrt(state["sum_sq"] + self.epsilon)


class Adadelta(Optimizer):
    """Adadelta: running averages of g**2 and of the squared steps set each weight's step size.

    ``E[g2] <- rho E[g2] + (1 - rho) g**2``; ``dw = -sqrt(E[dw2] + eps) / sqrt(E[g2] + eps) * g``;
    ``E[dw2] <- rho E[dw2] + (1 - rho) dw**2``; ``w <- w + lr * dw``. The paper has no
    learning rate (lr = 1, the default here); Keras's default is 0.001.
    """

    def __init__(self, learning_rate: float = 1.0, rho: float = 0.95, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = check_hyperparameter("rho", rho, 0, 1, low_included=True)
        self.epsilon = check_hyperparameter("epsilon", epsilon, 0, np.inf)

    def init_state(self, param):
        return {"avg_sq_grad": np.zeros_like(param), "avg_sq_step": np.zeros_like(param)}

    def update(self, param, grad, state):
        avg_g, avg_dw = state["avg_sq_grad"], state["avg_sq_step"]
        avg_g[...] = self.rho * avg_g + (1 - self.rho) * grad**2
        step = -np.sqrt(avg_dw + self.epsilon) / np.sqrt(avg_g + self.epsilon) * grad
        avg_dw[...] = self.rho * avg_dw + (1 - self.rho) * step**2
        param += self.learning_rate * step


class RMSProp(Optimizer):
    """RMSProp: ``s <- rho s + (1 - rho) g**2``; ``w <- w - lr * g / sqrt(s + eps)``. No bias correction.

    (Some write-ups divide by a bias-corrected ``s``: that belongs to Adam, not RMSProp.)
    """

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = check_hyperparameter("rho", rho, 0, 1, low_included=True)
        self.epsilon = check_hyperparameter("epsilon", epsilon, 0, np.inf)

    def init_state(self, param):
        return {"avg_sq_grad": np.zeros_like(param)}

    def update(self, param, grad, state):
        s = state["avg_sq_grad"]
        s[...] = self.rho * s + (1 - self.rho) * grad**2
        param -= self.learning_rate * grad / np.sqrt(s + self.epsilon)


class Adam(Optimizer):
    """Adam: momentum (``m``) plus RMSProp (``s``), both bias-corrected.

    ``m <- b1 m + (1 - b1) g``; ``s <- b2 s + (1 - b2) g**2``;
    ``m_hat = m / (1 - b1**t)``; ``s_hat = s / (1 - b2**t)`` (beta_2 here: a common
    slip uses beta_1); ``w <- w - lr * m_hat / (sqrt(s_hat) + eps)``.
    Keras adds epsilon to ``sqrt(s)`` before the bias correction instead, which differs
    only while ``sqrt(s_hat)`` is as small as epsilon.
    """

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.beta_1 = check_hyperparameter("beta_1", beta_1, 0, 1, low_included=True)
        self.beta_2 = check_hyperparameter("beta_2", beta_2, 0, 1, low_included=True)
        self.epsilon = check_hyperparameter("epsilon", epsilon, 0, np.inf)

    def init_state(self, param):
        return {"m": np.zeros_like(param), "s": np.zeros_like(param)}

    def update(self, param, grad, state):
        m, s, t = state["m"], state["s"], self.iterations
        m[...] = self.beta_1 * m + (1 - self.beta_1) * grad
        s[...] = self.beta_2 * s + (1 - self.beta_2) * grad**2
        m_hat = m / (1 - self.beta_1**t)
        s_hat = s / (1 - self.beta_2**t)
        param -= self.learning_rate * m_hat / (np.sqrt(s_hat) + self.epsilon)
