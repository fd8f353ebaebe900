"""Grade a class: every submission autograded in parallel, resumably, each zero explained.

    nngrader grade COURSE [--assignment A ...] [--student S ...] [--force] [--jobs N]
                          [--out DIR] [--no-feedback] [--similarity PERCENT]
    python -m nngrader.grade_class COURSE ...

COURSE is an nbgrader course folder (``nbgrader_config.py``, the source folder,
``submitted/<student>/<assignment>/``). Each student is graded by one worker
process, never two at once; a state file (``.nngrader/state.json``) records
each finished submission with a fingerprint of what its grade depends on: its
files, the assignment's version in the gradebook (what ``generate_assignment``
stored: cells, hidden tests, points), the due date, the student's extension and
the late policy. A re-run grades only what changed or never finished (``--force``:
everything selected), and a run killed midway loses nothing.
It ends with a student x assignment table (written answers: their manual score,
or "manual grading pending"; totals as in grades.csv), the grades CSV (nbgrader's
export), a CSV of reasons, feedback HTML without hidden tests (written again when
a manual grade changed), and a class report with a similarity section.
"""

import argparse
import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import secrets
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from tqdm.std import tqdm

from nngrader.course import autograde_retrying, ensure_tools_on_path, load_config, scores_by_test_cell
from nngrader import intake
from nngrader.reasons import after_autograde, describe_lateness, preflight
from nngrader.sanitize import clean

__all__ = ["Outcome", "fingerprint", "grade_course", "format_table", "export", "main"]

STATE = Path(".nngrader") / "state.json"


@dataclass
class Outcome:
    """The result of one submission (one student, one assignment)."""

    student: str
    assignment: str
    score: float
    max_score: float
    reasons: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # test cell grade_id -> [score, max_score]
    fingerprint: str = ""  # the submission's files and what its grade depends on (see grading_versions)
    graded: bool = True  # False when nbgrader could not run it (reasons say why)
    internal_error: bool = False  # the grader itself broke, not the submission
    # Read from the gradebook on every run (a TA may have graded by hand since):
    written: dict = field(default_factory=dict)  # written answer grade_id -> [manual score or None, max]
    total: float = 0.0  # score with written answers and late penalty, as grades.csv has it
    total_max: float = 0.0

    @property
    def pending(self):
        """Points of written answers nobody has graded yet."""
        return sum(m for s, m in self.written.values() if s is None)


def fingerprint(folder):
    """sha256 over the names and bytes of every file in a submission folder (never following
    a link or opening anything but a regular file: ``nngrader.intake.fingerprint``)."""
    return intake.fingerprint(folder)


def _digest(*parts):
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def grading_versions(root, keys):
    """{(student, assignment): digest of what the grade depends on besides the files}: the
    assignment as the gradebook holds it (every cell's checksum and points, so an edited
    hidden test counts), its due date, the student's extension and the late policy."""
    from nbgrader.api import MissingEntry

    config = _config(root)
    policy = [str(config.AssignLatePenalties.get("plugin_class", "")),
              str(config.LateSubmissionPlugin.get("penalty_method", "none"))]
    api = _api(str(root))
    versions, by_assignment = {}, {}
    with api.gradebook as gb:
        for student, assignment in keys:
            if assignment not in by_assignment:
                a = gb.find_assignment(assignment)
                cells = sorted([nb.name, c.name, c.checksum, c.source] for nb in a.notebooks for c in nb.source_cells)
                points = sorted([nb.name, c.name, c.max_score] for nb in a.notebooks for c in nb.grade_cells)
                by_assignment[assignment] = [cells, points, a.duedate]
            try:
                extension = gb.find_submission(assignment, student).extension
            except MissingEntry:
                extension = None
            versions[(student, assignment)] = _digest(by_assignment[assignment], extension, policy)
    return versions


def _key(folder, version):
    return _digest(fingerprint(folder), version)


# -- the course ---------------------------------------------------------------
def _config(root):
    return load_config(Path(root) / "nbgrader_config.py", root)


def _source_dir(root, config):
    return Path(root) / config.CourseDirectory.get("source_directory", "source")


def _source_notebooks(root, config, assignment):
    folder = _source_dir(root, config) / assignment
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def _max_score(sources):
    return float(sum(
        cell.metadata["nbgrader"].get("points", 0)
        for nb in sources.values() for cell in nb.cells
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    ))


def _register_assignments(root, assignments):
    """Put assignments the gradebook does not know yet into it, as generate_assignment does,
    but into a scratch release folder: the course's own student folder is never touched."""
    from nbgrader.apps import NbGraderAPI

    scratch = ".nngrader/release"
    config = _config(root)
    config.CourseDirectory.release_directory = scratch
    api = NbGraderAPI(config=config)
    with api.gradebook as gb:
        known = {a.name for a in gb.assignments}
    for assignment in assignments:
        if assignment not in known:
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result.get("success"):
                raise RuntimeError(f"could not register {assignment}:\n{result.get('log')}")
    shutil.rmtree(Path(root) / scratch, ignore_errors=True)


# -- one student, in a worker process -----------------------------------------
_APIS = {}


def _quiet_library_warnings():
    """nbgrader's gradebook and nbformat's validator warn about their own internals;
    an instructor can do nothing about them, so the worker does not print them."""
    import warnings

    warnings.filterwarnings("ignore", message="Object of type <Submitted")
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    warnings.filterwarnings("ignore", message="Non-unique cell id")


def _api(root):
    from nbgrader.apps import NbGraderAPI

    if root not in _APIS:
        _quiet_library_warnings()
        ensure_tools_on_path()
        _APIS[root] = NbGraderAPI(config=_config(root))
    return _APIS[root]


def _read_cells(api, assignment, student):
    with api.gradebook as gb:
        submission = gb.find_submission(assignment, student)
        cells = {name: list(scores) for name, scores in scores_by_test_cell(submission).items()}
        return cells, submission.total_seconds_late


def grade_submission(root, student, assignment, feedback=True, version=""):
    """Autograde one submission and explain its score; never raises."""
    root = str(root)
    folder = Path(root) / "submitted" / student / assignment
    outcome = Outcome(student, assignment, 0.0, 0.0)
    try:
        outcome.fingerprint = _key(folder, version)  # never follows a link (nngrader.intake)
        config = _config(root)
        sources = _source_notebooks(root, config, assignment)
        outcome.max_score = _max_score(sources)
        refused = intake.check(folder)  # before anything reads or copies the submission
        if refused:
            outcome.graded = False
            outcome.reasons = ["submission refused: " + "; ".join(refused)]
            return outcome
        api = _api(root)
        problems = preflight(folder, sources)
        if any(p.blocking for p in problems):
            outcome.graded = False
            outcome.reasons = [p.reason for p in problems if p.blocking]
            return outcome
        result = autograde_retrying(api, assignment, student)
        autograded_dir = Path(root) / "autograded" / student / assignment
        autograded = {p.stem: nbformat.read(p, as_version=4) for p in autograded_dir.glob("*.ipynb")} \
            if result.get("success") else {}
        from nngrader.sandbox.execute import SandboxedExecute, observations

        timeout = SandboxedExecute(config=config).timeout  # the trait autograde used, default included

        problems += after_autograde(result, autograded, timeout, observations(assignment, student))
        outcome.reasons = [p.reason for p in problems]
        if not result.get("success"):
            outcome.graded = False
            return outcome
        outcome.cells, late = _read_cells(api, assignment, student)
        outcome.score = sum(s for s, _ in outcome.cells.values())
        lost = sorted(c for c, (s, m) in outcome.cells.items() if s < m)
        if lost and not outcome.reasons:
            outcome.reasons.append(f"lost points in {', '.join(lost)}")
        lateness = describe_lateness(late)
        if lateness:
            outcome.reasons.append(lateness)
        if feedback:
            fb = api.generate_feedback(assignment, student, force=True)
            if not fb.get("success"):
                outcome.reasons.append("feedback could not be generated")
    except Exception as err:  # a broken grader must not stop the other students
        outcome.graded = False
        outcome.internal_error = True
        outcome.reasons.append(f"internal error while grading: {type(err).__name__}: {err}")
    finally:
        outcome.reasons = [clean(reason) for reason in outcome.reasons]
    return outcome


def _grade_student(root, student, assignments, feedback, versions):
    return [grade_submission(root, student, a, feedback, versions[a]) for a in assignments]


# -- the class ----------------------------------------------------------------
def _load_state(root):
    path = Path(root) / STATE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        return {}  # a state file cut mid-write: grade everything again


def _save_state(root, state):
    path = Path(root) / STATE
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    os.replace(tmp, path)  # atomic: a kill leaves the old or the new file, never half of one


def submissions(root, assignments=None):
    """{student: [assignment, ...]} found under ``submitted/``."""
    found = {}
    for folder in sorted((Path(root) / "submitted").glob("*/*")):
        if (folder.is_dir() or folder.is_symlink()) and (assignments is None or folder.name in assignments):
            found.setdefault(folder.parent.name, []).append(folder.name)
    return found


def _ensure_secrets(root, todo_by_student):
    """A submission placed by hand or by ``nbgrader zip_collect`` has no ``submission_secret.txt``
    and maybe no ``timestamp.txt`` (``nbgrader submit`` writes both); ``nbgrader release_feedback``
    needs both for every submission. Adds the missing ones (never replaces one): a new secret,
    and as timestamp the time its newest notebook was written (an LMS download carries no
    submission time: judge lateness in the LMS). Returns how many submissions got one."""
    added = 0
    for student, names in todo_by_student.items():
        for assignment in names:
            folder = Path(root) / "submitted" / student / assignment
            if intake.check(folder):
                continue  # refused unread (a link, a pipe, ...): nothing is written through it
            secret, stamp = folder / "submission_secret.txt", folder / "timestamp.txt"
            if not secret.exists():
                secret.write_text(secrets.token_hex(64))
                added += 1
            if not stamp.exists():
                from datetime import datetime, timezone

                times = [p.stat().st_mtime for p in folder.glob("*.ipynb")] or [folder.stat().st_mtime]
                when = datetime.fromtimestamp(max(times), timezone.utc)
                stamp.write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return added


def _read_gradebook(root, outcomes):
    """Fill each outcome's written answers and totals from the gradebook, as grades.csv has them."""
    from nbgrader.api import MissingEntry

    api = _api(str(root))
    with api.gradebook as gb:
        for o in outcomes:
            o.written, o.total, o.total_max = {}, o.score, o.max_score
            if not o.graded:
                continue
            try:
                submission = gb.find_submission(o.assignment, o.student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.cell.cell_type != "code":
                        manual = grade.manual_score
                        if manual is None and not grade.needs_manual_grade:
                            manual = grade.auto_score  # nbgrader gave an unanswered one its 0
                        o.written[grade.name] = [None if manual is None else float(manual),
                                                 float(grade.max_score)]
            o.total = max(0.0, float(submission.score) - float(submission.late_submission_penalty or 0))
            o.total_max = float(submission.max_score)


def _feedback_key(root, outcome):
    return _digest(outcome.fingerprint, outcome.written, outcome.total, outcome.cells)


def _refresh_feedback(root, outcomes, state, fresh):
    """Feedback written again for submissions whose grades changed (a TA graded a written
    answer) since it was made; `fresh`: keys whose feedback this run has just written."""
    api = _api(str(root))
    redone = []
    for o in outcomes:
        key = f"{o.student}/{o.assignment}"
        if not o.graded or key not in state:
            continue
        want = _feedback_key(root, o)
        if key not in fresh and state[key].get("feedback_key") != want:
            result = api.generate_feedback(o.assignment, o.student, force=True)
            if not result.get("success"):
                continue
            redone.append(key)
        state[key]["feedback_key"] = want
    _save_state(root, state)
    return redone


def give_back(root, paths=("autograded", "feedback", "grading-report", ".nngrader", "gradebook.db",
                           "submitted")):
    """Run as root in a course someone else owns: hand what grading wrote back to the course's
    owner, so ``nbgrader generate_feedback --force`` and the next run work for them."""
    root = Path(root)
    owner = root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    for name in paths:
        top = root / name
        if not os.path.lexists(top):
            continue
        for path in [top, *top.rglob("*")] if top.is_dir() and not top.is_symlink() else [top]:
            try:
                if os.lstat(path).st_uid != owner.st_uid:
                    os.lchown(path, owner.st_uid, owner.st_gid)
            except OSError:
                pass


def grade_course(root, assignments=None, jobs=None, feedback=True, progress=True, students=None, force=False):
    """Grade every changed or ungraded submission; returns every submission's Outcome.

    `students` limits grading (and the outcomes) to these students; `force` grades the
    selected submissions again even if nothing changed."""
    root = Path(root).resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"{root} is not an nbgrader course: no nbgrader_config.py")
    todo_by_student = submissions(root, assignments)
    if students is not None:
        unknown = sorted(set(students) - set(todo_by_student))
        if unknown:
            raise FileNotFoundError(f"no submissions under {root / 'submitted'} for {', '.join(unknown)}")
        todo_by_student = {s: a for s, a in todo_by_student.items() if s in students}
    if not todo_by_student:
        raise FileNotFoundError(f"no submissions under {root / 'submitted'}")
    ensure_tools_on_path()
    # Several kernels run at once: one BLAS thread each instead of all fighting over the cores.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _register_assignments(root, sorted({a for v in todo_by_student.values() for a in v}))
    _ensure_secrets(root, todo_by_student)
    versions = grading_versions(root, [(s, a) for s, names in todo_by_student.items() for a in names])
    state = _load_state(root)
    outcomes, pending = {}, {}
    for student, names in todo_by_student.items():
        for assignment in names:
            key = f"{student}/{assignment}"
            stored = state.get(key)
            want = _key(root / "submitted" / student / assignment, versions[(student, assignment)])
            if stored and not force and stored["fingerprint"] == want:
                outcomes[key] = Outcome(**{k: v for k, v in stored.items() if k in Outcome.__dataclass_fields__})
            else:
                pending.setdefault(student, []).append(assignment)
    total = sum(len(v) for v in pending.values())
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    bar = tqdm(total=total, desc="grading", unit="submission", disable=not progress or not total)
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_grade_student, str(root), s, a, feedback,
                               {name: versions[(s, name)] for name in a}) for s, a in pending.items()]
        for future in cf.as_completed(futures):
            for outcome in future.result():
                key = f"{outcome.student}/{outcome.assignment}"
                outcomes[key] = outcome
                if not outcome.internal_error:
                    state[key] = asdict(outcome)
                    _save_state(root, state)
                bar.update(1)
    bar.close()
    result = [outcomes[k] for k in sorted(outcomes)]
    _read_gradebook(root, result)
    if feedback:
        fresh = {f"{s}/{a}" for s, names in pending.items() for a in names}
        _refresh_feedback(root, result, state, fresh)
    give_back(root)
    return result


# -- output -------------------------------------------------------------------
def _cell_text(o):
    if not o.graded:
        return f"{o.score:g}/{o.max_score:g}"
    total_max = o.total_max or o.max_score
    return f"{o.total:g}/{total_max:g}" + ("+" if o.pending else "")


def format_table(outcomes):
    """Students as rows, assignments as columns (totals as in grades.csv; ``+``: written answers
    wait for manual grading), then the reason for every zero or problem."""
    outcomes = [Outcome(**{**asdict(o), "student": clean(o.student, 100), "assignment": clean(o.assignment, 100),
                           "reasons": [clean(r) for r in o.reasons]}) for o in outcomes]
    students = sorted({o.student for o in outcomes})
    assignments = sorted({o.assignment for o in outcomes})
    by_key = {(o.student, o.assignment): o for o in outcomes}
    width = max(14, *(len(a) for a in assignments))
    name_width = max(8, *(len(s) for s in students))
    lines = [f"{'student':<{name_width}}  " + "  ".join(f"{a:>{width}}" for a in assignments)]
    notes, pending = [], []
    for s in students:
        cells = []
        for a in assignments:
            o = by_key.get((s, a))
            if o is None:
                cells.append(f"{'-':>{width}}")
                continue
            mark = "*" if o.reasons or o.score == 0 else " "
            cells.append(f"{_cell_text(o) + mark:>{width}}")
            if o.reasons or o.score == 0:
                reasons = o.reasons or ["every test failed (see the feedback)"]
                notes.append(f"  {s} / {a}: " + "; ".join(reasons))
            if o.written:
                parts = [f"{cell} " + ("manual grading pending" if score is None else f"{score:g}/{top:g}")
                         for cell, (score, top) in sorted(o.written.items())]
                pending.append(f"  {s} / {a}: " + "; ".join(parts))
        lines.append(f"{s:<{name_width}}  " + "  ".join(cells))
    if notes:
        lines += ["", "* why:"] + notes
    if pending:
        lines += ["", "written answers (graded by hand in formgrader; + = manual grading pending):"] + pending
    return "\n".join(lines)


def export(root, outcomes, out):
    """grades.csv (nbgrader's CSV export) and reasons.csv into `out`; returns their paths."""
    import csv

    from nbgrader.plugins import CsvExportPlugin

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    grades = out / "grades.csv"
    plugin = CsvExportPlugin()
    plugin.to = str(grades)
    api = _api(str(Path(root).resolve()))
    with api.gradebook as gb:
        plugin.export(gb)
    reasons = out / "reasons.csv"
    with reasons.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "assignment", "score", "max_score", "graded", "reasons",
                         "total", "total_max", "manual_pending"])
        for o in outcomes:
            writer.writerow([clean(o.student, 100), clean(o.assignment, 100), o.score, o.max_score, o.graded,
                             "; ".join(clean(r) for r in o.reasons), o.total, o.total_max, o.pending])
    return grades, reasons


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nngrader grade", description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, nargs="?", default=Path("."),
                        help="the nbgrader course folder (default: here)")
    parser.add_argument("--assignment", action="append", dest="assignments",
                        help="grade only this assignment (repeatable)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="worker processes, one student each (default: number of cores)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the CSVs and the class report go (default: COURSE/grading-report)")
    parser.add_argument("--student", action="append", dest="students",
                        help="grade only this student (repeatable)")
    parser.add_argument("--force", action="store_true",
                        help="grade the selected submissions again even if nothing changed")
    parser.add_argument("--no-feedback", action="store_true", help="skip feedback HTML")
    parser.add_argument("--similarity", type=float, default=None, metavar="PERCENT",
                        help="list pairs of submissions whose solution code is at least this similar "
                             "(default: 60; 0 turns the similarity report off)")
    args = parser.parse_args(argv)
    if args.similarity is not None and not 0 <= args.similarity <= 100:
        parser.error("--similarity must be a percentage between 0 and 100")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    from nngrader.report import write_report
    from nngrader.sandbox.jail import SandboxUnavailable, check_available

    try:
        check_available()  # student code never runs outside the sandbox
    except SandboxUnavailable as err:
        parser.error(str(err))
    try:
        outcomes = grade_course(args.course, args.assignments, args.jobs, feedback=not args.no_feedback,
                                students=args.students, force=args.force)
    except FileNotFoundError as err:
        parser.error(str(err))
    out = args.out or args.course / "grading-report"
    grades, reasons = export(args.course, outcomes, out)
    similar = None
    threshold = 60.0 if args.similarity is None else args.similarity
    if threshold > 0:
        from nngrader.similarity import similar_pairs

        similar = similar_pairs(args.course, sorted({o.assignment for o in outcomes}), threshold / 100)
    report = write_report(outcomes, out, similar=similar)
    give_back(args.course)
    print()
    print(format_table(outcomes))
    print(f"\ngrades: {grades}\nreasons: {reasons}\nclass report: {report}")
    if not args.no_feedback:
        print(f"feedback: {args.course.resolve() / 'feedback'}/<student>/<assignment>/")
    broken = [o for o in outcomes if o.internal_error]
    return 2 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
