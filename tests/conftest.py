import os
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))  # the harness module
# Kernels started by the tests (nbval, nbgrader) run side by side on few cores: one BLAS
# thread each is faster than several fighting over them.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# nbgrader runs `alembic` as a program: it lives next to this interpreter.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


def pytest_collection_modifyitems(config, items):
    """Notebook runs (nbval) are slow; the fast subset is ``-m "not slow"``."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo():
    return REPO
