"""Pairs of submissions whose solution code is suspiciously alike, for an instructor to judge.

Only the code students wrote is compared: the solution cells of each submitted notebook
(``nbgrader.solution`` in their metadata), with the code they were given (the release's
stubs: signatures, docstrings, ``raise NotImplementedError()``) left out as boilerplate.
The comparison is copydetect's (winnowed fingerprints of the token stream, with names
normalised, so renamed variables and changed comments do not hide a copy). A pair is
listed when either submission shares at least `threshold` of its fingerprints with the
other; short solutions that every correct student writes alike are what the threshold
and copydetect's noise length are for. A listed pair is a lead, never a verdict.
"""

import html
import io
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

__all__ = ["Pair", "solution_code", "similar_pairs", "side_by_side_html"]

#: copydetect's k-gram length (noise threshold) and winnowing window, in tokens.
NOISE_TOKENS = 20
WINDOW = 4


@dataclass
class Pair:
    """Two submissions of one assignment and how much of each the other contains."""

    assignment: str
    first: str
    second: str
    similarity: float  # the larger of the two shares, 0..1
    first_code: str
    second_code: str
    first_slices: list  # [(start, end)] of the shared regions in first_code
    second_slices: list


def _solution_cells(nb):
    return [cell.source for cell in nb.cells
            if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution")]


def solution_code(folder):
    """The code of every solution cell of the notebooks in `folder`, one notebook after another."""
    parts = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # a broken file is reported by the grader, not here
            continue
        parts += [f"# {path.stem}\n"] + [source.rstrip() + "\n" for source in _solution_cells(nb)]
    return "\n".join(parts)


def _given_code(course, assignment):
    """What students were given in the solution cells: the source with solutions cleared."""
    from nbgrader.preprocessors import ClearSolutions

    from nngrader.course import load_config

    config = load_config(Path(course) / "nbgrader_config.py", course)
    source = Path(course) / config.CourseDirectory.get("source_directory", "source") / assignment
    clear = ClearSolutions()
    parts = []
    for path in sorted(source.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                clear._replace_solution_region(cell, "python")
                parts.append(cell.source)
    return "\n".join(parts)


def _fingerprint(code, boilerplate):
    from copydetect import CodeFingerprint

    return CodeFingerprint("solution.py", NOISE_TOKENS, WINDOW, boilerplate=boilerplate,
                           fp=io.StringIO(code))


def similar_pairs(course, assignments, threshold=0.6):
    """Pairs of ``submitted/`` solutions, per assignment, at least `threshold` (0..1) alike,
    most alike first."""
    from copydetect import CodeFingerprint, compare_files

    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    course = Path(course)
    pairs = []
    for assignment in assignments:
        given = _given_code(course, assignment)
        boilerplate = np.array(sorted(CodeFingerprint("given.py", NOISE_TOKENS, WINDOW,
                                                      fp=io.StringIO(given)).hashes), dtype=np.int64) \
            if given.strip() else np.array([], dtype=np.int64)
        prints = {}
        for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
            code = solution_code(folder)
            if code.strip():
                fingerprint = _fingerprint(code, boilerplate)
                if len(fingerprint.hashes):
                    prints[folder.parent.name] = (code, fingerprint)
        names = sorted(prints)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                _, (share_a, share_b), (slices_a, slices_b) = compare_files(prints[a][1], prints[b][1])
                share = max(share_a, share_b)
                if share >= threshold:
                    pairs.append(Pair(assignment, a, b, float(share), prints[a][0], prints[b][0],
                                      [tuple(map(int, s)) for s in zip(*slices_a)],
                                      [tuple(map(int, s)) for s in zip(*slices_b)]))
    return sorted(pairs, key=lambda p: (-p.similarity, p.assignment, p.first, p.second))


def _marked(code, slices):
    out, at = [], 0
    for start, end in sorted(slices):
        start = max(start, at)
        if end <= start:
            continue
        out += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


def side_by_side_html(pair):
    """The two solutions next to each other, shared regions marked (student code escaped)."""
    return (f"<h3>{html.escape(pair.assignment)}: {html.escape(pair.first)} and "
            f"{html.escape(pair.second)} ({100 * pair.similarity:.0f}% alike)</h3>\n"
            "<table class='pair'><tr>"
            f"<th>{html.escape(pair.first)}</th><th>{html.escape(pair.second)}</th></tr><tr>"
            f"<td><pre>{_marked(pair.first_code, pair.first_slices)}</pre></td>"
            f"<td><pre>{_marked(pair.second_code, pair.second_slices)}</pre></td></tr></table>\n")
