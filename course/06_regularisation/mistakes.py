"""06_regularisation: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

L2 = "def l2_penalty(weights, lam, N):\n"
L2_WEIGHTS = (
    "    if isinstance(weights, dict):\n"
    "        weights = [v for k, v in weights.items() if k.startswith('W')]\n")
FORWARD = "def dropout_forward(A, keep_prob, rng, train=True):\n"
BACKWARD = "def dropout_backward(dout, mask, keep_prob):\n"


def early_stopping(improves="val_loss < self.best_loss - self.min_delta",
                   keep="copy.deepcopy(params)", stop="self.wait >= self.patience",
                   reset="self.wait = 0", first_epoch=0, copy_every_step=False):
    """The reference EarlyStopping with one piece swapped for a mistake."""
    return (
        "class EarlyStopping:\n"
        "    def __init__(self, patience, min_delta=0.0):\n"
        "        self.patience, self.min_delta = patience, min_delta\n"
        "        self.best_loss, self.best_epoch, self.best_params = np.inf, None, None\n"
        f"        self.epoch, self.wait = {first_epoch}, 0\n"
        "    def step(self, val_loss, params):\n"
        + (f"        self.best_params = {keep}\n" if copy_every_step else "")
        + f"        if {improves}:\n"
        "            self.best_loss, self.best_epoch = val_loss, self.epoch\n"
        + ("" if copy_every_step else f"            self.best_params = {keep}\n")
        + f"            {reset}\n"
        "        else:\n"
        "            self.wait += 1\n"
        "        self.epoch += 1\n"
        f"        return {stop}\n")


# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    "l2_biases_penalised": ("l2_penalty", L2 + (
        "    if isinstance(weights, dict):\n"
        "        weights = list(weights.values())\n"
        "    return lam / (2 * N) * sum(np.sum(W ** 2) for W in weights)\n"),
        {"test_l2_penalty_params_dict"}, "the biases were penalised too"),
    "l2_half_forgotten": ("l2_penalty", L2 + L2_WEIGHTS + (
        "    return lam / N * sum(np.sum(W ** 2) for W in weights)\n"),
        {"test_l2_penalty", "test_l2_penalty_params_dict"}, "the 1/2 is missing"),
    "l2_one_over_m_forgotten": ("l2_penalty", L2 + L2_WEIGHTS + (
        "    return lam / 2 * sum(np.sum(W ** 2) for W in weights)\n"),
        {"test_l2_penalty", "test_l2_penalty_params_dict"}, "the 1/N is missing"),
    "l2_norm_not_squared": ("l2_penalty", L2 + L2_WEIGHTS + (
        "    return lam / (2 * N) * sum(np.linalg.norm(W) for W in weights)\n"),
        {"test_l2_penalty", "test_l2_penalty_params_dict"}, "not squared"),
    "dropout_without_rescale": ("dropout_forward", FORWARD + (
        "    if not train:\n"
        "        return A, None\n"
        "    mask = rng.random(A.shape) < keep_prob\n"
        "    return A * mask, mask\n"),
        {"test_dropout_forward", "test_dropout_forward_random"}, "without the 1/keep_prob rescale"),
    "dropout_keep_prob_as_drop_prob": ("dropout_forward", FORWARD + (
        "    if not train:\n"
        "        return A, None\n"
        "    mask = rng.random(A.shape) < 1 - keep_prob\n"
        "    return A * mask / keep_prob, mask\n"),
        {"test_dropout_forward", "test_dropout_forward_random"}, "keep_prob was used as the drop probability"),
    "dropout_mask_of_dropped_units": ("dropout_forward", FORWARD + (
        "    if not train:\n"
        "        return A, None\n"
        "    dropped = rng.random(A.shape) >= keep_prob\n"
        "    return A * ~dropped / keep_prob, dropped\n"),
        {"test_dropout_forward", "test_dropout_forward_random"}, "1 where a unit is KEPT"),
    "dropout_at_test_time": ("dropout_forward", FORWARD + (
        "    mask = rng.random(A.shape) < keep_prob\n"
        "    return A * mask / keep_prob, mask\n"),
        {"test_dropout_forward_eval"}, "dropout applied at test time"),
    "dropout_scaled_at_test_time": ("dropout_forward", FORWARD + (
        "    if not train:\n"
        "        return A * keep_prob, None\n"
        "    mask = rng.random(A.shape) < keep_prob\n"
        "    return A * mask / keep_prob, mask\n"),
        {"test_dropout_forward_eval"}, "rescaled at test time"),
    "dropout_global_random_state": ("dropout_forward", FORWARD + (
        "    if not train:\n"
        "        return A, None\n"
        "    mask = np.random.random_sample(A.shape) < keep_prob\n"
        "    return A * mask / keep_prob, mask\n"),
        {"test_dropout_forward_random"}, "draw the mask from `rng`"),
    "dropout_backward_new_mask": ("dropout_backward", BACKWARD + (
        "    new_mask = np.random.default_rng(0).random(dout.shape) < keep_prob\n"
        "    return dout * new_mask / keep_prob\n"),
        {"test_dropout_backward"}, "do not draw a new one"),
    "dropout_backward_without_rescale": ("dropout_backward", BACKWARD + "    return dout * mask\n",
        {"test_dropout_backward"}, "without the 1/keep_prob rescale"),
    "dropout_backward_drop_prob": ("dropout_backward", BACKWARD + "    return dout * mask / (1 - keep_prob)\n",
        {"test_dropout_backward"}, "keep_prob used as the drop probability"),
    "early_stopping_returns_last_params": ("EarlyStopping", early_stopping(copy_every_step=True),
        {"test_early_stopping_best_params"}, "handed back the last parameters"),
    "early_stopping_shallow_copy": ("EarlyStopping", early_stopping(keep="dict(params)"),
        {"test_early_stopping_best_params"}, "updated in place"),
    "early_stopping_one_epoch_late": ("EarlyStopping", early_stopping(stop="self.wait > self.patience"),
        {"test_early_stopping_min_delta", "test_early_stopping_patience"}, "not when it exceeds it"),
    "early_stopping_count_not_reset": ("EarlyStopping", early_stopping(reset="pass"),
        {"test_early_stopping_min_delta", "test_early_stopping_patience"}, "reset the count"),
    "early_stopping_ignores_min_delta": ("EarlyStopping", early_stopping(improves="val_loss < self.best_loss"),
        {"test_early_stopping_min_delta"}, "min_delta was ignored"),
    "early_stopping_epochs_from_one": ("EarlyStopping", early_stopping(first_epoch=1),
        {"test_early_stopping_best_params", "test_early_stopping_min_delta", "test_early_stopping_patience"}, "counts from 1"),
}

CORRECT = {
    "l2_with_norms_and_ndim_filter": {
        "l2_penalty": L2 + (
            "    if isinstance(weights, dict):\n"
            "        weights = [v for v in weights.values() if np.ndim(v) == 2]\n"
            "    return float(lam * sum(np.linalg.norm(W) ** 2 for W in weights) / (2 * N))\n")},
    "dropout_binomial_where_and_copy_per_array": {
        "dropout_forward": FORWARD + (
            "    if train:\n"
            "        mask = rng.binomial(1, keep_prob, size=A.shape).astype(A.dtype)\n"
            "        return A * (mask / A.dtype.type(keep_prob)), mask\n"
            "    return A, None\n"),
        "dropout_backward": BACKWARD + "    return np.where(mask, dout / keep_prob, 0)\n",
        "EarlyStopping": (
            "class EarlyStopping:\n"
            "    def __init__(self, patience, min_delta=0.0):\n"
            "        self.patience = patience\n"
            "        self.min_delta = min_delta\n"
            "        self.best_loss = float('inf')\n"
            "        self.best_epoch = None\n"
            "        self.best_params = None\n"
            "        self.history = []\n"
            "        self.bad_epochs = 0\n"
            "    def step(self, val_loss, params):\n"
            "        self.history.append(val_loss)\n"
            "        if not val_loss < self.best_loss - self.min_delta:\n"
            "            self.bad_epochs += 1\n"
            "            return self.bad_epochs >= self.patience\n"
            "        self.best_loss = val_loss\n"
            "        self.best_epoch = len(self.history) - 1\n"
            "        self.best_params = {k: np.array(v, copy=True) for k, v in params.items()}\n"
            "        self.bad_epochs = 0\n"
            "        return False\n")},
}

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "l2_penalty": {"square": "the sum of squares is the same for W and its transpose"},
}
