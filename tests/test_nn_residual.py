"""Tests of helpers.nn.residual: gradient checks in float64, agreement with a Keras block, training, bad input."""

import numpy as np
import pytest

import helpers
from conftest import assert_network_checks_and_learns
from helpers.nn import Adam, BatchNorm, Dense, ReLU, Residual, Sequential, SoftmaxCrossEntropy, basic_block, check_layer
from helpers.nn.conv import AvgPool2D, Conv2D, Flatten


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("in_channels, filters, stride", [(3, 3, 1), (2, 4, 1), (2, 3, 2)])
def test_basic_block_passes_gradient_check(in_channels, filters, stride):
    rng = np.random.default_rng(0)
    block = basic_block(in_channels, filters, stride=stride, rng=rng, dtype=np.float64)
    assert (block.projection is None) == (in_channels == filters and stride == 1)
    for value in block.params.values():
        value += 0.1 * rng.standard_normal(value.shape)  # non-zero biases too
    assert check_layer(block, rng.standard_normal((2, 5, 6, in_channels))) < 1e-7


def test_a_branch_with_batch_norm_passes_gradient_check():
    rng = np.random.default_rng(1)
    # BatchNorm after the ReLU: a bias just before BatchNorm has an exactly zero gradient (the mean is removed)
    block = Residual([Conv2D(3, 3, 3, padding="same", rng=rng, dtype=np.float64), ReLU(), BatchNorm(3, dtype=np.float64),
                      Conv2D(3, 3, 3, padding="same", rng=rng, dtype=np.float64)])
    assert check_layer(block, rng.standard_normal((4, 5, 5, 3)), training=True) < 1e-7


def test_identity_block_adds_its_input_and_passes_the_gradient_through():
    rng = np.random.default_rng(2)
    dense = Dense(4, 4, rng=rng, dtype=np.float64)
    block = Residual([dense])
    x, g = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    helpers.check_close(block.forward(x), x + dense.forward(x), rtol=1e-12, name="y = x + F(x)")
    dx = block.backward(g)
    helpers.check_close(dx, g + g @ dense.params["W"].T, rtol=1e-12, name="dx = dy + dF")
    assert set(block.grads) == set(block.params) == {"branch0.W", "branch0.b"}
    assert block.params["branch0.W"] is dense.params["W"], "params must be the sub-layers' own arrays"


@pytest.mark.parametrize("in_channels, filters, stride", [(3, 3, 1), (2, 4, 2)])
def test_basic_block_equals_the_same_block_in_keras(keras, in_channels, filters, stride):
    import tensorflow as tf

    rng = np.random.default_rng(3)
    block = basic_block(in_channels, filters, stride=stride, rng=rng, dtype=np.float64)
    for value in block.params.values():
        value += 0.1 * rng.standard_normal(value.shape)
    inputs = keras.Input((6, 6, in_channels), dtype="float64")
    conv1 = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", activation="relu", dtype="float64")
    conv2 = keras.layers.Conv2D(filters, 3, padding="same", dtype="float64")
    branch = conv2(conv1(inputs))
    shortcut_layers = []
    if block.projection is not None:
        shortcut_layers = [keras.layers.Conv2D(filters, 1, strides=stride, dtype="float64")]
    shortcut = shortcut_layers[0](inputs) if shortcut_layers else inputs
    model = keras.Model(inputs, keras.layers.Add(dtype="float64")([branch, shortcut]))
    conv1.set_weights([block.branch[0].params["W"], block.branch[0].params["b"]])
    conv2.set_weights([block.branch[2].params["W"], block.branch[2].params["b"]])
    if shortcut_layers:
        shortcut_layers[0].set_weights([block.projection.params["W"], block.projection.params["b"]])

    x = rng.standard_normal((2, 6, 6, in_channels))
    x_tf = tf.constant(x)
    upstream = rng.standard_normal(block.forward(x).shape)
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        y_tf = model(x_tf)
        loss = tf.reduce_sum(y_tf * upstream)
    dx_tf, dW1_tf = tape.gradient(loss, [x_tf, conv1.kernel])
    helpers.check_close(block.forward(x), y_tf.numpy(), rtol=1e-10, atol=1e-12, name="block output vs Keras")
    helpers.check_close(block.backward(upstream), dx_tf.numpy(), rtol=1e-10, atol=1e-12, name="dL/dx vs Keras")
    helpers.check_close(block.grads["branch0.W"], dW1_tf.numpy(), rtol=1e-10, atol=1e-12, name="dL/dW1 vs Keras")


def test_a_small_resnet_in_sequential_passes_gradient_check_and_learns():
    rng = np.random.default_rng(4)
    net = Sequential([Conv2D(1, 3, 3, padding="same", rng=rng, dtype=np.float64), ReLU(),
                      basic_block(3, 3, rng=rng, dtype=np.float64), ReLU(),
                      basic_block(3, 4, stride=2, rng=rng, dtype=np.float64), ReLU(),
                      AvgPool2D(3), Flatten(), Dense(4, 3, rng=rng, dtype=np.float64)])
    X, y = rng.standard_normal((6, 6, 6, 1)), rng.integers(0, 3, size=6)
    assert_network_checks_and_learns(net, X, y, "ResNet")


def test_float32_blocks_stay_float32():
    rng = np.random.default_rng(5)
    block = basic_block(2, 4, stride=2, rng=rng)
    y = block.forward(rng.random((2, 6, 6, 2), dtype=np.float32))
    assert y.dtype == np.float32 and y.shape == (2, 3, 3, 4)
    assert block.backward(np.ones_like(y)).dtype == np.float32
    assert "Residual(branch=[Conv2D" in repr(block) and "shortcut=Conv2D" in repr(block)


def test_bad_use_raises_clear_errors():
    rng = np.random.default_rng(6)
    with pytest.raises(ValueError, match="at least one layer"):
        Residual([])
    block = Residual([Conv2D(2, 4, 3, padding="same", rng=rng)])
    with pytest.raises(ValueError, match="projection=Conv2D"):
        block.forward(np.zeros((1, 5, 5, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        basic_block(2, 2, rng=rng).backward(np.zeros((1, 3, 3, 2)))
    fine = basic_block(2, 2, rng=rng)
    fine.forward(np.zeros((1, 3, 3, 2)))
    with pytest.raises(ValueError, match="dL/dy has the shape of y"):
        fine.backward(np.zeros((1, 3, 3, 3)))
