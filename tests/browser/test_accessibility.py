"""Every page for a student without a pointer, or without sight, in a real Chromium at 1400×1000:

- Playwright's accessibility snapshot of the main area: every image has a name (its text
  alternative: a caption, or the latent pad's "AE, z = (0.52, -1.20): looks like a 7"), and every
  chart's summary in words is in it.
- A keyboard-only walk: from the page's heading, Tab moves through the page's controls, each shown
  with a visible focus ring, and never stays put (no focus trap); Shift+Tab walks back.

In English; the texts of both languages are checked through AppTest (tests/test_ui_chart_text.py).
"""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.browser.server import AppServer
from tests.browser.student import ConsoleLog, Student, async_playwright, launch_browser
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

TAB_PRESSES = 25  # Tab presses from a page's heading: past its first controls, on every page
MIN_STOPS = 3  # distinct places the walk must reach (a page of two buttons and a link has 3)
ENTRY = re.compile(r"^(?P<indent>\s*)- (?P<role>[a-z]+)(?P<name> \"|:)?")  # a snapshot's line: its role, named or not


def unnamed_images_and_named_charts(snapshot: str) -> tuple[int, int]:
    """Images the snapshot gives no name, and charts (a "figure" named by its summary). What plotly
    draws inside a named chart (its axes' SVG) is part of that chart, not an image of its own."""
    unnamed, charts, chart_indent = 0, 0, None
    for line in snapshot.splitlines():
        entry = ENTRY.match(line.replace("'", ""))
        if entry is None:
            continue
        indent = len(entry["indent"])
        if chart_indent is not None and indent > chart_indent:
            continue
        chart_indent = None
        if entry["role"] == "figure" and entry["name"] == ' "':
            charts, chart_indent = charts + 1, indent
        elif entry["role"] == "img" and entry["name"] is None:
            unnamed += 1
    return unnamed, charts


# What has the focus: an id of its own (kept on the element), whether a ring shows (an outline of
# 2 px or more on it, on one of its two parents, or on its label; only on a box one can see), its size.
FOCUSED_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;  // a component's
  if (!el || el === document.body) return null;
  document.getAnimations().forEach((a) => a.finish());  // a ring or a fade still under way: as it ends
  window.__llFocusIds ||= new WeakMap();
  window.__llFocusCount ||= 0;
  if (!window.__llFocusIds.has(el)) window.__llFocusIds.set(el, ++window.__llFocusCount);
  const ring = (node) => {
    const s = getComputedStyle(node);
    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;  // the page's ring: 3 px of outline
  };
  const seen = (node) => {  // a box of some size, not transparent (a radio's input is, under its label)
    if (!node) return false;
    const r = node.getBoundingClientRect();
    return r.width >= 4 && r.height >= 4 && parseFloat(getComputedStyle(node).opacity) > 0.1;
  };
  const box = el.getBoundingClientRect();
  return {
    id: window.__llFocusIds.get(el),
    what: `${el.tagName.toLowerCase()} ${(el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40)}`,
    // a ring on a hidden input (a radio's, under its label) is not seen: only boxes of some size count
    ring: [el, el.parentElement, el.parentElement?.parentElement, el.closest("label")]
      .filter(seen)
      .some(ring),
    shown: box.width > 0 && box.height > 0,
  };
}"""


async def start_at_heading(user: Student) -> None:
    """The focus on the page's heading, as a skip link would put it: the walk starts in the page."""
    await user.main.locator("h1").first.evaluate("h => { h.tabIndex = -1; h.focus(); }")


async def walk(user: Student, key: str) -> list[dict]:
    stops = []
    for _ in range(TAB_PRESSES):
        await user.page.keyboard.press(key)
        focused = await user.page.evaluate(FOCUSED_JS)
        if focused is not None:
            stops.append(focused)
    return stops


async def check_pages(server: AppServer, executable: str) -> tuple[ConsoleLog, list[str]]:
    console, problems = ConsoleLog("127.0.0.1"), []
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "accessibility")
        try:
            await user.open()
            for page in PAGES:
                if page.name != "home":
                    await user.go(page.name)
                snapshot = await user.main.aria_snapshot()
                unnamed, named = unnamed_images_and_named_charts(snapshot)
                if unnamed:
                    problems.append(f"{page.name}: {unnamed} images without a text alternative")
                charts = await user.main.locator("[data-testid=stPlotlyChart]").count()
                if named < charts:
                    problems.append(f"{page.name}: {charts} charts, {named} named by their summary")

                await start_at_heading(user)
                forward = await walk(user, "Tab")
                places = {stop["id"] for stop in forward}
                if len(places) < MIN_STOPS:
                    problems.append(f"{page.name}: Tab reached {len(places)} places: {[s['what'] for s in forward]}")
                runs = [forward[i]["id"] for i in range(len(forward))]
                if any(runs[i] == runs[i + 1] == runs[i + 2] for i in range(len(runs) - 2)):
                    problems.append(f"{page.name}: the focus stayed on one place for three Tabs (a trap)")
                problems += [
                    f"{page.name}: no visible focus on {stop['what']!r}"
                    for stop in forward
                    if stop["shown"] and not stop["ring"]
                ]
                back = await walk(user, "Shift+Tab")
                if len({stop["id"] for stop in back}) < MIN_STOPS:
                    problems.append(f"{page.name}: Shift+Tab did not walk back")
                await user.page.keyboard.press("Escape")  # a list or menu the walk opened, closed
            await user.assert_clean("accessibility walk")
        finally:
            await user.close()
            await browser.close()
    return console, problems


def test_every_page_names_its_pictures_summarises_its_charts_and_walks_by_keyboard(
    app_server: AppServer, chromium: str
) -> None:
    console, problems = asyncio.run(check_pages(app_server, chromium))
    assert not problems, "\n".join(problems)
    assert not console.errors, console.report()
    assert not app_server.tracebacks(), app_server.tracebacks()
