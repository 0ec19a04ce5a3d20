"""Presenter mode in a real browser at 1400×1000, in both languages: `?present=1` on a lesson step's
link sets the sidebar and the page's controls aside, puts the step on top in large type and the QR
code of the students' link in a corner; → and ← step through the lesson without a reload; *Leave*
brings everything back. Photographed (test-artifacts/screenshots/presenter-<lang>-1400.png)."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.browser.server import AppServer
from tests.browser.student import TIMEOUT_MS, ConsoleLog, Student, async_playwright, expect, launch_browser
from tests.browser.test_lesson import query, step_url
from ui.lesson import STEP_PARAM, STEPS
from ui.presenter import BAR, PRESENT_PARAM, QR_BOX
from ui.texts import LANGUAGES

pytestmark = pytest.mark.browser

MIN_PRESENTED_PX = 20.0  # the step's texts on the projector: larger than the page's usual 18 px


async def wait_presented_step(user: Student, number: int) -> None:
    step = STEPS[number - 1]
    await user.wait_title(step.page)
    position = user.t("lesson.position", n=number, total=len(STEPS))
    await expect(user.widget(BAR).get_by_text(position)).to_be_visible(timeout=TIMEOUT_MS)
    await expect(user.page).to_have_url(re.compile(rf"[?&]{STEP_PARAM}={number}(&|$)"), timeout=TIMEOUT_MS)
    await user.settle()


async def present(server: AppServer, executable: str, lang: str) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, f"presenter-{lang}")
        user.lang = lang
        try:
            await user.page.goto(step_url(user, 2, lang=lang, present="1"), wait_until="domcontentloaded")
            await wait_presented_step(user, 2)
            await expect(user.sidebar).to_be_hidden()
            slider = user.widget("keep.grid_n")
            await expect(slider).to_be_hidden()  # the page's controls step aside...
            await expect(user.main.locator("[data-testid=stImage] img").first).to_be_visible()  # ...its pictures stay
            corner = user.widget(QR_BOX)
            await expect(corner.locator("img")).to_be_visible()
            box = await corner.bounding_box()
            corner_at = box and (box["x"] + box["width"] > 1300 and box["y"] + box["height"] > 900 and box["x"] > 1000)
            assert corner_at, f"the QR code is not in the bottom right corner: {box}"
            link = (await corner.locator("[data-testid=stCaptionContainer]").first.inner_text()).strip()
            assert (
                link.startswith(user.url + "latent_grid?") and f"{STEP_PARAM}=2" in link and PRESENT_PARAM not in link
            )
            assert query(user)[PRESENT_PARAM] == "true"
            size = (
                await user.widget(BAR)
                .get_by_text(user.t("lesson.ae_holes.ask"))
                .evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
            )
            assert size >= MIN_PRESENTED_PX, size
            await user.wait_images_loaded()
            await user.screenshot(f"presenter-{lang}-1400")

            await user.page.keyboard.press("ArrowRight")  # the next step, on the same page
            await wait_presented_step(user, 3)
            await user.page.keyboard.press("ArrowRight")  # and on to another page, still presenting
            await wait_presented_step(user, 4)
            assert query(user)[PRESENT_PARAM] == "true"
            await expect(user.sidebar).to_be_hidden()
            await user.page.keyboard.press("PageUp")  # a clicker's "back"
            await wait_presented_step(user, 3)
            await user.assert_clean(f"presenter mode ({lang})")

            await user.widget("presenter_leave").get_by_role("button").click()
            await expect(user.widget(BAR)).to_have_count(0, timeout=TIMEOUT_MS)
            await expect(user.sidebar).to_be_visible()
            await user.settle()
            await expect(slider.get_by_role("slider")).to_be_visible()
            assert PRESENT_PARAM not in query(user)
        finally:
            await user.close()
            await browser.close()
    return console


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_presenter_mode_shows_the_step_large_with_its_qr_code_and_the_arrow_keys_step(
    app_server: AppServer, chromium: str, lang: str
) -> None:
    console = asyncio.run(present(app_server, chromium, lang))
    assert not console.errors, console.report()
    assert not app_server.tracebacks(), app_server.tracebacks()
