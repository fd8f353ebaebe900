"""nngrader.reasons: each kind of broken submission gets its own reason (no nbgrader run)."""

import nbformat
import pytest

from nngrader.reasons import after_autograde, preflight


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, grade_id, grade, solution in cells:
        meta = {"nbgrader": {"grade_id": grade_id, "grade": grade, "solution": solution,
                             "locked": grade, "schema_version": 3, "task": False}}
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make("", metadata=meta))
    return nb


@pytest.fixture
def source():
    return _nb(("code", "f", False, True), ("code", "test_f", True, False), ("code", "test_g", True, False))


def _submit(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ipynb").write_text(nb if isinstance(nb, str) else nbformat.writes(nb))


def test_a_clean_submission_has_no_problem(tmp_path, source):
    _submit(tmp_path, "topic", source)
    assert preflight(tmp_path, {"topic": source}) == []


def test_renamed_notebook_is_named_and_blocks(tmp_path, source):
    _submit(tmp_path, "topic-Copy1", source)
    (problem,) = preflight(tmp_path, {"topic": source})
    assert problem.blocking
    assert problem.reason == "notebook topic.ipynb is missing; found 'topic-Copy1.ipynb' (renamed?)"


def test_missing_notebook_without_a_candidate(tmp_path, source):
    tmp_path.mkdir(exist_ok=True)
    (problem,) = preflight(tmp_path, {"topic": source})
    assert problem.blocking and problem.reason == "notebook topic.ipynb is missing"


def test_broken_json_blocks_with_a_short_reason(tmp_path, source):
    _submit(tmp_path, "topic", nbformat.writes(source)[:-30])
    (problem,) = preflight(tmp_path, {"topic": source})
    assert problem.blocking and "not a valid notebook file" in problem.reason
    assert len(problem.reason) < 200


def test_duplicated_cell_blocks_and_names_the_cell(tmp_path, source):
    nb = _nb(("code", "f", False, True), ("code", "test_f", True, False), ("code", "test_f", True, False),
             ("code", "test_g", True, False))
    _submit(tmp_path, "topic", nb)
    (problem,) = preflight(tmp_path, {"topic": source})
    assert problem.blocking and "cell 'test_f' appears 2 times" in problem.reason


def test_deleted_test_cell_is_reported_but_does_not_block(tmp_path, source):
    _submit(tmp_path, "topic", _nb(("code", "f", False, True), ("code", "test_g", True, False)))
    (problem,) = preflight(tmp_path, {"topic": source})
    assert not problem.blocking and "test cell 'test_f' was deleted" in problem.reason


@pytest.mark.parametrize("log, words", [
    ("nbclient.exceptions.DeadKernelError: Kernel died", "the kernel died"),
    ("CellTimeoutError: A cell timed out", "ran longer than 60 s and ignored the interrupt"),
    ("KeyError: 'grade_id'", "nbgrader could not grade it: KeyError: 'grade_id'"),
])
def test_failed_autograde_reasons(log, words):
    (problem,) = after_autograde({"success": False, "log": log}, {}, 60)
    assert problem.blocking and words in problem.reason


def _ran(*errors):
    nb = _nb(*[("code", f"test_{i}", True, False) for i in range(len(errors))])
    for cell, ename in zip(nb.cells, errors):
        cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue="", traceback=[])] if ename else []
    return nb


def test_timeout_in_a_cell_is_named_from_what_the_grader_observed():
    observed = {"topic": [("timeout", "test_1")]}
    (problem,) = after_autograde({"success": True, "log": ""}, {"topic": _ran(None, "CellTimeoutError")}, 5, observed)
    assert problem.reason.startswith("timeout: test_1 in topic.ipynb ran longer than 5 s")


@pytest.mark.parametrize("ename", ["CellTimeoutError", "SandboxStopped", "KeyboardInterrupt",
                                   "__main__.MemoryError", "CellTimeout"])
def test_an_error_named_like_the_graders_own_gives_no_reason(ename):
    nb = _ran(ename)
    nb.cells[0].outputs[0]["evalue"] = "not run: it used up its CPU time and was stopped"
    assert after_autograde({"success": True, "log": ""}, {"topic": nb}, 5, {"topic": []}) == []


def test_a_stop_the_grader_observed_is_the_reason():
    observed = {"topic": [("stopped", "test_0", "the notebook's process ended (exit code 0: ...)")]}
    (problem,) = after_autograde({"success": True, "log": ""}, {"topic": _ran(None)}, 5, observed)
    assert problem.reason.startswith("the notebook's process ended") and "were not run" in problem.reason


def test_student_text_in_reasons_is_cleaned_and_quoted(tmp_path, source):
    _submit(tmp_path, "\x1b[2J\x1b[Hfake\u202e", source)
    (problem,) = preflight(tmp_path, {"topic": source})
    assert "\x1b" not in problem.reason and "\u202e" not in problem.reason
    assert "found '?[2J?[Hfake?.ipynb'" in problem.reason
    (problem,) = after_autograde({"success": False, "log": "ValueError: \x1b]0;title\x07 x"}, {}, 5)
    assert "\x1b" not in problem.reason and "\x07" not in problem.reason


def test_not_attempted_when_every_solution_cell_still_holds_the_stub(tmp_path, source):
    blank = nbformat.from_dict(source)
    blank.cells[0].source = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    _submit(tmp_path, "topic", blank)
    (problem,) = preflight(tmp_path, {"topic": source})
    assert not problem.blocking and problem.reason.startswith("not attempted")
    blank.cells[0].source = "def f(x):\n    return 2 * x"
    _submit(tmp_path, "topic", blank)
    assert preflight(tmp_path, {"topic": source}) == []
