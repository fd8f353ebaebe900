"""The grading pipeline (nngrader.grade_class) on the sample class of 01_softmax: exact scores, stated
reasons, feedback without hidden tests, resumable after a kill, re-grading only what changed."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from html import unescape

import nbformat
import pytest

from nngrader.demo import make_sample_course
from nngrader.reasons import describe_lateness
from nngrader.grade_class import STATE, export, format_table, grade_course
from nngrader.report import failure_rates, write_report
from nngrader.submissions import with_answer

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_softmax"


def gradebook_scores(course):
    """(student, assignment, cell) -> score, straight from the sqlite gradebook."""
    rows = {}
    with course.api.gradebook as gb:
        for student in gb.students:
            for submission in student.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows[(student.id, submission.assignment.name, grade.name)] = grade.score
    return rows


# Passes every visible test and fails a hidden one: its feedback must not quote the hidden code.
HIDDEN_ONLY_FAILURE = ("softmax", 'def softmax(Z, axis=-1):\n'
                       '    from nnlib.layers import softmax as theirs\n'
                       '    return theirs(Z, axis)\n')


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course, expected = make_sample_course(tmp_path_factory.mktemp("class") / "course",
                                          assignments=[ASSIGNMENT])
    ada = course.root / "submitted" / "ada" / ASSIGNMENT / "softmax.ipynb"
    eve = with_answer(nbformat.read(ada, as_version=4), *HIDDEN_ONLY_FAILURE)
    course.submit("eve", ASSIGNMENT, {"softmax": eve})
    outcomes = grade_course(course.root, jobs=2, progress=False)
    return course, expected, {(o.student, o.assignment): o for o in outcomes}


def test_every_sample_submission_gets_its_expected_score_and_reason(graded):
    _, expected, outcomes = graded
    assert outcomes.keys() == expected.keys() | {("eve", ASSIGNMENT)}
    for key, want in expected.items():
        got = outcomes[key]
        assert got.score == want.score, f"{key}: scored {got.score}, expected {want.score} ({got.reasons})"
        assert want.reason in " ".join(got.reasons), f"{key}: reasons {got.reasons} lack {want.reason!r}"


def test_broken_submissions_do_not_stop_the_others(graded):
    _, _, outcomes = graded
    broken = {s for (s, _), o in outcomes.items() if not o.graded}
    assert broken == {"margaret", "barbara", "ken"}  # linus crashed Python: graded, 0, with a reason
    assert all(o.graded for (s, _), o in outcomes.items() if s not in broken)


def test_table_lists_every_student_and_explains_each_zero(graded):
    _, _, outcomes = graded
    table = format_table(list(outcomes.values()))
    for student, _ in outcomes:
        assert re.search(rf"^{re.escape(student)}\s", table, re.M), student
    assert "blaise / 01_softmax: not attempted" in table
    assert "linus / 01_softmax: the notebook's process ended" in table


def test_feedback_exists_and_shows_no_hidden_test(graded):
    course, _, outcomes = graded
    source = course.source_notebooks(ASSIGNMENT)["softmax"]
    block = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
    public = {line.strip() for cell in source.cells for line in block.sub("", cell.source).splitlines()}
    hidden = [line.strip() for cell in source.cells for text in block.findall(cell.source)
              for line in text.splitlines() if len(line.strip()) > 15 and line.strip() not in public]
    assert hidden
    eve = outcomes[("eve", ASSIGNMENT)]
    assert eve.score < eve.max_score and "test_softmax_values" in " ".join(eve.reasons)
    for (student, _), o in outcomes.items():
        if not o.graded:
            continue
        html = unescape((course.root / "feedback" / student / ASSIGNMENT / "softmax.html").read_text())
        assert "softmax" in html
        leaked = [line for line in hidden if line in html]
        assert not leaked, f"{student}'s feedback shows hidden tests: {leaked[:2]}"


def test_exports_and_class_report(graded, tmp_path):
    course, _, outcomes = graded
    grades, reasons = export(course.root, list(outcomes.values()), tmp_path)
    header = grades.read_text().splitlines()[0]
    assert "student_id" in header and "score" in header
    assert "ken,01_softmax" in reasons.read_text()
    report = write_report(list(outcomes.values()), tmp_path)
    assert (tmp_path / "scores.png").stat().st_size > 1000
    assert (tmp_path / "failure_rates.png").stat().st_size > 1000
    summary = (tmp_path / "summary.md").read_text()
    assert "| 01_softmax |" in summary and "Submissions with problems" in summary
    assert report.read_text().count("<img") == 2


def test_failure_rates_count_only_graded_students(graded):
    _, _, outcomes = graded
    rates = failure_rates(outcomes.values())[ASSIGNMENT]
    graded_ones = [o for o in outcomes.values() if o.graded]
    for cell, rate in rates.items():
        lost = sum(o.cells[cell][0] < o.cells[cell][1] for o in graded_ones)
        assert rate == pytest.approx(lost / len(graded_ones))
    assert rates["test_scores"] > 0  # blaise lost them


def test_run_killed_midway_resumes_to_the_same_gradebook(graded, tmp_path):
    reference_course, expected, _ = graded
    course, _ = make_sample_course(tmp_path / "course", assignments=[ASSIGNMENT])
    state = course.root / STATE
    process = subprocess.Popen([sys.executable, "-m", "nngrader.grade_class", str(course.root), "--jobs", "1",
                                "--no-feedback"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and len(json.loads(state.read_text() or "{}")) >= 3:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(json.loads(state.read_text()))
    assert 3 <= done_before < len(expected)

    outcomes = grade_course(course.root, jobs=2, feedback=False, progress=False)
    assert {(o.student, o.assignment): o.score for o in outcomes} == \
        {k: e.score for k, e in expected.items()}
    students = {student for student, _ in expected}
    assert gradebook_scores(course) == {key: score for key, score in gradebook_scores(reference_course).items()
                                        if key[0] in students}


def test_lateness_in_words():
    assert describe_lateness(0) is None
    assert describe_lateness(-5) is None
    assert describe_lateness(3 * 3600 + 125) == "late by 3 h 2 min"
    assert describe_lateness(2 * 86400 + 3 * 3600 + 1800) == "late by 2 d 3 h"
    assert describe_lateness(30) == "late by under a minute"


def test_command_rejects_a_folder_that_is_not_a_course(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nngrader.grade_class", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "is not an nbgrader course" in result.stderr


# Last on purpose: it changes blaise's submission in the shared course.
def test_rerun_grades_only_what_changed(graded):
    course, _, outcomes = graded
    autograded = course.root / "autograded"
    before = {p: p.stat().st_mtime_ns for p in autograded.rglob("*.ipynb")}
    again = {(o.student, o.assignment): o for o in grade_course(course.root, jobs=2, progress=False)}
    assert {k: (o.score, o.reasons) for k, o in again.items()} == \
        {k: (o.score, o.reasons) for k, o in outcomes.items()}
    assert {p: p.stat().st_mtime_ns for p in autograded.rglob("*.ipynb")} == before, "something was regraded"

    # blaise submits again, now with the reference answer of ada
    ada = course.root / "submitted" / "ada" / ASSIGNMENT / "softmax.ipynb"
    blaise = course.root / "submitted" / "blaise" / ASSIGNMENT / "softmax.ipynb"
    blaise.write_bytes(ada.read_bytes())
    third = {(o.student, o.assignment): o for o in grade_course(course.root, jobs=2, progress=False)}
    assert third[("blaise", ASSIGNMENT)].score == outcomes[("ada", ASSIGNMENT)].score
    changed = {p for p in autograded.rglob("*.ipynb") if p.stat().st_mtime_ns != before.get(p)}
    assert changed == {autograded / "blaise" / ASSIGNMENT / "softmax.ipynb"}


def test_autograde_without_a_sandbox_says_so_in_one_sentence_and_changes_nothing(graded):
    course, _, _ = graded
    copy = course.root / "autograded" / "ada" / ASSIGNMENT / "softmax.ipynb"
    before = copy.read_bytes()
    env = dict(os.environ, PATH=os.path.dirname(sys.executable))  # no bwrap on this PATH
    result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"],
                            cwd=course.root, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Nothing was autograded: the grading sandbox needs bwrap" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert copy.read_bytes() == before, "the earlier autograded copy must stay"


def test_untouched_notebooks_raise_no_checksum_or_config_warnings(graded):
    course, _, _ = graded
    result = course.api.autograde(ASSIGNMENT, "ada", force=True)
    assert result["success"], result.get("error")
    assert "Attribute 'checksum'" not in result["log"], result["log"]
    feedback = course.api.generate_feedback(ASSIGNMENT, "ada", force=True)
    assert feedback["success"] and "not recognized" not in feedback["log"], feedback["log"]


def _autograded_mtime(course, student):
    return (course.root / "autograded" / student / ASSIGNMENT / "softmax.ipynb").stat().st_mtime_ns


# After test_rerun_grades_only_what_changed: these change the shared course's due date and hidden tests.
def test_a_due_date_or_extension_set_later_regrades_what_it_affects(graded):
    from nngrader.lms import grant_extension, set_deadline
    from nngrader.sample_class import ON_TIME
    from datetime import timedelta

    course, _, _ = graded
    before = _autograded_mtime(course, "ada")
    set_deadline(course.root, ASSIGNMENT, ON_TIME - timedelta(hours=1))  # ada is now an hour late
    ada = {o.student: o for o in grade_course(course.root, jobs=1, progress=False, students=["ada"])}["ada"]
    assert _autograded_mtime(course, "ada") != before, "a new due date must regrade"
    assert "late by 1 h" in " ".join(ada.reasons), ada.reasons
    grant_extension(course.root, "ada", ASSIGNMENT, days=1)
    ada = {o.student: o for o in grade_course(course.root, jobs=1, progress=False, students=["ada"])}["ada"]
    assert not any("late" in r for r in ada.reasons), ada.reasons


def test_an_edited_hidden_test_regrades_and_the_table_matches_grades_csv(graded, tmp_path):
    course, _, _ = graded
    path = course.root / "solutions" / ASSIGNMENT / "softmax.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_predict")
    assert "### END HIDDEN TESTS" in cell.source
    cell.source = cell.source.replace("### END HIDDEN TESTS",
                                      "assert False, 'an edited hidden test'\n### END HIDDEN TESTS")
    nbformat.write(nb, path)
    result = course.api.generate_assignment(ASSIGNMENT, force=True)  # what the instructor runs
    assert result["success"], result.get("error")
    ada = {o.student: o for o in grade_course(course.root, jobs=1, progress=False, students=["ada"])}["ada"]
    assert ada.cells["test_predict"][0] == 0, "the edited hidden test must be run"
    grades, _ = export(course.root, [ada], tmp_path)
    import csv

    row = next(r for r in csv.DictReader(grades.open()) if r["student_id"] == "ada")
    table = format_table([ada])
    assert f"{float(row['score']):g}/{float(row['max_score']):g}" in table, (table, row)
    # --force grades again what did not change
    before = _autograded_mtime(course, "ada")
    grade_course(course.root, jobs=1, progress=False, students=["ada"], force=True)
    assert _autograded_mtime(course, "ada") != before


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can write files as another user")
def test_grading_as_root_hands_what_it_wrote_back_to_the_course_owner(tmp_path):
    from nngrader.grade_class import give_back

    course = tmp_path / "course"
    (course / "feedback" / "alice").mkdir(parents=True)
    (course / "feedback" / "alice" / "a.html").write_text("x")
    (course / "gradebook.db").write_text("x")
    (course / "solutions").mkdir()
    (course / "solutions" / "mine.ipynb").write_text("x")
    os.chown(course, 65534, 65534)
    give_back(course)
    for path in (course / "feedback", course / "feedback" / "alice" / "a.html", course / "gradebook.db"):
        assert path.stat().st_uid == 65534, path
    assert (course / "solutions" / "mine.ipynb").stat().st_uid == 0, "only what grading writes changes hands"
