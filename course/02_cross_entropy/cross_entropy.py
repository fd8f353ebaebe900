# %% [markdown]
# # 02 · Cross-entropy: the cost, soft labels, the gradient, training a softmax classifier
#
# **Lecture:** *Review of Neural Networks*, slides "The objective is to maximise the probability of the
# correct class y or minimise the negative log probability of y", "The loss function here is cross
# entropy", "Average loss over all training samples gives cost function" (with "What if labels are
# not truly one hot encoded?") and "Optimisation of networks parameters is done by calculating gradients".
#
# By the end of this notebook you will be able to
#
# 1. compute the **cross-entropy** $\mathcal{L}(p, q) = -\sum_c p(c) \log q(c)$ of two distributions,
#    with integer labels seen as **one-hot** distributions;
# 2. compute the **cost** $J$ of a softmax classifier stably from its logits, for integer labels and
#    for **soft labels** such as $[0, \dots, 0.7, 0.3, \dots, 0]$;
# 3. **derive on paper** the gradient $\partial J / \partial Z$, implement it, and check it with your
#    own **numerical gradient check** (a centred difference);
# 4. train a linear classifier by gradient descent with the gradients $\partial J/\partial W$, $\partial J/\partial b$;
#    say why inputs are standardised and the cost is averaged, not summed.
#
# **Notation** (the same in every notebook): $N$ samples, $C$ classes, cost $J$ (the mean loss),
# learning rate $\alpha$ (the keyword `lr` in code).
#
# **Time:** about 2 h 20 for the core path (the course map says how this is estimated); sections
# marked *(optional)* are extra.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.gradcheck import check_gradient
from nnlib.grading import call_strict, check_array, check_close, check_dtype, check_shape
from nnlib.train import SGD, train
from support import log_softmax, softmax      # notebook 01's answers, stable (each row shifted by its max)

rng = np.random.default_rng(472)


# %% [markdown]
# ## 1. Labels as probability distributions: one-hot
#
# The classifier of notebook 01 outputs a distribution $q = \operatorname{softmax}(z)$. The lecture writes the
# truth as a distribution too, all the probability on the right class:
#
# $$P_{GT} = [0, 0, \dots, 0, 1, 0, \dots, 0].$$
#
# This is the **one-hot** encoding: for labels `y` of shape `(N,)`, `Y` of shape `(N, C)` has
# `Y[i, y[i]] = 1`. Here it is, ready to use (`softmax` and `log_softmax` come from notebook 01 through
# `support`). Its range check matters: `np.eye(C)[y]` alone would read a label of `-1` as the last class.

# %% nbgrader={"grade": false, "grade_id": "given_one_hot", "locked": true, "schema_version": 3, "solution": false, "task": false}
def one_hot(y, num_classes):
    """One-hot rows for integer class labels.

    Parameters
    ----------
    y : ndarray of shape (N,), integer labels in 0..num_classes-1
    num_classes : int
        The number of classes C.

    Returns
    -------
    Y : ndarray of shape (N, C), float64
        Y[i, y[i]] = 1 and every other entry is 0.

    Raises
    ------
    ValueError
        If a label lies outside 0..num_classes-1; the message names that label.
    """
    y = np.asarray(y)
    bad = (y < 0) | (y >= num_classes)
    if np.any(bad):
        raise ValueError(f"label {y[bad][0]} is out of range: labels must lie in 0..{num_classes - 1}")
    Y = np.zeros((len(y), num_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


print(one_hot(np.array([2, 0, 1, 2]), 3))


# %% [markdown]
# ## 2. Cross-entropy of two distributions
#
# Let $p$ be the true distribution over the classes and $q$ the model's. The lecture's **cross-entropy** is
#
# $$\mathcal{L}(p, q) = -\sum_{c=1}^{C} p(c) \log q(c).$$
#
# It is small when $q$ puts its probability where $p$ does. Two edge cases:
#
# - a class with $p(c) = 0$ contributes **nothing**, even when $q(c) = 0$: $0 \cdot \log 0 = 0$ (the
#   limit of $t \log t$), but in floating point `0 * np.log(0)` is `nan`, with a warning, so take the
#   log only where $p(c) > 0$;
# - a class with $p(c) > 0$ but $q(c) = 0$ makes $\mathcal{L} = +\infty$.
#
# **Exercise.** Implement `cross_entropy(P, Q, axis=-1)`, with the classes along `axis`: `(N, C)` arrays
# give shape `(N,)`. Keep the dtype and give no warning where $p = q = 0$.

# %% nbgrader={"grade": false, "grade_id": "cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def cross_entropy(P, Q, axis=-1):
    """Cross-entropy L(p, q) = -sum_c p(c) log q(c) along `axis`.

    Parameters
    ----------
    P : ndarray, e.g. of shape (N, C)
        True distributions p (non-negative, summing to 1 along `axis`).
    Q : ndarray of P's shape (or broadcastable to it)
        Model distributions q.
    axis : int
        The axis that holds the classes.

    Returns
    -------
    L : ndarray of the broadcast shape without `axis`, e.g. (N,), P's dtype
        (a NumPy scalar for 1-D inputs). A term with p(c) = 0 counts as 0,
        even where q(c) = 0.
    """
    ### BEGIN SOLUTION
    mask = P > 0
    log_Q = np.log(np.where(mask, Q, 1.0))
    return -np.sum(np.where(mask, P * log_Q, 0.0), axis=axis)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_cross_entropy", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""cross_entropy: values per row, and no nan where p = q = 0 (3 points)"""
P = np.array([[0.0, 1.0, 0.0], [0.2, 0.5, 0.3], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
Q = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [1.0, 0.0, 0.0], [0.25, 0.5, 0.25]])
expected = np.array([-np.log(0.7), -(0.2 * np.log(0.3) + 0.5 * np.log(0.3) + 0.3 * np.log(0.4)),
                     0.0, -(0.5 * np.log(0.25) + 0.5 * np.log(0.5))])
L = call_strict(cross_entropy, P, Q, name="cross_entropy(P, Q) with p = q = 0 in a row",
                hint="a term with p = 0 must count as 0, but 0 * log(0) = 0 * -inf gave nan: "
                     "take the log only where p > 0 (e.g. np.where(P > 0, Q, 1.0))")
check_close(L, expected, "cross_entropy(P, Q)",
            hints={"the minus sign is missing: L(p, q) = -sum p log q is never negative": -expected,
                   "summed over the whole array: sum along `axis` only, one value per row": expected.sum(),
                   "summed over the wrong axis: the classes run along `axis` (the last one by default)":
                       np.array([-(0.2 * np.log(0.3) + 0.5 * np.log(0.25)), -(np.log(0.7) + 0.5 * np.log(0.3) + 0.5 * np.log(0.5)), -0.3 * np.log(0.4)]),
                   "averaged over the classes: cross-entropy is a sum over c": expected / 3})
check_dtype(L, np.float64, "cross_entropy(P, Q)")
### BEGIN HIDDEN TESTS
def _ce(P, Q, axis=-1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(P > 0, P * np.log(np.where(P > 0, Q, 1.0)), 0.0), axis=axis)

_rng = np.random.default_rng(2202)
if True:
    for shape in [(1, 5), (6, 2), (3, 4, 7)]:
        P = _rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
        Q = _rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
        check_array(cross_entropy(P, Q), _ce(P, Q), f"cross_entropy of shape {shape}",
                    hints={"P and Q are swapped: L(p, q) = -sum p log q, the true p outside the log": _ce(Q, P),
                           "the minus sign is missing": -_ce(P, Q)})
    P, Q = _rng.dirichlet(np.ones(4), size=6).T, _rng.dirichlet(np.ones(4), size=6).T   # classes on axis 0
    check_array(cross_entropy(P, Q, axis=0), _ce(P, Q, axis=0), "cross_entropy(P, Q, axis=0)",
                hints={"the `axis` argument was ignored": _ce(P, Q, axis=-1)})
    p, q = np.array([0.0, 0.7, 0.3, 0.0]), np.array([0.0, 0.5, 0.5, 0.0])
    L = call_strict(cross_entropy, p, q, name="cross_entropy of 1-D distributions with zeros",
                    hint="a term with p = 0 must count as 0 even where q = 0: take the log only where p > 0")
    check_close(L, -(0.7 * np.log(0.5) + 0.3 * np.log(0.5)), "cross_entropy of 1-D distributions")
    P = np.eye(5)[_rng.integers(0, 5, size=8)]
    Q = np.eye(5)[_rng.integers(0, 5, size=8)] * 0.6 + P * 0.4
    L = call_strict(cross_entropy, P, Q, name="cross_entropy of one-hot P with zeros in Q",
                    hint="a term with p = 0 must count as 0 even where q = 0: take the log only where p > 0")
    check_array(L, _ce(P, Q), "cross_entropy of one-hot P")
    P32 = _rng.dirichlet(np.ones(3), size=4).astype(np.float32)
    Q32 = _rng.dirichlet(np.ones(3), size=4).astype(np.float32)
    L32 = cross_entropy(P32, Q32)
    check_dtype(L32, np.float32, "cross_entropy of float32 arrays")
    check_close(L32, _ce(P32.astype(np.float64), Q32.astype(np.float64)), "cross_entropy of float32 arrays", rtol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ### With a one-hot label, cross-entropy is $-\log q(y)$
#
# If $p$ is one-hot at the true class $y$, every term but one vanishes:
# $\mathcal{L}(p, q) = -\log q(y)$, the **negative log-probability of the correct class**. Minimising it
# maximises $q(y)$, the lecture's objective (the log is monotonic); it is 0 when the model is sure and right,
# and a confident mistake ($q(y) \to 0$) costs without bound. Over a data set, the log turns the product of
# the samples' probabilities, which underflows, into a sum that splits over minibatches.

# %%
Z_demo = np.array([[2.0, 1.0, -1.0, 0.0], [0.5, 0.5, 3.0, -2.0], [1.0, 4.0, 0.0, 0.0]])
y_demo = np.array([1, 2, 0])
Q_demo = softmax(Z_demo)
print("q(correct class)   :", np.round(Q_demo[np.arange(3), y_demo], 4))
print("-log q(correct)    :", np.round(-np.log(Q_demo[np.arange(3), y_demo]), 4))
print("L(one_hot(y), q)   :", np.round(cross_entropy(one_hot(y_demo, 4), Q_demo), 4))

# %% [markdown]
# ### Soft labels: the minimum is the entropy of $p$, not 0
#
# "What if labels are not truly one hot encoded?" asks the lecture, e.g. $P_{GT} = [0, \dots, 0.7, 0.3, \dots, 0]$
# (annotators who disagree, *label smoothing*, distillation). Then **every** class with $p(c) > 0$ counts. Since
#
# $$\mathcal{L}(p, q) = \underbrace{-\sum_c p(c)\log p(c)}_{H(p),\ \text{entropy of } p}
#    + \underbrace{\sum_c p(c) \log \frac{p(c)}{q(c)}}_{\mathrm{KL}(p\,\|\,q)\ \ge\ 0},$$
#
# the smallest cost is reached at $q = p$ and equals the entropy $H(p)$, which is **not 0** unless $p$ is
# one-hot. Below, $q = [0, t, 1-t, 0]$ moves its probability between classes 1 and 2:

# %%
p_soft = np.array([0.0, 0.7, 0.3, 0.0])
p_hard = one_hot(np.array([1]), 4)[0]
t = np.linspace(0.01, 0.99, 99)
Q_t = np.column_stack([np.zeros_like(t), t, 1 - t, np.zeros_like(t)])
H = cross_entropy(p_soft, p_soft)
print(f"entropy H(p) of p = {p_soft}: {H:.4f}")
print(f"min over t of L(p, q_t): {cross_entropy(p_soft, Q_t).min():.4f} at t = {t[np.argmin(cross_entropy(p_soft, Q_t))]:.2f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
q = np.linspace(0.005, 1, 200)
axes[0].plot(q, -np.log(q))
axes[0].set_xlabel("q(y), probability of the correct class")
axes[0].set_ylabel("-log q(y)")
axes[0].set_title("One-hot label: the cost is -log q(y)")
axes[1].plot(t, cross_entropy(p_hard, Q_t), label="one-hot p = [0, 1, 0, 0]")
axes[1].plot(t, cross_entropy(p_soft, Q_t), label="soft p = [0, 0.7, 0.3, 0]")
axes[1].axhline(H, color="gray", linestyle="--", label=f"H(p) = {H:.3f}")
axes[1].axvline(0.7, color="gray", linestyle=":")
axes[1].set_xlabel("t in q = [0, t, 1 - t, 0]")
axes[1].set_ylabel("L(p, q)")
axes[1].set_ylim(0, 3)
axes[1].set_title("Soft label: the minimum is H(p), at q = p")
axes[1].legend()
plt.show()


# %% [markdown]
# ## 3. The cost over the data set, from logits
#
# Averaged over the data set, cross-entropy gives the **cost function**: for logits $Z \in \mathbb{R}^{N \times C}$
# and label distributions $Y$,
#
# $$J(\theta) = \frac{1}{N} \sum_{i=1}^{N} \mathcal{L}\big(y_i, \operatorname{softmax}(z_i)\big)
#   = -\frac{1}{N} \sum_{i=1}^{N} \sum_{c=1}^{C} Y_{ic} \log \operatorname{softmax}(z_i)_c .$$
#
# The slide's title says *average* loss, its formula the plain sum $\sum_j$; we take the **average**
# (section 10 shows why). Two rules:
#
# - compute $\log \operatorname{softmax}$ with `log_softmax`, **never** as `np.log(softmax(Z))` (nor as
#   `cross_entropy(one_hot(y, C), softmax(Z))`): at a logit gap of $10^4$ the losing class's probability
#   underflows to 0 and a cost of $10^4$ comes out `inf` or `nan`;
# - `Y` is integer labels of shape `(N,)` (make them one-hot) or label distributions of shape `(N, C)`,
#   used as they are: never collapse a soft label to its argmax.
#
# **Exercise.** Implement `softmax_cross_entropy(Z, Y)`, returning the mean cost as one number.

# %% nbgrader={"grade": false, "grade_id": "softmax_cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy cost J of softmax(Z) against the labels Y.

    Parameters
    ----------
    Z : ndarray of shape (N, C)
        Logits (scores), one row per sample.
    Y : ndarray of shape (N,) with integer labels in 0..C-1,
        or of shape (N, C) with label distributions (rows sum to 1).

    Returns
    -------
    J : float
        (1/N) sum_i L(Y_i, softmax(Z_i)); finite even for logits of +-1e4.
    """
    ### BEGIN SOLUTION
    N, C = Z.shape
    if Y.ndim == 1:
        Y = one_hot(Y, C)
    return float(-np.sum(Y * log_softmax(Z)) / N)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy_labels", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""softmax_cross_entropy: the mean cost for integer labels (3 points)"""
Z = np.array([[2.0, 1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 3.0, 0.5], [-2.0, 0.0, 2.0]])   # N=4, C=3
y = np.array([0, 2, 1, 0])
log_P = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
losses = -log_P[np.arange(4), y]
J = softmax_cross_entropy(Z, y)
check_close(J, losses.mean(), "softmax_cross_entropy(Z, y)",
            hints={"one loss per sample was returned: the cost J is their mean, one number": losses,
                   "this is the summed cost: average over the N samples (divide by N)": losses.sum(),
                   "divided by N * C: average over the samples only, the classes are summed": losses.sum() / 12,
                   "the minus sign is missing: J = -mean log softmax(Z)[i, y_i] is never negative": -losses.mean()})
### BEGIN HIDDEN TESTS
def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

_rng = np.random.default_rng(3303)
if True:
    for N, C in [(1, 2), (1, 6), (40, 7), (5, 3)]:
        Z = _rng.normal(scale=3.0, size=(N, C))
        y = _rng.integers(0, C, size=N)
        losses = -_log_softmax(Z)[np.arange(N), y]
        J = softmax_cross_entropy(Z, y)
        check_close(J, losses.mean(), f"softmax_cross_entropy with N={N}, C={C}",
                    hints={"one loss per sample was returned: the cost J is their mean": losses,
                           "this is the summed cost: average over the N samples": losses.sum()} if N > 1 else None)
    y32 = y.astype(np.int32)
    check_close(softmax_cross_entropy(Z, y32), losses.mean(), "softmax_cross_entropy with int32 labels")
    Z32 = _rng.normal(scale=2.0, size=(6, 4)).astype(np.float32)
    y = _rng.integers(0, 4, size=6)
    ref = -_log_softmax(Z32.astype(np.float64))[np.arange(6), y].mean()
    check_close(softmax_cross_entropy(Z32, y), ref, "softmax_cross_entropy of float32 logits", rtol=1e-5)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy_soft", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""softmax_cross_entropy: soft labels count with all their entries (2 points)"""
Z = np.array([[0.5, 2.0, 1.0, -1.0], [1.0, 0.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]])   # N=3, C=4
Y = np.array([[0.0, 0.7, 0.3, 0.0], [0.1, 0.0, 0.0, 0.9], [0.25, 0.25, 0.25, 0.25]])
log_P = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
expected = -np.sum(Y * log_P) / 3
J = softmax_cross_entropy(Z, Y)
check_close(J, expected, "softmax_cross_entropy(Z, Y) with soft labels Y",
            hints={"the soft labels were collapsed to their argmax: use every entry of each row of Y, "
                   "J = -(1/N) sum_i sum_c Y[i, c] log softmax(Z)[i, c]": -log_P[np.arange(3), Y.argmax(axis=1)].mean(),
                   "this is the summed cost: average over the N samples (divide by N)": expected * 3,
                   "divided by N * C: average over the samples only, the classes are summed": expected / 4})
### BEGIN HIDDEN TESTS
def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

_rng = np.random.default_rng(4404)
if True:
    for N, C in [(1, 3), (12, 5), (4, 2)]:
        Z = _rng.normal(scale=2.0, size=(N, C))
        Y = _rng.dirichlet(np.ones(C), size=N)
        log_P = _log_softmax(Z)
        check_close(softmax_cross_entropy(Z, Y), -np.sum(Y * log_P) / N,
                    f"softmax_cross_entropy with soft labels, N={N}, C={C}",
                    hints={"the soft labels were collapsed to their argmax: use every entry of each row of Y":
                           -log_P[np.arange(N), Y.argmax(axis=1)].mean()})
    # one-hot rows as floats give the same cost as the integer labels
    y = _rng.integers(0, 4, size=7)
    Z = _rng.normal(size=(7, 4))
    check_close(softmax_cross_entropy(Z, np.eye(4)[y]), softmax_cross_entropy(Z, y),
                "softmax_cross_entropy: one-hot rows must cost the same as their integer labels")
    # the minimum over the logits is the mean entropy of the labels, reached at Z = log Y
    Y = _rng.dirichlet(np.ones(5), size=3)
    H = -np.sum(Y * np.log(Y)) / 3
    check_close(softmax_cross_entropy(np.log(Y) + 3.0, Y), H, "softmax_cross_entropy at softmax(Z) = Y (the entropy of Y)")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy_stable", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""softmax_cross_entropy: finite and warning-free at logits of ±1e4 (2 points)"""
Z = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]])
y = np.array([2, 1])
unstable = "looks like the log of an unstably computed softmax: compute log softmax(Z) with log_softmax " \
           "(log-sum-exp), not np.log(softmax(Z)) and not exp of the raw logits"
J = call_strict(softmax_cross_entropy, Z, y, name="softmax_cross_entropy at logits of ±1e4", hint=unstable)
check_close(J, 1e4, "softmax_cross_entropy at logits of ±1e4 (sample 0 costs 2e4, sample 1 costs 0)",
            hints={"this is the summed cost: average over the N samples (divide by N)": 2e4})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5505)
if True:
    Z = np.array([[0.0, 5e3, -5e3, 0.0]])
    Y = np.array([[0.5, 0.0, 0.5, 0.0]])
    J = call_strict(softmax_cross_entropy, Z, Y, name="softmax_cross_entropy of soft labels at huge logits", hint=unstable)
    check_close(J, 0.5 * 5e3 + 0.5 * 1e4, "softmax_cross_entropy of soft labels at huge logits")
    Z32 = (_rng.normal(size=(5, 3)) * 300).astype(np.float32)
    y = _rng.integers(0, 3, size=5)
    J = call_strict(softmax_cross_entropy, Z32, y, name="softmax_cross_entropy of float32 logits", hint=unstable)
    Z64 = Z32.astype(np.float64)
    m = Z64.max(axis=1, keepdims=True)
    ref = -((Z64 - m) - np.log(np.exp(Z64 - m).sum(axis=1, keepdims=True)))[np.arange(5), y].mean()
    check_close(J, ref, "softmax_cross_entropy of float32 logits", rtol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. The gradient of the cost with respect to the logits: derive it
#
# Gradient descent needs $\partial J / \partial Z$; you derive it on paper. Write
# $q_i = \operatorname{softmax}(z_i)$ for sample $i$'s model distribution and $p_i = Y_i$ for its label
# distribution (hard or soft: $\sum_c p_{ic} = 1$ either way).

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_gradient_derivation", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (3 points): derive the gradient.** For one sample with logits $z \in \mathbb{R}^C$ and label
# distribution $p$, let $\mathcal{L}(z) = -\sum_c p_c \log \operatorname{softmax}(z)_c$.
#
# 1. Derive $\partial \mathcal{L} / \partial z_k$ for every $k$ and simplify it as far as you can. Show the steps.
# 2. From it, write $\partial J / \partial Z$ for the cost $J$ of section 3 (the mean over $N$ samples), as
#    an $N \times C$ matrix.
# 3. When is the gradient zero, and what does that say about the model's prediction?
#
# Expected length: about five lines of algebra, then one sentence for part 3.
#
# <details><summary>Hint (open it only if you are stuck)</summary>
#
# Write $\log \operatorname{softmax}(z)_c$ as in notebook 01, with the log-sum-exp. Differentiate the two
# parts separately; the derivative of the log-sum-exp with respect to $z_k$ is a familiar expression. At
# the end, remember what the entries of $p$ add up to.
# </details>

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_gradient_derivation", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# With the log-sum-exp and $\sum_c p_c = 1$,
# $\mathcal{L} = \log \sum_{c'} e^{z_{c'}} - \sum_c p_c z_c$. The log-sum-exp's derivative is
# $e^{z_k} / \sum_{c'} e^{z_{c'}} = q_k$, so $\partial \mathcal{L}/\partial z_k = q_k - p_k$. The mean adds $\frac1N$:
# $\partial J/\partial Z = (\operatorname{softmax}(Z) - Y)/N$, $N \times C$. It is zero exactly when every
# prediction $q_i$ equals its label $p_i$ (for one-hot labels, never at finite logits).
#
# **Rubric (3 points).** 1 point: a correct derivation of $\partial \mathcal{L}/\partial z_k$ (the
# log-sum-exp form, or the quotient rule with the two cases $k = c$ and $k \ne c$, i.e. the softmax
# Jacobian $q_c(\delta_{ck} - q_k)$), with the steps shown. 1 point: the simplification to $q_k - p_k$,
# which **must use** $\sum_c p_c = 1$ (stated), valid for soft labels too. 1 point: the batch form with
# the $\frac1N$ of the mean, $(\operatorname{softmax}(Z) - Y)/N$ of shape $N \times C$, **and** zero iff
# $q = p$. A correct final formula with no derivation earns at most 1 point.

# %% [markdown]
# **Exercise.** Implement `softmax_cross_entropy_grad(Z, Y)` from your derivation, for both kinds of `Y`,
# returning `Z`'s dtype (watch out for a float64 one-hot matrix). Section 5 lets you check it numerically.

# %% nbgrader={"grade": false, "grade_id": "softmax_cross_entropy_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax_cross_entropy_grad(Z, Y):
    """Gradient dJ/dZ of the mean cost softmax_cross_entropy(Z, Y).

    Parameters
    ----------
    Z : ndarray of shape (N, C)
        Logits.
    Y : ndarray of shape (N,) with integer labels in 0..C-1,
        or of shape (N, C) with label distributions (rows sum to 1).

    Returns
    -------
    dZ : ndarray of shape (N, C), Z's dtype
        dJ/dZ, the gradient of the mean cost J with respect to every logit.
    """
    ### BEGIN SOLUTION
    N, C = Z.shape
    if Y.ndim == 1:
        Y = one_hot(Y, C)
    return ((softmax(Z) - Y) / N).astype(Z.dtype)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy_grad", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""softmax_cross_entropy_grad: the gradient for integer and soft labels (3 points)"""
Z = np.array([[2.0, 1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 3.0, 0.5], [-2.0, 0.0, 2.0]])   # N=4, C=3
y = np.array([0, 2, 1, 0])
P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
Y = np.eye(3)[y]
dZ = softmax_cross_entropy_grad(Z, y)
check_shape(dZ, (4, 3), "softmax_cross_entropy_grad(Z, y)")
check_array(dZ, (P - Y) / 4, "softmax_cross_entropy_grad(Z, y)",
            hints={"the gradient is N times too large: J is the MEAN over the samples": P - Y,
                   "the sign is flipped: a small step against your gradient must lower the cost": (Y - P) / 4,
                   "the labels are missing from the gradient: where does p enter your derivation?": P / 4})
Y_soft = np.array([[0.6, 0.4, 0.0], [0.0, 0.2, 0.8], [0.1, 0.8, 0.1], [0.5, 0.25, 0.25]])
dZ = softmax_cross_entropy_grad(Z, Y_soft)
check_array(dZ, (P - Y_soft) / 4, "softmax_cross_entropy_grad(Z, Y_soft) with soft labels",
            hints={"the soft labels were collapsed to their argmax: subtract the whole distribution Y, "
                   "not a one-hot of its largest entry": (P - np.eye(3)[Y_soft.argmax(axis=1)]) / 4,
                   "the gradient is N times too large: J is the MEAN over the samples": P - Y_soft})
### BEGIN HIDDEN TESTS
def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)

_rng = np.random.default_rng(6606)
if True:
    for N, C in [(1, 2), (1, 5), (30, 6), (7, 3)]:
        Z = _rng.normal(scale=3.0, size=(N, C))
        y = _rng.integers(0, C, size=N)
        P, Y = _softmax(Z), np.eye(C)[y]
        check_array(softmax_cross_entropy_grad(Z, y), (P - Y) / N, f"softmax_cross_entropy_grad with N={N}, C={C}",
                    hints={"the gradient is N times too large: J is the MEAN over the samples": P - Y} if N > 1 else None)
        Y_soft = _rng.dirichlet(np.ones(C), size=N)
        check_array(softmax_cross_entropy_grad(Z, Y_soft), (P - Y_soft) / N,
                    f"softmax_cross_entropy_grad with soft labels, N={N}, C={C}",
                    hints={"the soft labels were collapsed to their argmax":
                           (P - np.eye(C)[Y_soft.argmax(axis=1)]) / N})
    # huge logits: no overflow, no warning
    Z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])
    y = np.array([2, 0])
    dZ = call_strict(softmax_cross_entropy_grad, Z, y, name="softmax_cross_entropy_grad at logits of ±1e4",
                     hint="exp overflowed: use the stable softmax from notebook 01 (imported from support)")
    check_array(dZ, (np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]) - np.eye(3)[y]) / 2,
                "softmax_cross_entropy_grad at logits of ±1e4")
    # float32 in, float32 out, for both kinds of labels
    Z32 = _rng.normal(scale=2.0, size=(5, 4)).astype(np.float32)
    y = _rng.integers(0, 4, size=5)
    Y32 = _rng.dirichlet(np.ones(4), size=5).astype(np.float32)
    P = _softmax(Z32.astype(np.float64))
    check_array(softmax_cross_entropy_grad(Z32, y), ((P - np.eye(4)[y]) / 5).astype(np.float32),
                "softmax_cross_entropy_grad of float32 logits", rtol=1e-5, atol=1e-7)
    check_array(softmax_cross_entropy_grad(Z32, Y32), ((P - Y32) / 5).astype(np.float32),
                "softmax_cross_entropy_grad of float32 logits and soft labels", rtol=1e-5, atol=1e-7)
### END HIDDEN TESTS

# %% [markdown]
# ### Soft labels at work: gradient descent on the logits stops at $q = p$
#
# Here one sample's cost is minimised directly over its logits, $z \leftarrow z - \alpha\, \partial J / \partial z$.
# With the soft label the cost falls to $H(p)$ and $\operatorname{softmax}(z)$ settles at $p$; with the one-hot
# label it nears 0 only as the logit gap grows without bound: hard labels always push for more confidence.

# %%
for name, p in [("soft  p = [0, 0.7, 0.3, 0]", p_soft), ("one-hot p = [0, 1, 0, 0]", p_hard)]:
    z = np.zeros((1, 4))
    for step in range(1, 301):
        z -= 2.0 * softmax_cross_entropy_grad(z, p[None, :])
        if step in (100, 300):
            J = softmax_cross_entropy(z, p[None, :])
            print(f"{name}  step {step}: J = {J:.4f}  (H(p) = {cross_entropy(p, p) + 0.0:.4f})  "
                  f"softmax(z) = {np.round(softmax(z)[0], 3)}  gap z1 - z2 = {z[0, 1] - z[0, 2]:.2f}")


# %% [markdown]
# ## 5. Your own gradient check: a centred difference
#
# A derivation can hide a slip (a sign, a transpose, a missing $\frac1N$), and no tests check the gradients
# of your own models. The derivative's definition does: move only the entry $\theta_i$ by $h$ both ways
# and measure the slope,
#
# $$\frac{\partial J}{\partial \theta_i} \approx \frac{J(\theta + h\,e_i) - J(\theta - h\,e_i)}{2h},$$
#
# with $e_i$ the unit vector of entry $i$. This **centred** difference beats the one-sided
# $\big(J(\theta + h e_i) - J(\theta)\big)/h$: expand $J$ in a Taylor series around $\theta$ to see that its
# error shrinks like $h^2$ rather than $h$.
#
# **Exercise.** Implement `centred_difference(f, theta, index, h=1e-5)`: `f` maps an array of `theta`'s
# shape to a float; `index` is an int or a tuple such as `(2, 0)`. On return, `theta` must hold its old values.

# %% nbgrader={"grade": false, "grade_id": "centred_difference", "locked": false, "schema_version": 3, "solution": true, "task": false}
def centred_difference(f, theta, index, h=1e-5):
    """Centred-difference estimate of the partial derivative of f at theta, for one entry.

    Parameters
    ----------
    f : callable
        f(theta) -> float.
    theta : ndarray of any shape (float32 or float64)
        The point; unchanged when the function returns.
    index : int or tuple of int
        The entry of theta to differentiate by.
    h : float
        The step.

    Returns
    -------
    slope : float
        (f(theta + h e_index) - f(theta - h e_index)) / (2 h).
    """
    ### BEGIN SOLUTION
    old = theta[index]
    theta[index] = old + h
    f_plus = f(theta)
    theta[index] = old - h
    f_minus = f(theta)
    theta[index] = old
    return float((f_plus - f_minus) / (2 * h))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_centred_difference", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""centred_difference: the slope of one entry, theta left as it was (3 points)"""
# the messages shown when a result looks like a known mistake
ONE_SIDED = "this is a one-sided difference: move the entry by +h AND by -h"
HALF = "the slope is twice too large: the two points are 2h apart"
ALL_ENTRIES = "every entry of theta was moved: move only the entry `index`"
theta = np.array([1.0, -2.0, 0.5])
before = theta.copy()
cube = lambda t: float(np.sum(t ** 3))         # d/dt_i = 3 t_i^2
slope = centred_difference(cube, theta, 1, h=0.1)
assert isinstance(slope, (float, np.floating)), f"centred_difference should return a float, got {type(slope).__name__}"
check_close(slope, 3 * 4.0 + 0.1 ** 2, "centred_difference(sum(t**3), theta, 1, h=0.1)",
            hints={ONE_SIDED: 3 * 4.0 - 3 * 2.0 * 0.1 + 0.1 ** 2, HALF: 2 * (3 * 4.0 + 0.1 ** 2),
                   ALL_ENTRIES: ((1.1 ** 3 + (-1.9) ** 3 + 0.6 ** 3) - (0.9 ** 3 + (-2.1) ** 3 + 0.4 ** 3)) / 0.2})
assert np.array_equal(theta, before), \
    f"theta must be unchanged after the call, it went from {before} to {theta}: put the entry back at the end"
A = np.array([[1.0, 2.0], [0.0, -1.0]])
theta2 = np.array([[0.5, -1.0], [2.0, 0.0]])
f2 = lambda T: float(np.sum((A @ T) ** 2))     # dJ/dT = 2 A^T A T
check_close(centred_difference(f2, theta2, (1, 0)), (2 * A.T @ A @ theta2)[1, 0],
            "centred_difference of a 2-D theta at index (1, 0)", rtol=1e-6)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5115)
for _shape, _index in [((1,), 0), ((7,), 4), ((3, 4), (2, 1)), ((4, 3), (0, 2))]:
    _M = _rng.normal(size=(5, int(np.prod(_shape))))
    _f = lambda t, M=_M: float(np.sum(np.sin(M @ t.ravel())))
    _theta = _rng.normal(size=_shape)
    _before = _theta.copy()
    _exact = (_M.T @ np.cos(_M @ _theta.ravel())).reshape(_shape)[_index]
    check_close(centred_difference(_f, _theta, _index), _exact,
                f"centred_difference of sum(sin(M t)) for theta of shape {_shape} at index {_index}", rtol=1e-6, atol=1e-8)
    assert np.array_equal(_theta, _before), "theta must be unchanged after the call: put the entry back at the end"
    _h = 0.3
    _e = np.zeros(_shape); _e[_index] = _h
    check_close(centred_difference(_f, _theta, _index, h=_h), (_f(_theta + _e) - _f(_theta - _e)) / (2 * _h),
                f"centred_difference with h={_h} for theta of shape {_shape}",
                hints={ONE_SIDED: (_f(_theta + _e) - _f(_theta)) / _h, HALF: (_f(_theta + _e) - _f(_theta - _e)) / _h,
                       ALL_ENTRIES: (_f(_theta + _h) - _f(_theta - _h)) / (2 * _h)})
_theta32 = np.array([0.5, -1.5, 2.0], dtype=np.float32)
_quad = lambda t: float(np.sum(np.asarray(t, dtype=np.float64) ** 2))
check_close(centred_difference(_quad, _theta32, 2, h=1e-2), 4.0, "centred_difference for a float32 theta", rtol=1e-3)
assert _theta32.dtype == np.float32 and np.array_equal(_theta32, np.array([0.5, -1.5, 2.0], dtype=np.float32)), \
    "a float32 theta must come back unchanged (and still float32)"
### END HIDDEN TESTS

# %% [markdown]
# Now check your derivation, one entry of $\partial J/\partial Z$ at a time; if a verdict says
# "disagree", go back to Question 1.

# %%
Z_chk = rng.normal(size=(4, 3))
for name, Y_chk in [("integer labels", np.array([0, 2, 1, 1])), ("soft labels", softmax(rng.normal(size=(4, 3))))]:
    dZ = softmax_cross_entropy_grad(Z_chk, Y_chk)
    for index in [(0, 0), (2, 1), (3, 2)]:
        slope = centred_difference(lambda Z: softmax_cross_entropy(Z, Y_chk), Z_chk, index)
        verdict = "agree" if abs(slope - dZ[index]) <= 1e-7 * max(1.0, abs(slope)) else "DISAGREE"
        print(f"{name:15s} entry {index}: your gradient and the centred difference {verdict}")

# %% [markdown]
# From now on `nnlib.gradcheck.check_gradient` does this for **every** entry and names the worst one
# when they disagree.
#
# ## 6. Gradients of a linear classifier
#
# The parameters are $W \in \mathbb{R}^{C \times d}$ and $b \in \mathbb{R}^C$, with $z_{ic} = \sum_k W_{ck} X_{ik} + b_c$;
# as the lecture notes, $\nabla_\theta J$ has the shape of the parameters. By the chain rule, with
# $\Delta = \partial J / \partial Z$ from section 4:
#
# $$\frac{\partial J}{\partial W_{ck}} = \sum_{i=1}^{N} \Delta_{ic} X_{ik}, \qquad
#   \frac{\partial J}{\partial b_c} = \sum_{i=1}^{N} \Delta_{ic}.$$
#
# Turn these sums into array operations yourself; the $\frac1N$ is already inside $\Delta$, and
# $\partial J/\partial W$ must have $W$'s shape, $(C, d)$.
#
# **Exercise.** Implement `linear_classifier_loss_and_grads(X, Y, W, b)`, returning `(loss, dW, db)`,
# with your functions of sections 3 and 4, for both kinds of `Y`.

# %% nbgrader={"grade": false, "grade_id": "linear_classifier_loss_and_grads", "locked": false, "schema_version": 3, "solution": true, "task": false}
def linear_classifier_loss_and_grads(X, Y, W, b):
    """Mean cross-entropy cost of a linear softmax classifier, and its gradients.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    Y : ndarray of shape (N,) with integer labels, or (N, C) label distributions
    W : ndarray of shape (C, d)
    b : ndarray of shape (C,)

    Returns
    -------
    loss : float
        The cost J of the logits Z = X W^T + b.
    dW : ndarray of shape (C, d)
        dJ/dW.
    db : ndarray of shape (C,)
        dJ/db.
    """
    ### BEGIN SOLUTION
    Z = X @ W.T + b
    loss = softmax_cross_entropy(Z, Y)
    dZ = softmax_cross_entropy_grad(Z, Y)
    return loss, dZ.T @ X, dZ.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_linear_classifier_loss_and_grads", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""linear_classifier_loss_and_grads: the cost, dW of shape (C, d) and db (3 points)"""
X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5], [-1.0, 1.0], [2.0, -2.0]])   # N=5, d=2
y = np.array([0, 2, 1, 1, 0])
W = np.array([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]])                           # C=3, d=2
b = np.array([0.1, -0.1, 0.0])
out = linear_classifier_loss_and_grads(X, y, W, b)
assert isinstance(out, tuple) and len(out) == 3, "linear_classifier_loss_and_grads should return the triple (loss, dW, db)"
loss, dW, db = out
Z = X @ W.T + b
P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
dZ = (P - np.eye(3)[y]) / 5
Z0 = X @ W.T
J = -np.log(P[np.arange(5), y]).mean()
check_close(loss, J, "the loss",
            hints={"the bias b was left out of the logits: Z = X @ W.T + b":
                   -np.log((np.exp(Z0) / np.exp(Z0).sum(axis=1, keepdims=True))[np.arange(5), y]).mean(),
                   "the loss is N times the mean cost: does softmax_cross_entropy average over the samples?": 5 * J})
check_array(dW, dZ.T @ X, "dW",
            hints={"dW is transposed: it must have W's shape (C, d)": X.T @ dZ,
                   "dW is N times too large: the 1/N of the mean cost is missing": 5 * dZ.T @ X,
                   "dW has the wrong sign: check the sign of softmax_cross_entropy_grad": -(dZ.T @ X)})
check_array(db, dZ.sum(axis=0), "db",
            hints={"db was summed over the classes: db has one entry per class, a sum over the samples": dZ.sum(axis=1),
                   "db was averaged over the samples again: dZ already holds the 1/N": dZ.mean(axis=0)})
### BEGIN HIDDEN TESTS
def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)

_rng = np.random.default_rng(7707)
if True:
    for N, d, C, soft in [(1, 3, 4, False), (20, 5, 3, False), (6, 4, 4, False), (8, 1, 2, True), (9, 3, 5, True)]:
        X, W, b = _rng.normal(size=(N, d)), _rng.normal(size=(C, d)), _rng.normal(size=C)
        Y = _rng.dirichlet(np.ones(C), size=N) if soft else np.eye(C)[_rng.integers(0, C, size=N)]
        labels = Y if soft else Y.argmax(axis=1)
        P = _softmax(X @ W.T + b)
        dZ = (P - Y) / N
        loss, dW, db = linear_classifier_loss_and_grads(X, labels, W, b)
        what = f"with N={N}, d={d}, C={C}, {'soft' if soft else 'integer'} labels"
        check_close(loss, -np.sum(Y * np.log(P)) / N, f"the loss {what}")
        check_array(dW, dZ.T @ X, f"dW {what}",
                    hints={"dW is transposed: it must have W's shape (C, d)": X.T @ dZ} if C == d else None)
        check_array(db, dZ.sum(axis=0), f"db {what}",
                    hints={"db was summed over the classes: db has one entry per class": dZ.sum(axis=1)} if C == N else None)
    X32, W32, b32 = (a.astype(np.float32) for a in (_rng.normal(size=(6, 3)), _rng.normal(size=(4, 3)), _rng.normal(size=4)))
    y = _rng.integers(0, 4, size=6)
    loss, dW, db = linear_classifier_loss_and_grads(X32, y, W32, b32)
    check_dtype(dW, np.float32, "dW of float32 inputs")
    check_dtype(db, np.float32, "db of float32 inputs")
### END HIDDEN TESTS

# %% [markdown]
# ### Checking the gradient numerically
#
# `check_gradient` runs the centred difference for every entry of $W$ and $b$, for integer and soft labels:

# %%
X_g = rng.normal(size=(6, 3))                      # N=6, d=3
W_g, b_g = rng.normal(size=(4, 3)), rng.normal(size=4)     # C=4
labels = {"integer labels": rng.integers(0, 4, size=6), "soft labels": softmax(rng.normal(size=(6, 4)))}
for name, Y_g in labels.items():
    loss, dW, db = linear_classifier_loss_and_grads(X_g, Y_g, W_g, b_g)
    check_gradient(lambda W: linear_classifier_loss_and_grads(X_g, Y_g, W, b_g)[0], W_g, dW, rtol=1e-8)
    check_gradient(lambda b: linear_classifier_loss_and_grads(X_g, Y_g, W_g, b)[0], b_g, db, rtol=1e-8)
    print(f"{name:15s} dW and db agree with the numerical gradient (relative error < 1e-8)")

# %% [markdown]
# ### When the check fails (optional)
#
# Here is what it says about a gradient that forgot the $\frac1N$ of the mean cost:

# %%
Z_g = X_g @ W_g.T + b_g
y_g = labels["integer labels"]
forgot_1_over_N = len(Z_g) * softmax_cross_entropy_grad(Z_g, y_g)
try:
    check_gradient(lambda Z: softmax_cross_entropy(Z, y_g), Z_g, forgot_1_over_N)
except AssertionError as err:
    print("check_gradient:", err)


# %% [markdown]
# ## 7. Training by gradient descent
#
# Gradient descent takes small steps against the gradient:
#
# $$W \leftarrow W - \alpha \frac{\partial J}{\partial W}, \qquad b \leftarrow b - \alpha \frac{\partial J}{\partial b},$$
#
# with the **learning rate** $\alpha$ (`lr`). *Full-batch* gradient descent uses all $N$ samples at every
# step, so one step is one **epoch**. $W$ starts small and random, $b$ at 0, and `history["loss"][e]` is
# the cost **before** step `e`.

# %%
def train_linear_classifier(X, y, num_classes, lr, epochs, rng):
    """Full-batch gradient descent on the mean cost J: returns W (C, d), b (C,), {"loss": [J per epoch]}."""
    W, b = 0.01 * rng.standard_normal((num_classes, X.shape[1])), np.zeros(num_classes)
    history = {"loss": []}
    for _ in range(epochs):
        loss, dW, db = linear_classifier_loss_and_grads(X, y, W, b)
        history["loss"].append(float(loss))
        W = W - lr * dW
        b = b - lr * db
    return W, b, history


# %% [markdown]
# ## 8. Training on the fish: standardise the features first
#
# The fish features come in their own units: lightness around 2 to 11, width around 14 to 22. Since
# $\partial J/\partial W = \Delta^\top X$ grows with the feature values, the width column gets much larger
# steps than the bias. The cost is a long, narrow valley: a learning rate small enough not to bounce
# across its steep walls crawls along its flat floor. **Standardising** each feature,
#
# $$x_k \leftarrow \frac{x_k - \mu_k}{\sigma_k}$$
#
# with the mean $\mu_k$ and standard deviation $\sigma_k$ of feature $k$ over the training data, gives
# every feature mean 0 and spread 1, so one learning rate suits all. Later inputs get the same $\mu$, $\sigma$.

# %%
X_fish, y_fish = datasets.fish(rng, n_per_class=100)
mu_fish, sigma_fish = X_fish.mean(axis=0), X_fish.std(axis=0)
X_fish_std = (X_fish - mu_fish) / sigma_fish
print("mean of (lightness, width):", np.round(mu_fish, 2), "  std:", np.round(sigma_fish, 2))
print("after standardising: mean", np.round(X_fish_std.mean(axis=0), 2), "  std", np.round(X_fish_std.std(axis=0), 2))

# %% [markdown]
# **Predict before you run.** The next cell trains on the raw features with $\alpha = 0.01$ and $0.03$, and on the
# standardised ones with $\alpha = 0.5$, 100 epochs each. Before you run it, sketch the three cost curves: which
# one ends lowest, and does the larger rate on the raw features help or hurt?

# %%
fish_runs = {}
for name, X_in, lr in [("raw, lr = 0.01", X_fish, 0.01), ("raw, lr = 0.03", X_fish, 0.03),
                       ("standardised, lr = 0.5", X_fish_std, 0.5)]:
    W, b, history = train_linear_classifier(X_in, y_fish, 2, lr, 100, rng)
    fish_runs[name] = history["loss"]
    accuracy = np.mean(np.argmax(X_in @ W.T + b, axis=1) == y_fish)
    print(f"{name:24s} cost after 100 epochs {history['loss'][-1]:.3f}   training accuracy {accuracy:.2f}")
fig, ax = plt.subplots(figsize=(6, 4))
plots.curves(ax, fish_runs, keys=list(fish_runs), ylabel="cost J", title="Fish: raw versus standardised features")
plt.show()


# %% [markdown]
# On the raw features, a learning rate of 0.03 already makes the cost zigzag for some 70 epochs (the steps
# bounce between the valley's walls), and 0.01 is stable but slow. On standardised features a rate 50 times
# larger is stable, and 100 epochs get much further.

# %% [markdown]
# ### Watching the boundary move (optional)
#
# The helper below runs the same gradient descent with `nnlib.train.train` (a progress bar, and a call back
# after every epoch) and keeps a copy of $W$ and $b$ after the epochs we want to look at. Its
# `loss_and_grads` is your `linear_classifier_loss_and_grads`.

# %%
def train_with_snapshots(X, y, num_classes, lr, epochs, show, rng, desc):
    # Full-batch gradient descent as in train_linear_classifier, keeping (W, b) after the epochs in `show`.
    params = {"W": 0.01 * rng.standard_normal((num_classes, X.shape[1])), "b": np.zeros(num_classes)}
    snapshots = {0: (params["W"].copy(), params["b"].copy())}

    def loss_and_grads(params, X, y):
        loss, dW, db = linear_classifier_loss_and_grads(X, y, params["W"], params["b"])
        return loss, {"W": dW, "b": db}

    def keep(epoch, history, params):       # train counts epochs from 0
        if epoch + 1 in show:
            snapshots[epoch + 1] = (params["W"].copy(), params["b"].copy())

    history = train(params, loss_and_grads, SGD(lr), X, y, epochs=epochs, on_epoch_end=keep, desc=desc)
    return snapshots, history


def show_training(X, y, snapshots, history, standardise, **names):
    # Decision boundaries (in the original units) after a few epochs, and the cost curve.
    fig, axes = plt.subplots(1, len(snapshots) + 1, figsize=(4.2 * (len(snapshots) + 1), 3.8))
    for ax, (epoch, (W, b)) in zip(axes, snapshots.items()):
        accuracy = np.mean(np.argmax(standardise(X) @ W.T + b, axis=1) == y)
        cost = linear_classifier_loss_and_grads(standardise(X), y, W, b)[0]
        plots.decision_boundary(ax, lambda G: np.argmax(standardise(G) @ W.T + b, axis=1), X, y, resolution=120,
                                title=f"after {epoch} epoch{'' if epoch == 1 else 's'}: J = {cost:.2f}, acc. {accuracy:.2f}",
                                **names)
    plots.curves(axes[-1], history, ylabel="cost J", title="cost during training")
    for epoch in list(snapshots)[1:-1]:
        plots.mark_epoch(axes[-1], epoch, f"epoch {epoch}")
    fig.tight_layout()
    plt.show()


snapshots, history = train_with_snapshots(X_fish_std, y_fish, 2, lr=0.5, epochs=100, show=(1, 100), rng=rng, desc="fish")
show_training(X_fish, y_fish, snapshots, history, lambda X: (X - mu_fish) / sigma_fish,
              class_names=datasets.FISH_CLASSES, feature_names=datasets.FISH_FEATURES)

# %% [markdown]
# Before training (after 0 epochs), the tiny random $W$ puts the boundary anywhere; here it even gets most fish wrong.
# A single step already turns it the right way, into the gap between the two clouds, where only fish in the
# overlap are misclassified. After that the boundary hardly moves, yet the cost keeps falling: the weights grow,
# and the probabilities of the correctly classified fish move towards 1. The cost measures confidence, not only
# right or wrong.
#
# ## 9. Three classes (optional)
#
# Nothing changes for $C = 3$: one row of $W$ per class, the same cost and the same gradient. The three
# Gaussian blobs are standardised with their own mean and standard deviation.

# %%
X_blobs, y_blobs = datasets.blobs(rng, n_per_class=60, n_classes=3, std=1.5)
mu_blobs, sigma_blobs = X_blobs.mean(axis=0), X_blobs.std(axis=0)
snapshots, history = train_with_snapshots((X_blobs - mu_blobs) / sigma_blobs, y_blobs, 3, lr=0.5, epochs=60,
                                          show=(3, 60), rng=rng, desc="blobs")
show_training(X_blobs, y_blobs, snapshots, history, lambda X: (X - mu_blobs) / sigma_blobs)

# %% [markdown]
# ## 10. Summed or averaged cost: what it does to the learning rate
#
# The lecture's formula sums the losses, $J_{\text{sum}} = N \cdot J$: the same minimiser, but a gradient
# **$N$ times larger**, so gradient descent on $J_{\text{sum}}$ with rate $\alpha$ is gradient descent on $J$
# with rate $N\alpha$, and the right rate changes with the number of samples (or the batch size).
# Averaging makes it independent of $N$.

# %%
N_fish = len(X_fish_std)
W_start = 0.01 * rng.standard_normal((2, 2))


def mean_cost(params, X, y):
    loss, dW, db = linear_classifier_loss_and_grads(X, y, params["W"], params["b"])
    return loss, {"W": dW, "b": db}


def summed_cost(params, X, y):
    loss, grads = mean_cost(params, X, y)
    return len(X) * loss, {k: len(X) * g for k, g in grads.items()}


sum_runs = {}
for name, cost, lr in [("mean cost, lr = 1", mean_cost, 1.0), ("summed cost, lr = 1", summed_cost, 1.0),
                       ("summed cost, lr = 1/N", summed_cost, 1.0 / N_fish)]:
    params = {"W": W_start.copy(), "b": np.zeros(2)}
    history = train(params, cost, SGD(lr), X_fish_std, y_fish, epochs=30, desc=name)
    sum_runs[name] = np.array(history["loss"]) / (N_fish if cost is summed_cost else 1)   # plot the mean cost J
    print(f"{name:22s} J after 30 epochs: {sum_runs[name][-1]:.3f}")
print("summed cost with lr/N follows the mean cost with lr:",
      np.allclose(sum_runs["summed cost, lr = 1/N"], sum_runs["mean cost, lr = 1"]))

fig, ax = plt.subplots(figsize=(6, 4))
plots.curves(ax, sum_runs, keys=list(sum_runs), ylabel="mean cost J", logy=True,
             title="Same data, same lr: mean versus summed cost")
ax.lines[2].set_linestyle("--")
ax.legend()
plt.show()

for n in (20, 200, 2000):
    X_n, y_n = datasets.fish(rng, n_per_class=n // 2)
    _, dW, _ = linear_classifier_loss_and_grads((X_n - mu_fish) / sigma_fish, y_n, W_start, np.zeros(2))
    print(f"N = {n:4d}: |dJ/dW| of the mean cost {np.linalg.norm(dW):.3f},  of the summed cost {n * np.linalg.norm(dW):8.1f}")

# %% [markdown]
# The dashed line (summed cost, $\alpha = 1/N$) lies exactly on the mean cost's. With $\alpha = 1$ the summed
# cost takes 200 times larger steps: the first overshoots and the cost is still high after 30 epochs.
# The summed cost's gradient grows with $N$; the mean's does not.
#
# ## 11. Questions from the lecture
#
# Answer in your own words; your instructor grades these.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_soft_labels", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** The lecture asks: "What if labels are not truly one hot encoded?", e.g.
# $P_{GT} = [0, \dots, 0.7, 0.3, \dots, 0]$. What changes in the cross-entropy, in its smallest possible value,
# in its gradient and in what the trained classifier is pushed towards? Refer to a result above. Answer in
# three or four sentences (about 70 words).

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_soft_labels", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Every class with $p(c) > 0$ contributes, not only $-\log q(y)$, so the whole row of $Y$
# is used. The minimum is the entropy $H(p)$ (0.611 for $[0.7, 0.3]$), reached at $q = p$, not 0. The
# gradient is still $(q - p)/N$ and vanishes at $q = p$: the logits settle (section 4) instead of growing
# without bound, so the model is kept from over-confidence (label smoothing).
#
# **Rubric (2 points, 0.5 each).** Must mention: (a) every class with $p(c) > 0$ contributes (not only
# $-\log q(y)$; the row is not collapsed to its argmax); (b) the minimum is $H(p) > 0$, at $q = p$ (quoting
# the computed entropy or the curve of section 2); (c) the gradient keeps the form prediction minus label
# and vanishes at $q = p$, so the logits settle (the soft-label experiment of section 4) instead of growing
# without bound; (d) the effect: less over-confidence / label smoothing, or annotator disagreement, or
# distillation.

# %% [markdown]
# ## What to remember
#
# > - Cross-entropy $-\sum_c p(c)\log q(c)$, with $0 \log 0 = 0$; for a one-hot label it is $-\log q(y)$, for a
# >   soft label its minimum is $H(p)$, at $q = p$.
# > - Compute the cost $J$ (a mean over $N$) from the logits with log-sum-exp, never as `log(softmax(Z))`.
# > - You derived $\partial J/\partial Z = (\operatorname{softmax}(Z) - Y)/N$: prediction minus truth.
# > - Check every derived gradient with a centred difference, $(J(\theta + h e_i) - J(\theta - h e_i))/2h$.
# > - Standardise inputs; average (do not sum) the cost, so the learning rate $\alpha$ does not depend on $N$.
#
# ## Summary
#
# With $\Delta = \partial J/\partial Z$, $\partial J/\partial W = \Delta^\top X$ and $\partial J/\partial b = \sum_i \Delta_i$:
# gradient descent trains the classifier.
#
# **Next:** `03_mlp_backprop` puts a non-linear hidden layer in front of this classifier and back-propagates
# the same $\partial J / \partial Z$ through it, to learn boundaries a line cannot draw.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
