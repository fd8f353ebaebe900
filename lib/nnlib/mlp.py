"""A plain multi-layer perceptron built from ``nnlib.layers``, for demonstrations.

Notebooks from 04 on train small networks to *show* something (vanishing
gradients, initialisation, regularisation, schedules, batch norm); this module
is that network, so no notebook pastes it again. It is 03_mlp_backprop's
graded material, so 03's hidden tests forbid delegating to it.

``params`` is a dict ``{"W1": (h1, d), "b1": (h1,), ..., "WL": (C, h_{L-1}), "bL": (C,)}``.
"""

import numpy as np

from nnlib.layers import ACTIVATIONS, affine_backward, affine_forward, softmax_cross_entropy

__all__ = ["init_mlp", "num_layers", "mlp_forward", "mlp_backward", "mlp_loss_and_grads", "mlp_predict"]

_SCALES = {
    "he": lambda fan_in, fan_out: np.sqrt(2.0 / fan_in),
    "xavier": lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out)),
}


def init_mlp(sizes, rng, scheme="he"):
    """Gaussian weights (He or Xavier standard deviation, or a float std) and zero biases.

    sizes : [d, h1, ..., C]  ->  params dict with W_l of shape (sizes[l], sizes[l-1])
    """
    if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
        raise ValueError(f"sizes must list at least two positive layer widths, got {sizes}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a np.random.Generator, e.g. np.random.default_rng(0)")
    if isinstance(scheme, str) and scheme not in _SCALES:
        raise ValueError(f"scheme must be one of {sorted(_SCALES)} or a float std, got {scheme!r}")
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        std = _SCALES[scheme](fan_in, fan_out) if isinstance(scheme, str) else float(scheme)
        params[f"W{l}"] = rng.normal(0.0, std, size=(fan_out, fan_in))
        params[f"b{l}"] = np.zeros(fan_out)
    return params


def num_layers(params):
    """How many affine layers `params` holds."""
    return sum(1 for k in params if k.startswith("W"))


def mlp_forward(X, params, activation="relu"):
    """Logits of the network: affine, activation, ..., affine (no activation at the end).

    X : (N, d)  ->  logits : (N, C), cache
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    f, _ = ACTIVATIONS[activation]
    L = num_layers(params)
    caches, A = [], X
    for l in range(1, L + 1):
        Z, affine_cache = affine_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((affine_cache, Z))
        A = f(Z) if l < L else Z
    return A, (caches, activation)


def mlp_backward(dlogits, cache):
    """Gradients of every parameter, given d loss / d logits (N, C)."""
    caches, activation = cache
    _, df = ACTIVATIONS[activation]
    grads, dA = {}, dlogits
    for l in range(len(caches), 0, -1):
        affine_cache, Z = caches[l - 1]
        dZ = dA if l == len(caches) else dA * df(Z)
        dA, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(dZ, affine_cache)
    return grads


def mlp_loss_and_grads(params, X, y, activation="relu", l2=0.0):
    """Mean softmax cross-entropy (+ l2/2 * sum of squared weights) and its gradients.

    Fits ``nnlib.train.train``: ``lambda p, X, y: mlp_loss_and_grads(p, X, y, "tanh")``.
    """
    logits, cache = mlp_forward(X, params, activation)
    loss, dlogits = softmax_cross_entropy(logits, y)
    grads = mlp_backward(dlogits, cache)
    if l2:
        for k in params:
            if k.startswith("W"):
                loss += 0.5 * l2 * float(np.sum(params[k] ** 2))
                grads[k] = grads[k] + l2 * params[k]
    return loss, grads


def mlp_predict(params, X, activation="relu"):
    """Predicted class per sample: (N,) integers."""
    return np.argmax(mlp_forward(X, params, activation)[0], axis=1)
