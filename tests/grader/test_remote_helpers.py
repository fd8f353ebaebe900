"""nngrader.sandbox.remote's pure helpers: _update_in_place makes the grader's arguments look as the
student's code left its copies (arrays changed in place stay the same objects, replaced
dict entries become new objects, generators continue, lists follow); and
_runtime_warning_action reads what the warning filters do with a RuntimeWarning."""

import warnings

import numpy as np
import pytest

from nngrader.sandbox.remote import _runtime_warning_action, _update_in_place


def test_array_is_changed_in_place():
    original = np.zeros((2, 3), dtype=np.float32)
    _update_in_place(original, np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(original, np.arange(6.0).reshape(2, 3))
    assert original.dtype == np.float32


def test_array_of_another_shape_or_read_only_is_left_alone():
    original = np.zeros(3)
    _update_in_place(original, np.ones(4))
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    _update_in_place(frozen, np.ones(3))
    np.testing.assert_array_equal(original, np.zeros(3))
    np.testing.assert_array_equal(frozen, np.zeros(3))


def test_dict_entries_follow_the_students_copy():
    W, b = np.zeros(2), np.zeros(2)
    original = {"W": W, "b": b, "gone": 1, "lr": 0.1}
    changed = {"W": np.ones(2), "b": np.full(2, 5.0), "lr": 0.01, "new": "x"}
    _update_in_place(original, changed, replaced=[1])   # position 1 is "b"
    assert original["W"] is W and np.array_equal(W, [1.0, 1.0])
    assert original["b"] is changed["b"], "a replaced entry becomes the new object"
    np.testing.assert_array_equal(b, [0.0, 0.0])          # the old array is untouched
    assert original["lr"] == 0.01 and original["new"] == "x" and "gone" not in original


def test_nested_dict_entry_of_another_shape_is_replaced():
    W = np.zeros(2)
    original = {"W": W}
    _update_in_place(original, {"W": np.ones(3)})
    assert original["W"].shape == (3,) and np.array_equal(W, [0.0, 0.0])


def test_generator_continues_from_the_students_state():
    original, student = np.random.default_rng(1), np.random.default_rng(1)
    student.standard_normal(10)
    _update_in_place(original, student)
    assert original.standard_normal() == student.standard_normal()


def test_lists_are_updated_element_by_element_or_replaced():
    W = np.zeros(2)
    original = [W, 3, np.zeros(2), np.zeros(2)]
    changed = [np.ones(2), 4, np.ones(5), None]
    _update_in_place(original, changed)
    assert original[0] is W and np.array_equal(W, [1.0, 1.0])
    assert original[1] == 4
    assert original[2].shape == (5,), "an element of another shape is replaced"
    assert original[3] is None, "an element that became something else is replaced"
    shorter = [1, 2, 3]
    _update_in_place(shorter, [9])
    assert shorter == [9]


@pytest.mark.parametrize("action, expected", [("error", "error"), ("ignore", "ignore"),
                                              ("always", "default"), ("default", "default")])
def test_runtime_warning_action_follows_the_filters(action, expected):
    with warnings.catch_warnings():
        warnings.simplefilter(action, RuntimeWarning)
        assert _runtime_warning_action() == expected


def test_runtime_warning_action_skips_filters_that_do_not_cover_all_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.filterwarnings("ignore", message="overflow", category=RuntimeWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="somewhere")
        warnings.simplefilter("ignore", UserWarning)
        assert _runtime_warning_action() == "error"
        warnings.simplefilter("ignore")      # every warning, RuntimeWarning included
        assert _runtime_warning_action() == "ignore"


def test_runtime_warning_action_is_default_without_filters():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        assert _runtime_warning_action() == "default"
