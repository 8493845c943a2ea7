"""Unit tests of helpers.nn.model: mini-batches, a whole network gradient-checked, fit, early stopping."""

import numpy as np
import pytest

from helpers import gradient_check, numerical_gradient
from helpers.nn import (
    MSE,
    SGD,
    Adam,
    BatchNorm,
    Dense,
    Dropout,
    EarlyStopping,
    Network,
    ReLU,
    Sequential,
    SoftmaxCrossEntropy,
    Tanh,
    WeightDecay,
    backward_to_parameters,
    minibatches,
)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_minibatches_cover_every_index_once(rng):
    batches = list(minibatches(10, 4, rng))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    assert np.concatenate(list(minibatches(5, 2))).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="batch_size"):
        list(minibatches(5, 0))


def test_whole_network_gradients(rng):
    """Backprop through Dense, BatchNorm, Tanh, ReLU, Dropout and the loss agrees with finite differences."""
    dropout = Dropout(0.3, rng=rng)
    model = Network([
        Dense(5, 6, rng=rng, dtype=np.float64, weight_decay=WeightDecay(l2=0.01)), BatchNorm(6, dtype=np.float64), Tanh(),
        Dense(6, 4, rng=rng, dtype=np.float64), ReLU(), dropout, Dense(4, 3, rng=rng, dtype=np.float64, weight_decay=WeightDecay(l1=0.01)),
    ])  # fmt: skip
    X, y, loss = rng.normal(size=(8, 5)), rng.integers(0, 3, size=8), SoftmaxCrossEntropy()

    def total_loss() -> float:
        dropout.rng = np.random.default_rng(3)  # the same mask at every evaluation
        return loss.forward(model.forward(X, training=True), y) + model.penalty()

    total_loss()
    grad_X = model.backward(loss.backward())
    analytic = [g.copy() for g in model.gradients()]
    gradient_check(total_loss, X, grad_X, tol=1e-6, name="dL/dX")
    for index, (param, grad) in enumerate(zip(model.parameters(), analytic)):
        if index == 1:  # the bias before BatchNorm cancels out: its gradient is 0 (a relative error is meaningless)
            np.testing.assert_allclose(grad, numerical_gradient(total_loss, param), atol=1e-9)
            np.testing.assert_allclose(grad, 0, atol=1e-12)
            continue
        gradient_check(total_loss, param, grad, tol=1e-6, name=f"parameter {index}")


def _fail(_grad_output):
    raise AssertionError("training must not compute this input gradient")


def test_backward_to_parameters_gives_the_gradients_of_backward_without_input_gradients(rng):
    """Training skips the layers below the lowest trainable one and that layer's dL/dx; parameter gradients agree."""
    first, bottom = Dense(5, 4, rng=rng), ReLU()
    model = Network([bottom, first, Tanh(), BatchNorm(4), Dense(4, 3, rng=rng)])
    X, G = rng.normal(size=(6, 5)).astype(np.float32), rng.normal(size=(6, 3)).astype(np.float32)
    model.forward(X, training=True)
    model.backward(G)
    full = [grad.copy() for grad in model.gradients()]
    first.backward = bottom.backward = _fail  # neither may run now
    assert backward_to_parameters(model.layers, G) is None
    for expected, got in zip(full, model.gradients(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_backward_to_parameters_uses_the_default_parameter_gradients_of_other_layers(rng):
    """A lowest trainable layer without its own parameter_gradients (BatchNorm) runs its backward."""
    model = Network([BatchNorm(3), Dense(3, 2, rng=rng)])
    X, G = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=(4, 2)).astype(np.float32)
    model.forward(X, training=True)
    model.backward(G)
    full = [grad.copy() for grad in model.gradients()]
    for layer in model.layers:
        layer.grads = {}
    backward_to_parameters(model.layers, G)
    for expected, got in zip(full, model.gradients(), strict=True):
        np.testing.assert_array_equal(got, expected)
    backward_to_parameters([ReLU()], G)  # nothing to train: nothing to do, no error


def test_fit_solves_xor_and_records_history(rng):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    model = Sequential([Dense(2, 3, rng=rng, init="glorot"), Tanh(), Dense(3, 1, rng=rng, init="glorot"), Tanh()])
    history = model.fit(X, y, loss=MSE(), optimizer=SGD(0.1), n_epochs=1000, batch_size=1, rng=rng)
    assert len(history["loss"]) == 1000 and history["loss"][-1] < 0.01
    np.testing.assert_allclose(model.predict(X), y, atol=0.2)
    assert model.evaluate(X, y, MSE()).keys() == {"loss"}


def test_fit_classification_with_validation_and_early_stopping(rng):
    X = rng.normal(size=(300, 4)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    model = Sequential([Dense(4, 16, rng=rng), ReLU(), Dense(16, 2, rng=rng)])
    history = model.fit(X[:200], y[:200], loss=SoftmaxCrossEntropy(), optimizer=Adam(0.01), n_epochs=200,
                        batch_size=32, rng=rng, validation_data=(X[200:], y[200:]), patience=3)
    assert set(history) == {"loss", "val_loss", "val_accuracy"}
    assert len(history["val_loss"]) < 200  # stopped early
    final = model.evaluate(X[200:], y[200:], SoftmaxCrossEntropy())
    assert final["loss"] == pytest.approx(min(history["val_loss"]), rel=1e-5)  # best weights restored
    assert final["accuracy"] > 0.9
    assert model.predict(X[:5]).dtype == np.float32


def test_early_stopping_logic():
    stopper, w = EarlyStopping(patience=2), np.array([1.0])
    assert not stopper.update(1.0, [w])
    w[0] = 2.0
    assert not stopper.update(1.5, [w])
    assert stopper.update(1.2, [w])
    stopper.restore([w])
    assert w[0] == 1.0
    with pytest.raises(ValueError):
        EarlyStopping(0)


def test_fit_bad_input_raises(rng):
    model = Sequential([Dense(2, 1, rng=rng)])
    with pytest.raises(ValueError, match="len"):
        model.fit(np.ones((4, 2)), np.ones((3, 1)), loss=MSE(), optimizer=SGD(), n_epochs=1, rng=rng)
    with pytest.raises(ValueError, match="validation_data"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), loss=MSE(), optimizer=SGD(), n_epochs=1, rng=rng, patience=2)
    with pytest.raises(ValueError, match="features"):
        model.predict(np.ones((4, 3)))


def test_fit_stops_at_a_nan_loss_and_names_the_epoch_and_step(rng):
    X = rng.normal(size=(40, 2)).astype(np.float32)
    y = rng.normal(size=(40, 1)).astype(np.float32)
    X[17, 0] = np.nan
    step = int(np.flatnonzero(np.random.default_rng(5).permutation(40) == 17)[0]) // 8 + 1  # the batch that holds row 17
    model = Sequential([Dense(2, 1, rng=rng)])
    with pytest.raises(FloatingPointError, match=rf"nan at epoch 1, step {step} of 5.*learning rate.*np\.isfinite"):
        model.fit(X, y, loss=MSE(), optimizer=SGD(0.01), n_epochs=2, batch_size=8, rng=np.random.default_rng(5))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_fit_stops_when_training_diverges(rng):
    X = rng.normal(size=(64, 3)).astype(np.float32) * 10
    y = rng.normal(size=(64, 1)).astype(np.float32)
    model = Sequential([Dense(3, 8, rng=rng), Tanh(), Dense(8, 1, rng=rng)])
    with pytest.raises(FloatingPointError, match=r"(inf|nan) at epoch \d+, step \d+ of 8.*lower the learning rate"):
        model.fit(X, y, loss=MSE(), optimizer=SGD(1e4), n_epochs=50, batch_size=8, rng=rng)
