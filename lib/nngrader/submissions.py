"""Make submissions from a student notebook: the reference answer, a blank one, a mutant.

A *mutant* is the reference submission with one solution cell replaced by
other code (a known mistake, or a different correct answer). Grading mutants
proves that each test catches what it claims to and lets correct variants pass.
"""

import copy
from pathlib import Path

__all__ = ["mutation_table", "solution_cells", "reference_answer", "reference_submission", "with_answer", "mistake_row"]

_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solution_cells(nb):
    """grade_id -> cell for every cell nbgrader marks as a solution (an answer cell)."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in nb.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def reference_answer(source_cell):
    """The source cell's text with the solution markers removed: the model answer."""
    lines = source_cell.source.splitlines()
    return "\n".join(line for line in lines if line.strip() not in _MARKERS)


def with_answer(nb, grade_id, source):
    """A copy of `nb` whose solution cell `grade_id` holds `source`."""
    result = copy.deepcopy(nb)
    cells = solution_cells(result)
    if grade_id not in cells:
        raise KeyError(f"no solution cell {grade_id!r}; the notebook has {sorted(cells)}")
    cells[grade_id].source = source
    return result


def reference_submission(source_nb, student_nb):
    """The student notebook with every solution cell answered as in the source."""
    result = copy.deepcopy(student_nb)
    answers = solution_cells(source_nb)
    for grade_id, cell in solution_cells(result).items():
        cell.source = reference_answer(answers[grade_id])
    return result


def mistake_row(row):
    """A row of a mutation table as ``({solution cell: code}, {test cells that lose points}, hint)``.

    Tables write a row as ``(cell, code, cells, hint)`` or, when a mistake spans
    several solution cells, ``({cell: code, ...}, cells, hint)``.
    """
    if isinstance(row[0], dict):
        answers, cells, hint = row
    else:
        cell, code, cells, hint = row
        answers = {cell: code}
    return dict(answers), set(cells), hint


def mutation_table(assignment, repo=None):
    """The course data of `assignment`'s mutation tests (``course/<assignment>/mistakes.py``).

    Returns a dict with ``MISTAKES`` (name -> row, see ``mistake_row``), ``CORRECT``
    (name -> {cell: code}) and the options ``EXTRA_VARIANTS`` ({} unless set),
    ``HINT_IN_EVERY_CELL`` and ``PACK`` (False unless set), ``EDGES_NOT_APPLICABLE``
    (function -> {kind: reason}, read by ``nngrader.edges``); None when the
    assignment has no table.
    """
    import runpy

    from nngrader.course import REPO_ROOT

    path = Path(repo or REPO_ROOT) / "course" / assignment / "mistakes.py"
    if not path.is_file():
        return None
    data = runpy.run_path(str(path))
    return {"MISTAKES": dict(data.get("MISTAKES", {})), "CORRECT": dict(data.get("CORRECT", {})),
            "EXTRA_VARIANTS": dict(data.get("EXTRA_VARIANTS", {})),
            "HINT_IN_EVERY_CELL": bool(data.get("HINT_IN_EVERY_CELL", False)),
            "PACK": bool(data.get("PACK", False)),
            "EDGES_NOT_APPLICABLE": dict(data.get("EDGES_NOT_APPLICABLE", {}))}
