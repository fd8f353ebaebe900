"""Checks for notebook test cells: shapes, dtypes, close values and named hints.

Every check raises ``AssertionError`` with a sentence a student can act on, so a
failing test cell shows what to look at rather than a bare traceback. Nothing
here prints: nbgrader scores a test cell that writes to stderr as failed.

A *hint* names a common mistake. The test computes what the mistaken code
would return; when the student's output matches it, the hint is the message::

    check_array(softmax(Z), expected, "softmax(Z)",
                hints={"looks like the row max was not subtracted before exp":
                       naive_softmax(Z)})
"""

import warnings
from contextlib import contextmanager
from collections.abc import Mapping

import numpy as np

__all__ = [
    "check_type",
    "check_shape",
    "check_dtype",
    "check_finite",
    "check_close",
    "check_array",
    "matches",
    "call_strict",
    "forbid_delegation",
    "forbidden_functions",
    "allow_updates",
    "updatable_keys",
]

#: Keys of a test's dicts whose entries a student's function may change (see allow_updates).
_UPDATABLE = set()

#: The functions forbidden by the ``forbid_delegation`` blocks now running (innermost last).
_FORBIDDEN = []


def check_type(actual, expected_type, name):
    """Fail unless `actual` is an instance of `expected_type`.

    A ``None`` gets its own message: it almost always means a missing ``return``.
    """
    if isinstance(actual, expected_type):
        return
    if actual is None:
        raise AssertionError(f"{name} returned None: did you forget a `return` statement?")
    wanted = getattr(expected_type, "__name__", str(expected_type))
    raise AssertionError(f"{name} should be a {wanted}, got a {type(actual).__name__}")


def check_shape(actual, shape, name):
    """Fail unless ``np.shape(actual) == shape``."""
    check_type(actual, np.ndarray, name)
    if actual.shape != tuple(shape):
        raise AssertionError(f"{name}: expected shape {tuple(shape)}, got {actual.shape}")


def check_dtype(actual, dtype, name):
    """Fail unless `actual` has `dtype` (e.g. float32 in, float32 out)."""
    check_type(actual, np.ndarray, name)
    if actual.dtype != np.dtype(dtype):
        why = (" (mixing in a float64 constant or array upcasts float32)"
               if np.dtype(dtype) == np.float32 and actual.dtype == np.float64 else "")
        raise AssertionError(f"{name}: expected dtype {np.dtype(dtype)}, got {actual.dtype}{why}")


def check_finite(actual, name):
    """Fail if `actual` holds nan or inf, naming the first bad index."""
    values = np.asarray(actual)
    bad = ~np.isfinite(values)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(
            f"{name} contains {values[index].item()} at index {index}: "
            "look for an exp that overflows, a log of 0, or a division by 0"
        )


def matches(actual, candidate, rtol=1e-5, atol=1e-8):
    """True when `actual` equals `candidate` in shape and, within tolerance, in value."""
    try:
        a = np.asarray(actual, dtype=np.float64)
        b = np.asarray(candidate, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _raise_hint(actual, hints, name, expected=None):
    for message, mistaken in (hints or {}).items():
        if expected is not None and matches(mistaken, expected):
            continue  # on this input the mistake gives the right answer: no evidence of it
        if matches(actual, mistaken):
            raise AssertionError(f"{name}: {message}")


def check_close(actual, expected, name, rtol=1e-6, atol=1e-8, hints=None):
    """Fail unless `actual` is close to `expected` element-wise.

    Parameters
    ----------
    actual, expected : array_like or float
    name : str
        How the message names the value, e.g. ``"softmax(Z)"``.
    rtol, atol : float
        As in ``np.testing.assert_allclose``.
    hints : mapping of str to array_like, optional
        Message -> what a known mistake would return; the message of the first
        mistake that `actual` matches is raised instead of the generic one.
    """
    if hints is not None and not isinstance(hints, Mapping):
        raise TypeError("hints must be a dict mapping a message to the mistaken output")
    if actual is None:
        check_type(actual, np.ndarray, name)
    expected = np.asarray(expected)
    try:
        values = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{name} should be numeric, got a {type(actual).__name__}"
        ) from None
    if values.shape != expected.shape:
        _raise_hint(actual, hints, name, expected)
        raise AssertionError(f"{name}: expected shape {expected.shape}, got {values.shape}")
    _raise_hint(actual, hints, name, expected)
    if np.isfinite(expected).all():
        check_finite(values, name)
    with np.errstate(invalid="ignore"):
        ok = np.isclose(values, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        error = np.abs(values - expected)
        index = tuple(int(i) for i in np.argwhere(~ok)[0]) if values.ndim else ()
        raise AssertionError(
            f"{name}: {int((~ok).sum())} of {ok.size} values differ from the expected ones; "
            f"first at index {index}: got {values[index].item()!r}, expected {expected[index].item()!r} "
            f"(largest absolute error {np.nanmax(error):.3g})"
        )


def check_array(actual, expected, name, rtol=1e-6, atol=1e-8, dtype=None, hints=None):
    """Shape, then dtype, then values: the order in which a student should fix things.

    `dtype` defaults to the dtype of `expected` when it is an ndarray.
    """
    check_type(actual, np.ndarray, name)
    expected = np.asarray(expected)
    if actual.shape != expected.shape:
        _raise_hint(actual, hints, name, expected)
        raise AssertionError(f"{name}: expected shape {expected.shape}, got {actual.shape}")
    check_dtype(actual, expected.dtype if dtype is None else dtype, name)
    check_close(actual, expected, name, rtol=rtol, atol=atol, hints=hints)


def call_strict(function, *args, name, hint, **kwargs):
    """Call ``function(*args, **kwargs)``; an overflow, a division by zero, an invalid
    operation or a RuntimeWarning fails with `hint` instead of printing a warning.

    Underflow to 0 is allowed: it is what a stable softmax does with very negative scores.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
                return function(*args, **kwargs)
    except (FloatingPointError, RuntimeWarning) as err:
        raise AssertionError(f"{name} gave '{err}': {hint}") from None


def _refuse(*args, **kwargs):
    raise AssertionError(
        "this exercise asks for your own implementation: it may not call "
        "nnlib's version of the same function"
    )


@contextmanager
def forbid_delegation(*functions):
    """Make nnlib's own versions of `functions` fail while the block runs.

    The code object is swapped, so every name bound to the function (an import
    under another name, a module attribute) refuses alike; it is restored after.
    """
    for f in functions:
        if not hasattr(f, "__code__"):
            raise TypeError(f"forbid_delegation needs Python functions; {f!r} has no code to swap "
                            "(a NumPy ufunc such as np.tanh cannot be forbidden)")
    saved = [(f, f.__code__) for f in functions]
    _FORBIDDEN.append(saved)
    try:
        for f, _ in saved:
            f.__code__ = _refuse.__code__
        yield
    finally:
        _FORBIDDEN.pop()
        for f, code in saved:
            f.__code__ = code


def forbidden_functions():
    """(function, its own code) of each function forbidden right now: a student's function
    that runs in the grading sandbox (``nngrader.sandbox.remote``) gets the same ones forbidden there."""
    return [pair for saved in _FORBIDDEN for pair in saved]


def allow_updates(*keys):
    """Let a student's function change these entries of the dicts a test passes it.

    In one process a function can change anything it is given; graded in the sandbox
    (``nngrader.sandbox.remote``), what it does to a test's arrays stays there, so it cannot zero
    a test's inputs to make the expected value zero too. A notebook whose functions
    update state in a dict (batch norm's running statistics) names those keys here.
    With no arguments, forget all keys (the grader does so before each notebook).
    """
    if not keys:
        _UPDATABLE.clear()
    _UPDATABLE.update(str(key) for key in keys)


def updatable_keys():
    """The keys named by ``allow_updates``."""
    return set(_UPDATABLE)
