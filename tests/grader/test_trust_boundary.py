"""The code that runs inside the grading sandbox imports only the student package and
the protocol: nothing of the grader's (gradebook, reports, nbgrader) can be reached
from a student's process through an import the worker makes."""

import ast
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "lib"
INSIDE = [LIB / "nngrader/sandbox/worker.py", LIB / "nngrader/sandbox/protocol.py"]
# IPython: the worker reads cells with IPython syntax as Python (its input transformer).
ALLOWED = {"numpy", "nnlib", "IPython", "nngrader.sandbox.protocol", "nngrader", "nngrader.sandbox"}


def imported_modules(path):
    """Full names of the absolute modules a Python file imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            if node.module in ("nngrader.sandbox", "nngrader"):
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def outside_the_boundary(names):
    return sorted(n for n in names
                  if n.split(".")[0] not in sys.stdlib_module_names
                  and n not in ALLOWED and n.split(".")[0] not in ("numpy", "nnlib", "IPython"))


@pytest.mark.parametrize("path", INSIDE, ids=lambda p: p.name)
def test_sandboxed_code_imports_only_the_student_package_and_the_protocol(path):
    assert outside_the_boundary(imported_modules(path)) == []


def test_the_package_inits_on_the_import_path_of_the_worker_import_nothing():
    for init in (LIB / "nngrader/__init__.py", LIB / "nngrader/sandbox/__init__.py"):
        assert imported_modules(init) == set(), init


def test_the_check_catches_a_grader_import(tmp_path):
    bad = tmp_path / "worker.py"
    bad.write_text("import os\nfrom nnlib import probes\nfrom nngrader.sandbox import protocol, remote\n"
                   "def f():\n    import nbgrader.api\n")
    assert outside_the_boundary(imported_modules(bad)) == ["nbgrader.api", "nngrader.sandbox.remote"]


def test_the_student_package_imports_nothing_of_the_grader():
    for path in (LIB / "nnlib").rglob("*.py"):
        assert not any(n.split(".")[0] == "nngrader" for n in imported_modules(path)), path
