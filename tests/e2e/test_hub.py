"""The course on a real JupyterHub (deploy/hub/), end to end, in headless Chromium.

One hub for the module (tests/hubtools.py): the deployment's own jupyterhub_config.py with
system users made by its own scripts. A person's steps are clicks in the browser (log in,
formgrader's buttons, the Assignments tab, the notebook, Validate); a script's steps use the
hub's REST API. Screenshots and the hub's log land in build/test-artifacts/hub/ on failure.

    instructor: log in -> formgrader (a hub service run by the grader account) -> generate,
                release 01_softmax
    2 students: log in -> Assignments tab -> fetch -> write softmax (one right, one wrong)
                -> run the tests -> Validate -> submit
    instructor: collect -> autograde each submission (as the grader account, sandboxed)
                -> generate and release feedback
    2 students: fetch feedback -> open it: their score; the wrong one sees the hint and no
                hidden test

The load test (30 students at once through the same hub) follows the end-to-end test.
"""

import os
import pwd
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest

import hubtools as ht
from nngrader.submissions import reference_answer, solution_cells
from test_browser import (CELLS, CHROMIUM, CHROMIUM_ARGS, UI_S, VALIDATE_S, WRONG_SOFTMAX, _cell_index,
                          _errors, _outputs, _run_all, _set_cell_text)

pytestmark = [pytest.mark.slow, pytest.mark.hub]

ASSIGNMENT, NOTEBOOK = "01_softmax", "softmax"
SPAWN_UI_S = 300          # a student's JupyterLab, from the login to the page
GRADE_S = 600             # one autograde from formgrader, sandboxed
HINT = "do not sum to 1"
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "default_rng(90210)", "default_rng(31337)")   # hidden tests only


def _need(why):
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def hub():
    why = ht.missing()
    if why:
        _need(why)
    shutil.rmtree(ht.ARTIFACTS, ignore_errors=True)
    server = ht.Hub()
    try:
        server.create_accounts()
        server.start()
        yield server
    finally:
        server.stop()
        server.keep_log()
        server.clean()
    assert not server.left_running, f"still running after the hub stopped: {server.left_running}"


@pytest.fixture(scope="module")
def browser(hub):
    if not CHROMIUM.exists():
        _need("chromium is missing: `make browser` installs Debian's chromium (as root)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=UI_S * 1000)        # a busy machine: every DOM state may take a while
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                                      timeout=UI_S * 1000)
        try:
            yield chromium
        finally:
            chromium.close()


class Step:
    """A named step: on failure, a screenshot and the hub's log into build/test-artifacts/hub/."""

    def __init__(self, page, hub, name):
        self.page, self.hub, self.name = page, hub, name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is None or not isinstance(error, Exception):
            return False
        ht.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ht.ARTIFACTS / f"{self.name}.png"
        try:
            self.page.screenshot(path=str(shot), full_page=True, timeout=15_000)
        except Exception as e:  # noqa: BLE001 - the page may be gone; keep the first error
            shot = f"(no screenshot: {e})"
        self.hub.keep_log()
        raise AssertionError(f"{self.name}: {error}\nscreenshot: {shot}\nhub log: {ht.ARTIFACTS / 'jupyterhub.log'}"
                             ) from error


def _page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_S * 1000)
    return page


def _log_in(page, hub, user, next_url=None):
    page.goto(f"{hub.url}/hub/login" + (f"?next={next_url}" if next_url else ""))
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")


def _formgrader_button(page, row, cell, success):
    """Click one of formgrader's buttons in `row` and expect its success dialog."""
    from playwright.sync_api import expect

    link = row.locator(f"td.{cell} a")
    expect(link).to_have_count(1)
    link.click()
    dialog = page.locator("#success-modal, #error-modal")
    expect(dialog).to_be_visible(timeout=GRADE_S * 1000)
    text = dialog.inner_text()
    assert page.locator("#success-modal").count() == 1 and success in text, f"formgrader's {cell}:\n{text}"
    dialog.locator(".modal-footer button").click()
    expect(dialog).to_have_count(0)


def _assignment_row(page):
    return page.locator("tr").filter(has=page.locator("td.name", has_text=re.compile(f"^{ASSIGNMENT}$")))


def _open_assignments(page):
    from playwright.sync_api import expect

    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
    expect(page.locator("#released_assignments_list_loading")).to_be_hidden()
    expect(page.locator("#fetched_assignments_list_loading")).to_be_hidden()


def _auto_points(nb):
    """Points of the cells autograde scores (tests), not the written answers graded by hand."""
    return sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution"))


def _student_works(page, hub, student, correct, answers):
    """Log in, fetch from the Assignments tab, write the answers, run the tests, Validate, submit."""
    from playwright.sync_api import expect

    with Step(page, hub, f"2-{student}-log-in-and-fetch"):
        _log_in(page, hub, student)
        page.wait_for_url(re.compile(f"/user/{student}/lab"), timeout=SPAWN_UI_S * 1000)
        expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=SPAWN_UI_S * 1000)
        _open_assignments(page)
        released = page.locator("#released_assignments_list > .list_item")
        expect(released).to_have_count(1)
        assert released.locator(".item_name").inner_text().strip() == ASSIGNMENT
        released.locator(".item_status button", has_text="Fetch").click()
        fetched = page.locator("#fetched_assignments_list > .list_item")
        expect(fetched).to_have_count(1)
        home = Path(pwd.getpwnam(student).pw_dir)
        path = home / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        assert path.exists() and path.stat().st_uid == pwd.getpwnam(student).pw_uid, (
            f"the fetched notebook is not the student's own file in their home: {path}")

    with Step(page, hub, f"3-{student}-write-and-run"):
        page.locator("#fetched_assignments_list a", has_text=ASSIGNMENT).click()
        page.locator(f"#nbgrader-{ht.COURSE}-{ASSIGNMENT} .item_name a", has_text=re.compile(f"^{NOTEBOOK}$")).click()
        student_nb = nbformat.read(path, as_version=4)
        index = _cell_index(student_nb)
        cells = page.locator(CELLS)
        expect(cells).to_have_count(len(student_nb.cells))
        expect(page.locator('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]')).to_have_count(1)
        kinds = {gid: cell.cell_type for gid, cell in solution_cells(student_nb).items()}
        for gid, kind in kinds.items():
            text = WRONG_SOFTMAX if (gid == "softmax" and not correct) else answers[gid]
            _set_cell_text(page, cells, index[gid], text, markdown=kind == "markdown")
        tests = [i for i, c in enumerate(student_nb.cells) if c.metadata.get("nbgrader", {}).get("grade")
                 and c.cell_type == "code"]
        hint_cell = index["test_softmax_values"]
        _run_all(page, tests if correct else [hint_cell])     # Run All stops at a failing test
        if correct:
            for i in tests:
                assert _errors(cells, i).count() == 0, f"test cell {i} fails a correct softmax:\n{_outputs(cells, i)}"
        else:
            assert HINT in _outputs(cells, hint_cell), f"no hint for the wrong softmax:\n{_outputs(cells, hint_cell)}"
        with page.expect_response(lambda r: r.request.method == "PUT" and f"{ASSIGNMENT}/{NOTEBOOK}" in r.url) as saved:
            page.keyboard.press("Escape")
            page.keyboard.press("Control+s")
        assert saved.value.ok, f"saving answered {saved.value.status}"

    with Step(page, hub, f"4-{student}-validate"):
        page.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").click()
        dialog = page.locator(".nbgrader-SuccessDialog, .nbgrader-ErrorDialog")
        expect(dialog).to_have_count(1, timeout=VALIDATE_S * 1000)
        text = dialog.inner_text()
        if correct:
            assert page.locator(".nbgrader-SuccessDialog .validation-success").count() == 1, text
        else:
            assert "Success!" not in text and HINT in text, f"Validate of the wrong softmax said:\n{text}"
        dialog.locator("button.jp-Dialog-button").first.click()
        expect(dialog).to_have_count(0)

    with Step(page, hub, f"5-{student}-submit"):
        page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
        page.locator("#fetched_assignments_list .item_status button", has_text="Submit").click()
        submitted = page.locator("#submitted_assignments_list > .list_item")
        expect(submitted).to_have_count(1)
        inbound = hub.exchange / ht.COURSE / "inbound"
        mine = [p for p in inbound.iterdir() if p.name.startswith(f"{student}+{ASSIGNMENT}+")]
        assert len(mine) == 1 and mine[0].stat().st_uid == pwd.getpwnam(student).pw_uid, (
            f"expected one submission owned by {student} in {inbound}, found {mine}")


def _student_reads_feedback(page, hub, student, expected_score, max_score, correct):
    from playwright.sync_api import expect

    with Step(page, hub, f"7-{student}-feedback"):
        page.goto(f"{hub.url}/user/{student}/lab")
        expect(page.locator("#jp-main-dock-panel")).to_be_visible()
        _open_assignments(page)
        submitted = page.locator("#submitted_assignments_list > .list_item").first
        submitted.locator(".item_status button", has_text="Fetch Feedback").click()
        view = page.locator("#submitted_assignments_list a", has_text="view feedback")
        expect(view).to_have_count(1)
        view.click()                                # the file browser opens the feedback folder
        item = page.locator(".jp-DirListing-item", has_text=f"{NOTEBOOK}.html")
        expect(item).to_have_count(1)
        item.dblclick()
        frame = page.frame_locator(".jp-HTMLViewer iframe")
        expect(frame.locator("body")).to_contain_text(f"{NOTEBOOK} (Score:")
        text = frame.locator("body").inner_text()
        score = re.search(rf"{NOTEBOOK} \(Score:\s*([\d.]+)\s*/\s*([\d.]+)\)", text)   # the notebook's total
        assert score, f"no score in the feedback:\n{text[:2000]}"
        assert (float(score[1]), float(score[2])) == (expected_score, max_score), (
            f"{student} sees {score[0]!r}, expected {expected_score} / {max_score}")
        if not correct:
            assert HINT in text, f"the wrong softmax's feedback does not show the hint:\n{text[:3000]}"
        for marker in HIDDEN_MARKERS:
            assert marker not in text, f"{student}'s feedback shows hidden test source ({marker!r})"


def test_course_on_jupyterhub(hub, browser, repo):
    from playwright.sync_api import expect

    source_nb = nbformat.read(repo / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    answers = {gid: reference_answer(cell) for gid, cell in solution_cells(source_nb).items()}
    auto_points, max_points = _auto_points(source_nb), sum(
        c.metadata["nbgrader"].get("points", 0) for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    right, wrong = ht.STUDENTS
    instructor = _page(browser)

    with Step(instructor, hub, "1-instructor-releases"):
        _log_in(instructor, hub, ht.INSTRUCTOR, f"/services/{ht.COURSE}/formgrader")
        row = _assignment_row(instructor)
        expect(row).to_have_count(1)
        _formgrader_button(instructor, row, "assign", "Successfully created the student version")
        _formgrader_button(instructor, row, "release", "Successfully released")
        released = hub.exchange / ht.COURSE / "outbound" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        assert released.exists(), f"formgrader's release put nothing in the exchange ({released})"
        assert released.stat().st_uid == pwd.getpwnam(ht.GRADER).pw_uid, "the release is not the grader account's"
        for marker in HIDDEN_MARKERS:
            assert marker not in released.read_text(), f"the released notebook holds hidden tests ({marker!r})"

    pages = {}
    for student, correct in ((right, True), (wrong, False)):
        pages[student] = _page(browser)
        _student_works(pages[student], hub, student, correct, answers)

    with Step(pages[wrong], hub, "5-student-cannot-open-formgrader"):
        response = pages[wrong].goto(f"{hub.url}/services/{ht.COURSE}/formgrader")
        assert response.status == 403, f"a student opened formgrader: {response.status} {pages[wrong].url}"

    with Step(instructor, hub, "6-instructor-collects-grades-releases-feedback"):
        instructor.goto(f"{hub.url}/services/{ht.COURSE}/formgrader")
        row = _assignment_row(instructor)
        _formgrader_button(instructor, row, "collect", "Successfully collected")
        expect(row.locator("td.num-submissions a")).to_have_text("2")
        row.locator("td.num-submissions a").click()
        for student in (right, wrong):
            submission = instructor.locator("tr").filter(
                has=instructor.locator("td.student-id", has_text=re.compile(f"^{student}$")))
            expect(submission).to_have_count(1)
            _formgrader_button(instructor, submission, "autograde", "Successfully autograded")
        course = hub.course_dir
        for student in (right, wrong):
            graded = course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
            assert graded.exists(), f"no autograded notebook for {student}"
            assert graded.stat().st_uid == pwd.getpwnam(ht.GRADER).pw_uid, "autograde did not run as the grader"
        instructor.goto(f"{hub.url}/services/{ht.COURSE}/formgrader")
        row = _assignment_row(instructor)
        _formgrader_button(instructor, row, "generate-feedback", "Successfully generated feedback")
        _formgrader_button(instructor, row, "release-feedback", "Successfully released feedback")

    scores = {}
    gradebook = hub.as_user(ht.GRADER, ["python", "-c", (
        "from nbgrader.api import Gradebook\n"
        "with Gradebook('sqlite:///gradebook.db') as gb:\n"
        f"    for s in gb.assignment_submissions('{ASSIGNMENT}'): print(s.student_id, s.score)\n")],
        cwd=hub.course_dir).stdout
    for line in gradebook.split("\n"):
        if line.strip():
            name, score = line.split()
            scores[name] = float(score)
    assert scores.get(right) == auto_points, f"the correct softmax scored {scores.get(right)}, not {auto_points}"
    assert 0 < scores.get(wrong, 0) < auto_points, f"the wrong softmax scored {scores.get(wrong)}"

    _student_reads_feedback(pages[right], hub, right, auto_points, max_points, correct=True)
    _student_reads_feedback(pages[wrong], hub, wrong, scores[wrong], max_points, correct=False)


# --- load: 30 students at once -----------------------------------------------------------

def _timed(log, student, what, call):
    start = time.monotonic()
    status, body = call()
    log.append({"student": student, "what": what, "status": status, "seconds": time.monotonic() - start})
    return status, body


def _status(answer):
    """The assignment's status in the Assignments tab's answer ({"success": ..., "value": [...]})."""
    return {a["assignment_id"]: a["status"] for a in answer.get("value", [])}.get(ASSIGNMENT)


def _one_student(hub, student, token, source_nb, correct, log):
    """What the Assignments tab and the notebook do, as HTTP requests through the hub's proxy:
    fetch, save the notebook with this student's answers, submit."""
    base = f"{hub.url}/user/{student}"
    status, body = _timed(log, student, "fetch", lambda: ht.request(
        f"{base}/assignments/fetch", "POST", token, {"course_id": ht.COURSE, "assignment_id": ASSIGNMENT}))
    assert status == 200 and body.get("success") and _status(body) == "fetched", (
        f"{student}: fetch answered {status}: {body}")
    path = f"{base}/api/contents/{ASSIGNMENT}/{NOTEBOOK}.ipynb"
    status, model = _timed(log, student, "open", lambda: ht.request(path, "GET", token))
    assert status == 200, f"{student}: opening the fetched notebook answered {status}: {model}"
    nb = nbformat.from_dict(model["content"])
    answers = {gid: reference_answer(cell) for gid, cell in solution_cells(source_nb).items()}
    for gid, cell in solution_cells(nb).items():
        cell.source = answers[gid]
    mine = solution_cells(nb)["softmax"]
    mine.source = (WRONG_SOFTMAX if not correct else mine.source) + f"\n# written by {student}"
    status, body = _timed(log, student, "save", lambda: ht.request(
        path, "PUT", token, {"type": "notebook", "format": "json", "content": nb}))
    assert status == 200, f"{student}: saving answered {status}: {body}"
    status, body = _timed(log, student, "submit", lambda: ht.request(
        f"{base}/assignments/submit", "POST", token, {"course_id": ht.COURSE, "assignment_id": ASSIGNMENT}))
    assert status == 200 and body.get("success") and _status(body) == "submitted", (
        f"{student}: submit answered {status}: {body}")


def test_thirty_students_fetch_and_submit_at_once(hub, repo):
    """30 students (hub API tokens) start their servers, fetch, save and submit at once; the
    grader collects and grades (`nngrader grade`, sandboxed, as the grader account): every
    submission is there, graded, and holds its own student's work; the hub answers throughout."""
    import concurrent.futures
    import json
    import threading

    source_nb = nbformat.read(repo / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    auto_points = _auto_points(source_nb)
    students = ht.LOAD_STUDENTS
    correct = {s: i % 2 == 0 for i, s in enumerate(students)}
    course = hub.course_dir
    walls = {}
    if not (hub.exchange / ht.COURSE / "outbound" / ASSIGNMENT).exists():     # the e2e test did not run
        hub.as_user(ht.GRADER, ["nbgrader", "generate_assignment", ASSIGNMENT], cwd=course)
        hub.as_user(ht.GRADER, ["nbgrader", "release_assignment", ASSIGNMENT], cwd=course)

    tokens = {s: hub.user_token(s) for s in students}
    log, hub_latency, done = [], [], threading.Event()

    def watch_hub():                     # a script polling the hub while the class works
        for _ in range(int(2 * ht.SPAWN_S)):          # bounded: at most this many polls
            if done.wait(0.5):
                return
            start = time.monotonic()
            status, _ = hub.api("GET", "/")
            hub_latency.append((status, time.monotonic() - start))

    watcher = threading.Thread(target=watch_hub, daemon=True)
    watcher.start()
    pool = concurrent.futures.ThreadPoolExecutor(len(students))
    try:
        start = time.monotonic()
        spawned = list(pool.map(lambda s: _timed(log, s, "start server", lambda: hub.api(
            "POST", f"/users/{s}/server", tokens[s]))[0], students))
        assert all(code in (201, 202) for code in spawned), f"starting servers answered {spawned}"
        list(pool.map(lambda s: hub.wait_ready(s, tokens[s]), students))
        walls["30 servers started (s)"] = time.monotonic() - start

        start = time.monotonic()
        barrier = threading.Barrier(len(students), timeout=ht.REQUEST_S)

        def work(student):
            barrier.wait()
            _one_student(hub, student, tokens[student], source_nb, correct[student], log)

        for future in [pool.submit(work, s) for s in students]:
            future.result()
        walls["30 fetch + save + submit at once (s)"] = time.monotonic() - start
    finally:
        list(pool.map(lambda s: hub.api("DELETE", f"/users/{s}/server"), students))
        pool.shutdown()
        done.set()
        watcher.join(timeout=ht.REQUEST_S)

    start = time.monotonic()
    hub.as_user(ht.GRADER, ["nbgrader", "collect", ASSIGNMENT], cwd=course)
    walls["collect (s)"] = time.monotonic() - start
    start = time.monotonic()
    grading = hub.as_user(ht.GRADER, ["nngrader", "grade", ".", "--assignment", ASSIGNMENT, "--jobs", "2",
                                      "--no-feedback"], cwd=course, check=False)
    walls["nngrader grade, as the grader (s)"] = time.monotonic() - start
    assert grading.returncode == 0, f"nngrader grade as {ht.GRADER} failed:\n{grading.stdout[-3000:]}{grading.stderr[-3000:]}"

    scores = dict(line.split() for line in hub.as_user(ht.GRADER, ["python", "-c", (
        "from nbgrader.api import Gradebook\n"
        "with Gradebook('sqlite:///gradebook.db') as gb:\n"
        f"    for s in gb.assignment_submissions('{ASSIGNMENT}'): print(s.student_id, s.score)\n")],
        cwd=course).stdout.split("\n") if line.strip())
    lost = [s for s in students if s not in scores]
    assert not lost, f"submissions lost: {lost}"
    for student in students:
        graded = course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        text = graded.read_text()
        others = [s for s in students if s != student and f"written by {s}\n" in text + "\n"]
        assert f"written by {student}" in text and not others, f"{student}'s graded notebook holds {others}' work"
        score = float(scores[student])
        if correct[student]:
            assert score == auto_points, f"{student} (correct) scored {score}, not {auto_points}"
        else:
            assert score < auto_points, f"{student} (wrong softmax) scored {score}"

    failed = [r for r in log if r["status"] not in (200, 201, 202)]
    assert not failed, f"requests that failed: {failed}"
    assert hub_latency and all(status == 200 for status, _ in hub_latency), (
        f"the hub did not answer every poll: {[s for s, _ in hub_latency if s != 200]}")
    slowest = max(log, key=lambda r: r["seconds"])
    report = {
        "students": len(students),
        "walls": {k: round(v, 1) for k, v in walls.items()},
        "slowest request": {**slowest, "seconds": round(slowest["seconds"], 2)},
        "slowest per kind (s)": {kind: round(max(r["seconds"] for r in log if r["what"] == kind), 2)
                                 for kind in sorted({r["what"] for r in log})},
        "hub API polls": len(hub_latency),
        "slowest hub API poll (s)": round(max(t for _, t in hub_latency), 2),
    }
    ht.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ht.ARTIFACTS / "load-report.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
