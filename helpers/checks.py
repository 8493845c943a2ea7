"""Numerical checks: compare arrays with a readable message, and check gradients.

The gradient utilities follow one convention everywhere in the course: ``f``
takes no arguments and reads the array ``x`` that is being differentiated;
``numerical_gradient`` perturbs ``x`` *in place* and restores it. This lets the
same code check a function of a vector, a weight matrix inside a layer, or an
input image.

A failing check raises :class:`CheckFailed` (an ``AssertionError``), :class:`CheckTypeError`
(a ``TypeError``) or :class:`CheckValueError` (a ``ValueError``) with a short message that
names the quantity. In IPython and Jupyter the traceback then stops at the learner's own
line: IPython always shows the frame that raised, even when it sets ``__tracebackhide__``,
so these errors render their traceback without the frames of this module, through
``_render_traceback_``, IPython's hook for that. Pytest hides the same frames through
``__tracebackhide__``.
"""

import types
from collections.abc import Callable

import numpy as np


class _ShownWithoutHelperFrames:
    """Mixin for the errors a check raises: in IPython the traceback ends at the learner's line."""

    def _render_traceback_(self) -> list[str]:
        from IPython import get_ipython

        shell = get_ipython()
        kept = []
        tb = self.__traceback__
        while tb is not None:
            if tb.tb_frame.f_locals.get("__tracebackhide__") is not True:
                kept.append(tb)
            tb = tb.tb_next
        trimmed = None
        for entry in reversed(kept):
            trimmed = types.TracebackType(trimmed, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
        shown_type = next(cls for cls in type(self).__mro__ if cls.__module__ == "builtins")
        return shell.InteractiveTB.structured_traceback(shown_type, self, trimmed)


class CheckFailed(_ShownWithoutHelperFrames, AssertionError):
    """A check found a wrong value or shape."""


class CheckTypeError(_ShownWithoutHelperFrames, TypeError):
    """A check got something that is not a number or array (for example None) where one is needed."""


class CheckValueError(_ShownWithoutHelperFrames, ValueError):
    """A check got an argument of the wrong kind: a gradient of the wrong shape, a non-scalar cost."""


def _as_numeric_array(value, name: str) -> np.ndarray:
    __tracebackhide__ = True  # IPython and pytest leave this helper's frame out of a learner's traceback
    array = np.asarray(value)
    if array.dtype == object or not np.issubdtype(array.dtype, np.number) and array.dtype != bool:
        raise CheckTypeError(f"{name} must be numeric (an array, list or number), got {type(value).__name__}: {value!r:.80}")
    return array


def _format_number(value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def _format_pair(got, expected) -> tuple[str, str]:
    """Both values short (6 significant digits), or in full where the short forms look equal."""
    short = _format_number(got), _format_number(expected)
    return (repr(got), repr(expected)) if short[0] == short[1] else short


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message}\nHint: {hint}" if hint else message


def _named_parts(actual, expected, name) -> list[tuple[str, object, object]]:
    """Split a compound answer into (name, actual part, expected part) triples; a plain one is one triple."""
    __tracebackhide__ = True
    if isinstance(expected, dict):
        if not isinstance(name, str):
            raise TypeError("expected is a dict, so its keys name the parts: leave name out")
        names, expected_parts = list(expected), list(expected.values())
        if isinstance(actual, dict):
            missing = [key for key in names if key not in actual]
            if missing:
                raise CheckFailed(f"the answer has no {', '.join(map(str, missing))}")
            actual = [actual[key] for key in names]
    elif isinstance(name, (tuple, list)):
        names, expected_parts = list(name), list(expected)
        if len(names) != len(expected_parts):
            raise ValueError(f"{len(names)} names for {len(expected_parts)} expected parts")
    else:
        return [(name, actual, expected)]
    wanted = f"{len(names)} values ({', '.join(map(str, names))})"
    if not isinstance(actual, (tuple, list, np.ndarray)) or isinstance(actual, np.ndarray) and actual.ndim == 0:
        raise CheckTypeError(f"expected {wanted}, got {type(actual).__name__}: {actual!r:.80}")
    if len(actual) != len(names):
        raise CheckFailed(f"expected {wanted}, got {len(actual)} values")
    return list(zip(names, actual, expected_parts))


def _check_one(actual, expected, rtol: float, atol: float, name: str, hint: str | None) -> None:
    __tracebackhide__ = True
    actual_arr = _as_numeric_array(actual, name)
    expected_arr = _as_numeric_array(expected, "expected")
    if actual_arr.shape != expected_arr.shape:
        raise CheckFailed(_with_hint(
            f"{name} has shape {actual_arr.shape}, expected shape {expected_arr.shape}; "
            "check your axis arguments and reshape calls", hint))
    if np.allclose(actual_arr, expected_arr, rtol=rtol, atol=atol, equal_nan=False):
        return
    excess = np.abs(actual_arr - expected_arr) - (atol + rtol * np.abs(expected_arr))
    excess = np.where(np.isnan(excess), np.inf, excess)
    worst = np.unravel_index(np.argmax(excess), excess.shape) if excess.ndim else ()
    got, want = _format_pair(actual_arr[worst].item(), expected_arr[worst].item())
    tolerance = f"tolerance rtol={rtol:g}, atol={atol:g}"
    if worst:
        n_bad = int(np.count_nonzero(excess > 0))
        where = ", ".join(str(int(i)) for i in worst)
        message = f"{name}[{where}]: got {got}, expected {want} ({n_bad} of {expected_arr.size} elements off; {tolerance})"
    else:
        message = f"{name}: got {got}, expected {want} ({tolerance})"
    raise CheckFailed(_with_hint(message, hint))


def check_close(
    actual, expected, *, rtol: float = 1e-7, atol: float = 0.0, name: str | tuple[str, ...] = "result",
    hint: str | None = None,
) -> None:
    """Assert that ``actual`` equals ``expected`` element-wise within tolerance, with a message a learner can read.

    Passes when ``|actual - expected| <= atol + rtol * |expected|`` everywhere
    (as ``np.allclose``), with equal shapes (no broadcasting: a (3,) result is
    not a (3, 1) result).

    A compound answer is checked part by part, each part under its own name, so that the
    message says ``b: got 0, expected 1.15`` rather than pointing at an index:

    - ``check_close((w, b), (w_ref, b_ref), name=("w", "b"))``: a tuple of names, one per part;
    - ``check_close((w, b), {"w": w_ref, "b": b_ref})``: a dict of expected parts, named by
      its keys; ``actual`` is then a sequence in the order of the keys, or a dict with those keys.

    Args:
        actual: the answer: a number, a list or an array of any shape; for a compound answer a
            tuple, list or array with one entry per part (parts may differ in shape).
        expected: the reference, with the structure of ``actual`` (or a dict, see above).
        rtol, atol: the relative and absolute tolerance.
        name: what is checked (a string), or one name per part of a compound answer.
        hint: a first step for the learner, shown on its own line when the check fails.

    Raises:
        AssertionError: a part has another shape or values out of tolerance (the message names
            the part, the worst element, both values and the tolerance), or a compound answer
            has the wrong number of parts, or a dict answer lacks a key.
        TypeError: a value is not numeric (for example None), or a compound answer is not a
            sequence; ``name`` is a tuple while ``expected`` is a dict.
        ValueError: ``name`` and ``expected`` have different numbers of parts.
    """
    __tracebackhide__ = True
    for part_name, actual_part, expected_part in _named_parts(actual, expected, name):
        _check_one(actual_part, expected_part, rtol, atol, part_name, hint)


def relative_error(a, b, eps: float = 1e-12) -> float:
    """Return ``max |a - b| / max(|a| + |b|, eps)`` element-wise, the usual gradient-check measure.

    Raises:
        ValueError: ``a`` and ``b`` have different shapes.
    """
    __tracebackhide__ = True
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
    __tracebackhide__ = True
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise CheckTypeError(f"x must be a float64 NumPy array, got {got}; use x = np.asarray(x, dtype=np.float64)")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f()
        x[index] = original - h
        f_minus = f()
        x[index] = original
        if np.ndim(f_plus) != 0:
            raise CheckValueError(f"f() must return a scalar, got shape {np.shape(f_plus)}; sum or average it first")
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_check(
    f: Callable[[], float], x: np.ndarray, analytic_grad, *, h: float = 1e-5, tol: float = 1e-6, name: str = "gradient",
    hint: str | None = None,
) -> float:
    """Compare an analytic gradient with a numerical one and return their relative error.

    Args:
        f: a function of no arguments returning a scalar that depends on ``x``.
        x: the float64 array to differentiate with respect to (perturbed in place, restored).
        analytic_grad: the gradient you computed, with the shape of ``x``.
        h: finite-difference step.
        tol: the largest relative error accepted.
        name: what is being checked, for the message.
        hint: a first step for the learner, shown on its own line when the check fails.

    Returns:
        The relative error (see :func:`relative_error`).

    Raises:
        ValueError: ``analytic_grad`` does not have the shape of ``x``.
        AssertionError: the relative error exceeds ``tol``; the message names the worst
            element, ``name[i, j]``, with your value and the numerical one.
    """
    __tracebackhide__ = True
    analytic = _as_numeric_array(analytic_grad, name)
    if analytic.shape != x.shape:
        raise CheckValueError(_with_hint(
            f"{name} has shape {analytic.shape} but x has shape {x.shape}; a gradient has the shape of x", hint))
    numeric = numerical_gradient(f, x, h)
    error = relative_error(analytic, numeric)
    if not error <= tol:
        worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), x.shape)
        where = f"[{', '.join(str(int(i)) for i in worst)}]" if worst else ""
        raise CheckFailed(_with_hint(
            f"{name} fails the gradient check (relative error {error:.2e} > {tol:.0e}); "
            f"worst {name}{where}: yours {analytic[worst]:.6g}, numerical {numeric[worst]:.6g}", hint))
    return error
