"""The course in JupyterLab, in a real browser: what a learner sees when working an exercise.

JupyterLab runs on 127.0.0.1 (a random token, a free port, a temporary copy of notebooks/ as
its root, helpers importable, and its own config, data and runtime folders, so no saved
workspace or user setting takes part). Headless Chromium, driven by Playwright, opens
notebook 06 and, through the keyboard as a learner would (a click on a cell, Shift+Enter):

- waits for the kernel to be idle and checks the notebook is not marked changed (the tab's
  ``jp-mod-dirty``): it stores the kernel metadata the installed kernel reports
  (course_tools/kernelspec.py); a copy with the old display name "Python 3" is marked changed;
- runs the setup cell and the cells down to the first figure, which must show as a PNG;
- runs Exercise 2's check before its solution (the page shows the NameError, so the error
  detector is seen to work), then the solution and the check, which must print
  "Exercise 2: correct." with no error output left on the page;
- checks that the mathematics is typeset (MathJax elements, no raw ``$...$`` in rendered
  markdown) and that Exercise 2's check cell, whose longest line is the 100 characters the
  course allows, does not scroll sideways at 1280x800;
- saves a screenshot (its path is printed and named in every failure message).

Needs Chromium (Debian's ``chromium`` package, at /usr/bin/chromium, or ``COURSE_CHROMIUM``
set to a Chromium or Chrome executable) and Playwright (requirements-dev.txt; it drives that
browser, so ``playwright install`` is never needed). Without them the test is skipped on a
learner's machine but fails under CI (``CI=true``), like tests/test_workflows.py.
"""

import json
import os
import platform
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
from conftest import NOTEBOOK_DIR, REPO

from course_tools.exercises import CHECK_TAG, EXERCISES_HEADING, SETUP_TAG, SOLUTION_TAG, source_of, tags

NOTEBOOK = "06_simple_linear_regression.ipynb"
EXERCISE = 2  # its check cell has a line of exactly 100 characters, the course's limit
CHROMIUM_PATHS = [  # Debian's chromium, then Google Chrome where macOS and Windows install it
    "/usr/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
]
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER_START_TIMEOUT_S = 120
UI_TIMEOUT_MS = 120_000  # any one wait in the page: opening, a kernel start, a cell's run
STALE_MARKED_TIMEOUT_MS = 30_000  # JupyterLab marks a notebook with stale kernel metadata changed within this
UNCHANGED_HOLD_MS = 5_000  # an untouched notebook must stay unmarked at least this long after its kernel is idle
INSTALL_PLAYWRIGHT = "python -m pip install -r requirements-dev.txt"
INSTALL_CHROMIUM = "apt-get install chromium (Debian/Ubuntu), or set COURSE_CHROMIUM to a Chromium or Chrome executable"
RAW_TEX = re.compile(r"\$[^$\s](?:[^$]*[^$\s])?\$")  # TeX's inline rule: no space just inside the dollars
NO_NEWS = {"fetchNews": "false", "checkForUpdates": False}  # offline: no "get notified about Jupyter news?" pop-up
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def missing(what: str, how: str):
    """Skip the calling test, or fail it under CI (``CI=true``), where it must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}, but CI must run the browser test; {how}")
    pytest.skip(f"{what}; {how}")


def chromium_executable() -> str:
    """``COURSE_CHROMIUM``, else one of :data:`CHROMIUM_PATHS`, else a Chromium or Chrome on PATH; skips (fails in CI) if none."""
    candidates = [os.environ.get("COURSE_CHROMIUM"), *CHROMIUM_PATHS, *map(shutil.which, CHROMIUM_NAMES)]
    found = next((path for path in candidates if path and Path(path).is_file()), None)
    if found is None:
        missing("no Chromium found", INSTALL_CHROMIUM)
    return found


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_browser_skips_except_under_ci(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM_PATHS", [])
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("COURSE_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no Chromium found"):
        chromium_executable()


def raw_tex(text: str) -> list[str]:
    """The ``$...$`` spans left in rendered text (MathJax replaces every one it typesets)."""
    return RAW_TEX.findall(text)


def test_raw_tex_finds_untypeset_mathematics_only():
    assert raw_tex("the slope $w$ and $\\hat y = wx + b$") == ["$w$", "$\\hat y = wx + b$"]
    assert raw_tex("costs $5 or $ 6, typeset: w") == []


def cells_to_run(nb, number: int) -> dict[str, int]:
    """Indices of the cells a learner runs for exercise ``number``: setup, the first figure,
    the exercises' data cell, the exercise's heading, solution and check.

    Raises:
        LookupError: the notebook lacks one of them (the message says which).
    """
    def first(predicate, start: int = 0, what: str = "") -> int:
        for index in range(start, len(nb.cells)):
            if predicate(nb.cells[index]):
                return index
        raise LookupError(f"{NOTEBOOK} has no {what} (after cell {start})")

    def markdown_starting(prefix):
        return lambda cell: cell.cell_type == "markdown" and source_of(cell).lstrip().startswith(prefix)

    exercises = first(markdown_starting(EXERCISES_HEADING), what="exercises heading")
    heading = first(markdown_starting(f"### Exercise {number} "), exercises, f"heading of Exercise {number}")
    solution = first(lambda cell: SOLUTION_TAG in tags(cell), heading, f"solution of Exercise {number}")
    return {
        "setup": first(lambda cell: SETUP_TAG in tags(cell), what="setup cell"),
        "figure": first(lambda cell: any("image/png" in output.get("data", {}) for output in cell.get("outputs", [])), what="figure"),
        "data": first(lambda cell: cell.cell_type == "code", exercises, "code cell in the exercises"),
        "heading": heading,
        "solution": solution,
        "check": first(lambda cell: CHECK_TAG in tags(cell), solution, f"check of Exercise {number}"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop JupyterLab (it shuts its kernels down on SIGTERM); kill its whole process group if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed", f"install it with:  {INSTALL_PLAYWRIGHT}")
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="module")
def browser(playwright):
    """Headless Chromium with a fresh profile (Playwright makes a temporary one for each launch)."""
    chromium = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True, timeout=UI_TIMEOUT_MS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 over a temporary copy of notebooks/; yields (base URL, token, root)."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root)
    token, port = secrets.token_hex(16), free_port()
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
    ]
    if getattr(os, "geteuid", lambda: -1)() == 0:
        command.append("--allow-root")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **{variable: str(home / folder) for variable, folder in
           [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"), ("JUPYTER_RUNTIME_DIR", "runtime")]},
    }
    notification = home / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps(NO_NEWS))
    log_path = home / "jupyterlab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment, cwd=home, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(request, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url, token, root
    finally:
        stop(process)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(UI_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def open_notebook(page, lab, name: str):
    """Open ``name`` in JupyterLab and wait until its kernel is idle; return its tab and its panel.

    The first notebook opened in a page starts from a fresh workspace (``?reset``).
    """
    url, token, _ = lab
    reset = "reset&" if page.url == "about:blank" else ""
    page.goto(f"{url}/lab/tree/{name}?{reset}token={token}")
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name)
    tab.wait_for()
    panel = page.locator(f"[id='{tab.get_attribute('data-id')}']")
    panel.locator(".jp-Notebook").wait_for()
    panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    return tab, panel


def is_marked_changed(tab) -> bool:
    return "jp-mod-dirty" in tab.get_attribute("class").split()


def run(page, panel, cell, execution_count: int, times: int = 1) -> None:
    """Click ``cell`` (selecting it), press Shift+Enter ``times`` times, and wait until the last code
    cell run shows prompt ``[execution_count]`` (the kernel counts the code cells it ran)."""
    # A click on a code cell's prompt, or on a markdown cell's text, selects it in command mode
    # (the bar at a cell's left would collapse it instead).
    markdown = "jp-MarkdownCell" in cell.get_attribute("class").split()
    cell.locator(".jp-RenderedMarkdown" if markdown else ".jp-InputPrompt").click()
    for _ in range(times):
        page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "([panel, count]) => [...document.getElementById(panel).querySelectorAll('.jp-InputPrompt')]"
        ".some(prompt => prompt.textContent.trim() === `[${count}]:`)",
        arg=[panel.get_attribute("id"), execution_count],
    )


def test_an_untouched_notebook_is_not_marked_changed_but_one_with_stale_metadata_is(page, lab):
    _, _, root = lab
    stale_name = NOTEBOOK.replace(".ipynb", "_stale.ipynb")
    stale = json.loads((root / NOTEBOOK).read_text())
    stale["metadata"]["kernelspec"]["display_name"] = "Python 3"  # what 22 notebooks stored before
    (root / stale_name).write_text(json.dumps(stale, indent=1))

    stale_tab, _ = open_notebook(page, lab, stale_name)
    idle = time.monotonic()
    stale_tab.and_(page.locator(".jp-mod-dirty")).wait_for(timeout=STALE_MARKED_TIMEOUT_MS)
    hold_ms = max(UNCHANGED_HOLD_MS, 3_000 * (time.monotonic() - idle))  # 3x what JupyterLab took to mark the stale copy

    stored = nbformat.read(root / NOTEBOOK, as_version=4).metadata
    tab, _ = open_notebook(page, lab, NOTEBOOK)
    page.wait_for_timeout(hold_ms)
    other_python = stored["language_info"]["version"] != platform.python_version()
    assert is_marked_changed(tab) == other_python, (
        f"JupyterLab marks a notebook changed exactly when its stored kernel metadata differs from the running "
        f"kernel's (stored language_info.version {stored['language_info']['version']}, kernel's {platform.python_version()}); "
        f"{NOTEBOOK} is {'' if is_marked_changed(tab) else 'not '}marked"
    )


def code_cells(nb, first: int, last: int) -> int:
    """How many code cells lie between cells ``first`` and ``last`` (both included)."""
    return sum(cell.cell_type == "code" for cell in nb.cells[first:last + 1])


def rendered_markdown_text(cell) -> str:
    """A markdown cell's rendered text without its code spans and typeset mathematics."""
    return cell.locator(".jp-RenderedMarkdown").evaluate(
        "node => { const copy = node.cloneNode(true);"
        " copy.querySelectorAll('code, pre, mjx-container').forEach(n => n.remove()); return copy.textContent; }"
    )


def test_a_learner_runs_the_setup_cell_and_an_exercise(page, lab, tmp_path):
    _, _, root = lab
    nb = nbformat.read(root / NOTEBOOK, as_version=4)
    at = cells_to_run(nb, EXERCISE)
    screenshot = tmp_path / "jupyterlab.png"
    print(f"screenshot: {screenshot}")
    try:
        _, panel = open_notebook(page, lab, NOTEBOOK)
        cells = panel.locator(".jp-Notebook .jp-Cell")
        check = cells.nth(at["check"])
        page.wait_for_function(  # JupyterLab attaches the cells while idle, after the kernel may be ready
            "([panel, count]) => document.getElementById(panel).querySelectorAll('.jp-Notebook .jp-Cell').length === count",
            arg=[panel.get_attribute("id"), len(nb.cells)],
        )

        count = code_cells(nb, at["setup"], at["figure"])
        run(page, panel, cells.nth(at["setup"]), count, times=at["figure"] - at["setup"] + 1)
        count += 1
        run(page, panel, cells.nth(at["data"]), count)
        count += 1
        run(page, panel, check, count)  # before its solution: the page must show the error
        check.locator(STDERR_OUTPUT).wait_for()
        error_shown = check.locator(STDERR_OUTPUT).inner_text()
        count += code_cells(nb, at["heading"], at["check"])
        run(page, panel, cells.nth(at["heading"]), count, times=at["check"] - at["heading"] + 1)
        check.scroll_into_view_if_needed()
    finally:
        page.screenshot(path=screenshot)
    where = f"(screenshot: {screenshot})"

    assert "NameError" in error_shown, f"the check run before its solution should show a NameError, showed {error_shown!r} {where}"
    output = check.locator(".jp-OutputArea-output").inner_text()
    assert f"Exercise {EXERCISE}: correct." in output, f"Exercise {EXERCISE}'s check printed {output!r} {where}"
    errors = panel.locator(STDERR_OUTPUT).all_inner_texts()
    assert errors == [], f"error output on the page: {errors} {where}"

    figure = cells.nth(at["figure"]).locator(".jp-OutputArea-output img")
    size = figure.evaluate("img => img.decode().then(() => [img.src.slice(0, 22), img.naturalWidth, img.naturalHeight])")
    assert size[0] == "data:image/png;base64," and size[1] > 0 and size[2] > 0, f"figure: {size} {where}"

    with_math = [index for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown" and raw_tex(source_of(cell))]
    assert with_math, f"{NOTEBOOK} has no mathematics to check"
    page.wait_for_function(
        "([panel, indices]) => { const cells = document.getElementById(panel).querySelectorAll('.jp-Notebook .jp-Cell');"
        " return indices.every(i => cells[i].querySelector('.jp-RenderedMarkdown mjx-container')); }",
        arg=[panel.get_attribute("id"), with_math],
    )
    left_raw = {index: raw_tex(rendered_markdown_text(cells.nth(index))) for index in with_math}
    assert {index: spans for index, spans in left_raw.items() if spans} == {}, f"mathematics not typeset {where}"

    longest = max(map(len, source_of(nb.cells[at["check"]]).splitlines()))
    scroll = check.locator(".jp-InputArea-editor .cm-scroller").evaluate("node => [node.scrollWidth, node.clientWidth]")
    assert scroll[0] <= scroll[1], f"Exercise {EXERCISE}'s check cell (longest line {longest} characters) scrolls sideways at {VIEWPORT}: {scroll} {where}"
    assert screenshot.stat().st_size > 0
