"""The guided lesson in a real browser: a step's link opened fresh lands on its page and view, the
answer stays hidden until revealed, and Next / Previous open the neighbouring steps' pages and views,
from the sidebar on a projector and from the top of the page on a phone."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.browser.server import AppServer
from tests.browser.student import PHONE, TIMEOUT_MS, ConsoleLog, Student, async_playwright, expect, launch_browser
from ui.lesson import PHONE_PANEL, SIDEBAR_PANEL, STEP_PARAM, STEPS, step_params

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 14.0  # readable from the back of a room on a 1400×1000 projector (tests/browser/test_presentation.py)

# The rendered font size of every visible text of the lesson's sidebar panel: [text, px].
PANEL_TEXT_SIZES_JS = """(root) => {
  const found = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || el.closest('[data-testid=stIconMaterial], style, script')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    found.push([text.slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]);
  }
  return found;
}"""


def step_url(user: Student, number: int, **extra: str) -> str:
    """The address a lecturer shares for step `number`."""
    step = STEPS[number - 1]
    path = "" if step.page == "home" else step.page
    return user.url + path + "?" + urlencode({**step_params(number), **extra})


def query(user: Student) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(urlparse(user.page.url).query).items()}


async def wait_step(user: Student, number: int, panel: str, page: str | None = None) -> None:
    """The page of step `number` (or `page`) has drawn, with the step's panel."""
    step = STEPS[number - 1]
    await user.wait_title(page or step.page)
    position = user.t("lesson.position", n=number, total=len(STEPS))
    if panel == SIDEBAR_PANEL:
        await expect(user.widget(panel).get_by_text(position, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    else:
        label = user.t("lesson.phone_label", n=number, total=len(STEPS), title=user.t(f"lesson.{step.key}.title"))
        await expect(user.widget(panel).get_by_text(label, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    await expect(user.page).to_have_url(re.compile(rf"[?&]{STEP_PARAM}={number}(&|$)"), timeout=TIMEOUT_MS)
    await user.settle()


async def assert_view(user: Student, number: int) -> None:
    """The address holds the step's view (the page wrote back what it shows), and no note was raised."""
    shown = query(user)
    for name, value in STEPS[number - 1].view.items():
        assert shown.get(name) == value, f"step {number}: {name}={shown.get(name)!r}, expected {value!r}"
    await expect(user.page.locator("[data-testid=stToast]")).to_have_count(0)
    await user.assert_clean(f"step {number}")


async def answer_hidden_then_revealed(user: Student, number: int, panel: str, where: str) -> None:
    answer = user.widget(panel).get_by_text(user.t(f"lesson.{STEPS[number - 1].key}.answer"))
    await expect(answer).to_have_count(0)  # not merely hidden: not in the page
    await user.widget(f"lesson_reveal_{where}").get_by_role("button", name=user.t("lesson.reveal")).click()
    await expect(answer).to_be_visible(timeout=TIMEOUT_MS)
    await user.settle()


async def projector_walk(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "lecturer")
        try:
            # A shared link to step 2, opened by a fresh browser.
            await user.page.goto(step_url(user, 2), wait_until="domcontentloaded")
            await wait_step(user, 2, SIDEBAR_PANEL)
            await expect(user.widget("keep.grid_n").get_by_role("slider")).to_have_attribute("aria-valuetext", "15")
            await expect(user.widget("keep.grid_overlay").locator("input[type=checkbox]")).to_be_checked()
            await assert_view(user, 2)
            await expect(user.widget(PHONE_PANEL)).to_be_hidden()  # the sidebar has it on a wide screen
            await answer_hidden_then_revealed(user, 2, SIDEBAR_PANEL, "sidebar")
            sizes = await user.widget(SIDEBAR_PANEL).evaluate(PANEL_TEXT_SIZES_JS)
            assert len(sizes) >= 8, sizes  # position, title, text, question, answer, links
            assert all(size >= MIN_TEXT_PX for _, size in sizes), [s for s in sizes if s[1] < MIN_TEXT_PX]

            # Next: the same page, on step 3's view (other spacing and range, no overlay).
            panel = user.widget(SIDEBAR_PANEL)
            await panel.get_by_role("link", name=user.t("lesson.next")).click()
            await wait_step(user, 3, SIDEBAR_PANEL)
            await expect(user.widget("keep.grid_overlay").locator("input[type=checkbox]")).not_to_be_checked()
            radio = user.widget("keep.grid_spacing").get_by_role("radio", name=user.t("latent_grid.spacing.gaussian"))
            await expect(radio).to_be_checked()
            await assert_view(user, 3)
            await expect(panel.get_by_text(user.t("lesson.vae_map.answer"))).to_have_count(0)

            # Next: another page; Previous: back to the grid on step 3's view.
            await panel.get_by_role("link", name=user.t("lesson.next")).click()
            await wait_step(user, 4, SIDEBAR_PANEL)
            await assert_view(user, 4)
            await panel.get_by_role("link", name=user.t("lesson.previous")).click()
            await wait_step(user, 3, SIDEBAR_PANEL)
            await assert_view(user, 3)

            # Elsewhere (Home), the panel stays and leads back; leaving ends the lesson.
            await user.nav_link("home").click()
            await wait_step(user, 3, SIDEBAR_PANEL, page="home")
            await panel.get_by_role("link", name=user.t("lesson.back_to_step")).click()
            await user.wait_title("latent_grid")
            await user.settle()
            await panel.get_by_role("button", name=user.t("lesson.leave")).click()
            await expect(panel).to_have_count(0, timeout=TIMEOUT_MS)
            await user.settle()
            assert STEP_PARAM not in query(user)
            await user.nav_link("home").click()
            await user.wait_title("home")
            await user.settle()
            await expect(panel).to_have_count(0)
            assert STEP_PARAM not in query(user)

            # A forged step: a note, and no lesson.
            await user.page.goto(user.url + f"latent_grid?{STEP_PARAM}=99", wait_until="domcontentloaded")
            await user.wait_title("latent_grid")
            await user.settle()
            await expect(user.page.locator("[data-testid=stToast]")).to_have_count(1, timeout=TIMEOUT_MS)
            await expect(panel).to_have_count(0)
            await user.assert_clean("a forged step")
        finally:
            await user.close()
            await browser.close()
    assert not console.errors, console.report()


def test_a_lecturer_opens_a_step_by_its_link_reveals_and_steps_on(app_server: AppServer, chromium: str) -> None:
    asyncio.run(projector_walk(app_server, chromium))


async def phone_walk(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "phone", PHONE)
        user.lang = "pt"
        try:
            await user.page.goto(step_url(user, 5, lang="pt"), wait_until="domcontentloaded")
            await wait_step(user, 5, PHONE_PANEL)
            assert await user.sidebar.evaluate("e => e.getBoundingClientRect().right") <= 0, "sidebar closed"
            panel = user.widget(PHONE_PANEL)
            question = panel.get_by_text(user.t("lesson.reparam.ask"))
            await expect(question).to_be_hidden()  # collapsed: the page comes first
            await panel.get_by_text(
                user.t("lesson.phone_label", n=5, total=len(STEPS), title=user.t("lesson.reparam.title"))
            ).click()
            await expect(question).to_be_visible(timeout=TIMEOUT_MS)
            await answer_hidden_then_revealed(user, 5, PHONE_PANEL, "phone")

            await panel.get_by_role("link", name=user.t("lesson.next")).click()
            await wait_step(user, 6, PHONE_PANEL)
            await expect(user.widget("keep.compare_ellipses").locator("input[type=checkbox]")).to_be_checked()
            await assert_view(user, 6)
            # Left open, the panel opens again on the next step, with its answer hidden.
            await expect(panel.get_by_text(user.t("lesson.clouds.ask"))).to_be_visible(timeout=TIMEOUT_MS)
            await expect(panel.get_by_text(user.t("lesson.clouds.answer"))).to_have_count(0)
            assert await user.sidebar.evaluate("e => e.getBoundingClientRect().right") <= 0, "sidebar still closed"
        finally:
            await user.close()
            await browser.close()
    assert not console.errors, console.report()


def test_a_student_on_a_phone_follows_the_lesson_from_the_top_of_the_page(app_server: AppServer, chromium: str) -> None:
    asyncio.run(phone_walk(app_server, chromium))
