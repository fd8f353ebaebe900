"""Grade variants of one notebook through the real nbgrader: the proof behind every notebook.

A *variant* maps solution-cell grade_ids to replacement code; the empty mapping
is the reference answer and ``BLANK`` is the untouched student version.

Mutation tests grade without the demonstration cells (``demos=False``): they
are most of a notebook's run time and no test cell may depend on them, which
the reference variant, graded the same way, proves by keeping full marks.
"""

import copy
from dataclasses import dataclass

import nbformat
import pytest

from nngrader.course import REPO_ROOT, Course
from nngrader.submissions import mistake_row, reference_submission, solution_cells, with_answer

BLANK = None


def course_notebook(kind, assignment):
    """The notebook of `assignment` in the repository's ``solutions/`` or ``notebooks/`` (`kind`)."""
    (path,) = (REPO_ROOT / kind / assignment).glob("*.ipynb")
    return nbformat.read(path, as_version=4)


def graded_functions(nb):
    """The grade_ids of `nb`'s graded functions (its code answer cells), in order."""
    return [grade_id for grade_id, cell in solution_cells(nb).items() if cell.cell_type == "code"]


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


def _packed(mistakes):
    """Submissions holding at most one mistake per solution cell: {submission: [mistake, ...]}.

    Only for notebooks whose test cells each call only their own function (``PACK``):
    then mistakes in different functions cannot touch each other's cells, and one
    autograde proves several. Each mistake must fail exactly its own test cell.
    """
    by_cell = {}
    for name, (answers, _, _) in sorted(mistakes.items()):
        (cell,) = answers
        by_cell.setdefault(cell, []).append(name)
    rounds = max(len(names) for names in by_cell.values())
    return {f"mistakes_{k}": [names[k] for names in by_cell.values() if k < len(names)] for k in range(rounds)}


def mutation_test_class(assignment, table):
    """A test class proving `assignment`'s mutation table (``nngrader.submissions.mutation_table``).

    One class per assignment, so ``--dist loadscope`` grades assignments side by side:
    the reference keeps full marks, each known mistake costs exactly its listed test
    cells and shows its hint there, every other correct answer keeps full marks.
    """
    rows = {name: mistake_row(row) for name, row in table["MISTAKES"].items()}
    correct, extra = table["CORRECT"], table["EXTRA_VARIANTS"]
    if table["PACK"]:
        submissions = _packed(rows)
        for name, (answers, cells, _) in rows.items():
            assert cells == {f"test_{next(iter(answers))}"}, \
                f"{assignment}: PACK needs {name} to fail only its own test cell"
    else:
        submissions = {name: [name] for name in rows}
    submission_of = {m: student for student, names in submissions.items() for m in names}

    class MutationTests:
        @pytest.fixture(scope="class")
        @classmethod
        def graded(cls, tmp_path_factory):
            variants = {"reference": {}, **extra, **correct}
            for student, names in submissions.items():
                variants[student] = {cell: code for name in names for cell, code in rows[name][0].items()}
            return grade_variants(tmp_path_factory.mktemp(assignment), assignment, variants)

        def test_reference_keeps_full_marks(self, graded):
            score, max_score = graded.total("reference")
            assert score == max_score > 0, f"a test depends on a demonstration: {graded.failed_cells('reference')}"

        @pytest.mark.parametrize("mistake", sorted(rows))
        def test_mistake_loses_points_with_its_hint(self, graded, mistake):
            _, cells, hint = rows[mistake]
            student = submission_of[mistake]
            expected = set().union(*(rows[name][1] for name in submissions[student]))
            assert graded.failed_cells(student) == expected, \
                f"expected exactly {expected} to fail, failed: {graded.failed_cells(student)}"
            shown = {cell: graded.output_text(student, cell) for cell in sorted(cells)}
            found = [cell for cell, text in shown.items() if hint in text]
            if table["HINT_IN_EVERY_CELL"]:
                assert found == sorted(cells), f"hint {hint!r} missing from {sorted(set(cells) - set(found))}"
            assert found, f"hint {hint!r} not shown; the cells showed:\n" + "\n".join(shown.values())

        @pytest.mark.parametrize("variant", sorted({**correct, **extra}))
        def test_other_correct_answer_keeps_full_marks(self, graded, variant):
            score, max_score = graded.total(variant)
            assert score == max_score, f"lost points in {graded.failed_cells(variant)}"

    MutationTests.__name__ = MutationTests.__qualname__ = f"TestMutations_{assignment}"
    return MutationTests
