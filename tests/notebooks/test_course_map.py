"""The course map (course/COURSE_MAP.md) states what the notebooks hold: its table of graded
functions, points and written answers is read back and compared with the solution notebooks,
and its times (and each notebook's header) with ``nngrader workload``'s model."""

import re

import pytest

from harness import course_notebook, graded_functions
from nngrader.course import REPO_ROOT
from nngrader.workload import course_workloads, format_minutes

MAP = (REPO_ROOT / "course" / "COURSE_MAP.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d\d) \| (\w+) \| [^|]+ \| (\d+) \| (\d+) \| (\d+) \((\d+)\) \| ([^|]+) \|$", re.M)


def _actual(assignment):
    meta = [(c.cell_type, c.metadata.get("nbgrader", {})) for c in course_notebook("solutions", assignment).cells]
    functions = sum(1 for kind, m in meta if kind == "code" and m.get("solution"))
    auto = sum(m.get("points", 0) for kind, m in meta if kind == "code" and m.get("grade"))
    written = [m.get("points", 0) for kind, m in meta if kind == "markdown" and m.get("solution")]
    return functions, auto, len(written), sum(written)


ROWS = {number: row for number, *row in ROW.findall(MAP)}
WORKLOADS = course_workloads()


def test_every_assignment_has_a_row():
    folders = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
    assert sorted(f"{n}_{row[0]}" for n, row in ROWS.items()) == folders


@pytest.mark.parametrize("number", sorted(ROWS))
def test_a_row_states_the_notebooks_graded_work(number):
    name, functions, auto, written, written_points, _ = ROWS[number]
    assert (int(functions), int(auto), int(written), int(written_points)) == _actual(f"{number}_{name}")


def test_the_eight_topic_notebooks_keep_to_36_graded_functions():
    topics = {n: row for n, row in ROWS.items() if n != "09"}
    assert sum(int(row[1]) for row in topics.values()) <= 36
    total = re.search(r"^\| \| \*\*01–08\*\* \| \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+) \((\d+)\)\*\* \| \*\*([^*]+)\*\* \|", MAP, re.M)
    assert total, "the 01–08 totals row is missing"
    sums = [sum(int(row[i]) for row in topics.values()) for i in (1, 2, 3, 4)]
    assert [int(x) for x in total.groups()[:4]] == sums
    model = sum(WORKLOADS[f"{n}_{row[0]}"][0].minutes for n, row in topics.items())
    assert total.group(5) == format_minutes(model), "the 01–08 time is not the sum of the workload model's"


#: The model's figure for notebooks 01–08 before the teaching pass (commit 582a67c: 53 graded
#: functions, 19 written answers), in minutes: 23 h 20. Issue 22 put that course at about 20 h and
#: asks for 14 h, a cut to 70 %; on the model's own scale that is 16 h 20.
BEFORE_TEACHING_PASS = 1400
ISSUE_ESTIMATE, ISSUE_TARGET = 20 * 60, 14 * 60   # the issue's minutes for that course, and its budget
TARGET_SHARE = ISSUE_TARGET / ISSUE_ESTIMATE
#: No notebook over 2.5 h, held on the model's scale (stricter than the issue's).
NOTEBOOK_LIMIT = 150


def test_the_core_path_keeps_to_the_time_targets():
    minutes = {name: core.minutes for name, (core, _) in WORKLOADS.items() if not name.startswith("09")}
    assert len(minutes) == 8
    over = {name: format_minutes(m) for name, m in minutes.items() if m > NOTEBOOK_LIMIT}
    assert not over, f"over {format_minutes(NOTEBOOK_LIMIT)} by the workload model: {over}"
    total = sum(minutes.values())
    assert total <= TARGET_SHARE * BEFORE_TEACHING_PASS, (
        f"01–08 take {format_minutes(total)} by the model; the target is "
        f"{format_minutes(TARGET_SHARE * BEFORE_TEACHING_PASS)} (70 % of the course before the teaching pass)")
    on_old_scale = format_minutes(total * ISSUE_ESTIMATE / BEFORE_TEACHING_PASS)
    assert f"they take {format_minutes(total)}, about {on_old_scale} on the old estimate's" in " ".join(MAP.split()), \
        "the course map's paragraph on the time budget does not state the model's figures"


@pytest.mark.parametrize("number", sorted(ROWS))
def test_the_time_in_the_map_and_the_notebook_is_the_workload_models(number):
    name = f"{number}_{ROWS[number][0]}"
    expected = format_minutes(WORKLOADS[name][0].minutes)
    assert ROWS[number][5].strip() == expected, f"the course map says {ROWS[number][5]!r} for {name}; " \
        f"`nngrader workload` gives {expected!r}"
    (path,) = (REPO_ROOT / "notebooks" / name).glob("*.ipynb")
    header = re.search(r"\*\*Time:\*\* about (\d+ h(?: \d\d)?|\d+ min)", path.read_text(encoding="utf-8"))
    if header:
        assert header.group(1) == expected, f"{name}'s header says {header.group(1)!r}; the model gives {expected!r}"
    else:
        assert number == "09", f"{name} does not state its time"


SLIDES = MAP.split("## From the slides to the notebooks", 1)[1].split("\n## ", 1)[0]
SLIDE_ROWS = re.findall(r"^\| (?!slide|---)(.+?) \| ([\d, ]+) \| (.+?) \|$", SLIDES, re.M)


def _graded_functions(number):
    (folder,) = (REPO_ROOT / "solutions").glob(f"{number}_*")
    return set(graded_functions(course_notebook("solutions", folder.name)))


def test_the_slide_table_covers_the_lectures_thirty_concepts():
    assert len(SLIDE_ROWS) >= 30, f"the slide table lists {len(SLIDE_ROWS)} concepts"


@pytest.mark.parametrize("concept, where, how", SLIDE_ROWS, ids=[row[0][:40] for row in SLIDE_ROWS])
def test_a_function_the_slide_table_names_is_graded_where_it_says(concept, where, how):
    graded = set().union(*(_graded_functions(n.strip()) for n in where.split(",")))
    named = set(re.findall(r"`(\w+)`", how))
    assert named <= graded, f"{sorted(named - graded)} not graded in notebook {where}"
