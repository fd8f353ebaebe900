"""Unit tests for nnlib.gradcheck."""
import re

import numpy as np
import pytest

from nnlib.gradcheck import check_gradient, numerical_gradient, relative_error


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def test_numerical_gradient_of_sum_of_squares_is_2x(rng):
    x = rng.normal(size=(3, 4))
    grad = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_of_matrix_product(rng):
    # f(W) = sum(G * (X @ W.T))  =>  df/dW = G.T @ X
    X, W, G = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=(5, 4))
    grad = numerical_gradient(lambda w: float(np.sum(G * (X @ w.T))), W)
    np.testing.assert_allclose(grad, G.T @ X, rtol=1e-6, atol=1e-8)


def test_numerical_gradient_works_through_a_closure(rng):
    W = rng.normal(size=(2, 3))
    grad = numerical_gradient(lambda _: float(np.sum(np.sin(W))), W)
    np.testing.assert_allclose(grad, np.cos(W), rtol=1e-6, atol=1e-9)


def test_numerical_gradient_restores_x(rng):
    x = rng.normal(size=(4, 3))
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(v**3)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_raises(rng):
    x = rng.normal(size=(2, 2))
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 3:  # first call of the second entry, while x is perturbed
            raise RuntimeError("boom")
        return float(np.sum(v))

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match="floats"):
        numerical_gradient(lambda v: float(np.sum(v)), np.arange(3))


def test_numerical_gradient_rejects_non_scalar_f(rng):
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda v: v**2, rng.normal(size=3))


def test_relative_error_definition():
    a, b = np.array([1.0, -2.0, 0.0]), np.array([1.0, -1.0, 0.5])
    # max|a-b| = 1, max|a| + max|b| = 2 + 1
    assert relative_error(a, b) == pytest.approx(1 / 3)
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.zeros(3), b) == pytest.approx(1.0)
    assert relative_error(a, np.array([1.0, np.nan, 0.0])) == np.inf
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradient_passes_on_correct_gradient(rng):
    X, W, G = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=(5, 4))
    err = check_gradient(lambda w: float(np.sum(G * (X @ w.T))), W, G.T @ X)
    assert 0 <= err < 1e-7


def test_check_gradient_works_for_float32(rng):
    W = rng.normal(size=(3, 4)).astype(np.float32)
    before = W.copy()
    err = check_gradient(lambda w: float(np.sum(np.tanh(w))), W, 1 - np.tanh(W) ** 2, rtol=1e-5)
    assert err < 1e-5
    assert W.dtype == np.float32
    np.testing.assert_array_equal(W, before)


def test_check_gradient_fails_and_names_the_worst_index(rng):
    x = rng.normal(size=(3, 4))
    wrong = 2 * x
    wrong[1, 2] += 5.0
    with pytest.raises(AssertionError) as info:
        check_gradient(lambda v: float(np.sum(v**2)), x, wrong)
    message = str(info.value)
    assert "(1, 2)" in message
    assert f"{wrong[1, 2]:.6g}" in message and f"{2 * x[1, 2]:.6g}" in message
    assert re.search(r"relative error \d", message)


def test_check_gradient_fails_on_all_zero_gradient(rng):
    x = rng.normal(size=(2, 3))
    with pytest.raises(AssertionError, match="all zeros"):
        check_gradient(lambda v: float(np.sum(v**2)), x, np.zeros_like(x))


def test_check_gradient_hints_at_a_missing_factor(rng):
    x = rng.normal(size=(6,))
    with pytest.raises(AssertionError, match="0.5 times"):
        check_gradient(lambda v: float(np.sum(v**2)), x, x)


def test_check_gradient_rejects_shape_mismatch(rng):
    x = rng.normal(size=(2, 3))
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*shape \(2, 3\)"):
        check_gradient(lambda v: float(np.sum(v**2)), x, np.zeros((3, 2)))
