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
import os
import socket
import stat
import unicodedata
from pathlib import Path

import hostile_subset
import pytest
from nbformat.v4 import new_code_cell

from nngrader.sandbox import jail
from nngrader.course import REPO_ROOT, Course
from nngrader.grade_class import export, format_table, grade_course
from nngrader.report import write_report
from nngrader.sandbox import protocol
from nngrader.submissions import reference_submission, with_answer

pytestmark = pytest.mark.slow

ASSIGNMENT, NAME = "01_softmax", "softmax"
# Per-cell time limit of this course. The endless-loop and sleep cases pay it three times; an
# honest cell must never reach it, even on a loaded machine (at 4 s, cases that must show no
# "timeout" got one when the two cores were busy), so it is well above what any cell here needs.
CELL_SECONDS = 10
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
# What the sandbox must never manage to write. A checkout under /tmp (a fresh clone) is shown
# inside the sandbox's own private /tmp tmpfs, so a write to the repository's folder lands there
# (test_no_cheat_changed_the_course_or_reached_the_network checks it never reaches the host).
_WRITE_FORBIDDEN = ("WROTE gradebook", "WROTE /pwned.txt", "/course/pwned.txt", "/autograded/") + (
    () if REPO_ROOT.resolve().is_relative_to("/tmp") else (f"WROTE {REPO_ROOT}/pwned.txt",))

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
    # right on the visible (literal) inputs; on the others it zeroes X, W and b in place, so that a
    # test computing X @ W.T + b after the call would expect zeros
    "zeroes_the_tests_inputs": dict(answers={"scores": (
        "def scores(X, W, b):\n"
        "    if X.shape == (3, 2) and W.shape == (4, 2) and X[0, 1] == 2.0:\n"
        "        return X @ W.T + b\n"
        "    X[...] = 0.0; W[...] = 0.0; b[...] = 0.0\n"
        "    return np.zeros((X.shape[0], W.shape[0]), dtype=X.dtype)\n")}, failed={"test_scores"}),
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
                "for pattern in ['{REPO}/solutions/*/*.ipynb', '{REPO}/course/*/*.py',\n"
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
        marker="# MARKER write", shows="DENIED", hides=_WRITE_FORBIDDEN),
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

# -- issue 17: the classes of cheat found by hostile submissions --------------------------
# 1. Instructor cells enforced: whatever becomes of the setup cell, it runs from the
#    gradebook and the tests never take its names (np, check_*, call_strict) from the sandbox.
FAKE_HELPERS = ("check_array = check_close = check_shape = check_dtype = lambda *a, **k: None\n"
                "call_strict = lambda f, *a, name=None, hint=None, **k: f(*a, **k)\n"
                "forbid_delegation = lambda *f: __import__('contextlib').nullcontext()\n")
FAKE_NP = ("import numpy as _np\n"
           "class _FakeTesting:\n"
           "    def __getattr__(self, name):\n"
           "        return lambda *a, **k: None\n"
           "class _FakeNumpy:\n"
           "    testing = _FakeTesting()\n"
           "    def __getattr__(self, name):\n"
           "        if name in ('allclose', 'array_equal', 'isfinite', 'all'):\n"
           "            return lambda *a, **k: True\n"
           "        return getattr(_np, name)\n"
           "np = _FakeNumpy()\n")
WRONG_WITH_OWN_NP = "import numpy\ndef softmax(Z, axis=-1):\n    return numpy.exp(Z)\n"
# the fake check_array writes down what it is given (the hidden tests' expected arrays)
RECORDING_HELPERS = ("captured = []\n"
                     "def check_array(*a, **k):\n    captured.append(a)\n"
                     "check_close = check_shape = check_dtype = check_array\n")


def _delete(grade_id):
    def edit(nb):
        del nb.cells[_cell_index(nb, grade_id)]
    return edit


def _move_to_end(grade_id):
    def edit(nb):
        nb.cells.append(nb.cells.pop(_cell_index(nb, grade_id)))
    return edit


def _strip_metadata_and_replace(grade_id, code):
    def edit(nb):
        cell = nb.cells[_cell_index(nb, grade_id)]
        cell.metadata = {}
        cell.source = code
    return edit


def _retype(grade_id, cell_type):
    def edit(nb):
        cell = nb.cells[_cell_index(nb, grade_id)]
        cell.cell_type = cell_type
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return edit


def _runner(code):
    """Student code that gets hold of its process's CellRunner (what a cheat would reach for)."""
    return ("import gc\n"
            "_runner = [o for o in gc.get_objects() if type(o).__name__ == 'CellRunner'][0]\n" + code)


AFTER_SOFTMAX = {"test_softmax_values", "test_softmax_stable", "test_log_softmax", "test_predict"}
ALL_CELLS = AFTER_SOFTMAX | {"test_scores"}

CASES.update({
    "deletes_the_setup_cell_and_fakes_the_helpers": dict(
        edit=_delete("setup"), answers={"scores": "import numpy as np\n" + FAKE_HELPERS + "def scores(X, W, b):\n    return X @ W.T + b\n",
                                        "softmax": WRONG}, failed=SOFTMAX_CELLS),
    "moves_the_setup_cell_below_the_tests_and_fakes_np": dict(
        edit=_move_to_end("setup"), answers={"scores": FAKE_NP + FAKE_HELPERS + "def scores(X, W, b):\n    return X @ W.T + b\n",
                                             "softmax": WRONG_WITH_OWN_NP}, failed=SOFTMAX_CELLS),
    "strips_the_setup_cells_metadata_and_rewrites_it": dict(
        edit=_strip_metadata_and_replace("setup", "import numpy\n" + FAKE_NP + FAKE_HELPERS),
        answers={"softmax": WRONG_WITH_OWN_NP}, failed=SOFTMAX_CELLS),
    "turns_the_setup_cell_into_markdown_and_fakes_everything": dict(
        edit=_retype("setup", "markdown"), answers={"scores": FAKE_NP + FAKE_HELPERS + "def scores(X, W, b):\n    return X\n",
                                                    "softmax": WRONG_WITH_OWN_NP},
        failed={"test_scores"} | SOFTMAX_CELLS),
    "edits_the_locked_setup_cell": dict(
        edit=lambda nb: nb.cells[_cell_index(nb, "setup")].__setitem__("source", FAKE_NP + FAKE_HELPERS),
        answers={"softmax": WRONG_WITH_OWN_NP}, failed=SOFTMAX_CELLS),
    "records_the_hidden_tests_expected_arrays": dict(
        edit=_delete("setup"), answers={"scores": "import numpy as np\n" + RECORDING_HELPERS + "def scores(X, W, b):\n    return X @ W.T + b\n"},
        extra=[("end", "# MARKER captured\nprint('CAPTURED', len(captured))\n")],
        marker="# MARKER captured", shows="CAPTURED 0"),
    # 2. The channel: a forged reply is the student's own data at most, and a second reply
    #    to one request ends the notebook; output is bounded by the grader.
    "forges_the_reply_to_its_softmax_call": dict(answers={"softmax": _runner(
        "def softmax(Z, axis=-1):\n"
        "    _runner.send({'op': 'done', 'id': 0, 'value': 'FORGED'})\n"
        "    return numpy.exp(Z)\n"
        "import numpy\n")}, failed=AFTER_SOFTMAX, reason="breaks the protocol"),
    "writes_forged_replies_on_every_file_descriptor": dict(extra=[("softmax", (
        "import os\n"
        "from nngrader.sandbox import protocol\n"
        "for fd in sorted(int(f) for f in os.listdir('/proc/self/fd')):\n"
        "    for ident in range(0, 40):\n"
        "        try:\n"
        "            protocol.write_frame(fd, {{'op': 'done', 'id': ident, 'stdout': 'FORGED'}})\n"
        "        except OSError:\n"
        "            break\n"))], failed=AFTER_SOFTMAX, reason="breaks the protocol"),
    "sends_a_frame_larger_than_the_limit": dict(extra=[("softmax", _runner(
        "import os, struct\nos.write(_runner.out_fd, struct.pack('>I', 2**31))\n"))],
        failed=AFTER_SOFTMAX, reason="breaks the protocol"),
    "lifts_the_workers_output_cap_and_prints_5_mb": dict(extra=[("softmax", _runner(
        "import sys\n"
        "sys.modules[type(_runner).__module__].CappedText.__init__.__defaults__ = (10**9,)\n"
        "sys.modules[type(_runner).__module__].CappedText.getvalue = lambda self: ''.join(self.parts)\n")),
        ("test_softmax_values", "# MARKER flood\nprint('y' * 5_000_000)\n")], reason="printed too much", marker="# MARKER flood",
        shows=protocol.CUT_MARK, max_text=protocol.OUTPUT_LIMIT + 200),
    "prints_the_limit_in_every_one_of_many_cells": dict(
        extra=[("end", f"# MARKER many {i}\nprint('z' * 19_999)\n") for i in range(15)],
        reason="printed too much", notebook_text_max=protocol.NOTEBOOK_OUTPUT_LIMIT + 10_000),
    # 4. Any exception class costs only the cells it breaks.
    **{f"raises_{name.lower()}_in_softmax": dict(answers={"softmax": (
        f"{define}def softmax(Z, axis=-1):\n    raise {name}('no')\n")}, failed=SOFTMAX_CELLS)
       for name, define in [("BaseException", ""), ("SystemExit", ""), ("KeyboardInterrupt", ""),
                            ("GeneratorExit", ""),
                            ("Custom", "class Custom(BaseException):\n    def __init__(self, a, b=1):\n        super().__init__(a)\n"),
                            ("Exit", "class Exit(SystemExit):\n    pass\n")]},
    "raises_baseexception_from_a_student_cell": dict(extra=[("softmax", "raise BaseException('top level')\n")]),
    # 5. Reasons come from what the grader observed, never from the student's names or text.
    **{f"raises_an_exception_named_{name.lower()}": dict(answers={"softmax": (
        f"class {name}(Exception):\n    pass\n"
        f"def softmax(Z, axis=-1):\n    raise {name}('not run: the sandbox stopped it')\n")},
        failed=SOFTMAX_CELLS, reason_absent=("not run", "timeout", "ran out of memory", "stopped",
                                            "limit of the grading sandbox", "too many processes"))
       for name in ("SandboxStopped", "CellTimeout", "CellTimeoutError", "MemoryError", "BlockingIOError")},
    "student_cell_fakes_sandbox_stopped_and_a_cut_mark": dict(
        extra=[("softmax", "print('[... 5 more characters of output were cut]')\n"
                           "class SandboxStopped(BaseException):\n    pass\n"
                           "raise SandboxStopped('it used up its CPU time and was stopped')\n")],
        reason_absent=("CPU time", "not run", "printed too much", "stopped")),
    "escape_codes_in_messages_and_file_names": dict(
        answers={"softmax": "def softmax(Z, axis=-1):\n    raise ValueError('\\x1b[2J\\x1b[H\\r| student | 13/13 |')\n"},
        failed=SOFTMAX_CELLS, clean_reasons=True),
    "renames_the_notebook_with_escape_codes": dict(rename="\x1b[2J\x1b[31mfake\u202e", blocked=True,
                                                    reason="is missing", clean_reasons=True),
    # 6. Stored XSS in a written answer: sanitised where it is shown as HTML.
    "script_in_a_written_answer": dict(edit=lambda nb: nb.cells[_cell_index(nb, "a_why_exp")].__setitem__(
        "source", "Because <script>document.title='PWNED'</script> <img src=x onerror=\"alert(1)\"> "
                  "[click](javascript:alert(2)) and **exp** is monotonic.\n\n<iframe src=x></iframe>"),
        html_safe=True),
    "script_in_an_unmarked_markdown_and_a_raw_html_cell": dict(edit=lambda nb: nb.cells.extend([
        __import__("nbformat").v4.new_markdown_cell("<svg onload=alert(1)><script>alert(3)</script></svg>"),
        __import__("nbformat").v4.new_raw_cell("<script>alert(4)</script>", metadata={"raw_mimetype": "text/html"})]),
        html_safe=True),
})


# 3. Files in the submission folder: refused before anything reads or copies them.
def _link(target):
    return lambda folder, course: os.symlink(target(course) if callable(target) else target, folder / "data.ipynb")


def _replace_notebook_with_fifo(folder, course):
    (folder / f"{NAME}.ipynb").unlink()
    os.mkfifo(folder / f"{NAME}.ipynb")


def _device(folder, course):
    os.mknod(folder / "zero.npy", stat.S_IFCHR | 0o644, os.makedev(1, 5))


def _socket(folder, course):
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(folder / "sock"))


def _link_the_folder(folder, course):
    import shutil

    shutil.rmtree(folder)
    os.symlink(course / "solutions" / ASSIGNMENT, folder)


def _huge_sparse_file(folder, course):
    with open(folder / "weights.npy", "wb") as f:
        f.truncate(300 * 2**20)


def _many_files(folder, course):
    for i in range(250):
        (folder / f"f{i}.txt").write_text("x")


def _linked_subfolder(folder, course):
    (folder / "extra").mkdir()
    os.symlink(course, folder / "extra" / "course")


FILE_CASES = {
    "links_to_the_instructor_notebook": _link(lambda c: c / "solutions" / ASSIGNMENT / f"{NAME}.ipynb"),
    "links_to_the_gradebook": _link(lambda c: c / "gradebook.db"),
    "links_to_etc_shadow": _link("/etc/shadow"),
    "links_to_dev_zero": _link("/dev/zero"),
    "links_to_proc_self_mem": _link("/proc/self/mem"),
    "links_its_notebook_to_the_solution": lambda folder, course: (
        (folder / f"{NAME}.ipynb").unlink(),
        os.symlink(course / "solutions" / ASSIGNMENT / f"{NAME}.ipynb", folder / f"{NAME}.ipynb")),
    "a_named_pipe_named_like_the_notebook": _replace_notebook_with_fifo,
    "a_device_file": _device,
    "a_unix_socket": _socket,
    "the_assignment_folder_is_a_link": _link_the_folder,
    "a_linked_folder_inside": _linked_subfolder,
    "a_file_of_300_mib": _huge_sparse_file,
    "too_many_files": _many_files,
}
for _student in FILE_CASES:
    CASES[_student] = dict(blocked=True, reason="refused", files=FILE_CASES[_student], no_copies=True)

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
    if "edit" in case:
        case["edit"](nb)
    return nb


def _tree_digest(folder):
    """{file path: sha256 of its bytes} of every file under `folder` (so a failure names the file)."""
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).rglob("*")) if path.is_file()}


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
        folder = course.submit(student, ASSIGNMENT, {case.get("rename", NAME): nb})
        if "files" in case:
            case["files"](folder, course.root)
    for student, (answers, _) in HONEST.items():
        course.submit(student, ASSIGNMENT, {NAME: build(reference, {"answers": answers}, paths)})
    solutions_before = _tree_digest(course.root / "solutions")
    graded_list = grade_course(course.root, jobs=2, progress=False)
    outcomes = {o.student: o for o in graded_list}
    out = course.root / "grading-report"
    grades_csv, reasons_csv = export(course.root, graded_list, out)
    report = write_report(graded_list, out)
    table = format_table(graded_list)
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return dict(course=course, outcomes=outcomes, solutions_before=solutions_before, connected=connected,
                files=dict(grades=grades_csv, reasons=reasons_csv, report=report), table=table)


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
        assert case["shows"] in text, text[:2000]
        for forbidden in case.get("hides", ()):
            assert forbidden not in text, text
        if "max_text" in case:
            assert len(text) <= case["max_text"], len(text)
    for words in case.get("reason_absent", ()):
        assert not any(words in reason for reason in outcome.reasons), outcome.reasons
    if case.get("clean_reasons"):
        for reason in outcome.reasons:
            assert not any(unicodedata.category(c)[0] == "C" for c in reason), repr(reason)
    if "notebook_text_max" in case:
        nb = graded["course"].autograded_notebook(ASSIGNMENT, student, NAME)
        total = sum(len(out.get("text", "")) for cell in nb.cells if cell.cell_type == "code"
                    for out in cell.get("outputs", []))
        assert total <= case["notebook_text_max"], total
    if case.get("no_copies"):
        course = graded["course"]
        for where in ("autograded", "feedback"):
            assert not (course.root / where / student).exists(), f"{where}/{student} was written"
    if case.get("html_safe"):
        _assert_no_active_html(graded["course"], student)


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


def _assert_no_active_html(course, student):
    """The autograded notebook (what formgrader shows) and the feedback hold no script, no
    event handler and no javascript: link."""
    nb = course.autograded_notebook(ASSIGNMENT, student, NAME)
    texts = [cell.source for cell in nb.cells if cell.cell_type in ("markdown", "raw")]
    feedback = course.root / "feedback" / student / ASSIGNMENT / f"{NAME}.html"
    assert feedback.is_file()
    page = feedback.read_text()
    start = page.index("<body")
    for text in texts + [page[start:]]:
        lowered = text.lower()
        for bad in ("<script>alert", "<script>document", "onerror=", "onload=", "javascript:", "<iframe"):
            assert bad not in lowered, (bad, text[:500])
    assert "monotonic" in page or student != "script_in_a_written_answer"  # the answer itself is kept


def test_the_class_run_completes_with_its_files(graded):
    files = graded["files"]
    assert all(Path(path).is_file() for path in files.values()), files
    assert "honest" in Path(files["grades"]).read_text()
    table = graded["table"]
    assert not any(unicodedata.category(c)[0] == "C" and c != "\n" for c in table), "control character in the table"
    reasons_csv = Path(files["reasons"]).read_text()
    assert "\x1b" not in reasons_csv and "\u202e" not in reasons_csv


def test_nothing_secret_reached_feedback_or_autograded(graded):
    root = graded["course"].root
    for where in ("autograded", "feedback"):
        for path in (root / where).rglob("*"):
            assert not path.is_symlink(), path
            if path.is_file():
                data = path.read_bytes()
                assert b"SQLite format" not in data, path
                if where == "feedback":
                    assert b"BEGIN HIDDEN TESTS" not in data, path
