# %% [markdown]
# # 05 · Initialisation: zero, constant, uniform, Gaussian, Xavier, He — and why
#
# **Lecture:** *Review of Neural Networks*, the three slides "How to initialise network parameters?"
# (zeros, a constant, then random weights: uniform $[0, 1]$, uniform $[-0.5, 0.5]$, Gaussian with mean 0
# and small variance), read together with the activation slides (saturating tanh, ReLU). The scaled
# schemes follow Glorot & Bengio (2010) and He et al. (2015), as PyTorch's `torch.nn.init` implements them.
#
# By the end of this notebook you will be able to
#
# 1. explain why all-zero or constant weights never let the hidden units of a layer become different,
#    and count the distinct units of a layer;
# 2. draw weight matrices of shape `(fan_out, fan_in)` from a uniform or a Gaussian distribution, always
#    with the generator you are given;
# 3. follow the mean and spread of the activations through a deep network, and see them **vanish** or
#    **saturate** when the weights are too small or too large;
# 4. derive and implement **Xavier** (Glorot) and **He** (Kaiming) initialisation, which scale the
#    variance of the weights by the layer's fan-in (and fan-out), exactly as `torch.nn.init` does;
# 5. see the consequences on training: symmetry, saturation, loss curves, and the scale of the inputs.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# The random initialisers are checked *statistically* on many draws (bounds, mean and standard
# deviation), and they must take their randomness from the `rng` argument only.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, layers, mlp, plots
from nnlib.grading import check_array, check_close, check_shape, check_type, forbid_delegation, matches
from nnlib.train import SGD, train

rng = np.random.default_rng(472)


# %% [markdown]
# The next cell defines three checks that the test cells use for random weight matrices (you cannot
# compare a random matrix with a fixed answer, so they look at its shape, its statistics and where
# its randomness comes from). Run it; it is locked.

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
# A layer with $n_{in}$ inputs (its **fan-in**) and $n_{out}$ units (its **fan-out**) has a weight matrix
# $W \in \mathbb{R}^{n_{out} \times n_{in}}$ and a bias $b \in \mathbb{R}^{n_{out}}$; a batch goes through as
# $Z = X W^\top + b$. Row $j$ of $W$ holds the incoming weights of unit $j$. Every initialiser in this
# notebook therefore takes `(fan_in, fan_out)` and returns an array of shape **`(fan_out, fan_in)`**, the
# layout of PyTorch's `nn.Linear(fan_in, fan_out).weight`.
#
# The lecture's first two ideas are the simplest: set every weight to **zero**, or to the same **constant**
# (PyTorch: `torch.nn.init.zeros_`, `torch.nn.init.constant_`).
#
# **Exercise.** Implement `init_zeros` and `init_constant`. Return float64 arrays, even when `value` is an int.

# %% nbgrader={"grade": false, "grade_id": "init_zeros", "locked": false, "schema_version": 3, "solution": true, "task": false}
def init_zeros(fan_in, fan_out):
    """All-zero weights of a layer with `fan_in` inputs and `fan_out` units.

    Parameters
    ----------
    fan_in : int
    fan_out : int

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64
    """
    ### BEGIN SOLUTION
    return np.zeros((fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_init_zeros", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""init_zeros: shape (fan_out, fan_in), float64, all zeros (1 point)"""
W = init_zeros(3, 5)                      # fan_in = 3 inputs, fan_out = 5 units
check_weights(W, 3, 5, "init_zeros(3, 5)")
check_array(W, np.zeros((5, 3)), "init_zeros(3, 5)")
### BEGIN HIDDEN TESTS
with forbid_delegation(mlp.init_mlp):
    for fan_in, fan_out in [(1, 1), (7, 2), (1, 9), (4, 6)]:
        W = init_zeros(fan_in, fan_out)
        check_weights(W, fan_in, fan_out, f"init_zeros({fan_in}, {fan_out})")
        check_array(W, np.zeros((fan_out, fan_in)), f"init_zeros({fan_in}, {fan_out})")
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "init_constant", "locked": false, "schema_version": 3, "solution": true, "task": false}
def init_constant(fan_in, fan_out, value):
    """Weights that all equal `value`.

    Parameters
    ----------
    fan_in : int
    fan_out : int
    value : float (or int)

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, every entry `value`
    """
    ### BEGIN SOLUTION
    return np.full((fan_out, fan_in), value, dtype=np.float64)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_init_constant", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""init_constant: shape (fan_out, fan_in), float64, every entry the value (1 point)"""
W = init_constant(3, 5, 0.25)
check_weights(W, 3, 5, "init_constant(3, 5, 0.25)")
check_array(W, np.full((5, 3), 0.25), "init_constant(3, 5, 0.25)")
W = init_constant(2, 4, 3)                # an int value must still give float weights
check_weights(W, 2, 4, "init_constant(2, 4, 3)")
check_array(W, np.full((4, 2), 3.0), "init_constant(2, 4, 3)")
### BEGIN HIDDEN TESTS
with forbid_delegation(mlp.init_mlp):
    for fan_in, fan_out, value in [(1, 1, -2.5), (7, 2, 1e-3), (1, 9, 0), (4, 6, 7)]:
        W = init_constant(fan_in, fan_out, value)
        name = f"init_constant({fan_in}, {fan_out}, {value})"
        check_weights(W, fan_in, fan_out, name)
        check_array(W, np.full((fan_out, fan_in), float(value)), name)
### END HIDDEN TESTS

# %% [markdown]
# ### Counting the distinct units of a layer
#
# Two hidden units with equal incoming weights (equal rows of $W$) compute the same function of the input:
# the layer has fewer *distinct* units than it seems. To watch symmetry at work we need to count them.
# Rows that differ by at most a tiny tolerance in every entry, $\max_i |W_{ji} - W_{ki}| \le$ `atol`,
# count as the same unit (training adds rounding noise of about $10^{-16}$).
#
# **Exercise.** Implement `distinct_units(W, atol=1e-8)`: the number of distinct **rows** of `W`, where two
# rows are the same when every entry differs by at most `atol` (an *absolute* tolerance only). Return an int.

# %% nbgrader={"grade": false, "grade_id": "distinct_units", "locked": false, "schema_version": 3, "solution": true, "task": false}
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
    ### BEGIN SOLUTION
    representatives = []
    for row in W:
        if not any(np.max(np.abs(row - r)) <= atol for r in representatives):
            representatives.append(row)
    return len(representatives)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_distinct_units", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""distinct_units: rows equal up to atol are one unit (2 points)"""
W = np.array([[1.0, 1.0, 2.0, 2.0],
              [1.0, 1.0, 2.0, 2.0],
              [1.0, 1.0, 2.0 + 1e-10, 2.0 + 1e-10],     # the same unit as rows 0 and 1, up to 1e-10
              [0.0, 0.0, 2.0, 2.0],
              [3.0, 3.0, 3.0, 3.0]])                    # 5 units, 4 inputs
n = distinct_units(W)
check_type(n, (int, np.integer), "distinct_units(W)")
check_close(n, 3, "distinct_units(W)", hints={
    "rows that differ by at most atol are the same unit: compare with the tolerance, not exact equality": 4,
    "count distinct rows (the units), not columns: W has shape (fan_out, fan_in)": 2,
    "count distinct rows (the units), not distinct values": 5})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(6061)
check_close(distinct_units(_rng.normal(size=(7, 4))), 7, "distinct_units of 7 random rows of 4",
            hints={"count distinct rows (the units), not columns: W has shape (fan_out, fan_in)": 4})
check_close(distinct_units(np.zeros((6, 3))), 1, "distinct_units of zeros (6, 3)")
check_close(distinct_units(_rng.normal(size=(1, 5))), 1, "distinct_units of a single row")
base = _rng.normal(size=(3, 8))
W = base[[0, 1, 2, 0, 1, 2, 2, 0, 1]] + 1e-12 * _rng.normal(size=(9, 8))
check_close(distinct_units(W), 3, "distinct_units of 3 units repeated with 1e-12 noise", hints={
    "rows that differ by at most atol are the same unit: compare with the tolerance, not exact equality": 9})
W = np.vstack([base, base + 1e-3])
check_close(distinct_units(W, atol=1e-2), 3, "distinct_units(W, atol=1e-2) of rows 1e-3 apart",
            hints={"the atol argument was ignored": 6})
check_close(distinct_units(W), 6, "distinct_units(W) of rows 1e-3 apart, atol=1e-8")
W = np.array([[1e6, 2e6, -3e6], [1e6 + 1.0, 2e6, -3e6], [1e6, 2e6, -3e6]])
check_close(distinct_units(W), 2, "distinct_units of rows near 1e6 that differ by 1.0", hints={
    "an absolute tolerance only: np.allclose/np.isclose also apply a relative one (rtol=1e-05); pass rtol=0": 1})
W32 = np.vstack([base, base]).astype(np.float32)
check_close(distinct_units(W32), 3, "distinct_units of float32 rows")
### END HIDDEN TESTS

# %% [markdown]
# ### Symmetry never breaks
#
# Below, a small tanh network (2 inputs, 4 hidden units, 2 classes) starts from the constant 0.5 and is
# trained on the moons for 30 epochs. Every hidden unit sees the same inputs through the same weights, so
# it has the same activation; backpropagation then sends every hidden unit the same error, so every row
# of $W^{[1]}$ gets the same update. The four units stay one.

# %%
X_moons, y_moons = datasets.moons(rng, n=200, noise=0.15)
params = {"W1": init_constant(2, 4, 0.5), "b1": np.zeros(4),
          "W2": init_constant(4, 2, 0.5), "b2": np.zeros(2)}
train(params, lambda p, X, y: mlp.mlp_loss_and_grads(p, X, y, "tanh"), SGD(lr=0.5), X_moons, y_moons,
      epochs=30, batch_size=50, rng=rng, desc="constant 0.5")
print("W1 after training (one row per hidden unit):")
print(np.round(params["W1"], 4))
print("distinct hidden units:", distinct_units(params["W1"]), "of", len(params["W1"]))


# %% [markdown]
# ## 2. Random weights: uniform and Gaussian
#
# Random weights break the symmetry: each unit starts from its own row. The lecture asks *following what
# distribution?* and lists three candidates: uniform on $[0, 1]$, uniform on $[-0.5, 0.5]$, and a
# Gaussian with mean 0 and small variance. In PyTorch these are `torch.nn.init.uniform_(W, a, b)`, which
# draws from $\mathcal{U}(a, b)$, and `torch.nn.init.normal_(W, mean=0, std)`, which draws from
# $\mathcal{N}(0, \text{std}^2)$: note that the argument is the **standard deviation**, not the variance.
#
# Every random initialiser takes the notebook's generator `rng` (a `np.random.Generator`) and draws from it,
# e.g. `rng.uniform(low, high, size=...)` or `rng.normal(0.0, std, size=...)`. Never use the legacy global
# functions `np.random.rand`, `np.random.normal`, ...: results then depend on hidden global state, and the
# same seed no longer gives the same network.
#
# **Exercise.** Implement `init_uniform` ($\mathcal{U}(\text{low}, \text{high})$) and `init_normal`
# ($\mathcal{N}(0, \text{std}^2)$), both of shape `(fan_out, fan_in)`.

# %% nbgrader={"grade": false, "grade_id": "init_uniform", "locked": false, "schema_version": 3, "solution": true, "task": false}
def init_uniform(fan_in, fan_out, low, high, rng):
    """Weights drawn independently from the uniform distribution U(low, high).

    Parameters
    ----------
    fan_in : int
    fan_out : int
    low, high : float, low < high
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, values in [low, high]
    """
    ### BEGIN SOLUTION
    return rng.uniform(low, high, size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_init_uniform", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""init_uniform: shape, bounds, mean and spread, and draws from rng (2 points)"""
W = init_uniform(3, 5, -0.5, 0.5, np.random.default_rng(0))
check_weights(W, 3, 5, "init_uniform(3, 5, -0.5, 0.5, rng)")
check_draws_from_rng(lambda r: init_uniform(3, 5, -0.5, 0.5, r), "init_uniform")
W = init_uniform(200, 500, -0.3, 0.7, np.random.default_rng(1))
n = W.size
check_statistic(W.mean(), 0.2, "the mean of init_uniform(200, 500, -0.3, 0.7, rng)", atol=5 * 0.29 / np.sqrt(n),
                hints={"values start at 0: draw from [low, high), e.g. low + (high - low) * rng.random(...)": 0.5,
                       "`low` was ignored: draw from [low, high), not [0, high)": 0.35})
check_statistic(W.std(), 1 / np.sqrt(12), "the standard deviation of init_uniform(200, 500, -0.3, 0.7, rng)")
assert W.min() >= -0.3 and W.max() <= 0.7, "init_uniform: values outside [low, high]"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5005)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: init_uniform(4, 6, -1.0, 1.0, r), "init_uniform")
    for fan_in, fan_out, low, high in [(500, 120, 2.0, 2.5), (150, 400, -1e-3, 1e-3), (300, 300, 0.0, 1.0)]:
        W = init_uniform(fan_in, fan_out, low, high, _rng)
        name = f"init_uniform({fan_in}, {fan_out}, {low}, {high}, rng)"
        check_weights(W, fan_in, fan_out, name)
        width = high - low
        check_statistic(W.mean(), (low + high) / 2, f"the mean of {name}", atol=5 * width / np.sqrt(12 * W.size),
                        hints={"values start at 0: draw from [low, high), e.g. low + (high - low) * rng.random(...)":
                               width / 2,
                               "`low` was ignored: draw from [low, high), not [0, high)": high / 2})
        check_statistic(W.std(), width / np.sqrt(12), f"the standard deviation of {name}")
        assert W.min() >= low and W.max() <= high, f"{name}: values outside [low, high]"
        assert W.min() < low + 0.01 * width and W.max() > high - 0.01 * width, \
            f"{name}: the values do not fill [low, high]"
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        check_weights(init_uniform(fan_in, fan_out, 0.0, 1.0, _rng), fan_in, fan_out,
                      f"init_uniform({fan_in}, {fan_out}, 0.0, 1.0, rng)")
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "init_normal", "locked": false, "schema_version": 3, "solution": true, "task": false}
def init_normal(fan_in, fan_out, std, rng):
    """Weights drawn independently from the Gaussian N(0, std**2).

    Parameters
    ----------
    fan_in : int
    fan_out : int
    std : float > 0
        The standard deviation (not the variance).
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64
    """
    ### BEGIN SOLUTION
    return rng.normal(0.0, std, size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_init_normal", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""init_normal: shape, mean 0, standard deviation std, and draws from rng (2 points)"""
W = init_normal(3, 5, 0.1, np.random.default_rng(0))
check_weights(W, 3, 5, "init_normal(3, 5, 0.1, rng)")
check_draws_from_rng(lambda r: init_normal(3, 5, 0.1, r), "init_normal")
W = init_normal(200, 500, 0.05, np.random.default_rng(1))
check_statistic(W.std(), 0.05, "the standard deviation of init_normal(200, 500, 0.05, rng)", hints={
    "that is std**2, the variance: numpy's `scale` is the standard deviation, pass std itself": 0.05 ** 2,
    "that is sqrt(std): `std` already is the standard deviation, pass it as numpy's `scale`": np.sqrt(0.05)})
check_statistic(W.mean(), 0.0, "the mean of init_normal(200, 500, 0.05, rng)", atol=5 * 0.05 / np.sqrt(W.size))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4004)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: init_normal(4, 6, 1.0, r), "init_normal")
    for fan_in, fan_out, std in [(500, 120, 3.0), (150, 400, 0.01)]:
        W = init_normal(fan_in, fan_out, std, _rng)
        name = f"init_normal({fan_in}, {fan_out}, {std}, rng)"
        check_weights(W, fan_in, fan_out, name)
        check_statistic(W.std(), std, f"the standard deviation of {name}", hints={
            "that is std**2, the variance: numpy's `scale` is the standard deviation, pass std itself": std ** 2,
            "that is sqrt(std): `std` already is the standard deviation, pass it as numpy's `scale`": np.sqrt(std)})
        check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * std / np.sqrt(W.size))
        tail = np.mean(np.abs(W) > 2 * std)
        assert 0.035 < tail < 0.056, \
            f"{name}: {tail:.1%} of the values lie beyond 2 std (a Gaussian has 4.6%): draw from a normal distribution"
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        check_weights(init_normal(fan_in, fan_out, 0.5, _rng), fan_in, fan_out,
                      f"init_normal({fan_in}, {fan_out}, 0.5, rng)")
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Following the activations through the layers
#
# Why *mean 0* and *small variance*? Take one unit of layer $l$ with $n_{in}$ inputs $a_i$ from the layer
# below, zero bias, and weights drawn independently of the inputs with mean 0:
#
# $$z_j = \sum_{i=1}^{n_{in}} w_{ji}\, a_i, \qquad
# \mathbb{E}[z_j] = 0, \qquad \operatorname{Var}(z_j) = n_{in} \operatorname{Var}(w)\, \mathbb{E}[a_i^2].$$
#
# Mean 0 keeps the pre-activations centred where tanh is steepest (a positive mean, as with $\mathcal{U}(0, 1)$,
# pushes every unit to the same side). The variance is multiplied by $n_{in}\operatorname{Var}(w)$ at every
# layer: if that factor is below 1 the signal **shrinks** layer after layer towards 0, if it is above 1 it
# **grows** until tanh saturates at $\pm 1$ (where its derivative is 0) or ReLU activations explode.
#
# **Exercise.** Implement `layer_activation_stats(X, weights, activation)`: run `X` through a plain network
# with the given weight matrices and **no biases**, applying the activation after **every** layer
# ($A^{[0]} = X$, $A^{[l]} = f(A^{[l-1]} W^{[l]\top})$), and return one pair `(mean, std)` per layer: the mean
# and the standard deviation of **all** entries of $A^{[l]}$, as Python floats. The activation is given by its
# name; `layers.ACTIVATIONS[name][0]` is the function.

# %% nbgrader={"grade": false, "grade_id": "layer_activation_stats", "locked": false, "schema_version": 3, "solution": true, "task": false}
def layer_activation_stats(X, weights, activation):
    """Mean and standard deviation of the activations after each layer of a bias-free network.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    weights : list of L ndarrays, weights[l] of shape (n_{l+1}, n_l) with n_0 = d
    activation : str
        "relu", "tanh", "sigmoid" or "identity" (the keys of nnlib.layers.ACTIVATIONS).

    Returns
    -------
    stats : list of L pairs (mean, std) of floats, the statistics of f(A @ W.T) over all its entries
    """
    ### BEGIN SOLUTION
    f = layers.ACTIVATIONS[activation][0]
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
    stats = layer_activation_stats(X, [W1, W2], "relu")
except ValueError as err:
    raise AssertionError(f"layer_activation_stats raised ValueError ({err}): each W is (out, in), "
                         "so a layer computes A @ W.T") from None
check_type(stats, (list, tuple), "layer_activation_stats(X, [W1, W2], 'relu')")
assert len(stats) != 3, "layer_activation_stats: one (mean, std) pair per weight matrix; the first is after layer 1, not the input X"
assert len(stats) == 2, f"layer_activation_stats: expected one (mean, std) pair per layer (2), got {len(stats)}"
check_close(np.array(stats, dtype=float), [[A1.mean(), A1.std()], [A2.mean(), A2.std()]],
            "layer_activation_stats(X, [W1, W2], 'relu')", hints={
    "these are the statistics of the pre-activations Z: take them after the activation":
        [[Z1.mean(), Z1.std()], [Z2.mean(), Z2.std()]],
    "apply the activation after every layer, including the last": [[A1.mean(), A1.std()], [Z2.mean(), Z2.std()]],
    "the second number is the variance: return the standard deviation (np.std)":
        [[A1.mean(), A1.var()], [A2.mean(), A2.var()]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(3003)

def _reference(X, weights, activation):
    f = layers.ACTIVATIONS[activation][0]
    A, Zs, As = X, [], []
    for W in weights:
        Zs.append(A @ W.T)
        A = f(Zs[-1])
        As.append(A)
    return Zs, As

with forbid_delegation(mlp.mlp_forward, mlp.init_mlp):
    for N, sizes, activation in [(1, [4, 3, 5], "tanh"), (37, [20, 16, 16, 9, 12, 3], "sigmoid"),
                                 (50, [8, 8, 8, 8], "relu"), (6, [3, 2], "identity")]:
        X = _rng.normal(size=(N, sizes[0]))
        weights = [_rng.normal(scale=1.5, size=(n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        Zs, As = _reference(X, weights, activation)
        name = f"layer_activation_stats with N={N}, sizes={sizes}, {activation!r}"
        stats = layer_activation_stats(X, weights, activation)
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
    stats = layer_activation_stats(X32, weights, "tanh")
    check_close(np.array(stats, dtype=float), [[A.mean(), A.std()] for A in As],
                "layer_activation_stats of float32 inputs through 10 tanh layers", rtol=1e-3, atol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ### The lecture's schemes in a deep network
#
# Here are ten tanh layers of 128 units each, fed with 250 standardised inputs. The Gaussian with a
# "small" standard deviation of 0.01 has $n_{in}\operatorname{Var}(w) = 128 \cdot 10^{-4} \approx 0.013$: the
# signal shrinks about tenfold at every layer. The uniform $[-0.5, 0.5]$ has variance $1/12$, so
# $n_{in}\operatorname{Var}(w) \approx 10.7$: the units saturate at once. Uniform $[0, 1]$ has mean 0.5, so every
# pre-activation is a large positive or negative sum: saturated as well.

# %%
X_deep = rng.standard_normal((250, 128))
width, depth = 128, 10

def deep_weights(init_weights):
    # `depth` square layers of `width` units: init_weights(fan_in, fan_out) -> W
    return [init_weights(width, width) for _ in range(depth)]

lecture_schemes = {
    "N(0, 0.01²)": lambda fan_in, fan_out: init_normal(fan_in, fan_out, 0.01, rng),
    "U(-0.5, 0.5)": lambda fan_in, fan_out: init_uniform(fan_in, fan_out, -0.5, 0.5, rng),
    "U(0, 1)": lambda fan_in, fan_out: init_uniform(fan_in, fan_out, 0.0, 1.0, rng),
}
print("std of the tanh activations, layer 1 to 10:")
for name, init_weights in lecture_schemes.items():
    stats = layer_activation_stats(X_deep, deep_weights(init_weights), "tanh")
    print(f"{name:>13}: " + " ".join(f"{s:8.1e}" for _, s in stats))


# %% [markdown]
# ## 4. Xavier (Glorot) initialisation
#
# To keep the variance of the activations the same from layer to layer we want $n_{in}\operatorname{Var}(w) = 1$
# (tanh is close to the identity near 0). The same argument for the *backward* pass, where the gradients are
# summed over the $n_{out}$ units of the layer, asks for $n_{out}\operatorname{Var}(w) = 1$. Glorot & Bengio
# (2010) take the compromise
#
# $$\operatorname{Var}(w) = \frac{2}{n_{in} + n_{out}}.$$
#
# A uniform $\mathcal{U}(-a, a)$ has variance $a^2/3$, so the two versions of Xavier initialisation, with an
# optional `gain` (PyTorch's `calculate_gain`, e.g. $5/3$ for tanh), are
#
# $$\text{xavier\_uniform:}\; w \sim \mathcal{U}(-a, a),\; a = \text{gain}\sqrt{\frac{6}{n_{in} + n_{out}}}
# \qquad\qquad
# \text{xavier\_normal:}\; w \sim \mathcal{N}(0, \sigma^2),\; \sigma = \text{gain}\sqrt{\frac{2}{n_{in} + n_{out}}}.$$
#
# These are exactly `torch.nn.init.xavier_uniform_(W, gain)` and `torch.nn.init.xavier_normal_(W, gain)` for
# a weight `W` of shape `(fan_out, fan_in)`. Careful: $a$ is a *bound* and $\sigma$ a *standard deviation*; numpy's
# `rng.normal(loc, scale)` takes the standard deviation as `scale`, not the variance.
#
# **Exercise.** Implement `xavier_uniform` and `xavier_normal`.

# %% nbgrader={"grade": false, "grade_id": "xavier_uniform", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xavier_uniform(fan_in, fan_out, rng, gain=1.0):
    """Glorot uniform weights, as torch.nn.init.xavier_uniform_.

    Parameters
    ----------
    fan_in : int
    fan_out : int
    rng : numpy.random.Generator
    gain : float, default 1.0

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, drawn from U(-a, a) with
        a = gain * sqrt(6 / (fan_in + fan_out))
    """
    ### BEGIN SOLUTION
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_xavier_uniform", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""xavier_uniform: shape, bound gain * sqrt(6 / (fan_in + fan_out)), and draws from rng (2 points)"""
W = xavier_uniform(3, 5, np.random.default_rng(0))
check_weights(W, 3, 5, "xavier_uniform(3, 5, rng)")
check_draws_from_rng(lambda r: xavier_uniform(3, 5, r), "xavier_uniform")
fan_in, fan_out = 200, 500
W = xavier_uniform(fan_in, fan_out, np.random.default_rng(1))
a = np.sqrt(6 / (fan_in + fan_out))
check_statistic(W.std(), a / np.sqrt(3), "the standard deviation of xavier_uniform(200, 500, rng)", hints={
    "U(-a, a) has standard deviation a / sqrt(3): the bound is a = gain * sqrt(6 / (fan_in + fan_out))":
        np.sqrt(2 / (fan_in + fan_out)) / np.sqrt(3),
    "the square root is missing: 6 / (fan_in + fan_out) is the bound squared": 6 / (fan_in + fan_out) / np.sqrt(3),
    "that is He's bound sqrt(6 / fan_in): Xavier divides by fan_in + fan_out": np.sqrt(6 / fan_in) / np.sqrt(3)})
assert np.abs(W).max() <= a, f"xavier_uniform: values outside [-a, a] with a = {a:.4g}: draw from U(-a, a)"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(7007)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: xavier_uniform(4, 6, r), "xavier_uniform")
    for fan_in, fan_out, gain in [(500, 120, 1.0), (150, 400, 5 / 3), (300, 300, np.sqrt(2))]:
        W = xavier_uniform(fan_in, fan_out, _rng, gain=gain)
        name = f"xavier_uniform({fan_in}, {fan_out}, rng, gain={gain:.4g})"
        check_weights(W, fan_in, fan_out, name)
        a = gain * np.sqrt(6 / (fan_in + fan_out))
        hints = {"U(-a, a) has standard deviation a / sqrt(3): the bound is a = gain * sqrt(6 / (fan_in + fan_out))":
                     gain * np.sqrt(2 / (fan_in + fan_out)) / np.sqrt(3),
                 "the square root is missing: 6 / (fan_in + fan_out) is the bound squared":
                     gain * 6 / (fan_in + fan_out) / np.sqrt(3),
                 "that is He's bound sqrt(6 / fan_in): Xavier divides by fan_in + fan_out":
                     gain * np.sqrt(6 / fan_in) / np.sqrt(3)}
        if gain != 1.0:
            hints["the gain was ignored: multiply the bound by gain"] = a / gain / np.sqrt(3)
            hints["the gain went inside the square root: a = gain * sqrt(6 / (fan_in + fan_out))"] = \
                np.sqrt(gain) * a / gain / np.sqrt(3)
        check_statistic(W.std(), a / np.sqrt(3), f"the standard deviation of {name}", hints=hints)
        check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * a / np.sqrt(3 * W.size))
        assert np.abs(W).max() <= a * (1 + 1e-12), \
            f"{name}: values outside [-a, a] with a = {a:.4g}: xavier_uniform draws from a uniform distribution"
        assert np.abs(W).max() > 0.99 * a, f"{name}: the values do not fill [-a, a] with a = {a:.4g}"
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        W = xavier_uniform(fan_in, fan_out, _rng)
        check_weights(W, fan_in, fan_out, f"xavier_uniform({fan_in}, {fan_out}, rng)")
        assert np.abs(W).max() <= np.sqrt(6 / (fan_in + fan_out)), \
            f"xavier_uniform({fan_in}, {fan_out}, rng): values outside the bound"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "xavier_normal", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xavier_normal(fan_in, fan_out, rng, gain=1.0):
    """Glorot normal weights, as torch.nn.init.xavier_normal_.

    Parameters
    ----------
    fan_in : int
    fan_out : int
    rng : numpy.random.Generator
    gain : float, default 1.0

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, drawn from N(0, std**2) with
        std = gain * sqrt(2 / (fan_in + fan_out))
    """
    ### BEGIN SOLUTION
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_xavier_normal", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""xavier_normal: shape, std gain * sqrt(2 / (fan_in + fan_out)), and draws from rng (2 points)"""
W = xavier_normal(3, 5, np.random.default_rng(0))
check_weights(W, 3, 5, "xavier_normal(3, 5, rng)")
check_draws_from_rng(lambda r: xavier_normal(3, 5, r), "xavier_normal")
fan_in, fan_out = 200, 500
W = xavier_normal(fan_in, fan_out, np.random.default_rng(1))
check_statistic(W.std(), np.sqrt(2 / (fan_in + fan_out)), "the standard deviation of xavier_normal(200, 500, rng)", hints={
    "that is the variance 2 / (fan_in + fan_out) used as the standard deviation: take its square root":
        2 / (fan_in + fan_out),
    "that is the uniform bound sqrt(6 / (fan_in + fan_out)): the normal's std is sqrt(2 / (fan_in + fan_out))":
        np.sqrt(6 / (fan_in + fan_out)),
    "that is He's std sqrt(2 / fan_in): Xavier divides by fan_in + fan_out": np.sqrt(2 / fan_in)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8008)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: xavier_normal(4, 6, r), "xavier_normal")
    for fan_in, fan_out, gain in [(500, 120, 1.0), (150, 400, 5 / 3), (300, 300, np.sqrt(2))]:
        W = xavier_normal(fan_in, fan_out, _rng, gain=gain)
        name = f"xavier_normal({fan_in}, {fan_out}, rng, gain={gain:.4g})"
        check_weights(W, fan_in, fan_out, name)
        std = gain * np.sqrt(2 / (fan_in + fan_out))
        hints = {"that is the variance 2 / (fan_in + fan_out) used as the standard deviation: take its square root":
                     gain * 2 / (fan_in + fan_out),
                 "that is the uniform bound sqrt(6 / (fan_in + fan_out)): the normal's std is sqrt(2 / (fan_in + fan_out))":
                     gain * np.sqrt(6 / (fan_in + fan_out)),
                 "that is He's std sqrt(2 / fan_in): Xavier divides by fan_in + fan_out": gain * np.sqrt(2 / fan_in)}
        if gain != 1.0:
            hints["the gain was ignored: multiply the standard deviation by gain"] = std / gain
            hints["the gain went inside the square root: std = gain * sqrt(2 / (fan_in + fan_out))"] = \
                np.sqrt(gain) * std / gain
        check_statistic(W.std(), std, f"the standard deviation of {name}", hints=hints)
        check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * std / np.sqrt(W.size))
        tail = np.mean(np.abs(W) > 2 * std)
        assert 0.035 < tail < 0.056, (f"{name}: {tail:.1%} of the values lie beyond 2 std (a Gaussian has 4.6%): "
                                      "xavier_normal draws from a normal distribution, not a uniform one")
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        check_weights(xavier_normal(fan_in, fan_out, _rng), fan_in, fan_out, f"xavier_normal({fan_in}, {fan_out}, rng)")
### END HIDDEN TESTS

# %% [markdown]
# ## 5. He (Kaiming) initialisation for ReLU
#
# ReLU sets the negative half of its inputs to 0. For a pre-activation $z$ symmetric around 0,
# $\mathbb{E}[\operatorname{relu}(z)^2] = \tfrac12 \operatorname{Var}(z)$, so the recursion of section 3 becomes
# $\operatorname{Var}(z^{[l]}) = \tfrac12\, n_{in} \operatorname{Var}(w)\, \operatorname{Var}(z^{[l-1]})$. He et al. (2015)
# keep it constant with
#
# $$\operatorname{Var}(w) = \frac{2}{n_{in}}, \qquad\text{i.e. the ReLU gain } \sqrt{2} \text{ and the fan-in only:}$$
#
# $$\text{he\_uniform:}\; w \sim \mathcal{U}(-b, b),\; b = \sqrt{\frac{6}{n_{in}}}
# \qquad\qquad
# \text{he\_normal:}\; w \sim \mathcal{N}(0, \sigma^2),\; \sigma = \sqrt{\frac{2}{n_{in}}}.$$
#
# These are `torch.nn.init.kaiming_uniform_(W, mode="fan_in", nonlinearity="relu")` and
# `torch.nn.init.kaiming_normal_(W, mode="fan_in", nonlinearity="relu")`; for `W` of shape `(fan_out, fan_in)`
# PyTorch's fan-in is `W.shape[1]`. Xavier's variance would halve the signal at every ReLU layer.
#
# **Exercise.** Implement `he_uniform` and `he_normal`.

# %% nbgrader={"grade": false, "grade_id": "he_uniform", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he_uniform(fan_in, fan_out, rng):
    """He (Kaiming) uniform weights for ReLU layers, as
    torch.nn.init.kaiming_uniform_(W, mode="fan_in", nonlinearity="relu").

    Parameters
    ----------
    fan_in : int
    fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, drawn from U(-b, b) with b = sqrt(6 / fan_in)
    """
    ### BEGIN SOLUTION
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_he_uniform", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""he_uniform: shape, bound sqrt(6 / fan_in), and draws from rng (2 points)"""
W = he_uniform(3, 5, np.random.default_rng(0))
check_weights(W, 3, 5, "he_uniform(3, 5, rng)")
check_draws_from_rng(lambda r: he_uniform(3, 5, r), "he_uniform")
fan_in, fan_out = 200, 500
W = he_uniform(fan_in, fan_out, np.random.default_rng(1))
b = np.sqrt(6 / fan_in)
check_statistic(W.std(), b / np.sqrt(3), "the standard deviation of he_uniform(200, 500, rng)", hints={
    "that is sqrt(6 / fan_out): fan_in and fan_out are swapped; He uses the fan-in": np.sqrt(6 / fan_out) / np.sqrt(3),
    "that is Xavier's denominator fan_in + fan_out: He divides by fan_in only": np.sqrt(6 / (fan_in + fan_out)) / np.sqrt(3),
    "the square root is missing: 6 / fan_in is the bound squared": 6 / fan_in / np.sqrt(3),
    "U(-b, b) has standard deviation b / sqrt(3): the bound is b = sqrt(6 / fan_in)": np.sqrt(2 / fan_in) / np.sqrt(3),
    "the ReLU gain sqrt(2) is missing: b = sqrt(2) * sqrt(3 / fan_in) = sqrt(6 / fan_in)": np.sqrt(3 / fan_in) / np.sqrt(3)})
assert np.abs(W).max() <= b, f"he_uniform: values outside [-b, b] with b = {b:.4g}: draw from U(-b, b)"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(9009)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: he_uniform(4, 6, r), "he_uniform")
    for fan_in, fan_out in [(500, 120), (150, 400), (64, 256)]:
        W = he_uniform(fan_in, fan_out, _rng)
        name = f"he_uniform({fan_in}, {fan_out}, rng)"
        check_weights(W, fan_in, fan_out, name)
        b = np.sqrt(6 / fan_in)
        check_statistic(W.std(), b / np.sqrt(3), f"the standard deviation of {name}", hints={
            "that is sqrt(6 / fan_out): fan_in and fan_out are swapped; He uses the fan-in":
                np.sqrt(6 / fan_out) / np.sqrt(3),
            "that is Xavier's denominator fan_in + fan_out: He divides by fan_in only":
                np.sqrt(6 / (fan_in + fan_out)) / np.sqrt(3),
            "the square root is missing: 6 / fan_in is the bound squared": 6 / fan_in / np.sqrt(3),
            "U(-b, b) has standard deviation b / sqrt(3): the bound is b = sqrt(6 / fan_in)":
                np.sqrt(2 / fan_in) / np.sqrt(3),
            "the ReLU gain sqrt(2) is missing: b = sqrt(2) * sqrt(3 / fan_in) = sqrt(6 / fan_in)":
                np.sqrt(3 / fan_in) / np.sqrt(3)})
        check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * b / np.sqrt(3 * W.size))
        assert np.abs(W).max() <= b * (1 + 1e-12), \
            f"{name}: values outside [-b, b] with b = {b:.4g}: he_uniform draws from a uniform distribution"
        assert np.abs(W).max() > 0.99 * b, f"{name}: the values do not fill [-b, b] with b = {b:.4g}"
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        W = he_uniform(fan_in, fan_out, _rng)
        check_weights(W, fan_in, fan_out, f"he_uniform({fan_in}, {fan_out}, rng)")
        assert np.abs(W).max() <= np.sqrt(6 / fan_in), f"he_uniform({fan_in}, {fan_out}, rng): values outside the bound"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "he_normal", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he_normal(fan_in, fan_out, rng):
    """He (Kaiming) normal weights for ReLU layers, as
    torch.nn.init.kaiming_normal_(W, mode="fan_in", nonlinearity="relu").

    Parameters
    ----------
    fan_in : int
    fan_out : int
    rng : numpy.random.Generator

    Returns
    -------
    W : ndarray of shape (fan_out, fan_in), float64, drawn from N(0, std**2) with std = sqrt(2 / fan_in)
    """
    ### BEGIN SOLUTION
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_he_normal", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""he_normal: shape, std sqrt(2 / fan_in), and draws from rng (2 points)"""
W = he_normal(3, 5, np.random.default_rng(0))
check_weights(W, 3, 5, "he_normal(3, 5, rng)")
check_draws_from_rng(lambda r: he_normal(3, 5, r), "he_normal")
fan_in, fan_out = 200, 500
W = he_normal(fan_in, fan_out, np.random.default_rng(1))
check_statistic(W.std(), np.sqrt(2 / fan_in), "the standard deviation of he_normal(200, 500, rng)", hints={
    "that is sqrt(2 / fan_out): fan_in and fan_out are swapped; He uses the fan-in": np.sqrt(2 / fan_out),
    "that is Xavier's denominator fan_in + fan_out: He divides by fan_in only": np.sqrt(2 / (fan_in + fan_out)),
    "that is the variance 2 / fan_in used as the standard deviation: take its square root": 2 / fan_in,
    "the ReLU gain sqrt(2) is missing: std = sqrt(2 / fan_in)": np.sqrt(1 / fan_in)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1010)
with forbid_delegation(mlp.init_mlp):
    check_draws_from_rng(lambda r: he_normal(4, 6, r), "he_normal")
    for fan_in, fan_out in [(500, 120), (150, 400), (64, 256)]:
        W = he_normal(fan_in, fan_out, _rng)
        name = f"he_normal({fan_in}, {fan_out}, rng)"
        check_weights(W, fan_in, fan_out, name)
        std = np.sqrt(2 / fan_in)
        check_statistic(W.std(), std, f"the standard deviation of {name}", hints={
            "that is sqrt(2 / fan_out): fan_in and fan_out are swapped; He uses the fan-in": np.sqrt(2 / fan_out),
            "that is Xavier's denominator fan_in + fan_out: He divides by fan_in only": np.sqrt(2 / (fan_in + fan_out)),
            "that is the variance 2 / fan_in used as the standard deviation: take its square root": 2 / fan_in,
            "the ReLU gain sqrt(2) is missing: std = sqrt(2 / fan_in)": np.sqrt(1 / fan_in),
            "that is the uniform bound sqrt(6 / fan_in): the normal's std is sqrt(2 / fan_in)": np.sqrt(6 / fan_in)})
        check_statistic(W.mean(), 0.0, f"the mean of {name}", atol=5 * std / np.sqrt(W.size))
        tail = np.mean(np.abs(W) > 2 * std)
        assert 0.035 < tail < 0.056, (f"{name}: {tail:.1%} of the values lie beyond 2 std (a Gaussian has 4.6%): "
                                      "he_normal draws from a normal distribution, not a uniform one")
    for fan_in, fan_out in [(1, 1), (1, 7), (9, 1)]:
        check_weights(he_normal(fan_in, fan_out, _rng), fan_in, fan_out, f"he_normal({fan_in}, {fan_out}, rng)")
### END HIDDEN TESTS

# %% [markdown]
# A quick look at what the four scaled initialisers draw for a layer with 256 inputs and 64 units: the
# standard deviation of the sample against the formula. Uniform and normal versions of one scheme have the
# same variance; only the shape of the distribution differs.

# %%
fan_in, fan_out = 256, 64
formulas = {
    "xavier_uniform": (xavier_uniform, np.sqrt(2 / (fan_in + fan_out))),
    "xavier_normal": (xavier_normal, np.sqrt(2 / (fan_in + fan_out))),
    "he_uniform": (he_uniform, np.sqrt(2 / fan_in)),
    "he_normal": (he_normal, np.sqrt(2 / fan_in)),
}
for name, (init, std) in formulas.items():
    W = init(fan_in, fan_out, rng)
    print(f"{name:>15}: shape {W.shape}, sample std {W.std():.4f}, formula {std:.4f}, "
          f"largest |w| {np.abs(W).max():.3f}")


# %% [markdown]
# ## 6. Ten layers of tanh and of ReLU
#
# The experiment of Glorot & Bengio (2010, tanh) and He et al. (2015, ReLU): the same inputs through ten
# layers of 128 units, with a histogram of the activations of every other layer (the darker the line, the
# earlier the layer). With tanh, $\mathcal{N}(0, 0.01^2)$ collapses to 0 (note the log scale), $\mathcal{U}(-0.5, 0.5)$
# piles up at $\pm 1$ (saturated, zero derivative), and Xavier keeps a spread of values in the steep part of tanh.

# %%
def activations_per_layer(X, weights, activation):
    # The activation after every layer of a bias-free network, from nnlib's MLP forward pass.
    params = {}
    for l, W in enumerate(weights, start=1):
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros(len(W))
    _, (caches, _) = mlp.mlp_forward(X, params, activation)
    f = layers.ACTIVATIONS[activation][0]
    return [f(Z) for _, Z in caches]

shown = [0, 2, 4, 6, 9]                                   # layers 1, 3, 5, 7 and 10
labels = [f"layer {l + 1}" for l in shown]
tanh_schemes = {
    "N(0, 0.01²)": deep_weights(lambda fan_in, fan_out: init_normal(fan_in, fan_out, 0.01, rng)),
    "U(-0.5, 0.5)": deep_weights(lambda fan_in, fan_out: init_uniform(fan_in, fan_out, -0.5, 0.5, rng)),
    "Xavier": deep_weights(lambda fan_in, fan_out: xavier_normal(fan_in, fan_out, rng)),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
for ax, (name, weights) in zip(axes, tanh_schemes.items()):
    activations = activations_per_layer(X_deep, weights, "tanh")
    plots.layer_histograms(ax, [activations[l] for l in shown], bins=50, labels=labels, range=(-1, 1))
    ax.set_title(f"tanh, {name}")
axes[0].set_yscale("log")
plt.show()

# %% [markdown]
# With ReLU, half of every layer's outputs are exactly 0; the histograms show the positive part. Xavier's
# variance, $2/(n_{in} + n_{out}) = 1/n_{in}$ here, is half of what ReLU needs: the activations shrink by
# $\sqrt{2}$ at every layer. He's $2/n_{in}$ keeps them at the same scale through all ten layers. The right
# panel summarises all five networks by the standard deviation of each layer's activations, from your
# `layer_activation_stats` (log scale): only the scaled schemes keep it roughly constant with depth.

# %%
relu_schemes = {
    "Xavier": deep_weights(lambda fan_in, fan_out: xavier_normal(fan_in, fan_out, rng)),
    "He": deep_weights(lambda fan_in, fan_out: he_normal(fan_in, fan_out, rng)),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
for ax, (name, weights) in zip(axes, relu_schemes.items()):
    activations = activations_per_layer(X_deep, weights, "relu")
    plots.layer_histograms(ax, [activations[l][activations[l] > 0] for l in shown], bins=50, labels=labels,
                           range=(0, 3))
    ax.set_title(f"ReLU, {name}: the positive activations")
spread = {}
for activation, schemes in [("tanh", tanh_schemes), ("relu", relu_schemes)]:
    for name, weights in schemes.items():
        spread[f"{activation}, {name}"] = [s for _, s in layer_activation_stats(X_deep, weights, activation)]
plots.layer_norms(axes[2], spread, title="std of the activations per layer")
axes[2].set_ylabel("standard deviation")
axes[2].legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 7. Training after each scheme
#
# Now the same small network, 2 inputs, three tanh hidden layers of 64 units and 2 outputs, trained on the
# moons with the same optimiser after each scheme of the lecture, plus Xavier and He (all biases start at 0).
# For each scheme the table gives the fraction of hidden activations saturated at the start ($|a| > 0.99$), the
# loss and accuracy after training, and the number of distinct units in each hidden layer *after* training.

# %%
# NBVAL_IGNORE_OUTPUT
# (the losses of the saturated and erratic runs depend on the last digits of matrix products, which differ
#  from CPU to CPU; tests/test_notebook_claims.py checks what the text below says about each scheme)
sizes = [2, 64, 64, 64, 2]

def init_params(init_weights):
    # Weights from init_weights(fan_in, fan_out) and zero biases, keyed like nnlib.mlp.
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"], params[f"b{l}"] = init_weights(fan_in, fan_out), np.zeros(fan_out)
    return params

schemes = {
    "zeros": lambda fan_in, fan_out: init_zeros(fan_in, fan_out),
    "constant 0.5": lambda fan_in, fan_out: init_constant(fan_in, fan_out, 0.5),
    "U(0, 1)": lambda fan_in, fan_out: init_uniform(fan_in, fan_out, 0.0, 1.0, rng),
    "U(-0.5, 0.5)": lambda fan_in, fan_out: init_uniform(fan_in, fan_out, -0.5, 0.5, rng),
    "N(0, 0.01²)": lambda fan_in, fan_out: init_normal(fan_in, fan_out, 0.01, rng),
    "Xavier": lambda fan_in, fan_out: xavier_uniform(fan_in, fan_out, rng),
    "He": lambda fan_in, fan_out: he_normal(fan_in, fan_out, rng),
}

def tanh_loss(params, X, y):
    return mlp.mlp_loss_and_grads(params, X, y, "tanh")

losses, rows = {}, []
for name, init_weights in schemes.items():
    params = init_params(init_weights)
    _, (caches, _) = mlp.mlp_forward(X_moons, params, "tanh")
    saturated = np.mean([np.mean(np.abs(np.tanh(Z)) > 0.99) for _, Z in caches[:-1]])
    history = train(params, tanh_loss, SGD(lr=0.3), X_moons, y_moons, epochs=100, batch_size=50, rng=rng, desc=name)
    losses[name] = history["loss"]
    accuracy = np.mean(mlp.mlp_predict(params, X_moons, "tanh") == y_moons)
    units = [distinct_units(params[f"W{l}"]) for l in range(1, len(sizes) - 1)]
    rows.append(f"{name:>13} {saturated:10.2f} {history['loss'][-1]:11.3f} {accuracy:9.2f}   {units}")
print(f"{'scheme':>13} {'saturated':>10} {'final loss':>11} {'accuracy':>9}   distinct units per hidden layer")
print("\n".join(rows))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, losses, keys=list(schemes), title="training loss on the moons, per initialisation", logy=True)
ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))     # zeros lies under N(0, 0.01²), at log 2
plt.show()

# %% [markdown]
# What the table and the curves show:
#
# - **zeros**: every activation and every weight gradient is 0 (the error sent back through zero weights is
#   0); the network never leaves its start and predicts one class (its loss curve lies under the one of
#   N(0, 0.01²), at $\log 2$). One distinct unit per layer.
# - **constant**: the units of a layer compute the same thing, get the same gradient and stay identical
#   (one distinct unit per layer): a network of width 1, whatever its nominal width. With 0.5 they also
#   start saturated.
# - **U(0, 1)**: all weights positive with mean 0.5, so the pre-activations are large sums and more than half
#   of the tanh units start saturated; their derivative is about 0, the few gradients that get through are
#   large and erratic, and the loss jumps around above $\log 2$: the network fits far worse than with the
#   scaled schemes below (how badly varies from run to run).
# - **N(0, 0.01²)**: symmetry is broken, but the signal vanishes through three layers and so do the
#   gradients: the loss sits on its plateau at $\log 2$.
# - **U(−0.5, 0.5)**, **Xavier**, **He**: all learn the moons. On this small network the unscaled
#   U(−0.5, 0.5) still works; the previous section showed where it stops working (more or wider layers).

# %% [markdown]
# ## 8. The scale of the inputs matters too
#
# Xavier and He assume the inputs of every layer have a variance of about 1, the inputs $X$ included. The
# fish features are in their own units (lightness around 6, width around 18), so the first layer's
# pre-activations are about 10 times larger than the scheme expects. Standardising every feature to mean 0 and
# standard deviation 1 restores the assumption. Below: the same network and optimiser on raw and on
# standardised features, with tanh + Xavier and with ReLU + He.

# %%
X_fish, y_fish = datasets.fish(rng, n_per_class=100)
X_standard = (X_fish - X_fish.mean(axis=0)) / X_fish.std(axis=0)
inputs = {"raw": X_fish, "standardised": X_standard}
setups = {"tanh": xavier_normal, "relu": he_normal}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for ax, (activation, init) in zip(axes, setups.items()):
    curves = {}
    for input_name, X in inputs.items():
        params = {}
        for l, (fan_in, fan_out) in enumerate(zip([2, 32, 32], [32, 32, 2]), start=1):
            params[f"W{l}"], params[f"b{l}"] = init(fan_in, fan_out, rng), np.zeros(fan_out)
        (mean1, std1), = layer_activation_stats(X, [params["W1"]], activation)
        history = train(params, lambda p, X, y: mlp.mlp_loss_and_grads(p, X, y, activation), SGD(lr=0.1),
                        X, y_fish, epochs=60, batch_size=50, rng=rng, desc=f"{activation}, {input_name}")
        accuracy = np.mean(mlp.mlp_predict(params, X, activation) == y_fish)
        dead = np.sum(np.all(X @ params["W1"].T + params["b1"] <= 0, axis=0))   # units that output 0 for every x
        print(f"{activation}, {input_name:>12}: layer 1 activations mean {mean1:6.2f} std {std1:5.2f}; "
              f"loss {history['loss'][0]:.3f} -> {history['loss'][-1]:.3f}, accuracy {accuracy:.2f}"
              + (f", dead units in layer 1: {dead} of 32" if activation == "relu" else ""))
        curves[input_name] = history["loss"]
    plots.curves(ax, curves, keys=list(inputs), logy=True,
                 title=f"{activation} + {init.__name__}: raw vs standardised features")
plt.show()

# %% [markdown]
# With raw features the first tanh layer is saturated from the start (most of its activations sit near
# $\pm 1$), and the loss stays high and noisy. The ReLU network starts with activations in the tens and a loss
# in the hundreds; its first gradient steps are so large that they kill most or all of its first-layer units
# (a *dead* ReLU outputs 0 for every input, so it never gets a gradient again), and the loss stays far above
# that of the standardised run. Standardised inputs give both networks the start their initialisation was
# designed for.

# %% [markdown]
# ## 9. Questions from the lecture
#
# Answer in a few sentences each, in your own words. These are graded by your instructor.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_zero_weights", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** The lecture says that initialising the **biases** with zero is fine, but not the
# **weights**. Why? What goes wrong with zero (or constant) weights, and why do zero biases not cause the same
# problem? Refer to a result of this notebook.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_zero_weights", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# With equal weights every unit of a layer receives the same inputs through the same weights, so all units
# have the same activation; backpropagation then gives each of them the same gradient, so they stay equal
# after every update: the symmetry never breaks, and a layer of 64 units behaves like one unit (the
# `distinct_units` column of section 7 stays at 1). With all-zero weights it is worse: the error sent back
# through zero weights is 0, so the hidden weights get no gradient at all. Zero biases are harmless because
# the random weights already make the units different: each unit then gets its own error, and so its bias
# its own gradient. The biases do not need to break the symmetry themselves.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_mean_small_variance", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** Why should random weights be drawn with **mean 0** and a **small variance**? And
# what happens if the variance is too small? Use the experiments of sections 3, 6 and 7.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_mean_small_variance", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# Mean 0 makes positive and negative weights equally likely, so the pre-activations are centred on 0, where
# tanh and sigmoid are steepest and ReLU is half active; with a positive mean (U(0, 1)) every pre-activation
# becomes a large sum of the same sign and the units saturate. A small variance keeps $z = \sum_i w_i a_i$ in
# the non-saturated range, so the derivatives and hence the gradients are not 0 (U(−0.5, 0.5) saturates a
# tanh layer of 128 units). But too small is also wrong: each layer multiplies the variance by
# $n_{in}\operatorname{Var}(w)$, and with $\mathcal{N}(0, 0.01^2)$ the activations and gradients vanish with depth
# (the loss of section 7 stays at $\log 2$). "Small" has to be matched to the layer size.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_fan_in", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 3 (2 points).** Why should the variance of the initial weights depend on the **fan-in** of the
# layer? Give the formula of He initialisation and say where its factor 2 comes from.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_fan_in", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# A unit sums $n_{in}$ terms: $\operatorname{Var}(z) = n_{in}\operatorname{Var}(w)\,\mathbb{E}[a^2]$, so a fixed weight
# variance makes the pre-activations larger in wide layers and smaller in narrow ones, and over many layers
# the signal explodes or vanishes. Choosing $\operatorname{Var}(w) \propto 1/n_{in}$ keeps the variance of the
# activations the same from layer to layer whatever the width (Xavier, $2/(n_{in}+n_{out})$, also balances
# the backward pass). He initialisation for ReLU uses $\operatorname{Var}(w) = 2/n_{in}$, e.g.
# $w \sim \mathcal{N}(0, 2/n_{in})$: ReLU zeroes the negative half of its inputs, so
# $\mathbb{E}[a^2] = \tfrac12 \operatorname{Var}(z)$, and the factor 2 makes up for that half.

# %% [markdown]
# ## Summary
#
# - Weights of a layer are `(fan_out, fan_in)`; biases may start at 0, weights may not: zero or constant
#   weights keep all units of a layer identical (symmetry), and zero weights even stop the gradient.
# - Random weights break the symmetry. They should have mean 0 and a variance matched to the layer:
#   $\operatorname{Var}(z) = n_{in}\operatorname{Var}(w)\,\mathbb{E}[a^2]$, so too small vanishes and too large saturates
#   (tanh) or explodes (ReLU) with depth.
# - Xavier: $\operatorname{Var}(w) = 2/(n_{in} + n_{out})$ for tanh-like units; He: $\operatorname{Var}(w) = 2/n_{in}$ for
#   ReLU. Uniform versions use the bound $\sqrt{3\operatorname{Var}(w)}$. These match `torch.nn.init`'s
#   `xavier_*_` and `kaiming_*_(mode="fan_in", nonlinearity="relu")`.
# - Initialisation assumes standardised inputs; raw features of a large scale saturate the first layer.
# - Always draw from the generator you are given: same seed, same network.
#
# **Next:** `06_regularisation` keeps a well-initialised network from overfitting: L2, dropout and early stopping.
