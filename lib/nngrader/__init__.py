"""nngrader: the instructor's side of the course: grading a class, reasons, reports, releases.

Its subpackage ``nngrader.sandbox`` is the trust boundary: student code runs only
in ``nngrader.sandbox.worker``, inside a bubblewrap sandbox, which imports nothing
but the student package ``nnlib`` and ``nngrader.sandbox.protocol``. Keep this file
free of imports: the sandboxed process imports it too.
"""
__version__ = "0.2.0"
