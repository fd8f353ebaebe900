"""notebooks/ is exactly what nbgrader generates from solutions/, and leaks nothing."""

import ast
import builtins
import json
import re
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from nngrader import answers
from nngrader.course import REPO_ROOT
from nngrader.release import build_bundle, generate_student_notebooks

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


def _bundle(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


def test_an_assignment_bundle_holds_that_assignment_the_student_package_and_nothing_hidden(tmp_path):
    texts = _bundle(build_bundle(tmp_path / "01.zip", ["01_softmax"]))
    names = set(texts)
    assert {"README.md", "COURSE-MAP.md", "pyproject.toml", "nnlib/datasets.py", "nnlib/data/corpus.tsv",
            "notebooks/01_softmax/softmax.ipynb"} <= names
    assert not [n for n in names if n.startswith("notebooks/") and not n.startswith("notebooks/01_softmax/")]
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "nngrader/", "lib/", "course/"))
                or "gradebook" in n or n.endswith((".db", "nbgrader_config.py", "environment.yml"))
                or "[tool.pytest" in texts[n]], "bundle holds instructor files"
    assert "nnreview-nnlib" in texts["pyproject.toml"] and "nbgrader" not in texts["pyproject.toml"]
    assert "Submit" in texts["README.md"] and "notebooks/01_softmax/softmax.ipynb" in texts["README.md"]
    hidden = _hidden_lines()
    for name, text in texts.items():
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, name
        if not name.startswith("notebooks/"):
            continue  # the student package: the answer scan (syntax trees) covers it
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{name} holds lines from between markers: {leaked[:3]}"


def test_every_release_folder_and_the_student_package_hold_no_answer_of_now_or_later():
    graded = answers.graded_answers(SOLUTIONS)
    assert len(graded) > 20, "found too few graded answers: is the scanner reading the solutions?"
    package = sorted((REPO_ROOT / "lib" / "nnlib").rglob("*.py"))
    problems = []
    for folder in sorted(p for p in NOTEBOOKS.iterdir() if p.is_dir()):
        problems += answers.leaks(sorted(folder.iterdir()) + package, folder.name, graded)
    assert not problems, "\n".join(problems)


class _Renamed(ast.NodeTransformer):
    """Every function, argument and local name gets a suffix, as a student copying would."""

    def visit_FunctionDef(self, node):
        node.name += "_x"
        return self.generic_visit(node)

    def visit_arg(self, node):
        node.arg += "_x"
        return node

    def visit_Name(self, node):
        if node.id not in ("np", *dir(builtins)):
            node.id += "_x"
        return node


def test_a_renamed_copy_of_an_answer_in_a_support_module_is_refused(tmp_path):
    for folder in ("lib", "solutions/02_cross_entropy", "notebooks/02_cross_entropy"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    nb = nbformat.read(SOLUTIONS / "02_cross_entropy/cross_entropy.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    name = re.search(r"def (\w+)\(", cell.source).group(1)
    renamed = ast.unparse(_Renamed().visit(ast.parse(cell.source)))
    (tmp_path / "notebooks/02_cross_entropy/support.py").write_text(renamed)
    with pytest.raises(ValueError, match=rf"support.py: {name}_x is the graded answer {name} of 02_cross_entropy"):
        build_bundle(tmp_path / "02.zip", ["02_cross_entropy"], repo=tmp_path)


@pytest.mark.slow
def test_the_student_package_requires_numpy_matplotlib_and_tqdm_only(tmp_path):
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(build_bundle(tmp_path / "01.zip", ["01_softmax"])) as z:
        z.extractall(folder)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "wheel"), str(folder)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        metadata = z.read(next(n for n in z.namelist() if n.endswith("METADATA"))).decode()
        assert "nnlib/datasets.py" in z.namelist() and not any(n.startswith("nngrader") for n in z.namelist())
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    plain = sorted(re.split(r"[<>=!~ ;]", r)[0] for r in requires if "extra ==" not in r)
    assert plain == ["matplotlib", "numpy", "tqdm"], requires
    assert all("extra == \"jupyter\"" in r for r in requires if re.split(r"[<>=!~ ;]", r)[0] not in plain)


def test_every_support_module_is_released_beside_its_notebook():
    from nngrader.course import support_files

    for folder in sorted(p for p in SOLUTIONS.iterdir() if p.is_dir()):
        released = {p.name for p in support_files(NOTEBOOKS / folder.name)}
        assert released == {p.name for p in support_files(folder)}, f"run `nngrader release {folder.name}`"
        for source in support_files(folder):
            assert (NOTEBOOKS / folder.name / source.name).read_text() == source.read_text(), \
                f"notebooks/{folder.name}/{source.name} is stale: run `nngrader release {folder.name}`"
