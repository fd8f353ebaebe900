"""What students see in their feedback: a failing test's message, never its hidden code.

nbgrader's ``ClearHiddenTests`` removes hidden tests from the cell's source, but
a failing hidden test's traceback still quotes the lines around the failure.
``ShortTracebacks`` cuts every test cell's traceback down to its last line
(``AssertionError: softmax(Z): normalised over the wrong axis``), which is what
the named hints are written for. It runs in ``GenerateFeedback.preprocessors``
(see ``nbgrader_config.py``); the autograded notebooks keep full tracebacks for
the instructor.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["ShortTracebacks"]


class ShortTracebacks(NbGraderPreprocessor):
    """Replace each test cell's error traceback by its one-line summary."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
