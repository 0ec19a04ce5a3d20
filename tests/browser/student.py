"""One person using the app in Chromium: the page object that the browser tests drive.

A `Student` is one browser context, hence one Streamlit session. It finds what it needs through
the app's own names: page names from `ui.navigation.PAGES`, texts through `ui.texts.t` in the
student's language, widgets by their keys (Streamlit puts the CSS class `st-key-<key>` on a keyed
widget's container). After every action it waits for what the action changes in the page, then
for the page to settle (`settle`). Playwright's async API is used: one Chromium, one context per
student, driven concurrently with asyncio.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from bench.protocol_student import option_number
from tests.browser.server import ARTIFACTS
from ui.navigation import PAGE_BY_NAME, PAGES
from ui.texts import TEXTS, t

try:
    from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # require_browser (conftest.py) turns this into a skip, or a failure in CI
    async_playwright = expect = None  # type: ignore[assignment]
    PlaywrightTimeoutError = TimeoutError  # type: ignore[misc,assignment]

SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ENV = "LATENT_LAB_CHROMIUM"  # another Chromium binary, if not /usr/bin/chromium
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECTOR = {"width": 1400, "height": 1000}  # a classroom projector
PHONE = {"width": 390, "height": 844}
VIEWPORT = PROJECTOR
TIMEOUT_MS = 60_000  # any single wait: generous for two slow, shared cores
TRAIN_TIMEOUT_MS = 240_000
STOP_TIMEOUT_MS = 90_000  # a stopped training saves what it learned, then offers its models
STOP_CLICKS = 3  # a click lost in a busy page is clicked again, as a student would
ANSWER_TIMEOUT_MS = 30_000  # from a click on Stop to the page saying "stopping…"


def chromium_path() -> str | None:
    """$LATENT_LAB_CHROMIUM, Debian's /usr/bin/chromium or `chromium` on the PATH; None if none runs."""
    candidates = [os.environ.get(CHROMIUM_ENV, "").strip(), DEFAULT_CHROMIUM, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


async def launch_browser(playwright: Any, executable: str) -> Browser:
    """Chromium itself: Playwright's own browser download is not used."""
    return await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


# --- texts: the fixed pieces of a template, to find a text whatever numbers fill it ----------------


def _template_parts(key: str, lang: str) -> list[str]:
    return [literal for literal, *_ in string.Formatter().parse(TEXTS[key][lang])]


def text_fragment(key: str, lang: str = "en") -> str:
    """The longest fixed piece of a templated text: finds a caption whatever its numbers are."""
    return max(_template_parts(key, lang), key=len).strip()


def text_prefix(key: str, lang: str = "en") -> str:
    """What a templated text starts with, up to its first placeholder ('Trained here ')."""
    return _template_parts(key, lang)[0]


# --- what runs in the page ----------------------------------------------------------------------

# Timestamps, in the page's own clock, of every key press, every image that finished loading and
# every image URL put in the page.
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

# What `timed_key` waits for is kept in the page (window.__llWatch): the pictures are data: URLs of
# up to a few hundred kilobytes, and carrying them to the test on every poll would make the
# browser, the measuring instrument, work harder than the app.
WATCH_JS = """([sel, positions]) => {
  const imgs = [...document.querySelectorAll(sel)];
  window.__llWatch = {presses: window.__latentLab.keys.length, positions, olds: positions.map(i => imgs[i].src)};
}"""
# Done when every watched image shows a new picture that has loaded since the key press:
# [ms to the last load, ms to the last new URL in the page, the URLs or null].
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

# Settled: no script run (data-test-script-state is the hook Streamlit's own browser tests wait
# on), no status widget, no stale element, the navigation drawn, and all of it for quietMs.
SETTLED_JS = """(quietMs) => {
  const app = document.querySelector('[data-testid=stApp]');
  const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
    || document.querySelector('[data-testid=stStatusWidget], [data-stale=true]')
    || !document.querySelector('.st-key-nav');
  const now = performance.now();
  if (busy) { window.__llQuiet = null; return false; }
  if (window.__llQuiet == null) window.__llQuiet = now;
  return now - window.__llQuiet >= quietMs;
}"""

IMAGES_LOADED_JS = f"() => [...document.querySelectorAll('{PAGE_IMAGES}')].every(i => i.complete && i.naturalWidth > 0)"

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

PAGE_HEIGHT_JS = """() => {
  const m = document.querySelector('[data-testid=stMain]');
  return Math.max(m ? m.scrollHeight : 0, document.documentElement.scrollHeight);
}"""
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


# --- the browser console ------------------------------------------------------------------------


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
    """Browser console errors and uncaught page errors of every student; clear external noise is
    listed apart and not counted."""

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
        """Only a resource from another host than the app's that failed to load (the students block
        every request that leaves 127.0.0.1, as an offline classroom would), and Streamlit's own
        probe for its server under a page's path when a page's address is opened directly."""
        url = urlparse(entry.url)
        page_probe = re.fullmatch(r"/[a-z_]+/_stcore/(health|host-config)", url.path)
        if entry.kind == "error" and "404" in entry.text and url.hostname == self.app_host and page_probe:
            return f"Streamlit looks for its server under the page's path first: {entry.url}"
        host = url.hostname or ""
        if (
            entry.kind == "error"
            and entry.text.startswith("Failed to load resource")
            and host
            and host != self.app_host
        ):
            return f"external resource blocked by the test (offline classroom): {entry.url}"
        return None

    def report(self) -> str:
        lines = ["unexpected:"] + [f"  {e.line()}" for e in self.errors]
        lines += ["ignored:"] + [f"  {e.line()} — {why}" for e, why in self.ignored]
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.report() + "\n")


# --- one student --------------------------------------------------------------------------------


class Student:
    """One browser context: one Streamlit session, as one person in the class."""

    def __init__(self, name: str, context: BrowserContext, page: Page, server_url: str, console: ConsoleLog):
        self.name, self.context, self.page, self.url, self.console = name, context, page, server_url, console
        self.lang = "en"
        self.crashes = 0  # times Chromium's renderer of this tab crashed (the tab shows nothing after one)
        self.reloads = 0  # times a blank tab was reloaded
        page.on("crash", self._on_crash)

    def _on_crash(self, _page: Page) -> None:
        self.crashes += 1

    @classmethod
    async def join(
        cls, browser: Browser, server_url: str, console: ConsoleLog, name: str, viewport: dict[str, int] | None = None
    ) -> Student:
        context = await browser.new_context(viewport=viewport or VIEWPORT, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        await context.add_init_script(INIT_SCRIPT)
        # Nothing leaves the machine, as in an offline classroom. Only other hosts' requests are
        # routed (matched in Playwright's driver), so the app's own requests are not slowed down.
        app = urlparse(server_url)
        elsewhere = re.compile(rf"^(?!https?://{re.escape(app.netloc)}/)[a-z]+://")
        await context.route(elsewhere, lambda route: route.abort())
        page = await context.new_page()

        def on_console(message: Any) -> None:
            if message.type == "error":
                console.add(ConsoleEntry(name, "error", message.text, (message.location or {}).get("url", "")))

        page.on("console", on_console)
        page.on("pageerror", lambda error: console.add(ConsoleEntry(name, "pageerror", str(error), page.url)))
        return cls(name, context, page, server_url, console)

    async def close(self) -> None:
        await self.context.close()

    def t(self, key: str, **values: object) -> str:
        """A text of the app in this student's language."""
        return t(key, lang=self.lang, **values)

    # --- places on the page -------------------------------------------------------------------
    @property
    def main(self) -> Locator:
        return self.page.locator("[data-testid=stMain]")

    @property
    def sidebar(self) -> Locator:
        return self.page.locator("[data-testid=stSidebar]")

    @property
    def nav(self) -> Locator:
        """The navigation that every page draws first (ui.shell.page_setup: container key "nav")."""
        return self.widget("nav")

    def widget(self, key: str) -> Locator:
        """A widget by its key: Streamlit puts `st-key-<key>` (dots as dashes) on its container."""
        return self.page.locator(f".st-key-{key.replace('.', '-')}")

    def slider_labelled(self, label: str) -> Locator:
        """A slider of the main area by its exact label (its accessible name repeats the label)."""
        return self.main.locator(f'input[type=range][aria-label="{label}"]')

    def image_with_caption(self, fragment: str, scope: Locator | None = None) -> Locator:
        images = (scope or self.main).locator("[data-testid=stImage]")
        return images.filter(has=self.page.locator("[data-testid=stImageCaption]", has_text=fragment)).locator("img")

    @property
    def nav_labels(self) -> Locator:
        """The navigation links' labels, in order (without their icons' names)."""
        return self.nav.locator("[data-testid=stPageLink-NavLink] [data-testid=stMarkdownContainer]")

    def nav_link(self, page_name: str) -> Locator:
        return self.nav.get_by_role("link", name=self.t(PAGE_BY_NAME[page_name].nav_key), exact=True)

    def page_url(self, page_name: str) -> str:
        """A page's address: its file's stem ('/latent_grid'), the home page at '/'."""
        return urljoin(self.url, "" if page_name == "home" else page_name)

    # --- waiting ------------------------------------------------------------------------------
    async def settle(self, quiet_ms: int = 300, timeout: int = TIMEOUT_MS) -> None:
        """Wait until the page is still: no script run in progress and nothing stale for `quiet_ms`.
        Call it after waiting for what an action changes, so that the action's run has begun."""
        await self.page.evaluate("() => { window.__llQuiet = null; }")
        await self.page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=timeout, polling=100)

    async def wait_title(self, page_name: str) -> None:
        title = self.t(PAGE_BY_NAME[page_name].title_key)
        await expect(self.main.locator("h1").first).to_have_text(title, timeout=TIMEOUT_MS)

    async def wait_images_loaded(self) -> None:
        """Every st.image of the page is loaded (naturalWidth > 0)."""
        await self.page.wait_for_function(IMAGES_LOADED_JS, timeout=TIMEOUT_MS, polling=100)

    # --- navigation and controls --------------------------------------------------------------
    async def open(self) -> None:
        await self.page.goto(self.url, wait_until="domcontentloaded")
        await self.wait_title("home")
        await expect(self.nav.get_by_role("link")).to_have_count(len(PAGES), timeout=TIMEOUT_MS)
        await self.settle()

    async def go(self, page_name: str) -> None:
        """Follow the sidebar's link to a page and wait until the page has drawn."""
        await self.nav_link(page_name).click()
        address = re.compile("^" + re.escape(self.page_url(page_name)) + r"(\?.*)?$")
        await expect(self.page).to_have_url(address, timeout=TIMEOUT_MS)
        await self.wait_title(page_name)
        await self.settle()
        await self.wait_images_loaded()

    async def choose(self, scope: Locator, label: str, option: str) -> None:
        """Pick `option` in the selectbox labelled `label` within `scope`."""
        await self.choose_in(scope.get_by_role("combobox", name=label, exact=True), option)

    async def choose_in(self, box: Locator, option: str) -> None:
        """Pick `option` in a selectbox (`box`: its combobox, found so that it survives the choice)."""
        if await box.input_value() == option:
            return
        await self.open_list(box)
        await self.page.get_by_role("option", name=option, exact=True).click()
        await expect(box).to_have_value(option, timeout=TIMEOUT_MS)
        await self.settle()
        await expect(box).to_have_value(option, timeout=TIMEOUT_MS)  # and the rerun kept it

    async def choose_radio(self, key: str, label: str) -> None:
        """Pick the option labelled `label` of the radio group with widget key `key`."""
        group = self.widget(key)
        await group.get_by_text(label, exact=True).click()
        option = group.get_by_role("radio", name=label, exact=True)
        await expect(option).to_be_checked(timeout=TIMEOUT_MS)
        await self.settle()
        await expect(option).to_be_checked(timeout=TIMEOUT_MS)

    async def open_list(self, box: Locator) -> Locator:
        """Open a selectbox's list of options; a rerun that lands just after the click redraws it closed."""
        listbox = self.page.get_by_role("listbox")
        for _ in range(2):
            await box.click()
            try:
                await listbox.wait_for(timeout=10_000)
                return listbox
            except PlaywrightTimeoutError:
                await self.settle()
        await box.click()
        await listbox.wait_for(timeout=TIMEOUT_MS)
        return listbox

    async def options(self, scope: Locator, label: str) -> list[str]:
        """The options of a selectbox, read by opening it (and closing it again)."""
        box = scope.get_by_role("combobox", name=label, exact=True)
        listbox = await self.open_list(box)
        texts = await listbox.get_by_role("option").all_inner_texts()
        await box.press("Escape")
        await listbox.wait_for(state="hidden")
        return [text.strip() for text in texts]

    async def slider_value(self, slider: Locator) -> str:
        return (await slider.get_attribute("aria-valuetext")) or (await slider.input_value())

    async def slider_number(self, slider: Locator) -> float:
        """The number a slider shows, in either language (the app's sliders of decimals write
        0,25 in Portuguese)."""
        return option_number(await self.slider_value(slider))

    async def press_slider(self, slider: Locator, key: str) -> str:
        """Move a slider one step with the keyboard and wait for the rerun; returns its new value."""
        before = await self.slider_value(slider)
        await slider.press(key)
        await expect(slider).not_to_have_attribute("aria-valuetext", before, timeout=TIMEOUT_MS)
        await self.settle()
        return await self.slider_value(slider)

    async def fill_number(self, box: Locator, value: int | float) -> None:
        """Type a value into a number input and commit it (Enter), then wait for the rerun."""
        await box.fill(str(value))
        await box.press("Enter")
        await self.settle()
        await expect(box).to_have_value(str(value))

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

    async def timed_key(
        self, target: Locator, key: str, images: list[Locator], *, with_urls: bool = False, timeout: int = TIMEOUT_MS
    ) -> tuple[float, float, list[str]]:
        """Press `key` on `target` and wait until every image in `images` shows a new picture.

        Returns, in milliseconds from the key press: when the last new picture finished loading,
        and when the last new picture URL was put in the page (the server's answer drawn, before
        the picture is fetched); and the new image URLs if `with_urls` (else an empty list). Times
        are taken in the page's own clock, and the waiting happens in the page too: nothing on the
        test's side adds to the figures.
        """
        find = "(e, sel) => [...document.querySelectorAll(sel)].indexOf(e)"
        positions = [await image.evaluate(find, PAGE_IMAGES) for image in images]
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

    async def stop_training(self) -> int:
        """Stop this page's training and wait until its models are offered ("Explore the new models").
        A click the page does not answer with "stopping…" (or the end) within ANSWER_TIMEOUT_MS is
        clicked again, up to STOP_CLICKS times, as a student would; a blank tab (a crashed renderer) is
        reloaded first (the browser's training is found again). Returns the clicks it took (0: it had
        ended before any)."""
        stop = self.widget("train_stop").get_by_role("button")
        explore = self.widget("train_explore").get_by_role("button")
        stopping = self.main.get_by_text(text_fragment("train.status.stopping", self.lang))
        answered = explore.or_(stopping.first)
        for clicks in range(STOP_CLICKS + 1):
            if clicks and not await self.main.count():  # a blank tab (its renderer crashed): reload it
                self.reloads += 1
                await self.page.reload(wait_until="domcontentloaded")
                await self.wait_title("train")
            if clicks:
                try:
                    await stop.click(timeout=15_000)
                except PlaywrightTimeoutError:  # disabled meanwhile: it ended on its own
                    pass
            try:
                await answered.first.wait_for(timeout=ANSWER_TIMEOUT_MS if clicks else 1_000)
            except PlaywrightTimeoutError:
                continue
            await explore.wait_for(timeout=STOP_TIMEOUT_MS)
            return clicks
        raise AssertionError(f"{self.name}: the page did not answer {STOP_CLICKS} clicks on Stop")

    # --- checks -------------------------------------------------------------------------------
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
        size = self.page.viewport_size or VIEWPORT
        tall = min(max(int(await self.page.evaluate(PAGE_HEIGHT_JS)), size["height"]), 12_000)
        if tall != size["height"]:
            await self.page.set_viewport_size({"width": size["width"], "height": tall})
            await self.page.evaluate(TWO_FRAMES_JS)
        try:
            await self.page.screenshot(path=str(path), full_page=True)
        finally:
            if tall != size["height"]:
                await self.page.set_viewport_size(size)
        return path
