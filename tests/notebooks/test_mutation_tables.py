"""The mutation tables themselves (course/NN_topic/mistakes.py), read without grading: what the
notebook standard asks of them for every graded function, and no row lost to a repeated key.
test_mutations.py grades them."""

import ast

import pytest

from harness import course_notebook, graded_functions
from nngrader.course import REPO_ROOT
from nngrader.submissions import mistake_row, mutation_table

ASSIGNMENTS = sorted(p.parent.name for p in (REPO_ROOT / "course").glob("*/mistakes.py"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_two_known_mistakes_and_another_correct_answer(assignment):
    table = mutation_table(assignment)
    mistakes = [mistake_row(row)[0] for row in table["MISTAKES"].values()]
    correct = [*table["CORRECT"].values(), *table["EXTRA_VARIANTS"].values()]
    for function in graded_functions(course_notebook("solutions", assignment)):
        assert sum(function in answers for answers in mistakes) >= 2, f"{function}: fewer than two known mistakes"
        assert any(function in answers for answers in correct), f"{function}: no other correct answer"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_mutation_table_names_each_mistake_once(assignment):
    """A key written twice in a dict literal silently drops the first row (03 once lost one so)."""
    tree = ast.parse((REPO_ROOT / "course" / assignment / "mistakes.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
