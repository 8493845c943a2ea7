"""The work the benchmarks time: MNIST batches, and the same networks built in NumPy and in Keras."""

import numpy as np

from helpers.data import load_mnist
from helpers.nn import SGD, Dense, ReLU, Sequential, SoftmaxCrossEntropy

MLP_LAYERS = (784, 512, 512, 10)
LEARNING_RATE = 0.05
BATCH_SIZE = 128


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


MLP_FLOP_FORMULA = ("per example, 2 n k for the forward product of each n-by-k Dense layer, 2 n k for its dW and "
                    "2 n k for its dX, except the first layer's dX, which training does not need: "
                    "6 sum(n k) - 2 n_1 k_1 (bias adds, ReLU and softmax not counted)")


def mlp_train_flops_per_sample(layers: tuple[int, ...] = MLP_LAYERS) -> int:
    """FLOPs of one training step per example: 2nk forward, 2nk for dW and 2nk for dX per n-by-k Dense layer.

    The first layer's dX (the gradient of the input images) is left out: training does
    not need it, and neither ``helpers.nn`` (``backward_to_parameters``) nor Keras computes it.
    Element-wise work (bias, ReLU, softmax, the update) is not counted: it is O(nk / batch) or less.
    See ``MLP_FLOP_FORMULA``.
    """
    sizes = [n_in * n_out for n_in, n_out in zip(layers[:-1], layers[1:])]
    return 6 * sum(sizes) - 2 * sizes[0]


def mlp_products_epoch(n_samples: int, batch_size: int, layers: tuple[int, ...] = MLP_LAYERS):
    """Return a function that runs only the matrix products of one MLP training epoch, into preallocated arrays.

    Per batch: the forward product of every layer, and dW and dX of every layer but the
    first's dX, with the shapes training uses (the last batch may be smaller). No bias,
    activation, loss, update or data shuffling: the time it takes is what any NumPy MLP
    needs at these shapes, so its rate bounds what the from-scratch MLP can reach.
    """
    rng = np.random.default_rng(0)
    weights = [rng.random((n_in, n_out), dtype=np.float32) for n_in, n_out in zip(layers[:-1], layers[1:])]
    sizes = [batch_size] * (n_samples // batch_size) + ([n_samples % batch_size] if n_samples % batch_size else [])
    buffers = {m: _product_buffers(m, layers, rng) for m in set(sizes)}

    def epoch():
        for m in sizes:
            acts, grads, dWs = buffers[m]
            for i, W in enumerate(weights):
                np.matmul(acts[i], W, out=acts[i + 1])
            for i in reversed(range(len(weights))):
                np.matmul(acts[i].T, grads[i + 1], out=dWs[i])
                if i:
                    np.matmul(grads[i + 1], weights[i].T, out=grads[i])

    return epoch


def _product_buffers(m: int, layers, rng):
    acts = [rng.random((m, n), dtype=np.float32) for n in layers]
    grads = [rng.random((m, n), dtype=np.float32) for n in layers]
    dWs = [np.empty((n_in, n_out), dtype=np.float32) for n_in, n_out in zip(layers[:-1], layers[1:])]
    return acts, grads, dWs


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


# How the Keras peer's MLP is compiled, by workload name (``model.compile`` options on top of the
# optimizer, loss and metric). "mlp" is Keras' defaults (one batch per call into TensorFlow, no
# XLA: Keras 3 leaves XLA off for TensorFlow on the CPU); "mlp_spe32" runs 32 batches per call, as
# the course's Keras notebooks do; "mlp_spe32_xla" also compiles the training step with XLA.
KERAS_MLP_COMPILE_OPTIONS = {
    "mlp": {},
    "mlp_spe32": {"steps_per_execution": 32},
    "mlp_spe32_xla": {"steps_per_execution": 32, "jit_compile": True},
}


def keras_mlp(seed: int, layers: tuple[int, ...] = MLP_LAYERS, **compile_options):
    """The same MLP in Keras 3, compiled with plain SGD and sparse categorical cross-entropy from
    logits, and ``compile_options`` (for example ``steps_per_execution=32``) passed on to ``model.compile``."""
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(layers[0],))]
                             + [keras.layers.Dense(n, activation="relu") for n in layers[1:-1]]
                             + [keras.layers.Dense(layers[-1])])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"],
                  **compile_options)
    return model


def conv_inputs(batch: int, size: int, c_in: int, c_out: int) -> tuple[np.ndarray, np.ndarray]:
    """The convolution benchmark's input images (batch, size, size, c_in) and dL/dy (batch, size, size, c_out), float32.

    Drawn from a fixed seed, so every process that times the convolution gets the same arrays.
    """
    rng = np.random.default_rng(0)
    return rng.random((batch, size, size, c_in), dtype=np.float32), rng.random((batch, size, size, c_out), dtype=np.float32)


def scratch_conv_step(x: np.ndarray, grad_y: np.ndarray):
    """Return a function running forward + backward (dX, dW, db) of a from-scratch 3x3 'same' Conv2D."""
    from helpers.nn.conv import Conv2D

    layer = Conv2D(x.shape[3], grad_y.shape[3], 3, padding="same", rng=np.random.default_rng(0))

    def step():
        layer.forward(x, training=True)
        layer.backward(grad_y)

    return step


def keras_conv_step(x: np.ndarray, grad_y: np.ndarray):
    """Return a compiled ``tf.function`` running forward + backward (dX, dW, db) of ``keras.layers.Conv2D``."""
    import keras
    import tensorflow as tf

    layer = keras.layers.Conv2D(grad_y.shape[3], 3, padding="same")
    x_tf, grad_tf = tf.constant(x), tf.constant(grad_y)
    layer(x_tf)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(x_tf)
            y = layer(x_tf)
        return tape.gradient(y, [x_tf] + layer.trainable_weights, output_gradients=grad_tf)

    return step
