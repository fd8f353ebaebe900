"""The main job: grade a sample class of every notebook, as an instructor would a real one.

    python -m nngrader.demo [--out build/demo] [--jobs N]

Builds a scratch course in `--out` (never the committed tree) from solutions/,
submits the sample class of ``nngrader.sample_class`` (full solutions, known
mistakes, blank, late, deleted test cell, endless loop, a crash (os._exit), renamed
notebook, broken file, duplicated cell), grades it with ``nngrader.grade_class`` and
prints the table, then where the grades, report and feedback are. Exits
non-zero only when grading itself breaks.
"""

import argparse
import shutil
import sys
from pathlib import Path

from nngrader.course import REPO_ROOT, Course
from nngrader.grade_class import export, format_table, grade_course
from nngrader.report import write_report
from nngrader.sample_class import build_sample_class

__all__ = ["run", "main"]

MARKER = ".nnlib-demo"
#: The sample class has an endless loop; a short per-cell timeout keeps the demo quick, but long
#: enough for the slowest honest test cell (07's reduce-on-plateau test calls the student's code
#: 60 times through the sandbox: about 5 s on a 2-core machine).
DEMO_TIMEOUT_SECONDS = 20


def _fresh_folder(out):
    """Empty `out` for a new run, refusing to delete a folder the demo did not make."""
    if out.exists():
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and was not made by the demo: choose another --out "
                             "or remove it yourself")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by python -m nngrader.demo; removed and remade on each run\n")


def make_sample_course(root, repo=REPO_ROOT, assignments=None):
    """A scratch course at `root` holding the sample class; returns (course, expected)."""
    course = Course(root, repo=repo, assignments=assignments)
    config = course.root / "nbgrader_config.py"
    # Both traits: autograde's (the sandbox) and nbgrader's own (Validate).
    config.write_text(config.read_text() + f"\n# demo: short cells only\n"
                      f"c.SandboxedExecute.timeout = {DEMO_TIMEOUT_SECONDS}\n"
                      f"c.ExecutePreprocessor.timeout = {DEMO_TIMEOUT_SECONDS}\n")
    return course, build_sample_class(course)


def run(out, repo=REPO_ROOT, jobs=None):
    """Build and grade the sample class; returns (course, outcomes, expected)."""
    _fresh_folder(out)
    course, expected = make_sample_course(out / "course", repo)
    outcomes = grade_course(course.root, jobs=jobs)
    return course, outcomes, expected


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "demo",
                        help="scratch folder for the course (default: build/demo)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    course, outcomes, expected = run(out, jobs=args.jobs)
    report_dir = out / "report"
    grades, reasons = export(course.root, outcomes, report_dir)
    report = write_report(outcomes, report_dir)
    print()
    print(format_table(outcomes))
    surprises = [o for o in outcomes
                 if (o.student, o.assignment) in expected
                 and (o.score != expected[(o.student, o.assignment)].score
                      or expected[(o.student, o.assignment)].reason not in " ".join(o.reasons))]
    print(f"\n{len(outcomes) - len(surprises)} of {len(outcomes)} submissions graded as the sample "
          "class expects" + ("" if not surprises else ": " + ", ".join(
              f"{o.student}/{o.assignment}" for o in surprises) + " differ"))
    print(f"\ngrades (nbgrader CSV): {grades}\nreasons: {reasons}\nclass report: {report}"
          f"\nfeedback: {course.root / 'feedback'}/<student>/<assignment>/")
    return 2 if any(o.internal_error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
