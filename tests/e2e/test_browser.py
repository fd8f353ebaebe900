"""A student and an instructor in a real JupyterLab, driven in headless Chromium.

The server runs on a copy of the course in a temporary folder, with its own
Jupyter config, data, runtime, settings and workspaces folders, so nothing in
the repository or the user's Jupyter set-up is read or written. The browser is
Debian's ``chromium`` (``make browser``), driven by PyPI's ``playwright``.

On failure, screenshots and the server log land in build/test-artifacts/browser/.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from nngrader.submissions import reference_answer, solution_cells

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "build" / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")     # Debian's, from `make browser`; else the first on PATH
if not CHROMIUM.exists() and shutil.which("chromium"):
    CHROMIUM = Path(shutil.which("chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ASSIGNMENT, NOTEBOOK = "01_softmax", "softmax"
NOTEBOOK_PATH = f"notebooks/{ASSIGNMENT}/{NOTEBOOK}.ipynb"
WRONG_SOFTMAX = '''def softmax(Z, axis=-1):
    """exp without dividing by the sum: a common first attempt"""
    return np.exp(Z)'''
SUCCESS = "Success! Your notebook passes all the tests."

SERVER_START_S = 90       # nbgrader's extensions import slowly on a busy machine
UI_S = 60                 # one DOM state in the page
RUN_ALL_S = 120           # one "Run All Cells" of the notebook
VALIDATE_S = 180          # nbgrader runs the whole notebook again on the server

CELLS = ".jp-NotebookPanel .jp-Notebook .jp-Cell"

# Cells that have finished running: no "[*]" prompt anywhere, and each cell in
# `indexes` shows an execution count above `before`.
RUN_FINISHED_JS = """([selector, indexes, before]) => {
    const cells = document.querySelectorAll(selector);
    const count = (cell) => {
        const prompt = cell.querySelector('.jp-InputPrompt');
        const m = /\\[(\\d+)\\]/.exec(prompt ? prompt.textContent : '');
        return m ? Number(m[1]) : null;
    };
    for (const cell of cells) {
        const prompt = cell.querySelector('.jp-InputPrompt');
        if (prompt && prompt.textContent.includes('*')) return false;
    }
    return indexes.every((i) => cells[i] && count(cells[i]) !== null && count(cells[i]) > before);
}"""
MAX_COUNT_JS = """(selector) => Math.max(0, ...Array.from(document.querySelectorAll(selector + ' .jp-InputPrompt'))
    .map((p) => Number((/\\[(\\d+)\\]/.exec(p.textContent) || [0, 0])[1])))"""
EDITOR_TEXT_JS = "(el) => Array.from(el.querySelectorAll('.cm-line')).map((l) => l.textContent).join('\\n')"


def _need(what):
    """Skip without the browser tools, but fail in CI, where `make test` installs them."""
    message = f"{what} is missing: `make browser` installs Debian's chromium (as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def sync_playwright():
    if not CHROMIUM.exists():
        _need("chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("PyPI's playwright (the dev extra)")
    return sync_playwright


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_course(root):
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copy2(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    for folder in ("solutions", "notebooks"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)


def _get(url, token, timeout=10):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


class Lab:
    """A JupyterLab server on 127.0.0.1, on a copy of the course."""

    def __init__(self, tmp):
        self.root = tmp / "course"
        self.root.mkdir()
        _copy_course(self.root)
        home = tmp / "jupyter"
        self.dirs = {name: home / name for name in
                     ("config", "data", "runtime", "app-settings", "user-settings", "workspaces", "ipython")}
        for d in self.dirs.values():
            d.mkdir(parents=True)
        (self.dirs["app-settings"] / "overrides.json").write_text(json.dumps({
            # no news pop-up and no update check over the network
            "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
            # every cell in the DOM, so the test can reach any of them
            "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        }))
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "jupyter-lab.log"
        self.proc = None

    def start(self):
        bindir = Path(sys.executable).parent          # the venv's bin/: jupyter, alembic, python
        env = dict(os.environ)
        env.update(
            PATH=str(bindir) + os.pathsep + env.get("PATH", ""),
            JUPYTER_CONFIG_DIR=str(self.dirs["config"]),
            JUPYTER_DATA_DIR=str(self.dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(self.dirs["runtime"]),
            JUPYTERLAB_SETTINGS_DIR=str(self.dirs["user-settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(self.dirs["workspaces"]),
            IPYTHONDIR=str(self.dirs["ipython"]),
        )
        for name in ("JUPYTER_PATH", "MPLBACKEND"):       # the kernel keeps its inline plots
            env.pop(name, None)
        command = [
            str(bindir / "jupyter"), "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.app_settings_dir={self.dirs['app-settings']}",
            f"--LabApp.user_settings_dir={self.dirs['user-settings']}",
            f"--LabApp.workspaces_dir={self.dirs['workspaces']}",
        ]
        if os.geteuid() == 0:                       # CI runs as root
            command.append("--allow-root")
        self.log = open(self.log_path, "w")
        # cwd = the course: nbgrader's server extensions read ./nbgrader_config.py
        self.proc = subprocess.Popen(command, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if _get(f"{self.url}/api/status", self.token, timeout=5)[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise AssertionError(f"jupyter lab did not answer within {SERVER_START_S} s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # the server and its kernels: the process group this test started
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)     # a kernel left behind, if any
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, sync_playwright):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)      # only this run's failures in there
    server = Lab(tmp_path_factory.mktemp("browser"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


class Failure:
    """Screenshots and the server log into build/test-artifacts/browser/ when a step fails."""

    def __init__(self, page, lab, name):
        self.page, self.lab, self.name = page, lab, name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is None or not isinstance(error, Exception):
            return False
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{self.name}.png"
        log = ARTIFACTS / f"{self.name}-jupyter-lab.log"
        try:
            self.page.screenshot(path=str(shot), full_page=True, timeout=15_000)
        except Exception as e:  # noqa: BLE001 - the page may be gone; keep the first error
            shot = f"(no screenshot: {e})"
        shutil.copy(self.lab.log_path, log)
        raise AssertionError(f"{self.name}: {error}\nscreenshot: {shot}\nserver log: {log}") from error


def _cell_index(nb):
    return {cell.metadata["nbgrader"]["grade_id"]: i for i, cell in enumerate(nb.cells)
            if "nbgrader" in cell.get("metadata", {})}


def _set_cell_text(page, cells, index, text, markdown=False):
    """Replace the text of cell `index` as a student would: click, select all, type."""
    from playwright.sync_api import expect

    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    if markdown and not editor.is_visible():
        cell.locator(".jp-MarkdownOutput").dblclick()      # a rendered markdown cell opens its editor
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    expect(editor).to_be_focused()
    typed = editor.evaluate(EDITOR_TEXT_JS)
    assert typed == text, f"cell {index} holds {typed!r} after typing, expected {text!r}"


def _run_all(page, indexes):
    """Run All Cells from the Run menu and wait until `indexes` ran and nothing is queued."""
    before = page.evaluate(MAX_COUNT_JS, CELLS)
    page.keyboard.press("Escape")
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(RUN_FINISHED_JS, arg=[CELLS, indexes, before], timeout=RUN_ALL_S * 1000)


def _outputs(cells, index):
    return "\n".join(cells.nth(index).locator(".jp-OutputArea-output").all_inner_texts())


def _errors(cells, index):
    return cells.nth(index).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')


def test_student_and_instructor_in_jupyterlab(lab, sync_playwright):
    from playwright.sync_api import expect

    student_nb = nbformat.read(lab.root / NOTEBOOK_PATH, as_version=4)
    source_nb = nbformat.read(lab.root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    index = _cell_index(student_nb)
    answers = {gid: reference_answer(cell) for gid, cell in solution_cells(source_nb).items()}
    kinds = {gid: cell.cell_type for gid, cell in solution_cells(student_nb).items()}
    assert set(answers) == set(kinds), "solutions/ and notebooks/ differ in their solution cells: run `make release`"
    code_cells = [i for i, c in enumerate(student_nb.cells) if c.cell_type == "code"]
    test_cells = [i for i, c in enumerate(student_nb.cells)
                  if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assignments = sorted(p.name for p in (lab.root / "solutions").iterdir() if p.is_dir())

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                                     timeout=UI_S * 1000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_S * 1000)
            cells = page.locator(CELLS)

            with Failure(page, lab, "1-open-notebook"):
                page.goto(f"{lab.url}/lab/tree/{NOTEBOOK_PATH}?reset&token={lab.token}",
                          timeout=UI_S * 1000)
                expect(cells).to_have_count(len(student_nb.cells), timeout=UI_S * 1000)
                expect(page.locator('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]')
                       ).to_have_count(1, timeout=UI_S * 1000)

            with Failure(page, lab, "2-wrong-answer-shows-hint"):
                for gid, kind in kinds.items():
                    text = WRONG_SOFTMAX if gid == "softmax" else answers[gid]
                    _set_cell_text(page, cells, index[gid], text, markdown=kind == "markdown")
                hint_cell = index["test_softmax_values"]
                _run_all(page, [hint_cell])
                shown = _outputs(cells, hint_cell)
                assert _errors(cells, hint_cell).count() == 1, f"expected an error in test_softmax_values, got {shown!r}"
                assert "do not sum to 1" in shown, f"the hint is missing from the failing test's output:\n{shown}"
                last_line = shown.strip().splitlines()[-1]
                assert "AssertionError" in last_line and "do not sum to 1" in last_line, (
                    f"the failure's last line should state the hint, got {last_line!r}")

            with Failure(page, lab, "3-correct-answer-passes"):
                _set_cell_text(page, cells, index["softmax"], answers["softmax"])
                _run_all(page, code_cells)                    # every code cell ran, none stopped the run
                assert test_cells, "found no visible test cells (nbgrader grade cells) in the notebook"
                for i in test_cells:
                    assert _errors(cells, i).count() == 0, (
                        f"visible test cell {i} fails with the reference answer:\n{_outputs(cells, i)}")
                for i in code_cells:
                    assert _errors(cells, i).count() == 0, f"cell {i} shows an error or stderr:\n{_outputs(cells, i)}"

            with Failure(page, lab, "4-save"):
                path = lab.root / NOTEBOOK_PATH
                with page.expect_response(lambda r: r.request.method == "PUT" and NOTEBOOK_PATH in r.url,
                                          timeout=UI_S * 1000) as saved:
                    page.keyboard.press("Escape")
                    page.keyboard.press("Control+s")
                assert saved.value.ok, f"saving answered {saved.value.status}"
                on_disk = solution_cells(nbformat.read(path, as_version=4))
                for gid, text in answers.items():
                    assert on_disk[gid].source == text, f"saved cell {gid} differs from what was typed"

            with Failure(page, lab, "5-validate"):
                page.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").click()
                dialog = page.locator(".nbgrader-SuccessDialog, .nbgrader-ErrorDialog")
                expect(dialog).to_have_count(1, timeout=VALIDATE_S * 1000)
                text = dialog.inner_text()
                assert page.locator(".nbgrader-SuccessDialog .validation-success").count() == 1, (
                    f"Validate did not succeed:\n{text}")
                assert SUCCESS in text, text
                dialog.locator("button.jp-Dialog-button").click()
                expect(dialog).to_have_count(0)

            with Failure(page, lab, "6-formgrader"):
                status, body = _get(f"{lab.url}/formgrader/api/assignments", lab.token, timeout=60)
                assert status == 200, f"/formgrader/api/assignments answered {status}"
                listed = sorted(a["name"] for a in json.loads(body))
                assert listed == assignments, f"the formgrader API lists {listed}, solutions/ has {assignments}"

                page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
                page.locator('#jp-mainmenu-nbgrader li[data-command="nbgrader:open-formgrader"]').click()
                frame = page.frame_locator("#jp-main-dock-panel iframe[src*='formgrader']")
                names = frame.locator("td.name")
                expect(names).to_have_count(len(assignments), timeout=UI_S * 1000)
                shown = sorted(t.strip() for t in names.all_inner_texts())
                assert shown == assignments, f"formgrader shows {shown}, solutions/ has {assignments}"
        finally:
            browser.close()
