"""notebooks/ is exactly what nbgrader generates from solutions/, and leaks nothing."""

import json
import re
import nbformat
import pytest

from nngrader.course import REPO_ROOT
from nngrader.release import generate_student_notebooks

SOLUTIONS = REPO_ROOT / "solutions"
NOTEBOOKS = REPO_ROOT / "notebooks"
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


@pytest.mark.slow
def test_student_notebooks_equal_generated_ones():
    generated = generate_student_notebooks()
    for assignment, notebooks in generated.items():
        for name, nb in notebooks.items():
            path = NOTEBOOKS / assignment / f"{name}.ipynb"
            assert path.exists(), f"{path} missing: run `make release`"
            committed = nbformat.read(path, as_version=4)
            assert json.loads(nbformat.writes(committed)) == json.loads(nbformat.writes(nb)), (
                f"{path} differs from what generate_assignment makes: run `make release` "
                "(never edit notebooks/ by hand)")


def _hidden_lines(from_assignment=""):
    """Lines between solution / hidden-test markers of `from_assignment` and later ones that
    the sources show nowhere outside them (an author may mention a line on purpose, e.g. a
    mistake named in the text). Earlier assignments' answers may reach later support modules."""
    hidden, public = set(), []
    for path in SOLUTIONS.glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            public.append(REGION.sub("", cell.source))
            if path.parent.name >= from_assignment:
                for match in REGION.finditer(cell.source):
                    hidden.update(line.strip() for line in match.group(2).splitlines())
    public_text = "\n".join(public)
    return {line for line in hidden if len(line) >= 12 and line not in public_text}


def test_nothing_between_markers_reaches_notebooks():
    assert _hidden_lines(), "found no solution or hidden-test lines in solutions/"
    files = [p for p in NOTEBOOKS.rglob("*") if p.is_file()]
    assert files, "notebooks/ is empty"
    for path in files:
        hidden = _hidden_lines(path.relative_to(NOTEBOOKS).parts[0])
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, f"markers in {path}"
        sources = [text] if path.suffix != ".ipynb" else ["".join(c["source"]) for c in json.loads(text)["cells"]]
        leaked = sorted(line for line in hidden for source in sources if line in source)
        assert not leaked, f"{path} holds lines from between markers: {leaked[:3]}"


def test_student_notebooks_carry_no_outputs():
    for path in NOTEBOOKS.glob("*/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), path


def test_student_bundle_holds_what_students_need_and_nothing_hidden(tmp_path):
    import zipfile

    from nngrader.release import build_student_bundle

    bundle = build_student_bundle(out=tmp_path / "bundle.zip")
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        texts = {n: z.read(n).decode("utf-8", "replace") for n in names}
    assert "README.md" in names and "pyproject.toml" in names
    assert "nnlib/datasets.py" in names and "nnlib/data/corpus.tsv" in names
    assert not [n for n in names if n.startswith(("nngrader/", "lib/")) or "pytest" in texts[n]
                or n.endswith(("nbgrader_config.py", "environment.yml"))], "bundle holds grader files"
    assert "nnreview-nnlib" in texts["pyproject.toml"] and "nbgrader" not in texts["pyproject.toml"]
    for assignment in (p.name for p in SOLUTIONS.iterdir() if p.is_dir()):
        assert any(n.startswith(f"notebooks/{assignment}/") and n.endswith(".ipynb") for n in names)
    assert not [n for n in names if n.startswith(("solutions/", "tests/")) or "gradebook" in n
                or n.endswith(".db")], "bundle holds instructor files"
    hidden = _hidden_lines()
    notebooks = {n: t for n, t in texts.items() if n.endswith(".ipynb")}
    assert notebooks
    for name, text in notebooks.items():
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, name
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{name} holds lines from between markers: {leaked[:3]}"
