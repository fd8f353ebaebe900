"""What students receive: notebooks/ regenerated from solutions/, and the student bundle.

    python -m nngrader.release               # regenerate all of notebooks/, build the bundle
    python -m nngrader.release 01_softmax    # only this assignment's notebooks (no bundle)

The bundle (``build/student-bundle.zip``) holds notebooks/, the student package
``nnlib`` with its own pyproject.toml (numpy, matplotlib and tqdm only) and a
student README: never solutions/, tests/, the grader or a gradebook.

nbgrader's ``generate_assignment`` runs in a scratch course, so no gradebook
or log lands in the repository; only the generated notebooks are copied back.
"""

import argparse
import shutil
import zipfile
import sys
import tempfile
from pathlib import Path

import nbformat

from nngrader.course import REPO_ROOT, Course, support_files

__all__ = ["generate_student_notebooks", "write_student_notebooks", "build_student_bundle"]

#: What the bundle takes from the repository (folders whole, minus caches): path in the
#: repository -> path in the bundle.
BUNDLE_CONTENT = {"notebooks": "notebooks", "lib/nnlib": "nnlib", "lib/pyproject.toml": "pyproject.toml"}
STUDENT_README = """\
# Review of Neural Networks: your notebooks

Set up once (Python 3.11), in this folder:

    python3 -m venv .venv && .venv/bin/pip install -e ".[jupyter]"
    .venv/bin/jupyter lab

(Already in Jupyter, on Colab or a course hub? `pip install -e .` installs only
the course's helper package, nnlib, with numpy, matplotlib and tqdm.)

Open notebooks/01_softmax/softmax.ipynb and go in order. Replace each
`raise NotImplementedError()` with your code and run the test cell below it:
its message says what to look at. Hidden tests check more than the visible
ones (other shapes, float32, extreme values). Before you submit, run
Kernel -> Restart & Run All and press Validate.
"""


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
        for support in support_files(repo / "solutions" / assignment):
            written.append(Path(shutil.copy2(support, folder / support.name)))
    sources = {p.name for p in (repo / "solutions").iterdir() if p.is_dir()}
    stale = {p.name for p in (repo / "notebooks").iterdir() if p.is_dir()} - sources
    for name in sorted(stale):
        print(f"note: notebooks/{name} has no source in solutions/; left as it is", file=sys.stderr)
    return written


def _bundle_files(repo):
    """(file in the repository, its name in the bundle) for everything the bundle holds."""
    for entry, name in BUNDLE_CONTENT.items():
        path = repo / entry
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            parts = set(f.relative_to(repo).parts)
            if parts & {"__pycache__", ".ipynb_checkpoints"} or f.suffix == ".pyc" or \
                    any(p.endswith(".egg-info") for p in parts):
                continue
            yield f, (Path(name) / f.relative_to(path)).as_posix() if path.is_dir() else name


def build_student_bundle(repo=REPO_ROOT, out=None):
    """Zip what students receive; returns the zip's path (default build/student-bundle.zip)."""
    repo = Path(repo)
    out = Path(out) if out else repo / "build" / "student-bundle.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.md", STUDENT_README)
        for f, name in _bundle_files(repo):
            z.write(f, name)
    tmp.replace(out)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader release", description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*",
                        help="assignments to regenerate, e.g. 01_softmax (default: all)")
    args = parser.parse_args(argv)
    for path in write_student_notebooks(assignments=args.assignments or None):
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    if not args.assignments:
        print(f"student bundle: {build_student_bundle()}")


if __name__ == "__main__":
    main()
