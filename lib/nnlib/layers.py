"""Building blocks that a notebook has already taught, for later notebooks to reuse.

A notebook's graded functions are the student's own work; the versions here
exist so that *later* notebooks can build on them (02 trains a softmax
classifier with 01's softmax). Hidden tests make delegating to these fail
(see ``nnlib.grading.forbid_delegation``).

Shapes follow the lecture: rows are samples, ``W`` is ``(out, in)``.
"""

import numpy as np

__all__ = [
    "softmax", "log_softmax",                      # 01_softmax
    "softmax_cross_entropy",                       # 02_cross_entropy
    "affine_forward", "affine_backward",           # 03_mlp_backprop
    "sigmoid", "ACTIVATIONS",                      # 04_activations
]


def softmax(Z, axis=-1):
    """Stable softmax along `axis` (01_softmax).

    Parameters
    ----------
    Z : ndarray of any shape, e.g. (N, C) logits

    Returns
    -------
    P : ndarray of Z's shape and float dtype; sums to 1 along `axis`
    """
    Z = np.asarray(Z)
    shifted = Z - Z.max(axis=axis, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=axis, keepdims=True)


def log_softmax(Z, axis=-1):
    """Stable log-softmax along `axis` via log-sum-exp (01_softmax).

    Returns
    -------
    ndarray of Z's shape: ``Z - logsumexp(Z, axis)``
    """
    Z = np.asarray(Z)
    shifted = Z - Z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against labels, and its gradient (02_cross_entropy).

    Parameters
    ----------
    Z : ndarray of shape (N, C), logits
    Y : ndarray of shape (N,) integer labels, or (N, C) label distributions

    Returns
    -------
    loss : float
    dZ : ndarray of shape (N, C), d loss / d Z
    """
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Z must be (N, C) logits, got shape {Z.shape}")
    N, C = Z.shape
    Y = np.asarray(Y)
    if Y.ndim == 1:
        if not np.issubdtype(Y.dtype, np.integer):
            raise TypeError(f"integer labels expected for 1-D Y, got dtype {Y.dtype}")
        if Y.shape[0] != N or (Y.size and (Y.min() < 0 or Y.max() >= C)):
            raise ValueError(f"Y must hold N={N} labels in 0..{C - 1}")
        Y = np.eye(C, dtype=Z.dtype)[Y]
    elif Y.shape != Z.shape:
        raise ValueError(f"Y must be (N,) labels or (N, C) = {Z.shape} distributions, got {Y.shape}")
    loss = -np.sum(Y * log_softmax(Z)) / N
    return float(loss), (softmax(Z) - Y) / N


def affine_forward(X, W, b):
    """Z = X W^T + b (03_mlp_backprop).

    X : (N, in), W : (out, in), b : (out,)  ->  Z : (N, out), cache
    """
    return X @ W.T + b, (X, W)


def affine_backward(dout, cache):
    """Gradients of an affine layer: (dX (N, in), dW (out, in), db (out,))."""
    X, W = cache
    return dout @ W, dout.T @ X, dout.sum(axis=0)


def sigmoid(x):
    """Logistic function without overflow at any x (04_activations)."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.result_type(x, np.float32))


def _relu(x):
    return np.maximum(x, 0)


def _relu_grad(x):
    return (x > 0).astype(np.result_type(x, np.float32))


def _sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def _tanh_grad(x):
    return 1 - np.tanh(x) ** 2


def _identity_grad(x):
    return np.ones_like(x)


#: name -> (f, f') with f' taken at the pre-activation input, as in 04_activations.
ACTIVATIONS = {
    "relu": (_relu, _relu_grad),
    "sigmoid": (sigmoid, _sigmoid_grad),
    "tanh": (np.tanh, _tanh_grad),
    "identity": (lambda x: x, _identity_grad),
}
