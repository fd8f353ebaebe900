"""01_softmax: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

SIGNATURE = 'def softmax(Z, axis=-1):\n    """Softmax of Z along `axis`."""\n'

# name -> (solution cell, code, exactly the cells that lose points, a hint shown in one of them)
MISTAKES = {
    "softmax_without_max_shift": ("softmax", SIGNATURE + (
        "    E = np.exp(Z)\n"
        "    return E / E.sum(axis=axis, keepdims=True)\n"),
        {"test_softmax_stable"}, "shift each row before exp"),
    "softmax_over_wrong_axis": ("softmax", SIGNATURE + (
        "    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
        "    return E / E.sum(axis=0, keepdims=True)\n"),
        {"test_softmax_values", "test_softmax_stable"}, "wrong axis"),
    "softmax_exp_without_dividing": ("softmax", SIGNATURE + (
        "    return np.exp(Z - Z.max(axis=axis, keepdims=True))\n"),
        {"test_softmax_values", "test_softmax_stable"}, "do not sum to 1"),
    "softmax_global_max": ("softmax", SIGNATURE + (
        "    E = np.exp(Z - Z.max())\n"
        "    return E / E.sum(axis=axis, keepdims=True)\n"),
        {"test_softmax_stable"}, "shift each row before exp"),
    "log_softmax_as_log_of_softmax": ("log_softmax", (
        "def log_softmax(Z, axis=-1):\n"
        "    return np.log(softmax(Z, axis=axis))\n"),
        {"test_log_softmax"}, "derive log softmax without forming probabilities"),
    "scores_without_bias": ("scores", "def scores(X, W, b):\n    return X @ W.T\n",
        {"test_scores"}, "bias b was not added"),
    "scores_not_transposed": ("scores", "def scores(X, W, b):\n    return X @ W + b\n",
        {"test_scores"}, "check which index of W runs over d"),
    "log_softmax_without_shift": ("log_softmax", (
        "def log_softmax(Z, axis=-1):\n"
        "    return Z - np.log(np.sum(np.exp(Z), axis=axis, keepdims=True))\n"),
        {"test_log_softmax"}, "shift before exp"),
    "log_softmax_wrong_axis": ("log_softmax", (
        "def log_softmax(Z, axis=-1):\n"
        "    shifted = Z - Z.max(axis=0, keepdims=True)\n"
        "    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))\n"),
        {"test_log_softmax"}, "normalised over the wrong axis"),
    "predict_over_samples": ("predict", (
        "def predict(X, W, b):\n    return np.argmax(X @ W.T + b, axis=0)\n"),
        {"test_predict"}, "argmax of each sample's scores"),
    "predict_without_bias": ("predict", (
        "def predict(X, W, b):\n    return np.argmax(X @ W.T, axis=1)\n"),
        {"test_predict"}, "the bias b was left out"),
}

CORRECT = {
    "softmax_via_logsumexp": {"softmax": SIGNATURE + (
        "    m = np.max(Z, axis=axis, keepdims=True)\n"
        "    lse = m + np.log(np.sum(np.exp(Z - m), axis=axis, keepdims=True))\n"
        "    return np.exp(Z - lse)\n")},
    "scores_with_einsum_and_log_softmax_via_softmax_of_shift": {
        "scores": "def scores(X, W, b):\n    return np.einsum('nd,cd->nc', X, W) + b\n",
        "predict": "def predict(X, W, b):\n    return scores(X, W, b).argmax(axis=-1)\n",
        "log_softmax": (
            "def log_softmax(Z, axis=-1):\n"
            "    shifted = Z - Z.max(axis=axis, keepdims=True)\n"
            "    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))\n")},
}
