"""nnlib.grading: the checks test cells use must fail on wrong answers, with actionable messages."""

import warnings

import numpy as np
import pytest

from nnlib import grading


def softmax(Z):
    """A reference the tests compare with (and forbid delegating to)."""
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def test_check_type_names_a_missing_return():
    with pytest.raises(AssertionError, match="forget a `return`"):
        grading.check_type(None, np.ndarray, "f(x)")
    with pytest.raises(AssertionError, match="should be a ndarray, got a list"):
        grading.check_type([1, 2], np.ndarray, "f(x)")
    grading.check_type(np.zeros(2), np.ndarray, "f(x)")


def test_check_shape_reports_both_shapes():
    with pytest.raises(AssertionError, match=r"expected shape \(2, 3\), got \(3, 2\)"):
        grading.check_shape(np.zeros((3, 2)), (2, 3), "Z")
    grading.check_shape(np.zeros((2, 3)), (2, 3), "Z")


def test_check_dtype_catches_upcast_float32():
    with pytest.raises(AssertionError, match="expected dtype float32, got float64"):
        grading.check_dtype(np.zeros(2), np.float32, "P")
    grading.check_dtype(np.zeros(2, np.float32), np.float32, "P")
    with pytest.raises(AssertionError) as info:
        grading.check_dtype(np.zeros(2, np.int64), np.float64, "W")
    assert str(info.value) == "W: expected dtype float64, got int64"


def test_check_close_reports_first_bad_index_and_count():
    with pytest.raises(AssertionError, match=r"1 of 4 values differ.*index \(1, 0\).*got 9\.0, expected 3\.0"):
        grading.check_close(np.array([[1.0, 2.0], [9.0, 4.0]]), [[1.0, 2.0], [3.0, 4.0]], "A")
    grading.check_close(np.array([1.0, 2.0 + 1e-9]), [1.0, 2.0], "A")


def test_check_close_names_nan_and_inf():
    with pytest.raises(AssertionError, match="contains nan at index \\(1,\\)"):
        grading.check_close(np.array([1.0, np.nan]), [1.0, 2.0], "P")


def test_check_close_rejects_non_numeric_output():
    with pytest.raises(AssertionError, match="should be numeric"):
        grading.check_close("abc", [1.0], "P")


def test_hint_is_raised_when_output_matches_the_mistake():
    Z = np.array([[1.0, 2.0], [3.0, 5.0]])
    wrong = np.exp(Z)
    hints = {"divide by the sum": np.exp(Z), "other mistake": np.zeros((2, 2))}
    with pytest.raises(AssertionError, match="P: divide by the sum"):
        grading.check_array(wrong, softmax(Z), "P", hints=hints)


def test_hint_is_not_raised_for_an_unrelated_wrong_answer():
    with pytest.raises(AssertionError) as info:
        grading.check_array(np.ones((2, 2)), np.zeros((2, 2)), "P", hints={"named mistake": np.full((2, 2), 7.0)})
    assert "named mistake" not in str(info.value)
    assert "values differ" in str(info.value)


def test_hint_also_applies_when_the_shape_is_wrong():
    with pytest.raises(AssertionError, match="summed without keepdims"):
        grading.check_array(np.ones(3), np.ones((3, 1)), "s", hints={"summed without keepdims": np.ones(3)})


def test_hints_must_be_a_mapping():
    with pytest.raises(TypeError, match="hints must be a dict"):
        grading.check_close(np.ones(2), np.ones(2), "x", hints=[np.ones(2)])


def test_check_array_checks_dtype_of_expected():
    with pytest.raises(AssertionError, match="dtype"):
        grading.check_array(np.ones(2), np.ones(2, dtype=np.float32), "x")


def test_matches_is_shape_sensitive_and_nan_aware():
    assert grading.matches([np.nan, 1.0], [np.nan, 1.0])
    assert not grading.matches(np.ones(3), np.ones((3, 1)))
    assert not grading.matches(object(), np.ones(2))


def test_call_strict_turns_overflow_into_the_hint():
    def naive(z):
        return np.exp(z) / np.exp(z).sum()

    with pytest.raises(AssertionError, match="overflow.*subtract the max"):
        grading.call_strict(naive, np.array([1e4, 0.0]), name="softmax", hint="subtract the max")


def test_call_strict_allows_underflow_and_returns_the_value():
    out = grading.call_strict(np.exp, np.array([-1e4]), name="exp", hint="-")
    assert out[0] == 0.0


def test_call_strict_catches_python_runtime_warnings():
    def warns():
        warnings.warn("careful", RuntimeWarning)

    with pytest.raises(AssertionError, match="careful.*hint"):
        grading.call_strict(warns, name="f", hint="hint")


def test_forbid_delegation_blocks_every_alias_and_restores_after():
    alias = softmax

    def student_softmax(Z):
        return alias(Z)

    with grading.forbid_delegation(softmax):
        with pytest.raises(AssertionError, match="your own implementation"):
            student_softmax(np.zeros((1, 2)))
    np.testing.assert_allclose(student_softmax(np.zeros((1, 2))), [[0.5, 0.5]])


def test_forbid_delegation_rejects_what_it_cannot_swap():
    with pytest.raises(TypeError, match="ufunc"):
        with grading.forbid_delegation(np.tanh):
            pass


def test_a_hint_equal_to_the_right_answer_is_not_raised():
    right = np.array([[1.0]])
    grading.check_array(right.copy(), right, "one_hot", hints={"transposed": right.T})
