"""Drawing a digit in a real browser: a stroke drawn with the mouse on the Draw page's canvas comes
back prepared and redrawn by both models, and is still there after a visit to Upload; Undo takes
it back; the example digit comes by a key on the focused canvas or by its button, Delete clears.
On a projector (1400×1000) and a phone (390×844), in both languages, photographed after drawing
(test-artifacts/screenshots/draw-drawn-<lang>-<width>.png). On the Fill-in page, a mask painted
with the mouse over the digit is filled in by every model, and Undo takes the mask back."""

from __future__ import annotations

import asyncio

import pytest

from tests.browser.server import AppServer
from tests.browser.student import (
    PHONE,
    PROJECTOR,
    TIMEOUT_MS,
    ConsoleLog,
    Student,
    async_playwright,
    expect,
    launch_browser,
    text_fragment,
)
from ui.fill_in_views import MASK_CANVAS_KEY
from ui.texts import LANGUAGES

pytestmark = pytest.mark.browser

SEVEN = [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]  # a 7, in shares of the canvas's side
BAND = [(0.05, 0.3), (0.95, 0.3), (0.95, 0.45), (0.05, 0.45)]  # a wide band across the upper middle


async def draw_stroke(
    user: Student, points: list[tuple[float, float]], steps: int = 12, key: str = "draw_canvas"
) -> None:
    """One stroke with the mouse on the canvas keyed `key`: press at the first point, move through
    the others, let go."""
    canvas = user.widget(key).locator("canvas")
    await expect(canvas).to_be_visible(timeout=TIMEOUT_MS)
    # Its script labels the buttons as it sets the canvas up: drawn on before, a stroke would be lost.
    undo = user.widget(key).get_by_role("button", name=user.t("draw.undo"))
    await expect(undo).to_be_attached(timeout=TIMEOUT_MS)
    await canvas.scroll_into_view_if_needed()
    box = await canvas.bounding_box()
    assert box and box["width"] > 200, f"the canvas is too small to draw on: {box}"
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
    await user.page.mouse.move(*at[0])
    await user.page.mouse.down()
    for x, y in at[1:]:
        await user.page.mouse.move(x, y, steps=steps)
    await user.page.mouse.up()


async def draw_and_look(server: AppServer, executable: str, lang: str, viewport: dict[str, int]) -> ConsoleLog:
    """Open the Draw page at this size (a phone's sidebar starts closed), draw a 7, check what comes
    back, photograph it, and take the stroke back with Undo."""
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, f"drawer-{lang}-{viewport['width']}", viewport)
        user.lang = lang
        try:
            await user.page.goto(user.page_url("draw") + f"?lang={lang}", wait_until="domcontentloaded")
            await user.wait_title("draw")
            await user.settle()
            reconstructions = user.image_with_caption(text_fragment("draw.reconstruction", lang))
            await expect(reconstructions).to_have_count(0)

            await draw_stroke(user, SEVEN)
            await expect(reconstructions).to_have_count(2, timeout=TIMEOUT_MS)
            prepared = user.image_with_caption(text_fragment("draw.prepared", lang))
            await expect(prepared).to_have_count(1)
            scores = text_fragment("draw.error", lang).replace("*", "").strip("% .")  # "of the validation images"
            await expect(user.main.get_by_text(scores)).to_have_count(2)
            await user.settle()
            await user.wait_images_loaded()
            await user.assert_clean(f"the draw page after a stroke ({lang}, {viewport['width']} px)")
            await user.page.evaluate("() => window.scrollTo(0, 0)")
            await user.screenshot(f"draw-drawn-{lang}-{viewport['width']}")

            # To Upload and back: the canvas comes back with the 7 on it, and the page with its results
            await user.main.get_by_text(user.t("draw.source.upload"), exact=True).click()
            await expect(user.widget("draw_canvas")).to_have_count(0, timeout=TIMEOUT_MS)
            await user.main.get_by_text(user.t("draw.source.canvas"), exact=True).click()
            await expect(reconstructions).to_have_count(2, timeout=TIMEOUT_MS)
            drawing = user.widget("draw_canvas").locator(".ll-draw")
            await expect(drawing).to_have_attribute("data-empty", "false", timeout=TIMEOUT_MS)

            undo = user.widget("draw_canvas").get_by_role("button", name=user.t("draw.undo"))
            await undo.click()  # the only stroke taken back: the page waits for a digit again
            await expect(reconstructions).to_have_count(0, timeout=TIMEOUT_MS)
            await expect(user.main.get_by_text(user.t("draw.waiting_canvas"))).to_be_visible(timeout=TIMEOUT_MS)
            await expect(undo).to_be_disabled()

            # Without a pointer: on the focused canvas, E draws the example digit and Delete clears it
            canvas = user.widget("draw_canvas").locator("canvas")
            await canvas.focus()
            await user.page.keyboard.press("e")
            await expect(reconstructions).to_have_count(2, timeout=TIMEOUT_MS)
            await user.settle()
            await user.page.keyboard.press("Delete")
            await expect(reconstructions).to_have_count(0, timeout=TIMEOUT_MS)
            example = user.widget("draw_canvas").get_by_role("button", name=user.t("draw.example"))
            await example.click()  # and as a button, for a pointer or Tab and Enter
            await expect(reconstructions).to_have_count(2, timeout=TIMEOUT_MS)
            await user.settle()
        finally:
            await user.close()
            await browser.close()
    return console


@pytest.mark.parametrize("viewport", [PROJECTOR, PHONE], ids=["projector", "phone"])
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_stroke_drawn_with_the_mouse_is_redrawn_by_both_models(
    app_server: AppServer, chromium: str, lang: str, viewport: dict[str, int]
) -> None:
    console = asyncio.run(draw_and_look(app_server, chromium, lang, viewport))
    assert not console.errors, console.report()
    assert not app_server.tracebacks(), app_server.tracebacks()


async def paint_a_mask(server: AppServer, executable: str, lang: str) -> ConsoleLog:
    """The Fill-in page with "paint it": nothing is filled in before a stroke; a band painted over
    the digit is hidden in the given picture and filled in by each model; Undo takes it back."""
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, f"painter-{lang}", PROJECTOR)
        user.lang = lang
        try:
            await user.page.goto(user.page_url("fill_in") + f"?lang={lang}", wait_until="domcontentloaded")
            await user.wait_title("fill_in")
            await user.settle()
            given = user.main.get_by_role("img", name=user.t("alt.fill_in.given"), exact=True)
            filled = user.main.get_by_role("img", name=user.t("alt.fill_in.result"), exact=True)
            await expect(filled.first).to_be_visible(timeout=TIMEOUT_MS)  # the default mask, a half
            await user.main.get_by_text(user.t("fill_in.mask.painted"), exact=True).click()
            waiting = user.main.get_by_text(user.t("fill_in.paint_waiting"))
            await expect(waiting).to_be_visible(timeout=TIMEOUT_MS)
            await expect(filled).to_have_count(0)

            await draw_stroke(user, BAND, key=MASK_CANVAS_KEY)
            await expect(waiting).to_have_count(0, timeout=TIMEOUT_MS)
            await expect(filled.nth(1)).to_be_visible(timeout=TIMEOUT_MS)  # the AE's and the VAE's, at least
            await user.settle()
            await user.wait_images_loaded()
            first_mask = await given.get_attribute("src")
            await user.assert_clean(f"the fill-in page after painting ({lang})")
            await user.screenshot(f"fill-in-painted-{lang}-1400")

            await draw_stroke(user, [(0.05, 0.8), (0.95, 0.8)], key=MASK_CANVAS_KEY)  # a second band
            await expect(given).not_to_have_attribute("src", first_mask or "", timeout=TIMEOUT_MS)
            await user.settle()
            undo = user.widget(MASK_CANVAS_KEY).get_by_role("button", name=user.t("draw.undo"))
            await undo.click()
            await expect(given).to_have_attribute("src", first_mask or "", timeout=TIMEOUT_MS)  # the first band alone
            await user.settle()
        finally:
            await user.close()
            await browser.close()
    return console


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_mask_painted_with_the_mouse_is_filled_in_by_every_model(
    app_server: AppServer, chromium: str, lang: str
) -> None:
    console = asyncio.run(paint_a_mask(app_server, chromium, lang))
    assert not console.errors, console.report()
    assert not app_server.tracebacks(), app_server.tracebacks()
