"""Every notebook's mutation table (course/NN_topic/mistakes.py), graded through real nbgrader:
known mistakes lose exactly their cells with their hint, other correct answers keep full marks.

One test class per assignment (``TestMutations_<assignment>``), so xdist's loadscope
grades assignments side by side."""

import pytest

from harness import mutation_test_class
from nngrader.course import REPO_ROOT
from nngrader.submissions import mutation_table

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.parent.name for p in (REPO_ROOT / "course").glob("*/mistakes.py"))

for _assignment in ASSIGNMENTS:
    _class = mutation_test_class(_assignment, mutation_table(_assignment))
    globals()[_class.__name__] = _class


def test_every_assignment_has_a_mutation_table():
    assert ASSIGNMENTS == sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
