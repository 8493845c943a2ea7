"""The measurements. Each returns a plain dict (JSON-ready); timings are :class:`Timing` dicts."""

import math
import time

import numpy as np

from benchmarks import workloads
from benchmarks.timing import time_interleaved, time_repeated


def matmul_ceiling(n: int, repeats: int) -> dict:
    """NumPy float32 (n x n) @ (n x n) rate in GFLOP/s: the ceiling the from-scratch code is held against."""
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    timing = time_repeated(lambda: A @ B, repeats)
    return {"n": n, "timing": timing.as_dict(), "gflops": 2 * n**3 / timing.median / 1e9}


def mlp_throughput(X: np.ndarray, y: np.ndarray, batch_size: int, repeats: int, ceiling_n: int) -> dict:
    """Samples per second of one training epoch, from scratch vs Keras, same MLP, batch size, data and optimizer.

    The two are timed in turns (one epoch each, ``repeats`` times) together with a float32
    (ceiling_n x ceiling_n) matmul, so the ratio to Keras and the fraction of the matmul
    ceiling both compare measurements taken under the same conditions.
    """
    scratch, keras_model = workloads.scratch_mlp(seed=0), workloads.keras_mlp(seed=0)
    A = np.random.default_rng(0).random((ceiling_n, ceiling_n), dtype=np.float32)
    timings = time_interleaved({
        "scratch": lambda: workloads.train_scratch(scratch, X, y, batch_size, 1, seed=0),
        "keras": lambda: keras_model.fit(X, y, batch_size=batch_size, epochs=1, verbose=0),
        "ceiling": lambda: A @ A,
    }, repeats)
    scratch_time, keras_time = timings["scratch"], timings["keras"]
    flops = workloads.mlp_train_flops_per_sample() * len(X)
    ceiling_gflops = 2 * ceiling_n**3 / timings["ceiling"].median / 1e9
    return {
        "layers": list(workloads.MLP_LAYERS), "n_samples": len(X), "batch_size": batch_size,
        "ceiling_gflops_same_turns": ceiling_gflops,
        "scratch": {"timing": scratch_time.as_dict(), "samples_per_s": len(X) / scratch_time.median,
                    "gflops": flops / scratch_time.median / 1e9,
                    "fraction_of_ceiling": flops / scratch_time.median / 1e9 / ceiling_gflops},
        "keras": {"timing": keras_time.as_dict(), "samples_per_s": len(X) / keras_time.median,
                  "gflops": flops / keras_time.median / 1e9},
        "scratch_over_keras": keras_time.median / scratch_time.median,
    }


def conv_throughput(batch: int, size: int, c_in: int, c_out: int, repeats: int) -> dict:
    """Forward + backward time of one 3x3 'same' convolution: from-scratch im2col vs keras.layers.Conv2D."""
    import keras
    import tensorflow as tf

    from helpers.nn.conv import Conv2D

    rng = np.random.default_rng(0)
    x = rng.random((batch, size, size, c_in), dtype=np.float32)
    grad_y = rng.random((batch, size, size, c_out), dtype=np.float32)
    layer = Conv2D(c_in, c_out, 3, padding="same", rng=rng)

    def scratch_step():
        layer.forward(x, training=True)
        layer.backward(grad_y)

    keras_layer = keras.layers.Conv2D(c_out, 3, padding="same")
    x_tf, grad_tf = tf.constant(x), tf.constant(grad_y)
    keras_layer(x_tf)

    @tf.function
    def keras_step():
        with tf.GradientTape() as tape:
            tape.watch(x_tf)
            y = keras_layer(x_tf)
        return tape.gradient(y, [x_tf] + keras_layer.trainable_weights, output_gradients=grad_tf)

    timings = time_interleaved({"scratch": scratch_step, "keras": keras_step}, repeats)
    scratch_time, keras_time = timings["scratch"], timings["keras"]
    flops = workloads.conv_train_flops(batch, size, size, 3, c_in, c_out)
    return {
        "shape": [batch, size, size, c_in], "filters": c_out, "kernel": 3,
        "scratch": {"timing": scratch_time.as_dict(), "gflops": flops / scratch_time.median / 1e9},
        "keras": {"timing": keras_time.as_dict(), "gflops": flops / keras_time.median / 1e9},
        "scratch_time_over_keras": scratch_time.median / keras_time.median,
    }


def vectorization(n: int, repeats: int) -> dict:
    """Python loops vs NumPy for notebook 02's three examples: a dot product, a matrix-vector product, exp."""
    rng = np.random.default_rng(0)
    a, b = rng.random(n), rng.random(n)
    side = int(math.isqrt(n))
    M, v = rng.random((side, side)), rng.random(side)

    def loop_dot():
        return sum(a_i * b_i for a_i, b_i in zip(a.tolist(), b.tolist()))

    def loop_matvec():
        rows = M.tolist()
        vector = v.tolist()
        return [sum(r_j * v_j for r_j, v_j in zip(row, vector)) for row in rows]

    def loop_exp():
        return [math.exp(value) for value in a.tolist()]

    cases = {"dot product": (loop_dot, lambda: a @ b), "matrix-vector": (loop_matvec, lambda: M @ v),
             "element-wise exp": (loop_exp, lambda: np.exp(a))}
    results = {}
    for name, (loop, vectorised) in cases.items():
        loop_time, vector_time = time_repeated(loop, repeats), time_repeated(vectorised, repeats)
        results[name] = {"loop": loop_time.as_dict(), "numpy": vector_time.as_dict(),
                         "speedup": loop_time.median / vector_time.median}
    return {"n": n, "cases": results}


def accuracy_per_second(data: tuple, n_epochs: int, batch_size: int) -> dict:
    """Test accuracy after each epoch against cumulative training time, for three models."""
    X_train, y_train, X_test, y_test = data
    curves = {}
    scratch = workloads.scratch_mlp(seed=0)
    curves["from-scratch MLP"] = _curve(
        lambda epoch: workloads.train_scratch(scratch, X_train, y_train, batch_size, 1, seed=epoch),
        lambda: workloads.scratch_accuracy(scratch, X_test, y_test), n_epochs)
    for name, model, shape in [("Keras MLP", workloads.keras_mlp(seed=0), (-1, 784)),
                               ("Keras CNN", workloads.keras_cnn(seed=0), (-1, 28, 28, 1))]:
        X_fit, X_eval = X_train.reshape(shape), X_test.reshape(shape)
        curves[name] = _curve(
            lambda epoch, m=model, Xf=X_fit: m.fit(Xf, y_train, batch_size=batch_size, epochs=1, verbose=0),
            lambda m=model, Xe=X_eval: float(m.evaluate(Xe, y_test, verbose=0)[1]), n_epochs)
    return {"n_train": len(X_train), "n_test": len(X_test), "batch_size": batch_size, "curves": curves}


def _curve(train_one_epoch, test_accuracy, n_epochs: int) -> dict:
    seconds, accuracies, elapsed = [], [], 0.0
    for epoch in range(n_epochs):
        start = time.perf_counter()
        train_one_epoch(epoch)
        elapsed += time.perf_counter() - start
        seconds.append(elapsed)
        accuracies.append(test_accuracy())
    return {"train_seconds": seconds, "test_accuracy": accuracies}


def scaling(X: np.ndarray, y: np.ndarray, sizes: list[int], batch_size: int, repeats: int) -> dict:
    """One-epoch training time against the number of samples, and the fitted exponent of t ~ n^k."""
    results = {"sizes": sizes, "batch_size": batch_size}
    for name, run in [("from-scratch MLP", _scratch_epoch), ("Keras MLP", _keras_epoch)]:
        medians = [time_repeated(run(X[:n], y[:n], batch_size), repeats).median for n in sizes]
        exponent = float(np.polyfit(np.log(sizes), np.log(medians), 1)[0]) if len(sizes) > 1 else float("nan")
        results[name] = {"seconds": medians, "exponent": exponent}
    return results


def _scratch_epoch(X, y, batch_size):
    model = workloads.scratch_mlp(seed=0)
    return lambda: workloads.train_scratch(model, X, y, batch_size, 1, seed=0)


def _keras_epoch(X, y, batch_size):
    model = workloads.keras_mlp(seed=0)
    return lambda: model.fit(X, y, batch_size=batch_size, epochs=1, verbose=0)
