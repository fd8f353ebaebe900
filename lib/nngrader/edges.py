"""Edge-case audit: do a notebook's tests (visible and hidden) catch the mistakes that hide
in special inputs?

Three kinds of input let a wrong function pass tests written on ordinary shapes:

- ``square``: a weight matrix with as many rows as columns (C = d), where ``X @ W`` runs
  as well as ``X @ W.T``. The mutant transposes every square 2-D weight it is given (an
  argument, a ``params`` entry or a ``weights`` item named ``W``, ``W1``, ...).
- ``single``: one sample (N = 1), where a dropped batch axis (``np.squeeze``, ``ravel``)
  goes unnoticed. The mutant drops the first axis of every array argument of rows
  (2-D or more, not a weight) in which it has length 1, then computes as the
  reference does.
- ``float32``: float32 input, where a float64 result (``np.zeros(shape)``, a float64
  constant) goes unnoticed. The mutant returns its float32 array outputs as float64.

For each graded function the audit runs the reference solution notebook once (setup,
answers and test cells; no demonstrations), then swaps in each kind's mutant and reruns
the function's own test cells: one of them must fail. A kind that cannot apply is
detected from what the tests pass in (no weight argument, no array output), or declared
with its reason in ``course/NN/mistakes.py`` as ``EDGES_NOT_APPLICABLE``.

    nngrader edges [ASSIGNMENT ...]     the table; exit 1 when a test is missing
"""

import argparse
import ast
import contextlib
import inspect
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = ["KINDS", "Verdict", "audit", "audit_notebook", "main"]

KINDS = ("square", "single", "float32")

#: kind -> what a test must do to catch its mutant
WHAT_CATCHES = {
    "square": "call it with a square weight matrix (C = d) and check the result",
    "single": "call it with one sample (N = 1) and check the result's shape",
    "float32": "call it with float32 input and check the result's dtype",
}

_WEIGHT_NAME = re.compile(r"W\d*")


@dataclass(frozen=True)
class Verdict:
    """One (function, kind) of the audit: ``status`` is covered, gap or n/a."""

    function: str
    kind: str
    status: str
    why: str


# --- the mutants (run inside the audit's own process, on the instructor's reference) ----

def _map_outputs(out, change):
    """`out` with `change` applied to it, or to each item of a returned tuple or dict."""
    if isinstance(out, tuple):
        return tuple(change(item) for item in out)
    if isinstance(out, dict):
        return {key: change(value) for key, value in out.items()}
    return change(out)


def _arrays(values):
    """The arrays among `values` and among the items of those that are tuples, lists or dicts."""
    import numpy as np

    found = []
    for value in values:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else [value]
        found += [a for a in items if isinstance(a, np.ndarray)]
    return found


def _transpose_weights(value, name, seen):
    import numpy as np

    def square(a):
        return isinstance(a, np.ndarray) and a.ndim == 2 and a.shape[0] == a.shape[1] > 1

    if _WEIGHT_NAME.fullmatch(name) and square(value):
        seen.append(name)
        return value.T.copy()
    if isinstance(value, dict):
        return {k: _transpose_weights(v, k, seen) if isinstance(k, str) else v for k, v in value.items()}
    if name == "weights" and isinstance(value, (list, tuple)):
        return type(value)(_transpose_weights(w, "W", seen) for w in value)
    return value


def _takes_weights(name, value):
    """Whether argument `name` is (or holds) a weight matrix: W, W1, ..., params, weights."""
    if isinstance(value, dict):
        return any(isinstance(k, str) and _WEIGHT_NAME.fullmatch(k) for k in value)
    return bool(_WEIGHT_NAME.fullmatch(name)) or name == "weights"


def _is_batch(name, value):
    """Whether argument `name` may hold a batch: an array of rows (2-D or more), not a weight."""
    import numpy as np

    return isinstance(value, np.ndarray) and value.ndim >= 2 and not _takes_weights(name, value)


def _mutant(kind, reference, record):
    """`reference` wrapped to make `kind`'s mistake; `record(kind)` when the mistake showed."""
    import numpy as np

    signature = inspect.signature(reference)

    def wrapper(*args, **kwargs):
        if kind == "square":
            bound = signature.bind(*args, **kwargs)
            seen = []
            for name, value in bound.arguments.items():
                bound.arguments[name] = _transpose_weights(value, name, seen)
            if seen:
                record(kind)
            return reference(*bound.args, **bound.kwargs)
        if kind == "single":
            bound = signature.bind(*args, **kwargs)
            for name, value in bound.arguments.items():
                if _is_batch(name, value) and value.shape[0] == 1:
                    record(kind)
                    bound.arguments[name] = value[0]
            return reference(*bound.args, **bound.kwargs)
        out = reference(*args, **kwargs)
        if not any(a.dtype == np.float32 for a in _arrays([*args, *kwargs.values()])):
            return out

        def upcast(a):
            if isinstance(a, np.ndarray) and a.dtype == np.float32:
                record(kind)
                return a.astype(np.float64)
            return a
        return _map_outputs(out, upcast)

    wrapper.__wrapped__ = reference
    return wrapper


def _observer(reference, seen):
    """`reference` noting which kinds could apply to the calls the tests make."""
    import numpy as np

    signature = inspect.signature(reference)

    def observer(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        if any(_takes_weights(name, value) for name, value in bound.arguments.items()):
            seen.add("square")
        if any(_is_batch(name, value) for name, value in bound.arguments.items()):
            seen.add("single")
        out = reference(*args, **kwargs)
        floating = lambda arrays: any(np.issubdtype(a.dtype, np.floating) and a.ndim >= 1 for a in arrays)
        if floating(_arrays([out])) and floating(_arrays([*args, *kwargs.values()])):
            seen.add("float32")
        return out

    observer.__wrapped__ = reference
    return observer


# --- one notebook, in a process of its own ----------------------------------------------

def _cells(nb):
    """[(role, grade_id, source)] for the cells a grader runs: setup, answer, test."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell["source"]
        if meta.get("solution"):
            cells.append(("answer", meta["grade_id"], source))
        elif meta.get("grade"):
            cells.append(("test", meta["grade_id"], source))
        elif meta.get("locked"):
            cells.append(("setup", meta.get("grade_id", ""), source))
    return cells


def _defined_functions(source):
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


def _defined_classes(source):
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


def _run(source, namespace, name):
    """Run one cell in `namespace`; the exception it raised, or None."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(source, name, "exec"), namespace)
    except Exception as error:  # a failing test cell is the answer we are after
        return f"{type(error).__name__}: {error}"
    return None


def audit_notebook(path):
    """``{"functions": {function: {kind: (applicable, caught, showed, failure)}}, "classes": [...]}``
    for the solution notebook at `path`.

    Runs in this process: call it in a process of its own (``main(["--one", path])``).
    """
    import warnings

    os.environ.setdefault("MPLBACKEND", "Agg")
    path = Path(path).resolve()
    os.chdir(path.parent)
    sys.path.insert(0, str(path.parent))
    warnings.simplefilter("ignore")
    cells = _cells(nbformat.read(path, as_version=4))   # every source one string
    owner, tests, classes = {}, {}, []
    current = []
    for role, grade_id, source in cells:
        if role == "answer":
            classes += _defined_classes(source)
            current = _defined_functions(source)
            for name in current:
                owner[name] = grade_id
                tests[name] = []
        elif role == "test":
            for name in current:
                tests[name].append((grade_id, source))

    namespace = {"__name__": "__main__"}
    seen = {name: set() for name in owner}
    for role, grade_id, source in cells:
        failure = _run(source, namespace, grade_id)
        if role == "answer":
            for name in _defined_functions(source):
                namespace[name] = _observer(namespace[name], seen[name])
        if failure and role != "answer":
            raise RuntimeError(f"{path.name}: the reference fails {grade_id!r}: {failure}")

    results = {}
    for name in owner:
        reference = namespace[name].__wrapped__
        results[name] = {}
        for kind in KINDS:
            showed = set()
            namespace[name] = _mutant(kind, reference, showed.add)
            failures = [f for f in (_run(src, namespace, gid) for gid, src in tests[name]) if f]
            namespace[name] = reference
            results[name][kind] = (kind in seen[name], bool(failures), bool(showed),
                                   failures[0][:200] if failures else "")
    return {"functions": results, "classes": classes}


# --- the course ------------------------------------------------------------------------

def _not_applicable(assignment, repo):
    from nngrader.submissions import mutation_table

    table = mutation_table(assignment, repo) or {}
    return table.get("EDGES_NOT_APPLICABLE", {})


def audit(assignment, repo=None):
    """The audit's verdicts for `assignment`'s solution notebook, one per (function, kind)."""
    from nngrader.course import REPO_ROOT

    repo = Path(repo or REPO_ROOT)
    (notebook,) = sorted((repo / "solutions" / assignment).glob("*.ipynb"))
    run = subprocess.run([sys.executable, "-m", "nngrader.edges", "--one", str(notebook)],
                         capture_output=True, text=True, cwd=repo)
    if run.returncode != 0:
        raise RuntimeError(f"the audit of {assignment} failed:\n{run.stderr[-3000:]}")
    found = json.loads(run.stdout.strip().splitlines()[-1])
    results = found["functions"]
    declared = _not_applicable(assignment, repo)
    unknown = set(declared) - set(results)
    if unknown:
        raise ValueError(f"{assignment}: EDGES_NOT_APPLICABLE names no graded function: {sorted(unknown)}")
    verdicts = []
    for function, kinds in results.items():
        for kind in KINDS:
            applicable, caught, showed, failure = kinds[kind]
            reason = declared.get(function, {}).get(kind)
            if reason:
                verdicts.append(Verdict(function, kind, "n/a", reason))
            elif caught:
                verdicts.append(Verdict(function, kind, "covered", failure))
            elif not applicable:
                verdicts.append(Verdict(function, kind, "n/a", {
                    "square": "takes no weight matrix by name", "single": "takes no array of rows",
                    "float32": "takes no float array or returns none"}[kind]))
            elif showed:
                verdicts.append(Verdict(function, kind, "gap", "the tests give it such input but do not "
                                        "check the result: " + WHAT_CATCHES[kind]))
            else:
                verdicts.append(Verdict(function, kind, "gap", "no test does: " + WHAT_CATCHES[kind]))
    for name in found["classes"]:
        verdicts.append(Verdict(name, "all", "n/a", "a class: its tests drive it through its methods"))
    return verdicts


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader edges", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="e.g. 01_softmax (default: all)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(audit_notebook(args.one)))
        return 0
    from nngrader.course import REPO_ROOT

    names = args.assignments or sorted(p.name for p in (REPO_ROOT / "solutions").iterdir() if p.is_dir())
    missing = [n for n in names if not (REPO_ROOT / "solutions" / n).is_dir()]
    if missing:
        print(f"nngrader edges: no assignment {', '.join(missing)} in solutions/", file=sys.stderr)
        return 2
    gaps = 0
    for name in names:
        for v in audit(name):
            gaps += v.status == "gap"
            print(f"{name:18} {v.function:34} {v.kind:8} {v.status:8} {v.why if v.status != 'covered' else ''}")
    print(f"{gaps} gap(s)")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
