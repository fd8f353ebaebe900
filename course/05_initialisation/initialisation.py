# %% [markdown]
# # 05 · Initialisation: zero, constant, uniform, Gaussian, Xavier, He — and wide networks
#
# **Lecture:** *Review of Neural Networks*, the three slides "How to initialise network parameters?"
# (zeros, a constant, uniform $[0, 1]$, uniform $[-0.5, 0.5]$, Gaussian with mean 0 and small variance),
# with the activation slides (tanh, ReLU), and "Do Deep Neural Networks really perform better?" (*data,
# hardware, optimised libraries; wide networks; input scale*). Xavier and He follow Glorot & Bengio (2010)
# and He et al. (2015).
#
# By the end of this notebook you will be able to
#
# 1. explain why zero or constant weights keep the hidden units of a layer identical;
# 2. draw a `(fan_out, fan_in)` weight matrix with a given standard deviation from a Gaussian or a uniform
#    (deriving the uniform's bound), with the generator you are given;
# 3. see the activations of a deep network **vanish** or **saturate** when the weights are too small or
#    too large;
# 4. **derive** the Xavier (Glorot) and He (Kaiming) standard deviations;
# 5. see what **width** buys and costs, and why the scale of the inputs matters too.
#
# **Time:** about 2 h for the core path (the course map says how this is estimated).
#
# **How this notebook is graded.** Four functions (10 points) and two written questions (4 points).
# Complete every cell that says `raise NotImplementedError()`. The cells after it test your function;
# they are worth the points shown in their header and hold hidden tests as well, so a function that only
# fits the visible tests will lose points. The random initialiser is checked *statistically* on many draws
# (bounds, mean and standard deviation), and must take its randomness from the `rng` argument only. Run
# *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.
#
# **Notation** (as in every notebook of the course): $n_{in}$ and $n_{out}$ a layer's fan-in and
# fan-out, $z$ a pre-activation, $a = f(z)$ an activation, $J$ the cost (the mean loss over the $N$
# samples), $\alpha$ the learning rate (`lr` in code).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import time

import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.grading import check_array, check_close, check_shape, check_type, matches
from nnlib.train import SGD, train
from support import ACTIVATIONS, dead_fraction, init_mlp, mlp_forward, mlp_loss_and_grads, mlp_predict

rng = np.random.default_rng(472)


# %% [markdown]
# The next cell defines the checks the test cells use for random weight matrices: their shape, their
# statistics and where their randomness comes from. Run it; it is locked.

# %% nbgrader={"grade": false, "grade_id": "grading_helpers", "locked": true, "schema_version": 3, "solution": false, "task": false}
def check_weights(W, fan_in, fan_out, name):
    """W must be a float64 ndarray of shape (fan_out, fan_in): one row per unit of the layer."""
    check_type(W, np.ndarray, name)
    if W.shape == (fan_in, fan_out) != (fan_out, fan_in):
        raise AssertionError(
            f"{name}: got shape {W.shape} = (fan_in, fan_out); a weight matrix is (fan_out, fan_in) = "
            f"{(fan_out, fan_in)}, one row per unit, so that a layer computes Z = X @ W.T")
    check_shape(W, (fan_out, fan_in), name)
    if W.dtype != np.float64:
        raise AssertionError(f"{name}: expected float64 weights, got dtype {W.dtype}")


def check_statistic(value, expected, name, rtol=0.03, atol=0.0, hints=None):
    """A sample statistic within atol + rtol * |expected| of `expected`. Otherwise, when it is that
    close to what a known mistake gives (hints: message -> value), fail with the mistake's message."""
    value = float(value)
    if abs(value - expected) <= atol + rtol * abs(expected):
        return
    for message, wrong in (hints or {}).items():
        if abs(value - wrong) <= atol + rtol * abs(wrong):
            raise AssertionError(f"{name} is {value:.4g}: {message}")
    raise AssertionError(f"{name} is {value:.4g}, expected {expected:.4g} ± {atol + rtol * abs(expected):.2g}")


_LEGACY_RANDOM = ("seed", "rand", "randn", "random", "random_sample", "uniform", "normal", "standard_normal")


def check_draws_from_rng(draw, name):
    """draw(rng) -> W must take its randomness from `rng` alone, never from numpy's global random state."""
    saved_state, seed = np.random.get_state(), np.random.seed
    legacy = {f: getattr(np.random, f) for f in _LEGACY_RANDOM}

    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} calls numpy's global random state (np.random.<function>): "
                             "draw from the `rng` argument instead, e.g. rng.normal(...) or rng.uniform(...)")
    try:
        for f in _LEGACY_RANDOM:
            setattr(np.random, f, refuse)
        draw(np.random.default_rng(10))
        for f, original in legacy.items():
            setattr(np.random, f, original)
        seed(1)
        first = draw(np.random.default_rng(11))
        seed(2)
        again = draw(np.random.default_rng(11))
        if not np.array_equal(first, again):
            seed(1)
            if np.array_equal(first, draw(np.random.default_rng(11))):
                raise AssertionError(f"{name} changes with np.random.seed: it uses numpy's global random state; "
                                     "draw from the `rng` argument instead")
            raise AssertionError(f"{name}: two generators with the same seed gave different matrices: "
                                 "draw from the `rng` passed in, not from a new generator")
        if np.array_equal(first, draw(np.random.default_rng(12))):
            raise AssertionError(f"{name}: generators with different seeds gave the same matrix: "
                                 "draw from the `rng` passed in")
    finally:
        for f, original in legacy.items():
            setattr(np.random, f, original)
        np.random.set_state(saved_state)


# %% [markdown]
# ## 1. Zeros and constants: the symmetry problem
#
# A layer with $n_{in}$ inputs (its **fan-in**) and $n_{out}$ units (its **fan-out**) has weights
# $W \in \mathbb{R}^{n_{out} \times n_{in}}$ and a bias $b \in \mathbb{R}^{n_{out}}$; a batch goes through as
# $Z = X W^\top + b$. Row $j$ of $W$ holds the incoming weights of unit $j$: every weight matrix here has
# shape **`(fan_out, fan_in)`**, like PyTorch's `nn.Linear(fan_in, fan_out).weight`.
#
# The lecture's first ideas: every weight **zero**, or the same **constant** (`torch.nn.init.zeros_`,
# `constant_`):

# %%
fan_in, fan_out = 3, 4
print("zeros:\n", np.zeros((fan_out, fan_in)))
print("constant 0.5:\n", np.full((fan_out, fan_in), 0.5))

# %% [markdown]
# Two units with equal rows of $W$ compute the same function of the input. The function below is given:
# read it to see what it counts, the distinct **rows** (units) of `W`, two rows being the same unit when
# no entry differs by more than `atol` (training adds rounding noise of about $10^{-16}$).

# %% nbgrader={"grade": false, "grade_id": "given_distinct_units", "locked": true, "schema_version": 3, "solution": false, "task": false}
def distinct_units(W, atol=1e-8):
    """Number of distinct hidden units (rows) of a weight matrix.

    Parameters
    ----------
    W : ndarray of shape (fan_out, fan_in)
    atol : float
        Rows j and k are the same unit when max_i |W[j, i] - W[k, i]| <= atol.

    Returns
    -------
    n : int, between 1 and fan_out
    """
    representatives = []
    for row in W:
        if not any(np.max(np.abs(row - r)) <= atol for r in representatives):
            representatives.append(row)
    return len(representatives)


# %% [markdown]
# ### Symmetry never breaks
#
# A tanh network with 4 hidden units (03's, from `support`) starts from the constant 0.5 and trains on the
# moons. Equal weights give equal activations, backpropagation sends each unit the same error, so every
# row of $W^{[1]}$ gets the same update: the four units stay one.

# %%
X_moons, y_moons = datasets.moons(rng, n=200, noise=0.15)
tanh_pair = ACTIVATIONS["tanh"]
params = {"W1": np.full((4, 2), 0.5), "b1": np.zeros(4), "W2": np.full((2, 4), 0.5), "b2": np.zeros(2)}
train(params, lambda p, X, y: mlp_loss_and_grads(p, X, y, tanh_pair), SGD(lr=0.5), X_moons, y_moons,
      epochs=30, batch_size=50, rng=rng, desc="constant 0.5")
print("W1 after training (one row per hidden unit):")
print(np.round(params["W1"], 4))
print("distinct hidden units:", distinct_units(params["W1"]), "of", len(params["W1"]))


# %% [markdown]
# ## 2. Random weights with a given standard deviation
#
# Random weights break the symmetry. The lecture asks *following what distribution?* Sections 3 to 5 show
# that what matters is the **mean** (0) and the **standard deviation**, matched to the layer, not the
# distribution's shape. So our initialiser takes `std` and draws from $\mathcal{N}(0, \text{std}^2)$ or from
# a uniform $\mathcal{U}(-a, a)$ with the **same** standard deviation (PyTorch: `torch.nn.init.normal_`,
# `torch.nn.init.uniform_`). Every draw uses the generator passed in (`rng.normal`, `rng.uniform`), never
# the global `np.random.*`, whose hidden state breaks "same seed, same network".
#
# **Exercise (derive, then code).** Compute the variance of $\mathcal{U}(-a, a)$ on paper (its density is
# $1/(2a)$ on $[-a, a]$) and solve for the bound $a$ that gives the standard deviation `std`. Then
# implement `init_layer(fan_in, fan_out, std, rng, distribution="normal")`. Mind that numpy's
# `rng.normal(loc, scale)` takes the standard deviation as `scale`, not the variance.

# %% nbgrader={"grade": false, "grade_id": "init_layer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def init_layer(fan_in, fan_out, std, rng, distribution="normal"):
    """Random weights of a layer, mean 0 and standard deviation `std`.

    Parameters
    ----------
    fan_in : int
    fan_out : int
    std : float > 0, the standard deviation of every weight
    rng : numpy.random.Generator, the only source of randomness
    distribution : "normal" for N(0, std**2), or "uniform" for U(-a, a) with the bound a that gives
        the standard deviation std

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64
    """
    ### BEGIN SOLUTION
    if distribution == "normal":
        return rng.normal(0.0, std, size=(fan_out, fan_in))
    if distribution == "uniform":
        bound = np.sqrt(3.0) * std
        return rng.uniform(-bound, bound, size=(fan_out, fan_in))
    raise ValueError(f"distribution must be 'normal' or 'uniform', got {distribution!r}")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_init_layer_normal", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""init_layer, normal: shape (fan_out, fan_in), mean 0, standard deviation std, draws from rng (1 point)"""
W = init_layer(3, 5, 0.1, np.random.default_rng(0))
check_weights(W, 3, 5, "init_layer(3, 5, 0.1, rng)")
check_draws_from_rng(lambda r: init_layer(3, 5, 0.1, r), "init_layer")
W = init_layer(200, 500, 0.05, np.random.default_rng(1))
check_statistic(W.std(), 0.05, "the standard deviation of init_layer(200, 500, 0.05, rng)", hints={
    "that is std**2, the variance: numpy's `scale` is the standard deviation": 0.05 ** 2,
    "that is sqrt(std): `std` already is the standard deviation": np.sqrt(0.05)})
check_statistic(W.mean(), 0.0, "the mean of init_layer(200, 500, 0.05, rng)", atol=5 * 0.05 / np.sqrt(W.size))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4004)
check_draws_from_rng(lambda r: init_layer(4, 6, 1.0, r, "normal"), "init_layer")
for fan_in, fan_out, std in [(500, 120, 3.0), (150, 400, 0.01), (300, 300, 0.2)]:
    W = init_layer(fan_in, fan_out, std, _rng)
    name = f"init_layer({fan_in}, {fan_out}, {std}, rng)"
    check_weights(W, fan_in, fan_out, name)
    check_statistic(W.std(), std, f"the standard deviation of {name}", hints={
        "that is std**2, the variance: numpy's `scale` is the standard deviation": std ** 2,
        "that is sqrt(std): `std` already is the standard deviation": np.sqrt(std)})
    check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * std / np.sqrt(W.size))
    tail = np.mean(np.abs(W) > 2 * std)
    assert 0.035 < tail < 0.056, \
        f"{name}: {tail:.1%} of the values lie beyond 2 std (a Gaussian has 4.6%): draw from a normal distribution"
for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
    check_weights(init_layer(fan_in, fan_out, 0.5, _rng), fan_in, fan_out, f"init_layer({fan_in}, {fan_out}, 0.5, rng)")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_init_layer_uniform", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""init_layer, uniform: the bound that gives the standard deviation std, draws from rng (2 points)"""
W = init_layer(3, 5, 0.1, np.random.default_rng(0), "uniform")
check_weights(W, 3, 5, "init_layer(3, 5, 0.1, rng, 'uniform')")
check_draws_from_rng(lambda r: init_layer(3, 5, 0.1, r, "uniform"), "init_layer(..., 'uniform')")
std = 0.05
W = init_layer(200, 500, std, np.random.default_rng(1), "uniform")
name = "init_layer(200, 500, 0.05, rng, 'uniform')"
check_statistic(W.std(), std, f"the standard deviation of {name}", hints={
    "the bound a was set to std: U(-a, a) is narrower than its bound, work out its variance": 0.577 * std,
    "the bound a is 3 * std: solve your variance of U(-a, a) for a again (a square root is missing)": 1.732 * std,
    "that is U(0, a) or U(-a, 0) with the right bound: the weights need mean 0, U(-a, a)": std / 2})
assert W.max() > 0 and W.min() < 0, f"{name}: every weight has the same sign: draw from U(-a, a), centred on 0"
tail = np.mean(np.abs(W) > 2 * std)
assert tail < 0.01, (f"{name}: {tail:.1%} of the values lie beyond 2 std, as in a Gaussian; a uniform "
                     "distribution with this std has none there")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5005)
check_draws_from_rng(lambda r: init_layer(4, 6, 1.0, r, "uniform"), "init_layer(..., 'uniform')")
for fan_in, fan_out, std in [(500, 120, 2.0), (150, 400, 1e-3), (300, 300, 0.3)]:
    W = init_layer(fan_in, fan_out, std, _rng, "uniform")
    name = f"init_layer({fan_in}, {fan_out}, {std}, rng, 'uniform')"
    check_weights(W, fan_in, fan_out, name)
    check_statistic(W.std(), std, f"the standard deviation of {name}", hints={
        "the bound a was set to std: U(-a, a) is narrower than its bound": std / np.sqrt(3),
        "the bound a is 3 * std: a square root is missing": np.sqrt(3) * std,
        "that is U(0, a) or U(-a, 0): the weights need mean 0": std / 2})
    check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * std / np.sqrt(W.size))
    a = np.sqrt(3) * std
    assert np.abs(W).max() <= a * (1 + 1e-12), f"{name}: values outside [-a, a], a = {a:.4g}: draw from a uniform"
    assert np.abs(W).max() > 0.99 * a, f"{name}: the values do not fill [-a, a]"
for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
    W = init_layer(fan_in, fan_out, 0.5, _rng, "uniform")
    check_weights(W, fan_in, fan_out, f"init_layer({fan_in}, {fan_out}, 0.5, rng, 'uniform')")
    assert np.abs(W).max() <= np.sqrt(3) * 0.5, f"init_layer({fan_in}, {fan_out}, 0.5, rng, 'uniform'): values outside the bound"
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Following the activations through the layers
#
# Why *mean 0* and *small variance*? Take one unit with $n_{in}$ inputs $a_i$ from the layer below, zero
# bias, and weights drawn independently of the inputs with mean 0:
#
# $$z_j = \sum_{i=1}^{n_{in}} w_{ji}\, a_i, \qquad
# \mathbb{E}[z_j] = 0, \qquad \operatorname{Var}(z_j) = n_{in} \operatorname{Var}(w)\, \mathbb{E}[a_i^2].$$
#
# Mean 0 keeps the pre-activations centred where tanh is steepest (a positive mean, as with $\mathcal{U}(0, 1)$,
# pushes every unit to the same side). The variance is multiplied by $n_{in}\operatorname{Var}(w)$ at every
# layer: below 1 the signal **shrinks** towards 0 layer after layer, above 1 it **grows** until tanh
# saturates at $\pm 1$ (derivative 0) or ReLU activations explode.
#
# **Exercise.** Implement `layer_activation_stats(X, weights, f)`: run `X` through a network with the
# given weight matrices and **no biases**, applying `f` after **every** layer, and return one pair
# `(mean, std)` per layer: the mean and standard deviation of **all** entries of that layer's
# activations, as Python floats.

# %% nbgrader={"grade": false, "grade_id": "layer_activation_stats", "locked": false, "schema_version": 3, "solution": true, "task": false}
def layer_activation_stats(X, weights, f):
    """Mean and standard deviation of the activations after each layer of a bias-free network.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    weights : list of L ndarrays, weights[l] of shape (n_{l+1}, n_l) with n_0 = d
    f : callable, the activation function applied element-wise after every layer (e.g. np.tanh)

    Returns
    -------
    stats : list of L pairs (mean, std) of floats, one per layer, after its activation
    """
    ### BEGIN SOLUTION
    A, stats = X, []
    for W in weights:
        A = f(A @ W.T)
        stats.append((float(np.mean(A)), float(np.std(A))))
    return stats
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "test_layer_activation_stats", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""layer_activation_stats: (mean, std) after each layer, activation included (3 points)"""
X = np.array([[1.0, 2.0], [-1.0, 1.0], [2.0, -1.0]])          # N = 3, d = 2
W1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])          # 3 units, 2 inputs
W2 = np.array([[1.0, 1.0, 0.0], [0.0, -1.0, 1.0]])            # 2 units, 3 inputs
# worked out by hand: Z1 = X @ W1.T, A1 = relu(Z1), Z2 = A1 @ W2.T, A2 = relu(Z2)
Z1 = np.array([[1.0, 2.0, -1.0], [-1.0, 1.0, -2.0], [2.0, -1.0, 3.0]])
A1 = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [2.0, 0.0, 3.0]])
Z2 = np.array([[3.0, -2.0], [1.0, -1.0], [2.0, 3.0]])
A2 = np.array([[3.0, 0.0], [1.0, 0.0], [2.0, 3.0]])
try:
    stats = layer_activation_stats(X, [W1, W2], ACTIVATIONS["relu"][0])
except ValueError as err:
    raise AssertionError(f"layer_activation_stats raised ValueError ({err}): each W is (out, in), "
                         "so a layer computes A @ W.T") from None
check_type(stats, (list, tuple), "layer_activation_stats(X, [W1, W2], relu)")
assert len(stats) != 3, "layer_activation_stats: one (mean, std) pair per weight matrix; the first is after layer 1, not the input X"
assert len(stats) == 2, f"layer_activation_stats: expected one (mean, std) pair per layer (2), got {len(stats)}"
check_close(np.array(stats, dtype=float), [[A1.mean(), A1.std()], [A2.mean(), A2.std()]],
            "layer_activation_stats(X, [W1, W2], relu)", hints={
    "these are the statistics of the pre-activations Z: take them after the activation":
        [[Z1.mean(), Z1.std()], [Z2.mean(), Z2.std()]],
    "apply the activation after every layer, including the last": [[A1.mean(), A1.std()], [Z2.mean(), Z2.std()]],
    "the second number is the variance: return the standard deviation (np.std)":
        [[A1.mean(), A1.var()], [A2.mean(), A2.var()]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(3003)

_F = {"relu": ACTIVATIONS["relu"][0], "tanh": np.tanh, "sigmoid": ACTIVATIONS["sigmoid"][0], "identity": lambda z: z}

def _reference(X, weights, activation):
    f = _F[activation]
    A, Zs, As = X, [], []
    for W in weights:
        Zs.append(A @ W.T)
        A = f(Zs[-1])
        As.append(A)
    return Zs, As

for N, sizes, activation in [(1, [4, 3, 5], "tanh"), (37, [20, 16, 16, 9, 12, 3], "sigmoid"),
                             (50, [8, 8, 8, 8], "relu"), (6, [3, 2], "identity")]:
    X = _rng.normal(size=(N, sizes[0]))
    weights = [_rng.normal(scale=1.5, size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    Zs, As = _reference(X, weights, activation)
    name = f"layer_activation_stats with N={N}, sizes={sizes}, {activation!r}"
    stats = layer_activation_stats(X, weights, _F[activation])
    assert len(stats) == len(weights), f"{name}: expected {len(weights)} pairs, got {len(stats)}"
    hints = {"these are the statistics of the pre-activations Z: take them after the activation":
                 [[Z.mean(), Z.std()] for Z in Zs],
             "apply the activation after every layer, including the last":
                 [[A.mean(), A.std()] for A in As[:-1]] + [[Zs[-1].mean(), Zs[-1].std()]],
             "the second number is the variance: return the standard deviation (np.std)":
                 [[A.mean(), A.var()] for A in As]}
    if all(W.shape[0] == W.shape[1] for W in weights):
        _, As_t = _reference(X, [W.T for W in weights], activation)
        hints["each W is (out, in): a layer computes A @ W.T, not A @ W"] = [[A.mean(), A.std()] for A in As_t]
    expected = [[A.mean(), A.std()] for A in As]
    hints = {message: wrong for message, wrong in hints.items() if not matches(wrong, expected)}
    check_close(np.array(stats, dtype=float), expected, name, rtol=1e-6, hints=hints)
# ten tanh layers of width 64 with Xavier-like weights; float32 inputs
X32 = _rng.normal(size=(40, 64)).astype(np.float32)
weights = [(_rng.normal(size=(64, 64)) / 8).astype(np.float32) for _ in range(10)]
_, As = _reference(X32.astype(np.float64), [W.astype(np.float64) for W in weights], "tanh")
stats = layer_activation_stats(X32, weights, np.tanh)
check_close(np.array(stats, dtype=float), [[A.mean(), A.std()] for A in As],
            "layer_activation_stats of float32 inputs through 10 tanh layers", rtol=1e-3, atol=1e-5)
### END HIDDEN TESTS


# %% [markdown]
# ### The lecture's schemes in a deep network
#
# Ten tanh layers of 128 units, fed with 250 standardised inputs. $\mathcal{N}(0, 0.01^2)$ has
# $n_{in}\operatorname{Var}(w) = 128 \cdot 10^{-4} \approx 0.013$: the signal shrinks about tenfold per layer.
# $\mathcal{U}(-0.5, 0.5)$ has variance $1/12$, so $n_{in}\operatorname{Var}(w) \approx 10.7$: the units saturate
# at once, as they do with $\mathcal{U}(0, 1)$, whose mean 0.5 makes every pre-activation a large sum. So
# "small" is not enough: the variance must match the fan-in, or signal and gradients vanish or saturate.

# %%
X_deep = rng.standard_normal((250, 128))
width, depth = 128, 10


def deep_weights(init_weights):
    # `depth` square layers of `width` units: init_weights(fan_in, fan_out) -> W
    return [init_weights(width, width) for _ in range(depth)]


lecture_schemes = {
    "N(0, 0.01²)": lambda fan_in, fan_out: init_layer(fan_in, fan_out, 0.01, rng),
    "U(-0.5, 0.5)": lambda fan_in, fan_out: rng.uniform(-0.5, 0.5, size=(fan_out, fan_in)),
    "U(0, 1)": lambda fan_in, fan_out: rng.uniform(0.0, 1.0, size=(fan_out, fan_in)),
}
print("std of the tanh activations, layer 1 to 10:")
for name, init_weights in lecture_schemes.items():
    stats = layer_activation_stats(X_deep, deep_weights(init_weights), np.tanh)
    print(f"{name:>13}: " + " ".join(f"{s:8.1e}" for _, s in stats))


# %% [markdown]
# ## 4. Xavier (Glorot) initialisation: derive it
#
# Near 0, tanh is close to the identity, so $\mathbb{E}[a^2] \approx \operatorname{Var}(z)$ and the recursion of
# section 3 reads $\operatorname{Var}(z^{[l]}) \approx n_{in}\operatorname{Var}(w)\operatorname{Var}(z^{[l-1]})$.
# The backward pass has the same shape: the gradient reaching an activation of layer $l-1$ is a sum over the
# $n_{out}$ units of layer $l$, $\partial J/\partial a_i = \sum_j w_{ji}\, \partial J/\partial z_j$.
#
# **Exercise (derive, then code).** (a) Which $\operatorname{Var}(w)$ keeps the variance of the activations
# the same from layer to layer in the **forward** pass? (b) Which keeps the variance of the gradients the
# same in the **backward** pass? (c) A layer with $n_{in} \ne n_{out}$ cannot satisfy both; Glorot & Bengio
# (2010) replace the one count by the **average** of the two. Implement `xavier_std(fan_in, fan_out)`: the
# **standard deviation** (not the variance) of that compromise, as in `torch.nn.init.xavier_normal_` (gain 1).

# %% nbgrader={"grade": false, "grade_id": "xavier_std", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xavier_std(fan_in, fan_out):
    """Xavier's (Glorot's) standard deviation of a layer's weights, for tanh-like units.

    Parameters
    ----------
    fan_in : int, the inputs of the layer
    fan_out : int, its units

    Returns
    -------
    std : float
    """
    ### BEGIN SOLUTION
    return float(np.sqrt(2.0 / (fan_in + fan_out)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_xavier_std", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""xavier_std: the standard deviation that balances the forward and the backward pass (2 points)"""
std = xavier_std(200, 50)
check_type(std, (float, np.floating), "xavier_std(200, 50)")
check_close(std, 0.08944271909999159, "xavier_std(200, 50)", hints={
    "that is the variance: return the standard deviation": 0.08944271909999159 ** 2,
    "that keeps only the forward pass (1 / fan_in): Xavier averages fan_in and fan_out": np.sqrt(1 / 200),
    "that keeps only the backward pass (1 / fan_out): Xavier averages fan_in and fan_out": np.sqrt(1 / 50),
    "that uses the sum of fan_in and fan_out: the average is half their sum": np.sqrt(1 / 250),
    "that is the bound of a uniform with this standard deviation, not the standard deviation itself":
        1.7320508075688772 * 0.08944271909999159})
check_close(xavier_std(64, 64), 0.125, "xavier_std(64, 64)",
            hints={"that is the variance, not the standard deviation": 0.125 ** 2})
### BEGIN HIDDEN TESTS
for fan_in, fan_out in [(1, 1), (1, 9), (784, 10), (3, 300), (512, 512), (7, 2)]:
    expected = np.sqrt(2 / (fan_in + fan_out))
    hints = {"that is the variance: return the standard deviation": 2 / (fan_in + fan_out),
             "that keeps only the forward pass (1 / fan_in)": np.sqrt(1 / fan_in),
             "that keeps only the backward pass (1 / fan_out)": np.sqrt(1 / fan_out),
             "that is 1 / (fan_in + fan_out): the average is half the sum": np.sqrt(1 / (fan_in + fan_out))}
    check_close(xavier_std(fan_in, fan_out), expected, f"xavier_std({fan_in}, {fan_out})", hints=hints)
check_close(xavier_std(np.int64(30), np.int64(20)), 0.2, "xavier_std of numpy integers")
### END HIDDEN TESTS

# %% [markdown]
# ## 5. He (Kaiming) initialisation: derive it
#
# ReLU sets the negative half of its inputs to 0, so the approximation $\mathbb{E}[a^2] \approx \operatorname{Var}(z)$
# of section 4 no longer holds.
#
# **Exercise (derive, then code).** (a) For a pre-activation $z$ whose distribution is symmetric around 0,
# express $\mathbb{E}[\operatorname{relu}(z)^2]$ in terms of $\operatorname{Var}(z)$ (split the expectation
# into the halves $z > 0$ and $z < 0$). (b) Put it into the recursion of section 3 and choose
# $\operatorname{Var}(w)$, depending on the **fan-in only**, so that $\operatorname{Var}(z^{[l]})$ stays the
# same from layer to layer (He et al., 2015). Implement `he_std(fan_in, fan_out)`, the standard deviation
# of `torch.nn.init.kaiming_normal_(W, mode="fan_in", nonlinearity="relu")`. (`fan_out` is unused; it lets
# both functions fit `init_mlp(sizes, rng, std)` from `support`.)

# %% nbgrader={"grade": false, "grade_id": "he_std", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he_std(fan_in, fan_out):
    """He's (Kaiming's) standard deviation of a layer's weights, for ReLU units.

    Parameters
    ----------
    fan_in : int, the inputs of the layer
    fan_out : int, its units (unused)

    Returns
    -------
    std : float
    """
    ### BEGIN SOLUTION
    return float(np.sqrt(2.0 / fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_he_std", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""he_std: the standard deviation that keeps a ReLU layer's variance (2 points)"""
xavier_std_200_50 = 0.08944271909999159            # Xavier's answer for the same layer
std = he_std(200, 50)
check_type(std, (float, np.floating), "he_std(200, 50)")
check_close(std, 0.1, "he_std(200, 50)", hints={
    "that is the variance: return the standard deviation": 0.1 ** 2,
    "that uses fan_out: He's derivation keeps the forward pass, so it depends on the fan-in": 0.2,
    "that is 1 / fan_in, the identity's answer: ReLU zeroes half of its inputs, and the derivation must make "
    "up for it": np.sqrt(1 / 200),
    "that is Xavier's average of fan_in and fan_out: He uses the fan-in only": xavier_std_200_50,
    "that is the bound of a uniform with this standard deviation, not the standard deviation itself":
        1.7320508075688772 * 0.1})
### BEGIN HIDDEN TESTS
for fan_in, fan_out in [(1, 1), (1, 9), (784, 10), (3, 300), (512, 512), (7, 2)]:
    expected = np.sqrt(2 / fan_in)
    hints = {"that is the variance: return the standard deviation": 2 / fan_in,
             "that uses fan_out: He's derivation depends on the fan-in": np.sqrt(2 / fan_out),
             "that is 1 / fan_in: ReLU zeroes half of its inputs": np.sqrt(1 / fan_in),
             "that is Xavier's average: He uses the fan-in only": np.sqrt(2 / (fan_in + fan_out))}
    check_close(he_std(fan_in, fan_out), expected, f"he_std({fan_in}, {fan_out})", hints=hints)
check_close(he_std(np.int64(50), np.int64(3)), 0.2, "he_std of numpy integers")
### END HIDDEN TESTS

# %% [markdown]
# With `xavier_std` or `he_std`, your `init_layer` gives PyTorch's `xavier_normal_`, `xavier_uniform_`,
# `kaiming_normal_` and `kaiming_uniform_`. Their sample standard deviation against the formula:

# %%
fan_in, fan_out = 256, 64
for name, std_of in (("xavier", xavier_std), ("he", he_std)):
    for distribution in ("normal", "uniform"):
        W = init_layer(fan_in, fan_out, std_of(fan_in, fan_out), rng, distribution)
        print(f"{name}_{distribution:<7}: shape {W.shape}, sample std {W.std():.3f}, "
              f"formula {std_of(fan_in, fan_out):.3f}, largest |w| {np.abs(W).max():.2f}")


# %% [markdown]
# ## 6. Ten layers of tanh and of ReLU
#
# The same inputs through ten layers of 128 units: histograms of the activations of every other layer
# (darker lines are earlier layers) and, on the right, each layer's standard deviation.
#
# **Predict before you run.** For each of the five networks below (tanh with $\mathcal{N}(0, 0.01^2)$,
# $\mathcal{U}(-0.5, 0.5)$ and Xavier; ReLU with Xavier and He), write down whether the standard deviation
# of layer 10's activations will be about the same as layer 1's, much smaller, or stuck near 1 (saturated).
# For ReLU with Xavier, use your derivation of section 5: by what factor does the variance change per
# layer? Then run the cells and compare.

# %%
def activations_per_layer(X, weights, f):
    # The activation after every layer of a bias-free network.
    A, activations = X, []
    for W in weights:
        A = f(A @ W.T)
        activations.append(A)
    return activations


relu = ACTIVATIONS["relu"][0]
shown = [0, 2, 4, 6, 9]                                   # layers 1, 3, 5, 7 and 10
labels = [f"layer {l + 1}" for l in shown]
tanh_schemes = {
    "N(0, 0.01²)": deep_weights(lambda fan_in, fan_out: init_layer(fan_in, fan_out, 0.01, rng)),
    "U(-0.5, 0.5)": deep_weights(lambda fan_in, fan_out: rng.uniform(-0.5, 0.5, size=(fan_out, fan_in))),
    "Xavier": deep_weights(lambda fan_in, fan_out: init_layer(fan_in, fan_out, xavier_std(fan_in, fan_out), rng)),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
for ax, (name, weights) in zip(axes, tanh_schemes.items()):
    activations = activations_per_layer(X_deep, weights, np.tanh)
    plots.layer_histograms(ax, [activations[l] for l in shown], bins=50, labels=labels, range=(-1, 1))
    ax.set_title(f"tanh, {name}")
axes[0].set_yscale("log")
plt.show()

# %% [markdown]
# With tanh, $\mathcal{N}(0, 0.01^2)$ collapses to 0 (log scale), $\mathcal{U}(-0.5, 0.5)$ piles up at $\pm 1$
# (saturated), and Xavier keeps a spread in the steep part of tanh. With ReLU (the histograms show the
# positive half), Xavier's $2/(n_{in} + n_{out}) = 1/n_{in}$ here is half of what ReLU needs: the
# activations shrink by $\sqrt{2}$ per layer. He's $2/n_{in}$ keeps their scale through all ten layers.

# %%
relu_schemes = {
    "Xavier": deep_weights(lambda fan_in, fan_out: init_layer(fan_in, fan_out, xavier_std(fan_in, fan_out), rng)),
    "He": deep_weights(lambda fan_in, fan_out: init_layer(fan_in, fan_out, he_std(fan_in, fan_out), rng)),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
for ax, (name, weights) in zip(axes, relu_schemes.items()):
    activations = activations_per_layer(X_deep, weights, relu)
    plots.layer_histograms(ax, [activations[l][activations[l] > 0] for l in shown], bins=50, labels=labels,
                           range=(0, 3))
    ax.set_title(f"ReLU, {name}: the positive activations")
spread = {}
for activation, f, schemes in [("tanh", np.tanh, tanh_schemes), ("relu", relu, relu_schemes)]:
    for name, weights in schemes.items():
        spread[f"{activation}, {name}"] = [s for _, s in layer_activation_stats(X_deep, weights, f)]
plots.layer_norms(axes[2], spread, title="std of the activations per layer")
axes[2].set_ylabel("standard deviation")
axes[2].legend(fontsize=8)
plt.show()
for name, stds in spread.items():
    print(f"{name:>18}: std of layer 10 / std of layer 1 = {stds[-1] / stds[0]:.1e}")

# %% [markdown]
# ## 7. Training after each scheme
#
# A network with three tanh hidden layers of 64 units, trained on the moons after each of the lecture's
# schemes, plus Xavier and He (biases start at 0). The table gives the fraction of hidden activations
# saturated at the start ($|a| > 0.99$), the final cost $J$ and accuracy, and the distinct units per hidden
# layer *after* training.

# %%
# NBVAL_IGNORE_OUTPUT
# (the costs of the saturated and erratic runs depend on the last digits of matrix products, which differ
#  from CPU to CPU; tests/test_notebook_claims.py checks what the text below says about each scheme)
sizes = [2, 64, 64, 64, 2]


def init_params(init_weights):
    # Weights from init_weights(fan_in, fan_out) and zero biases, keyed like 03's network.
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"], params[f"b{l}"] = init_weights(fan_in, fan_out), np.zeros(fan_out)
    return params


schemes = {
    "zeros": lambda fan_in, fan_out: np.zeros((fan_out, fan_in)),
    "constant 0.5": lambda fan_in, fan_out: np.full((fan_out, fan_in), 0.5),
    "U(0, 1)": lambda fan_in, fan_out: rng.uniform(0.0, 1.0, size=(fan_out, fan_in)),
    "U(-0.5, 0.5)": lambda fan_in, fan_out: rng.uniform(-0.5, 0.5, size=(fan_out, fan_in)),
    "N(0, 0.01²)": lambda fan_in, fan_out: init_layer(fan_in, fan_out, 0.01, rng),
    "Xavier": lambda fan_in, fan_out: init_layer(fan_in, fan_out, xavier_std(fan_in, fan_out), rng, "uniform"),
    "He": lambda fan_in, fan_out: init_layer(fan_in, fan_out, he_std(fan_in, fan_out), rng),
}


def tanh_cost(params, X, y):
    return mlp_loss_and_grads(params, X, y, tanh_pair)


costs, rows, trained = {}, [], {}
for name, init_weights in schemes.items():
    params = init_params(init_weights)
    _, (caches, _) = mlp_forward(X_moons, params, tanh_pair)
    saturated = np.mean([np.mean(np.abs(np.tanh(Z)) > 0.99) for _, Z in caches[:-1]])
    history = train(params, tanh_cost, SGD(lr=0.3), X_moons, y_moons, epochs=100, batch_size=50, rng=rng, desc=name)
    costs[name] = history["loss"]
    trained[name] = params
    accuracy = np.mean(mlp_predict(params, X_moons, tanh_pair) == y_moons)
    units = [distinct_units(params[f"W{l}"]) for l in range(1, len(sizes) - 1)]
    rows.append(f"{name:>13} {saturated:10.2f} {history['loss'][-1]:8.3f} {accuracy:9.2f}   {units}")
print(f"{'scheme':>13} {'saturated':>10} {'final J':>8} {'accuracy':>9}   distinct units per hidden layer")
print("\n".join(rows))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, costs, keys=list(schemes), title="training cost J on the moons, per initialisation", logy=True)
ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))     # zeros lies under N(0, 0.01²), at log 2
plt.show()

# %% [markdown]
# What the table and the curves show:
#
# - **zeros**: no error flows back through zero weights; the network stays at $\log 2$ (under N(0, 0.01²)'s curve).
# - **constant 0.5**: one distinct unit per layer, saturated from the start. Its cost ends **above**
#   $\log 2$: as the cell below shows, the last hidden layer gives the output one binary feature ($\pm 1$,
#   the same in all 64 units), which cannot separate the moons, and the output answers confidently and often wrongly.
# - **U(0, 1)**: more than half of the units start saturated; the few gradients that get through are large
#   and erratic, and the network fits far worse than the scaled schemes.
# - **N(0, 0.01²)**: symmetry is broken, but signal and gradients vanish: the cost sits at $\log 2$.
# - **U(−0.5, 0.5)**, **Xavier**, **He**: all learn the moons (section 6 showed where U(−0.5, 0.5) fails).

# %%
# NBVAL_IGNORE_OUTPUT
params = trained["constant 0.5"]
A = X_moons
for l in (1, 2, 3):
    A = np.tanh(A @ params[f"W{l}"].T + params[f"b{l}"])
logits, _ = mlp_forward(X_moons, params, tanh_pair)
print("values of the last hidden layer (rounded):", np.unique(np.round(A, 3)))
print("distinct units in that layer:", distinct_units(params["W3"]))
print(f"mean |logit difference|: {np.abs(logits[:, 0] - logits[:, 1]).mean():.1f}  (0 would mean 50/50)")
print(f"accuracy {np.mean(np.argmax(logits, axis=1) == y_moons):.2f}, final J {costs['constant 0.5'][-1]:.2f} "
      f"> log 2 = {np.log(2):.2f}")

# %% [markdown]
# ## 8. Wide networks, and their appetite
#
# *What is a wide neural network?* One with many units per layer. Below, one hidden ReLU layer (He's
# initialisation) of width 16 and of width 512, trained on the spirals for the same number of epochs, with
# 30% of the samples held out (`val_fraction=0.3`); then both again on only 30 samples.

# %%
X_sp, y_sp = datasets.spirals(rng, n_per_class=100, n_classes=3)
X_tr, X_val, y_tr, y_val = datasets.train_val_split(X_sp, y_sp, val_fraction=0.3, rng=rng)
relu_pair = ACTIVATIONS["relu"]
widths = (16, 512)
print(f"{'width':>5} {'parameters':>11} {'multiply-adds per sample':>25}")
for h in widths:
    print(f"{h:5d} {h * 2 + h + 3 * h + 3:11d} {2 * h + h * 3:25d}")
width_runs = {}
for n_train, epochs in ((len(X_tr), 40), (30, 280)):                # the same number of steps
    for h in widths:
        params = init_mlp([2, h, 3], rng, he_std)
        start = time.process_time()
        history = train(params, lambda p, X, y: mlp_loss_and_grads(p, X, y, relu_pair), SGD(lr=0.2),
                        X_tr[:n_train], y_tr[:n_train], epochs=epochs, batch_size=32, rng=rng,
                        desc=f"width {h}, {n_train} samples")
        seconds = time.process_time() - start
        train_acc = np.mean(mlp_predict(params, X_tr[:n_train], relu_pair) == y_tr[:n_train])
        val_acc = np.mean(mlp_predict(params, X_val, relu_pair) == y_val)
        width_runs[n_train, h] = (history["loss"][-1], train_acc, val_acc, seconds)

# %%
# NBVAL_IGNORE_OUTPUT
# (the accuracies and timings change with the CPU and the machine's load; tests/test_notebook_claims.py
#  checks what the model answer of Question 2 says about them)
print(f"{'samples':>7} {'width':>5} {'final J':>8} {'train acc':>10} {'val acc':>8} {'CPU seconds':>12}")
for (n_train, h), (cost, train_acc, val_acc, seconds) in width_runs.items():
    print(f"{n_train:7d} {h:5d} {cost:8.2f} {train_acc:10.2f} {val_acc:8.2f} {seconds:12.2f}")

# %% [markdown]
# Compare the rows: Question 2 asks what the width bought and what it cost, in data and in computation. At
# real sizes the computation is affordable only with **optimised libraries** (BLAS, cuBLAS/cuDNN on a GPU);
# on matrices this small, the fixed cost of each NumPy call hides part of the difference in the CPU
# timings, so compare the multiply-adds instead.

# %% [markdown]
# ## 9. The scale of the inputs matters too
#
# Xavier and He assume every layer's inputs have a variance of about 1, the inputs $X$ included. The fish
# features are in their own units (lightness around 6, width around 18), so the first layer's
# pre-activations are about 10 times larger than the scheme expects; standardising each feature (mean 0,
# standard deviation 1) restores the assumption. Below: raw against standardised features, with tanh +
# Xavier and ReLU + He (dead units counted with 04's `dead_fraction`).

# %%
# NBVAL_IGNORE_OUTPUT
# (a saturated or exploding start makes training chaotic: the figures change with the last digits of matrix
#  products, which differ from CPU to CPU; tests/test_notebook_claims.py checks what the text below says)
X_fish, y_fish = datasets.fish(rng, n_per_class=100)
X_standard = (X_fish - X_fish.mean(axis=0)) / X_fish.std(axis=0)
inputs = {"raw": X_fish, "standardised": X_standard}
setups = {"tanh": xavier_std, "relu": he_std}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for ax, (activation, std_of) in zip(axes, setups.items()):
    pair = ACTIVATIONS[activation]
    curves = {}
    for input_name, X in inputs.items():
        params = init_mlp([2, 32, 32, 2], rng, std_of)
        (mean1, std1), = layer_activation_stats(X, [params["W1"]], pair[0])
        history = train(params, lambda p, X, y: mlp_loss_and_grads(p, X, y, pair), SGD(lr=0.1),
                        X, y_fish, epochs=60, batch_size=50, rng=rng, desc=f"{activation}, {input_name}")
        accuracy = np.mean(mlp_predict(params, X, pair) == y_fish)
        dead = dead_fraction(pair[0](X @ params["W1"].T + params["b1"]))
        print(f"{activation}, {input_name:>12}: layer 1 activations mean {mean1:6.2f} std {std1:5.2f}; "
              f"J {history['loss'][0]:.3f} -> {history['loss'][-1]:.3f}, accuracy {accuracy:.2f}"
              + (f", dead units in layer 1: {dead:.0%}" if activation == "relu" else ""))
        curves[input_name] = history["loss"]
    plots.curves(ax, curves, keys=list(inputs), logy=True,
                 title=f"{activation} + {std_of.__name__}: raw vs standardised features")
plt.show()

# %% [markdown]
# With raw features the first tanh layer starts saturated (activations near $\pm 1$) and the cost stays high
# and noisy. The ReLU network starts with a large cost; its first steps kill most or all of its first-layer
# units (a *dead* ReLU outputs 0 for every input and never gets a gradient again), and its cost stays far
# above the standardised run's.

# %% [markdown]
# ## 10. Questions from the lecture
#
# Answer in your own words. Your instructor grades them with the rubric shown in the solutions.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_zero_weights", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** The lecture says that initialising the **biases** with zero is fine, but not the
# **weights**. Why? What goes wrong with zero (or constant) weights, and why do zero biases not cause the same
# problem? Refer to a result of this notebook. Answer in two or three sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_zero_weights", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# With equal weights every unit of a layer has the same activation, so backpropagation gives each the same
# gradient and they stay equal after every update: the symmetry never breaks, and 64 units act as one (one
# distinct unit per layer in section 7). Zero weights even send back no error. Zero biases are harmless:
# random weights already make the units differ, so each bias gets its own gradient.
#
# **Rubric (2 points).** 1 point: equal weights ⇒ equal activations ⇒ equal gradients ⇒ the units stay
# identical (symmetry is never broken), with a result of the notebook (one distinct unit per layer in
# section 7 or section 1's demonstration); "zero weights give zero gradients" alone earns half a point.
# 1 point: biases may be 0 because random **weights** already make the units differ, so each bias gets its
# own gradient; an answer that says biases "do not matter" earns no point for this part.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_wide", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** *Do deep neural networks really perform better? "If you can satiate their
# appetite: data for starter, hardware for the main course, on the bed of optimised libraries."* Using
# section 8, say what the width of 512 bought on the spirals, and what it cost in data and in computation.
# Answer in two or three sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_wide", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# On the full training set, width 512 reached a much lower cost and a higher validation accuracy than width
# 16 in the same epochs. The price: 32 times the multiply-adds per sample (31 times the parameters),
# affordable at scale only with fast hardware and optimised libraries; and data: on 30 samples it fit its
# training set perfectly (accuracy 1.00) but validated well below its full-data value: it memorised.
#
# **Rubric (2 points).** 1 point: what width bought, with section 8's figures (lower cost and higher
# validation accuracy than width 16 after the same epochs). 1 point: the two costs, each with evidence:
# computation (32× the multiply-adds, or the parameter count; hardware/optimised libraries) **and** data
# (training accuracy 1.00 but lower validation accuracy on 30 samples: overfitting); only one of the two
# earns half a point.

# %% [markdown]
# <div style="border: 2px solid #4a7; padding: 0.6em 1em; border-radius: 6px">
#
# **What to remember**
#
# - Weights are `(fan_out, fan_in)`. Zero or constant weights keep the units of a layer identical
#   (symmetry); biases may start at 0.
# - $\operatorname{Var}(z) = n_{in}\operatorname{Var}(w)\,\mathbb{E}[a^2]$: too small a weight variance vanishes
#   with depth, too large saturates (tanh) or explodes (ReLU). Mean 0, variance matched to the layer.
# - Xavier: $\operatorname{Var}(w) = 2/(n_{in} + n_{out})$ (tanh); He: $2/n_{in}$ (ReLU, which zeroes half its
#   inputs). A uniform with the same variance works as well.
# - Width buys capacity, at the price of computation (optimised libraries, hardware) and data.
# - Initialisation assumes standardised inputs.
# </div>
#
# ## Summary
#
# - Random weights break the symmetry; their standard deviation, not their distribution's shape, decides
#   whether the signal keeps its size through the layers.
# - You derived Xavier's and He's standard deviations (`torch.nn.init`'s `xavier_*_` and
#   `kaiming_*_`) and the uniform bound $\sqrt{3}\,\sigma$.
# - Always draw from the generator you are given: same seed, same network.
#
# **Next:** `06_regularisation` keeps a well-initialised network from overfitting: L2, dropout and early stopping.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
