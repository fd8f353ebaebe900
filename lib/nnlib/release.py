"""Regenerate the student notebooks (notebooks/) from the instructor source (solutions/).

    python -m nnlib.release               # regenerate all of notebooks/
    python -m nnlib.release 01_softmax    # only this assignment

nbgrader's ``generate_assignment`` runs in a scratch course, so no gradebook
or log lands in the repository; only the generated notebooks are copied back.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from nnlib.course import REPO_ROOT, Course

__all__ = ["generate_student_notebooks", "write_student_notebooks"]


def generate_student_notebooks(repo=REPO_ROOT, assignments=None):
    """{assignment: {notebook name: student NotebookNode}} as nbgrader generates them."""
    with tempfile.TemporaryDirectory(prefix="nnlib-release-") as tmp:
        course = Course(tmp, repo=repo, assignments=assignments)
        return {a: course.generate(a) for a in course.assignments}


def write_student_notebooks(repo=REPO_ROOT, assignments=None):
    """Replace ``notebooks/<assignment>/`` by the generated versions; returns the paths."""
    repo = Path(repo)
    written = []
    for assignment, notebooks in generate_student_notebooks(repo, assignments).items():
        folder = repo / "notebooks" / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            path = folder / f"{name}.ipynb"
            nbformat.write(nb, path)
            written.append(path)
    sources = {p.name for p in (repo / "solutions").iterdir() if p.is_dir()}
    stale = {p.name for p in (repo / "notebooks").iterdir() if p.is_dir()} - sources
    for name in sorted(stale):
        print(f"note: notebooks/{name} has no source in solutions/; left as it is", file=sys.stderr)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*",
                        help="assignments to regenerate, e.g. 01_softmax (default: all)")
    args = parser.parse_args(argv)
    for path in write_student_notebooks(assignments=args.assignments or None):
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
