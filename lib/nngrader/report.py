"""The class report: where the class stands and which concepts it has not understood.

``write_report(outcomes, out)`` writes into `out`:

- ``scores.png``: the distribution of scores (as % of the maximum) per assignment;
- ``failure_rates.png``: for every test cell, the share of graded students who lost
  its points, so the hardest concepts stand out;
- ``summary.md``: the same numbers as tables, and the submissions that could not
  be graded with their reasons;
- ``index.html``: the two plots and the summary on one page, and, when the grader
  looked for them (``nngrader.similarity``), pairs of submissions whose solution code
  is suspiciously alike, side by side with the shared code marked.
"""

import html
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["failure_rates", "write_report"]


def failure_rates(outcomes):
    """{assignment: {test cell: share of graded submissions that lost points there}}."""
    lost, seen = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    for o in outcomes:
        if not o.graded:
            continue
        for cell, (score, max_score) in o.cells.items():
            seen[o.assignment][cell] += 1
            lost[o.assignment][cell] += score < max_score
    return {a: {c: lost[a][c] / n for c, n in sorted(cells.items())} for a, cells in sorted(seen.items())}


def _plot_scores(outcomes, path):
    assignments = sorted({o.assignment for o in outcomes})
    data = [[100 * o.score / o.max_score for o in outcomes if o.assignment == a and o.max_score]
            for a in assignments]
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(assignments)), 3.5))
    ax.boxplot(data, showmeans=True)
    for i, values in enumerate(data, start=1):
        ax.scatter([i] * len(values), values, s=12, alpha=0.6, color="tab:blue", zorder=3)
    ax.set_xticks(range(1, len(assignments) + 1), assignments, rotation=30, ha="right")
    ax.set_ylabel("score (% of maximum)")
    ax.set_ylim(-5, 105)
    ax.set_title("Score distribution per assignment")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_failures(rates, path):
    labels = [f"{a}: {c}" for a, cells in rates.items() for c in cells]
    values = [100 * r for cells in rates.values() for r in cells.values()]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.28 * len(labels) + 1)))
    ax.barh(range(len(labels)), values, color=["tab:red" if v >= 50 else "tab:orange" if v >= 25
                                                else "tab:green" for v in values])
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("students who lost these points (%)")
    ax.set_title("Failure rate of every test")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _summary(outcomes, rates):
    lines = ["# Class report", "", "## Scores", "",
             "| assignment | graded | mean | median | full marks | zero |", "|---|---|---|---|---|---|"]
    for a in sorted({o.assignment for o in outcomes}):
        group = [o for o in outcomes if o.assignment == a]
        pct = sorted(100 * o.score / o.max_score for o in group if o.max_score)
        mean = sum(pct) / len(pct) if pct else 0.0
        median = pct[len(pct) // 2] if pct else 0.0
        full = sum(o.score == o.max_score for o in group)
        zero = sum(o.score == 0 for o in group)
        lines.append(f"| {a} | {sum(o.graded for o in group)}/{len(group)} | {mean:.0f}% | "
                     f"{median:.0f}% | {full} | {zero} |")
    lines += ["", "## Tests the class failed most", "", "| assignment | test | failed by |", "|---|---|---|"]
    ranked = sorted(((r, a, c) for a, cells in rates.items() for c, r in cells.items()), reverse=True)
    lines += [f"| {a} | {c} | {100 * r:.0f}% |" for r, a, c in ranked if r > 0] or ["| - | none | - |"]
    problems = [o for o in outcomes if o.reasons]
    lines += ["", "## Submissions with problems", ""]
    lines += [f"- **{o.student} / {o.assignment}** ({o.score:g}/{o.max_score:g}): {'; '.join(o.reasons)}"
              for o in problems] or ["None."]
    return "\n".join(lines) + "\n"


def _similarity_summary(similar):
    lines = ["", "## Similar solutions", "",
             "Pairs whose solution code is suspiciously alike (the code students were given left out); "
             "a lead for you to judge, never a verdict. Side by side in index.html.", ""]
    lines += [f"- **{p.assignment}**: {p.first} and {p.second}, {100 * p.similarity:.0f}% alike"
              for p in similar] or ["None above the threshold."]
    return "\n".join(lines) + "\n"


def write_report(outcomes, out, similar=None):
    """Write the report files into `out`; returns the path of index.html.

    `similar`: ``nngrader.similarity.Pair`` list, or None when similarity was not looked for."""
    from nngrader.similarity import side_by_side_html

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rates = failure_rates(outcomes)
    _plot_scores(outcomes, out / "scores.png")
    _plot_failures(rates, out / "failure_rates.png")
    summary = _summary(outcomes, rates)
    if similar is not None:
        summary += _similarity_summary(similar)
    (out / "summary.md").write_text(summary)
    pairs = "".join(side_by_side_html(p) for p in similar or [])
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Class report</title>\n"
        "<style>mark{background:#ffd54f} table.pair td{vertical-align:top;width:50%}</style>\n"
        "<h1>Class report</h1><img src='scores.png' alt='score distribution per assignment'>\n"
        "<img src='failure_rates.png' alt='failure rate of every test'>\n"
        f"<pre>{html.escape(summary)}</pre>\n"
        + (f"<h2>Similar solutions, side by side</h2>\n{pairs}" if pairs else ""))
    return out / "index.html"
