"""Support module of 05_initialisation: what earlier notebooks taught, ready to use.

Reference versions, from the assignment that taught each:

- ``softmax`` (01_softmax)
- ``log_softmax`` (01_softmax)
- ``softmax_cross_entropy`` (02_cross_entropy)
- ``softmax_cross_entropy_grad`` (02_cross_entropy)
- ``sigmoid`` (04_activations)
- ``affine_forward`` (03_mlp_backprop)
- ``affine_backward`` (03_mlp_backprop)
- ``init_mlp`` (03_mlp_backprop)
- ``num_layers`` (03_mlp_backprop)
- ``mlp_forward`` (03_mlp_backprop)
- ``mlp_backward`` (03_mlp_backprop)
- ``mlp_loss_and_grads`` (03_mlp_backprop)
- ``mlp_predict`` (03_mlp_backprop)
- ``relu`` (04_activations)
- ``relu_grad`` (04_activations)
- ``sigmoid_grad`` (04_activations)
- ``tanh_grad`` (04_activations)
- ``ACTIVATIONS`` (04_activations)
- ``dead_fraction`` (04_activations)

Written by ``nngrader build`` from course/blocks.py; do not edit.
"""

import numpy as np

__all__ = ['softmax', 'log_softmax', 'softmax_cross_entropy', 'softmax_cross_entropy_grad', 'sigmoid', 'affine_forward', 'affine_backward', 'init_mlp', 'num_layers', 'mlp_forward', 'mlp_backward', 'mlp_loss_and_grads', 'mlp_predict', 'relu', 'relu_grad', 'sigmoid_grad', 'tanh_grad', 'ACTIVATIONS', 'dead_fraction']


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


def sigmoid(x):
    """Logistic function without overflow at any x; float32 stays float32."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(np.result_type(x, np.float32))


def affine_forward(X, W, b):
    """Z = X W^T + b.  X : (N, in), W : (out, in), b : (out,)  ->  Z : (N, out), cache."""
    return X @ W.T + b, (X, W)


def affine_backward(dout, cache):
    """Gradients of an affine layer: (dX (N, in), dW (out, in), db (out,))."""
    X, W = cache
    return dout @ W, dout.T @ X, dout.sum(axis=0)


def init_mlp(sizes, rng, std):
    """Gaussian weights and zero biases for layer widths ``sizes = [d, h1, ..., C]``.

    std : a float, or a function ``std(fan_in, fan_out)`` giving each layer's
    standard deviation. Returns ``{"W1": (h1, d), "b1": (h1,), ..., "bL": (C,)}``.
    """
    if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
        raise ValueError(f"sizes must list at least two positive layer widths, got {sizes}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a np.random.Generator, e.g. np.random.default_rng(0)")
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        scale = std(fan_in, fan_out) if callable(std) else float(std)
        params[f"W{l}"] = rng.normal(0.0, scale, size=(fan_out, fan_in))
        params[f"b{l}"] = np.zeros(fan_out)
    return params


def num_layers(params):
    """How many affine layers `params` holds."""
    return sum(1 for k in params if k.startswith("W"))


def mlp_forward(X, params, activation):
    """Logits of the network: affine, f, ..., affine (no activation at the end).

    X : (N, d); activation : a pair (f, df)  ->  logits : (N, C), cache
    """
    f, _ = activation
    L = num_layers(params)
    caches, A = [], X
    for l in range(1, L + 1):
        Z, affine_cache = affine_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((affine_cache, Z))
        A = f(Z) if l < L else Z
    return A, (caches, activation)


def mlp_backward(dlogits, cache):
    """Gradients of every parameter, given dJ/dlogits (N, C): a dict keyed like params."""
    caches, (_, df) = cache
    grads, dA = {}, dlogits
    for l in range(len(caches), 0, -1):
        affine_cache, Z = caches[l - 1]
        dZ = dA if l == len(caches) else dA * df(Z)
        dA, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(dZ, affine_cache)
    return grads


def mlp_loss_and_grads(params, X, y, activation):
    """Mean softmax cross-entropy J of the network and its gradients: (float, dict).

    Fits ``nnlib.train.train``: ``lambda p, X, y: mlp_loss_and_grads(p, X, y, (np.tanh, tanh_grad))``.
    """
    logits, cache = mlp_forward(X, params, activation)
    return softmax_cross_entropy(logits, y), mlp_backward(softmax_cross_entropy_grad(logits, y), cache)


def mlp_predict(params, X, activation):
    """Predicted class per sample: (N,) integers."""
    return np.argmax(mlp_forward(X, params, activation)[0], axis=1)


def relu(x):
    """max(0, x), element-wise."""
    return np.maximum(x, 0)


def relu_grad(x):
    """ReLU's derivative, 0 at x = 0 (PyTorch's convention)."""
    return (x > 0).astype(np.result_type(x, np.float32))


def sigmoid_grad(x):
    """sigma(x) (1 - sigma(x))."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh_grad(x):
    """1 - tanh(x)^2."""
    return 1 - np.tanh(x) ** 2


#: name -> (f, df), the activations 04 teaches, ready for mlp_forward.
ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (np.tanh, tanh_grad),
}


def dead_fraction(A):
    """Fraction of units that are dead: columns of A (N, n) activations that are 0 for every sample."""
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be (N, n) activations, got shape {A.shape}")
    return float(np.mean(np.all(A == 0, axis=0)))
