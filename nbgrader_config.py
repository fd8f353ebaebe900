"""nbgrader configuration of the course (read by nbgrader and by nnlib's grading tools)."""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

# The course's name in the exchange: students fetch and submit under it.
c.CourseDirectory.course_id = "nn-review"
# nbgrader's exchange (release_assignment -> fetch_assignment -> submit -> collect ->
# release_feedback -> fetch_feedback) on one machine or a JupyterHub: a folder every
# instructor and student can reach. Create it once, as root:
#   mkdir -p /srv/nbgrader/exchange && chmod 777 /srv/nbgrader/exchange
# Students' Jupyter reads it from their own config (e.g. /etc/jupyter/nbgrader_config.py).
# Courses whose students submit through Canvas or Moodle use `nbgrader zip_collect` instead
# (see the README, "Running a class"); nngrader's own grading never touches the exchange.
c.Exchange.root = "/srv/nbgrader/exchange"
# zip_collect: Canvas and Moodle name each downloaded file after the student; this reads
# the student's id (a login, as in the roster) and the notebook's name from it.
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.FileNameCollectorPlugin"
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^_/]+)_(?:LATE_)?(?:\d+_)*(?P<file_id>[^/]+\.ipynb)$"
# Instructors keep the nbgrader source in solutions/; students get notebooks/.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# A cell that runs longer than this is stopped and scores 0 ("timeout"): in autograde
# (SandboxedExecute) and in a student's Validate (nbgrader's own Execute).
c.SandboxedExecute.timeout = 60
c.ExecutePreprocessor.timeout = 60

# Autograde runs student code in a sandbox and the tests outside it (nngrader.sandbox.execute):
# nbgrader's own Execute would run both in one process, as the grader's user.
c.Autograde.autograde_preprocessors = [
    "nngrader.sandbox.execute.SandboxedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Before anything is removed, autograde (command line and formgrader's button) checks that the
# sandbox can start, and says in one sentence why not; nothing changes then.
c.Autograde.exporter_class = "nngrader.nbgrader_hooks.SandboxCheckedExporter"
# nbgrader's own sanitizers, with OverwriteCells quiet about untouched cells (nbgrader #1961).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nngrader.nbgrader_hooks.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Late policy. Each assignment's due date is in the gradebook (`nngrader deadline ASSIGNMENT
# "2026-03-01 12:00 UTC"`, or formgrader's "Manage Assignments"), a student's extension too
# (`nngrader extend STUDENT ASSIGNMENT --days 2`). nbgrader's late-submission plugin decides the
# penalty: "none" records how late a submission is (the table and reasons.csv say "late by ...")
# and takes nothing off; "zero" gives a late submission 0. Changing either regrades what it affects.
c.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"
c.LateSubmissionPlugin.penalty_method = "none"
# A student who deletes a graded cell gets it back (it then scores 0 if it fails),
# instead of the whole notebook silently scoring 0.
c.OverwriteCells.add_missing_cells = True
# A flood of prints is cut instead of filling the gradebook.
c.LimitOutput.max_lines = 200

# Feedback shows scores and outputs, never the hidden tests: neither their source nor the
# lines a failing one's traceback would quote (the error message, with its hint, stays).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nngrader.nbgrader_hooks.ClearHiddenTests",  # nbgrader's, without a false config warning
    "nngrader.nbgrader_hooks.ShortTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
