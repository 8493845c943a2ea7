"""The measurements. Each returns a plain dict (JSON-ready); timings are :class:`Timing` dicts."""

import math
import time

import numpy as np

from benchmarks import workloads
from benchmarks.mnist_models import MNIST_MODELS
from benchmarks.timing import paired_ratio, self_timed, time_repeated, time_turns


def matmul_ceiling(n: int, repeats: int) -> dict:
    """NumPy float32 (n x n) @ (n x n) rate in GFLOP/s: the ceiling the from-scratch code is held against."""
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    timing = time_repeated(lambda: A @ B, repeats)
    return {"n": n, "timing": timing.as_dict(), "gflops": 2 * n**3 / timing.median / 1e9}


def mlp_throughput(X: np.ndarray, y: np.ndarray, batch_size: int, repeats: int, ceiling_n: int, peers: dict) -> dict:
    """Samples per second of one training epoch, from scratch vs Keras (oneDNN off and on), same MLP, data and SGD.

    In every round, one turn each (:func:`benchmarks.timing.time_turns`): an epoch of the
    from-scratch MLP, an epoch of only its matrix products (``workloads.mlp_products_epoch``, the
    bound for any NumPy MLP at these shapes), the float32 (ceiling_n x ceiling_n) product, and an
    epoch of each Keras peer in its own process (``peers``: ``keras_onednn_off``/``keras_onednn_on`` -> :class:`benchmarks.peer.Peer`,
    built with the same first ``len(X)`` images), compiled each way of ``workloads.KERAS_MLP_COMPILE_OPTIONS``.
    Ratios are paired per round (:func:`paired_ratio`).

    Returns a dict whose ``"keras"`` maps ``"<peer>/<compile options>"`` (``"keras_onednn_on/mlp_spe32"``)
    to that configuration's entry; ``"faster_peer"`` names the fastest of them.
    """
    scratch = workloads.scratch_mlp(seed=0)
    A = np.random.default_rng(0).random((ceiling_n, ceiling_n), dtype=np.float32)
    turns = time_turns({
        "scratch": self_timed(lambda: workloads.train_scratch(scratch, X, y, batch_size, 1, seed=0)),
        "products": self_timed(workloads.mlp_products_epoch(len(X), batch_size)),
        "ceiling": self_timed(lambda: A @ A),
        **{f"{name}/{workload}": (lambda peer=peer, workload=workload: peer.turn(workload))
           for name, peer in peers.items() for workload in workloads.KERAS_MLP_COMPILE_OPTIONS},
    }, repeats)
    flops, ceiling_flops = workloads.mlp_train_flops_per_sample() * len(X), 2 * ceiling_n**3

    def entry(name):
        timing = turns[name]
        fraction = paired_ratio(turns["ceiling"], timing) * flops / ceiling_flops
        return {"timing": timing.as_dict(), "samples_per_s": len(X) / timing.median,
                "gflops": flops / timing.median / 1e9, "fraction_of_ceiling": fraction}

    result = {"layers": list(workloads.MLP_LAYERS), "n_samples": len(X), "batch_size": batch_size,
              "flops_per_sample": workloads.mlp_train_flops_per_sample(), "flop_formula": workloads.MLP_FLOP_FORMULA,
              "ceiling_gflops_same_turns": ceiling_flops / turns["ceiling"].median / 1e9,
              "scratch": entry("scratch"), "products_only": entry("products"),
              "scratch_time_over_products": paired_ratio(turns["scratch"], turns["products"])}
    result["keras"] = {f"{name}/{workload}": {**entry(f"{name}/{workload}"), "onednn": peer.info["onednn"],
                                              "scratch_speedup": paired_ratio(turns[f"{name}/{workload}"], turns["scratch"])}
                       for name, peer in peers.items() for workload in workloads.KERAS_MLP_COMPILE_OPTIONS}
    if peers:
        faster = min(result["keras"], key=lambda name: turns[name].median)
        result["faster_peer"] = faster
        result["scratch_over_peer"] = result["keras"][faster]["scratch_speedup"]
    return result


def conv_throughput(batch: int, size: int, c_in: int, c_out: int, repeats: int, peers: dict) -> dict:
    """Forward + backward time of one 3x3 'same' convolution: from-scratch im2col vs keras.layers.Conv2D in each peer.

    The peers (name -> :class:`benchmarks.peer.Peer`) were built with the same
    (batch, size, c_in, c_out) and draw the same arrays (``workloads.conv_inputs``); turns
    alternate as in :func:`mlp_throughput` and the time ratios are paired per round.
    """
    x, grad_y = workloads.conv_inputs(batch, size, c_in, c_out)
    turns = time_turns({"scratch": self_timed(workloads.scratch_conv_step(x, grad_y)),
                        **{name: (lambda peer=peer: peer.turn("conv")) for name, peer in peers.items()}}, repeats)
    flops = workloads.conv_train_flops(batch, size, size, 3, c_in, c_out)
    result = {"shape": [batch, size, size, c_in], "filters": c_out, "kernel": 3,
              "scratch": {"timing": turns["scratch"].as_dict(), "gflops": flops / turns["scratch"].median / 1e9}}
    for name, peer in peers.items():
        result[name] = {"timing": turns[name].as_dict(), "gflops": flops / turns[name].median / 1e9,
                        "onednn": peer.info["onednn"], "scratch_time_over": paired_ratio(turns["scratch"], turns[name])}
    return result


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


def accuracy_per_second(data: tuple, n_epochs: int, models=MNIST_MODELS) -> dict:
    """Test accuracy after each epoch against cumulative training seconds, for each :class:`MnistModel` entry.

    Only ``train_one_epoch`` is timed; every model gets the same data and epochs, one model after
    the other (so, unlike the throughput suites, not in turns: compare the curves' shapes, and
    times only roughly).
    """
    X_train, y_train, X_test, y_test = data
    curves = {}
    for entry in models:
        shape = (-1, *entry.input_shape)
        X_fit, X_eval = X_train.reshape(shape), X_test.reshape(shape)
        model = entry.build(0, n_epochs * math.ceil(len(X_train) / workloads.BATCH_SIZE))
        curves[entry.name] = _curve(lambda epoch, m=model, e=entry, Xf=X_fit: e.train_one_epoch(m, Xf, y_train, epoch),
                                    lambda m=model, e=entry, Xe=X_eval: e.test_accuracy(m, Xe, y_test), n_epochs)
    return {"n_train": len(X_train), "n_test": len(X_test), "batch_size": workloads.BATCH_SIZE, "curves": curves}


def course_cnns(data: tuple, seeds: list[int], models=MNIST_MODELS, n_epochs: int | None = None) -> dict:
    """Each CNN of the course trained as its notebook trains it, once per seed: test accuracy and training time.

    ``data`` is the notebooks' split (the first 55,000 training images, the 10,000 test images);
    ``models`` are the :class:`MnistModel` entries with a ``notebook``, each trained for its
    notebook's ``epochs`` (or ``n_epochs``, for the tiny mode). The seed draws the initial weights
    and, for Keras, the shuffles; only training is timed, in this process (oneDNN off, as in
    the notebooks).
    """
    X_train, y_train, X_test, y_test = data
    results = {"n_train": len(X_train), "n_test": len(X_test), "seeds": list(seeds), "models": {}}
    for entry in (entry for entry in models if entry.notebook):
        epochs = n_epochs or entry.epochs
        shape = (-1, *entry.input_shape)
        X_fit, X_eval = X_train.reshape(shape), X_test.reshape(shape)
        runs = []
        for seed in seeds:
            model = entry.build(seed, epochs * math.ceil(len(X_fit) / entry.batch_size))
            start = time.perf_counter()
            for epoch in range(epochs):
                entry.train_one_epoch(model, X_fit, y_train, epoch)
            seconds = time.perf_counter() - start
            runs.append({"seed": seed, "train_seconds": seconds, "test_accuracy": entry.test_accuracy(model, X_eval, y_test)})
        results["models"][entry.name] = {"notebook": entry.notebook, "epochs": epochs, "runs": runs,
                                         "worst_accuracy": min(run["test_accuracy"] for run in runs)}
    return results


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
