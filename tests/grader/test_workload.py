"""nngrader.workload on a small solution/student pair made here: what it counts, what an
optional section takes out of the core path, and the minutes at the stated rates."""

import nbformat
import pytest

from nngrader.workload import RATES, Workload, format_minutes, workload


def _md(text, **nbgrader):
    cell = nbformat.v4.new_markdown_cell(text)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **nbgrader}
    return cell


def _code(text, tags=(), **nbgrader):
    cell = nbformat.v4.new_code_cell(text)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **nbgrader}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


ANSWER = "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n\n    # a comment\n    return y\n    ### END SOLUTION\n"
STUDENT_ANSWER = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
MODEL = "**Rubric (1 point).** Say why.\n\n**Model answer.** Because one two three four five."


def _pair(tmp_path, optional_heading="## 2. More (optional)", graded_in_optional=False):
    """A solution notebook and its student version; the counts are in the comments."""
    def cells(answer, model):
        out = [_md("# Title\n\none two three"),                               # 5 words
               _code("import numpy as np", grade_id="setup", locked=True),
               _md("## 1. Core\n\nfour five"),                              # 5 words
               _code("print(1)"),                                          # a core demo
               _code("def g(x):\n    return x", grade_id="given_g", locked=True),  # given code: read, a demo
               _code(answer, grade_id="f", solution=True),                 # 2 lines in the answer
               _code("assert f(1) == 2", grade_id="test_f", grade=True, locked=True, points=1),
               _md("**Q.** Why?", grade_id="q", locked=True),               # 2 words
               _md(model, grade_id="a_q", solution=True, grade=True, points=1),  # 6 model words
               _md(optional_heading + "\n\nsix seven eight nine"),
               _code("print(2)"), _code("print(3)")]                       # 2 optional demos
        if graded_in_optional:
            out.append(_code("assert True", grade_id="test_late", grade=True, locked=True, points=1))
        out += [_md("## How long did this take you?"), _code("minutes_spent = None", tags=["time-spent"])]
        return out
    solution, student = nbformat.v4.new_notebook(), nbformat.v4.new_notebook()
    solution.cells, student.cells = cells(ANSWER, MODEL), cells(STUDENT_ANSWER, "YOUR ANSWER HERE")
    nbformat.write(solution, tmp_path / "solution.ipynb")
    nbformat.write(student, tmp_path / "student.ipynb")
    return workload(tmp_path / "solution.ipynb", tmp_path / "student.ipynb")


def test_the_core_path_counts_what_the_student_reads_runs_and_writes(tmp_path):
    core, optional = _pair(tmp_path)
    # words: title 5 + core 5 + question 2 + the time heading 7 (after the optional section closed);
    # demos: print(1) and the given g (the setup cell is not one)
    assert core == Workload(words=19, demos=2, functions=1, lines=2, written=1, answer_words=6)
    assert optional == Workload(words=8, demos=2)


def test_a_heading_of_the_same_level_ends_the_optional_section(tmp_path):
    core, optional = _pair(tmp_path, optional_heading="### 1.1 More (optional)")
    # the time heading (##) closes the ### section; ## 1. Core stays core
    assert optional.demos == 2 and core.demos == 2


def test_without_an_optional_heading_everything_is_core(tmp_path):
    core, optional = _pair(tmp_path, optional_heading="## 2. More")
    assert optional == Workload() and core.demos == 4


def test_a_graded_cell_in_an_optional_section_is_refused(tmp_path):
    with pytest.raises(ValueError, match="graded cell 'test_late' is in an optional section"):
        _pair(tmp_path, graded_in_optional=True)


def test_the_minutes_follow_the_stated_rates():
    load = Workload(words=300, demos=2, functions=1, lines=4, written=1, answer_words=30)
    expected = (300 / RATES["reading_wpm"] + 2 * RATES["demo_minutes"] + RATES["function_minutes"]
                + 4 * RATES["line_minutes"] + RATES["answer_minutes"] + 30 / RATES["writing_wpm"])
    assert load.minutes == pytest.approx(expected)
    assert Workload().minutes == 0


@pytest.mark.parametrize("minutes, text", [(42, "40 min"), (58, "1 h"), (62.6, "1 h 05"), (125, "2 h 05"),
                                           (1207, "20 h 05")])
def test_minutes_are_written_as_the_course_map_writes_them(minutes, text):
    assert format_minutes(minutes) == text
