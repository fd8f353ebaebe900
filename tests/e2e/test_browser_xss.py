"""Stored XSS: a student's written answer holding scripts is graded, then opened in Chromium
as the student sees it (feedback HTML) and as the instructor does (formgrader's grading
page, in the Jupyter origin): no script of the student's runs in either.

Reuses test_browser's Lab server, browser path and options.
"""

import nbformat
import pytest

from nngrader.grade_class import grade_course
from nngrader.sandbox import jail
from nngrader.submissions import reference_submission
from test_browser import ASSIGNMENT, CHROMIUM, CHROMIUM_ARGS, NOTEBOOK, Lab, sync_playwright  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Each payload sets window.__xss (and the title) if it ever runs.
PAYLOAD = ("Because the exponent is **monotonic**.\n\n"
           "<script>window.__xss = 'script'; document.title = 'PWNED'</script>\n"
           "<img src=x onerror=\"window.__xss = 'onerror'\">\n"
           "<svg onload=\"window.__xss = 'svg'\"></svg>\n"
           "<a id=trap href=\"javascript:window.__xss='link'\">click</a>\n"
           "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>\n")
STUDENT = "mallory"


@pytest.fixture(scope="module")
def graded_lab(tmp_path_factory, sync_playwright):
    try:
        jail.check_available()
    except jail.SandboxUnavailable as why:
        pytest.skip(f"no grading sandbox here: {why}")
    server = Lab(tmp_path_factory.mktemp("xss"))
    root = server.root
    source = nbformat.read(root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    student = nbformat.read(root / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    nb = reference_submission(source, student)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "a_why_exp":
            cell.source = PAYLOAD
    folder = root / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    (folder / "timestamp.txt").write_text("2024-01-01 00:00:00.000000 UTC")
    (outcome,) = grade_course(root, jobs=1, progress=False)
    assert outcome.graded, outcome.reasons
    try:
        server.start()
        yield server
    finally:
        server.stop()


# Handlers in the notebook's cells (what students wrote), not in the page's own chrome (formgrader's
# navigation bar has onclick="toggle_name(...)" of its own).
ACTIVE_JS = """() => Array.from(document.querySelectorAll(
    '.cell *, .jp-Cell *, .rendered_html *, .jp-RenderedHTMLCommon *')).flatMap((el) =>
    Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)
        || (a.name === 'srcdoc')).map((a) => el.tagName + ' ' + a.name + '=' + a.value))"""


def _no_script_ran(page, dialogs):
    """After the load event (inline scripts ran, the broken image fired its error): nothing of
    the student's ran, and no element carries a handler or a javascript: link to run later."""
    assert page.evaluate("() => window.__xss === undefined"), page.evaluate("() => window.__xss")
    assert page.title() != "PWNED"
    assert dialogs == []
    assert page.evaluate(ACTIVE_JS) == []


def test_no_student_script_runs_in_feedback_or_formgrader(graded_lab, sync_playwright):
    feedback = graded_lab.root / "feedback" / STUDENT / ASSIGNMENT / f"{NOTEBOOK}.html"
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded_lab.root / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, STUDENT).id
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            # the detector works: the same payload, unsanitised, runs
            page.set_content(PAYLOAD.replace("\n", "<br>"))
            page.wait_for_function("() => window.__xss !== undefined", timeout=10_000)

            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route("http*://**", lambda route: route.abort())  # no network: CDN scripts fail fast
            page.goto(feedback.as_uri(), wait_until="load")
            page.get_by_text("monotonic").first.wait_for(timeout=30_000)  # the answer is shown
            _no_script_ran(page, dialogs)

            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{graded_lab.url}/formgrader/submissions/{submission_id}/?token={graded_lab.token}",
                      wait_until="load", timeout=120_000)
            page.get_by_text("monotonic").first.wait_for(timeout=60_000)
            _no_script_ran(page, dialogs)
        finally:
            browser.close()
