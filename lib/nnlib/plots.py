"""Plotting helpers for the course notebooks.

Every helper takes a matplotlib ``Axes`` as its first argument, draws on it and
returns it; none calls ``plt.show()`` or changes global matplotlib state::

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    plots.decision_boundary(ax1, model.predict, X, y)
    plots.curves(ax2, history, keys=("loss", "val_loss"))

Classes are coloured with the ``tab10`` palette, class ``k`` in ``CLASS_COLORS[k]``.
"""
import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.ticker import MaxNLocator

__all__ = [
    "CLASS_COLORS", "scatter", "decision_boundary", "probability_map", "curves",
    "mark_epoch", "function_and_derivative", "layer_histograms", "layer_norms",
]

# ndarray of shape (10, 3): the RGB colour of class k is row k.
CLASS_COLORS = np.array([to_rgb(c) for c in matplotlib.colormaps["tab10"].colors])


def _check_data(X, y):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (N, 2) with N >= 1 (two features per row), got {X.shape}.")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X, got {y.shape}.")
    return X, _check_labels(y, "y")


def _check_labels(labels, name):
    """Integer class indices in [0, 10), as an int array."""
    labels = np.asarray(labels)
    if not (labels.dtype.kind in "iub" or labels.dtype.kind == "f" and np.all(labels % 1 == 0)):
        raise ValueError(f"{name} must hold integer class indices, got dtype {labels.dtype}.")
    labels = labels.astype(int)
    if labels.size and (labels.min() < 0 or labels.max() >= len(CLASS_COLORS)):
        raise ValueError(f"{name} must hold class indices in 0..{len(CLASS_COLORS) - 1}.")
    return labels


def _grid(X, resolution, padding):
    """Grid covering X: (xx, yy) of shape (R, R) and their (R*R, 2) rows."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}.")
    if not (np.isfinite(padding) and padding >= 0):
        raise ValueError(f"padding must be a non-negative number, got {padding!r}.")
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _scatter_classes(ax, X, y, class_names, feature_names, title):
    """Data coloured by class, a legend of classes, axis labels and title."""
    for k in np.unique(y):
        name = class_names[k] if class_names is not None else f"class {k}"
        ax.scatter(*X[y == k].T, color=CLASS_COLORS[k], edgecolors="k", linewidths=0.5, s=20, label=name)
    ax.legend(loc="best")
    xlabel, ylabel = feature_names if feature_names is not None else ("$x_1$", "$x_2$")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)


def scatter(ax, X, y, class_names=None, feature_names=None, title=None):
    """2-D data coloured by class, in the colours the boundary plots use.

    X : (N, 2), y : (N,) integer classes.
    """
    X, y = _check_data(X, y)
    _check_names(class_names, feature_names, int(y.max()) + 1)
    _scatter_classes(ax, X, y, class_names, feature_names, title)
    return ax


def _check_names(class_names, feature_names, n_classes):
    if class_names is not None and len(class_names) < n_classes:
        raise ValueError(f"class_names must name all {n_classes} classes, got {len(class_names)} names.")
    if feature_names is not None and len(feature_names) != 2:
        raise ValueError(f"feature_names must hold 2 names (x and y axis), got {len(feature_names)}.")


def decision_boundary(ax, predict, X, y, resolution=200, padding=0.5, title=None,
                      class_names=None, feature_names=None):
    """Regions of the predicted class over the plane, with the data on top.

    Parameters
    ----------
    ax : matplotlib Axes
    predict : callable
        ``predict(P) -> labels``: ndarray of shape (M, 2) to int class
        indices of shape (M,).
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,), int class indices in 0..9
    resolution : int, default 200
        Grid points per axis.
    padding : float, default 0.5
        Margin around the data, in data units.
    title : str, optional
    class_names : sequence of str, optional
        Legend entry of class k; default "class k".
    feature_names : pair of str, optional
        Axis labels; default "$x_1$", "$x_2$".

    Returns
    -------
    ax : the given Axes, with one filled contour set (level k is class k)
    and one scatter collection per class present in `y`.
    """
    X, y = _check_data(X, y)
    xx, yy, grid = _grid(X, resolution, padding)
    pred = np.asarray(predict(grid))
    if pred.shape != (len(grid),):
        hint = ("; it looks like probabilities: take their argmax(axis=1), or use probability_map"
                if pred.ndim == 2 and pred.shape[1] > 1 else "")
        raise ValueError(f"predict must return class indices of shape ({len(grid)},), got {pred.shape}{hint}.")
    pred = _check_labels(pred, "predict's output")
    n_classes = max(pred.max(), y.max()) + 1
    _check_names(class_names, feature_names, n_classes)

    ax.contourf(xx, yy, pred.reshape(xx.shape), levels=np.arange(n_classes + 1) - 0.5,
                cmap=ListedColormap(CLASS_COLORS[:n_classes]), alpha=0.3)
    _scatter_classes(ax, X, y, class_names, feature_names, title)
    return ax


def probability_map(ax, predict_proba, X, y, resolution=200, padding=0.5, title=None,
                    class_names=None, feature_names=None):
    """Predicted class probabilities as a colour image, with the data on top.

    Each pixel is the probability-weighted mean of the class colours,
    ``P @ CLASS_COLORS[:C]``, blended 40% towards white so that the data
    points stay visible: confident regions show a class colour, uncertain
    ones a mixture.

    Parameters
    ----------
    ax : matplotlib Axes
    predict_proba : callable
        ``predict_proba(P) -> probs``: ndarray of shape (M, 2) to class
        probabilities of shape (M, C), rows non-negative and summing to 1.
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,), int class indices in 0..C-1
    resolution, padding, title, class_names, feature_names
        As in `decision_boundary`.

    Returns
    -------
    ax : the given Axes, with one image of shape (resolution, resolution, 3)
    (row 0 at the bottom) and one scatter collection per class in `y`.
    """
    X, y = _check_data(X, y)
    xx, yy, grid = _grid(X, resolution, padding)
    probs = np.asarray(predict_proba(grid), dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] != len(grid) or not 1 <= probs.shape[1] <= len(CLASS_COLORS):
        raise ValueError(
            f"predict_proba must return shape ({len(grid)}, C) with 1 <= C <= 10, got {probs.shape}."
        )
    if (not np.all(np.isfinite(probs)) or probs.min() < -1e-6 or probs.max() > 1 + 1e-6
            or not np.allclose(probs.sum(axis=1), 1, atol=1e-4)):
        raise ValueError(
            "predict_proba must return probabilities (each row non-negative, summing to 1); "
            "did you forget the softmax?"
        )
    n_classes = probs.shape[1]
    if y.max() >= n_classes:
        raise ValueError(f"y holds class {y.max()} but predict_proba returns only {n_classes} classes.")
    _check_names(class_names, feature_names, n_classes)

    rgb = np.clip(probs, 0, 1) @ CLASS_COLORS[:n_classes]
    rgb = 0.6 * rgb + 0.4
    ax.imshow(np.clip(rgb, 0, 1).reshape(*xx.shape, 3), origin="lower", aspect="auto",
              extent=(xx[0, 0], xx[0, -1], yy[0, 0], yy[-1, 0]), interpolation="nearest")
    _scatter_classes(ax, X, y, class_names, feature_names, title)
    return ax


def curves(ax, history, keys=("loss",), title=None, ylabel=None, logy=False):
    """Per-epoch curves of a training history, epochs numbered from 1.

    `history` maps a key to a list with one float per epoch, as returned by
    `nnlib.train.train`; ``history[key][e]`` is drawn at epoch ``e + 1``.
    `keys` (a str or a sequence of str) selects the lines, labelled by key;
    `logy` makes the y axis logarithmic.
    """
    if isinstance(keys, str):
        keys = (keys,)
    missing = [k for k in keys if k not in history]
    if missing:
        raise ValueError(f"history has no key {missing[0]!r}; available keys: {sorted(history)}.")
    for key in keys:
        values = np.asarray(history[key], dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(f"history[{key!r}] must be a list with one number per epoch.")
        ax.plot(np.arange(1, len(values) + 1), values, label=key)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax


def mark_epoch(ax, epoch, label):
    """A dashed vertical line at `epoch` (on the 1-based x axis of `curves`), with a legend entry.

    `train`'s `on_epoch_end` counts epochs from 0: mark its epoch ``e`` at ``e + 1``.
    """
    ax.axvline(epoch, linestyle="--", color="0.4", label=label)
    ax.legend()
    return ax


def function_and_derivative(ax, f, df, x=None, name="f"):
    """Plot a function and its derivative on one axes, e.g. an activation.

    Parameters
    ----------
    ax : matplotlib Axes
    f, df : callable
        Element-wise: an ndarray of shape (K,) to one of shape (K,).
    x : ndarray of shape (K,), optional
        Where to evaluate; default ``np.linspace(-5, 5, 401)``.
    name : str, default "f"
        Used in the legend: "name(x)" and "name'(x)".

    Returns
    -------
    ax : the given Axes, with the two curves, a grid and the axes lines at 0.
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-dimensional, got shape {x.shape}.")
    for fn, arg, label in ((f, "f", f"{name}(x)"), (df, "df", f"{name}'(x)")):
        out = np.asarray(fn(x))
        if out.shape != x.shape:
            raise ValueError(f"{arg} must return one value per point of x, shape {x.shape}; got {out.shape}.")
        ax.plot(x, out, label=label)
    ax.axhline(0, color="k", linewidth=0.8)
    ax.axvline(0, color="k", linewidth=0.8)
    ax.grid(True, alpha=0.3)
    ax.set_xlabel("x")
    ax.legend()
    return ax


def layer_histograms(ax, activations, bins=50, labels=None, range=None, cmap="viridis"):
    """One density histogram (step outline) per layer, coloured along `cmap`.

    Parameters
    ----------
    ax : matplotlib Axes
    activations : list of ndarray, any shapes
        One array per layer; all its entries go into that layer's histogram
        (non-finite entries are left out).
    bins : int, default 50
    labels : sequence of str, optional
        One per layer; default "layer 1", "layer 2", ...
    range : (float, float), optional
        Common histogram range; default: from the smallest to the largest
        value over all layers, so that the layers share their bins.
    cmap : str, default "viridis"

    Returns
    -------
    ax : the given Axes, with one patch per layer
    """
    if len(activations) == 0:
        raise ValueError("activations must hold at least one array (one per layer).")
    if labels is not None and len(labels) != len(activations):
        raise ValueError(f"labels must hold one name per layer ({len(activations)}), got {len(labels)}.")
    values = [np.asarray(a, dtype=np.float64).ravel() for a in activations]
    values = [v[np.isfinite(v)] for v in values]
    if range is None:
        nonempty = [v for v in values if v.size]
        if not nonempty:
            raise ValueError("activations hold no finite values to plot.")
        range = (min(v.min() for v in nonempty), max(v.max() for v in nonempty))
    colors = matplotlib.colormaps[cmap](np.linspace(0, 0.9, len(values)))
    for i, (v, color) in enumerate(zip(values, colors)):
        label = labels[i] if labels is not None else f"layer {i + 1}"
        ax.hist(v, bins=bins, range=range, density=True, histtype="step", color=color, label=label)
    ax.set_xlabel("value")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def layer_norms(ax, norms_by_name, title=None):
    """Per-layer values (e.g. gradient norms) against the layer index, log y axis.

    `norms_by_name` maps a name to a sequence of floats, value ``i`` for
    layer ``i + 1``; one line per name. Values <= 0 do not show on a log axis.
    """
    if len(norms_by_name) == 0:
        raise ValueError("norms_by_name must hold at least one sequence of per-layer values.")
    for name, norms in norms_by_name.items():
        norms = np.asarray(norms, dtype=np.float64)
        if norms.ndim != 1:
            raise ValueError(f"norms_by_name[{name!r}] must be a sequence with one value per layer.")
        ax.plot(np.arange(1, len(norms) + 1), norms, marker="o", label=name)
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax
