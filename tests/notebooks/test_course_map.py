"""The course map (course/COURSE_MAP.md) states what the notebooks hold: its table of graded
functions, points and written answers is read back and compared with the solution notebooks."""

import re

import nbformat
import pytest

from nngrader.course import REPO_ROOT

MAP = (REPO_ROOT / "course" / "COURSE_MAP.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d\d) \| (\w+) \| [^|]+ \| (\d+) \| (\d+) \| (\d+) \((\d+)\) \| ([^|]+) \|$", re.M)


def _hours(text):
    """'1 h 45' -> 1.75, '≤ 3 h' -> 3.0"""
    h, m = re.search(r"(\d+) h(?: (\d+))?", text).groups()
    return int(h) + int(m or 0) / 60


def _actual(folder):
    (path,) = folder.glob("*.ipynb")
    meta = [(c.cell_type, c.metadata.get("nbgrader", {})) for c in nbformat.read(path, as_version=4).cells]
    functions = sum(1 for kind, m in meta if kind == "code" and m.get("solution"))
    auto = sum(m.get("points", 0) for kind, m in meta if kind == "code" and m.get("grade"))
    written = [m.get("points", 0) for kind, m in meta if kind == "markdown" and m.get("solution")]
    return functions, auto, len(written), sum(written)


ROWS = {number: row for number, *row in ROW.findall(MAP)}


def test_every_assignment_has_a_row():
    folders = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
    assert sorted(f"{n}_{row[0]}" for n, row in ROWS.items()) == folders


@pytest.mark.parametrize("number", sorted(ROWS))
def test_a_row_states_the_notebooks_graded_work(number):
    name, functions, auto, written, written_points, _ = ROWS[number]
    folder = REPO_ROOT / "solutions" / f"{number}_{name}"
    assert (int(functions), int(auto), int(written), int(written_points)) == _actual(folder)


def test_the_eight_topic_notebooks_fit_the_weeks_budget():
    topics = {n: row for n, row in ROWS.items() if n != "09"}
    assert sum(int(row[1]) for row in topics.values()) <= 36
    assert sum(_hours(row[5]) for row in topics.values()) <= 14
    assert all(_hours(row[5]) <= 2.5 for row in topics.values())
    total = re.search(r"^\| \| \*\*01–08\*\* \| \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+) \((\d+)\)\*\* \|", MAP, re.M)
    assert total, "the 01–08 totals row is missing"
    sums = [sum(int(row[i]) for row in topics.values()) for i in (1, 2, 3, 4)]
    assert [int(x) for x in total.groups()] == sums
