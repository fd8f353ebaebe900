# %% [markdown]
# # 04 · Activation functions: the functions, their derivatives, vanishing gradients
#
# **Lecture:** *Review of Neural Networks*, slides "What's the need for activation function?",
# "Activation functions add non-linearity in the neural networks", "Sigmoid function is one of the
# oldest activation functions", the tanh slides ("A shifted and scaled version of sigmoid", variant
# *hard tanh*), "Rectified Linear Unit is the most popular activation function in hidden layers"
# (variants *leaky ReLU, parametric ReLU, swish*) and "Do Deep Neural Networks really perform
# better?" (*what happens to gradients in DNNs?*).
#
# By the end of this notebook you will be able to
#
# 1. implement **sigmoid, tanh, hard tanh, ReLU, leaky ReLU, PReLU and swish** and their
#    **derivatives**, element-wise, for arrays of any shape, without overflow and keeping the dtype;
# 2. say what a derivative is **at a kink** (ReLU at 0, hard tanh at ±1) and follow the convention
#    of PyTorch's autograd there;
# 3. backpropagate through **PReLU**, whose slope $\alpha$ is a *learned* parameter;
# 4. show **why deep sigmoid networks stop learning** (σ' ≤ 1/4 per layer), measure **dead ReLUs** and
#    **saturated units** during training, and compare the **cost** of exp-based and max-based activations.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Every function must keep the **shape** and the **float dtype** of its input (float32 in, float32
# out) and must not change its input. Run *Kernel → Restart & Run All* before you submit, and use
# nbgrader's *Validate* button.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import time

import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, layers, plots
from nnlib.gradcheck import check_gradient
from nnlib.grading import call_strict, check_array, check_close, check_dtype, check_shape, forbid_delegation
from nnlib.mlp import init_mlp, mlp_loss_and_grads, mlp_predict, num_layers
from nnlib.train import SGD, train

rng = np.random.default_rng(472)

# %% [markdown]
# ## 1. Why a network needs activation functions
#
# A layer computes $z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}$ and then $a^{[l]} = f(z^{[l]})$ with an
# **activation function** $f$ applied element-wise. Without $f$ (or with $f(z) = z$) two layers collapse
# into one:
#
# $$W^{[2]}\big(W^{[1]} x + b^{[1]}\big) + b^{[2]} = \underbrace{W^{[2]} W^{[1]}}_{W} x + \underbrace{W^{[2]} b^{[1]} + b^{[2]}}_{b},$$
#
# so a deep *linear* network is still a linear classifier and can only separate linearly separable
# data. The activation adds the **non-linearity** (and, for sigmoid and tanh, scales the output into a
# fixed range). In code, with rows as samples, a layer is `Z = A @ W.T + b`:

# %%
X_demo = rng.normal(size=(5, 3))
W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
two_layers = (X_demo @ W1.T + b1) @ W2.T + b2
one_layer = X_demo @ (W2 @ W1).T + (W2 @ b1 + b2)
print("two linear layers == one linear layer:", np.allclose(two_layers, one_layer))

# %% [markdown]
# ## 2. Sigmoid
#
# The oldest activation squashes any real number into $(0, 1)$, a "pseudo-probability":
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,\big(1 - \sigma(x)\big).$$
#
# The derivative is cheap: it reuses the value $\sigma(x)$ that the forward pass already computed.
# Note that the lecture writes $f'(x) = f(x)(1 - f(x))$: the factor is $1 - f(x)$, the **output**,
# not $1 - x$.
#
# ### Overflow
#
# `np.exp(-x)` overflows to `inf` for $x \lesssim -710$ in float64 (and $x \lesssim -89$ in float32),
# with a `RuntimeWarning`. The result $1/(1 + \infty) = 0$ happens to be right, but a warning in a
# training run hides real problems, and `np.exp(x) / (1 + np.exp(x))` gives `inf / inf = nan`. The fix
# only ever exponentiates a **non-positive** number: with $e = e^{-|x|} \in (0, 1]$,
#
# $$\sigma(x) = \begin{cases} \dfrac{1}{1 + e} & x \ge 0, \\[2mm] \dfrac{e}{1 + e} & x < 0 \end{cases}$$
#
# (multiply the top and bottom of $1/(1 + e^{-x})$ by $e^{x}$ for the second case).

# %%
x = np.array([-1000.0, -20.0, 0.0, 20.0, 1000.0])
with np.errstate(over="ignore"):
    naive = 1 / (1 + np.exp(-x))
e = np.exp(-np.abs(x))
stable = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
print("naive :", naive, "(and a RuntimeWarning: overflow in exp, silenced here)")
print("stable:", stable)


# %% [markdown]
# **Exercise.** Implement `sigmoid(x)` for an array of any shape. It must give no warning and no `nan`
# at $x = \pm 1000$ (or $\pm 10^4$), and return float32 for float32 input. `np.where` evaluates both
# branches for every element, which is fine here: neither branch can overflow.

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
            hints={"this is sigmoid(-x) = 1 / (1 + exp(x)): check the sign of the exponent (or swap the "
                   "two branches of np.where)": 1 / (1 + np.exp(x)),
                   "this is exp(-x), not 1 / (1 + exp(-x))": np.exp(-x)})
check_dtype(sigmoid(x.astype(np.float32)), np.float32, "sigmoid of a float32 array")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4101)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1, 1), (7,), (4, 3), (2, 3, 5)]:
        x = _rng.normal(scale=4.0, size=shape)
        ref = np.exp(-np.logaddexp(0.0, -x))
        check_array(sigmoid(x), ref, f"sigmoid of an array of shape {shape}",
                    hints={"this is sigmoid(-x): check the sign of the exponent": 1 - ref})
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
                hint="looks like the naive 1 / (1 + np.exp(-x)) (or exp(x) / (1 + exp(x))): an exp of a large "
                     "positive number overflows. Only exponentiate -|x| and pick the formula by the sign of x")
check_array(s, [0.0, 1.928749847963918e-22, 0.5, 1.0, 1.0], "sigmoid at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4102)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
_hint = "an exp overflows: only exponentiate -|x| and pick the formula by the sign of x"
with forbid_delegation(*_nnlib):
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
# **Exercise.** Implement `sigmoid_grad(x)`, the derivative $\sigma'(x)$ at the input $x$. Reuse your
# `sigmoid`, so it cannot overflow either.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid_grad(x):
    """Derivative of the sigmoid at x: sigma(x) * (1 - sigma(x)), element-wise.

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
            hints={"this is sigmoid(x) * (1 - x): the derivative is sigma(x) * (1 - sigma(x)), "
                   "the factor is 1 - sigma(x), not 1 - x": s * (1 - x),
                   "this is x * (1 - x): the lecture's f(x)(1 - f(x)) takes the output f(x) = sigma(x), "
                   "but sigmoid_grad receives the input x": x * (1 - x),
                   "this is sigmoid(x) itself, not its derivative": s})
g = call_strict(sigmoid_grad, np.array([-1000.0, 1000.0]), name="sigmoid_grad at x = ±1000",
                hint="compute it from your stable sigmoid, not from exp(-x)")
check_array(g, [0.0, 0.0], "sigmoid_grad at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4103)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1,), (3, 7), (2, 2, 3)]:
        x = _rng.normal(scale=3.0, size=shape)
        s = np.exp(-np.logaddexp(0.0, -x))
        check_array(sigmoid_grad(x), s * (1 - s), f"sigmoid_grad of shape {shape}",
                    hints={"this is sigmoid(x) * (1 - x): the factor is 1 - sigma(x)": s * (1 - x),
                           "this is x * (1 - x): apply the formula to sigma(x), not to x": x * (1 - x)})
    x32 = np.array([[-1e4, -100.0, -3.0, 0.0, 0.5, 100.0, 1e4]], dtype=np.float32)
    g32 = call_strict(sigmoid_grad, x32, name="sigmoid_grad of float32 x = ±1e4",
                      hint="compute it from your stable sigmoid")
    check_dtype(g32, np.float32, "sigmoid_grad of a float32 array")
    s = np.exp(-np.logaddexp(0.0, -x32.astype(np.float64)))
    check_close(g32, s * (1 - s), "sigmoid_grad of a float32 array", rtol=1e-5, atol=1e-7)
    check_close(sigmoid_grad(np.zeros((2, 2))), np.full((2, 2), 0.25), "sigmoid_grad(0): the peak must be 1/4")
### END HIDDEN TESTS

# %% [markdown]
# ### The peak of σ' is 1/4 — and what that does through many layers
#
# $\sigma'$ is largest at $x = 0$, where $\sigma'(0) = \tfrac12 \cdot \tfrac12 = \tfrac14$, and it
# falls to almost 0 once $|x| \gtrsim 5$ (the unit is **saturated**). Backpropagation multiplies the
# gradient by one $\sigma'(z^{[l]})$ per sigmoid layer (chain rule), so even in the *best* case, every
# unit at its peak, $L$ sigmoid layers shrink the gradient by $(1/4)^L$:

# %%
z = np.linspace(-8, 8, 1601)
g = sigmoid_grad(z)
print(f"largest sigma'(z): {g.max():.4f} at z = {z[np.argmax(g)]:.2f};  sigma'(5) = {sigmoid_grad(np.array([5.0]))[0]:.4f}")
for L in (1, 2, 5, 10, 20):
    print(f"{L:2d} sigmoid layers: the gradient shrinks by at least (1/4)^{L:<2d} = {0.25 ** L:.1e}")


# %% [markdown]
# ## 3. Tanh: a shifted and scaled sigmoid
#
# $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\,\sigma(2x) - 1, \qquad \tanh'(x) = 1 - \tanh^2(x).$$
#
# Its outputs lie in $(-1, 1)$ and are **zero-centred**, and its slope at 0 is $\tanh'(0) = 1$, four
# times the sigmoid's. It is the usual activation inside RNNs. The exponential formula above overflows
# (`inf / inf = nan` for $|x| > 710$); `np.tanh` does not, and neither does $2\sigma(2x) - 1$ with your
# stable sigmoid.
#
# **Exercise.** Implement `tanh(x)` (`np.tanh` or your `sigmoid` may be used) and `tanh_grad(x)`,
# the derivative at the input $x$.

# %% nbgrader={"grade": false, "grade_id": "tanh", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanh(x):
    """Hyperbolic tangent, element-wise, without overflow.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64

    Returns
    -------
    ndarray of x's shape and dtype, values in [-1, 1]
    """
    ### BEGIN SOLUTION
    return np.tanh(x)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_tanh", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""tanh: values, dtype, and no overflow at x = ±1000 (2 points)"""
x = np.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 4.0]])
t = tanh(x)
check_shape(t, (2, 3), "tanh(x)")
s1 = np.array([[0.119202922022, 0.5, 0.880797077978], [0.73105857863, 0.26894142137, 0.982013790038]])
check_array(t, [[-0.964027580076, 0.0, 0.964027580076], [0.761594155956, -0.761594155956, 0.999329299739]],
            "tanh(x)",
            hints={"this is 2 sigma(x) - 1: the identity is tanh(x) = 2 sigma(2x) - 1 (note the 2x)": 2 * s1 - 1,
                   "this is sigma(x): tanh is the shifted and scaled sigmoid 2 sigma(2x) - 1": s1})
t = call_strict(tanh, np.array([-1000.0, 1000.0]), name="tanh at x = ±1000",
                hint="(e^x - e^-x) / (e^x + e^-x) overflows: use np.tanh or 2 * sigmoid(2x) - 1")
check_array(t, [-1.0, 1.0], "tanh at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4104)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1,), (5, 3), (2, 4, 2)]:
        x = _rng.normal(scale=2.0, size=shape)
        check_array(tanh(x), np.tanh(x), f"tanh of shape {shape}",
                    hints={"this is 2 sigma(x) - 1: use 2 sigma(2x) - 1": np.tanh(x / 2)})
    x32 = np.array([[-1e4, -50.0, -0.3, 0.0, 2.0, 50.0, 1e4]], dtype=np.float32)
    t32 = call_strict(tanh, x32, name="tanh of float32 x = ±1e4", hint="use np.tanh or 2 * sigmoid(2x) - 1")
    check_dtype(t32, np.float32, "tanh of a float32 array")
    check_close(t32, np.tanh(x32.astype(np.float64)), "tanh of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "tanh_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanh_grad(x):
    """Derivative of tanh at x: 1 - tanh(x)**2, element-wise.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of tanh)

    Returns
    -------
    ndarray of x's shape and dtype, values in [0, 1]
    """
    ### BEGIN SOLUTION
    return 1 - tanh(x) ** 2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_tanh_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""tanh_grad: values, the peak 1 at 0, no overflow (2 points)"""
x = np.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 4.0]])
t = np.array([[-0.964027580076, 0.0, 0.964027580076], [0.761594155956, -0.761594155956, 0.999329299739]])
g = tanh_grad(x)
check_shape(g, (2, 3), "tanh_grad(x)")
check_array(g, [[0.070650824853, 1.0, 0.070650824853], [0.419974341614, 0.419974341614, 0.001340950683]],
            "tanh_grad(x)",
            hints={"this is 1 - x**2: the lecture's 1 - f(x)^2 takes the output f(x) = tanh(x), "
                   "but tanh_grad receives the input x": 1 - x ** 2,
                   "this is 1 - tanh(x): square tanh(x)": 1 - t,
                   "this is tanh(x) * (1 - tanh(x)), the sigmoid's pattern: tanh' = 1 - tanh(x)**2": t * (1 - t)})
g = call_strict(tanh_grad, np.array([-1000.0, 1000.0]), name="tanh_grad at x = ±1000",
                hint="compute it from a tanh that does not overflow")
check_array(g, [0.0, 0.0], "tanh_grad at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4105)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1, 1), (6,), (3, 2, 4)]:
        x = _rng.normal(scale=2.0, size=shape)
        check_array(tanh_grad(x), 1 - np.tanh(x) ** 2, f"tanh_grad of shape {shape}",
                    hints={"this is 1 - x**2: apply the formula to tanh(x)": 1 - x ** 2,
                           "this is 1 - tanh(x): square it": 1 - np.tanh(x)})
    x32 = np.array([-1e4, -3.0, 0.0, 0.25, 1e4], dtype=np.float32)
    g32 = call_strict(tanh_grad, x32, name="tanh_grad of float32 x = ±1e4", hint="use a tanh that does not overflow")
    check_dtype(g32, np.float32, "tanh_grad of a float32 array")
    check_close(g32, 1 - np.tanh(x32.astype(np.float64)) ** 2, "tanh_grad of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ### tanh(z) = 2σ(2z) − 1, numerically
#
# Your two functions agree with the identity to rounding error, and the slopes at 0 differ by a
# factor of four: $\tanh'(0) = 2 \cdot 2 \cdot \sigma'(0) = 1$.

# %%
z = np.linspace(-6, 6, 1201)
gap = np.max(np.abs(tanh(z) - (2 * sigmoid(2 * z) - 1)))
print(f"max |tanh(z) - (2 sigma(2z) - 1)| over [-6, 6] is below 1e-12: {gap < 1e-12}")
print(f"slope at 0:  sigmoid {sigmoid_grad(np.zeros(1))[0]:.2f}   tanh {tanh_grad(np.zeros(1))[0]:.2f}")
print(f"mean output over z ~ N(0, 1):  sigmoid {sigmoid(rng.normal(size=10_000)).mean():.2f}   "
      f"tanh {tanh(rng.normal(size=10_000)).mean():.2f}   (tanh is zero-centred)")


# %% [markdown]
# ## 4. Kinks: which derivative does autograd use?
#
# Hard tanh, ReLU and its variants are **piecewise linear**. At a kink the left and right slopes
# differ, so the derivative is undefined there (the lecture's ReLU slide says so). A framework still
# has to return *some* number, and the chance of hitting the kink exactly is small but not zero (a
# ReLU of a ReLU's 0 output, a clipped value, an integer input). This course follows **PyTorch's
# autograd** (its backward formulas in `aten/src/ATen/native/cpu/Activation.cpp` and
# `tools/autograd/derivatives.yaml`):
#
# | function | kink | derivative there | PyTorch's backward rule |
# |---|---|---|---|
# | ReLU | $x = 0$ | $0$ | `threshold_backward(grad, result, 0)`: gradient where the output is $> 0$, else 0 |
# | hard tanh | $x = \pm 1$ | $0$ | `hardtanh_backward`: gradient where $-1 < x < 1$ (strict), else 0 |
# | leaky ReLU | $x = 0$ | $\alpha$ | `leaky_relu_backward`: `x > 0 ? grad : grad * alpha` |
# | PReLU | $x = 0$ | $\partial/\partial x = \alpha$, $\partial/\partial\alpha = 0$ | `prelu_backward`: `x > 0 ? grad : alpha * grad`; for $\alpha$: `x > 0 ? 0 : x * grad` |
#
# In short: **every test is a strict `x > 0` (or $-1 < x < 1$)**, and the kink itself takes the slope
# of the *flat or negative* side. Any value between the two slopes is a valid *subgradient*; this is
# the one we grade.
#
# ## 5. Hard tanh
#
# A piecewise-linear, exp-free stand-in for tanh: the identity, clipped to $[-1, 1]$.
#
# $$\operatorname{hardtanh}(x) = \begin{cases} -1 & x < -1 \\ x & -1 \le x \le 1 \\ 1 & x > 1 \end{cases}
# \qquad
# \operatorname{hardtanh}'(x) = \begin{cases} 1 & -1 < x < 1 \\ 0 & \text{otherwise (also at } x = \pm 1) \end{cases}$$
#
# **Exercise.** Implement `hard_tanh(x)` and `hard_tanh_grad(x)`. The derivative is an array of
# floats in x's dtype (a comparison like `x < 1` gives booleans: convert with `.astype(x.dtype)`).

# %% nbgrader={"grade": false, "grade_id": "hard_tanh", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hard_tanh(x):
    """Hard tanh: x clipped to [-1, 1], element-wise.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    return np.clip(x, -1, 1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_hard_tanh", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""hard_tanh: values and dtype (1 point)"""
x = np.array([[-3.0, -1.0, -0.5], [0.0, 0.75, 2.0]])
h = hard_tanh(x)
check_shape(h, (2, 3), "hard_tanh(x)")
check_array(h, [[-1.0, -1.0, -0.5], [0.0, 0.75, 1.0]], "hard_tanh(x)",
            hints={"only the lower bound -1 was applied: clip at 1 as well": np.maximum(x, -1),
                   "only the upper bound 1 was applied: clip at -1 as well": np.minimum(x, 1),
                   "clipped to [0, 1]: hard tanh's range is [-1, 1], like tanh's": np.clip(x, 0, 1)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4106)
for shape in [(2,), (4, 5), (2, 3, 2)]:
    x = _rng.normal(scale=2.0, size=shape)
    x.flat[0], x.flat[-1] = 2.5, -3.0                                # both bounds in play
    check_array(hard_tanh(x), np.clip(x, -1, 1), f"hard_tanh of shape {shape}",
                hints={"only the lower bound was applied": np.maximum(x, -1),
                       "clipped to [0, 1] instead of [-1, 1]": np.clip(x, 0, 1)})
x32 = np.array([-1e4, -1.0, 0.3, 1.0, 7.0], dtype=np.float32)
h32 = hard_tanh(x32)
check_dtype(h32, np.float32, "hard_tanh of a float32 array")
check_close(h32, [-1.0, -1.0, 0.3, 1.0, 1.0], "hard_tanh of a float32 array", rtol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "hard_tanh_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hard_tanh_grad(x):
    """Derivative of hard tanh at x: 1 where -1 < x < 1, else 0 (0 at the kinks x = ±1, as PyTorch).

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


# %% nbgrader={"grade": true, "grade_id": "test_hard_tanh_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""hard_tanh_grad: 1 inside, 0 outside, 0 at the kinks x = ±1 (2 points)"""
x = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
g = hard_tanh_grad(x)
check_shape(g, (7,), "hard_tanh_grad(x)")
assert g.dtype == x.dtype, (f"hard_tanh_grad should return floats of x's dtype {x.dtype}, got {g.dtype} "
                            "(a comparison gives booleans: convert with .astype(x.dtype))")
check_array(g, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0], "hard_tanh_grad(x)",
            hints={"at x = ±1 this is the wrong side of the kink: PyTorch's hardtanh_backward gives 0 there "
                   "(strict -1 < x < 1)": ((x >= -1) & (x <= 1)).astype(float),
                   "this is hard_tanh(x) itself, not its derivative": np.clip(x, -1, 1),
                   "the slope is 1 inside (-1, 1) and 0 outside, not the other way round":
                       ((x <= -1) | (x >= 1)).astype(float)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4107)
for shape in [(1, 1), (5, 4), (3, 2, 3)]:
    x = np.round(_rng.normal(scale=1.5, size=shape) * 2) / 2          # many exact -1, 0, 1
    x.flat[0] = 1.0
    check_array(hard_tanh_grad(x), ((x > -1) & (x < 1)).astype(float), f"hard_tanh_grad of shape {shape}",
                hints={"at x = ±1 this is the wrong side of the kink: PyTorch gives 0 there":
                       ((x >= -1) & (x <= 1)).astype(float)})
x32 = np.array([-1e4, -1.0, -0.999, 0.0, 0.999, 1.0, 1e4], dtype=np.float32)
g32 = hard_tanh_grad(x32)
check_dtype(g32, np.float32, "hard_tanh_grad of a float32 array")
check_close(g32, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0], "hard_tanh_grad of a float32 array",
            hints={"at x = ±1 this is the wrong side of the kink: PyTorch gives 0 there": [0, 1, 1, 1, 1, 1, 0]})
### END HIDDEN TESTS

# %% [markdown]
# ## 6. ReLU
#
# The rectified linear unit is the default activation of hidden layers:
#
# $$f(x) = \max(0, x), \qquad f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \quad (\text{PyTorch's choice at } x = 0) \end{cases}$$
#
# No exponent, so it is cheap; its slope is exactly 1 for every positive input, so it does not
# **saturate** there. But a unit whose input is negative for *every* sample gets a zero gradient
# on every sample and never changes again: a **dead ReLU**.
#
# **Exercise.** Implement `relu(x)` and `relu_grad(x)`. Do not modify `x` (`x[x < 0] = 0` would change
# the caller's array).

# %% nbgrader={"grade": false, "grade_id": "relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu(x):
    """Rectified linear unit, max(0, x), element-wise; x itself is left unchanged.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    return np.maximum(x, 0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""relu: values, dtype, and the input left unchanged (1 point)"""
x = np.array([[-1.5, 0.0, 2.0], [3.0, -0.5, -4.0]])
x_before = x.copy()
r = relu(x)
check_shape(r, (2, 3), "relu(x)")
assert np.array_equal(x, x_before), ("relu changed its input x in place: return a new array "
                                     "(np.maximum(x, 0) makes one) and leave x as it was")
check_array(r, [[0.0, 0.0, 2.0], [3.0, 0.0, 0.0]], "relu(x)",
            hints={"this is the mask (x > 0) as numbers, not the values max(0, x)": (x > 0).astype(float),
                   "this is min(0, x): ReLU keeps the positive part": np.minimum(x, 0)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4108)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1,), (6, 3), (2, 2, 5)]:
        x = _rng.normal(size=shape)
        x_before = x.copy()
        r = relu(x)
        assert np.array_equal(x, x_before), "relu changed its input x in place: return a new array"
        check_array(r, np.maximum(x, 0), f"relu of shape {shape}")
    x32 = np.array([-1e4, -0.0, 0.0, 1e-30, 1e4], dtype=np.float32)
    r32 = relu(x32)
    check_dtype(r32, np.float32, "relu of a float32 array")
    check_close(r32, [0.0, 0.0, 0.0, 1e-30, 1e4], "relu of a float32 array", rtol=1e-6, atol=0)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "relu_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu_grad(x):
    """Derivative of ReLU at x: 1 where x > 0, else 0 (0 at the kink x = 0, as PyTorch).

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of ReLU)

    Returns
    -------
    ndarray of x's shape and dtype, values 0 or 1
    """
    ### BEGIN SOLUTION
    return (x > 0).astype(x.dtype)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""relu_grad: 1 for x > 0, 0 for x <= 0, 0 at the kink x = 0 (2 points)"""
x = np.array([[-2.0, -0.5, 0.0], [0.5, 3.0, 0.0]])
g = relu_grad(x)
check_shape(g, (2, 3), "relu_grad(x)")
assert g.dtype == x.dtype, (f"relu_grad should return floats of x's dtype {x.dtype}, got {g.dtype} "
                            "(a comparison gives booleans: convert with .astype(x.dtype))")
check_array(g, [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0]], "relu_grad(x)",
            hints={"at x = 0 this is the wrong side of the kink: PyTorch's autograd gives ReLU'(0) = 0 "
                   "(test x > 0, not x >= 0)": (x >= 0).astype(float),
                   "this is relu(x) itself, not its derivative": np.maximum(x, 0),
                   "the slope is 1 for x > 0 and 0 for x < 0, not the other way round": (x < 0).astype(float)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4109)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
with forbid_delegation(*_nnlib):
    for shape in [(1, 1), (7,), (3, 4, 2)]:
        x = np.round(_rng.normal(size=shape) * 2) / 2                    # many exact zeros
        x.flat[0] = 0.0
        check_array(relu_grad(x), (x > 0).astype(float), f"relu_grad of shape {shape}",
                    hints={"at x = 0 this is the wrong side of the kink: PyTorch gives ReLU'(0) = 0":
                           (x >= 0).astype(float)})
    x32 = np.array([-1e4, -0.0, 0.0, 1e-30, 1e4], dtype=np.float32)
    g32 = relu_grad(x32)
    check_dtype(g32, np.float32, "relu_grad of a float32 array")
    check_close(g32, [0.0, 0.0, 0.0, 1.0, 1.0], "relu_grad of a float32 array",
                hints={"at x = 0 this is the wrong side of the kink: PyTorch gives ReLU'(0) = 0": [0, 1, 1, 1, 1]})
### END HIDDEN TESTS

# %% [markdown]
# ### What a numerical derivative sees at a kink
#
# A centred difference $\big(f(x + h) - f(x - h)\big) / 2h$ at the kink averages the two one-sided
# slopes, a third value that neither side has. That is why a gradient check (next section) is only
# trusted **away from kinks**, and why the convention has to be written down.

# %%
h = 1e-6
kinks = [("relu", relu, relu_grad, 0.0), ("hard tanh", hard_tanh, hard_tanh_grad, 1.0),
         ("hard tanh", hard_tanh, hard_tanh_grad, -1.0)]
print(f"{'function':<10} {'x':>5} {'left slope':>11} {'right slope':>12} {'centred':>8} {'PyTorch':>8}")
for name, f, df, x0 in kinks:
    x = np.array([x0])
    left = (f(x) - f(x - h))[0] / h
    right = (f(x + h) - f(x))[0] / h
    centred = (f(x + h) - f(x - h))[0] / (2 * h)
    print(f"{name:<10} {x0:5.1f} {left:11.2f} {right:12.2f} {centred:8.2f} {df(x)[0]:8.2f}")


# %% [markdown]
# ## 7. Leaky ReLU
#
# A small slope $\alpha$ (by default $0.01$, as PyTorch's `negative_slope`) on the negative side keeps a
# gradient flowing through a unit whose input is negative, so it cannot die:
#
# $$f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases} \qquad
# f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \quad (\text{PyTorch: } \alpha \text{ at } x = 0) \end{cases}$$
#
# **Exercise.** Implement `leaky_relu(x, alpha=0.01)` and `leaky_relu_grad(x, alpha=0.01)` for
# $0 \le \alpha < 1$. Keep the dtype: `np.where(x > 0, 1.0, alpha)` is float64 even for float32 `x`.

# %% nbgrader={"grade": false, "grade_id": "leaky_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x where x > 0, alpha * x elsewhere, element-wise.

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64
    alpha : float, the slope for x <= 0 (0 <= alpha < 1)

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    return np.where(x > 0, x, alpha * x)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""leaky_relu: values for the default and a given alpha, dtype (2 points)"""
x = np.array([[-2.0, -0.5, 0.0], [0.5, 3.0, -10.0]])
y = leaky_relu(x)
check_shape(y, (2, 3), "leaky_relu(x)")
check_array(y, [[-0.02, -0.005, 0.0], [0.5, 3.0, -0.1]], "leaky_relu(x) with the default alpha = 0.01",
            hints={"this is relu(x): multiply the negative inputs by alpha instead of zeroing them": np.maximum(x, 0),
                   "alpha was applied to the positive side: the slope is 1 for x > 0 and alpha for x <= 0":
                       np.where(x > 0, 0.01 * x, x)})
y = leaky_relu(x, alpha=0.2)
check_array(y, [[-0.4, -0.1, 0.0], [0.5, 3.0, -2.0]], "leaky_relu(x, alpha=0.2)",
            hints={"the argument alpha was ignored (0.01 used)": np.where(x > 0, x, 0.01 * x),
                   "alpha was applied to the positive side: the slope is 1 for x > 0 and alpha for x <= 0":
                       np.where(x > 0, 0.2 * x, x)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4110)
for shape, alpha in [((1,), 0.3), ((5, 4), 0.01), ((2, 3, 2), 0.0), ((6, 1), 0.75)]:
    x = _rng.normal(size=shape)
    x.flat[0] = -1.5                                                 # at least one negative input
    x_before = x.copy()
    hints = {"alpha was applied to the positive side": np.where(x > 0, alpha * x, x)}
    if alpha != 0.01:
        hints["the argument alpha was ignored (0.01 used)"] = np.where(x > 0, x, 0.01 * x)
    check_array(leaky_relu(x, alpha), np.where(x > 0, x, alpha * x), f"leaky_relu of shape {shape}, alpha={alpha}",
                hints=hints)
    assert np.array_equal(x, x_before), "leaky_relu changed its input x in place: return a new array"
x32 = np.array([-1e4, -1.0, 0.0, 2.0], dtype=np.float32)
y32 = leaky_relu(x32, alpha=0.1)
check_dtype(y32, np.float32, "leaky_relu of a float32 array")
check_close(y32, [-1e3, -0.1, 0.0, 2.0], "leaky_relu of a float32 array", rtol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "leaky_relu_grad", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leaky_relu_grad(x, alpha=0.01):
    """Derivative of leaky ReLU at x: 1 where x > 0, alpha elsewhere (alpha at x = 0, as PyTorch).

    Parameters
    ----------
    x : ndarray of any shape, float32 or float64 (the input of leaky ReLU)
    alpha : float, the slope for x <= 0

    Returns
    -------
    ndarray of x's shape and dtype
    """
    ### BEGIN SOLUTION
    return np.where(x > 0, 1, alpha).astype(x.dtype)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu_grad", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""leaky_relu_grad: 1 for x > 0, alpha for x <= 0, alpha at the kink x = 0 (2 points)"""
x = np.array([[-2.0, -0.5, 0.0], [0.5, 3.0, 0.0]])
g = leaky_relu_grad(x, alpha=0.1)
check_shape(g, (2, 3), "leaky_relu_grad(x, alpha=0.1)")
check_array(g, [[0.1, 0.1, 0.1], [1.0, 1.0, 0.1]], "leaky_relu_grad(x, alpha=0.1)",
            hints={"at x = 0 this is the wrong side of the kink: PyTorch's leaky_relu_backward gives alpha there "
                   "(it tests x > 0)": np.where(x >= 0, 1.0, 0.1),
                   "this is relu_grad: the negative side has slope alpha, not 0": (x > 0).astype(float),
                   "the argument alpha was ignored (0.01 used)": np.where(x > 0, 1.0, 0.01),
                   "this is leaky_relu(x) itself, not its derivative": np.where(x > 0, x, 0.1 * x)})
check_array(leaky_relu_grad(np.array([-1.0, 2.0])), [0.01, 1.0], "leaky_relu_grad with the default alpha = 0.01")
x32 = np.array([-3.0, 0.0, 4.0], dtype=np.float32)
check_dtype(leaky_relu_grad(x32, alpha=0.2), np.float32,
            "leaky_relu_grad of a float32 array (np.where(x > 0, 1.0, alpha) is float64: convert with .astype(x.dtype))")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4111)
for shape, alpha in [((1,), 0.25), ((4, 6), 0.01), ((2, 2, 3), 0.5)]:
    x = np.round(_rng.normal(size=shape) * 2) / 2                        # many exact zeros
    x.flat[0] = 0.0
    hints = {"at x = 0 this is the wrong side of the kink: PyTorch gives alpha there": np.where(x >= 0, 1.0, alpha)}
    if alpha != 0.01:
        hints["the argument alpha was ignored (0.01 used)"] = np.where(x > 0, 1.0, 0.01)
    check_array(leaky_relu_grad(x, alpha), np.where(x > 0, 1.0, alpha), f"leaky_relu_grad of shape {shape}, alpha={alpha}",
                hints=hints)
x32 = np.array([-1e4, -0.0, 0.0, 1e-30, 1e4], dtype=np.float32)
g32 = leaky_relu_grad(x32, alpha=0.3)
check_dtype(g32, np.float32, "leaky_relu_grad of a float32 array")
check_close(g32, [0.3, 0.3, 0.3, 1.0, 1.0], "leaky_relu_grad of a float32 array", rtol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Parametric ReLU: a slope that is learned
#
# PReLU (He et al., 2015) is a leaky ReLU whose slope $\alpha$ is a **parameter** trained by gradient
# descent, either one $\alpha$ for the whole layer (a scalar) or one per feature, shape `(D,)`, shared
# by all the samples of the batch. For `x` of shape `(N, D)`, $y_{nd} = x_{nd}$ if $x_{nd} > 0$ and
# $\alpha_d\, x_{nd}$ otherwise (a per-feature `alpha` broadcasts along the last axis).
#
# Its backward pass takes the upstream gradient `dout` $= \partial L / \partial y$ and returns two
# gradients:
#
# $$\frac{\partial L}{\partial x_{nd}} = \begin{cases} \text{dout}_{nd} & x_{nd} > 0 \\ \alpha_d\,\text{dout}_{nd} & x_{nd} \le 0 \end{cases}
# \qquad
# \frac{\partial L}{\partial \alpha_d} = \sum_{n} \begin{cases} 0 & x_{nd} > 0 \\ x_{nd}\,\text{dout}_{nd} & x_{nd} \le 0 \end{cases}$$
#
# $\alpha_d$ is used by every sample, so its gradient is the **sum** of the contributions of every
# element that uses it (as `db` is summed over the batch): over the samples for a per-feature
# $\alpha$, over *all* elements for a scalar one. `dalpha` must have `alpha`'s shape. At $x = 0$
# PyTorch passes $\alpha \cdot$ dout to $x$ and $0 \cdot$ dout $= 0$ to $\alpha$.
#
# A learned $\alpha$ is not confined to $[0, 1)$: it may become larger than 1 or negative.
#
# **Exercise.** Implement `prelu(x, alpha)` and `prelu_backward(dout, x, alpha)`.

# %% nbgrader={"grade": false, "grade_id": "prelu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def prelu(x, alpha):
    """Parametric ReLU: x where x > 0, alpha * x elsewhere.

    Parameters
    ----------
    x : ndarray of shape (N, D), float32 or float64
    alpha : float, or ndarray of shape (D,) (one slope per feature), of x's dtype

    Returns
    -------
    y : ndarray of shape (N, D), x's dtype
    """
    ### BEGIN SOLUTION
    return np.where(x > 0, x, alpha * x)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_prelu", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""prelu: a scalar and a per-feature alpha, any learned value (2 points)"""
x = np.array([[-2.0, 1.0], [0.5, -4.0], [0.0, -1.0]])          # N=3, D=2
x_before = x.copy()
y = prelu(x, 0.25)
check_shape(y, (3, 2), "prelu(x, 0.25)")
check_array(y, [[-0.5, 1.0], [0.5, -1.0], [0.0, -0.25]], "prelu(x, 0.25)")
assert np.array_equal(x, x_before), "prelu changed its input x in place: return a new array"
alpha = np.array([0.1, 1.5])                                        # one slope per feature
y = prelu(x, alpha)
check_array(y, [[-0.2, 1.0], [0.5, -6.0], [0.0, -1.5]], "prelu(x, alpha) with alpha = [0.1, 1.5]",
            hints={"np.maximum(x, alpha * x) equals PReLU only while alpha <= 1, and a learned alpha can be "
                   "larger: use np.where(x > 0, x, alpha * x)": np.maximum(x, alpha * x),
                   "alpha was applied to the positive side": np.where(x > 0, alpha * x, x)})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4112)
for N, D in [(1, 1), (5, 3), (2, 6)]:
    x = _rng.normal(size=(N, D))
    x[0] = -1.0                                                      # a negative input in every feature
    x_before = x.copy()
    for alpha in [0.2, np.linspace(1.5, -0.5, D), np.full(D, -0.3), 3.0]:
        ref = np.where(x > 0, x, alpha * x)
        hints = {}
        if np.any(np.asarray(alpha) > 1):
            hints["np.maximum(x, alpha * x) equals PReLU only while alpha <= 1, and a learned alpha can be "
                  "larger: use np.where(x > 0, x, alpha * x)"] = np.maximum(x, alpha * x)
        check_array(prelu(x, alpha), ref, f"prelu with N={N}, D={D}, alpha={np.round(alpha, 2)}", hints=hints)
    assert np.array_equal(x, x_before), "prelu changed its input x in place: return a new array"
x32 = _rng.normal(size=(4, 3)).astype(np.float32)
for alpha in [0.25, np.array([0.1, 2.0, -0.5], dtype=np.float32)]:
    y32 = prelu(x32, alpha)
    check_dtype(y32, np.float32, "prelu of a float32 array")
    check_close(y32, np.where(x32 > 0, x32, alpha * x32), "prelu of a float32 array", rtol=1e-6)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "prelu_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def prelu_backward(dout, x, alpha):
    """Gradients of PReLU with respect to its input and its slope.

    Parameters
    ----------
    dout : ndarray of shape (N, D), d loss / d y
    x : ndarray of shape (N, D), the input of prelu
    alpha : float, or ndarray of shape (D,)

    Returns
    -------
    dx : ndarray of shape (N, D), x's dtype; alpha * dout where x <= 0 (also at x = 0, as PyTorch)
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
"""prelu_backward: dx (alpha * dout at x <= 0) and dalpha summed to alpha's shape (3 points)"""
x = np.array([[-2.0, 1.0], [0.5, -4.0], [0.0, -1.0]])          # N=3, D=2
dout = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]])
alpha = np.array([0.1, 0.5])
out = prelu_backward(dout, x, alpha)
assert isinstance(out, tuple) and len(out) == 2, "prelu_backward should return a pair (dx, dalpha)"
dx, dalpha = out
check_shape(dx, (3, 2), "dx")
check_array(dx, [[0.1, 2.0], [-1.0, 0.25], [0.3, -1.0]], "dx of prelu_backward",
            hints={"at x = 0 this is the wrong side of the kink: PyTorch passes alpha * dout there "
                   "(it tests x > 0)": np.where(x >= 0, dout, alpha * dout),
                   "dx is missing the upstream gradient dout: multiply the local slope by dout":
                       np.where(x > 0, 1.0, alpha * np.ones_like(x))})
per_element = np.where(x > 0, 0.0, x * dout)                     # [[-2, 0], [0, -2], [0, 2]]
check_close(dalpha, [-2.0, 0.0], "dalpha with one alpha per feature",
            hints={"dalpha has x's shape: alpha is shared by every sample, so sum the per-element gradients "
                   "to alpha's shape (over the samples, axis 0)": per_element,
                   "dalpha was summed over everything: with one alpha per feature, sum over the samples "
                   "only (axis 0) to get alpha's shape (D,)": per_element.sum(),
                   "dalpha is missing the factor x: d(alpha * x) / d alpha = x, so dalpha sums x * dout where x <= 0":
                       np.where(x > 0, 0.0, dout).sum(axis=0)})
dx, dalpha = prelu_backward(dout, x, 0.25)
assert np.shape(dalpha) == (), (f"with a scalar alpha, dalpha must be a scalar (alpha's shape), got shape "
                                f"{np.shape(dalpha)}: sum the per-element gradients over every element")
check_close(dalpha, 0.0 - 2.0 - 2.0 + 2.0, "dalpha with a scalar alpha")
check_array(dx, [[0.25, 2.0], [-1.0, 0.125], [0.75, -0.5]], "dx with a scalar alpha")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4113)
for N, D in [(1, 1), (1, 4), (6, 3), (4, 7)]:
    x = np.round(_rng.normal(size=(N, D)) * 2) / 2                   # some exact zeros
    x.flat[0] = 0.0
    dout = _rng.normal(size=(N, D))
    for alpha in [_rng.uniform(-0.5, 2.0, size=D), 0.3]:
        dx, dalpha = prelu_backward(dout, x, alpha)
        pe = np.where(x > 0, 0.0, x * dout)
        check_array(dx, np.where(x > 0, dout, alpha * dout), f"dx with N={N}, D={D}",
                    hints={"at x = 0 this is the wrong side of the kink: PyTorch passes alpha * dout there":
                           np.where(x >= 0, dout, alpha * dout)})
        no_x = np.where(x > 0, 0.0, dout)
        if np.ndim(alpha):
            expected = pe.sum(axis=0)
            hints = {"dalpha has x's shape: sum the per-element gradients to alpha's shape (axis 0)": pe,
                     "dalpha summed over everything: sum over the samples only (axis 0)": pe.sum(),
                     "dalpha is missing the factor x": no_x.sum(axis=0)}
        else:
            expected = pe.sum()
            hints = {"dalpha has x's shape: sum the per-element gradients to alpha's shape (a scalar)": pe,
                     "dalpha of a scalar alpha was summed over the samples only: sum over every element":
                         pe.sum(axis=0),
                     "dalpha is missing the factor x": no_x.sum()}
        check_close(dalpha, expected, f"dalpha with N={N}, D={D}, alpha of shape {np.shape(alpha)}", hints=hints)
        assert np.shape(dalpha) == np.shape(alpha), \
            f"dalpha must have alpha's shape {np.shape(alpha)}, got {np.shape(dalpha)}"
x32 = _rng.normal(size=(5, 2)).astype(np.float32)
d32 = _rng.normal(size=(5, 2)).astype(np.float32)
dx32, _ = prelu_backward(d32, x32, np.array([0.2, 0.7], dtype=np.float32))
check_dtype(dx32, np.float32, "dx of float32 inputs")
### END HIDDEN TESTS

# %% [markdown]
# ### A gradient check of PReLU
#
# Away from the kinks a numerical gradient must agree with `prelu_backward`. Take the scalar loss
# $L = \sum_{nd} \text{dout}_{nd}\, y_{nd}$, whose upstream gradient is exactly `dout`, and compare with
# `nnlib.gradcheck.check_gradient` (it raises if they disagree):

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
# ## 9. Swish
#
# Swish (Ramachandran et al., 2017) multiplies the input by its own sigmoid "gate":
#
# $$f(x) = x\,\sigma(\beta x).$$
#
# For $\beta = 1$ it is PyTorch's `nn.SiLU`. It is smooth (no kink), slightly negative for negative
# inputs, and non-monotonic. $\beta$ moves it between two functions you know: $\beta \to 0$ gives the
# linear $x/2$, $\beta \to \infty$ gives ReLU.
#
# Its derivative needs the **product rule** (two factors depend on $x$) and, inside $\sigma$, the
# **chain rule** (the inner derivative of $\beta x$ is $\beta$):
#
# $$f'(x) = \underbrace{\sigma(\beta x)}_{(x)'\,\cdot\,\sigma} + \underbrace{x \cdot \beta\,\sigma(\beta x)\big(1 - \sigma(\beta x)\big)}_{x\,\cdot\,(\sigma(\beta x))'}.$$
#
# **Exercise.** Implement `swish(x, beta=1.0)` and `swish_grad(x, beta=1.0)` (the derivative with
# respect to $x$), using your stable `sigmoid` so that nothing overflows at $x = \pm 1000$.

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
            hints={"this is sigmoid(x) alone: swish multiplies it by x": s1})
y = swish(x, beta=2.0)
check_array(y, [-0.00741786947, -0.119202922022, 0.0, 0.365529289315, 1.964027580076], "swish(x, beta=2.0)",
            hints={"the argument beta was ignored: swish is x * sigmoid(beta * x)": x * s1,
                   "this is beta * x * sigmoid(x): beta belongs inside the sigmoid": 2 * x * s1})
y = call_strict(swish, np.array([-1000.0, 1000.0]), name="swish at x = ±1000",
                hint="exp(-beta * x) overflows: use your stable sigmoid instead of 1 / (1 + np.exp(-beta * x))")
check_array(y, [0.0, 1000.0], "swish at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4114)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
_sig = lambda v: np.exp(-np.logaddexp(0.0, -v))
with forbid_delegation(*_nnlib):
    for shape, beta in [((1,), 1.0), ((4, 3), 0.5), ((2, 3, 2), 3.0), ((6,), 10.0)]:
        x = _rng.normal(scale=3.0, size=shape)
        hints = {"the argument beta was ignored": x * _sig(x)} if beta != 1.0 else {}
        check_array(swish(x, beta), x * _sig(beta * x), f"swish of shape {shape}, beta={beta}", hints=hints)
    x32 = np.array([-1e4, -100.0, -1.0, 0.0, 3.0, 1e4], dtype=np.float32)
    y32 = call_strict(swish, x32, name="swish of float32 x = ±1e4", hint="use your stable sigmoid")
    check_dtype(y32, np.float32, "swish of a float32 array")
    x64 = x32.astype(np.float64)
    check_close(y32, x64 * _sig(x64), "swish of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

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
"""swish_grad: the product rule and the chain rule's beta, no overflow (3 points)"""
x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
s1 = np.array([0.047425873178, 0.26894142137, 0.5, 0.622459331202, 0.880797077978])     # sigmoid(x)
s2 = np.array([0.002472623157, 0.119202922022, 0.5, 0.73105857863, 0.982013790038])     # sigmoid(2x)
g = swish_grad(x)
check_shape(g, (5,), "swish_grad(x)")
mistakes = {"this is sigmoid(beta * x) alone: the product rule gives a second term, x * d/dx sigmoid(beta * x)": s1,
            "this is only x * d/dx sigmoid(beta * x): the product rule adds the first term sigmoid(beta * x)":
                x * s1 * (1 - s1),
            "this is sigmoid'(beta * x), the derivative of the gate only: swish = x * sigmoid(beta * x) needs "
            "the product rule": s1 * (1 - s1)}
check_array(g, [-0.088104106015, 0.072329488129, 0.5, 0.739961187303, 1.090784248785], "swish_grad(x)",
            hints=mistakes)
g = swish_grad(x, beta=2.0)
check_array(g, [-0.012326432592, -0.090784248785, 0.5, 0.927670511871, 1.052664614891], "swish_grad(x, beta=2.0)",
            hints={"the chain rule's factor beta is missing: d/dx sigmoid(beta * x) = beta * s * (1 - s)":
                       s2 + x * s2 * (1 - s2),
                   "this is sigmoid(beta * x) alone: the product rule gives a second term": s2,
                   "the argument beta was ignored": s1 + x * s1 * (1 - s1)})
g = call_strict(swish_grad, np.array([-1000.0, 1000.0]), name="swish_grad at x = ±1000",
                hint="use your stable sigmoid instead of exp(-beta * x)")
check_array(g, [0.0, 1.0], "swish_grad at x = ±1000")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4115)
_nnlib = [layers.sigmoid] + [f for pair in layers.ACTIVATIONS.values() for f in pair if hasattr(f, "__code__")]
_sig = lambda v: np.exp(-np.logaddexp(0.0, -v))
with forbid_delegation(*_nnlib):
    for shape, beta in [((1,), 1.0), ((5, 2), 0.5), ((2, 2, 3), 3.0), ((7,), 1.7)]:
        x = _rng.normal(scale=2.5, size=shape)
        s = _sig(beta * x)
        hints = {"this is sigmoid(beta * x) alone: the product rule gives a second term": s}
        if beta != 1.0:
            hints["the chain rule's factor beta is missing"] = s + x * s * (1 - s)
        check_array(swish_grad(x, beta), s + beta * x * s * (1 - s), f"swish_grad of shape {shape}, beta={beta}",
                    hints=hints)
    x32 = np.array([-1e4, -20.0, -1.0, 0.0, 0.7, 1e4], dtype=np.float32)
    g32 = call_strict(swish_grad, x32, 2.0, name="swish_grad of float32 x = ±1e4", hint="use your stable sigmoid")
    check_dtype(g32, np.float32, "swish_grad of a float32 array")
    x64 = x32.astype(np.float64)
    s = _sig(2 * x64)
    check_close(g32, s + 2 * x64 * s * (1 - s), "swish_grad of a float32 array", rtol=1e-5, atol=1e-6)
### END HIDDEN TESTS

# %% [markdown]
# ### β moves swish between a line and ReLU
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
# ## 10. All the activations and their derivatives
#
# Every function you wrote, with its derivative (leaky ReLU with $\alpha = 0.1$ so that its slope is
# visible). The last panel puts the derivatives of sigmoid, tanh and ReLU side by side: the sigmoid's
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
# ## 11. Vanishing gradients in a deep network
#
# *What happens to gradients in DNNs?* Backpropagation through layer $l$ multiplies the gradient by
# $W^{[l]}$ and by the activation's derivative $f'(z^{[l]})$. With sigmoid, each factor $f'$ is at most
# 1/4, so the gradient reaching the **first** layers of a deep network is orders of magnitude smaller
# than at the last: those layers barely learn. tanh's slope reaches 1 near 0 and ReLU's is exactly 1
# for every active unit, so their gradients keep their size.
#
# Below: a 10-layer network (9 hidden layers of 32 units) on the spiral data, **the same initial
# weights** for the three activations (Xavier's scale; notebook 05 chooses the initialisation per
# activation), and the norm $\lVert \partial L / \partial W^{[l]} \rVert$ of each layer's weight gradient
# for one full batch. `nnlib.mlp` computes the gradients with the same formulas you implemented.

# %%
X_sp, y_sp = datasets.spirals(rng, n_per_class=100, n_classes=3)
sizes = [2] + [32] * 9 + [3]                       # 10 affine layers
initial = init_mlp(sizes, rng, scheme="xavier")
grad_norms = {}
for activation in ("sigmoid", "tanh", "relu"):
    params = {k: v.copy() for k, v in initial.items()}
    _, grads = mlp_loss_and_grads(params, X_sp, y_sp, activation=activation)
    grad_norms[activation] = [np.linalg.norm(grads[f"W{l}"]) for l in range(1, num_layers(params) + 1)]
L = len(sizes) - 1
grad_norms["x 1/4 per layer"] = [grad_norms["sigmoid"][-1] * 0.25 ** (L - l) for l in range(1, L + 1)]

fig, ax = plt.subplots(figsize=(7, 4.5))
plots.layer_norms(ax, grad_norms, title="gradient norm of each layer's weights (layer 10 = output)")
ax.set_ylabel(r"$\Vert \partial L / \partial W^{[l]} \Vert$")
plt.show()
for activation in ("sigmoid", "tanh", "relu"):
    first, last = grad_norms[activation][0], grad_norms[activation][-1]
    print(f"{activation:>8}: layer 1 gets {first / last:.1e} times the gradient of layer {L}")

# %% [markdown]
# ## 12. Dead ReLUs and saturated units during training
#
# Two ways a unit stops learning:
#
# - a **saturated** sigmoid or tanh unit sits on a flat part of its curve: its derivative is tiny, so
#   it passes almost no gradient back. We count a (sample, unit) pair as saturated when the derivative
#   is below 5% of its peak (σ' < 0.0125, i.e. $|z| > 4.3$; tanh' < 0.05, i.e. $|z| > 2.2$);
# - a **dead** ReLU has $z \le 0$ for *every* training sample, so (with ReLU'(0) = 0) its gradient is
#   zero on every sample and its weights never change again.
#
# We train a network with two hidden layers of 32 units on the spirals, with a moderate and with a too
# large learning rate, and after every epoch measure these fractions with **your** `relu_grad`,
# `sigmoid_grad` and `tanh_grad` (through `train`'s `on_epoch_end` callback).

# %%
ACTIVATION_FUNCTIONS = {"sigmoid": (sigmoid, sigmoid_grad, 0.25), "tanh": (tanh, tanh_grad, 1.0),
                        "relu": (relu, relu_grad, 1.0)}


def hidden_preactivations(params, X, f):
    # (N, total hidden units): z of every hidden layer, side by side.
    A, Zs = X, []
    for l in range(1, num_layers(params)):
        Z = A @ params[f"W{l}"].T + params[f"b{l}"]
        Zs.append(Z)
        A = f(Z)
    return np.concatenate(Zs, axis=1)


def stalled_fraction(params, activation):
    # Dead ReLU units, or saturated (sample, unit) pairs of sigmoid / tanh.
    f, df, peak = ACTIVATION_FUNCTIONS[activation]
    slopes = df(hidden_preactivations(params, X_sp, f))
    if activation == "relu":
        return float(np.mean(np.all(slopes == 0, axis=0)))
    return float(np.mean(slopes < 0.05 * peak))


sizes = [2, 32, 32, 3]
results = {}
for lr in (0.5, 2.0):
    initial = init_mlp(sizes, rng, scheme="he")
    for activation in ("sigmoid", "tanh", "relu"):
        params = {k: v.copy() for k, v in initial.items()}
        fractions = []
        history = train(params, lambda p, X, y: mlp_loss_and_grads(p, X, y, activation), SGD(lr), X_sp, y_sp,
                        epochs=30, batch_size=32, rng=rng, desc=f"{activation}, lr={lr}",
                        on_epoch_end=lambda epoch, hist, p: fractions.append(stalled_fraction(p, activation)))
        accuracy = np.mean(mlp_predict(params, X_sp, activation) == y_sp)
        results[lr, activation] = (fractions, history["loss"][-1], accuracy)

# %%
# NBVAL_IGNORE_OUTPUT
# (a too large step makes training chaotic: the last digits of a matrix product, which differ from CPU to
#  CPU, change these figures; tests/test_notebook_claims.py checks what the text below says about them)
labels = {"sigmoid": "saturated sigmoid", "tanh": "saturated tanh", "relu": "dead ReLU units"}
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
for ax, lr in zip(axes, (0.5, 2.0)):
    curves = {labels[a]: results[lr, a][0] for a in ("sigmoid", "tanh", "relu")}
    plots.curves(ax, curves, keys=list(curves), title=f"learning rate {lr}", ylabel="fraction")
    ax.set_ylim(0, 1)
plt.show()
print(f"{'':8} {'lr':>4} {'final loss':>11} {'accuracy':>9} {'stalled (last epoch)':>21}")
for (lr, activation), (fractions, loss, accuracy) in results.items():
    print(f"{activation:8} {lr:4.1f} {loss:11.2f} {accuracy:9.2f} {fractions[-1]:21.2f}")

# %% [markdown]
# With the moderate learning rate few units stall and the ReLU and tanh networks fit the spirals,
# while the sigmoid network, whose gradients are small (σ' ≤ 1/4 per layer), is still far behind. A
# step that is too large throws pre-activations far from 0: many ReLUs die and most tanh units
# saturate, and the ReLU network fits much worse than with the moderate step. A dead unit of the
# **first** hidden layer stays dead for good (its input $X$ never changes and its weights get no
# gradient); one in a deeper layer can come back when the layers below it change, which is why the
# dead fraction can also fall. The sigmoid network needed the larger step and is only starting to
# saturate. Leaky ReLU, PReLU and swish keep a non-zero slope for negative inputs, so their units cannot
# die.
#
# ## 13. Zero-centred activations
#
# For a unit of the next layer, the gradient of its weights is $\delta \, a^\top$: the unit's error
# $\delta$ (one number per sample) times the previous layer's activations $a$. If every $a_j > 0$ (sigmoid
# outputs, ReLU outputs), then for one sample all the weights of the unit get gradients of the **same
# sign**, the sign of $\delta$: they can all go up or all go down, but not some up and some down. Reaching
# a weight vector that needs mixed signs then takes a zig-zag path. tanh's outputs have both signs:

# %%
Z = rng.normal(size=(1000, 8))                      # pre-activations of 8 units, 1000 samples
delta = rng.normal(size=(1000, 1))                  # the next unit's error for each sample
for name, f in (("sigmoid", sigmoid), ("tanh", tanh)):
    per_sample_grad = delta * f(Z)                  # row n: the gradient of the unit's 8 weights from sample n
    same_sign = np.mean(np.all(per_sample_grad > 0, axis=1) | np.all(per_sample_grad < 0, axis=1))
    print(f"{name:>8} inputs: all 8 weight gradients share one sign on {same_sign:.0%} of the samples")

# %% [markdown]
# ## 14. The cost of exp-based and max-based activations
#
# Sigmoid, tanh and swish need an exponential per element; ReLU and leaky ReLU only a comparison. The
# cell below times the bare operations (`np.maximum`, `np.exp`, `np.tanh`) and your implementations on
# 200 000 numbers with `time.perf_counter` (best of several runs).
#
# **Timings vary** from machine to machine and from run to run (other programs, the CPU and its clock,
# the numpy build), so this cell's output is not checked and your numbers will differ from your
# neighbour's. What to look for: an exponential costs more than a comparison (recent numpy builds compute
# `exp` with vector instructions, which narrows the gap), and *how* a function is written can matter as
# much as *which* function it is: an extra temporary array, or `np.where` choosing element by element
# between two arrays, adds its own cost. In a large network the matrix products dominate, but an
# activation is applied to every unit of every sample, forward and backward.

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
    "your relu": relu, "your leaky_relu": leaky_relu, "your hard_tanh": hard_tanh,
    "your sigmoid": sigmoid, "your tanh": tanh, "your swish": swish,
}
timings = {name: best_time(f) for name, f in candidates.items()}
for name, seconds in timings.items():
    print(f"{name:>17}: {seconds * 1e3:7.2f} ms  ({seconds / timings['np.maximum(x, 0)']:5.1f} x np.maximum)")

# %% [markdown]
# ## 15. Questions from the lecture
#
# Answer in a few sentences each, in your own words. These are graded by your instructor.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_hidden_activation", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** *Which activation function is better for hidden layers, and why?*
# Compare sigmoid, tanh and ReLU, and refer to at least one of the plots above. What is ReLU's
# weakness, and which variant addresses it?

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_hidden_activation", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# ReLU (or a variant) is the usual default for hidden layers. Its slope is exactly 1 for every positive
# input, so it does not saturate there and the gradient keeps its size through many layers: in the
# 10-layer network of section 11 ReLU's first layer gets a gradient of the same order as its last,
# while sigmoid's gets less than a millionth of it, because each sigmoid layer multiplies the gradient
# by σ' ≤ 1/4. ReLU is also cheap (a comparison, no exponential: section 14). tanh is better than sigmoid
# (zero-centred, slope 1 at 0), and still used in RNNs, but it saturates for |z| ≳ 2. ReLU's weakness
# is **dead units**: a unit with z ≤ 0 on every sample gets no gradient and never recovers (section 12,
# worse with a large learning rate), and its outputs are not zero-centred. Leaky ReLU, PReLU (a learned
# negative slope) and swish keep a non-zero gradient for negative inputs.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_output_nonlinearity", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (2 points).** *Linear networks are only suitable for linearly separable data. You might
# still need a non-linearity at the output layer. Why?* Give an example for classification and say
# what you would use for regression.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_output_nonlinearity", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# The output non-linearity is not there to add features but to map the last layer's scores to the
# **form the target and the loss need**. For binary classification a sigmoid turns a score into a
# probability in (0, 1), so that the output can be read as $P(y = 1 \mid x)$ and the cross-entropy
# $-\log p$ is defined; for several classes softmax makes the outputs positive and sum to 1. A bounded
# target (e.g. a value in [−1, 1]) calls for tanh; a target that is never negative (a count) for ReLU
# or softplus. For plain real-valued regression the output stays linear (identity), since any real
# number must be reachable.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_zero_centred", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 3 (2 points).** The lecture lists "its output is not zero-centred" as a drawback of the
# sigmoid (and of ReLU). *Why do activations that are not zero-centred slow learning?* Use the
# experiment of section 13.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_zero_centred", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# The gradient of a unit's incoming weights is $\partial L / \partial w_j = \delta \cdot a_j$, with
# $\delta$ the unit's error and $a_j$ the previous layer's activations. If every $a_j > 0$ (sigmoid
# outputs), all the weights of the unit get gradients of the same sign (the sign of δ) from each
# sample: section 13 found this on 100% of the samples for sigmoid inputs, and on few for tanh inputs.
# An update can then only increase all of them or decrease all of them, so reaching a weight vector
# whose components need different signs takes a zig-zag path of many small steps. Positive-mean
# activations also shift the next layer's pre-activations away from 0, towards saturation. Zero-centred
# activations such as tanh give gradients of mixed signs, so the updates can point in any direction and
# training converges faster.

# %% [markdown]
# ## Summary
#
# - An activation adds the non-linearity without which a deep network is a linear classifier.
# - **Sigmoid** $\sigma' = \sigma(1 - \sigma) \le 1/4$: computed stably from $e^{-|x|}$; it saturates,
#   is not zero-centred and makes the gradients of deep networks vanish. **tanh** $= 2\sigma(2x) - 1$
#   is zero-centred with slope 1 at 0, but saturates too.
# - **ReLU** and its variants are cheap and do not saturate for positive inputs; at their kinks we use
#   PyTorch's convention (ReLU'(0) = 0, hard tanh'(±1) = 0, leaky ReLU'(0) = α). ReLUs can **die**;
#   **leaky ReLU**, **PReLU** (whose learned α gets a gradient summed over every element that shares
#   it) and **swish** (product rule!) keep a gradient for negative inputs.
# - Through ten layers a sigmoid network's first layer gets a vanishing share of the gradient, ReLU's and
#   tanh's do not; too large a learning rate kills ReLUs and saturates tanh units.
#
# **Next:** `05_initialisation` shows that the *scale of the initial weights* decides whether the
# activations and gradients of a deep network keep their size, and derives the Xavier and He
# initialisations for tanh and ReLU.
