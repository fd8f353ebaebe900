"""07_lr_decay: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

# staircase_decay as a student might write it; each mistake changes one thing in it.
STAIRCASE = (
    "def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):\n"
    "    epoch = np.asarray(epoch)\n"
    "    lr = lr0 / drop_factor ** (epoch // epochs_per_drop)\n"
    "    return lr if epoch.ndim else float(lr)\n")
MATCHED = (
    "def matched_decay_factors(lr0, lr_final, epochs):\n"
    "    k_gradual = (lr0 / lr_final - 1) / epochs\n"
    "    k_exponential = (lr_final / lr0) ** (1 / epochs)\n"
    "    return k_gradual, k_exponential\n")
K_GRADUAL = "k_gradual = (lr0 / lr_final - 1) / epochs\n"
K_EXP = "k_exponential = (lr_final / lr0) ** (1 / epochs)\n"

# ReduceOnPlateau written out as PyTorch's ReduceLROnPlateau(mode="min", threshold_mode="rel",
# cooldown=0) without its eps skip rule: one line per rule, so that each mistake changes one rule.
PLATEAU = (
    "class ReduceOnPlateau:\n"
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
    "            self.lr = max(self.lr * self.factor, self.min_lr)\n"
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
    "matched_gradual_without_the_one": ("matched_decay_factors", with_(
        MATCHED, K_GRADUAL, "k_gradual = lr0 / lr_final / epochs\n"),
        {"test_matched_decay_factors"}, "the 1 in gradual decay's denominator"),
    "matched_exponential_root_upside_down": ("matched_decay_factors", with_(
        MATCHED, K_EXP, "k_exponential = (lr0 / lr_final) ** (1 / epochs)\n"),
        {"test_matched_decay_factors"}, "upside down"),
    "matched_exponential_divided_not_rooted": ("matched_decay_factors", with_(
        MATCHED, K_EXP, "k_exponential = lr_final / lr0 / epochs\n"),
        {"test_matched_decay_factors"}, "a product"),
    "matched_exponential_as_a_rate_constant": ("matched_decay_factors", with_(
        MATCHED, K_EXP, "k_exponential = np.log(lr0 / lr_final) / epochs\n"),
        {"test_matched_decay_factors"}, "the base of the"),
    "plateau_no_reset_after_a_reduction": ("ReduceOnPlateau", with_(
        PLATEAU, "            self.lr = max(self.lr * self.factor, self.min_lr)\n            self.bad = 0\n",
        "            self.lr = max(self.lr * self.factor, self.min_lr)\n"),
        {"test_reduce_on_plateau_min_lr", "test_reduce_on_plateau_patience", "test_reduce_on_plateau_random"},
        "count of bad epochs was not reset to 0: wait `patience`"),
    "plateau_below_min_lr": ("ReduceOnPlateau", with_(
        PLATEAU, "self.lr = max(self.lr * self.factor, self.min_lr)", "self.lr = self.lr * self.factor"),
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
}

CORRECT = {
    # floor division written with np.floor, a power with np.power; logs for the matched factors
    "staircase_via_floor_power_and_matched_via_logs": {
        "staircase_decay": (
            "def staircase_decay(lr0, epoch, drop_factor, epochs_per_drop):\n"
            "    e = np.array(epoch)\n"
            "    drops = np.floor(e / epochs_per_drop)\n"
            "    lr = np.divide(lr0, np.power(float(drop_factor), drops))\n"
            "    return lr.item() if e.ndim == 0 else lr\n"),
        "matched_decay_factors": (
            "import math\n"
            "def matched_decay_factors(lr0, lr_final, epochs):\n"
            "    k_g = (lr0 - lr_final) / (lr_final * epochs)\n"
            "    k_e = math.exp((math.log(lr_final) - math.log(lr0)) / epochs)\n"
            "    return (k_g, k_e)\n"),
    },
    # no best-so-far infinity, a counter compared with patience + 1, the threshold written as
    # best - threshold * |best| (the same for the non-negative losses of a validation set)
    "plateau_with_none_and_a_countdown": {
        "ReduceOnPlateau": (
            "class ReduceOnPlateau:\n"
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
            "            self.lr = max(self.lr * self.factor, self.min_lr)\n"
            "        return self.lr\n"),
    },
    # the whole history kept; the rules applied to the last loss
    "plateau_from_a_history": {
        "ReduceOnPlateau": (
            "class ReduceOnPlateau:\n"
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
            "            self.lr = new_lr\n"
            "            self.last_reset = len(self.losses)\n"
            "        return self.lr\n"),
    },
}

#: Each mistake's hint must show in every cell it fails.
HINT_IN_EVERY_CELL = True

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "staircase_decay": {"single": "it works entry by entry on an array of epochs: there is no batch axis to drop"},
}
