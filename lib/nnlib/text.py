"""Turning sentences into arrays: tokens, a vocabulary, bags of words and word windows.

A typical use in a notebook::

    from nnlib import datasets, text
    token_lists, y = datasets.sentiment_data()
    vocab = text.Vocabulary.build(token_lists, min_count=2)
    X = text.bag_of_words(token_lists, vocab)          # (N, V) counts
"""
import numbers
import re
from collections import Counter

import numpy as np

__all__ = ["PAD", "UNK", "tokenize", "Vocabulary", "bag_of_words", "word_windows"]

PAD = "<pad>"
UNK = "<unk>"

# A word: letters or digits, possibly joined by single apostrophes (don't, rock'n'roll).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def tokenize(text):
    """Lower-cased words of `text`: runs of letters and digits, with apostrophes inside words.

    Everything else (spaces, punctuation, underscores, slashes) separates
    words, so ``"Paris/LOC"`` gives ``["paris", "loc"]``.

    Parameters
    ----------
    text : str

    Returns
    -------
    tokens : list of str
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}.")
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _check_token_lists(token_lists, name="token_lists"):
    if isinstance(token_lists, str):
        raise TypeError(f"{name} must be a list of token lists, got a single str; tokenize it first.")
    token_lists = list(token_lists)
    for i, tokens in enumerate(token_lists):
        if isinstance(tokens, str) or not all(isinstance(t, str) for t in tokens):
            raise TypeError(
                f"{name}[{i}] must be a list of str tokens (e.g. tokenize(sentence)), "
                f"got {type(tokens).__name__}."
            )
    return token_lists


class Vocabulary:
    """A fixed mapping between tokens and integer ids.

    Id 0 is `PAD` and id 1 is `UNK`; unknown tokens are encoded as `UNK`'s id.

    Parameters
    ----------
    tokens : list of str
        Tokens in id order, starting with `PAD` and `UNK`, without repeats.
        Usually made by `Vocabulary.build`.
    """

    def __init__(self, tokens):
        tokens = list(tokens)
        if tokens[:2] != [PAD, UNK]:
            raise ValueError(f"tokens must start with {PAD!r} and {UNK!r} (ids 0 and 1).")
        if not all(isinstance(t, str) for t in tokens) or len(set(tokens)) != len(tokens):
            raise ValueError("tokens must be distinct strings.")
        self._tokens = tokens
        self._ids = {t: i for i, t in enumerate(tokens)}

    @classmethod
    def build(cls, token_lists, min_count=1):
        """Vocabulary of the tokens that occur at least `min_count` times.

        Ids after `PAD` and `UNK` go by descending count, ties alphabetically.

        Parameters
        ----------
        token_lists : list of list of str
        min_count : int, default 1

        Returns
        -------
        vocab : Vocabulary
        """
        token_lists = _check_token_lists(token_lists)
        if isinstance(min_count, bool) or not isinstance(min_count, numbers.Integral) or min_count < 1:
            raise ValueError(f"min_count must be an integer >= 1, got {min_count!r}.")
        counts = Counter(t for tokens in token_lists for t in tokens if t not in (PAD, UNK))
        kept = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t))
        return cls([PAD, UNK, *kept])

    @property
    def tokens(self):
        """list of str: the tokens in id order (a copy)."""
        return list(self._tokens)

    @property
    def pad_id(self):
        return 0

    @property
    def unk_id(self):
        return 1

    def __len__(self):
        return len(self._tokens)

    def __contains__(self, token):
        return token in self._ids

    def __repr__(self):
        return f"Vocabulary({len(self)} tokens)"

    def index(self, token):
        """Id of `token`; `UNK`'s id when the token is not in the vocabulary."""
        return self._ids.get(token, self.unk_id)

    def encode(self, tokens):
        """Ids of a list of tokens.

        Parameters
        ----------
        tokens : list of str, length L

        Returns
        -------
        ids : ndarray of shape (L,), int64
        """
        if isinstance(tokens, str):
            raise TypeError("tokens must be a list of str, got a single str; tokenize it first.")
        return np.array([self.index(t) for t in tokens], dtype=np.int64)

    def decode(self, ids):
        """Tokens of a sequence of ids.

        Parameters
        ----------
        ids : array-like of int, shape (L,)

        Returns
        -------
        tokens : list of str, length L
        """
        ids = np.asarray(ids)
        if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
            raise ValueError(f"ids must be a 1-D sequence of integers, got shape {ids.shape}, dtype {ids.dtype}.")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must lie in 0..{len(self) - 1}, got values from {ids.min()} to {ids.max()}.")
        return [self._tokens[i] for i in ids]


def bag_of_words(token_lists, vocab):
    """Count of every vocabulary token in every sentence.

    Unknown tokens are counted in `UNK`'s column; `PAD`'s column stays 0.

    Parameters
    ----------
    token_lists : list of list of str, length N
    vocab : Vocabulary with V tokens

    Returns
    -------
    counts : ndarray of shape (N, V), float64
    """
    token_lists = _check_token_lists(token_lists)
    counts = np.zeros((len(token_lists), len(vocab)), dtype=np.float64)
    for row, tokens in zip(counts, token_lists):
        row += np.bincount(vocab.encode(tokens), minlength=len(vocab))
    return counts


def word_windows(token_lists, tag_lists, vocab, half_width=2, positive_tag="LOC"):
    """One window of token ids per token, centred on it, with a binary label.

    Windows that reach past a sentence's edge are filled with `PAD`'s id.

    Parameters
    ----------
    token_lists : list of list of str
        N sentences with M tokens in all.
    tag_lists : list of list of str
        One tag per token ("O" for ordinary tokens).
    vocab : Vocabulary
    half_width : int, default 2
        Tokens on each side of the centre.
    positive_tag : str, default "LOC"

    Returns
    -------
    ids : ndarray of shape (M, 2 * half_width + 1), int64
        Row k is the window around the k-th token (sentences in order);
        column `half_width` is the centre token.
    labels : ndarray of shape (M,), int64
        1 where the centre token's tag equals `positive_tag`, else 0.
    """
    token_lists = _check_token_lists(token_lists)
    tag_lists = _check_token_lists(tag_lists, name="tag_lists")
    if len(token_lists) != len(tag_lists):
        raise ValueError(f"token_lists and tag_lists must have the same length, got {len(token_lists)} and {len(tag_lists)}.")
    if isinstance(half_width, bool) or not isinstance(half_width, numbers.Integral) or half_width < 0:
        raise ValueError(f"half_width must be an integer >= 0, got {half_width!r}.")
    width = 2 * half_width + 1
    windows, labels = [np.zeros((0, width), dtype=np.int64)], []
    for i, (tokens, tags) in enumerate(zip(token_lists, tag_lists)):
        if len(tokens) != len(tags):
            raise ValueError(f"token_lists[{i}] has {len(tokens)} tokens but tag_lists[{i}] has {len(tags)} tags.")
        if not tokens:
            continue
        padded = np.concatenate([np.full(half_width, vocab.pad_id), vocab.encode(tokens),
                                 np.full(half_width, vocab.pad_id)]).astype(np.int64)
        windows.append(np.lib.stride_tricks.sliding_window_view(padded, width))
        labels.extend(tag == positive_tag for tag in tags)
    return np.concatenate(windows).astype(np.int64), np.array(labels, dtype=np.int64)
