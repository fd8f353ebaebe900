"""nbgrader's execution step for autograding: student code in the sandbox, tests in the grader.

``SandboxedExecute`` replaces nbgrader's ``Execute`` preprocessor in autograde
(``nbgrader_config.py``). It walks the notebook once:

- a **student cell** (every code cell that is not one of the instructor's) runs in
  a sandboxed process (``nngrader.sandbox.remote.SandboxProcess``) that cannot read the solutions,
  the gradebook or other students' work, with limits on time, memory, processes
  and output;
- a **test cell** runs here, in the grader, with the *instructor's* source taken
  from the gradebook (hidden tests included; they never enter the sandbox). Its
  namespace is built only from the instructor's cells: a name that any instructor
  cell (setup, helpers, tests) binds is never taken from the sandbox; only a name
  no instructor cell binds (the student's functions) is looked up in the
  student's process, as a ``RemoteFunction``/``RemoteObject``/plain value;
- a **locked instructor cell** (setup, helpers) runs in both, from the gradebook's
  source, in the instructor's order, whatever the submission holds: deleted,
  moved, edited, retyped or stripped of its metadata, it still runs once, before
  the first submitted cell the instructor placed after it (or at the end).

What the grader itself observed (a cell's time ran out by its own clock, the
sandbox stopped, output was cut) is recorded in ``observations()``, for
``nngrader.reasons``: a reason never rests on a name or text the student's code chose.

So a solution cell that patches NumPy's testing functions, builtins or
``nnlib.grading`` patches them in its own process only; the checks that decide
the score run here, on plain values. The cell outputs (hints, errors) are
written into the notebook as nbgrader's ``Execute`` would, and nbgrader scores
them as usual. A limit that stops the student's process is written into the
cell where it happened (``nngrader.reasons`` turns it into a reason).
"""

import ast
import builtins
import contextlib
import io
import sys
import time
import warnings
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from sqlalchemy import text

from nngrader.course import support_files
from nngrader.sandbox import jail, protocol
from nnlib.grading import allow_updates
from nngrader.sandbox.protocol import STOPPED
from nngrader.sandbox.remote import CallTimeout, Policy, SandboxProcess, WorkerDied

__all__ = ["SandboxedExecute", "cell_kinds", "instructor_cells", "free_names", "bound_names",
           "observations"]

#: (assignment, student, notebook) -> list of facts the grader observed while running it:
#: ("timeout", cell), ("stopped", cell, why), ("cut", cell). Filled by SandboxedExecute in
#: this process (nngrader.grade_class autogrades in-process) and read by nngrader.reasons.
_OBSERVED = {}


def observations(assignment, student):
    """{notebook: [fact, ...]} the grader observed while autograding this submission."""
    return {nb: list(facts) for (a, s, nb), facts in _OBSERVED.items() if (a, s) == (assignment, student)}

#: ename of a cell that ran out of time, as nbgrader's own.
TIMEOUT = "CellTimeoutError"


def cell_kinds(gradebook, notebook, assignment):
    """What the gradebook says of a notebook's cells.

    Returns
    -------
    tests : dict of grade_id -> source of each autograded test cell
    locked : dict of grade_id -> source of each other locked code cell (setup, helpers)
    """
    with Gradebook(gradebook) as gb:
        nb = gb.find_notebook(notebook, assignment)
        solutions = {cell.name for cell in nb.solution_cells}
        test_ids = {cell.name for cell in nb.grade_cells if cell.cell_type == "code"} - solutions
        sources = {cell.name: cell for cell in nb.source_cells}
        tests = {name: sources[name].source for name in test_ids}
        locked = {name: cell.source for name, cell in sources.items()
                  if cell.cell_type == "code" and cell.locked and name not in test_ids}
    return tests, locked


def instructor_cells(gradebook, notebook, assignment):
    """The instructor's cells in the gradebook, in the instructor's order.

    Returns
    -------
    order : dict of grade_id -> position of every cell the gradebook knows (any kind)
    tests : dict of grade_id -> source of each autograded test cell
    locked : list of (grade_id, source) of the other locked code cells (setup, helpers), in order
    """
    with Gradebook(gradebook) as gb:
        nb = gb.find_notebook(notebook, assignment)
        solutions = {cell.name for cell in nb.solution_cells}
        test_ids = {cell.name for cell in nb.grade_cells if cell.cell_type == "code"} - solutions
        try:  # the order nbgrader's generate_assignment added them in: the notebook's
            cells = [c for c in gb.db.query(type(nb.source_cells[0])).order_by(text("rowid"))
                     if c.notebook_id == nb.id] if nb.source_cells else []
        except Exception:  # pragma: no cover - a gradebook other than sqlite
            cells = list(nb.source_cells)
        order = {cell.name: i for i, cell in enumerate(cells)}
        tests = {cell.name: cell.source for cell in cells if cell.name in test_ids}
        locked = [(cell.name, cell.source) for cell in cells
                  if cell.cell_type == "code" and cell.locked and cell.name not in test_ids]
    return order, tests, locked


def bound_names(code):
    """Names `code` binds at its top level or anywhere by assignment, import, def, class,
    for, with, except, global (an instructor's cell: never to be taken from the sandbox)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.Global):
            bound.update(node.names)
    return bound


def free_names(code):
    """Names `code` reads that it does not bind at its top level (so may come from elsewhere)."""
    tree = ast.parse(code)
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return read - bound


class SandboxedExecute(NbGraderPreprocessor):
    """Run a submission: student cells sandboxed, test cells in the grader (module docstring)."""

    timeout = Integer(60, help="Seconds a cell (student or test) may run.").tag(config=True)
    cpu_seconds = Integer(jail.Limits.cpu_seconds,
                          help="CPU seconds for the whole notebook, all its processes.").tag(config=True)
    memory_mb = Integer(jail.Limits.memory_bytes // 2**20,
                        help="Memory (address space) of each of its processes, in MiB.").tag(config=True)
    processes = Integer(jail.Limits.processes,
                        help="Processes and threads it may run at once.").tag(config=True)
    file_mb = Integer(jail.Limits.file_bytes // 2**20,
                      help="Largest file it may write, in MiB.").tag(config=True)

    def limits(self):
        return jail.Limits(cpu_seconds=self.cpu_seconds, memory_bytes=self.memory_mb * 2**20,
                              processes=self.processes, file_bytes=self.file_mb * 2**20)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        order, tests, locked = instructor_cells(info["db_url"], info["notebook"], info["assignment"])
        locked_ids = {grade_id for grade_id, _ in locked}
        facts = _OBSERVED[(info["assignment"], info.get("student"), info["notebook"])] = []
        allow_updates()  # what one notebook allowed does not carry over to the next
        coursedir = CourseDirectory(config=self.config)
        support = support_files(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        with SandboxProcess(self.limits(), support=support) as worker, support_importable(support):
            run = _Run(worker, self.timeout, facts)
            run.instructor_names.update(*(bound_names(source) for source in tests.values()),
                                        *(bound_names(source) for _, source in locked))
            pending = list(locked)  # instructor cells not run yet, in the instructor's order
            outputs = {}

            def run_locked_before(position):
                while pending and order[pending[0][0]] < position:
                    grade_id, source = pending.pop(0)
                    outputs[grade_id] = run.student_cell(source, f"<cell {grade_id}>")
                    run.instructor_cell(source, f"<cell {grade_id}>")

            for index, cell in enumerate(nb.cells):
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id in order:
                    run_locked_before(order[grade_id])
                if cell.cell_type != "code":
                    continue
                label = f"<cell {grade_id or index}>"
                if grade_id in tests:
                    cell.outputs = run.test_cell(tests[grade_id], label)
                elif grade_id in locked_ids:
                    run_locked_before(order[grade_id] + 1)
                    cell.outputs = outputs.pop(grade_id, [])  # a copy runs once, at its place
                else:
                    cell.outputs = run.student_cell(cell.source, label)
                cell.execution_count = index + 1
            run_locked_before(len(order) + 1)
        return nb, resources


@contextlib.contextmanager
def support_importable(support):
    """The instructor's support modules importable here (for locked cells and tests) while
    one notebook runs; forgotten afterwards, so another assignment's ``support`` is not reused."""
    folders = sorted({str(Path(p).resolve().parent) for p in support})
    names = {Path(p).stem for p in support}
    sys.path[:0] = folders
    try:
        yield
    finally:
        for folder in folders:
            sys.path.remove(folder)
        for name in names:
            sys.modules.pop(name, None)


class _Run:
    """One notebook's execution: the sandboxed worker and the grader's own namespace."""

    def __init__(self, worker, timeout, facts=None):
        self.worker, self.timeout = worker, timeout
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.instructor_names = set()
        self.stopped = None
        self.facts = [] if facts is None else facts
        self.output_left = protocol.NOTEBOOK_OUTPUT_LIMIT

    def _stopped_output(self):
        return [new_output("error", ename=STOPPED, evalue=f"not run: {self.stopped}",
                           traceback=[f"{STOPPED}: not run: {self.stopped}"])]

    def _stop(self, err, label):
        self.stopped = str(err)
        self.facts.append(("stopped", _grade_id(label), self.stopped))
        return new_output("error", ename=STOPPED, evalue=self.stopped, traceback=[f"{STOPPED}: {self.stopped}"])

    def _stream(self, name, text, label):
        """A stream output, cut to the per-cell and per-notebook limits (the grader's own)."""
        limit = min(protocol.OUTPUT_LIMIT, max(self.output_left, 0))
        if len(text) > limit:  # counted here: a cut mark the student's code prints says nothing
            self.facts.append(("cut", _grade_id(label)))
            text = text[:limit] + f"\n[... {protocol.CUT_MARK}]\n"
        self.output_left -= len(text)
        return new_output("stream", name=name, text=text)

    def student_cell(self, source, label):
        if self.stopped:
            return self._stopped_output()
        try:
            result = self.worker.run(source, label, timeout=self.timeout)
        except WorkerDied as err:
            return [self._stop(err, label)]
        outputs = [self._stream(name, result[name], label) for name in ("stdout", "stderr") if result[name]]
        error = result["error"]
        if result["timed_out"]:  # the grader's clock, not the name of the student's exception
            self.facts.append(("timeout", _grade_id(label)))
            outputs.append(new_output("error", ename=TIMEOUT, evalue=f"the cell ran longer than {self.timeout:g} s",
                                      traceback=[f"{TIMEOUT}: the cell ran longer than {self.timeout:g} s"]))
        elif error:
            outputs.append(new_output("error", ename=error["ename"], evalue=error["evalue"],
                                      traceback=error["traceback"]))
        return outputs

    def instructor_cell(self, source, label):
        """Run an instructor's locked cell here too, so tests see its names."""
        before = dict(self.namespace)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(source, label, "exec"), self.namespace)
        self._note_bound(before)

    def _note_bound(self, before):
        self.instructor_names.update(name for name, value in self.namespace.items()
                                     if name not in before or before[name] is not value)

    def test_cell(self, source, label):
        """Run a test cell here; if a student's function changed the test's inputs and the cell
        passed, run it again with the inputs protected: it must pass both ways."""
        if self.stopped:
            return self._stopped_output()
        before = dict(self.namespace)
        outputs, passed, first = self._run_test(source, label, Policy())
        if passed and first.inputs_changed and not self.stopped:
            self.namespace.clear()
            self.namespace.update(before)
            again, passed, _ = self._run_test(source, label, Policy(protect_inputs=True))
            if not passed:
                note = ("(run again with the test's inputs protected from changes your function "
                        "made to them) ")
                outputs = [new_output("error", ename=out["ename"], evalue=note + out["evalue"],
                                      traceback=[note + line for line in out["traceback"]])
                           if out.get("output_type") == "error" else out for out in again]
        return outputs

    def _run_test(self, source, label, policy):
        fetched = {}
        stdout, stderr = io.StringIO(), io.StringIO()
        outputs = []
        policy.deadline = time.monotonic() + self.timeout
        before = dict(self.namespace)
        with self.worker.policy(policy):
            try:
                for name in sorted(free_names(source) - self.instructor_names - set(vars(builtins))):
                    try:
                        fetched[name] = self.namespace[name] = self.worker.get(name, self.worker.time_left())
                    except KeyError:
                        self.namespace.pop(name, None)
                before.update(fetched)
                with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                        warnings.catch_warnings():
                    warnings.simplefilter("default")
                    exec(compile(source, label, "exec"), self.namespace)
            except WorkerDied as err:
                outputs.append(self._stop(err, label))
            except CallTimeout as err:  # the grader's clock
                self.facts.append(("timeout", _grade_id(label)))
                outputs.append(new_output("error", ename=TIMEOUT, evalue=str(err),
                                          traceback=[f"{TIMEOUT}: {err}"]))
            except Exception as err:  # the test failed: its message, never the test's code
                ename = type(err).__name__
                outputs.append(new_output("error", ename=ename, evalue=str(err)[:protocol.ERROR_LIMIT],
                                          traceback=[f"{ename}: {str(err)[:protocol.ERROR_LIMIT]}"]))
            finally:
                self._note_bound(before)
                for name, value in fetched.items():  # the student's values never stay here
                    if self.namespace.get(name) is value:
                        del self.namespace[name]
        streams = [self._stream(name, buffer.getvalue(), label)
                   for name, buffer in (("stdout", stdout), ("stderr", stderr)) if buffer.getvalue()]
        passed = not outputs and not stderr.getvalue()
        return streams + outputs, passed, policy


def _grade_id(label):
    return label[len("<cell "):-1] if label.startswith("<cell ") else label
