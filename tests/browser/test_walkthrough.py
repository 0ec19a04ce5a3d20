"""The whole app in a real Chromium, as a new user would walk through it.

Open it, switch to Português and back, visit every page from the sidebar, move a latent slider,
change the grid size, run an interpolation, train a small model for one epoch (its loss chart
must grow) and find it in the model picker. No traceback, no error box and no browser console error
anywhere; a screenshot of every page goes to test-artifacts/screenshots/. Then another user leaves
the Train page while a model trains and finds its settings again on return.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import pytest

from bench.protocol_student import option_number
from tests.browser.server import ARTIFACTS, AppServer
from tests.browser.student import (
    PLOT_POINTS_JS,
    TRAIN_TIMEOUT_MS,
    ConsoleLog,
    Student,
    async_playwright,
    expect,
    launch_browser,
    text_fragment,
    text_prefix,
)
from ui.navigation import PAGE_BY_NAME, PAGES
from ui.texts import LANGUAGES

pytestmark = pytest.mark.browser
ENDINGS = ("train.status.stopped", "train.status.stopped_empty", "train.status.done")

# Records the loss chart's point count each time it changes, until the "Explore" button shows up.
WATCH_TRAINING_JS = f"""() => {{
  const ll = window.__latentLab;
  ll.points = ll.points || [];
  // the loss chart: three panels (loss, reconstruction, KL); the live codes chart may come first
  const plots = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')];
  const loss = plots.findIndex((el) => el.layout && el.layout.xaxis3);
  const n = loss < 0 ? null : ({PLOT_POINTS_JS})(loss);
  if (n != null && ll.points[ll.points.length - 1] !== n) ll.points.push(n);
  return !!document.querySelector('.st-key-train_explore button');
}}"""


async def visit(user: Student, page: str, shot: str) -> None:
    """Follow the sidebar to `page` (its address and title must follow); it must draw without an
    error, and is photographed."""
    await user.go(page)
    await user.assert_clean(f"the {page} page ({user.lang})")
    await user.screenshot(shot)


async def switch_language(user: Student, lang: str, page: str) -> None:
    """The language box's choice translates the page's title, every navigation label and the tab's title."""
    await user.choose_in(user.widget("keep.lang").get_by_role("combobox"), LANGUAGES[lang])
    user.lang = lang
    await user.wait_title(page)
    await expect(user.nav_labels).to_have_text([user.t(p.nav_key) for p in PAGES])
    await expect(user.page).to_have_title(f"{user.t(PAGE_BY_NAME[page].nav_key)} · Latent Lab")
    await expect(
        user.widget("keep.lang").get_by_role("combobox", name=user.t("lang.label"), exact=True)
    ).to_be_visible()
    for p in PAGES:
        await expect(user.nav_link(p.name)).to_be_visible()
    await user.settle()


async def home_links(user: Student) -> None:
    """The home page links every other page, in the user's language."""
    links = user.main.locator("[data-testid=stPageLink-NavLink] [data-testid=stMarkdownContainer]")
    links = links.filter(visible=True)  # not the phone's navigation atop the page, hidden on a wide screen
    await expect(links).to_have_text([f"{user.t(p.nav_key)} — {user.t(p.nav_key + '.blurb')}" for p in PAGES[1:]])


async def latent_grid(user: Student) -> None:
    """A larger grid size gives new grids, for both models, and a caption saying so."""
    size = user.widget("keep.grid_n").get_by_role("slider")
    grids = user.image_with_caption(text_fragment("latent_grid.caption", user.lang))
    await expect(grids).to_have_count(2)
    n = int(await user.slider_value(size))
    before = await user.image_bytes(await user.image_src(grids.first))
    ms, _, new = await user.timed_key(size, "ArrowRight", [grids.nth(0), grids.nth(1)], with_urls=True)
    await user.settle()
    assert int(await user.slider_value(size)) == n + 1
    caption = user.t("latent_grid.caption", n=n + 1, x=1, y=2, extent=3.0)
    captions = user.main.locator(
        "[data-testid=stImageCaption]", has_text=text_fragment("latent_grid.caption", user.lang)
    )
    await expect(captions).to_have_text([caption, caption])
    assert await user.image_bytes(new[0]) != before, "the grid picture did not change"
    print(f"grid size {n} -> {n + 1}: new grids after {ms:.0f} ms")


async def latent_sliders(user: Student) -> None:
    """Moving z1 decodes a new image."""
    decoded = user.image_with_caption(text_fragment("latent_sliders.decoded", user.lang))
    await expect(decoded).to_have_count(1)
    z1 = user.slider_labelled("z1")
    value = await user.slider_value(z1)
    sign = "," if user.lang == "pt" else "."
    assert re.fullmatch(rf"-?\d+\{sign}\d\d", value), f"the thumb shows {value!r}, not {user.lang}'s way"
    before = await user.image_bytes(await user.image_src(decoded))
    ms, _, new = await user.timed_key(z1, "ArrowRight", [decoded], with_urls=True)
    await user.settle()
    assert await user.slider_number(z1) > option_number(value)
    assert await user.image_bytes(new[0]) != before, "the decoded picture did not change"
    print(f"latent slider z1 {value} -> {await user.slider_value(z1)}: new image after {ms:.0f} ms")


async def interpolation(user: Student) -> None:
    """Another end image and one more step: both strips are decoded again."""
    strips = user.image_with_caption(text_fragment("interpolation.caption", user.lang))
    await expect(strips).to_have_count(2)
    old = [await user.image_src(strips.nth(i)) for i in range(2)]
    await user.choose(user.main, user.t("interpolation.end_class"), "7")
    for i in range(2):
        await expect(strips.nth(i)).not_to_have_attribute("src", old[i])
    steps = user.widget("keep.interp_steps").get_by_role("slider")
    n = int(await user.slider_value(steps))
    ms, _, _ = await user.timed_key(steps, "ArrowRight", [strips.nth(0), strips.nth(1)])
    await user.settle()
    caption = user.t("interpolation.caption", steps=n + 1, method=user.t("interpolation.method.linear"))
    captions = user.main.locator(
        "[data-testid=stImageCaption]", has_text=text_fragment("interpolation.caption", user.lang)
    )
    await expect(captions).to_have_text([caption, caption])
    await expect(user.main.locator("[data-testid=stPlotlyChart]")).to_have_count(2)  # the paths, drawn
    print(f"interpolation: end class 7, {n} -> {n + 1} steps: new strips after {ms:.0f} ms")


async def train_one_epoch(user: Student) -> list[int]:
    """MNIST, a small conv AE and VAE, one epoch of batches of 16 (282 steps, a few seconds on two
    cores: several refreshes of the page): the loss chart appears and grows."""
    await user.choose(user.main, user.t("train.dataset"), user.t("dataset.mnist"))
    await user.choose_radio("keep.train_arch", user.t("arch.conv"))
    await user.fill_number(user.widget("keep.train_epochs").get_by_role("spinbutton"), 1)
    await set_batch_size(user, 16)
    assert await user.plot_points() is None, "a loss chart before any training"
    await user.assert_clean("the Train page, before training")
    await user.widget("train_start").get_by_role("button").click()
    await user.page.wait_for_function(WATCH_TRAINING_JS, timeout=TRAIN_TIMEOUT_MS, polling=50)
    points: list[int] = await user.page.evaluate("() => window.__latentLab.points")
    await user.settle()
    done = user.main.locator("[data-testid=stAlertContentSuccess]")
    await expect(done).to_have_count(2)  # "AE …: done in …", "VAE …: done in …"
    await expect(done).to_have_text([re.compile(re.escape(text_fragment("train.status.done")))] * 2)
    return points


async def set_batch_size(user: Student, size: int) -> None:
    batch = user.widget("keep.train_batch").get_by_role("slider")
    for _ in range(8):
        if await user.slider_value(batch) == str(size):
            break
        await user.press_slider(batch, "ArrowLeft" if int(await user.slider_value(batch)) > size else "ArrowRight")
    assert await user.slider_value(batch) == str(size)


@contextlib.asynccontextmanager
async def one_user(server: AppServer, executable: str, name: str) -> AsyncIterator[tuple[Student, ConsoleLog]]:
    """A browser with one user in it (one Streamlit session); a picture of the page if the test fails."""
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, name)
        try:
            yield user, console
        except BaseException:
            try:
                await user.screenshot(f"{name}-failure")
            except Exception:  # noqa: BLE001 - a picture is a bonus, never the error
                pass
            raise
        finally:
            await user.close()
            await browser.close()


async def walk(server: AppServer, executable: str) -> ConsoleLog:
    async with one_user(server, executable, "walkthrough") as (user, console):
        await user.open()
        await expect(user.nav_labels).to_have_text([user.t(p.nav_key) for p in PAGES])
        await home_links(user)
        await user.assert_clean("the home page")
        await user.screenshot("01-home")

        await switch_language(user, "pt", "home")
        await home_links(user)
        await user.assert_clean("the home page in Portuguese")
        await user.screenshot("02-home-pt")
        await visit(user, "latent_grid", "03-latent-grid-pt")
        extent = user.widget("keep.grid_extent").get_by_role("slider")
        await expect(extent).to_have_attribute("aria-valuetext", "3,0")  # the thumb in the app's language
        await expect(user.sidebar.get_by_role("combobox", name=user.t("picker.pair"), exact=True)).to_be_visible()
        await switch_language(user, "en", "latent_grid")
        await user.assert_clean("the latent grid page, back in English")

        await latent_grid(user)
        await user.screenshot("04-latent-grid")
        await visit(user, "latent_sliders", "05-latent-sliders")
        await latent_sliders(user)
        await visit(user, "interpolation", "06-interpolation")
        await interpolation(user)
        await user.assert_clean("the interpolation page")
        await user.screenshot("06-interpolation-run")
        await visit(user, "ae_vs_vae", "07-ae-vs-vae")
        await expect(user.main.locator("[data-testid=stPlotlyChart]")).to_have_count(2)
        await visit(user, "uses", "08-uses")
        await expect(user.main.locator("[data-testid=stPlotlyChart]")).to_have_count(3)  # ROC curves, two histograms

        await visit(user, "train", "09-train")
        await expect(user.main.get_by_text(user.t("train.idle"))).to_be_visible()
        points = await train_one_epoch(user)
        print(f"loss chart point counts seen during training: {points}")
        assert points and points[0] > 0, "no loss chart appeared"
        assert len(points) >= 2 and points == sorted(points), f"the loss chart did not grow: {points}"
        await user.assert_clean("the Train page after training")
        await user.screenshot("10-train-done")

        # "Explore the new models" chooses the new pair in the picker and opens the latent grid.
        await user.widget("train_explore").get_by_role("button").click()
        await expect(user.page).to_have_url(re.compile("^" + re.escape(user.page_url("latent_grid")) + r"(\?.*)?$"))
        await user.wait_title("latent_grid")
        await user.settle()
        await user.wait_images_loaded()
        picker = user.sidebar.get_by_role("combobox", name=user.t("picker.pair"), exact=True)
        await expect(picker).to_have_value(re.compile("^" + re.escape(text_prefix("picker.source.session"))))
        dataset = user.sidebar.get_by_role("combobox", name=user.t("picker.dataset"), exact=True)
        await expect(dataset).to_have_value(user.t("dataset.mnist"))
        pairs = await user.options(user.sidebar, user.t("picker.pair"))
        assert any(p.startswith(text_prefix("picker.source.shipped")) for p in pairs), pairs
        assert sum(p.startswith(text_prefix("picker.source.session")) for p in pairs) == 1, pairs
        await user.assert_clean("the latent grid with the new model")
        await user.screenshot("11-latent-grid-new-model")
        await visit(user, "latent_sliders", "12-latent-sliders-new-model")
        await expect(picker).to_have_value(re.compile("^" + re.escape(text_prefix("picker.source.session"))))
        await visit(user, "home", "13-home-again")
    return console


def test_a_new_user_walks_through_the_whole_app(app_server: AppServer, chromium: str) -> None:
    log_start = app_server.log_size()
    console = asyncio.run(walk(app_server, chromium))
    console.write(ARTIFACTS / "browser-console-walkthrough.txt")
    assert not console.errors, "browser console errors:\n" + console.report()
    tracebacks = app_server.tracebacks(since=log_start)
    assert not tracebacks, "the server printed tracebacks:\n" + "\n".join(tracebacks)
    # A training's child process once imported app.py again and drew the app there, without a page.
    assert "missing ScriptRunContext" not in app_server.log_text()[log_start:], "app.py ran in a training process"


async def leave_while_training(server: AppServer, executable: str) -> ConsoleLog:
    """In Portuguese, start a long training, visit another page while it runs and come back."""
    async with one_user(server, executable, "leaver") as (user, console):
        await user.open()
        await switch_language(user, "pt", "home")
        await user.go("train")
        await user.choose(user.main, user.t("train.dataset"), user.t("dataset.digits"))
        epochs = user.widget("keep.train_epochs").get_by_role("spinbutton")
        await user.fill_number(epochs, 150)
        await user.widget("train_start").get_by_role("button").click()
        await user.wait_for_plot_points()
        await asyncio.sleep(1.5)  # a few refreshes of the progress: the page's last run is the fragment's

        await user.go("latent_grid")  # `go` waits for the Portuguese title: the language is kept
        await user.assert_clean("the latent grid, visited during a training")
        await user.go("train")
        await expect(epochs).to_have_value("150")
        dataset = user.main.get_by_role("combobox", name=user.t("train.dataset"), exact=True)
        await expect(dataset).to_have_value(user.t("dataset.digits"))
        await user.stop_training()
        await user.settle()
        # Both models ended, and say how in Portuguese: stopped (or done, if it won the race with the click).
        alerts = user.main.locator("[data-testid=stAlertContentWarning], [data-testid=stAlertContentSuccess]")
        said = "|".join(re.escape(text_fragment(k, "pt")) for k in ENDINGS)
        await expect(alerts.filter(has_text=re.compile(said))).to_have_count(2)  # a collapse warning may follow
        await user.assert_clean("the Train page after a stopped training")
    return console


def test_leaving_the_train_page_while_it_trains_keeps_its_settings(app_server: AppServer, chromium: str) -> None:
    """Once a bug: the page's last run before leaving was the progress fragment's, after which
    Streamlit held the other widgets' values only in the browser, and the Train page's settings were
    back to their defaults on return (the language, drawn on every page, survived)."""
    log_start = app_server.log_size()
    console = asyncio.run(leave_while_training(app_server, chromium))
    assert not console.errors, "browser console errors:\n" + console.report()
    assert not app_server.tracebacks(since=log_start)
