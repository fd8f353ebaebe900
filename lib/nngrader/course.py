"""A scratch nbgrader course: generate student versions, submit, autograde, read scores.

The course folder is a copy, made in a folder the caller names (a temporary
one in tests and in the demo), so grading never writes a gradebook or an
``autograded/`` folder into the committed tree. Everything goes through
nbgrader's Python API (``NbGraderAPI``), not its command line.

Layout inside `root`, as nbgrader expects with this course's config::

    nbgrader_config.py
    solutions/<assignment>/<name>.ipynb           source (copied in)
    notebooks/<assignment>/<name>.ipynb           student version (generated)
    submitted/<student>/<assignment>/<name>.ipynb
    autograded/<student>/<assignment>/<name>.ipynb
    feedback/<student>/<assignment>/<name>.html
    gradebook.db
"""

import os
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

__all__ = ["REPO_ROOT", "CourseError", "Course", "load_config", "autograde_retrying", "ensure_tools_on_path",
           "scores_by_test_cell", "support_files"]

#: Failures that say nothing about the submission: a busy machine or a shared gradebook.
TRANSIENT = ("database is locked", "Address already in use", "Kernel didn't respond")

#: The repository this package was installed from (editable install).
REPO_ROOT = Path(__file__).resolve().parents[2]


def support_files(folder):
    """The support modules of an assignment: the ``*.py`` files beside its notebooks.

    A support module holds building blocks taught by *earlier* assignments (02's
    softmax, an MLP for 04-08); it is released with its assignment, imported by the
    notebook (``from support import softmax``), and in autograding it is taken from
    the instructor's source folder, never from a submission.
    """
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.py") if p.is_file() and not p.is_symlink()) if folder.is_dir() else []


class CourseError(RuntimeError):
    """nbgrader could not do what was asked; the message carries its log."""


def load_config(config_file, root):
    """nbgrader's config from `config_file`, with the course folder set to `root`."""
    config_file = Path(config_file)
    if not config_file.is_file():
        raise FileNotFoundError(f"no nbgrader config at {config_file}")
    config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    overrides = Config()
    overrides.CourseDirectory.root = str(root)
    # Grading never uses the exchange; a private one keeps nbgrader from touching the real one.
    exchange = Path(root) / ".nngrader" / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    overrides.Exchange.root = str(exchange)
    overrides.NbGraderAPI.log_level = "WARN"
    config.merge(overrides)
    return config


def ensure_tools_on_path():
    """nbgrader runs ``alembic`` as a program: our environment's bin/ must be on PATH."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def autograde_retrying(api, assignment, student, attempts=3):
    """``api.autograde`` again (up to `attempts` times) when it failed for a transient reason:
    a kernel port taken by another kernel starting at the same moment, a locked gradebook."""
    for _ in range(attempts):
        result = api.autograde(assignment, student, force=True, create=True)
        log = (result.get("log") or "") + (result.get("error") or "")
        if result.get("success") or not any(t in log for t in TRANSIENT):
            break
    return result


def scores_by_test_cell(submission):
    """grade_id -> (score, max_score) of the test cells of an nbgrader SubmittedAssignment.

    Written answers (markdown cells) are left out: an instructor grades them by
    hand; nbgrader only gives an unanswered one 0 on its own.
    """
    return {
        grade.name: (float(grade.score), float(grade.max_score))
        for notebook in submission.notebooks
        for grade in notebook.grades
        if grade.cell.cell_type == "code"
    }


class Course:
    """An nbgrader course folder at `root`, made from a course repository.

    Parameters
    ----------
    root : path
        Folder for the course; created if missing. Its content is nbgrader's.
    repo : path
        The repository with ``nbgrader_config.py`` and ``solutions/``.
    assignments : list of str, optional
        Which assignments to copy in; all by default.
    """

    def __init__(self, root, repo=REPO_ROOT, assignments=None):
        from nbgrader.apps import NbGraderAPI  # slow import: only when a course is made

        self.root = Path(root).resolve()
        self.repo = Path(repo).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.repo / "nbgrader_config.py", self.root / "nbgrader_config.py")
        source = self.repo / "solutions"
        names = assignments or sorted(p.name for p in source.iterdir() if p.is_dir())
        for name in names:
            if not (source / name).is_dir():
                raise ValueError(f"no assignment {name!r} in {source}")
            target = self.root / "solutions" / name
            if not target.exists():
                shutil.copytree(source / name, target,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.assignments = names
        ensure_tools_on_path()
        self.api = NbGraderAPI(config=load_config(self.root / "nbgrader_config.py", self.root))

    # -- paths -------------------------------------------------------------
    def source_notebooks(self, assignment):
        """The instructor notebooks of `assignment`, by name (without .ipynb)."""
        folder = self.root / "solutions" / assignment
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}

    def student_notebooks(self, assignment):
        """The generated student notebooks of `assignment`, by name."""
        folder = self.root / "notebooks" / assignment
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}

    def autograded_notebook(self, assignment, student, name):
        path = self.root / "autograded" / student / assignment / f"{name}.ipynb"
        return nbformat.read(path, as_version=4)

    # -- nbgrader steps ----------------------------------------------------
    def _check(self, result, what):
        if not result.get("success"):
            raise CourseError(f"{what} failed:\n{result.get('error') or result.get('log')}")
        return result

    def generate(self, assignment):
        """Generate the student version of `assignment` into ``notebooks/``."""
        self._check(self.api.generate_assignment(assignment, force=True), f"generate {assignment}")
        return self.student_notebooks(assignment)

    def submit(self, student, assignment, notebooks, timestamp=None):
        """Place `notebooks` (name -> NotebookNode, or raw bytes for a broken file)
        as `student`'s submission, with an nbgrader timestamp."""
        folder = self.root / "submitted" / student / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            path = folder / f"{name}.ipynb"
            if isinstance(nb, (bytes, str)):
                path.write_bytes(nb.encode() if isinstance(nb, str) else nb)
            else:
                nbformat.write(nb, path)
        stamp = timestamp or datetime.now(timezone.utc)
        (folder / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        return folder

    def autograde(self, assignment, student):
        """Autograde one submission; returns nbgrader's result dict (success, log, error)."""
        return autograde_retrying(self.api, assignment, student)

    # -- scores ------------------------------------------------------------
    def cell_scores(self, assignment, student):
        """Test cells' scores of one submission: grade_id -> (score, max_score)."""
        with self.api.gradebook as gb:
            return scores_by_test_cell(gb.find_submission(assignment, student))
