"""Bringing one's own images in a real browser: a zip of digits in class folders uploaded through the
page's file input is read and summed up with a preview, a damaged file is a message that names it,
and "Use these images" opens the Train page with the set chosen as its data set. On a projector in
English and a phone in Portuguese, photographed (test-artifacts/screenshots/own_images-read-*.png)."""

from __future__ import annotations

import asyncio
import re

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
from tests.test_app_own_images import CLASSES, PER_CLASS, digits_zip
from ui.browser import COOKIE

pytestmark = pytest.mark.browser


async def upload(user: Student, name: str, content: bytes) -> None:
    field = user.widget("own_images_file").locator("input[type=file]")
    await field.set_input_files(files=[{"name": name, "mimeType": "application/zip", "buffer": content}])


async def wait_for_cookie(user: Student) -> None:
    """Until the browser holds the app's cookie, set by a component after its first page was drawn."""
    for _ in range(100):
        if any(c["name"] == COOKIE for c in await user.context.cookies()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{user.name}: the browser was never given its cookie")


async def upload_and_train_on(server: AppServer, executable: str, lang: str, viewport: dict[str, int]) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, f"uploader-{lang}-{viewport['width']}", viewport)
        user.lang = lang
        try:
            await user.page.goto(user.page_url("own_images") + f"?lang={lang}", wait_until="domcontentloaded")
            await user.wait_title("own_images")
            await user.settle()

            await upload(user, "broken.zip", b"PK\x03\x04 not a zip at all")
            error = user.main.locator("[data-testid=stAlertContentError]")
            await expect(error).to_contain_text("broken.zip", timeout=TIMEOUT_MS)
            await expect(error).to_contain_text(text_fragment("own_images.problem.corrupt_zip", lang).strip(" *."))

            await upload(user, "my digits.zip", digits_zip())
            read = user.t("own_images.read", count=str(len(CLASSES) * PER_CLASS), title="my digits", side="28×28")
            summary = read.replace("**", "").replace("*", "")
            await expect(user.main.get_by_text(summary)).to_be_visible(timeout=TIMEOUT_MS)
            await expect(error).to_have_count(0)
            await expect(user.main.get_by_text("readme.txt", exact=False)).to_be_visible()
            await user.wait_images_loaded()
            preview = user.main.locator("[data-testid=stImage] img")
            await expect(preview).to_have_count(1)
            box = await preview.bounding_box()
            assert box and box["width"] > 0.6 * viewport["width"] * (0.6 if viewport is PROJECTOR else 0.8), box
            await user.assert_clean(f"the own-images page after an upload ({lang}, {viewport['width']} px)")
            await user.page.evaluate("() => window.scrollTo(0, 0)")
            await user.screenshot(f"own_images-read-{lang}-{viewport['width']}")

            await user.main.get_by_role("button", name=user.t("own_images.keep")).click()
            await user.wait_title("train")
            dataset = user.widget("keep.train_dataset").get_by_role("combobox")
            await expect(dataset).to_have_value(re.compile("my digits"), timeout=TIMEOUT_MS)
            await user.settle()
            await user.assert_clean(f"the Train page on one's own images ({lang})")

            # Shared by its link: another browser (its own cookie) opens it and gets the set to train on
            await user.page.goto(user.page_url("own_images") + f"?lang={lang}", wait_until="domcontentloaded")
            await user.wait_title("own_images")
            await user.settle()
            await user.main.get_by_text(user.t("own_images.share_title"), exact=True).click()
            link = (await user.main.locator("[data-testid=stCode] code").first.inner_text()).strip()
            assert link.startswith(user.url + "own_images?share=imported-"), link
            await user.page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
            await user.screenshot(f"own_images-share-{lang}-{viewport['width']}")
            friend = await Student.join(browser, server.url, console, f"friend-{lang}", viewport)
            friend.lang = lang
            try:
                await friend.page.goto(link + f"&lang={lang}", wait_until="domcontentloaded")
                await friend.wait_title("own_images")
                received = friend.main.locator("[data-testid=stAlertContentSuccess]")
                await expect(received).to_contain_text("my digits", timeout=TIMEOUT_MS)
                await friend.settle()
                await wait_for_cookie(friend)  # its first page gave the browser its identifier: kept from now on
                await friend.page.goto(friend.page_url("train") + f"?lang={lang}", wait_until="domcontentloaded")
                await friend.wait_title("train")
                await friend.settle()
                options = await friend.options(friend.widget("keep.train_dataset"), friend.t("train.dataset"))
                assert any("my digits" in o for o in options), options
                await friend.assert_clean(f"the Train page of a browser the set was shared with ({lang})")
            finally:
                await friend.close()
        finally:
            await user.close()
            await browser.close()
    return console


@pytest.mark.parametrize(("lang", "viewport"), [("en", PROJECTOR), ("pt", PHONE)], ids=["en-projector", "pt-phone"])
def test_an_uploaded_zip_is_read_previewed_and_chosen_for_training(
    app_server: AppServer, chromium: str, lang: str, viewport: dict[str, int]
) -> None:
    console = asyncio.run(upload_and_train_on(app_server, chromium, lang, viewport))
    assert not console.errors, console.report()
    assert not app_server.tracebacks(), app_server.tracebacks()
