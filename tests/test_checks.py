"""Unit tests of helpers.checks: comparisons and gradient checking."""

import numpy as np
import pytest

from helpers.checks import check_close, gradient_check, numerical_gradient, relative_error


def test_check_close_passes_within_tolerance():
    check_close([1.0, 2.0], np.array([1.0, 2.0 + 1e-9]), rtol=1e-8)


def test_check_close_names_the_worst_element():
    with pytest.raises(AssertionError, match=r"weights is not close .* index \(1,\).*got 2\.5.*expected 2\.0"):
        check_close([1.0, 2.5, 3.0], [1.0, 2.0, 3.0], name="weights")


def test_check_close_refuses_broadcasting():
    with pytest.raises(AssertionError, match=r"shape \(3,\) but shape \(3, 1\)"):
        check_close(np.zeros(3), np.zeros((3, 1)))


def test_check_close_rejects_none_and_nan():
    with pytest.raises(TypeError, match="numeric"):
        check_close(None, 1.0)
    with pytest.raises(AssertionError):
        check_close([np.nan], [1.0])


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
