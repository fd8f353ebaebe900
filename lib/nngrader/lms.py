"""The gradebook to and from an LMS: grade CSVs for Canvas and Moodle, a roster into nbgrader.

    nngrader export COURSE [--format canvas|moodle] [--out FILE]
    nngrader roster COURSE ROSTER.csv
    nngrader deadline COURSE ASSIGNMENT "2026-03-01 12:00 UTC"
    nngrader extend COURSE STUDENT ASSIGNMENT [--days D] [--hours H]

``export`` writes one row per student of the gradebook, one column per assignment
(nbgrader's score after the late penalty; 0 for no submission) and the total, in the
layout each LMS imports: Canvas (``Student, ID, SIS User ID, SIS Login ID, Section``,
a ``Points Possible`` row; students matched by SIS Login ID, which is the nbgrader id)
or Moodle (``First name, Last name, Username, Email address``; map from Username).

``roster`` reads a CSV with an ``id`` column (or an LMS export with ``SIS Login ID`` or
``Username``) and optional first name, last name and email columns, and puts every
student into the gradebook with ``nbgrader db student import``.

``deadline`` and ``extend`` set an assignment's due date and a student's extension in
the gradebook; the next ``nngrader grade`` regrades the submissions they affect.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["grade_table", "write_canvas", "write_moodle", "read_roster", "import_roster", "main"]

FORMATS = ("canvas", "moodle")

#: roster column -> the header names it may have (lower case), nbgrader's first
ROSTER_COLUMNS = {
    "id": ("id", "student_id", "sis login id", "login id", "username", "login"),
    "first_name": ("first_name", "first name", "firstname", "given name"),
    "last_name": ("last_name", "last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail"),
}


class RosterError(ValueError):
    """A roster file nbgrader could not take; the message says what to fix."""


def _api(course):
    from nngrader.grade_class import _api as api

    return api(str(Path(course).resolve()))


def grade_table(course):
    """(assignments [(name, max_score)], rows [{id, first_name, last_name, email, scores{}, total}])."""
    from nbgrader.api import MissingEntry

    with _api(course).gradebook as gb:
        assignments = [(a.name, float(a.max_score)) for a in sorted(gb.assignments, key=lambda a: a.name)]
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            scores = {}
            for name, _ in assignments:
                try:
                    sub = gb.find_submission(name, student.id)
                    scores[name] = max(0.0, float(sub.score) - float(sub.late_submission_penalty or 0))
                except MissingEntry:
                    scores[name] = 0.0
            rows.append(dict(id=student.id, first_name=student.first_name or "", last_name=student.last_name or "",
                             email=student.email or "", scores=scores, total=sum(scores.values())))
    return assignments, rows


def _number(x):
    return f"{x:g}"


def write_canvas(course, path):
    """A CSV Canvas's gradebook imports; returns its path."""
    assignments, rows = grade_table(course)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
                        + [name for name, _ in assignments] + ["Total"])
        writer.writerow(["    Points Possible", "", "", "", ""] + [_number(m) for _, m in assignments]
                        + [_number(sum(m for _, m in assignments))])
        for row in rows:
            name = ", ".join(p for p in (row["last_name"], row["first_name"]) if p) or row["id"]
            writer.writerow([name, "", "", row["id"], ""] + [_number(row["scores"][a]) for a, _ in assignments]
                            + [_number(row["total"])])
    return Path(path)


def write_moodle(course, path):
    """A CSV Moodle's grade import takes (map from Username); returns its path."""
    assignments, rows = grade_table(course)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["First name", "Last name", "Username", "Email address"]
                        + [name for name, _ in assignments] + ["Course total"])
        for row in rows:
            writer.writerow([row["first_name"], row["last_name"], row["id"], row["email"]]
                            + [_number(row["scores"][a]) for a, _ in assignments] + [_number(row["total"])])
    return Path(path)


def read_roster(path):
    """[{id, first_name, last_name, email}] from a roster CSV; RosterError says what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"no roster file at {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
            columns = {}
            for column, names in ROSTER_COLUMNS.items():
                found = next((header[n] for n in names if n in header), None)
                if found is not None:
                    columns[column] = found
            if "id" not in columns:
                raise RosterError(f"{path} has no column of student ids: name one 'id' (or 'SIS Login ID' or "
                                  f"'Username'); its columns are {', '.join(reader.fieldnames or []) or 'none'}")
            students, seen = [], set()
            for line, raw in enumerate(reader, start=2):
                if raw.get(columns["id"]) is None or "Points Possible" in (raw.get(columns["id"]) or ""):
                    continue
                student = {c: (raw.get(h) or "").strip() for c, h in columns.items()}
                if not student["id"]:
                    raise RosterError(f"{path}, line {line}: the student id is empty")
                if student["id"] in seen:
                    raise RosterError(f"{path}, line {line}: student id {student['id']!r} appears twice")
                seen.add(student["id"])
                students.append(student)
    except UnicodeDecodeError:
        raise RosterError(f"{path} is not a UTF-8 text CSV file") from None
    except csv.Error as err:
        raise RosterError(f"{path} is not a readable CSV file ({err})") from None
    if not students:
        raise RosterError(f"{path} lists no students")
    return students


def import_roster(course, path):
    """Put the students of the roster at `path` into the gradebook with ``nbgrader db student
    import``; returns how many."""
    from nngrader.course import ensure_tools_on_path

    students = read_roster(path)
    course = Path(course).resolve()
    ensure_tools_on_path()
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "roster.csv"
        with clean.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(ROSTER_COLUMNS))
            writer.writeheader()
            for s in students:
                writer.writerow({c: s.get(c, "") for c in ROSTER_COLUMNS})
        result = subprocess.run([sys.executable, "-m", "nbgrader", "db", "student", "import", str(clean),
                                 f"--CourseDirectory.root={course}"], cwd=course, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise RosterError(f"nbgrader could not import the roster: {last}")
    return len(students)


def _parse_when(text):
    """A due date as nbgrader reads it (nbgrader.utils.parse_utc); no time zone means UTC."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"{text!r} is not a date and time (write e.g. '2026-03-01 12:00 UTC')") from None


def set_deadline(course, assignment, when):
    """`assignment` is due at `when` (an aware datetime, or naive UTC)."""
    from datetime import timezone

    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    with _api(course).gradebook as gb:
        gb.update_or_create_assignment(assignment, duedate=when)


def grant_extension(course, student, assignment, days=0, hours=0):
    from nbgrader.api import MissingEntry

    with _api(course).gradebook as gb:
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:
            raise ValueError(f"the gradebook has no submission of {assignment} by {student}: "
                             "grade it first (nngrader grade), then grant the extension") from None
        gb.grant_extension(assignment, student, days=days, hours=hours)


def main(argv=None, command="export"):
    parser = argparse.ArgumentParser(prog=f"nngrader {command}", description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="the nbgrader course folder")
    if command == "export":
        parser.add_argument("--format", choices=FORMATS, default="canvas")
        parser.add_argument("--out", type=Path, default=None,
                            help="the CSV to write (default: COURSE/grading-report/FORMAT-grades.csv)")
    elif command == "roster":
        parser.add_argument("roster", type=Path, help="CSV with an id column (or an LMS roster export)")
    elif command == "deadline":
        parser.add_argument("assignment")
        parser.add_argument("when", help="e.g. '2026-03-01 12:00 UTC'")
    elif command == "extend":
        parser.add_argument("student")
        parser.add_argument("assignment")
        parser.add_argument("--days", type=float, default=0)
        parser.add_argument("--hours", type=float, default=0)
    args = parser.parse_args(argv)
    if not (args.course / "nbgrader_config.py").is_file():
        parser.error(f"{args.course.resolve()} is not an nbgrader course: no nbgrader_config.py")
    try:
        if command == "export":
            out = args.out or args.course / "grading-report" / f"{args.format}-grades.csv"
            out.parent.mkdir(parents=True, exist_ok=True)
            (write_canvas if args.format == "canvas" else write_moodle)(args.course, out)
            print(f"{args.format} gradebook: {out}")
        elif command == "roster":
            print(f"{import_roster(args.course, args.roster)} students in the gradebook from {args.roster}")
        elif command == "deadline":
            set_deadline(args.course, args.assignment, _parse_when(args.when))
            print(f"{args.assignment} is due {args.when}; `nngrader grade` regrades what this changes")
        elif command == "extend":
            if args.days < 0 or args.hours < 0:
                parser.error("--days and --hours must not be negative")
            grant_extension(args.course, args.student, args.assignment, args.days, args.hours)
            print(f"{args.student} has {args.days:g} d {args.hours:g} h more for {args.assignment}")
    except (RosterError, ValueError) as err:
        parser.error(str(err))
    return 0


def roster_main(argv=None):
    return main(argv, "roster")


def deadline_main(argv=None):
    return main(argv, "deadline")


def extend_main(argv=None):
    return main(argv, "extend")


if __name__ == "__main__":
    sys.exit(main())
