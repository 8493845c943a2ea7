"""The work the benchmarks time: MNIST batches, and the same networks built in NumPy and in Keras."""

import numpy as np

from helpers.data import load_mnist
from helpers.nn import SGD, Dense, ReLU, Sequential, SoftmaxCrossEntropy

MLP_LAYERS = (784, 512, 512, 10)
LEARNING_RATE = 0.05


def mnist_flat(n_train: int, n_test: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return MNIST as float32 rows in [0, 1]: X_train (n_train, 784), y_train (n_train,) int64, and the test pair.

    Raises:
        ValueError: sizes outside 1..60000 (train) or 1..10000 (test).
    """
    if not (1 <= n_train <= 60_000 and 1 <= n_test <= 10_000):
        raise ValueError(f"n_train must be in 1..60000 and n_test in 1..10000, got {n_train} and {n_test}")
    (X_train, y_train), (X_test, y_test) = load_mnist()
    flat = lambda images: images.reshape(len(images), -1).astype(np.float32) / 255.0  # noqa: E731
    return flat(X_train[:n_train]), y_train[:n_train].astype(np.int64), flat(X_test[:n_test]), y_test[:n_test].astype(np.int64)


def mlp_train_flops_per_sample(layers: tuple[int, ...] = MLP_LAYERS) -> int:
    """FLOPs of one training step per example: 2nk forward, 2nk for dW and 2nk for dX per n-by-k Dense layer.

    The first layer's dX (the gradient of the input images) is left out: training does
    not need it, and neither ``helpers.nn`` (``backward_to_parameters``) nor Keras computes it.
    """
    sizes = [n_in * n_out for n_in, n_out in zip(layers[:-1], layers[1:])]
    return 6 * sum(sizes) - 2 * sizes[0]


def conv_train_flops(batch: int, height: int, width: int, kernel: int, c_in: int, c_out: int) -> int:
    """FLOPs of a 'same' stride-1 convolution's forward plus backward (dX and dW): 3 x 2 * n*h*w*k*k*c_in*c_out."""
    return 3 * 2 * batch * height * width * kernel * kernel * c_in * c_out


def scratch_mlp(seed: int, layers: tuple[int, ...] = MLP_LAYERS) -> Sequential:
    """The from-scratch MLP (ReLU hidden layers, logits out) from :mod:`helpers.nn`, float32."""
    rng = np.random.default_rng(seed)
    stack = []
    for n_in, n_out in zip(layers[:-1], layers[1:]):
        stack += [Dense(n_in, n_out, rng=rng), ReLU()]
    return Sequential(stack[:-1])


def train_scratch(model: Sequential, X: np.ndarray, y: np.ndarray, batch_size: int, n_epochs: int, seed: int) -> None:
    """Train the from-scratch MLP with plain SGD and softmax cross-entropy."""
    model.fit(X, y, loss=SoftmaxCrossEntropy(), optimizer=SGD(LEARNING_RATE), n_epochs=n_epochs,
              batch_size=batch_size, rng=np.random.default_rng(seed))


def scratch_accuracy(model: Sequential, X: np.ndarray, y: np.ndarray) -> float:
    """Test accuracy of the from-scratch MLP."""
    return float(np.mean(model.predict(X).argmax(axis=1) == y))


def keras_mlp(seed: int, layers: tuple[int, ...] = MLP_LAYERS):
    """The same MLP in Keras 3, compiled with plain SGD and sparse categorical cross-entropy from logits."""
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(layers[0],))]
                             + [keras.layers.Dense(n, activation="relu") for n in layers[1:-1]]
                             + [keras.layers.Dense(layers[-1])])
    return _compile(model)


def keras_cnn(seed: int):
    """A compact CNN for MNIST (conv16-pool-conv32-pool-dense64), input (28, 28, 1) float32 in [0, 1]."""
    import keras

    keras.utils.set_random_seed(seed)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10),
    ])
    return _compile(model)


def _compile(model):
    import keras

    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model
