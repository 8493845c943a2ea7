"""Unit tests of helpers.checks: comparisons, gradient checking, and the messages a learner reads."""

import re

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_tools.execution import execute_notebook
from helpers.checks import check_close, gradient_check, numerical_gradient, relative_error


def test_check_close_passes_within_tolerance():
    check_close([1.0, 2.0], np.array([1.0, 2.0 + 1e-9]), rtol=1e-8)


def test_check_close_names_the_worst_element():
    with pytest.raises(AssertionError, match=r"^weights\[1\]: got 2\.5, expected 2 \(1 of 3 elements off; tolerance"):
        check_close([1.0, 2.5, 3.0], [1.0, 2.0, 3.0], name="weights")
    with pytest.raises(AssertionError, match=r"^W\[1, 0\]: got 7, expected 3 "):
        check_close(np.array([[1.0, 2.0], [7.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]), name="W")


def test_check_close_shows_full_digits_only_where_short_ones_look_equal():
    with pytest.raises(AssertionError, match=r"^x: got 1\.1506, expected 0\.3 \(tolerance rtol=1e-07, atol=0\)$"):
        check_close(1.1506, 0.3, name="x")
    with pytest.raises(AssertionError, match=r"^x: got 1\.0000001, expected 1\.0 "):
        check_close(1.0000001, 1.0, rtol=1e-12, name="x")


def test_check_close_names_each_part_of_a_compound_answer():
    w_ref, b_ref = np.array([0.5, -2.0]), 1.15
    check_close((w_ref.copy(), b_ref), (w_ref, b_ref), name=("w", "b"))
    with pytest.raises(AssertionError, match=r"^b: got 0, expected 1\.15 "):
        check_close((w_ref, 0), (w_ref, b_ref), name=("w", "b"))
    with pytest.raises(AssertionError, match=r"^w\[1\]: got 2, expected -2 "):
        check_close([np.array([0.5, 2.0]), b_ref], {"w": w_ref, "b": b_ref})
    with pytest.raises(AssertionError, match=r"^b: got 0, expected 1\.15 "):
        check_close({"b": 0.0, "w": w_ref}, {"w": w_ref, "b": b_ref})
    with pytest.raises(AssertionError, match=r"^w has shape \(2, 1\), expected shape \(2,\)"):
        check_close((w_ref[:, None], b_ref), (w_ref, b_ref), name=("w", "b"))


def test_check_close_rejects_compound_answers_of_the_wrong_form():
    with pytest.raises(TypeError, match=r"expected 2 values \(w, b\), got NoneType"):
        check_close(None, (1.0, 2.0), name=("w", "b"))
    with pytest.raises(AssertionError, match=r"expected 2 values \(w, b\), got 3 values"):
        check_close((1.0, 2.0, 3.0), {"w": 1.0, "b": 2.0})
    with pytest.raises(AssertionError, match="the answer has no b"):
        check_close({"w": 1.0}, {"w": 1.0, "b": 2.0})
    with pytest.raises(ValueError, match="2 names for 3 expected parts"):
        check_close((1.0, 2.0, 3.0), (1.0, 2.0, 3.0), name=("w", "b"))
    with pytest.raises(TypeError, match="leave name out"):
        check_close((1.0, 2.0), {"w": 1.0, "b": 2.0}, name=("w", "b"))


def test_check_close_puts_the_hint_on_its_own_line():
    with pytest.raises(AssertionError, match=r"^b: got 0, expected 1 \(tolerance [^\n]*\)\nHint: is b trained\?$"):
        check_close(0, 1, name="b", hint="is b trained?")


def test_check_close_refuses_broadcasting():
    with pytest.raises(AssertionError, match=r"shape \(3,\), expected shape \(3, 1\)"):
        check_close(np.zeros(3), np.zeros((3, 1)))


def test_check_close_rejects_none_and_nan():
    with pytest.raises(TypeError, match="numeric"):
        check_close(None, 1.0)
    with pytest.raises(AssertionError, match="got nan"):
        check_close([np.nan], [1.0])


def _traceback_in_a_kernel(check_source: str, tmp_path) -> str:
    """The error a learner sees when ``check_source`` fails in a notebook, colours stripped."""
    nb = new_notebook(cells=[new_code_cell("import helpers\nimport numpy as np"), new_code_cell(check_source)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    execute_notebook(nb, tmp_path, allow_errors=True)
    (error,) = [output for output in nb.cells[1].outputs if output.output_type == "error"]
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))


def test_a_failing_check_shows_the_message_without_the_helpers_frames(tmp_path):
    shown = _traceback_in_a_kernel(
        'helpers.check_close((np.zeros(2), 0.0), (np.zeros(2), 1.15), name=("w", "b"), hint="is b trained?")', tmp_path
    )
    assert "AssertionError: b: got 0, expected 1.15 (tolerance rtol=1e-07, atol=0)\nHint: is b trained?" in shown
    assert "helpers.check_close((np.zeros(2), 0.0)" in shown, "the learner's own line is shown"
    assert "checks.py" not in shown and "_check_one" not in shown and "excess" not in shown, shown
    shown = _traceback_in_a_kernel("x = np.array([1.0, 2.0])\nhelpers.gradient_check(lambda: np.sum(x**3), x, 2 * x**2, name='dx')",
                                   tmp_path)
    assert "AssertionError: dx fails the gradient check" in shown and "worst dx[1]: yours 8, numerical 12" in shown
    assert "checks.py" not in shown, shown


def test_relative_error():
    assert relative_error([1.0], [1.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="equal shapes"):
        relative_error([1.0], [1.0, 2.0])


def test_numerical_gradient_of_a_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    before = x.copy()
    grad = numerical_gradient(lambda: x @ A @ x, x)
    np.testing.assert_allclose(grad, (A + A.T) @ x, rtol=1e-7)
    np.testing.assert_array_equal(x, before)  # x is restored


def test_numerical_gradient_rejects_float32_and_vector_outputs():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))
    x = np.zeros(2)
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda: x * 2, x)


def test_gradient_check_accepts_right_and_rejects_wrong_gradients():
    W = np.random.default_rng(1).standard_normal((3, 2))
    assert gradient_check(lambda: np.sum(W**3), W, 3 * W**2) < 1e-7
    with pytest.raises(AssertionError, match="fails the gradient check"):
        gradient_check(lambda: np.sum(W**3), W, 2 * W**2)
    with pytest.raises(ValueError, match="shape"):
        gradient_check(lambda: np.sum(W**3), W, np.zeros(6))
