"""The demo's scratch course: its short per-cell time applies to autograde's sandbox too."""

import nbgrader.preprocessors  # noqa: F401  (SandboxedExecute subclasses nbgrader's preprocessor)
import pytest

from nngrader.course import load_config
from nngrader.demo import DEMO_TIMEOUT_SECONDS, make_sample_course
from nngrader.sandbox.execute import SandboxedExecute


@pytest.mark.slow
def test_the_demo_course_shortens_the_sandboxs_cell_timeout(tmp_path):
    course, _ = make_sample_course(tmp_path / "course", assignments=["01_softmax"])
    config = load_config(course.root / "nbgrader_config.py", course.root)
    assert SandboxedExecute(config=config).timeout == DEMO_TIMEOUT_SECONDS
    assert config.ExecutePreprocessor.timeout == DEMO_TIMEOUT_SECONDS
