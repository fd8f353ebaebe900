"""The grader's end of the sandbox (nngrader.sandbox.remote): a student's function called from a test
behaves as it would in one process, and only plain data comes back."""

import warnings

import numpy as np
import pytest

from nngrader.sandbox import jail
from nnlib.grading import allow_updates, call_strict, forbid_delegation
from nnlib.gradcheck import relative_error
from nngrader.sandbox.remote import Policy, RemoteFunction, RemoteObject, SandboxProcess, WorkerDied

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
    from nnlib.gradcheck import relative_error
    return relative_error(Z, Z + 1)

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

def double_every_array(arg):
    if isinstance(arg, np.ndarray):
        arg *= 2
    elif isinstance(arg, dict):
        for value in arg.values():
            double_every_array(value)
    elif isinstance(arg, (list, tuple)):
        for value in arg:
            double_every_array(value)

def set_entry(d, key, value):
    d[key] = value
'''


@pytest.fixture(scope="module")
def worker():
    with SandboxProcess() as w:
        result = w.run(STUDENT, timeout=30)
        assert result["error"] is None, result
        yield w


def test_an_input_changed_in_place_is_changed_here_and_noted(worker):
    x = np.array([1.0, 2.0])
    with worker.policy(Policy()) as seen:
        worker.get("scale_in_place")(x, 3.0)
    np.testing.assert_array_equal(x, [3.0, 6.0])  # as in one process: a test can see it
    assert seen.inputs_changed


def test_protected_inputs_are_not_changed_by_the_students_function(worker):
    x = np.array([1.0, 2.0])
    with worker.policy(Policy(protect_inputs=True)):
        worker.get("scale_in_place")(x, 3.0)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.fixture
def allowed():
    allow_updates("x", "mean")
    yield
    allow_updates()


def test_a_dict_entry_the_notebook_allows_is_changed_even_when_inputs_are_protected(worker, allowed):
    x = np.array([1.0, 2.0])
    with worker.policy(Policy(protect_inputs=True)) as seen:
        worker.get("scale_entry_in_place")({"x": x}, 3.0)
    np.testing.assert_array_equal(x, [3.0, 6.0])
    assert not seen.inputs_changed


def test_a_dict_entry_the_notebook_does_not_allow_is_protected(worker):
    x = np.array([1.0, 2.0])
    with worker.policy(Policy(protect_inputs=True)):
        worker.get("scale_entry_in_place")({"x": x}, 3.0)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize("make, look", [
    (lambda: [np.array([1.0, 2.0])], lambda arg: arg[0]),                  # an array in a list
    (lambda: (np.array([1.0, 2.0]), 1), lambda arg: arg[0]),               # an array in a tuple
    (lambda: {"a": [np.array([1.0, 2.0])]}, lambda arg: arg["a"][0]),     # deeper
])
def test_arrays_changed_at_any_depth_count_as_changed_and_are_protected(worker, make, look):
    arg = make()
    with worker.policy(Policy()) as seen:
        worker.get("double_every_array")(arg)
    np.testing.assert_array_equal(look(arg), [2.0, 4.0])   # as in one process
    assert seen.inputs_changed
    arg = make()
    with worker.policy(Policy(protect_inputs=True)):
        worker.get("double_every_array")(arg)
    np.testing.assert_array_equal(look(arg), [1.0, 2.0])


def test_a_scalar_dict_entry_counts_as_changed_and_is_protected(worker):
    state = {"lr": 0.1}
    with worker.policy(Policy()) as seen:
        worker.get("set_entry")(state, "lr", 0.0)
    assert state == {"lr": 0.0} and seen.inputs_changed
    state = {"lr": 0.1}
    with worker.policy(Policy(protect_inputs=True)):
        worker.get("set_entry")(state, "lr", 0.0)
    assert state == {"lr": 0.1}


def test_a_call_that_changes_nothing_is_not_noted(worker):
    with worker.policy(Policy()) as seen:
        worker.get("draw")(np.random.default_rng(1))
        worker.get("set_entry")({"lr": 0.1, "x": [1, (2.0, float("nan"), np.ones(2))]}, "lr", 0.1)
    assert not seen.inputs_changed


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
    assert delegates(np.zeros((1, 2))) == relative_error(np.zeros((1, 2)), np.ones((1, 2)))
    with forbid_delegation(relative_error), pytest.raises(AssertionError, match="your own implementation"):
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
        with w.policy(Policy(deadline=__import__("time").monotonic() + 1)), pytest.raises(TimeoutError):
            spin()
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


# -- the channel: only the broker writes on it, and what it carries is bounded --------------
def test_the_students_process_cannot_reach_the_graders_channel_nor_stop_the_broker():
    with SandboxProcess() as w:
        result = w.run(
            "import os, signal\n"
            "try:\n"
            "    os.listdir('/proc/1/fd'); print('BROKER FDS READABLE')\n"
            "except OSError:\n"
            "    print('broker hidden')\n"
            "for s in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):\n"
            "    os.kill(1, s)\n"
            "    os.kill(os.getppid(), s)\n"
            "try:\n"
            "    os.kill(-1, signal.SIGKILL)\n"
            "except OSError:\n"
            "    pass\n"
            "print('parent', os.getppid(), 'fds', sorted(os.listdir('/proc/self/fd')))\n", timeout=30)
        assert "broker hidden" in result["stdout"], result
        assert "parent 1 fds ['0', '1', '2', '3', '4']" in result["stdout"], result  # std streams, its socket
        assert w.run("y = 2\n", timeout=30)["error"] is None  # the broker is alive and answers


def _runner(code):
    """Student code that gets hold of the executor's own CellRunner (as a cheat would)."""
    return ("import gc\n"
            "runner = [o for o in gc.get_objects() if type(o).__name__ == 'CellRunner'][0]\n" + code)


def test_a_second_reply_to_one_request_ends_the_notebook_with_a_reason():
    with SandboxProcess() as w:
        w.run(_runner("runner.send({'op': 'done', 'id': 1, 'stdout': 'forged'})\n"), timeout=30)
        # the real reply to that request came when no request was waiting: the broker ended it
        with pytest.raises(WorkerDied, match="breaks the protocol"):
            w.run("x = 1\n", timeout=30)


@pytest.mark.parametrize("frame", [
    "{'op': 'done', 'id': 1, 'stdout': {'not': 'text'}}",
    "{'op': 'ended', 'why': 'ended', 'signal': 24}",          # the broker's own message
    "{'op': 'ready', 'pid': 1}",
    "{'op': 'done', 'id': 1, 'granted': True}",
    "{'op': 'callback', 'id': 'x'}",
])
def test_a_reply_the_protocol_does_not_allow_ends_the_notebook_with_a_reason(frame):
    with SandboxProcess() as w:
        with pytest.raises(WorkerDied, match="breaks the protocol"):
            w.run(_runner(f"runner.send({frame})\nimport time\ntime.sleep(30)\n"), timeout=30)


def test_bytes_that_are_not_a_frame_end_the_notebook_with_a_reason():
    with SandboxProcess() as w:
        with pytest.raises(WorkerDied, match="breaks the protocol"):
            w.run(_runner("import os, time\nos.write(runner.out_fd, b'\\x00\\x00\\x00\\x05junk!')\n"
                          "time.sleep(30)\n"), timeout=30)
