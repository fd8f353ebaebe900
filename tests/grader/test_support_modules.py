"""An assignment's support modules (``solutions/NN/*.py``): importable by the student's code
inside the sandbox (read-only) and by the instructor's cells in the grader, for one notebook only."""

import sys

import pytest

from nngrader.course import support_files
from nngrader.sandbox import jail
from nngrader.sandbox.execute import support_importable
from nngrader.sandbox.remote import SandboxProcess

SUPPORT = "def double(x):\n    return 2 * x\n"


@pytest.fixture
def support(tmp_path):
    (tmp_path / "support.py").write_text(SUPPORT)
    (tmp_path / "notes.md").write_text("not a module")
    (tmp_path / "linked.py").symlink_to(tmp_path / "support.py")
    return tmp_path


def test_support_files_are_the_python_files_beside_the_notebooks_and_never_links(support):
    assert support_files(support) == [support / "support.py"]
    assert support_files(support / "missing") == []


def test_the_grader_imports_a_support_module_only_while_its_notebook_runs(support):
    with support_importable(support_files(support)):
        import support as module

        assert module.double(3) == 6
    assert "support" not in sys.modules and str(support) not in sys.path


@pytest.mark.slow
def test_the_sandbox_sees_the_support_module_read_only(support):
    try:
        jail.check_available()
    except jail.SandboxUnavailable as err:
        pytest.skip(f"no sandbox here: {err}")
    with SandboxProcess(support=support_files(support)) as process:
        result = process.run("import support\nprint(support.double(21))", timeout=60)
        assert result["error"] is None and result["stdout"] == "42\n", result
        result = process.run("open(support.__file__, 'a').write('x = 1')", timeout=60)
        assert result["error"] is not None and result["error"]["ename"] in ("OSError", "PermissionError"), result
    assert (support / "support.py").read_text() == SUPPORT
