"""The sandboxed process imports nnlib and nngrader from where the grader imported them,
however they were installed (editable install, site-packages, or a PYTHONPATH entry)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from nngrader.course import REPO_ROOT
from nngrader.sandbox import jail

pytestmark = pytest.mark.slow

PROBE = """
import json
from nngrader.sandbox.remote import SandboxProcess
with SandboxProcess() as p:
    result = p.run("import nnlib, nngrader\\nprint(nnlib.__file__, nngrader.__file__)", timeout=60)
print(json.dumps(result))
"""


def test_a_pythonpath_copy_of_the_packages_is_the_one_the_sandbox_imports(tmp_path):
    try:
        jail.check_available()
    except jail.SandboxUnavailable as err:
        pytest.skip(f"no sandbox here: {err}")
    copy = tmp_path / "elsewhere"
    for package in ("nnlib", "nngrader"):
        shutil.copytree(REPO_ROOT / "lib" / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(copy)}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["error"] is None, result
    nnlib_file, nngrader_file = result["stdout"].split()
    assert nnlib_file == str(copy / "nnlib" / "__init__.py")
    assert nngrader_file == str(copy / "nngrader" / "__init__.py")
