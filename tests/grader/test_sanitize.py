"""nngrader.sanitize: student text loses its control characters; student HTML loses its
scripts, event handlers and javascript: links, and keeps its formatting."""

import pytest

from nngrader.sanitize import clean, clean_html, markdown_to_safe_html, quoted


@pytest.mark.parametrize("text", ["\x1b[2J\x1b[H", "a\rb", "\u202eevil", "zero\u200bwidth", "\x9b31m", "\x07"])
def test_control_and_format_characters_are_removed(text):
    cleaned = clean(text)
    assert all(c.isprintable() for c in cleaned), repr(cleaned)


def test_clean_keeps_ordinary_text_and_quotes_names():
    assert clean("softmax: normalised over the wrong axis (±1e4, é)") == \
        "softmax: normalised over the wrong axis (±1e4, é)"
    assert quoted("it's") == "'it\\'s'"
    assert len(clean("x" * 10_000, 100)) == 103


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)></svg>",
    "<iframe src='https://example.org'></iframe>",
    "<style>body{display:none}</style>",
    "<div style='position:fixed' onclick='x()'>hi</div>",
    "<form action=x><input name=a></form>",
])
def test_active_html_is_removed(html):
    out = clean_html(html).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<style", "<form",
                "<input", "style="):
        assert bad not in out, out


def test_markdown_is_rendered_safely_as_one_html_block():
    html = markdown_to_safe_html("**exp** is $e^x$ <script>alert(1)</script>\n\n```\na<b\n\n\nc\n```\n")
    assert "\n" not in html and html.startswith("<div") and html.endswith("</div>")
    assert "<strong>exp</strong>" in html and "$e^x$" in html and "<script" not in html
    assert "a&lt;b" in html
