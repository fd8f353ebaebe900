"""03_mlp_backprop: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

# --- reference-like pieces the variants are built from ------------------------------------------

FORWARD_2_3_1 = "def forward_2_3_1(X, params):\n"
BACKWARD_2_3_1 = (
    "def backward_2_3_1(Y, cache):\n"
    "    X, params, A1, A2 = cache\n"
)
AFFINE_BACKWARD = "def affine_backward(dout, cache):\n    X, W = cache\n"


def mlp_backward_with(dW, db, mask):
    """An mlp_backward over the given mlp_forward's cache, a list of ((A_prev, W), Z) per layer, with
    the given lines for dW, db and the ReLU mask."""
    return {
        "mlp_backward": (
            "def mlp_backward(dlogits, cache):\n"
            "    grads, dZ = {}, dlogits\n"
            "    for l in range(len(cache), 0, -1):\n"
            "        (A_prev, W), _ = cache[l - 1]\n"
            f"        grads[f'W{{l}}'] = {dW}\n"
            f"        grads[f'b{{l}}'] = {db}\n"
            "        if l > 1:\n"
            f"            dZ = (dZ @ W) * {mask}\n"
            "    return grads\n"),
    }


EMBEDDING_BACKWARD = (
    "def embedding_backward(dout, cache):\n"
    "    ids, (V, D) = cache\n"
    "    N, k = ids.shape\n"
    "    dE = np.zeros((V, D), dtype=dout.dtype)\n"
)

# name -> (cells replaced: grade_id -> code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # forward_2_3_1
    "forward_2_3_1_no_output_sigmoid": ({"forward_2_3_1": FORWARD_2_3_1 + (
        "    A1 = sigmoid(X @ params['W1'].T + params['b1'])\n"
        "    A2 = A1 @ params['W2'].T + params['b2']\n"
        "    return A2, (X, params, A1, A2)\n")},
        {"test_backward_2_3_1", "test_forward_2_3_1"}, "output layer has no sigmoid"),
    "forward_2_3_1_no_hidden_sigmoid": ({"forward_2_3_1": FORWARD_2_3_1 + (
        "    A1 = X @ params['W1'].T + params['b1']\n"
        "    A2 = sigmoid(A1 @ params['W2'].T + params['b2'])\n"
        "    return A2, (X, params, A1, A2)\n")},
        {"test_backward_2_3_1", "test_forward_2_3_1"}, "hidden layer has no sigmoid"),
    # backward_2_3_1
    "backward_2_3_1_dW_transposed": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = (A2 - Y) / X.shape[0]\n"
        "    dZ1 = (dZ2 @ params['W2']) * A1 * (1 - A1)\n"
        "    return {'W1': X.T @ dZ1, 'b1': dZ1.sum(axis=0), 'W2': A1.T @ dZ2, 'b2': dZ2.sum(axis=0)}\n")},
        {"test_backward_2_3_1"}, "looks transposed"),
    "backward_2_3_1_db_not_summed": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = (A2 - Y) / X.shape[0]\n"
        "    dZ1 = (dZ2 @ params['W2']) * A1 * (1 - A1)\n"
        "    return {'W1': dZ1.T @ X, 'b1': dZ1, 'W2': dZ2.T @ A1, 'b2': dZ2}\n")},
        {"test_backward_2_3_1"}, "not summed over the batch"),
    "backward_2_3_1_sigmoid_derivative_forgotten": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = (A2 - Y) / X.shape[0]\n"
        "    dZ1 = dZ2 @ params['W2']\n"
        "    return {'W1': dZ1.T @ X, 'b1': dZ1.sum(axis=0), 'W2': dZ2.T @ A1, 'b2': dZ2.sum(axis=0)}\n")},
        {"test_backward_2_3_1"}, "derivative of the sigmoid is missing"),
    "backward_2_3_1_sum_instead_of_mean": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = A2 - Y\n"
        "    dZ1 = (dZ2 @ params['W2']) * A1 * (1 - A1)\n"
        "    return {'W1': dZ1.T @ X, 'b1': dZ1.sum(axis=0), 'W2': dZ2.T @ A1, 'b2': dZ2.sum(axis=0)}\n")},
        {"test_backward_2_3_1"}, "N times too large"),
    "backward_2_3_1_dZ2_with_extra_sigmoid_derivative": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = (A2 - Y) / X.shape[0] * A2 * (1 - A2)\n"
        "    dZ1 = (dZ2 @ params['W2']) * A1 * (1 - A1)\n"
        "    return {'W1': dZ1.T @ X, 'b1': dZ1.sum(axis=0), 'W2': dZ2.T @ A1, 'b2': dZ2.sum(axis=0)}\n")},
        {"test_backward_2_3_1"}, "one sigmoid derivative too many"),
    "backward_2_3_1_dZ2_sign_flipped": ({"backward_2_3_1": BACKWARD_2_3_1 + (
        "    dZ2 = (Y - A2) / X.shape[0]\n"
        "    dZ1 = (dZ2 @ params['W2']) * A1 * (1 - A1)\n"
        "    return {'W1': dZ1.T @ X, 'b1': dZ1.sum(axis=0), 'W2': dZ2.T @ A1, 'b2': dZ2.sum(axis=0)}\n")},
        {"test_backward_2_3_1"}, "wrong sign"),
    # affine_backward
    "affine_backward_dX_with_W_transposed": ({"affine_backward": AFFINE_BACKWARD + (
        "    return dout @ W.T, dout.T @ X, dout.sum(axis=0)\n")},
        {"test_affine_backward", "test_mlp_backward"}, "dX uses W the wrong way round"),
    "affine_backward_dW_transposed": ({"affine_backward": AFFINE_BACKWARD + (
        "    return dout @ W, X.T @ dout, dout.sum(axis=0)\n")},
        {"test_affine_backward", "test_mlp_backward"}, "looks transposed"),
    "affine_backward_db_not_summed": ({"affine_backward": AFFINE_BACKWARD + (
        "    return dout @ W, dout.T @ X, dout\n")},
        {"test_affine_backward", "test_mlp_backward"}, "not summed over the batch"),
    "affine_backward_db_averaged": ({"affine_backward": AFFINE_BACKWARD + (
        "    return dout @ W, dout.T @ X, dout.mean(axis=0)\n")},
        {"test_affine_backward", "test_mlp_backward"}, "averaged over the batch"),
    # mlp_backward (mlp_forward is given)
    "mlp_backward_relu_derivative_forgotten": (
        mlp_backward_with("dZ.T @ A_prev", "dZ.sum(axis=0)", "1.0"),
        {"test_mlp_backward"}, "derivative of the ReLU is missing"),
    "mlp_backward_dW_transposed": (
        mlp_backward_with("A_prev.T @ dZ", "dZ.sum(axis=0)", "(A_prev > 0)"),
        {"test_mlp_backward"}, "looks transposed"),
    "mlp_backward_db_not_summed": (
        mlp_backward_with("dZ.T @ A_prev", "dZ", "(A_prev > 0)"),
        {"test_mlp_backward"}, "not summed over the batch"),
    # embedding_forward / embedding_backward
    "embedding_backward_fancy_index_add": ({"embedding_backward": EMBEDDING_BACKWARD + (
        "    dE[ids] += dout.reshape(N, k, D)\n"
        "    return dE\n")},
        {"test_embedding_backward"}, "got only one of its gradients"),
    "embedding_backward_fancy_index_add_per_window": ({"embedding_backward": EMBEDDING_BACKWARD + (
        "    for n in range(N):\n"
        "        dE[ids[n]] += dout[n].reshape(k, D)\n"
        "    return dE\n")},
        {"test_embedding_backward"}, "got only one of its gradients"),
    "embedding_backward_wrong_split": ({"embedding_backward": EMBEDDING_BACKWARD + (
        "    np.add.at(dE, ids, dout.reshape(N, D, k).transpose(0, 2, 1))\n"
        "    return dE\n")},
        {"test_embedding_backward"}, "split in the wrong order"),
}

CORRECT = {
    # The ReLU's derivative read from the layer's OUTPUT (A_prev > 0), no affine helper.
    "relu_derivative_from_the_output": {
        "mlp_backward": (
            "def mlp_backward(dlogits, cache):\n"
            "    grads, dZ = {}, dlogits\n"
            "    for l in range(len(cache), 0, -1):\n"
            "        (A_prev, W), _ = cache[l - 1]\n"
            "        grads[f'W{l}'] = dZ.T @ A_prev\n"
            "        grads[f'b{l}'] = dZ.sum(axis=0)\n"
            "        if l > 1:\n"
            "            dZ = (dZ @ W) * (A_prev > 0)\n"
            "    return grads\n"),
    },
    # The ReLU's derivative read from the layer's INPUT (Z > 0), with np.where over the reversed cache.
    "relu_derivative_from_the_input": {
        "mlp_backward": (
            "def mlp_backward(dlogits, cache):\n"
            "    grads, dZ = {}, dlogits\n"
            "    for l, (affine_cache, _) in zip(range(len(cache), 0, -1), reversed(cache)):\n"
            "        dA, grads[f'W{l}'], grads[f'b{l}'] = affine_backward(dZ, affine_cache)\n"
            "        if l > 1:\n"
            "            dZ = np.where(cache[l - 2][1] > 0, dA, 0.0)\n"
            "    return grads\n"),
    },
    # sigmoid through tanh; backward through dA2 without simplifying sigma' against the log.
    "tanh_sigmoid_and_unsimplified_chain_rule": {
        "forward_2_3_1": FORWARD_2_3_1 + (
            "    sig = lambda z: 0.5 * (1 + np.tanh(0.5 * z))\n"
            "    A1 = sig(X @ params['W1'].T + params['b1'])\n"
            "    A2 = sig(A1 @ params['W2'].T + params['b2'])\n"
            "    return A2, {'X': X, 'W2': params['W2'], 'A1': A1, 'A2': A2}\n"),
        "backward_2_3_1": (
            "def backward_2_3_1(Y, cache):\n"
            "    X, W2, A1, A2 = cache['X'], cache['W2'], cache['A1'], cache['A2']\n"
            "    N = len(X)\n"
            "    dA2 = (-(Y / A2) + (1 - Y) / (1 - A2)) / N\n"
            "    dZ2 = dA2 * A2 * (1 - A2)\n"
            "    dA1 = dZ2 @ W2\n"
            "    dZ1 = dA1 * A1 * (1 - A1)\n"
            "    return {'W1': dZ1.T @ X, 'b1': np.sum(dZ1, axis=0), 'W2': dZ2.T @ A1, 'b2': np.sum(dZ2, axis=0)}\n"),
    },
    # One-hot matrices instead of indexing: the lecture's "one-hot encoding as a layer".
    "embedding_as_one_hot_layer": {
        "embedding_backward": (
            "def embedding_backward(dout, cache):\n"
            "    ids, (V, D) = cache\n"
            "    one_hot = np.eye(V, dtype=dout.dtype)[ids.ravel()]      # (N*k, V)\n"
            "    return one_hot.T @ dout.reshape(-1, D)\n"),
    },
    # Plain loops that accumulate one occurrence at a time; einsum for the affine layer.
    "loops_and_einsum": {
        "embedding_backward": EMBEDDING_BACKWARD + (
            "    for n in range(N):\n"
            "        for j in range(k):\n"
            "            dE[ids[n, j]] += dout[n, j * D:(j + 1) * D]\n"
            "    return dE\n"),
        "affine_backward": (
            "def affine_backward(dout, cache):\n"
            "    X, W = cache\n"
            "    return np.einsum('no,oi->ni', dout, W), np.einsum('no,ni->oi', dout, X), np.sum(dout, axis=0)\n"),
    },
}

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "forward_2_3_1": {"square": "the 2-3-1 network's weights, (3, 2) and (1, 3), are never square"},
    "backward_2_3_1": {"single": "its gradients have no batch axis, and one sample's Y, (1, 1) or (1,), broadcasts the same"},
    "embedding_backward": {"single": "dE has no batch axis, and one window's dout gives the same rows flattened or not"},
}
