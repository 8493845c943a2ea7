"""Unit tests of helpers.nn.layers: every backward pass is gradient-checked in float64, bad input raises."""

import re

import numpy as np
import pytest

from helpers import gradient_check
from helpers.nn import BatchNorm, Dense, Dropout, Layer, LeakyReLU, ReLU, Sigmoid, Tanh, WeightDecay, check_batch, check_layer


def check_layer_gradients(layer: Layer, x: np.ndarray, training: bool = True, reseed=None, tol: float = 1e-7) -> None:
    """Gradient-check dL/dx and every dL/dparam of ``layer`` for L = sum(forward(x) * G), G random."""
    rng = np.random.default_rng(42)
    if reseed:
        reseed()
    upstream = rng.normal(size=layer.forward(x, training).shape)

    def loss() -> float:
        if reseed:
            reseed()
        return float(np.sum(layer.forward(x, training) * upstream))

    loss()
    grad_x = layer.backward(upstream)
    analytic = {name: grad.copy() for name, grad in layer.grads.items()}
    assert grad_x.shape == x.shape
    gradient_check(loss, x, grad_x, tol=tol, name=f"{type(layer).__name__} dL/dx")
    assert set(analytic) == set(layer.params)
    for name, value in layer.params.items():
        assert analytic[name].shape == value.shape
        gradient_check(loss, value, analytic[name], tol=tol, name=f"{type(layer).__name__} dL/d{name}")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("init", ["he", "glorot"])
def test_dense_gradients(rng, init):
    layer = Dense(4, 3, rng=rng, init=init, dtype=np.float64)
    layer.params["b"][:] = rng.normal(size=3)
    check_layer_gradients(layer, rng.normal(size=(5, 4)))


def test_dense_weight_decay_gradients_and_penalty(rng):
    layer = Dense(4, 3, rng=rng, dtype=np.float64, weight_decay=WeightDecay(l1=0.01, l2=0.1))
    x, upstream = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    W = layer.params["W"]

    def loss() -> float:
        return float(np.sum(layer.forward(x) * upstream)) + layer.penalty()

    loss()
    layer.backward(upstream)
    gradient_check(loss, W, layer.grads["W"].copy(), tol=1e-7, name="dense W with penalty")
    assert layer.penalty() == pytest.approx(0.01 * np.abs(W).sum() + 0.1 * np.square(W).sum())
    assert Dense(4, 3, rng=rng).penalty() == 0.0


def test_dense_shapes_dtype_and_init_scale(rng):
    layer = Dense(784, 256, rng=rng)
    assert layer.params["W"].dtype == np.float32 and layer.params["b"].dtype == np.float32
    assert layer.params["W"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.02)
    out = layer.forward(np.ones((3, 784)))
    assert out.shape == (3, 256) and out.dtype == np.float32
    glorot = Dense(100, 50, rng=rng, init="glorot").params["W"]
    assert np.abs(glorot).max() <= np.sqrt(6 / 150)


@pytest.mark.parametrize("layer", [ReLU(), LeakyReLU(0.1), Sigmoid(), Tanh()], ids=lambda layer: type(layer).__name__)
def test_activation_gradients(rng, layer):
    x = rng.normal(size=(6, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink of ReLU and leaky ReLU
    check_layer_gradients(layer, x)


def test_activation_values(rng):
    x = rng.normal(size=(4, 3)) * 5
    np.testing.assert_allclose(ReLU()(x), np.maximum(x, 0))
    np.testing.assert_allclose(LeakyReLU(0.2)(x), np.where(x > 0, x, 0.2 * x))
    np.testing.assert_allclose(Sigmoid()(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    assert Sigmoid()(np.array([[-1000.0, 1000.0]])).tolist() == [[0.0, 1.0]]  # no overflow warning
    for layer in (ReLU(), LeakyReLU(), Sigmoid(), Tanh()):
        assert layer(x.astype(np.float32)).dtype == np.float32
        assert layer.backward(np.ones((4, 3), np.float32)).dtype == np.float32


def test_dropout_gradients_and_modes(rng):
    layer = Dropout(0.4, rng=rng)

    def reseed():
        layer.rng = np.random.default_rng(7)

    check_layer_gradients(layer, rng.normal(size=(8, 6)), reseed=reseed)
    x = np.ones((2000, 50), dtype=np.float32)
    y = layer(x, training=True)
    assert y.dtype == np.float32
    assert set(np.unique(y).tolist()) == {0.0, np.float32(1 / 0.6)}
    assert np.mean(y == 0) == pytest.approx(0.4, abs=0.01)
    assert y.mean() == pytest.approx(1.0, abs=0.02)  # inverted dropout keeps the expectation
    assert layer(x, training=False) is x or np.array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)


@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 2, 3)])
def test_batchnorm_gradients_training(rng, shape):
    layer = BatchNorm(3, dtype=np.float64)
    layer.params["gamma"][:] = rng.normal(size=3)
    layer.params["beta"][:] = rng.normal(size=3)
    check_layer_gradients(layer, rng.normal(size=shape) * 2 + 1)


def test_batchnorm_gradients_inference(rng):
    layer = BatchNorm(3, dtype=np.float64)
    layer.running_mean, layer.running_var = rng.normal(size=3), rng.uniform(0.5, 2, size=3)
    layer.params["gamma"][:] = rng.normal(size=3)
    check_layer_gradients(layer, rng.normal(size=(5, 3)), training=False)


def test_batchnorm_statistics(rng):
    layer = BatchNorm(4, momentum=0.9)
    x = (rng.normal(size=(500, 4)) * [1, 2, 3, 4] + [5, 6, 7, 8]).astype(np.float32)
    y = layer(x, training=True)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-3), rtol=1e-4)
    np.testing.assert_allclose(layer.running_mean, 0.1 * x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * x.var(axis=0), rtol=1e-5)
    assert layer.running_mean.dtype == np.float32 and y.dtype == np.float32


@pytest.mark.parametrize(
    "make, x, error",
    [
        (lambda r: Dense(3, 2, rng=r), np.ones((4, 5)), ValueError),
        (lambda r: Dense(3, 2, rng=r), np.ones(3), ValueError),
        (lambda r: Dense(3, 2, rng=r), np.array([["a", "b", "c"]]), TypeError),
        (lambda r: ReLU(), np.array(["a"]), TypeError),
        (lambda r: BatchNorm(3), np.ones((4, 2)), ValueError),
        (lambda r: BatchNorm(3), np.ones(3), ValueError),
    ],
)
def test_bad_input_raises(rng, make, x, error):
    with pytest.raises(error):
        make(rng).forward(x)


def test_bad_arguments_raise(rng):
    for make in (
        lambda: Dense(0, 2, rng=rng),
        lambda: Dense(2, 2, rng=rng, init="zeros"),
        lambda: WeightDecay(l2=-1),
        lambda: Dropout(1.0, rng=rng),
        lambda: Dropout(-0.1, rng=rng),
        lambda: BatchNorm(3, momentum=1.0),
        lambda: BatchNorm(3, epsilon=0),
    ):
        with pytest.raises(ValueError):
            make()


def test_backward_before_forward_raises(rng):
    for layer in (Dense(2, 2, rng=rng), ReLU(), Dropout(0.5, rng=rng), BatchNorm(2)):
        with pytest.raises(RuntimeError, match="before forward"):
            layer.backward(np.ones((1, 2)))
    with pytest.raises(NotImplementedError):
        Layer().forward(np.ones((1, 2)))


def test_check_batch_message():
    with pytest.raises(ValueError, match="reshape"):
        check_batch(np.ones(4), 4, "Dense")
    assert check_batch([[1, 2]], 2, "Dense").shape == (1, 2)


def test_check_layer_passes_good_layers_and_catches_a_broken_one(rng):
    assert check_layer(Dense(3, 2, rng=rng, dtype=np.float64), rng.normal(size=(4, 3))) < 1e-7
    assert check_layer(BatchNorm(3, dtype=np.float64), rng.normal(size=(6, 3)), training=False) < 1e-7

    class BrokenTanh(Tanh):
        def derivative(self, x, y):
            return 1 - y  # should be 1 - y**2

    with pytest.raises(AssertionError, match="dL/dx"):
        check_layer(BrokenTanh(), rng.normal(size=(4, 3)))
    with pytest.raises(TypeError):
        check_layer(ReLU(), rng.normal(size=(4, 3)).astype(np.float32))


def test_check_layer_checks_every_dtype_before_running_the_layer(rng):
    """A float32 layer (or input) is a TypeError that says what to change, not a misleading gradient failure."""
    calls = []

    class CountingDense(Dense):
        def forward(self, x, training=False):
            calls.append(1)
            return super().forward(x, training)

    x64 = rng.normal(size=(4, 3))
    with pytest.raises(TypeError, match=r"params\['W'\] is float32.*dtype=np\.float64"):
        check_layer(CountingDense(3, 2, rng=rng), x64)  # float32 layer, float64 x
    with pytest.raises(TypeError, match=r"x is float32.*np\.float64"):
        check_layer(CountingDense(3, 2, rng=rng, dtype=np.float64), x64.astype(np.float32))
    with pytest.raises(TypeError, match="x is list"):
        check_layer(ReLU(), x64.tolist())
    assert calls == []  # every dtype is checked before the layer runs
    mixed = Dense(3, 2, rng=rng, dtype=np.float64)
    mixed.params["b"] = mixed.params["b"].astype(np.float32)
    with pytest.raises(TypeError, match=r"params\['b'\] is float32"):
        check_layer(mixed, x64)

    class Float32Output(Layer):  # no parameters, but computes in float32
        def forward(self, x, training=False):
            return np.asarray(x, dtype=np.float32) * 2

        def backward(self, grad_output):
            return 2 * grad_output

    with pytest.raises(TypeError, match="output is float32"):
        check_layer(Float32Output(), x64)


def _grad_output_cases():
    """(name, make the layer, input shape, training): every layer of helpers.nn with a backward pass."""
    from helpers.nn.conv import AvgPool2D, Conv2D, Flatten, MaxPool2D

    return [
        ("Dense", lambda r: Dense(4, 3, rng=r), (5, 4), True),
        ("ReLU", lambda r: ReLU(), (5, 3), True),
        ("LeakyReLU", lambda r: LeakyReLU(), (5, 3), True),
        ("Sigmoid", lambda r: Sigmoid(), (5, 3), True),
        ("Tanh", lambda r: Tanh(), (5, 3), True),
        ("Dropout-training", lambda r: Dropout(0.5, rng=r), (5, 3), True),
        ("Dropout-inference", lambda r: Dropout(0.5, rng=r), (5, 3), False),
        ("BatchNorm-training", lambda r: BatchNorm(3), (5, 3), True),
        ("BatchNorm-inference", lambda r: BatchNorm(3), (5, 3), False),
        ("BatchNorm-images", lambda r: BatchNorm(3), (2, 4, 4, 3), True),
        ("Conv2D", lambda r: Conv2D(3, 2, 3, rng=r, padding="same"), (2, 4, 4, 3), True),
        ("MaxPool2D", lambda r: MaxPool2D(2), (2, 4, 4, 3), True),
        ("AvgPool2D", lambda r: AvgPool2D(2), (2, 4, 4, 3), True),
        ("Flatten", lambda r: Flatten(), (2, 4, 4, 3), True),
    ]


@pytest.mark.parametrize("name, make, shape, training", _grad_output_cases(), ids=[c[0] for c in _grad_output_cases()])
def test_backward_rejects_a_wrongly_shaped_grad_output_before_touching_state(rng, name, make, shape, training):
    layer = make(rng)
    y = layer.forward(rng.normal(size=shape).astype(np.float32), training=training)
    good = np.ones_like(y)
    layer.backward(good)
    grads = {key: value.copy() for key, value in layer.grads.items()}
    # shapes NumPy would broadcast silently (one row, one column, a row vector) or that hold the same numbers
    wrong_shapes = [(1,) + y.shape[1:], y.shape[:-1] + (1,), y.shape[1:], (y.size,), y.shape[:-1] + (y.shape[-1] + 1,)]
    for wrong in wrong_shapes:
        for method in (layer.backward, layer.parameter_gradients):
            with pytest.raises(ValueError, match=rf"{re.escape(str(wrong))}.*{re.escape(str(y.shape))}"):
                method(np.ones(wrong, dtype=np.float32))
            for key, value in layer.grads.items():
                np.testing.assert_array_equal(value, grads[key], err_msg=f"{name}: grads[{key!r}] changed")
    assert layer.backward(good).shape == shape  # the layer still works
