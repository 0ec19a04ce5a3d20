"""How the app looks where it is used: on a classroom projector (1400×1000) and on a phone (390×844).

One Chromium visits every page in English and in Portuguese. On each page, at 1400×1000, it measures
the rendered size of every visible text of the main area and the sidebar (HTML by its computed
font size; SVG text, as in diagrams and charts, by its font size times the SVG's scale on screen),
checks the AE | VAE pictures start level, that the interpolation's digits are large, that the
scatter plots are wide, that no button's label is cut and that plotly's toolbar is hidden. Then it
narrows the same page to 390×844 and checks that every model's picture is under its own name and
that formulas fit or scroll. Every page is photographed at both sizes in both languages, into
test-artifacts/screenshots/<page>-<lang>-<width>.png.

The tour runs once (a module fixture, about two minutes); each test reads its part of the findings.
A last test clicks points of the AE vs VAE charts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from tests.browser.server import AppServer
from tests.browser.student import (
    PHONE,
    PROJECTOR,
    SCREENSHOTS,
    TWO_FRAMES_JS,
    ConsoleLog,
    Student,
    async_playwright,
    expect,
    launch_browser,
    text_fragment,
)
from ui.images import row_length
from ui.navigation import PAGES
from ui.texts import LANGUAGES

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 14.0  # the smallest text a class can read on a projector
MIN_DIGIT_PX = 48.0  # one interpolated digit, on screen, at the default settings
MIN_PLOT_PX = 400.0  # the plotting area of an AE vs VAE scatter
DEFAULT_STEPS = 10  # the interpolation page's default number of steps (pages/interpolation.py)
TILES_PER_ROW = 5  # and the longest row of its decoded path
SIDE_BY_SIDE_PAGES = ("latent_grid", "interpolation", "ae_vs_vae", "fill_in")
MODELS_IN_A_ROW = {"fill_in": 3}  # the AE, the VAE and the diffusion model; elsewhere the AE and the VAE

# Every visible text node of the main area and the sidebar, with its rendered size in CSS pixels:
# [place, text, size]. A text inside an SVG is scaled with the SVG (a graphviz diagram shrunk into
# its column, a chart), so its size is its font size times the SVG's scale on screen. Hidden copies
# (KaTeX's MathML for screen readers, icon ligatures, anything of no size) are left out.
TEXT_SIZES_JS = """() => {
  const found = [];
  for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')) {
    const place = root.matches('[data-testid=stSidebar]') ? 'sidebar' : 'main';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest('.katex-mathml, [data-testid=stIconMaterial], style, script')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width < 1 || box.height < 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
      let size = parseFloat(style.fontSize);
      const svgText = el.closest('svg text');
      if (svgText) {
        const m = svgText.getScreenCTM();
        if (m) size *= Math.hypot(m.a, m.b);
      }
      found.push([place, text.slice(0, 60), Math.round(size * 10) / 10]);
    }
  }
  return found;
}"""

# Each model's name (its heading) and its pictures (images and charts in the heading's column),
# as boxes: [{kind, heading: [top, bottom], pictures: [[top, bottom], …]}, …] in page order.
MODEL_SECTIONS_JS = """(names) => {
  const found = [];
  for (const h of document.querySelectorAll('[data-testid=stMain] h3')) {
    const kind = Object.keys(names).find(k => h.textContent.trim() === names[k]);
    if (!kind) continue;
    const column = h.closest('[data-testid=stColumn]');
    const box = (e) => { const b = e.getBoundingClientRect(); return [b.top + scrollY, b.bottom + scrollY]; };
    const pictures = column
      ? [...column.querySelectorAll('[data-testid=stImage] img, [data-testid=stPlotlyChart]')].map(box) : [];
    found.push({kind, heading: box(h), pictures});
  }
  return found;
}"""

# Texts cut short with "…" (a button's or a widget's label, a selectbox's value): a one-line text in a
# box with `text-overflow: ellipsis` whose natural width (measured with its font) exceeds the box's room.
# The browser reports the cut box, not the text's own width, hence the measure. [place, text].
CUT_TEXTS_JS = """() => {
  const found = [], ctx = document.createElement('canvas').getContext('2d');
  for (const root of document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')) {
    const place = root.matches('[data-testid=stSidebar]') ? 'sidebar' : 'main';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('svg, .katex, style, script')) continue;
      let box = el;
      while (box && box !== root && getComputedStyle(box).textOverflow !== 'ellipsis') box = box.parentElement;
      if (!box || box === root || box.offsetParent === null || box.clientWidth < 1) continue;
      const s = getComputedStyle(el), b = getComputedStyle(box);
      if (!['nowrap', 'pre'].includes(s.whiteSpace)) continue;  // it wraps: nothing is cut
      ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const room = box.clientWidth - parseFloat(b.paddingLeft) - parseFloat(b.paddingRight);
      if (ctx.measureText(node.textContent).width > room + 1) found.push([place, node.textContent.trim()]);
    }
  }
  return found;
}"""

# Texts of the main area that run past the screen's right edge (a label that neither wraps nor is
# cut, in a box as wide as its text): [text]. Formulas and charts have their own checks.
OFFSCREEN_TEXTS_JS = """() => {
  const found = [], range = document.createRange();
  const walker = document.createTreeWalker(document.querySelector('[data-testid=stMain]'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.offsetParent === null) continue;
    if (el.closest("svg, .katex, style, script")) continue;
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && box.right > innerWidth + 1) found.push(node.textContent.trim());
  }
  return found;
}"""

# Formulas wider than their box that do not scroll, or that run past the screen's right edge.
CLIPPED_FORMULAS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .katex-display')]
  .filter(d => {
    const wide = d.scrollWidth > d.clientWidth + 1;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(d).overflowX);
    return (wide && !scrolls) || d.getBoundingClientRect().right > innerWidth + 1;
  })
  .map(d => d.textContent.slice(0, 40))"""

# The plotting area (plotly's main drag layer) of each chart, in CSS pixels: [width, height].
PLOT_AREAS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')]
  .map(p => p.querySelector('.nsewdrag')).filter(Boolean)
  .map(d => { const b = d.getBoundingClientRect(); return [b.width, b.height]; })"""

# Rendered boxes of the images whose caption contains a text: [[left, top, width, height], …].
CAPTIONED_IMAGES_JS = """(fragment) => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stImage]')]
  .filter(i => (i.querySelector('[data-testid=stImageCaption]')?.textContent || '').includes(fragment))
  .map(i => { const b = i.querySelector('img').getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; })"""

CHARTS = "[data-testid=stMain] [data-testid=stPlotlyChart]"
PLOTS_DRAWN_JS = f"""() => [...document.querySelectorAll('{CHARTS}')].every(c => {{
  const plot = c.querySelector('.js-plotly-plot');
  return plot && plot._fullLayout && plot.querySelector('.main-svg');
}})"""
# The page's charts are all drawn, and there are `count` of them.
CHARTS_READY_JS = f"(count) => document.querySelectorAll('{CHARTS}').length === count && ({PLOTS_DRAWN_JS})()"


@dataclass
class Findings:
    small_texts: list[str] = field(default_factory=list)  # "page (lang): 'text' 12.3 px"
    smallest: dict[str, float] = field(default_factory=dict)  # "page-lang" → smallest text, px
    order: list[str] = field(default_factory=list)  # a picture not under its own model's name
    alignment: list[str] = field(default_factory=list)  # AE and VAE pictures starting at other heights
    digits: list[str] = field(default_factory=list)  # interpolated digits under 48 px
    plots: list[str] = field(default_factory=list)  # scatter plotting areas under 400 px
    plot_areas: dict[str, list[list[int]]] = field(default_factory=dict)  # "page (lang)" → [width, height]s
    cut: list[str] = field(default_factory=list)  # texts of the main area cut short
    cut_sidebar: list[str] = field(default_factory=list)  # and of the sidebar (the picker's, not checked)
    formulas: list[str] = field(default_factory=list)  # formulas clipped on a phone
    toolbars: list[str] = field(default_factory=list)  # pages that show plotly's toolbar
    screenshots: list[str] = field(default_factory=list)
    console: ConsoleLog | None = None


async def settle_after_resize(user: Student) -> None:
    await user.page.evaluate(TWO_FRAMES_JS)
    await user.page.wait_for_timeout(400)  # plotly redraws charts on the window's resize event
    await user.page.wait_for_function(PLOTS_DRAWN_JS)
    await user.page.evaluate(TWO_FRAMES_JS)


async def model_sections(user: Student) -> list[dict]:
    names = {kind: user.t(f"model.{kind}.long") for kind in ("ae", "vae")}
    names["diffusion"] = user.t("generative.model.diffusion")
    return await user.page.evaluate(MODEL_SECTIONS_JS, names)


def check_order(sections: list[dict], where: str, found: Findings) -> None:
    """At a phone's width: AE heading < AE pictures < VAE heading < VAE pictures, for each row."""
    if len(sections) < 2:
        found.order.append(f"{where}: model headings missing ({len(sections)})")
    for index, section in enumerate(sections):
        heading_bottom = section["heading"][1]
        following = sections[index + 1]["heading"][0] if index + 1 < len(sections) else float("inf")
        if not section["pictures"]:
            found.order.append(f"{where}: no picture in the column of the {section['kind']} heading")
        for top, bottom in section["pictures"]:
            if not (heading_bottom <= top + 1 and bottom <= following + 1):
                found.order.append(
                    f"{where}: a {section['kind']} picture at {top:.0f}–{bottom:.0f} px is not between its heading "
                    f"(ends {heading_bottom:.0f}) and the next heading ({following:.0f})"
                )


def check_alignment(sections: list[dict], where: str, found: Findings, per_row: int = 2) -> None:
    """Side by side on a projector: the first pictures of each row of models start at the same height."""
    for start in range(0, len(sections), per_row):
        tops = [section["pictures"][0][0] for section in sections[start : start + per_row] if section["pictures"]]
        if len(tops) > 1 and max(tops) - min(tops) > 2:
            kinds = [section["kind"] for section in sections[start : start + per_row]]
            found.alignment.append(f"{where}: {kinds} pictures start at {[round(top) for top in tops]} px")


async def on_projector(user: Student, page: str, found: Findings) -> None:
    where = f"{page} ({user.lang})"
    sizes = await user.page.evaluate(TEXT_SIZES_JS)
    assert sizes, f"{where}: no text measured"
    found.smallest[f"{page}-{user.lang}"] = min(size for _, _, size in sizes)
    found.small_texts += [f"{where}, {place}: {text!r} {size} px" for place, text, size in sizes if size < MIN_TEXT_PX]
    await find_cut_texts(user, where, found)
    if await user.page.locator("[data-testid=stMain] .modebar-btn").count():
        found.toolbars.append(where)
    if page in SIDE_BY_SIDE_PAGES:
        check_alignment(await model_sections(user), where, found, MODELS_IN_A_ROW.get(page, 2))
    if page == "interpolation":
        per_row = row_length(DEFAULT_STEPS, TILES_PER_ROW)
        for box in await user.page.evaluate(CAPTIONED_IMAGES_JS, text_fragment("interpolation.caption", user.lang)):
            if box[2] / per_row < MIN_DIGIT_PX:
                found.digits.append(f"{where}: path tiles {box[2] / per_row:.0f} px wide")
        for key in ("interpolation.start_original", "interpolation.end_original"):
            boxes = await user.page.evaluate(CAPTIONED_IMAGES_JS, user.t(key))
            if len(boxes) != 2 or min(b[2] for b in boxes) < MIN_DIGIT_PX:
                found.digits.append(f"{where}: {user.t(key)!r} pictures {boxes}")
    areas = await user.page.evaluate(PLOT_AREAS_JS)
    if areas:
        found.plot_areas[where] = [[round(w), round(h)] for w, h in areas]
    if page == "ae_vs_vae":
        if len(areas) != 2 or min(w for w, _ in areas) < MIN_PLOT_PX:
            found.plots.append(f"{where}: plotting areas {[[round(w), round(h)] for w, h in areas]}")


async def on_phone(user: Student, page: str, found: Findings) -> None:
    where = f"{page} ({user.lang}, phone)"
    if page in SIDE_BY_SIDE_PAGES:
        check_order(await model_sections(user), where, found)
    found.formulas += [f"{where}: {text!r}" for text in await user.page.evaluate(CLIPPED_FORMULAS_JS)]
    await find_cut_texts(user, where, found)


async def find_cut_texts(user: Student, where: str, found: Findings) -> None:
    found.cut += [f"{where}: {text!r} runs off the screen" for text in await user.page.evaluate(OFFSCREEN_TEXTS_JS)]
    for place, text in await user.page.evaluate(CUT_TEXTS_JS):
        (found.cut if place == "main" else found.cut_sidebar).append(f"{where}: {text!r}")


async def tour(server: AppServer, executable: str) -> Findings:
    found = Findings(console=ConsoleLog("127.0.0.1"))
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        try:
            for lang in LANGUAGES:
                user = await Student.join(browser, server.url, found.console, f"presenter-{lang}", PROJECTOR)
                try:
                    await user.open()
                    if lang != "en":
                        await user.choose_in(user.widget("keep.lang").get_by_role("combobox"), LANGUAGES[lang])
                        user.lang = lang
                        await user.wait_title("home")
                        await user.settle()
                    for page in PAGES:
                        if page.name != "home":
                            await user.go(page.name)
                        await user.wait_images_loaded()
                        await settle_after_resize(user)
                        await user.assert_clean(f"the {page.name} page ({lang})")
                        await on_projector(user, page.name, found)
                        name = f"{page.name}-{lang}-{PROJECTOR['width']}"
                        found.screenshots.append(str(await user.screenshot(name)))
                        await user.page.set_viewport_size(PHONE)
                        await settle_after_resize(user)
                        await on_phone(user, page.name, found)
                        found.screenshots.append(str(await user.screenshot(f"{page.name}-{lang}-{PHONE['width']}")))
                        await user.page.set_viewport_size(PROJECTOR)  # the sidebar's links come back
                        await settle_after_resize(user)
                finally:
                    await user.close()
        finally:
            await browser.close()
    return found


@pytest.fixture(scope="module")
def findings(app_server: AppServer, chromium: str) -> Findings:
    log_start = app_server.log_size()
    found = asyncio.run(tour(app_server, chromium))
    assert not app_server.tracebacks(since=log_start), app_server.tracebacks(since=log_start)
    return found


def test_every_text_is_at_least_14px_on_a_projector(findings: Findings) -> None:
    smallest = ", ".join(f"{page} {size} px" for page, size in findings.smallest.items())
    print(f"\nsmallest text per page at 1400×1000: {smallest}")
    assert len(findings.smallest) == 2 * len(PAGES), findings.smallest
    assert not findings.small_texts, f"texts under {MIN_TEXT_PX} px:\n" + "\n".join(findings.small_texts)


def test_each_model_picture_sits_under_its_own_name(findings: Findings) -> None:
    """On a phone the columns stack: AE heading, AE pictures, VAE heading, VAE pictures. On a
    projector, the pictures side by side start level."""
    assert not findings.order, "\n".join(findings.order)
    assert not findings.alignment, "\n".join(findings.alignment)


def test_interpolated_digits_and_scatter_plots_are_large(findings: Findings) -> None:
    print(f"\nplotting areas at 1400×1000 (width, height): {findings.plot_areas}")
    assert not findings.digits, "\n".join(findings.digits)
    assert not findings.plots, "\n".join(findings.plots)


def test_nothing_is_cut_and_charts_have_no_toolbar(findings: Findings) -> None:
    if findings.cut_sidebar:
        print("\nsidebar texts cut short (ui/picker.py):\n" + "\n".join(findings.cut_sidebar))
    assert not findings.cut, "texts cut short:\n" + "\n".join(findings.cut)
    assert not findings.formulas, "formulas clipped on a phone:\n" + "\n".join(findings.formulas)
    assert not findings.toolbars, f"plotly's toolbar shows on {findings.toolbars}"
    assert findings.console is not None
    assert not findings.console.errors, "browser console errors:\n" + findings.console.report()


def test_every_page_is_photographed_at_both_sizes_in_both_languages(findings: Findings) -> None:
    expected = {
        f"{page.name}-{lang}-{size['width']}.png" for page in PAGES for lang in LANGUAGES for size in (PROJECTOR, PHONE)
    }
    made = {path.name for path in SCREENSHOTS.glob("*.png")}
    assert expected <= made, sorted(expected - made)


# --- clicking points of the AE vs VAE charts --------------------------------------------------

# The most isolated point of a chart (farthest from its nearest neighbour on screen), so that a click
# there can only pick it: [x, y, its validation index] in page coordinates.
LONELY_POINT_JS = """(index) => {
  const gd = document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')[index];
  const L = gd._fullLayout, box = gd.getBoundingClientRect();
  const points = [];
  for (const trace of gd._fullData) {
    if (!trace.customdata || trace.mode !== 'markers' || !trace.visible) continue;
    const xs = trace.x, ys = trace.y, ids = trace.customdata;
    for (let i = 0; i < xs.length; i++) {
      const x = box.left + L._size.l + L.xaxis.d2p(xs[i]), y = box.top + L._size.t + L.yaxis.d2p(ys[i]);
      points.push([x, y, Number(ids[i])]);
    }
  }
  let best = null, bestGap = -1;
  for (const p of points) {
    let gap = Infinity;
    for (const q of points) if (q !== p) gap = Math.min(gap, Math.hypot(p[0] - q[0], p[1] - q[1]));
    if (gap > bestGap) { bestGap = gap; best = p; }
  }
  return best;
}"""


async def click_point(user: Student, chart: int) -> int:
    """Click the most isolated point of a chart and wait for the chosen image to become it."""
    await user.page.locator(CHARTS).nth(chart).scroll_into_view_if_needed()
    x, y, index = await user.page.evaluate(LONELY_POINT_JS, chart)
    await user.page.mouse.move(x, y)
    await user.page.mouse.click(x, y)
    number = user.widget("keep.compare_index").get_by_role("spinbutton")
    await expect(number).to_have_value(str(index))
    await user.settle()
    await user.page.wait_for_function(CHARTS_READY_JS, arg=2)
    return int(index)


async def click_back_and_forth(server: AppServer, executable: str) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "clicker", PROJECTOR)
        try:
            await user.open()
            await user.go("ae_vs_vae")
            await user.page.wait_for_function(CHARTS_READY_JS, arg=2)
            first = await click_point(user, 0)  # in the AE's chart
            second = await click_point(user, 1)  # in the VAE's chart
            assert first != second
            assert await click_point(user, 0) == first  # the AE's point again: once, this did nothing
            await user.assert_clean("the AE vs VAE page after clicks")
        finally:
            await user.close()
            await browser.close()
    return console


def test_a_point_clicked_again_after_one_in_the_other_chart_is_chosen(app_server: AppServer, chromium: str) -> None:
    log_start = app_server.log_size()
    console = asyncio.run(click_back_and_forth(app_server, chromium))
    assert not console.errors, "browser console errors:\n" + console.report()
    assert not app_server.tracebacks(since=log_start)
