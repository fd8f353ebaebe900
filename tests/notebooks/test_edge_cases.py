"""Every graded function's tests, visible and hidden, catch the mistakes that hide in a
square weight matrix (C = d), one sample (N = 1) and float32 input, or the notebook's
mutation table says why that input cannot hide one (``nngrader edges``)."""

import pytest

from nngrader.course import REPO_ROOT
from nngrader.edges import audit

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_edge_case_goes_untested(assignment):
    verdicts = audit(assignment)
    gaps = [f"{v.function} ({v.kind}): {v.why}" for v in verdicts if v.status == "gap"]
    assert not gaps, "\n".join(gaps)
    assert verdicts, "the audit found no graded function"
