"""Unit tests of helpers.nn.losses: values agree with keras.losses, gradients are checked numerically."""

import numpy as np
import pytest

from helpers import gradient_check
from helpers.nn import MSE, BinaryCrossEntropy, SoftmaxCrossEntropy, softmax

keras = pytest.importorskip("keras")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def check_loss_gradient(loss, y_pred, y_true):
    loss.forward(y_pred, y_true)
    grad = loss.backward()
    assert grad.shape == y_pred.shape and grad.dtype == y_pred.dtype
    gradient_check(lambda: loss.forward(y_pred, y_true), y_pred, grad, tol=1e-7, name=f"{type(loss).__name__} gradient")


def test_softmax_rows_sum_to_one_without_overflow():
    p = softmax(np.array([[1000.0, 1000.0, 0.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [0.5, 0.5, 0.0])


def test_mse(rng):
    y_pred, y_true = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    expected = float(keras.losses.MeanSquaredError()(y_true, y_pred))
    assert MSE()(y_pred, y_true) == pytest.approx(expected, rel=1e-6)
    check_loss_gradient(MSE(), y_pred, y_true)


def test_softmax_cross_entropy_labels_and_one_hot(rng):
    logits, labels = rng.normal(size=(7, 4)) * 3, rng.integers(0, 4, size=7)
    one_hot = np.eye(4)[labels]
    sparse = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits))
    dense = float(keras.losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits))
    assert SoftmaxCrossEntropy()(logits, labels) == pytest.approx(sparse, rel=1e-6)
    assert SoftmaxCrossEntropy()(logits, one_hot) == pytest.approx(dense, rel=1e-6)
    check_loss_gradient(SoftmaxCrossEntropy(), logits, labels)
    check_loss_gradient(SoftmaxCrossEntropy(), logits, one_hot)
    big = SoftmaxCrossEntropy()(np.array([[1000.0, 0.0]]), np.array([1]))
    assert big == pytest.approx(1000.0)  # stable: no inf, no nan
    assert SoftmaxCrossEntropy().accuracy(logits, labels) == np.mean(logits.argmax(axis=1) == labels)
    assert SoftmaxCrossEntropy().accuracy(logits, one_hot) == np.mean(logits.argmax(axis=1) == labels)


def test_float32_in_float32_out(rng):
    logits = rng.normal(size=(5, 3)).astype(np.float32)
    loss = SoftmaxCrossEntropy()
    assert isinstance(loss(logits, np.array([0, 1, 2, 0, 1])), float)
    assert loss.backward().dtype == np.float32


@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_cross_entropy(rng, from_logits):
    z, y_true = rng.normal(size=(8, 2)), rng.integers(0, 2, size=(8, 2)).astype(float)
    y_pred = z if from_logits else 1 / (1 + np.exp(-z))
    expected = float(keras.losses.BinaryCrossentropy(from_logits=from_logits)(y_true, y_pred))
    loss = BinaryCrossEntropy(from_logits=from_logits)
    assert loss(y_pred, y_true) == pytest.approx(expected, rel=1e-5)
    check_loss_gradient(loss, y_pred, y_true)
    assert loss.accuracy(y_pred, y_true) == np.mean((z > 0) == (y_true > 0.5))
    assert BinaryCrossEntropy(from_logits=True)(np.array([[800.0]]), np.array([[0.0]])) == pytest.approx(800.0)


@pytest.mark.parametrize(
    "loss, y_pred, y_true",
    [
        (MSE(), np.ones((4, 1)), np.ones(4)),
        (MSE(), np.ones(4), np.ones(4)),
        (BinaryCrossEntropy(), np.ones((4, 1)) / 2, np.ones(4)),
        (SoftmaxCrossEntropy(), np.ones((4, 3)), np.array([0, 1, 2, 3])),
        (SoftmaxCrossEntropy(), np.ones((4, 3)), np.array([0.0, 1, 2, 1])),
        (SoftmaxCrossEntropy(), np.ones((4, 3)), np.ones((4, 2))),
    ],
)
def test_bad_targets_raise(loss, y_pred, y_true):
    with pytest.raises(ValueError):
        loss(y_pred, y_true)


def test_backward_before_forward_raises():
    for loss in (MSE(), SoftmaxCrossEntropy(), BinaryCrossEntropy()):
        with pytest.raises(RuntimeError, match="before forward"):
            loss.backward()


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("bad", [2.0, -1.0, np.nan, 255.0])
def test_binary_cross_entropy_rejects_targets_outside_0_1(from_logits, bad):
    y_pred, y_true = np.full((4, 1), 0.3), np.array([[0.0], [1.0], [0.5], [bad]])
    with pytest.raises(ValueError, match=r"BinaryCrossEntropy needs targets in \[0, 1\]"):
        BinaryCrossEntropy(from_logits=from_logits)(y_pred, y_true)


def test_probability_targets_are_checked_the_same_way_in_every_classification_loss():
    logits = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"SoftmaxCrossEntropy needs targets in \[0, 1\]"):
        SoftmaxCrossEntropy()(logits, np.array([[0.0, 2.0, -1.0], [1.0, 0.0, 0.0]]))
    assert SoftmaxCrossEntropy()(logits, np.array([[0.1, 0.8, 0.1], [1.0, 0.0, 0.0]])) == pytest.approx(np.log(3))
    assert MSE()(logits, np.full((2, 3), -5.0)) == pytest.approx(25.0)  # regression targets may be any number
    for loss in (MSE(), SoftmaxCrossEntropy(), BinaryCrossEntropy()):
        with pytest.raises(TypeError, match="numeric"):
            loss(np.zeros((2, 1)), np.array([["a"], ["b"]]))
