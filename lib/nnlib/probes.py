"""Probes that watch a student's function while it runs: how many NumPy operations it does.

A count does not depend on the machine's load, so "no Python loop over the samples"
can be checked by comparing the count on a small batch with the count on a large
one. The probe runs next to the student's code (in the grading sandbox when
grading), so it is a teaching check, not a secure one: ``nngrader.sandbox.remote`` forwards it.
"""

import numpy as np

__all__ = ["CountingArray", "count_operations"]


class CountingArray(np.ndarray):
    """An ndarray that counts the NumPy operations, indexing and item assignments done
    on it and on the arrays computed from it (in ``CountingArray.count``)."""

    count = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        CountingArray.count += 1
        out = kwargs.get("out")
        kwargs = {k: tuple(map(_plain, v)) if k == "out" else _plain(v) for k, v in kwargs.items()}
        result = getattr(ufunc, method)(*map(_plain, inputs), **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return tuple(map(_counting, result)) if isinstance(result, tuple) else _counting(result)

    def __getitem__(self, key):
        CountingArray.count += 1
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        CountingArray.count += 1
        super().__setitem__(key, value)


def _plain(a):
    return a.view(np.ndarray) if isinstance(a, CountingArray) else a


def _counting(a):
    return a.view(CountingArray) if isinstance(a, np.ndarray) else a


def _wrap(value):
    """`value` with every float array in it (inside tuples, lists and dicts too) counting."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.asarray(value).view(CountingArray)
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    return value


def count_operations(function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` with its float arrays counting NumPy operations.

    Returns
    -------
    (result, count) : what the function returned, and how many operations it did.
    Dicts among the arguments are updated in place, as the function left them.
    """
    remote = getattr(function, "nnlib_count_operations", None)
    if remote is not None:  # a student's function in the grading sandbox: count there
        return remote(*args, **kwargs)
    wrapped_args, wrapped_kwargs = _wrap(args), _wrap(kwargs)
    # The wrappers handed in: an entry still holding its wrapper was changed in place, if at all.
    handed = [dict(w) if isinstance(w, dict) else {} for w in list(wrapped_args) + list(wrapped_kwargs.values())]
    CountingArray.count = 0
    result = function(*wrapped_args, **wrapped_kwargs)
    count = CountingArray.count
    for original, wrapped, before in zip(list(args) + list(kwargs.values()),
                                         list(wrapped_args) + list(wrapped_kwargs.values()), handed):
        if isinstance(original, dict):
            original.update({k: _plain(v) for k, v in wrapped.items()
                             if not (isinstance(v, CountingArray) and before.get(k) is v)})
    return result, count
