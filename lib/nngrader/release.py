"""What students receive: notebooks/ regenerated from solutions/, and the student bundles.

    nngrader release               # regenerate all of notebooks/, build every bundle
    nngrader release 01_softmax    # only this assignment's notebooks (no bundles)

``build/bundles/NN_topic.zip`` is what a student gets for one assignment: its
notebook and support modules (``notebooks/NN_topic/``), the student package
``nnlib`` with its own pyproject.toml (numpy, matplotlib and tqdm only) and a
student README on how to work and how to submit. Release assignment N+1 after
N's deadline: a later assignment's support modules hold earlier answers.
``build/bundles/course.zip`` holds every assignment, for self-study after the
course. Never in a bundle: solutions/, tests/, the grader, a gradebook, a pytest
configuration. A bundle is refused if it holds a graded answer of its own or a
later assignment (``nngrader.answers``).

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

from nngrader import answers
from nngrader.course import REPO_ROOT, Course, support_files

__all__ = ["generate_student_notebooks", "write_student_notebooks", "build_bundle", "build_student_bundles"]

#: The course map every bundle carries (path, times, points, slides, notation).
COURSE_MAP = Path("course") / "COURSE_MAP.md"

#: Where the bundles go, under the repository.
BUNDLES = Path("build") / "bundles"
STUDENT_README = """\
# Review of Neural Networks: {title}

## Set up once (Python 3.10 or newer), in this folder

    python3 -m venv .venv && .venv/bin/pip install -e ".[jupyter]"
    .venv/bin/jupyter lab

Already in Jupyter (a course hub, Colab)? `pip install -e .` installs only the
course's helper package, nnlib, with numpy, matplotlib and tqdm.

## Work

COURSE-MAP.md shows the path, the time and points of each notebook, which slide
is taught where, and the notation. Open {first} and go in order. Replace each `raise NotImplementedError()` with
your code and run the test cell below it: its message says what to look at.
Hidden tests check more than the visible ones (other shapes, float32, extreme
values), so make the function right, not only the visible tests pass. Keep the
notebook's name and its cells: do not delete, copy or reorder graded cells.
Sections whose heading ends with "(optional)" can be skipped without losing
points. The last cell asks how many minutes the notebook took you: write it in,
it earns nothing and tells the next class how long the notebook really takes.

## Submit

Run Kernel -> Restart & Run All and check that every visible test passes, then:

- on the course JupyterHub: the Assignments tab -> Submit (submit again to replace);
- through your learning platform (Canvas, Moodle): upload the .ipynb file itself;
- by e-mail or a shared folder: zip the assignment's folder as it is.
"""


def _student_files(repo):
    """(file, name in a bundle) of the student package and its pyproject.toml."""
    package = repo / "lib" / "nnlib"
    yield repo / "lib" / "pyproject.toml", "pyproject.toml"
    for f in sorted(package.rglob("*")):
        parts = set(f.relative_to(package).parts)
        if f.is_file() and not parts & {"__pycache__", ".ipynb_checkpoints"} and f.suffix != ".pyc":
            yield f, (Path("nnlib") / f.relative_to(package)).as_posix()


def _assignment_files(repo, assignment):
    folder = repo / "notebooks" / assignment
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".ipynb", ".py"))
    if not any(p.suffix == ".ipynb" for p in files):
        raise FileNotFoundError(f"{folder} holds no notebook: run `nngrader release {assignment}`")
    return [(f, f"notebooks/{assignment}/{f.name}") for f in files]


def build_bundle(out, assignments, repo=REPO_ROOT, title=None, check=True):
    """Zip the student package and the notebooks of `assignments` into `out`; returns `out`.

    With `check`, refuse (ValueError) if a file holds a graded answer of the
    earliest of `assignments` or a later one.
    """
    repo, out = Path(repo), Path(out)
    files = list(_student_files(repo))
    for assignment in assignments:
        files += _assignment_files(repo, assignment)
    if check:
        problems = answers.leaks([f for f, _ in files], min(assignments), answers.graded_answers(repo / "solutions"))
        if problems:
            raise ValueError("the bundle would give answers away:\n" + "\n".join(problems))
    first = next(name for _, name in files if name.endswith(".ipynb"))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.md", STUDENT_README.format(title=title or assignments[0], first=first))
        z.write(repo / COURSE_MAP, "COURSE-MAP.md")
        for f, name in files:
            z.write(f, name)
    tmp.replace(out)
    return out


def build_student_bundles(repo=REPO_ROOT, out_dir=None):
    """One bundle per assignment and the self-study ``course.zip``; returns their paths."""
    repo = Path(repo)
    out_dir = Path(out_dir) if out_dir else repo / BUNDLES
    assignments = sorted(p.name for p in (repo / "notebooks").iterdir() if p.is_dir())
    paths = [build_bundle(out_dir / f"{a}.zip", [a], repo) for a in assignments]
    # Self-study, after the course: later support modules hold earlier answers by design.
    paths.append(build_bundle(out_dir / "course.zip", assignments, repo, title="the whole course", check=False))
    return paths


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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader release", description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*",
                        help="assignments to regenerate, e.g. 01_softmax (default: all)")
    args = parser.parse_args(argv)
    for path in write_student_notebooks(assignments=args.assignments or None):
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    if not args.assignments:
        try:
            for path in build_student_bundles():
                print(f"student bundle: {path.relative_to(REPO_ROOT)}")
        except ValueError as err:
            parser.exit(1, f"nngrader release: {err}\n")


if __name__ == "__main__":
    main()
