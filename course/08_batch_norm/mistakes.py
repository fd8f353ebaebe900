"""08_batch_norm: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

FORWARD_SIGNATURE = (
    "def batchnorm_forward(Z, gamma, beta, state, train=True, momentum=0.1, eps=1e-5):\n"
    '    """Batch normalisation, as torch.nn.BatchNorm1d."""\n')
BACKWARD_SIGNATURE = (
    "def batchnorm_backward(dout, cache):\n"
    '    """Gradients of batch normalisation."""\n')

# The reference forward pass, written out so that each mistake changes one thing in it. Its cache,
# (Z_hat, gamma, inv_std, train), is what the reference backward pass reads.
FORWARD = FORWARD_SIGNATURE + (
    "    if train:\n"
    "        N = Z.shape[0]\n"
    "        if N < 2:\n"
    "            raise ValueError('more than one sample per feature needed in training mode')\n"
    "        mean = Z.mean(axis=0)\n"
    "        var = Z.var(axis=0)\n"
    "        state['running_mean'] = (1 - momentum) * state['running_mean'] + momentum * mean\n"
    "        state['running_var'] = (1 - momentum) * state['running_var'] + momentum * var * (N / (N - 1))\n"
    "    else:\n"
    "        mean, var = state['running_mean'], state['running_var']\n"
    "    inv_std = 1 / np.sqrt(var + eps)\n"
    "    Z_hat = (Z - mean) * inv_std\n"
    "    return gamma * Z_hat + beta, (Z_hat, gamma, inv_std, train)\n")


def forward_with(old, new):
    """The reference forward pass with `old` replaced by `new` (which must occur exactly once)."""
    assert FORWARD.count(old) == 1, old
    return FORWARD.replace(old, new)


BACKWARD = BACKWARD_SIGNATURE + (
    "    Z_hat, gamma, inv_std, train = cache\n"
    "    dbeta = dout.sum(axis=0)\n"
    "    dgamma = (dout * Z_hat).sum(axis=0)\n"
    "    h = dout * gamma\n"
    "    if train:\n"
    "        h = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)\n"
    "    return h * inv_std, dgamma, dbeta\n")


ALT = (
    "def batchnorm_backward_alt(dout, Z_hat, gamma, std):\n"
    "    h = dout * gamma\n"
    "    dZ = (h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / std\n"
    "    return dZ, (dout * Z_hat).sum(axis=0), dout.sum(axis=0)\n")
ALT_LINE = "dZ = (h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)) / std"


def alt_with(new_line):
    return ALT.replace(ALT_LINE, new_line)


def backward_with(old, new):
    assert BACKWARD.count(old) == 1, old
    return BACKWARD.replace(old, new)


# name -> (solution cells and their code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    "running_stats_used_while_training": ({"batchnorm_forward": forward_with(
        "        mean = Z.mean(axis=0)\n        var = Z.var(axis=0)\n",
        "        mean, var = state['running_mean'], state['running_var']\n"
        "        batch_mean, batch_var = Z.mean(axis=0), Z.var(axis=0)\n").replace(
        "momentum * mean\n", "momentum * batch_mean\n").replace(
        "momentum * var * (N", "momentum * batch_var * (N")},
        {"test_batchnorm_backward", "test_batchnorm_train_output"}, "normalised with the running statistics"),
    "normalised_over_the_wrong_axis": ({"batchnorm_forward": forward_with(
        "        mean = Z.mean(axis=0)\n        var = Z.var(axis=0)\n",
        "        mean = Z.mean(axis=1, keepdims=True)\n        var = Z.var(axis=1, keepdims=True)\n")},
        {"test_batchnorm_backward", "test_batchnorm_running_stats", "test_batchnorm_train_output"}, "normalised over the wrong axis"),
    "normalised_with_the_unbiased_variance": ({"batchnorm_forward": forward_with(
        "        var = Z.var(axis=0)\n", "        var = Z.var(axis=0, ddof=1)\n").replace(
        "momentum * var * (N / (N - 1))", "momentum * var")},
        {"test_batchnorm_backward", "test_batchnorm_train_output"}, "normalised with the unbiased variance"),
    "eps_outside_the_square_root": ({"batchnorm_forward": forward_with(
        "inv_std = 1 / np.sqrt(var + eps)", "inv_std = 1 / (np.sqrt(var) + eps)")},
        {"test_batchnorm_backward", "test_batchnorm_backward_eval", "test_batchnorm_eval_mode", "test_batchnorm_train_output"}, "eps was added outside the square root"),
    "momentum_convention_reversed": ({"batchnorm_forward": forward_with(
        "(1 - momentum) * state['running_mean'] + momentum * mean",
        "momentum * state['running_mean'] + (1 - momentum) * mean").replace(
        "(1 - momentum) * state['running_var'] + momentum * var",
        "momentum * state['running_var'] + (1 - momentum) * var")},
        {"test_batchnorm_running_stats"}, "momentum convention is reversed"),
    "biased_variance_in_the_running_estimate": ({"batchnorm_forward": forward_with(
        "momentum * var * (N / (N - 1))", "momentum * var")},
        {"test_batchnorm_running_stats"}, "updated with the biased batch variance"),
    "state_rebound_instead_of_updated": ({"batchnorm_forward": forward_with(
        "        state['running_mean'] = (1 - momentum) * state['running_mean'] + momentum * mean\n"
        "        state['running_var'] = (1 - momentum) * state['running_var'] + momentum * var * (N / (N - 1))\n",
        "        state = {'running_mean': (1 - momentum) * state['running_mean'] + momentum * mean,\n"
        "                 'running_var': (1 - momentum) * state['running_var'] + momentum * var * N / (N - 1)}\n")},
        {"test_batchnorm_running_stats"}, "state was not updated"),
    "batch_statistics_in_evaluation_mode": ({"batchnorm_forward": forward_with(
        "        mean, var = state['running_mean'], state['running_var']\n",
        "        mean, var = Z.mean(axis=0), Z.var(axis=0)\n")},
        {"test_batchnorm_backward_eval", "test_batchnorm_eval_mode"}, "evaluation mode normalised with the batch statistics"),
    "running_statistics_updated_in_evaluation_mode": ({"batchnorm_forward": forward_with(
        "        mean, var = state['running_mean'], state['running_var']\n",
        "        mean, var = state['running_mean'], state['running_var']\n"
        "        N = Z.shape[0]\n"
        "        if N > 1:\n"
        "            state['running_mean'] = (1 - momentum) * mean + momentum * Z.mean(axis=0)\n"
        "            state['running_var'] = (1 - momentum) * var + momentum * Z.var(axis=0, ddof=1)\n")},
        {"test_batchnorm_eval_mode"}, "evaluation mode changed the running statistics"),
    "no_value_error_for_a_single_example": ({"batchnorm_forward": forward_with(
        "        if N < 2:\n"
        "            raise ValueError('more than one sample per feature needed in training mode')\n", "").replace(
        "var * (N / (N - 1))", "var * N / (N - 1)")},
        {"test_batchnorm_eval_mode"}, "should raise ValueError"),
    "forward_loops_over_features": ({"batchnorm_forward": FORWARD_SIGNATURE + (
        "    N, D = Z.shape\n"
        "    if train and N < 2:\n"
        "        raise ValueError('more than one sample per feature needed in training mode')\n"
        "    out, Z_hat, inv_std = np.empty_like(Z), np.empty_like(Z), np.empty_like(gamma)\n"
        "    for j in range(D):\n"
        "        if train:\n"
        "            m, v = Z[:, j].mean(), Z[:, j].var()\n"
        "            state['running_mean'][j] = (1 - momentum) * state['running_mean'][j] + momentum * m\n"
        "            state['running_var'][j] = (1 - momentum) * state['running_var'][j] + momentum * v * N / (N - 1)\n"
        "        else:\n"
        "            m, v = state['running_mean'][j], state['running_var'][j]\n"
        "        inv_std[j] = 1 / np.sqrt(v + eps)\n"
        "        Z_hat[:, j] = (Z[:, j] - m) * inv_std[j]\n"
        "        out[:, j] = gamma[j] * Z_hat[:, j] + beta[j]\n"
        "    return out, (Z_hat, gamma, inv_std, train)\n")},
        {"test_batchnorm_vectorised"}, "looks like a Python loop over the features"),
    "backward_without_the_mean_and_variance_terms": ({"batchnorm_backward": backward_with(
        "    if train:\n        h = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)\n", "")},
        {"test_batchnorm_backward"}, "add the terms through the mean and the variance"),
    "backward_without_the_variance_term": ({"batchnorm_backward": backward_with(
        "h = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)", "h = h - h.mean(axis=0)")},
        {"test_batchnorm_backward"}, "missing the term through the variance"),
    "backward_without_the_mean_term": ({"batchnorm_backward": backward_with(
        "h = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)", "h = h - Z_hat * (h * Z_hat).mean(axis=0)")},
        {"test_batchnorm_backward"}, "missing the term through the mean"),
    "backward_without_gamma": ({"batchnorm_backward": backward_with("h = dout * gamma", "h = dout")},
        {"test_batchnorm_backward", "test_batchnorm_backward_eval"}, "dZ ignores gamma"),
    "backward_training_formula_in_evaluation_mode": ({"batchnorm_backward": backward_with(
        "    if train:\n        h = h - h.mean", "    if True:\n        h = h - h.mean")},
        {"test_batchnorm_backward_eval"}, "in evaluation mode the running statistics are constants"),
    "dgamma_times_Z_instead_of_Z_hat": ({
        "batchnorm_forward": forward_with("(Z_hat, gamma, inv_std, train)", "(Z_hat, gamma, inv_std, train, Z)"),
        "batchnorm_backward": backward_with(
            "    Z_hat, gamma, inv_std, train = cache\n", "    Z_hat, gamma, inv_std, train, Z = cache\n").replace(
            "dgamma = (dout * Z_hat).sum(axis=0)", "dgamma = (dout * Z).sum(axis=0)")},
        {"test_batchnorm_backward", "test_batchnorm_backward_eval"}, "dgamma must sum dout times the normalised input"),
    "backward_loops_over_samples": ({"batchnorm_backward": BACKWARD_SIGNATURE + (
        "    Z_hat, gamma, inv_std, train = cache\n"
        "    N = dout.shape[0]\n"
        "    dbeta, dgamma = np.zeros_like(gamma), np.zeros_like(gamma)\n"
        "    for i in range(N):\n"
        "        dbeta = dbeta + dout[i]\n"
        "        dgamma = dgamma + dout[i] * Z_hat[i]\n"
        "    h = dout * gamma\n"
        "    if train:\n"
        "        h = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)\n"
        "    return h * inv_std, dgamma, dbeta\n")},
        {"test_batchnorm_vectorised"}, "looks like a Python loop over the samples"),
    "alt_without_the_mean_term": ({"batchnorm_backward_alt": alt_with(
        "dZ = (h - Z_hat * (h * Z_hat).mean(axis=0)) / std")},
        {"test_batchnorm_backward_alt"}, "missing the term through the mean"),
    "alt_without_the_variance_term": ({"batchnorm_backward_alt": alt_with("dZ = (h - h.mean(axis=0)) / std")},
        {"test_batchnorm_backward_alt"}, "missing the term through the variance"),
    "alt_sums_instead_of_means": ({"batchnorm_backward_alt": alt_with(
        "dZ = (h - h.sum(axis=0) - Z_hat * (h * Z_hat).sum(axis=0)) / std")},
        {"test_batchnorm_backward_alt"}, "a 1/N is missing"),
    "alt_unbiased_variance_term": ({"batchnorm_backward_alt": alt_with(
        "dZ = (h - h.mean(axis=0) - Z_hat * (h * Z_hat).sum(axis=0) / (len(h) - 1)) / std")},
        {"test_batchnorm_backward_alt"}, "uses 1/(N-1)"),
    "alt_not_divided_by_std": ({"batchnorm_backward_alt": alt_with(
        "dZ = h - h.mean(axis=0) - Z_hat * (h * Z_hat).mean(axis=0)")},
        {"test_batchnorm_backward_alt"}, "not divided by std"),
}

CORRECT = {
    # std instead of var, running statistics updated inside the caller's arrays, a dict cache, and
    # the backward pass written stage by stage along the computational graph (dvar, dmean)
    "inplace_state_dict_cache_staged_backward": {
        "batchnorm_forward": FORWARD_SIGNATURE + (
            "    if train:\n"
            "        N = len(Z)\n"
            "        if N == 1:\n"
            "            raise ValueError('batch of one')\n"
            "        mean = np.mean(Z, axis=0)\n"
            "        std = np.std(Z, axis=0)\n"
            "        state['running_mean'] *= 1 - momentum\n"
            "        state['running_mean'] += momentum * mean\n"
            "        state['running_var'] *= 1 - momentum\n"
            "        state['running_var'] += momentum * std ** 2 * N / (N - 1)\n"
            "        var = std ** 2\n"
            "    else:\n"
            "        mean, var = state['running_mean'], state['running_var']\n"
            "    out = gamma * (Z - mean) / np.sqrt(var + eps) + beta\n"
            "    return out, {'Z': Z, 'mean': mean, 'var': var, 'gamma': gamma, 'eps': eps, 'train': train}\n"),
        "batchnorm_backward": BACKWARD_SIGNATURE + (
            "    Z, mean, var, gamma = cache['Z'], cache['mean'], cache['var'], cache['gamma']\n"
            "    N = dout.shape[0]\n"
            "    std = np.sqrt(var + cache['eps'])\n"
            "    Z_hat = (Z - mean) / std\n"
            "    dbeta = np.sum(dout, axis=0)\n"
            "    dgamma = np.sum(dout * Z_hat, axis=0)\n"
            "    dZ_hat = dout * gamma\n"
            "    if not cache['train']:\n"
            "        return dZ_hat / std, dgamma, dbeta\n"
            "    dvar = np.sum(dZ_hat * (Z - mean), axis=0) * -0.5 * std ** -3\n"
            "    dmean = -np.sum(dZ_hat, axis=0) / std + dvar * -2 * np.mean(Z - mean, axis=0)\n"
            "    dZ = dZ_hat / std + dvar * 2 * (Z - mean) / N + dmean / N\n"
            "    return dZ, dgamma, dbeta\n"),
    },
    # the variance written out, keepdims everywhere, and a backward pass from the reference cache
    # in the (N dZ_hat - sum - Z_hat sum) / (N std) form
    "keepdims_and_compact_backward": {
        "batchnorm_forward": FORWARD_SIGNATURE + (
            "    if train and Z.shape[0] < 2:\n"
            "        raise ValueError('batch of one')\n"
            "    if train:\n"
            "        N = Z.shape[0]\n"
            "        mean = Z.mean(axis=0, keepdims=True)\n"
            "        var = ((Z - mean) ** 2).mean(axis=0, keepdims=True)\n"
            "        state['running_mean'] = (1 - momentum) * state['running_mean'] + momentum * mean[0]\n"
            "        state['running_var'] = (1 - momentum) * state['running_var'] + momentum * var[0] * N / (N - 1)\n"
            "    else:\n"
            "        mean, var = state['running_mean'][None, :], state['running_var'][None, :]\n"
            "    inv_std = 1 / np.sqrt(var + eps)\n"
            "    Z_hat = (Z - mean) * inv_std\n"
            "    return gamma * Z_hat + beta, (Z_hat, gamma, inv_std[0], train)\n"),
        "batchnorm_backward": BACKWARD_SIGNATURE + (
            "    Z_hat, gamma, inv_std, train = cache\n"
            "    N = dout.shape[0]\n"
            "    dZ_hat = dout * gamma\n"
            "    dgamma, dbeta = np.sum(dout * Z_hat, axis=0), np.sum(dout, axis=0)\n"
            "    if not train:\n"
            "        return dZ_hat * inv_std, dgamma, dbeta\n"
            "    dZ = (N * dZ_hat - dZ_hat.sum(axis=0) - Z_hat * np.sum(dZ_hat * Z_hat, axis=0)) * inv_std / N\n"
            "    return dZ, dgamma, dbeta\n"),
        "batchnorm_backward_alt": (
            "def batchnorm_backward_alt(dout, Z_hat, gamma, std):\n"
            "    N = dout.shape[0]\n"
            "    dgamma, dbeta = np.einsum('ij,ij->j', dout, Z_hat), dout.sum(0)\n"
            "    dZ = gamma / (N * std) * (N * dout - dbeta - Z_hat * dgamma)\n"
            "    return dZ.astype(dout.dtype), dgamma, dbeta\n"),
    },
}

#: More variants that must keep full marks: the templates the mistakes above edit, as written here.
EXTRA_VARIANTS = {"reference_as_written_here": {"batchnorm_forward": FORWARD, "batchnorm_backward": BACKWARD,
                                                "batchnorm_backward_alt": ALT}}

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "batchnorm_backward_alt": {"single": "batch norm refuses a training batch of one sample (batchnorm_forward's ValueError), so no cache of one exists"},
}
