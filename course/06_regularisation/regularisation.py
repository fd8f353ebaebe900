# %% [markdown]
# # 06 · Regularisation: L2, dropout and early stopping
#
# **Lecture:** *Review of Neural Networks*, slides "L2 Regularisation is a common and useful method to
# prevent overfitting", "Dropouts are used only at training time" ((a) standard neural net, (b) after
# applying dropout) and "Early Stopping is not a regularisation technique per se but helps *evade*
# overfitting".
#
# By the end of this notebook you will be able to
#
# 1. recognise **over-fitting** in training and validation curves;
# 2. add the lecture's **L2 penalty** $\frac{\lambda}{2N}\sum_l \lVert W^{[l]} \rVert^2$ to the cost $J$ and
#    see why it is called *weight decay*;
# 3. implement **inverted dropout**, forward and backward (deriving the backward pass yourself);
# 4. implement **early stopping** that hands back the parameters of the best epoch, not the last one.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your code; they are worth the points shown in their header and
# hold hidden tests as well, so code that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.
#
# **Notation** (as in every notebook of the course): $N$ training samples (the slide writes $m$), cost
# $J$, learning rate $\alpha$ (`lr` in code), $L$ layers.
# **Points:** 22 for code, 2 for the written answer.
#
# **Time:** about 1 h 50 for the core path (the course map says how this is estimated); sections
# marked *(optional)* are extra.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import copy

import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.gradcheck import check_gradient
from nnlib.grading import check_array, check_close, check_shape, check_type, matches
from nnlib.train import SGD, train
from support import (ACTIVATIONS, affine_backward, affine_forward, he_std, init_mlp, mlp_forward,
                     mlp_loss_and_grads, mlp_predict, num_layers, softmax, softmax_cross_entropy,
                     softmax_cross_entropy_grad)

RELU = ACTIVATIONS["relu"]                          # (f, df) of notebook 04, for the support MLP

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. A network that over-fits
#
# A model **over-fits** when it learns the training set, noise included, so well that it does worse on new
# data. The symptom is a **gap**: the training loss keeps falling while the validation loss, after an early
# minimum, rises again. To see it: two moons so noisy that the classes overlap, 48 training points, and a
# ReLU network with two hidden layers of 32 units, about 1,200 parameters. The other 192 points are the
# validation set.

# %%
X, y = datasets.moons(rng, n=240, noise=0.3)
X_train, X_val, y_train, y_val = datasets.train_val_split(X, y, val_fraction=0.8, rng=rng)
N = len(X_train)                                    # number of training samples (the slide's m)
SIZES = [2, 32, 32, 2]
params0 = init_mlp(SIZES, rng, he_std)              # every run below starts from these weights
print(f"training samples N = {N}, validation samples = {len(X_val)}")
print(f"parameters: {sum(p.size for p in params0.values())}")

fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
plots.scatter(axes[0], X_train, y_train, title="training set (48 points)")
plots.scatter(axes[1], X_val, y_val, title="validation set (192 points)")
plt.show()

# %% [markdown]
# Every run trains a copy of the same initial weights `params0` with full-batch gradient descent for the
# same number of epochs, so runs differ only in the regularisation. To compare them fairly we record the
# **data cost** on both sets (`ce`, `val_ce`): the plain mean cross-entropy, no penalty, dropout off.

# %%
EPOCHS, LEARNING_RATE = 300, 0.5                    # the learning rate alpha


def data_cost(params, X, y):
    # The network's mean cross-entropy J (02's softmax_cross_entropy): no penalty, no dropout.
    return softmax_cross_entropy(mlp_forward(X, params, RELU)[0], y)


def accuracy(params, X, y):
    return float(np.mean(mlp_predict(params, X, RELU) == y))


def plain_loss_and_grads(params, X, y):
    # The unregularised objective: notebook 03's MLP with ReLU.
    return mlp_loss_and_grads(params, X, y, RELU)


def fit(loss_and_grads, on_epoch_end=None, desc="training"):
    # Train a copy of params0; return the trained parameters and the history.
    params = copy.deepcopy(params0)
    history = train(params, loss_and_grads, SGD(lr=LEARNING_RATE), X_train, y_train,
                    epochs=EPOCHS, validation=(X_val, y_val), metrics={"ce": data_cost},
                    on_epoch_end=on_epoch_end, desc=desc)
    return params, history


def train_and_val(history):
    # The two curves to compare, labelled for plots.curves.
    return {"training": history["ce"], "validation": history["val_ce"]}


params_plain, history_plain = fit(plain_loss_and_grads, desc="no regularisation")
best = int(np.argmin(history_plain["val_ce"]))
print(f"validation cross-entropy: lowest {history_plain['val_ce'][best]:.3f} at epoch {best + 1}, "
      f"{history_plain['val_ce'][-1]:.3f} at the end")
print(f"final cross-entropy: training {history_plain['ce'][-1]:.3f}, validation {history_plain['val_ce'][-1]:.3f}")
print(f"accuracy: training {accuracy(params_plain, X_train, y_train):.2f}, "
      f"validation {accuracy(params_plain, X_val, y_val):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
plots.curves(axes[0], train_and_val(history_plain), keys=("training", "validation"),
             ylabel="cross-entropy", title="No regularisation: the gap opens")
plots.decision_boundary(axes[1], lambda P: mlp_predict(params_plain, P, RELU), X_train, y_train,
                        title="The boundary bends to fit the training points")
plt.show()


# %% [markdown]
# The training loss goes towards 0 while the validation loss, after its minimum in the first few epochs,
# climbs steadily: the network memorises the 48 points. The accuracy hardly shows it; what grows is its
# **confidence**: its weights grow, so its probabilities become extreme, also for the validation points on
# the wrong side of its boundary, and each of those costs a lot of cross-entropy.
#
# The lecture's three remedies: **L2** keeps the weights small, **dropout** keeps units from relying on each
# other, **early stopping** stops before the gap opens.

# %% [markdown]
# ## 2. L2 regularisation
#
# The lecture adds a penalty on the size of the weights to the cost:
#
# $$J(W, b) = \frac{1}{N} \sum_{i=1}^{N} \mathcal{L}(y^{(i)}, \hat{y}^{(i)})
#           + \frac{\lambda}{2N} \sum_{l=1}^{L} \lVert W^{[l]} \rVert^2,
# \qquad \lVert W \rVert^2 = \sum_{j,k} W_{jk}^2 ,$$
#
# with $\lVert W \rVert^2$ the sum of the squares of **all** entries of the matrix (the squared Frobenius
# norm). Only the weights are penalised, **not the biases**: a bias shifts a unit's input without making the
# network more sensitive to its inputs.
#
# **Reading the slide.** The slide writes $m$ for $N$ and has two index slips: $\sum_{i=0}^{m}$ would add
# $m + 1$ terms (the samples are $i = 1, \ldots, m$), and $\sum_{j=0}^{L} \lVert w^{[l]} \rVert^2$ sums over $j$
# a term that depends on $l$ (the sum is over the layers $l = 1, \ldots, L$; there is no $W^{[0]}$). The
# formula above is the intended one.
#
# **Exercise.** Implement `l2_penalty(weights, lam, N)`. `weights` is a list of weight matrices, or a dict
# of a model's parameters such as `params0` (keys `"W1"`, `"b1"`, ...): then only the entries whose key
# starts with `"W"` are penalised.

# %% nbgrader={"grade": false, "grade_id": "l2_penalty", "locked": false, "schema_version": 3, "solution": true, "task": false}
def l2_penalty(weights, lam, N):
    """The L2 penalty lam / (2 N) * sum over layers of ||W||^2 (sum of squared entries).

    Parameters
    ----------
    weights : list of ndarray, or dict of str to ndarray
        The weight matrices W^[1], ..., W^[L], W^[l] of shape (n_l, n_{l-1}). A dict of a
        model's parameters ({"W1": ..., "b1": ..., ...}) is accepted too: then only the
        weight matrices (the keys that start with "W") count, never the biases.
    lam : float
        The regularisation strength lambda >= 0.
    N : int
        The number of training samples.

    Returns
    -------
    penalty : float
    """
    ### BEGIN SOLUTION
    if isinstance(weights, dict):
        weights = [value for key, value in weights.items() if key.startswith("W")]
    return lam / (2 * N) * sum(float(np.sum(np.square(W, dtype=np.float64))) for W in weights)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""l2_penalty: lam / (2 N) times the sum of squared weights, over a list of matrices (3 points)"""
W1 = np.array([[1.0, -2.0], [0.0, 3.0], [1.0, 1.0]])     # (3, 2): sum of squares 16
W2 = np.array([[2.0, 0.0, -1.0]])                         # (1, 3): sum of squares 5
penalty = l2_penalty([W1, W2], lam=0.5, N=4)
assert np.ndim(penalty) == 0, f"l2_penalty should return one number (a float), got shape {np.shape(penalty)}"
squares = 16.0 + 5.0
check_close(penalty, 0.5 / (2 * 4) * squares, "l2_penalty([W1, W2], lam=0.5, N=4)",
            hints={"the 1/2 is missing: the penalty is lam / (2 N) * sum ||W||^2": 0.5 / 4 * squares,
                   "the 1/N is missing: the penalty is lam / (2 N) * sum ||W||^2": 0.5 / 2 * squares,
                   "both the 1/2 and the 1/N are missing: the penalty is lam / (2 N) * sum ||W||^2": 0.5 * squares,
                   "the norms were not squared: ||W||^2 is the sum of the squares of W's entries":
                       0.5 / 8 * (np.sqrt(16.0) + np.sqrt(5.0))})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(606)
for shapes, lam, n_samples in [([(1, 1)], 2.0, 3), ([(5, 3), (2, 5)], 0.1, 37), ([(4, 7), (6, 4), (3, 6)], 3.0, 500)]:
    weights = [_rng.normal(size=s) for s in shapes]
    squares = sum(np.sum(W ** 2) for W in weights)
    check_close(l2_penalty(weights, lam, n_samples), lam / (2 * n_samples) * squares,
                f"l2_penalty of {len(shapes)} matrices with lam={lam}, N={n_samples}", rtol=1e-9,
                hints={"the 1/2 is missing": lam / n_samples * squares, "the 1/N is missing": lam / 2 * squares,
                       "both the 1/2 and the 1/N are missing": lam * squares})
check_close(l2_penalty([_rng.normal(size=(3, 2))], 0.0, 10), 0.0, "l2_penalty with lam=0")
weights32 = [_rng.normal(size=(6, 5)).astype(np.float32) * 100, _rng.normal(size=(2, 6)).astype(np.float32)]
squares = sum(np.sum(W.astype(np.float64) ** 2) for W in weights32)
check_close(l2_penalty(weights32, 0.3, 20), 0.3 / 40 * squares, "l2_penalty of float32 weights", rtol=1e-5)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_l2_penalty_params_dict", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""l2_penalty: given a dict of parameters, only the weight matrices are penalised (2 points)"""
params = {"W1": np.array([[1.0, 2.0], [2.0, 0.0]]), "b1": np.array([3.0, -4.0]),
          "W2": np.array([[0.0, 1.0]]), "b2": np.array([5.0])}
penalty = l2_penalty(params, lam=1.0, N=2)
check_close(penalty, 1.0 / 4 * (9.0 + 1.0), "l2_penalty(params, lam=1.0, N=2)",
            hints={"the biases were penalised too: only the weight matrices (keys starting with 'W') count":
                       1.0 / 4 * (9.0 + 1.0 + 25.0 + 25.0)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6060)
params = init_mlp([3, 5, 4, 2], _rng, he_std)
for key in params:
    if key.startswith("b"):
        params[key] = _rng.normal(scale=10.0, size=params[key].shape)
weights_only = sum(np.sum(params[k] ** 2) for k in params if k.startswith("W"))
everything = sum(np.sum(v ** 2) for v in params.values())
check_close(l2_penalty(params, 0.7, 13), 0.7 / 26 * weights_only, "l2_penalty of a 3-layer network's params",
            hints={"the biases were penalised too: only the weight matrices (keys starting with 'W') count":
                       0.7 / 26 * everything})
reordered = {key: params[key] for key in ["b3", "W2", "b1", "W3", "W1", "b2"]}
check_close(l2_penalty(reordered, 0.7, 13), 0.7 / 26 * weights_only, "l2_penalty of params in another order")
### END HIDDEN TESTS

# %% [markdown]
# ### The gradient of the penalty: weight decay
#
# Differentiating the penalty, the $\frac{1}{2}$ cancels the 2 of the square:
#
# $$\frac{\partial}{\partial W^{[l]}} \, \frac{\lambda}{2N} \sum_{k=1}^{L} \lVert W^{[k]} \rVert^2 = \frac{\lambda}{N} W^{[l]} .$$
#
# So every gradient step becomes
# $W \leftarrow W - \alpha\left(\frac{\partial J_{\text{data}}}{\partial W} + \frac{\lambda}{N} W\right)
# = \left(1 - \frac{\alpha\lambda}{N}\right) W - \alpha \frac{\partial J_{\text{data}}}{\partial W}$:
# before the usual step, the weights shrink by a constant factor, hence the name **weight decay**
# (PyTorch's optimisers take `weight_decay=`$\lambda/N$).

# %% [markdown]
# ## 3. Dropout
#
# The lecture's dropout slide draws, at every training step, a random 0/1 vector for the activations
# $a^{[l-1]}$ that feed layer $l$, and multiplies:
#
# $$r^{[l-1]} \sim \operatorname{Bernoulli}(p), \qquad \tilde{a}^{[l-1]} = r^{[l-1]} * a^{[l-1]}, \qquad
# z^{[l]} = W^{[l]} \tilde{a}^{[l-1]} + b^{[l]}, \qquad a^{[l]} = g(z^{[l]}) .$$
#
# Each unit is **kept** with probability $p$ (`keep_prob`) and set to 0 otherwise. A unit cannot rely on any
# other unit being there, so the network cannot build fragile co-adaptations that only fit the training set.
#
# Dropout is used *only at training time*: a prediction should be deterministic and use the whole network,
# in effect the average of the thinned networks that training sampled. With the slide's $\tilde{a} = r * a$,
# though, the next layer sees less on average in training than at test time. **Inverted dropout**, which
# every framework uses (PyTorch's `nn.Dropout(p=1 - keep_prob)`: its `p` is the *drop* probability),
# rescales the kept units so that $\mathbb{E}[\tilde{a}] = a$; work out the factor from the expectation of a
# Bernoulli variable. At test time nothing is dropped or rescaled.
#
# **Exercise.** Implement `dropout_forward(A, keep_prob, rng, train=True)` as the docstring specifies:
# a new mask $r$ from `rng` on every call (never from `np.random`), and A's dtype kept (float32 stays float32).

# %% nbgrader={"grade": false, "grade_id": "dropout_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dropout_forward(A, keep_prob, rng, train=True):
    """Inverted dropout: keep each entry of A with probability keep_prob, so that E[out] = A.

    Parameters
    ----------
    A : ndarray of any shape, e.g. (N, n) activations
    keep_prob : float in (0, 1]
        Probability of keeping a unit (the lecture's p).
    rng : numpy.random.Generator
        Draws the mask.
    train : bool, default True
        False at test time: no dropout.

    Returns
    -------
    out : ndarray of A's shape and dtype
        The inverted-dropout activations when training (expected value A); A itself when not.
    mask : ndarray of A's shape (bool or 0/1), or None
        The lecture's r: 1 (True) where the unit is kept, 0 (False) where it is dropped;
        None when not training.
    """
    ### BEGIN SOLUTION
    if not train:
        return A, None
    mask = rng.random(A.shape) < keep_prob
    return A * mask / keep_prob, mask
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dropout_forward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""dropout_forward: shapes, a 0/1 mask of A's shape, and the kept values (3 points)"""
A = np.arange(1.0, 13.0).reshape(3, 4)
out, mask = dropout_forward(A, 0.5, np.random.default_rng(0))
check_shape(out, (3, 4), "out of dropout_forward(A, 0.5, rng)")
check_shape(mask, (3, 4), "mask of dropout_forward(A, 0.5, rng)")
assert np.all((mask == 0) | (mask == 1)), "the mask must hold only 0 and 1 (or False and True)"
r = np.asarray(mask, dtype=np.float64)
check_array(out, r * A / 0.5, "out of dropout_forward(A, 0.5, rng)",
            hints={"dropout without the 1/keep_prob rescale: with inverted dropout the expected "
                   "output must equal A": r * A,
                   "multiplied by keep_prob instead of dividing by it": r * A * 0.5,
                   "the mask must be 1 where a unit is KEPT (the lecture's r), 0 where it is dropped":
                       (1 - r) * A / 0.5})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6262)
for shape, keep_prob, dtype in [((1, 1), 0.9, np.float64), ((5, 7), 0.37, np.float64), ((2, 3, 4), 0.8, np.float32),
                                ((6, 9), 0.5, np.float32)]:
    A = _rng.normal(scale=5.0, size=shape).astype(dtype)
    out, mask = dropout_forward(A, keep_prob, _rng)
    name = f"dropout_forward of a {np.dtype(dtype).name} array of shape {shape}, keep_prob={keep_prob}"
    check_shape(mask, shape, f"the mask of {name}")
    assert np.all((mask == 0) | (mask == 1)), f"{name}: the mask must hold only 0 and 1"
    assert out.dtype == dtype, (f"{name}: expected dtype {np.dtype(dtype).name}, got {out.dtype}; a mask of "
                                "float64 or int64 upcasts float32: use a boolean mask or cast it to A.dtype")
    r = np.asarray(mask, dtype=np.float64)
    A64 = A.astype(np.float64)
    expected = (r * A64 / keep_prob).astype(dtype)
    hints = {"dropout without the 1/keep_prob rescale": (r * A64).astype(dtype),
             "the mask must be 1 where a unit is KEPT, 0 where it is dropped": ((1 - r) * A64 / keep_prob).astype(dtype)}
    check_array(out, expected, name, rtol=1e-5, atol=1e-6,
                hints={message: wrong for message, wrong in hints.items() if not matches(wrong, expected)})
out, mask = dropout_forward(np.full((3, 5), 2.0), 1.0, _rng)
check_array(out, np.full((3, 5), 2.0), "dropout_forward with keep_prob=1: nothing is dropped")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_dropout_forward_random", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""dropout_forward: keeps a fraction keep_prob of the units, drawn from rng, new on every call (2 points)"""
A = np.ones((200, 500))
out, mask = dropout_forward(A, 0.8, np.random.default_rng(1))
kept = float(np.mean(mask))
assert not abs(kept - 0.2) < 0.01, (f"the mask keeps {kept:.3f} of the units with keep_prob=0.8: keep_prob was used "
                                    "as the drop probability; keep each unit with probability keep_prob")
assert abs(kept - 0.8) < 0.01, f"the mask keeps {kept:.3f} of the units, expected about keep_prob = 0.8"
assert abs(float(out.mean()) - 1.0) < 0.02, \
    f"the mean output is {float(out.mean()):.3f} for inputs of 1: inverted dropout keeps the mean at 1"
again, _ = dropout_forward(A, 0.8, np.random.default_rng(1))
assert np.array_equal(again, out), \
    "two generators with the same seed gave different masks: draw the mask from `rng`, not from np.random"
_rng = np.random.default_rng(2)
first, _ = dropout_forward(A, 0.8, _rng)
second, _ = dropout_forward(A, 0.8, _rng)
assert not np.array_equal(first, second), \
    "two calls with the same generator gave the same mask: draw a new mask from `rng` on every call"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6363)
for keep_prob in (0.3, 0.5, 0.95):
    A = np.full((300, 400), 2.5)
    out, mask = dropout_forward(A, keep_prob, _rng)
    kept = float(np.mean(mask))
    assert not abs(kept - (1 - keep_prob)) < 0.01 or keep_prob == 0.5, \
        f"the mask keeps {kept:.3f} of the units with keep_prob={keep_prob}: keep_prob was used as the drop probability"
    assert abs(kept - keep_prob) < 0.01, f"the mask keeps {kept:.3f} of the units, expected about {keep_prob}"
    assert abs(float(out.mean()) - 2.5) < 0.05, \
        f"the mean output is {float(out.mean()):.3f} for inputs of 2.5 at keep_prob={keep_prob}: E[out] must equal A"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_dropout_forward_eval", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""dropout_forward: A unchanged and no mask when not training (2 points)"""
A = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, 4.0]])
out, mask = dropout_forward(A, 0.5, np.random.default_rng(3), train=False)
check_shape(out, A.shape, "out of dropout_forward(A, 0.5, rng, train=False)")
assert matches(out, A) or not np.all(np.isclose(out, 0) | np.isclose(out, A / 0.5)), (
    "dropout_forward(A, 0.5, rng, train=False): dropout applied at test time; with train=False, "
    "return A unchanged and mask None")
check_array(out, A, "out of dropout_forward(A, 0.5, rng, train=False)",
            hints={"rescaled at test time: with inverted dropout, the test-time output is A itself": A * 0.5})
assert mask is None, f"with train=False the mask should be None, got {type(mask).__name__}"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6464)
for shape, keep_prob, dtype in [((1, 1), 0.2, np.float64), ((40, 30), 0.5, np.float32), ((2, 5, 3), 0.9, np.float64)]:
    A = _rng.normal(size=shape).astype(dtype)
    out, mask = dropout_forward(A, keep_prob, _rng, train=False)
    check_shape(out, shape, f"dropout_forward(A, {keep_prob}, rng, train=False) of shape {shape}")
    assert matches(out, A) or not np.all(np.isclose(out, 0) | np.isclose(out, A / keep_prob)), \
        "dropout applied at test time: with train=False, return A unchanged and mask None"
    check_array(out, A, f"dropout_forward(A, {keep_prob}, rng, train=False) of shape {shape}",
                hints={"rescaled at test time: the test-time output of inverted dropout is A": A * dtype(keep_prob)})
    assert mask is None, "with train=False the mask should be None"
### END HIDDEN TESTS

# %% [markdown]
# ### Backward: derive it
#
# **Exercise (a derivation).** Given $\partial J / \partial \tilde{a}$ (`dout`), what is
# $\partial J / \partial a$? Write your forward pass as a function of $a$ with the mask held fixed,
# differentiate it element by element, and implement the result as `dropout_backward(dout, mask, keep_prob)`.
# Ask yourself which mask the backward pass must use, and why: which units had an effect on $J$?
# The test checks your result against a numerical gradient.

# %% nbgrader={"grade": false, "grade_id": "dropout_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dropout_backward(dout, mask, keep_prob):
    """Gradient of inverted dropout with respect to its input.

    Parameters
    ----------
    dout : ndarray of any shape, dJ / d(out)
    mask : ndarray of dout's shape (bool or 0/1)
        The mask that dropout_forward returned for this pass.
    keep_prob : float in (0, 1]

    Returns
    -------
    dA : ndarray of dout's shape and dtype
    """
    ### BEGIN SOLUTION
    return dout * mask / keep_prob
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dropout_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""dropout_backward: the gradient through the forward pass's dropout (2 points)"""
dout = np.array([[1.0, -2.0, 3.0, 0.5], [4.0, 1.5, -1.0, 2.0]])
mask = np.array([[True, False, True, True], [False, True, True, False]])
dA = dropout_backward(dout, mask, 0.75)
check_shape(dA, (2, 4), "dropout_backward(dout, mask, 0.75)")
assert np.array_equal(dA != 0, mask) or matches(dA, dout * ~mask / 0.75), (
    "dropout_backward: the gradient is not zero exactly where the mask dropped a unit; use the mask "
    "from the forward pass, do not draw a new one")
check_array(dA, dout * mask / 0.75, "dropout_backward(dout, mask, 0.75)",
            hints={"dropout without the 1/keep_prob rescale: whatever scaled the kept units in the "
                   "forward pass scales their gradient too": dout * mask,
                   "keep_prob used as the drop probability: keep_prob is the chance to be KEPT":
                       dout * mask / 0.25,
                   "the gradient must flow through the KEPT units (mask 1), not the dropped ones":
                       dout * ~mask / 0.75})
G = np.array([[0.5, -1.0, 2.0, 1.0], [1.0, 3.0, -0.5, 0.25]])           # upstream gradient of J = sum(G * out)
check_gradient(lambda A: np.sum(G * (A * mask / 0.75)), np.ones((2, 4)), dropout_backward(G, mask, 0.75))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6565)
for shape, keep_prob, dtype, mask_dtype in [((1, 1), 0.45, np.float64, bool), ((6, 11), 0.3, np.float64, np.float64),
                                            ((3, 4, 5), 0.9, np.float32, bool), ((8, 2), 0.6, np.float32, np.float32)]:
    dout = _rng.normal(size=shape).astype(dtype)
    mask = (_rng.random(shape) < keep_prob).astype(mask_dtype)
    mask.flat[0] = 1
    name = f"dropout_backward of a {np.dtype(dtype).name} gradient of shape {shape}"
    dA = dropout_backward(dout, mask, keep_prob)
    check_shape(dA, shape, name)
    assert np.array_equal(dA != 0, mask != 0) or matches(dA, dout * (1 - mask) / keep_prob), (
        f"{name}: the gradient is not zero exactly where the mask dropped a unit; use the mask "
        "from the forward pass, do not draw a new one")
    expected = (dout.astype(np.float64) * mask / keep_prob).astype(dtype)
    hints = {"dropout without the 1/keep_prob rescale": (dout * mask).astype(dtype),
             "keep_prob used as the drop probability": (dout * mask / (1 - keep_prob)).astype(dtype)}
    check_array(dA, expected, name, rtol=1e-5,
                hints={message: wrong for message, wrong in hints.items() if not matches(wrong, expected)})
### END HIDDEN TESTS

# %% [markdown]
# ### Dropout's expected output equals its input
#
# Averaged over 20,000 masks, inverted dropout gives back its input; without the $1/p$ rescale the
# average would be $p\,a$.

# %%
A_demo = np.array([[1.0, 2.0, 0.0, -1.5],
                   [0.5, 4.0, -3.0, 2.5]])
keep_prob = 0.6
outs, masks = dropout_forward(np.broadcast_to(A_demo, (20_000, *A_demo.shape)), keep_prob, rng)
print("A:\n", A_demo)
print(f"mean of dropout_forward(A, keep_prob={keep_prob}) over 20,000 masks:\n", np.round(outs.mean(axis=0), 2))
print("without the 1/keep_prob rescale it would be keep_prob * A:\n", np.round(keep_prob * A_demo, 2))
print(f"fraction of units kept: {np.mean(masks):.3f}")
print("at test time:", "A unchanged" if np.array_equal(dropout_forward(A_demo, keep_prob, rng, train=False)[0], A_demo)
      else "A CHANGED")


# %% [markdown]
# ## 4. Training with L2 and dropout
#
# The training objective of a ReLU network with both techniques, built from your three functions and 03's
# affine layers: dropout after every hidden ReLU (as on the slide), the penalty added to the mean
# cross-entropy, and its gradient $\frac{\lambda}{N}W$ added to each weight gradient.

# %%
def regularised_loss_and_grads(params, X, y, N, lam=0.0, keep_prob=1.0, rng=None):
    # J = mean cross-entropy + lam / (2 N) * sum ||W||^2 of a ReLU MLP, with inverted dropout on its hidden layers.
    L = num_layers(params)
    A, caches = X, []
    for l in range(1, L + 1):
        Z, affine_cache = affine_forward(A, params[f"W{l}"], params[f"b{l}"])
        mask = None
        if l < L:
            A = np.maximum(Z, 0)                                    # ReLU
            if keep_prob < 1:
                A, mask = dropout_forward(A, keep_prob, rng)
        caches.append((affine_cache, Z, mask))
    loss = softmax_cross_entropy(Z, y) + l2_penalty(params, lam, N)
    dA = softmax_cross_entropy_grad(Z, y)

    grads = {}
    for l in range(L, 0, -1):
        affine_cache, Z, mask = caches[l - 1]
        if l < L:
            if mask is not None:
                dA = dropout_backward(dA, mask, keep_prob)
            dA = dA * (Z > 0)                                       # ReLU's derivative
        dA, dW, grads[f"b{l}"] = affine_backward(dA, affine_cache)
        grads[f"W{l}"] = dW + (lam / N) * params[f"W{l}"]           # weight decay
    return loss, grads


# %% [markdown]
# Two checks: a gradient check on a tiny network (the masks held fixed by a generator with the same seed
# for every evaluation), and, with $\lambda = 0$ and no dropout, agreement with 03's MLP.

# %%
tiny = init_mlp([2, 5, 4, 3], rng, he_std)
for key in ("b1", "b2", "b3"):                       # non-zero biases: no pre-activation sits exactly on ReLU's kink
    tiny[key] = rng.normal(scale=0.1, size=tiny[key].shape)
X_tiny, y_tiny = rng.normal(size=(6, 2)), np.array([0, 1, 2, 2, 1, 0])
settings = dict(N=6, lam=0.7, keep_prob=0.5)
_, grads = regularised_loss_and_grads(tiny, X_tiny, y_tiny, rng=np.random.default_rng(0), **settings)
for key in tiny:
    error = check_gradient(
        lambda _: regularised_loss_and_grads(tiny, X_tiny, y_tiny, rng=np.random.default_rng(0), **settings)[0],
        tiny[key], grads[key])
    print(f"{key}: gradient check passed (relative error below 1e-5)")

ours, our_grads = regularised_loss_and_grads(params0, X_train, y_train, N=N)
theirs, their_grads = plain_loss_and_grads(params0, X_train, y_train)
same = np.isclose(ours, theirs) and all(np.allclose(our_grads[k], their_grads[k]) for k in params0)
print("lam = 0, keep_prob = 1:", "the same J and gradients as notebook 03's MLP" if same else "DIFFERENT from 03's MLP")

# %% [markdown]
# ### L2 at several strengths
#
# We train the same network with $\lambda \in \{0.1, 0.3, 1, 3, 10\}$ (and $N = 48$).
#
# **Predict before you run.** Before you run the next cell, write down what you expect for the smallest
# and the largest $\lambda$: does the validation curve still climb? Where does the training curve end,
# compared with the unregularised run? Then compare with the plots.

# %%
LAMBDAS = [0.1, 0.3, 1.0, 3.0, 10.0]
runs_l2 = {}
for lam in LAMBDAS:
    runs_l2[lam] = fit(lambda p, X, y, lam=lam: regularised_loss_and_grads(p, X, y, N=N, lam=lam), desc=f"lambda={lam:g}")

shown = [0.1, 1.0, 10.0]
fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), sharey=True)
plots.curves(axes[0], train_and_val(history_plain), keys=("training", "validation"),
             ylabel="cross-entropy", title="no regularisation")
for ax, lam in zip(axes[1:], shown):
    plots.curves(ax, train_and_val(runs_l2[lam][1]), keys=("training", "validation"), title=f"L2, $\\lambda$ = {lam:g}")
axes[0].set_ylim(0, 0.9)
plt.show()

print(" lambda   sum ||W||^2   train ce   val ce   val acc")
print(f"{0:7g} {sum(np.sum(params_plain[k] ** 2) for k in params_plain if k[0] == 'W'):13.1f} "
      f"{history_plain['ce'][-1]:10.3f} {history_plain['val_ce'][-1]:8.3f} {accuracy(params_plain, X_val, y_val):9.2f}")
for lam, (params, history) in runs_l2.items():
    norm = sum(np.sum(params[k] ** 2) for k in params if k.startswith("W"))
    print(f"{lam:7g} {norm:13.1f} {history['ce'][-1]:10.3f} {history['val_ce'][-1]:8.3f} "
          f"{accuracy(params, X_val, y_val):9.2f}")

# %% [markdown]
# Even a small $\lambda$ stops the validation loss from climbing; a moderate one ($\lambda = 1$) also
# narrows the gap between the two curves. A large one **under-fits**: at $\lambda = 3$ both losses are
# higher than at $\lambda = 1$, and at $\lambda = 10$ the penalty pushes every weight to 0, so the network
# gives the same prediction for every input and both losses stay high. The weights' size tells the same
# story, and the validation loss picks the $\lambda$ to use:

# %%
norms = [sum(np.sum(runs_l2[lam][0][k] ** 2) for k in params0 if k.startswith("W")) for lam in LAMBDAS]
plain_norm = sum(np.sum(params_plain[k] ** 2) for k in params0 if k.startswith("W"))
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
axes[0].semilogx(LAMBDAS, norms, marker="o", label="with L2")
axes[0].axhline(plain_norm, linestyle="--", color="gray", label="no regularisation ($\\lambda$ = 0)")
axes[0].set_xlabel("$\\lambda$")
axes[0].set_ylabel("$\\sum_l \\|W^{[l]}\\|^2$ after training")
axes[0].set_title("Larger $\\lambda$, smaller weights")
axes[0].legend()
axes[1].semilogx(LAMBDAS, [runs_l2[lam][1]["ce"][-1] for lam in LAMBDAS], marker="o", label="training")
axes[1].semilogx(LAMBDAS, [runs_l2[lam][1]["val_ce"][-1] for lam in LAMBDAS], marker="o", label="validation")
axes[1].axhline(history_plain["val_ce"][-1], linestyle="--", color="gray", label="validation, $\\lambda$ = 0")
axes[1].set_xlabel("$\\lambda$")
axes[1].set_ylabel("cross-entropy after training")
axes[1].set_title("Choose $\\lambda$ by the validation loss")
axes[1].legend()
plt.show()

# %% [markdown]
# ### Dropout at several keep probabilities (optional)
#
# Now no penalty, but dropout on both hidden layers with $p \in \{0.8, 0.5, 0.3\}$. The training curve
# (measured with dropout **off**, like the validation curve) no longer goes to 0: with units missing at
# random, memorising single points is much harder.

# %%
KEEP_PROBS = [0.8, 0.5, 0.3]
runs_dropout = {}
for keep_prob in KEEP_PROBS:
    runs_dropout[keep_prob] = fit(
        lambda p, X, y, keep_prob=keep_prob: regularised_loss_and_grads(p, X, y, N=N, keep_prob=keep_prob, rng=rng),
        desc=f"keep_prob={keep_prob:g}")

fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), sharey=True)
plots.curves(axes[0], train_and_val(history_plain), keys=("training", "validation"),
             ylabel="cross-entropy", title="no regularisation")
for ax, keep_prob in zip(axes[1:], KEEP_PROBS):
    plots.curves(ax, train_and_val(runs_dropout[keep_prob][1]), keys=("training", "validation"),
                 title=f"dropout, keep_prob = {keep_prob:g}")
axes[0].set_ylim(0, 0.9)
plt.show()
for keep_prob, (params, history) in runs_dropout.items():
    print(f"keep_prob={keep_prob:g}: final cross-entropy training {history['ce'][-1]:.3f}, "
          f"validation {history['val_ce'][-1]:.3f}; validation accuracy {accuracy(params, X_val, y_val):.2f}")


# %% [markdown]
# The predicted probabilities show what the regularisers did (colour: the probability of each class,
# pale where the network is unsure; the **validation** points on top). The unregularised network is
# nearly certain right up to its boundary, so every validation point on the wrong side costs a lot of
# cross-entropy. The network trained with L2 keeps a wide band of doubt where the two moons overlap,
# which is the honest answer there; the one trained with dropout a narrower one.

# %%
def predict_proba(params):
    return lambda P: softmax(mlp_forward(P, params, RELU)[0])


fig, axes = plt.subplots(1, 3, figsize=(15, 4), sharey=True)
for ax, (params, title) in zip(axes, [(params_plain, "no regularisation"),
                                      (runs_l2[1.0][0], "L2, $\\lambda$ = 1"),
                                      (runs_dropout[0.5][0], "dropout, keep_prob = 0.5")]):
    plots.probability_map(ax, predict_proba(params), X_val, y_val, resolution=120, title=title)
plt.show()


# %% [markdown]
# ## 5. Early stopping
#
# The unregularised network was at its best on the validation set early on. **Early stopping** watches the
# validation loss after every epoch, remembers the parameters of the best epoch so far, and stops once the
# loss has not improved for `patience` epochs in a row; the **best** parameters, not the last, are the result.
#
# Precisely, `step(val_loss, params)` is called once per epoch (epochs counted from 0, like `train`'s
# `on_epoch_end`):
#
# - an epoch **improves** when `val_loss < best_loss - min_delta` (strictly; a `nan` loss never improves).
#   Then `best_loss`, `best_epoch` and `best_params` are updated, and the count of epochs without
#   improvement goes back to 0;
# - otherwise that count goes up by 1; `step` returns `True` (stop) when the count reaches `patience`,
#   `False` otherwise.
#
# Before the first step, `best_loss` is `inf` and `best_epoch` and `best_params` are `None`, so the first
# epoch always improves.
#
# `best_params` must be a **deep copy**: the training loop updates the arrays of `params` in place
# (`params[k] -= lr * grads[k]`), so a dict sharing those arrays would turn into the last parameters.
#
# **Exercise.** Implement the class `EarlyStopping`.

# %% nbgrader={"grade": false, "grade_id": "EarlyStopping", "locked": false, "schema_version": 3, "solution": true, "task": false}
class EarlyStopping:
    """Stop training when the validation loss stops improving; keep the best parameters.

    Parameters
    ----------
    patience : int >= 0
        How many epochs in a row without improvement end the training.
    min_delta : float >= 0, default 0.0
        An epoch improves only if its loss is below best_loss - min_delta.

    Attributes
    ----------
    best_loss : float
        The lowest validation loss so far (inf before the first step).
    best_epoch : int or None
        The epoch (counted from 0) of best_loss.
    best_params : dict of str to ndarray, or None
        A deep copy of the parameters at best_epoch.
    """

    def __init__(self, patience, min_delta=0.0):
        ### BEGIN SOLUTION
        self.patience = patience
        self.min_delta = min_delta
        self.best_loss = np.inf
        self.best_epoch = None
        self.best_params = None
        self.epoch = 0
        self.epochs_without_improvement = 0
        ### END SOLUTION

    def step(self, val_loss, params):
        """Record one epoch's validation loss; return True when training should stop.

        Parameters
        ----------
        val_loss : float
        params : dict of str to ndarray
            The model's parameters after this epoch.

        Returns
        -------
        stop : bool
        """
        ### BEGIN SOLUTION
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.best_params = copy.deepcopy(params)
            self.epochs_without_improvement = 0
        else:
            self.epochs_without_improvement += 1
        self.epoch += 1
        return self.epochs_without_improvement >= self.patience
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_early_stopping_patience", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""EarlyStopping: counts epochs without improvement, stops at patience, tracks the best (3 points)"""
params = {"W": np.zeros((2, 2))}
stopper = EarlyStopping(patience=3)
decisions = [stopper.step(loss, params) for loss in [0.9, 0.7, 0.75, 0.72, 0.71]]
assert all(isinstance(d, (bool, np.bool_)) for d in decisions), \
    f"step should return True or False, got {[type(d).__name__ for d in decisions]}"
assert decisions[:4] == [False] * 4, (
    f"step returned {decisions[:4]} for losses 0.9, 0.7, 0.75, 0.72 with patience=3: only 2 epochs without "
    "improvement so far, so training must go on")
assert decisions[4], (
    "with patience=3, the 3rd epoch in a row without improvement (0.75, 0.72, 0.71 after 0.7) must return True: "
    "stop when the count of epochs without improvement reaches patience, not when it exceeds it")
check_close(stopper.best_loss, 0.7, "best_loss after losses 0.9, 0.7, 0.75, 0.72, 0.71",
            hints={"best_loss is the last loss, not the lowest one": 0.71})
check_close(stopper.best_epoch, 1, "best_epoch after losses 0.9, 0.7, 0.75, 0.72, 0.71",
            hints={"best_epoch counts from 1: count epochs from 0, like train's on_epoch_end": 2,
                   "best_epoch is the last epoch, not the best one": 4})

stopper = EarlyStopping(patience=2)
decisions = [stopper.step(loss, params) for loss in [1.0, 1.1, 0.9, 0.95, 0.96]]
assert decisions[:4] == [False] * 4, (
    f"step returned {decisions[:4]} for losses 1.0, 1.1, 0.9, 0.95 with patience=2: the improvement to 0.9 must "
    "reset the count of epochs without improvement to 0")
assert decisions[4], "with patience=2, losses 0.95 and 0.96 after the best 0.9 must stop training"
### BEGIN HIDDEN TESTS
def _reference_run(losses, patience, min_delta):
    best, best_epoch, wait, out = np.inf, None, 0, []
    for epoch, loss in enumerate(losses):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
        out.append((wait >= patience, best, best_epoch))
        if wait >= patience:
            break
    return out

_rng = np.random.default_rng(6666)
cases = [([0.5, 0.5, 0.5], 2, 0.0), ([2.0, np.nan, 1.0, np.nan, np.nan], 2, 0.0), ([1e6, 1e7], 1, 0.0),
         ([3.0, 2.0, 1.0], 1, 0.0)]
for _ in range(6):
    n = 40
    trend = np.linspace(1.0, 0.3, n) + np.linspace(0, 0.6, n) ** 2
    cases.append((list(trend + _rng.normal(scale=0.03, size=n)), int(_rng.integers(1, 6)), 0.0))
for losses, patience, min_delta in cases:
    stopper = EarlyStopping(patience=patience)
    for epoch, (expected_stop, expected_best, expected_epoch) in enumerate(_reference_run(losses, patience, min_delta)):
        stop = stopper.step(losses[epoch], {"W": np.full((2, 3), float(epoch))})
        where = f"patience={patience}, epoch {epoch}, losses {np.round(losses[:epoch + 1], 3).tolist()}"
        assert bool(stop) == expected_stop, f"step returned {stop} at {where}; expected {expected_stop}"
        wrong = {} if matches(losses[epoch], expected_best) else {
            "an equal or nan loss is not an improvement: it must be below best_loss - min_delta": losses[epoch]}
        check_close(stopper.best_loss, expected_best, f"best_loss at {where}", hints=wrong)
        assert stopper.best_epoch == expected_epoch, \
            f"best_epoch is {stopper.best_epoch} at {where}; expected {expected_epoch}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_early_stopping_min_delta", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""EarlyStopping: an improvement must beat best_loss by more than min_delta (2 points)"""
params = {"W": np.zeros((2, 2))}
stopper = EarlyStopping(patience=2, min_delta=0.1)
decisions = [stopper.step(loss, params) for loss in [1.0, 0.95, 0.85, 0.8, 0.78]]
assert decisions[-1], (
    "with min_delta=0.1, losses 0.8 and 0.78 do not improve on 0.85 by more than 0.1, so patience=2 must stop "
    "training at the last epoch; it looks like min_delta was ignored" if stopper.best_loss == 0.78 else
    f"step returned {decisions} for losses 1.0, 0.95, 0.85, 0.8, 0.78 with patience=2, min_delta=0.1; "
    "the last one should be True")
assert decisions[:4] == [False] * 4, (
    f"step returned {decisions[:4]} for losses 1.0, 0.95, 0.85, 0.8; expected no stop yet: 0.85 improves "
    "on 1.0 by more than min_delta=0.1 and resets the count")
check_close(stopper.best_loss, 0.85, "best_loss with min_delta=0.1",
            hints={"min_delta was ignored: an epoch improves only if val_loss < best_loss - min_delta": 0.78,
                   "compare with best_loss - min_delta, not with the previous epoch's loss": 0.8})
check_close(stopper.best_epoch, 2, "best_epoch with min_delta=0.1")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6767)
for min_delta in (0.02, 0.05):
    losses = list(np.linspace(1.0, 0.5, 30) + _rng.normal(scale=0.01, size=30))
    stopper = EarlyStopping(patience=3, min_delta=min_delta)
    best, best_epoch, wait = np.inf, None, 0
    for epoch, loss in enumerate(losses):
        stop = stopper.step(loss, {"W": np.zeros(1)})
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
        assert bool(stop) == (wait >= 3), f"step returned {stop} at epoch {epoch} with min_delta={min_delta}"
        check_close(stopper.best_loss, best, f"best_loss at epoch {epoch} with min_delta={min_delta}")
        assert stopper.best_epoch == best_epoch, f"best_epoch at epoch {epoch} with min_delta={min_delta}"
        if wait >= 3:
            break
stopper = EarlyStopping(patience=1, min_delta=0.5)
assert not stopper.step(10.0, {"W": np.zeros(1)}), "the first epoch always improves on best_loss = inf"
assert stopper.step(9.5, {"W": np.zeros(1)}), "10.0 -> 9.5 is not an improvement by more than min_delta=0.5"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_early_stopping_best_params", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""EarlyStopping: best_params is a deep copy of the best epoch's parameters (3 points)"""
stopper = EarlyStopping(patience=5)
params = {"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
stopper.step(1.0, params)                                    # best so far
params["W"] -= 10.0                                          # the training loop updates arrays in place
params["b"][...] = -1.0
check_type(stopper.best_params, dict, "best_params")
check_array(stopper.best_params["W"], [[1.0, 2.0]], "best_params['W'] after params['W'] was updated in place",
            hints={"best_params changed when the model's arrays were updated in place: a copy of the "
                   "dict still shares its arrays with the model": [[-9.0, -8.0]]})
check_array(stopper.best_params["b"], [0.5], "best_params['b'] after params['b'] was updated in place",
            hints={"best_params changed when the model's arrays were updated in place": [-1.0]})

later = {"W": np.array([[7.0, 7.0]]), "b": np.array([7.0])}
stopper.step(2.0, later)                                     # worse: the best must not change
check_array(stopper.best_params["W"], [[1.0, 2.0]], "best_params['W'] after a worse epoch",
            hints={"early stopping handed back the last parameters, not the best: copy params only when the "
                   "loss improves": [[7.0, 7.0]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6868)
losses = [0.9, 0.6, 0.65, 0.4, 0.45, 0.5, 0.55]
stopper = EarlyStopping(patience=3)
params = {"W1": _rng.normal(size=(4, 3)), "b1": np.zeros(4), "W2": _rng.normal(size=(2, 4)), "b2": np.zeros(2)}
snapshots = []
for loss in losses:
    snapshots.append(copy.deepcopy(params))
    stop = stopper.step(loss, params)
    for key in params:
        params[key] -= 0.1 * _rng.normal(size=params[key].shape)   # in place, like SGD
    if stop:
        break
assert stopper.best_epoch == 3, f"best_epoch should be 3 for losses {losses}, got {stopper.best_epoch}"
for key in snapshots[3]:
    check_array(stopper.best_params[key], snapshots[3][key], f"best_params[{key!r}] of the best epoch",
                hints={"early stopping handed back the last parameters, not the best": snapshots[-1][key],
                       "best_params changed when params was updated in place: store a deep copy": params[key]})
assert stopper.best_params is not params, "best_params must be a copy, not the params dict itself"
### END HIDDEN TESTS

# %% [markdown]
# ### Early stopping on the over-fitting network
#
# The unregularised network again, from the same initial weights, with `EarlyStopping` deciding after
# every epoch through `train`'s `on_epoch_end`: its validation curve is section 1's until it stops.

# %%
stopper = EarlyStopping(patience=20, min_delta=1e-3)
params_stopped, history_stopped = fit(
    plain_loss_and_grads, desc="early stopping",
    on_epoch_end=lambda epoch, history, params: stopper.step(history["val_ce"][-1], params))
params_best = stopper.best_params                    # hand back the best epoch, not the last one
stopped_at = len(history_stopped["val_ce"])
print(f"stopped after {stopped_at} of {EPOCHS} epochs; best epoch {stopper.best_epoch + 1} "
      f"(validation cross-entropy {stopper.best_loss:.3f})")
print(f"validation cross-entropy: best parameters {data_cost(params_best, X_val, y_val):.3f}, "
      f"last parameters {data_cost(params_stopped, X_val, y_val):.3f}, "
      f"trained on to epoch {EPOCHS}: {history_plain['val_ce'][-1]:.3f}")

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plots.curves(axes[0], train_and_val(history_plain), keys=("training", "validation"),
             ylabel="cross-entropy", title="Early stopping picks the best epoch")
plots.mark_epoch(axes[0], stopper.best_epoch + 1, f"best epoch ({stopper.best_epoch + 1}), restored")
axes[0].axvline(stopped_at, linestyle=":", color="gray", label=f"stopped ({stopped_at})")
axes[0].legend()
plots.decision_boundary(axes[1], lambda P: mlp_predict(params_best, P, RELU), X_train, y_train,
                        title=f"The network of epoch {stopper.best_epoch + 1}")
plt.show()

# %% [markdown]
# Early stopping found the lowest validation loss of the whole 300-epoch run in a small fraction of the
# epochs. In practice it is combined with L2 or dropout: regularise, and still keep the best epoch.

# %% [markdown]
# ## 6. A question from the lecture
#
# Answer in your own words. Your instructor grades it with the rubric shown in the solutions.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_early_stopping", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** The lecture says *"Early Stopping is not a regularisation technique per se
# but helps evade overfitting."* Explain both halves of the sentence. Refer to your plot of section 5.
# Answer in two or three sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_early_stopping", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** It is not a regulariser as such: unlike L2's penalty or dropout's noise, it changes
# neither the model nor the cost, and only decides when to stop and which parameters to keep. It evades
# over-fitting because, in the plot, the validation loss is lowest after a few epochs and then rises while
# the training loss keeps falling; stopping near that epoch and restoring its parameters skips the
# memorising phase.
#
# **Rubric (2 points).** 1 point, "not per se": it changes neither the model nor the cost $J$ (unlike L2's
# penalty or dropout's noise); it only chooses when to stop and which parameters to keep. 1 point, "evades":
# must cite the plot of section 5 (validation loss lowest early, then rising while the training loss falls)
# and say that the best epoch's parameters are restored. Mentioning the implicit limit on how far the
# weights move (like a mild L2) is welcome but not required.

# %% [markdown]
# ## What to remember
#
# > - Over-fitting is a **gap**: training loss falls, validation loss climbs. Watch both curves.
# > - L2 adds $\frac{\lambda}{2N}\sum_l\lVert W^{[l]}\rVert^2$ (weights, not biases) to $J$: weight decay.
# >   Choose $\lambda$ on the validation set: too large under-fits.
# > - Inverted dropout: keep with probability $p$, rescale so $\mathbb{E}[\tilde a] = a$; backward through
# >   the same mask; off at test time.
# > - Early stopping changes nothing in $J$: it keeps the best epoch's parameters (a deep copy).
#
# ## Summary
#
# You made a network over-fit and built the three remedies: the L2 penalty and its weight-decay gradient
# $\frac{\lambda}{N}W$, inverted dropout forward and backward, and early stopping with `patience` and
# `min_delta`.
#
# **Next:** `07_lr_decay` turns to the speed of training: learning-rate decay, down to reducing the rate
# only when the validation loss stops improving (the same "patience" idea as early stopping).

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
