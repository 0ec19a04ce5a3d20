"""The latent pad in Chromium: the pictures follow the pointer without a rerun, at display rate, and
equal the server's decode of the same code; a click pins a point; the slider page's pad moves the
sliders; a conv pair decodes on the server.

The measuring helpers are shared with `python -m bench.bench_pad` (bench/bench_pad.py).
"""

from __future__ import annotations

import asyncio
import re
import statistics
from pathlib import Path

import numpy as np
import pytest

from bench.bench_pad import (
    FPS_TARGET,
    LATENCY_TARGET_MS,
    PAD,
    count_reruns,
    frames_per_second,
    pad_state,
    reruns,
    synthetic_latencies,
    wait_ready,
)
from tests.browser.server import AppServer
from tests.browser.student import (
    PHONE,
    ConsoleEntry,
    ConsoleLog,
    Student,
    async_playwright,
    expect,
    launch_browser,
    text_fragment,
)
from ui.texts import t
from vae_core import decode, load_checkpoint

pytestmark = pytest.mark.browser

GREY_LEVEL = 1 / 255


def server_decode(folder: Path, name: str, code: np.ndarray) -> np.ndarray:
    model, _ = load_checkpoint(folder / name)
    return decode(model, code[None, :].astype(np.float32))[0].ravel()  # (C·H·W,)


async def move(user: Student, kind: str, u: float, v: float) -> None:
    """The mouse to (u, v) of `kind`'s plane (fractions of its width and height)."""
    plane = user.page.locator(PAD.format(kind=kind) + " .plane")
    await plane.scroll_into_view_if_needed()
    box = await plane.bounding_box()
    assert box is not None
    await user.page.mouse.move(box["x"] + u * box["width"], box["y"] + v * box["height"])


async def frames_after(user: Student, kind: str, frames: int) -> dict:
    """The pad's state once it has drawn more than `frames` images."""
    selector = PAD.format(kind=kind)
    await user.page.wait_for_function(
        "([kind, n]) => { const hit = (root) => { for (const el of root.querySelectorAll('*')) {"
        " if (el.classList.contains('latent-pad') && el.dataset.kind === kind) return +el.dataset.frames > n;"
        " if (el.shadowRoot) { const r = hit(el.shadowRoot); if (r !== undefined) return r; } } };"
        " return hit(document) === true; }",
        arg=[kind, frames],
        timeout=10_000,
    )
    state = await pad_state(user.page, kind)
    assert state is not None, selector
    return state


async def open_page(user: Student, page_name: str, kinds: tuple[str, ...]) -> None:
    await user.page.goto(user.page_url(page_name), wait_until="domcontentloaded")
    await user.wait_title(page_name)
    await wait_ready(user.page, kinds)
    await user.settle(quiet_ms=800)  # the rerun that tells the server the weights arrived


async def pad_page(server: AppServer, executable: str) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    folder = server.checkpoints
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "pad")
        try:
            await open_page(user, "latent_pad", ("ae", "vae"))
            await count_reruns(user.page)
            start = {kind: await pad_state(user.page, kind) for kind in ("ae", "vae")}
            assert all(s and s["mode"] == "browser" and s["ready"] == "1" for s in start.values()), start

            # Moving over the VAE's plane redraws both pictures, at the same code, without a rerun.
            for u, v in ((0.3, 0.35), (0.7, 0.6)):
                before = {kind: (await pad_state(user.page, kind))["frames"] for kind in ("ae", "vae")}
                await move(user, "vae", u, v)
                now = {kind: await frames_after(user, kind, before[kind]) for kind in ("ae", "vae")}
                assert now["ae"]["code"] == now["vae"]["code"]
                for kind, name in (("ae", "mnist-ae-mlp-2d.pt"), ("vae", "mnist-vae-mlp-2d.pt")):
                    state = now[kind]
                    assert state["image"] != start[kind]["image"], f"{kind}: the picture did not change"
                    reference = server_decode(folder, name, np.array(state["code"]))
                    browser_image = np.array(state["image"], dtype=np.float32)
                    error = float(np.abs(browser_image - reference).max())
                    assert error <= GREY_LEVEL, f"{kind}: {error:.5f} from the server's decode at {state['code']}"
                    shown = np.array(state["canvas"], dtype=np.int16)  # what the canvas holds, 0–255
                    expected = np.floor(np.clip(reference, 0, 1) * 255 + 0.5).astype(np.int16)
                    assert np.abs(shown - expected).max() <= 1, f"{kind}: the canvas differs from the server's picture"

            fps = await frames_per_second(user.page, "ae", 2.0)
            assert min(fps["ae"], fps["vae"]) >= FPS_TARGET, fps
            latencies = await synthetic_latencies(user.page, "vae", 15)
            assert statistics.median(latencies) < LATENCY_TARGET_MS, latencies
            assert await reruns(user.page) == 0, "moving the pointer made Streamlit rerun the page"

            # A click pins the point: the server decodes it under each pad.
            pinned = user.image_with_caption(text_fragment("latent_pad.pinned"))
            await expect(pinned).to_have_count(2)
            old = await pinned.first.get_attribute("src")
            await move(user, "vae", 0.25, 0.25)
            await user.page.mouse.down()
            await user.page.mouse.up()
            await expect(pinned.first).not_to_have_attribute("src", old or "", timeout=30_000)
            await user.settle()

            # Without a pointer: Tab reaches a plane (its focus seen), the arrows move the code and
            # say where it is, Shift takes bigger steps, Enter pins.
            plane = user.page.locator(PAD.format(kind="ae") + " .plane")
            await user.page.mouse.move(1, 1)  # the pointer off the planes
            await plane.focus()
            await user.page.keyboard.press("Shift+Tab")  # away and back by the keyboard, as Tab would reach it
            await user.page.keyboard.press("Tab")
            assert await plane.evaluate("el => el.matches(':focus')"), "Tab does not reach the plane"
            outline = await plane.evaluate("el => getComputedStyle(el).outlineStyle")
            assert outline not in ("", "none"), "the focused plane shows no focus"
            z0 = (await pad_state(user.page, "ae"))["code"]
            for key in ("ArrowRight", "ArrowRight", "Shift+ArrowUp"):
                before = (await pad_state(user.page, "ae"))["frames"]
                await user.page.keyboard.press(key)
                await frames_after(user, "ae", before)
            z1 = (await pad_state(user.page, "ae"))["code"]
            assert z1[0] > z0[0] and z1[1] > z0[1], (z0, z1)
            vae = await pad_state(user.page, "vae")
            assert vae["code"] == z1  # both pads follow the keys, as they follow a pointer
            announced = user.page.locator(PAD.format(kind="ae") + " .announce")
            # the model, the code and what the evaluator reads there: "AE, z = (0.52, -1.20): looks like a 7"
            code = t("latent_pad.spoken", lang="en", model=t("model.ae.short", lang="en"), x="X", y="Y")
            code = re.escape(code).replace("X", r"-?\d+\.\d\d").replace("Y", r"-?\d+\.\d\d")
            looks = re.escape(t("latent_pad.looks_like", lang="en", digit="D")).replace("D", r"\d")
            said = re.compile(f"^{code}: ({looks}|{re.escape(t('latent_pad.looks_unclear', lang='en'))})$")
            await expect(announced).to_have_text(said)
            await expect(user.page.locator(PAD.format(kind="vae") + " .announce")).to_contain_text(
                t("model.vae.short", lang="en")
            )
            old = await pinned.first.get_attribute("src")
            await user.page.keyboard.press("Enter")
            await expect(pinned.first).not_to_have_attribute("src", old or "", timeout=30_000)
            await user.settle()
            await user.assert_clean("latent_pad")
        finally:
            await browser.close()
    return console


async def sliders_page(server: AppServer, executable: str) -> ConsoleLog:
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "sliders")
        try:
            await open_page(user, "latent_sliders", ("vae",))
            await count_reruns(user.page)
            decoded = user.image_with_caption(text_fragment("latent_sliders.decoded"))
            old_src = await decoded.get_attribute("src")
            before = (await pad_state(user.page, "vae"))["frames"]
            await move(user, "vae", 0.2, 0.8)  # hovering previews: the picture follows, no rerun
            state = await frames_after(user, "vae", before)
            code = state["code"]
            # Still for a moment: a rerun the hover had asked for would start now and be counted on its
            # own, not merged into the click's (the server merges requests that come before a run starts).
            await user.settle()
            await user.page.mouse.down()  # a click sets both sliders there
            await user.page.mouse.up()
            z1, z2 = user.slider_labelled("z1"), user.slider_labelled("z2")
            await expect(decoded).not_to_have_attribute("src", old_src or "", timeout=30_000)
            await user.settle()  # the click's rerun is over
            values = [await user.slider_number(s) for s in (z1, z2)]
            assert np.allclose(values, code, atol=0.06), (values, code)
            # A rerun asked for by the hover would have gone to the server before the click's, on the
            # same connection, so it is over too by now: only the click's run may have been counted.
            assert await reruns(user.page) == 1, "hovering over the pad made Streamlit rerun the page"
            await user.assert_clean("latent_sliders")
        finally:
            await browser.close()
    return console


async def other_sizes(server: AppServer, executable: str) -> ConsoleLog:
    """A 16-D MLP pair decodes in the browser over two dimensions; a conv pair decodes on the server."""
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        user = await Student.join(browser, server.url, console, "sizes")
        try:
            await open_page(user, "latent_pad", ("ae", "vae"))
            await user.choose(user.sidebar, user.t("picker.latent"), user.t("picker.latent_value", d=16))
            pairs = await user.options(user.sidebar, user.t("picker.pair"))
            mlp = [p for p in pairs if user.t("arch.mlp") in p]
            conv = [p for p in pairs if user.t("arch.conv") in p]
            if not (mlp and conv):
                pytest.skip(f"the checkpoints lack a 16-D MLP or conv pair: {pairs}")

            await user.choose(user.sidebar, user.t("picker.pair"), mlp[0])
            await user.choose(user.main, user.t("latent_pad.dim_x"), "z3")
            await wait_ready(user.page)
            await user.settle(quiet_ms=800)
            named = await user.sidebar.get_by_text(user.t("model.ae.short") + ": ").first.inner_text()
            ae_file = named.split(": ", 1)[1]  # the sidebar names each model's file
            before = (await pad_state(user.page, "ae"))["frames"]
            await move(user, "ae", 0.4, 0.6)
            state = await frames_after(user, "ae", before)
            assert state["mode"] == "browser"
            code = np.zeros(16, dtype=np.float32)
            code[2], code[1] = state["code"]  # z3 across, z2 up (the others at 0)
            reference = server_decode(server.checkpoints, ae_file.strip(), code)
            assert float(np.abs(np.array(state["image"]) - reference).max()) <= GREY_LEVEL

            await user.choose(user.sidebar, user.t("picker.pair"), conv[0])
            await wait_ready(user.page)
            await user.settle(quiet_ms=800)
            assert (await pad_state(user.page, "vae"))["mode"] == "server"
            served = user.page.locator(PAD.format(kind="vae") + " img.served")
            old = await served.get_attribute("src")
            await move(user, "vae", 0.8, 0.2)  # positions go to the server at most 5 times a second
            await expect(served).not_to_have_attribute("src", old or "", timeout=30_000)
            await user.settle()
            await user.assert_clean("latent_pad")
        finally:
            await browser.close()
    return console


async def finger(server: AppServer, executable: str) -> ConsoleLog:
    """On a phone: a finger dragged sideways over a plane redraws both pictures; a tap pins the point;
    a vertical swipe scrolls the page."""
    console = ConsoleLog("127.0.0.1")
    async with async_playwright() as pw:
        browser = await launch_browser(pw, executable)
        context = await browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        user = Student("finger", context, await context.new_page(), server.url, console)
        user.page.on("pageerror", lambda error: console.add(ConsoleEntry("finger", "pageerror", str(error), "")))
        user.page.on(
            "console",
            lambda m: (
                console.add(ConsoleEntry("finger", "error", m.text, (m.location or {}).get("url", "")))
                if m.type == "error"
                else None
            ),
        )
        try:
            await open_page(user, "latent_pad", ("ae", "vae"))
            await count_reruns(user.page)
            plane = user.page.locator(PAD.format(kind="ae") + " .plane")
            await plane.scroll_into_view_if_needed()
            box = await plane.bounding_box()
            assert box is not None

            def at(u: float, v: float) -> list[dict[str, float]]:
                return [{"x": box["x"] + u * box["width"], "y": box["y"] + v * box["height"]}]

            cdp = await context.new_cdp_session(user.page)
            before = {kind: (await pad_state(user.page, kind))["frames"] for kind in ("ae", "vae")}
            await cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(0.3, 0.3)})
            for step in range(1, 11):
                await cdp.send(
                    "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(0.3 + 0.04 * step, 0.3)}
                )
                await asyncio.sleep(0.03)
            await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            for kind in ("ae", "vae"):
                state = await frames_after(user, kind, before[kind] + 3)  # several frames along the drag
                assert state["code"] == (await pad_state(user.page, "ae"))["code"]
            await user.settle()  # a rerun the drag had asked for would start now, not merged into the tap's

            pinned = user.image_with_caption(text_fragment("latent_pad.pinned"))
            old = await pinned.first.get_attribute("src")
            await user.page.touchscreen.tap(box["x"] + 0.6 * box["width"], box["y"] + 0.4 * box["height"])
            await expect(pinned.first).not_to_have_attribute("src", old or "", timeout=30_000)
            await user.settle()  # the tap's rerun is over, and so would be one the drag had asked for before it
            assert await reruns(user.page) == 1, "a drag is not a tap: it pinned nothing and made no rerun"

            # A vertical swipe that starts on the plane scrolls the page: the pad does not trap a phone
            box = await plane.bounding_box()
            assert box is not None
            await cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(0.5, 0.8)})
            for step in range(1, 11):
                await cdp.send(
                    "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(0.5, 0.8 - 0.07 * step)}
                )
                await asyncio.sleep(0.03)
            await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            moved = await plane.bounding_box()
            assert moved is not None and moved["y"] < box["y"] - 0.3 * box["height"], (box, moved)
            await user.assert_clean("latent_pad on a phone")
        finally:
            await browser.close()
    return console


@pytest.mark.parametrize("scenario", [pad_page, sliders_page, other_sizes, finger], ids=lambda f: f.__name__)
def test_latent_pad(app_server: AppServer, chromium: str, scenario) -> None:
    since = app_server.log_size()
    console = asyncio.run(scenario(app_server, chromium))
    assert not console.errors, console.report()
    assert not app_server.tracebacks(since)
