"""Tests of helpers.nn.conv: shapes, gradient checks in float64, agreement with Keras, bad input."""

import numpy as np
import pytest

import helpers
from conftest import assert_network_checks_and_learns
from helpers.nn.conv import (
    AvgPool2D,
    Conv2D,
    Flatten,
    MaxPool2D,
    avg_pool_backward,
    avg_pool_forward,
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_output_size,
    im2col,
    max_pool_backward,
    max_pool_forward,
    pad_amounts,
)

# (input shape, kernel (kh, kw), filters, stride, padding): square and non-square, strides, both paddings.
CONV_CASES = [
    ((2, 5, 5, 1), (3, 3), 2, 1, "valid"),
    ((2, 6, 7, 3), (3, 2), 4, 2, "valid"),
    ((1, 5, 6, 2), (3, 3), 3, 1, "same"),
    ((2, 7, 6, 2), (2, 3), 2, 2, "same"),
    ((1, 4, 5, 2), (3, 3), 2, (1, 2), 1),
    ((2, 5, 9, 1), (3, 2), 3, 1, "valid"),  # one channel, ow > kw: im2col stores it offset-major
]
POOL_CASES = [
    ((2, 4, 6, 3), 2, None, "valid"),
    ((1, 5, 5, 2), 2, None, "valid"),
    ((1, 5, 7, 2), 3, 2, "valid"),
    ((2, 5, 5, 2), 2, None, "same"),
    ((1, 6, 5, 1), (3, 2), (2, 1), "same"),
]


@pytest.fixture(scope="module")
def keras():
    keras = pytest.importorskip("keras")
    return keras


def naive_conv(x, W, b, stride, pads):
    """Reference: the textbook loops, one dot product per output position."""
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    top, bottom, left, right = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw, _, filters = W.shape
    oh, ow = (xp.shape[1] - kh) // sh + 1, (xp.shape[2] - kw) // sw + 1
    y = np.zeros((x.shape[0], oh, ow, filters))
    for n in range(x.shape[0]):
        for r in range(oh):
            for q in range(ow):
                window = xp[n, r * sh : r * sh + kh, q * sw : q * sw + kw, :]
                for f in range(filters):
                    y[n, r, q, f] = np.sum(window * W[..., f]) + b[f]
    return y


def make_conv(x_shape, kernel, filters, stride, padding, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    layer = Conv2D(x_shape[3], filters, kernel, stride=stride, padding=padding, rng=rng, dtype=dtype)
    layer.params["b"][...] = rng.standard_normal(filters)
    x = rng.standard_normal(x_shape).astype(dtype)
    return layer, x


# --------------------------------------------------------------------------- sizes and im2col


@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected",
    [(4, 2, 1, "valid", 3), (28, 3, 1, "valid", 26), (28, 3, 1, "same", 28), (28, 3, 2, "same", 14),
     (7, 3, 2, "valid", 3), (7, 3, 2, 1, 4), (5, 5, 1, 0, 1), (5, 2, 2, "same", 3)],
)
def test_conv_output_size(size, kernel, stride, padding, expected):
    assert conv_output_size(size, kernel, stride, padding) == expected


def test_same_padding_puts_the_odd_row_after():
    assert pad_amounts(28, 3, 1, "same") == (1, 1)
    assert pad_amounts(6, 2, 2, "same") == (0, 0)
    assert pad_amounts(5, 2, 2, "same") == (0, 1)
    assert pad_amounts(7, 4, 1, "same") == (1, 2)


def test_im2col_rows_are_windows():
    x = np.arange(2 * 4 * 4 * 3, dtype=np.float64).reshape(2, 4, 4, 3)
    cols = im2col(x, 2, stride=2)
    assert cols.shape == (2 * 2 * 2, 2 * 2 * 3)
    helpers.check_close(cols[3], x[0, 2:4, 2:4, :].ravel(), name="window of output [0, 1, 1]")
    helpers.check_close(cols[4], x[1, 0:2, 0:2, :].ravel(), name="window of output [1, 0, 0]")


@pytest.mark.parametrize("x_shape, kernel, filters, stride, padding", CONV_CASES)
def test_col2im_is_the_adjoint_of_im2col(x_shape, kernel, filters, stride, padding):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(x_shape)
    cols = im2col(x, kernel, stride, padding)
    c = rng.standard_normal(cols.shape)
    assert np.isclose(np.sum(cols * c), np.sum(x * col2im(c, x_shape, kernel, stride, padding)), rtol=1e-12)


# --------------------------------------------------------------------------- convolution


@pytest.mark.parametrize("x_shape, kernel, filters, stride, padding", CONV_CASES)
def test_conv_forward_equals_naive_loops(x_shape, kernel, filters, stride, padding):
    layer, x = make_conv(x_shape, kernel, filters, stride, padding)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    pads = pad_amounts(x_shape[1], kernel[0], sh, padding) + pad_amounts(x_shape[2], kernel[1], sw, padding)
    expected = naive_conv(x, layer.params["W"], layer.params["b"], stride, pads)
    helpers.check_close(layer.forward(x), expected, rtol=1e-12, atol=1e-12, name="conv output")


@pytest.mark.parametrize("x_shape, kernel, filters, stride, padding", CONV_CASES)
def test_conv_backward_passes_gradient_check(x_shape, kernel, filters, stride, padding):
    layer, x = make_conv(x_shape, kernel, filters, stride, padding)
    upstream = np.random.default_rng(2).standard_normal(layer.forward(x).shape)

    def loss():
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    dx = layer.backward(upstream)
    helpers.gradient_check(loss, x, dx, tol=1e-7, name="dL/dx")
    for name in ("W", "b"):
        helpers.gradient_check(loss, layer.params[name], layer.grads[name], tol=1e-7, name=f"dL/d{name}")


@pytest.mark.parametrize("x_shape, kernel, filters, stride, padding", [c for c in CONV_CASES if isinstance(c[4], str)])
def test_conv_forward_and_backward_equal_keras(keras, x_shape, kernel, filters, stride, padding):
    import tensorflow as tf

    layer, x = make_conv(x_shape, kernel, filters, stride, padding)
    reference = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, dtype="float64")
    reference.build(x_shape)
    reference.set_weights([layer.params["W"], layer.params["b"]])
    x_tf = tf.constant(x)
    upstream = np.random.default_rng(3).standard_normal(layer.forward(x).shape)
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        y_tf = reference(x_tf)
        loss = tf.reduce_sum(y_tf * upstream)
    dx_tf, dW_tf, db_tf = tape.gradient(loss, [x_tf, reference.kernel, reference.bias])
    helpers.check_close(layer.forward(x), y_tf.numpy(), rtol=1e-10, atol=1e-12, name="conv output vs Keras")
    dx = layer.backward(upstream)
    helpers.check_close(dx, dx_tf.numpy(), rtol=1e-10, atol=1e-12, name="dL/dx vs Keras")
    helpers.check_close(layer.grads["W"], dW_tf.numpy(), rtol=1e-10, atol=1e-12, name="dL/dW vs Keras")
    helpers.check_close(layer.grads["b"], db_tf.numpy(), rtol=1e-10, atol=1e-12, name="dL/db vs Keras")


def test_conv_functions_match_the_layer_and_keep_float32():
    layer, x = make_conv((2, 6, 6, 2), (3, 3), 3, 1, "same", dtype=np.float32)
    y, cache = conv2d_forward(x, layer.params["W"], layer.params["b"], 1, "same")
    assert y.dtype == np.float32 and y.shape == (2, 6, 6, 3)
    helpers.check_close(y, layer.forward(x), name="conv2d_forward vs Conv2D.forward")
    dx, dW, db = conv2d_backward(np.ones_like(y), cache)
    assert dx.dtype == dW.dtype == db.dtype == np.float32
    assert dx.shape == x.shape and dW.shape == layer.params["W"].shape and db.shape == (3,)


def test_conv_parameter_gradients_skip_the_input_gradient():
    rng = np.random.default_rng(4)
    layer = Conv2D(2, 3, 3, padding="same", rng=rng)
    x, grad_y = rng.random((2, 5, 6, 2), dtype=np.float32), rng.random((2, 5, 6, 3), dtype=np.float32)
    _, cache = conv2d_forward(x, layer.params["W"], layer.params["b"], padding="same")
    dx, dW, db = conv2d_backward(grad_y, cache)
    assert conv2d_backward(grad_y, cache, input_gradient=False)[0] is None
    layer.forward(x, training=True)
    layer.parameter_gradients(grad_y)
    np.testing.assert_array_equal(layer.grads["W"], dW)
    np.testing.assert_array_equal(layer.grads["b"], db)
    with pytest.raises(RuntimeError, match="before forward"):
        Conv2D(2, 3, rng=rng).parameter_gradients(grad_y)


def test_sources_four_by_four_example():
    """The sources' 4x4 image and 2x2 identity-diagonal filter: each output adds a pixel and its lower-right neighbour."""
    image = np.array([[260.745, 261.332, 112.27, 262.351], [260.302, 208.802, 139.05, 230.709],
                      [261.775, 93.73, 166.118, 122.847], [259.56, 232.038, 262.351, 228.937]])
    kernel = np.array([[1.0, 0.0], [0.0, 1.0]])
    y, _ = conv2d_forward(image[None, :, :, None], kernel[:, :, None, None], np.zeros(1))
    assert y.shape == (1, 3, 3, 1)
    helpers.check_close(y[0, :, :, 0], image[:3, :3] + image[1:, 1:], rtol=1e-12, name="3x3 feature map")


# --------------------------------------------------------------------------- pooling


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("x_shape, pool, stride, padding", POOL_CASES)
def test_pool_backward_passes_gradient_check(kind, x_shape, pool, stride, padding):
    layer = (MaxPool2D if kind == "max" else AvgPool2D)(pool, stride, padding)
    x = np.random.default_rng(4).standard_normal(x_shape)
    upstream = np.random.default_rng(5).standard_normal(layer.forward(x).shape)

    def loss():
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    helpers.gradient_check(loss, x, layer.backward(upstream), tol=1e-7, name=f"{kind} pool dL/dx")


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("x_shape, pool, stride, padding", [c for c in POOL_CASES if isinstance(c[3], str)])
def test_pool_forward_and_backward_equal_keras(keras, kind, x_shape, pool, stride, padding):
    import tensorflow as tf

    layer = (MaxPool2D if kind == "max" else AvgPool2D)(pool, stride, padding)
    keras_class = keras.layers.MaxPooling2D if kind == "max" else keras.layers.AveragePooling2D
    reference = keras_class(pool_size=pool, strides=stride, padding=padding, dtype="float64")
    x = np.random.default_rng(6).standard_normal(x_shape)
    x_tf = tf.constant(x)
    upstream = np.random.default_rng(7).standard_normal(layer.forward(x).shape)
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        y_tf = reference(x_tf)
        loss = tf.reduce_sum(y_tf * upstream)
    helpers.check_close(layer.forward(x), y_tf.numpy(), rtol=1e-12, atol=1e-12, name=f"{kind} pool vs Keras")
    helpers.check_close(layer.backward(upstream), tape.gradient(loss, x_tf).numpy(), rtol=1e-12, atol=1e-12,
                        name=f"{kind} pool dL/dx vs Keras")


def test_max_pool_of_a_known_map():
    feature_map = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=np.float64)
    y, cache = max_pool_forward(feature_map[None, :, :, None])
    helpers.check_close(y[0, :, :, 0], np.array([[6.0, 8.0], [3.0, 4.0]]), name="max pool")
    dx = max_pool_backward(np.ones((1, 2, 2, 1)), cache)[0, :, :, 0]
    expected = np.zeros((4, 4))
    expected[1, 1] = expected[1, 3] = expected[2, 0] = expected[3, 3] = 1
    helpers.check_close(dx, expected, name="max pool switches")
    y_avg, cache_avg = avg_pool_forward(feature_map[None, :, :, None])
    helpers.check_close(y_avg[0, :, :, 0], np.array([[3.25, 5.25], [2.0, 2.0]]), name="avg pool")
    helpers.check_close(avg_pool_backward(np.ones((1, 2, 2, 1)), cache_avg), np.full((1, 4, 4, 1), 0.25),
                        name="avg pool gradient")


@pytest.mark.parametrize("stride", [None, 1])
def test_max_pool_sends_a_tied_gradient_to_the_first_maximum(stride):
    """ReLU maps are full of tied zeros: the gradient goes to the first in row-major order, as in TensorFlow."""
    x = np.array([[0.0, 2.0, 0.0], [2.0, 2.0, 1.0], [0.0, 0.0, 0.0]])[None, :, :, None]
    y, cache = max_pool_forward(x, 2, stride)
    dx = max_pool_backward(np.ones_like(y), cache)[0, :, :, 0]
    expected = np.zeros((3, 3))
    if stride is None:  # one window, the top-left 2x2: its first 2 is at (0, 1)
        expected[0, 1] = 1
    else:  # four overlapping windows: two pick (0, 1), one (1, 0), one (1, 1)
        expected[0, 1], expected[1, 0], expected[1, 1] = 2, 1, 1
    helpers.check_close(dx, expected, name="gradient of tied maxima")
    zeros, cache = max_pool_forward(np.zeros((1, 4, 4, 1)))
    dx = max_pool_backward(np.ones_like(zeros), cache)[0, :, :, 0]
    assert np.array_equal(np.argwhere(dx), [[0, 0], [0, 2], [2, 0], [2, 2]]), "all tied: the top left"


def test_pooling_rows_and_columns_are_not_swapped():
    """The sources' max_pooling sliced [col, row]; a non-square map catches that mistake."""
    x = np.random.default_rng(8).standard_normal((1, 4, 6, 1))
    y, _ = max_pool_forward(x)
    assert y.shape == (1, 2, 3, 1)
    assert y[0, 0, 2, 0] == x[0, 0:2, 4:6, 0].max()


# --------------------------------------------------------------------------- Flatten


def test_flatten_equals_keras_and_reshapes_back(keras):
    x = np.random.default_rng(9).standard_normal((3, 4, 5, 2))
    layer = Flatten()
    y = layer.forward(x)
    helpers.check_close(y, keras.layers.Flatten()(x).numpy(), name="Flatten vs Keras")
    grad = np.random.default_rng(10).standard_normal(y.shape)
    helpers.check_close(layer.backward(grad), grad.reshape(x.shape), name="Flatten backward")


# --------------------------------------------------------------------------- bad input


def test_bad_input_raises_clear_errors():
    rng = np.random.default_rng(0)
    layer = Conv2D(1, 4, 3, rng=rng)
    with pytest.raises(ValueError, match=r"x\[\.\.\., np\.newaxis\]"):
        layer.forward(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="expects 1 channels"):
        layer.forward(np.zeros((2, 28, 28, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        layer.forward(np.zeros((1, 2, 2, 1)))
    with pytest.raises(TypeError, match="numeric"):
        layer.forward(np.array([[[["a"]]]]))
    with pytest.raises(ValueError, match="padding"):
        Conv2D(1, 4, 3, rng=rng, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(1, 4, 0, rng=rng)
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(1, 4, (3, 3, 3), rng=rng)
    with pytest.raises(ValueError, match="stride"):
        MaxPool2D(2, stride=-1)
    with pytest.raises(ValueError, match="positive in_channels"):
        Conv2D(0, 4, 3, rng=rng)
    with pytest.raises(ValueError, match="one bias per filter"):
        conv2d_forward(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="kernel_h"):
        conv2d_forward(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 2)), np.zeros(2))
    _, pool_cache = max_pool_forward(np.zeros((1, 4, 4, 1)))
    with pytest.raises(ValueError, match="pooled output"):
        max_pool_backward(np.zeros((1, 3, 3, 1)), pool_cache)
    _, conv_cache = conv2d_forward(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"grad_output has shape \(1, 3, 3, 3\).*shape \(1, 3, 3, 2\)"):
        conv2d_backward(np.zeros((1, 3, 3, 3)), conv_cache)
    with pytest.raises(ValueError, match="im2col of images"):
        col2im(np.zeros((9, 5)), (1, 5, 5, 1), 3)
    with pytest.raises(ValueError, match="batch of shape"):
        Flatten().forward(np.zeros(5))
    for fresh in (Conv2D(1, 2, 3, rng=rng), MaxPool2D(), AvgPool2D(), Flatten()):
        with pytest.raises(RuntimeError, match="before forward"):
            fresh.backward(np.zeros((1, 2, 2, 1)))


# --------------------------------------------------------------------------- inside Sequential


def test_a_small_cnn_in_sequential_passes_gradient_check_and_learns():
    from helpers.nn import Dense, ReLU, Sequential

    rng = np.random.default_rng(11)
    net = Sequential([Conv2D(2, 3, 3, padding="same", rng=rng, dtype=np.float64), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(3 * 3 * 3, 4, rng=rng, dtype=np.float64)])
    X = rng.standard_normal((5, 6, 7, 2))
    y = rng.integers(0, 4, size=5)
    assert_network_checks_and_learns(net, X, y, "CNN")
