"""09_capstone: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

NB_FIT = "def nb_fit(X, y, n_classes, alpha=1.0):\n"
NB_PRIOR = "    log_prior = np.log(np.bincount(y, minlength=n_classes) / len(y))\n"
NB_COUNTS = "    counts = np.stack([X[y == c].sum(axis=0) for c in range(n_classes)])\n"
AVG_BACKWARD = (
    "def avg_embedding_backward(dout, cache):\n"
    "    ids, real, lengths, (V, D) = cache\n"
    "    dE = np.zeros((V, D), dtype=dout.dtype)\n"
)


def model_step(dropout_back="dA1 = dropout_backward(dA1, kept, config['keep_prob'])",
               bn_back="dZ1, grads['gamma'], grads['beta'] = batchnorm_backward(dZ1, bn_cache)",
               l2_grad="grads['W1'] = grads['W1'] + lam * params['W1']\n    grads['W2'] = grads['W2'] + lam * params['W2']",
               relu_back="dZ1 = relu_backward(dA1, on)"):
    """A model_loss_and_grads with the given backward lines (the reference's by default)."""
    return {"model_loss_and_grads": (
        "def model_loss_and_grads(params, ids, y, config, rng=None):\n"
        "    X, emb_cache = avg_embedding_forward(ids, params['E'])\n"
        "    Z1, cache1 = affine_forward(X, params['W1'], params['b1'])\n"
        "    if config['batch_norm']:\n"
        "        Z1, bn_cache = batchnorm_forward(Z1, params['gamma'], params['beta'])\n"
        "    A1, on = relu_forward(Z1)\n"
        "    dropping = rng is not None and config['keep_prob'] < 1\n"
        "    if dropping:\n"
        "        A1, kept = dropout_forward(A1, config['keep_prob'], rng)\n"
        "    Z2, cache2 = affine_forward(A1, params['W2'], params['b2'])\n"
        "    loss, dZ2 = softmax_cross_entropy(Z2, y), softmax_cross_entropy_grad(Z2, y)\n"
        "    lam = config['l2']\n"
        "    loss += 0.5 * lam * (np.sum(params['W1'] ** 2) + np.sum(params['W2'] ** 2))\n"
        "    grads = {}\n"
        "    dA1, grads['W2'], grads['b2'] = affine_backward(dZ2, cache2)\n"
        "    if dropping:\n"
        f"        {dropout_back}\n"
        f"    {relu_back}\n"
        "    if config['batch_norm']:\n"
        f"        {bn_back}\n"
        "    dX, grads['W1'], grads['b1'] = affine_backward(dZ1, cache1)\n"
        "    grads['E'] = avg_embedding_backward(dX, emb_cache)\n"
        f"    {l2_grad}\n"
        "    return float(loss), grads\n")}


# name -> (cells replaced: grade_id -> code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # nb_fit
    "nb_fit_no_smoothing": ({"nb_fit": NB_FIT + NB_COUNTS + NB_PRIOR + (
        "    with np.errstate(divide='ignore'):\n"
        "        return log_prior, np.log(counts / counts.sum(axis=1, keepdims=True))\n")},
        {"test_nb_fit"}, "Laplace smoothing"),
    "nb_fit_denominator_without_alpha_V": ({"nb_fit": NB_FIT + NB_COUNTS + NB_PRIOR + (
        "    return log_prior, np.log((counts + alpha) / counts.sum(axis=1, keepdims=True))\n")},
        {"test_nb_fit"}, "alpha * V"),
    "nb_fit_normalised_over_classes": ({"nb_fit": NB_FIT + NB_COUNTS + NB_PRIOR + (
        "    return log_prior, np.log((counts + alpha) / (counts + alpha).sum(axis=0, keepdims=True))\n")},
        {"test_nb_fit"}, "normalised over the classes"),
    "nb_fit_uniform_prior": ({"nb_fit": NB_FIT + NB_COUNTS + (
        "    smoothed = counts + alpha\n"
        "    return np.log(np.full(n_classes, 1.0 / n_classes)), np.log(smoothed / smoothed.sum(axis=1, keepdims=True))\n")},
        {"test_nb_fit"}, "prior is uniform"),
    "nb_fit_document_counts": ({"nb_fit": NB_FIT + NB_PRIOR + (
        "    counts = np.stack([(X[y == c] > 0).sum(axis=0) for c in range(n_classes)]) + alpha\n"
        "    return log_prior, np.log(counts / counts.sum(axis=1, keepdims=True))\n")},
        {"test_nb_fit"}, "counted once per sentence"),
    # avg_embedding_forward
    "avg_forward_sums": ({"avg_embedding_forward": (
        "def avg_embedding_forward(ids, E):\n"
        "    real = ids != 0\n"
        "    return (E[ids] * real[:, :, None]).sum(axis=1), (ids, real, np.ones((len(ids), 1), E.dtype), E.shape)\n")},
        {"test_avg_embedding_backward", "test_avg_embedding_forward", "test_model_loss_and_grads"}, "added up"),
    "avg_forward_pad_counted": ({"avg_embedding_forward": (
        "def avg_embedding_forward(ids, E):\n"
        "    real = ids != 0\n"
        "    lengths = real.sum(axis=1, keepdims=True).astype(E.dtype)\n"
        "    return E[ids].mean(axis=1), (ids, real, lengths, E.shape)\n")},
        {"test_avg_embedding_forward", "test_model_loss_and_grads"}, "padding was averaged in"),
    "avg_forward_divided_by_T": ({"avg_embedding_forward": (
        "def avg_embedding_forward(ids, E):\n"
        "    real = ids != 0\n"
        "    T = np.full((len(ids), 1), ids.shape[1], dtype=E.dtype)\n"
        "    return (E[ids] * real[:, :, None]).sum(axis=1) / T, (ids, real, T, E.shape)\n")},
        {"test_avg_embedding_backward", "test_avg_embedding_forward", "test_model_loss_and_grads"}, "padded length"),
    # avg_embedding_backward
    "avg_backward_fancy_index_add": ({"avg_embedding_backward": AVG_BACKWARD + (
        "    share = np.broadcast_to((dout / lengths)[:, None, :], ids.shape + (D,))\n"
        "    dE[ids[real]] += share[real]\n"
        "    return dE\n")},
        {"test_avg_embedding_backward", "test_model_loss_and_grads"}, "got only one of its gradients"),
    "avg_backward_not_divided": ({"avg_embedding_backward": AVG_BACKWARD + (
        "    share = np.broadcast_to(dout[:, None, :], ids.shape + (D,))\n"
        "    np.add.at(dE, ids[real], share[real])\n"
        "    return dE\n")},
        {"test_avg_embedding_backward", "test_model_loss_and_grads"}, "times too large"),
    "avg_backward_pad_gets_gradient": ({"avg_embedding_backward": AVG_BACKWARD + (
        "    share = np.broadcast_to((dout / lengths)[:, None, :], ids.shape + (D,))\n"
        "    np.add.at(dE, ids, share)\n"
        "    return dE\n")},
        {"test_avg_embedding_backward", "test_model_loss_and_grads"}, "<pad> row received a gradient"),
    # model_loss_and_grads
    "model_l2_not_in_gradients": (model_step(l2_grad="pass"), {"test_model_loss_and_grads"}, "not in the gradients"),
    "model_batch_norm_skipped_backward": (
        model_step(bn_back="_, grads['gamma'], grads['beta'] = batchnorm_backward(dZ1, bn_cache)"),
        {"test_model_loss_and_grads"}, "skipped batch norm"),
    "model_dropout_mask_ignored_backward": (model_step(dropout_back="pass"), {"test_model_loss_and_grads"},
                                            "ignored the dropout mask"),
    "model_relu_derivative_forgotten": (model_step(relu_back="dZ1 = dA1"), {"test_model_loss_and_grads"},
                                        "ReLU derivative is missing"),
}

CORRECT = {
    # Naive Bayes with log-sums (log of counts minus log of the total), a one-hot label matrix for the counts;
    # the averaged embedding as a (N, V) matrix of word weights 1/L_n times E; the whole network written out.
    "matrices_instead_of_helpers": {
        "nb_fit": (
            "def nb_fit(X, y, n_classes, alpha=1.0):\n"
            "    Y = np.eye(n_classes)[y]                        # (N, C)\n"
            "    counts = Y.T @ X + alpha                        # (C, V)\n"
            "    log_likelihood = np.log(counts) - np.log(counts.sum(axis=1))[:, None]\n"
            "    return np.log(Y.mean(axis=0)), log_likelihood\n"),
        "avg_embedding_forward": (
            "def avg_embedding_forward(ids, E):\n"
            "    N, V = len(ids), E.shape[0]\n"
            "    weights = np.zeros((N, V), dtype=E.dtype)\n"
            "    for n in range(N):\n"
            "        real = ids[n][ids[n] != 0]\n"
            "        for w in real:\n"
            "            weights[n, w] += 1.0 / len(real)\n"
            "    return weights @ E, weights\n"),
        "avg_embedding_backward": (
            "def avg_embedding_backward(dout, cache):\n"
            "    weights = cache\n"
            "    return (weights.T @ dout).astype(dout.dtype)\n"),
        "model_loss_and_grads": (
            "def model_loss_and_grads(params, ids, y, config, rng=None):\n"
            "    X, c_emb = avg_embedding_forward(ids, params['E'])\n"
            "    Z1 = np.einsum('nd,hd->nh', X, params['W1']) + params['b1']\n"
            "    bn = config['batch_norm']\n"
            "    if bn:\n"
            "        mu, var = Z1.mean(0), Z1.var(0)\n"
            "        Zh = (Z1 - mu) / np.sqrt(var + 1e-5)\n"
            "        Z1 = params['gamma'] * Zh + params['beta']\n"
            "    A1 = np.maximum(Z1, 0)\n"
            "    scale = np.ones_like(A1)\n"
            "    if rng is not None and config['keep_prob'] < 1:\n"
            "        scale = (rng.random(A1.shape) < config['keep_prob']) / config['keep_prob']\n"
            "    A1d = A1 * scale\n"
            "    Z2 = A1d @ params['W2'].T + params['b2']\n"
            "    Z2 = Z2 - Z2.max(axis=1, keepdims=True)\n"
            "    logp = Z2 - np.log(np.exp(Z2).sum(axis=1, keepdims=True))\n"
            "    N = len(y)\n"
            "    lam = config['l2']\n"
            "    loss = -logp[np.arange(N), y].mean() + lam / 2 * sum(np.sum(params[k] ** 2) for k in ('W1', 'W2'))\n"
            "    dZ2 = np.exp(logp)\n"
            "    dZ2[np.arange(N), y] -= 1\n"
            "    dZ2 /= N\n"
            "    g = {'W2': dZ2.T @ A1d + lam * params['W2'], 'b2': dZ2.sum(0)}\n"
            "    dZ1 = (dZ2 @ params['W2']) * scale * (Z1 > 0)\n"
            "    if bn:\n"
            "        g['gamma'], g['beta'] = (dZ1 * Zh).sum(0), dZ1.sum(0)\n"
            "        gh = dZ1 * params['gamma']\n"
            "        dZ1 = (gh - gh.mean(0) - Zh * (gh * Zh).mean(0)) / np.sqrt(var + 1e-5)\n"
            "    g['W1'] = dZ1.T @ X + lam * params['W1']\n"
            "    g['b1'] = dZ1.sum(0)\n"
            "    g['E'] = avg_embedding_backward(dZ1 @ params['W1'], c_emb)\n"
            "    return float(loss), g\n"),
    },
}

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "nb_fit": {"float32": "counts of any dtype give log-probabilities: float64 is right for float32 counts"},
    "avg_embedding_backward": {"single": "dE has no batch axis, and one sentence's dout gives the same rows"},
}
