"""Support module of 03_mlp_backprop: what earlier notebooks taught, ready to use.

Reference versions, from the assignment that taught each:

- ``softmax`` (01_softmax)
- ``log_softmax`` (01_softmax)
- ``softmax_cross_entropy`` (02_cross_entropy)
- ``softmax_cross_entropy_grad`` (02_cross_entropy)

Written by ``nngrader build`` from course/blocks.py; do not edit.
"""

import numpy as np

__all__ = ['softmax', 'log_softmax', 'softmax_cross_entropy', 'softmax_cross_entropy_grad']


def softmax(Z, axis=-1):
    """Stable softmax along `axis`.

    Parameters
    ----------
    Z : ndarray of any shape, e.g. (N, C) logits

    Returns
    -------
    P : ndarray of Z's shape; sums to 1 along `axis`
    """
    Z = np.asarray(Z)
    shifted = Z - Z.max(axis=axis, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=axis, keepdims=True)


def log_softmax(Z, axis=-1):
    """Stable log-softmax along `axis` (log-sum-exp): ndarray of Z's shape."""
    Z = np.asarray(Z)
    shifted = Z - Z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _as_distributions(Z, Y):
    """Y as (N, C) label distributions: integer labels (N,) become one-hot rows."""
    N, C = Z.shape
    Y = np.asarray(Y)
    if Y.ndim == 1:
        if not np.issubdtype(Y.dtype, np.integer):
            raise TypeError(f"integer labels expected for 1-D Y, got dtype {Y.dtype}")
        if Y.shape[0] != N or (Y.size and (Y.min() < 0 or Y.max() >= C)):
            raise ValueError(f"Y must hold N={N} labels in 0..{C - 1}")
        return np.eye(C, dtype=Z.dtype)[Y]
    if Y.shape != Z.shape:
        raise ValueError(f"Y must be (N,) labels or (N, C) = {Z.shape} distributions, got {Y.shape}")
    return Y


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy J of softmax(Z) against labels Y.

    Parameters
    ----------
    Z : ndarray of shape (N, C), logits
    Y : ndarray of shape (N,) integer labels, or (N, C) label distributions

    Returns
    -------
    J : float
    """
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Z must be (N, C) logits, got shape {Z.shape}")
    return float(-np.sum(_as_distributions(Z, Y) * log_softmax(Z)) / Z.shape[0])


def softmax_cross_entropy_grad(Z, Y):
    """dJ/dZ of the mean softmax cross-entropy: ndarray of shape (N, C)."""
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Z must be (N, C) logits, got shape {Z.shape}")
    return (softmax(Z) - _as_distributions(Z, Y)) / Z.shape[0]
