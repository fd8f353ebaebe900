"""07_lr_decay: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

# The three schedules as a student might write them, with the argument checks the issue asks for;
# each mistake changes one thing in them.
STAIRCASE = (
    "def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):\n"
    "    epoch = np.asarray(epoch)\n"
    "    if np.any(epoch < 0):\n"
    "        raise ValueError('epoch must be >= 0')\n"
    "    if lr0 <= 0:\n"
    "        raise ValueError('lr0 must be positive')\n"
    "    if drop_factor <= 0:\n"
    "        raise ValueError('drop_factor must be positive')\n"
    "    if epochs_per_drop < 1:\n"
    "        raise ValueError('epochs_per_drop must be >= 1')\n"
    "    lr = lr0 / drop_factor ** (epoch // epochs_per_drop)\n"
    "    return lr if epoch.ndim else float(lr)\n")
GRADUAL = (
    "def gradual_decay(lr0, epoch, decay_factor):\n"
    "    epoch = np.asarray(epoch)\n"
    "    if np.any(epoch < 0):\n"
    "        raise ValueError('epoch must be >= 0')\n"
    "    if lr0 <= 0:\n"
    "        raise ValueError('lr0 must be positive')\n"
    "    if decay_factor <= 0:\n"
    "        raise ValueError('decay_factor must be positive')\n"
    "    lr = lr0 / (1 + decay_factor * epoch)\n"
    "    return lr if epoch.ndim else float(lr)\n")
EXPONENTIAL = (
    "def exponential_decay(lr0, epoch, decay_factor):\n"
    "    epoch = np.asarray(epoch)\n"
    "    if np.any(epoch < 0):\n"
    "        raise ValueError('epoch must be >= 0')\n"
    "    if lr0 <= 0:\n"
    "        raise ValueError('lr0 must be positive')\n"
    "    if decay_factor <= 0:\n"
    "        raise ValueError('decay_factor must be positive')\n"
    "    lr = decay_factor ** epoch * lr0\n"
    "    return lr if epoch.ndim else float(lr)\n")

# ReduceOnPlateau written out as PyTorch's ReduceLROnPlateau(mode="min", threshold_mode="rel",
# cooldown=0, eps=1e-8): one line per rule, so that each mistake changes one rule.
PLATEAU = (
    "class ReduceOnPlateau:\n"
    "    eps = 1e-8\n"
    "\n"
    "    def __init__(self, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0):\n"
    "        self.lr = float(lr0)\n"
    "        self.factor, self.patience, self.threshold, self.min_lr = factor, patience, threshold, min_lr\n"
    "        self.best, self.previous, self.bad = np.inf, np.inf, 0\n"
    "\n"
    "    def step(self, val_loss):\n"
    "        if val_loss < self.best * (1 - self.threshold):\n"
    "            self.best = val_loss\n"
    "            self.bad = 0\n"
    "        else:\n"
    "            self.bad += 1\n"
    "        self.previous = val_loss\n"
    "        if self.bad > self.patience:\n"
    "            new_lr = max(self.lr * self.factor, self.min_lr)\n"
    "            if self.lr - new_lr > self.eps:\n"
    "                self.lr = new_lr\n"
    "            self.bad = 0\n"
    "        return self.lr\n")


def with_(code, old, new):
    """`code` with `old` replaced by `new` (which must occur exactly once)."""
    assert code.count(old) == 1, old
    return code.replace(old, new)


STAIR_RULE = "lr = lr0 / drop_factor ** (epoch // epochs_per_drop)\n"
PLATEAU_BETTER = "if val_loss < self.best * (1 - self.threshold):\n"

# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    "staircase_drops_one_epoch_early": ("staircase_decay", with_(
        STAIRCASE, STAIR_RULE, "lr = lr0 / drop_factor ** ((epoch + 1) // epochs_per_drop)\n"),
        {"test_staircase_decay"}, "drops one epoch early"),
    "staircase_drops_one_epoch_late": ("staircase_decay", with_(
        STAIRCASE, STAIR_RULE, "lr = lr0 / drop_factor ** ((epoch - 1) // epochs_per_drop)\n"),
        {"test_staircase_decay"}, "drops one epoch late"),
    "staircase_drops_late_from_epoch_one": ("staircase_decay", with_(
        STAIRCASE, STAIR_RULE, "lr = lr0 / drop_factor ** (np.maximum(epoch - 1, 0) // epochs_per_drop)\n"),
        {"test_staircase_decay"}, "drops one epoch late"),
    "staircase_without_floor": ("staircase_decay", with_(
        STAIRCASE, STAIR_RULE, "lr = lr0 / drop_factor ** (epoch / epochs_per_drop)\n"),
        {"test_staircase_decay"}, "not in steps"),
    "staircase_multiplies": ("staircase_decay", with_(
        STAIRCASE, STAIR_RULE, "lr = lr0 * drop_factor ** (epoch // epochs_per_drop)\n"),
        {"test_staircase_decay"}, "the rate grows"),
    "gradual_operator_precedence": ("gradual_decay", with_(
        GRADUAL, "lr0 / (1 + decay_factor * epoch)", "lr0 / 1 + decay_factor * epoch"),
        {"test_gradual_decay"}, "operator precedence"),
    "gradual_as_a_power": ("gradual_decay", with_(
        GRADUAL, "lr0 / (1 + decay_factor * epoch)", "lr0 / (1 + decay_factor) ** epoch"),
        {"test_gradual_decay"}, "(1 + decay_factor) ** epoch"),
    "exponential_as_e_to_the_minus_k_epoch": ("exponential_decay", with_(
        EXPONENTIAL, "lr = decay_factor ** epoch * lr0", "lr = lr0 * np.exp(-decay_factor * epoch)"),
        {"test_exponential_decay"}, "lr0 * e^(-decay_factor * epoch)"),
    "exponential_one_power_too_many": ("exponential_decay", with_(
        EXPONENTIAL, "lr = decay_factor ** epoch * lr0", "lr = decay_factor ** (epoch + 1) * lr0"),
        {"test_exponential_decay"}, "at epoch 0 the rate must be lr0"),
    "exponential_factor_as_the_fraction_lost": ("exponential_decay", with_(
        EXPONENTIAL, "lr = decay_factor ** epoch * lr0", "lr = (1 - decay_factor) ** epoch * lr0"),
        {"test_exponential_decay"}, "the fraction kept each epoch"),
    "staircase_without_argument_checks": ("staircase_decay", (
        "def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):\n"
        "    epoch = np.asarray(epoch)\n"
        "    lr = lr0 / drop_factor ** (epoch // epochs_per_drop)\n"
        "    return lr if epoch.ndim else float(lr)\n"),
        {"test_schedule_arguments"}, "should raise ValueError"),
    "gradual_error_without_the_argument_name": ("gradual_decay", with_(
        GRADUAL, "raise ValueError('decay_factor must be positive')", "raise ValueError('bad input')"),
        {"test_schedule_arguments"}, "should name the argument `decay_factor`"),
    "plateau_no_reset_after_a_reduction": ("ReduceOnPlateau", with_(
        PLATEAU, "                self.lr = new_lr\n            self.bad = 0\n",
        "                self.lr = new_lr\n"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"},
        "count of bad epochs was not reset to 0: wait `patience`"),
    "plateau_below_min_lr": ("ReduceOnPlateau", with_(
        PLATEAU, "new_lr = max(self.lr * self.factor, self.min_lr)", "new_lr = self.lr * self.factor"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_random"}, "went below min_lr"),
    "plateau_reduces_at_patience": ("ReduceOnPlateau", with_(
        PLATEAU, "if self.bad > self.patience:", "if self.bad >= self.patience:"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"}, "one epoch too early"),
    "plateau_compares_with_the_previous_loss": ("ReduceOnPlateau", with_(
        PLATEAU, PLATEAU_BETTER, "if val_loss < self.previous * (1 - self.threshold):\n"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"}, "previous epoch's loss"),
    "plateau_counts_all_bad_epochs": ("ReduceOnPlateau", with_(
        PLATEAU, "            self.best = val_loss\n            self.bad = 0\n",
        "            self.best = val_loss\n"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"}, "when the loss improved"),
    "plateau_absolute_threshold": ("ReduceOnPlateau", with_(
        PLATEAU, PLATEAU_BETTER, "if val_loss < self.best - self.threshold:\n"),
        {"test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"}, "absolute margin"),
    "plateau_without_threshold": ("ReduceOnPlateau", with_(
        PLATEAU, PLATEAU_BETTER, "if val_loss < self.best:\n"),
        {"test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"}, "every decrease counted"),
    "plateau_ignores_eps": ("ReduceOnPlateau", with_(
        PLATEAU, "            if self.lr - new_lr > self.eps:\n                self.lr = new_lr\n",
        "            self.lr = new_lr\n"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_random"}, "smaller than eps"),
}

CORRECT = {
    # floor division written with np.floor, a power with np.power or exp-log, other error messages
    "schedules_via_floor_power_and_exp_log": {
        "staircase_decay": (
            "def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):\n"
            "    e = np.array(epoch)\n"
            "    if (e < 0).any(): raise ValueError(f'negative epoch: {epoch}')\n"
            "    if not lr0 > 0: raise ValueError('lr0: a positive rate is needed')\n"
            "    if not drop_factor > 0: raise ValueError('drop_factor: must be > 0')\n"
            "    if not epochs_per_drop >= 1: raise ValueError('epochs_per_drop: must be >= 1')\n"
            "    drops = np.floor(e / epochs_per_drop)\n"
            "    lr = np.divide(lr0, np.power(float(drop_factor), drops))\n"
            "    return lr.item() if e.ndim == 0 else lr\n"),
        "gradual_decay": (
            "def gradual_decay(lr0, epoch, decay_factor):\n"
            "    e = np.array(epoch, dtype=np.float64)\n"
            "    for name, bad in [('epoch', (e < 0).any()), ('lr0', lr0 <= 0), ('decay_factor', decay_factor <= 0)]:\n"
            "        if bad:\n"
            "            raise ValueError(f'invalid {name}')\n"
            "    lr = lr0 * np.reciprocal(1.0 + decay_factor * e)\n"
            "    return lr.item() if e.ndim == 0 else lr\n"),
        "exponential_decay": (
            "import math\n"
            "def exponential_decay(lr0, epoch, decay_factor):\n"
            "    e = np.asarray(epoch)\n"
            "    if e.min() < 0: raise ValueError('epoch must not be negative')\n"
            "    if lr0 <= 0: raise ValueError('lr0 must be positive')\n"
            "    if decay_factor <= 0: raise ValueError('decay_factor must be positive')\n"
            "    lr = lr0 * np.exp(e * math.log(decay_factor))\n"
            "    return float(lr) if e.ndim == 0 else lr\n"),
    },
    # no best-so-far infinity, a counter compared with patience + 1, the threshold written as
    # best - threshold * |best| (the same for the non-negative losses of a validation set)
    "plateau_with_none_and_a_countdown": {
        "ReduceOnPlateau": (
            "class ReduceOnPlateau:\n"
            "    eps = 1e-8\n"
            "\n"
            "    def __init__(self, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0):\n"
            "        self.lr, self.factor, self.patience = float(lr0), factor, patience\n"
            "        self.threshold, self.min_lr = threshold, min_lr\n"
            "        self.best, self.since_best = None, 0\n"
            "\n"
            "    def step(self, val_loss):\n"
            "        if self.best is None or val_loss < self.best - self.threshold * abs(self.best):\n"
            "            self.best, self.since_best = val_loss, 0\n"
            "            return self.lr\n"
            "        self.since_best += 1\n"
            "        if self.since_best == self.patience + 1:\n"
            "            self.since_best = 0\n"
            "            target = max(self.lr * self.factor, self.min_lr)\n"
            "            if self.lr - target > self.eps:\n"
            "                self.lr = target\n"
            "        return self.lr\n"),
    },
    # the whole history kept; the rules applied to the last loss
    "plateau_from_a_history": {
        "ReduceOnPlateau": (
            "class ReduceOnPlateau:\n"
            "    eps = 1e-8\n"
            "\n"
            "    def __init__(self, lr0, factor=0.1, patience=10, threshold=1e-4, min_lr=0.0):\n"
            "        self.lr = float(lr0)\n"
            "        self.settings = dict(factor=factor, patience=patience, threshold=threshold, min_lr=min_lr)\n"
            "        self.losses, self.bests, self.last_reset = [], [float('inf')], 0\n"
            "\n"
            "    def step(self, val_loss):\n"
            "        s = self.settings\n"
            "        self.losses.append(float(val_loss))\n"
            "        improved = self.losses[-1] < self.bests[-1] * (1.0 - s['threshold'])\n"
            "        self.bests.append(self.losses[-1] if improved else self.bests[-1])\n"
            "        if improved:\n"
            "            self.last_reset = len(self.losses)\n"
            "        elif len(self.losses) - self.last_reset > s['patience']:\n"
            "            new_lr = max(self.lr * s['factor'], s['min_lr'])\n"
            "            self.lr = new_lr if self.lr - new_lr > self.eps else self.lr\n"
            "            self.last_reset = len(self.losses)\n"
            "        return self.lr\n"),
    },
}

#: Each mistake's hint must show in every cell it fails.
HINT_IN_EVERY_CELL = True
