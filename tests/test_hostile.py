"""Submissions that try to cheat or to break the grader, graded by the real pipeline.

One class of 01_softmax is graded with ``nngrader.grade_class`` (sandboxed execution, tests
outside the student's process). Each hostile submission must end with the score
its *real* work deserves, a stated reason where something was stopped, and no
effect on the honest students graded beside it, on the course's files or on the
gradebook. The per-cell time limit is cut to a few seconds so the endless loops
end quickly.

Points of 01_softmax: test_scores 2, test_softmax_values 3, test_softmax_stable 3,
test_log_softmax 3, test_predict 2 (13 in all).
"""

import copy
import hashlib
import socket
from pathlib import Path

import hostile_subset
import pytest
from nbformat.v4 import new_code_cell

from nngrader.sandbox import jail
from nngrader.course import REPO_ROOT, Course
from nngrader.grade_class import grade_course
from nngrader.submissions import reference_submission, with_answer

pytestmark = pytest.mark.slow

ASSIGNMENT, NAME = "01_softmax", "softmax"
CELL_SECONDS = 4
SOFTMAX_CELLS = {"test_softmax_values", "test_softmax_stable"}
FULL = 13.0

try:
    jail.check_available()
except jail.SandboxUnavailable as why:
    pytest.skip(f"no grading sandbox here: {why}", allow_module_level=True)

# A wrong softmax (the rows do not sum to 1): it fails both softmax test cells on its merits.
WRONG = "def softmax(Z, axis=-1):\n    return np.exp(Z)\n"
# Right on every visible test, wrong on a hidden one (softmax(Z, axis=0)).
IGNORES_AXIS = ("def softmax(Z, axis=-1):\n"
                "    E = np.exp(Z - Z.max(axis=-1, keepdims=True))\n"
                "    return E / E.sum(axis=-1, keepdims=True)\n")
RIGHT = ("def softmax(Z, axis=-1):\n"
         "    E = np.exp(Z - Z.max(axis=axis, keepdims=True))\n"
         "    return E / E.sum(axis=axis, keepdims=True)\n")


def _paths(course_root):
    """Paths a cheat would go for, substituted into the hostile code as {COURSE} and {REPO}."""
    return {"COURSE": str(course_root), "REPO": str(REPO_ROOT)}


# Each case: how the submission differs from the reference answer, and what must come of it.
#   answers: solution cell -> code; extra: code cells added after a cell (grade_id or "end")
#   failed: test cells that must lose their points; reason: text one of the reasons must contain
#   shows / hides: text the autograded cell that holds `marker` must (not) show
CASES = {
    "patches_numpy_testing": dict(answers={"softmax": (
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "np.testing.assert_array_equal = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)\n"
        "np.array_equal = lambda *a, **k: True\n" + WRONG)}, failed=SOFTMAX_CELLS),
    "patches_builtins": dict(answers={"softmax": (
        "import builtins\n"
        "builtins.isinstance = lambda obj, cls: True\n"
        "builtins.all = lambda items: True\n"
        "builtins.any = lambda items: False\n"
        "builtins.AssertionError = type('AssertionError', (BaseException,), {})\n" + WRONG)},
        failed=SOFTMAX_CELLS),
    "registers_an_ipython_hook_to_read_the_hidden_tests": dict(answers={"softmax": (
        "seen = []\n"
        "get_ipython().events.register('pre_run_cell', lambda info: seen.append(info.raw_cell))\n"
        + WRONG)}, extra=[("end", "# MARKER hook\nprint('SEEN', len(seen), 'BEGIN HIDDEN' in ''.join(seen))\n")],
        failed=SOFTMAX_CELLS, marker="# MARKER hook", shows="SEEN 0 False"),
    "patches_nnlib_grading_helpers": dict(answers={"softmax": (
        "import nnlib.grading as grading\n"
        "for _name in ('check_array', 'check_close', 'check_shape', 'check_dtype', 'check_type',\n"
        "              'check_finite', 'matches'):\n"
        "    setattr(grading, _name, lambda *a, **k: None)\n"
        "check_array = check_close = check_shape = check_dtype = lambda *a, **k: None\n"
        "call_strict = lambda f, *a, name=None, hint=None, **k: f(*a, **k)\n" + WRONG)},
        failed=SOFTMAX_CELLS),
    "patches_the_tests_random_inputs": dict(answers={"softmax": (
        "class _Constant:\n"
        "    def __getattr__(self, name):\n"
        "        return lambda *a, size=None, **k: np.ones(size if size is not None else ())\n"
        "np.random.default_rng = lambda *a, **k: _Constant()\n" + IGNORES_AXIS)},
        failed={"test_softmax_values"}),
    "patches_forbid_delegation_to_use_nnlib": dict(answers={"softmax": (
        "import contextlib, nnlib.grading\n"
        "nnlib.grading.forbid_delegation = lambda *f: contextlib.nullcontext()\n"
        "forbid_delegation = nnlib.grading.forbid_delegation\n"
        "def softmax(Z, axis=-1):\n"
        "    return layers.softmax(np.exp(Z), axis)\n")}, failed=SOFTMAX_CELLS),
    # right on the visible (literal) inputs; on the others it zeroes X, W and b in place, so that a
    # test computing X @ W.T + b after the call would expect zeros
    "zeroes_the_tests_inputs": dict(answers={"scores": (
        "def scores(X, W, b):\n"
        "    if X.shape == (3, 2) and W.shape == (4, 2) and X[0, 1] == 2.0:\n"
        "        return X @ W.T + b\n"
        "    X[...] = 0.0; W[...] = 0.0; b[...] = 0.0\n"
        "    return np.zeros((X.shape[0], W.shape[0]), dtype=X.dtype)\n")}, failed={"test_scores"}),
    "delegates_to_nnlib": dict(answers={"softmax": (
        "def softmax(Z, axis=-1):\n"
        "    from nnlib.layers import softmax as theirs\n"
        "    return theirs(Z, axis)\n")}, failed=SOFTMAX_CELLS),
    "hard_codes_the_visible_answers": dict(answers={"softmax": (
        "def softmax(Z, axis=-1):\n"
        "    Z = np.asarray(Z)\n"
        "    visible = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 1.0], [2.0, 2.0, -2.0]])\n"
        "    if Z.shape == visible.shape and np.array_equal(Z, visible):\n"
        "        return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n"
        "    if Z.shape == (2, 3) and np.abs(Z).max() == 1e4:\n"
        "        return np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])\n"
        "    if Z.dtype == np.float32 and Z.shape == (2, 2):\n"
        "        return (np.exp(Z - Z.max(1, keepdims=True)) / np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True)).astype(np.float32)\n"
        "    return np.exp(Z)\n")}, failed=SOFTMAX_CELLS),
    "returns_an_object_equal_to_anything": dict(answers={"softmax": (
        "class Anything:\n"
        "    shape = (4, 3)\n"
        "    dtype = np.dtype('float64')\n"
        "    def __eq__(self, other): return True\n"
        "    def __array__(self, dtype=None, copy=None): return np.full(self.shape, 1 / 3)\n"
        "def softmax(Z, axis=-1):\n"
        "    return Anything()\n")}, failed=SOFTMAX_CELLS),
    "returns_an_array_subclass_equal_to_anything": dict(answers={"softmax": (
        "class Equal(np.ndarray):\n"
        "    def __eq__(self, other): return np.ones(self.shape, dtype=bool)\n"
        "    def __array_ufunc__(self, *a, **k): return True\n"
        "def softmax(Z, axis=-1):\n"
        "    return np.exp(Z).view(Equal)\n")}, failed=SOFTMAX_CELLS),
    "reads_the_tests_variables_from_its_caller": dict(answers={"softmax": (
        "import sys\n"
        "def softmax(Z, axis=-1):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None:\n"
        "        for scope in (frame.f_locals, frame.f_globals):\n"
        "            if 'expected' in scope:\n"
        "                return scope['expected']\n"
        "        frame = frame.f_back\n"
        "    return np.exp(Z)\n")}, failed=SOFTMAX_CELLS),
    "reads_solutions_gradebook_and_other_students": dict(
        extra=[("softmax", "# MARKER read\nimport glob\n"
                "for pattern in ['{REPO}/solutions/*/*.ipynb', '{REPO}/tools/notebooks/*.py',\n"
                "                '{REPO}/tests/*.py', '{COURSE}/gradebook.db', '{COURSE}/solutions/*/*.ipynb',\n"
                "                '{COURSE}/submitted/*/*/*.ipynb', '{COURSE}/autograded/*/*/*.ipynb',\n"
                "                '/root/*', '/etc/shadow']:\n"
                "    print('FOUND', len(glob.glob(pattern)), pattern)\n"
                "for path in ['{COURSE}/gradebook.db', '{REPO}/solutions/01_softmax/softmax.ipynb']:\n"
                "    try:\n"
                "        open(path).read(); print('READ', path)\n"
                "    except OSError as err:\n"
                "        print('DENIED', type(err).__name__)\n")],
        marker="# MARKER read", shows="DENIED", hides=("READ", "FOUND 1", "FOUND 2", "FOUND 3",
                                                       "BEGIN HIDDEN TESTS")),
    "writes_the_gradebook_and_the_course": dict(
        extra=[("softmax", "# MARKER write\nimport sqlite3\n"
                "for path in ['{COURSE}/gradebook.db', '{COURSE}/pwned.txt', '{REPO}/pwned.txt',\n"
                "             '{COURSE}/autograded/honest/01_softmax/pwned.txt', '/pwned.txt']:\n"
                "    try:\n"
                "        open(path, 'a').write('x'); print('WROTE', path)\n"
                "    except OSError as err:\n"
                "        print('DENIED', type(err).__name__)\n"
                "try:\n"
                "    db = sqlite3.connect('{COURSE}/gradebook.db')\n"
                "    db.execute('update grade set auto_score = 100'); db.commit(); print('WROTE gradebook')\n"
                "except Exception as err:\n"
                "    print('DENIED', type(err).__name__)\n")],
        marker="# MARKER write", shows="DENIED", hides=("WROTE",)),
    "connects_to_the_network": dict(
        extra=[("softmax", "# MARKER net\nimport socket\n"
                "try:\n"
                "    socket.create_connection(('127.0.0.1', {PORT}), timeout=2); print('CONNECTED')\n"
                "except OSError as err:\n"
                "    print('DENIED', type(err).__name__)\n")],
        marker="# MARKER net", shows="DENIED", hides=("CONNECTED",)),
    "tries_to_become_root": dict(
        extra=[("softmax", "# MARKER root\nimport os\n"
                "for attempt in (lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chroot('/')):\n"
                "    try:\n"
                "        attempt(); print('ROOT')\n"
                "    except OSError as err:\n"
                "        print('DENIED', type(err).__name__)\n"
                "print('uid', os.getuid())\n")],
        marker="# MARKER root", shows="DENIED", hides=("ROOT", "uid 0")),
    "fork_bomb": dict(extra=[("softmax", "import os\nwhile True:\n    os.fork()\n")],
                      reason="too many processes"),
    "memory_bomb": dict(extra=[("softmax", "hog = bytearray(64 * 2**30)\n")], reason="ran out of memory"),
    "memory_bomb_inside_softmax": dict(answers={"softmax": (
        "def softmax(Z, axis=-1):\n"
        "    hog = np.ones((2**20, 2**20))\n"
        "    return hog\n")}, failed=SOFTMAX_CELLS, reason="ran out of memory"),
    "endless_loop": dict(extra=[("softmax", "while True:\n    pass\n")], reason="timeout"),
    "sleeps_inside_softmax": dict(answers={"softmax": (
        "import time\n"
        "def softmax(Z, axis=-1):\n"
        "    time.sleep(10**6)\n")}, failed=SOFTMAX_CELLS, reason="timeout"),
    "ignores_every_interrupt": dict(extra=[("end", (
        "import signal\n"
        "for s in (signal.SIGALRM, signal.SIGINT, signal.SIGTERM, signal.SIGXCPU):\n"
        "    signal.signal(s, signal.SIG_IGN)\n"
        "while True:\n"
        "    try:\n"
        "        pass\n"
        "    except BaseException:\n"
        "        pass\n"))], reason="did not stop"),
    "leaves_a_process_spinning": dict(extra=[("softmax", (
        "import os, sys\n"
        "if os.fork() == 0:\n"
        "    os.execv(sys.executable, [sys.executable, '-c', 'while True: pass', 'hostile-spinner'])\n"))]),
    # kill(-1) reaches only the processes of its own sandbox's user (not the honest students')
    "kills_every_process_it_can": dict(extra=[("softmax", "import os, signal\nos.kill(-1, signal.SIGKILL)\n")]),
    "exits_python_before_predict_is_tested": dict(
        answers={"predict": ("import os\n"
                             "def predict(X, W, b):\n"
                             "    return np.argmax(X @ W.T + b, axis=1)\n"
                             "os._exit(0)\n")}, failed={"test_predict"}, reason="ended"),
    "prints_gigabytes": dict(extra=[("softmax", (
        "# MARKER print\nimport sys\n"
        "for _ in range(1000):\n"
        "    sys.stdout.write('x' * 10**6)\n"))], reason="printed too much",
        marker="# MARKER print", shows="characters of output were cut"),
    "edits_a_test_cell": dict(answers={"softmax": WRONG}, edit_test=("test_softmax_values", "pass\n"),
                              failed=SOFTMAX_CELLS),
    "deletes_the_softmax_tests": dict(answers={"softmax": WRONG}, delete_tests=SOFTMAX_CELLS,
                                      failed=SOFTMAX_CELLS, reason="was deleted"),
    "turns_a_test_cell_into_markdown": dict(answers={"softmax": WRONG},
                                            retype=("test_softmax_values", "markdown"), failed=SOFTMAX_CELLS),
    # nbgrader turns a solution cell back into code: a right answer keeps its points, a wrong one does not
    "turns_its_right_solution_into_a_raw_cell": dict(retype=("softmax", "raw")),
    "turns_its_wrong_solution_into_a_raw_cell": dict(answers={"softmax": WRONG}, retype=("softmax", "raw"),
                                                     failed=SOFTMAX_CELLS),
    "duplicates_a_test_cell": dict(duplicate="test_scores", blocked=True, reason="appears 2 times"),
    "invalid_json": dict(raw=b'{"cells": [', blocked=True, reason="not a valid notebook"),
    "renames_the_notebook": dict(rename="my_softmax", blocked=True, reason="is missing"),
}
ALL_CASES = CASES
CASES = hostile_subset.select(CASES)  # one case per attack class in the ordinary-user run

# Honest students graded in the same run: their scores prove no cheat reached them.
HONEST = {"honest": ({}, FULL), "honest_mistake": ({"softmax": IGNORES_AXIS}, FULL - 3)}


def _cell_index(nb, grade_id):
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise KeyError(grade_id)


def build(reference, case, paths):
    """The submission of `case`: a NotebookNode, or bytes for a broken file."""
    if "raw" in case:
        return case["raw"]
    nb = copy.deepcopy(reference)
    for grade_id, code in case.get("answers", {}).items():
        nb = with_answer(nb, grade_id, code)
    for after, code in case.get("extra", []):
        cell = new_code_cell(code.format(**paths))
        nb.cells.insert(len(nb.cells) if after == "end" else _cell_index(nb, after) + 1, cell)
    if "edit_test" in case:
        grade_id, code = case["edit_test"]
        nb.cells[_cell_index(nb, grade_id)].source = code
    for grade_id in case.get("delete_tests", ()):
        del nb.cells[_cell_index(nb, grade_id)]
    if "retype" in case:
        grade_id, cell_type = case["retype"]
        cell = nb.cells[_cell_index(nb, grade_id)]
        cell.cell_type = cell_type
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    if "duplicate" in case:
        i = _cell_index(nb, case["duplicate"])
        nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
    return nb


def _tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def _processes_named(word):
    """Processes on this machine whose command line holds `word`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and word.encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("hostile") / "course", assignments=[ASSIGNMENT])
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.SandboxedExecute.timeout = {CELL_SECONDS}\nc.ExecutePreprocessor.timeout = {CELL_SECONDS}\n")
    student_nb = course.generate(ASSIGNMENT)[NAME]
    reference = reference_submission(course.source_notebooks(ASSIGNMENT)[NAME], student_nb)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    paths = dict(_paths(course.root), PORT=listener.getsockname()[1])
    for student, case in CASES.items():
        nb = build(reference, case, paths)
        course.submit(student, ASSIGNMENT, {case.get("rename", NAME): nb})
    for student, (answers, _) in HONEST.items():
        course.submit(student, ASSIGNMENT, {NAME: build(reference, {"answers": answers}, paths)})
    solutions_before = _tree_digest(course.root / "solutions")
    outcomes = {o.student: o for o in grade_course(course.root, jobs=2, progress=False)}
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return dict(course=course, outcomes=outcomes, solutions_before=solutions_before, connected=connected)


def _autograded_cell_text(course, student, marker):
    nb = course.autograded_notebook(ASSIGNMENT, student, NAME)
    for cell in nb.cells:
        if cell.cell_type == "code" and marker in cell.source:
            return "".join(out.get("text", "") + out.get("evalue", "") for out in cell.get("outputs", []))
    raise KeyError(f"no cell with {marker!r}")


def test_the_suite_has_at_least_twenty_cases():
    assert len(ALL_CASES) >= 20


@pytest.mark.parametrize("student", sorted(CASES))
def test_hostile_submission_gets_the_score_its_work_deserves(graded, student):
    case, outcome = CASES[student], graded["outcomes"][student]
    assert not outcome.internal_error, outcome.reasons
    if case.get("blocked"):
        assert not outcome.graded and outcome.score == 0, outcome
    else:
        lost = {cell for cell, (score, max_score) in outcome.cells.items() if score < max_score}
        assert lost == case.get("failed", set()), f"lost {lost}; reasons: {outcome.reasons}"
        assert outcome.max_score == FULL
    if outcome.score < FULL:
        assert outcome.reasons, "a submission that lost points must say why"
    if "reason" in case:
        assert any(case["reason"] in reason for reason in outcome.reasons), outcome.reasons
    if "marker" in case:
        text = _autograded_cell_text(graded["course"], student, case["marker"])
        assert case["shows"] in text, text
        for forbidden in case.get("hides", ()):
            assert forbidden not in text, text


@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_students_beside_them_are_graded_exactly(graded, student):
    outcome = graded["outcomes"][student]
    assert outcome.score == HONEST[student][1], outcome.reasons


def test_no_cheat_changed_the_course_or_reached_the_network(graded):
    course = graded["course"]
    assert _tree_digest(course.root / "solutions") == graded["solutions_before"]
    for path in (course.root / "pwned.txt", REPO_ROOT / "pwned.txt", Path("/pwned.txt"),
                 course.root / "autograded" / "honest" / ASSIGNMENT / "pwned.txt"):
        assert not path.exists(), path
    assert not graded["connected"], "a sandboxed notebook connected to a socket on the host"


def test_the_gradebook_holds_what_the_grader_decided(graded):
    course, outcomes = graded["course"], graded["outcomes"]
    with course.api.gradebook as gb:
        for student in list(HONEST) + ["writes_the_gradebook_and_the_course"]:
            submission = gb.find_submission(ASSIGNMENT, student)
            assert submission.score == outcomes[student].score
            assert all(grade.score <= grade.max_score for nb in submission.notebooks for grade in nb.grades)


def test_no_sandboxed_process_outlives_grading(graded):
    # the process "leaves_a_process_spinning" started must have ended with its sandbox
    assert _processes_named("hostile-spinner") == []
