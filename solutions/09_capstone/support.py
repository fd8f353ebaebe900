"""Support module of 09_capstone: what earlier notebooks taught, ready to use.

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
- ``he_std`` (05_initialisation)
- ``xavier_std`` (05_initialisation)

Written by ``nngrader build`` from course/blocks.py; do not edit.
"""

import numpy as np

__all__ = ['softmax', 'log_softmax', 'softmax_cross_entropy', 'softmax_cross_entropy_grad', 'sigmoid', 'affine_forward', 'affine_backward', 'init_mlp', 'num_layers', 'mlp_forward', 'mlp_backward', 'mlp_loss_and_grads', 'mlp_predict', 'relu', 'relu_grad', 'sigmoid_grad', 'tanh_grad', 'ACTIVATIONS', 'dead_fraction', 'he_std', 'xavier_std']


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


def he_std(fan_in, fan_out):
    """He's standard deviation sqrt(2 / fan_in), for ReLU layers (use as init_mlp's std)."""
    return np.sqrt(2.0 / fan_in)


def xavier_std(fan_in, fan_out):
    """Xavier's standard deviation sqrt(2 / (fan_in + fan_out)), for tanh layers."""
    return np.sqrt(2.0 / (fan_in + fan_out))


# ---- 09_capstone's own support code, from course/09_capstone/support.py ----

"""Support module of 09_capstone: the pieces of notebooks 01-08, ready to assemble.

Released with the capstone, after the deadlines of 01-08. It holds reference
versions of what those notebooks taught (layers, initialisation, dropout, batch
norm, learning-rate decay, early stopping, a softmax classifier) and the
plumbing of the capstone (padding sentences, a training loop with switches).
Nothing graded in 09 is here: Naive Bayes, the averaged-embedding layer and the
assembled loss are yours to write in the notebook.

Shapes follow the course: rows are samples, a weight matrix is (out, in) and a
batch goes through as ``Z = X @ W.T + b``.

Contents
--------
pad_ids                   token lists -> (N, T) word ids, padded with the PAD id 0
relu_forward/backward     the ReLU and its derivative (04)
he_normal, small_normal   He initialisation and a naive small Gaussian (05)
init_params               parameters of the capstone's network, He or naive, with or without batch norm
dropout_forward/backward  inverted dropout (06)
batchnorm_forward/backward, batchnorm_eval   batch normalisation (08)
exponential_decay         lr0 * k ** epoch (07)
EarlyStopping             keep the parameters of the best validation epoch (06)
train_model               minibatch SGD with every technique switchable by a config dict
softmax_regression        02's softmax classifier (logistic regression), trained full-batch
"""
import numpy as np

from nnlib.train import SGD, train

__all__ = ["pad_ids", "relu_forward", "relu_backward", "he_normal", "small_normal", "init_params",
           "dropout_forward", "dropout_backward", "batchnorm_forward", "batchnorm_backward",
           "batchnorm_eval", "exponential_decay", "EarlyStopping", "train_model", "softmax_regression",
           "FULL_CONFIG"]

#: Every technique on: the capstone's network before the ablation switches one off.
FULL_CONFIG = {"he_init": True, "keep_prob": 0.8, "l2": 1e-3, "early_stopping": True,
               "lr_decay": True, "batch_norm": True}


def pad_ids(token_lists, vocab, length=None):
    """Word ids of each sentence, left-aligned and padded with the PAD id (0).

    Parameters
    ----------
    token_lists : list of N lists of str
    vocab : nnlib.text.Vocabulary
    length : int, optional
        Columns T of the result (default: the longest sentence); longer sentences are cut.

    Returns
    -------
    ids : ndarray of shape (N, T), int64; row n holds sentence n's ids, then zeros
    """
    T = length if length is not None else max(len(tokens) for tokens in token_lists)
    ids = np.full((len(token_lists), T), vocab.pad_id, dtype=np.int64)
    for row, tokens in zip(ids, token_lists):
        encoded = vocab.encode(tokens)[:T]
        row[:len(encoded)] = encoded
    return ids


def relu_forward(Z):
    """ReLU; returns ``(A, on)`` with ``on`` the boolean mask of the units that are on (Z > 0)."""
    on = Z > 0
    return np.where(on, Z, np.zeros_like(Z)), on


def relu_backward(dA, on):
    """Gradient through a ReLU: dA where the unit was on, 0 elsewhere."""
    return np.where(on, dA, np.zeros_like(dA))


def he_normal(fan_in, fan_out, rng):
    """He initialisation for ReLU layers: N(0, 2 / fan_in), shape (fan_out, fan_in)."""
    scale = np.sqrt(2.0 / fan_in)
    return scale * rng.standard_normal((fan_out, fan_in))


def small_normal(fan_in, fan_out, rng, std=0.01):
    """The naive initialisation of 05: N(0, std**2) whatever the fan-in, shape (fan_out, fan_in)."""
    return std * rng.standard_normal((fan_out, fan_in))


def init_params(V, D, H, C, rng, he_init=True, batch_norm=True, embedding_std=0.1):
    """Parameters of embedding (V, D) -> average -> affine (H) [-> batch norm] -> ReLU -> affine (C).

    Parameters
    ----------
    V, D, H, C : int
        Vocabulary size, word-vector size, hidden units, classes.
    rng : numpy.random.Generator
    he_init : bool
        He initialisation of W1 and W2 (else the naive N(0, 0.01**2)).
    batch_norm : bool
        Add "gamma" (ones) and "beta" (zeros), of shape (H,).
    embedding_std : float
        Standard deviation of the word vectors E.

    Returns
    -------
    params : dict with "E" (V, D), "W1" (H, D), "b1" (H,), "W2" (C, H), "b2" (C,)
        [, "gamma" (H,), "beta" (H,)]
    """
    init = he_normal if he_init else small_normal
    params = {"E": embedding_std * rng.standard_normal((V, D)),
              "W1": init(D, H, rng), "b1": np.zeros(H),
              "W2": init(H, C, rng), "b2": np.zeros(C)}
    if batch_norm:
        params["gamma"], params["beta"] = np.ones(H), np.zeros(H)
    return params


def dropout_forward(A, keep_prob, rng):
    """Inverted dropout at training time: keep each unit with probability keep_prob, scale by 1/keep_prob.

    Returns ``(out, mask)``: out has A's shape, mask is the boolean array of the kept units.
    """
    kept = rng.random(A.shape) < keep_prob
    return np.where(kept, A / keep_prob, np.zeros_like(A)), kept


def dropout_backward(dout, kept, keep_prob):
    """Gradient through inverted dropout: the same mask and the same 1/keep_prob."""
    return np.where(kept, dout / keep_prob, np.zeros_like(dout))


def batchnorm_forward(Z, gamma, beta, eps=1e-5):
    """Batch normalisation in training mode (the minibatch's own mean and biased variance).

    Parameters
    ----------
    Z : ndarray of shape (N, H), N >= 2
    gamma, beta : ndarray of shape (H,)

    Returns
    -------
    out : ndarray of shape (N, H), gamma * (Z - mean) / sqrt(var + eps) + beta
    cache : for batchnorm_backward
    """
    centred = Z - Z.mean(axis=0)
    inv_sd = 1.0 / np.sqrt((centred ** 2).mean(axis=0) + eps)
    normed = centred * inv_sd
    return gamma * normed + beta, (normed, gamma, inv_sd)


def batchnorm_backward(dout, cache):
    """Gradients of batchnorm_forward: ``(dZ (N, H), dgamma (H,), dbeta (H,))``."""
    normed, gamma, inv_sd = cache
    g = dout * gamma
    dZ = inv_sd * (g - g.mean(axis=0) - normed * np.mean(g * normed, axis=0))
    return dZ, np.sum(dout * normed, axis=0), np.sum(dout, axis=0)


def batchnorm_eval(Z, gamma, beta, mean, var, eps=1e-5):
    """Batch normalisation at prediction time, with fixed statistics `mean`, `var` of shape (H,)."""
    return gamma * (Z - mean) / np.sqrt(var + eps) + beta


def exponential_decay(lr0, epoch, decay_factor):
    """Exponential learning-rate decay of the lecture: ``lr0 * decay_factor ** epoch``."""
    return lr0 * np.power(float(decay_factor), epoch)


class EarlyStopping:
    """Remember the parameters of the epoch with the lowest validation loss; say when to stop.

    Parameters
    ----------
    patience : int
        Epochs in a row without a new best that end the training.
    """

    def __init__(self, patience):
        self.patience, self.waited = patience, 0
        self.best_loss, self.best_epoch, self.best_params = np.inf, None, None

    def step(self, epoch, val_loss, params):
        """Record one epoch; True when training should stop."""
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch, self.waited = val_loss, epoch, 0
            self.best_params = {key: np.array(value, copy=True) for key, value in params.items()}
            return False
        self.waited += 1
        return self.waited > self.patience


def train_model(params, loss_and_grads, ids, y, config, rng, evaluate, epochs=20, batch_size=50,
                lr=0.5, decay_factor=0.9, patience=4, progress=False):
    """Train the capstone's network with minibatch SGD; every technique is switched by `config`.

    Parameters
    ----------
    params : dict of str to ndarray, updated in place (from init_params)
    loss_and_grads : callable
        ``loss_and_grads(params, ids, y, config, rng) -> (loss, grads)``, your training step.
    ids : ndarray of shape (N, T), y : ndarray of shape (N,)
        The training sentences (padded word ids) and labels.
    config : dict
        "keep_prob", "l2", "batch_norm" (used by loss_and_grads), "lr_decay" (exponential
        decay of the learning rate, factor `decay_factor` per epoch), "early_stopping" (keep
        the parameters of the best validation epoch, stop after `patience` epochs without one).
    rng : numpy.random.Generator
        Shuffles the minibatches and draws the dropout masks.
    evaluate : callable
        ``evaluate(params) -> (val_loss, val_accuracy)`` on the validation set.

    Returns
    -------
    history : dict of per-epoch lists "loss", "val_loss", "val_accuracy", "lr", and
        "best_epoch" (the epoch whose parameters `params` holds at the end).
    """
    update = SGD(lr=lr)
    stopper = EarlyStopping(patience)
    scores = {"val_loss": [], "val_accuracy": []}

    def on_epoch_end(epoch, history, current):
        val_loss, val_accuracy = evaluate(current)
        scores["val_loss"].append(val_loss)
        scores["val_accuracy"].append(val_accuracy)
        if config["lr_decay"]:
            update.lr = exponential_decay(lr, epoch + 1, decay_factor)
        return stopper.step(epoch, val_loss, current) and config["early_stopping"]

    history = train(params, lambda p, X, t: loss_and_grads(p, X, t, config, rng), update, ids, y,
                    epochs=epochs, batch_size=batch_size, rng=rng, on_epoch_end=on_epoch_end,
                    progress=progress, desc="network")
    history.update(scores)
    history["best_epoch"] = len(scores["val_loss"]) - 1
    if config["early_stopping"] and stopper.best_params is not None:
        for key, value in stopper.best_params.items():
            params[key][...] = value
        history["best_epoch"] = stopper.best_epoch
    return history


def softmax_regression(X, y, n_classes, epochs=200, lr=0.5, l2=1e-3):
    """02's softmax classifier (multinomial logistic regression), full-batch gradient descent.

    Parameters
    ----------
    X : ndarray of shape (N, d), e.g. bag-of-words counts
    y : ndarray of shape (N,), labels in 0..n_classes-1
    n_classes : int
    epochs, lr, l2 : gradient steps, learning rate, L2 strength (on W only)

    Returns
    -------
    W : ndarray of shape (n_classes, d), b : ndarray of shape (n_classes,)
        Scores of new inputs: ``X_new @ W.T + b``.
    """
    W, b = np.zeros((n_classes, X.shape[1])), np.zeros(n_classes)
    for _step in range(epochs):
        dZ = softmax_cross_entropy_grad(X @ W.T + b, y)
        W -= lr * (dZ.T @ X + l2 * W)
        b -= lr * np.sum(dZ, axis=0)
    return W, b
