"""Binder and pip set up the same environment, and it holds everything the course imports.

Every third-party package that ``lib/nnlib`` or a notebook (solutions/ and
notebooks/) imports must be a runtime dependency in pyproject.toml AND in
environment.yml, with the same version bounds; the two runtime lists must be
equal; environment.yml's pip section installs the project itself.

The checks are functions of file texts, so the tests below also run them on
deliberately broken copies and show that they catch each kind of drift.
"""

import ast
import functools
import importlib.metadata
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Import names whose distribution is called something else. Installed packages
# are also looked up in importlib.metadata.packages_distributions().
DISTRIBUTION_OF = {
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "PIL": "pillow",
    "cv2": "opencv-python",
    "skimage": "scikit-image",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "IPython": "ipython",
    "mpl_toolkits": "matplotlib",
    "jwt": "pyjwt",
    "attr": "attrs",
}
OWN_PACKAGE = "nnlib"
CONDA_ONLY = {"python", "pip"}          # environment.yml entries that are not runtime dependencies
EDITABLE_INSTALLS = {"-e .", "-e ./", "--editable .", "--editable ./"}

_REQUIREMENT = re.compile(r"^(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*$")


# ---------------------------------------------------------------------------- imports

def python_imports(source, where="<source>"):
    """Top-level names of the absolute imports in Python `source` (relative ones are the package's own)."""
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


def _without_magics(source):
    """A code cell as plain Python: IPython's %line magics and !shell lines become `pass`."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append(line[: len(line) - len(stripped)] + "pass" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def notebook_imports(text, where="<notebook>"):
    """Top-level names imported by the code cells of the notebook JSON `text`."""
    names = set()
    for i, cell in enumerate(json.loads(text)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if source.lstrip().startswith("%%"):
            continue                        # a cell magic: not Python
        names |= python_imports(_without_magics(source), f"{where}, cell {i}")
    return names


def third_party_imports(root):
    """Import name -> files that import it, for lib/nnlib/**/*.py and {solutions,notebooks}/*/*.ipynb."""
    root = Path(root)
    found = {}
    files = [(p, python_imports) for p in sorted(root.glob("lib/nnlib/**/*.py"))]
    files += [(p, notebook_imports) for folder in ("solutions", "notebooks")
              for p in sorted(root.glob(f"{folder}/*/*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    for path, read in files:
        where = path.relative_to(root).as_posix()
        for name in read(path.read_text(encoding="utf-8"), where):
            if name in sys.stdlib_module_names or name == "__future__" or name == OWN_PACKAGE:
                continue
            found.setdefault(name, set()).add(where)
    return found


def _normal_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _installed_distributions():
    return importlib.metadata.packages_distributions()      # scans every installed package: once


def distributions_of(import_name):
    """Distribution names (normalised) that may provide `import_name`."""
    if import_name in DISTRIBUTION_OF:
        return {_normal_name(DISTRIBUTION_OF[import_name])}
    installed = _installed_distributions().get(import_name)
    return {_normal_name(d) for d in installed} if installed else {_normal_name(import_name)}


# ---------------------------------------------------------------------------- dependency files

def parse_requirement(text):
    """(normalised name, bounds) of 'numpy>=1.26,<3'; bounds are sorted clauses without spaces."""
    match = _REQUIREMENT.match(text.strip())
    if not match:
        raise ValueError(f"cannot read the requirement {text!r}")
    name, bounds = match.groups()
    clauses = sorted(c for c in re.sub(r"\s+", "", bounds).split(",") if c)
    return _normal_name(name), ",".join(clauses)


def _as_dict(requirements, where):
    result = {}
    for requirement in requirements:
        name, bounds = parse_requirement(requirement)
        if name in result:
            raise ValueError(f"{where} lists {name} twice")
        result[name] = bounds
    return result


def pyproject_dependencies(text):
    """name -> bounds of pyproject.toml's [project] dependencies."""
    return _as_dict(tomllib.loads(text)["project"].get("dependencies", []), "pyproject.toml")


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_environment(text):
    """(conda entries, pip entries) of an environment.yml.

    A parser for the subset of YAML that environment files use: top-level keys,
    a block list under ``dependencies:`` and a nested block list under ``- pip:``.
    Anything else under ``dependencies`` is an error, not a silent miss.
    """
    conda, pip = [], []
    in_dependencies, pip_indent = False, None
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            in_dependencies, pip_indent = line.strip() == "dependencies:", None
            continue
        if not in_dependencies:
            continue
        item = line.strip()
        if not item.startswith("- "):
            raise ValueError(f"environment.yml line {number}: expected '- item' under dependencies, got {raw!r}")
        value = _unquote(item[2:].strip())
        if pip_indent is not None and indent > pip_indent:
            pip.append(value)
            continue
        pip_indent = None
        if value == "pip:":
            pip_indent = indent
        else:
            conda.append(value)
    return conda, pip


def environment_dependencies(text):
    """name -> bounds of environment.yml's runtime packages: conda ones (less python, pip) and pip ones."""
    conda, pip = read_environment(text)
    conda = [c for c in conda if parse_requirement(c)[0] not in CONDA_ONLY]
    pip = [p for p in pip if not p.startswith("-")]
    return _as_dict(conda + pip, "environment.yml")


# ---------------------------------------------------------------------------- the checks

def undeclared_imports(imports, pyproject_text, environment_text):
    """Problems: an import whose distribution is missing from a file, or bounded differently."""
    files = {"pyproject.toml": pyproject_dependencies(pyproject_text),
             "environment.yml": environment_dependencies(environment_text)}
    problems = []
    for name, where in sorted(imports.items()):
        candidates = distributions_of(name)
        found = {}
        for file, deps in files.items():
            declared = candidates & deps.keys()
            if not declared:
                problems.append(f"`import {name}` ({', '.join(sorted(where))}) needs "
                                f"{' or '.join(sorted(candidates))} in {file}'s dependencies")
            else:
                found[file] = {d: deps[d] for d in declared}
        if len(found) == 2 and found["pyproject.toml"] != found["environment.yml"]:
            problems.append(f"`import {name}`: bounds differ: pyproject.toml {found['pyproject.toml']}, "
                            f"environment.yml {found['environment.yml']}")
    return problems


def dependency_list_differences(pyproject_text, environment_text):
    """Problems: a runtime dependency in one file only, or with other bounds in the other."""
    pyproject = pyproject_dependencies(pyproject_text)
    environment = environment_dependencies(environment_text)
    problems = []
    for name in sorted(pyproject.keys() | environment.keys()):
        if name not in environment:
            problems.append(f"{name}{pyproject[name]} is in pyproject.toml but not in environment.yml")
        elif name not in pyproject:
            problems.append(f"{name}{environment[name]} is in environment.yml but not in pyproject.toml")
        elif pyproject[name] != environment[name]:
            problems.append(f"{name}: pyproject.toml says {pyproject[name] or '(no bounds)'}, "
                            f"environment.yml says {environment[name] or '(no bounds)'}")
    return problems


def installs_project(environment_text):
    """Whether environment.yml's pip section installs this project (``-e .``)."""
    _, pip = read_environment(environment_text)
    return any(re.sub(r"\s+", " ", p.strip()) in EDITABLE_INSTALLS for p in pip)


def _texts(root=REPO):
    return (root / "pyproject.toml").read_text(encoding="utf-8"), (root / "environment.yml").read_text(encoding="utf-8")


def _report(problems):
    return "\n".join(["", *problems])


# ---------------------------------------------------------------------------- the repository

def test_imports_are_found_in_the_library_and_in_the_notebooks():
    imports = third_party_imports(REPO)
    assert "numpy" in imports, "found no numpy import: is the scanner reading anything?"
    assert any(w.startswith("lib/nnlib/") for w in imports["numpy"])
    assert any(w.startswith("notebooks/") for w in imports["numpy"])
    assert any(w.startswith("solutions/") for w in imports["numpy"])
    assert "nbgrader" in imports, "lib/nnlib uses nbgrader: the scanner should see it"


def test_every_third_party_import_is_a_dependency_of_pyproject_and_environment():
    problems = undeclared_imports(third_party_imports(REPO), *_texts())
    assert not problems, _report(problems)


def test_pyproject_and_environment_list_the_same_runtime_dependencies():
    problems = dependency_list_differences(*_texts())
    assert not problems, _report(problems)


def test_environment_installs_the_project_with_pip():
    _, environment = _texts()
    assert installs_project(environment), "environment.yml's pip section must install the project: `- -e .`"


def test_environment_reader_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml")      # installed with Jupyter; the reader above needs nothing
    _, environment = _texts()
    entries = yaml.safe_load(environment)["dependencies"]
    conda = [str(e) for e in entries if not isinstance(e, dict)]
    pip = [str(p) for e in entries if isinstance(e, dict) for p in e.get("pip", [])]
    assert read_environment(environment) == (conda, pip)


# ---------------------------------------------------------------------------- broken copies

@pytest.fixture
def course_copy(tmp_path):
    """pyproject.toml, environment.yml and lib/nnlib in tmp_path (a test adds the notebooks it needs)."""
    for name in ("pyproject.toml", "environment.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "lib/nnlib", tmp_path / "lib/nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@functools.cache
def _repo_problems(check):
    return frozenset(_problems(REPO, check))


def _problems(root, check):
    if check == "imports":
        return undeclared_imports(third_party_imports(root), *_texts(root))
    return dependency_list_differences(*_texts(root))


def _new_problems(root, check):
    """What `check` finds in the copy at `root` that it does not find in the repository itself.

    So these tests show what each check catches, whatever state the real files are in.
    """
    return [p for p in _problems(root, check) if p not in _repo_problems(check)]


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _notebook(*sources):
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s}
             for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_an_import_without_a_dependency_is_caught(course_copy):
    (course_copy / "lib/nnlib/extra.py").write_text("import os\nfrom sklearn.datasets import make_moons\n")
    notebook = course_copy / "notebooks/99_extra/extra.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text(_notebook("%matplotlib inline\nimport numpy as np", ["def f():\n", "    import yaml\n"]))
    problems = _new_problems(course_copy, "imports")
    text = _report(problems)
    assert "`import sklearn` (lib/nnlib/extra.py) needs scikit-learn in pyproject.toml" in text, text
    assert "`import sklearn` (lib/nnlib/extra.py) needs scikit-learn in environment.yml" in text, text
    assert "`import yaml` (notebooks/99_extra/extra.ipynb) needs pyyaml in pyproject.toml" in text, text
    assert not any("`import numpy`" in p or "`import os`" in p for p in problems), text


def test_an_import_declared_in_one_file_only_is_caught(course_copy):
    (course_copy / "lib/nnlib/extra.py").write_text("import scipy\n")
    _edit(course_copy / "pyproject.toml", '"numpy>=1.26,<3",', '"numpy>=1.26,<3",\n    "scipy>=1.11,<2",')
    problems = _new_problems(course_copy, "imports")
    assert problems == ["`import scipy` (lib/nnlib/extra.py) needs scipy in environment.yml's dependencies"], problems
    assert _new_problems(course_copy, "lists") == [
        "scipy<2,>=1.11 is in pyproject.toml but not in environment.yml"]


@pytest.mark.parametrize("changed", ["pyproject.toml", "environment.yml"])
def test_a_bound_changed_in_one_file_only_is_caught(course_copy, changed):
    old = '"numpy>=1.26,<3"' if changed == "pyproject.toml" else "- numpy>=1.26,<3"
    _edit(course_copy / changed, old, old.replace("<3", "<2"))
    problems = _new_problems(course_copy, "imports")
    assert len(problems) == 1 and "`import numpy`: bounds differ" in problems[0], problems
    differences = _new_problems(course_copy, "lists")
    assert len(differences) == 1 and differences[0].startswith("numpy:"), differences
    assert "<2,>=1.26" in differences[0] and "<3,>=1.26" in differences[0], differences


def test_a_dependency_missing_from_environment_is_caught(course_copy):
    _edit(course_copy / "environment.yml", "  - tqdm>=4.66,<5\n", "")
    problems = _new_problems(course_copy, "imports")
    assert problems and all(p.startswith("`import tqdm`") and "in environment.yml's" in p for p in problems), problems
    assert _new_problems(course_copy, "lists") == [
        "tqdm<5,>=4.66 is in pyproject.toml but not in environment.yml"]


def test_bounds_compare_as_sets_of_clauses_and_pip_section_entries_count():
    pyproject = '[project]\ndependencies = ["numpy >= 1.26, < 3", "tqdm>=4.66,<5"]\n'
    environment = ("name: x\ndependencies:\n  - python=3.11\n  - pip\n  - numpy<3,>=1.26  # why\n"
                   "  - pip:\n      - tqdm>=4.66,<5\n      - -e .\n")
    assert dependency_list_differences(pyproject, environment) == []
    assert installs_project(environment)
    assert not installs_project(environment.replace("      - -e .\n", ""))
