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
SWISH_CELLS = {"test_swish", "test_swish_grad"}     # swish calls your sigmoid

# name -> (solution cell, code, exactly the cells that lose points, a hint that must be shown)
MISTAKES = {
    # sigmoid
    "sigmoid_naive_overflows": ("sigmoid", fn("sigmoid(x)", "return 1 / (1 + np.exp(-x))"),
        {"test_sigmoid_stable", "test_sigmoid_grad"} | SWISH_CELLS, "every exponent"),
    "sigmoid_where_over_both_unsafe_forms": ("sigmoid", fn("sigmoid(x)",
                                                           "return np.where(x >= 0, 1 / (1 + np.exp(-x)), "
                                                           "np.exp(x) / (1 + np.exp(x)))"),
        {"test_sigmoid_stable", "test_sigmoid_grad"} | SWISH_CELLS, "both branches of np.where"),
    "sigmoid_branches_swapped": ("sigmoid", fn("sigmoid(x)", "e = np.exp(-np.abs(x))",
                                               "return np.where(x >= 0, e / (1 + e), 1 / (1 + e))"),
        SIGMOID_CELLS | SWISH_CELLS, "wrong sides of 0"),
    # sigmoid_grad
    "sigmoid_grad_one_minus_x": ("sigmoid_grad", fn("sigmoid_grad(x)", "s = sigmoid(x)", "return s * (1 - x)"),
        {"test_sigmoid_grad"}, "sigmoid(x) * (1 - x)"),
    "sigmoid_grad_of_the_input": ("sigmoid_grad", fn("sigmoid_grad(x)", "return x * (1 - x)"),
        {"test_sigmoid_grad"}, "x * (1 - x)"),
    "sigmoid_grad_naive_exp": ("sigmoid_grad", fn("sigmoid_grad(x)", "e = np.exp(-x)", "return e / (1 + e) ** 2"),
        {"test_sigmoid_grad"}, "compute the derivative from your stable sigmoid"),
    # hard tanh
    "hard_tanh_grad_inclusive_at_kinks": ("hard_tanh_grad", fn("hard_tanh_grad(x)",
                                                               "return ((x >= -1) & (x <= 1)).astype(x.dtype)"),
        {"test_hard_tanh_grad_kinks"}, "slope of the identity piece"),
    "hard_tanh_grad_booleans": ("hard_tanh_grad", fn("hard_tanh_grad(x)", "return (x > -1) & (x < 1)"),
        {"test_hard_tanh_grad"}, "a comparison gives booleans"),
    "hard_tanh_grad_slopes_swapped": ("hard_tanh_grad", fn("hard_tanh_grad(x)",
                                                           "return ((x <= -1) | (x >= 1)).astype(x.dtype)"),
        {"test_hard_tanh_grad", "test_hard_tanh_grad_kinks"}, "the other way round"),
    # prelu_backward
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
    "prelu_backward_dx_without_dout": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x > 0, 1.0, alpha * np.ones_like(x))",
        "per_element = np.where(x > 0, 0, x * dout)",
        "return dx, per_element.sum(axis=0) if np.ndim(alpha) else per_element.sum()"),
        {"test_prelu_backward", "test_prelu_backward_kink"}, "missing the upstream gradient dout"),
    "prelu_backward_dx_wrong_side_of_kink": ("prelu_backward", fn(
        "prelu_backward(dout, x, alpha)",
        "dx = np.where(x >= 0, dout, alpha * dout)",
        "per_element = np.where(x > 0, 0, x * dout)",
        "return dx, per_element.sum(axis=0) if np.ndim(alpha) else per_element.sum()"),
        {"test_prelu_backward_kink"}, "slope of the identity piece"),
    # swish
    "swish_ignores_beta": ("swish", fn("swish(x, beta=1.0)", "return x * sigmoid(x)"),
        {"test_swish"}, "beta was ignored"),
    "swish_naive_exp_overflows": ("swish", fn("swish(x, beta=1.0)", "return x / (1 + np.exp(-beta * x))"),
        {"test_swish"}, "compute the gate with your stable sigmoid"),
    "swish_grad_without_product_rule": ("swish_grad", fn("swish_grad(x, beta=1.0)", "return sigmoid(beta * x)"),
        {"test_swish_grad"}, "product rule"),
    "swish_grad_second_term_only": ("swish_grad", fn("swish_grad(x, beta=1.0)", "s = sigmoid(beta * x)",
                                                     "return beta * x * s * (1 - s)"),
        {"test_swish_grad"}, "also differentiates the factor x"),
    "swish_grad_missing_chain_rule_beta": ("swish_grad", fn("swish_grad(x, beta=1.0)", "s = sigmoid(beta * x)",
                                                            "return s + x * s * (1 - s)"),
        {"test_swish_grad"}, "inner derivative is missing"),
}

CORRECT = {
    "tanh_based_sigmoid_and_other_formulas": {
        "sigmoid": fn("sigmoid(x)", "return 0.5 * (1 + np.tanh(0.5 * x))"),
        "sigmoid_grad": fn("sigmoid_grad(x)", "e = np.exp(-np.abs(x))", "return e / (1 + e) ** 2"),
        "hard_tanh_grad": fn("hard_tanh_grad(x)", "return (np.abs(x) < 1).astype(x.dtype)"),
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
        "hard_tanh_grad": fn("hard_tanh_grad(x)", "return np.where((x > -1) & (x < 1), 1, 0).astype(x.dtype)"),
        "prelu_backward": fn("prelu_backward(dout, x, alpha)",
                             "positive = x > 0",
                             "dx = np.where(positive, dout, alpha * dout).astype(x.dtype)",
                             "dalpha = np.sum(np.where(positive, 0, x * dout), axis=tuple(range(x.ndim - np.ndim(alpha))))",
                             "return dx, dalpha"),
    },
}
