"""One command for the instructor's side: ``nngrader SUBCOMMAND ...``.

    nngrader grade COURSE [...]   grade a class (nngrader.grade_class)
    nngrader demo [...]           the main job: grade the sample class (nngrader.demo)
    nngrader release [...]        regenerate notebooks/, build the student bundles (nngrader.release)
    nngrader bench [...]          notebook timings and grading throughput (nngrader.bench)
    nngrader build [...]          course/ sources -> solutions/ (executed) -> notebooks/ (nngrader.build)
    nngrader edges [...]          do the tests catch mistakes at C = d, N = 1, float32? (nngrader.edges)
    nngrader workload [...]       each notebook's reading, exercises and estimated time (nngrader.workload)
    nngrader times COURSE         the minutes students reported per notebook (nngrader.timelog)
    nngrader export COURSE [...]  Canvas or Moodle gradebook CSV (nngrader.lms)
    nngrader roster COURSE CSV    students from a roster CSV into the gradebook (nngrader.lms)
    nngrader deadline COURSE A W  an assignment's due date (nngrader.lms)
    nngrader extend COURSE S A    a student's extension (nngrader.lms)

``nngrader SUBCOMMAND --help`` lists each one's options.
"""

import importlib
import sys

__all__ = ["SUBCOMMANDS", "main"]

#: subcommand -> module whose ``main(argv)`` runs it (or "module:function")
SUBCOMMANDS = {
    "grade": "nngrader.grade_class",
    "demo": "nngrader.demo",
    "release": "nngrader.release",
    "bench": "nngrader.bench",
    "build": "nngrader.build",
    "edges": "nngrader.edges",
    "workload": "nngrader.workload",
    "times": "nngrader.timelog",
    "export": "nngrader.lms",
    "roster": "nngrader.lms:roster_main",
    "deadline": "nngrader.lms:deadline_main",
    "extend": "nngrader.lms:extend_main",
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(f"nngrader: unknown subcommand {name!r}; choose one of {', '.join(SUBCOMMANDS)}",
              file=sys.stderr)
        return 2
    module_name, _, function = SUBCOMMANDS[name].partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function or "main")(rest) or 0


if __name__ == "__main__":
    sys.exit(main())
