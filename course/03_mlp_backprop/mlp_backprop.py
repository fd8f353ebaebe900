# %% [markdown]
# # 03 · Backpropagation: from the 2-3-1 network to learned word vectors
#
# **Lecture:** *Review of Neural Networks*, slides "A Multi Layer Perceptron (MLP) is a deep neural
# network" (the 2-3-1 network, "Backward Pass: for update in $w_1$"), "There are more trainable
# parameters in NLP than in other NN applications" (representation learning, one-hot vectors as a
# layer), "What are the roles of various components in a deep network?" and "Activation functions
# add non-linearity in the neural networks".
#
# By the end of this notebook you will be able to
#
# 1. run the lecture's **2-3-1 network** forward, **derive** its backward pass yourself, and train it;
# 2. write the backward pass of an **affine layer** and backpropagate through an **MLP of any depth**,
#    and **check every gradient** numerically;
# 3. see on XOR, moons and spirals what a hidden layer with a **non-linearity** adds to a linear
#    classifier;
# 4. treat **word vectors as parameters**: an embedding layer's backward pass, and a word-window
#    classifier whose word vectors move while it learns (**representation learning**).
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and hold
# hidden tests as well, so a function that only fits the visible tests will lose points. The
# written questions are graded by your instructor. Run *Kernel → Restart & Run All* before you
# submit, and use nbgrader's *Validate* button.
#
# **Notation:** $N$ samples, cost $J$ (the mean loss over the batch), learning rate $\alpha$ (`lr` in code),
# $dX$ short for $\partial J / \partial X$.
#
# **Time:** about 2 h 25 for the core path (the course map says how this is estimated).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
from collections import Counter

import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots, text
from nnlib.gradcheck import check_gradient
from nnlib.grading import check_array, check_dtype, check_shape, check_type
from nnlib.train import SGD, train
from support import softmax_cross_entropy, softmax_cross_entropy_grad   # notebook 02's answers

rng = np.random.default_rng(472)


# %% [markdown]
# ## 1. The lecture's 2-3-1 network
#
# The lecture's network has 2 inputs, 3 hidden units and 1 output, with a sigmoid
# $\sigma(z) = 1 / (1 + e^{-z})$ in both layers. For one input $x \in \mathbb{R}^2$:
#
# $$z^{[1]} = W^{[1]} x + b^{[1]}, \quad a^{[1]} = \sigma(z^{[1]}), \quad
#   z^{[2]} = W^{[2]} a^{[1]} + b^{[2]}, \quad a^{[2]} = \sigma(z^{[2]}),$$
#
# with $W^{[1]} \in \mathbb{R}^{3 \times 2}$, $b^{[1]} \in \mathbb{R}^{3}$,
# $W^{[2]} \in \mathbb{R}^{1 \times 3}$ and $b^{[2]} \in \mathbb{R}^{1}$ (every $W$ is (out, in)).
# The output $a^{[2]} \in (0, 1)$ is the network's estimate of $P(y = 1 \mid x)$. For a batch,
# samples are rows, as in notebook 01:
#
# | | shape |
# |---|---|
# | $X$ | $(N, 2)$ |
# | $Z_1 = X W_1^\top + b_1$, $A_1 = \sigma(Z_1)$ | $(N, 3)$ |
# | $Z_2 = A_1 W_2^\top + b_2$, $A_2 = \sigma(Z_2)$ | $(N, 1)$ |
#
# The sigmoid is given in its plain form, fine for the moderate scores of this notebook (notebook 04
# builds one that never overflows).

# %% nbgrader={"grade": false, "grade_id": "given_sigmoid", "locked": true, "schema_version": 3, "solution": false, "task": false}
def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), element-wise (plain version; 04 makes it stable)."""
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# **Exercise.** Implement `forward_2_3_1` with this `sigmoid`. The `cache` is yours to design: whatever
# `backward_2_3_1` will need. Keep the dtype of the inputs (float32 in, float32 out).

# %% nbgrader={"grade": false, "grade_id": "forward_2_3_1", "locked": false, "schema_version": 3, "solution": true, "task": false}
def forward_2_3_1(X, params):
    """Forward pass of the 2-3-1 network, sigmoid in both layers.

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    params : dict with "W1" (3, 2), "b1" (3,), "W2" (1, 3), "b2" (1,)

    Returns
    -------
    A2 : ndarray of shape (N, 1), the output probabilities
    cache : anything backward_2_3_1 needs (your choice)
    """
    ### BEGIN SOLUTION
    A1 = sigmoid(X @ params["W1"].T + params["b1"])
    A2 = sigmoid(A1 @ params["W2"].T + params["b2"])
    return A2, (X, params, A1, A2)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_forward_2_3_1", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""forward_2_3_1: output shape and values on small inputs, N = 1, float32 (3 points)"""
# the messages shown when a result looks like a known mistake
NO_OUT_SIGMOID = 'the output layer has no sigmoid: A2 = sigmoid(Z2), a probability in (0, 1)'
NO_HIDDEN_SIGMOID = 'the hidden layer has no sigmoid: A1 = sigmoid(Z1)'
params = {"W1": np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.0]]), "b1": np.array([0.0, -1.0, 0.5]),
          "W2": np.array([[2.0, -1.0, 1.0]]), "b2": np.array([-0.5])}
X = np.array([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5], [2.0, -1.0]])
result = forward_2_3_1(X, params)
assert isinstance(result, tuple) and len(result) == 2, "forward_2_3_1 must return a pair (A2, cache)"
A2, cache = result
check_shape(A2, (4, 1), "A2 = forward_2_3_1(X, params)[0]")
check_array(A2, np.array([[0.70130458], [0.33987226], [0.59100159], [0.79605266]]), "A2 = forward_2_3_1(X, params)[0]",
            hints={NO_OUT_SIGMOID: [[0.85351791], [-0.66386351], [0.36810746], [1.36180351]],
                   NO_HIDDEN_SIGMOID: [[0.73105858], [0.00091105], [0.26894142], [0.99330715]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2311)

def _forward(X, p):
    s = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
    A1 = s(X @ p["W1"].T + p["b1"])
    return s(A1 @ p["W2"].T + p["b2"]), A1

if True:
    for _N in (1, 9):
        _p = {"W1": _rng.normal(size=(3, 2)), "b1": _rng.normal(size=3),
              "W2": _rng.normal(size=(1, 3)), "b2": _rng.normal(size=1)}
        _X = _rng.normal(scale=2.0, size=(_N, 2))
        _expected, _A1 = _forward(_X, _p)
        check_array(forward_2_3_1(_X, _p)[0], _expected, f"A2 for N={_N}",
                    hints={NO_OUT_SIGMOID: _A1 @ _p["W2"].T + _p["b2"]})
    _p32 = {k: v.astype(np.float32) for k, v in _p.items()}
    check_array(forward_2_3_1(_X.astype(np.float32), _p32)[0], _expected.astype(np.float32),
                "A2 for float32 inputs", rtol=1e-5, atol=1e-6)
    check_dtype(forward_2_3_1(_X.astype(np.float32), _p32)[0], np.float32, "A2 for float32 inputs")
    _big = {k: 20.0 * v for k, v in _p.items()}          # saturated, but far from exp's overflow
    check_array(forward_2_3_1(_X, _big)[0], _forward(_X, _big)[0], "A2 with saturated sigmoids", atol=1e-12)
### END HIDDEN TESTS

# %% [markdown]
# ### The backward pass
#
# Training minimises the **mean binary cross-entropy** over the batch,
#
# $$J = -\frac{1}{N} \sum_{n=1}^{N} \Big[ y_n \log a^{[2]}_n + (1 - y_n) \log\big(1 - a^{[2]}_n\big) \Big].$$
#
# The lecture's "backward pass for the update in $w_1$" is the chain rule from the cost back to each
# parameter. Derive it on paper for the whole batch, question by question (open a hint only when stuck).
# One rule checks every answer: **a gradient has the shape of its parameter.**
#
# 1. **Output layer.** What is $dZ_2$, of shape $(N, 1)$? Go through $a^{[2]} = \sigma(z^{[2]})$ and the
#    cost $J$ above, for one sample first, then for the batch.
#    <details><summary>Hint</summary>Differentiate the bracket with respect to $a$, then multiply by
#    $\sigma'(z) = \sigma(z)(1 - \sigma(z))$: most of it cancels. Do not forget the $\frac1N$ of the mean.</details>
# 2. **Its parameters.** $Z_2 = A_1 W_2^\top + b_2$. Which product of $dZ_2$ and $A_1$ has the shape of
#    $W_2$, $(1, 3)$? And why does $db_2$ involve a sum over the samples?
#    <details><summary>Hint</summary>Write one entry, $\partial J / \partial (W_2)_{1j} = \sum_n \dots$, and
#    read the matrix product off it. The bias is added to every row.</details>
# 3. **Back into the hidden layer.** How does $dZ_2$ reach $A_1$, shape $(N, 3)$?
#    <details><summary>Hint</summary>$z^{[2]}_n$ depends on $a^{[1]}_{nj}$ through the weight $(W_2)_{1j}$.</details>
# 4. **Through the sigmoid.** From $dA_1$ to $dZ_1$: what does the element-wise $\sigma$ contribute, and
#    why can you compute it from the cache without calling `sigmoid` again?
#    <details><summary>Hint</summary>An element-wise function gives an element-wise product; the lecture's
#    slide on the sigmoid says its derivative needs only the value already computed.</details>
# 5. **Its parameters.** $dW_1$ (shape $(3, 2)$) and $db_1$: the same pattern as step 2, one layer down.
#
# **Exercise.** Implement `backward_2_3_1(Y, cache)` with `Y` of shape $(N, 1)$ (0 or 1), returning
# a dict with the keys of `params`.

# %% nbgrader={"grade": false, "grade_id": "backward_2_3_1", "locked": false, "schema_version": 3, "solution": true, "task": false}
def backward_2_3_1(Y, cache):
    """Gradients of the mean binary cross-entropy of the 2-3-1 network.

    Parameters
    ----------
    Y : ndarray of shape (N, 1), labels 0 or 1
    cache : what forward_2_3_1 returned with A2

    Returns
    -------
    grads : dict with "W1" (3, 2), "b1" (3,), "W2" (1, 3), "b2" (1,)
    """
    ### BEGIN SOLUTION
    X, params, A1, A2 = cache
    dZ2 = (A2 - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"]) * A1 * (1 - A1)
    return {"W1": dZ1.T @ X, "b1": dZ1.sum(axis=0), "W2": dZ2.T @ A1, "b2": dZ2.sum(axis=0)}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_backward_2_3_1", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
"""backward_2_3_1: keys, shapes and values of the four gradients (4 points)"""
# the messages shown when a result looks like a known mistake
SIGMOID_DERIV = 'the derivative of the sigmoid is missing in dZ1 (step 4)'
N_TIMES = 'is N times too large: the cost J is the mean over the N samples (step 1)'
TRANSPOSED = "looks transposed: a gradient has its parameter's shape, (out, in) for a W (step 2)"
NOT_SUMMED = 'was not summed over the batch: a bias is added to every row, so its gradient collects every row'
AVERAGED = 'was averaged over the batch: dZ already carries the 1/N of the mean cost'
EXTRA_DERIV = "dZ2 carries one sigmoid derivative too many: with the mean BCE, sigma' cancels (step 1)"
SIGN = 'has the wrong sign: dZ2 must be positive where the output is above its label (step 1)'
params = {"W1": np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.0]]), "b1": np.array([0.0, -1.0, 0.5]),
          "W2": np.array([[2.0, -1.0, 1.0]]), "b2": np.array([-0.5])}
X = np.array([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5], [2.0, -1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
_, cache = forward_2_3_1(X, params)
grads = backward_2_3_1(Y, cache)
check_type(grads, dict, "backward_2_3_1(Y, cache)")
assert set(grads) == {"W1", "b1", "W2", "b2"}, f"grads must have the keys of params (W1, b1, W2, b2), got {sorted(grads)}"
expected = {"W1": [[0.00156884, -0.16302066], [-0.06112359, 0.04230094], [0.00619143, -0.08421383]],
            "b1": [0.01024975, -0.02664162, 0.01197106],
            "W2": [[0.214201, -0.12792245, -0.0102149]],
            "b2": [0.10705778]}
dZ1 = np.array([[0.08766307, -0.03447121, 0.0412023], [-0.0648945, 0.00469566, -0.03244725], [-0.03050033, 0.02402904, -0.01073555], [0.0179815, -0.02089511, 0.01395156]])   # d J / d Z1, one row per sample
dZ2 = np.array([[0.17532615], [-0.16503193], [-0.1022496], [0.19901316]])   # d J / d Z2
without_derivative = {"W1": [[0.67048799, -1.16040367], [-0.335244, 0.58020183], [0.335244, -0.58020183]], "b1": [0.21411555, -0.10705778, 0.10705778]}
extra_derivative = {"W1": [[-0.00134848, -0.03572494], [-0.01153951, 0.00840354], [-0.0001547, -0.01812224]],
                    "b1": [-0.00064947, -0.00375151, 0.00102117], "W2": [[0.03467465, -0.03154343, -0.00641552]], "b2": [0.00729499]}
check_array(grads["W2"], expected["W2"], 'grads["W2"]',
            hints={TRANSPOSED: np.transpose(expected["W2"]), N_TIMES: 4 * np.array(expected["W2"]),
                   EXTRA_DERIV: extra_derivative["W2"], SIGN: -np.array(expected["W2"])})
check_array(grads["b2"], expected["b2"], 'grads["b2"]',
            hints={NOT_SUMMED: dZ2, AVERAGED: dZ2.mean(axis=0), N_TIMES: 4 * np.array(expected["b2"]),
                   EXTRA_DERIV: extra_derivative["b2"], SIGN: -np.array(expected["b2"])})
check_array(grads["W1"], expected["W1"], 'grads["W1"]',
            hints={TRANSPOSED: np.transpose(expected["W1"]), SIGMOID_DERIV: without_derivative["W1"],
                   N_TIMES: 4 * np.array(expected["W1"])})
check_array(grads["b1"], expected["b1"], 'grads["b1"]',
            hints={NOT_SUMMED: dZ1, AVERAGED: dZ1.mean(axis=0), SIGMOID_DERIV: without_derivative["b1"],
                   N_TIMES: 4 * np.array(expected["b1"])})
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches
_rng = np.random.default_rng(4231)

def _reference(X, p, Y, derivative=True, scale=1.0, extra=False):
    s = lambda z: 0.5 * (1 + np.tanh(0.5 * z))
    A1 = s(X @ p["W1"].T + p["b1"])
    A2 = s(A1 @ p["W2"].T + p["b2"])
    dZ2 = scale * (A2 - Y) / len(X) * (A2 * (1 - A2) if extra else 1.0)
    dZ1 = (dZ2 @ p["W2"]) * (A1 * (1 - A1) if derivative else 1.0)
    return {"W1": dZ1.T @ X, "b1": dZ1.sum(0), "W2": dZ2.T @ A1, "b2": dZ2.sum(0)}, {"1": dZ1, "2": dZ2}

def _check_grads(grads, X, p, Y, what, **tolerances):
    ref, dZ = _reference(X, p, Y)
    no_deriv, _ = _reference(X, p, Y, derivative=False)
    n_times, _ = _reference(X, p, Y, scale=len(X))
    extra, _ = _reference(X, p, Y, extra=True)
    check_type(grads, dict, what)
    assert set(grads) == {"W1", "b1", "W2", "b2"}, f"{what}: keys must be W1, b1, W2, b2"
    for key in ("W2", "b2", "W1", "b1"):
        layer = key[1]
        hints = {N_TIMES: n_times[key], EXTRA_DERIV: extra[key], SIGN: -ref[key]}
        if key[0] == "W":
            hints[TRANSPOSED] = ref[key].T
        else:
            hints.update({NOT_SUMMED: dZ[layer], AVERAGED: dZ[layer].mean(axis=0)})
        if layer == "1":
            hints[SIGMOID_DERIV] = no_deriv[key]
        hints = {m: v for m, v in hints.items() if not _matches(v, ref[key])}
        check_array(grads[key], ref[key].astype(grads[key].dtype if hasattr(grads[key], "dtype") else float),
                    f'{what}: grads["{key}"]', hints=hints, **tolerances)

if True:
    for _N in (1, 2, 7):
        _p = {"W1": _rng.normal(size=(3, 2)), "b1": _rng.normal(size=3),
              "W2": _rng.normal(size=(1, 3)), "b2": _rng.normal(size=1)}
        _X = _rng.normal(scale=1.5, size=(_N, 2))
        _Y = (_rng.random((_N, 1)) < 0.5).astype(float)
        _check_grads(backward_2_3_1(_Y, forward_2_3_1(_X, _p)[1]), _X, _p, _Y, f"N={_N}")
    _p32 = {k: v.astype(np.float32) for k, v in _p.items()}
    _g32 = backward_2_3_1(_Y.astype(np.float32), forward_2_3_1(_X.astype(np.float32), _p32)[1])
    for _key in _g32:
        check_dtype(_g32[_key], np.float32, f'float32 inputs: grads["{_key}"]')
    _check_grads(_g32, _X, _p, _Y, "float32 inputs", rtol=1e-4, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ### Does the backward pass compute the gradient? A numerical check
#
# `nnlib.gradcheck.check_gradient` (your notebook 02 check) computes the slope
# $\big(J(\theta + h) - J(\theta - h)\big) / 2h$ for every entry of a parameter and raises an error
# naming the worst entry when it disagrees with your backward pass: the referee of every backward pass here.

# %%
def bce(A2, Y):
    # Mean binary cross-entropy; the clip keeps log() finite for saturated outputs.
    A2 = np.clip(A2, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def report(name, value, err):
    print(f"{name:>3} {str(value.shape):>7}: analytic = numerical gradient "
          f"(relative error {'< 1e-6' if err < 1e-6 else f'{err:.1e}'})")


X_check = rng.normal(size=(5, 2))
Y_check = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
params_check = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=3),
                "W2": rng.normal(size=(1, 3)), "b2": rng.normal(size=1)}
grads_check = backward_2_3_1(Y_check, forward_2_3_1(X_check, params_check)[1])
for name, value in params_check.items():
    err = check_gradient(lambda _: bce(forward_2_3_1(X_check, params_check)[0], Y_check), value, grads_check[name])
    report(name, value, err)

# %% [markdown]
# ### Training the 2-3-1 network on a tiny set
#
# `nnlib.train.train` repeats forward, backward, $\theta \leftarrow \theta - \alpha\, d\theta$; it needs
# only a function returning the loss and the gradients. The data: 40 points of XOR, which no linear
# classifier can separate (notebook 01).

# %%
X_tiny, y_tiny = datasets.xor(rng, n=40, noise=0.2)
Y_tiny = y_tiny[:, None].astype(float)            # (N, 1) targets for the sigmoid output
params_231 = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros(3),
              "W2": rng.normal(size=(1, 3)), "b2": np.zeros(1)}


def loss_and_grads_231(params, X, Y):
    A2, cache = forward_2_3_1(X, params)
    return bce(A2, Y), backward_2_3_1(Y, cache)


def predict_231(P):
    return (forward_2_3_1(P, params_231)[0][:, 0] > 0.5).astype(int)


history_231 = train(params_231, loss_and_grads_231, SGD(lr=2.0), X_tiny, Y_tiny, epochs=1500, desc="2-3-1 on XOR")
print(f"mean BCE {history_231['loss'][0]:.3f} -> {history_231['loss'][-1]:.3f}, "
      f"training accuracy {np.mean(predict_231(X_tiny) == y_tiny):.2f}")
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
plots.curves(axes[0], history_231, title="loss of the 2-3-1 network", ylabel="mean BCE", logy=True)
plots.decision_boundary(axes[1], predict_231, X_tiny, y_tiny, title="the trained 2-3-1 network on XOR")
plt.show()

# %% [markdown]
# ### What does each hidden node learn?
#
# Each hidden unit $j$ computes its own feature of the input, $a^{[1]}_j = \sigma(w_j^\top x + b_j)$:
# a soft step across the line $w_j^\top x + b_j = 0$. Below, each map is coloured like class 1 where the
# unit is on ($a^{[1]}_j \approx 1$). Then each unit is **switched off** (its outgoing weight set to
# zero) to see how much worse the network gets.

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for j, ax in enumerate(axes):
    def unit_on(P, j=j):
        a = sigmoid(P @ params_231["W1"][j] + params_231["b1"][j])
        return np.column_stack([1 - a, a])
    plots.probability_map(ax, unit_on, X_tiny, y_tiny, title=f"hidden unit {j + 1}: where $a^{{[1]}}_{j + 1}$ is on")
plt.show()

for j in range(3):
    ablated = dict(params_231, W2=params_231["W2"] * (np.arange(3) != j))
    A2 = forward_2_3_1(X_tiny, ablated)[0]
    print(f"unit {j + 1} switched off: mean BCE {bce(A2, Y_tiny):.3f}, "
          f"accuracy {np.mean((A2[:, 0] > 0.5) == y_tiny):.2f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "q_hidden_features", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** What does each node of a hidden layer learn, and what does its bias $b_j$
# do to it? How could one judge how useful one node's feature is? Refer to the maps and the ablation
# printed above. Answer in three or four sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_hidden_features", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Each hidden node learns a **feature** of the input, here a soft half-plane, chosen by
# training and often hard to name. Its weights set the direction of its line; its bias is a **threshold**
# that shifts the line away from the origin without turning it. Usefulness can be judged by **ablation**:
# switch the unit off and measure the loss; above, removing one unit hurts far more than removing another.
#
# **Rubric (2 points).** 1 point: a feature (a function of the input, here a soft half-plane) chosen by
# training, not by anyone, **and** the bias as a threshold/offset that moves the unit's line without
# turning it (without it every boundary passes through the origin); half a point if the bias is missing.
# 1 point: a way to judge the feature that is **tied to the printed ablation** (the unit whose removal
# raises the loss most is the most useful one), or another sound method (outgoing weights, gradients,
# activation maps) together with that reference.

# %% [markdown]
# ## 2. A layer as a forward/backward pair
#
# For any depth we cut the computation into **layers**: a `forward` returns its output and a `cache`, a
# `backward` takes `dout`, the gradient with respect to that output, and returns the gradients with
# respect to the inputs. The forward pass of the **affine layer** $Z = X W^\top + b$ is notebook 01's
# `scores` with a cache, so it is given:

# %% nbgrader={"grade": false, "grade_id": "given_affine_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
def affine_forward(X, W, b):
    """Affine layer Z = X W^T + b: X (N, in), W (out, in), b (out,) -> Z (N, out), cache (X, W)."""
    return X @ W.T + b, (X, W)


# %% [markdown]
# **Exercise.** Implement `affine_backward(dout, cache)`: from $dZ$ $(N, \text{out})$ to $dX$
# $(N, \text{in})$, $dW$ $(\text{out}, \text{in})$ and $db$ $(\text{out},)$. You derived all three for the
# 2-3-1 network (steps 2, 3 and 5); now write them once for any layer.

# %% nbgrader={"grade": false, "grade_id": "affine_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def affine_backward(dout, cache):
    """Gradients of an affine layer.

    Parameters
    ----------
    dout : ndarray of shape (N, out), d loss / d Z
    cache : what affine_forward returned with Z

    Returns
    -------
    dX : ndarray of shape (N, in)
    dW : ndarray of shape (out, in)
    db : ndarray of shape (out,)
    """
    ### BEGIN SOLUTION
    X, W = cache
    return dout @ W, dout.T @ X, dout.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_affine_backward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""affine_backward: (dX, dW, db) with the shapes and values of the chain rule (3 points)"""
# the messages shown when a result looks like a known mistake
TRANSPOSED = "looks transposed: a gradient has its parameter's shape, (out, in) for W"
NOT_SUMMED = 'was not summed over the batch: a bias is added to every row, so its gradient collects every row'
AVERAGED = 'was averaged over the batch: dZ already carries the 1/N of the mean cost'
DX_WT = 'dX uses W the wrong way round: W is (out, in), and dX must have the shape of X, (N, in)'
X = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [2.0, 0.5, -1.0], [-1.0, 0.0, 1.0]])   # N=4, in=3
W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])                                       # out=2, in=3
b = np.array([0.5, -1.0])
dout = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0], [-2.0, 0.5]])                    # (N, out)
W_sq = np.array([[1.0, 2.0], [0.0, -1.0]])                                              # out = in = 2
dX_sq = affine_backward(np.array([[1.0, 0.0], [0.0, 2.0]]), affine_forward(np.eye(2), W_sq, np.zeros(2))[1])[0]
check_array(dX_sq, [[1.0, 2.0], [0.0, -2.0]], "dX with a square W (out = in = 2)",
            hints={DX_WT: [[1.0, 0.0], [4.0, -2.0]]})
_, cache = affine_forward(X, W, b)
result = affine_backward(dout, cache)
assert isinstance(result, tuple) and len(result) == 3, "affine_backward must return a triple (dX, dW, db)"
dX, dW, db = result
check_array(dX, np.array([[0.5, -2.0, -2.0], [1.5, 4.0, 1.5], [0.5, 2.0, 1.0], [-1.75, 1.0, 2.5]]), "dX")
expected_dW = np.array([[3.0, 1.5, -0.5], [0.5, -3.5, 5.5]])
check_array(dW, expected_dW, "dW", hints={TRANSPOSED: expected_dW.T})
check_array(db, np.array([-0.5, 2.5]), "db", hints={NOT_SUMMED: dout, AVERAGED: dout.mean(axis=0)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5150)
if True:
    for _N, _in, _out in [(1, 4, 2), (6, 3, 5), (5, 3, 3), (1, 4, 4)]:
        _X, _W, _b = _rng.normal(size=(_N, _in)), _rng.normal(size=(_out, _in)), _rng.normal(size=_out)
        _dout = _rng.normal(size=(_N, _out))
        _dX, _dW, _db = affine_backward(_dout, affine_forward(_X, _W, _b)[1])
        _what = f"N={_N}, in={_in}, out={_out}"
        check_array(_dX, _dout @ _W, f"dX for {_what}", hints={DX_WT: _dout @ _W.T} if _in == _out else None)
        check_array(_dW, _dout.T @ _X, f"dW for {_what}", hints={TRANSPOSED: _X.T @ _dout})
        _db_hints = {NOT_SUMMED: _dout}
        if _N > 1:
            _db_hints[AVERAGED] = _dout.mean(axis=0)
        check_array(_db, _dout.sum(axis=0), f"db for {_what}", hints=_db_hints)
    _cast = lambda *arrays: [a.astype(np.float32) for a in arrays]
    _X32, _W32, _b32, _dout32 = _cast(_X, _W, _b, _dout)
    for _name, _got, _ref in zip(("dX", "dW", "db"), affine_backward(_dout32, affine_forward(_X32, _W32, _b32)[1]),
                                 (_dout @ _W, _dout.T @ _X, _dout.sum(axis=0))):
        check_array(_got, _ref.astype(np.float32), f"{_name} for float32 inputs", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A network of any depth
#
# A multi-layer perceptron with $L$ affine layers and ReLU hidden activations computes, from
# $A_0 = X$,
#
# $$Z_l = A_{l-1} W_l^\top + b_l, \qquad A_l = \max(0, Z_l) \quad (l = 1, \dots, L-1), \qquad
#   \text{logits} = Z_L = A_{L-1} W_L^\top + b_L .$$
#
# The last layer has **no activation**: it gives the logits of notebooks 01 and 02. `params` holds
# `"W1"`, `"b1"`, …, `"WL"`, `"bL"`. Backpropagation runs the same steps backwards. Given
# $dZ_L = \partial J / \partial\,\text{logits}$, for $l = L, L-1, \dots, 1$:
#
# $$dA_{l-1}, dW_l, db_l = \text{affine\_backward}(dZ_l), \qquad
#   dZ_{l-1} = dA_{l-1} \odot \mathbb{1}[Z_{l-1} > 0] .$$
#
# The ReLU's derivative is 1 where the unit was on and 0 where it was off (at exactly 0 the lecture
# calls it undefined; we take 0, as PyTorch does). "On" can be read from $Z > 0$ or from the output,
# $A > 0$: the same set.
#
# `mlp_forward` is given (you wrote a forward pass for the 2-3-1 network). Read what it stores in the
# cache, one pair per layer: `mlp_backward` needs nothing else.

# %% nbgrader={"grade": false, "grade_id": "given_mlp_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
def mlp_forward(X, params):
    """Logits of an MLP with ReLU hidden layers, of any depth.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    params : dict with "W1" (h1, d), "b1" (h1,), ..., "WL" (C, h_{L-1}), "bL" (C,)

    Returns
    -------
    logits : ndarray of shape (N, C), the last layer's Z (no activation)
    cache : list of L pairs (affine_cache, Z), layer 1 first: affine_forward's cache (A_{l-1}, W_l)
        and the layer's pre-activation Z_l
    """
    L = sum(1 for key in params if key.startswith("W"))
    caches, A = [], X
    for l in range(1, L + 1):
        Z, affine_cache = affine_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((affine_cache, Z))
        A = np.maximum(Z, 0) if l < L else Z
    return A, caches


# %% [markdown]
# **Exercise.** Implement `mlp_backward` with your `affine_backward`. It must return the gradient of
# **every** parameter, in a dict with the keys of `params`.

# %% nbgrader={"grade": false, "grade_id": "mlp_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mlp_backward(dlogits, cache):
    """Gradients of every parameter of the MLP, by backpropagation.

    Parameters
    ----------
    dlogits : ndarray of shape (N, C), d loss / d logits
    cache : what mlp_forward returned with the logits: a list of (affine_cache, Z), layer 1 first

    Returns
    -------
    grads : dict with the keys of params: "W1" (h1, d), "b1" (h1,), ..., "WL" (C, h_{L-1}), "bL" (C,)
    """
    ### BEGIN SOLUTION
    grads, dZ = {}, dlogits
    for l in range(len(cache), 0, -1):
        affine_cache, _ = cache[l - 1]
        dA, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(dZ, affine_cache)
        if l > 1:
            Z_below = cache[l - 2][1]
            dZ = dA * (Z_below > 0)
    return grads
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mlp_backward", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
"""mlp_backward: the gradient of every parameter, for depths 2 and 3 (4 points)"""
# the messages shown when a result looks like a known mistake
TRANSPOSED = "looks transposed: a gradient has its parameter's shape, (out, in) for W"
NOT_SUMMED = 'was not summed over the batch: a bias is added to every row, so its gradient collects every row'
AVERAGED = 'was averaged over the batch: dZ already carries the 1/N of the mean cost'
RELU_DERIV = "the derivative of the ReLU is missing between two affine layers"
X = np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.0]])                                    # N=3, d=2
params = {"W1": np.array([[1.0, 1.0], [-1.0, 0.5], [2.0, -1.0]]), "b1": np.array([0.0, 0.5, -1.0]),
          "W2": np.array([[1.0, -1.0, 0.5], [-0.5, 1.0, 1.0]]), "b2": np.array([0.5, -1.25])}
dlogits = np.array([[0.5, -0.5], [-1.0, 1.0], [0.25, 0.75]])
_, cache = mlp_forward(X, params)
grads = mlp_backward(dlogits, cache)
check_type(grads, dict, "mlp_backward(dlogits, cache)")
assert set(grads) == set(params), f"grads must have the keys of params, {sorted(params)}; got {sorted(grads)}"
expected = {"W1": [[-0.75, -1.5], [0.5, 2.0], [-0.25, 0.5]],
            "b1": [-1.5, 2.5, -0.25],
            "W2": [[-1.5, -0.125, 1.5], [1.5, 1.625, -1.5]],
            "b2": [-0.25, 1.25]}
dZ1 = np.array([[0.0, 0.0, -0.25], [-1.5, 2.0, 0.0], [0.0, 0.5, 0.0]])   # d loss / d Z1 (after the ReLU's derivative)
without_relu_derivative = {"W1": [[0.125, -3.0], [-0.5, 4.0], [-0.875, 1.0]], "b1": [-0.875, 1.5, 1.125]}
check_array(grads["W2"], expected["W2"], 'grads["W2"]', hints={TRANSPOSED: np.transpose(expected["W2"])})
check_array(grads["b2"], expected["b2"], 'grads["b2"]',
            hints={NOT_SUMMED: dlogits, AVERAGED: dlogits.mean(axis=0)})
check_array(grads["W1"], expected["W1"], 'grads["W1"]',
            hints={RELU_DERIV: without_relu_derivative["W1"], TRANSPOSED: np.transpose(expected["W1"])})
check_array(grads["b1"], expected["b1"], 'grads["b1"]',
            hints={RELU_DERIV: without_relu_derivative["b1"], NOT_SUMMED: dZ1,
                   AVERAGED: dZ1.mean(axis=0)})
params3 = dict(params, W3=np.array([[1.0, -2.0], [0.5, 1.0]]), b3=np.array([0.25, -0.5]))
grads3 = mlp_backward(dlogits, mlp_forward(X, params3)[1])
assert set(grads3) == set(params3), f"depth 3: grads must have the keys {sorted(params3)}; got {sorted(grads3)}"
expected3 = {"W1": [[-0.25, -0.5], [0.0, 0.5], [-1.375, 2.75]],
             "W2": [[-0.75, -0.25, 0.75], [0.0, 0.375, -4.5]],
             "W3": [[-0.5, 0.9375], [0.5, -0.6875]],
             "b1": [-0.5, 0.75, -1.375],
             "b2": [-0.25, -1.25],
             "b3": [-0.25, 1.25]}
for key in sorted(params3):
    check_array(grads3[key], expected3[key], f'depth 3: grads["{key}"]')
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches
_rng = np.random.default_rng(8086)

def _backprop(X, p, dlogits, relu_grad=True):
    L = len(p) // 2
    As, Zs = [X], []
    for l in range(1, L + 1):
        Zs.append(As[-1] @ p[f"W{l}"].T + p[f"b{l}"])
        As.append(np.maximum(Zs[-1], 0) if l < L else Zs[-1])
    grads, dZs, dA = {}, {}, dlogits
    for l in range(L, 0, -1):
        dZ = dA if l == L else dA * ((Zs[l - 1] > 0) if relu_grad else 1.0)
        dZs[l], grads[f"W{l}"], grads[f"b{l}"] = dZ, dZ.T @ As[l - 1], dZ.sum(axis=0)
        dA = dZ @ p[f"W{l}"]
    return grads, dZs

def _check_grads(grads, X, p, dlogits, what, **tolerances):
    ref, dZs = _backprop(X, p, dlogits)
    no_relu, _ = _backprop(X, p, dlogits, relu_grad=False)
    check_type(grads, dict, what)
    assert set(grads) == set(p), f"{what}: grads must have the keys {sorted(p)}, got {sorted(grads)}"
    for l in range(len(p) // 2, 0, -1):
        for key in (f"W{l}", f"b{l}"):
            hints = {RELU_DERIV: no_relu[key]}
            if key[0] == "W":
                hints[TRANSPOSED] = ref[key].T
            else:
                hints.update({NOT_SUMMED: dZs[l], AVERAGED: dZs[l].mean(axis=0)})
            hints = {m: v for m, v in hints.items() if not _matches(v, ref[key])}
            check_array(grads[key], ref[key].astype(np.asarray(grads[key]).dtype), f'{what}: grads["{key}"]',
                        hints=hints, **tolerances)

if True:
    for _sizes, _N in [([3, 4], 2), ([2, 5, 3], 1), ([3, 6, 4, 2], 7), ([2, 5, 5, 4, 3], 4)]:
        _p = {}
        for _l, (_fin, _fout) in enumerate(zip(_sizes[:-1], _sizes[1:]), start=1):
            _p[f"W{_l}"], _p[f"b{_l}"] = _rng.normal(size=(_fout, _fin)), _rng.normal(size=_fout)
        _X, _dlogits = _rng.normal(size=(_N, _sizes[0])), _rng.normal(size=(_N, _sizes[-1]))
        _check_grads(mlp_backward(_dlogits, mlp_forward(_X, _p)[1]), _X, _p, _dlogits, f"layer sizes {_sizes}")
    _p32 = {k: v.astype(np.float32) for k, v in _p.items()}
    _g32 = mlp_backward(_dlogits.astype(np.float32), mlp_forward(_X.astype(np.float32), _p32)[1])
    for _key in _p:
        check_dtype(_g32[_key], np.float32, f'float32 inputs: grads["{_key}"]')
    _check_grads(_g32, _X, _p, _dlogits, "float32 inputs", rtol=1e-4, atol=1e-5)
### END HIDDEN TESTS

# %% [markdown]
# ### A gradient check of every parameter
#
# The whole pipeline, logits → softmax cross-entropy (notebook 02's, through `support`) →
# `mlp_backward`, checked numerically for every parameter of a depth-3 network (`init_mlp` draws
# weights at a scale that suits ReLU layers: notebook 05):

# %%
def init_mlp(sizes, rng):
    """Gaussian weights of shape (out, in), std sqrt(2 / in), and zero biases, for widths sizes = [d, h1, ..., C]."""
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        params[f"b{l}"] = np.zeros(fan_out)
    return params



X_check = rng.normal(size=(6, 2))
y_check = np.array([0, 2, 1, 1, 0, 2])
params_check = init_mlp([2, 5, 4, 3], rng)
for key in params_check:
    if key.startswith("b"):
        params_check[key] = rng.normal(scale=0.1, size=params_check[key].shape)   # non-zero biases


def mlp_loss(params, X, y):
    return softmax_cross_entropy(mlp_forward(X, params)[0], y)


logits, cache = mlp_forward(X_check, params_check)
dlogits = softmax_cross_entropy_grad(logits, y_check)
grads_check = mlp_backward(dlogits, cache)
for name, value in params_check.items():
    err = check_gradient(lambda _: mlp_loss(params_check, X_check, y_check), value, grads_check[name])
    report(name, value, err)


# %% [markdown]
# ## 4. Linear classifier versus MLP
#
# `mlp_forward` with a single layer is a **linear classifier** (notebook 01). Below, the same training
# code fits it and an MLP to XOR, moons and spirals; only the list of layer sizes differs.
#
# **Predict before you run.** For each of the three data sets, write down the training accuracy you expect
# from the linear classifier and from the MLP with two hidden layers of 32 units. Where will the linear one
# be no better than chance?

# %%
def mlp_loss_and_grads(params, X, y):
    logits, cache = mlp_forward(X, params)
    return softmax_cross_entropy(logits, y), mlp_backward(softmax_cross_entropy_grad(logits, y), cache)


problems = {"XOR": datasets.xor(rng, n=200, noise=0.15),
            "moons": datasets.moons(rng, n=200, noise=0.15),
            "spirals": datasets.spirals(rng, n_per_class=70, n_classes=3, noise=0.2)}
fig, axes = plt.subplots(2, 3, figsize=(15, 9))
for col, (name, (X, y)) in enumerate(problems.items()):
    C = int(y.max()) + 1
    for row, (kind, sizes) in enumerate([("linear", [2, C]), ("MLP", [2, 32, 32, C])]):
        params = init_mlp(sizes, rng)
        train(params, mlp_loss_and_grads, SGD(lr=0.5), X, y, epochs=600, desc=f"{kind} on {name}")
        predict = lambda P, params=params: np.argmax(mlp_forward(P, params)[0], axis=1)
        accuracy = np.mean(predict(X) == y)
        print(f"{name:>7}, {kind:>6} {str(sizes):>14}: training accuracy {accuracy:.2f}")
        plots.decision_boundary(axes[row, col], predict, X, y, title=f"{kind} on {name}: accuracy {accuracy:.2f}")
plt.show()

# %% [markdown]
# ### Why the non-linearity?
#
# Take the ReLUs out and a deep network collapses: $W_2(W_1 x + b_1) + b_2 = (W_2 W_1) x + (W_2 b_1 + b_2)$
# is one affine layer, so the boundaries stay straight however deep the network is:

# %%
W1, b1 = rng.normal(size=(32, 2)), rng.normal(size=32)
W2, b2 = rng.normal(size=(3, 32)), rng.normal(size=3)
P = rng.normal(size=(5, 2))
two_linear_layers = affine_forward(affine_forward(P, W1, b1)[0], W2, b2)[0]
one_layer = affine_forward(P, W2 @ W1, W2 @ b1 + b2)[0]
print("two linear layers == one affine layer:", np.allclose(two_linear_layers, one_layer))

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_nonlinearity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** Why does a network need a **non-linear** activation function? Refer to
# the plots above. Why might you still want a non-linearity at the *output* layer? Answer in three or
# four sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_nonlinearity", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Without a non-linearity, stacked affine layers collapse into one affine map (shown
# above), so a deep network is still a linear classifier with straight boundaries: XOR stays at chance
# and the spirals at about half. The non-linearity lets hidden units compute non-linear features and
# bend the boundary: the MLP separates all three sets. At the output, a sigmoid or softmax turns scores
# into probabilities.
#
# **Rubric (2 points).** 1 point: stacked affine layers collapse into one affine map (the demonstration
# above), so the boundaries stay straight; must cite a plot (XOR or spirals: linear fails, MLP fits).
# 1 point: at the output a non-linearity maps scores to what the task needs: probabilities (sigmoid for
# one yes/no, softmax over classes), or a bounded/positive range; "to add non-linearity" alone earns 0.

# %% [markdown]
# ## 5. Word vectors are parameters too
#
# Give each of the $V$ words of a vocabulary an id and a **word vector** of $D$ numbers, row $w$ of a
# matrix $E \in \mathbb{R}^{V \times D}$. The lecture's point: $E$ can be a **parameter**, trained with
# the weights and biases by the same gradient descent: **representation learning**.
#
# ### One-hot encoding as a layer
#
# Write word $w$ as a one-hot vector $x \in \{0, 1\}^V$. Then $x^\top E$ is row $w$ of $E$: a one-hot
# input followed by a linear layer *without bias* **is** a row lookup, only much cheaper.

# %%
V_demo, D_demo = 6, 3
E_demo = rng.normal(size=(V_demo, D_demo))
word = 4
one_hot = np.eye(V_demo)[word]                       # (V,): 1 at position 4
print("one-hot of word 4:", one_hot)
print("one_hot @ E == E[4]:", np.allclose(one_hot @ E_demo, E_demo[word]))

# %% [markdown]
# ### An embedding layer for word windows
#
# A **window** is a run of $k$ word ids, e.g. the word to classify with two neighbours on each side
# ($k = 5$). The embedding layer **concatenates** its word vectors into one input vector for an MLP:
#
# $$\text{out}_n = \big[\, E_{\text{ids}[n, 0]},\; E_{\text{ids}[n, 1]},\; \dots,\; E_{\text{ids}[n, k-1]} \,\big]
#   \in \mathbb{R}^{kD},$$
#
# so `ids` of shape $(N, k)$ gives `out` of shape $(N, kD)$. Backward, columns $jD \dots (j+1)D$ of
# `dout[n]` are the gradient with respect to the vector of word `ids[n, j]`. A word used in many places receives the **sum** of all its gradients, just as
# $\frac{\partial}{\partial e}\,(f(e) + g(e)) = f' + g'$; words that do not occur get zero.
# Careful: with NumPy, `dE[ids] += g` does **not** accumulate over repeated ids (all but one of their
# gradients are lost); `np.add.at(dE, ids, g)` does.

# %%
dE_demo = np.zeros(4)
np.add.at(dE_demo, [1, 1, 3], 1.0)
dE_wrong = np.zeros(4)
dE_wrong[[1, 1, 3]] += 1.0
print("np.add.at    :", dE_demo)
print("dE[ids] += g :", dE_wrong, " (word 1 got only one of its two gradients)")


# %% [markdown]
# The forward pass is one line of fancy indexing and a reshape, so it is given; its cache is `(ids, E.shape)`.

# %% nbgrader={"grade": false, "grade_id": "given_embedding_forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
def embedding_forward(ids, E):
    """Concatenated word vectors of each window.

    Parameters
    ----------
    ids : integer ndarray of shape (N, k), word ids in 0..V-1
    E : ndarray of shape (V, D), one word vector per row

    Returns
    -------
    out : ndarray of shape (N, k*D), E's dtype; row n is E[ids[n, 0]], ..., E[ids[n, k-1]] side by side
    cache : (ids, E.shape), for embedding_backward
    """
    N, k = ids.shape
    return E[ids].reshape(N, k * E.shape[1]), (ids, E.shape)


print(embedding_forward(np.array([[1, 3, 4], [0, 0, 2]]), np.arange(10.0).reshape(5, 2))[0])

# %% [markdown]
# **Exercise.** Implement `embedding_backward`. `dE` has `E`'s shape and the dtype of `dout`.


# %% nbgrader={"grade": false, "grade_id": "embedding_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def embedding_backward(dout, cache):
    """Gradient of the loss with respect to the word vectors E.

    Parameters
    ----------
    dout : ndarray of shape (N, k*D), d loss / d out
    cache : what embedding_forward returned with out

    Returns
    -------
    dE : ndarray of shape (V, D), dout's dtype; row w sums the gradients of every occurrence of word w
    """
    ### BEGIN SOLUTION
    ids, (V, D) = cache
    dE = np.zeros((V, D), dtype=dout.dtype)
    np.add.at(dE, ids.ravel(), dout.reshape(-1, D))
    return dE
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_embedding_backward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""embedding_backward: each word gets the sum of its gradients, repeated words included (3 points)"""
# the messages shown when a result looks like a known mistake
EMB_REPEAT = 'a word that appears several times got only one of its gradients: fancy-index `+=` writes each repeated id once (see the demonstration above)'
EMB_REPEAT_WINDOW = 'a word that appears twice in one window got only one of its gradients: fancy-index `+=` writes a repeated id once'
EMB_ORDER = 'dout was split in the wrong order: columns j*D to (j+1)*D belong to word ids[:, j]'
E = np.array([[0.0, 0.1], [1.0, 1.1], [2.0, 2.1], [3.0, 3.1], [4.0, 4.1]])   # V=5 words, D=2
ids = np.array([[1, 3, 1], [3, 0, 1]])        # word 1 three times, word 3 twice, words 2 and 4 never
dout = np.arange(12.0).reshape(2, 6) / 4      # (N, k*D)
_, cache = embedding_forward(ids, E)
dE = embedding_backward(dout, cache)
check_shape(dE, (5, 2), "dE = embedding_backward(dout, cache)")
check_array(dE, np.array([[2.0, 2.25], [3.5, 4.25], [0.0, 0.0], [2.0, 2.5], [0.0, 0.0]]), "dE = embedding_backward(dout, cache)",
            hints={EMB_REPEAT: [[2.0, 2.25], [2.5, 2.75], [0.0, 0.0], [1.5, 1.75], [0.0, 0.0]],
                   EMB_REPEAT_WINDOW: [[2.0, 2.25], [3.5, 4.0], [0.0, 0.0], [2.0, 2.5], [0.0, 0.0]],
                   EMB_ORDER: [[1.75, 2.5], [2.5, 4.75], [0.0, 0.0], [1.75, 3.25], [0.0, 0.0]]})
### BEGIN HIDDEN TESTS
from nnlib.grading import matches as _matches
_rng = np.random.default_rng(1815)

def _dE(ids, dout, V, D, mistake=None):
    N, k = ids.shape
    g = dout.reshape(N, k, D) if mistake != "order" else dout.reshape(N, D, k).transpose(0, 2, 1)
    dE = np.zeros((V, D))
    if mistake == "repeat":
        dE[ids] += g
    elif mistake == "window":
        for n in range(N):
            dE[ids[n]] += g[n]
    else:
        np.add.at(dE, ids, g)
    return dE

for _N, _k, _V, _D in [(1, 1, 4, 3), (1, 4, 3, 2), (9, 5, 6, 3), (4, 3, 12, 5)]:
    _E = _rng.normal(size=(_V, _D))
    _ids = _rng.integers(0, _V, size=(_N, _k))
    _dout = _rng.normal(size=(_N, _k * _D))
    _ref = _dE(_ids, _dout, _V, _D)
    _hints = {EMB_REPEAT: _dE(_ids, _dout, _V, _D, "repeat"),
              EMB_REPEAT_WINDOW: _dE(_ids, _dout, _V, _D, "window"),
              EMB_ORDER: _dE(_ids, _dout, _V, _D, "order")}
    _hints = {m: v for m, v in _hints.items() if not _matches(v, _ref)}
    check_array(embedding_backward(_dout, embedding_forward(_ids, _E)[1]), _ref,
                f"dE for N={_N}, k={_k}, V={_V}, D={_D}", hints=_hints)
_ids = np.full((5, 3), 2)                   # one word everywhere: its row sums all 15 gradients
_dout = _rng.normal(size=(5, 6))
check_array(embedding_backward(_dout, embedding_forward(_ids, _rng.normal(size=(4, 2)))[1]),
            _dE(_ids, _dout, 4, 2), "dE when every position holds the same word",
            hints={EMB_REPEAT: _dE(_ids, _dout, 4, 2, "repeat")})
_ids32 = _rng.integers(0, 7, size=(6, 4)).astype(np.int32)
_dout32 = _rng.normal(size=(6, 12)).astype(np.float32)
check_array(embedding_backward(_dout32, embedding_forward(_ids32, _rng.normal(size=(7, 3)).astype(np.float32))[1]),
            _dE(_ids32, _dout32.astype(np.float64), 7, 3).astype(np.float32), "dE for float32 dout and int32 ids",
            rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# The one-hot picture gives the same gradient, $dE = \sum_n x_n^\top d\text{out}_n$, a matrix product
# that adds up repeated words by construction; and a numerical gradient check:

# %%
ids_demo = np.array([[1, 4, 4], [0, 5, 1]])                   # word 4 twice in a window, word 1 in both
dout_demo = rng.normal(size=(2, 3 * D_demo))
_, emb_cache = embedding_forward(ids_demo, E_demo)
dE = embedding_backward(dout_demo, emb_cache)
one_hots = np.eye(V_demo)[ids_demo.ravel()]                    # (N*k, V)
print("dE == one-hot^T @ dout:", np.allclose(dE, one_hots.T @ dout_demo.reshape(-1, D_demo)))
err = check_gradient(lambda E: float(np.sum(embedding_forward(ids_demo, E)[0] * dout_demo)), E_demo, dE)
report("E", E_demo, err)

# %% [markdown]
# ### Representation learning: a word-window classifier on the corpus
#
# The lecture's named-entity example: is the centre word of a window a **location** (tagged `LOC` in
# the course corpus)? Each token gives one 5-word window, labelled 1 when its centre word is a place.
# Words seen fewer than twice become `<unk>`, so some places can only be recognised from their context
# ("flew to ___").
#
# The **baseline** has one rule: a window is a place when its centre word was tagged as a place in the
# training windows. The model: embedding ($V \times 8$) →
# affine → ReLU → affine → 2 logits. **The word vectors $E$ are in `params`** and get their gradient
# from `embedding_backward`, so `train` updates them like any weight.

# %%
# NBVAL_IGNORE_OUTPUT
corpus = datasets.load_corpus()
token_lists = [s.tokens for s in corpus]
vocab = text.Vocabulary.build(token_lists, min_count=2)
ids, labels = text.word_windows(token_lists, [s.tags for s in corpus], vocab, half_width=2)
ids_train, ids_val, labels_train, labels_val = datasets.train_val_split(ids, labels, val_fraction=0.25, rng=rng)
print(f"{len(vocab)} words in the vocabulary, {len(ids)} windows of {ids.shape[1]} words, "
      f"{labels.mean():.1%} centred on a place name")
print("a window:", vocab.decode(ids[labels == 1][0]), "-> label 1")


def recall_precision(found, y):
    # Share of the place windows found, and share of the found windows that are places.
    return np.sum(found & (y == 1)) / np.sum(y == 1), np.sum(found & (y == 1)) / max(np.sum(found), 1)


gazetteer = set(ids_train[labels_train == 1, 2].tolist()) - {vocab.unk_id}
baseline_found = np.isin(ids_val[:, 2], list(gazetteer))
baseline = recall_precision(baseline_found, labels_val)
print(f"one-rule baseline on the validation windows: recall {baseline[0]:.2f}, precision {baseline[1]:.2f}")

D, H = 8, 16
params_words = {"E": rng.normal(scale=0.1, size=(len(vocab), D)), **init_mlp([ids.shape[1] * D, H, 2], rng)}
E_before = params_words["E"].copy()


def window_logits(params, ids):
    X, emb_cache = embedding_forward(ids, params["E"])
    Z1, cache1 = affine_forward(X, params["W1"], params["b1"])
    Z2, cache2 = affine_forward(np.maximum(Z1, 0), params["W2"], params["b2"])
    return Z2, (emb_cache, cache1, Z1, cache2)


def window_loss_and_grads(params, ids, y):
    logits, (emb_cache, cache1, Z1, cache2) = window_logits(params, ids)
    loss, dZ2 = softmax_cross_entropy(logits, y), softmax_cross_entropy_grad(logits, y)
    dA1, dW2, db2 = affine_backward(dZ2, cache2)
    dX, dW1, db1 = affine_backward(dA1 * (Z1 > 0), cache1)
    dE = embedding_backward(dX, emb_cache)
    return loss, {"E": dE, "W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def tagger_finds(params, ids):
    return np.argmax(window_logits(params, ids)[0], axis=1) == 1


history_words = train(params_words, window_loss_and_grads, SGD(lr=0.5), ids_train, labels_train,
                      epochs=12, batch_size=32, rng=rng, validation=(ids_val, labels_val), desc="word windows")
tagger = recall_precision(tagger_finds(params_words, ids_val), labels_val)
unknown = (ids_val[:, 2] == vocab.unk_id) & (labels_val == 1)
print(f"{'validation windows':22s} {'recall':>7s} {'precision':>10s} {'<unk> places found':>20s}")
for name, (r, prec), found in [("one-rule baseline", baseline, baseline_found), ("trained tagger", tagger, tagger_finds(params_words, ids_val))]:
    print(f"{name:22s} {r:7.2f} {prec:10.2f} {f'{np.sum(found & unknown)} of {unknown.sum()}':>20s}")

# %% [markdown]
# The baseline finds no `<unk>` place, by construction; the tagger finds some from their context alone,
# because the vectors of context words ("to", "in", "from") were trained to announce a place.


# %% [markdown]
# Did the word vectors move? We project them onto their two **principal directions** (PCA, with NumPy's
# SVD of the centred rows), before and after training.

# %%
def pca_2d(M):
    # Rows of M projected on their first two principal directions.
    centred = M - M.mean(axis=0)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ Vt[:2].T


places = {t for s in corpus for t, tag in zip(s.tokens, s.tags) if tag == "LOC"}
counts = Counter(t for tokens in token_lists for t in tokens)
shown = [w for w in vocab.tokens[2:] if counts[w] >= 8]              # the words seen at least 8 times
rows = np.array([vocab.index(w) for w in shown])
is_place = np.array([w in places for w in shown]).astype(int)
moved = np.linalg.norm(params_words["E"] - E_before, axis=1)[rows]
print(f"distance a word vector moved, on average: place names {moved[is_place == 1].mean():.3f}, "
      f"other words {moved[is_place == 0].mean():.3f}")

labelled = {"rome", "tokyo", "lahore", "berlin", "to", "in", "from", "the", "was", "flew"}
fig, axes = plt.subplots(1, 2, figsize=(13, 5))
for ax, E, when in [(axes[0], E_before, "before training"), (axes[1], params_words["E"], "after training")]:
    P = pca_2d(E[rows])
    plots.scatter(ax, P, is_place, class_names=("other word", "place name"), feature_names=("PC 1", "PC 2"),
                  title=f"word vectors {when} (PCA)")
    for w, (px, py) in zip(shown, P):
        if w in labelled:
            ax.annotate(w, (px, py), fontsize=7, xytext=(2, 2), textcoords="offset points")
plt.show()

# %% [markdown]
# Before training, place names are scattered among the other words; after it, they have gathered in one
# region, and "to", "in", "from" have moved away from the rest too. Nobody told the network what a place
# name is: the geometry of $E$ was **learned** because it helps the classifier. This is representation
# learning, and how word embeddings such as word2vec's come about (with another training task).

# %% [markdown]
# ## What to remember
#
# > - Backpropagation is the chain rule, layer by layer; a gradient has the shape of its parameter, and a bias
# >   gradient sums over the batch.
# > - For a sigmoid output with mean BCE, $\sigma'$ cancels: $dZ_2 = (A_2 - Y)/N$, as softmax with cross-entropy
# >   gives prediction minus truth (notebook 02).
# > - Without a non-linearity, depth adds nothing: two affine layers are one.
# > - Word vectors are parameters; backward adds up the gradients of every occurrence of a word (`np.add.at`).
#
# ## Summary
#
# Cut into forward/backward layers, the chain rule trains an MLP of any depth, whose hidden
# non-linearities bend the decision boundary; word vectors trained with it learn a useful geometry.
#
# **Next:** `04_activations` studies the activation functions, their derivatives and kinks, and what
# happens to gradients in deeper networks.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
