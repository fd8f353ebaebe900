# %% [markdown]
# # 08 · Batch normalisation: forward, backward, running statistics, and what it buys
#
# **Lecture:** *Review of Neural Networks*, slides "Batch Normalisation helps with training stability
# and convergence" (normalise the hidden activations in two steps: standardise, then scale and shift
# with $\gamma$ and $\beta$; the parameters have the size of the bias; normalising layer $l$ helps
# layer $l+1$ train faster).
#
# By the end of this notebook you will be able to
#
# 1. implement the **batch-norm forward pass** as PyTorch's `torch.nn.BatchNorm1d` does, in training mode
#    (batch statistics) and in evaluation mode, keeping the **running mean and variance** PyTorch's way;
# 2. derive the **backward pass** yourself, node by node along the computational graph, then in a one-line
#    form, both checked numerically;
# 3. show on a deep network what batch norm buys, and why the bias before it becomes redundant;
# 4. explain why a network must switch to the running statistics at test time.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.
#
# **Notation** (as in every notebook): $N$ samples in a minibatch (the slide's $n$), $D$ features (the
# slide's $d$), cost $J$, learning rate $\alpha$ (`lr` in code). **Points:** 20 for code, 2 for the
# written answer.
#
# **Time:** about 1 h 55 for the core path (the course map says how this is estimated); sections
# marked *(optional)* are extra.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import copy
import warnings

import numpy as np
import matplotlib.pyplot as plt
from tqdm.std import tqdm

from nnlib import datasets, plots
from nnlib.gradcheck import check_gradient
from nnlib.grading import allow_updates, call_strict, check_array, check_shape
from nnlib.probes import count_operations
from nnlib.train import SGD, train
from support import (ACTIVATIONS, affine_backward, affine_forward, he_std, init_mlp, num_layers, softmax,
                     softmax_cross_entropy, softmax_cross_entropy_grad)

rng = np.random.default_rng(472)
allow_updates("running_mean", "running_var")  # the tests read what batchnorm_forward writes into `state`

# %% [markdown]
# ## 1. The batch-norm transform
#
# Take one hidden layer with $d$ units and a minibatch of $n$ samples: its pre-activations $z^{(i)}_j$
# (sample $i$, unit $j$) form a matrix `Z` of shape `(N, D)`, with $N = n$ rows and $D = d$ columns (units,
# or *features*). Batch norm works **per feature, over the batch**: every column gets its own mean and
# variance,
#
# $$\mu_j = \frac{1}{n}\sum_{i=1}^{n} z^{(i)}_j, \qquad
#   \sigma_j^2 = \frac{1}{n}\sum_{i=1}^{n} \bigl(z^{(i)}_j - \mu_j\bigr)^2 .$$
#
# Then it takes the lecture's two steps:
#
# 1. **standardise** the activations: $\displaystyle z'^{(i)}_j = \frac{z^{(i)}_j - \mu_j}{\sqrt{\sigma_j^2 + \epsilon}}$;
# 2. **scale and shift** them with two learned vectors of size $d$: $\tilde{z}^{(i)}_j = \gamma_j\, z'^{(i)}_j + \beta_j$.
#
# The lecture writes $z' = (z - \mu)/\sigma$; in practice a small $\epsilon$ (PyTorch: $10^{-5}$) goes
# **inside** the square root, so a feature that is constant over the batch gives $z' = 0$ instead of
# $0/0$. Step 2 lets the network still choose any mean ($\beta_j$) and scale ($\gamma_j$), even undo the
# normalisation.
#
# ### Training mode and evaluation mode
#
# A prediction should not depend on which other examples share its batch, and at test time there may be
# only one. So a batch-norm layer keeps **running estimates** $\hat\mu_j$ and $\hat\sigma^2_j$ during
# training and uses them in evaluation mode, exactly as PyTorch's `torch.nn.BatchNorm1d`:
#
# | | training (`train=True`) | evaluation (`train=False`) |
# |---|---|---|
# | normalise with | the batch's $\mu_j$ and the **biased** $\sigma_j^2$ (divide by $n$) | the running $\hat\mu_j$, $\hat\sigma^2_j$ |
# | running statistics | $\hat\mu_j \leftarrow (1-m)\,\hat\mu_j + m\,\mu_j$ <br> $\hat\sigma^2_j \leftarrow (1-m)\,\hat\sigma^2_j + m\,\frac{n}{n-1}\sigma^2_j$ (**unbiased**) | unchanged |
#
# with `momentum` $m = 0.1$ by default: the newest batch gets weight $0.1$ (Keras's "momentum", $0.99$,
# is the *old* value's weight). The running statistics start at $\hat\mu = 0$, $\hat\sigma^2 = 1$. A
# batch of one sample has no variance: PyTorch refuses it in training mode, and we raise a `ValueError`.
#
# The running statistics live in a dict, `state = {"running_mean": (D,), "running_var": (D,)}`, that
# `batchnorm_forward` updates **in place**.

# %% [markdown]
# **Exercise.** Implement `batchnorm_forward`. Return `(out, cache)`: `cache` holds whatever your
# `batchnorm_backward` will need (a tuple or a dict: your choice). Rules:
#
# - no Python loop over samples or features: use `axis=0` reductions and broadcasting;
# - keep the dtype (float32 in, float32 out);
# - in training mode with `N == 1`, raise `ValueError`.

# %% nbgrader={"grade": false, "grade_id": "batchnorm_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_forward(Z, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):
    """Batch normalisation of pre-activations, as torch.nn.BatchNorm1d.

    Parameters
    ----------
    Z : ndarray of shape (N, D)
        A minibatch of pre-activations: N samples (rows), D features (columns).
    gamma, beta : ndarray of shape (D,)
        Learned scale and shift.
    state : dict
        {"running_mean": ndarray (D,), "running_var": ndarray (D,)}; updated in place when
        `train` is True, left unchanged otherwise.
    train : bool
        True: normalise with the batch statistics (biased variance) and update `state`
        (unbiased variance); False: normalise with the running statistics.
    momentum : float
        Weight of the new batch statistic: running = (1 - momentum) * running + momentum * batch.
    eps : float
        Added to the variance inside the square root.

    Returns
    -------
    out : ndarray of shape (N, D), the dtype of Z
    cache : whatever batchnorm_backward needs

    Raises
    ------
    ValueError
        When `train` is True and N == 1.
    """
    ### BEGIN SOLUTION
    if train:
        N = Z.shape[0]
        if N < 2:
            raise ValueError(f"batch norm needs more than one sample per feature in training mode, got N={N}")
        mean = Z.mean(axis=0)
        var = Z.var(axis=0)
        state["running_mean"] = (1 - momentum) * state["running_mean"] + momentum * mean
        state["running_var"] = (1 - momentum) * state["running_var"] + momentum * var * (N / (N - 1))
    else:
        mean, var = state["running_mean"], state["running_var"]
    inv_std = 1 / np.sqrt(var + eps)
    Z_hat = (Z - mean) * inv_std
    return gamma * Z_hat + beta, (Z_hat, gamma, inv_std, train)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_train_output", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_forward, training mode: shape, dtype and values on a small batch (3 points)"""
Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
state = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.0])}
out, cache = batchnorm_forward(Z, gamma, beta, state)
check_shape(out, (4, 3), "batchnorm_forward(Z, ...) output")
check_array(out, np.array([[-1.06904344, -2.6329918, 3.0], [0.0, -1.0, 3.0], [-0.53452172, 2.2659836, 3.70709971], [1.60356516, -2.6329918, 2.29290029]]),
            "batchnorm_forward(Z, gamma, beta, state) in training mode", rtol=1e-4,   # eps is checked below
            hints={"normalised with the running statistics: in training mode use the batch's own mean and variance (the running ones are only for evaluation)": np.array([[0.35355251, -3.82839884, 2.25000375], [1.76776253, 1.82839884, 2.25000375], [1.06065752, 13.1419942, 2.75000125], [3.88907757, -3.82839884, 1.75000625]]),
                   "normalised with the updated running statistics: in training mode use the batch's own mean and variance (the running ones are only for evaluation)": np.array([[0.16605242, -2.96773195, 2.31346425], [1.49447182, 0.6099625, 2.31346425], [0.83026212, 7.76535141, 2.82200925], [3.48710092, -2.96773195, 1.80491926]]),
                   'normalised over the wrong axis: each feature (column) gets its own mean and variance, taken over the samples of the batch (axis=0)': np.array([[0.88899831, -3.79399468, 3.25399952], [1.39699734, -2.77799662, 2.74600048], [-0.46290807, 1.7774484, 2.53709193], [1.39204397, -2.82405761, 2.75999242]]),
                   'normalised with the unbiased variance (divided by N - 1): the batch itself is normalised with the biased variance (divide by N), as in BatchNorm1d': np.array([[-0.92581911, -2.41421268, 3.0], [0.0, -1.0, 3.0], [-0.46290955, 1.82842536, 3.61236784], [1.38872866, -2.41421268, 2.38763216]]),
                   'gamma and beta were not applied: return gamma * Z_hat + beta': np.array([[-1.06904344, -0.8164959, 0.0], [0.0, 0.0, 0.0], [-0.53452172, 1.6329918, 1.41419942], [1.60356516, -0.8164959, -1.41419942]])})
# a large eps shows where it goes (inside the square root): the first feature barely varies
Z_eps = np.array([[0.0, 1.0], [0.2, 3.0], [0.1, -1.0]])
state = {"running_mean": np.zeros(2), "running_var": np.ones(2)}
out, _ = batchnorm_forward(Z_eps, np.ones(2), np.zeros(2), state, eps=1.0)
check_shape(out, (3, 2), "batchnorm_forward(Z_eps, ...) output")
check_array(out, np.array([[-0.09966832, 0.0], [0.09966832, 1.04446594], [0.0, -1.04446594]]), "batchnorm_forward(..., eps=1.0)",
            hints={'eps was added outside the square root: divide by sqrt(var + eps), not by sqrt(var) + eps': np.array([[-0.09245138, 0.0], [0.09245138, 0.75959179], [0.0, -0.75959179]])})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8080)
for N, D, dtype, eps in [(2, 1, np.float64, 1e-5), (7, 3, np.float64, 1e-2), (3, 8, np.float32, 1e-5),
                         (50, 5, np.float32, 0.1), (16, 16, np.float64, 1e-5)]:
    Z = (_rng.normal(size=(N, D)) * _rng.uniform(0.1, 10, size=D) + _rng.normal(scale=5, size=D)).astype(dtype)
    gamma, beta = _rng.normal(size=D).astype(dtype), _rng.normal(size=D).astype(dtype)
    state = {"running_mean": _rng.normal(size=D).astype(dtype),
             "running_var": _rng.uniform(0.5, 2, size=D).astype(dtype)}
    rm, rv = state["running_mean"].astype(np.float64), state["running_var"].astype(np.float64)
    out, _ = batchnorm_forward(Z, gamma, beta, state, eps=eps)
    Z64, g64, b64 = Z.astype(np.float64), gamma.astype(np.float64), beta.astype(np.float64)
    mean, var = Z64.mean(axis=0), Z64.var(axis=0)
    expected = g64 * (Z64 - mean) / np.sqrt(var + eps) + b64
    tol = 1e-4 if dtype == np.float32 else 1e-7
    hints = {"normalised with the running statistics: in training mode use the batch's own mean and variance (the running ones are only for evaluation)": g64 * (Z64 - rm) / np.sqrt(rv + eps) + b64,
             'normalised with the unbiased variance (divided by N - 1): the batch itself is normalised with the biased variance (divide by N), as in BatchNorm1d': g64 * (Z64 - mean) / np.sqrt(Z64.var(axis=0, ddof=1) + eps) + b64}
    if eps >= 1e-2:   # a smaller eps outside the square root is within the tolerance of the right answer
        hints['eps was added outside the square root: divide by sqrt(var + eps), not by sqrt(var) + eps'] = g64 * (Z64 - mean) / (np.sqrt(var) + eps) + b64
    check_array(out, expected.astype(dtype), f"batchnorm_forward in training mode, N={N}, D={D}, eps={eps}, "
                f"{np.dtype(dtype).name}", rtol=tol, atol=tol, hints=hints)
# a default eps of 1e-5 inside the square root, on a feature with a tiny variance
Z = np.array([[0.0, 1.0], [0.004, 2.0], [0.002, 0.0], [0.006, 1.0]])
mean, var = Z.mean(axis=0), Z.var(axis=0)
check_array(batchnorm_forward(Z, np.ones(2), np.zeros(2), {"running_mean": np.zeros(2), "running_var": np.ones(2)})[0],
            (Z - mean) / np.sqrt(var + 1e-5), "batchnorm_forward with the default eps on a feature of variance 5e-6",
            hints={'eps was added outside the square root: divide by sqrt(var + eps), not by sqrt(var) + eps': (Z - mean) / (np.sqrt(var) + 1e-5)})
# huge values, and a feature that is constant over the batch: no warning, no nan
Z = np.column_stack([_rng.normal(size=6) * 1e3 + 1e4, np.full(6, 3.0), _rng.normal(size=6) * 1e-3])
gamma, beta = np.array([2.0, 1.5, -1.0]), np.array([0.5, -0.25, 1.0])
out, _ = call_strict(batchnorm_forward, Z, gamma, beta, {"running_mean": np.zeros(3), "running_var": np.ones(3)},
                     name="batchnorm_forward on a batch with a constant feature",
                     hint="put eps inside the square root: sqrt(var + eps) is never 0")
mean, var = Z.mean(axis=0), Z.var(axis=0)
check_array(out, gamma * (Z - mean) / np.sqrt(var + 1e-5) + beta,
            "batchnorm_forward on a batch with huge values and a constant feature (which must give beta)")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_running_stats", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_forward, training mode: the running statistics, as torch.nn.BatchNorm1d keeps them (3 points)"""
Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
state = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.0])}
batchnorm_forward(Z, gamma, beta, state)                 # momentum=0.1
check_array(state["running_mean"], np.array([0.75, -0.9, 1.85]), "state['running_mean'] after one training step",
            hints={"state was not updated: write the new running statistics into the caller's dict, state['running_mean'] and state['running_var']": np.array([0.5, -1.0, 2.0]),
                   "the momentum convention is reversed: PyTorch's BatchNorm1d keeps running = (1 - momentum) * running + momentum * batch statistic": np.array([2.75, -0.1, 0.65])})
check_array(state["running_var"], np.array([2.26666667, 1.25, 0.96666667]), "state['running_var'] after one training step",
            hints={"state was not updated: write the new running statistics into the caller's dict, state['running_mean'] and state['running_var']": np.array([2.0, 0.5, 1.0]),
                   "the momentum convention is reversed: PyTorch's BatchNorm1d keeps running = (1 - momentum) * running + momentum * batch statistic": np.array([4.4, 7.25, 0.7]),
                   'the running variance was updated with the biased batch variance: BatchNorm1d uses the unbiased one, var * N / (N - 1)': np.array([2.15, 1.05, 0.95])})
Z2 = Z[::-1] * np.array([0.5, 1.0, 2.0]) + np.array([1.0, 0.0, -1.0])
batchnorm_forward(Z2, gamma, beta, state, momentum=0.5)  # a second step, another momentum
check_array(state["running_mean"], np.array([1.625, -0.45, 0.925]), "state['running_mean'] after a second step with momentum=0.5")
check_array(state["running_var"], np.array([1.71666667, 4.625, 1.81666667]), "state['running_var'] after a second step with momentum=0.5")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4242)
for N, D, dtype, momentum in [(2, 3, np.float64, 0.1), (9, 1, np.float64, 0.3), (5, 6, np.float32, 0.05),
                              (3, 2, np.float32, 0.9)]:
    state = {"running_mean": _rng.normal(size=D).astype(dtype), "running_var": _rng.uniform(0.5, 2, size=D).astype(dtype)}
    rm, rv = state["running_mean"].astype(np.float64), state["running_var"].astype(np.float64)
    for step in range(3):
        Z = (_rng.normal(size=(N, D)) * 3 + _rng.normal(size=D)).astype(dtype)
        batchnorm_forward(Z, np.ones(D, dtype), np.zeros(D, dtype), state, momentum=momentum)
        Z64 = Z.astype(np.float64)
        mean, var_b, var_u = Z64.mean(axis=0), Z64.var(axis=0), Z64.var(axis=0, ddof=1)
        where = f"after step {step + 1} with N={N}, D={D}, momentum={momentum}, {np.dtype(dtype).name}"
        tol = 1e-4 if dtype == np.float32 else 1e-7
        check_array(state["running_mean"], ((1 - momentum) * rm + momentum * mean).astype(dtype),
                    f"state['running_mean'] {where}", rtol=tol, atol=tol,
                    hints={"the momentum convention is reversed: PyTorch's BatchNorm1d keeps running = (1 - momentum) * running + momentum * batch statistic": momentum * rm + (1 - momentum) * mean, "state was not updated: write the new running statistics into the caller's dict, state['running_mean'] and state['running_var']": rm})
        check_array(state["running_var"], ((1 - momentum) * rv + momentum * var_u).astype(dtype),
                    f"state['running_var'] {where}", rtol=tol, atol=tol,
                    hints={"the momentum convention is reversed: PyTorch's BatchNorm1d keeps running = (1 - momentum) * running + momentum * batch statistic": momentum * rv + (1 - momentum) * var_u,
                           'the running variance was updated with the biased batch variance: BatchNorm1d uses the unbiased one, var * N / (N - 1)': (1 - momentum) * rv + momentum * var_b, "state was not updated: write the new running statistics into the caller's dict, state['running_mean'] and state['running_var']": rv})
        rm, rv = (1 - momentum) * rm + momentum * mean, (1 - momentum) * rv + momentum * var_u
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_eval_mode", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_forward, evaluation mode: running statistics, state unchanged, a single example (3 points)"""
Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
state = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.0])}
out, cache = batchnorm_forward(Z, gamma, beta, state, train=False)
check_shape(out, (4, 3), "batchnorm_forward(Z, ..., train=False) output")
check_array(out, np.array([[0.35355251, -3.82839884, 2.25000375], [1.76776253, 1.82839884, 2.25000375], [1.06065752, 13.1419942, 2.75000125], [3.88907757, -3.82839884, 1.75000625]]), "batchnorm_forward(Z, gamma, beta, state, train=False)",
            hints={"evaluation mode normalised with the batch statistics: when train=False use state['running_mean'] and state['running_var']": np.array([[-1.06904344, -2.6329918, 3.0], [0.0, -1.0, 3.0], [-0.53452172, 2.2659836, 3.70709971], [1.60356516, -2.6329918, 2.29290029]])})
check_array(state["running_mean"], np.array([0.5, -1.0, 2.0]), "state['running_mean'] after evaluation mode",
            hints={'evaluation mode changed the running statistics: leave state unchanged when train=False': np.array([0.75, -0.9, 1.85])})
check_array(state["running_var"], np.array([2.0, 0.5, 1.0]), "state['running_var'] after evaluation mode",
            hints={'evaluation mode changed the running statistics: leave state unchanged when train=False': np.array([2.26666667, 1.25, 0.96666667])})
# a single example: fine in evaluation mode, and the same as in a batch
single, _ = batchnorm_forward(Z[2:3], gamma, beta, state, train=False)
check_array(single, np.array([[1.06065752, 13.1419942, 2.75000125]]), "batchnorm_forward of a single example with train=False")
# ... but a ValueError in training mode: one sample has no batch variance
try:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        batchnorm_forward(Z[2:3], gamma, beta, {k: v.copy() for k, v in state.items()}, train=True)
except ValueError:
    pass
else:
    raise AssertionError("batchnorm_forward of a single example with train=True should raise ValueError: "
                         "one sample has no batch variance (PyTorch: 'Expected more than 1 value per channel "
                         "when training')")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1357)
for N, D, dtype, eps in [(1, 4, np.float64, 1e-5), (6, 2, np.float32, 1e-5), (3, 5, np.float64, 0.5), (1, 1, np.float32, 1e-3)]:
    Z = (_rng.normal(size=(N, D)) * 2 + 1).astype(dtype)
    gamma, beta = _rng.normal(size=D).astype(dtype), _rng.normal(size=D).astype(dtype)
    rm, rv = _rng.normal(size=D).astype(dtype), _rng.uniform(0.1, 3, size=D).astype(dtype)
    state = {"running_mean": rm.copy(), "running_var": rv.copy()}
    out, _ = batchnorm_forward(Z, gamma, beta, state, train=False, momentum=0.3, eps=eps)
    Z64, g64, b64 = Z.astype(np.float64), gamma.astype(np.float64), beta.astype(np.float64)
    expected = g64 * (Z64 - rm.astype(np.float64)) / np.sqrt(rv.astype(np.float64) + eps) + b64
    tol = 1e-4 if dtype == np.float32 else 1e-7
    hints = {}
    if N > 1:
        hints["evaluation mode normalised with the batch statistics: when train=False use state['running_mean'] and state['running_var']"] = g64 * (Z64 - Z64.mean(axis=0)) / np.sqrt(Z64.var(axis=0) + eps) + b64
    check_array(out, expected.astype(dtype), f"batchnorm_forward(train=False) with N={N}, D={D}, eps={eps}, "
                f"{np.dtype(dtype).name}", rtol=tol, atol=tol, hints=hints)
    check_array(state["running_mean"], rm, "state['running_mean'] after evaluation mode",
                hints={'evaluation mode changed the running statistics: leave state unchanged when train=False': 0.7 * rm + 0.3 * Z64.mean(axis=0)} if N > 1 else None)
    check_array(state["running_var"], rv, "state['running_var'] after evaluation mode")
for dtype in (np.float32, np.float64):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            batchnorm_forward(np.ones((1, 3), dtype), np.ones(3, dtype), np.zeros(3, dtype),
                              {"running_mean": np.zeros(3, dtype), "running_var": np.ones(3, dtype)})
    except ValueError:
        pass
    else:
        raise AssertionError("batchnorm_forward of a single example in training mode (the default) should raise ValueError")
### END HIDDEN TESTS

# %% [markdown]
# ### Batch norm on a feature: training mode against evaluation mode
#
# 200 pre-activations of 3 features with very different means and scales: in training mode every column
# comes out with mean $\beta_j = 0$ and standard deviation $\gamma_j = 1$. The running statistics reach
# the true ones only over many batches.

# %%
Z_demo = rng.normal(size=(200, 3)) * np.array([0.5, 3.0, 20.0]) + np.array([-2.0, 5.0, 100.0])
gamma_demo, beta_demo = np.ones(3), np.zeros(3)
state_demo = {"running_mean": np.zeros(3), "running_var": np.ones(3)}
out_demo, _ = batchnorm_forward(Z_demo, gamma_demo, beta_demo, state_demo)
print("input  means:", np.round(Z_demo.mean(axis=0), 2), " stds:", np.round(Z_demo.std(axis=0), 2))
print("output means:", np.round(out_demo.mean(axis=0), 2) + 0.0, " stds:", np.round(out_demo.std(axis=0), 2))
print("running mean after 1 batch:  ", np.round(state_demo["running_mean"], 2))
for _ in range(49):
    batch = Z_demo[rng.choice(200, size=20, replace=False)]
    batchnorm_forward(batch, gamma_demo, beta_demo, state_demo)
print("running mean after 50 batches:", np.round(state_demo["running_mean"], 2))
print("running std  after 50 batches:", np.round(np.sqrt(state_demo["running_var"]), 2))

# %% [markdown]
# ### The parameters have the size of the bias, and the bias before batch norm is redundant
#
# A hidden layer with $d$ units has $W \in \mathbb{R}^{d \times d_{in}}$ and $b \in \mathbb{R}^{d}$;
# batch norm adds $\gamma, \beta \in \mathbb{R}^{d}$, one scale and one shift per unit, like the bias.
# The bias now does nothing: adding $b_j$ to every $z^{(i)}_j$ adds it to $\mu_j$ too, and $z - \mu$
# removes it. That is why a PyTorch layer before batch norm is usually built with `Linear(..., bias=False)`.

# %%
X_small = rng.normal(size=(8, 5))
W_small, b_small = rng.normal(size=(4, 5)), rng.normal(size=4) * 10
gamma_small, beta_small = np.ones(4), np.zeros(4)
print("W:", W_small.shape, " b:", b_small.shape, " gamma:", gamma_small.shape, " beta:", beta_small.shape)
fresh = lambda: {"running_mean": np.zeros(4), "running_var": np.ones(4)}
with_bias, _ = batchnorm_forward(X_small @ W_small.T + b_small, gamma_small, beta_small, fresh())
without_bias, _ = batchnorm_forward(X_small @ W_small.T, gamma_small, beta_small, fresh())
print("largest difference with and without the bias:", f"{np.abs(with_bias - without_bias).max():.1e}" if
      np.abs(with_bias - without_bias).max() > 1e-12 else "< 1e-12")


# %% [markdown]
# ## 2. The backward pass: derive it twice
#
# Let $g^{(i)}_j = \partial J / \partial \tilde z^{(i)}_j$ be the upstream gradient `dout`. You will derive
# $\partial J/\partial z$, $\partial J/\partial \gamma$ and $\partial J/\partial \beta$ twice, as CS231n's
# assignment 2 asks: along the computational graph one node at a time, then simplified on paper.
#
# **In training mode** the forward pass of one feature is this graph (every node a NumPy line):
#
# $$z \;\to\; \mu = \tfrac{1}{n}\textstyle\sum_i z^{(i)}, \qquad
#   c = z - \mu, \qquad
#   \sigma^2 = \tfrac{1}{n}\textstyle\sum_i \bigl(c^{(i)}\bigr)^2, \qquad
#   r = (\sigma^2 + \epsilon)^{-1/2}, \qquad
#   z' = c\, r, \qquad
#   \tilde z = \gamma z' + \beta .$$
#
# Note where the graph **branches**: $z$ reaches $c$ directly and through $\mu$; $c$ reaches $z'$
# directly and through $\sigma^2$ and $r$. So every sample's output depends on every other sample of the
# batch. **In evaluation mode** $\mu$ and $\sigma^2$ are the running statistics: constants.
#
# **Exercise 1 (the graph).** Implement `batchnorm_backward(dout, cache)` for both modes, from $\tilde z$
# back to $z$, one local derivative per node, each a line of NumPy, answering on the way:
#
# 1. $\tilde z = \gamma z' + \beta$: which gradients reach $\gamma$, $\beta$ and $z'$? (Over which axis do
#    you sum, and why?)
# 2. $z' = c\,r$: a product, so two gradients, one for $c$ and one for $r$. $r$ has shape $(D,)$ but was
#    used by every sample: what does that mean for its gradient?
# 3. $r = (\sigma^2 + \epsilon)^{-1/2}$ and $\sigma^2 = \frac{1}{n}\sum_i c^2$: chain them back to $c$.
#    $c$ now has two incoming gradients. What do you do with them?
# 4. $c = z - \mu$ and $\mu = \frac{1}{n}\sum_i z$: the same question for $z$.
#
# <details><summary>Hint: the two rules you need at the branches</summary>
#
# A value used in two places gets the **sum** of the two gradients that come back. A value of shape
# $(D,)$ that was broadcast over the $n$ rows gets the **sum over the rows** of the gradient at its
# broadcast copy. A mean over $n$ rows sends each row $\frac{1}{n}$ of the gradient that reaches it.
# </details>
#
# Use what your forward pass put in `cache` (change it if you need more). No Python loop over samples or
# features.

# %% nbgrader={"grade": false, "grade_id": "batchnorm_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_backward(dout, cache):
    """Gradients of batch normalisation, in the mode the forward pass ran in.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient, d loss / d out.
    cache : what batchnorm_forward returned with `out`

    Returns
    -------
    dZ : ndarray of shape (N, D), the dtype of dout
    dgamma, dbeta : ndarray of shape (D,)
    """
    ### BEGIN SOLUTION
    Z_hat, gamma, inv_std, train = cache
    dbeta = dout.sum(axis=0)                        # out = gamma * Z_hat + beta
    dgamma = (dout * Z_hat).sum(axis=0)
    dZ_hat = dout * gamma
    if not train:                                   # Z_hat = (Z - running mean) * constant
        return dZ_hat * inv_std, dgamma, dbeta
    N = dout.shape[0]
    C = Z_hat / inv_std                             # the centred input Z - mu
    dC = dZ_hat * inv_std                           # Z_hat = C * inv_std: the direct path to C ...
    dinv_std = (dZ_hat * C).sum(axis=0)             # ... and inv_std, broadcast over the rows
    dvar = -0.5 * inv_std ** 3 * dinv_std           # inv_std = (var + eps) ** -0.5
    dC = dC + 2.0 * C * dvar / N                    # var = mean(C ** 2): the second path to C
    dmean = -dC.sum(axis=0)                         # C = Z - mean
    dZ = dC + dmean / N                             # mean = mean(Z): the second path to Z
    return dZ.astype(dout.dtype, copy=False), dgamma, dbeta
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_backward", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_backward, training mode: dZ, dgamma and dbeta (4 points)"""
Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
state = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.0])}
dout = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [-2.0, 1.5, 0.5], [0.0, 1.0, 1.0]])
_, cache = batchnorm_forward(Z, gamma, beta, state)
grads = batchnorm_backward(dout, cache)
assert isinstance(grads, tuple) and len(grads) == 3, "batchnorm_backward should return a tuple (dZ, dgamma, dbeta)"
dZ, dgamma, dbeta = grads
check_shape(dZ, (4, 3), "dZ")
check_shape(dgamma, (3,), "dgamma")
check_shape(dbeta, (3,), "dbeta")
check_array(dbeta, np.array([-0.5, 1.5, 2.5]), "dbeta")
check_array(dgamma, np.array([0.53452172, 2.4494877, -0.70709971]), "dgamma", hints={'dgamma must sum dout times the normalised input Z_hat, not times Z': np.array([-0.5, 6.0, 0.75])})
check_array(dZ, np.array([[0.4104361, -0.71443459, 0.9722621], [0.60133694, -0.30618596, -1.14903703], [-0.96404821, 0.10206335, 0.08838393], [-0.04772483, 0.91855721, 0.088391]]), "dZ in training mode",
            hints={'dZ treats the batch mean and variance as constants: in training mode they depend on Z too, so add the terms through the mean and the variance': np.array([[0.26726086, -0.8164959, 1.41419942], [0.53452172, 0.0, -0.70709971], [-1.06904344, 1.22474385, 0.35354986], [0.0, 0.8164959, 0.70709971]]),
                   'dZ is missing the term through the variance': np.array([[0.33407608, -1.12268186, 0.9722621], [0.60133694, -0.30618596, -1.14903703], [-1.00222823, 0.91855789, -0.08838746], [0.06681522, 0.51030994, 0.26516239]]),
                   'dZ is missing the term through the mean': np.array([[0.34362089, -0.40824863, 1.41419942], [0.53452172, 0.0, -0.70709971], [-1.03086343, 0.40824931, 0.53032125], [-0.11454004, 1.22474317, 0.53032832]]),
                   'dZ ignores gamma: the gradient reaching the normalised input is dout * gamma': np.array([[0.4104361, -0.3572173, 1.9445242], [0.60133694, -0.15309298, -2.29807406], [-0.96404821, 0.05103167, 0.17676786], [-0.04772483, 0.4592786, 0.176782]])})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2718)
for N, D, dtype, eps in [(2, 1, np.float64, 1e-5), (5, 7, np.float64, 0.3), (8, 3, np.float32, 1e-5),
                         (3, 3, np.float64, 1e-5), (40, 6, np.float32, 1e-2)]:
    Z = (_rng.normal(size=(N, D)) * _rng.uniform(0.5, 4, size=D) + _rng.normal(size=D)).astype(dtype)
    gamma, beta = _rng.normal(size=D).astype(dtype), _rng.normal(size=D).astype(dtype)
    dout = _rng.normal(size=(N, D)).astype(dtype)
    state = {"running_mean": np.zeros(D, dtype), "running_var": np.ones(D, dtype)}
    _, cache = batchnorm_forward(Z, gamma, beta, state, momentum=0.2, eps=eps)
    dZ, dgamma, dbeta = batchnorm_backward(dout, cache)
    Z64, g64, d64 = Z.astype(np.float64), gamma.astype(np.float64), dout.astype(np.float64)
    s = np.sqrt(Z64.var(axis=0) + eps)
    Z_hat = (Z64 - Z64.mean(axis=0)) / s
    h = d64 * g64
    where = f"with N={N}, D={D}, eps={eps}, {np.dtype(dtype).name}"
    tol = 2e-4 if dtype == np.float32 else 1e-7
    check_array(dbeta, d64.sum(axis=0).astype(dtype), f"dbeta {where}", rtol=tol, atol=tol)
    check_array(dgamma, (d64 * Z_hat).sum(axis=0).astype(dtype), f"dgamma {where}", rtol=tol, atol=tol,
                hints={'dgamma must sum dout times the normalised input Z_hat, not times Z': (d64 * Z64).sum(axis=0)})
    check_array(dZ, ((h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / s).astype(dtype),
                f"dZ in training mode {where}", rtol=tol, atol=tol,
                hints={'dZ treats the batch mean and variance as constants: in training mode they depend on Z too, so add the terms through the mean and the variance': h / s, 'dZ is missing the term through the variance': (h - h.mean(axis=0)) / s,
                       'dZ is missing the term through the mean': (h - Z_hat * (h * Z_hat).mean(axis=0)) / s})
# the gradient of every sample's output flows into every other sample: dZ sums to zero over the batch
Z, dout = _rng.normal(size=(6, 4)) * 5, _rng.normal(size=(6, 4))
_, cache = batchnorm_forward(Z, np.ones(4), np.zeros(4), {"running_mean": np.zeros(4), "running_var": np.ones(4)})
check_array(batchnorm_backward(dout, cache)[0].sum(axis=0), np.zeros(4), "dZ.sum(axis=0) in training mode",
            atol=1e-9, hints={'dZ treats the batch mean and variance as constants: in training mode they depend on Z too, so add the terms through the mean and the variance': dout.sum(axis=0) / np.sqrt(Z.var(axis=0) + 1e-5)})
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_backward_eval", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_backward, evaluation mode: the running statistics are constants (2 points)"""
Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 3.0])
state = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.0])}
dout = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [-2.0, 1.5, 0.5], [0.0, 1.0, 1.0]])
_, cache = batchnorm_forward(Z, gamma, beta, state, train=False)
dZ, dgamma, dbeta = batchnorm_backward(dout, cache)
check_shape(dZ, (4, 3), "dZ in evaluation mode")
check_array(dbeta, np.array([-0.5, 1.5, 2.5]), "dbeta in evaluation mode")
check_array(dgamma, np.array([-0.17677625, 10.60649565, -4.24997875]), "dgamma in evaluation mode (Z_hat uses the running statistics)")
check_array(dZ, np.array([[0.35355251, -2.82839884, 0.999995], [0.70710501, 0.0, -0.4999975], [-1.41421003, 4.24259826, 0.24999875], [0.0, 2.82839884, 0.4999975]]), "dZ in evaluation mode",
            hints={'in evaluation mode the running statistics are constants: there are no terms through the mean and the variance, dZ = dout * gamma / sqrt(running_var + eps)': np.array([[0.45298909, 6.71723512, -0.10936648], [0.85073544, -11.66693309, -1.60935898], [-1.29267652, -49.84946894, -0.3281207], [0.20992119, 12.3740328, -1.14060602]]),
                   'dZ in evaluation mode was computed as in training mode, from the batch statistics: use the running statistics, dZ = dout * gamma / sqrt(running_var + eps)': np.array([[0.4104361, -0.71443459, 0.9722621], [0.60133694, -0.30618596, -1.14903703], [-0.96404821, 0.10206335, 0.08838393], [-0.04772483, 0.91855721, 0.088391]])})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(31415)
for N, D, dtype, eps in [(1, 3, np.float64, 1e-5), (6, 2, np.float32, 1e-5), (4, 5, np.float64, 0.2)]:
    Z = (_rng.normal(size=(N, D)) * 2).astype(dtype)
    gamma, dout = _rng.normal(size=D).astype(dtype), _rng.normal(size=(N, D)).astype(dtype)
    rm, rv = _rng.normal(size=D).astype(dtype), _rng.uniform(0.2, 3, size=D).astype(dtype)
    _, cache = batchnorm_forward(Z, gamma, np.zeros(D, dtype), {"running_mean": rm, "running_var": rv},
                                 train=False, eps=eps)
    dZ, dgamma, dbeta = batchnorm_backward(dout, cache)
    Z64, g64, d64 = Z.astype(np.float64), gamma.astype(np.float64), dout.astype(np.float64)
    s = np.sqrt(rv.astype(np.float64) + eps)
    Z_hat = (Z64 - rm.astype(np.float64)) / s
    h = d64 * g64
    where = f"in evaluation mode with N={N}, D={D}, eps={eps}, {np.dtype(dtype).name}"
    tol = 1e-4 if dtype == np.float32 else 1e-7
    check_array(dZ, (h / s).astype(dtype), f"dZ {where}", rtol=tol, atol=tol,
                hints={'in evaluation mode the running statistics are constants: there are no terms through the mean and the variance, dZ = dout * gamma / sqrt(running_var + eps)': (h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / s})
    check_array(dgamma, (d64 * Z_hat).sum(axis=0).astype(dtype), f"dgamma {where}", rtol=tol, atol=tol)
    check_array(dbeta, d64.sum(axis=0).astype(dtype), f"dbeta {where}", rtol=tol, atol=tol)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_vectorised", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_forward and batchnorm_backward: no Python loop over samples or features (2 points)"""
def operations(N, D, train=True, backward=False):
    """How many numpy operations batchnorm_forward (or _backward) does on a batch of shape (N, D)."""
    r = np.random.default_rng(0)
    Z, gamma, beta = r.normal(size=(N, D)), r.uniform(0.5, 2, D), r.normal(size=D)
    state = {"running_mean": r.normal(size=D), "running_var": r.uniform(0.5, 2, D)}
    (_, cache), count = count_operations(batchnorm_forward, Z, gamma, beta, state, train=train)
    if backward:
        _, count = count_operations(batchnorm_backward, r.normal(size=(N, D)), cache)
    return count


def check_no_loop(train, backward):
    name = "batchnorm_backward" if backward else "batchnorm_forward"
    mode = "training" if train else "evaluation"
    small = operations(4, 3, train, backward)
    for N, D, what in [(4, 99, "features"), (99, 3, "samples")]:
        large = operations(N, D, train, backward)
        assert large <= small + 10, (
            f"{name} in {mode} mode did {large} numpy operations on a ({N}, {D}) batch but {small} on a (4, 3) "
            f"one: looks like a Python loop over the {what}. Compute each statistic for all features at once "
            "with reductions along axis=0 and broadcasting.")


# The check counts operations instead of timing them: a count does not depend on the machine's load.
check_no_loop(train=True, backward=False)
### BEGIN HIDDEN TESTS
check_no_loop(train=False, backward=False)
check_no_loop(train=True, backward=True)
check_no_loop(train=False, backward=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: the one-line form
#
# On paper, substitute each node's gradient into the next and simplify, for training mode, writing
# $h = \gamma * g$ for the gradient that reaches $z'$ and $s = \sqrt{\sigma^2 + \epsilon}$. Two facts make it collapse: $\sum_i c^{(i)} = 0$ (so one of the terms
# through $\mu$ vanishes), and $c = s\,z'$. What is left fits in **one line** of NumPy for $dZ$, written with
# $z'$, $h$ and $s$ only, using two means over the batch.
#
# <details><summary>Hint: what to check on paper</summary>
#
# Your final expression must give a $dZ$ whose columns sum to zero (adding a constant to a feature's
# inputs does not change its outputs), and must reduce to $h / s$ when the batch statistics are held fixed.
# </details>
#
# **Exercise.** Implement `batchnorm_backward_alt(dout, Z_hat, gamma, std)` with the simplified form (its
# inputs are explicit, so it does not depend on your cache).

# %% nbgrader={"grade": false, "grade_id": "batchnorm_backward_alt", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_backward_alt(dout, Z_hat, gamma, std):
    """Gradients of batch normalisation in training mode, dZ in the simplified one-line form.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient, dJ / d out.
    Z_hat : ndarray of shape (N, D)
        The standardised input z' of the forward pass (batch statistics).
    gamma : ndarray of shape (D,)
    std : ndarray of shape (D,)
        sqrt(batch variance + eps), the s of the forward pass.

    Returns
    -------
    dZ : ndarray of shape (N, D), the dtype of dout
    dgamma, dbeta : ndarray of shape (D,)
    """
    ### BEGIN SOLUTION
    h = dout * gamma
    dZ = (h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / std
    return dZ, (dout * Z_hat).sum(axis=0), dout.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_backward_alt", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""batchnorm_backward_alt: the simplified dZ equals the gradient of the training-mode transform (3 points)"""
def standardise(Z, eps=1e-5):
    std = np.sqrt(Z.var(axis=0) + eps)
    return (Z - Z.mean(axis=0)) / std, std

Z = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 0.5], [2.0, 4.0, 1.5], [6.0, -2.0, -0.5]])   # N=4, D=3
gamma = np.array([1.0, 2.0, 0.5])
dout = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [-2.0, 1.5, 0.5], [0.0, 1.0, 1.0]])
Z_hat, std = standardise(Z)
grads = batchnorm_backward_alt(dout, Z_hat, gamma, std)
assert isinstance(grads, tuple) and len(grads) == 3, "batchnorm_backward_alt should return a tuple (dZ, dgamma, dbeta)"
dZ, dgamma, dbeta = grads
check_shape(dZ, (4, 3), "dZ of batchnorm_backward_alt")
check_array(dbeta, np.array([-0.5, 1.5, 2.5]), "dbeta of batchnorm_backward_alt")
check_array(dgamma, np.array([0.53452172, 2.4494877, -0.70709971]), "dgamma of batchnorm_backward_alt")
h = dout * gamma
check_array(dZ, np.array([[0.4104361, -0.71443459, 0.9722621], [0.60133694, -0.30618596, -1.14903703], [-0.96404821, 0.10206335, 0.08838393], [-0.04772483, 0.91855721, 0.088391]]),
            "dZ of batchnorm_backward_alt",
            hints={"dZ is missing the term through the mean: its columns should sum to zero":
                       (h - Z_hat * (h * Z_hat).mean(axis=0)) / std,
                   "dZ is missing the term through the variance": (h - h.mean(axis=0)) / std,
                   "dZ treats the batch mean and variance as constants: both terms through them are missing": h / std,
                   "the two terms through the batch statistics are sums where they should be means (a 1/N is missing)":
                       (h - h.sum(axis=0) - Z_hat * (h * Z_hat).sum(axis=0)) / std,
                   "dZ is not divided by std: the chain ends with the factor 1/s of z' = c / s":
                       h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0),
                   "the variance term uses 1/(N-1): the forward pass normalises with the biased variance (1/N)":
                       (h - h.mean(axis=0) - Z_hat * (h * Z_hat).sum(axis=0) / 3) / std})
def _loss(Z_in):
    Z_hat_in, _ = standardise(Z_in)
    return np.sum(dout * (gamma * Z_hat_in))
check_gradient(_loss, Z.copy(), dZ)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1618)
for N, D, dtype, eps in [(2, 1, np.float64, 1e-5), (3, 3, np.float64, 1e-5), (7, 4, np.float32, 1e-5),
                         (5, 9, np.float64, 0.3), (64, 5, np.float32, 1e-3)]:
    Z = (_rng.normal(size=(N, D)) * _rng.uniform(0.5, 4, size=D) + _rng.normal(size=D)).astype(dtype)
    gamma, dout = _rng.normal(size=D).astype(dtype), _rng.normal(size=(N, D)).astype(dtype)
    Z64, g64, d64 = Z.astype(np.float64), gamma.astype(np.float64), dout.astype(np.float64)
    Z_hat, std = standardise(Z64, eps)
    dZ, dgamma, dbeta = batchnorm_backward_alt(dout, Z_hat.astype(dtype), gamma, std.astype(dtype))
    where = f"of batchnorm_backward_alt with N={N}, D={D}, eps={eps}, {np.dtype(dtype).name}"
    h = d64 * g64
    tol = 2e-4 if dtype == np.float32 else 1e-7
    check_shape(dZ, (N, D), f"dZ {where}")
    assert dZ.dtype == dtype, f"dZ {where}: expected dtype {np.dtype(dtype).name}, got {dZ.dtype}"
    check_array(dZ, ((h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / std).astype(dtype), f"dZ {where}",
                rtol=tol, atol=tol,
                hints={"dZ is missing the term through the mean": (h - Z_hat * (h * Z_hat).mean(axis=0)) / std,
                       "dZ is missing the term through the variance": (h - h.mean(axis=0)) / std})
    check_array(dgamma, (d64 * Z_hat).sum(axis=0).astype(dtype), f"dgamma {where}", rtol=tol, atol=tol)
    check_array(dbeta, d64.sum(axis=0).astype(dtype), f"dbeta {where}", rtol=tol, atol=tol)
    if dtype == np.float64 and eps < 0.1:
        check_gradient(lambda V: np.sum(d64 * (g64 * standardise(V, eps)[0])), Z64.copy(), dZ)
### END HIDDEN TESTS

# %% [markdown]
# ### Gradient check
#
# A centred-difference check of all three gradients, in both modes, with the loss
# $L = \sum_{i,j} r^{(i)}_j\, \tilde z^{(i)}_j$ for a fixed random $r$, so that $\partial L / \partial \tilde z = r$.

# %%
Z_gc = rng.normal(size=(5, 4)) * 2 + 1
gamma_gc, beta_gc, R_gc = rng.normal(size=4), rng.normal(size=4), rng.normal(size=(5, 4))
state_gc = {"running_mean": rng.normal(size=4), "running_var": rng.uniform(0.5, 2, size=4)}

def loss_gc(Z, gamma, beta, train):
    out, _ = batchnorm_forward(Z, gamma, beta, copy.deepcopy(state_gc), train=train)
    return np.sum(R_gc * out)

for train_mode in (True, False):
    _, cache = batchnorm_forward(Z_gc, gamma_gc, beta_gc, copy.deepcopy(state_gc), train=train_mode)
    dZ_gc, dgamma_gc, dbeta_gc = batchnorm_backward(R_gc, cache)
    errors = {
        "dZ": check_gradient(lambda Z: loss_gc(Z, gamma_gc, beta_gc, train_mode), Z_gc, dZ_gc),
        "dgamma": check_gradient(lambda g: loss_gc(Z_gc, g, beta_gc, train_mode), gamma_gc, dgamma_gc),
        "dbeta": check_gradient(lambda b: loss_gc(Z_gc, gamma_gc, b, train_mode), beta_gc, dbeta_gc),
    }
    mode = "training  " if train_mode else "evaluation"
    print(f"{mode} mode:", ", ".join(f"{k} relative error < 1e-7: {v < 1e-7}" for k, v in errors.items()))

# %% [markdown]
# The bias before batch norm, seen from the backward pass: its gradient $\partial L/\partial b_j =
# \sum_i \partial L/\partial z^{(i)}_j$ is zero in training mode (up to rounding) for any upstream
# gradient, so gradient descent never moves it.

# %%
_, cache = batchnorm_forward(X_small @ W_small.T + b_small, gamma_small, beta_small, fresh())
dZ_small, _, _ = batchnorm_backward(rng.normal(size=(8, 4)), cache)
db_small = dZ_small.sum(axis=0)        # affine_backward's db
print("largest |db| through batch norm:", "< 1e-12" if np.abs(db_small).max() < 1e-12 else f"{np.abs(db_small).max():.1e}")


# %% [markdown]
# ## 3. What batch norm buys: a deep network with and without it
#
# Two networks of 10 layers (9 hidden layers of 32 ReLU units) on the three-class spirals, from the
# **same initial weights** (He initialisation), on the **same minibatches**:
#
# - **plain:** affine → ReLU → ... → affine;
# - **with batch norm:** affine → *batch norm* → ReLU → ... → affine: hidden pre-activations are
#   normalised before the non-linearity (the lecture's "pre-activation scaling of net inputs"), the
#   output layer's are not.
#
# The code uses notebook 03's affine layers, notebook 04's `ACTIVATIONS` and **your**
# `batchnorm_forward`/`batchnorm_backward`, with one running-statistics dict per hidden layer in `states`.

# %%
def init_deep_net(params0, batch_norm):
    # A copy of the initial weights params0, plus gamma, beta and running statistics per hidden layer.
    params, states = copy.deepcopy(params0), []
    if batch_norm:
        for l in range(1, num_layers(params0)):
            width = len(params0[f"b{l}"])
            params[f"gamma{l}"], params[f"beta{l}"] = np.ones(width), np.zeros(width)
            states.append({"running_mean": np.zeros(width), "running_var": np.ones(width)})
    return params, states


def deep_net_forward(X, params, states, train=True, activation="relu"):
    # Logits (N, C), the caches for the backward pass, and every hidden layer's activation input.
    f, _ = ACTIVATIONS[activation]
    L = num_layers(params)
    A, caches, inputs = X, [], []
    for l in range(1, L + 1):
        Z, affine_cache = affine_forward(A, params[f"W{l}"], params[f"b{l}"])
        if l == L:
            caches.append((affine_cache, None, None))
            return Z, caches, inputs
        bn_cache = None
        if states:
            Z, bn_cache = batchnorm_forward(Z, params[f"gamma{l}"], params[f"beta{l}"], states[l - 1], train=train)
        caches.append((affine_cache, bn_cache, Z))
        inputs.append(Z)
        A = f(Z)


def deep_net_loss_and_grads(params, X, y, states, activation="relu"):
    # Mean cross-entropy of a training step (batch statistics) and the gradient of every parameter.
    _, df = ACTIVATIONS[activation]
    logits, caches, _ = deep_net_forward(X, params, states, train=True, activation=activation)
    loss, dA = softmax_cross_entropy(logits, y), softmax_cross_entropy_grad(logits, y)
    grads = {}
    for l in range(len(caches), 0, -1):
        affine_cache, bn_cache, Z = caches[l - 1]
        dZ = dA if l == len(caches) else dA * df(Z)
        if bn_cache is not None:
            dZ, grads[f"gamma{l}"], grads[f"beta{l}"] = batchnorm_backward(dZ, bn_cache)
        dA, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(dZ, affine_cache)
    return loss, grads


def eval_loss(params, states, X, y):
    # Cross-entropy in evaluation mode (running statistics): how a trained network is used.
    return softmax_cross_entropy(deep_net_forward(X, params, states, train=False)[0], y)


def eval_accuracy(params, states, X, y):
    return float(np.mean(np.argmax(deep_net_forward(X, params, states, train=False)[0], axis=1) == y))


# %% [markdown]
# 450 points: 360 for training, 90 for validation, in minibatches of 60 (a last batch of one sample would
# make batch norm fail in training mode: PyTorch's `DataLoader(..., drop_last=True)` exists for that).
# We also record the training-set loss **in evaluation mode**, as the network will be used.

# %%
X_spiral, y_spiral = datasets.spirals(rng, n_per_class=150, noise=0.2)
X_train, X_val, y_train, y_val = datasets.train_val_split(X_spiral, y_spiral, val_fraction=0.2, rng=rng)
print("train:", X_train.shape, " validation:", X_val.shape)

sizes = [2] + [32] * 9 + [3]
params0 = init_mlp(sizes, rng, he_std)          # the initial weights both networks start from
shuffle_seed = int(rng.integers(2**31))               # and the same minibatches for both


LAYER = 5                                             # the hidden layer whose activation inputs we watch


def train_deep_net(batch_norm, lr, epochs=30, snapshot_epochs=(), eval_every_epoch=True, progress=True):
    # Train a fresh copy of the network; returns params, states, history and {epoch: snapshot}.
    params, states = init_deep_net(params0, batch_norm)
    snapshots = {}

    def snapshot(epoch, history, params):
        # layer LAYER's activation inputs on the whole training set, in training mode, on a copy of
        # the running statistics: watching must not change them
        if epoch in snapshot_epochs:
            snapshots[epoch] = deep_net_forward(X_train, params, copy.deepcopy(states))[2][LAYER - 1]

    snapshot(0, None, params)
    history = train(params, lambda p, X, y: deep_net_loss_and_grads(p, X, y, states), SGD(lr),
                    X_train, y_train, epochs=epochs, batch_size=60, rng=np.random.default_rng(shuffle_seed),
                    metrics={"eval_loss": lambda p, X, y: eval_loss(p, states, X, y)} if eval_every_epoch else None,
                    on_epoch_end=lambda epoch, history, params: snapshot(epoch + 1, history, params),
                    progress=progress, desc="with batch norm" if batch_norm else "plain")
    return params, states, history, snapshots


# %% [markdown]
# ### Loss curves at one learning rate
#
# Both networks, SGD with learning rate $0.1$ (a good one for the plain network), 30 epochs.

# %%
SNAPSHOT_EPOCHS = (0, 1, 3, 10, 30)
runs = {batch_norm: train_deep_net(batch_norm, lr=0.1, snapshot_epochs=SNAPSHOT_EPOCHS) for batch_norm in (False, True)}
for batch_norm, (params, states, history, _) in runs.items():
    name = "with batch norm" if batch_norm else "plain          "
    print(f"{name}: training loss (eval mode) after 3 epochs {history['eval_loss'][2]:.3f}, "
          f"after 30 {history['eval_loss'][-1]:.3f}; validation accuracy {eval_accuracy(params, states, X_val, y_val):.2f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, key, title in [(axes[0], "loss", "mean minibatch loss (training mode)"),
                       (axes[1], "eval_loss", "training-set loss in evaluation mode")]:
    curves = {("with batch norm" if bn else "plain"): run[2][key] for bn, run in runs.items()}
    plots.curves(ax, curves, keys=("plain", "with batch norm"), title=title, ylabel="cross-entropy")
plt.show()


# %% [markdown]
# At this learning rate, a good one for the plain network, batch norm does not buy speed: after 30
# epochs both losses are low. What differs is the shape: the plain run has **spikes**, epochs where its
# loss jumps up before recovering, while the batch-norm curve comes down smoothly. Normalising layer $l$
# gives layer $l+1$ inputs with mean $\beta$ and spread $\gamma$ whatever the weights below do, so layer
# $l+1$ trains on a steady scale and one unlucky step cannot throw the layers above off. Batch norm's
# real advantage, the range of learning rates that train, shows in the sweep below.

# %% [markdown]
# ### A learning-rate sweep
#
# **Predict before you run.** Before you run the sweep, guess for each network at which of the rates
# $0.01, 0.03, 0.1, 0.3, 1$ it still reaches 90% validation accuracy. Which end of the range do you expect
# the plain network to fail at, and why? Then compare with the plot.
#
# The same two networks, trained for 30 epochs at learning rates from $0.01$ to $1$. Below: the final
# training-set loss in evaluation mode (the dotted line is $\log 3$, the loss of guessing uniformly;
# a point on the top edge is off the chart: that run diverged) and the validation accuracy.

# %%
# NBVAL_IGNORE_OUTPUT
# (at the edges of the range training is chaotic: the last digits of matrix products, which differ from CPU
#  to CPU, decide whether the plain network reaches 0.90 at 0.3; tests/test_notebook_claims.py checks that
#  batch norm trains at every rate here and the plain network not at the smallest and the largest)
learning_rates = [0.01, 0.03, 0.1, 0.3, 1.0]
sweep = {False: {"loss": [], "accuracy": []}, True: {"loss": [], "accuracy": []}}
with np.errstate(all="ignore"):                       # the plain network overflows at large rates
    for lr in tqdm(learning_rates, desc="learning-rate sweep"):
        for batch_norm in (False, True):
            params, states, history, _ = train_deep_net(batch_norm, lr, epochs=30, eval_every_epoch=False,
                                                        progress=False)
            loss = eval_loss(params, states, X_train, y_train)
            sweep[batch_norm]["loss"].append(loss if np.isfinite(loss) else np.inf)
            sweep[batch_norm]["accuracy"].append(eval_accuracy(params, states, X_val, y_val))

TOP = 1.5
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for batch_norm, marker in ((False, "o"), (True, "s")):
    label = "with batch norm" if batch_norm else "plain"
    axes[0].plot(learning_rates, np.minimum(sweep[batch_norm]["loss"], TOP), marker=marker, label=label)
    axes[1].plot(learning_rates, sweep[batch_norm]["accuracy"], marker=marker, label=label)
axes[0].axhline(np.log(3), color="gray", linestyle=":", label="chance (log 3)")
axes[0].set(xscale="log", ylim=(0, TOP + 0.05), xlabel="learning rate", ylabel="final training loss (eval mode)",
            title="loss after 30 epochs")
axes[1].set(xscale="log", ylim=(0, 1.05), xlabel="learning rate", ylabel="validation accuracy",
            title="validation accuracy after 30 epochs")
for ax in axes:
    ax.legend()
plt.show()
for batch_norm in (False, True):
    trained = [lr for lr, acc in zip(learning_rates, sweep[batch_norm]["accuracy"]) if acc >= 0.9]
    print(f"{'with batch norm' if batch_norm else 'plain          '}: validation accuracy >= 0.90 at learning rates {trained}")

# %% [markdown]
# Batch norm widens the range of learning rates that train: small rates train faster (the normalised
# layers learn at a useful pace from the start), and large rates no longer blow the activations up,
# because each hidden layer's output scale is reset to $\gamma$ at every step, whatever the weights did.

# %% [markdown]
# ### One layer's pre-activations over training (optional)
#
# Histograms of the inputs to the non-linearity of hidden layer 5 (all its 32 units, the whole training
# set) at several epochs of the runs at learning rate $0.1$. For the plain network these are the raw
# pre-activations $z$; with batch norm they are $\tilde z = \gamma z' + \beta$.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, batch_norm in zip(axes, (False, True)):
    snaps = runs[batch_norm][3]
    plots.layer_histograms(ax, [snaps[e] for e in SNAPSHOT_EPOCHS], labels=[f"epoch {e}" for e in SNAPSHOT_EPOCHS],
                           range=(-4, 4), bins=40)
    ax.set_title(f"layer {LAYER} pre-activations, " + ("with batch norm" if batch_norm else "plain"))
plt.show()
for batch_norm in (False, True):
    snaps = runs[batch_norm][3]
    print(f"{'with batch norm' if batch_norm else 'plain          '}: std over epochs",
          " ".join(f"{snaps[e].std():.2f}" for e in SNAPSHOT_EPOCHS),
          "| mean", " ".join(f"{round(float(snaps[e].mean()), 2) + 0.0:+.2f}" for e in SNAPSHOT_EPOCHS))

# %% [markdown]
# Without batch norm the distribution of layer 5's pre-activations changes while the layers below it
# learn: its spread doubles and its shape changes, so the next layer, which reads
# $\operatorname{ReLU}(z)$, has to keep adapting to a moving input. With batch norm the distribution
# hardly moves: every unit's input is centred at $\beta_j$ with spread $\gamma_j$, parameters that
# change slowly (here they stay close to their initial $0$ and $1$) and that are learned for the
# next layer's benefit rather than set by accident by the layers below.

# %% [markdown]
# ## 4. Training mode and evaluation mode on a single example
#
# To classify one example, a network with batch norm must be in evaluation mode: in training mode a
# batch of one cannot be normalised, and in a larger batch an example's output depends on its companions.

# %%
params_bn, states_bn = runs[True][0], runs[True][1]
x = X_val[:1]
probs = lambda logits: np.round(softmax(logits[:1])[0], 2)
print(f"one validation example, true class {y_val[0]}")
print("evaluation mode, alone:                 ", probs(deep_net_forward(x, params_bn, states_bn, train=False)[0]))
try:
    deep_net_forward(x, params_bn, copy.deepcopy(states_bn), train=True)
except ValueError as err:
    print("training mode, alone:                    ValueError:", err)
for k in range(3):
    batch = np.vstack([x, X_train[y_train == k][:19]])    # the example and 19 training points of class k
    train_mode = deep_net_forward(batch, params_bn, copy.deepcopy(states_bn), train=True)[0]
    eval_mode = deep_net_forward(batch, params_bn, states_bn, train=False)[0]
    print(f"training mode, with 19 points of class {k}:", probs(train_mode), "  evaluation mode:", probs(eval_mode))

# %% [markdown]
# In evaluation mode the example gets the same probabilities alone and in every batch. In training mode
# each hidden unit sees it only *relative to the batch*, $z - \mu_{\text{batch}}$, so a batch that is
# not a fair sample of the data moves every prediction in it, here as far as a wrong class.

# %% [markdown]
# ## 5. A question from the lecture
#
# Answer in your own words; your instructor grades it.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_test_time", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** What goes wrong if the batch statistics are used at test time? Use the
# single-example demonstration above. Answer in two or three sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_test_time", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** A prediction would depend on the other examples in the batch: each unit normalises
# relative to the batch's mean and variance, so in section 4 one point changed class with its companions.
# A single example cannot be normalised at all: its batch variance is zero and every unit gives $\beta$.
# The running mean and variance, estimated in training, make the network a fixed function of one input.
#
# **Rubric (2 points).** 1 point: with batch statistics a prediction depends on the other examples of the
# batch (section 4's example changes class with its companions) and a single example cannot be normalised
# at all. 1 point: the running mean and variance, estimated during training, make evaluation deterministic
# and per example. Half a point off for "because PyTorch does it" without the reason.

# %% [markdown]
# ## What to remember
#
# > - Batch norm: standardise each unit over the batch, then $\gamma z' + \beta$ ($\gamma, \beta$ of the bias's size;
# >   the bias before it is redundant).
# > - Train mode: batch statistics, update running ones (momentum 0.1, unbiased variance); eval mode: running ones.
# > - Backward: the batch mean and variance depend on every sample, so $dZ$ has two extra terms, and its
# >   columns sum to zero.
# > - What it buys here: a much wider range of learning rates that train, and no spikes; not a faster
# >   descent at a rate that already suits the plain network.
#
# ## Summary
#
# You built batch norm's forward pass and running statistics, derived its backward pass twice, and saw
# what it buys on a deep network and why evaluation uses the running statistics.
#
# **Next:** this closes the review of neural networks. The rest of the course mostly uses *layer
# normalisation*, which normalises each sample over its features and so needs no running statistics.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
