"""Each package declares what it imports, and environment.yml installs the packages.

- The student package (``lib/nnlib``, ``lib/pyproject.toml``) depends on numpy,
  matplotlib and tqdm only; every third-party import of it and of the notebooks
  (solutions/ and notebooks/) is one of its dependencies.
- Every third-party import of the grader (``lib/nngrader``) is a dependency of the
  root ``pyproject.toml`` (or of the student package, which it installs).
- ``environment.yml`` (conda, Binder) names no dependency of its own: it installs
  the two packages with pip, so the dependencies are written once.

The checks are functions of a folder, so the tests also run them on broken copies.
"""

import ast
import functools
import importlib.metadata
import json
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
OWN_PACKAGES = {"nnlib", "nngrader"}
STUDENT_DEPENDENCIES = {"numpy", "matplotlib", "tqdm"}
# Import names whose distribution is called something else.
DISTRIBUTION_OF = {"IPython": "ipython", "yaml": "pyyaml", "sklearn": "scikit-learn",
                   "mpl_toolkits": "matplotlib", "PIL": "pillow"}


def python_imports(source, where="<source>"):
    """Top-level names of the absolute imports in Python `source`."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ValueError(f"cannot parse {where}: {e}") from e
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def notebook_imports(text, where="<notebook>"):
    """Top-level names imported by the code cells of notebook JSON `text` (magics skipped)."""
    names = set()
    for i, cell in enumerate(json.loads(text)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if source.lstrip().startswith("%%"):
            continue
        lines = ["pass" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
        names |= python_imports("\n".join(lines), f"{where}, cell {i}")
    return names


def third_party_imports(root, side):
    """Import name -> files importing it, for `side` 'student' (nnlib + notebooks) or 'grader'."""
    root = Path(root)
    if side == "student":
        files = [(p, python_imports) for p in sorted(root.glob("lib/nnlib/**/*.py"))]
        files += [(p, notebook_imports) for folder in ("solutions", "notebooks")
                  for p in sorted(root.glob(f"{folder}/*/*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    else:
        files = [(p, python_imports) for p in sorted(root.glob("lib/nngrader/**/*.py"))]
    found = {}
    for path, read in files:
        where = path.relative_to(root).as_posix()
        beside = {p.stem for p in path.parent.glob("*.py")} if path.suffix == ".ipynb" else set()
        for name in read(path.read_text(encoding="utf-8"), where):
            if name in sys.stdlib_module_names or name == "__future__" or name in OWN_PACKAGES | beside:
                continue  # the standard library, our packages, a support module beside the notebook
            found.setdefault(name, set()).add(where)
    return found


@functools.cache
def _installed():
    return importlib.metadata.packages_distributions()


def distributions_of(import_name):
    if import_name in DISTRIBUTION_OF:
        return {canonicalize_name(DISTRIBUTION_OF[import_name])}
    installed = _installed().get(import_name)
    return {canonicalize_name(d) for d in installed} if installed else {canonicalize_name(import_name)}


def declared(pyproject, extras=()):
    """Normalised names of a pyproject's dependencies (and of the named extras)."""
    project = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in extras:
        requirements += project.get("optional-dependencies", {}).get(extra, [])
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def undeclared(root, side):
    """Problems: an import of `side` whose distribution its pyproject does not declare."""
    root = Path(root)
    allowed = declared(root / "lib/pyproject.toml")
    if side == "grader":
        allowed |= declared(root / "pyproject.toml")
    where = "lib/pyproject.toml" if side == "student" else "pyproject.toml"
    return [f"`import {name}` ({', '.join(sorted(files))}) needs {' or '.join(sorted(distributions_of(name)))} "
            f"in {where}" for name, files in sorted(third_party_imports(root, side).items())
            if not distributions_of(name) & allowed]


@pytest.fixture
def course_copy(tmp_path):
    for name in ("pyproject.toml", "environment.yml", "lib/pyproject.toml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    for package in OWN_PACKAGES:
        shutil.copytree(REPO / "lib" / package, tmp_path / "lib" / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_scanner_sees_the_imports_of_both_sides():
    student, grader = third_party_imports(REPO, "student"), third_party_imports(REPO, "grader")
    assert any(w.startswith("lib/nnlib/") for w in student["numpy"])
    assert any(w.startswith("notebooks/") for w in student["numpy"])
    assert any(w.startswith("solutions/") for w in student["numpy"])
    assert "nbgrader" in grader and "nbgrader" not in student


def test_the_student_package_depends_on_numpy_matplotlib_and_tqdm_only():
    assert declared(REPO / "lib/pyproject.toml") == STUDENT_DEPENDENCIES


@pytest.mark.parametrize("side", ["student", "grader"])
def test_every_third_party_import_is_declared(side):
    problems = undeclared(REPO, side)
    assert not problems, "\n".join(problems)


def test_environment_installs_both_packages_with_pip_and_declares_nothing_else():
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = [e for e in environment["dependencies"] if not isinstance(e, dict)]
    pip = [p for e in environment["dependencies"] if isinstance(e, dict) for p in e["pip"]]
    assert {Requirement(c.replace("=", "==", 1) if "=" in c and "==" not in c else c).name
            for c in conda} == {"python", "pip"}, conda
    assert pip == ["-e ./lib[jupyter]", "-e ."], pip


def test_an_undeclared_import_is_caught_on_each_side(course_copy):
    (course_copy / "lib/nnlib/extra.py").write_text("import os\nfrom nbgrader.api import Gradebook\n")
    (course_copy / "lib/nngrader/extra.py").write_text("import numpy\nimport sklearn\n")
    notebook = course_copy / "notebooks/99_extra/extra.ipynb"
    notebook.parent.mkdir(parents=True)
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": "%matplotlib inline\nimport numpy as np\nimport yaml"}]
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    student = "\n".join(undeclared(course_copy, "student"))
    assert "`import nbgrader` (lib/nnlib/extra.py) needs nbgrader in lib/pyproject.toml" in student, student
    assert "`import yaml` (notebooks/99_extra/extra.ipynb) needs pyyaml in lib/pyproject.toml" in student
    assert "numpy" not in student and "`import os`" not in student
    grader = undeclared(course_copy, "grader")
    assert grader == ["`import sklearn` (lib/nngrader/extra.py) needs scikit-learn in pyproject.toml"], grader
