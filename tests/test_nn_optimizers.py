"""Unit tests of helpers.nn.optimizers: each update agrees, step by step, with its keras.optimizers class."""

import re

import numpy as np
import pytest

from helpers.nn import SGD, Adadelta, Adagrad, Adam, Momentum, Nesterov, RMSProp

keras = pytest.importorskip("keras")

N_STEPS = 6

# (ours, the matching Keras optimizer): same hyper-parameters, deliberately not all defaults.
PAIRS = {
    "SGD": (lambda: SGD(0.1), lambda: keras.optimizers.SGD(learning_rate=0.1)),
    "Momentum": (lambda: Momentum(0.05, 0.8), lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.8)),
    "Nesterov": (
        lambda: Nesterov(0.05, 0.9),
        lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    ),
    "Adagrad": (lambda: Adagrad(0.1), lambda: keras.optimizers.Adagrad(learning_rate=0.1)),
    "Adadelta": (lambda: Adadelta(1.0, rho=0.9), lambda: keras.optimizers.Adadelta(learning_rate=1.0, rho=0.9)),
    "RMSProp": (lambda: RMSProp(0.01), lambda: keras.optimizers.RMSprop(learning_rate=0.01)),
    "Adam": (lambda: Adam(0.01), lambda: keras.optimizers.Adam(learning_rate=0.01)),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_updates_match_keras(name):
    rng = np.random.default_rng(1)
    starts = [rng.normal(size=(3, 4)), rng.normal(size=5)]
    grads = [[rng.normal(size=s.shape) for s in starts] for _ in range(N_STEPS)]
    make_ours, make_keras = PAIRS[name]
    ours, theirs = make_ours(), make_keras()
    params = [s.copy() for s in starts]
    variables = [keras.Variable(s.astype(np.float32)) for s in starts]
    for step in range(N_STEPS):
        before = [p.copy() for p in params]
        ours.step(params, grads[step])
        theirs.apply_gradients(zip([g.astype(np.float32) for g in grads[step]], variables))
        for p, b, v in zip(params, before, variables):
            # compare the updates (not just the weights, which change little per step)
            np.testing.assert_allclose(p - b, np.asarray(v) - b, rtol=2e-4, atol=2e-6, err_msg=f"{name} step {step + 1}")
            p[...] = np.asarray(v, dtype=np.float64)  # continue from the same point
    assert ours.iterations == N_STEPS


def test_adam_bias_correction_first_step():
    """At t = 1 the bias-corrected Adam step is lr * sign(g) (up to epsilon), whatever |g| is."""
    w, g = np.zeros(3), np.array([1e-3, -2.0, 50.0])
    Adam(0.1).step([w], [g])
    np.testing.assert_allclose(w, -0.1 * np.sign(g), rtol=1e-4)


def test_float32_parameters_stay_float32():
    for make_ours, _ in PAIRS.values():
        w = np.ones(4, dtype=np.float32)
        make_ours().step([w], [np.ones(4, dtype=np.float32)])
        assert w.dtype == np.float32


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="learning_rate"):
        SGD(0)
    with pytest.raises(ValueError, match="momentum"):
        Momentum(0.1, momentum=1.0)
    opt = Adam()
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros(3)], [np.zeros(4)])
    opt.step([np.zeros(3)], [np.zeros(3)])
    with pytest.raises(ValueError, match="new optimizer"):
        opt.step([np.zeros(3), np.zeros(2)], [np.zeros(3), np.zeros(2)])


@pytest.mark.parametrize(
    "make, name, valid",
    [
        (lambda: SGD(learning_rate=np.nan), "learning_rate", "(0, inf)"),
        (lambda: Adam(learning_rate=-0.1), "learning_rate", "(0, inf)"),
        (lambda: Adam(beta_1=1), "beta_1", "[0, 1)"),
        (lambda: Adam(beta_1=-0.1), "beta_1", "[0, 1)"),
        (lambda: Adam(beta_2=1.0), "beta_2", "[0, 1)"),
        (lambda: Adam(epsilon=0), "epsilon", "(0, inf)"),
        (lambda: Momentum(momentum=np.nan), "momentum", "[0, 1)"),
        (lambda: Nesterov(momentum=1), "momentum", "[0, 1)"),
        (lambda: Adagrad(initial_accumulator_value=-1), "initial_accumulator_value", "[0, inf)"),
        (lambda: Adagrad(epsilon=-1e-7), "epsilon", "(0, inf)"),
        (lambda: Adadelta(rho=1), "rho", "[0, 1)"),
        (lambda: Adadelta(epsilon=0), "epsilon", "(0, inf)"),
        (lambda: RMSProp(rho=1.5), "rho", "[0, 1)"),
        (lambda: RMSProp(epsilon=0), "epsilon", "(0, inf)"),
    ],
)
def test_hyperparameters_outside_their_range_raise_before_any_step(make, name, valid):
    with pytest.raises(ValueError, match=rf"^{name} must be in {re.escape(valid)}, got"):
        make()


def test_hyperparameters_at_the_edge_of_their_range_work():
    w = np.ones(3)
    for optimizer in (Adam(beta_1=0, beta_2=0), Momentum(momentum=0), Adagrad(initial_accumulator_value=0),
                      RMSProp(rho=0), Adadelta(rho=0)):
        for _ in range(3):
            optimizer.step([w], [np.ones(3)])
    assert np.all(np.isfinite(w))
