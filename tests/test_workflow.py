"""A whole class, with nbgrader's own commands, as whoever runs the tests (`make test` runs this
module as an ordinary user: tools/test-as-user).

Exchange: the instructor releases 01_softmax, alice (right, and a written answer) and bob
(wrong) fetch and submit, the instructor collects, `nngrader grade` grades, a TA grades
alice's written answer by hand, feedback is made again and released, and the students fetch it.
LMS: carol and dave's notebooks come as a Canvas-style zip, go in with `nbgrader zip_collect`,
are graded and their feedback released. Then the exports and the roster.
"""

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from nngrader.course import REPO_ROOT
from nngrader.submissions import reference_submission, with_answer

pytestmark = [pytest.mark.slow, pytest.mark.as_user]

ASSIGNMENT, NAME, COURSE_ID = "01_softmax", "softmax", "nn-review"
WRONG = "def softmax(Z, axis=-1):\n    return np.exp(Z)\n"


def run(args, cwd, user=None, check=True):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if user:  # students share this OS user here: their id from the command line, their own cache
        args = [*args, f"--CourseDirectory.student_id={user}"]
        env["JUPYTER_DATA_DIR"] = str(Path(cwd) / ".jupyter-data")
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def nbgrader(*args, cwd, user=None, check=True):
    return run([sys.executable, "-m", "nbgrader", *args], cwd, user, check)


def nngrader(*args, cwd, check=True):
    return run([sys.executable, "-m", "nngrader", *args], cwd, check=check)


def student_args(exchange):
    return [f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    base = tmp_path_factory.mktemp("workflow")
    course, exchange = base / "course", base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course.mkdir()
    shutil.copy(REPO_ROOT / "nbgrader_config.py", course)
    shutil.copytree(REPO_ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    nbgrader("generate_assignment", ASSIGNMENT, cwd=course)
    nbgrader("release_assignment", ASSIGNMENT, cwd=course)

    source = nbformat.read(course / "solutions" / ASSIGNMENT / f"{NAME}.ipynb", as_version=4)
    homes = {}
    for student in ("alice", "bob"):
        home = base / "home" / student
        home.mkdir(parents=True)
        homes[student] = home
        nbgrader("fetch_assignment", ASSIGNMENT, *student_args(exchange), cwd=home, user=student)
        path = home / ASSIGNMENT / f"{NAME}.ipynb"
        nb = reference_submission(source, nbformat.read(path, as_version=4))
        if student == "bob":
            nb = with_answer(nb, "softmax", WRONG)
        else:
            for cell in nb.cells:
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "a_why_exp":
                    cell.source = "Exponentials are positive and keep the order of the scores."
        nbformat.write(nb, path)
        nbgrader("submit", ASSIGNMENT, *student_args(exchange), cwd=home, user=student)
    nbgrader("collect", ASSIGNMENT, cwd=course)

    # LMS: a Canvas-style download, one file per student
    reference = nbformat.read(homes["alice"] / ASSIGNMENT / f"{NAME}.ipynb", as_version=4)
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / "submissions.zip", "w") as z:
        z.writestr(f"carol_1001_2001_{NAME}.ipynb", nbformat.writes(reference))
        z.writestr(f"dave_LATE_1002_2002_{NAME}.ipynb", nbformat.writes(with_answer(reference, "softmax", WRONG)))
    nbgrader("zip_collect", ASSIGNMENT, cwd=course)

    first = nngrader("grade", ".", "--jobs", "2", cwd=course)
    return dict(course=course, exchange=exchange, homes=homes, first=first.stdout)


def _row(table, student):
    return next(line for line in table.splitlines() if line.startswith(student + " "))


def test_both_intake_paths_are_graded_with_written_answers_pending(klass):
    table = klass["first"]
    assert "13/17+" in _row(table, "alice"), table    # 13 automatic points, 4 written ones to grade
    assert "7/17" in _row(table, "bob"), table         # the two softmax test cells lost
    assert "13/17" in _row(table, "carol") and "7/17" in _row(table, "dave"), table
    assert "a_why_exp manual grading pending" in table
    assert "Traceback" not in table


def test_manual_grade_then_feedback_released_and_fetched(klass):
    course, exchange, homes = klass["course"], klass["exchange"], klass["homes"]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # what formgrader's form does
        grade = gb.find_grade("a_why_exp", NAME, ASSIGNMENT, "alice")
        grade.manual_score = 2.0
        gb.db.commit()
    again = nngrader("grade", ".", cwd=course).stdout
    assert "15/17" in _row(again, "alice") and "a_why_exp 2/2" in again, again
    grades = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(
        (course / "grading-report" / "grades.csv").open())}
    assert float(grades[("alice", ASSIGNMENT)]["score"]) == 15.0
    feedback = (course / "feedback" / "alice" / ASSIGNMENT / f"{NAME}.html").read_text()
    assert "15.0 / 17.0" in feedback or "15 / 17" in feedback, "feedback made again after manual grading"

    nbgrader("generate_feedback", ASSIGNMENT, "--force", cwd=course)  # the instructor's own command works
    nbgrader("release_feedback", ASSIGNMENT, cwd=course)
    released = list((exchange / COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == 4, "feedback for the two exchange and the two LMS students"
    for student in ("alice", "bob"):
        nbgrader("fetch_feedback", ASSIGNMENT, *student_args(exchange), cwd=homes[student], user=student)
        fetched = list((homes[student] / ASSIGNMENT / "feedback").rglob(f"{NAME}.html"))
        assert len(fetched) == 1, student
        score = "15.0 / 17.0" if student == "alice" else "7.0 / 17.0"
        assert score in fetched[0].read_text(), f"{student} fetched feedback without the score {score}"
    uid = os.geteuid()
    strangers = [p for p in course.rglob("*") if p.lstat().st_uid != uid]
    assert not strangers, f"files left owned by another user: {strangers[:3]}"


def test_exports_parse_back_and_roster_imports(klass, tmp_path):
    course = klass["course"]
    roster = tmp_path / "roster.csv"
    roster.write_text("SIS Login ID,First name,Last name,Email address\n"
                      "alice,Alice,Liddell,alice@example.org\nerin,Erin,Noether,erin@example.org\n")
    out = nngrader("roster", ".", str(roster), cwd=course)
    assert "2 students" in out.stdout
    nngrader("export", ".", "--format", "canvas", "--out", str(tmp_path / "canvas.csv"), cwd=course)
    nngrader("export", ".", "--format", "moodle", "--out", str(tmp_path / "moodle.csv"), cwd=course)
    canvas = list(csv.reader((tmp_path / "canvas.csv").open()))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[0][5:] == [ASSIGNMENT, "Total"] and canvas[1][5:] == ["17", "17"]
    rows = {r[3]: r for r in canvas[2:]}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin"}, "one row per student, the roster's too"
    assert rows["alice"][0] == "Liddell, Alice" and rows["alice"][5:] == ["15", "15"]
    assert rows["erin"][5:] == ["0", "0"], "no submission: 0"
    moodle = {r["Username"]: r for r in csv.DictReader((tmp_path / "moodle.csv").open())}
    assert moodle["alice"]["Email address"] == "alice@example.org"
    assert float(moodle["bob"][ASSIGNMENT]) == 7.0 and float(moodle["bob"]["Course total"]) == 7.0


def test_bad_roster_is_one_sentence(klass, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,mail\nAlice,a@example.org\n")
    result = nngrader("roster", ".", str(bad), cwd=klass["course"], check=False)
    assert result.returncode == 2 and "has no column of student ids" in result.stderr
    assert "Traceback" not in result.stderr
