"""05_initialisation: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

def _define(signature, body):
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


ZEROS = "init_zeros(fan_in, fan_out)"
CONSTANT = "init_constant(fan_in, fan_out, value)"
UNIFORM = "init_uniform(fan_in, fan_out, low, high, rng)"
NORMAL = "init_normal(fan_in, fan_out, std, rng)"
XU = "xavier_uniform(fan_in, fan_out, rng, gain=1.0)"
XN = "xavier_normal(fan_in, fan_out, rng, gain=1.0)"
HU = "he_uniform(fan_in, fan_out, rng)"
HN = "he_normal(fan_in, fan_out, rng)"
DISTINCT = "distinct_units(W, atol=1e-8)"
STATS = "layer_activation_stats(X, weights, activation)"

# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # zeros and constants
    "zeros_transposed": ("init_zeros", _define(ZEROS, "return np.zeros((fan_in, fan_out))"),
        {"test_init_zeros"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "zeros_integer": ("init_zeros", _define(ZEROS, "return np.zeros((fan_out, fan_in), dtype=int)"),
        {"test_init_zeros"}, "expected float64 weights"),
    "constant_transposed": ("init_constant", _define(CONSTANT, "return np.full((fan_in, fan_out), float(value))"),
        {"test_init_constant"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "constant_keeps_int_value": ("init_constant", _define(CONSTANT, "return np.full((fan_out, fan_in), value)"),
        {"test_init_constant"}, "expected float64 weights"),
    # uniform and normal
    "uniform_transposed": ("init_uniform", _define(UNIFORM, "return rng.uniform(low, high, size=(fan_in, fan_out))"),
        {"test_init_uniform"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "uniform_global_state": ("init_uniform",
        _define(UNIFORM, "return np.random.uniform(low, high, size=(fan_out, fan_in))"),
        {"test_init_uniform"}, "numpy's global random state"),
    "uniform_ignores_low": ("init_uniform", _define(UNIFORM, "return high * rng.random((fan_out, fan_in))"),
        {"test_init_uniform"}, "`low` was ignored"),
    "uniform_without_shift": ("init_uniform", _define(UNIFORM, "return (high - low) * rng.random((fan_out, fan_in))"),
        {"test_init_uniform"}, "values start at 0"),
    "normal_variance_as_scale": ("init_normal", _define(NORMAL, "return rng.normal(0.0, std ** 2, size=(fan_out, fan_in))"),
        {"test_init_normal"}, "that is std**2, the variance"),
    "normal_sqrt_of_std": ("init_normal", _define(NORMAL, "return rng.normal(0.0, np.sqrt(std), size=(fan_out, fan_in))"),
        {"test_init_normal"}, "that is sqrt(std)"),
    "normal_legacy_randn": ("init_normal", _define(NORMAL, "return std * np.random.randn(fan_out, fan_in)"),
        {"test_init_normal"}, "numpy's global random state"),
    "normal_fixed_seed_inside": ("init_normal", _define(NORMAL, (
        "local = np.random.default_rng(0)\n"
        "return local.normal(0.0, std, size=(fan_out, fan_in))")),
        {"test_init_normal"}, "generators with different seeds gave the same matrix"),
    # Xavier
    "xavier_uniform_std_as_bound": ("xavier_uniform", _define(XU, (
        "a = gain * np.sqrt(2.0 / (fan_in + fan_out))\n"
        "return rng.uniform(-a, a, size=(fan_out, fan_in))")),
        {"test_xavier_uniform"}, "U(-a, a) has standard deviation a / sqrt(3)"),
    "xavier_uniform_without_sqrt": ("xavier_uniform", _define(XU, (
        "a = gain * 6.0 / (fan_in + fan_out)\n"
        "return rng.uniform(-a, a, size=(fan_out, fan_in))")),
        {"test_xavier_uniform"}, "the square root is missing"),
    "xavier_uniform_ignores_gain": ("xavier_uniform", _define(XU, (
        "a = np.sqrt(6.0 / (fan_in + fan_out))\n"
        "return rng.uniform(-a, a, size=(fan_out, fan_in))")),
        {"test_xavier_uniform"}, "the gain was ignored"),
    "xavier_uniform_draws_normal": ("xavier_uniform", _define(XU, (
        "std = gain * np.sqrt(2.0 / (fan_in + fan_out))\n"
        "return rng.normal(0.0, std, size=(fan_out, fan_in))")),
        {"test_xavier_uniform"}, "values outside [-a, a]"),
    "xavier_uniform_global_state_by_alias": ("xavier_uniform", "from numpy.random import uniform as draw_uniform\n\n" + _define(XU, (
        "a = gain * np.sqrt(6.0 / (fan_in + fan_out))\n"
        "return draw_uniform(-a, a, size=(fan_out, fan_in))")),
        {"test_xavier_uniform"}, "changes with np.random.seed: it uses numpy's global random state"),
    "xavier_normal_variance_as_std": ("xavier_normal", _define(XN, (
        "return rng.normal(0.0, gain * 2.0 / (fan_in + fan_out), size=(fan_out, fan_in))")),
        {"test_xavier_normal"}, "variance 2 / (fan_in + fan_out) used as the standard deviation"),
    "xavier_normal_transposed": ("xavier_normal", _define(XN, (
        "return rng.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))")),
        {"test_xavier_normal"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "xavier_normal_draws_uniform": ("xavier_normal", _define(XN, (
        "a = gain * np.sqrt(6.0 / (fan_in + fan_out))\n"
        "return rng.uniform(-a, a, size=(fan_out, fan_in))")),
        {"test_xavier_normal"}, "draws from a normal distribution, not a uniform one"),
    "xavier_normal_gain_inside_sqrt": ("xavier_normal", _define(XN, (
        "return rng.normal(0.0, np.sqrt(gain * 2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))")),
        {"test_xavier_normal"}, "the gain went inside the square root"),
    # He
    "he_uniform_fans_swapped": ("he_uniform", _define(HU, (
        "b = np.sqrt(6.0 / fan_out)\n"
        "return rng.uniform(-b, b, size=(fan_out, fan_in))")),
        {"test_he_uniform"}, "fan_in and fan_out are swapped"),
    "he_uniform_xavier_denominator": ("he_uniform", _define(HU, (
        "b = np.sqrt(6.0 / (fan_in + fan_out))\n"
        "return rng.uniform(-b, b, size=(fan_out, fan_in))")),
        {"test_he_uniform"}, "Xavier's denominator"),
    "he_uniform_without_relu_gain": ("he_uniform", _define(HU, (
        "b = np.sqrt(3.0 / fan_in)\n"
        "return rng.uniform(-b, b, size=(fan_out, fan_in))")),
        {"test_he_uniform"}, "the ReLU gain sqrt(2) is missing"),
    "he_normal_fans_swapped": ("he_normal", _define(HN, (
        "return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_out, fan_in))")),
        {"test_he_normal"}, "fan_in and fan_out are swapped"),
    "he_normal_variance_as_std": ("he_normal", _define(HN, (
        "return rng.normal(0.0, 2.0 / fan_in, size=(fan_out, fan_in))")),
        {"test_he_normal"}, "the variance 2 / fan_in used as the standard deviation"),
    "he_normal_xavier_denominator": ("he_normal", _define(HN, (
        "return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))")),
        {"test_he_normal"}, "Xavier's denominator"),
    "he_normal_transposed": ("he_normal", _define(HN, (
        "return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))")),
        {"test_he_normal"}, "(fan_in, fan_out); a weight matrix is (fan_out, fan_in)"),
    "he_normal_global_state": ("he_normal", _define(HN, (
        "return np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))")),
        {"test_he_normal"}, "numpy's global random state"),
    "he_normal_new_generator": ("he_normal", _define(HN, (
        "return np.random.default_rng().normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))")),
        {"test_he_normal"}, "two generators with the same seed gave different matrices"),
    "he_normal_delegates_to_nnlib": ("he_normal", _define(HN, (
        "from nnlib.mlp import init_mlp\n"
        "return init_mlp([fan_in, fan_out], rng, scheme='he')['W1']")),
        {"test_he_normal"}, "your own implementation"),
    # distinct units
    "distinct_units_exact_equality": ("distinct_units", _define(DISTINCT, "return len(np.unique(W, axis=0))"),
        {"test_distinct_units"}, "compare with the tolerance, not exact equality"),
    "distinct_units_columns": ("distinct_units", _define(DISTINCT, (
        "reps = []\n"
        "for col in W.T:\n"
        "    if not any(np.max(np.abs(col - r)) <= atol for r in reps):\n"
        "        reps.append(col)\n"
        "return len(reps)")),
        {"test_distinct_units"}, "not columns"),
    "distinct_units_values": ("distinct_units", _define(DISTINCT, "return len(np.unique(W))"),
        {"test_distinct_units"}, "not distinct values"),
    "distinct_units_allclose_with_rtol": ("distinct_units", _define(DISTINCT, (
        "reps = []\n"
        "for row in W:\n"
        "    if not any(np.allclose(row, r, atol=atol) for r in reps):\n"
        "        reps.append(row)\n"
        "return len(reps)")),
        {"test_distinct_units"}, "pass rtol=0"),
    "distinct_units_ignores_atol": ("distinct_units", _define(DISTINCT, (
        "reps = []\n"
        "for row in W:\n"
        "    if not any(np.max(np.abs(row - r)) <= 1e-8 for r in reps):\n"
        "        reps.append(row)\n"
        "return len(reps)")),
        {"test_distinct_units"}, "the atol argument was ignored"),
    # activation statistics
    "stats_of_preactivations": ("layer_activation_stats", _define(STATS, (
        "f = layers.ACTIVATIONS[activation][0]\n"
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    Z = A @ W.T\n"
        "    stats.append((float(Z.mean()), float(Z.std())))\n"
        "    A = f(Z)\n"
        "return stats")),
        {"test_layer_activation_stats"}, "statistics of the pre-activations Z"),
    "stats_no_activation_at_last_layer": ("layer_activation_stats", _define(STATS, (
        "f = layers.ACTIVATIONS[activation][0]\n"
        "A, stats = X, []\n"
        "for l, W in enumerate(weights):\n"
        "    A = A @ W.T\n"
        "    if l < len(weights) - 1:\n"
        "        A = f(A)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "including the last"),
    "stats_variance": ("layer_activation_stats", _define(STATS, (
        "f = layers.ACTIVATIONS[activation][0]\n"
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    A = f(A @ W.T)\n"
        "    stats.append((float(A.mean()), float(A.var())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "the second number is the variance"),
    "stats_without_transpose": ("layer_activation_stats", _define(STATS, (
        "f = layers.ACTIVATIONS[activation][0]\n"
        "A, stats = X, []\n"
        "for W in weights:\n"
        "    A = f(A @ W)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "so a layer computes A @ W.T"),
    "stats_include_the_input": ("layer_activation_stats", _define(STATS, (
        "f = layers.ACTIVATIONS[activation][0]\n"
        "A = X\n"
        "stats = [(float(X.mean()), float(X.std()))]\n"
        "for W in weights:\n"
        "    A = f(A @ W.T)\n"
        "    stats.append((float(A.mean()), float(A.std())))\n"
        "return stats")),
        {"test_layer_activation_stats"}, "not the input X"),
}

CORRECT = {
    "zeros_constant_uniform_normal_by_other_means": {
        "init_zeros": _define(ZEROS, "return np.zeros(fan_out * fan_in).reshape(fan_out, fan_in)"),
        "init_constant": _define(CONSTANT, "return value * np.ones((fan_out, fan_in))"),
        "init_uniform": _define(UNIFORM, "return low + (high - low) * rng.random((fan_out, fan_in))"),
        "init_normal": _define(NORMAL, "return std * rng.standard_normal((fan_out, fan_in))"),
    },
    "xavier_and_he_by_variance_then_bound": {
        "xavier_uniform": _define(XU, (
            "var = gain ** 2 * 2.0 / (fan_in + fan_out)\n"
            "a = np.sqrt(3.0 * var)\n"
            "return (2.0 * rng.random((fan_out, fan_in)) - 1.0) * a")),
        "xavier_normal": _define(XN, (
            "std = gain * np.sqrt(2.0) / np.sqrt(fan_in + fan_out)\n"
            "return std * rng.standard_normal(size=(fan_out, fan_in))")),
        "he_uniform": _define(HU, (
            "gain = np.sqrt(2.0)\n"
            "b = gain * np.sqrt(3.0 / fan_in)\n"
            "return rng.uniform(low=-b, high=b, size=(fan_out, fan_in))")),
        "he_normal": _define(HN, "return np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_out, fan_in))"),
    },
    "distinct_units_pairwise_and_stats_by_list": {
        "distinct_units": _define(DISTINCT, (
            "D = np.abs(W[:, None, :] - W[None, :, :]).max(axis=2) <= atol\n"
            "return int(sum(not D[i, :i].any() for i in range(len(W))))")),
        "layer_activation_stats": _define(STATS, (
            "functions = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh,\n"
            "             'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'identity': lambda z: z}\n"
            "result = []\n"
            "A = X\n"
            "for W in weights:\n"
            "    A = functions[activation](np.einsum('ni,oi->no', A, W))\n"
            "    result.append((A.mean().item(), A.std().item()))\n"
            "return result")),
    },
}

#: Every test cell calls only its own function, so mistakes in different functions can share
#: one submission (one autograde proves several; the harness checks each fails only its own cell).
PACK = True
