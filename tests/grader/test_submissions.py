"""nngrader.submissions: reference answers and mutants built from a notebook."""

import nbformat
import pytest

from nngrader.submissions import reference_answer, reference_submission, solution_cells, with_answer


def _cell(source, grade_id, solution):
    meta = {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": False,
                         "locked": not solution, "schema_version": 3, "task": False}}
    return nbformat.v4.new_code_cell(source, metadata=meta)


@pytest.fixture
def source_nb():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("import numpy as np", "setup", False),
        _cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", "f", True),
        _cell("assert f(1) == 2", "test_f", False),
    ]
    return nb


def test_reference_answer_drops_only_the_markers(source_nb):
    assert reference_answer(source_nb.cells[1]) == "def f(x):\n    return 2 * x"


def test_reference_submission_fills_solution_cells_only(source_nb):
    student = nbformat.from_dict(source_nb)
    student.cells[1].source = "def f(x):\n    raise NotImplementedError()"
    filled = reference_submission(source_nb, student)
    assert filled.cells[1].source == "def f(x):\n    return 2 * x"
    assert filled.cells[2].source == "assert f(1) == 2"
    assert "NotImplementedError" in student.cells[1].source, "the input notebook was modified"


def test_with_answer_replaces_one_cell_in_a_copy(source_nb):
    mutant = with_answer(source_nb, "f", "def f(x):\n    return x")
    assert solution_cells(mutant)["f"].source == "def f(x):\n    return x"
    assert "### BEGIN SOLUTION" in source_nb.cells[1].source


def test_with_answer_names_the_known_cells(source_nb):
    with pytest.raises(KeyError, match=r"no solution cell 'g'.*\['f'\]"):
        with_answer(source_nb, "g", "")


def test_mistake_row_reads_both_table_shapes():
    from nngrader.submissions import mistake_row

    assert mistake_row(("f", "code", {"test_f"}, "hint")) == ({"f": "code"}, {"test_f"}, "hint")
    assert mistake_row(({"f": "a", "g": "b"}, ["test_f", "test_g"], "hint")) == \
        ({"f": "a", "g": "b"}, {"test_f", "test_g"}, "hint")
