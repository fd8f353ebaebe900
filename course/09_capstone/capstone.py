# %% [markdown]
# # 09 · Capstone: a sentiment classifier from your own pieces, against honest baselines
#
# **Lecture:** *Review of Neural Networks*, slides "Let's establish some notation" (the tasks of
# deep networks in NLP: classes such as sentiment and named entities), "Using softmax alone is not
# very useful" (Naïve Bayes, SVM and logistic regression are linear classifiers), "There are more
# trainable parameters in NLP" (word vectors as parameters), and the slides on improving training:
# initialisation, L2, dropout, early stopping, learning-rate decay and batch normalisation.
#
# The eight notebooks before this one each taught one piece. Here they work together on a language
# task, and we ask the question every network must answer first: **does it beat the simple
# models?** By the end of this notebook you will be able to
#
# 1. set up an NLP classification task honestly: a validation set, a **majority-class** baseline,
#    and the linear classifiers of the lecture, **Naive Bayes** (which you write) and **logistic
#    regression** (02's softmax classifier on a bag of words);
# 2. write an **averaged word-vector layer** (03's embedding layer for sentences of any length),
#    forward and backward;
# 3. assemble a network from the pieces of 01–08 (He initialisation, dropout, L2, batch norm, an LR
#    schedule, early stopping), each switchable, and check the whole training step numerically;
# 4. run an **ablation** (each technique off in turn, three seeds, mean ± std) and an **error
#    analysis**, and say what a bag of words cannot see.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points in their header and hold hidden
# tests as well. The written questions are graded by your instructor. The support module
# `support.py` (next to this notebook) holds reference versions of what notebooks 01–08 taught;
# read its docstrings. Run *Kernel → Restart & Run All* before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from collections import Counter

import numpy as np
import matplotlib.pyplot as plt
from tqdm.std import tqdm

from nnlib import datasets, plots, text
from nnlib.gradcheck import check_gradient
from nnlib.grading import check_array, check_close, check_shape, check_type
from support import (FULL_CONFIG, affine_backward, affine_forward, softmax, softmax_cross_entropy,
                     softmax_cross_entropy_grad, batchnorm_backward, batchnorm_eval, batchnorm_forward, dropout_backward,
                     dropout_forward, init_params, pad_ids, relu_backward, relu_forward, softmax_regression,
                     train_model)

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. The task, the data and the first baseline
#
# The course corpus holds 400 short review sentences, half positive and half negative. It is
# written to be *honest*: besides plain sentences ("the room was very clean") it has negations
# ("the room was not clean"), contrasts where the clause after *but* decides ("the soup was bland
# but the curry was tasty"), mixed opinions with a closing verdict, and opinion words that occur
# only once in the whole corpus. We keep a quarter of the sentences aside as the **validation
# set**: every score below is measured there, on sentences no model was trained on. The
# vocabulary is built from the training sentences only, keeping words seen at least twice; the
# rest become `<unk>`.

# %%
token_lists, y = datasets.sentiment_data()
order = rng.permutation(len(y))
val, tr = order[: len(y) // 4], order[len(y) // 4:]
vocab = text.Vocabulary.build([token_lists[i] for i in tr], min_count=2)
X_bow = text.bag_of_words(token_lists, vocab)            # (N, V) word counts
ids = pad_ids(token_lists, vocab)                        # (N, T) word ids, 0 = <pad>
y_tr, y_val = y[tr], y[val]
print(f"{len(tr)} training and {len(val)} validation sentences, {len(vocab)} words in the vocabulary, "
      f"sentences of up to {ids.shape[1]} words")
for i in val[:4]:
    print(f"  {'pos' if y[i] else 'neg'}: {' '.join(token_lists[i])}")

# %% [markdown]
# The simplest classifier predicts the most frequent training class for every sentence. Any model
# worth its parameters must beat it.

# %%
majority = np.bincount(y_tr).argmax()
scores = {"majority class": np.mean(y_val == majority)}
print(f"majority class ({'pos' if majority else 'neg'}) on validation: accuracy {scores['majority class']:.2f}")

# %% [markdown]
# ## 2. Naive Bayes, the first linear classifier of the lecture
#
# Naive Bayes models how a class *generates* words. A sentence of class $c$ is a bag of words drawn
# independently from a distribution $\theta_c$ over the vocabulary, so, with $x_w$ the count of
# word $w$ in the sentence,
#
# $$\log P(c \mid x) = \log P(c) + \sum_{w} x_w \log \theta_{c,w} + \text{const}.$$
#
# This is **linear** in the counts: a weight matrix $\log \theta \in \mathbb{R}^{C \times V}$ and a
# bias $\log P(c)$, exactly the $Wx + b$ of the lecture, only fitted by counting instead of by
# gradient descent. Fitting means:
#
# - the **prior** $P(c)$ is the fraction of training sentences in class $c$;
# - $\theta_{c,w}$ is the fraction of all word occurrences in class $c$ that are $w$, with
#   **Laplace smoothing** $\alpha$: add $\alpha$ to every count, so that a word never seen in class
#   $c$ does not get probability 0 (and $\log 0 = -\infty$ would veto the class whatever the other
#   words say):
#
# $$\theta_{c,w} = \frac{n_{c,w} + \alpha}{\sum_{w'} \left(n_{c,w'} + \alpha\right)}, \qquad
#   n_{c,w} = \sum_{n:\, y_n = c} x_{n,w}.$$
#
# Each row of $\theta$ is a probability distribution over the $V$ words.
#
# **Exercise.** Implement `nb_fit`. Work in NumPy without a loop over sentences (a loop over the
# classes is fine).

# %% nbgrader={"grade": false, "grade_id": "nb_fit", "locked": false, "schema_version": 3, "solution": true, "task": false}
def nb_fit(X, y, n_classes, alpha=1.0):
    """Fit multinomial Naive Bayes with Laplace smoothing.

    Parameters
    ----------
    X : ndarray of shape (N, V)
        Word counts, one row per sentence.
    y : ndarray of shape (N,)
        Integer labels in 0..n_classes-1; every class occurs at least once.
    n_classes : int
    alpha : float, default 1.0
        Added to every count of every class.

    Returns
    -------
    log_prior : ndarray of shape (n_classes,), log P(c)
    log_likelihood : ndarray of shape (n_classes, V), log theta[c, w]; each row's exp sums to 1
    """
    ### BEGIN SOLUTION
    counts = np.stack([X[y == c].sum(axis=0) for c in range(n_classes)])
    smoothed = counts + alpha
    log_likelihood = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
    log_prior = np.log(np.bincount(y, minlength=n_classes) / len(y))
    return log_prior, log_likelihood
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_nb_fit", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
"""nb_fit: prior and smoothed log-likelihoods on a small corpus (4 points)"""
# the messages shown when a result looks like a known mistake
NO_SMOOTHING = "a word never seen in a class got log 0 = -inf: add alpha to every count (Laplace smoothing)"
DENOMINATOR = "the rows of theta do not sum to 1: after adding alpha to each of the V counts, the total grows by alpha * V too"
WRONG_AXIS = "theta was normalised over the classes: each ROW (one class) must be a distribution over the V words"
UNIFORM_PRIOR = "the prior is uniform: P(c) is the fraction of training sentences in class c"
DOC_COUNTS = "words were counted once per sentence: multinomial Naive Bayes adds up the counts x[n, w]"
X = np.array([[2.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 3.0], [1.0, 0.0, 0.0, 1.0]])   # N=3 sentences, V=4 words
y_small = np.array([0, 1, 0])
result = nb_fit(X, y_small, 2)
assert isinstance(result, tuple) and len(result) == 2, "nb_fit must return a pair (log_prior, log_likelihood)"
log_prior, log_likelihood = result
check_shape(log_prior, (2,), "log_prior")
check_shape(log_likelihood, (2, 4), "log_likelihood")
check_close(log_prior, np.log([2 / 3, 1 / 3]), "log_prior", hints={UNIFORM_PRIOR: np.log([0.5, 0.5])})
check_close(log_likelihood, np.log([[4 / 9, 1 / 9, 2 / 9, 2 / 9], [1 / 8, 2 / 8, 1 / 8, 4 / 8]]), "log_likelihood",
            hints={NO_SMOOTHING: [[np.log(3 / 5), -np.inf, np.log(1 / 5), np.log(1 / 5)], [-np.inf, np.log(1 / 4), -np.inf, np.log(3 / 4)]],
                   DENOMINATOR: np.log([[4 / 5, 1 / 5, 2 / 5, 2 / 5], [1 / 4, 2 / 4, 1 / 4, 4 / 4]]),
                   WRONG_AXIS: np.log([[4 / 5, 1 / 3, 2 / 3, 2 / 6], [1 / 5, 2 / 3, 1 / 3, 4 / 6]]),
                   DOC_COUNTS: np.log([[3 / 8, 1 / 8, 2 / 8, 2 / 8], [1 / 6, 2 / 6, 1 / 6, 2 / 6]])})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(9091)


def _nb(X, y, C, alpha, mistake=None):
    counts = np.stack([(X[y == c] > 0).sum(0) if mistake == "doc" else X[y == c].sum(0) for c in range(C)]).astype(float)
    smoothed = counts + (0.0 if mistake == "nosmooth" else alpha)
    if mistake == "denominator":
        theta = smoothed / counts.sum(axis=1, keepdims=True)
    elif mistake == "axis":
        theta = smoothed / smoothed.sum(axis=0, keepdims=True)
    else:
        theta = smoothed / smoothed.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        prior = np.full(C, 1.0 / C) if mistake == "uniform" else np.bincount(y, minlength=C) / len(y)
        return np.log(prior), np.log(theta)


for _N, _V, _C, _alpha in [(4, 1, 3, 1.0), (9, 6, 2, 0.5), (12, 5, 4, 2.0), (7, 7, 3, 1.0)]:
    _y = np.concatenate([np.arange(_C), _rng.integers(0, _C, size=_N - _C)])
    _X = _rng.integers(0, 4, size=(_N, _V)).astype(float)
    _X[_rng.random((_N, _V)) < 0.3] = 0.0
    _lp, _ll = _nb(_X, _y, _C, _alpha)
    _what = f"N={_N}, V={_V}, C={_C}, alpha={_alpha}"
    _got_lp, _got_ll = nb_fit(_X, _y, _C, alpha=_alpha)
    check_close(_got_lp, _lp, f"log_prior for {_what}", hints={UNIFORM_PRIOR: _nb(_X, _y, _C, _alpha, "uniform")[0]})
    check_close(_got_ll, _ll, f"log_likelihood for {_what}",
                hints={m: _nb(_X, _y, _C, _alpha, k)[1] for m, k in [(DENOMINATOR, "denominator"), (WRONG_AXIS, "axis"),
                                                                       (DOC_COUNTS, "doc")]})
    check_close(np.exp(_got_ll).sum(axis=1), np.ones(_C), f"sum of exp(log_likelihood) over the words for {_what}")
_lp32, _ll32 = nb_fit(_X.astype(np.float32), _y, _C, alpha=_alpha)
check_close(_ll32, _ll, "log_likelihood for float32 counts", rtol=1e-5, atol=1e-6)
check_close(_lp32, _lp, "log_prior for float32 counts", rtol=1e-5, atol=1e-6)
# one training sentence (N = 1): the class it is not in has prior 0 and only smoothed (uniform) counts
with np.errstate(divide="ignore"):   # log 0 of the empty class's prior may warn: it is -inf
    _lp1, _ll1 = nb_fit(np.array([[1.0, 0.0, 2.0]]), np.array([1]), 2)
    check_shape(_lp1, (2,), "log_prior from one sentence")
    check_shape(_ll1, (2, 3), "log_likelihood from one sentence")
    check_close(_lp1, np.log([0.0, 1.0]), "log_prior from one sentence of class 1")
check_close(_ll1, np.log([[1 / 3, 1 / 3, 1 / 3], [2 / 6, 1 / 6, 3 / 6]]), "log_likelihood from one sentence of class 1")
### END HIDDEN TESTS

# %% [markdown]
# With the two arrays, classifying is the linear score $\log P(c) + x^\top \log\theta_c$ and an
# argmax. Let us fit on the training sentences and look at the words whose log-likelihood ratio
# $\log\theta_{\text{pos},w} - \log\theta_{\text{neg},w}$ is most extreme.

# %%
log_prior, log_likelihood = nb_fit(X_bow[tr], y_tr, 2)
nb_scores = X_bow @ log_likelihood.T + log_prior            # (N, 2), linear in the counts
scores["Naive Bayes"] = np.mean(nb_scores[val].argmax(axis=1) == y_val)
ratio = log_likelihood[1] - log_likelihood[0]
words = np.array(vocab.tokens)
rounded = np.round(ratio, 8)                                # ties broken by the word, not by round-off
print("most positive words:", ", ".join(words[np.lexsort((words, -rounded))[:8]]))
print("most negative words:", ", ".join(words[np.lexsort((words, rounded))[:8]]))
print(f"'not' is {np.exp(-ratio[vocab.index('not')]):.1f} times as likely in a negative sentence as in a positive one")
print(f"Naive Bayes on validation: accuracy {scores['Naive Bayes']:.2f}")

# %% [markdown]
# ## 3. Logistic regression: 02's softmax classifier on a bag of words
#
# The second linear classifier of the lecture is the one of notebooks 01 and 02:
# $P(y \mid x) = \text{softmax}(Wx + b)$ trained by minimising the cross-entropy. The same linear
# form as Naive Bayes, but the weights are fitted to *predict* the label rather than to describe the
# words of each class. `support.softmax_regression` trains it by full-batch gradient descent.

# %%
W_lr, b_lr = softmax_regression(X_bow[tr], y_tr, 2, epochs=200, lr=0.5, l2=1e-3)
lr_scores = X_bow @ W_lr.T + b_lr
scores["logistic regression"] = np.mean(lr_scores[val].argmax(axis=1) == y_val)
print(f"logistic regression on validation: accuracy {scores['logistic regression']:.2f}, "
      f"on its own training sentences {np.mean(lr_scores[tr].argmax(axis=1) == y_tr):.2f}")

# %% [markdown]
# ## 4. Word vectors for a sentence: the averaged-embedding layer
#
# In notebook 03 a *window* of $k$ words became the concatenation of their word vectors. Sentences
# have different lengths, so here a sentence becomes the **average** of its word vectors (a
# "continuous bag of words"). Sentences are stored as rows of word ids padded with `<pad>` (id 0)
# to a common length $T$; padding is not a word and must not count. With $E \in \mathbb{R}^{V\times D}$
# and $L_n$ the number of real (non-zero) ids in row $n$,
#
# $$\text{out}_n = \frac{1}{L_n} \sum_{t:\ \text{ids}_{n,t} \neq 0} E_{\text{ids}_{n,t}} \in \mathbb{R}^D .$$
#
# **Backward.** Each real occurrence of a word contributed $E_w / L_n$ to $\text{out}_n$, so it
# receives $d\text{out}_n / L_n$; a word that occurs several times (in one sentence or in many)
# receives the **sum** over its occurrences, and `<pad>` receives nothing. (Remember 03:
# `dE[ids] += g` does not add up repeated ids.)
#
# **Exercise.** Implement `avg_embedding_forward` and `avg_embedding_backward`. Keep `E`'s dtype in
# the forward pass and `dout`'s in the backward pass.

# %% nbgrader={"grade": false, "grade_id": "avg_embedding_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def avg_embedding_forward(ids, E):
    """Average of the word vectors of each sentence, padding (id 0) excluded.

    Parameters
    ----------
    ids : integer ndarray of shape (N, T)
        Word ids, 0 for padding; every row holds at least one non-zero id.
    E : ndarray of shape (V, D)

    Returns
    -------
    out : ndarray of shape (N, D), E's dtype
    cache : anything avg_embedding_backward needs (your choice)
    """
    ### BEGIN SOLUTION
    real = ids != 0
    lengths = real.sum(axis=1, keepdims=True).astype(E.dtype)
    out = (E[ids] * real[:, :, None]).sum(axis=1) / lengths
    return out, (ids, real, lengths, E.shape)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_avg_embedding_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""avg_embedding_forward: the mean of the real words' vectors, shape (N, D) (2 points)"""
# the messages shown when a result looks like a known mistake
SUMMED = "the word vectors were added up: divide by the number of real words L_n to get their mean"
PAD_COUNTED = "the padding was averaged in: <pad> (id 0) is not a word, leave its vector out and do not count it"
BY_T = "divided by T, the padded length: divide by L_n, the number of real (non-zero) ids in the row"
E = np.array([[9.0, 9.0], [1.0, 2.0], [3.0, 0.0], [0.0, 4.0], [2.0, 2.0]])    # V=5 words, D=2; row 0 is <pad>
ids_small = np.array([[1, 3, 4, 0], [2, 2, 0, 0], [4, 0, 0, 0]])            # N=3 sentences of 3, 2 and 1 words
result = avg_embedding_forward(ids_small, E)
assert isinstance(result, tuple) and len(result) == 2, "avg_embedding_forward must return a pair (out, cache)"
check_array(result[0], np.array([[1.0, 8 / 3], [3.0, 0.0], [2.0, 2.0]]), "out = avg_embedding_forward(ids, E)[0]",
            hints={SUMMED: [[3.0, 8.0], [6.0, 0.0], [2.0, 2.0]],
                   PAD_COUNTED: [[3.0, 4.25], [6.0, 4.5], [7.25, 7.25]],
                   BY_T: [[0.75, 2.0], [1.5, 0.0], [0.5, 0.5]]})
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches
_rng = np.random.default_rng(2023)


def _avg(ids, E, mistake=None):
    real = ids != 0
    total = (E[ids] * real[..., None]).sum(1)
    if mistake == "sum":
        return total
    if mistake == "pad":
        return E[ids].mean(1)
    if mistake == "T":
        return total / ids.shape[1]
    return total / real.sum(1, keepdims=True)


for _N, _T, _V, _D in [(1, 1, 3, 4), (1, 5, 4, 2), (6, 7, 9, 3), (4, 3, 3, 3)]:
    _E = _rng.normal(size=(_V, _D))
    _ids = _rng.integers(1, _V, size=(_N, _T))
    _ids[:, 1:][_rng.random((_N, _T - 1)) < 0.4] = 0          # padding, at least one real word per row
    _ref = _avg(_ids, _E)
    _hints = {m: _avg(_ids, _E, k) for m, k in [(SUMMED, "sum"), (PAD_COUNTED, "pad"), (BY_T, "T")]}
    _hints = {m: v for m, v in _hints.items() if not _matches(v, _ref)}
    check_array(avg_embedding_forward(_ids, _E)[0], _ref, f"out for N={_N}, T={_T}, V={_V}, D={_D}", hints=_hints)
_E32 = _E.astype(np.float32)
check_array(avg_embedding_forward(_ids.astype(np.int32), _E32)[0], _avg(_ids, _E).astype(np.float32),
            "out for float32 E and int32 ids", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "avg_embedding_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def avg_embedding_backward(dout, cache):
    """Gradient of the loss with respect to the word vectors E.

    Parameters
    ----------
    dout : ndarray of shape (N, D), d loss / d out
    cache : what avg_embedding_forward returned with out

    Returns
    -------
    dE : ndarray of shape (V, D), dout's dtype; row w sums dout[n] / L_n over every real
        occurrence of word w; the <pad> row (0) is zero
    """
    ### BEGIN SOLUTION
    ids, real, lengths, (V, D) = cache
    dE = np.zeros((V, D), dtype=dout.dtype)
    share = np.broadcast_to((dout / lengths)[:, None, :], ids.shape + (D,))
    np.add.at(dE, ids[real], share[real])
    return dE
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_avg_embedding_backward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""avg_embedding_backward: each real occurrence passes dout / L_n to its word (3 points)"""
# the messages shown when a result looks like a known mistake
NOT_ACCUMULATED = "a word that occurs several times got only one of its gradients: `dE[ids] += g` writes a repeated id once; accumulate with np.add.at"
NOT_DIVIDED = "dE is L_n times too large: each word contributed E_w / L_n to the mean, so it receives dout_n / L_n"
PAD_GRADIENT = "the <pad> row received a gradient: padding is not a word and did not enter the mean"
BY_T_BACK = "divided by T, the padded length: each word's share of the mean is 1 / L_n"
E = np.array([[9.0, 9.0], [1.0, 2.0], [3.0, 0.0], [0.0, 4.0], [2.0, 2.0]])
ids_small = np.array([[1, 3, 1, 0], [2, 1, 0, 0], [4, 0, 0, 0]])            # word 1 three times, word 3 once
dout = np.array([[3.0, -6.0], [2.0, 4.0], [1.0, 1.0]])
_, cache = avg_embedding_forward(ids_small, E)
dE = avg_embedding_backward(dout, cache)
check_shape(dE, (5, 2), "dE = avg_embedding_backward(dout, cache)")
check_array(dE, np.array([[0.0, 0.0], [3.0, -2.0], [1.0, 2.0], [1.0, -2.0], [1.0, 1.0]]), "dE",
            hints={NOT_ACCUMULATED: [[0.0, 0.0], [1.0, 2.0], [1.0, 2.0], [1.0, -2.0], [1.0, 1.0]],
                   NOT_DIVIDED: [[0.0, 0.0], [8.0, -8.0], [2.0, 4.0], [3.0, -6.0], [1.0, 1.0]],
                   PAD_GRADIENT: [[6.0, 5.0], [3.0, -2.0], [1.0, 2.0], [1.0, -2.0], [1.0, 1.0]],
                   BY_T_BACK: [[0.0, 0.0], [2.0, -2.0], [0.5, 1.0], [0.75, -1.5], [0.25, 0.25]]})
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches
_rng = np.random.default_rng(1848)


def _dE(ids, dout, V, mistake=None):
    real = ids != 0
    L = real.sum(1, keepdims=True)
    share = dout / (ids.shape[1] if mistake == "T" else 1 if mistake == "undivided" else L)
    g = np.broadcast_to(share[:, None, :], ids.shape + (dout.shape[1],))
    dE = np.zeros((V, dout.shape[1]))
    if mistake == "accumulate":
        dE[ids[real]] += g[real]
    elif mistake == "pad":
        np.add.at(dE, ids, g)
    else:
        np.add.at(dE, ids[real], g[real])
    return dE


for _N, _T, _V, _D in [(1, 1, 3, 4), (1, 4, 2, 3), (8, 6, 5, 2), (5, 4, 4, 4)]:
    _ids = _rng.integers(1, _V, size=(_N, _T))
    _ids[:, 1:][_rng.random((_N, _T - 1)) < 0.3] = 0
    _dout = _rng.normal(size=(_N, _D))
    _ref = _dE(_ids, _dout, _V)
    _hints = {m: _dE(_ids, _dout, _V, k) for m, k in
              [(NOT_ACCUMULATED, "accumulate"), (NOT_DIVIDED, "undivided"), (PAD_GRADIENT, "pad"), (BY_T_BACK, "T")]}
    _hints = {m: v for m, v in _hints.items() if not _matches(v, _ref)}
    _, _cache = avg_embedding_forward(_ids, _rng.normal(size=(_V, _D)))
    check_array(avg_embedding_backward(_dout, _cache), _ref, f"dE for N={_N}, T={_T}, V={_V}, D={_D}", hints=_hints)
_ids = np.full((4, 3), 2)                                          # one word everywhere
_dout = _rng.normal(size=(4, 2))
_, _cache = avg_embedding_forward(_ids, _rng.normal(size=(3, 2)))
check_array(avg_embedding_backward(_dout, _cache), _dE(_ids, _dout, 3), "dE when every position holds the same word",
            hints={NOT_ACCUMULATED: _dE(_ids, _dout, 3, "accumulate")})
_ids32 = _rng.integers(0, 6, size=(5, 4)).astype(np.int32)
_ids32[:, 0] = 3
_dout32 = _rng.normal(size=(5, 3)).astype(np.float32)
_, _cache = avg_embedding_forward(_ids32, _rng.normal(size=(6, 3)).astype(np.float32))
check_array(avg_embedding_backward(_dout32, _cache), _dE(_ids32, _dout32.astype(np.float64), 6).astype(np.float32),
            "dE for float32 dout and int32 ids", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# A numerical check of the layer, with a word that occurs twice in one sentence:

# %%
E_demo = rng.normal(size=(6, 3))
ids_demo = np.array([[1, 4, 4, 0], [5, 2, 1, 3]])
dout_demo = rng.normal(size=(2, 3))
out_demo, cache_demo = avg_embedding_forward(ids_demo, E_demo)
err = check_gradient(lambda E: float(np.sum(avg_embedding_forward(ids_demo, E)[0] * dout_demo)), E_demo,
                     avg_embedding_backward(dout_demo, cache_demo))
print(f"dE: analytic = numerical gradient ({'relative error < 1e-6' if err < 1e-6 else f'relative error {err:.1e}'})")

# %% [markdown]
# ## 5. The network, assembled from your pieces
#
# The classifier is 03's network with a sentence in place of a window:
#
# $$X = \text{avg\_embedding}(\text{ids}, E), \quad Z_1 = X W_1^\top + b_1, \quad
#   \tilde Z_1 = \text{BN}_{\gamma,\beta}(Z_1), \quad A_1 = \text{ReLU}(\tilde Z_1), \quad
#   \tilde A_1 = \text{dropout}(A_1), \quad Z_2 = \tilde A_1 W_2^\top + b_2,$$
#
# and the loss is the mean cross-entropy of $\text{softmax}(Z_2)$ plus the **L2 penalty** of the
# weight matrices (not the biases, not $\gamma, \beta$, not $E$):
#
# $$J = \frac{1}{N}\sum_n -\log \text{softmax}(Z_{2,n})_{y_n} \;+\; \frac{\lambda}{2}\left(\lVert W_1\rVert^2
#   + \lVert W_2 \rVert^2\right).$$
#
# (The lecture writes $\frac{\lambda}{2m}$; here $\lambda$ already includes the $\frac1m$.) A
# `config` dict switches the techniques: `config["batch_norm"]` (then `params` also holds `"gamma"`
# and `"beta"`, shape $(H,)$), `config["keep_prob"]` (1.0 means no dropout) and `config["l2"]`
# ($\lambda$, 0.0 means none). Dropout happens only when an `rng` is given (training); with
# `rng=None` the step runs without it. The other keys of `config` (He initialisation, early
# stopping, LR decay) belong to the training loop, not to the loss.
#
# Every piece is ready: `affine_forward`/`affine_backward` and `softmax_cross_entropy` (with its `_grad`) from `support`,
# `relu_forward`/`relu_backward`, `batchnorm_forward`/`batchnorm_backward` and
# `dropout_forward`/`dropout_backward` from `support`, and your two embedding functions. Use them
# (the support module's dropout draws its mask with one `rng.random` call, which lets the tests
# reproduce your masks). Then run the backward functions in the reverse order of the forward ones.
#
# **Exercise.** Implement `model_loss_and_grads`. It returns the loss (a float) and a dict of
# gradients with exactly the keys of `params`.

# %% nbgrader={"grade": false, "grade_id": "model_loss_and_grads", "locked": false, "schema_version": 3, "solution": true, "task": false}
def model_loss_and_grads(params, ids, y, config, rng=None):
    """Loss and gradients of the averaged-embedding network, one training step.

    Parameters
    ----------
    params : dict
        "E" (V, D), "W1" (H, D), "b1" (H,), "W2" (C, H), "b2" (C,), and, when
        config["batch_norm"], "gamma" (H,) and "beta" (H,).
    ids : integer ndarray of shape (N, T), padded with 0
    y : integer ndarray of shape (N,)
    config : dict with "batch_norm" (bool), "keep_prob" (float in (0, 1]), "l2" (float >= 0)
    rng : numpy.random.Generator or None
        Draws the dropout mask; None: no dropout.

    Returns
    -------
    loss : float, mean cross-entropy + l2 / 2 * (||W1||^2 + ||W2||^2)
    grads : dict with the keys of params, each of its parameter's shape
    """
    ### BEGIN SOLUTION
    X, emb_cache = avg_embedding_forward(ids, params["E"])
    Z1, cache1 = affine_forward(X, params["W1"], params["b1"])
    if config["batch_norm"]:
        Z1, bn_cache = batchnorm_forward(Z1, params["gamma"], params["beta"])
    A1, on = relu_forward(Z1)
    dropping = rng is not None and config["keep_prob"] < 1
    if dropping:
        A1, kept = dropout_forward(A1, config["keep_prob"], rng)
    Z2, cache2 = affine_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, y), softmax_cross_entropy_grad(Z2, y)
    lam = config["l2"]
    loss += 0.5 * lam * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))

    grads = {}
    dA1, grads["W2"], grads["b2"] = affine_backward(dZ2, cache2)
    if dropping:
        dA1 = dropout_backward(dA1, kept, config["keep_prob"])
    dZ1 = relu_backward(dA1, on)
    if config["batch_norm"]:
        dZ1, grads["gamma"], grads["beta"] = batchnorm_backward(dZ1, bn_cache)
    dX, grads["W1"], grads["b1"] = affine_backward(dZ1, cache1)
    grads["E"] = avg_embedding_backward(dX, emb_cache)
    grads["W1"] = grads["W1"] + lam * params["W1"]
    grads["W2"] = grads["W2"] + lam * params["W2"]
    return float(loss), grads
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_model_loss_and_grads", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": false}
"""model_loss_and_grads: keys, the L2 term, every gradient against a numerical one (5 points)"""
# the messages shown when a result looks like a known mistake
L2_GRAD = "the L2 penalty is in the loss but not in the gradients: it adds lam * W to dW1 and dW2"
L2_EVERYWHERE = "the L2 penalty must cover the weight matrices W1 and W2 only, not biases, gamma, beta or E"
BN_SKIPPED = "the gradient skipped batch norm on its way back: pass it through batchnorm_backward, which also gives dgamma and dbeta"
DROPOUT_SKIPPED = "the gradient ignored the dropout mask on its way back: dropped units pass no gradient, kept ones are scaled by 1 / keep_prob"
RELU_SKIPPED = "the ReLU derivative is missing: units that were off pass no gradient back"
_case = np.random.default_rng(77)
V, D, H, C = 7, 3, 4, 2
params = {"E": _case.normal(size=(V, D)), "W1": _case.normal(size=(H, D)), "b1": _case.normal(size=H),
          "gamma": 1 + 0.3 * _case.normal(size=H), "beta": 0.2 * _case.normal(size=H),
          "W2": _case.normal(size=(C, H)), "b2": _case.normal(size=C)}
ids_small = np.array([[1, 2, 3, 0], [4, 4, 0, 0], [5, 6, 1, 2], [3, 0, 0, 0], [6, 5, 0, 0]])
y_small = np.array([0, 1, 1, 0, 1])
config = {"batch_norm": True, "keep_prob": 0.75, "l2": 0.1}
result = model_loss_and_grads(params, ids_small, y_small, config, np.random.default_rng(5))
assert isinstance(result, tuple) and len(result) == 2, "model_loss_and_grads must return a pair (loss, grads)"
loss, grads = result
check_type(grads, dict, "grads")
assert set(grads) == set(params), f"grads must have the keys of params {sorted(params)}, got {sorted(grads)}"
for _key in params:
    check_shape(grads[_key], params[_key].shape, f'grads["{_key}"]')
_no_l2 = model_loss_and_grads(params, ids_small, y_small, {**config, "l2": 0.0}, np.random.default_rng(5))[0]
check_close(loss - _no_l2, 0.05 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)),
            "the loss with l2=0.1 minus the loss with l2=0", rtol=1e-6,
            hints={L2_EVERYWHERE: 0.05 * sum(np.sum(v ** 2) for v in params.values())})
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches


def _reference(p, ids, y, cfg, rng, mistake=None):
    real = ids != 0
    X = (p["E"][ids] * real[..., None]).sum(1) / real.sum(1, keepdims=True)
    Z1 = X @ p["W1"].T + p["b1"]
    if cfg["batch_norm"]:
        mu, var = Z1.mean(0), Z1.var(0)
        Zh = (Z1 - mu) / np.sqrt(var + 1e-5)
        Z1b = p["gamma"] * Zh + p["beta"]
    else:
        Z1b = Z1
    A1 = np.maximum(Z1b, 0)
    drop = rng is not None and cfg["keep_prob"] < 1
    if drop:
        kept = rng.random(A1.shape) < cfg["keep_prob"]
        A1 = A1 * kept / cfg["keep_prob"]
    Z2 = A1 @ p["W2"].T + p["b2"]
    P = softmax(Z2)
    dZ2 = (P - np.eye(Z2.shape[1])[y]) / len(y)
    lam = cfg["l2"]
    g = {"W2": dZ2.T @ A1 + (0 if mistake == "l2grad" else lam) * p["W2"], "b2": dZ2.sum(0)}
    dA1 = dZ2 @ p["W2"]
    if drop and mistake != "dropout":
        dA1 = dA1 * kept / cfg["keep_prob"]
    dZ1b = dA1 * (1.0 if mistake == "relu" else (Z1b > 0))
    if cfg["batch_norm"]:
        g["gamma"], g["beta"] = (dZ1b * Zh).sum(0), dZ1b.sum(0)
        if mistake == "bn":
            dZ1 = dZ1b
        else:
            gh = dZ1b * p["gamma"]
            dZ1 = (gh - gh.mean(0) - Zh * (gh * Zh).mean(0)) / np.sqrt(var + 1e-5)
    else:
        dZ1 = dZ1b
    g["W1"] = dZ1.T @ X + (0 if mistake == "l2grad" else lam) * p["W1"]
    g["b1"] = dZ1.sum(0)
    dX = dZ1 @ p["W1"]
    dE = np.zeros_like(p["E"])
    np.add.at(dE, ids[real], np.broadcast_to((dX / real.sum(1, keepdims=True))[:, None, :], ids.shape + (dX.shape[1],))[real])
    g["E"] = dE
    if mistake == "l2all":
        for k in g:
            if k not in ("W1", "W2"):
                g[k] = g[k] + lam * p[k]
    return g


def _check_against_reference(p, ids, y, cfg, seed, what, **tol):
    got = model_loss_and_grads(p, ids, y, cfg, None if seed is None else np.random.default_rng(seed))[1]
    rng_for = lambda: None if seed is None else np.random.default_rng(seed)
    ref = _reference(p, ids, y, cfg, rng_for())
    for key in ("W2", "b2", "gamma", "beta", "W1", "b1", "E"):
        if key not in p:
            continue
        hints = {m: _reference(p, ids, y, cfg, rng_for(), k)[key] for m, k in
                 [(L2_GRAD, "l2grad"), (L2_EVERYWHERE, "l2all"), (BN_SKIPPED, "bn"), (DROPOUT_SKIPPED, "dropout"),
                  (RELU_SKIPPED, "relu")]}
        hints = {m: v for m, v in hints.items() if not _matches(v, ref[key])}
        check_close(got[key], ref[key], f'{what}: grads["{key}"]', hints=hints, **tol)


_check_against_reference(params, ids_small, y_small, config, 5, "the visible test's case")
_rng = np.random.default_rng(31337)
for _N, _T, _V, _D, _H, _C, _cfg in [(2, 3, 4, 2, 5, 3, {"batch_norm": True, "keep_prob": 0.5, "l2": 0.3}),
                                      (6, 5, 9, 4, 4, 2, {"batch_norm": False, "keep_prob": 1.0, "l2": 0.2}),
                                      (5, 4, 6, 3, 3, 3, {"batch_norm": False, "keep_prob": 0.6, "l2": 0.0}),
                                      (1, 4, 5, 3, 4, 3, {"batch_norm": False, "keep_prob": 0.8, "l2": 0.1})]:
    _p = {"E": _rng.normal(size=(_V, _D)), "W1": _rng.normal(size=(_H, _D)), "b1": _rng.normal(size=_H),
          "W2": _rng.normal(size=(_C, _H)), "b2": _rng.normal(size=_C)}
    if _cfg["batch_norm"]:
        _p["gamma"], _p["beta"] = 1 + 0.2 * _rng.normal(size=_H), 0.2 * _rng.normal(size=_H)
    _ids = _rng.integers(1, _V, size=(_N, _T))
    _ids[:, 1:][_rng.random((_N, _T - 1)) < 0.3] = 0
    _y = _rng.integers(0, _C, size=_N)
    _check_against_reference(_p, _ids, _y, _cfg, 11, f"N={_N}, H={_H}, C={_C}, {_cfg}")
    _check_against_reference(_p, _ids, _y, _cfg, None, f"N={_N}, H={_H}, C={_C}, {_cfg}, rng=None")
    assert set(model_loss_and_grads(_p, _ids, _y, _cfg)[1]) == set(_p), \
        f"with {_cfg}, grads must have exactly the keys of params {sorted(_p)}"
### END HIDDEN TESTS
for _key in params:
    def _loss_at(value, _key=_key):
        return model_loss_and_grads({**params, _key: value}, ids_small, y_small, config, np.random.default_rng(5))[0]
    try:
        check_gradient(_loss_at, params[_key].copy(), grads[_key])
    except AssertionError as err:
        raise AssertionError(f'grads["{_key}"] disagrees with the numerical gradient of your loss: {err}') from None

# %% [markdown]
# ## 6. Training the network
#
# `support.train_model` runs minibatch SGD with your training step, and the `config` switches the
# rest: He initialisation (in `init_params`), an exponential learning-rate decay
# $\alpha = 0.9^{\text{epoch}}\,\alpha_0$, and early stopping (keep the parameters of the epoch with
# the lowest validation loss). At prediction time there is no dropout, and batch norm uses fixed
# statistics: the mean and variance of $Z_1$ over the training set, as in the original batch-norm
# paper.
#
# **Predict before you run.** The network reads the same bag of words as the two linear models,
# but through learned word vectors and a non-linear hidden layer. Will it beat logistic regression
# on the validation set? By a lot? On which kinds of sentence could it do better, and on which can
# it not?

# %%
D_WORD, H_UNITS, EPOCHS = 16, 32, 20


def model_logits(params, ids_in, config, ids_stats):
    """Logits in prediction mode: no dropout, batch norm with the statistics of `ids_stats`."""
    X, _ = avg_embedding_forward(ids_in, params["E"])
    Z1, _ = affine_forward(X, params["W1"], params["b1"])
    if config["batch_norm"]:
        Z_stats, _ = affine_forward(avg_embedding_forward(ids_stats, params["E"])[0], params["W1"], params["b1"])
        Z1 = batchnorm_eval(Z1, params["gamma"], params["beta"], Z_stats.mean(axis=0), Z_stats.var(axis=0))
    return affine_forward(relu_forward(Z1)[0], params["W2"], params["b2"])[0]


def fit_network(config, seed, progress=False):
    """Train a fresh network with `config` from seed `seed`; returns (params, history)."""
    run_rng = np.random.default_rng(seed)
    params = init_params(len(vocab), D_WORD, H_UNITS, 2, run_rng, he_init=config["he_init"],
                         batch_norm=config["batch_norm"])

    def evaluate(p):
        logits = model_logits(p, ids[val], config, ids[tr])
        return softmax_cross_entropy(logits, y_val), float(np.mean(logits.argmax(axis=1) == y_val))

    history = train_model(params, model_loss_and_grads, ids[tr], y_tr, config, run_rng, evaluate,
                          epochs=EPOCHS, batch_size=50, lr=0.5, progress=progress)
    return params, history


params_net, history_net = fit_network(FULL_CONFIG, seed=0, progress=True)
net_logits = model_logits(params_net, ids, FULL_CONFIG, ids[tr])
scores["network (averaged word vectors)"] = np.mean(net_logits[val].argmax(axis=1) == y_val)

# %%
# NBVAL_IGNORE_OUTPUT
print(f"{'model':<34} validation accuracy")
for name, value in scores.items():
    print(f"{name:<34} {value:.2f}")
print(f"(the network kept the parameters of epoch {history_net['best_epoch'] + 1} of {len(history_net['loss'])})")
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
plots.curves(axes[0], history_net, keys=("loss", "val_loss"), title="the network's loss", ylabel="mean cross-entropy")
plots.mark_epoch(axes[0], history_net["best_epoch"], "kept")
plots.curves(axes[1], history_net, keys=("val_accuracy",), title="validation accuracy", ylabel="accuracy")
plt.show()

# %% [markdown]
# On this corpus the network lands close to the two linear models, not far above them: within a
# few sentences of logistic regression, depending on the seed, and well above the majority class.
# That is the honest result of a small data set: 300 training sentences are little to learn word
# vectors from, and an average of word vectors reads the same bag of words as the linear models.
# The ablation shows which techniques matter, and the error analysis shows what all of them miss.

# %% [markdown]
# ## 7. Ablation: which technique earns its place?
#
# We switch each technique off in turn, keep everything else as in the full network, and train
# from three seeds (the seed sets the initial weights, the minibatch order and the dropout masks).
# A difference between two rows means something only if it is larger than the spread between
# seeds.

# %%
# NBVAL_IGNORE_OUTPUT
SEEDS = (0, 1, 2)
TECHNIQUES = {"He initialisation": {"he_init": False}, "dropout": {"keep_prob": 1.0}, "L2": {"l2": 0.0},
              "early stopping": {"early_stopping": False}, "LR decay": {"lr_decay": False},
              "batch norm": {"batch_norm": False}}
runs = {"everything on": FULL_CONFIG, **{f"without {name}": {**FULL_CONFIG, **off} for name, off in TECHNIQUES.items()}}
ablation = {}
with tqdm(total=len(runs) * len(SEEDS), desc="ablation runs") as bar:
    for name, config in runs.items():
        accuracies = []
        for seed in SEEDS:
            p, h = fit_network(config, seed)
            accuracies.append(np.mean(model_logits(p, ids[val], config, ids[tr]).argmax(axis=1) == y_val))
            bar.update(1)
        ablation[name] = np.array(accuracies)
print(f"{'configuration':<28} validation accuracy, mean ± std over {len(SEEDS)} seeds")
for name, accuracies in ablation.items():
    print(f"{name:<28} {accuracies.mean():.3f} ± {accuracies.std():.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_ablation", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** Read your ablation table. Which technique's removal hurts the most,
# and is that difference larger than the spread between seeds? Name one technique whose effect
# you cannot distinguish from noise here, and say what you would change in the experiment to find
# out whether it helps.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_ablation", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# *Model answer (the numbers depend on the run).* The answer must quote the table: the row whose
# mean drops most below "everything on", compared with the standard deviations of both rows (a
# drop of one or two sentences out of 100 with a std of 0.01–0.03 is not evidence). With this
# model several techniques (typically L2, LR decay, dropout) change the mean by less than the std:
# their effect is not distinguishable from noise. To find out: more seeds (the std of the mean
# shrinks as $1/\sqrt{n}$), a larger validation set or cross-validation, or a regime where the
# technique should matter (longer training for early stopping and L2, a deeper network for He
# initialisation and batch norm).
#
# **Rubric (2 points).** 1 point: names the most harmful removal *and* compares its drop with the
# seed spread (std) rather than reading the means alone. 1 point: names a technique lost in the
# noise and proposes a concrete way to decide (more seeds / more validation data / a setting where
# it should matter). No point for a ranking of means without the spread.

# %% [markdown]
# ## 8. Error analysis: what does the model miss?
#
# Below are the ten validation sentences the network got wrong **with the highest confidence**
# (the probability it gave to its wrong answer), together with what Naive Bayes and logistic
# regression said about them.

# %%
# NBVAL_IGNORE_OUTPUT
P_net = softmax(net_logits[val])
wrong = np.flatnonzero(P_net.argmax(axis=1) != y_val)
confidence = P_net[wrong].max(axis=1)
names = ("neg", "pos")
print(f"{len(wrong)} of {len(val)} validation sentences wrong; the most confident mistakes:")
for k in wrong[np.argsort(-confidence)][:10]:
    i = val[k]
    unknown = [t for t in token_lists[i] if t not in vocab]
    print(f"  p={P_net[k].max():.2f}  true {names[y[i]]}  NB {names[nb_scores[i].argmax()]}  "
          f"LR {names[lr_scores[i].argmax()]}  | {' '.join(token_lists[i])}"
          + (f"  [unknown: {', '.join(unknown)}]" if unknown else ""))

# %% [markdown]
# Two sentences made of the same words show what no model here can do. The network's input is the
# average of the word vectors, which does not change when the words are shuffled:

# %%
pair = [["the", "room", "was", "dirty", "but", "the", "bed", "was", "comfortable"],
        ["the", "bed", "was", "comfortable", "but", "the", "room", "was", "dirty"]]
pair_ids = pad_ids(pair, vocab, length=ids.shape[1])
P_pair = softmax(model_logits(params_net, pair_ids, FULL_CONFIG, ids[tr]))
same_bag = np.array_equal(text.bag_of_words(pair, vocab)[0], text.bag_of_words(pair, vocab)[1])
print(f"same bag of words: {same_bag}; same network output: {np.allclose(P_pair[0], P_pair[1])}")
print("a reader says: the first is positive, the second negative")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_word_order", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (3 points).** Look at the confident mistakes above. What do most of them have in
# common, i.e. what does the model miss: negation, contrast ("but", "although"), words it has never
# seen, or something else? Explain with two of the printed sentences why a model whose input is a
# bag of words (Naive Bayes, logistic regression) or an average of word vectors (the network)
# *cannot* get them right, whatever its training, and name one kind of model from later in an NLP
# course that could.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q_word_order_answer", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# *Model answer.* Most confident mistakes are contrasts ("the X was dirty but the Y was lovely",
# where the clause after "but", or the main clause beside "although", decides), negations whose
# scope matters ("the food was not bland", "i would not recommend it"), and sentences whose only
# opinion word was unknown (`<unk>`). The lecture's inputs $x_i$ are "words, sentences or
# documents" turned into vectors; our vector for a sentence is a bag (counts, or the mean of word
# vectors), and a bag **forgets word order**: "dirty but comfortable" and "comfortable but dirty"
# give the same input, hence the same prediction, although they mean opposite things (see the
# pair above). Likewise "not" is counted, but which word it negates is lost, so "not clean ...
# dirty" and "clean ... not dirty" look alike. No weights can separate two identical inputs. A
# word the model never saw has no learned vector (it is `<unk>`), so only the context can help,
# and in a short sentence there is none. Models that read the sequence fix the first two:
# n-gram features ("not clean" as one feature), a convolutional network over word windows (03's
# windows), a recurrent network (RNN/LSTM) or a Transformer; subword or pretrained word vectors
# help with unknown words.
#
# **Rubric (3 points).** 1 point: identifies the dominant kinds of mistake from the printed list
# (contrast/negation scope, unknown words), citing two sentences. 1 point: explains that a bag of
# words or an average of word vectors is invariant to word order, so sentences with the same words
# and opposite meanings get the same prediction whatever the training (must mention order being
# lost, not just "the model is too small"). 1 point: names a sequence-aware model (n-grams, CNN,
# RNN/LSTM, Transformer) or a remedy for unknown words.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_baselines", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 3 (2 points).** The lecture asks whether deep networks really perform better and
# answers "if you can satiate their appetite: data for starter". Using this notebook's numbers,
# argue why a network should always be reported next to a majority-class baseline and a linear
# classifier such as Naive Bayes or logistic regression, and say what about this data set keeps the
# network from pulling ahead.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q_baselines_answer", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# *Model answer.* A score means little alone: the majority class shows the floor (about 0.5
# here, so 0.7 is real learning, while 0.7 on a 70 / 30 data set would be nothing), and the linear
# classifiers show what the words alone give with almost no capacity to overfit. Here the network
# is close to logistic regression (within the seed-to-seed spread), so its extra machinery has
# not bought accuracy: without the baselines one would credit it with the whole 0.7. Reasons: only
# 300 training sentences (little "appetite" satisfied: every word vector is fitted from a handful of
# occurrences), and its input is again a bag of words, so it cannot read the order that the
# hard sentences need; what it could add (interactions such as "not" + an adjective) needs more
# data than there is.
#
# **Rubric (2 points).** 1 point: the role of each baseline (floor set by the class balance;
# linear models as the bar a network must clear, as the lecture says). 1 point: a reason grounded
# in this data (small training set, bag-of-words input / no word order, rare words), using the
# notebook's numbers.

# %% [markdown]
# ## 9. The second task: which words are places?
#
# Notebook 03 classified each token as a place name or not from a window of five words. In the new
# corpus several place names are also ordinary words or people's names ("nice", "turkey", "bath",
# "reading", "china", "jordan", "sydney", ...), so the word alone does not decide. Two baselines
# make that visible: "never a place" (the majority class), and a **lookup** that calls a word a
# place if it was tagged as one most of the times it occurred in the training sentences. Against
# them, 02's softmax classifier on the one-hot words of the window (position by position).

# %%
corpus = datasets.load_corpus()
tag_lists = [s.tags for s in corpus]
win_ids, win_labels = text.word_windows(token_lists, tag_lists, vocab, half_width=2)
sentence_of = np.repeat(np.arange(len(corpus)), [len(s.tokens) for s in corpus])
is_val = np.isin(sentence_of, val)
centre = win_ids[:, 2]


def recall_precision(predicted, labels):
    hits = np.sum(predicted & (labels == 1))
    return hits / max(np.sum(labels == 1), 1), hits / max(np.sum(predicted), 1)


place_rate = np.bincount(centre[~is_val], weights=win_labels[~is_val], minlength=len(vocab)) / np.maximum(
    np.bincount(centre[~is_val], minlength=len(vocab)), 1)

# Softmax regression on the one-hot words of the window: a weight vector per (position, word), looked up.
W_tag, b_tag = np.zeros((5, len(vocab), 2)), np.zeros(2)
tag_logits = lambda w: sum(W_tag[j][w[:, j]] for j in range(5)) + b_tag
for _ in range(100):
    dZ = softmax_cross_entropy_grad(tag_logits(win_ids[~is_val]), win_labels[~is_val])
    for j in range(5):
        dW = np.zeros((len(vocab), 2))
        np.add.at(dW, win_ids[~is_val][:, j], dZ)
        W_tag[j] -= 2.0 * dW
    b_tag -= 2.0 * dZ.sum(axis=0)
taggers = {"never a place": np.zeros(is_val.sum(), dtype=bool),
           "lookup of the word": place_rate[centre[is_val]] > 0.5,
           "softmax on the window": tag_logits(win_ids[is_val]).argmax(axis=1) == 1}
print(f"{is_val.sum()} validation tokens, {win_labels[is_val].sum()} of them place names")
for name, predicted in taggers.items():
    recall, precision = recall_precision(predicted, win_labels[is_val])
    print(f"{name:<22} recall {recall:.2f}  precision {precision:.2f}")
ambiguous = ["nice", "turkey", "bath", "reading", "china", "jordan", "sydney", "florence"]
print("tagged as a place in some sentences and not in others:",
      ", ".join(w for w in ambiguous if {t for s in corpus for tok, t in zip(s.tokens, s.tags) if tok == w} == {"LOC", "O"}))

# %% [markdown]
# The lookup fails on exactly the words that are places only sometimes ("we loved **nice**" against
# "the staff were **nice**"), and on place names it never saw; the window classifier reads the
# neighbours ("in", "from", "flew to") and gets more of both. Per-token classification from a
# window is the lecture's named-entity task, and the window is a first step beyond the bag of
# words: the position of each neighbour counts.

# %% [markdown]
# > **What to remember**
# > - Report a network next to a **majority-class** baseline and **linear** classifiers (Naive
# >   Bayes: counts, Laplace smoothing, log-probabilities; logistic regression: 02's softmax on a
# >   bag of words). On small data they are hard to beat.
# > - An **averaged-embedding** layer turns a sentence of any length into a vector; backward gives
# >   each real occurrence $d\text{out}/L$, summed per word (`np.add.at`), nothing to the padding.
# > - A network is a chain of the pieces you wrote; one numerical gradient check of the whole
# >   training step catches a forgotten term anywhere in it.
# > - An **ablation** means something only with several seeds and the spread next to the mean.
# > - A bag of words (or an average of word vectors) **loses word order**: contrast and negation
# >   scope are invisible to it, whatever the classifier on top.

# %% [markdown]
# ## Summary
#
# You built a sentiment classifier from the pieces of the whole course and measured it honestly:
# a majority baseline, Naive Bayes, logistic regression and a network over averaged word vectors
# with He initialisation, dropout, L2, batch norm, an LR schedule and early stopping, each
# switchable. The network does not clearly beat the linear classifiers here, the ablation shows
# which of the techniques can be told apart from noise on 100 validation sentences, and the error
# analysis shows the limit they all share: they read a bag of words.
#
# **Next:** models that read word order: n-gram features, convolutions over word windows,
# recurrent networks and Transformers, the subject of the rest of an NLP course.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
