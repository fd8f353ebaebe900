"""Small generated data sets, a train/validation split, minibatches and the text corpus.

Nothing is downloaded. Every generator takes the notebook's random generator
as its first argument and returns ``(X, y)``: ``X`` float64 of shape (N, 2),
rows are samples, and ``y`` int64 of shape (N,) with classes ``0 .. C-1``,
in shuffled order::

    rng = np.random.default_rng(472)
    X, y = datasets.fish(rng)                       # lightness, width
    X_train, X_val, y_train, y_val = datasets.train_val_split(X, y, 0.2, rng)
    for X_batch, y_batch in datasets.minibatches(X_train, y_train, 32, rng=rng):
        ...
"""
import numbers
from importlib import resources
from typing import NamedTuple

import numpy as np

from nnlib.text import tokenize

__all__ = ["FISH_FEATURES", "FISH_CLASSES", "fish", "xor", "moons", "spirals", "blobs",
           "train_val_split", "minibatches", "Sentence", "load_corpus", "sentiment_data"]

FISH_FEATURES = ("lightness", "width")
FISH_CLASSES = ("salmon", "sea bass")

# Per class (salmon, sea bass): mean and standard deviation of (lightness, width).
_FISH_MEAN = np.array([[4.5, 16.5], [8.0, 19.0]])
_FISH_STD = np.array([[1.1, 1.0], [1.3, 1.1]])


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator, made once with "
            f"rng = np.random.default_rng(seed); got {type(rng).__name__}."
        )


def _check_count(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _check_noise(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (value >= 0 and np.isfinite(value)):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return float(value)


def _shuffled(rng, X, y):
    order = rng.permutation(len(X))
    return np.ascontiguousarray(X[order], dtype=np.float64), y[order].astype(np.int64)


def fish(rng, n_per_class=100):
    """Lightness and width of salmon (class 0) and sea bass (class 1).

    Two Gaussian clouds, as in Duda, Hart and Stork's Fig. 1.4: salmon are
    darker and narrower, sea bass lighter and wider. The clouds overlap a
    little, so the best line still misclassifies a few fish. The features are
    in their own units (lightness about 2..11, width about 14..22), not
    standardised.

    Parameters
    ----------
    rng : numpy.random.Generator
    n_per_class : int, default 100

    Returns
    -------
    X : ndarray of shape (2 * n_per_class, 2), float64
        Columns are `FISH_FEATURES`.
    y : ndarray of shape (2 * n_per_class,), int64
        Indices into `FISH_CLASSES`.
    """
    _check_rng(rng)
    n = _check_count("n_per_class", n_per_class)
    X = np.concatenate([rng.normal(_FISH_MEAN[c], _FISH_STD[c], size=(n, 2)) for c in (0, 1)])
    y = np.repeat(np.arange(2), n)
    return _shuffled(rng, X, y)


def xor(rng, n=200, noise=0.1):
    """Four clusters at (+-1, +-1) labelled ``(x0 > 0) xor (x1 > 0)``.

    Not linearly separable. The label is computed from each drawn point, so
    the xor rule classifies every sample correctly whatever the noise.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int, default 200
        Total number of samples, spread evenly over the four clusters.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise around each centre.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64
    """
    _check_rng(rng)
    n = _check_count("n", n)
    noise = _check_noise("noise", noise)
    corners = np.array([[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
    X = corners[np.arange(n) % 4] + noise * rng.standard_normal((n, 2))
    y = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    return _shuffled(rng, X, y)


def moons(rng, n=200, noise=0.1):
    """Two interleaving half circles.

    Class 0 lies on the upper unit half circle, class 1 on a lower half
    circle shifted by (1, -0.5) (the layout of scikit-learn's ``make_moons``).

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int, default 200
        Total number of samples; class 0 gets ``n // 2``.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to each point.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64
    """
    _check_rng(rng)
    n = _check_count("n", n)
    noise = _check_noise("noise", noise)
    n_upper = n // 2
    t_upper = np.linspace(0, np.pi, n_upper)
    t_lower = np.linspace(0, np.pi, n - n_upper)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.repeat([0, 1], [n_upper, n - n_upper])
    return _shuffled(rng, X, y)


def spirals(rng, n_per_class=100, n_classes=3, noise=0.2):
    """The spiral set of CS231n: one spiral arm per class.

    Sample ``i`` of class ``j`` has radius ``r = i / (n_per_class - 1)`` and
    angle ``t = 4 j + 4 r + noise * e`` (radians, ``e`` standard normal), at
    ``(r sin t, r cos t)``.

    Parameters
    ----------
    rng : numpy.random.Generator
    n_per_class : int, default 100
    n_classes : int, default 3
        At least 2.
    noise : float, default 0.2
        Standard deviation of the noise on the angle, in radians.

    Returns
    -------
    X : ndarray of shape (n_per_class * n_classes, 2), float64
    y : ndarray of shape (n_per_class * n_classes,), int64
    """
    _check_rng(rng)
    n = _check_count("n_per_class", n_per_class)
    n_classes = _check_count("n_classes", n_classes, minimum=2)
    noise = _check_noise("noise", noise)
    r = np.tile(np.linspace(0.0, 1.0, n), n_classes)
    y = np.repeat(np.arange(n_classes), n)
    t = 4.0 * y + 4.0 * r + noise * rng.standard_normal(n * n_classes)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return _shuffled(rng, X, y)


def blobs(rng, n_per_class=100, n_classes=3, std=1.0):
    """Gaussian clusters with centres evenly spaced on a circle.

    Neighbouring centres are 8 apart, so with the default ``std=1`` the
    classes are linearly separable in practice (one-vs-rest).

    Parameters
    ----------
    rng : numpy.random.Generator
    n_per_class : int, default 100
    n_classes : int, default 3
        At least 2.
    std : float, default 1.0
        Standard deviation of each cluster, the same in both directions.

    Returns
    -------
    X : ndarray of shape (n_per_class * n_classes, 2), float64
    y : ndarray of shape (n_per_class * n_classes,), int64
    """
    _check_rng(rng)
    n = _check_count("n_per_class", n_per_class)
    n_classes = _check_count("n_classes", n_classes, minimum=2)
    std = _check_noise("std", std)
    radius = 4.0 / np.sin(np.pi / n_classes)
    angle = 2 * np.pi * np.arange(n_classes) / n_classes
    centres = radius * np.column_stack([np.cos(angle), np.sin(angle)])
    y = np.repeat(np.arange(n_classes), n)
    X = centres[y] + std * rng.standard_normal((n * n_classes, 2))
    return _shuffled(rng, X, y)


def _check_pair(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError("X and y must be arrays with one row per sample, not scalars.")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows (samples), got {len(X)} and {len(y)}.")
    return X, y


def train_val_split(X, y, val_fraction, rng):
    """Split samples at random into a training and a validation set.

    Parameters
    ----------
    X : ndarray of shape (N, ...)
    y : ndarray of shape (N, ...)
    val_fraction : float
        Fraction of the samples for validation, strictly between 0 and 1.
        The validation set gets ``round(val_fraction * N)`` samples, but at
        least one and at most N - 1.
    rng : numpy.random.Generator

    Returns
    -------
    X_train : ndarray of shape (N - N_val, ...)
    X_val : ndarray of shape (N_val, ...)
    y_train : ndarray of shape (N - N_val, ...)
    y_val : ndarray of shape (N_val, ...)
    """
    X, y = _check_pair(X, y)
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, numbers.Real) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be a number strictly between 0 and 1, got {val_fraction!r}.")
    _check_rng(rng)
    n = len(X)
    if n < 2:
        raise ValueError(f"X must hold at least 2 samples to be split, got {n}.")
    n_val = min(max(int(round(val_fraction * n)), 1), n - 1)
    order = rng.permutation(n)
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


def minibatches(X, y, batch_size, rng=None):
    """Iterate once over the samples in batches of `batch_size` rows.

    Arguments are checked (and the order drawn) when the function is called,
    before the first batch is asked for.

    Parameters
    ----------
    X : ndarray of shape (N, ...)
    y : ndarray of shape (N,) or (N, C)
    batch_size : int
        Rows per batch, at least 1; the last batch may be smaller.
    rng : numpy.random.Generator, optional
        Shuffles the samples; without it they come in their stored order.

    Yields
    ------
    X_batch : ndarray of shape (B, ...)
    y_batch : ndarray of shape (B,) or (B, C)
    """
    X, y = _check_pair(X, y)
    batch_size = _check_count("batch_size", batch_size)
    if rng is not None:
        _check_rng(rng)
    order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
    starts = range(0, len(X), batch_size)
    return ((X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in starts)


class Sentence(NamedTuple):
    """One sentence of the corpus; `tokens` and `tags` have the same length."""

    text: str
    tokens: list[str]
    tags: list[str]
    sentiment: int  # 1 positive, 0 negative


_SENTIMENT = {"pos": 1, "neg": 0}
_LOC_SUFFIX = "/LOC"


def _parse_line(number, line):
    label, sep, sentence = line.partition("\t")
    if not sep or label not in _SENTIMENT:
        raise ValueError(f"corpus.tsv line {number}: expected 'pos' or 'neg', a tab, then the sentence.")
    words, tokens, tags = [], [], []
    for piece in sentence.split():
        tag = "LOC" if piece.endswith(_LOC_SUFFIX) else "O"
        word = piece[: -len(_LOC_SUFFIX)] if tag == "LOC" else piece
        words.append(word)
        for token in tokenize(word):
            tokens.append(token)
            tags.append(tag)
    return Sentence(" ".join(words), tokens, tags, _SENTIMENT[label])


def load_corpus():
    """The course's small corpus of review sentences (about 350, half positive).

    Place names are tagged "LOC", every other token "O", for the lecture's
    named-entity (window classification) example.

    Returns
    -------
    sentences : list of Sentence
        ``Sentence(text, tokens, tags, sentiment)`` with sentiment 1 for a
        positive review and 0 for a negative one.
    """
    text = resources.files("nnlib").joinpath("data", "corpus.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0] != "sentiment\tsentence":
        raise ValueError("corpus.tsv must start with the header line 'sentiment<TAB>sentence'.")
    return [_parse_line(i, line) for i, line in enumerate(lines[1:], start=2) if line.strip()]


def sentiment_data():
    """Token lists and sentiment labels of the corpus, for bag-of-words models.

    Returns
    -------
    token_lists : list of list of str
        One list of tokens per sentence (N sentences).
    y : ndarray of shape (N,), int64
        1 for a positive sentence, 0 for a negative one.
    """
    corpus = load_corpus()
    return [s.tokens for s in corpus], np.array([s.sentiment for s in corpus], dtype=np.int64)
