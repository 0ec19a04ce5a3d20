"""State that survives and travels, in a real browser: a reload or a new tab keeps the language and
the models this browser trained; a link reproduces the lecturer's view in another browser; a
forged link falls back to the usual view with a note; the back button returns to the view before."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.server import AppServer
from tests.browser.student import (
    PAGE_IMAGES,
    TIMEOUT_MS,
    TRAIN_TIMEOUT_MS,
    ConsoleLog,
    Student,
    async_playwright,
    expect,
    launch_browser,
    text_prefix,
)
from ui.navigation import PAGES
from ui.texts import LANGUAGES

pytestmark = pytest.mark.browser


async def switch_to_portuguese(user: Student, page_name: str) -> None:
    await user.choose_in(user.widget("keep.lang").get_by_role("combobox"), LANGUAGES["pt"])
    user.lang = "pt"
    await user.wait_title(page_name)


async def pair_labels(user: Student) -> list[str]:
    await user.choose(user.sidebar, user.t("picker.dataset"), user.t("dataset.digits"))
    return await user.options(user.sidebar, user.t("picker.pair"))


async def image_sources(user: Student) -> list[str]:
    return await user.page.locator(PAGE_IMAGES).evaluate_all("images => images.map(i => i.src)")


async def reload_keeps_language_and_models(server: AppServer, executable: str) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "reloader")
        try:
            await user.open()
            await switch_to_portuguese(user, "home")
            await user.go("train")
            await user.choose(user.main, user.t("train.dataset"), user.t("dataset.digits"))
            await user.fill_number(user.widget("keep.train_epochs").get_by_role("spinbutton"), 1)
            await user.widget("train_start").get_by_role("button").click()
            await user.widget("train_explore").get_by_role("button").wait_for(timeout=TRAIN_TIMEOUT_MS)
            await user.settle()
            await user.go("latent_grid")
            own = [p for p in await pair_labels(user) if p.startswith(text_prefix("picker.source.session", "pt"))]
            assert len(own) == 1, "the new pair is offered as this browser's own"

            await user.page.reload(wait_until="domcontentloaded")  # a new session of the same browser
            await user.wait_title("latent_grid")
            await user.settle()
            labels = await pair_labels(user)
            assert [p for p in labels if p.startswith(text_prefix("picker.source.session", "pt"))] == own
            assert not [p for p in labels if p.startswith(text_prefix("picker.source.others", "pt"))]

            tab = Student(user.name + "-tab", user.context, await user.context.new_page(), server.url, console)
            tab.lang = "pt"
            await tab.page.goto(server.url, wait_until="domcontentloaded")  # a plain address, no link
            await tab.wait_title("home")
            await tab.settle()
            await tab.go("train")  # the training it finished is found again, with its results
            await expect(tab.widget("train_explore").get_by_role("button")).to_be_visible(timeout=TIMEOUT_MS)
            await tab.go("latent_grid")
            assert [
                p for p in await pair_labels(tab) if p.startswith(text_prefix("picker.source.session", "pt"))
            ] == own
            await tab.assert_clean("a new tab of the same browser")
        finally:
            await user.close()
            await browser.close()
    return console


def test_a_reload_and_a_new_tab_keep_the_language_and_the_models(app_server: AppServer, chromium: str) -> None:
    console = asyncio.run(reload_keeps_language_and_models(app_server, chromium))
    assert not console.errors, console.report()


async def shared_link(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        lecturer = await Student.join(browser, server.url, console, "lecturer")
        student = await Student.join(browser, server.url, console, "student", {"width": 390, "height": 844})
        try:
            await lecturer.open()
            await switch_to_portuguese(lecturer, "home")
            await lecturer.go("latent_grid")
            size = lecturer.widget("keep.grid_n").get_by_role("slider")
            assert await lecturer.press_slider(size, "ArrowRight") == "10"
            await lecturer.choose_radio("keep.grid_spacing", lecturer.t("latent_grid.spacing.linear"))
            await expect(lecturer.page).to_have_url(re.compile(r"grid_spacing=linear"), timeout=TIMEOUT_MS)
            link = lecturer.page.url
            assert parse_qs(urlparse(link).query)["grid_n"] == ["10"]
            pictures = await image_sources(lecturer)

            student.lang = "pt"
            await student.page.goto(link, wait_until="domcontentloaded")
            await student.wait_title("latent_grid")
            await expect(student.widget("keep.grid_n").get_by_role("slider")).to_have_attribute("aria-valuetext", "10")
            # The grids come after the controls: wait for them, not only for a quiet page.
            await expect(student.page.locator(PAGE_IMAGES)).to_have_count(len(pictures), timeout=TIMEOUT_MS)
            await student.settle()
            await student.wait_images_loaded()
            assert await image_sources(student) == pictures, "the link shows the lecturer's very pictures"
            await student.assert_clean("the lecturer's link")

            # The back button returns to the size before the last change.
            assert await lecturer.press_slider(size, "ArrowRight") == "11"
            await expect(lecturer.page).to_have_url(re.compile(r"grid_n=11"), timeout=TIMEOUT_MS)
            await lecturer.page.go_back()
            await lecturer.settle()
            await expect(size).to_have_attribute("aria-valuetext", "10", timeout=TIMEOUT_MS)
        finally:
            await lecturer.close()
            await student.close()
            await browser.close()
    assert not console.errors, console.report()


def test_a_link_reproduces_the_view_in_another_browser(app_server: AppServer, chromium: str) -> None:
    asyncio.run(shared_link(app_server, chromium))


async def forged_link(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "forger")
        try:
            await user.page.goto(server.url + "latent_grid?grid_n=1000&lang=xx&pick_pair=gone", wait_until="commit")
            await user.wait_title("latent_grid")  # in English: "xx" is no language
            await user.settle()
            toasts = user.page.locator("[data-testid=stToast]")
            await expect(toasts).to_have_count(3, timeout=TIMEOUT_MS)
            await expect(user.widget("keep.grid_n").get_by_role("slider")).to_have_attribute("aria-valuetext", "9")
            await expect(user.page).to_have_url(re.compile(r"grid_n=9"), timeout=TIMEOUT_MS)
            await user.assert_clean("a forged link")
        finally:
            await user.close()
            await browser.close()
    assert not console.errors, console.report()


def test_a_forged_link_falls_back_to_the_usual_view_with_a_note(app_server: AppServer, chromium: str) -> None:
    asyncio.run(forged_link(app_server, chromium))


async def phone_and_projector(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        phone = await Student.join(browser, server.url, console, "phone", {"width": 390, "height": 844})
        projector = await Student.join(browser, server.url, console, "projector")
        try:
            await projector.open()
            await expect(projector.widget("phone_nav")).to_be_hidden()  # the sidebar has the links

            await phone.open()
            links = phone.widget("phone_nav").get_by_role("link")
            await expect(links).to_have_count(len(PAGES))
            sidebar_width = "e => e.getBoundingClientRect().right"
            assert await phone.sidebar.evaluate(sidebar_width) <= 0, "the sidebar starts closed on a phone"
            await phone.widget("phone_nav").get_by_role("link", name=phone.t("nav.latent_grid"), exact=True).click()
            await phone.wait_title("latent_grid")
            await phone.settle()
            assert await phone.sidebar.evaluate(sidebar_width) <= 0, "the page changed with the sidebar closed"
            await phone.assert_clean("the grid, reached from the phone's links")
        finally:
            await phone.close()
            await projector.close()
            await browser.close()
    assert not console.errors, console.report()


def test_a_phone_moves_between_pages_without_opening_the_sidebar(app_server: AppServer, chromium: str) -> None:
    asyncio.run(phone_and_projector(app_server, chromium))


async def new_samples(server: AppServer, executable: str) -> None:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "sampler")
        try:
            await user.open()
            await user.go("generative")
            seed = user.widget("keep.generative_seed").get_by_role("spinbutton")
            grids = user.widget("model_body_generative_grid_vae_2d").locator("img")
            samples = user.widget("model_body_generative_gan").locator("img")
            grid, first = await user.image_src(grids.first), await user.image_src(samples.first)
            # "New samples" reruns the seed's fragment only: its pictures change, the 2-D grids below stay
            await user.main.get_by_role("button", name=user.t("generative.new_samples"), exact=True).click()
            await expect(seed).to_have_value("1", timeout=TIMEOUT_MS)
            await expect(samples.first).not_to_have_attribute("src", first, timeout=TIMEOUT_MS)
            await user.settle()
            await user.wait_images_loaded()
            assert await user.image_src(grids.first) == grid
            await expect(user.page).to_have_url(re.compile(r"generative_seed=1"), timeout=TIMEOUT_MS)
            await user.assert_clean("the comparison page after New samples")
            # a seed typed in (a widget value, not the button's session-state entry) is kept for the next visit
            second = await user.image_src(samples.first)
            await user.fill_number(seed, 5)
            await expect(samples.first).not_to_have_attribute("src", second, timeout=TIMEOUT_MS)
            await user.settle()
            await user.go("home")
            await user.go("generative")
            await expect(seed).to_have_value("5", timeout=TIMEOUT_MS)
            assert await user.image_src(samples.first) not in (first, second)
        finally:
            await user.close()
            await browser.close()
    assert not console.errors, console.report()


def test_new_samples_redraws_the_seeds_pictures_only_and_the_seed_is_kept(app_server: AppServer, chromium: str) -> None:
    asyncio.run(new_samples(app_server, chromium))
