"""Support module of 02_cross_entropy: what earlier notebooks taught, ready to use.

Reference versions, from the assignment that taught each:

- ``softmax`` (01_softmax)
- ``log_softmax`` (01_softmax)

Written by ``nngrader build`` from course/blocks.py; do not edit.
"""

import numpy as np

__all__ = ['softmax', 'log_softmax']


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
