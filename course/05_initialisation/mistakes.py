"""05_initialisation: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

def _define(signature, body):
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


INIT = 'init_layer(fan_in, fan_out, std, rng, distribution="normal")'
STATS = "layer_activation_stats(X, weights, f)"
XAVIER = "xavier_std(fan_in, fan_out)"
HE = "he_std(fan_in, fan_out)"


def _init(normal, uniform):
    """init_layer with the given expressions for the two distributions."""
    return _define(INIT, (
        "if distribution == 'normal':\n"
        f"    return {normal}\n"
        f"return {uniform}"))


GOOD_NORMAL = "rng.normal(0.0, std, size=(fan_out, fan_in))"
GOOD_UNIFORM = "rng.uniform(-np.sqrt(3) * std, np.sqrt(3) * std, size=(fan_out, fan_in))"

# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # init_layer
    "init_layer_transposed": ("init_layer", _init("rng.normal(0.0, std, size=(fan_in, fan_out))",
                                                  "rng.uniform(-np.sqrt(3) * std, np.sqrt(3) * std, size=(fan_in, fan_out))"),
        {"test_init_layer_normal", "test_init_layer_uniform"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "init_layer_global_state": ("init_layer", _init("np.random.normal(0.0, std, size=(fan_out, fan_in))", GOOD_UNIFORM),
        {"test_init_layer_normal"}, "numpy's global random state"),
    "init_layer_variance_as_scale": ("init_layer", _init("rng.normal(0.0, std ** 2, size=(fan_out, fan_in))",
                                                         GOOD_UNIFORM),
        {"test_init_layer_normal"}, "that is std**2, the variance"),
    "init_layer_uniform_bound_is_std": ("init_layer", _init(GOOD_NORMAL,
                                                            "rng.uniform(-std, std, size=(fan_out, fan_in))"),
        {"test_init_layer_uniform"}, "U(-a, a) is narrower than its bound"),
    "init_layer_uniform_bound_without_root": ("init_layer", _init(GOOD_NORMAL,
                                                                  "rng.uniform(-3 * std, 3 * std, size=(fan_out, fan_in))"),
        {"test_init_layer_uniform"}, "a square root is missing"),
    "init_layer_uniform_from_zero": ("init_layer", _init(GOOD_NORMAL,
                                                         "rng.uniform(0.0, 2 * np.sqrt(3) * std, size=(fan_out, fan_in))"),
        {"test_init_layer_uniform"}, "every weight has the same sign"),
    "init_layer_uniform_is_normal": ("init_layer", _init(GOOD_NORMAL, GOOD_NORMAL),
        {"test_init_layer_uniform"}, "as in a Gaussian"),
    # xavier_std
    "xavier_std_variance": ("xavier_std", _define(XAVIER, "return 2.0 / (fan_in + fan_out)"),
        {"test_xavier_std"}, "that is the variance"),
    "xavier_std_forward_only": ("xavier_std", _define(XAVIER, "return float(np.sqrt(1.0 / fan_in))"),
        {"test_xavier_std"}, "only the forward pass"),
    "xavier_std_sum_not_average": ("xavier_std", _define(XAVIER, "return float(np.sqrt(1.0 / (fan_in + fan_out)))"),
        {"test_xavier_std"}, "half their sum"),
    # he_std
    "he_std_fan_out": ("he_std", _define(HE, "return float(np.sqrt(2.0 / fan_out))"),
        {"test_he_std"}, "that uses fan_out"),
    "he_std_without_the_factor_two": ("he_std", _define(HE, "return float(np.sqrt(1.0 / fan_in))"),
        {"test_he_std"}, "ReLU zeroes half of its inputs"),
    "he_std_variance": ("he_std", _define(HE, "return 2.0 / fan_in"),
        {"test_he_std"}, "that is the variance"),
    # activation statistics
    "stats_of_preactivations": ("layer_activation_stats", _define(STATS, (
        ""
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    Z = A @ W.T\n"
        "    stats.append((float(Z.mean()), float(Z.std())))\n"
        "    A = f(Z)\n"
        "return stats")),
        {"test_layer_activation_stats"}, "statistics of the pre-activations Z"),
    "stats_no_activation_at_last_layer": ("layer_activation_stats", _define(STATS, (
        ""
        "A, stats = X, []\n"
        "for l, W in enumerate(weights):\n"
        "    A = A @ W.T\n"
        "    if l < len(weights) - 1:\n"
        "        A = f(A)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "including the last"),
    "stats_variance": ("layer_activation_stats", _define(STATS, (
        ""
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    A = f(A @ W.T)\n"
        "    stats.append((float(A.mean()), float(A.var())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "the second number is the variance"),
    "stats_without_transpose": ("layer_activation_stats", _define(STATS, (
        ""
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    A = f(A @ W)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "so a layer computes A @ W.T"),
    "stats_include_the_input": ("layer_activation_stats", _define(STATS, (
        ""
        "A = X\n"
        "stats = [(float(X.mean()), float(X.std()))]\n"
        "for W in weights:\n"
        "    A = f(A @ W.T)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "not the input X"),
}

CORRECT = {
    "other_forms": {
        "init_layer": _define(INIT, (
            "if distribution == 'uniform':\n"
            "    a = np.sqrt(3.0 * std ** 2)\n"
            "    return a * (2.0 * rng.random((fan_out, fan_in)) - 1.0)\n"
            "return std * rng.standard_normal((fan_out, fan_in))")),
        "xavier_std": _define(XAVIER, "return 1.0 / np.sqrt((fan_in + fan_out) / 2)"),
        "he_std": _define(HE, "return np.sqrt(2) / np.sqrt(fan_in)"),
        "layer_activation_stats": _define(STATS, (
            "result = []\n"
            "A = X\n"
            "for W in weights:\n"
            "    A = f(np.einsum('ni,oi->no', A, W))\n"
            "    result.append((A.mean().item(), A.std().item()))\n"
            "return result")),
    },
}

#: init_layer has two test cells, so every mistake is graded in a submission of its own.
PACK = False

# Inputs where a mistake hides that this notebook's tests need not cover, and why
# (nngrader edges audits every other one: tests/notebooks/test_edge_cases.py).
EDGES_NOT_APPLICABLE = {
    "layer_activation_stats": {"single": "the statistics pool every sample and unit: one sample gives the same numbers with or without its axis"},
}
