"""The main job, for now: grade the reference and the blank student version of every
notebook through nbgrader in a scratch course, and print a score table.

    python -m nnlib.demo [--out build/demo]

The scratch course (gradebook, autograded notebooks, feedback) is left in
`--out` to look at; it is made anew on each run and never in the committed tree.
"""

import argparse
import shutil
import sys
from pathlib import Path

from nnlib.course import REPO_ROOT, Course
from nnlib.submissions import reference_submission

__all__ = ["run", "main"]

MARKER = ".nnlib-demo"


def _fresh_folder(out):
    """Empty `out` for a new run, refusing to delete a folder the demo did not make."""
    if out.exists():
        if not (out / MARKER).exists():
            raise SystemExit(f"{out} exists and was not made by the demo: choose another --out "
                             "or remove it yourself")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by python -m nnlib.demo; removed and remade on each run\n")


def run(out, repo=REPO_ROOT):
    """Grade reference and blank for each assignment; returns rows
    (assignment, student, score, max_score, note)."""
    _fresh_folder(out)
    course = Course(out / "course", repo=repo)
    rows = []
    for assignment in course.assignments:
        students = course.generate(assignment)
        sources = course.source_notebooks(assignment)
        submissions = {
            "reference": {n: reference_submission(sources[n], nb) for n, nb in students.items()},
            "blank": students,
        }
        for student, notebooks in submissions.items():
            course.submit(student, assignment, notebooks)
            result = course.autograde(assignment, student)
            if not result.get("success"):
                rows.append((assignment, student, 0.0, 0.0, "autograde failed: see the log"))
                print(result.get("log", ""), file=sys.stderr)
                continue
            course.feedback(assignment, student)
            score, max_score = course.score(assignment, student)
            rows.append((assignment, student, score, max_score, ""))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "demo",
                        help="scratch folder for the course (default: build/demo)")
    args = parser.parse_args(argv)
    rows = run(args.out.resolve())
    print(f"\n{'assignment':<22} {'student':<12} {'score':>12}  note")
    for assignment, student, score, max_score, note in rows:
        print(f"{assignment:<22} {student:<12} {score:>5g} / {max_score:<5g} {note}")
    print(f"\ngradebook, autograded notebooks and feedback: {args.out / 'course'}")
    return 1 if any(note.startswith("autograde failed") for *_, note in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
