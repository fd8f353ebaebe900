"""02_cross_entropy: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

CE = "def cross_entropy(P, Q, axis=-1):\n"
SCE = "def softmax_cross_entropy(Z, Y):\n    N, C = Z.shape\n"
GRAD = "def softmax_cross_entropy_grad(Z, Y):\n    N, C = Z.shape\n"
LCG = "def linear_classifier_loss_and_grads(X, Y, W, b):\n"
CD = "def centred_difference(f, theta, index, h=1e-5):\n"
MASKED_TERMS = (
    "    mask = P > 0\n"
    "    terms = np.where(mask, P * np.log(np.where(mask, Q, 1.0)), 0.0)\n")
TO_ONE_HOT = "    if Y.ndim == 1:\n        Y = one_hot(Y, C)\n"

# Later functions build on earlier ones (as a student's do), so a mistake also costs the
# cells of the functions that call it; the hint is shown in the function's own cell.
SCE_CELLS = {"test_softmax_cross_entropy_labels", "test_softmax_cross_entropy_soft", "test_softmax_cross_entropy_stable"}
LCG_CELLS = {"test_linear_classifier_loss_and_grads"}
GRAD_CELLS = {"test_softmax_cross_entropy_grad"} | LCG_CELLS


# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # cross_entropy
    "cross_entropy_nan_where_p_is_zero": ("cross_entropy", CE + "    return -np.sum(P * np.log(Q), axis=axis)\n",
        {"test_cross_entropy"}, "0 * log(0) = 0 * -inf gave nan"),
    "cross_entropy_without_minus": ("cross_entropy", CE + MASKED_TERMS + "    return np.sum(terms, axis=axis)\n",
        {"test_cross_entropy"}, "the minus sign is missing"),
    "cross_entropy_over_whole_array": ("cross_entropy", CE + MASKED_TERMS + "    return -np.sum(terms)\n",
        {"test_cross_entropy"}, "summed over the whole array"),
    "cross_entropy_ignores_axis": ("cross_entropy", CE + MASKED_TERMS + "    return -np.sum(terms, axis=-1)\n",
        {"test_cross_entropy"}, "the `axis` argument was ignored"),
    # softmax_cross_entropy
    "sce_summed_not_averaged": ("softmax_cross_entropy", SCE + TO_ONE_HOT + (
        "    return float(-np.sum(Y * log_softmax(Z)))\n"),
        SCE_CELLS | LCG_CELLS, "this is the summed cost"),
    "sce_averaged_over_all_entries": ("softmax_cross_entropy", SCE + TO_ONE_HOT + (
        "    return float(-np.mean(Y * log_softmax(Z)))\n"),
        SCE_CELLS | LCG_CELLS, "divided by N * C"),
    "sce_log_of_naive_softmax": ("softmax_cross_entropy", SCE + TO_ONE_HOT + (
        "    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n"
        "    return float(-np.sum(Y * np.log(P)) / N)\n"),
        {"test_softmax_cross_entropy_stable"}, "log of an unstably computed softmax"),
    "sce_log_of_stable_softmax": ("softmax_cross_entropy", SCE + TO_ONE_HOT + (
        "    return float(-np.sum(Y * np.log(softmax(Z))) / N)\n"),
        {"test_softmax_cross_entropy_stable"}, "log of an unstably computed softmax"),
    "sce_via_cross_entropy_of_softmax": ("softmax_cross_entropy", SCE + TO_ONE_HOT + (
        "    return float(np.mean(cross_entropy(Y, softmax(Z))))\n"),
        {"test_softmax_cross_entropy_stable"}, "log of an unstably computed softmax"),
    "sce_soft_labels_collapsed_to_argmax": ("softmax_cross_entropy", SCE + (
        "    if Y.ndim == 2:\n"
        "        Y = Y.argmax(axis=1)\n"
        "    return float(-log_softmax(Z)[np.arange(N), Y].mean())\n"),
        {"test_softmax_cross_entropy_soft", "test_softmax_cross_entropy_stable",
         "test_linear_classifier_loss_and_grads"}, "collapsed to their argmax"),
    # softmax_cross_entropy_grad
    "grad_missing_1_over_N": ("softmax_cross_entropy_grad", GRAD + TO_ONE_HOT + (
        "    return (softmax(Z) - Y).astype(Z.dtype)\n"),
        GRAD_CELLS, "N times too large"),
    "grad_sign_flipped": ("softmax_cross_entropy_grad", GRAD + TO_ONE_HOT + (
        "    return ((Y - softmax(Z)) / N).astype(Z.dtype)\n"),
        GRAD_CELLS, "the sign is flipped"),
    "grad_soft_labels_collapsed_to_argmax": ("softmax_cross_entropy_grad", GRAD + (
        "    if Y.ndim == 2:\n"
        "        Y = Y.argmax(axis=1)\n"
        "    return ((softmax(Z) - np.eye(C)[Y]) / N).astype(Z.dtype)\n"),
        {"test_softmax_cross_entropy_grad", "test_linear_classifier_loss_and_grads"}, "collapsed to their argmax"),
    "grad_float64_for_float32_logits": ("softmax_cross_entropy_grad", GRAD + TO_ONE_HOT + (
        "    return (softmax(Z) - Y) / N\n"),
        {"test_softmax_cross_entropy_grad", "test_linear_classifier_loss_and_grads"}, "expected dtype float32"),
    # linear_classifier_loss_and_grads
    "dW_transposed": ("linear_classifier_loss_and_grads", LCG + (
        "    Z = X @ W.T + b\n"
        "    dZ = softmax_cross_entropy_grad(Z, Y)\n"
        "    return softmax_cross_entropy(Z, Y), X.T @ dZ, dZ.sum(axis=0)\n"),
        LCG_CELLS, "dW is transposed"),
    "db_summed_over_classes": ("linear_classifier_loss_and_grads", LCG + (
        "    Z = X @ W.T + b\n"
        "    dZ = softmax_cross_entropy_grad(Z, Y)\n"
        "    return softmax_cross_entropy(Z, Y), dZ.T @ X, dZ.sum(axis=1)\n"),
        LCG_CELLS, "db was summed over the classes"),
    "logits_without_bias": ("linear_classifier_loss_and_grads", LCG + (
        "    Z = X @ W.T\n"
        "    dZ = softmax_cross_entropy_grad(Z, Y)\n"
        "    return softmax_cross_entropy(Z, Y), dZ.T @ X, dZ.sum(axis=0)\n"),
        LCG_CELLS, "the bias b was left out"),
    # centred_difference
    "centred_difference_one_sided": ("centred_difference", CD + (
        "    old = theta[index]\n"
        "    f0 = f(theta)\n"
        "    theta[index] = old + h\n"
        "    f_plus = f(theta)\n"
        "    theta[index] = old\n"
        "    return float((f_plus - f0) / h)\n"),
        {"test_centred_difference"}, "one-sided difference"),
    "centred_difference_over_h": ("centred_difference", CD + (
        "    old = theta[index]\n"
        "    theta[index] = old + h\n"
        "    f_plus = f(theta)\n"
        "    theta[index] = old - h\n"
        "    f_minus = f(theta)\n"
        "    theta[index] = old\n"
        "    return float((f_plus - f_minus) / h)\n"),
        {"test_centred_difference"}, "twice too large"),
    "centred_difference_theta_not_restored": ("centred_difference", CD + (
        "    old = theta[index]\n"
        "    theta[index] = old + h\n"
        "    f_plus = f(theta)\n"
        "    theta[index] = old - h\n"
        "    f_minus = f(theta)\n"
        "    return float((f_plus - f_minus) / (2 * h))\n"),
        {"test_centred_difference"}, "put the entry back"),
    "centred_difference_moves_every_entry": ("centred_difference", CD + (
        "    return float((f(theta + h) - f(theta - h)) / (2 * h))\n"),
        {"test_centred_difference"}, "every entry of theta was moved"),
}

CORRECT = {
    "sce_indexing_grad_in_place_centred_difference_with_copies": {
        "centred_difference": CD + (
            "    step = np.zeros_like(theta)\n"
            "    step[index] = h\n"
            "    return float(f(theta + step) - f(theta - step)) / (2 * h)\n"),
        "softmax_cross_entropy": SCE + (
            "    log_P = log_softmax(Z)\n"
            "    if Y.ndim == 1:\n"
            "        return -log_P[np.arange(N), Y].mean()\n"
            "    return -(Y * log_P).sum(axis=1).mean()\n"),
        "softmax_cross_entropy_grad": GRAD + (
            "    dZ = softmax(Z)\n"
            "    if Y.ndim == 1:\n"
            "        dZ[np.arange(N), Y] -= 1\n"
            "    else:\n"
            "        dZ = dZ - Y\n"
            "    return dZ / N\n"),
    },
    "cross_entropy_log_where_einsum_grads": {
        "cross_entropy": CE + (
            "    P, Q = np.broadcast_arrays(P, Q)\n"
            "    log_Q = np.zeros_like(Q)\n"
            "    np.log(Q, out=log_Q, where=P > 0)\n"
            "    return -np.sum(P * log_Q, axis=axis)\n"),
        "linear_classifier_loss_and_grads": LCG + (
            "    Z = np.einsum('nd,cd->nc', X, W) + b\n"
            "    dZ = softmax_cross_entropy_grad(Z, Y)\n"
            "    return softmax_cross_entropy(Z, Y), np.einsum('nc,nd->cd', dZ, X), np.einsum('nc->c', dZ)\n"),
    },
}

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "centred_difference": {"single": "theta is one parameter array, not a batch of rows"},
}
