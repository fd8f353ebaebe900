"""Student workload: how long a notebook takes, from what its student version asks.

What is counted, per notebook (``notebooks/`` for what students read and run,
``solutions/`` for what they write):

- ``words``: prose to read (markdown cells, answer cells excluded), formulas included
- ``demos``: demonstration cells, and given code (locked cells whose grade_id starts with
  ``given_``), to run and read; not the setup cell, nor the last cell, tagged ``time-spent``,
  where students report their time (``nngrader times``)
- ``functions``: graded functions, and ``lines``: the code lines of their reference answers
- ``written``: written answers, and ``answer_words``: the words of their model answers

Sections whose heading ends with "(optional)" are counted apart: the core path skips them,
and a graded cell inside one is refused. The minutes come from the counts by a model
whose rates are stated in ``RATES`` and in the course map. They are an estimate built from
measured counts, not a timing of students: ``nngrader times`` reads what a class reports.

    nngrader workload [ASSIGNMENT ...]     the table, core path and with optional parts
"""

import argparse
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

import nbformat

__all__ = ["RATES", "Workload", "sections", "workload", "course_workloads", "format_minutes", "main"]

#: The model's rates. Reading: Brysbaert (2019) measures 238 words a minute for silent reading of
#: non-fiction; study of prose with formulas and code is taken at 150. The others are the authors'.
RATES = {
    "reading_wpm": 150,        # words of prose read per minute
    "demo_minutes": 1.5,       # to run a demonstration cell (or read given code) and read its output
    "function_minutes": 10,    # to understand a graded function's task and pass its tests, plus
    "line_minutes": 1.5,       # per code line of its reference answer (derive, write, debug)
    "answer_minutes": 8,       # to think through a written question, plus
    "writing_wpm": 15,         # words of its model answer composed per minute
}

#: A locked code cell whose grade_id starts so is code handed to students to read and use.
GIVEN_PREFIX = "given_"

_OPTIONAL = re.compile(r"\(optional\)\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


@dataclass
class Workload:
    """The counts of one notebook's core path (or of its optional sections)."""

    words: int = 0
    demos: int = 0
    functions: int = 0
    lines: int = 0
    written: int = 0
    answer_words: int = 0

    @property
    def minutes(self):
        r = RATES
        return (self.words / r["reading_wpm"] + self.demos * r["demo_minutes"]
                + self.functions * r["function_minutes"] + self.lines * r["line_minutes"]
                + self.written * r["answer_minutes"] + self.answer_words / r["writing_wpm"])


def _answer_lines(source):
    """Code lines between the solution markers (blank lines and comments not counted)."""
    inside, count = False, 0
    for line in source.splitlines():
        text = line.strip()
        if text == "### BEGIN SOLUTION":
            inside = True
        elif text == "### END SOLUTION":
            inside = False
        elif inside and text and not text.startswith("#"):
            count += 1
    return count


def _model_answer_words(source):
    """Words of a written answer's model answer: after "**Model answer", before "**Rubric"."""
    if "**Model answer" in source:
        source = source.split("**Model answer", 1)[1].split("**", 1)[-1]  # after the label's "**"
    return len(source.split("**Rubric", 1)[0].split())


def sections(cells):
    """Yield ``(cell, optional)`` for a notebook's cells (nbformat nodes): whether the
    cell lies in a section whose heading, or a heading above it, ends with "(optional)"."""
    levels = []  # (level, optional) of the open headings
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and not meta.get("solution"):
            for line in cell["source"].splitlines():
                match = _HEADING.match(line)
                if match:
                    level = len(match.group(1))
                    levels = [(lv, opt) for lv, opt in levels if lv < level]
                    inherited = any(opt for _, opt in levels)
                    levels.append((level, inherited or bool(_OPTIONAL.search(match.group(2)))))
        yield cell, any(opt for _, opt in levels)


def workload(solution_path, student_path):
    """``(core, optional)`` Workloads of one notebook, from its solution and student versions."""
    solution = nbformat.read(solution_path, as_version=4)   # every cell's source one string
    student = nbformat.read(student_path, as_version=4)
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in solution["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    core, optional = Workload(), Workload()
    for cell, in_optional in sections(student["cells"]):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell["source"]
        into = optional if in_optional else core
        if into is optional and (meta.get("grade") or meta.get("solution")):
            raise ValueError(f"{Path(student_path).name}: graded cell {meta.get('grade_id')!r} is in an "
                             "optional section: graded work is core")
        if cell["cell_type"] == "markdown":
            if meta.get("solution"):
                into.written += 1
                into.answer_words += _model_answer_words(answers[meta["grade_id"]])
            else:
                into.words += len(source.split())
        elif meta.get("solution"):
            into.functions += 1
            into.lines += _answer_lines(answers[meta["grade_id"]])
        elif (not meta and "time-spent" not in cell.get("metadata", {}).get("tags", [])) \
                or meta.get("grade_id", "").startswith(GIVEN_PREFIX):
            into.demos += 1
    return core, optional


def course_workloads(repo=None):
    """{assignment: (core, optional)} for every assignment in ``solutions/``."""
    from nngrader.course import REPO_ROOT

    repo = Path(repo or REPO_ROOT)
    result = {}
    for folder in sorted(p for p in (repo / "solutions").iterdir() if p.is_dir()):
        (solution,) = folder.glob("*.ipynb")
        result[folder.name] = workload(solution, repo / "notebooks" / folder.name / solution.name)
    return result


def format_minutes(minutes):
    """Minutes rounded to 5, as the course map writes them: "55 min", "2 h", "2 h 05"."""
    total = int(5 * round(minutes / 5))
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader workload", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="e.g. 02_cross_entropy (default: all)")
    args = parser.parse_args(argv)
    loads = course_workloads()
    unknown = sorted(set(args.assignments) - set(loads))
    if unknown:
        print(f"nngrader workload: no assignment {', '.join(unknown)} in solutions/", file=sys.stderr)
        return 2
    names = [f.name for f in fields(Workload)]
    print(f"{'assignment':18} " + " ".join(f"{n:>12}" for n in names) + f" {'core':>8} {'+optional':>10}")
    for assignment in args.assignments or loads:
        core, optional = loads[assignment]
        counts = " ".join(f"{getattr(core, n):>12}" for n in names)
        print(f"{assignment:18} {counts} {format_minutes(core.minutes):>8} "
              f"{format_minutes(core.minutes + optional.minutes):>10}")
    print("rates: " + ", ".join(f"{k} {v}" for k, v in RATES.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
