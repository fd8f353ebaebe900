"""Build the solution notebooks from their sources: ``course/NN_topic/topic.py`` (jupytext).

    nngrader build                      # every assignment: execute, write solutions/, regenerate notebooks/
    nngrader build 03_mlp_backprop      # only this one
    nngrader build --check              # fail (exit 1) where solutions/ is out of step with course/

Each source is a jupytext ``py:percent`` file: a notebook kept as text, which diffs
and reviews as code and which JupyterLab opens as a notebook (the jupytext
extension). A cell's nbgrader metadata sits in its header::

    # %% nbgrader={"grade": true, "grade_id": "test_scores", "locked": true, "points": 2, ...}

The sources live outside ``solutions/`` because nbgrader releases every file of
``solutions/NN_topic/`` to students. The build also writes each assignment's
support module, ``solutions/NN_topic/support.py``, from ``course/blocks.py``
(``nngrader.support``: the blocks taught before it). Percent files store no cell ids, so the
build gives each cell one: its ``grade_id`` for an nbgrader cell, ``cell-NNN``
(its position) for any other.
"""

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from nngrader.course import REPO_ROOT
from nngrader.support import BLOCKS, SUPPORT_NAME, BlockError, support_source

__all__ = ["SOURCE_DIR", "sources", "read_source", "build", "out_of_step", "main"]

#: Where the authored sources live, beside solutions/ and notebooks/.
SOURCE_DIR = "course"

#: Arguments for the short-lived local kernels that build and bench start: without them each
#: prints jupyter_client's warning about unencrypted TCP, which on 127.0.0.1 is only noise.
QUIET_KERNEL = ["--IPKernelApp.log_level=ERROR"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def sources(repo=REPO_ROOT, assignments=None):
    """{assignment: path of its percent file}, for every ``course/NN_topic/*.py`` notebook source."""
    found = {}
    for folder in sorted(Path(repo, SOURCE_DIR).iterdir()):
        if not folder.is_dir() or (assignments and folder.name not in assignments):
            continue
        notebooks = [p for p in folder.glob("*.py") if _is_percent(p)]
        if len(notebooks) != 1:
            raise ValueError(f"{folder} must hold exactly one notebook source (a jupytext percent "
                             f"file), found {len(notebooks)}")
        found[folder.name] = notebooks[0]
    missing = set(assignments or ()) - found.keys()
    if missing:
        raise ValueError(f"no source in {SOURCE_DIR}/ for {', '.join(sorted(missing))}")
    return found


def _is_percent(path):
    """Whether `path` is a notebook source: its first line opens a cell (``# %%``)."""
    with open(path, encoding="utf-8") as f:
        return f.readline().startswith("# %%")


def read_source(path):
    """The notebook a percent file describes, with cell ids and kernel metadata set (no outputs)."""
    nb = jupytext.read(path, fmt="py:percent")
    seen = set()
    for i, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and grade_id in seen:
            raise ValueError(f"{path}: grade_id {grade_id!r} is used by two cells")
        seen.add(grade_id)
        cell.id = grade_id or f"cell-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def execute(nb, cwd, timeout=120):
    """Run `nb` top to bottom in a fresh kernel in folder `cwd`, keeping its outputs."""
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   extra_arguments=QUIET_KERNEL, resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def solution_path(repo, assignment, source):
    return Path(repo) / "solutions" / assignment / f"{source.stem}.ipynb"


#: The first line of a generated support module (one without it is the instructor's own).
GENERATED = '"""Support module of '


def _support(repo, assignment):
    """(path of the support module, the text it must hold or None for no file).

    The blocks taught before the assignment (``course/blocks.py``), followed by the
    assignment's own support code if it has any (``course/NN_topic/support.py``,
    which may use those blocks).
    """
    path = Path(repo) / "solutions" / assignment / SUPPORT_NAME
    blocks = Path(repo) / BLOCKS
    text = support_source(assignment, blocks) if blocks.exists() else None
    own = Path(repo) / SOURCE_DIR / assignment / SUPPORT_NAME
    if own.exists():
        header = text or f'{GENERATED}{assignment}: its own code."""\n'
        text = (f"{header}\n\n# ---- {assignment}'s own support code, from {own.relative_to(repo)} ----\n\n"
                + own.read_text(encoding="utf-8"))
    if path.exists() and not path.read_text(encoding="utf-8").startswith(GENERATED):
        raise BlockError(f"{path} was not written by the build: move it to {own.relative_to(repo)}, "
                         f"the build writes {SUPPORT_NAME} from {BLOCKS} and that file")
    return path, text


def write_support(repo, assignment):
    """Write (or remove) `assignment`'s generated support module; returns its path or None."""
    path, text = _support(repo, assignment)
    if text is None:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(repo=REPO_ROOT, assignments=None, run=True):
    """Write ``solutions/NN/topic.ipynb`` from each source (executed when `run`) and its
    support module; returns the paths written."""
    written = []
    for assignment, source in sources(repo, assignments).items():
        support = write_support(repo, assignment)
        written += [support] if support else []
        nb = read_source(source)
        out = solution_path(repo, assignment, source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if run:
            execute(nb, out.parent)
        nbformat.validate(nb)
        nbformat.write(nb, out)
        written.append(out)
    return written


def cells(nb):
    """What a source decides of a notebook: each cell's id, type, source and metadata."""
    return [(c.get("id"), c.cell_type, c.source, dict(c.get("metadata", {}))) for c in nb.cells]


def out_of_step(repo=REPO_ROOT, assignments=None):
    """Sentences naming each solution notebook that differs from its source (first differing cell)."""
    problems = []
    for assignment, source in sources(repo, assignments).items():
        target = solution_path(repo, assignment, source)
        if not target.exists():
            problems.append(f"{target.relative_to(repo)} is missing: run `nngrader build {assignment}`")
            continue
        support, text = _support(repo, assignment)
        if (support.read_text(encoding="utf-8") if support.exists() else None) != text:
            problems.append(f"{support.relative_to(repo)} differs from what {BLOCKS} gives: "
                            f"run `nngrader build {assignment}`")
        want, have = cells(read_source(source)), cells(nbformat.read(target, as_version=4))
        if want != have:
            i = next((i for i, (a, b) in enumerate(zip(want, have)) if a != b), min(len(want), len(have)))
            problems.append(f"{target.relative_to(repo)} differs from {source.relative_to(repo)} at cell {i} "
                            f"(of {len(want)} in the source, {len(have)} in the notebook): "
                            f"run `nngrader build {assignment}`")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader build", description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="e.g. 01_softmax (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="only say which solution notebooks are out of step with their sources")
    parser.add_argument("--no-exec", action="store_true", help="write without executing (no outputs)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = out_of_step(REPO_ROOT, args.assignments or None)
            print("\n".join(problems) or "every solution notebook is in step with its source")
            return 1 if problems else 0
        for path in build(REPO_ROOT, args.assignments or None, run=not args.no_exec):
            print(f"wrote {path.relative_to(REPO_ROOT)}")
    except (ValueError, OSError) as err:
        parser.exit(2, f"nngrader build: {err}\n")
    from nngrader.release import main as release

    return release(args.assignments)


if __name__ == "__main__":
    sys.exit(main())
