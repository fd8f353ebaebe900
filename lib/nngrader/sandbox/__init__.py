"""The grading sandbox: the trust boundary between a student's code and the grader.

Grader side (runs as the instructor, never runs student code):
  ``execute``   nbgrader's autograde step: student cells in the sandbox, test cells here
  ``remote``    start the sandboxed process, proxies for the student's functions
  ``jail``      the bubblewrap command line: user, namespaces, file system, limits
Both sides:
  ``protocol``  the plain data and messages that cross
Inside the sandbox:
  ``worker``    runs the student's cells and calls; imports only ``nnlib`` and ``protocol``

Keep this file free of imports: the sandboxed process imports it too.
"""
