"""Helpers for the real-browser tests (tests/test_browser_*.py) and bench/bench_classroom.py.

* `AppServer`: `streamlit run app.py` on 127.0.0.1 and a free port, headless, pointed at a temporary
  copy of the checkpoints (LATENT_LAB_CHECKPOINTS), stopped by killing its process group.
* `app_server`: the pytest fixture around it, shared by every browser test of the session.
* `require_browser()`: Chromium and Playwright, or a skip with how to install them (a failure when CI=true).
* `Student`: one browser context (one Streamlit session) with helpers that find widgets through the
  app's text table (ui.texts) and its widget keys, wait for reruns, time an interaction from the key
  press to the new image being loaded, take screenshots and collect browser console errors.
* `run_classroom()`: the classroom scenario (one student trains, the others move sliders and change
  the grid, all at once), shared by the test and the benchmark.

Not a test module itself (its name does not start with test_). Playwright's async API is used
throughout: one Chromium, one context per student, driven concurrently with asyncio.gather.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `ui` importable however pytest (or the bench) was started
    sys.path.insert(0, str(ROOT))

from ui.paths import CHECKPOINTS_ENV  # noqa: E402
from ui.texts import LANGUAGES, TEXTS  # noqa: E402,F401 - LANGUAGES re-exported for the tests

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402 - Streamlit's websocket messages

FINISHED_EARLY_FOR_RERUN = getattr(ForwardMsg, "FINISHED_EARLY_FOR_RERUN", 2)

try:  # imported lazily by the tests: a missing Playwright is a skip (locally) or a failure (CI)
    from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # pragma: no cover - exercised only where Playwright is not installed
    PlaywrightTimeoutError = TimeoutError  # type: ignore[misc,assignment]
    async_playwright = None  # type: ignore[assignment]
    Browser = BrowserContext = Locator = Page = Any  # type: ignore[misc,assignment]
    expect = None  # type: ignore[assignment]

ARTIFACTS = ROOT / "test-artifacts"  # kept by CI (gitignored)
SCREENSHOTS = ARTIFACTS / "screenshots"
SHIPPED = ROOT / "checkpoints"
CHROMIUM_ENV = "LATENT_LAB_CHROMIUM"  # another Chromium binary, if not /usr/bin/chromium
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 60_000  # any single wait: generous for two slow, shared cores
SERVER_START_S = 120.0
TRAIN_TIMEOUT_MS = 240_000

# Every page of the navigation: name → (text key of its nav label, text key of its title).
PAGES: dict[str, tuple[str, str]] = {
    "home": ("nav.home", "home.title"),
    "train": ("nav.train", "train.title"),
    "grid": ("nav.grid", "grid.title"),
    "sliders": ("nav.sliders", "sliders.title"),
    "interpolation": ("nav.interpolation", "interp.title"),
    "compare": ("nav.compare", "compare.title"),
    "uses": ("nav.uses", "uses.title"),
}


# --- texts ------------------------------------------------------------------------------------


def tx(key: str, lang: str = "en", /, **values: object) -> str:
    """A text of the app, as ui.texts.t would give it in `lang`."""
    text = TEXTS[key][lang]
    return text.format(**values) if values else text


def _template_parts(key: str, lang: str) -> list[str]:
    return [literal for literal, *_ in string.Formatter().parse(TEXTS[key][lang])]


def text_fragment(key: str, lang: str = "en") -> str:
    """The longest fixed piece of a templated text: finds a caption whatever its numbers are."""
    return max(_template_parts(key, lang), key=len).strip()


def text_prefix(key: str, lang: str = "en") -> str:
    """What a templated text starts with, up to its first placeholder ('Trained here ')."""
    return _template_parts(key, lang)[0]


# --- the browser ------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(message + " (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    candidates = [os.environ.get(CHROMIUM_ENV, "").strip(), DEFAULT_CHROMIUM, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def require_browser() -> str:
    """Chromium's path; skips (fails when CI=true) where Playwright or Chromium is missing."""
    if async_playwright is None:
        _unavailable("Playwright for Python is not installed: pip install -r requirements-dev.txt")
    path = chromium_path()
    if path is None:
        _unavailable(
            f"Chromium not found at {DEFAULT_CHROMIUM}: install it with `sudo apt-get install chromium` "
            f"(Debian/Ubuntu), or point {CHROMIUM_ENV} at a Chromium binary. Playwright's own browser "
            "download is not used."
        )
    assert path is not None
    return path


async def launch_browser(playwright: Any, executable: str) -> Browser:
    return await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def peak_memory_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM, Linux /proc), None where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def descendants(root: int, *, excluding: set[int] = frozenset()) -> list[int]:
    """Every process below `root` (Linux /proc), skipping the subtrees of `excluding`."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in excluding:
                found.append(child)
                todo.append(child)
    return found


def copy_shipped_checkpoints(destination: Path) -> Path:
    """The shipped checkpoints (not models trained here) copied into `destination`/checkpoints."""
    folder = destination / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(SHIPPED.glob("*.pt"))
    if not files:
        raise RuntimeError(f"no checkpoints in {SHIPPED}: the browser tests need the shipped models")
    for path in files:
        shutil.copy2(path, folder / path.name)
    return folder


class AppServer:
    """`streamlit run app.py` in its own process group, on 127.0.0.1 and a free port."""

    def __init__(self, checkpoints: Path, log_path: Path):
        self.checkpoints, self.log_path = checkpoints, log_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self, attempts: int = 3) -> AppServer:
        for attempt in range(attempts):
            self.port = free_port()
            env = {**os.environ, CHECKPOINTS_ENV: str(self.checkpoints), "PYTHONUNBUFFERED": "1"}
            command = [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.address", "127.0.0.1", "--server.port", str(self.port),
                "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            ]  # fmt: skip
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            log = open(self.log_path, "ab")
            log.write(f"\n=== {' '.join(command)} (attempt {attempt + 1})\n".encode())
            log.flush()
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
            log.close()
            if self._wait_healthy(SERVER_START_S):
                return self
            self.stop()  # port taken meanwhile, or a slow start: try again on another port
        raise RuntimeError(f"streamlit did not answer /_stcore/health; see {self.log_path}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=5) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        return len(self.log_text())

    def tracebacks(self, since: int = 0) -> list[str]:
        """Python tracebacks the server printed (a page's exception, a failed training job),
        from character `since` of its log on (see `log_size`)."""
        text = self.log_text()[since:]
        return [chunk[:2000] for chunk in re.split(r"(?=Traceback \(most recent call last\))", text)
                if chunk.startswith("Traceback")]  # fmt: skip


# One server for every browser test of the session, though fixtures imported into several test
# modules are set up once per module: the first setup starts it, the last teardown stops it.
_server: AppServer | None = None
_server_users = 0
_server_lock = threading.Lock()
_server_tmp: tempfile.TemporaryDirectory[str] | None = None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium's path, or a skip (a failure with CI=true) with how to install it."""
    return require_browser()


@pytest.fixture(scope="session")
def app_server(chromium: str) -> Iterator[AppServer]:
    global _server, _server_users, _server_tmp
    with _server_lock:
        if _server is None:
            _server_tmp = tempfile.TemporaryDirectory(prefix="latent-lab-browser-")
            checkpoints = copy_shipped_checkpoints(Path(_server_tmp.name))
            for old in SCREENSHOTS.glob("*.png"):  # this run's pictures only
                old.unlink()
            log = ARTIFACTS / "streamlit-server.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("")
            _server = AppServer(checkpoints, log).start()
        _server_users += 1
        server = _server
    try:
        yield server
    finally:
        with _server_lock:
            _server_users -= 1
            if _server_users == 0 and _server is not None:
                _server.stop()
                _server = None
                if _server_tmp is not None:
                    _server_tmp.cleanup()
                    _server_tmp = None


# --- one student ------------------------------------------------------------------------------

# Timestamps, in the page's own clock, of every key press and of every image that finished loading.
INIT_SCRIPT = """
window.__latentLab = {keys: [], loads: [], srcs: []};
document.addEventListener('keydown', () => window.__latentLab.keys.push(performance.now()), true);
document.addEventListener('load', (e) => {
  const t = e.target;
  if (t && t.tagName === 'IMG') window.__latentLab.loads.push([performance.now(), t.src]);
}, true);
new MutationObserver((records) => {
  const now = performance.now(), srcs = window.__latentLab.srcs;
  for (const r of records) {
    if (r.type === 'attributes') { if (r.target.tagName === 'IMG') srcs.push([now, r.target.src]); continue; }
    for (const n of r.addedNodes) {
      if (n.tagName === 'IMG') srcs.push([now, n.src]);
      else if (n.querySelectorAll) n.querySelectorAll('img').forEach((i) => srcs.push([now, i.src]));
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
"""

PAGE_IMAGES = "[data-testid=stMain] [data-testid=stImage] img"

# Done when every watched image (by position among the page's images) shows a new picture that has
# loaded since the key press: [ms to the last load, ms to the last new URL in the page, URLs or null].
# What it waits for is kept in the page (window.__llWatch, set by WATCH_JS just before the key press):
# the pictures are data: URLs of up to a few hundred kilobytes, and carrying them to the test and
# back on every interaction would make the browser, the measuring instrument, work more than the app.
WATCH_JS = """([sel, positions]) => {
  const imgs = [...document.querySelectorAll(sel)];
  window.__llWatch = {presses: window.__latentLab.keys.length, positions, olds: positions.map(i => imgs[i].src)};
}"""
TIMED_JS = """([sel, withUrls]) => {
  const ll = window.__latentLab, {presses, positions, olds} = window.__llWatch;
  if (ll.keys.length <= presses) return null;
  const pressed = ll.keys[presses];
  const imgs = [...document.querySelectorAll(sel)];
  const urls = positions.map(i => imgs[i] && imgs[i].src);
  if (urls.some((u, k) => !u || u === olds[k])) return null;
  const first = (list, u) => { const hit = list.find(e => e[0] >= pressed && e[1] === u); return hit ? hit[0] : null; };
  const loads = urls.map(u => first(ll.loads, u));
  if (loads.some(t => t == null)) return null;
  const shown = urls.map((u, k) => first(ll.srcs, u) ?? loads[k]);
  return [Math.max(...loads) - pressed, Math.max(...shown) - pressed, withUrls ? urls : null];
}"""

# A page has settled when no script run is in progress (no status widget, no stale element) for a while.
SETTLED_JS = """(quietMs) => {
  const busy = document.querySelector('[data-testid=stStatusWidget]') || document.querySelector('[data-stale=true]')
    || !document.querySelector('[data-testid=stSidebarNav]');
  const now = performance.now();
  if (busy) { window.__llQuiet = null; return false; }
  if (window.__llQuiet == null) window.__llQuiet = now;
  return now - window.__llQuiet >= quietMs;
}"""

# Points drawn by the index-th plotly chart (all traces), null if there is none. Plotly sends numpy
# arrays base64-encoded ({dtype, bdata}), so their length is worked out from the bytes.
PLOT_POINTS_JS = """(index) => {
  const plots = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot');
  const el = plots[index];
  if (!el || !el.data) return null;
  const sizes = {f8: 8, f4: 4, i4: 4, u4: 4, i2: 2, u2: 2, i1: 1, u1: 1, u1c: 1};
  const count = (x) => {
    if (!x) return 0;
    if (typeof x.length === 'number') return x.length;
    if (typeof x.bdata === 'string') return Math.floor(atob(x.bdata).length / (sizes[x.dtype] || 8));
    return 0;
  };
  return el.data.reduce((n, trace) => n + count(trace.x), 0);
}"""


@dataclass
class ConsoleEntry:
    student: str
    kind: str  # console type ("error") or "pageerror"
    text: str
    url: str

    def line(self) -> str:
        return f"[{self.student}] {self.kind}: {self.text} ({self.url or 'no url'})"


@dataclass
class ConsoleLog:
    """Browser console errors and uncaught page errors. Clearly external noise is ignored (and listed)."""

    app_host: str
    errors: list[ConsoleEntry] = field(default_factory=list)
    ignored: list[tuple[ConsoleEntry, str]] = field(default_factory=list)

    def add(self, entry: ConsoleEntry) -> None:
        reason = self.why_ignored(entry)
        if reason:
            self.ignored.append((entry, reason))
        else:
            self.errors.append(entry)

    def why_ignored(self, entry: ConsoleEntry) -> str | None:
        """Only a resource that failed to load from another host than the app's is ignored: the tests
        block every request that leaves 127.0.0.1 (a classroom may be offline)."""
        host = urlparse(entry.url).hostname or ""
        if entry.kind == "error" and entry.text.startswith("Failed to load resource") and host and host != self.app_host:
            return f"external resource blocked by the test (offline classroom): {entry.url}"
        return None

    def report(self) -> str:
        lines = ["unexpected:"] + [f"  {e.line()}" for e in self.errors]
        lines += ["ignored:"] + [f"  {e.line()} — {why}" for e, why in self.ignored]
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.report() + "\n")


class Student:
    """One browser context: one Streamlit session, as one person in the class."""

    def __init__(self, name: str, context: BrowserContext, page: Page, server_url: str, console: ConsoleLog):
        self.name, self.context, self.page, self.url, self.console = name, context, page, server_url, console
        self.lang = "en"
        # Script runs of this session, from Streamlit's own messages on the websocket: whether one
        # is in progress, and how many have finished (a full page or a fragment, not one cut short).
        self.running = False
        self.runs = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload: str | bytes) -> None:
        if not isinstance(payload, (bytes, bytearray)) or len(payload) > 256_000:  # big deltas: not wanted here
            return
        try:
            message = ForwardMsg.FromString(bytes(payload))
        except Exception:  # noqa: BLE001 - not a message this version of the protocol knows: ignore it
            return
        kind = message.WhichOneof("type")
        if kind == "new_session":  # sent when a script run starts
            self.running = True
        elif kind == "session_status_changed":
            self.running = message.session_status_changed.script_is_running
        elif kind == "script_finished":
            self.running = False
            if message.script_finished != FINISHED_EARLY_FOR_RERUN:
                self.runs += 1

    def mark(self) -> int:
        """Call before an action that reruns the script; pass the result to `settle`."""
        return self.runs

    @classmethod
    async def join(cls, browser: Browser, server_url: str, console: ConsoleLog, name: str,
                   viewport: dict[str, int] | None = None) -> Student:  # fmt: skip
        context = await browser.new_context(viewport=viewport or VIEWPORT, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        await context.add_init_script(INIT_SCRIPT)
        # Nothing leaves the machine, as in an offline classroom. Only other hosts' requests are
        # routed (matched in Playwright's driver), so the app's own requests are not slowed down.
        app = urlparse(server_url)
        elsewhere = re.compile(rf"^(?!https?://{re.escape(app.netloc)}/)[a-z]+://")
        await context.route(elsewhere, lambda route: route.abort())
        page = await context.new_page()
        page.on("console", lambda m: m.type == "error" and console.add(
            ConsoleEntry(name, "error", m.text, (m.location or {}).get("url", ""))))  # fmt: skip
        page.on("pageerror", lambda e: console.add(ConsoleEntry(name, "pageerror", str(e), page.url)))
        return cls(name, context, page, server_url, console)

    async def close(self) -> None:
        await self.context.close()

    def t(self, key: str, **values: object) -> str:
        return tx(key, self.lang, **values)

    # --- places on the page --------------------------------------------------------------------
    @property
    def main(self) -> Locator:
        return self.page.locator("[data-testid=stMain]")

    @property
    def sidebar(self) -> Locator:
        return self.page.locator("[data-testid=stSidebar]")

    def widget(self, key: str) -> Locator:
        """A widget by its key: Streamlit puts `st-key-<key>` (dots as dashes) on its container."""
        return self.page.locator(f".st-key-{key.replace('.', '-')}")

    def slider_labelled(self, label: str) -> Locator:
        """A slider of the main area by its exact label (its accessible name repeats the label)."""
        return self.main.locator(f'input[type=range][aria-label="{label}"]')

    def image_with_caption(self, fragment: str, scope: Locator | None = None) -> Locator:
        images = (scope or self.main).locator("[data-testid=stImage]")
        return images.filter(has=self.page.locator("[data-testid=stImageCaption]", has_text=fragment)).locator("img")

    # --- waiting -------------------------------------------------------------------------------
    async def settle(self, since: int | None = None, quiet_ms: int = 300, timeout: int = TIMEOUT_MS) -> None:
        """Wait until the page is still: with `since` (from `mark()` before an action), first until
        a script run has finished since then and none is in progress, as the server tells it."""
        deadline = time.monotonic() + timeout / 1000
        while self.running or (since is not None and self.runs <= since):
            if time.monotonic() > deadline:
                raise PlaywrightTimeoutError(f"{self.name}: no script run finished within {timeout} ms")
            await asyncio.sleep(0.05)
        await self.page.evaluate("() => { window.__llQuiet = null; }")
        left = max(1000, int((deadline - time.monotonic()) * 1000))
        await self.page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=left, polling=100)

    async def wait_title(self, page_name: str) -> None:
        title = self.t(PAGES[page_name][1])
        await expect(self.main.locator("h1").first).to_have_text(title, timeout=TIMEOUT_MS)

    async def wait_images_loaded(self) -> None:
        """Every st.image of the page is loaded (naturalWidth > 0)."""
        await self.page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stImage] img')]
                     .every(i => i.complete && i.naturalWidth > 0)""",
            timeout=TIMEOUT_MS, polling=100,
        )  # fmt: skip

    # --- navigation and controls ---------------------------------------------------------------
    async def open(self) -> None:
        mark = self.mark()
        await self.page.goto(self.url, wait_until="domcontentloaded")
        await self.wait_title("home")
        await self.settle(mark)

    def nav_link(self, page_name: str) -> Locator:
        nav = self.page.locator("[data-testid=stSidebarNav]")
        return nav.get_by_role("link", name=self.t(PAGES[page_name][0]), exact=True)

    async def go(self, page_name: str) -> None:
        """Follow the sidebar navigation to a page and wait until it has drawn."""
        mark = self.mark()
        await self.nav_link(page_name).click()
        await self.wait_title(page_name)
        await self.settle(mark)
        await self.wait_images_loaded()

    async def choose(self, scope: Locator, label: str, option: str) -> None:
        """Pick `option` in the selectbox labelled `label` within `scope`."""
        await self.choose_in(scope.get_by_role("combobox", name=label, exact=True), option)

    async def choose_in(self, box: Locator, option: str) -> None:
        """Pick `option` in a selectbox (`box`: its combobox, found so that it survives the choice)."""
        if await box.input_value() == option:
            return
        await box.click()
        mark = self.mark()
        await self.page.get_by_role("option", name=option, exact=True).click()
        await self.settle(mark)  # first: a label that changes (the language's) redraws the widget
        await expect(box).to_have_value(option, timeout=TIMEOUT_MS)

    async def options(self, scope: Locator, label: str) -> list[str]:
        """The options of a selectbox, read by opening it (and closing it again)."""
        box = scope.get_by_role("combobox", name=label, exact=True)
        await box.click()
        listbox = self.page.get_by_role("listbox")
        await listbox.wait_for()
        texts = await listbox.get_by_role("option").all_inner_texts()
        await box.press("Escape")
        await listbox.wait_for(state="hidden")
        return [t.strip() for t in texts]

    async def slider_value(self, slider: Locator) -> str:
        return (await slider.get_attribute("aria-valuetext")) or (await slider.input_value())

    async def press_slider(self, slider: Locator, key: str) -> str:
        """Move a slider one step with the keyboard and wait for the rerun; returns its new value."""
        before = await self.slider_value(slider)
        mark = self.mark()
        await slider.press(key)
        await self.settle(mark)
        await expect(slider).not_to_have_attribute("aria-valuetext", before, timeout=TIMEOUT_MS)
        return await self.slider_value(slider)

    async def image_src(self, image: Locator) -> str:
        src = await image.get_attribute("src")
        assert src, f"{self.name}: an image without src"
        return urljoin(self.page.url, src)

    async def image_bytes(self, src: str) -> bytes:
        if src.startswith("data:"):  # the app inlines its pictures (ui/images.py: png_data_url)
            return base64.b64decode(src.split(",", 1)[1])
        response = await self.context.request.get(src)
        assert response.ok, f"{self.name}: {src} answered {response.status}"
        return await response.body()

    async def fill_number(self, box: Locator, value: int | float) -> None:
        """Type a value into a number input and commit it (Enter), then wait for the rerun."""
        mark = self.mark()
        await box.fill(str(value))
        await box.press("Enter")
        await self.settle(mark)
        await expect(box).to_have_value(str(value))

    async def click(self, target: Locator) -> None:
        """Click something that reruns the script (a button, a radio option) and wait for the rerun."""
        mark = self.mark()
        await target.click()
        await self.settle(mark)

    async def timed_key(self, target: Locator, key: str, images: list[Locator], *, with_urls: bool = False,
                        timeout: int = TIMEOUT_MS) -> tuple[float, float, list[str]]:  # fmt: skip
        """Press `key` on `target` and wait until every image in `images` shows a new picture.

        Returns, in milliseconds from the key press: when the last new picture finished loading,
        and when the last new picture URL was put in the page (the server's answer drawn, before
        the picture is fetched); and the new image URLs if `with_urls` (else an empty list). Times
        are taken in the page's own clock, and the waiting happens in the page too: nothing on the
        test's side adds to the figures.
        """
        positions = [await img.evaluate("(e, sel) => [...document.querySelectorAll(sel)].indexOf(e)", PAGE_IMAGES)
                     for img in images]  # fmt: skip
        assert min(positions) >= 0, f"{self.name}: an image to watch is not on the page"
        await self.page.evaluate(WATCH_JS, [PAGE_IMAGES, positions])
        await target.press(key)
        done = await self.page.wait_for_function(TIMED_JS, arg=[PAGE_IMAGES, with_urls], timeout=timeout, polling=50)
        loaded, shown, urls = await done.json_value()
        return float(loaded), float(shown), list(urls or [])

    async def plot_points(self, index: int = 0) -> int | None:
        """How many points the index-th plotly chart of the page draws (all traces), None if absent."""
        return await self.page.evaluate(PLOT_POINTS_JS, index)

    async def wait_for_plot_points(self, index: int = 0, timeout: int = TRAIN_TIMEOUT_MS) -> None:
        """Until the index-th plotly chart draws at least one point (a training's first steps)."""
        drawn = f"() => {{ const n = ({PLOT_POINTS_JS})({index}); return n != null && n > 0; }}"
        await self.page.wait_for_function(drawn, timeout=timeout, polling=100)

    # --- checks --------------------------------------------------------------------------------
    async def problems(self) -> list[str]:
        """Tracebacks and error boxes on the page (st.exception, st.error)."""
        found = []
        for testid in ("stException", "stAlertContentError"):
            for text in await self.page.locator(f"[data-testid={testid}]").all_inner_texts():
                found.append(f"{testid}: {text.strip()[:500]}")
        return found

    async def assert_clean(self, where: str) -> None:
        problems = await self.problems()
        assert not problems, f"{self.name} on {where}: {problems}"

    async def screenshot(self, name: str) -> Path:
        """The whole page, not just the viewport: Streamlit scrolls inside its main block, so the
        viewport is made as tall as the content for the picture, then put back."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        height = await self.page.evaluate(
            """() => { const m = document.querySelector('[data-testid=stMain]');
                       return Math.max(m ? m.scrollHeight : 0, document.documentElement.scrollHeight); }"""
        )  # fmt: skip
        size = self.page.viewport_size or VIEWPORT
        tall = min(max(int(height), size["height"]), 12_000)
        if tall != size["height"]:
            await self.page.set_viewport_size({"width": size["width"], "height": tall})
            await self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        try:
            await self.page.screenshot(path=str(path), full_page=True)
        finally:
            if tall != size["height"]:
                await self.page.set_viewport_size(size)
        return path


# --- the classroom scenario -------------------------------------------------------------------


@dataclass
class Sample:
    student: str
    action: str  # "slider" or "grid"
    ms: float  # key press → new picture loaded
    shown_ms: float  # key press → new picture URL in the page (the server's answer drawn)
    during_training: bool


@dataclass
class ClassroomResult:
    students: int
    samples: list[Sample] = field(default_factory=list)
    training_seconds: float = 0.0
    training_stopped_early: bool = False
    training_epochs: list[int] = field(default_factory=list)  # per model: the epoch it had reached
    trained: bool = True
    wall_seconds: float = 0.0
    server_cpu_seconds: float | None = None  # CPU the server used during the scenario
    browser_cpu_seconds: float | None = None  # CPU the test's own Chromium and Playwright used, at least
    server_peak_mb: float | None = None  # the server's peak resident memory (training children apart)
    final_sliders: dict[str, str] = field(default_factory=dict)
    final_grid: dict[str, str] = field(default_factory=dict)
    console: ConsoleLog | None = None
    notes: list[str] = field(default_factory=list)  # app oddities seen on the way that are not failures

    @property
    def times(self) -> list[float]:
        return [s.ms for s in self.samples]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times)

    @property
    def worst_ms(self) -> float:
        return max(self.times)

    def report(self, target_median_ms: float, target_worst_ms: float) -> str:
        def line(label: str, times: list[float]) -> str:
            if not times:
                return f"  {label:<26} no samples"
            q = statistics.quantiles(times, n=10, method="inclusive")[-1] if len(times) >= 2 else times[0]
            return (f"  {label:<26} n={len(times):3d}  median {statistics.median(times):6.0f} ms  "
                    f"p90 {q:6.0f} ms  worst {max(times):6.0f} ms")  # fmt: skip

        during = [s.ms for s in self.samples if s.during_training]
        verdict_median = "met" if self.median_ms < target_median_ms else "MISSED"
        verdict_worst = "met" if self.worst_ms < target_worst_ms else "MISSED"
        if self.trained:
            stopped = ", stopped by the test" if self.training_stopped_early else ""
            reached = f", epoch {' and '.join(map(str, self.training_epochs))}" if self.training_epochs else ""
            who = f"one of them training (it ran {self.training_seconds:.1f} s{stopped}{reached})"
        else:
            who = "nobody training"
        return "\n".join([
            f"Classroom load: {self.students} students on one server, {who}, scenario {self.wall_seconds:.1f} s; "
            "time from key press to the new image loaded:",
            line("all interactions", self.times),
            line("latent slider -> image", [s.ms for s in self.samples if s.action == "slider"]),
            line("grid size -> both grids", [s.ms for s in self.samples if s.action == "grid"]),
            line("while training ran", during),
            line("(new URL in the page)", [s.shown_ms for s in self.samples]),
            *(f"  note: {n}" for n in self.notes),
            f"  target: median < {target_median_ms:.0f} ms ({verdict_median}), "
            f"worst < {target_worst_ms:.0f} ms ({verdict_worst})",
        ] + ([f"  CPU during the scenario ({os.cpu_count()} cores, {self.wall_seconds:.0f} s): server "
              f"{self.server_cpu_seconds:.0f} s; the students' Chromium and Playwright, on the same machine, "
              f">= {self.browser_cpu_seconds:.0f} s"]
             if self.server_cpu_seconds is not None and self.browser_cpu_seconds is not None else [])
            + ([f"  server memory: peak resident {self.server_peak_mb:.0f} MB"] if self.server_peak_mb else []))  # fmt: skip


async def _student_explores(student: Student, index: int, moves: int, grid_moves: int, result: ClassroomResult,
                            training: dict[str, Any], rng: random.Random, think: tuple[float, float]) -> None:  # fmt: skip
    """A student looks at the Train page while another trains (and sees no training of its own),
    then works on the sliders and on the grid; every interaction is timed. The net movement differs
    between students (index), so their final values differ and can be told apart."""
    await student.open()
    await training["started"].wait()  # measure while the class's training runs
    if training["running"]:  # another student's training in progress is not shown here
        await student.go("train")
        await expect(student.main.get_by_text(student.t("train.idle"))).to_be_visible()
        assert await student.plot_points() is None, f"{student.name} sees a loss chart it did not start"
        assert not await student.widget("train_stop").get_by_role("button").is_enabled()
    await student.go("sliders")
    start = student.widget("keep.sliders_start")
    await student.click(start.get_by_text(student.t("sliders.start.zero"), exact=True))
    slider = student.slider_labelled("z1")
    await expect(slider).to_have_attribute("aria-valuetext", re.compile(r"^-?0(\.0+)?$"), timeout=TIMEOUT_MS)
    decoded = student.image_with_caption(text_fragment("sliders.decoded"))

    net = 2 * ((index - 1) % (moves + 1)) - moves  # -moves, -moves + 2, ..., moves: distinct per student
    rights = (moves + net) // 2
    keys = ["ArrowRight"] * rights + ["ArrowLeft"] * (moves - rights)
    for key in keys:
        await asyncio.sleep(rng.uniform(*think))  # a student's thinking time
        ms, shown, _ = await student.timed_key(slider, key, [decoded])
        result.samples.append(Sample(student.name, "slider", ms, shown, training["running"]))
    await student.settle()
    result.final_sliders[student.name] = await student.slider_value(slider)

    await student.go("grid")
    size = student.widget("keep.grid_n").get_by_role("slider")
    grids = student.main.locator("[data-testid=stImage] img")  # AE and VAE grids (overlay off)
    await expect(grids).to_have_count(2, timeout=TIMEOUT_MS)
    grid_keys = ["ArrowRight" if (index + i) % 3 else "ArrowLeft" for i in range(grid_moves)]
    for key in grid_keys:
        await asyncio.sleep(rng.uniform(*think))
        ms, shown, _ = await student.timed_key(size, key, [grids.nth(0), grids.nth(1)])
        result.samples.append(Sample(student.name, "grid", ms, shown, training["running"]))
    await student.settle()
    result.final_grid[student.name] = await student.slider_value(size)


async def _student_trains(student: Student, epochs: int, training: dict[str, Any], result: ClassroomResult) -> None:
    """The student who trains: MNIST, both models, for longer than the class lasts (the test stops
    it, and what it learned is kept); starts, then keeps the page open."""
    await student.open()
    await student.go("train")
    if epochs <= 0:  # a class without training (to compare)
        training["started"].set()
        await training["others_done"].wait()
        return
    await student.fill_number(student.widget("keep.train_epochs").get_by_role("spinbutton"), epochs)
    await student.widget("train_start").get_by_role("button").click()
    began = time.monotonic()
    await student.wait_for_plot_points()
    training["running"] = True
    training["started"].set()
    explore = student.widget("train_explore").get_by_role("button")
    finished = asyncio.ensure_future(explore.wait_for(timeout=TRAIN_TIMEOUT_MS))
    others = asyncio.ensure_future(training["others_done"].wait())
    await asyncio.wait([finished, others], return_when=asyncio.FIRST_COMPLETED)
    if not finished.done():  # the class is done before the training: stop it (what it learned is kept)
        stop = student.widget("train_stop").get_by_role("button")
        try:
            await stop.click(timeout=15_000)
            result.training_stopped_early = True
        except PlaywrightTimeoutError:  # it finished meanwhile, and the button went disabled
            pass
    await finished
    others.cancel()
    training["running"] = False
    result.training_seconds = time.monotonic() - began
    await student.settle()
    await student.assert_clean("the Train page after training")
    await expect(explore).to_be_visible()  # the new models are registered for this session
    # How far it got while the class worked: "…: stopped during epoch 12; …" (or done: all of them).
    endings = student.main.locator("[data-testid=stAlertContentWarning], [data-testid=stAlertContentSuccess]")
    ended = await endings.all_inner_texts()
    template = re.escape(student.t("train.status.stopped", model="@M@", epoch="@E@", file="@F@"))
    stopped_at = re.compile(template.replace("@M@", ".*").replace("@E@", r"(\d+)").replace("@F@", ".*"))
    result.training_epochs = [int(m.group(1)) if (m := stopped_at.search(text)) else epochs for text in ended]


async def _check_isolation(student: Student, trainer: bool, result: ClassroomResult) -> None:
    """Own models only, own slider and grid values only."""
    if trainer and not result.trained:
        return
    if trainer:
        if not await student.widget("train_explore").count():
            result.notes.append(f"{student.name}: the 'Explore the new models' button had gone from the Train page")
    else:  # first its own values (on the model it used), then the data set the trainer used
        await student.go("sliders")
        slider = student.slider_labelled("z1")
        await expect(slider).to_have_attribute("aria-valuetext", result.final_sliders[student.name],
                                               timeout=TIMEOUT_MS)  # fmt: skip
    await student.go("grid")
    if not trainer:
        await expect(student.widget("keep.grid_n").get_by_role("slider")).to_have_attribute(
            "aria-valuetext", result.final_grid[student.name], timeout=TIMEOUT_MS)  # fmt: skip
    await student.choose(student.sidebar, student.t("picker.dataset"), student.t("dataset.mnist"))
    pairs = await student.options(student.sidebar, student.t("picker.pair"))
    own = [p for p in pairs if p.startswith(text_prefix("picker.source.session"))]
    others = [p for p in pairs if p.startswith(text_prefix("picker.source.others"))]
    assert not others, f"{student.name} sees other users' models without asking for them: {pairs}"
    if trainer:  # its new pair is offered, and draws
        assert len(own) == 1, f"{student.name} trained one pair but the picker offers {pairs}"
        await student.choose(student.sidebar, student.t("picker.pair"), own[0])
        await student.wait_images_loaded()
        await expect(student.page.locator(PAGE_IMAGES)).to_have_count(2)  # its AE and VAE grids
    else:
        assert not own, f"{student.name} sees a model it did not train: {pairs}"
    await student.assert_clean("the isolation check")


async def run_classroom(server_url: str, executable: str, *, students: int = 8, moves: int = 6, server_pid: int | None = None,
                        grid_moves: int = 4, epochs: int = 200, think: tuple[float, float] = (0.8, 1.6),
                        seed: int = 0) -> ClassroomResult:  # fmt: skip
    """One student trains (MNIST, AE and VAE, `epochs` epochs, stopped when the others are done)
    while the others each move a latent slider `moves` times and the grid size `grid_moves` times.
    Then every student checks that it sees only its own models and values."""
    host = urlparse(server_url).hostname or "127.0.0.1"
    console = ConsoleLog(host)
    result = ClassroomResult(students=students, console=console, trained=epochs > 0)
    training: dict[str, Any] = {"started": asyncio.Event(), "others_done": asyncio.Event(), "running": False}
    began = time.monotonic()
    server_cpu = cpu_seconds([server_pid]) if server_pid else None
    browser_cpu: dict[int, float] = {}  # pid → CPU seconds at the start, then the latest reading

    async def watch_browser() -> None:  # Chromium's renderers come and go: sample them while they live
        start: dict[int, float] = {}
        while True:
            for pid in descendants(os.getpid(), excluding={server_pid} if server_pid else set()):
                used = cpu_seconds([pid])
                start.setdefault(pid, used)
                browser_cpu[pid] = used - start[pid]
            await asyncio.sleep(0.5)

    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        watcher = asyncio.ensure_future(watch_browser())
        small = {"width": 1280, "height": 900}
        class_ = [await Student.join(browser, server_url, console, f"student{i}", small) for i in range(students)]
        explorers_left = students - 1

        async def explorer(i: int) -> None:
            nonlocal explorers_left
            try:
                await _student_explores(class_[i], i, moves, grid_moves, result, training, random.Random(seed + i),
                                        think)
            finally:
                explorers_left -= 1
                if explorers_left == 0:
                    training["others_done"].set()

        try:
            async def trainer() -> None:
                try:
                    await _student_trains(class_[0], epochs, training, result)
                finally:
                    training["started"].set()  # never leave the others waiting on a failed trainer

            outcomes = await asyncio.gather(trainer(),
                                            *(explorer(i) for i in range(1, students)), return_exceptions=True)  # fmt: skip
            await _raise_first(outcomes, class_)
            values = list(result.final_sliders.values())
            if students - 1 <= moves + 1:
                assert len(set(values)) == len(values), f"students were meant to end on distinct slider values: {values}"
            outcomes = await asyncio.gather(*(_check_isolation(s, i == 0, result) for i, s in enumerate(class_)),
                                            return_exceptions=True)  # fmt: skip
            await _raise_first(outcomes, class_)
        finally:
            watcher.cancel()
            for s in class_:
                await s.close()
            await browser.close()
    result.wall_seconds = time.monotonic() - began
    if server_pid:
        result.server_cpu_seconds = cpu_seconds([server_pid]) - (server_cpu or 0.0)
        result.browser_cpu_seconds = sum(browser_cpu.values())
        result.server_peak_mb = peak_memory_mb(server_pid)
    return result


async def _raise_first(outcomes: list[Any], students: list[Student]) -> None:
    failures = [(s, o) for s, o in zip(students, outcomes) if isinstance(o, BaseException)]
    for s, _ in failures:  # what each failing student saw
        try:
            await s.screenshot(f"classroom-failure-{s.name}")
        except Exception:  # noqa: BLE001 - a picture is a bonus, never the error
            pass
    if failures:
        s, error = failures[0]
        others = "; ".join(f"{x.name}: {type(o).__name__}: {str(o)[:200]}" for x, o in failures[1:])
        raise AssertionError(f"{s.name}: {type(error).__name__}: {error}" + (f" (also {others})" if others else "")) from error
