"""Student-derived text and HTML made safe to show.

- ``clean`` strips control characters (escape codes that clear a terminal or draw a
  fake table, carriage returns, bidirectional overrides, zero-width characters)
  from any text a student controls before it reaches the terminal table, a CSV or
  the class report; ``quoted`` also quotes it, so a reader sees where it starts
  and ends.
- ``clean_html`` sanitises HTML with nh3 (the Rust ``ammonia`` sanitiser): no
  scripts, no event-handler attributes, no ``javascript:`` links.
- ``SanitizeStudentCells`` (an autograde preprocessor, ``nbgrader_config.py``)
  rewrites every markdown and raw cell the instructor did not write as
  sanitised HTML, so the autograded notebook that formgrader shows (written
  answers) and the feedback made from it hold no active content.
"""

import re
import unicodedata

import nh3
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["clean", "quoted", "clean_html", "markdown_to_safe_html", "SanitizeStudentCells"]

#: Tags a written answer may use: text formatting, lists, tables, code, images, math as text.
TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "*": {"class"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "attachment"}


def clean(text, limit=2000):
    """`text` without control or format characters (newlines and tabs become spaces), cut to `limit`."""
    text = str(text)
    out = []
    for char in text[: limit * 2]:
        category = unicodedata.category(char)
        if char in "\n\t":
            out.append(" ")
        elif category[0] == "C":  # Cc control, Cf format (bidi, zero-width), Cs, Co, Cn
            out.append("?")
        else:
            out.append(char)
    text = "".join(out)
    return text if len(text) <= limit else text[:limit] + "..."


def quoted(text, limit=200):
    """`text` cleaned and in quotes: how a student-chosen name appears in a reason."""
    return "'" + clean(text, limit).replace("'", "\\'") + "'"


def clean_html(html):
    """`html` with only harmless tags and attributes left (nh3)."""
    return nh3.clean(str(html), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow")


def markdown_to_safe_html(source):
    """A markdown cell's source rendered to HTML and sanitised, as one line of markdown
    (an HTML block every markdown renderer passes through unchanged)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    html = clean_html(markdown2html_mistune(source))
    html = html.replace("\r", "").replace("\n", "&#10;")
    return f'<div class="nngrader-student-text">{html}</div>'


class SanitizeStudentCells(NbGraderPreprocessor):
    """Rewrite the markdown and raw cells the instructor did not write as sanitised HTML."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        instructors = {}
        try:
            with Gradebook(info["db_url"]) as gb:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
                instructors = {c.name: c.source for c in notebook.source_cells if c.locked}
        except Exception:  # no gradebook entry: every cell is treated as the student's
            instructors = {}
        for cell in nb.cells:
            if cell.cell_type not in ("markdown", "raw"):
                continue
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in instructors and cell.source == instructors[grade_id]:
                continue  # the instructor's own text, restored by nbgrader
            if cell.cell_type == "markdown":
                cell.source = markdown_to_safe_html(cell.source)
                cell.pop("attachments", None)
            else:
                cell.source = clean_html(cell.source)
        return nb, resources
