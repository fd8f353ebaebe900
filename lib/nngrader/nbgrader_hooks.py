"""What the course's ``nbgrader_config.py`` plugs into nbgrader, beside the sandbox.

- ``SandboxCheckedExporter`` (``c.Autograde.exporter_class``): autograde checks that the
  grading sandbox can start *before* nbgrader removes anything. Without it, nbgrader
  first deletes the student's earlier autograded copy (formgrader's Autograde button
  then loses the student from manual grading) and prints a traceback per student;
  with it, ``nbgrader autograde`` and formgrader say in one sentence why nothing was
  graded, and nothing changes.
- ``OverwriteCells`` (in ``c.Autograde.sanitize_preprocessors``): nbgrader's, without
  the false ``Attribute 'checksum' for cell … has changed!`` warning of nbgrader issue
  #1961 (the gradebook's checksum is taken before hidden tests are cleared, so every
  untouched test cell with hidden tests "changed"). A cell whose source is exactly the
  released one is restored silently; a cell the student edited is still reported.
- ``ClearHiddenTests`` and ``ShortTracebacks`` (feedback): the same preprocessors with
  ``display_data_priority`` declared configurable, so nbconvert's setting of it no longer
  prints ``Config option display_data_priority not recognized`` on every feedback run.
"""

from nbconvert.exporters import NotebookExporter
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.converters.base import NbGraderException
from nbgrader.preprocessors import ClearHiddenTests as _ClearHiddenTests
from nbgrader.preprocessors import OverwriteCells as _OverwriteCells
from traitlets import List

from nngrader.feedback import ShortTracebacks as _ShortTracebacks

__all__ = ["SandboxCheckedExporter", "OverwriteCells", "ClearHiddenTests", "ShortTracebacks"]

_PRIORITY = ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "image/jpeg",
             "text/plain"]


class SandboxCheckedExporter(NotebookExporter):
    """nbgrader's notebook exporter, made only when the grading sandbox can start here."""

    def __init__(self, *args, **kwargs):
        from nngrader.sandbox.jail import SandboxUnavailable, check_available

        try:
            check_available()
        except SandboxUnavailable as err:
            parent = kwargs.get("parent")
            message = f"Nothing was autograded: {err}."
            if parent is not None:
                parent.log.error(message)
            raise NbGraderException(message) from None
        super().__init__(*args, **kwargs)


def _released(source):
    """The source a student received for an instructor cell: hidden tests cleared (by nbgrader)."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(source)
    _ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


class OverwriteCells(_OverwriteCells):
    """nbgrader's OverwriteCells; an untouched released cell is restored without a warning."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is not None and utils.is_locked(cell):
            try:
                source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source = None
            if (source is not None and source.locked and cell.cell_type == source.cell_type
                    and source.source != cell.source
                    and _released(source.source).strip() == cell.source.strip()):
                cell.source = source.source  # what nbgrader restores anyway, minus the false alarm
        return super().preprocess_cell(cell, resources, cell_index)


class ClearHiddenTests(_ClearHiddenTests):
    """nbgrader's ClearHiddenTests, accepting nbconvert's display_data_priority setting."""

    display_data_priority = List(_PRIORITY).tag(config=True)


class ShortTracebacks(_ShortTracebacks):
    """nngrader.feedback.ShortTracebacks, accepting nbconvert's display_data_priority setting."""

    display_data_priority = List(_PRIORITY).tag(config=True)
