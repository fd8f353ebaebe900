"""The grader's end of the sandbox (nngrader.sandbox.remote): a student's function called from a test
behaves as it would in one process, and only plain data comes back."""

import warnings

import numpy as np
import pytest

from nngrader.sandbox import jail
from nnlib.grading import allow_updates, call_strict, forbid_delegation
from nnlib.layers import softmax as nnlib_softmax
from nngrader.sandbox.remote import RemoteFunction, RemoteObject, SandboxProcess, WorkerDied

pytestmark = pytest.mark.slow  # each test starts a sandbox

try:
    jail.check_available()
except jail.SandboxUnavailable as why:
    pytest.skip(f"no grading sandbox here: {why}", allow_module_level=True)

STUDENT = '''
import numpy as np

def scale_in_place(x, factor):
    x *= factor

def scale_entry_in_place(state, factor):
    state["x"] *= factor

def replace_entry(state):
    state["mean"] = state["mean"] + 1.0

def draw(rng):
    return rng.normal(size=3)

def raise_value_error(what):
    raise ValueError(f"bad {what}")

def overflow(x):
    return np.exp(x)

def apply(f, x):
    return f(x) + 1

def delegates(Z):
    from nnlib.layers import softmax
    return softmax(Z)

def spin():
    while True:
        pass

class Keeper:
    def keep(self, params):
        self.kept = dict(params)      # a shallow copy: shares the arrays

class Counter:
    def __init__(self):
        self.n = 0
    def step(self):
        self.n += 1
        return self.n

class Anything:
    def __eq__(self, other):
        return True

def anything():
    return Anything()
'''


@pytest.fixture(scope="module")
def worker():
    with SandboxProcess() as w:
        result = w.run(STUDENT, timeout=30)
        assert result["error"] is None, result
        yield w


def test_an_input_changed_in_place_is_changed_here_and_noted(worker):
    x = np.array([1.0, 2.0])
    worker.inputs_changed = False
    worker.get("scale_in_place")(x, 3.0)
    np.testing.assert_array_equal(x, [3.0, 6.0])  # as in one process: a test can see it
    assert worker.inputs_changed


def test_protected_inputs_are_not_changed_by_the_students_function(worker):
    x = np.array([1.0, 2.0])
    worker.protect_inputs = True
    try:
        worker.get("scale_in_place")(x, 3.0)
    finally:
        worker.protect_inputs = False
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.fixture
def allowed():
    allow_updates("x", "mean")
    yield
    allow_updates()


def test_a_dict_entry_the_notebook_allows_is_changed_even_when_inputs_are_protected(worker, allowed):
    x = np.array([1.0, 2.0])
    worker.protect_inputs, worker.inputs_changed = True, False
    try:
        worker.get("scale_entry_in_place")({"x": x}, 3.0)
    finally:
        worker.protect_inputs = False
    np.testing.assert_array_equal(x, [3.0, 6.0])
    assert not worker.inputs_changed


def test_a_dict_entry_the_notebook_does_not_allow_is_protected(worker):
    x = np.array([1.0, 2.0])
    worker.protect_inputs = True
    try:
        worker.get("scale_entry_in_place")({"x": x}, 3.0)
    finally:
        worker.protect_inputs = False
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_a_replaced_dict_entry_leaves_the_old_array_alone(worker, allowed):
    old = np.zeros(2)
    state = {"mean": old}
    worker.get("replace_entry")(state)
    np.testing.assert_array_equal(state["mean"], [1.0, 1.0])
    np.testing.assert_array_equal(old, [0.0, 0.0])


def test_a_generator_continues_where_the_students_code_left_it(worker):
    rng, twin = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(worker.get("draw")(rng), twin.normal(size=3))
    assert rng.normal() == twin.normal()


def test_arrays_keep_their_identity_across_the_boundary(worker):
    # as in one process: a shallow copy kept by the student's object shares the grader's arrays
    keeper = worker.get("Keeper")()
    W = np.array([1.0, 2.0])
    keeper.keep({"W": W})
    W -= 10.0                         # updated in place here, after the call
    kept = keeper.kept
    assert kept["W"] is W
    np.testing.assert_array_equal(kept["W"], [-9.0, -8.0])


def test_exceptions_arrive_as_their_builtin_kind_with_the_message(worker):
    with pytest.raises(ValueError, match="bad epoch"):
        worker.get("raise_value_error")("epoch")


def test_call_strict_and_warnings_apply_inside_the_sandbox(worker):
    overflow = worker.get("overflow")
    with pytest.raises(AssertionError, match="overflow"):
        call_strict(overflow, np.array([1e4]), name="exp", hint="subtract the max")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        overflow(np.array([1e4]))
    assert any(issubclass(w.category, RuntimeWarning) for w in caught)


def test_a_tests_function_can_be_called_back_by_the_students_code(worker):
    assert worker.get("apply")(lambda v: v * 10, 4) == 41


def test_forbid_delegation_reaches_the_sandbox(worker):
    delegates = worker.get("delegates")
    np.testing.assert_allclose(delegates(np.zeros((1, 2))), [[0.5, 0.5]])
    with forbid_delegation(nnlib_softmax), pytest.raises(AssertionError, match="your own implementation"):
        delegates(np.zeros((1, 2)))


def test_objects_stay_in_the_sandbox_as_references(worker):
    counter = worker.get("Counter")()
    assert isinstance(counter, RemoteObject) and isinstance(counter.step, RemoteFunction)
    assert [counter.step(), counter.step()] == [1, 2] and counter.n == 2
    anything = worker.get("anything")()
    assert isinstance(anything, RemoteObject) and anything != 1 and not isinstance(anything, np.ndarray)


def test_a_function_past_its_time_is_stopped():
    with SandboxProcess() as w:
        w.run(STUDENT, timeout=30)
        spin = w.get("spin")
        w.deadline = __import__("time").monotonic() + 1
        with pytest.raises(TimeoutError):
            spin()
        w.deadline = None
        assert w.get("apply")(lambda v: v, 1) == 2  # the worker lives on


def test_a_worker_that_ignores_every_signal_is_killed_with_a_reason():
    with SandboxProcess() as w:
        w.run("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n", timeout=30)
        with pytest.raises(WorkerDied, match="did not stop"):
            w.run("while True:\n    pass\n", timeout=1)
        with pytest.raises(WorkerDied):
            w.get("signal")


def test_a_notebook_that_uses_up_its_cpu_time_is_stopped_with_that_reason():
    with SandboxProcess(jail.Limits(cpu_seconds=4)) as w:
        with pytest.raises(WorkerDied, match="CPU time"):
            w.run("while True:\n    pass\n", timeout=60)
