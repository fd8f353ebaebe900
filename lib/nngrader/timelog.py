"""Students' own reports of the time each notebook took, read from their submissions.

Every student notebook ends with an ungraded code cell tagged ``time-spent``
whose source the student edits from ``minutes_spent = None`` to, say,
``minutes_spent = 95``. ``read_minutes`` reads that number from one submitted
notebook, ``summarise`` gathers a class (nbgrader's ``submitted/`` folder) into a
median and quartiles per assignment, and ``nngrader times`` prints them, so the
course map's time per notebook can be measured instead of estimated.

The cell's text is parsed with ``ast`` and never run: only one statement
``minutes_spent = <number>`` is read, anything else is reported as a problem.
"""

import argparse
import ast
import json
import os
import stat
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["TAG", "MAX_BYTES", "MINUTES_RANGE", "TimeSummary", "read_minutes", "summarise", "main"]

#: The tag of the cell that holds the student's report.
TAG = "time-spent"
#: The largest notebook read; a bigger file is refused unread.
MAX_BYTES = 20 * 2**20
#: A report outside these minutes (one minute to a day) is not believed.
MINUTES_RANGE = (1, 1440)
#: The longest cell source parsed: the answer is one short line.
_MAX_SOURCE_CHARS = 10_000
_VARIABLE = "minutes_spent"


def read_minutes(path):
    """The minutes a student reported in the ``time-spent`` cell of the notebook at `path`.

    Parameters
    ----------
    path : str or Path
        A submitted notebook; a symbolic link, anything but a regular file and a
        file over ``MAX_BYTES`` are refused unread.

    Returns
    -------
    minutes : float or None
    problem : str or None
        None when `minutes` was read, else why not, as ``"kind: detail"`` or a
        bare kind: ``refused``, ``not a notebook``, ``no time-spent cell``,
        ``not answered``, ``unreadable`` or ``out of range``.
    """
    text, problem = _read_file(Path(path))
    if problem:
        return None, problem
    source, problem = _time_spent_source(text)
    if problem:
        return None, problem
    return _parse_answer(source)


def _read_file(path):
    """The bytes of the regular file `path` (not following a link), or a problem."""
    try:
        info = os.lstat(path)
    except OSError as err:
        return None, f"refused: cannot be read ({err.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "refused: a link"
    if not stat.S_ISREG(info.st_mode):
        return None, "refused: not a regular file"
    if info.st_size > MAX_BYTES:
        return None, f"refused: larger than {MAX_BYTES // 2**20} MB"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:  # swapped for a link since lstat, or unreadable
        return None, f"refused: cannot be read ({err.strerror})"
    with os.fdopen(fd, "rb") as file:
        opened = os.fstat(file.fileno())
        same = (opened.st_dev, opened.st_ino) == (info.st_dev, info.st_ino)
        if not (stat.S_ISREG(opened.st_mode) and same):
            return None, "refused: changed while being read"
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return None, f"refused: larger than {MAX_BYTES // 2**20} MB"
    return data, None


def _time_spent_source(data):
    """The source of the notebook's one ``time-spent`` cell, or a problem."""
    try:
        nb = json.loads(data)
    except ValueError:  # JSONDecodeError, UnicodeDecodeError
        return None, "not a notebook: invalid JSON"
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply"
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return None, "not a notebook: no list of cells"
    tagged = [cell for cell in cells if isinstance(cell, dict) and _is_tagged(cell)]
    if not tagged:
        return None, "no time-spent cell"
    if len(tagged) > 1:
        return None, f"unreadable: {len(tagged)} time-spent cells"
    source = tagged[0].get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    if not isinstance(source, str):
        return None, "not a notebook: the time-spent cell's source is not text"
    return source, None


def _is_tagged(cell):
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return isinstance(tags, list) and TAG in tags


def _parse_answer(source):
    """(minutes, problem) from the text of a ``time-spent`` cell, parsed and never run."""
    if len(source) > _MAX_SOURCE_CHARS:
        return None, f"unreadable: {len(source)} characters"
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        return None, f"unreadable: a syntax error on line {err.lineno}"
    except ValueError:  # a null byte
        return None, "unreadable: not Python"
    except (RecursionError, MemoryError):
        return None, "unreadable: nested too deeply"
    if not tree.body:
        return None, "not answered: the cell is empty"
    if len(tree.body) > 1:
        return None, f"unreadable: {len(tree.body)} statements"
    statement = tree.body[0]
    if not isinstance(statement, ast.Assign):
        return None, f"unreadable: {_describe(statement)}, not an assignment"
    if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name) \
            or statement.targets[0].id != _VARIABLE:
        return None, f"unreadable: assigns to something other than {_VARIABLE}"
    value = _number(statement.value)
    if value is None:
        if isinstance(statement.value, ast.Constant) and statement.value.value is None:
            return None, "not answered"
        return None, f"unreadable: {_describe(statement.value)}"
    low, high = MINUTES_RANGE
    if not low <= value <= high:  # an int compares exactly, however large
        return None, f"out of range: {_brief(value)} (expected {low} to {high} minutes)"
    return float(value), None


def _number(node):
    """The int or float a literal (or a signed literal) stands for; None for anything else."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None


def _brief(value):
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 20 else text[:8] + "..."


_WORDS = {"Call": "a call", "Name": "a name", "Attribute": "an attribute", "Subscript": "a subscript",
          "List": "a list", "Tuple": "a tuple", "Dict": "a dict", "Set": "a set", "Lambda": "a lambda",
          "JoinedStr": "an f-string", "Expr": "an expression", "Import": "an import",
          "ImportFrom": "an import", "AnnAssign": "an annotated assignment",
          "AugAssign": "an augmented assignment"}


def _describe(node):
    """A few words for what a student wrote where a number belongs."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return f"a bool ({node.value})"
        words = {str: "a string", bytes: "bytes", complex: "a complex number"}
        return words.get(type(node.value), "a constant")
    default = "a statement" if isinstance(node, ast.stmt) else "an expression"
    return _WORDS.get(type(node).__name__, default)


@dataclass
class TimeSummary:
    """The minutes reported for one assignment, and why some reports gave none.

    ``problems`` counts each kind of problem (the text before the first ':' of
    what ``read_minutes`` returned).
    """

    assignment: str
    answers: list = field(default_factory=list)
    problems: dict = field(default_factory=dict)

    @property
    def median(self):
        """The median minutes, or None with no answers."""
        return statistics.median(self.answers) if self.answers else None

    @property
    def quartiles(self):
        """(lower, upper) quartile minutes (``statistics.quantiles``, inclusive: within the answers); the answer
        twice with one answer; None with none."""
        if not self.answers:
            return None
        if len(self.answers) == 1:
            return self.answers[0], self.answers[0]
        lower, _, upper = statistics.quantiles(self.answers, n=4, method="inclusive")
        return lower, upper

    def add(self, minutes, problem):
        """Count one result of ``read_minutes``."""
        if problem is None:
            self.answers.append(minutes)
        else:
            kind = problem.split(":", 1)[0]
            self.problems[kind] = self.problems.get(kind, 0) + 1


def _entries(folder):
    """(name, path, is a folder, is a link) of `folder`'s visible entries, by name; never
    following a link."""
    return [(entry.name, Path(entry.path), entry.is_dir(follow_symlinks=False), entry.is_symlink())
            for entry in sorted(os.scandir(folder), key=lambda e: e.name)
            if not entry.name.startswith(".")]  # .ipynb_checkpoints, .git, editor files


def summarise(course_dir, assignments=None):
    """The reported minutes of every assignment in `course_dir`'s ``submitted/`` folder.

    Reads ``submitted/<student>/<assignment>/*.ipynb`` (hidden folders and files
    skipped). A student or assignment folder that is a symbolic link is not
    followed but counted as ``refused: a link`` (a student folder in every
    assignment the others submitted: it is not known which it holds); an
    assignment folder without a notebook counts as ``no notebook``, and one the
    grader refuses (``nngrader.intake.check``: links, pipes, sizes) as ``refused``.

    Parameters
    ----------
    course_dir : str or Path
        An nbgrader course folder.
    assignments : iterable of str, optional
        Only these assignments (default: all).

    Returns
    -------
    dict of str to TimeSummary
        By assignment, sorted by name.
    """
    submitted = Path(course_dir) / "submitted"
    if not Path(course_dir).is_dir():
        raise ValueError(f"course_dir {course_dir} does not exist or is not a folder")
    if not submitted.is_dir():
        raise ValueError(f"course_dir {course_dir} has no submitted/ folder: collect the "
                         "submissions first (nbgrader collect)")
    wanted = None if assignments is None else set(assignments)
    summaries, unread_students = {}, []  # a problem for each student folder not read

    def summary(name):
        return summaries.setdefault(name, TimeSummary(name))

    for _, student_dir, is_dir, is_link in _entries(submitted):
        if is_link:
            unread_students.append("refused: a link")
        if not is_dir:  # a link is not followed; a file beside the folders is no submission
            continue
        try:
            assignment_dirs = _entries(student_dir)
        except OSError as err:
            unread_students.append(f"refused: cannot be listed ({err.strerror})")
            continue
        for name, assignment_dir, is_dir, is_link in assignment_dirs:
            if wanted is not None and name not in wanted:
                continue
            if is_link:
                summary(name).add(None, "refused: a link")
            elif is_dir:
                _read_assignment(assignment_dir, summary(name))
    for name in summaries:
        for problem in unread_students:
            summaries[name].add(None, problem)
    return dict(sorted(summaries.items()))


def _read_assignment(folder, summary):
    from nngrader import intake

    refused = intake.check(folder)
    if refused:  # what the grader refuses unread is not read here either
        summary.add(None, f"refused: {refused[0]}")
        return
    try:
        notebooks = [path for name, path, is_dir, _ in _entries(folder)
                     if name.endswith(".ipynb") and not is_dir]
    except OSError as err:
        summary.add(None, f"refused: cannot be listed ({err.strerror})")
        return
    if not notebooks:
        summary.add(None, "no notebook")
    for path in notebooks:
        summary.add(*read_minutes(path))


def _minutes(value):
    return "-" if value is None else f"{round(value, 1):g}"


def _table(summaries, clean):
    rows = [("assignment", "answers", "median", "quartiles", "problems")]
    for name, s in summaries.items():
        quartiles = "-" if s.quartiles is None else " to ".join(_minutes(q) for q in s.quartiles)
        problems = ", ".join(f"{n} {kind}" for kind, n in sorted(s.problems.items())) or "none"
        rows.append((clean(name, 60), str(len(s.answers)), _minutes(s.median), quartiles, problems))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d:<{widths[3]}}  {e}"
                     for a, b, c, d, e in rows)


def main(argv=None):
    """``nngrader times COURSE_DIR [--assignment A ...]``: the reported minutes, per assignment."""
    parser = argparse.ArgumentParser(prog="nngrader times", description=__doc__.splitlines()[0])
    parser.add_argument("course_dir", type=Path, help="the nbgrader course folder")
    parser.add_argument("--assignment", action="append", dest="assignments", metavar="A",
                        help="only this assignment (may be given more than once)")
    args = parser.parse_args(argv)
    try:
        summaries = summarise(args.course_dir, args.assignments)
    except ValueError as err:
        print(f"nngrader times: {err}", file=sys.stderr)
        return 2
    from nngrader.sanitize import clean

    missing = [a for a in args.assignments or () if a not in summaries]
    if missing:
        print(f"nngrader times: no submissions of {', '.join(clean(a, 60) for a in missing)} in "
              f"{args.course_dir / 'submitted'}", file=sys.stderr)
        return 2
    if not summaries:
        print(f"no submissions in {args.course_dir / 'submitted'} yet")
        return 0
    print(_table(summaries, clean))
    print(f"Minutes are what students reported in each notebook's {TAG!r} cell, not measured times.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
