# %% [markdown]
# # 01 · Softmax: from scores to probabilities
#
# **Lecture:** *Review of Neural Networks*, slides "Let's establish some notation" (with "The task of
# DNNs applied to NLP"), the fish example ("learn a decision boundary", $W \in \mathbb{R}^{c \times d}$),
# "How to calculate P(y|x)?" and "Can you do multiclass classification using linear classifiers?"
# (Naive Bayes, SVM, logistic regression).
#
# **Time:** about 1 h 35 for the core path (the course map says how this is estimated). The plot to predict
# before you run is the temperature plot in section 6.
#
# By the end of this notebook you will be able to
#
# 1. compute the **scores** $z = Wx + b$ of a linear classifier for a whole batch at once;
# 2. turn scores into probabilities with a **softmax** that never overflows, and say why
#    subtracting the maximum is allowed;
# 3. derive and compute **log-probabilities** stably with the log-sum-exp trick;
# 4. say where softmax sits in NLP tasks (a class per text, a word, a label per token);
# 5. predict classes, draw a linear decision boundary, name the classic linear classifiers, and see
#    what a linear classifier cannot learn.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.grading import call_strict, check_array, check_close, check_dtype, check_shape

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. Notation and the data
#
# A supervised data set is a list of pairs $\{x_i, y_i\}_{i=1}^{N}$: each input $x_i \in \mathbb{R}^d$
# has $d$ features and each label $y_i$ is one of $C$ classes. In code the inputs are rows:
# `X` has shape `(N, d)` and `y` has shape `(N,)`.
#
# In NLP, $x_i$ is a word, a sentence or a document. Every task the lecture lists ends in a
# **softmax**:
#
# | task (lecture) | example | softmax over | scores of shape |
# |---|---|---|---|
# | a **class** per text | sentiment, buy/sell | the $C$ classes | $(N, C)$ |
# | **another word** | a masked word ("the cat sat on the [MASK]") | the $V \approx 10^4$–$10^5$ words of the vocabulary | $(N, V)$ |
# | a **label per token**, or a word per position | named entities; translation, question answering | $C$ tags (or $V$ words) at each of $T$ positions | $(N, T, C)$ |
#
# So one function, `softmax(Z, axis=-1)`, must work for any shape, along the last axis.
#
# The lecture's running example (Duda, Hart & Stork) tells **salmon** from **sea bass** by
# *lightness* and *width*: $d = 2$, $C = 2$. Here is generated data of that kind:

# %%
X_fish, y_fish = datasets.fish(rng, n_per_class=100)
print("X:", X_fish.shape, X_fish.dtype, " y:", y_fish.shape, y_fish.dtype)
fig, ax = plt.subplots(figsize=(5, 4))
plots.scatter(ax, X_fish, y_fish, class_names=datasets.FISH_CLASSES,
              feature_names=datasets.FISH_FEATURES, title="Fish: two features, two classes")
plt.show()


# %% [markdown]
# ## 2. Scores of a linear classifier
#
# A linear classifier has weights $W \in \mathbb{R}^{C \times d}$ and a bias $b \in \mathbb{R}^{C}$.
# For one input it computes a **score** per class, $z = Wx + b \in \mathbb{R}^C$; for a batch,
# with samples as rows, it is one matrix product:
#
# $$Z = X W^\top + b, \qquad X \in \mathbb{R}^{N \times d},\; Z \in \mathbb{R}^{N \times C},$$
#
# with $b$ added to every row. (Work out on paper why the transpose is there: row $i$ of $Z$ must
# equal $W x_i + b$.)
#
# **Exercise.** Implement `scores`, keeping the dtype (float32 in, float32 out). $W$ is (C, d), *out*
# by *in*, as in the lecture and PyTorch's `nn.Linear`.

# %% nbgrader={"grade": false, "grade_id": "scores", "locked": false, "schema_version": 3, "solution": true, "task": false}
def scores(X, W, b):
    """Class scores of a linear classifier, Z = X W^T + b.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    W : ndarray of shape (C, d)
    b : ndarray of shape (C,)

    Returns
    -------
    Z : ndarray of shape (N, C)
    """
    ### BEGIN SOLUTION
    return X @ W.T + b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_scores", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""scores: shape, dtype and values on a small input, and a square W (2 points)"""
# the messages shown when a result looks like a known mistake
NO_BIAS = "the bias b was not added"
W_NOT_T = "W is (C, d), one row per class: row i of Z must be W x_i + b, so check which index of W runs over d"
X_sq = np.array([[1.0, 2.0], [0.0, -1.0]])                   # N=2, d=2
W_sq = np.array([[1.0, 3.0], [-1.0, 0.0]])                   # C=2 = d: a square W
check_array(scores(X_sq, W_sq, np.zeros(2)), [[7.0, -1.0], [-3.0, 0.0]], "scores with a square W (C = d = 2)",
            hints={W_NOT_T: X_sq @ W_sq})
X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])       # N=3, d=2
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0], [2.0, 1.0]])  # C=4, d=2
b = np.array([0.5, -0.5, 0.0, 1.0])
Z = scores(X, W, b)
check_shape(Z, (3, 4), "scores(X, W, b)")
check_array(Z, [[1.5, 1.5, -1.0, 5.0], [0.5, -1.5, 1.0, 0.0], [3.5, 0.0, 2.5, 7.5]],
            "scores(X, W, b)",
            hints={NO_BIAS: X @ W.T})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2024)
for N, d, C in [(1, 3, 5), (7, 4, 2), (2, 6, 3), (5, 4, 4), (1, 3, 3)]:
    X, W, b = _rng.normal(size=(N, d)), _rng.normal(size=(C, d)), _rng.normal(size=C)
    hints = {NO_BIAS: X @ W.T}
    if C == d:
        hints[W_NOT_T] = X @ W + b
    check_array(scores(X, W, b), X @ W.T + b, f"scores with N={N}, d={d}, C={C}", hints=hints)
X32, W32, b32 = (a.astype(np.float32) for a in (X, W, b))
Z32 = scores(X32, W32, b32)
check_dtype(Z32, np.float32, "scores of float32 inputs")
check_array(Z32, (X @ W.T + b).astype(np.float32), "scores of float32 inputs", rtol=1e-5, atol=1e-6,
            hints={W_NOT_T: (X @ W + b).astype(np.float32)})
### END HIDDEN TESTS

# %% [markdown]
# ## 3. From scores to probabilities: softmax
#
# Scores can be any real numbers, but $P(y = c \mid x)$ must be **positive** and **sum to 1**. The
# lecture takes the exponent of every score, then divides by the sum:
#
# $$\operatorname{softmax}(z)_c = \frac{\exp z_c}{\sum_{c'=1}^{C} \exp z_{c'}}.$$
#
# The exponent keeps the **order** of the scores and turns differences of scores into ratios of
# probabilities: $p_a / p_b = e^{z_a - z_b}$.

# %%
z = np.array([2.0, 1.0, -1.0, 0.0])
print("scores        ", z)
print("exp(scores)   ", np.round(np.exp(z), 4))
p = np.exp(z) / np.exp(z).sum()
print("probabilities ", np.round(p, 4), " sum:", p.sum())

# %% [markdown]
# ### Why subtract the maximum?
#
# In floating point, $e^{z}$ overflows to `inf` for $z \gtrsim 710$ (float64) or $z \gtrsim 89$ (float32),
# and `inf / inf` is `nan`. But softmax does not change when a constant $k$ is added to every score:
#
# $$\frac{e^{z_c + k}}{\sum_{c'} e^{z_{c'} + k}} = \frac{e^{k} e^{z_c}}{e^{k} \sum_{c'} e^{z_{c'}}} = \operatorname{softmax}(z)_c .$$
#
# So we may choose $k$. Which choice makes the largest exponent harmless, and why can the sum in the
# denominator then never be 0? Answer that for yourself before the exercise.

# %%
z = np.array([1000.0, 999.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("exp(z)        :", np.exp(z), " (overflow)")
    print("naive softmax :", np.exp(z) / np.exp(z).sum())


# %% [markdown]
# **Exercise.** Implement `softmax(Z, axis=-1)` for an array of **any** shape. It must
#
# - work along `axis` only (the last by default): each row, or each position of an $(N, T, C)$ array,
#   is its own distribution;
# - give no warning and no `nan` even for scores of $\pm 10^4$, in rows on very different scales;
# - return float32 for float32 input.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax(Z, axis=-1):
    """Softmax of Z along `axis`, computed stably.

    Parameters
    ----------
    Z : ndarray of any shape, e.g. (N, C) scores
    axis : int
        The axis that holds the classes.

    Returns
    -------
    P : ndarray of Z's shape and dtype; positive and summing to 1 along `axis`
    """
    ### BEGIN SOLUTION
    shifted = Z - np.max(Z, axis=axis, keepdims=True)
    E = np.exp(shifted)
    return E / np.sum(E, axis=axis, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""softmax: shape, sums and values on small inputs (3 points)"""
Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 1.0], [2.0, 2.0, -2.0]])
expected = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
mistakes = {
    "the rows do not sum to 1: divide each exp by the sum of the exps along `axis`": np.exp(Z),
    "the rows do not sum to 1: the exponents were never normalised":
        np.exp(Z - Z.max(axis=1, keepdims=True)),
    "normalised over the wrong axis: each row (along `axis`) must sum to 1":
        np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True),
    "normalised over the whole array: each row must be normalised on its own":
        np.exp(Z) / np.exp(Z).sum(),
}
P = softmax(Z)
check_shape(P, (4, 3), "softmax(Z)")
check_array(P, expected, "softmax(Z)", hints=mistakes)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(90210)
if True:
    for shape in [(1, 5), (6, 2), (3, 4, 7), (1, 1)]:
        Z = _rng.normal(scale=3.0, size=shape)
        E = np.exp(Z)
        check_array(softmax(Z), E / E.sum(axis=-1, keepdims=True), f"softmax of shape {shape}",
                    hints={"normalised over the wrong axis": E / E.sum(axis=0, keepdims=True),
                           "the rows do not sum to 1": E})
    Z = _rng.normal(size=(4, 6))
    E = np.exp(Z)
    check_array(softmax(Z, axis=0), E / E.sum(axis=0, keepdims=True), "softmax(Z, axis=0)",
                hints={"the `axis` argument was ignored": E / E.sum(axis=1, keepdims=True)})
    check_array(softmax(Z + 100.0), softmax(Z), "softmax(Z + 100): adding a constant must not change it")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_softmax_stable", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""softmax: no overflow, no warning and the dtype kept at huge scores (3 points)"""
Z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])
P = call_strict(softmax, Z, name="softmax at scores of ±1e4",
                hint="exp overflowed, or a row of exps underflowed to 0/0: shift each row before exp "
                     "(softmax does not change when a row is shifted)")
check_array(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], "softmax at scores of ±1e4")
P32 = softmax(np.array([[100.0, 0.0], [1.0, 2.0]], dtype=np.float32))
check_dtype(P32, np.float32, "softmax of a float32 array")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(31337)
if True:
    # rows on very different scales: a single global max is not enough
    Z = np.array([[0.0, 1e4], [-1e4, -1e4 + 1.0]])
    P = call_strict(softmax, Z, name="softmax of rows on very different scales",
                    hint="a single shift for the whole array is not enough: each row needs its own")
    check_array(P, [[0.0, 1.0], [1 / (1 + np.e), np.e / (1 + np.e)]], "softmax of rows on different scales")
    Z32 = (_rng.normal(size=(5, 3)) * 200).astype(np.float32)
    P32 = call_strict(softmax, Z32, name="softmax of float32 scores", hint="exp overflowed: shift each row before exp")
    check_dtype(P32, np.float32, "softmax of float32 scores")
    Z64 = Z32.astype(np.float64)
    E = np.exp(Z64 - Z64.max(axis=1, keepdims=True))
    check_array(P32, (E / E.sum(axis=1, keepdims=True)).astype(np.float32), "softmax of float32 scores",
                rtol=1e-4, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ### One softmax for every NLP task in the table
#
# Your `softmax` covers the three tasks of section 1: only the shape of the scores changes.

# %%
V = 10_000                                                        # a vocabulary of 10,000 words
tasks = {"a class per text   (N=4, C=3)": rng.normal(size=(4, 3)),
         "a word over V      (N=4, V=10,000)": rng.normal(scale=3.0, size=(4, V)),
         "a tag per token    (N=4, T=7, C=9)": rng.normal(size=(4, 7, 9))}
for name, Z in tasks.items():
    P = softmax(Z)
    print(f"{name}: probabilities {str(P.shape):15s} each distribution sums to 1: {np.allclose(P.sum(axis=-1), 1)}")

# %% [markdown]
# ## 4. Log-probabilities: log-softmax
#
# Training (next notebook) minimises $-\log P(y \mid x)$. Taking `np.log(softmax(Z))` is fragile: a
# probability that underflows to 0 gives $\log 0 = -\infty$, though the true value, about $-800$ here,
# is an ordinary number:

# %%
z = np.array([0.0, -800.0])
with np.errstate(divide="ignore"):
    print("log(softmax(z)):", np.log(np.exp(z) / np.exp(z).sum()), "  (the true value of the 2nd entry is about -800)")

# %% [markdown]
# **Derive it yourself.** Write $\log \operatorname{softmax}(z)_c$ out with the rules of the logarithm, so
# that no probability is ever formed: you get $z_c$ minus the **log-sum-exp** of the scores. That sum
# can still overflow; use the shift invariance from section 3 to make its largest term $e^0$. Check on
# paper that your formula gives $0$ and $-800$ for the $z$ above.

# %% [markdown]
# **Exercise.** Implement `log_softmax(Z, axis=-1)` from your derivation, with the same rules as
# `softmax`: any shape, finite for scores of $\pm 10^4$, no warnings, dtype kept.

# %% nbgrader={"grade": false, "grade_id": "log_softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def log_softmax(Z, axis=-1):
    """Logarithm of softmax(Z) along `axis`, computed with log-sum-exp.

    Parameters
    ----------
    Z : ndarray of any shape, e.g. (N, C) scores

    Returns
    -------
    ndarray of Z's shape and dtype; exp of it sums to 1 along `axis`
    """
    ### BEGIN SOLUTION
    shifted = Z - np.max(Z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_log_softmax", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""log_softmax: values, and finite where log(softmax) would be -inf (3 points)"""
Z = np.array([[1.0, 2.0, 3.0], [-1.0, 5.0, 1.0]])
expected = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
check_array(log_softmax(Z), expected, "log_softmax(Z)",
            hints={"normalised over the wrong axis": Z - np.log(np.exp(Z).sum(axis=0, keepdims=True))})
Z = np.array([[0.0, -1e4], [5e3, -5e3]])
L = call_strict(log_softmax, Z, name="log_softmax at scores of ±1e4",
                hint="exp overflowed or a log of 0 was taken: derive log softmax without forming probabilities, and shift before exp")
check_array(L, [[0.0, -1e4], [0.0, -1e4]], "log_softmax at scores of ±1e4",
            hints={"this is log(softmax(Z)): a probability underflowed to 0; write the log out instead":
                   [[0.0, -np.inf], [0.0, -np.inf]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8080)
if True:
    for shape, axis in [((1, 4), -1), ((5, 3), -1), ((2, 3, 4), 1), ((6, 2), 0)]:
        Z = _rng.normal(scale=4.0, size=shape)
        ref = Z - np.log(np.exp(Z).sum(axis=axis, keepdims=True))
        check_array(log_softmax(Z, axis=axis), ref, f"log_softmax of shape {shape} along axis {axis}")
    Z32 = (_rng.normal(size=(4, 5)) * 1e3).astype(np.float32)
    L32 = call_strict(log_softmax, Z32, name="log_softmax of float32 scores", hint="exp overflowed: shift before exp")
    check_dtype(L32, np.float32, "log_softmax of float32 scores")
    Z64 = Z32.astype(np.float64)
    m = Z64.max(axis=1, keepdims=True)
    ref = (Z64 - m) - np.log(np.exp(Z64 - m).sum(axis=1, keepdims=True))
    check_array(L32, ref.astype(np.float32), "log_softmax of float32 scores", rtol=1e-4, atol=1e-3)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Predicting a class
#
# The predicted class has the largest probability; since softmax keeps the order of the scores, that
# is the **largest score**, $\hat{y} = \arg\max_c z_c$, with no exponent needed.
#
# **Exercise.** Implement `predict(X, W, b)`, returning one integer class index per sample.

# %% nbgrader={"grade": false, "grade_id": "predict", "locked": false, "schema_version": 3, "solution": true, "task": false}
def predict(X, W, b):
    """Predicted class of each sample: the index of its largest score.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    W : ndarray of shape (C, d)
    b : ndarray of shape (C,)

    Returns
    -------
    y_hat : ndarray of shape (N,), integer dtype, values in 0..C-1
    """
    ### BEGIN SOLUTION
    return np.argmax(X @ W.T + b, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_predict", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""predict: integer class indices, one per sample (2 points)"""
X = np.array([[2.0, 0.0], [0.0, 1.0], [-1.0, -3.0], [1.0, 1.0]])    # N=4, d=2
W = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])              # C=3, d=2
b = np.array([0.0, 0.5, 0.0])
y_hat = predict(X, W, b)
check_close(y_hat, [0, 1, 2, 1], "predict(X, W, b)",
            hints={"take the argmax of each sample's scores (axis=1), not over the samples":
                   np.argmax(X @ W.T + b, axis=0),
                   "the bias b was left out of the scores": np.argmax(X @ W.T, axis=1)})
assert np.issubdtype(y_hat.dtype, np.integer), f"predict should return integer class indices, got dtype {y_hat.dtype}"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(777)
for N, d, C in [(1, 2, 3), (9, 5, 4), (4, 3, 7), (8, 3, 3)]:
    X, W, b = _rng.normal(size=(N, d)), _rng.normal(size=(C, d)), _rng.normal(size=C)
    y_hat = predict(X, W, b)
    hints = {"take the argmax of each sample's scores (axis=1), not over the samples": np.argmax(X @ W.T + b, axis=0)}
    if C == d:
        hints["with a square W, X @ W runs too: W is (C, d), so the scores are X @ W.T + b"] = np.argmax(X @ W + b, axis=1)
    check_close(y_hat, np.argmax(X @ W.T + b, axis=1), f"predict with N={N}, d={d}, C={C}", hints=hints)
    assert np.issubdtype(y_hat.dtype, np.integer), "predict should return integers"
X32, W32, b32 = (a.astype(np.float32) for a in (X, W, b))
check_close(predict(X32, W32, b32), np.argmax(X @ W.T + b, axis=1), "predict of float32 inputs")
### END HIDDEN TESTS

# %% [markdown]
# ## 6. A linear decision boundary on the fish data
#
# The next notebook *learns* $W$ and $b$ by minimising cross-entropy. Here we fit them by least squares
# on one-hot targets, enough to see the boundary: the points where two classes' scores are equal,
# $z_a = z_b$, form a **line** (a hyperplane in $d$ dimensions).

# %%
def least_squares_classifier(X, y, num_classes):
    # (W, b) minimising ||[X 1] [W b]^T - onehot(y)||^2: a quick stand-in for training.
    X1 = np.hstack([X, np.ones((len(X), 1))])
    T = np.eye(num_classes)[y]
    Wb = np.linalg.lstsq(X1, T, rcond=None)[0].T
    return Wb[:, :-1], Wb[:, -1]

W_fish, b_fish = least_squares_classifier(X_fish, y_fish, 2)
accuracy = np.mean(predict(X_fish, W_fish, b_fish) == y_fish)
print(f"training accuracy on the fish: {accuracy:.2f}")
fig, ax = plt.subplots(figsize=(5, 4))
plots.decision_boundary(ax, lambda X: predict(X, W_fish, b_fish), X_fish, y_fish,
                        class_names=datasets.FISH_CLASSES, feature_names=datasets.FISH_FEATURES,
                        title="A line separates most of the fish")
plt.show()

# %% [markdown]
# ### Multiclass: one score per class, and the classic linear classifiers
#
# With one row of $W$ per class, a linear classifier handles any $C$. The lecture's three classic ones
# all compute scores $z = Wx + b$ and predict $\arg\max_c z_c$; they differ only in **how $W$ and $b$
# are chosen**:
#
# | classifier | its scores $z_c$ | how $W, b$ are fitted |
# |---|---|---|
# | **Naive Bayes** (multinomial, on word counts $x$) | $\log P(c) + \sum_k x_k \log P(\text{word } k \mid c)$: linear in $x$ | counting, in closed form |
# | **SVM** (multiclass) | $w_c^\top x + b_c$ | a margin (hinge) loss: the true score must beat the others |
# | **Logistic regression** (softmax regression) | $w_c^\top x + b_c$, turned into $P(c \mid x)$ by softmax | cross-entropy, by gradient descent (notebook 02) |
#
# Here the weights come from least squares, a fourth way.
#
# **Predict before you run.** The least-squares scores are small (they fit targets of 0 and 1), so their
# softmax is nearly uniform. Below, they are multiplied by `sharpness` before the softmax, as if $W$ and
# $b$ were that many times larger. Write down first: do the **regions** (the argmax) change when
# `sharpness` goes from 1 to 3 to 10? What happens to the colours of the probability maps?

# %%
X3, y3 = datasets.blobs(rng, n_per_class=60, n_classes=3, std=0.8)
W3, b3 = least_squares_classifier(X3, y3, 3)
fig, axes = plt.subplots(1, 4, figsize=(19, 4))
plots.decision_boundary(axes[0], lambda X: predict(X, W3, b3), X3, y3, title="3 classes: regions")
for ax, sharpness in zip(axes[1:], (1, 3, 10)):
    plots.probability_map(ax, lambda X, k=sharpness: softmax(k * scores(X, W3, b3)), X3, y3,
                          title=f"softmax of {sharpness} x the scores")
plt.show()
print("regions unchanged by the factor:", all(np.array_equal(predict(X3, W3, b3), predict(X3, k * W3, k * b3))
                                             for k in (3, 10)))

# %% [markdown]
# Multiplying the scores by $k > 0$ keeps their order, so the regions stay; but ratios of probabilities,
# $e^{k(z_a - z_b)}$, grow fast: pale blends at factor 1 become pure colours at 10. The factor is an
# inverse **temperature**; training (notebook 02) sets the scale of $W$ itself.

# %% [markdown]
# ### What a linear classifier cannot learn
#
# Every boundary of a linear classifier is straight. On XOR-like data, where the class depends on
# whether the two features have the *same sign*, no line beats chance: hence hidden layers (notebook 03).

# %%
X_xor, y_xor = datasets.xor(rng, n=200, noise=0.15)
W_xor, b_xor = least_squares_classifier(X_xor, y_xor, 2)
print(f"linear classifier on XOR: accuracy {np.mean(predict(X_xor, W_xor, b_xor) == y_xor):.2f}")
fig, ax = plt.subplots(figsize=(5, 4))
plots.decision_boundary(ax, lambda X: predict(X, W_xor, b_xor), X_xor, y_xor,
                        title="XOR: no line separates the classes")
plt.show()

# %% [markdown]
# ## 7. Questions from the lecture
#
# Answer in your own words; your instructor grades these.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_why_exp", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** The lecture makes scores positive by *taking the exponent*. Why the
# exponent, rather than, say, the absolute value or the square of each score? Name at least two
# properties that matter. Answer in two or three sentences (about 50 words).

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_why_exp", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# The exponent is positive and **monotonic**: a larger score always gets a larger probability, while
# |z| and z² rank −5 above 1. It turns score differences into ratios ($p_a/p_b = e^{z_a - z_b}$), so
# softmax ignores a constant shift and is computed stably. The log undoes it, so log-softmax and its
# gradient are simple.
#
# **Rubric (2 points, 1 per property, at most 2).** One point each for two of: (a) **monotonic**: a
# larger score gives a larger probability, with a counter-example for $|z|$ or $z^2$ (e.g. $-5$ ranked
# above $1$); (b) **differences become ratios** / invariance to adding a constant, hence the stable
# shift; (c) **log undoes exp**, so log-softmax and its gradient are simple; (d) positive and smooth
# (differentiable) everywhere, unlike $|z|$ at 0. "It makes the values positive" alone earns nothing:
# $|z|$ and $z^2$ do that too.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_linear_multiclass", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** Can a linear classifier do multiclass classification? Name two of the
# classic linear classifiers from the lecture and say what they share. What can a linear classifier
# *not* learn? Refer to one of the plots above. Answer in three or four sentences (about 70 words).

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_linear_multiclass", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# Yes: one row of $W$ per class gives a score per class and the argmax picks one, as in the blobs'
# three regions. Naive Bayes, multiclass SVM and logistic regression all take the argmax of linear
# scores; only the fitting differs (counts, a margin loss, cross-entropy). But every boundary
# ($z_a = z_b$) is a hyperplane, so classes that are not linearly separable, like XOR, stay near chance.
#
# **Rubric (2 points).** 1 point: yes, one weight row (one score) per class and the argmax, **and** two
# of Naive Bayes / SVM / logistic (softmax) regression named as linear, with what they share (linear
# scores, argmax; only the fitting differs). 1 point: the boundaries between classes are straight
# (hyperplanes, $z_a = z_b$ is linear in $x$), so classes that are not linearly separable, **XOR** in
# the plot, cannot be learned (accuracy near chance). No point for "it cannot do multiclass".

# %% [markdown]
# ## What to remember
#
# > - Scores of a batch: $Z = XW^\top + b$, $W$ of shape (C, d); the same softmax serves a class per text,
# >   a word over the vocabulary and a tag per token, along the last axis.
# > - Softmax is unchanged by shifting a row, so shift each row before `exp`: nothing overflows.
# > - Log-probabilities come from log-sum-exp, never from `log(softmax(...))`.
# > - Naive Bayes, SVM and logistic regression are all linear classifiers: straight boundaries, no XOR.
#
# ## Summary
#
# Scores, then a stable softmax, give probabilities; the argmax of the scores predicts.
#
# **Next:** `02_cross_entropy` measures how wrong the probabilities are and learns $W$ and $b$ by
# gradient descent.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
