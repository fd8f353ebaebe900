"""Benchmarks: how long each solution notebook takes to run top to bottom.

    python -m nnlib.bench

Prints seconds per notebook (a fresh kernel each, in a scratch copy of the
notebook's folder); the course standard is at most 10 s on a two-core machine.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from nnlib.course import REPO_ROOT

__all__ = ["time_notebook", "main"]

BUDGET_SECONDS = 10.0


def time_notebook(path, timeout=600):
    """Seconds to execute the notebook at `path` in a fresh kernel (outputs discarded)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="nnlib-bench-") as tmp:
        shutil.copytree(path.parent, tmp, dirs_exist_ok=True)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": tmp}})
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description="Time each solution notebook.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to time (default: every one in solutions/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((REPO_ROOT / "solutions").glob("*/*.ipynb"))
    print(f"{'notebook':<44} {'seconds':>8}  (budget {BUDGET_SECONDS:.0f} s)")
    for path in paths:
        seconds = time_notebook(path)
        flag = "" if seconds <= BUDGET_SECONDS else "  over budget"
        print(f"{str(path.relative_to(REPO_ROOT)) if path.is_absolute() else str(path):<44} {seconds:8.2f}{flag}")


if __name__ == "__main__":
    main()
