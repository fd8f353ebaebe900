"""Notebook sources (course/NN_topic/topic.py, jupytext percent files) and the build step.

Every solution notebook is exactly what its source describes (cell ids, types,
sources, nbgrader metadata); the build restores ids from grade_ids and says what
is out of step, naming the file.
"""

import shutil

import nbformat
import pytest

from nngrader import build
from nngrader.course import REPO_ROOT


def test_every_assignment_has_exactly_one_source_outside_solutions():
    assignments = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
    found = build.sources()
    assert sorted(found) == assignments
    for source in found.values():
        assert "solutions" not in source.relative_to(REPO_ROOT).parts
    # nbgrader releases every file of solutions/: a .py there is a generated support module only.
    assert {p.name for p in (REPO_ROOT / "solutions").rglob("*.py")} <= {"support.py"}


def test_every_solution_notebook_is_in_step_with_its_source():
    problems = build.out_of_step()
    assert not problems, "\n".join(problems)


def test_cell_ids_are_grade_ids_or_positions():
    nb = build.read_source(build.sources(assignments=["01_softmax"])["01_softmax"])
    graded = [c for c in nb.cells if "nbgrader" in c.metadata]
    assert graded and all(c.id == c.metadata["nbgrader"]["grade_id"] for c in graded)
    assert nb.cells[0].id == "cell-000"
    assert all(c.id == f"cell-{i:03d}" for i, c in enumerate(nb.cells) if "nbgrader" not in c.metadata)


@pytest.fixture
def scratch_repo(tmp_path):
    """A course with the 01 source and solution only."""
    for folder in ("course/01_softmax", "solutions/01_softmax"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder)
    return tmp_path


def test_an_edited_source_is_reported_then_built(scratch_repo):
    source = scratch_repo / "course/01_softmax/softmax.py"
    text = source.read_text()
    assert "# ## 1. Notation and the data" in text
    source.write_text(text.replace("# ## 1. Notation and the data", "# ## 1. Notation, and the data"))
    (problem,) = build.out_of_step(scratch_repo)
    assert "solutions/01_softmax/softmax.ipynb differs from course/01_softmax/softmax.py at cell 2" in problem
    assert "nngrader build 01_softmax" in problem
    (out,) = build.build(scratch_repo, run=False)
    assert build.out_of_step(scratch_repo) == []
    assert nbformat.read(out, as_version=4).cells[2].source.startswith("## 1. Notation, and the data")


def test_a_second_notebook_source_or_a_repeated_grade_id_is_refused(scratch_repo):
    source = scratch_repo / "course/01_softmax/softmax.py"
    (scratch_repo / "course/01_softmax/mistakes.py").write_text("MISTAKES = {}\n")   # data, not a source
    assert list(build.sources(scratch_repo)) == ["01_softmax"]
    shutil.copy(source, scratch_repo / "course/01_softmax/copy.py")
    with pytest.raises(ValueError, match="exactly one notebook source"):
        build.sources(scratch_repo)
    (scratch_repo / "course/01_softmax/copy.py").unlink()
    text = source.read_text()
    source.write_text(text.replace('"grade_id": "test_scores"', '"grade_id": "scores"'))
    with pytest.raises(ValueError, match="grade_id 'scores' is used by two cells"):
        build.read_source(source)


def test_the_command_says_what_is_wrong_without_a_traceback(scratch_repo, capsys, monkeypatch):
    monkeypatch.setattr(build, "REPO_ROOT", scratch_repo)
    with pytest.raises(SystemExit) as stop:
        build.main(["99_missing"])
    assert stop.value.code == 2
    assert "no source in course/ for 99_missing" in capsys.readouterr().err
    assert build.main(["--check"]) == 0


@pytest.mark.slow
def test_a_build_executes_the_source_and_keeps_its_outputs(scratch_repo):
    (out,) = build.build(scratch_repo)
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every code cell ran"
    assert any("X: (200, 2) float64" in o.get("text", "") for c in code for o in c.outputs)
    assert build.out_of_step(scratch_repo) == []
