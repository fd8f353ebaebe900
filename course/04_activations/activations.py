# %% [markdown]
# # 04 · Activation functions: the functions, their derivatives, vanishing gradients
#
# **Lecture:** *Review of Neural Networks*, slides "What's the need for activation function?",
# "Activation functions add non-linearity in the neural networks", "Sigmoid function is one of the
# oldest activation functions", the tanh slides ("A shifted and scaled version of sigmoid", variant
# *hard tanh*), "Rectified Linear Unit is the most popular activation function in hidden layers"
# (variants *leaky ReLU, parametric ReLU, swish*; dead ReLUs; not zero-centred) and "Do Deep Neural
# Networks really perform better?" (*what happens to gradients in DNNs?*).
#
# By the end of this notebook you will be able to
#
# 1. derive and implement a **sigmoid that never overflows** and its derivative;
# 2. derive the derivatives of **hard tanh**, **PReLU** (whose slope $\alpha$ is *learned*) and
#    **swish**, and say what a derivative is **at a kink**, following PyTorch's autograd;
# 3. show **why deep sigmoid networks stop learning** (σ' ≤ 1/4 per layer), and measure **dead ReLUs**
#    and **saturated units** during training.
#
# **Time:** about 2 h 05 for the core path (the course map says how this is estimated); sections
# marked *(optional)* are extra.
#
# **How this notebook is graded.** Six functions (17 points) and one written question (2 points).
# Complete every cell that says `raise NotImplementedError()`. The cells after it test your function;
# they are worth the points shown in their header and hold hidden tests as well, so a function that
# only fits the visible tests will lose points. Every function must keep the **shape** and the **float
# dtype** of its input (float32 in, float32 out) and must not change its input. Run *Kernel → Restart &
# Run All* before you submit, and use nbgrader's *Validate* button.
#
# **Notation:** $z$ a pre-activation, $a = f(z)$ an activation, $J$ the cost (the mean loss over the $N$
# samples), $\alpha$ the learning rate (`lr` in code), except in section 7, where $\alpha$ is PReLU's
# slope, as in PyTorch.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import time

import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.gradcheck import check_gradient
from nnlib.grading import call_strict, check_array, check_close, check_dtype, check_shape
from nnlib.train import SGD, train
from support import init_mlp, mlp_loss_and_grads, mlp_predict, num_layers

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. Why a network needs activation functions
#
# A layer computes $z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}$, then $a^{[l]} = f(z^{[l]})$ with an
# **activation function** $f$ applied element-wise; without $f$ two layers collapse into one (notebook
# 03). Which $f$ for the hidden layers, and what does its derivative do to the gradient, by which
# backpropagation multiplies at every layer?
#
# ## 2. Sigmoid
#
# The oldest activation squashes any real number into $(0, 1)$, a "pseudo-probability":
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}.$$
#
# ### Overflow
#
# `1 / (1 + np.exp(-x))` computes $e^{-x}$, which overflows to `inf` for $x \lesssim -710$ in float64
# ($x \lesssim -89$ in float32), with a `RuntimeWarning`; the result 0 happens to be right, but a warning
# in a training run hides real problems. The other form, $e^{x}/(1 + e^{x})$, gives `nan` at the other end:

# %%
x = np.array([-1000.0, -20.0, 0.0, 20.0, 1000.0])
with np.errstate(over="ignore", invalid="ignore"):
    first_form = 1 / (1 + np.exp(-x))
    second_form = np.exp(x) / (1 + np.exp(x))
print("1 / (1 + exp(-x))  :", first_form, "(and a RuntimeWarning: overflow in exp, silenced here)")
print("exp(x) / (1 + exp(x)):", second_form, "(nan at x = 1000)")


# %% [markdown]
# Each form is safe on one side: $e^{-x}$ cannot overflow for $x \ge 0$, nor $e^{x}$ for $x < 0$.
#
# **Exercise (derive, then code).** On paper, show that the two forms are the same function. Then
# implement `sigmoid(x)` for an array of any shape so that **no exponential of a positive number is ever
# computed**: no warning and no `nan` at $x = \pm 1000$ (or $\pm 10^4$), float32 in and float32 out.
# Remember that `np.where(condition, a, b)` evaluates *both* `a` and `b` for every element before it
# chooses, so each of them must be safe everywhere.
#
# <details><summary>Hint (open only if stuck)</summary>
#
# Which single number, computed from $x$, is never positive, and lets you write both forms? Its
# exponential lies in $(0, 1]$.
# </details>

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid(x):
    """Logistic sigmoid, 1 / (1 + exp(-x)), element-wise and without overflow.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64

    Returns
    -------
    ndarray of x's shape and dtype, values in [0, 1]
    """
    ### BEGIN SOLUTION
    e = np.exp(-np.abs(x))            # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""sigmoid: shape, dtype and values on small inputs (2 points)"""
x = np.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 4.0]])
s = sigmoid(x)
check_shape(s, (2, 3), "sigmoid(x)")
check_array(s, [[0.119202922022, 0.5, 0.880797077978], [0.73105857863, 0.26894142137, 0.982013790038]],
            "sigmoid(x)",
            hints={"this is sigmoid(-x) = 1 / (1 + exp(x)): the two forms were used on the wrong sides of 0 "
                   "(or the sign of the exponent is flipped)": 1 / (1 + np.exp(x)),
                   "this is exp(-x), not 1 / (1 + exp(-x))": np.exp(-x)})
check_dtype(sigmoid(x.astype(np.float32)), np.float32, "sigmoid of a float32 array")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4101)
for shape in [(1, 1), (1,), (7,), (4, 3), (3, 3), (2, 3, 5)]:
    x = _rng.normal(scale=4.0, size=shape)
    ref = np.exp(-np.logaddexp(0.0, -x))
    check_array(sigmoid(x), ref, f"sigmoid of an array of shape {shape}",
                hints={"this is sigmoid(-x): the two forms were used on the wrong sides of 0": 1 - ref})
x32 = _rng.normal(scale=5.0, size=(6, 2)).astype(np.float32)
s32 = sigmoid(x32)
check_dtype(s32, np.float32, "sigmoid of a float32 array")
check_close(s32, np.exp(-np.logaddexp(0.0, -x32.astype(np.float64))), "sigmoid of a float32 array",
            rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_stable", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""sigmoid: no overflow, no warning, no nan at x = ±1000 (2 points)"""
x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
s = call_strict(sigmoid, x, name="sigmoid at x = ±1000",
                hint="an exponential of a large positive number overflowed (a warning or a nan): every exponent "
                     "your sigmoid computes, in both branches of np.where, must be <= 0")
check_array(s, [0.0, 1.928749847963918e-22, 0.5, 1.0, 1.0], "sigmoid at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4102)
_hint = "an exponential of a large positive number overflowed: every exponent you compute must be <= 0"
x = np.array([[-1e4, 1e4], [-745.0, 745.0], [-710.0, 710.0]])
s = call_strict(sigmoid, x, name="sigmoid at x = ±1e4", hint=_hint)
check_array(s, [[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]], "sigmoid at x = ±1e4")
x32 = np.array([-1000.0, -100.0, -30.0, 0.0, 30.0, 100.0, 1000.0], dtype=np.float32)
s32 = call_strict(sigmoid, x32, name="sigmoid of float32 x = ±100 (float32 exp overflows above 88.7)", hint=_hint)
check_dtype(s32, np.float32, "sigmoid of float32 x = ±1000")
check_close(s32, [0.0, 0.0, 9.357623e-14, 0.5, 1.0, 1.0, 1.0], "sigmoid of float32 x = ±1000", rtol=1e-5, atol=1e-7)
x = _rng.normal(scale=300.0, size=(5, 4))
s = call_strict(sigmoid, x, name="sigmoid of large random inputs", hint=_hint)
check_array(s, np.exp(-np.logaddexp(0.0, -x)), "sigmoid of large random inputs")
### END HIDDEN TESTS

# %% [markdown]
# ### The derivative
#
# **Exercise (derive, then code).** Differentiate $\sigma(x) = (1 + e^{-x})^{-1}$ with the chain rule
# and write the result **in terms of $\sigma(x)$ only** (the lecture's slide states it as
# $f'(x) = f(x)(1 - f(x))$: mind what $f(x)$ stands for). Then implement `sigmoid_grad(x)`, the derivative
# at the **input** $x$, reusing your `sigmoid` so that it cannot overflow either.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid_grad(x):
    """Derivative of the sigmoid at the input x, element-wise.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of the sigmoid)

    Returns
    -------
    ndarray of x's shape and dtype, values in [0, 0.25]
    """
    ### BEGIN SOLUTION
    s = sigmoid(x)
    return s * (1 - s)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""sigmoid_grad: values, the peak 1/4 at 0, no overflow (2 points)"""
x = np.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 4.0]])
s = np.array([[0.119202922022, 0.5, 0.880797077978], [0.73105857863, 0.26894142137, 0.982013790038]])
g = sigmoid_grad(x)
check_shape(g, (2, 3), "sigmoid_grad(x)")
check_array(g, [[0.104993585404, 0.25, 0.104993585404], [0.196611933241, 0.196611933241, 0.017662706213]],
            "sigmoid_grad(x)",
            hints={"this is sigmoid(x) * (1 - x): in the derivative both factors are functions of sigma(x)": s * (1 - x),
                   "this is x * (1 - x): the lecture's f(x)(1 - f(x)) takes the output f(x) = sigma(x), "
                   "but sigmoid_grad receives the input x": x * (1 - x),
                   "this is sigmoid(x) itself, not its derivative": s})
g = call_strict(sigmoid_grad, np.array([-1000.0, 1000.0]), name="sigmoid_grad at x = ±1000",
                hint="an exponential overflowed: compute the derivative from your stable sigmoid")
check_array(g, [0.0, 0.0], "sigmoid_grad at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4103)
for shape in [(1,), (1, 1), (3, 7), (4, 4), (2, 2, 3)]:
    x = _rng.normal(scale=3.0, size=shape)
    s = np.exp(-np.logaddexp(0.0, -x))
    check_array(sigmoid_grad(x), s * (1 - s), f"sigmoid_grad of shape {shape}",
                hints={"this is sigmoid(x) * (1 - x): both factors are functions of sigma(x)": s * (1 - x),
                       "this is x * (1 - x): the formula takes sigma(x), not x": x * (1 - x)})
x32 = np.array([[-1e4, -100.0, -3.0, 0.0, 0.5, 100.0, 1e4]], dtype=np.float32)
g32 = call_strict(sigmoid_grad, x32, name="sigmoid_grad of float32 x = ±1e4",
                  hint="an exponential overflowed: compute it from your stable sigmoid")
check_dtype(g32, np.float32, "sigmoid_grad of a float32 array")
s = np.exp(-np.logaddexp(0.0, -x32.astype(np.float64)))
check_close(g32, s * (1 - s), "sigmoid_grad of a float32 array", rtol=1e-5, atol=1e-7)
check_close(sigmoid_grad(np.zeros((2, 2))), np.full((2, 2), 0.25), "sigmoid_grad(0): the peak must be 1/4")
### END HIDDEN TESTS

# %% [markdown]
# ### The peak of σ' is 1/4 — and what that does through many layers
#
# $\sigma'(0) = \tfrac12 \cdot \tfrac12 = \tfrac14$ is its peak; it falls to almost 0 once
# $|x| \gtrsim 5$ (the unit is **saturated**). Backpropagation multiplies the gradient by one
# $\sigma'(z^{[l]})$ per sigmoid layer, so even in the *best* case $L$ sigmoid layers shrink it by $(1/4)^L$:

# %%
z = np.linspace(-8, 8, 1601)
g = sigmoid_grad(z)
print(f"largest sigma'(z): {g.max():.4f} at z = {z[np.argmax(g)]:.2f};  sigma'(5) = {sigmoid_grad(np.array([5.0]))[0]:.4f}")
for L in (1, 2, 5, 10, 20):
    print(f"{L:2d} sigmoid layers: the gradient shrinks by at least (1/4)^{L:<2d} = {0.25 ** L:.1e}")


# %% [markdown]
# ## 3. Tanh: a shifted and scaled sigmoid (a demonstration)
#
# $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\,\sigma(2x) - 1, \qquad \tanh'(x) = 1 - \tanh^2(x).$$
#
# Its outputs lie in $(-1, 1)$ and are **zero-centred**, and its slope at 0 is 1, four times the
# sigmoid's. Zero-centred outputs help because a unit's weight
# gradient is its error $\delta$ times the previous layer's activations: when these are all positive
# (sigmoid, ReLU), all the unit's weights get gradients of one sign from a sample, so reaching weights of
# mixed signs takes a zig-zag path. We use `np.tanh`, which never overflows; the lecture's
# $1 - f(x)^2$ takes $f(x) = \tanh(x)$, not $x$:

# %%
def tanh(x):
    """Hyperbolic tangent, element-wise (NumPy's, which never overflows)."""
    return np.tanh(x)


def tanh_grad(x):
    """Derivative of tanh at the input x: 1 - tanh(x)**2."""
    return 1 - np.tanh(x) ** 2


z = np.linspace(-6, 6, 1201)
gap = np.max(np.abs(tanh(z) - (2 * sigmoid(2 * z) - 1)))
print(f"max |tanh(z) - (2 sigma(2z) - 1)| over [-6, 6] is below 1e-12: {gap < 1e-12}")
print(f"slope at 0:  sigmoid {sigmoid_grad(np.zeros(1))[0]:.2f}   tanh {tanh_grad(np.zeros(1))[0]:.2f}")
print(f"mean output over z ~ N(0, 1):  sigmoid {sigmoid(rng.normal(size=10_000)).mean():.2f}   "
      f"tanh {tanh(rng.normal(size=10_000)).mean():.2f}   (tanh is zero-centred)")


# %% [markdown]
# ## 4. Kinks: which derivative does autograd use?
#
# ReLU, its variants and hard tanh are **piecewise linear**: at a **kink** the left and right slopes
# differ. A correction to the lecture's ReLU slide, which says that ReLU "has a discontinuity at
# $x = 0$": the *function* $\max(0, x)$ is **continuous**; what jumps at 0 is its **derivative**, from
# 0 to 1, so the derivative is undefined there. A framework must still return *some* number there (a
# ReLU of a ReLU's 0 output hits the kink exactly). This course follows **PyTorch's autograd**:
#
# | function | kink | derivative used there | PyTorch's backward rule |
# |---|---|---|---|
# | ReLU | $x = 0$ | $0$ | `threshold_backward(grad, result, 0)`: passes where the output is $> 0$ |
# | leaky ReLU | $x = 0$ | $\alpha$ | `leaky_relu_backward`: `x > 0 ? grad : grad * alpha` |
#
# The pattern, which also holds for hard tanh and PReLU below: **every test is strict**, and the kink
# takes the slope of the **flat or negative side**, never the slope 1 of the identity piece (any value
# between the two one-sided slopes is a valid *subgradient*; this is the one we grade).
#
# ## 5. ReLU and leaky ReLU (a demonstration)
#
# The rectified linear unit $f(x) = \max(0, x)$, the default for hidden layers, is cheap (no exponential)
# and its slope is 1 for every positive input, so it does not **saturate** there. But a unit whose input
# is negative for *every* sample gets no gradient and never changes again: a **dead ReLU**. **Leaky ReLU**
# keeps a small slope $\alpha$ (default $0.01$) on the negative side, so a gradient still flows:

# %%
def relu(x):
    """max(0, x), element-wise; a new array of x's shape and dtype."""
    return np.maximum(x, 0)


def relu_grad(x):
    """ReLU's derivative at x: 1 where x > 0, else 0 (0 at the kink, as PyTorch)."""
    return (x > 0).astype(x.dtype)


def leaky_relu(x, alpha=0.01):
    """x where x > 0, alpha * x elsewhere."""
    return np.where(x > 0, x, alpha * x).astype(x.dtype)


def leaky_relu_grad(x, alpha=0.01):
    """Leaky ReLU's derivative at x: 1 where x > 0, alpha elsewhere (alpha at the kink, as PyTorch)."""
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0], dtype=np.float32)
print("x               :", x)
print("relu(x)         :", relu(x), relu(x).dtype)
print("relu_grad(x)    :", relu_grad(x), relu_grad(x).dtype)
print("leaky_relu(x)   :", leaky_relu(x, 0.1))
print("leaky_relu_grad :", leaky_relu_grad(x, 0.1), leaky_relu_grad(x, 0.1).dtype)


# %% [markdown]
# ### What a numerical derivative sees at a kink (optional)
#
# A centred difference $\big(f(x + h) - f(x - h)\big) / 2h$ at the kink averages the two one-sided
# slopes, a third value that neither side has. That is why a gradient check is only trusted **away from
# kinks**, and why the convention has to be written down.

# %%
h = 1e-6
print(f"{'function':<11} {'x':>5} {'left slope':>11} {'right slope':>12} {'centred':>8} {'PyTorch':>8}")
for name, f, df, x0 in [("relu", relu, relu_grad, 0.0),
                        ("leaky 0.1", lambda v: leaky_relu(v, 0.1), lambda v: leaky_relu_grad(v, 0.1), 0.0)]:
    x = np.array([x0])
    left = (f(x) - f(x - h))[0] / h
    right = (f(x + h) - f(x))[0] / h
    centred = (f(x + h) - f(x - h))[0] / (2 * h)
    print(f"{name:<11} {x0:5.1f} {left:11.2f} {right:12.2f} {centred:8.2f} {df(x)[0]:8.2f}")


# %% [markdown]
# ## 6. Hard tanh
#
# The lecture's piecewise-linear, exp-free variant of tanh: the identity, clipped to $[-1, 1]$,
#
# $$\operatorname{hardtanh}(x) = \begin{cases} -1 & x < -1 \\ x & -1 \le x \le 1 \\ 1 & x > 1. \end{cases}$$

# %%
def hard_tanh(x):
    """x clipped to [-1, 1], element-wise; a new array of x's shape and dtype."""
    return np.clip(x, -1, 1)


print(hard_tanh(np.array([-3.0, -1.0, -0.5, 0.0, 0.75, 2.0])))

# %% [markdown]
# **Exercise (derive, then code).** Derive $\operatorname{hardtanh}'(x)$ piece by piece. It has two
# kinks: use the convention of section 4 there. Implement `hard_tanh_grad(x)`, an array of **floats of
# x's dtype**.

# %% nbgrader={"grade": false, "grade_id": "hard_tanh_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hard_tanh_grad(x):
    """Derivative of hard tanh at x, element-wise (PyTorch's convention at the kinks).

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of hard tanh)

    Returns
    -------
    ndarray of x's shape and dtype, values 0 or 1
    """
    ### BEGIN SOLUTION
    return ((x > -1) & (x < 1)).astype(x.dtype)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_hard_tanh_grad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""hard_tanh_grad: shape, dtype and values away from the kinks (1 point)"""
x = np.array([-2.0, -1.5, -0.5, 0.0, 0.5, 1.5, 2.0])
g = hard_tanh_grad(x)
check_shape(g, (7,), "hard_tanh_grad(x)")
assert g.dtype == x.dtype, (f"hard_tanh_grad should return floats of x's dtype {x.dtype}, got {g.dtype} "
                            "(a comparison gives booleans)")
check_array(g, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0], "hard_tanh_grad(x)",
            hints={"this is hard_tanh(x) itself, not its derivative": np.clip(x, -1, 1),
                   "inside (-1, 1) hard tanh is the identity, outside it is constant: the slopes are "
                   "the other way round": [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4107)
for shape in [(1,), (1, 1), (5, 4), (3, 3), (3, 2, 3)]:
    x = _rng.normal(scale=1.5, size=shape)
    x[np.abs(np.abs(x) - 1) < 1e-3] = 0.3                               # away from the kinks
    check_array(hard_tanh_grad(x), ((x > -1) & (x < 1)).astype(float), f"hard_tanh_grad of shape {shape}",
                hints={"the slopes are the other way round": ((x <= -1) | (x >= 1)).astype(float)})
x32 = np.array([-1e4, -3.0, -0.999, 0.0, 0.999, 1.5, 1e4], dtype=np.float32)
g32 = hard_tanh_grad(x32)
check_dtype(g32, np.float32, "hard_tanh_grad of a float32 array")
check_close(g32, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0], "hard_tanh_grad of a float32 array")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_hard_tanh_grad_kinks", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""hard_tanh_grad: the convention at the kinks x = ±1 (1 point)"""
x = np.array([-1.0, 0.0, 1.0])
check_close(hard_tanh_grad(x), [0.0, 1.0, 0.0], "hard_tanh_grad at the kinks x = -1 and x = 1",
            hints={"at x = ±1 this is the slope of the identity piece: section 4's convention takes the slope "
                   "of the flat side at a kink": [1.0, 1.0, 1.0],
                   "at x = -1 this is the slope of the identity piece: section 4's convention takes the slope "
                   "of the flat side at both kinks": [1.0, 1.0, 0.0],
                   "at x = 1 this is the slope of the identity piece: section 4's convention takes the slope "
                   "of the flat side at both kinks": [0.0, 1.0, 1.0]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4117)
for shape in [(1, 1), (6, 4), (2, 3, 2)]:
    x = np.round(_rng.normal(scale=1.5, size=shape) * 2) / 2              # many exact -1, 0, 1
    x.flat[0] = 1.0
    check_close(hard_tanh_grad(x), ((x > -1) & (x < 1)).astype(float), f"hard_tanh_grad of shape {shape} at ±1",
                hints={"at x = ±1 this is the slope of the identity piece: take the flat side's slope":
                       ((x >= -1) & (x <= 1)).astype(float)})
x32 = np.array([-1.0, 1.0, -1.0], dtype=np.float32)
check_close(hard_tanh_grad(x32), [0.0, 0.0, 0.0], "hard_tanh_grad of float32 x = ±1")
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Parametric ReLU: a slope that is learned
#
# PReLU (He et al., 2015) is a leaky ReLU whose slope $\alpha$ is a **parameter** trained by gradient
# descent: one $\alpha$ for the whole layer (a scalar) or one per feature, shape `(D,)`. For `x` of
# shape `(N, D)`,
#
# $$y_{nd} = \begin{cases} x_{nd} & x_{nd} > 0 \\ \alpha_d\, x_{nd} & x_{nd} \le 0 \end{cases}$$
#
# A learned $\alpha$ may become larger than 1 or negative, which is why the forward pass uses `np.where`
# and not `np.maximum(x, alpha * x)` (equal to PReLU only while $\alpha \le 1$).

# %%
def prelu(x, alpha):
    """PReLU: x where x > 0, alpha * x elsewhere; alpha a float or one slope per feature, shape (D,)."""
    return np.where(x > 0, x, alpha * x)


x = np.array([[-2.0, 1.0], [0.5, -4.0]])
print("prelu(x, [0.1, 1.5])             :", prelu(x, np.array([0.1, 1.5])).tolist())
print("np.maximum(x, [0.1, 1.5] * x)    :", np.maximum(x, np.array([0.1, 1.5]) * x).tolist(), "(wrong for alpha > 1)")

# %% [markdown]
# **Exercise (derive, then code).** The backward pass receives `dout` $= \partial J / \partial y$ and
# returns **two** gradients: `dx` $= \partial J / \partial x$ and `dalpha` $= \partial J / \partial \alpha$.
# Derive both on paper, element by element: what are $\partial y_{nd} / \partial x_{nd}$ and
# $\partial y_{nd} / \partial \alpha_d$ on each side of 0? Combine them with `dout` by the chain rule,
# settling two things:
#
# - $\alpha_d$ is used by **every sample** $n$ (and a scalar $\alpha$ by every element): how does the chain
#   rule combine the contributions of all the elements that use one parameter? (03's bias gradient
#   `db` answers the same question.) `dalpha` must have `alpha`'s shape: a scalar for a scalar `alpha`,
#   `(D,)` for one slope per feature.
# - At the kink $x = 0$ use the convention of section 4 for `dx`.
#
# <details><summary>Hint for dalpha (open only if stuck)</summary>
#
# Write $y_{nd}$ on the negative side as a product of $\alpha_d$ and something that does not depend on
# $\alpha_d$. Its derivative with respect to $\alpha_d$ is that something, not 1.
# </details>

# %% nbgrader={"grade": false, "grade_id": "prelu_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def prelu_backward(dout, x, alpha):
    """Gradients of PReLU with respect to its input and its slope.

    Parameters
    ----------
    dout : ndarray of shape (N, D), dJ/dy
    x : ndarray of shape (N, D), the input of prelu
    alpha : float, or ndarray of shape (D,)

    Returns
    -------
    dx : ndarray of shape (N, D), x's dtype
    dalpha : of alpha's shape: a scalar for a scalar alpha, shape (D,) for one alpha per feature
    """
    ### BEGIN SOLUTION
    positive = x > 0
    dx = np.where(positive, dout, alpha * dout)
    per_element = np.where(positive, 0, x * dout)
    if np.ndim(alpha) == 0:
        dalpha = per_element.sum()
    else:
        dalpha = per_element.sum(axis=0)
    return dx, dalpha
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_prelu_backward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""prelu_backward: dx and dalpha, summed to alpha's shape, away from the kink (3 points)"""
x = np.array([[-2.0, 1.0], [0.5, -4.0], [3.0, -1.0]])          # N=3, D=2, no exact 0
dout = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]])
alpha = np.array([0.1, 0.5])
out = prelu_backward(dout, x, alpha)
assert isinstance(out, tuple) and len(out) == 2, "prelu_backward should return a pair (dx, dalpha)"
dx, dalpha = out
check_shape(dx, (3, 2), "dx")
check_array(dx, [[0.1, 2.0], [-1.0, 0.25], [3.0, -1.0]], "dx of prelu_backward",
            hints={"dx is missing the upstream gradient dout: the chain rule multiplies the local slope by dout":
                       [[0.1, 1.0], [1.0, 0.5], [1.0, 0.5]],
                   "dx uses the slope 1 on the negative side too: there y = alpha * x": dout,
                   "dx has alpha on the positive side and 1 on the negative side: the other way round":
                       [[1.0, 1.0], [-0.1, 0.5], [0.3, -2.0]]})
check_close(dalpha, [-2.0, 0.0], "dalpha with one alpha per feature",
            hints={"dalpha has x's shape: alpha is shared by every sample, so its gradient collects the "
                   "contributions of all the samples, to alpha's shape (D,)": [[-2.0, 0.0], [0.0, -2.0], [0.0, 2.0]],
                   "dalpha was summed over everything: with one alpha per feature, each alpha_d collects only "
                   "the samples of its own feature, shape (D,)": -2.0,
                   "dalpha is missing the factor x: the derivative of alpha * x with respect to alpha is not 1":
                       [1.0, -1.5],
                   "dalpha also collects the positive side: there y = x does not depend on alpha": [6.5, 2.0]})
dx, dalpha = prelu_backward(dout, x, 0.25)
assert np.shape(dalpha) == (), (f"with a scalar alpha, dalpha must be a scalar (alpha's shape), got shape "
                                f"{np.shape(dalpha)}: one alpha is used by every element")
check_close(dalpha, 0.0 - 2.0 - 2.0 + 2.0, "dalpha with a scalar alpha",
            hints={"dalpha of a scalar alpha collects every element, not only the first feature": -2.0})
check_array(dx, [[0.25, 2.0], [-1.0, 0.125], [3.0, -0.5]], "dx with a scalar alpha")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4113)
for N, D in [(1, 1), (1, 4), (6, 3), (4, 7), (5, 5)]:
    x = _rng.normal(size=(N, D))
    x[np.abs(x) < 1e-3] = -0.5                                          # away from the kink
    x[0, 0] = -0.7
    dout = _rng.normal(size=(N, D))
    for alpha in [_rng.uniform(-0.5, 2.0, size=D), 0.3]:
        dx, dalpha = prelu_backward(dout, x, alpha)
        pe = np.where(x > 0, 0.0, x * dout)
        check_array(dx, np.where(x > 0, dout, alpha * dout), f"dx with N={N}, D={D}",
                    hints={"dx is missing the upstream gradient dout": np.where(x > 0, 1.0, alpha * np.ones_like(x))})
        no_x = np.where(x > 0, 0.0, dout)
        if np.ndim(alpha):
            expected = pe.sum(axis=0)
            hints = {"dalpha has x's shape: collect the contributions of all the samples, to alpha's shape": pe,
                     "dalpha was summed over everything: each alpha_d collects only its own feature": pe.sum(),
                     "dalpha is missing the factor x": no_x.sum(axis=0)}
        else:
            expected = pe.sum()
            hints = {"dalpha has x's shape: a scalar alpha collects every element": pe,
                     "dalpha of a scalar alpha was summed over the samples only: it collects every element":
                         pe.sum(axis=0),
                     "dalpha is missing the factor x": no_x.sum()}
        hints = {m: w for m, w in hints.items() if np.shape(w) != np.shape(expected) or not np.allclose(w, expected)}
        check_close(dalpha, expected, f"dalpha with N={N}, D={D}, alpha of shape {np.shape(alpha)}", hints=hints)
        assert np.shape(dalpha) == np.shape(alpha), \
            f"dalpha must have alpha's shape {np.shape(alpha)}, got {np.shape(dalpha)}"
x32 = _rng.normal(size=(5, 2)).astype(np.float32)
d32 = _rng.normal(size=(5, 2)).astype(np.float32)
dx32, dalpha32 = prelu_backward(d32, x32, np.array([0.2, 0.7], dtype=np.float32))
check_dtype(dx32, np.float32, "dx of float32 inputs")
x64, d64 = x32.astype(np.float64), d32.astype(np.float64)
check_close(dx32, np.where(x64 > 0, d64, np.array([0.2, 0.7]) * d64), "dx of float32 inputs", rtol=1e-5, atol=1e-6)
check_close(dalpha32, np.where(x64 > 0, 0.0, x64 * d64).sum(axis=0), "dalpha of float32 inputs", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_prelu_backward_kink", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""prelu_backward: dx at the kink x = 0 (1 point)"""
x = np.array([[0.0, 1.0], [-2.0, 0.0]])
dout = np.array([[4.0, 2.0], [1.0, -3.0]])
dx, _ = prelu_backward(dout, x, np.array([0.5, 0.25]))
check_close(dx, [[2.0, 2.0], [0.5, -0.75]], "dx of prelu_backward at x = 0",
            hints={"at x = 0 this is the slope of the identity piece: section 4's convention takes the "
                   "slope of the negative side at the kink": [[4.0, 2.0], [0.5, -3.0]]})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4123)
for N, D in [(1, 1), (4, 3)]:
    x = np.round(_rng.normal(size=(N, D)) * 2) / 2                       # many exact zeros
    x.flat[0] = 0.0
    dout = _rng.normal(size=(N, D))
    alpha = _rng.uniform(0.1, 0.9, size=D)
    dx, _ = prelu_backward(dout, x, alpha)
    check_close(dx, np.where(x > 0, dout, alpha * dout), f"dx at x = 0, N={N}, D={D}",
                hints={"at x = 0 this is the slope of the identity piece: take the negative side's":
                       np.where(x >= 0, dout, alpha * dout)})
### END HIDDEN TESTS

# %% [markdown]
# ### A gradient check of PReLU
#
# Away from the kink a numerical gradient must agree with `prelu_backward`; the cost
# $J = \sum_{nd} \text{dout}_{nd}\, y_{nd}$ has upstream gradient exactly `dout`:

# %%
x = rng.normal(size=(6, 4))
x[np.abs(x) < 0.05] = 0.5                                    # keep away from the kink at 0
alpha = np.array([0.1, 0.5, 1.5, -0.2])
dout = rng.normal(size=(6, 4))
dx, dalpha = prelu_backward(dout, x, alpha)
err_x = check_gradient(lambda x_: np.sum(dout * prelu(x_, alpha)), x.copy(), dx)
err_alpha = check_gradient(lambda a_: np.sum(dout * prelu(x, a_)), alpha.copy(), dalpha)
print(f"dx     agrees with the numerical gradient (relative error < 1e-7): {err_x < 1e-7}")
print(f"dalpha agrees with the numerical gradient (relative error < 1e-7): {err_alpha < 1e-7}")


# %% [markdown]
# ## 8. Swish
#
# Swish (Ramachandran et al., 2017) multiplies the input by its own sigmoid "gate":
#
# $$f(x) = x\,\sigma(\beta x).$$
#
# For $\beta = 1$ it is PyTorch's `nn.SiLU`: smooth, slightly negative for negative inputs, and
# non-monotonic.
#
# **Exercise.** Implement `swish(x, beta=1.0)` with your stable `sigmoid`, so that nothing overflows at
# $x = \pm 1000$.

# %% nbgrader={"grade": false, "grade_id": "swish", "locked": false, "schema_version": 3, "solution": true, "task": false}
def swish(x, beta=1.0):
    """Swish, x * sigmoid(beta * x), element-wise, without overflow.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64
    beta : float

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    return x * sigmoid(beta * x)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_swish", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""swish: values for beta = 1 and beta = 2, no overflow (2 points)"""
x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
s1 = np.array([0.047425873178, 0.26894142137, 0.5, 0.622459331202, 0.880797077978])     # sigmoid(x)
y = swish(x)
check_shape(y, (5,), "swish(x)")
check_array(y, [-0.142277619533, -0.26894142137, 0.0, 0.311229665601, 1.761594155956], "swish(x)",
            hints={"this is sigmoid(x) alone: swish multiplies the gate by x": s1})
y = swish(x, beta=2.0)
check_array(y, [-0.00741786947, -0.119202922022, 0.0, 0.365529289315, 1.964027580076], "swish(x, beta=2.0)",
            hints={"the argument beta was ignored": x * s1,
                   "beta multiplies the result instead of the sigmoid's argument": 2 * x * s1})
y = call_strict(swish, np.array([-1000.0, 1000.0]), name="swish at x = ±1000",
                hint="an exponential overflowed: compute the gate with your stable sigmoid")
check_array(y, [0.0, 1000.0], "swish at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4114)
_sig = lambda v: np.exp(-np.logaddexp(0.0, -v))
for shape, beta in [((1,), 1.0), ((1, 1), 0.3), ((4, 3), 0.5), ((3, 3), 1.0), ((2, 3, 2), 3.0), ((6,), 10.0)]:
    x = _rng.normal(scale=3.0, size=shape)
    hints = {"the argument beta was ignored": x * _sig(x)} if beta != 1.0 else {}
    check_array(swish(x, beta), x * _sig(beta * x), f"swish of shape {shape}, beta={beta}", hints=hints)
x32 = np.array([-1e4, -100.0, -1.0, 0.0, 3.0, 1e4], dtype=np.float32)
y32 = call_strict(swish, x32, name="swish of float32 x = ±1e4", hint="an exponential overflowed: use your stable sigmoid")
check_dtype(y32, np.float32, "swish of a float32 array")
x64 = x32.astype(np.float64)
check_close(y32, x64 * _sig(x64), "swish of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# **Exercise (derive, then code).** Derive $f'(x) = \frac{d}{dx}\big[x\,\sigma(\beta x)\big]$ on paper,
# with respect to $x$ ($\beta$ is a constant), and write it with $\sigma(\beta x)$ so that your code can
# reuse your stable `sigmoid`. Then implement `swish_grad(x, beta=1.0)`. Check your formula against two
# limits: for $\beta \to 0$ swish tends to the line $x/2$, for $\beta \to \infty$ to ReLU.
#
# <details><summary>Hint (open only if stuck)</summary>
#
# How many factors of $f$ depend on $x$? And what is the derivative of $\sigma$ evaluated at $\beta x$,
# rather than at $x$?
# </details>

# %% nbgrader={"grade": false, "grade_id": "swish_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def swish_grad(x, beta=1.0):
    """Derivative of swish, d/dx [x * sigmoid(beta * x)], element-wise.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of swish)
    beta : float

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    s = sigmoid(beta * x)
    return s + beta * x * s * (1 - s)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_swish_grad", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""swish_grad: both factors differentiated, the inner derivative of beta * x, no overflow (3 points)"""
x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
s1 = np.array([0.047425873178, 0.26894142137, 0.5, 0.622459331202, 0.880797077978])     # sigmoid(x)
s2 = np.array([0.002472623157, 0.119202922022, 0.5, 0.73105857863, 0.982013790038])     # sigmoid(2x)
g = swish_grad(x)
check_shape(g, (5,), "swish_grad(x)")
mistakes = {"this is sigmoid(beta * x) alone: x depends on x too, so the product rule gives a second term": s1,
            "this is only the term with the derivative of the gate: the product rule also differentiates the "
            "factor x": [-0.135529979193, -0.196611933241, 0.0, 0.117501856101, 0.209987170807],
            "this is the derivative of the gate only: swish is a product of two factors that depend on x":
                [0.045176659731, 0.196611933241, 0.25, 0.235003712202, 0.104993585404]}
check_array(g, [-0.088104106015, 0.072329488129, 0.5, 0.739961187303, 1.090784248785], "swish_grad(x)",
            hints=mistakes)
g = swish_grad(x, beta=2.0)
check_array(g, [-0.012326432592, -0.090784248785, 0.5, 0.927670511871, 1.052664614891], "swish_grad(x, beta=2.0)",
            hints={"the chain rule's inner derivative is missing: sigma is evaluated at beta * x, whose "
                   "derivative with respect to x is not 1":
                       [-0.004926904717, 0.014209336619, 0.5, 0.829364545251, 1.017339202464],
                   "this is sigmoid(beta * x) alone: the product rule gives a second term": s2,
                   "the argument beta was ignored": [-0.088104106015, 0.072329488129, 0.5, 0.739961187303,
                                                     1.090784248785]})
g = call_strict(swish_grad, np.array([-1000.0, 1000.0]), name="swish_grad at x = ±1000",
                hint="an exponential overflowed: compute the gate with your stable sigmoid")
check_array(g, [0.0, 1.0], "swish_grad at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4115)
_sig = lambda v: np.exp(-np.logaddexp(0.0, -v))
for shape, beta in [((1,), 1.0), ((1, 1), 2.5), ((5, 2), 0.5), ((4, 4), 1.0), ((2, 2, 3), 3.0), ((7,), 1.7)]:
    x = _rng.normal(scale=2.5, size=shape)
    s = _sig(beta * x)
    hints = {"this is sigmoid(beta * x) alone: the product rule gives a second term": s}
    if beta != 1.0:
        hints["the chain rule's inner derivative (of beta * x) is missing"] = s + x * s * (1 - s)
    check_array(swish_grad(x, beta), s + beta * x * s * (1 - s), f"swish_grad of shape {shape}, beta={beta}",
                hints=hints)
x32 = np.array([-1e4, -20.0, -1.0, 0.0, 0.7, 1e4], dtype=np.float32)
g32 = call_strict(swish_grad, x32, 2.0, name="swish_grad of float32 x = ±1e4",
                  hint="an exponential overflowed: use your stable sigmoid")
check_dtype(g32, np.float32, "swish_grad of a float32 array")
x64 = x32.astype(np.float64)
s = _sig(2 * x64)
check_close(g32, s + 2 * x64 * s * (1 - s), "swish_grad of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ### β moves swish between a line and ReLU (optional)
#
# With a small $\beta$ the gate is $\approx \tfrac12$ everywhere, so swish is almost the line $x/2$;
# with a large $\beta$ the gate is a step, so swish is almost ReLU, and its derivative almost ReLU's
# step. A gradient check confirms `swish_grad` at a few random points.

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True)
for ax, beta in zip(axes, (0.1, 1.0, 10.0)):
    plots.function_and_derivative(ax, lambda x: swish(x, beta), lambda x: swish_grad(x, beta),
                                  x=np.linspace(-5, 5, 201), name="swish")
    ax.set_title(f"beta = {beta:g}")
plt.show()
x = rng.normal(scale=2.0, size=8)
for beta in (0.5, 1.0, 4.0):
    err = check_gradient(lambda x_: np.sum(swish(x_, beta)), x.copy(), swish_grad(x, beta))
    print(f"beta = {beta}: swish_grad agrees with the numerical gradient (relative error < 1e-7): {err < 1e-7}")

# %% [markdown]
# ## 9. All the activations and their derivatives (optional)
#
# Every function of this notebook, with its derivative (leaky ReLU with $\alpha = 0.1$ so that its slope
# is visible). The last panel puts the derivatives of sigmoid, tanh and ReLU side by side: the sigmoid's
# never exceeds 1/4, tanh's reaches 1 only at 0, ReLU's is 1 for every positive input.

# %%
panels = [
    ("sigmoid", sigmoid, sigmoid_grad),
    ("tanh", tanh, tanh_grad),
    ("hardtanh", hard_tanh, hard_tanh_grad),
    ("relu", relu, relu_grad),
    ("leaky relu", lambda x: leaky_relu(x, 0.1), lambda x: leaky_relu_grad(x, 0.1)),
    ("prelu", lambda x: prelu(x[:, None], 0.25)[:, 0],
     lambda x: prelu_backward(np.ones((len(x), 1)), x[:, None], 0.25)[0][:, 0]),
    ("swish", swish, swish_grad),
]
z = np.linspace(-4, 4, 161)
fig, axes = plt.subplots(2, 4, figsize=(15, 6.5), gridspec_kw={"hspace": 0.35, "wspace": 0.25})
for ax, (name, f, df) in zip(axes.flat, panels):
    plots.function_and_derivative(ax, f, df, x=z, name=name)
    ax.set_title(name if name != "prelu" else "prelu (alpha = 0.25)")
ax = axes.flat[-1]
for name, df in (("sigmoid'", sigmoid_grad), ("tanh'", tanh_grad), ("relu'", relu_grad)):
    ax.plot(z, df(z), label=name)
ax.axhline(0.25, color="k", linestyle=":", linewidth=0.8)
ax.set_title("derivatives compared (dotted: 1/4)")
ax.set_xlabel("x")
ax.legend(loc="upper left")
plt.show()

# %% [markdown]
# ## 10. Vanishing gradients in a deep network
#
# *What happens to gradients in DNNs?* Backpropagation through layer $l$ multiplies the gradient by
# $W^{[l]}$ and by $f'(z^{[l]})$. Below: a 10-layer network (9 hidden layers of 32 units, 03's, from
# `support`) on the spiral data, **the same initial weights** for the three activations (standard
# deviation 0.2), run with **your** functions, and the norm $\lVert \partial J / \partial W^{[l]} \rVert$
# of each layer's weight gradient for one full batch.
#
# **Predict before you run.** Sketch the three curves (log scale, layer 1 to 10) on paper: which activation
# gives layer 1 a gradient about a million times smaller than layer 10's, and which keep the size? Use the
# bound of section 2 for the sigmoid's slope.

# %%
X_sp, y_sp = datasets.spirals(rng, n_per_class=100, n_classes=3)
ACTIVATION_PAIRS = {"sigmoid": (sigmoid, sigmoid_grad), "tanh": (tanh, tanh_grad), "relu": (relu, relu_grad)}
sizes = [2] + [32] * 9 + [3]                       # 10 affine layers
initial = init_mlp(sizes, rng, 0.2)
grad_norms = {}
for name, activation in ACTIVATION_PAIRS.items():
    _, grads = mlp_loss_and_grads(initial, X_sp, y_sp, activation)
    grad_norms[name] = [np.linalg.norm(grads[f"W{l}"]) for l in range(1, num_layers(initial) + 1)]
L = len(sizes) - 1
grad_norms["x 1/4 per layer"] = [grad_norms["sigmoid"][-1] * 0.25 ** (L - l) for l in range(1, L + 1)]

fig, ax = plt.subplots(figsize=(7, 4.5))
plots.layer_norms(ax, grad_norms, title="gradient norm of each layer's weights (layer 10 = output)")
ax.set_ylabel(r"$\Vert \partial J / \partial W^{[l]} \Vert$")
plt.show()
for name in ACTIVATION_PAIRS:
    print(f"{name:>8}: layer 1 gets {grad_norms[name][0] / grad_norms[name][-1]:.1e} times the gradient of layer {L}")

# %% [markdown]
# With sigmoid, each factor $f'$ is at most 1/4, so the **first** layers get orders of magnitude less
# gradient than the last and barely learn (dotted: the $(1/4)^{L-l}$ bound). With tanh and ReLU, whose
# slopes reach 1, layer 1 gets about as much as layer 10 (within a factor of a few).
#
# ## 11. Dead ReLUs and saturated units during training
#
# Two ways a unit stops learning:
#
# - a **saturated** sigmoid or tanh unit sits on a flat part of its curve and passes almost no gradient
#   back. We count a (sample, unit) pair as saturated when the derivative is below 5% of its peak
#   (σ' < 0.0125, i.e. $|z| > 4.3$; tanh' < 0.05, i.e. $|z| > 2.2$);
# - a **dead** ReLU outputs 0 for *every* training sample, so its gradient is zero on every sample and
#   its weights never change again (`dead_fraction`, which notebooks 05 and 07 reuse).
#
# We train a network with two hidden layers of 32 units (standard deviation 0.5, the same start for the
# three activations) on the spirals, with a moderate and a too large learning rate $\alpha$, and measure
# these fractions after every epoch with **your** functions.

# %%
def dead_fraction(A):
    """Fraction of the units (columns of A, shape (N, units)) that output 0 on every sample: dead ReLUs."""
    A = np.asarray(A)
    return float(np.mean(np.all(A == 0, axis=0)))


def hidden_layers(params, X, f):
    # The pre-activations Z and activations A = f(Z) of every hidden layer, side by side: (N, hidden units).
    A, Zs, As = X, [], []
    for l in range(1, num_layers(params)):
        Z = A @ params[f"W{l}"].T + params[f"b{l}"]
        A = f(Z)
        Zs.append(Z)
        As.append(A)
    return np.concatenate(Zs, axis=1), np.concatenate(As, axis=1)


def stalled_fraction(params, name):
    # Dead ReLU units, or saturated (sample, unit) pairs of sigmoid / tanh.
    f, df = ACTIVATION_PAIRS[name]
    Z, A = hidden_layers(params, X_sp, f)
    if name == "relu":
        return dead_fraction(A)
    peak = 0.25 if name == "sigmoid" else 1.0
    return float(np.mean(df(Z) < 0.05 * peak))


results = {}
for lr in (0.5, 2.0):
    initial = init_mlp([2, 32, 32, 3], rng, 0.5)
    for name, activation in ACTIVATION_PAIRS.items():
        params = {k: v.copy() for k, v in initial.items()}
        fractions = []
        history = train(params, lambda p, X, y: mlp_loss_and_grads(p, X, y, activation), SGD(lr), X_sp, y_sp,
                        epochs=30, batch_size=32, rng=rng, desc=f"{name}, lr={lr}",
                        on_epoch_end=lambda epoch, hist, p: fractions.append(stalled_fraction(p, name)))
        accuracy = np.mean(mlp_predict(params, X_sp, activation) == y_sp)
        results[lr, name] = (fractions, history["loss"][-1], accuracy)

# %%
# NBVAL_IGNORE_OUTPUT
# (a too large step makes training chaotic: the last digits of a matrix product, which differ from CPU to
#  CPU, change these figures; tests/test_notebook_claims.py checks what the text below says about them)
labels = {"sigmoid": "saturated sigmoid", "tanh": "saturated tanh", "relu": "dead ReLU units"}
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
for ax, lr in zip(axes, (0.5, 2.0)):
    curves = {labels[a]: results[lr, a][0] for a in ACTIVATION_PAIRS}
    plots.curves(ax, curves, keys=list(curves), title=f"learning rate {lr}", ylabel="fraction")
    ax.set_ylim(0, 1)
plt.show()
print(f"{'':8} {'lr':>4} {'final J':>8} {'accuracy':>9} {'stalled (last epoch)':>21}")
for (lr, name), (fractions, loss, accuracy) in results.items():
    print(f"{name:8} {lr:4.1f} {loss:8.2f} {accuracy:9.2f} {fractions[-1]:21.2f}")

# %% [markdown]
# With the moderate learning rate few units stall and the ReLU and tanh networks fit the spirals,
# while the sigmoid network, whose gradients are small (σ' ≤ 1/4 per layer), is still far behind. A
# step that is too large throws pre-activations far from 0: many ReLUs die and most tanh units
# saturate, and the ReLU network fits much worse than with the moderate step. The sigmoid network is
# only starting to saturate. Leaky ReLU, PReLU and swish keep a non-zero slope for negative
# inputs, so their units cannot die.

# %% [markdown]
# ## 12. Zero-centred activations (optional)
#
# Section 3 said that with positive inputs $a$ (sigmoid or ReLU outputs) all the weights of a unit get
# gradients $\delta\, a_j$ of the **same sign** from one sample. tanh's outputs have both signs:

# %%
Z = rng.normal(size=(1000, 8))                      # pre-activations of 8 units, 1000 samples
delta = rng.normal(size=(1000, 1))                  # the next unit's error for each sample
for name, f in (("sigmoid", sigmoid), ("tanh", tanh)):
    per_sample_grad = delta * f(Z)                  # row n: the gradient of the unit's 8 weights from sample n
    same_sign = np.mean(np.all(per_sample_grad > 0, axis=1) | np.all(per_sample_grad < 0, axis=1))
    print(f"{name:>8} inputs: all 8 weight gradients share one sign on {same_sign:.0%} of the samples")

# %% [markdown]
# ## 13. The cost of exp-based and max-based activations (optional)
#
# Sigmoid, tanh and swish need an exponential per element; ReLU and leaky ReLU only a comparison. The
# cell below times the bare operations and the functions of this notebook on 200 000 numbers (best of
# several runs). **Timings vary** from machine to machine and from run to run, so this output is not
# checked. What to look for: an exponential costs more than a comparison (recent numpy builds narrow the
# gap with vector instructions), and *how* a function is written (an extra temporary array, `np.where`
# choosing between two arrays) can matter as much as *which* function it is. In a large network the
# matrix products dominate, but an activation is applied to every unit of every sample, forward and
# backward.

# %%
# NBVAL_IGNORE_OUTPUT
x_big = rng.normal(size=200_000)


def best_time(f, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f(x_big)
        times.append(time.perf_counter() - start)
    return min(times)


candidates = {
    "np.maximum(x, 0)": lambda x: np.maximum(x, 0), "np.exp(x)": np.exp, "np.tanh(x)": np.tanh,
    "relu": relu, "leaky_relu": leaky_relu, "hard_tanh": hard_tanh,
    "your sigmoid": sigmoid, "your swish": swish,
}
timings = {name: best_time(f) for name, f in candidates.items()}
for name, seconds in timings.items():
    print(f"{name:>17}: {seconds * 1e3:7.2f} ms  ({seconds / timings['np.maximum(x, 0)']:5.1f} x np.maximum)")

# %% [markdown]
# ## 14. A question from the lecture
#
# Answer in your own words; your instructor grades it with the rubric shown in the solutions.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_hidden_activation", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** *Which activation function is better for hidden layers, and why?*
# Compare sigmoid, tanh and ReLU, and refer to at least one of the plots above. What is ReLU's
# weakness, and which variant addresses it? Answer in three or four sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_hidden_activation", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** ReLU or a variant: its slope is 1 for positive inputs, so gradients keep their size
# through depth. In section 10 ReLU's first layer gets a gradient of the same order as its last,
# sigmoid's about a millionth (σ' ≤ 1/4 per layer); tanh saturates too. ReLU's weakness is **dead
# units** (z ≤ 0 on every sample: no gradient); leaky ReLU, PReLU and swish keep a gradient
# there.
#
# **Rubric (2 points).** 1 point: ReLU (or a variant) for hidden layers, *because* its derivative is 1 for
# positive inputs, so gradients do not vanish with depth, citing a result of this notebook (section 10's
# gradient norms, σ' ≤ 1/4, or section 11's accuracies); a bare "ReLU is faster" earns no point.
# 1 point: names the dead-ReLU problem (z ≤ 0 on every sample ⇒ zero gradient for good) **and** a variant
# with a non-zero negative slope (leaky ReLU, PReLU or swish). Half a point off for a factual error (e.g.
# "ReLU is discontinuous", "tanh does not saturate").

# %% [markdown]
# <div style="border: 2px solid #4a7; padding: 0.6em 1em; border-radius: 6px">
#
# **What to remember**
#
# - An activation's derivative multiplies the gradient at every layer: σ' ≤ 1/4 makes deep sigmoid
#   networks' gradients vanish; tanh and ReLU keep them.
# - A stable sigmoid only ever exponentiates $-|x|$; σ' = σ(1 − σ) and tanh' = 1 − tanh² are functions
#   of the **output**, evaluated at the input.
# - ReLU is continuous at 0; its *derivative* jumps. At a kink, autograd uses a convention (PyTorch: a
#   strict test, the slope of the flat or negative side).
# - A parameter shared by many elements (PReLU's α, a bias) collects the **sum** of their gradients,
#   reduced to its own shape.
# - ReLUs can die (large steps make it worse); leaky ReLU, PReLU and swish cannot. Zero-centred outputs
#   (tanh) let a unit's weights move in different directions.
# </div>
#
# ## Summary
#
# **Sigmoid** and **tanh** saturate, and the sigmoid's σ' ≤ 1/4 makes the gradients of deep networks
# vanish; **ReLU** and its variants do not saturate for positive inputs, but ReLUs can **die**, which
# **leaky ReLU**, **PReLU** and **swish** avoid.
#
# **Next:** `05_initialisation` shows that the *scale of the initial weights* decides whether a deep
# network's activations and gradients keep their size, and derives Xavier's and He's initialisations.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
