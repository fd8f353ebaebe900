"""Every notebook in solutions/: the reference scores full marks and the blank
student version scores 0 without crashing, through the real nbgrader autograde."""

import pytest

from harness import BLANK, grade_variants
from nngrader.course import REPO_ROOT

ASSIGNMENTS = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    return grade_variants(root, request.param, {"reference": {}, "blank": BLANK}, demos=True)


def test_reference_scores_full_marks(graded):
    score, max_score = graded.total("reference")
    assert max_score > 0, f"{graded.assignment} has no autograded test cells"
    assert score == max_score, f"reference lost points in {graded.failed_cells('reference')}"


def test_blank_scores_zero_in_every_cell(graded):
    assert graded.scores["blank"].keys() == graded.scores["reference"].keys(), \
        "the blank submission was not graded on every test cell"
    assert graded.total("blank")[0] == 0, \
        f"the blank student version scored in {sorted(set(graded.scores['blank']) - graded.failed_cells('blank'))}"
