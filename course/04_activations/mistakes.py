"""04_activations: the known mistakes and other correct answers its mutation tests grade.

MISTAKES: name -> (solution cell, code, exactly the test cells that lose points, a hint shown
in one of them), or ({cell: code, ...}, cells, hint) when a mistake spans several cells.
CORRECT: name -> {cell: code}, another correct answer that keeps full marks.
Read by tests/test_mutations.py and by the demo's sample class (nngrader.sample_class).
"""

def fn(signature, *body):
    """The source of a replacement solution cell: a signature and its body lines."""
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body)


SIGMOID_CELLS = {"test_sigmoid_values", "test_sigmoid_stable"}
SIGMOID_USERS = {"test_sigmoid_grad", "test_swish", "test_swish_grad"}   # call your sigmoid inside the tests

# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # sigmoid
    "sigmoid_naive_overflows": ("sigmoid", fn("sigmoid(x)", "return 1 / (1 + np.exp(-x))"),
        {"test_sigmoid_stable", "test_sigmoid_grad", "test_swish", "test_swish_grad"}, "looks like the naive"),
    "sigmoid_branches_swapped": ("sigmoid", fn("sigmoid(x)", "e = np.exp(-np.abs(x))",
                                               "return np.where(x >= 0, e / (1 + e), 1 / (1 + e))"),
        SIGMOID_CELLS | {"test_swish", "test_swish_grad"}, "swap the"),
    "sigmoid_delegates_to_nnlib": ("sigmoid", fn("sigmoid(x)", "from nnlib.layers import sigmoid as reference",
                                                 "return reference(x)"),
        SIGMOID_CELLS | SIGMOID_USERS, "your own implementation"),
    # sigmoid_grad
    "sigmoid_grad_one_minus_x": ("sigmoid_grad", fn("sigmoid_grad(x)", "s = sigmoid(x)", "return s * (1 - x)"),
        {"test_sigmoid_grad"}, "sigmoid(x) * (1 - x)"),
    "sigmoid_grad_of_the_input": ("sigmoid_grad", fn("sigmoid_grad(x)", "return x * (1 - x)"),
        {"test_sigmoid_grad"}, "x * (1 - x)"),
    "sigmoid_grad_delegates_to_nnlib": ("sigmoid_grad", fn("sigmoid_grad(x)", "from nnlib.layers import ACTIVATIONS",
                                                           "return ACTIVATIONS['sigmoid'][1](x)"),
        {"test_sigmoid_grad"}, "your own implementation"),
    # tanh
    "tanh_without_doubling": ("tanh", fn("tanh(x)", "return 2 * sigmoid(x) - 1"),
        {"test_tanh", "test_tanh_grad"}, "2 sigma(2x) - 1"),
    "tanh_exp_formula_overflows": ("tanh", fn("tanh(x)", "return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))"),
        {"test_tanh", "test_tanh_grad"}, "overflows"),
    # tanh_grad
    "tanh_grad_of_the_input": ("tanh_grad", fn("tanh_grad(x)", "return 1 - x ** 2"),
        {"test_tanh_grad"}, "this is 1 - x**2"),
    "tanh_grad_not_squared": ("tanh_grad", fn("tanh_grad(x)", "return 1 - tanh(x)"),
        {"test_tanh_grad"}, "square tanh(x)"),
    # hard tanh
    "hard_tanh_lower_bound_only": ("hard_tanh", fn("hard_tanh(x)", "return np.maximum(x, -1)"),
        {"test_hard_tanh"}, "only the lower bound"),
    "hard_tanh_to_unit_interval": ("hard_tanh", fn("hard_tanh(x)", "return np.clip(x, 0, 1)"),
        {"test_hard_tanh"}, "clipped to [0, 1]"),
    "hard_tanh_grad_inclusive_at_kinks": ("hard_tanh_grad", fn("hard_tanh_grad(x)",
                                                               "return ((x >= -1) & (x <= 1)).astype(x.dtype)"),
        {"test_hard_tanh_grad"}, "wrong side of the kink"),
    "hard_tanh_grad_booleans": ("hard_tanh_grad", fn("hard_tanh_grad(x)", "return (x > -1) & (x < 1)"),
        {"test_hard_tanh_grad"}, "convert with .astype(x.dtype)"),
    # relu
    "relu_in_place": ("relu", fn("relu(x)", "x[x < 0] = 0", "return x"),
        {"test_relu"}, "changed its input x in place"),
    "relu_returns_the_mask": ("relu", fn("relu(x)", "return (x > 0).astype(x.dtype)"),
        {"test_relu"}, "the mask (x > 0)"),
    "relu_grad_wrong_side_of_kink": ("relu_grad", fn("relu_grad(x)", "return (x >= 0).astype(x.dtype)"),
        {"test_relu_grad"}, "wrong side of the kink"),
    "relu_grad_booleans": ("relu_grad", fn("relu_grad(x)", "return x > 0"),
        {"test_relu_grad"}, "convert with .astype(x.dtype)"),
    "relu_grad_delegates_to_nnlib": ("relu_grad", fn("relu_grad(x)", "from nnlib.layers import ACTIVATIONS",
                                                     "return ACTIVATIONS['relu'][1](x)"),
        {"test_relu_grad"}, "your own implementation"),
    # leaky relu
    "leaky_relu_ignores_alpha": ("leaky_relu", fn("leaky_relu(x, alpha=0.01)", "return np.where(x > 0, x, 0.01 * x)"),
        {"test_leaky_relu"}, "alpha was ignored"),
    "leaky_relu_slope_on_positive_side": ("leaky_relu", fn("leaky_relu(x, alpha=0.01)",
                                                           "return np.where(x > 0, alpha * x, x)"),
        {"test_leaky_relu"}, "positive side"),
    "leaky_relu_grad_wrong_side_of_kink": ("leaky_relu_grad", fn("leaky_relu_grad(x, alpha=0.01)",
                                                                 "return np.where(x >= 0, 1, alpha).astype(x.dtype)"),
        {"test_leaky_relu_grad"}, "wrong side of the kink"),
    "leaky_relu_grad_upcasts_float32": ("leaky_relu_grad", fn("leaky_relu_grad(x, alpha=0.01)",
                                                              "return np.where(x > 0, 1.0, alpha)"),
        {"test_leaky_relu_grad"}, "convert with .astype(x.dtype)"),
    # prelu
    "prelu_as_maximum": ("prelu", fn("prelu(x, alpha)", "return np.maximum(x, alpha * x)"),
        {"test_prelu"}, "only while alpha <= 1"),
    "prelu_in_place": ("prelu", fn("prelu(x, alpha)", "negative = x <= 0", "x[negative] = (alpha * x)[negative]",
                                   "return x"),
        {"test_prelu"}, "changed its input x in place"),
    "prelu_backward_dalpha_not_summed": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x > 0, dout, alpha * dout)",
        "return dx, np.where(x > 0, 0, x * dout)"),
        {"test_prelu_backward"}, "to alpha's shape"),
    "prelu_backward_dalpha_summed_over_everything": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x > 0, dout, alpha * dout)",
        "return dx, np.sum(np.where(x > 0, 0, x * dout))"),
        {"test_prelu_backward"}, "summed over everything"),
    "prelu_backward_dalpha_without_x": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x > 0, dout, alpha * dout)",
        "per_element = np.where(x > 0, 0, dout)",
        "return dx, per_element.sum(axis=0) if np.ndim(alpha) else per_element.sum()"),
        {"test_prelu_backward"}, "missing the factor x"),
    "prelu_backward_dx_wrong_side_of_kink": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x >= 0, dout, alpha * dout)",
        "per_element = np.where(x > 0, 0, x * dout)",
        "return dx, per_element.sum(axis=0) if np.ndim(alpha) else per_element.sum()"),
        {"test_prelu_backward"}, "wrong side of the kink"),
    # swish
    "swish_ignores_beta": ("swish", fn("swish(x, beta=1.0)", "return x * sigmoid(x)"),
        {"test_swish"}, "beta was ignored"),
    "swish_naive_exp_overflows": ("swish", fn("swish(x, beta=1.0)", "return x / (1 + np.exp(-beta * x))"),
        {"test_swish"}, "use your stable sigmoid"),
    "swish_grad_without_product_rule": ("swish_grad", fn("swish_grad(x, beta=1.0)", "return sigmoid(beta * x)"),
        {"test_swish_grad"}, "product rule"),
    "swish_grad_second_term_only": ("swish_grad", fn("swish_grad(x, beta=1.0)", "s = sigmoid(beta * x)",
                                                     "return beta * x * s * (1 - s)"),
        {"test_swish_grad"}, "the product rule adds the first term"),
    "swish_grad_missing_chain_rule_beta": ("swish_grad", fn("swish_grad(x, beta=1.0)", "s = sigmoid(beta * x)",
                                                            "return s + x * s * (1 - s)"),
        {"test_swish_grad"}, "factor beta is missing"),
}

CORRECT = {
    "tanh_based_sigmoid_and_other_formulas": {
        "sigmoid": fn("sigmoid(x)", "return 0.5 * (1 + np.tanh(0.5 * x))"),
        "sigmoid_grad": fn("sigmoid_grad(x)", "e = np.exp(-np.abs(x))", "return e / (1 + e) ** 2"),
        "tanh": fn("tanh(x)", "return 2 * sigmoid(2 * x) - 1"),
        "tanh_grad": fn("tanh_grad(x)", "return 4 * sigmoid_grad(2 * x)"),
        "hard_tanh": fn("hard_tanh(x)", "return np.minimum(np.maximum(x, -1), 1)"),
        "hard_tanh_grad": fn("hard_tanh_grad(x)", "return (np.abs(x) < 1).astype(x.dtype)"),
        "relu": fn("relu(x)", "return x * (x > 0)"),
        "relu_grad": fn("relu_grad(x)", "return np.heaviside(x, 0).astype(x.dtype)"),
        "leaky_relu": fn("leaky_relu(x, alpha=0.01)", "return np.maximum(x, alpha * x)"),
        "leaky_relu_grad": fn("leaky_relu_grad(x, alpha=0.01)", "g = np.ones_like(x)", "g[x <= 0] = alpha",
                              "return g"),
        "prelu": fn("prelu(x, alpha)", "return np.maximum(0, x) + alpha * np.minimum(0, x)"),
        "prelu_backward": fn("prelu_backward(dout, x, alpha)",
                             "negative = x <= 0",
                             "dx = dout * (1 + (alpha - 1) * negative)",
                             "per_element = x * dout * negative",
                             "if np.ndim(alpha) == 0:",
                             "    return dx, per_element.sum()",
                             "return dx, per_element.reshape(-1, x.shape[-1]).sum(axis=0)"),
        "swish": fn("swish(x, beta=1.0)", "return x * 0.5 * (1 + np.tanh(0.5 * beta * x))"),
        "swish_grad": fn("swish_grad(x, beta=1.0)", "return sigmoid(beta * x) + beta * x * sigmoid_grad(beta * x)"),
    },
    "logaddexp_sigmoid_and_where_forms": {
        "sigmoid": fn("sigmoid(x)", "return np.exp(-np.logaddexp(0, -x))"),
        "relu": fn("relu(x)", "return np.where(x > 0, x, 0)"),
        "relu_grad": fn("relu_grad(x)", "return np.sign(np.maximum(x, 0))"),
        "hard_tanh_grad": fn("hard_tanh_grad(x)", "return np.where((x > -1) & (x < 1), 1, 0).astype(x.dtype)"),
        "prelu_backward": fn("prelu_backward(dout, x, alpha)",
                             "positive = x > 0",
                             "dx = np.where(positive, dout, alpha * dout).astype(x.dtype)",
                             "dalpha = np.sum(np.where(positive, 0, x * dout), axis=tuple(range(x.ndim - np.ndim(alpha))))",
                             "return dx, dalpha"),
    },
}
