"""Why a submission scored what it did, in words an instructor can act on.

Two moments:

- ``preflight`` looks at a submission folder *before* nbgrader runs it: missing
  or renamed notebooks, files that are not notebooks, duplicated cells, deleted
  test cells, work not attempted. A *blocking* problem means nbgrader would fail on the whole
  submission, so it is not run and the reason is stored instead.
- ``after_autograde`` reads nbgrader's result, what the grader itself observed while
  running the notebook (``nngrader.sandbox.execute.observations``: a cell's time ran
  out by the grader's clock, the sandbox stopped, output was cut) and the autograded
  notebook (the builtin exception a limit raises inside the sandbox).

A reason never rests on a name or text the student's code chose: an exception the
student's code names ``SandboxStopped`` or ``CellTimeout`` is just an error of that
cell. Every student-derived string in a reason (file names, cell ids, nbgrader's
log) is stripped of control characters and quoted (``nngrader.sanitize``).
"""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nngrader.sanitize import clean, quoted

__all__ = ["Problem", "graded_ids", "preflight", "after_autograde", "describe_lateness"]

#: What nbgrader leaves in a solution cell of the student version.
STUB = "raise NotImplementedError()"



@dataclass(frozen=True)
class Problem:
    """One finding. `blocking` problems stop the submission from being graded."""

    reason: str
    blocking: bool = False


def graded_ids(nb):
    """grade_ids of the cells nbgrader tracks (solutions and tests), in order."""
    return [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})
        and (cell.metadata["nbgrader"].get("grade") or cell.metadata["nbgrader"].get("solution"))
    ]


def _test_ids(nb):
    return {
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    }


def preflight(folder, expected):
    """Problems of the submission in `folder`.

    Parameters
    ----------
    folder : path of ``submitted/<student>/<assignment>``
    expected : dict of notebook name -> the source NotebookNode

    Returns
    -------
    list of Problem
    """
    folder = Path(folder)
    problems = []
    present = {p.stem: p for p in folder.glob("*.ipynb")}
    for name, source in expected.items():
        path = present.get(name)
        if path is None:
            others = sorted(set(present) - set(expected))
            found = f"; found {', '.join(quoted(o + '.ipynb') for o in others[:5])} (renamed?)" if others else ""
            problems.append(Problem(f"notebook {name}.ipynb is missing{found}", blocking=True))
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            problems.append(Problem(f"{name}.ipynb is not a valid notebook file (broken JSON: "
                                    f"{_first_line(err)})", blocking=True))
            continue
        except Exception as err:  # nbformat raises several kinds for a malformed notebook
            problems.append(Problem(f"{name}.ipynb is not a valid notebook file ({_first_line(err)})",
                                    blocking=True))
            continue
        counts = Counter(graded_ids(nb))
        for grade_id, n in sorted(counts.items()):
            if n > 1:
                problems.append(Problem(
                    f"cell {quoted(grade_id)} appears {n} times in {name}.ipynb (copy-pasted?): "
                    "nbgrader cannot grade it; delete the copies and resubmit", blocking=True))
        for grade_id in sorted(_test_ids(source) - set(counts)):
            problems.append(Problem(f"test cell '{grade_id}' was deleted from {name}.ipynb; "
                                    "nbgrader put it back and graded it"))
        answers = [c.source for c in nb.cells if c.cell_type == "code"
                   and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        if answers and all(STUB in answer for answer in answers):
            problems.append(Problem(f"not attempted: every exercise in {name}.ipynb still raises "
                                    "NotImplementedError"))
    return problems


def _first_line(err, limit=80):
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return clean(text, limit)


def after_autograde(result, autograded, max_cell_seconds, observed=None):
    """Reasons from nbgrader's `result` dict, the grader's observations and the autograded notebooks.

    Parameters
    ----------
    result : dict with "success" and "log", as NbGraderAPI.autograde returns
    autograded : dict of notebook name -> autograded NotebookNode (may be empty)
    max_cell_seconds : the per-cell timeout, for the message
    observed : dict of notebook name -> facts, from ``nngrader.sandbox.execute.observations``

    Returns
    -------
    list of Problem
    """
    log = result.get("log", "") + (result.get("error") or "")
    if not result.get("success"):
        if "DeadKernelError" in log or "Kernel died" in log:
            return [Problem("the kernel died while running the notebook (the code crashed Python, "
                            "called os._exit, or ran out of memory)", blocking=True)]
        if "CellTimeoutError" in log or "Timeout waiting" in log:
            return [Problem(f"a cell ran longer than {max_cell_seconds:g} s and ignored the interrupt",
                            blocking=True)]
        last = [line.strip() for line in log.splitlines() if line.strip()][-1:] or ["no log"]
        return [Problem(f"nbgrader could not grade it: {clean(last[0], 300)}", blocking=True)]
    problems = []
    observed = observed or {}
    for name, nb in autograded.items():
        facts = observed.get(name, [])
        timed_out = sorted({clean(f[1], 100) for f in facts if f[0] == "timeout"})
        if timed_out:
            problems.append(Problem(f"timeout: {', '.join(timed_out)} in {name}.ipynb ran longer than "
                                    f"{max_cell_seconds:g} s (an endless loop?)"))
        for _, cell, why in [f for f in facts if f[0] == "stopped"][:1]:
            problems.append(Problem(f"{why} (in {clean(cell, 100)} of {name}.ipynb); "
                                    "the cells after it were not run"))
        errors = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            label = clean(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index}"), 100)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and label not in errors:
                    errors[label] = (out.get("ename", ""), out.get("evalue", ""))
        # The builtin exceptions a limit of the sandbox raises inside it (the worker names a
        # class the student's code defined by its module: "__main__.MemoryError").
        for what, hit in (("ran out of memory", lambda e, v: e == "MemoryError"),
                          ("tried to start too many processes",
                           lambda e, v: e == "BlockingIOError" and "temporarily unavailable" in v),
                          ("wrote a file larger than the sandbox allows",
                           lambda e, v: e == "OSError" and "File too large" in v)):
            cells = sorted(g for g, (e, v) in errors.items() if hit(e, v))
            if cells:
                problems.append(Problem(f"{what} in {', '.join(cells)} of {name}.ipynb "
                                        "(a limit of the grading sandbox)"))
        cut = sorted({clean(f[1], 100) for f in facts if f[0] == "cut"})
        if cut:
            problems.append(Problem(f"printed too much in {', '.join(cut)} of {name}.ipynb: "
                                    "the output was cut"))
    return problems


def describe_lateness(seconds):
    """'late by 1 d 2 h' style text, or None when on time."""
    if not seconds or seconds <= 0:
        return None
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes and not days else ""]
    return "late by " + (" ".join(p for p in parts if p) or "under a minute")
