"""nngrader.timelog: students' reported minutes, read from submissions without running them."""

import json
import os

import nbformat
import pytest

from nngrader.timelog import MAX_BYTES, TimeSummary, main, read_minutes, summarise


def _notebook(path, answer="minutes_spent = None", tagged=True):
    """A student notebook at `path` ending with the time-spent cell holding `answer`."""
    nb = nbformat.v4.new_notebook()
    last = nbformat.v4.new_code_cell(answer, metadata={"tags": ["time-spent"]} if tagged else {})
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 Linear"),
                nbformat.v4.new_code_cell("minutes_spent = 999  # not the tagged cell"), last]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _read(tmp_path, answer):
    return read_minutes(_notebook(tmp_path / "answer.ipynb", answer))


@pytest.mark.parametrize("answer, minutes", [
    ("minutes_spent = 95", 95.0),
    ("minutes_spent = 42.5", 42.5),
    ("minutes_spent = 120  # incl. the bonus question", 120.0),
    ("# how long did this take?\nminutes_spent = 1440\n", 1440.0),
])
def test_a_number_is_read(tmp_path, answer, minutes):
    got, problem = _read(tmp_path, answer)
    assert (got, problem) == (minutes, None)
    assert type(got) is float


def test_source_as_a_list_of_lines_is_read(tmp_path):
    path = _notebook(tmp_path / "a.ipynb", "minutes_spent = 30")
    raw = json.loads(path.read_text())
    raw["cells"][-1]["source"] = ["# time\n", "minutes_spent = 30\n"]
    path.write_text(json.dumps(raw))
    assert read_minutes(path) == (30.0, None)


def test_none_is_not_answered(tmp_path):
    assert _read(tmp_path, "minutes_spent = None") == (None, "not answered")


@pytest.mark.parametrize("answer, found", [
    ('minutes_spent = "95"', "a string"),
    ("minutes_spent = True", "a bool"),
    ("minutes_spent = 60 + 35", "an expression"),
    ("minutes_spent = hours * 60", "an expression"),
    ("minutes_spent = t", "a name"),
    ("minutes = 95", "other than minutes_spent"),
    ("minutes_spent = 95\nminutes_spent = 20", "2 statements"),
    ("minutes_spent = 95; print('hi')", "2 statements"),
    ("minutes_spent = = 95", "syntax error on line 1"),
    ("%time minutes_spent = 95", "syntax error"),
])
def test_anything_but_a_number_literal_is_unreadable(tmp_path, answer, found):
    minutes, problem = _read(tmp_path, answer)
    assert minutes is None
    assert problem.startswith("unreadable: ") and found in problem, problem


def test_student_code_is_parsed_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where `touch PWNED` would write, if it ran
    minutes, problem = _read(tmp_path, 'minutes_spent = __import__("os").system("touch PWNED")')
    assert minutes is None
    assert problem == "unreadable: a call"
    assert not (tmp_path / "PWNED").exists(), "the student's code ran"
    assert os.listdir(tmp_path) == ["answer.ipynb"]


@pytest.mark.parametrize("answer, shown", [("minutes_spent = 0", "0"), ("minutes_spent = 100000", "100000"),
                                           ("minutes_spent = -30", "-30"),
                                           ("minutes_spent = 1e999", "inf")])
def test_a_number_outside_a_day_is_out_of_range(tmp_path, answer, shown):
    minutes, problem = _read(tmp_path, answer)
    assert minutes is None
    assert problem.startswith(f"out of range: {shown} ")


def test_a_notebook_without_the_tagged_cell(tmp_path):
    path = _notebook(tmp_path / "a.ipynb", "minutes_spent = 95", tagged=False)
    assert read_minutes(path) == (None, "no time-spent cell")


def test_two_tagged_cells_are_not_guessed_between(tmp_path):
    path = _notebook(tmp_path / "a.ipynb", "minutes_spent = 95")
    raw = json.loads(path.read_text())
    raw["cells"].append(dict(raw["cells"][-1], source="minutes_spent = 20"))
    path.write_text(json.dumps(raw))
    assert read_minutes(path) == (None, "unreadable: 2 time-spent cells")


@pytest.mark.parametrize("content, problem", [
    (b'{"cells": [', "not a notebook: invalid JSON"),
    (b"\xff\xfe\x00garbage", "not a notebook: invalid JSON"),
    (b"[1, 2, 3]", "not a notebook: no list of cells"),
    (b'{"cells": {"a": 1}}', "not a notebook: no list of cells"),
    (b"[" * 100_000 + b"]" * 100_000, None),  # nested past the recursion limit
])
def test_a_broken_file_is_a_problem_not_an_exception(tmp_path, content, problem):
    path = tmp_path / "a.ipynb"
    path.write_bytes(content)
    minutes, got = read_minutes(path)
    assert minutes is None
    assert got == problem if problem else got.startswith("not a notebook: ")


def test_a_symlink_is_refused_unread(tmp_path):
    target = _notebook(tmp_path / "elsewhere" / "real.ipynb", "minutes_spent = 95")
    link = tmp_path / "a.ipynb"
    link.symlink_to(target)
    assert read_minutes(target) == (95.0, None)
    assert read_minutes(link) == (None, "refused: a link")


def test_a_folder_a_pipe_and_a_huge_file_are_refused(tmp_path):
    (tmp_path / "folder.ipynb").mkdir()
    os.mkfifo(tmp_path / "pipe.ipynb")  # opening it would block: it must not be opened
    huge = tmp_path / "huge.ipynb"
    with open(huge, "wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: no 20 MB written
    assert read_minutes(tmp_path / "folder.ipynb") == (None, "refused: not a regular file")
    assert read_minutes(tmp_path / "pipe.ipynb") == (None, "refused: not a regular file")
    assert read_minutes(huge) == (None, "refused: larger than 20 MB")
    assert read_minutes(tmp_path / "missing.ipynb")[1].startswith("refused: cannot be read")


def test_summary_median_and_quartiles_by_hand():
    s = TimeSummary("01", answers=[40.0, 10.0, 30.0, 20.0])
    # sorted 10 20 30 40; 'inclusive' quartiles at positions 1 + (4 - 1) * 1/4 = 1.75 and 3.25
    assert s.median == 25.0
    assert s.quartiles == (17.5, 32.5)
    assert TimeSummary("01", answers=[50.0]).quartiles == (50.0, 50.0)
    assert TimeSummary("01").median is None and TimeSummary("01").quartiles is None


@pytest.fixture
def course(tmp_path):
    """3 students x 2 assignments, plus things that must not be read."""
    sub = tmp_path / "course" / "submitted"
    answers = {"alice": ("minutes_spent = 60", "minutes_spent = 45.5"),
               "bob": ("minutes_spent = 120", "minutes_spent = None"),
               "carol": ("minutes_spent = 90  # roughly", "minutes_spent = int('30')")}
    for student, (first, second) in answers.items():
        _notebook(sub / student / "01_linear" / "linear.ipynb", first)
        _notebook(sub / student / "02_mlp" / "mlp.ipynb", second)
    # would change 01's median (to 1000 or 1) if they were read
    _notebook(sub / "alice" / "01_linear" / ".ipynb_checkpoints" / "linear-checkpoint.ipynb",
              "minutes_spent = 1000")
    _notebook(sub / "alice" / ".hidden" / "x.ipynb", "minutes_spent = 1")
    _notebook(sub / ".git" / "01_linear" / "linear.ipynb", "minutes_spent = 1000")
    return tmp_path / "course"


def test_summarise_a_class(course):
    summaries = summarise(course)
    assert list(summaries) == ["01_linear", "02_mlp"]
    linear, mlp = summaries["01_linear"], summaries["02_mlp"]
    assert sorted(linear.answers) == [60.0, 90.0, 120.0]
    assert linear.median == 90.0
    # 3 answers, 'inclusive': positions 1 + 2 * 1/4 = 1.5 and 2.5 -> halfway between neighbours
    assert linear.quartiles == (75.0, 105.0)
    assert linear.problems == {}
    assert mlp.answers == [45.5]
    assert mlp.median == 45.5 and mlp.quartiles == (45.5, 45.5)
    assert mlp.problems == {"not answered": 1, "unreadable": 1}
    assert list(summarise(course, ["02_mlp"])) == ["02_mlp"]


def test_summarise_does_not_follow_linked_folders(course, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    _notebook(elsewhere / "01_linear" / "linear.ipynb", "minutes_spent = 5")
    (course / "submitted" / "dave").symlink_to(elsewhere, target_is_directory=True)
    (course / "submitted" / "erin").mkdir()
    (course / "submitted" / "erin" / "01_linear").symlink_to(elsewhere / "01_linear")
    (course / "submitted" / "frank" / "02_mlp").mkdir(parents=True)  # submitted no notebook
    summaries = summarise(course)
    assert sorted(summaries["01_linear"].answers) == [60.0, 90.0, 120.0]  # no 5
    assert summaries["01_linear"].problems == {"refused": 2}  # dave's folder, erin's assignment
    assert summaries["02_mlp"].problems == {"not answered": 1, "unreadable": 1, "refused": 1,
                                            "no notebook": 1}


def test_main_prints_the_table(course, capsys):
    assert main([str(course)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["assignment", "answers", "median"]
    assert lines[1].split()[:3] == ["01_linear", "3", "90"]
    assert "75 to 105" in lines[1] and lines[1].endswith("none")
    assert lines[2].split()[:3] == ["02_mlp", "1", "45.5"]
    assert lines[2].endswith("1 not answered, 1 unreadable")
    assert "reported" in lines[3]


def test_main_one_assignment(course, capsys):
    assert main([str(course), "--assignment", "02_mlp"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:-1]] == ["02_mlp"]


def test_main_refuses_a_missing_folder(tmp_path, capsys):
    assert main([str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nope" in err and "does not exist" in err
    assert main([str(tmp_path)]) == 2
    assert "no submitted/ folder" in capsys.readouterr().err


def test_main_refuses_an_unknown_assignment(course, capsys):
    assert main([str(course), "--assignment", "01_linear", "--assignment", "09_gan"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"nngrader times: no submissions of 09_gan in {course / 'submitted'}"
    assert captured.out == ""


def test_a_submission_the_grader_refuses_is_not_read(course):
    folder = course / "submitted" / "alice" / "01_linear"
    os.mkfifo(folder / "data.npy")   # intake refuses a folder holding a named pipe
    linear = summarise(course)["01_linear"]
    assert sorted(linear.answers) == [90.0, 120.0]   # alice's 60 is no longer read
    assert linear.problems == {"refused": 1}
