"""The Keras CNN that notebook 26 trains on MNIST, so that the benchmarks can train the same model.

Import :mod:`helpers` (or call ``helpers.setup_notebook(keras=True)``) before this module, so that
TensorFlow is configured before Keras loads.
"""

import keras
from keras import layers

MIN_SIDE = 18  # three valid 3x3 convolutions and two 2x2 poolings leave at least one unit


def _conv_block(n_filters: int, name: str) -> list[layers.Layer]:
    """A valid 3x3 convolution without bias, batch normalisation (whose shift replaces it), ReLU.

    BN momentum 0.9: the running statistics catch up within tens of steps, as a short run needs.
    """
    return [
        layers.Conv2D(n_filters, 3, use_bias=False, name=f"{name}_conv"),
        layers.BatchNormalization(momentum=0.9, name=f"{name}_bn"),
        layers.ReLU(name=f"{name}_relu"),
    ]


def _is_shape(input_shape) -> bool:
    """True if ``input_shape`` is a tuple of three positive ints (bools excluded)."""
    return (isinstance(input_shape, tuple) and len(input_shape) == 3
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in input_shape))


def build_mnist_cnn(n_classes: int = 10,
                    input_shape: tuple[int, int, int] = (28, 28, 1)) -> keras.Model:
    """Return notebook 26's CNN, untrained: three convolution blocks, two poolings, two dense.

    For 28x28x1 images the layer shapes are (per image)
    ``(28, 28, 1) -> block1 (26, 26, 16) -> pool1 (13, 13, 16) -> block2 (11, 11, 32)
    -> pool2 (5, 5, 32) -> block3 (3, 3, 64) -> flatten (576,) -> dense (128,)
    -> output (n_classes,)``; each block is a valid 3x3 convolution, batch normalisation and ReLU.
    The output layer is a softmax, so the model returns class probabilities of shape
    ``(m, n_classes)`` for a batch of shape ``(m, *input_shape)``.

    Args:
        n_classes: number of classes, at least 2.
        input_shape: ``(height, width, channels)`` of one image; height and width at least 18.

    Raises:
        ValueError: ``n_classes`` is not an integer >= 2, or ``input_shape`` is not three
            positive integers with height and width >= 18.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    if not _is_shape(input_shape):
        raise ValueError(f"input_shape must be (height, width, channels), three positive integers, "
                         f"got {input_shape!r}; MNIST is (28, 28, 1)")
    if min(input_shape[:2]) < MIN_SIDE:
        height, width = input_shape[:2]
        raise ValueError(f"images must be at least {MIN_SIDE}x{MIN_SIDE} for three valid 3x3 "
                         f"convolutions and two 2x2 poolings, got {height}x{width}; pad them first")
    return keras.Sequential([
        keras.Input(shape=input_shape),
        *_conv_block(16, "block1"),
        layers.MaxPooling2D(2, name="pool1"),
        *_conv_block(32, "block2"),
        layers.MaxPooling2D(2, name="pool2"),
        *_conv_block(64, "block3"),
        layers.Flatten(name="flatten"),
        layers.Dense(128, activation="relu", name="dense"),
        layers.Dense(n_classes, activation="softmax", name="output"),
    ], name="mnist_cnn")
