"""Numerical checks: compare arrays with a readable message, and check gradients.

The gradient utilities follow one convention everywhere in the course: ``f``
takes no arguments and reads the array ``x`` that is being differentiated;
``numerical_gradient`` perturbs ``x`` *in place* and restores it. This lets the
same code check a function of a vector, a weight matrix inside a layer, or an
input image.
"""

from collections.abc import Callable

import numpy as np


def _as_numeric_array(value, name: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number) and array.dtype != bool:
        raise TypeError(f"{name} must be numeric (an array, list or number), got {type(value).__name__}: {value!r:.80}")
    return array


def check_close(actual, expected, *, rtol: float = 1e-7, atol: float = 0.0, name: str = "result") -> None:
    """Assert that ``actual`` equals ``expected`` element-wise within tolerance.

    Passes when ``|actual - expected| <= atol + rtol * |expected|`` everywhere
    (as ``np.allclose``), with equal shapes (no broadcasting: a (3,) result is
    not a (3, 1) result).

    Raises:
        AssertionError: a different shape, or values out of tolerance; the message
            names the worst element, both values and the tolerance.
        TypeError: either argument is not numeric (for example None).
    """
    actual_arr = _as_numeric_array(actual, name)
    expected_arr = _as_numeric_array(expected, "expected")
    if actual_arr.shape != expected_arr.shape:
        raise AssertionError(
            f"{name} has shape {actual_arr.shape} but shape {expected_arr.shape} is expected; "
            "check your axis arguments and reshape calls"
        )
    if np.allclose(actual_arr, expected_arr, rtol=rtol, atol=atol, equal_nan=False):
        return
    excess = np.abs(actual_arr - expected_arr) - (atol + rtol * np.abs(expected_arr))
    excess = np.where(np.isnan(excess), np.inf, excess)
    worst = np.unravel_index(np.argmax(excess), excess.shape) if excess.ndim else ()
    n_bad = int(np.count_nonzero(excess > 0))
    where = f" at index {tuple(int(i) for i in worst)}" if worst else ""
    raise AssertionError(
        f"{name} is not close to the expected value{where}: got {actual_arr[worst].item()!r}, "
        f"expected {expected_arr[worst].item()!r} ({n_bad} of {expected_arr.size} elements off; "
        f"tolerance rtol={rtol:g}, atol={atol:g})"
    )


def relative_error(a, b, eps: float = 1e-12) -> float:
    """Return ``max |a - b| / max(|a| + |b|, eps)`` element-wise, the usual gradient-check measure.

    Raises:
        ValueError: ``a`` and ``b`` have different shapes.
    """
    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"relative_error needs equal shapes, got {a_arr.shape} and {b_arr.shape}")
    return float(np.max(np.abs(a_arr - b_arr) / np.maximum(np.abs(a_arr) + np.abs(b_arr), eps)))


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Estimate the gradient of the scalar ``f()`` with respect to ``x`` by central differences.

    Each element ``x[i]`` is set to ``x[i] + h`` and ``x[i] - h`` in turn (in place,
    restored afterwards) and ``(f(x + h) - f(x - h)) / (2h)`` is recorded. The error
    is O(h^2) from truncation plus O(eps/h) from round-off, so ``h = 1e-5`` suits float64.

    Args:
        f: a function of no arguments that reads ``x`` and returns a scalar.
        x: a float64 array of any shape; it is modified during the call and restored.
        h: the step.

    Returns:
        An array with the shape of ``x``.

    Raises:
        TypeError: ``x`` is not a float64 NumPy array (perturbing an int or float32 array
            in place would round the step away).
        ValueError: ``f()`` does not return a scalar.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float64 NumPy array, got {got}; use x = np.asarray(x, dtype=np.float64)")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f()
        x[index] = original - h
        f_minus = f()
        x[index] = original
        if np.ndim(f_plus) != 0:
            raise ValueError(f"f() must return a scalar, got shape {np.shape(f_plus)}; sum or average it first")
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_check(
    f: Callable[[], float], x: np.ndarray, analytic_grad, *, h: float = 1e-5, tol: float = 1e-6, name: str = "gradient"
) -> float:
    """Compare an analytic gradient with a numerical one and return their relative error.

    Args:
        f: a function of no arguments returning a scalar that depends on ``x``.
        x: the float64 array to differentiate with respect to (perturbed in place, restored).
        analytic_grad: the gradient you computed, with the shape of ``x``.
        h: finite-difference step.
        tol: the largest relative error accepted.
        name: what is being checked, for the message.

    Returns:
        The relative error (see :func:`relative_error`).

    Raises:
        ValueError: ``analytic_grad`` does not have the shape of ``x``.
        AssertionError: the relative error exceeds ``tol``.
    """
    analytic = _as_numeric_array(analytic_grad, name)
    if analytic.shape != x.shape:
        raise ValueError(f"{name} has shape {analytic.shape} but x has shape {x.shape}; a gradient has the shape of x")
    numeric = numerical_gradient(f, x, h)
    error = relative_error(analytic, numeric)
    if not error <= tol:
        worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), x.shape)
        raise AssertionError(
            f"{name} fails the gradient check: relative error {error:.2e} > {tol:.0e}; "
            f"worst at index {tuple(int(i) for i in worst)}: analytic {analytic[worst]:.6g}, numerical {numeric[worst]:.6g}"
        )
    return error
