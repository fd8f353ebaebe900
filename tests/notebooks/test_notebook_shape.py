"""What every notebook's student version must hold on its core path (issue 22, point 9): one
"predict before you run" prompt right before a plot, a "what to remember" box; and in every
solution, a rubric in each written answer, whose question says how long the answer should be."""

import re

import pytest

from harness import course_notebook
from nngrader.course import REPO_ROOT
from nngrader.workload import sections

ASSIGNMENTS = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
#: The eight topic notebooks, whose written answers the time budget keeps short (09 is the project).
TOPICS = [a for a in ASSIGNMENTS if not a.startswith("09")]


def _core(assignment):
    """The student version's cells on the core path, in order."""
    return [cell for cell, optional in sections(course_notebook("notebooks", assignment).cells) if not optional]


def _written(assignment):
    """(question cell, answer cell) of each written answer of the solution notebook."""
    cells = course_notebook("solutions", assignment).cells
    return [(cells[i - 1], cell) for i, cell in enumerate(cells)
            if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution")]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_predict_before_you_run_prompt_on_the_core_path_and_a_plot_after_it(assignment):
    core = _core(assignment)
    prompts = [i for i, c in enumerate(core) if c.cell_type == "markdown" and "Predict before you run" in c.source]
    assert len(prompts) == 1, f"{assignment}: {len(prompts)} prompts on the core path, not one"
    if assignment in TOPICS:  # the capstone's prompt is about a score, not a plot
        following = [c for c in core[prompts[0] + 1:] if c.cell_type == "code"][:2]
        assert any(re.search(r"\bplt\.|\bplots\.", c.source) for c in following), \
            f"{assignment}: neither of the two code cells after the prompt draws a plot"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_what_to_remember_box_on_the_core_path(assignment):
    assert any(c.cell_type == "markdown" and "What to remember" in c.source for c in _core(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_written_answer_holds_its_rubric(assignment):
    written = _written(assignment)
    assert written, f"{assignment} has no written question"
    for _, answer in written:
        assert re.search(r"\*\*Rubric \(\d+ points?", answer.source), \
            f"{assignment}: {answer.metadata['nbgrader']['grade_id']} has no rubric with its points"


@pytest.mark.parametrize("assignment", TOPICS)
def test_every_written_question_says_how_long_the_answer_should_be(assignment):
    for question, answer in _written(assignment):
        assert question.metadata.get("nbgrader", {}).get("locked"), "the question sits in its own locked cell"
        assert re.search(r"\b(one|two|three|four|five) sentences?\b|\b\d+ words\b", question.source), \
            f"{assignment}: the question before {answer.metadata['nbgrader']['grade_id']} gives no length"
