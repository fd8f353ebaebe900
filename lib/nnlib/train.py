"""A minibatch training loop and a plain SGD update.

A typical use in a notebook::

    from nnlib.train import SGD, train
    history = train(params, loss_and_grads, SGD(lr=0.1), X, y,
                    epochs=20, batch_size=32, rng=rng, validation=(X_val, y_val))

`params` is a dict of arrays, updated in place; `train` returns the history,
a dict of per-epoch lists ready for `nnlib.plots.curves`.
"""
import numbers
import sys

import numpy as np
from tqdm.std import tqdm

from nnlib.datasets import minibatches

__all__ = ["SGD", "train"]


class SGD:
    """Plain stochastic gradient descent: ``params[k] -= lr * grads[k]``.

    Parameters
    ----------
    lr : float
        Learning rate, a positive finite number. It may be changed between
        epochs (``opt.lr = 0.01``), e.g. by a schedule in `on_epoch_end`.
    """

    def __init__(self, lr):
        self.lr = lr

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"lr must be a number (the learning rate), got {type(value).__name__}.")
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"lr must be a positive finite number, got {value!r}.")
        self._lr = float(value)

    def __call__(self, params, grads):
        """Update every parameter named in `grads`, in place.

        Parameters
        ----------
        params : dict of str to ndarray (float)
        grads : dict of str to ndarray, ``grads[k]`` of shape ``params[k].shape``
        """
        for k, g in grads.items():
            if k not in params:
                raise KeyError(f"grads has key {k!r}, which is not in params (keys: {sorted(params)}).")
            if np.shape(g) != np.shape(params[k]):
                raise ValueError(
                    f"grads[{k!r}] has shape {np.shape(g)} but params[{k!r}] has shape "
                    f"{np.shape(params[k])}; a gradient must have its parameter's shape."
                )
        for k, g in grads.items():
            params[k] -= self.lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr!r})"


def _evaluate(loss_and_grads, params, X, y):
    """The loss of `loss_and_grads` as a float, after checking what it returned."""
    out = loss_and_grads(params, X, y)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise TypeError("loss_and_grads must return a pair (loss, grads), with grads a dict of arrays.")
    loss, grads = out
    loss = np.asarray(loss)
    if loss.size != 1:
        raise ValueError(f"loss_and_grads must return a scalar loss, got shape {loss.shape}.")
    return float(loss.reshape(())), grads


def _check_arguments(X, y, epochs, batch_size, rng, validation, metrics):
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X and y must hold the same number (>= 1) of samples, got {len(X)} and {len(y)}.")
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
    if batch_size is not None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer or None (full batch), got {batch_size!r}.")
        if batch_size < len(X) and rng is None:
            raise ValueError(
                "rng is required when batch_size is smaller than the number of samples, to shuffle "
                "the minibatches: pass rng=np.random.default_rng(seed)."
            )
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}.")
    if validation is not None and not (isinstance(validation, (tuple, list)) and len(validation) == 2):
        raise ValueError("validation must be a pair (X_val, y_val).")
    for name, fn in (metrics or {}).items():
        if not callable(fn):
            raise TypeError(f"metrics[{name!r}] must be a function fn(params, X, y) -> float.")
        if name in ("loss", "lr", "diverged") or name.startswith("val_"):
            raise ValueError(f"metrics may not be named {name!r}: the history uses that key already.")


def train(params, loss_and_grads, update, X, y, *, epochs, batch_size=None, rng=None,
          validation=None, metrics=None, on_epoch_end=None, progress=True, desc="training"):
    """Train `params` in place with minibatch gradient steps; return the history.

    Parameters
    ----------
    params : dict of str to ndarray
        The model's parameters, updated in place by `update`.
    loss_and_grads : callable
        ``loss_and_grads(params, X_batch, y_batch) -> (loss, grads)``: the
        mean loss over the batch (float) and a dict of gradients keyed like
        `params`.
    update : callable
        ``update(params, grads)``, e.g. ``SGD(lr=0.1)``. If it has an `lr`
        attribute, the learning rate of every epoch is recorded.
    X : ndarray of shape (N, ...)
    y : ndarray of shape (N, ...)
    epochs : int
        Number of passes over the training set.
    batch_size : int, optional
        Samples per step; None (or >= N) means one full-batch step per epoch.
        The last minibatch of an epoch may be smaller.
    rng : numpy.random.Generator, optional
        Shuffles the minibatches anew every epoch; required when
        ``batch_size < N``.
    validation : (X_val, y_val), optional
        Adds "val_loss" (from `loss_and_grads` on the whole validation set,
        gradients ignored) and "val_<name>" for every metric.
    metrics : dict of str to callable, optional
        ``fn(params, X, y) -> float``, recorded at the end of each epoch as
        "<name>" (training set) and "val_<name>" (validation set).
    on_epoch_end : callable, optional
        ``on_epoch_end(epoch, history, params)``, called after each epoch
        with ``epoch`` counted from 0; a truthy return value (True) stops
        training. It may change ``update.lr`` for the next epoch.
    progress : bool, default True
        Show a text progress bar over epochs on stderr, with the current loss.
    desc : str, default "training"
        Label of the progress bar.

    Returns
    -------
    history : dict
        "loss": per epoch, the sample-weighted mean of the batch losses;
        "val_loss", metric names, "val_<metric>" as requested; "lr": the
        learning rate used during each epoch (when `update` has one); all
        lists have one entry per epoch run. "diverged": True when a batch
        loss was NaN or infinite. Training then stops at once, that batch's
        step is not applied, the epoch's loss is recorded (non-finite) and
        its validation loss and metrics are recorded as NaN.
    """
    _check_arguments(X, y, epochs, batch_size, rng, validation, metrics)
    metrics = dict(metrics or {})
    n = len(X)
    full_batch = batch_size is None or batch_size >= n
    has_lr = hasattr(update, "lr")

    history = {"loss": []}
    if validation is not None:
        history["val_loss"] = []
    for name in metrics:
        history[name] = []
        if validation is not None:
            history["val_" + name] = []
    if has_lr:
        history["lr"] = []
    history["diverged"] = False

    bar = tqdm(total=epochs, desc=desc, disable=not progress, leave=True, mininterval=0.5,
               file=sys.stderr)
    try:
        for epoch in range(epochs):
            if has_lr:
                history["lr"].append(float(update.lr))
            batches = [(X, y)] if full_batch else minibatches(X, y, batch_size, rng=rng)
            total, count = 0.0, 0
            for X_batch, y_batch in batches:
                loss, grads = _evaluate(loss_and_grads, params, X_batch, y_batch)
                total += loss * len(X_batch)
                count += len(X_batch)
                if not np.isfinite(loss):
                    history["diverged"] = True
                    break
                update(params, grads)
            history["loss"].append(total / count)
            postfix = {"loss": f"{total / count:.4g}"}

            if history["diverged"]:
                for key, values in history.items():
                    if key not in ("loss", "lr", "diverged"):
                        values.append(float("nan"))
                bar.set_postfix(postfix, refresh=False)
                bar.update(1)
                break
            if validation is not None:
                history["val_loss"].append(_evaluate(loss_and_grads, params, *validation)[0])
                postfix["val_loss"] = f"{history['val_loss'][-1]:.4g}"
            for name, fn in metrics.items():
                history[name].append(float(fn(params, X, y)))
                if validation is not None:
                    history["val_" + name].append(float(fn(params, *validation)))
            bar.set_postfix(postfix, refresh=False)
            bar.update(1)
            if on_epoch_end is not None and on_epoch_end(epoch, history, params):
                break
    finally:
        bar.close()
    return history
