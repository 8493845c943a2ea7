"""Models of the from-scratch network: ``Network`` (a stack of layers) and ``Sequential`` (one that trains).

``Network`` runs layers forward and backward and predicts in batches;
``Sequential`` adds ``train_on_batch`` and ``fit`` with shuffled mini-batches, a
validation set, a history like Keras's, and early stopping (:class:`EarlyStopping`).
"""

import numpy as np


def minibatches(n_examples: int, batch_size: int, rng: np.random.Generator | None = None):
    """Yield index arrays that split ``range(n_examples)`` into mini-batches (the last may be smaller).

    Args:
        n_examples: how many examples there are.
        batch_size: examples per batch (>= 1).
        rng: shuffle with this generator; None keeps the order.

    Raises:
        ValueError: ``batch_size`` < 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = rng.permutation(n_examples) if rng is not None else np.arange(n_examples)
    for start in range(0, n_examples, batch_size):
        yield order[start : start + batch_size]


def backward_to_parameters(layers, grad_output) -> None:
    """Back-propagate dL/d(output) through ``layers`` only as far as training needs: every parameter's gradient.

    It stops at the lowest layer that has parameters and calls its ``parameter_gradients``,
    which skips that layer's input gradient (for a first Dense layer on 784 pixels, one of
    the largest matrix products of the step); layers below it are not visited. The
    parameter gradients are exactly those of a full ``Network.backward``.
    """
    lowest = next((i for i, layer in enumerate(layers) if layer.params), None)
    if lowest is None:
        return
    for layer in reversed(layers[lowest + 1 :]):
        grad_output = layer.backward(grad_output)
    layers[lowest].parameter_gradients(grad_output)


def train_epoch(model, X, y, loss, optimizer, batch_size: int, rng, epoch: int) -> float:
    """Train ``model`` for one epoch: ``train_on_batch`` on each mini-batch of ``X`` and ``y``; return the mean loss.

    The batches are shuffled by ``rng`` (see :func:`minibatches`).

    Every step's loss is checked (a scalar, so the check costs nothing): a NaN or inf loss
    means the weights have diverged or the data holds NaN or inf, and every later step
    would only spread it, so training stops there with a message that names the step.

    Raises:
        FloatingPointError: a batch's loss is NaN or inf; the message names ``epoch`` (counted
            from 1 by the caller), the step within it, and what to try.
    """
    batches, losses = list(minibatches(len(X), batch_size, rng)), []
    for step, batch in enumerate(batches, start=1):
        losses.append(model.train_on_batch(X[batch], y[batch], loss, optimizer))
        if not np.isfinite(losses[-1]):
            raise FloatingPointError(f"the training loss became {losses[-1]} at epoch {epoch}, step {step} of "
                                     f"{len(batches)}: lower the learning rate, or look for NaN or inf in the "
                                     "inputs and targets (np.isfinite(X).all())")
    return float(np.mean(losses))


class Network:
    """A stack of layers applied in order; examples are rows.

    Args:
        layers: objects following the :class:`helpers.nn.layers.Layer` contract.

    ``parameters()`` and ``gradients()`` list every layer's arrays in the same order,
    ready for ``optimizer.step``; ``penalty()`` sums the layers' weight-decay terms.
    ``predict(X)`` runs in inference mode, in batches of ``batch_size`` rows.
    """

    def __init__(self, layers=()):
        self.layers = list(layers)

    def add(self, layer) -> None:
        self.layers.append(layer)

    def forward(self, x, training=False):
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad_output):
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def parameters(self) -> list:
        return [layer.params[name] for layer in self.layers for name in layer.params]

    def gradients(self) -> list:
        return [layer.grads[name] for layer in self.layers for name in layer.params]

    def penalty(self) -> float:
        return sum(layer.penalty() for layer in self.layers if hasattr(layer, "penalty"))

    def predict(self, X, batch_size: int = 1024):
        return np.concatenate([self.forward(X[i], training=False) for i in minibatches(len(X), batch_size)])


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` epochs, and restore the best weights.

    ``update(val_loss, params) -> bool``: remember a copy of ``params`` whenever the loss
    improves; return True when training should stop. ``restore(params)`` copies the best
    weights back in place (BatchNorm's running statistics are not restored).
    """

    def __init__(self, patience: int):
        if patience < 1:
            raise ValueError(f"patience must be at least 1 epoch, got {patience}")
        self.patience, self.best_loss, self.best_params, self.wait = patience, np.inf, None, 0

    def update(self, val_loss: float, params: list) -> bool:
        if val_loss < self.best_loss:
            self.best_loss, self.best_params, self.wait = val_loss, [p.copy() for p in params], 0
        else:
            self.wait += 1
        return self.wait >= self.patience

    def restore(self, params: list) -> None:
        for param, best in zip(params, self.best_params):
            param[...] = best


class Sequential(Network):
    """A network that trains with ``fit``, like ``keras.Sequential``.

    ``train_on_batch(X, y, loss, optimizer) -> float``: one forward, backward (with
    :func:`backward_to_parameters`) and update step; returns the batch loss (plus any weight-decay penalty).

    ``evaluate(X, y, loss) -> dict``: ``{"loss": ...}`` in inference mode, plus
    ``"accuracy"`` when the loss has an ``accuracy`` method.

    ``fit(X, y, *, loss, optimizer, n_epochs, batch_size, rng, validation_data=None,
    patience=None) -> dict``: ``n_epochs`` passes over ``X`` (shape (m, ...)) and ``y``
    in batches shuffled by ``rng``. Returns the history: ``"loss"`` (mean batch loss
    per epoch) and, with ``validation_data=(X_val, y_val)``, ``"val_loss"`` and
    ``"val_accuracy"`` (for classification losses). With ``patience``, stops early on the
    validation loss and restores the best weights.

    Each epoch is one :func:`train_epoch`, which stops training at the first NaN or inf loss.

    Raises:
        ValueError: ``X`` and ``y`` have different lengths, or ``patience`` is given
            without ``validation_data``.
        FloatingPointError: a batch's loss is NaN or inf (the message names the epoch and step).
    """

    def train_on_batch(self, X, y, loss, optimizer) -> float:
        value = loss.forward(self.forward(X, training=True), y) + self.penalty()
        backward_to_parameters(self.layers, loss.backward())
        optimizer.step(self.parameters(), self.gradients())
        return value

    def evaluate(self, X, y, loss) -> dict:
        y_pred = self.predict(X)
        result = {"loss": loss.forward(y_pred, y) + self.penalty()}
        if hasattr(loss, "accuracy"):
            result["accuracy"] = loss.accuracy(y_pred, y)
        return result

    def fit(self, X, y, *, loss, optimizer, n_epochs, batch_size=32, rng, validation_data=None, patience=None):
        if len(X) != len(y) or (patience is not None and validation_data is None):
            raise ValueError(f"fit needs len(X) == len(y) (got {len(X)} and {len(y)}) and validation_data for patience")
        history, stopper = {"loss": []}, EarlyStopping(patience) if patience else None
        for epoch in range(1, n_epochs + 1):
            history["loss"].append(train_epoch(self, X, y, loss, optimizer, batch_size, rng, epoch))
            if validation_data is not None:
                for key, value in self.evaluate(*validation_data, loss).items():
                    history.setdefault("val_" + key, []).append(value)
                if stopper and stopper.update(history["val_loss"][-1], self.parameters()):
                    break
        if stopper:
            stopper.restore(self.parameters())
        return history
