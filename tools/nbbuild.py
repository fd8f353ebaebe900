"""Write an nbgrader source notebook from Python, then execute it to keep its outputs.

Each ``tools/notebooks/NN_topic.py`` builds ``solutions/NN_topic/topic.ipynb``
with this module; edit the script, not the notebook's JSON, then run

    .venv/bin/python tools/notebooks/NN_topic.py        # write and execute the source
    .venv/bin/python -m nngrader.release NN_topic           # regenerate the student version

``tests/test_notebook_sources.py`` fails when a solution notebook's cells differ
from what its script writes. A script run with ``--no-exec`` skips execution;
``--out PATH`` writes elsewhere.

    from nbbuild import NotebookBuilder
    nb = NotebookBuilder()
    nb.md("# Title")
    nb.setup("import numpy as np\\nrng = np.random.default_rng(472)")
    nb.solution("relu", 'def relu(x):\\n    ### BEGIN SOLUTION\\n    ...\\n    ### END SOLUTION')
    nb.tests("test_relu", 2, '\"\"\"relu: values\"\"\"\\n...')
    nb.question("why_relu", "Why ...?")
    nb.answer("why_relu_answer", 2, "Because ...")
    nb.write("solutions/04_activations/activations.ipynb")   # executes it too
"""

from pathlib import Path

import argparse

import nbformat
from nbclient import NotebookClient

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


class NotebookBuilder:
    """Collects cells in order; ``write`` saves (and executes) the notebook."""

    def __init__(self):
        self.nb = nbformat.v4.new_notebook()
        self.nb.metadata["kernelspec"] = KERNELSPEC
        self.nb.metadata["language_info"] = {"name": "python"}
        self._ids = set()

    def _add(self, cell, grade_id=None):
        if grade_id is not None:
            if grade_id in self._ids:
                raise ValueError(f"grade_id {grade_id!r} used twice")
            self._ids.add(grade_id)
        cell.id = grade_id or f"cell-{len(self.nb.cells):03d}"
        self.nb.cells.append(cell)
        return cell

    def md(self, text):
        """An explanation cell (free to edit)."""
        return self._add(nbformat.v4.new_markdown_cell(text.strip()))

    def code(self, source):
        """A demonstration cell (free to edit, not graded)."""
        return self._add(nbformat.v4.new_code_cell(source.strip()))

    def setup(self, source, grade_id="setup"):
        """The locked setup cell: imports and the notebook's one generator."""
        cell = nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, locked=True))
        return self._add(cell, grade_id)

    def solution(self, grade_id, source):
        """A cell the student completes; BEGIN/END SOLUTION markers inside."""
        cell = nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, solution=True))
        return self._add(cell, grade_id)

    def tests(self, grade_id, points, source):
        """A locked, autograded test cell; hidden tests between their markers."""
        meta = _meta(grade_id, grade=True, locked=True, points=points)
        return self._add(nbformat.v4.new_code_cell(source.strip(), metadata=meta), grade_id)

    def question(self, grade_id, text):
        """A locked markdown cell with a written question."""
        meta = _meta(grade_id, locked=True)
        return self._add(nbformat.v4.new_markdown_cell(text.strip(), metadata=meta), grade_id)

    def answer(self, grade_id, points, model_answer):
        """A manually graded markdown answer cell; the model answer is the solution."""
        meta = _meta(grade_id, grade=True, solution=True, points=points)
        return self._add(nbformat.v4.new_markdown_cell(model_answer.strip(), metadata=meta), grade_id)

    def write(self, path, execute=True, timeout=120):
        """Save to `path`; with `execute`, run it top to bottom first (outputs kept)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if execute:
            execute_in_place(self.nb, path.parent, timeout=timeout)
        nbformat.validate(self.nb)
        nbformat.write(self.nb, path)
        return path


    def build(self, relative, argv=None):
        """Command-line entry of a build script: write solutions/`relative` (or --out)."""
        parser = argparse.ArgumentParser(description=f"Build solutions/{relative}.")
        parser.add_argument("--no-exec", action="store_true", help="do not execute (no outputs)")
        parser.add_argument("--out", type=Path, default=SOLUTIONS / relative, help="where to write")
        args = parser.parse_args(argv)
        return self.write(args.out, execute=not args.no_exec)


def execute_in_place(nb, cwd, timeout=120):
    """Run `nb` in a fresh kernel in folder `cwd`; any error stops with the cell's traceback."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}, record_timing=False)
    client.execute()
    return nb
