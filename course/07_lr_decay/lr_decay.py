# %% [markdown]
# # 07 · Learning-rate decay: staircase, gradual, exponential and conditional
#
# **Lecture:** *Review of Neural Networks*, the three slides "Learning rate decay helps adjust speed of
# convergence": manual decay, discrete staircase decay, gradual decay, exponential decay and
# conditional decay ("reduce α only if and when necessary").
#
# By the end of this notebook you will be able to
#
# 1. explain why a learning rate that **shrinks during training** lets SGD move fast early and settle
#    precisely late;
# 2. implement **staircase** decay, and derive the factors with which **gradual** and **exponential**
#    decay reach a chosen final rate, so that schedules can be compared fairly;
# 3. implement **conditional decay** with the rules of PyTorch's `ReduceLROnPlateau`;
# 4. on one network, compare a constant rate with each schedule, rescue a rate too high to converge, say
#    where decaying by hand stops being practical, and choose a schedule for a budget of epochs.
#
# **How this notebook is graded.** Complete every cell that says `raise NotImplementedError()`.
# The cells after it test your function; they are worth the points shown in their header and
# hold hidden tests as well, so a function that only fits the visible tests will lose points.
# Run *Kernel → Restart & Run All* before you submit, and use nbgrader's *Validate* button.
#
# **Notation** (as in every notebook): learning rate $\alpha$ (the keyword `lr` in code; $\alpha_0$ is
# `lr0`), cost $J$, epoch $e$ counted from 0. **Points:** 14 for code, 5 for the two written answers.
#
# **Time:** about 1 h 55 for the core path (the course map says how this is estimated); sections
# marked *(optional)* are extra.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

from nnlib import datasets, plots
from nnlib.grading import check_array, check_close, check_type, matches
from nnlib.train import SGD, train
from support import ACTIVATIONS, dead_fraction, he_std, init_mlp, mlp_loss_and_grads, mlp_predict, num_layers

RELU = ACTIVATIONS["relu"]                          # (f, df) of notebook 04, for the support MLP

rng = np.random.default_rng(707)


# %% [markdown]
# ## 1. Why decay the learning rate?
#
# SGD updates every weight by $w \leftarrow w - \alpha \, \nabla_w J$, where the minibatch gradient is
# the true gradient plus noise. Far from a minimum the true gradient dominates and a large $\alpha$ makes
# fast progress. Near a minimum the true gradient shrinks to zero but the noise does not, so every step
# still moves the weights by about $\alpha \times$ noise. **Decay** starts with a large $\alpha_0$ and
# shrinks it as training goes on.
#
# The smallest example: minimise $J(w) = w^2/2$ with standard-normal noise on every gradient, under three
# policies, each run 200 times on the same noise. The plot shows the mean of $w^2$.

# %%
def noisy_descent(lrs, noise, w0=5.0):
    # Minimise J(w) = w^2 / 2 from w0, with gradient w + noise[t] at step t (one column per run).
    # Returns the mean squared distance to the minimum, mean of w^2 over the runs, after each step.
    w, distance = np.full(noise.shape[1], w0), []
    for lr, eps in zip(lrs, noise):
        w = w - lr * (w + eps)
        distance.append(np.mean(w ** 2))
    return distance

steps = np.arange(400)
noise = rng.standard_normal((len(steps), 200))           # 400 steps of 200 independent runs
runs = {
    "constant α = 0.5": noisy_descent(np.full(len(steps), 0.5), noise),
    "constant α = 0.002": noisy_descent(np.full(len(steps), 0.002), noise),
    "decaying α = 0.5 / (1 + 0.05 t)": noisy_descent(0.5 / (1 + 0.05 * steps), noise),
}
for name, distance in runs.items():
    print(f"{name:<32} mean w² after 20 steps: {distance[19]:7.3f}   after 400 steps: {distance[-1]:.3f}")
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, runs, keys=tuple(runs), logy=True, ylabel="mean squared distance to the minimum",
             title="Noisy gradient descent on J(w) = w²/2, 200 runs")
ax.set_xlabel("step")
ax.legend(loc="upper right")
plt.show()


# %% [markdown]
# The large constant rate gets close fast, then stays at a floor set by the noise; the small one crawls.
# The decaying rate is as fast as the large one at first and keeps getting closer as its steps shrink.
# That is why decay helps convergence: a constant rate must choose between fast and precise; decay takes
# large steps while progress is cheap and small ones near the minimum, where a large step only bounces
# around on the noise.
#
# The schedules below are functions of the **epoch** $e$, counted from 0.

# %% [markdown]
# ## 2. Discrete staircase decay
#
# "Divide the learning rate by a constant every fixed number of epochs": with a drop factor $D$ and
# $n$ epochs per drop,
#
# $$\alpha_e = \frac{\alpha_0}{D^{\lfloor e / n \rfloor}}, \qquad e = 0, 1, 2, \ldots$$
#
# so epochs $0, \ldots, n-1$ use $\alpha_0$, epochs $n, \ldots, 2n-1$ use $\alpha_0 / D$, and so on:
# the **first drop is at epoch $n$**. $\lfloor e/n \rfloor$ is `e // n` in Python.
#
# **Exercise.** Implement `staircase_decay`. Like every schedule here, it takes `epoch` as an integer
# (giving a `float`) **or** an integer array of any shape (giving a float64 array of that shape), without
# a Python loop.

# %% nbgrader={"grade": false, "grade_id": "staircase_decay", "locked": false, "schema_version": 3, "solution": true, "task": false}
def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):
    """Staircase decay: lr0 divided by drop_factor once every `epochs_per_drop` epochs.

    Parameters
    ----------
    lr0 : float
        Learning rate of epochs 0 .. epochs_per_drop - 1; must be > 0.
    epoch : int or ndarray of int, any shape
        Epoch(s), counted from 0; must be >= 0.
    drop_factor : float
        The rate is divided by this at every drop; must be > 0.
    epochs_per_drop : int
        Epochs between two drops; must be >= 1.

    Returns
    -------
    lr : float, or ndarray of float64 of epoch's shape
    """
    ### BEGIN SOLUTION
    epoch = np.asarray(epoch)
    lr = lr0 / float(drop_factor) ** (epoch // epochs_per_drop)
    return lr if epoch.ndim else float(lr)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_staircase_decay", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""staircase_decay: one rate per epoch, drops at the right epochs, an int epoch gives a float (3 points)"""
lr = staircase_decay(0.8, np.arange(10), 2.0, 3)
check_array(lr, [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1],
            "staircase_decay(0.8, np.arange(10), 2.0, 3)",
            hints={"the rate drops one epoch early: the first drop is at epoch epochs_per_drop":
                       [0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1, 0.1],
                   "the rate drops one epoch late: epochs count from 0, so use epoch // epochs_per_drop":
                       [1.6, 0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2],
                   "the rate drops one epoch late (epochs count from 0): use epoch // epochs_per_drop":
                       [0.8, 0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2],
                   "this decays smoothly, not in steps: use integer division, epoch // epochs_per_drop":
                       [0.8, 0.634960420787, 0.503968419958, 0.4, 0.317480210394, 0.251984209979, 0.2, 0.158740105197, 0.125992104989, 0.1],
                   "the rate grows: divide lr0 by drop_factor ** (...), do not multiply":
                       [0.8, 0.8, 0.8, 1.6, 1.6, 1.6, 3.2, 3.2, 3.2, 6.4]})
lr5 = staircase_decay(0.8, 5, 2.0, 3)
check_type(lr5, float, "staircase_decay(0.8, 5, 2.0, 3)")
check_close(lr5, 0.4, "staircase_decay(0.8, 5, 2.0, 3)")
### BEGIN HIDDEN TESTS

def _staircase_hints(lr0, e, drop, n, expected):
    # message -> what the mistaken formula gives, for the mistakes that differ here
    e = np.asarray(e)
    with np.errstate(all="ignore"):     # a mistaken formula may overflow: no warnings
        candidates = {
            "the rate drops one epoch early: the first drop is at epoch epochs_per_drop, "
            "so use epoch // epochs_per_drop": lr0 / drop ** ((e + 1) // n),
            "the rate drops one epoch late: epochs count from 0, so use epoch // epochs_per_drop":
                lr0 / drop ** ((e - 1) // n),
            "the rate drops one epoch late (epochs count from 0): use epoch // epochs_per_drop":
                lr0 / drop ** (np.maximum(e - 1, 0) // n),
            "the rate drops at epoch 1 already: round the number of drops down (//), not up":
                lr0 / drop ** np.ceil(e / n),
            "this decays smoothly, not in steps: the number of drops is epoch // epochs_per_drop "
            "(integer division)": lr0 / drop ** (e / n),
            "the rate grows: divide lr0 by drop_factor ** (...), do not multiply": lr0 * drop ** (e // n),
        }
    return {m: v for m, v in candidates.items() if not matches(v, expected)}

_rng = np.random.default_rng(7001)
for _ in range(6):
    lr0, drop, n = float(_rng.uniform(0.001, 3.0)), float(_rng.uniform(1.1, 10.0)), int(_rng.integers(1, 15))
    e = _rng.integers(0, 120, size=int(_rng.integers(1, 40)))     # unsorted, with repeats
    expected = lr0 / drop ** (e // n)
    check_array(staircase_decay(lr0, e, drop, n), expected, f"staircase_decay({lr0:.3f}, e, {drop:.3f}, {n})",
                rtol=1e-9, atol=0.0, hints=_staircase_hints(lr0, e, drop, n, expected))
# every epoch at its drop boundary, a drop every epoch, an int drop factor, int32 and 2-D epochs
for lr0, drop, n, e in [(1.0, 10.0, 5, np.array([0, 4, 5, 9, 10, 14, 15])),
                        (0.3, 2.0, 1, np.arange(8)),
                        (0.25, 2, 4, np.arange(12, dtype=np.int32)),
                        (2.0, 3.0, 2, np.arange(12).reshape(3, 4)),
                        (0.1, 5.0, 7, np.array([6])),
                        (1e-3, 1.5, 100, np.array([0, 99, 100, 5000, 9999]))]:
    expected = lr0 / float(drop) ** (e // n)
    check_array(staircase_decay(lr0, e, drop, n), expected,
                f"staircase_decay({lr0}, epochs of shape {e.shape} and dtype {e.dtype}, {drop}, {n})",
                rtol=1e-9, atol=0.0, hints=_staircase_hints(lr0, e, float(drop), n, expected))
for lr0, e, drop, n in [(0.5, 0, 2.0, 1), (0.5, 1, 2.0, 1), (0.7, 29, 3.0, 10), (0.7, 30, 3.0, 10),
                        (1.0, np.int64(7), 2.0, 7)]:
    lr = staircase_decay(lr0, e, drop, n)
    check_type(lr, float, f"staircase_decay({lr0}, {e}, {drop}, {n}) with an int epoch")
    check_close(lr, lr0 / drop ** (e // n), f"staircase_decay({lr0}, {e}, {drop}, {n})", rtol=1e-9, atol=0.0)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Gradual and exponential decay, and matching them
#
# The slide's other two fixed schedules shrink the rate a little every epoch. **Gradual decay**
# $\alpha_e = \alpha_0 / (1 + k e)$ falls like $1/e$; **exponential decay** $\alpha_e = k^{\,e} \alpha_0$
# multiplies the rate by $k$ every epoch: $k$ is the **base** of the power, just below 1, not the rate
# constant of $\alpha_0 e^{-k e}$. Both are given:

# %%
def gradual_decay(lr0, epoch, decay_factor):
    """The slide's gradual decay lr0 / (1 + k * epoch); epoch an int (-> float) or an int array."""
    lr = lr0 / (1.0 + decay_factor * np.asarray(epoch))
    return lr if np.ndim(epoch) else float(lr)


def exponential_decay(lr0, epoch, decay_factor):
    """The slide's exponential decay k ** epoch * lr0; epoch an int (-> float) or an int array."""
    lr = float(decay_factor) ** np.asarray(epoch) * lr0
    return lr if np.ndim(epoch) else float(lr)


print("gradual, k = 0.5:      ", np.round(gradual_decay(1.0, np.arange(5), 0.5), 3))
print("exponential, k = 0.5:  ", np.round(exponential_decay(1.0, np.arange(5), 0.5), 3))


# %% [markdown]
# The two $k$ mean different things, so "gradual with $k = 0.1$" and "exponential with $k = 0.97$" are
# hard to compare. A fair comparison starts at $\alpha_0$ and **reaches a chosen final rate $\alpha_T$
# at epoch $T$**, the end of the budget.
#
# **Exercise (a derivation).** Solve each schedule's formula for its decay factor: which $k$ makes gradual
# decay reach $\alpha_T$ at epoch $T$, and which $k$ makes exponential decay reach it? Work it out on
# paper, then implement `matched_decay_factors(lr0, lr_final, epochs)`, returning both.

# %% nbgrader={"grade": false, "grade_id": "matched_decay_factors", "locked": false, "schema_version": 3, "solution": true, "task": false}
def matched_decay_factors(lr0, lr_final, epochs):
    """Decay factors with which gradual and exponential decay go from lr0 to lr_final at epoch `epochs`.

    Parameters
    ----------
    lr0 : float
        The rate at epoch 0, > 0.
    lr_final : float
        The rate wanted at epoch `epochs`, 0 < lr_final < lr0.
    epochs : int
        The epoch T at which the rate must be lr_final, >= 1.

    Returns
    -------
    k_gradual : float
        With it, gradual_decay(lr0, epochs, k_gradual) == lr_final.
    k_exponential : float
        With it, exponential_decay(lr0, epochs, k_exponential) == lr_final.
    """
    ### BEGIN SOLUTION
    ratio = lr0 / lr_final
    return float((ratio - 1.0) / epochs), float((1.0 / ratio) ** (1.0 / epochs))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_matched_decay_factors", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""matched_decay_factors: both schedules reach lr_final at epoch T (3 points)"""
result = matched_decay_factors(0.8, 0.1, 3)
assert isinstance(result, tuple) and len(result) == 2, \
    f"matched_decay_factors should return a pair (k_gradual, k_exponential), got {type(result).__name__}"
k_gradual, k_exponential = result
check_close(k_gradual, 7 / 3, "k_gradual of matched_decay_factors(0.8, 0.1, 3)",
            hints={"k_gradual is too large: the 1 in gradual decay's denominator 1 + k e was forgotten": 8 / 3,
                   "k_gradual is negative: the ratio of the two rates is upside down": (0.125 - 1) / 3})
check_close(k_exponential, 0.5, "k_exponential of matched_decay_factors(0.8, 0.1, 3)",
            hints={"k_exponential is above 1, so the rate would grow: the ratio of the two rates is upside down": 2.0,
                   "k_exponential: the ratio was divided by T, but k multiplies the rate T times (a product, "
                   "not a sum)": 0.125 / 3,
                   "k_exponential fits T - 1 epochs: reaching epoch T takes T multiplications by k": 0.125 ** (1 / 2),
                   "k_exponential looks like the rate constant of exp(-k e); the slide's k is the base of the "
                   "power k ** e": np.log(8) / 3})
check_close(0.8 / (1 + k_gradual * 3), 0.1, "gradual decay's rate at epoch T = 3 with k_gradual")
check_close(k_exponential ** 3 * 0.8, 0.1, "exponential decay's rate at epoch T = 3 with k_exponential")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(7010)
for lr0, lr_final, T in [(1.0, 0.5, 1), (0.5, 0.5 / 1000, 100), (3e-3, 1e-5, 37), (2.0, 1.999, 3)] + [
        (float(10 ** _rng.uniform(-3, 0)), None, int(_rng.integers(1, 500))) for _ in range(5)]:
    if lr_final is None:
        lr_final = lr0 * float(_rng.uniform(1e-4, 0.9))
    k_g, k_e = matched_decay_factors(lr0, lr_final, T)
    name = f"matched_decay_factors({lr0:.4g}, {lr_final:.4g}, {T})"
    check_close(k_g, (lr0 / lr_final - 1) / T, f"k_gradual of {name}", rtol=1e-9, atol=0.0,
                hints={"k_gradual is too large: the 1 in gradual decay's denominator 1 + k e was forgotten":
                       lr0 / lr_final / T})
    check_close(k_e, (lr_final / lr0) ** (1 / T), f"k_exponential of {name}", rtol=1e-9, atol=0.0,
                hints={"k_exponential is above 1, so the rate would grow: the ratio of the two rates is upside down":
                       (lr0 / lr_final) ** (1 / T)})
    check_close(lr0 / (1 + k_g * T), lr_final, f"gradual decay at epoch {T} with k_gradual of {name}", rtol=1e-9)
    check_close(k_e ** T * lr0, lr_final, f"exponential decay at epoch {T} with k_exponential of {name}", rtol=1e-9)
### END HIDDEN TESTS

# %% [markdown]
# ### The same schedules in PyTorch (optional)
#
# Every schedule of this notebook exists in `torch.optim.lr_scheduler`; a scheduler wraps an optimiser
# and you call `scheduler.step()` once per epoch (`scheduler.step(val_loss)` for the conditional one):
#
# | lecture | this notebook | PyTorch |
# |---|---|---|
# | staircase: divide by $D$ every $n$ epochs | `staircase_decay(lr0, e, D, n)` | `StepLR(opt, step_size=n, gamma=1/D)` |
# | gradual: $\alpha_0 / (1 + k e)$ | `gradual_decay(lr0, e, k)` | `LambdaLR(opt, lr_lambda=lambda e: 1 / (1 + k * e))` |
# | exponential: $k^e \alpha_0$ | `exponential_decay(lr0, e, k)` | `ExponentialLR(opt, gamma=k)` |
# | conditional: reduce only when necessary | `ReduceOnPlateau(lr0, factor, patience)` (section 4) | `ReduceLROnPlateau(opt, factor=..., patience=...)` |
#
# PyTorch's `gamma` is always a *multiplier*, so the staircase's divisor $D$ becomes `gamma=1/D`.
# `LambdaLR` multiplies the optimiser's initial rate $\alpha_0$ by whatever function of the epoch you give it.

# %% [markdown]
# ## 4. Conditional decay: reduce on plateau
#
# A fixed schedule decides *in advance* when to shrink the rate. The lecture's **conditional decay**
# reduces $\alpha$ "only if and when necessary": when the validation loss has stopped improving for a
# while. Your `ReduceOnPlateau` follows the rules of PyTorch's `ReduceLROnPlateau` with `mode="min"`,
# `threshold_mode="rel"` and `cooldown=0` (without its skip of tiny reductions). Call `step(val_loss)`
# once per epoch; it updates the state and returns the learning rate for the next epoch:
#
# 1. **Better or not.** The loss is an *improvement* if it beats the best loss so far by the relative
#    threshold: `val_loss < best * (1 - threshold)` (`best` starts at $+\infty$). On an improvement,
#    `best = val_loss` and `num_bad_epochs = 0`; otherwise `num_bad_epochs += 1`.
# 2. **Reduce.** If `num_bad_epochs > patience`: multiply the rate by `factor`, but never go below
#    `min_lr`, and reset `num_bad_epochs = 0` (also when the rate was already at `min_lr`).
# 3. **Return** the current `lr` as a float.
#
# So with `patience = 2`, two epochs without improvement are tolerated and the third triggers a
# reduction. A worked example with `lr0 = 1`, `factor = 0.5`, `patience = 2` (threshold $10^{-4}$):
#
# | epoch | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |
# |---|---|---|---|---|---|---|---|---|---|
# | val_loss | 1.0 | 0.9 | 0.95 | 0.92 | 0.91 | 0.85 | 0.86 | 0.87 | 0.88 |
# | improvement? | yes | yes | no | no | no | yes | no | no | no |
# | num_bad_epochs after the step | 0 | 0 | 1 | 2 | 3 → 0 | 0 | 1 | 2 | 3 → 0 |
# | returned lr | 1 | 1 | 1 | 1 | **0.5** | 0.5 | 0.5 | 0.5 | **0.25** |
#
# Epoch 3: 0.92 beats the epoch before (0.95) but not the *best* (0.9), so it is a bad epoch.
#
# **Exercise.** Implement the class. Keep the state in attributes of `self`; the attribute `lr` must
# always hold the current learning rate (`lr0` before the first step).

# %% nbgrader={"grade": false, "grade_id": "ReduceOnPlateau", "locked": false, "schema_version": 3, "solution": true, "task": false}
class ReduceOnPlateau:
    """Conditional decay: multiply the learning rate by `factor` when the validation loss stalls.

    Behaves like PyTorch's ``torch.optim.lr_scheduler.ReduceLROnPlateau`` with
    ``mode="min", threshold_mode="rel", cooldown=0``.

    Parameters
    ----------
    lr0 : float
        The learning rate before the first step, > 0.
    factor : float, default 0.1
        A reduction multiplies the rate by this number, 0 < factor < 1.
    patience : int, default 10
        Number of epochs without improvement that are tolerated; the next one reduces the rate.
    threshold : float, default 1e-4
        Relative improvement needed: a loss is better if val_loss < best * (1 - threshold).
    min_lr : float, default 0.0
        The rate never goes below this.

    Attributes
    ----------
    lr : float
        The current learning rate (lr0 until the first reduction).
    """

    def __init__(self, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0):
        ### BEGIN SOLUTION
        self.lr = float(lr0)
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.min_lr = min_lr
        self.best = np.inf
        self.num_bad_epochs = 0
        ### END SOLUTION

    def step(self, val_loss):
        """Record one epoch's validation loss; return the learning rate for the next epoch.

        Parameters
        ----------
        val_loss : float
            This epoch's validation loss (non-negative).

        Returns
        -------
        lr : float
            The learning rate after this step (also in ``self.lr``).
        """
        ### BEGIN SOLUTION
        val_loss = float(val_loss)
        if val_loss < self.best * (1 - self.threshold):
            self.best = val_loss
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs > self.patience:
            self.lr = max(self.lr * self.factor, self.min_lr)
            self.num_bad_epochs = 0
        return self.lr
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_reduce_on_plateau_patience", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""ReduceOnPlateau: patience, the reset after a reduction, the best loss and the relative threshold (3 points)"""
losses = [1.0, 0.9, 0.95, 0.92, 0.91, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.84, 0.845, 0.85]
scheduler = ReduceOnPlateau(lr0=1.0, factor=0.5, patience=2)
check_close(scheduler.lr, 1.0, "ReduceOnPlateau(lr0=1.0, ...).lr before the first step")
lrs = []
for loss in losses:
    lr = scheduler.step(loss)
    check_type(lr, float, "ReduceOnPlateau.step(...)")
    lrs.append(lr)
check_close(lrs, [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
            "learning rates after each step (lr0=1.0, factor=0.5, patience=2)", rtol=1e-9, atol=0.0,
            hints={'after a reduction the count of bad epochs was not reset to 0: wait `patience` more bad epochs before reducing again':
                       [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.125, 0.0625, 0.0625, 0.0625, 0.0625],
                   'the rate was reduced one epoch too early: reduce when the number of bad epochs is greater than `patience` (num_bad_epochs > patience), not equal to it':
                       [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125, 0.0625],
                   "each loss was compared with the previous epoch's loss; compare it with the best loss seen so far":
                       [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
                   'the count of bad epochs was not reset to 0 when the loss improved: count the bad epochs since the last improvement':
                       [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125]})
check_close(scheduler.lr, lrs[-1], "the attribute `lr` after the last step")
scheduler = ReduceOnPlateau(lr0=0.5, factor=0.5, patience=1, threshold=0.25)
lrs = [scheduler.step(loss) for loss in [4.0, 3.5, 3.0, 2.5, 2.25, 2.0, 1.875, 1.75, 1.5, 1.5, 1.25]]
check_close(lrs, [0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125, 0.0625, 0.0625],
            "learning rates with threshold=0.25 (lr0=0.5, factor=0.5, patience=1)", rtol=1e-9, atol=0.0,
            hints={'after a reduction the count of bad epochs was not reset to 0: wait `patience` more bad epochs before reducing again':
                       [0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.0625, 0.0625, 0.0625, 0.03125, 0.03125],
                   'the rate was reduced one epoch too early: reduce when the number of bad epochs is greater than `patience` (num_bad_epochs > patience), not equal to it':
                       [0.5, 0.25, 0.125, 0.125, 0.0625, 0.03125, 0.015625, 0.015625, 0.0078125, 0.00390625, 0.00390625],
                   "each loss was compared with the previous epoch's loss; compare it with the best loss seen so far":
                       [0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.0625, 0.0625, 0.03125, 0.03125, 0.015625],
                   'the count of bad epochs was not reset to 0 when the loss improved: count the bad epochs since the last improvement':
                       [0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.0625, 0.0625, 0.0625],
                   'the threshold was used as an absolute margin (best - threshold); it is relative: better means val_loss < best * (1 - threshold)':
                       [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125],
                   'every decrease counted as an improvement; it must beat the best by the relative threshold: val_loss < best * (1 - threshold)':
                       [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]})
### BEGIN HIDDEN TESTS

def _plateau_lrs(losses, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0, mistake=None):
    # PyTorch's ReduceLROnPlateau(mode="min", threshold_mode="rel", cooldown=0, eps=0),
    # or, with `mistake`, what a known-wrong implementation returns after each step.
    lr, best, previous, bad, lrs = float(lr0), np.inf, np.inf, 0, []
    for loss in losses:
        reference = previous if mistake == "previous" else best
        if mistake == "absolute":
            better = loss < reference - threshold
        elif mistake == "no_threshold":
            better = loss < reference
        else:
            better = loss < reference * (1 - threshold)
        previous = loss
        if better:
            best = loss
            if mistake != "total_count":
                bad = 0
        else:
            bad += 1
        if bad > patience or (mistake == "at_patience" and bad >= patience):
            new_lr = lr * factor if mistake == "below_min_lr" else max(lr * factor, min_lr)
            if mistake != "torch_eps" or lr - new_lr > 1e-8:   # torch_eps: PyTorch's skip rule, accepted
                lr = new_lr
            if mistake != "no_reset":
                bad = 0
        lrs.append(lr)
    return lrs


_PLATEAU_MISTAKES = {
    "no_reset": "after a reduction the count of bad epochs was not reset to 0: wait `patience` "
                "more bad epochs before reducing again",
    "at_patience": "the rate was reduced one epoch too early: reduce when the number of bad epochs "
                   "is greater than `patience` (num_bad_epochs > patience), not equal to it",
    "below_min_lr": "the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)",
    "previous": "each loss was compared with the previous epoch's loss; compare it with the best "
                "loss seen so far",
    "total_count": "the count of bad epochs was not reset to 0 when the loss improved: count the "
                   "bad epochs since the last improvement",
    "absolute": "the threshold was used as an absolute margin (best - threshold); it is relative: "
                "better means val_loss < best * (1 - threshold)",
    "no_threshold": "every decrease counted as an improvement; it must beat the best by the relative "
                    "threshold: val_loss < best * (1 - threshold)",
}


def _check_lrs(lrs, losses, name, **kwargs):
    # The student's rates against the simulation; a rate list that equals a known mistake's
    # (compared as tightly as the values, so tiny rates near eps count) gets that mistake's hint.
    expected = _plateau_lrs(losses, **kwargs)
    if matches(lrs, expected, rtol=1e-9, atol=0.0) or \
            matches(lrs, _plateau_lrs(losses, mistake="torch_eps", **kwargs), rtol=1e-9, atol=0.0):
        return
    for mistake, message in _PLATEAU_MISTAKES.items():
        if matches(lrs, _plateau_lrs(losses, mistake=mistake, **kwargs), rtol=1e-9, atol=0.0):
            raise AssertionError(f"{name}: {message}")
    check_close(lrs, expected, name, rtol=1e-9, atol=0.0)


def _run_plateau(losses, name, **kwargs):
    # The student's learning rates after each step; checks types and the `lr` attribute.
    scheduler = ReduceOnPlateau(**kwargs)
    lrs = []
    for loss in losses:
        lr = scheduler.step(loss)
        check_type(lr, float, f"{name}: step(...)")
        lrs.append(lr)
    check_close(scheduler.lr, lrs[-1], f"{name}: the attribute `lr` after the last step", rtol=0, atol=0)
    return lrs

_cases = [
    # patience 0: every bad epoch reduces
    ([3.0, 2.0, 2.5, 1.0, 1.0, 1.0, 0.5, 0.6, 0.4], dict(lr0=0.8, factor=0.5, patience=0)),
    # equal losses are not improvements; a huge first loss is still the first best
    ([1e6, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0], dict(lr0=1.0, factor=0.1, patience=2)),
    # losses that rise and fall: compare with the best, not the previous epoch
    ([1.0, 1.5, 1.4, 1.3, 1.2, 1.1, 1.05, 1.01, 0.99, 1.2, 1.1, 1.0, 0.995, 0.99, 0.98],
     dict(lr0=0.3, factor=0.5, patience=3)),
    # improvements just above / just below a 10% relative threshold (powers of two are exact)
    ([8.0, 7.5, 7.25, 7.0, 6.75, 6.5, 6.25, 6.0, 5.5, 5.0, 4.75, 4.5, 4.25, 4.0],
     dict(lr0=1.0, factor=0.5, patience=1, threshold=0.125)),
    # long stall: reductions every patience + 1 epochs
    ([0.5] + [0.6] * 20, dict(lr0=1.0, factor=0.5, patience=4)),
    # default arguments: factor 0.1, patience 10, threshold 1e-4
    ([1.0, 0.99995] + [0.99999] * 12 + [0.5] + [0.9] * 12, dict(lr0=0.1)),
]
for losses, kwargs in _cases:
    name = f"ReduceOnPlateau({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {len(losses)} losses"
    _check_lrs(_run_plateau(losses, name, **kwargs), losses, name, **kwargs)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_reduce_on_plateau_min_lr", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""ReduceOnPlateau: the rate stops at min_lr (2 points)"""
scheduler = ReduceOnPlateau(lr0=1.0, factor=0.1, patience=0, min_lr=0.005)
lrs = [scheduler.step(loss) for loss in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]
check_close(lrs, [1.0, 0.1, 0.01, 0.005, 0.005, 0.005],
            "learning rates on a flat loss (lr0=1.0, factor=0.1, patience=0, min_lr=0.005)", rtol=1e-9, atol=0.0,
            hints={'the rate was reduced one epoch too early: reduce when the number of bad epochs is greater than `patience` (num_bad_epochs > patience), not equal to it':
                       [0.1, 0.01, 0.005, 0.005, 0.005, 0.005],
                   'the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)':
                       [1.0, 0.1, 0.01, 0.001, 0.0001, 1e-05]})
check_close(scheduler.lr, 0.005, "the attribute `lr` once the rate has reached min_lr")
### BEGIN HIDDEN TESTS

def _plateau_lrs(losses, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0, mistake=None):
    # PyTorch's ReduceLROnPlateau(mode="min", threshold_mode="rel", cooldown=0, eps=0),
    # or, with `mistake`, what a known-wrong implementation returns after each step.
    lr, best, previous, bad, lrs = float(lr0), np.inf, np.inf, 0, []
    for loss in losses:
        reference = previous if mistake == "previous" else best
        if mistake == "absolute":
            better = loss < reference - threshold
        elif mistake == "no_threshold":
            better = loss < reference
        else:
            better = loss < reference * (1 - threshold)
        previous = loss
        if better:
            best = loss
            if mistake != "total_count":
                bad = 0
        else:
            bad += 1
        if bad > patience or (mistake == "at_patience" and bad >= patience):
            new_lr = lr * factor if mistake == "below_min_lr" else max(lr * factor, min_lr)
            if mistake != "torch_eps" or lr - new_lr > 1e-8:   # torch_eps: PyTorch's skip rule, accepted
                lr = new_lr
            if mistake != "no_reset":
                bad = 0
        lrs.append(lr)
    return lrs


_PLATEAU_MISTAKES = {
    "no_reset": "after a reduction the count of bad epochs was not reset to 0: wait `patience` "
                "more bad epochs before reducing again",
    "at_patience": "the rate was reduced one epoch too early: reduce when the number of bad epochs "
                   "is greater than `patience` (num_bad_epochs > patience), not equal to it",
    "below_min_lr": "the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)",
    "previous": "each loss was compared with the previous epoch's loss; compare it with the best "
                "loss seen so far",
    "total_count": "the count of bad epochs was not reset to 0 when the loss improved: count the "
                   "bad epochs since the last improvement",
    "absolute": "the threshold was used as an absolute margin (best - threshold); it is relative: "
                "better means val_loss < best * (1 - threshold)",
    "no_threshold": "every decrease counted as an improvement; it must beat the best by the relative "
                    "threshold: val_loss < best * (1 - threshold)",
}


def _check_lrs(lrs, losses, name, **kwargs):
    # The student's rates against the simulation; a rate list that equals a known mistake's
    # (compared as tightly as the values, so tiny rates near eps count) gets that mistake's hint.
    expected = _plateau_lrs(losses, **kwargs)
    if matches(lrs, expected, rtol=1e-9, atol=0.0) or \
            matches(lrs, _plateau_lrs(losses, mistake="torch_eps", **kwargs), rtol=1e-9, atol=0.0):
        return
    for mistake, message in _PLATEAU_MISTAKES.items():
        if matches(lrs, _plateau_lrs(losses, mistake=mistake, **kwargs), rtol=1e-9, atol=0.0):
            raise AssertionError(f"{name}: {message}")
    check_close(lrs, expected, name, rtol=1e-9, atol=0.0)


def _run_plateau(losses, name, **kwargs):
    # The student's learning rates after each step; checks types and the `lr` attribute.
    scheduler = ReduceOnPlateau(**kwargs)
    lrs = []
    for loss in losses:
        lr = scheduler.step(loss)
        check_type(lr, float, f"{name}: step(...)")
        lrs.append(lr)
    check_close(scheduler.lr, lrs[-1], f"{name}: the attribute `lr` after the last step", rtol=0, atol=0)
    return lrs

_rng = np.random.default_rng(7005)
_cases = [
    # min_lr above lr0 * factor: the first reduction lands on min_lr, then nothing changes
    ([1.0] * 8, dict(lr0=0.1, factor=0.1, patience=1, min_lr=0.05)),
    # min_lr equal to lr0: never reduced
    ([1.0, 2.0, 3.0, 4.0, 5.0], dict(lr0=0.02, factor=0.5, patience=0, min_lr=0.02)),
    # just above min_lr: the next reduction lands on min_lr
    ([1.0] * 6, dict(lr0=1e-3 + 5e-4, factor=0.5, patience=0, min_lr=1e-3)),
    # random min_lr on a long noisy stall
    (list(1.0 + 0.01 * _rng.random(60)), dict(lr0=0.5, factor=0.3, patience=2, min_lr=float(_rng.uniform(1e-3, 1e-2)))),
    (list(0.2 + 0.05 * _rng.random(80)), dict(lr0=1.0, factor=0.5, patience=1, min_lr=1e-6)),
]
for losses, kwargs in _cases:
    name = f"ReduceOnPlateau({', '.join(f'{k}={v}' for k, v in kwargs.items())}) on {len(losses)} losses"
    lrs = _run_plateau(losses, name, **kwargs)
    assert min(lrs) >= kwargs.get("min_lr", 0.0), (
        f"{name}: the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)")
    _check_lrs(lrs, losses, name, **kwargs)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_reduce_on_plateau_random", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""ReduceOnPlateau: long loss sequences, compared with PyTorch's ReduceLROnPlateau rules (3 points)"""
scheduler = ReduceOnPlateau(lr0=0.1, factor=0.5, patience=2, threshold=0.01, min_lr=0.01)
lrs = [scheduler.step(loss) for loss in [1.339, 1.216, 1.091, 0.996, 0.924, 0.843, 0.788, 0.729, 0.695, 0.671, 0.609, 0.591, 0.552, 0.523, 0.507, 0.501, 0.481, 0.455, 0.412, 0.438, 0.418, 0.39, 0.375, 0.402, 0.391, 0.361, 0.387, 0.368, 0.332, 0.346, 0.331, 0.338, 0.367, 0.346, 0.334, 0.322, 0.325, 0.346, 0.355, 0.329, 0.316, 0.331, 0.346, 0.323, 0.329, 0.332, 0.347, 0.338, 0.344, 0.314, 0.32, 0.302, 0.351, 0.308, 0.337, 0.34, 0.342, 0.313, 0.316, 0.333]]
check_close(lrs, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
            "learning rates on a noisy curve (lr0=0.1, factor=0.5, patience=2, threshold=0.01, min_lr=0.01)",
            rtol=1e-9, atol=0.0, hints={'after a reduction the count of bad epochs was not reset to 0: wait `patience` more bad epochs before reducing again':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.025, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
                   'the rate was reduced one epoch too early: reduce when the number of bad epochs is greater than `patience` (num_bad_epochs > patience), not equal to it':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
                   'the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.00625, 0.00625, 0.00625, 0.003125, 0.003125, 0.003125, 0.0015625, 0.0015625, 0.0015625, 0.0015625, 0.0015625, 0.00078125, 0.00078125, 0.00078125, 0.000390625, 0.000390625, 0.000390625],
                   "each loss was compared with the previous epoch's loss; compare it with the best loss seen so far":
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125],
                   'the count of bad epochs was not reset to 0 when the loss improved: count the bad epochs since the last improvement':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
                   'the threshold was used as an absolute margin (best - threshold); it is relative: better means val_loss < best * (1 - threshold)':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
                   'every decrease counted as an improvement; it must beat the best by the relative threshold: val_loss < best * (1 - threshold)':
                       [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]})
### BEGIN HIDDEN TESTS

def _plateau_lrs(losses, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0, mistake=None):
    # PyTorch's ReduceLROnPlateau(mode="min", threshold_mode="rel", cooldown=0, eps=0),
    # or, with `mistake`, what a known-wrong implementation returns after each step.
    lr, best, previous, bad, lrs = float(lr0), np.inf, np.inf, 0, []
    for loss in losses:
        reference = previous if mistake == "previous" else best
        if mistake == "absolute":
            better = loss < reference - threshold
        elif mistake == "no_threshold":
            better = loss < reference
        else:
            better = loss < reference * (1 - threshold)
        previous = loss
        if better:
            best = loss
            if mistake != "total_count":
                bad = 0
        else:
            bad += 1
        if bad > patience or (mistake == "at_patience" and bad >= patience):
            new_lr = lr * factor if mistake == "below_min_lr" else max(lr * factor, min_lr)
            if mistake != "torch_eps" or lr - new_lr > 1e-8:   # torch_eps: PyTorch's skip rule, accepted
                lr = new_lr
            if mistake != "no_reset":
                bad = 0
        lrs.append(lr)
    return lrs


_PLATEAU_MISTAKES = {
    "no_reset": "after a reduction the count of bad epochs was not reset to 0: wait `patience` "
                "more bad epochs before reducing again",
    "at_patience": "the rate was reduced one epoch too early: reduce when the number of bad epochs "
                   "is greater than `patience` (num_bad_epochs > patience), not equal to it",
    "below_min_lr": "the learning rate went below min_lr: the new rate is max(lr * factor, min_lr)",
    "previous": "each loss was compared with the previous epoch's loss; compare it with the best "
                "loss seen so far",
    "total_count": "the count of bad epochs was not reset to 0 when the loss improved: count the "
                   "bad epochs since the last improvement",
    "absolute": "the threshold was used as an absolute margin (best - threshold); it is relative: "
                "better means val_loss < best * (1 - threshold)",
    "no_threshold": "every decrease counted as an improvement; it must beat the best by the relative "
                    "threshold: val_loss < best * (1 - threshold)",
}


def _check_lrs(lrs, losses, name, **kwargs):
    # The student's rates against the simulation; a rate list that equals a known mistake's
    # (compared as tightly as the values, so tiny rates near eps count) gets that mistake's hint.
    expected = _plateau_lrs(losses, **kwargs)
    if matches(lrs, expected, rtol=1e-9, atol=0.0) or \
            matches(lrs, _plateau_lrs(losses, mistake="torch_eps", **kwargs), rtol=1e-9, atol=0.0):
        return
    for mistake, message in _PLATEAU_MISTAKES.items():
        if matches(lrs, _plateau_lrs(losses, mistake=mistake, **kwargs), rtol=1e-9, atol=0.0):
            raise AssertionError(f"{name}: {message}")
    check_close(lrs, expected, name, rtol=1e-9, atol=0.0)


def _run_plateau(losses, name, **kwargs):
    # The student's learning rates after each step; checks types and the `lr` attribute.
    scheduler = ReduceOnPlateau(**kwargs)
    lrs = []
    for loss in losses:
        lr = scheduler.step(loss)
        check_type(lr, float, f"{name}: step(...)")
        lrs.append(lr)
    check_close(scheduler.lr, lrs[-1], f"{name}: the attribute `lr` after the last step", rtol=0, atol=0)
    return lrs

_rng = np.random.default_rng(7006)


def _random_losses(kind, n):
    t = np.arange(n)
    if kind == "noisy decay":           # a training curve: fast fall, then noise around a floor
        return np.exp(-t / _rng.uniform(5, 60)) + 0.2 + _rng.uniform(0.001, 0.1) * _rng.random(n)
    if kind == "random walk":           # drifts up and down, always positive
        return np.exp(np.cumsum(_rng.normal(0.0, 0.05, n)))
    if kind == "rounded":               # few distinct values: many exact ties with the best
        return np.round(np.exp(-t / 40) + 0.1 * _rng.random(n), 2) + 0.5
    if kind == "spiky":                 # a decreasing trend with rare large spikes
        return 2.0 / (1 + 0.05 * t) + 5.0 * (_rng.random(n) < 0.05) + 0.01 * _rng.random(n)
    raise ValueError(kind)


for kind in ["noisy decay", "random walk", "rounded", "spiky"]:
    for _ in range(4):
        losses = [float(v) for v in _random_losses(kind, int(_rng.integers(80, 250)))]
        kwargs = dict(lr0=float(10 ** _rng.uniform(-3, 0)),
                      factor=float(_rng.choice([0.1, 0.2, 0.5, 0.9])),
                      patience=int(_rng.choice([0, 1, 2, 3, 5, 10])),
                      threshold=float(_rng.choice([0.0, 1e-4, 1e-3, 0.01, 0.1])),
                      min_lr=float(_rng.choice([0.0, 1e-5, 1e-3])))
        name = f"ReduceOnPlateau({', '.join(f'{k}={v:.4g}' for k, v in kwargs.items())}) on a {kind} of {len(losses)} losses"
        _check_lrs(_run_plateau(losses, name, **kwargs), losses, name, **kwargs)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. One network, five learning-rate policies
#
# Three interleaved spirals; notebook 03's MLP with two hidden layers of 32 ReLU units, trained by
# minibatch SGD with `nnlib.train.train`. After each epoch `on_epoch_end` sets `sgd.lr` for the next:
# `schedule(lr0, epoch + 1, ...)`, or `scheduler.step(history["val_loss"][-1])` for conditional decay.
# Every run starts from the same weights and sees the same minibatches (the same `seed`).

# %%
X, y = datasets.spirals(rng, n_per_class=100, n_classes=3, noise=0.2)
X_train, X_val, y_train, y_val = datasets.train_val_split(X, y, val_fraction=0.25, rng=rng)


def accuracy(params, X, y):
    return float(np.mean(mlp_predict(params, X, RELU) == y))


def loss_and_grads(params, X, y):
    return mlp_loss_and_grads(params, X, y, RELU)


def fit(lr0, next_lr=None, epochs=100, seed=0, desc="training", metrics=None):
    # A fresh MLP trained with SGD from lr0; next_lr(epoch, history) -> the rate for the next epoch.
    run_rng = np.random.default_rng(seed)             # same seed: same weights, same minibatches
    params = init_mlp([2, 32, 32, 3], run_rng, he_std)
    sgd = SGD(lr=lr0)

    def on_epoch_end(epoch, history, params):
        if next_lr is not None:
            sgd.lr = next_lr(epoch, history)

    return train(params, loss_and_grads, sgd, X_train, y_train, epochs=epochs, batch_size=32,
                 rng=run_rng, validation=(X_val, y_val), metrics=metrics or {"accuracy": accuracy},
                 on_epoch_end=on_epoch_end, desc=desc)


print("train:", X_train.shape, " validation:", X_val.shape)

# %% [markdown]
# **Predict before you run.** All five runs start at $\alpha_0 = 0.5$. Before you run the next two cells,
# sketch the training loss of the constant rate and of exponential decay with $k = 0.96$ over 100 epochs:
# which is lower at epoch 20, which at epoch 100, and which is noisier late?

# %%
lr0, seed = 0.5, 4
plateau = ReduceOnPlateau(lr0, factor=0.5, patience=10)
policies = {
    "constant": None,
    "staircase": lambda epoch, h: staircase_decay(lr0, epoch + 1, 2.0, 25),
    "gradual": lambda epoch, h: gradual_decay(lr0, epoch + 1, 0.05),
    "exponential": lambda epoch, h: exponential_decay(lr0, epoch + 1, 0.96),
    "plateau": lambda epoch, h: plateau.step(h["val_loss"][-1]),
}
histories = {name: fit(lr0, next_lr, seed=seed, desc=name) for name, next_lr in policies.items()}


# %%
def column(key):
    # one curve per policy: {policy: history[key]}
    return {name: h[key] for name, h in histories.items()}


print(f"{'policy':<12} {'final lr':>9} {'train loss':>11} {'val loss':>9} {'val accuracy':>13}")
for name, h in histories.items():
    print(f"{name:<12} {h['lr'][-1]:9.4f} {h['loss'][-1]:11.3f} {h['val_loss'][-1]:9.3f} {h['val_accuracy'][-1]:13.3f}")

fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
plots.curves(axes[0], column("lr"), keys=tuple(histories), logy=True, ylabel="learning rate",
             title="The four schedules (and a constant rate)")
plots.curves(axes[1], column("loss"), keys=tuple(histories), logy=True, ylabel="training loss",
             title="Training loss")
final = [h["val_accuracy"][-1] for h in histories.values()]
axes[2].bar(list(histories), final, color=plt.rcParams["axes.prop_cycle"].by_key()["color"][:len(final)])
axes[2].set_ylim(0.5, 1.0)
axes[2].set_ylabel("validation accuracy")
axes[2].set_title("Final accuracy, after the last epoch")
fig.tight_layout()
plt.show()


# %% [markdown]
# What to look for:
#
# - **The schedules** (log axis): exponential decay is a straight line, the staircase the same trend in
#   steps; gradual decay falls fast, then flattens and keeps the largest rate late.
# - **Later** the constant rate keeps the loss jumping, with spikes where an unlucky minibatch threw the
#   network off; the decayed runs flatten out as their steps shrink.
# - **How fast to decay** matters: exponential decay with $k = 0.96$ is down to about $\alpha_0/60$ by
#   epoch 100 and has nearly stopped learning.
# - **Conditional decay** keeps $\alpha_0$ until the validation loss stops improving, then halves it.
#
# One run is one sample: over seeds 0 to 15 the constant rate's mean validation accuracy was 0.85 (from
# 0.64 to 1.00), each schedule's about 0.98.

# %% [markdown]
# ## 6. A learning rate too high to converge without decay
#
# At $\alpha_0 = 1.5$ the constant-rate network overshoots again and again; a schedule that shrinks the
# rate early gets it through the wild phase. We also count **dead units** (notebook 04's
# `dead_fraction`): hidden ReLU units that output 0 for every training sample and so never learn again.

# %%
def dead_units(params, X, y):
    # How many hidden ReLU units output 0 for every sample of X (04's dead_fraction, times the units).
    A, hidden = X, []
    for l in range(1, num_layers(params)):
        A = np.maximum(A @ params[f"W{l}"].T + params[f"b{l}"], 0)
        hidden.append(A)
    hidden = np.hstack(hidden)
    return dead_fraction(hidden) * hidden.shape[1]


lr0_high, seed_high = 1.5, 8
watch = {"accuracy": accuracy, "dead units": dead_units}
plateau_high = ReduceOnPlateau(lr0_high, factor=0.5, patience=3)
high = {
    "constant": fit(lr0_high, None, epochs=60, seed=seed_high, desc="constant", metrics=watch),
    "staircase ÷2 every 10": fit(lr0_high, lambda e, h: staircase_decay(lr0_high, e + 1, 2.0, 10),
                                 epochs=60, seed=seed_high, desc="staircase", metrics=watch),
    "exponential k = 0.9": fit(lr0_high, lambda e, h: exponential_decay(lr0_high, e + 1, 0.9),
                               epochs=60, seed=seed_high, desc="exponential", metrics=watch),
    "plateau, patience 3": fit(lr0_high, lambda e, h: plateau_high.step(h["val_loss"][-1]),
                               epochs=60, seed=seed_high, desc="plateau", metrics=watch),
}
print(f"{'policy':<24} {'train loss':>10} {'val accuracy':>13} {'dead units (of 64)':>19}")
for name, h in high.items():
    print(f"{name:<24} {h['loss'][-1]:10.3f} {h['val_accuracy'][-1]:13.3f} {h['dead units'][-1]:19.0f}")
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, {name: h["loss"] for name, h in high.items()}, keys=tuple(high), logy=True,
             ylabel="training loss", title=f"Starting at α₀ = {lr0_high}")
plt.show()

# %% [markdown]
# One step at $\alpha_0 = 1.5$ can kill a ReLU unit for good: the constant-rate network has lost most of
# its 64 hidden units, and the sooner a schedule brings the rate down, the more survive. Over seeds 0 to
# 15 the constant rate never got above 0.72 validation accuracy; exponential decay with $k = 0.9$, the
# fastest early, got above 0.9 in all 16 runs, staircase decay in 10, conditional decay in only 7.
# Conditional decay first waits for `patience` bad epochs, and often the damage is done by then: it
# fine-tunes a roughly right rate but rarely rescues one far too large.

# %% [markdown]
# ## 7. Manual decay, and where it stops being practical
#
# The slide's first item is **manual decay**: watch the loss curve and lower the rate when it stops
# improving (train some epochs, look, set `sgd.lr`, train on). Below, we trained 36 epochs at
# $\alpha = 0.5$ (so far the constant run of section 5), saw the loss only jumping around, divided the
# rate by 5, and did so again 30 epochs later.

# %%
manual_rng = np.random.default_rng(seed)       # the seed of section 5: the same start as its runs
params = init_mlp([2, 32, 32, 3], manual_rng, he_std)
sgd = SGD(lr=0.5)
manual, drops = {}, []
for epochs, lr in [(36, 0.5), (30, 0.1), (34, 0.02)]:     # picked by looking at the curve
    if manual:
        drops.append(len(manual["loss"]))          # epochs trained before this change
    sgd.lr = lr
    part = train(params, loss_and_grads, sgd, X_train, y_train, epochs=epochs, batch_size=32,
                 rng=manual_rng, validation=(X_val, y_val), metrics={"accuracy": accuracy},
                 desc=f"manual, lr={lr}")
    for key in ("loss", "val_loss", "val_accuracy", "lr"):
        manual.setdefault(key, []).extend(part[key])
print(f"manual decay: rate changed after epochs {drops}, final validation accuracy {manual['val_accuracy'][-1]:.3f}")
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, manual, keys=("loss", "val_loss"), logy=True, title="Manual decay: two drops, chosen by eye")
for epoch, change in zip(drops, ["α: 0.5 → 0.1", "α: 0.1 → 0.02"]):
    plots.mark_epoch(ax, epoch + 0.5, change)
plt.show()

# %% [markdown]
# This run takes under a second, so a person can watch it. The lecture's warning, "manual decay can only
# work with smaller models", is about when that stops being true. Below, conditional decay (`patience = 10`)
# decides when to halve the rate for four variations of the same task: other initial weights and
# minibatch orders (`seed`), and another starting rate. Each step down is a moment a person would have
# had to spot.

# %%
chosen = {}
for lr0_v, seed_v in [(0.5, 4), (0.5, 9), (1.0, 4), (0.2, 5)]:
    scheduler = ReduceOnPlateau(lr0_v, factor=0.5, patience=10)
    h = fit(lr0_v, lambda e, h: scheduler.step(h["val_loss"][-1]), seed=seed_v, desc=f"lr0={lr0_v}, seed={seed_v}")
    drops = [e for e in range(1, len(h["lr"])) if h["lr"][e] < h["lr"][e - 1]]   # epochs trained before a drop
    print(f"α₀ = {lr0_v}, seed {seed_v}: rate halved after epochs {drops}; "
          f"final validation accuracy {h['val_accuracy'][-1]:.3f}")
    chosen[f"α₀ = {lr0_v}, seed {seed_v}"] = h["lr"]
fig, ax = plt.subplots(figsize=(7, 4))
plots.curves(ax, chosen, keys=tuple(chosen), logy=True, ylabel="learning rate",
             title="When conditional decay halved the rate, run by run")
plt.show()

# %% [markdown]
# The right moments differ from run to run, even for the same network on the same data. By hand, someone
# must watch *every* run and decide *every* drop: impractical when one run takes days (a language model)
# or many runs are needed (a hyper-parameter search), each plateauing at its own time. A fixed schedule
# replaces the person with a formula; conditional decay with the person's own rule, applied in every run.

# %% [markdown]
# ## 8. Your experiment: a schedule for a fixed budget
#
# Suppose this network gets a budget of **30 epochs** from $\alpha_0 = 0.5$. The cell below trains it on
# two seeds with a constant rate and three schedules that end near $\alpha_0/10$ (gradual and exponential
# with the matched factors of section 3; the staircase dividing by $10^{1/3}$ every 10 epochs). Change it
# as you like: it is not graded; Question 2 is.

# %%
budget, final = 30, lr0 / 10
k_g, k_e = matched_decay_factors(lr0, final, budget)
budget_policies = {
    "constant": None,
    "staircase ÷10^(1/3) every 10": lambda e, h: staircase_decay(lr0, e + 1, 10 ** (1 / 3), 10),
    f"gradual k = {k_g:.2f}": lambda e, h: gradual_decay(lr0, e + 1, k_g),
    f"exponential k = {k_e:.3f}": lambda e, h: exponential_decay(lr0, e + 1, k_e),
}
for budget_seed in (4, 9):
    for name, next_lr in budget_policies.items():
        h = fit(lr0, next_lr, epochs=budget, seed=budget_seed, desc=name)
        print(f"seed {budget_seed}  {name:<30} final α {h['lr'][-1]:.3f}  train loss {h['loss'][-1]:.3f}  "
              f"val accuracy {h['val_accuracy'][-1]:.3f}")

# %% [markdown]
# ## 9. Questions from the lecture
#
# Answer in your own words, at the length each question asks. These are graded by your instructor.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_when_conditional", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 1 (2 points).** When is conditional decay ("reduce α only if and when necessary") the
# better choice than a fixed schedule such as staircase or exponential decay, and when is it not?
# Answer in two or three sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_when_conditional", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Conditional decay is better when you cannot know in advance when the loss will
# plateau: a new model or data set, or many long runs that each plateau at their own time (section 7).
# It is worse when a tuned fixed schedule is known, when the validation loss is too noisy, or when
# $\alpha_0$ is far too high: it waits `patience` bad epochs, and by then units have died (section 6).
#
# **Rubric (2 points).** 1 point for *when better*: the plateau's time is not known in advance (new model or
# data, long or many runs, section 7). 1 point for *when not*: a tuned fixed schedule is known, the
# validation loss is too noisy, or the starting rate is far too high and it reacts only after `patience`
# bad epochs (section 6). Both sides are needed for full marks.

# %% [markdown] nbgrader={"grade": false, "grade_id": "q_budget_schedule", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Question 2 (3 points, an experiment).** You may train this network for 30 epochs only. Which
# learning-rate policy do you choose, with which knob, and why? Defend the choice with numbers from your
# runs in section 8 (at least two seeds) and say what you would expect to change if the budget were
# 300 epochs instead. Answer in four or five sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "a_budget_schedule", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Staircase decay, dividing $\alpha$ by $10^{1/3}$ every 10 epochs. It beat the constant
# rate on both seeds: validation accuracy 0.933 against 0.880 on seed 4, 0.987 against 0.960 on seed 9,
# with a lower training loss each time; gradual and exponential decay lost to the constant rate on seed 9.
# In 30 epochs the decay must fit the budget: conditional decay with patience 10 might never act. With
# 300 epochs I would stretch the schedule or use conditional decay.
#
# **Rubric (3 points).** 1 point: a concrete choice (schedule and knob, e.g. exponential decay reaching
# $\alpha_0/10$ at epoch 30). 1 point: defended with the student's own figures from section 8 on at least
# two seeds (loss or accuracy against the constant rate and one other schedule), without over-reading one
# run. 1 point: reasoning about the budget: with few epochs the rate must come down *within* the budget, so
# the schedule is tied to the budget (matched final rate), and conditional decay may never trigger in 30
# epochs with patience 10; with 300 epochs a slower decay or a plateau rule has time to act. Any
# well-defended choice earns full marks; the numbers, not the choice, are graded.

# %% [markdown]
# ## What to remember
#
# > - Minibatch noise makes a constant α a compromise; decay is large early, small late.
# > - Staircase $\alpha_0/D^{\lfloor e/n\rfloor}$ (first drop at epoch $n$), gradual $\alpha_0/(1+ke)$, exponential
# >   $k^e\alpha_0$ ($k$ the base): compare them by the rate they reach at the end of the budget.
# > - Conditional decay (`ReduceLROnPlateau`) lowers α only after `patience` bad epochs: good at fine-tuning
# >   a roughly right rate, too slow to rescue one that is far too high.
# > - PyTorch: `StepLR(step_size=n, gamma=1/D)`, `LambdaLR`, `ExponentialLR(gamma=k)`, `ReduceLROnPlateau`.
#
# ## Summary
#
# You wrote staircase decay, matched gradual and exponential decay to a budget, built conditional decay,
# and saw schedules beat a constant rate and rescue one too high to converge.
#
# **Next:** `08_batch_norm` makes training less sensitive to the learning rate in the first place, by
# normalising the inputs of every layer.

# %% [markdown]
# ## How long did this take you?
#
# Write the minutes this notebook took you, reading, exercises and questions together, in the cell
# below: for example `minutes_spent = 150`. It earns no points. Your instructor turns the class's
# answers into the times the next class sees in the course map.

# %% tags=["time-spent"]
minutes_spent = None
