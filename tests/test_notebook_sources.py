"""Each solution notebook is exactly what its build script in tools/notebooks/ writes."""

import subprocess
import sys

import nbformat
import pytest

from nngrader.course import REPO_ROOT

SCRIPTS = sorted((REPO_ROOT / "tools" / "notebooks").glob("*.py"))


def _cells(nb):
    return [(c.cell_type, c.source, c.get("metadata", {}).get("nbgrader")) for c in nb.cells]


def test_every_assignment_has_a_build_script():
    assignments = sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
    assert [s.stem for s in SCRIPTS] == assignments


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_solution_notebook_matches_its_build_script(script, tmp_path):
    out = tmp_path / "built.ipynb"
    subprocess.run([sys.executable, str(script), "--no-exec", "--out", str(out)], check=True,
                   capture_output=True, text=True)
    (committed,) = (REPO_ROOT / "solutions" / script.stem).glob("*.ipynb")
    assert _cells(nbformat.read(out, as_version=4)) == _cells(nbformat.read(committed, as_version=4)), (
        f"{committed} differs from what {script.name} writes: edit the script, then run it "
        "(and `python -m nngrader.release ...`), never the notebook alone")
