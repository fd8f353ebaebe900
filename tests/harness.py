"""Grade variants of one notebook through the real nbgrader: the proof behind every notebook.

A *variant* maps solution-cell grade_ids to replacement code; the empty mapping
is the reference answer and ``BLANK`` is the untouched student version.

Mutation tests grade without the demonstration cells (``demos=False``): they
are most of a notebook's run time and no test cell may depend on them, which
the reference variant, graded the same way, proves by keeping full marks.
"""

import copy
from dataclasses import dataclass

from nnlib.course import Course
from nnlib.submissions import reference_submission, with_answer

BLANK = None


@dataclass
class GradedClass:
    course: Course
    assignment: str
    notebook: str
    scores: dict  # student -> grade_id -> (score, max_score)

    def total(self, student):
        cells = self.scores[student].values()
        return sum(s for s, _ in cells), sum(m for _, m in cells)

    def failed_cells(self, student):
        return {gid for gid, (s, m) in self.scores[student].items() if s < m}

    def output_text(self, student, grade_id):
        """Everything the autograded cell `grade_id` showed: streams, results, errors."""
        nb = self.course.autograded_notebook(self.assignment, student, self.notebook)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                parts = []
                for out in cell.get("outputs", []):
                    parts.append(out.get("text", ""))
                    parts.append(out.get("evalue", ""))
                    parts.append(str(out.get("data", {}).get("text/plain", "")))
                return "\n".join(parts)
        raise KeyError(f"no cell {grade_id!r} in the autograded notebook")


def without_demonstrations(nb):
    """A copy of `nb` whose demonstration cells (code cells nbgrader does not track) are empty."""
    result = copy.deepcopy(nb)
    for cell in result.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and not (meta.get("solution") or meta.get("grade") or meta.get("locked")):
            cell.source = ""
    return result


def grade_variants(root, assignment, variants, demos=False):
    """Autograde each variant as its own student in a scratch course at `root`."""
    course = Course(root, assignments=[assignment])
    students = course.generate(assignment)
    (name, student_nb), = students.items()
    if not demos:
        student_nb = without_demonstrations(student_nb)
    reference = reference_submission(course.source_notebooks(assignment)[name], student_nb)
    scores = {}
    for student, answers in variants.items():
        nb = student_nb
        if answers is not BLANK:
            nb = reference
            for grade_id, source in answers.items():
                nb = with_answer(nb, grade_id, source)
        course.submit(student, assignment, {name: nb})
        result = course.autograde(assignment, student)
        if not result.get("success"):
            raise RuntimeError(f"autograde of {student} failed:\n{result.get('error') or result.get('log')}")
        scores[student] = course.cell_scores(assignment, student)
    return GradedClass(course, assignment, name, scores)
