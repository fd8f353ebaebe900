"""nnlib.probes.count_operations: a Python loop over the rows costs more operations than
the vectorised version on a far larger input; counts start from zero on each call; dict
arguments come back updated in place; a function that counts elsewhere is delegated to."""

import numpy as np

from nnlib.probes import CountingArray, count_operations


def norms_loop(X):
    out = np.empty(len(X))
    for i in range(len(X)):
        out[i] = np.sqrt((X[i] ** 2).sum())
    return out


def norms_vectorised(X):
    return np.sqrt((X ** 2).sum(axis=1))


def test_a_loop_over_rows_counts_more_than_vectorised_code_on_a_larger_input():
    rng = np.random.default_rng(0)
    small, large = rng.standard_normal((10, 3)), rng.standard_normal((1000, 3))
    loop_small, n_loop = count_operations(norms_loop, small)
    vec_large, n_vec_large = count_operations(norms_vectorised, large)
    _, n_vec_small = count_operations(norms_vectorised, small)
    _, n_loop_double = count_operations(norms_loop, np.vstack([small, small]))
    assert n_loop > n_vec_large > 0
    assert n_vec_small == n_vec_large, "vectorised code does the same operations at any N"
    assert n_loop_double > n_loop, "a loop over rows does more operations on more rows"
    np.testing.assert_allclose(loop_small, np.linalg.norm(small, axis=1))
    np.testing.assert_allclose(vec_large, np.linalg.norm(large, axis=1))


def test_each_count_starts_from_zero():
    count_operations(norms_loop, np.ones((50, 2)))
    assert count_operations(lambda X: X.shape, np.ones((50, 2))) == ((50, 2), 0)


def test_in_place_ufunc_with_out_changes_the_caller_array():
    X = np.arange(3.0)
    result, count = count_operations(lambda A: np.multiply(A, 2, out=A), X)
    np.testing.assert_array_equal(X, [0.0, 2.0, 4.0])
    assert count == 1 and np.shares_memory(result, X)


def test_dict_arguments_are_updated_in_place():
    W, b = np.ones((2, 2)), np.zeros(2)
    params, grads = {"W": W, "b": b}, {"W": np.full((2, 2), 2.0), "b": np.ones(2)}

    def step(params, grads, lr):
        params["W"] -= lr * grads["W"]              # in place: the same array object
        params["b"] = params["b"] - lr * grads["b"]  # rebound to a new array

    _, count = count_operations(step, params, grads=grads, lr=0.5)
    assert count >= 4
    assert params["W"] is W, "an array changed in place must stay the caller's object"
    np.testing.assert_array_equal(W, np.zeros((2, 2)))
    assert params["b"] is not b and type(params["b"]) is np.ndarray
    np.testing.assert_array_equal(params["b"], [-0.5, -0.5])
    np.testing.assert_array_equal(b, [0.0, 0.0])
    assert not any(isinstance(v, CountingArray) for v in {**params, **grads}.values())


def test_a_function_that_counts_elsewhere_is_delegated_to():
    calls = []

    def student(X):
        calls.append(X)

    student.nnlib_count_operations = lambda *args, **kwargs: ("remote", args, kwargs)
    assert count_operations(student, 1, y=2) == ("remote", (1,), {"y": 2})
    assert calls == [], "the function itself must not run here"
