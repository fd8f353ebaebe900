"""Benchmarks, printed: notebook run times and grading throughput.

    python -m nngrader.bench                 # both
    python -m nngrader.bench --notebooks     # seconds per solution notebook (budget 10 s)
    python -m nngrader.bench --grading       # sequential `nbgrader autograde` vs nngrader grade

Notebook times are for a fresh kernel each, in a scratch copy of the notebook's
folder. The grading benchmark grades the same submissions (the reference answer
of every assignment for a few students) twice in one run: by plain sequential
`nbgrader autograde`, one command per assignment, and by the parallel command.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from nngrader.build import QUIET_KERNEL
from nngrader.course import REPO_ROOT

__all__ = ["time_notebook", "main"]

BUDGET_SECONDS = 10.0
COURSE_BUDGET_SECONDS = 60.0


def time_notebook(path, timeout=600):
    """Seconds to execute the notebook at `path` in a fresh kernel (outputs discarded)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="nnlib-bench-") as tmp:
        shutil.copytree(path.parent, tmp, dirs_exist_ok=True)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=QUIET_KERNEL,
                                resources={"metadata": {"path": tmp}})
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start


def bench_notebooks(paths):
    print(f"{'notebook':<48} {'seconds':>8}  (budget {BUDGET_SECONDS:.0f} s)")
    total = 0.0
    for path in paths:
        seconds = time_notebook(path)
        total += seconds
        flag = "" if seconds <= BUDGET_SECONDS else "  over budget"
        shown = path.resolve().relative_to(REPO_ROOT) if path.resolve().is_relative_to(REPO_ROOT) else path
        print(f"{str(shown):<48} {seconds:8.2f}{flag}")
    flag = "" if total <= COURSE_BUDGET_SECONDS else "  over budget"
    print(f"{f'total ({len(paths)} notebooks, budget {COURSE_BUDGET_SECONDS:.0f} s)':<48} {total:8.2f}{flag}")


def _reference_class(root, students):
    from nngrader.course import Course
    from nngrader.submissions import reference_submission

    course = Course(root)
    for assignment in course.assignments:
        sources = course.source_notebooks(assignment)
        notebooks = {n: reference_submission(sources[n], nb) for n, nb in course.generate(assignment).items()}
        for k in range(students):
            course.submit(f"student-{k + 1}", assignment, notebooks)
    return course


def bench_grading(students=4, jobs=None):
    from nngrader.grade_class import grade_course

    with tempfile.TemporaryDirectory(prefix="nnlib-bench-grading-") as tmp:
        sequential = _reference_class(Path(tmp) / "sequential", students)
        parallel_root = Path(tmp) / "parallel"
        shutil.copytree(sequential.root, parallel_root)
        n = students * len(sequential.assignments)
        env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        start = time.perf_counter()
        for assignment in sequential.assignments:
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
                           cwd=sequential.root, env=env, check=True, capture_output=True)
        t_seq = time.perf_counter() - start
        jobs = jobs or os.cpu_count() or 1
        start = time.perf_counter()
        grade_course(parallel_root, jobs=jobs, feedback=False, progress=False)
        t_par = time.perf_counter() - start
    print(f"grading {n} notebooks ({students} students x {n // students} assignments, "
          f"{os.cpu_count()} cores)")
    print(f"  nbgrader autograde, sequential : {t_seq:7.1f} s  ({t_seq / n:.2f} s per notebook)")
    print(f"  nngrader grade --jobs {jobs:<2}         : {t_par:7.1f} s  ({t_par / n:.2f} s per notebook)")
    print(f"  speed-up                       : {t_seq / t_par:7.2f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader bench", description="Benchmarks: notebook times and grading throughput.")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="notebooks to time (default: every one in solutions/)")
    parser.add_argument("--notebooks", action="store_true", help="only the notebook timings")
    parser.add_argument("--grading", action="store_true", help="only the grading benchmark")
    parser.add_argument("--students", type=int, default=4, help="students in the grading benchmark")
    args = parser.parse_args(argv)
    both = not (args.notebooks or args.grading)
    if args.notebooks or both or args.paths:
        bench_notebooks(args.paths or sorted((REPO_ROOT / "solutions").glob("*/*.ipynb")))
    if (args.grading or both) and not args.paths:
        print()
        bench_grading(args.students)


if __name__ == "__main__":
    main()
