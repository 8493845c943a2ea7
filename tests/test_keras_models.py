"""Unit tests of helpers.keras_models: the shapes of notebook 26's CNN and its errors for bad input."""

import numpy as np
import pytest

import helpers  # noqa: F401  (configures TensorFlow before Keras loads)
from helpers.keras_models import build_mnist_cnn


def test_layer_shapes_and_parameter_count_on_mnist():
    model = build_mnist_cnn()
    shapes = {layer.name: tuple(layer.output.shape) for layer in model.layers}
    assert shapes["block1_relu"] == (None, 26, 26, 16)
    assert shapes["pool1"] == (None, 13, 13, 16)
    assert shapes["block2_relu"] == (None, 11, 11, 32)
    assert shapes["pool2"] == (None, 5, 5, 32)
    assert shapes["block3_relu"] == (None, 3, 3, 64)
    assert shapes["flatten"] == (None, 576)
    assert shapes["output"] == (None, 10)
    convs = 3 * 3 * (1 * 16 + 16 * 32 + 32 * 64)  # no biases
    batch_norms = 4 * (16 + 32 + 64)
    dense = 577 * 128 + 129 * 10
    assert model.count_params() == convs + batch_norms + dense


def test_output_is_a_probability_per_class():
    model = build_mnist_cnn(n_classes=3, input_shape=(20, 24, 2))
    probs = model(np.random.default_rng(0).random((5, 20, 24, 2), dtype=np.float32)).numpy()
    assert probs.shape == (5, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert np.all(probs > 0)


def test_training_moves_the_batch_norm_statistics_quickly():
    model = build_mnist_cnn()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    images = np.full((8, 28, 28, 1), 0.5, dtype=np.float32)
    model.fit(images, np.zeros(8, dtype=np.int64), epochs=1, batch_size=8, verbose=0)
    moving_variance = model.get_layer("block1_bn").moving_variance.numpy()
    # momentum 0.9: one step moves the running variance a tenth of the way from 1 to the batch's
    assert np.all(moving_variance < 0.95)


@pytest.mark.parametrize("n_classes", [1, 2.0, True, "10"])
def test_bad_class_count_is_rejected(n_classes):
    with pytest.raises(ValueError, match="n_classes must be an integer >= 2"):
        build_mnist_cnn(n_classes=n_classes)


@pytest.mark.parametrize("input_shape", [(28, 28), [28, 28, 1], (28, 28, 0), (28.0, 28, 1)])
def test_malformed_input_shape_is_rejected(input_shape):
    with pytest.raises(ValueError, match=r"input_shape must be \(height, width, channels\)"):
        build_mnist_cnn(input_shape=input_shape)


def test_too_small_images_are_rejected_with_the_minimum_size():
    build_mnist_cnn(input_shape=(18, 18, 1))
    with pytest.raises(ValueError, match="at least 18x18.*got 17x28; pad them first"):
        build_mnist_cnn(input_shape=(17, 28, 1))
