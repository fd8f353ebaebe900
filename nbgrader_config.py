"""nbgrader configuration of the course (read by nbgrader and by nnlib's grading tools)."""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "nn-review"
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
    # student-written markdown and raw cells become sanitised HTML (formgrader, feedback)
    "nngrader.sanitize.SanitizeStudentCells",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A student who deletes a graded cell gets it back (it then scores 0 if it fails),
# instead of the whole notebook silently scoring 0.
c.OverwriteCells.add_missing_cells = True
# A flood of prints is cut instead of filling the gradebook.
c.LimitOutput.max_lines = 200

# Feedback shows scores and outputs, never the hidden tests: neither their source nor the
# lines a failing one's traceback would quote (the error message, with its hint, stays).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nngrader.feedback.ShortTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
