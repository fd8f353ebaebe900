"""Numerical gradient checking with centred differences.

A typical use in a notebook::

    from nnlib.gradcheck import check_gradient
    err = check_gradient(lambda W: loss(X, W, y), W, dW)

`check_gradient` raises an ``AssertionError`` that names the worst entry when
the analytic gradient is wrong, and returns the relative error otherwise.
"""
import numbers

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "check_gradient"]

_TINY = 1e-12


def _check_step(h):
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a positive float step size, got {type(h).__name__}.")
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite step size, got {h!r}.")


def _as_scalar(value):
    """Turn what `f` returned into a Python float, or explain why not."""
    arr = np.asarray(value)
    if arr.dtype == object or arr.size != 1:
        raise ValueError(
            "f must return a single number (the scalar loss), "
            f"got {type(value).__name__} with {arr.size} elements."
        )
    return float(arr.reshape(()))


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by centred differences.

    Each entry ``x[i]`` is perturbed in place to ``x[i] + h`` and ``x[i] - h``
    and the slope ``(f(x+) - f(x-)) / (2 h)`` is recorded. The original value
    is always restored, also when `f` raises, so `f` may read `x` through a
    closure (``lambda _: loss(W)``) as well as through its argument.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, the scalar function to differentiate.
    x : ndarray of floating dtype, any shape
        The point at which to differentiate; modified during the call and
        restored afterwards.
    h : float, default 1e-5
        Step size. Centred differences in float32 are far less accurate than
        in float64: pass a float64 `x` (`check_gradient` upcasts for you).

    Returns
    -------
    grad : ndarray of shape x.shape, float64
        ``grad[i]`` approximates ``df/dx[i]``.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"x must be a numpy array (it is perturbed in place), got {type(x).__name__}."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"x must be a float array, got dtype {x.dtype}; pass floats, "
            "e.g. x.astype(np.float64), since an integer array cannot hold x + h."
        )
    if not x.flags.writeable:
        raise ValueError("x must be writeable, because it is perturbed in place; pass a copy.")
    _check_step(h)

    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        try:
            x[i] = old + h
            f_plus = _as_scalar(f(x))
            x[i] = old - h
            f_minus = _as_scalar(f(x))
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """Relative difference between two arrays, robust to entries near zero.

    Defined as ``max|a - b| / max(max|a| + max|b|, 1e-12)``: the largest
    absolute difference, measured against the overall scale of the two
    arrays. Unlike an element-wise relative error it does not blow up on an
    entry where both values are close to zero, and it is 1 (the worst
    possible) when one array is all zeros and the other is not.

    Parameters
    ----------
    a, b : array_like of the same shape

    Returns
    -------
    err : float
        Between 0 (equal) and 1; ``inf`` when either array holds a NaN or an
        infinity; 0 for empty arrays.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return float("inf")
    scale = max(np.max(np.abs(a)) + np.max(np.abs(b)), _TINY)
    return float(np.max(np.abs(a - b)) / scale)


def _hint(analytic, numerical):
    """A sentence naming a common mistake, or an empty string."""
    if not np.any(analytic) and np.any(numerical):
        return " The analytic gradient is all zeros: is the backward pass filled in?"
    if not np.all(np.isfinite(analytic)):
        return " The analytic gradient contains NaN or inf."
    if np.allclose(analytic, -numerical, rtol=1e-4, atol=1e-10):
        return " The analytic gradient has the wrong sign."
    k = np.argmax(np.abs(numerical))
    if numerical.flat[k] != 0:
        ratio = analytic.flat[k] / numerical.flat[k]
        if abs(ratio - 1) > 1e-3 and np.allclose(analytic, ratio * numerical, rtol=1e-4, atol=1e-10):
            return (
                f" The analytic gradient is {ratio:.4g} times the numerical one: "
                "a missing or extra factor (e.g. averaging over the batch)?"
            )
    return ""


def check_gradient(f, x, analytic, rtol=1e-5, h=1e-5):
    """Compare an analytic gradient with a numerical one, and fail loudly.

    The numerical gradient is computed in float64: a float32 (or float16) `x`
    is upcast to a float64 copy first, so `f` must then compute from its
    argument rather than read the original array through a closure. A float64
    `x` is perturbed in place and restored.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, the scalar function whose gradient is checked.
    x : ndarray of floating dtype, any shape
    analytic : array_like of shape x.shape
        The gradient to check, e.g. from a backward pass.
    rtol : float, default 1e-5
        Largest accepted `relative_error` between the two gradients.
    h : float, default 1e-5
        Step size of the centred differences.

    Returns
    -------
    err : float
        The relative error (see `relative_error`), when it is at most `rtol`.

    Raises
    ------
    AssertionError
        When the relative error exceeds `rtol` (an all-zero analytic gradient
        against a non-zero numerical one always fails). The message names the
        index of the largest difference and both values there.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a numpy array of floats; pass floats, e.g. x.astype(np.float64).")
    analytic = np.asarray(analytic)
    if analytic.shape != x.shape:
        raise ValueError(
            f"analytic has shape {analytic.shape} but x has shape {x.shape}; "
            "the gradient must have the same shape as x."
        )
    if not (isinstance(rtol, numbers.Real) and rtol >= 0):
        raise ValueError(f"rtol must be a non-negative number, got {rtol!r}.")

    work = x if x.dtype == np.float64 else x.astype(np.float64)
    numerical = numerical_gradient(f, work, h=h)
    analytic = analytic.astype(np.float64)
    err = relative_error(analytic, numerical)
    if not err <= rtol:
        diff = np.abs(analytic - numerical)
        worst = np.unravel_index(np.argmax(np.where(np.isnan(diff), np.inf, diff)), x.shape)
        raise AssertionError(
            f"gradient check failed: relative error {err:.3g} > rtol {rtol:g}. "
            f"Largest difference at index {tuple(int(i) for i in worst)}: "
            f"analytic {analytic[worst]:.6g}, numerical {numerical[worst]:.6g}."
            + _hint(analytic, numerical)
        )
    return err
