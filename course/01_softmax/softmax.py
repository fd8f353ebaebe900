# %% [markdown]
# # 01 · Softmax: from scores to probabilities
#
# **Lecture:** *Review of Neural Networks*, slides "Let's establish some notation", the fish example
# ("learn a decision boundary"), "How to calculate P(y|x)?" and "Can you do multiclass classification
# using linear classifiers?".
#
# By the end of this notebook you will be able to
#
# 1. compute the **scores** $z = Wx + b$ of a linear classifier for a whole batch at once;
# 2. turn scores into probabilities with a **softmax** that never overflows, and explain why
#    subtracting the maximum is allowed;
# 3. compute **log-probabilities** stably with the log-sum-exp trick;
# 4. **predict** classes, draw a linear decision boundary, and see what a linear classifier cannot learn.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, layers, plots
from nnlib.grading import call_strict, check_array, check_close, check_dtype, check_shape, forbid_delegation

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. Notation and the data
#
# A supervised data set is a list of pairs $\{x_i, y_i\}_{i=1}^{N}$. Each input $x_i \in \mathbb{R}^d$
# has $d$ features and each label $y_i$ is one of $C$ classes. In code we stack the inputs as rows:
# `X` has shape `(N, d)` and `y` has shape `(N,)`.
#
# The lecture's running example (Duda, Hart & Stork) tells **salmon** from **sea bass** by two
# features, *lightness* and *width*, so $d = 2$ and $C = 2$. Here is a generated version of that data:

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
# A linear classifier has a weight matrix $W \in \mathbb{R}^{C \times d}$ and a bias $b \in \mathbb{R}^{C}$.
# For one input it computes a **score** (a "likeness") per class, $z = Wx + b \in \mathbb{R}^C$.
# For a batch, with samples as rows, the same thing is one matrix product:
#
# $$Z = X W^\top + b, \qquad X \in \mathbb{R}^{N \times d},\; Z \in \mathbb{R}^{N \times C},$$
#
# where $b$ is added to every row (broadcasting). Row $i$ of $Z$ holds the $C$ scores of sample $i$.
#
# **Exercise.** Implement `scores`. Keep the dtype of the inputs (float32 in, float32 out).

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
"""scores: shape, dtype and values on a small input (2 points)"""
X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])       # N=3, d=2
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0], [2.0, 1.0]])  # C=4, d=2
b = np.array([0.5, -0.5, 0.0, 1.0])
Z = scores(X, W, b)
check_shape(Z, (3, 4), "scores(X, W, b)")
check_array(Z, [[1.5, 1.5, -1.0, 5.0], [0.5, -1.5, 1.0, 0.0], [3.5, 0.0, 2.5, 7.5]],
            "scores(X, W, b)",
            hints={"the bias b was not added": X @ W.T})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2024)
for N, d, C in [(1, 3, 5), (7, 4, 2), (2, 6, 3)]:
    X, W, b = _rng.normal(size=(N, d)), _rng.normal(size=(C, d)), _rng.normal(size=C)
    check_array(scores(X, W, b), X @ W.T + b, f"scores with N={N}, d={d}, C={C}",
                hints={"the bias b was not added": X @ W.T})
X32, W32, b32 = (a.astype(np.float32) for a in (X, W, b))
check_dtype(scores(X32, W32, b32), np.float32, "scores of float32 inputs")
### END HIDDEN TESTS

# %% [markdown]
# ## 3. From scores to probabilities: softmax
#
# Scores can be any real numbers, but we want $P(y = c \mid x)$: values that are **positive** and
# **sum to 1**. The lecture builds it in two steps:
#
# 1. make every score positive by taking the exponent, $\exp z_c$;
# 2. normalise by the sum of all of them:
#
# $$\operatorname{softmax}(z)_c = \frac{\exp z_c}{\sum_{c'=1}^{C} \exp z_{c'}}.$$
#
# The exponent keeps the **order** of the scores (a larger score gets a larger probability) and
# turns differences of scores into ratios of probabilities: $p_a / p_b = e^{z_a - z_b}$.

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
# and `inf / inf` is `nan`. Softmax, however, does not change when the same constant $k$ is added to
# every score:
#
# $$\frac{e^{z_c + k}}{\sum_{c'} e^{z_{c'} + k}} = \frac{e^{k} e^{z_c}}{e^{k} \sum_{c'} e^{z_{c'}}} = \operatorname{softmax}(z)_c .$$
#
# So we may pick $k = -\max_c z_c$: the largest exponent becomes $e^0 = 1$, nothing overflows, and the
# sum is at least 1, so nothing divides by zero.

# %%
z = np.array([1000.0, 999.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(z) / np.exp(z).sum()
shifted = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
print("naive  :", naive)
print("shifted:", np.round(shifted, 6))


# %% [markdown]
# **Exercise.** Implement `softmax(Z, axis=-1)` for an array of **any** shape: the probabilities run along
# `axis` (the last one by default: one row per sample). It must
#
# - subtract the maximum *along `axis`* (each row its own maximum: `keepdims=True` keeps the shapes aligned),
# - give no warning and no `nan` even for scores of $\pm 10^4$,
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
    "the rows do not sum to 1: after exp, divide by the sum along `axis`":
        np.exp(Z - Z.max(axis=1, keepdims=True)),
    "normalised over the wrong axis: each row (along `axis`) must sum to 1":
        np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True),
    "normalised over the whole array: sum along `axis` with keepdims=True":
        np.exp(Z) / np.exp(Z).sum(),
}
P = softmax(Z)
check_shape(P, (4, 3), "softmax(Z)")
check_array(P, expected, "softmax(Z)", hints=mistakes)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(90210)
with forbid_delegation(layers.softmax, layers.log_softmax):
    for shape in [(1, 5), (6, 2), (3, 4, 7)]:
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
                hint="looks like each row's max was not subtracted before exp: use Z.max(axis=axis, keepdims=True)")
check_array(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], "softmax at scores of ±1e4")
P32 = softmax(np.array([[100.0, 0.0], [1.0, 2.0]], dtype=np.float32))
check_dtype(P32, np.float32, "softmax of a float32 array")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(31337)
with forbid_delegation(layers.softmax, layers.log_softmax):
    # rows on very different scales: a single global max is not enough
    Z = np.array([[0.0, 1e4], [-1e4, -1e4 + 1.0]])
    P = call_strict(softmax, Z, name="softmax of rows on very different scales",
                    hint="subtract each row's own max (keepdims=True), not the max of the whole array")
    check_array(P, [[0.0, 1.0], [1 / (1 + np.e), np.e / (1 + np.e)]], "softmax of rows on different scales")
    Z32 = (_rng.normal(size=(5, 3)) * 200).astype(np.float32)
    P32 = call_strict(softmax, Z32, name="softmax of float32 scores", hint="subtract each row's max before exp")
    check_dtype(P32, np.float32, "softmax of float32 scores")
    Z64 = Z32.astype(np.float64)
    E = np.exp(Z64 - Z64.max(axis=1, keepdims=True))
    check_array(P32, (E / E.sum(axis=1, keepdims=True)).astype(np.float32), "softmax of float32 scores",
                rtol=1e-4, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Log-probabilities: log-softmax
#
# Training (next notebook) minimises $-\log P(y \mid x)$, so we need the **log** of softmax. Taking
# `np.log(softmax(Z))` is fragile: a probability that underflows to 0 gives $\log 0 = -\infty$.
# Instead, write the logarithm out:
#
# $$\log \operatorname{softmax}(z)_c = z_c - \log \sum_{c'} e^{z_{c'}}
#    = (z_c - m) - \log \sum_{c'} e^{z_{c'} - m}, \qquad m = \max_{c'} z_{c'}.$$
#
# The last form is the **log-sum-exp trick**: the sum contains $e^0 = 1$, so its log is finite and never negative.

# %%
z = np.array([0.0, -800.0])
with np.errstate(divide="ignore"):
    print("log(softmax(z)):", np.log(layers.softmax(z)))
print("log-sum-exp    :", (z - z.max()) - np.log(np.exp(z - z.max()).sum()))


# %% [markdown]
# **Exercise.** Implement `log_softmax(Z, axis=-1)` with the log-sum-exp trick. Same rules as
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
                hint="use the log-sum-exp trick instead of log(softmax(Z)), and subtract the max before exp")
check_array(L, [[0.0, -1e4], [0.0, -1e4]], "log_softmax at scores of ±1e4",
            hints={"this is log(softmax(Z)): a probability underflowed to 0; use log-sum-exp":
                   [[0.0, -np.inf], [0.0, -np.inf]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8080)
with forbid_delegation(layers.softmax, layers.log_softmax):
    for shape, axis in [((1, 4), -1), ((5, 3), -1), ((2, 3, 4), 1), ((6, 2), 0)]:
        Z = _rng.normal(scale=4.0, size=shape)
        ref = Z - np.log(np.exp(Z).sum(axis=axis, keepdims=True))
        check_array(log_softmax(Z, axis=axis), ref, f"log_softmax of shape {shape} along axis {axis}")
    Z32 = (_rng.normal(size=(4, 5)) * 1e3).astype(np.float32)
    L32 = call_strict(log_softmax, Z32, name="log_softmax of float32 scores", hint="subtract the max before exp")
    check_dtype(L32, np.float32, "log_softmax of float32 scores")
    Z64 = Z32.astype(np.float64)
    m = Z64.max(axis=1, keepdims=True)
    ref = (Z64 - m) - np.log(np.exp(Z64 - m).sum(axis=1, keepdims=True))
    check_array(L32, ref.astype(np.float32), "log_softmax of float32 scores", rtol=1e-4, atol=1e-3)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Predicting a class
#
# The predicted class is the one with the largest probability. Since softmax keeps the order of the
# scores, that is simply the **largest score**: $\hat{y} = \arg\max_c z_c$. No exponent needed.
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
for N, d, C in [(1, 2, 3), (9, 5, 4), (4, 3, 7)]:
    X, W, b = _rng.normal(size=(N, d)), _rng.normal(size=(C, d)), _rng.normal(size=C)
    y_hat = predict(X, W, b)
    check_close(y_hat, np.argmax(X @ W.T + b, axis=1), f"predict with N={N}, C={C}",
                hints={"take the argmax of each sample's scores (axis=1), not over the samples":
                       np.argmax(X @ W.T + b, axis=0)})
    assert np.issubdtype(y_hat.dtype, np.integer), "predict should return integers"
### END HIDDEN TESTS

# %% [markdown]
# ## 6. A linear decision boundary on the fish data
#
# We will *learn* $W$ and $b$ by minimising cross-entropy in the next notebook. For now we fit them in
# closed form by least squares on one-hot targets, which is enough to see the boundary: the set of
# points where two classes' scores are equal, $z_a = z_b$, is a **line** (a hyperplane in $d$ dimensions).

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
# ### Multiclass: one score per class
#
# A linear classifier handles $C > 2$ classes with no change: one row of $W$ per class. Each point
# goes to the class of its largest score, and softmax turns the scores into a probability per class.
# Below, the colour mixes the class colours by their probabilities: pure colours where the classifier
# is sure, blends near the boundaries.

# %%
X3, y3 = datasets.blobs(rng, n_per_class=60, n_classes=3, std=0.8)
W3, b3 = least_squares_classifier(X3, y3, 3)
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
plots.decision_boundary(axes[0], lambda X: predict(X, W3, b3), X3, y3, title="3 classes: regions")
plots.probability_map(axes[1], lambda X: softmax(scores(X, 3 * W3, 3 * b3)), X3, y3,
                      title="softmax probabilities")
plt.show()

# %% [markdown]
# ### What a linear classifier cannot learn
#
# Every boundary of a linear classifier is straight. On XOR-like data, where the class depends on
# whether the two features have the *same sign*, no line does better than chance: this is why we need
# hidden layers and non-linear activations (notebook 03).

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
# Answer in a few sentences each, in your own words. These are graded by your instructor.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_why_exp", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** The lecture makes scores positive by *taking the exponent*. Why the
# exponent, rather than, say, the absolute value or the square of each score? Name at least two
# properties that matter.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_why_exp", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# The exponent is positive for every real score and it is **monotonic**, so a larger score always
# gets a larger probability (|z| and z² would rank −5 above 1). It turns differences of scores into
# ratios of probabilities ($p_a/p_b = e^{z_a - z_b}$), which makes softmax invariant to adding a
# constant (and so computable stably), and its logarithm undoes it, so $-\log$ softmax is simple and
# smooth to differentiate.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_linear_multiclass", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** Can a linear classifier do multiclass classification? What can it *not*
# learn? Refer to one of the plots above.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_linear_multiclass", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# Yes: one row of $W$ per class gives one score per class, and the argmax (or softmax) picks among
# $C$ classes; the 3-class blobs are split into three regions. But every boundary between two classes
# is a hyperplane ($z_a = z_b$ is linear in $x$), so it cannot learn classes that are not linearly
# separable, such as XOR, where it stays near chance accuracy. That needs non-linear features, e.g.
# a hidden layer with a non-linear activation.

# %% [markdown]
# ## Summary
#
# - A linear classifier's scores for a batch are $Z = XW^\top + b$, one row per sample.
# - Softmax makes scores positive (exponent) and normalised (divide by the sum); it is unchanged by
#   adding a constant, so subtracting each row's maximum makes it overflow-free.
# - Log-probabilities come from log-sum-exp, never from `log(softmax(...))`.
# - The predicted class is the argmax of the scores; the boundaries are straight, which is enough for
#   the fish but not for XOR.
#
# **Next:** `02_cross_entropy` measures how wrong the probabilities are and learns $W$ and $b$ by
# gradient descent.
