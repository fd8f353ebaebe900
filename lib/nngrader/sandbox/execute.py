"""nbgrader's execution step for autograding: student code in the sandbox, tests in the grader.

``SandboxedExecute`` replaces nbgrader's ``Execute`` preprocessor in autograde
(``nbgrader_config.py``). It walks the notebook once:

- a **student cell** (every code cell that is not one of the instructor's) runs in
  a sandboxed process (``nngrader.sandbox.remote.SandboxProcess``) that cannot read the solutions,
  the gradebook or other students' work, with limits on time, memory, processes
  and output;
- a **test cell** runs here, in the grader, with the *instructor's* source taken
  from the gradebook (hidden tests included; they never enter the sandbox). The
  names it uses come from the instructor's own cells (imports, helpers, earlier
  tests) first; only a name the instructor never defined is looked up in the
  student's process, as a ``RemoteFunction``/``RemoteObject``/plain value;
- a **locked instructor cell** (setup, helpers) runs in both.

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

from nngrader.course import support_files
from nngrader.sandbox import jail
from nnlib.grading import allow_updates
from nngrader.sandbox.protocol import STOPPED
from nngrader.sandbox.remote import SandboxProcess, WorkerDied

__all__ = ["SandboxedExecute", "cell_kinds", "free_names"]

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
        tests, locked = cell_kinds(info["db_url"], info["notebook"], info["assignment"])
        allow_updates()  # what one notebook allowed does not carry over to the next
        coursedir = CourseDirectory(config=self.config)
        support = support_files(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        with SandboxProcess(self.limits(), support=support) as worker, support_importable(support):
            run = _Run(worker, self.timeout)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                label = f"<cell {grade_id or index}>"
                if grade_id in tests:
                    cell.outputs = run.test_cell(tests[grade_id], label)
                elif grade_id in locked:
                    cell.outputs = run.student_cell(locked[grade_id], label)
                    run.instructor_cell(locked[grade_id], label)
                else:
                    cell.outputs = run.student_cell(cell.source, label)
                cell.execution_count = index + 1
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

    def __init__(self, worker, timeout):
        self.worker, self.timeout = worker, timeout
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.instructor_names = set()
        self.stopped = None

    def _stopped_output(self):
        return [new_output("error", ename=STOPPED, evalue=f"not run: {self.stopped}",
                           traceback=[f"{STOPPED}: not run: {self.stopped}"])]

    def student_cell(self, source, label):
        if self.stopped:
            return self._stopped_output()
        try:
            result = self.worker.run(source, label, timeout=self.timeout)
        except WorkerDied as err:
            self.stopped = str(err)
            return [new_output("error", ename=STOPPED, evalue=self.stopped,
                               traceback=[f"{STOPPED}: {self.stopped}"])]
        outputs = [new_output("stream", name=name, text=result[name])
                   for name in ("stdout", "stderr") if result[name]]
        error = result["error"]
        if error:
            ename = TIMEOUT if error.get("ename") == "CellTimeout" else str(error.get("ename"))
            outputs.append(new_output("error", ename=ename, evalue=str(error.get("evalue", "")),
                                      traceback=[str(line) for line in error.get("traceback", [])]))
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
        self.worker.inputs_changed = False
        outputs, passed = self._run_test(source, label)
        if passed and self.worker.inputs_changed and not self.stopped:
            self.namespace.clear()
            self.namespace.update(before)
            self.worker.protect_inputs = True
            try:
                again, passed = self._run_test(source, label)
            finally:
                self.worker.protect_inputs = False
            if not passed:
                note = ("(run again with the test's inputs protected from changes your function "
                        "made to them) ")
                outputs = [new_output("error", ename=out["ename"], evalue=note + out["evalue"],
                                      traceback=[note + line for line in out["traceback"]])
                           if out.get("output_type") == "error" else out for out in again]
        return outputs

    def _run_test(self, source, label):
        fetched = {}
        stdout, stderr = io.StringIO(), io.StringIO()
        outputs = []
        self.worker.deadline = time.monotonic() + self.timeout
        before = dict(self.namespace)
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
            self.stopped = str(err)
            outputs.append(new_output("error", ename=STOPPED, evalue=self.stopped,
                                      traceback=[f"{STOPPED}: {self.stopped}"]))
        except TimeoutError as err:
            outputs.append(new_output("error", ename=TIMEOUT, evalue=str(err),
                                      traceback=[f"{TIMEOUT}: {err}"]))
        except Exception as err:  # the test failed: its message, never the test's code
            ename = TIMEOUT if type(err).__name__ == "CellTimeout" else type(err).__name__
            outputs.append(new_output("error", ename=ename, evalue=str(err),
                                      traceback=[f"{ename}: {err}"]))
        finally:
            self.worker.deadline = None
            self._note_bound(before)
            for name, value in fetched.items():  # the student's values never stay here
                if self.namespace.get(name) is value:
                    del self.namespace[name]
        streams = [new_output("stream", name=name, text=buffer.getvalue())
                   for name, buffer in (("stdout", stdout), ("stderr", stderr)) if buffer.getvalue()]
        passed = not outputs and not stderr.getvalue()
        return streams + outputs, passed
