"""A sample class: every kind of submission an instructor meets, with the score each must get.

Built from the student versions of a course made by ``nngrader.course.Course``:
full solutions, the known mistakes of the mutation tables (``course/*/mistakes.py``,
table ``MISTAKES``), a blank submission, a late one, a deleted test cell, an
endless loop, a crash (os._exit), a renamed notebook, a broken file and a
duplicated cell. ``make demo`` grades it; the tests check every expected score.
"""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import nbformat

from nngrader.course import REPO_ROOT
from nngrader.submissions import mistake_row, mutation_table, reference_submission, solution_cells, with_answer

__all__ = ["Expected", "DUE", "load_mistakes", "build_sample_class"]

#: The due date the sample class is graded against.
DUE = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
ON_TIME = DUE - timedelta(hours=3)
LATE = DUE + timedelta(days=2, hours=3, minutes=30)

# The misbehaving submissions break the first assignment only; in the others they are correct.
ENDLESS_LOOP = "\nwhile True:\n    pass\n"
CRASH = "import os\nos._exit(1)\n"


@dataclass
class Expected:
    """What grading one submission must give: a score and words the reasons must contain."""

    score: float
    reason: str = ""


def load_mistakes(assignment, repo=REPO_ROOT):
    """The known mistakes of `assignment` (``course/<assignment>/mistakes.py``; {} if none), as
    name -> ({solution cell: code}, exactly the test cells that lose their points, hint)."""
    table = mutation_table(assignment, repo)
    return {name: mistake_row(row) for name, row in (table or {}).get("MISTAKES", {}).items()}


def _points(source):
    return {
        cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"].get("points", 0))
        for cell in source.cells
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    }


def _without_first_test_cell(nb):
    result = copy.deepcopy(nb)
    for i, cell in enumerate(result.cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            del result.cells[i]
            return result, cell.metadata["nbgrader"]["grade_id"]
    raise ValueError("the notebook has no test cell")


def _with_duplicate_test_cell(nb):
    result = copy.deepcopy(nb)
    for i, cell in enumerate(result.cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            twin = copy.deepcopy(cell)
            twin.id = f"{cell.id}-copy"
            result.cells.insert(i + 1, twin)
            return result, cell.metadata["nbgrader"]["grade_id"]
    raise ValueError("the notebook has no test cell")


def build_sample_class(course, assignments=None, mistakes_per_assignment=2):
    """Submit the sample class into `course` (student versions generated first).

    Returns
    -------
    dict of (student, assignment) -> Expected
    """
    assignments = assignments or course.assignments
    with course.api.gradebook as gb:
        for assignment in assignments:
            course.generate(assignment)
            gb.update_or_create_assignment(assignment, duedate=DUE.replace(tzinfo=None))
    expected = {}
    first = assignments[0]
    for assignment in assignments:
        (name, student_nb), = course.student_notebooks(assignment).items()
        source = course.source_notebooks(assignment)[name]
        points = _points(source)
        full = sum(points.values())
        reference = reference_submission(source, student_nb)

        def submit(student, notebooks, want, when=ON_TIME):
            course.submit(student, assignment, notebooks, timestamp=when)
            expected[(student, assignment)] = want

        submit("ada", {name: reference}, Expected(full))
        submit("blaise", {name: student_nb}, Expected(0.0, "not attempted"))
        submit("grace", {name: reference}, Expected(full, "late by 2 d 3 h"), when=LATE)
        without, deleted = _without_first_test_cell(reference)
        submit("dennis", {name: without}, Expected(full, f"test cell '{deleted}' was deleted"))

        mistakes = sorted(load_mistakes(assignment, course.repo).items())
        for k in range(mistakes_per_assignment):
            student = f"mistake-{k + 1}"
            if not mistakes:
                submit(student, {name: reference}, Expected(full))
                continue
            label, (answers, failing, _hint) = mistakes[(k * len(mistakes)) // mistakes_per_assignment]
            mutant = reference
            for cell, code in answers.items():
                mutant = with_answer(mutant, cell, code)
            submit(student, {name: mutant},
                   Expected(full - sum(points[c] for c in failing), "lost points in " + ", ".join(sorted(failing))))

        if assignment != first:
            for student in ("edsger", "linus", "margaret", "barbara", "ken"):
                submit(student, {name: reference}, Expected(full))
            continue
        cells = solution_cells(reference)
        first_cell = next(iter(cells))
        loop = with_answer(reference, first_cell, cells[first_cell].source + ENDLESS_LOOP)
        submit("edsger", {name: loop}, Expected(full, "timeout"))
        crash = with_answer(reference, first_cell, CRASH)
        submit("linus", {name: crash}, Expected(0.0, "the notebook's process ended"))
        submit("margaret", {f"{name}-Copy1": reference}, Expected(0.0, f"{name}.ipynb is missing"))
        submit("barbara", {name: nbformat.writes(reference)[:-40]}, Expected(0.0, "not a valid notebook"))
        duplicated, twin = _with_duplicate_test_cell(reference)
        submit("ken", {name: duplicated}, Expected(0.0, f"cell '{twin}' appears 2 times"))
    return expected
