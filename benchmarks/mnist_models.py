"""The models the course trains on MNIST, one :class:`MnistModel` entry each, for the accuracy-per-second figure.

An entry is a name, a build function and a train-one-epoch function (plus how to score it
and the input shape it takes), so a new model, or a notebook's redesigned one, is one more
entry in ``MNIST_MODELS``:

- from-scratch MLP: the benchmark's 784-512-512-10 ``helpers.nn`` MLP, SGD (as the throughput suite);
- from-scratch CNN: notebook 25's ``helpers.nn.mnist_cnn.build_mnist_cnn`` (conv 8 5x5, max-pool,
  conv 16 3x3, max-pool, dense 10), Adam 0.006 with cosine decay over the run, as notebook 25 trains it;
- Keras MLP: the same MLP as the from-scratch one, in Keras, SGD;
- Keras CNN: notebook 26's ``make_cnn`` (conv-BN-ReLU 16 3x3 stride 2, conv-BN-ReLU 32 3x3, max-pool,
  conv-BN-ReLU 64 3x3, dense 128, softmax) compiled by its ``compile_cnn`` (Adam, a 10% warm-up from
  3e-4 to 3e-3 then cosine decay to 0 over the run, cross-entropy with label smoothing 0.1 on one-hot
  labels), as notebook 26 trains it. ``conv_bn_relu``, ``make_cnn``, ``cosine_schedule`` and ``compile_cnn``
  are the notebook's code word for word (``tests/test_benchmark_models_match_notebooks.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from benchmarks import workloads
from helpers.nn import Adam, SoftmaxCrossEntropy
from helpers.nn.mnist_cnn import CosineDecay, build_mnist_cnn
from helpers.nn.model import train_epoch


@dataclass(frozen=True)
class MnistModel:
    """One model of the accuracy-per-second figure.

    ``build(seed, total_steps)`` returns a fresh model (``total_steps``: the optimizer steps of
    the whole run, for a learning-rate schedule); ``train_one_epoch(model, X, y, epoch)`` trains
    it on one shuffled pass (``epoch`` counts from 0 and seeds the shuffle);
    ``test_accuracy(model, X, y)`` scores it. ``X`` arrives with ``input_shape`` per image.
    A model that a notebook trains on the whole training split names that ``notebook`` and its
    ``epochs`` (the report's CNN targets retrain it that way for several seeds).
    """

    name: str
    build: Callable[[int, int], object]
    train_one_epoch: Callable[[object, np.ndarray, np.ndarray, int], None]
    test_accuracy: Callable[[object, np.ndarray, np.ndarray], float]
    input_shape: tuple[int, ...]
    notebook: str = ""
    epochs: int = 0
    batch_size: int = workloads.BATCH_SIZE


SCRATCH_CNN_PEAK_LEARNING_RATE = 0.006  # notebook 25's PEAK_LEARNING_RATE


def _scratch_cnn(seed: int, total_steps: int):
    network = build_mnist_cnn(np.random.default_rng(seed))
    return network, CosineDecay(Adam(learning_rate=SCRATCH_CNN_PEAK_LEARNING_RATE), total_steps=max(1, total_steps))


def _train_scratch_cnn(model, X, y, epoch: int) -> None:
    network, optimizer = model
    train_epoch(network, X, y, SoftmaxCrossEntropy(), optimizer, workloads.BATCH_SIZE,
                np.random.default_rng(epoch), epoch + 1)


def _notebook_26_code():
    """Notebook 26's ``make_cnn`` and ``compile_cnn``, written as in the notebook (Keras imported here,
    after the benchmark has configured TensorFlow)."""
    import keras
    from keras import layers

    def conv_bn_relu(n_filters, name, strides=1):
        # a 3x3 convolution without bias (BN's shift replaces it), batch normalisation, ReLU
        return [layers.Conv2D(n_filters, 3, strides=strides, use_bias=False, name=name),
                layers.BatchNormalization(momentum=0.9, name=f"{name}_bn"),
                layers.ReLU(name=f"{name}_relu")]

    def make_cnn(n_classes=10):
        return keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            *conv_bn_relu(16, "conv1", strides=2),
            *conv_bn_relu(32, "conv2"),
            layers.MaxPooling2D(2, name="pool"),
            *conv_bn_relu(64, "conv3"),
            layers.Flatten(name="flatten"),
            layers.Dense(128, activation="relu", name="dense"),
            layers.Dense(n_classes, activation="softmax", name="output"),
        ], name="compact_cnn")

    def cosine_schedule(n_steps, lr=3e-3, warmup_fraction=0.1):
        # linear warm-up from lr / 10 to lr over the first 10% of the steps, then cosine decay to 0
        n_warmup = int(warmup_fraction * n_steps)
        return keras.optimizers.schedules.CosineDecay(lr / 10, decay_steps=n_steps - n_warmup,
                                                      warmup_target=lr, warmup_steps=n_warmup)

    def compile_cnn(model, n_steps):
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=cosine_schedule(n_steps)),
                      loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                      metrics=["accuracy"])

    return make_cnn, compile_cnn


def _keras_cnn(seed: int, total_steps: int):
    import keras

    keras.utils.set_random_seed(seed)
    make_cnn, compile_cnn = _notebook_26_code()
    model = make_cnn()
    compile_cnn(model, max(10, total_steps))  # at least one warm-up step
    return model


def _train_keras(model, X, y, epoch: int) -> None:
    model.fit(X, y, batch_size=workloads.BATCH_SIZE, epochs=1, verbose=0)


def _train_keras_one_hot(model, X, y, epoch: int) -> None:
    import keras

    _train_keras(model, X, keras.utils.to_categorical(y, 10), epoch)


def _keras_accuracy(model, X, y) -> float:
    return float(np.mean(model.predict(X, batch_size=1000, verbose=0).argmax(axis=1) == y))


def _scratch_accuracy(network, X, y) -> float:
    return float(np.mean(network.predict(X).argmax(axis=1) == y))


MNIST_MODELS = (
    MnistModel("from-scratch MLP", lambda seed, steps: workloads.scratch_mlp(seed),
               lambda model, X, y, epoch: workloads.train_scratch(model, X, y, workloads.BATCH_SIZE, 1, seed=epoch),
               _scratch_accuracy, (784,)),
    MnistModel("from-scratch CNN", _scratch_cnn, _train_scratch_cnn,
               lambda model, X, y: _scratch_accuracy(model[0], X, y), (28, 28, 1),
               notebook="25_convolution_and_pooling_from_scratch", epochs=4),
    MnistModel("Keras MLP", lambda seed, steps: workloads.keras_mlp(seed), _train_keras, _keras_accuracy, (784,)),
    MnistModel("Keras CNN", _keras_cnn, _train_keras_one_hot, _keras_accuracy, (28, 28, 1),
               notebook="26_cnns_in_keras", epochs=4),
)
