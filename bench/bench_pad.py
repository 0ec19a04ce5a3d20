"""The latent pad in a real browser: decoded frames a second and the time from pointer to picture.

    python -m bench.bench_pad [--seconds 3] [--moves 40]

Run it from the repository's root. It starts `streamlit run app.py` on a free port of 127.0.0.1
(with a temporary copy of the checkpoints), opens the Latent pad page (2-D MNIST MLP pair: both
decoders run in the browser) and the Latent sliders page in Chromium, and measures, per model:

- frames/s: for `--seconds`, each display frame moves the pointer (a pointermove dispatched on the
  plane from a requestAnimationFrame loop), and the decoded images drawn are counted. The display
  rate bounds it (60 frames/s in headless Chromium); the target is 30.
- pointer → picture: pointer moves, one at a time, each timed from the event to the image drawn on
  the pad's canvas (a MutationObserver on the pad's frame counter, which is written right after the
  pixels). "synthetic": the event is dispatched in the page (timed from its dispatch); "mouse": a
  real mouse move sent by Playwright through Chromium's input pipeline (timed from the event's own
  timestamp). The picture reaches the screen at the next compositor frame. Target: 50 ms.
- decode: the time of one decode alone (JavaScript, 200 in a row).
- reruns: Streamlit script runs started while the pointer moved (must be 0: moving costs the
  server nothing).

`--slowdown 4` throttles the page's CPU as DevTools does (4× slower, about a mid-range phone).

The helpers here are shared with tests/browser/test_pad.py. Needs Playwright and Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser.server import AppServer, copy_shipped_checkpoints
from tests.browser.student import CHROMIUM_ARGS, VIEWPORT, async_playwright, chromium_path

FPS_TARGET = 30.0
LATENCY_TARGET_MS = 50.0

PAD = ".latent-pad[data-kind={kind}]"  # Playwright's CSS engine looks inside the pads' shadow roots

# The pad's root element of a kind, found through open shadow roots.
_FIND = """
const findPad = (kind) => {
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.classList && el.classList.contains('latent-pad') && el.dataset.kind === kind) return el;
      if (el.shadowRoot) { const hit = walk(el.shadowRoot); if (hit) return hit; }
    }
    return null;
  };
  return walk(document);
};
const pointAt = (plane, u, v, type) => {
  const box = plane.getBoundingClientRect();
  plane.dispatchEvent(new PointerEvent(type, {
    bubbles: true, pointerType: 'mouse', isPrimary: true,
    clientX: box.left + u * box.width, clientY: box.top + v * box.height,
  }));
};
"""

# Streamlit runs the script: counted from the app's own state attribute (its browser tests' hook).
RERUNS_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__padRuns = 0;
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__padRuns += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""

DRIVE_JS = (
    """async ([kind, ms]) => {"""
    + _FIND
    + """
  const pads = [...new Set(['ae', 'vae', kind])].map(findPad).filter(Boolean);
  const plane = findPad(kind).querySelector('.plane');
  const before = pads.map(p => +p.dataset.frames);
  let displayFrames = 0;
  const start = performance.now();
  await new Promise((done) => {
    const step = (now) => {
      const s = (now - start) / 1000;
      pointAt(plane, 0.5 + 0.4 * Math.sin(2.1 * s), 0.5 + 0.4 * Math.sin(3.3 * s + 1), 'pointermove');
      displayFrames += 1;
      if (now - start < ms) requestAnimationFrame(step); else done();
    };
    requestAnimationFrame(step);
  });
  const seconds = (performance.now() - start) / 1000;
  const out = {display: displayFrames / seconds};
  pads.forEach((p, i) => { out[p.dataset.kind] = (+p.dataset.frames - before[i]) / seconds; });
  return out;
}"""
)

# One move at a time: from dispatching the event to the image drawn.
LATENCY_JS = (
    """async ([kind, n]) => {"""
    + _FIND
    + """
  const pad = findPad(kind), plane = pad.querySelector('.plane');
  const times = [];
  for (let i = 0; i < n; i++) {
    await new Promise(r => setTimeout(r, 5 + Math.random() * 20));  // any phase of the display frame
    const frames = pad.dataset.frames;
    const drawn = new Promise((resolve) => {
      const watch = new MutationObserver(() => {
        if (pad.dataset.frames !== frames) { watch.disconnect(); resolve(performance.now()); }
      });
      watch.observe(pad, {attributes: true, attributeFilter: ['data-frames']});
    });
    const start = performance.now();
    pointAt(plane, 0.15 + 0.7 * Math.random(), 0.15 + 0.7 * Math.random(), 'pointermove');
    times.push((await drawn) - start);
  }
  return times;
}"""
)

# Real mouse moves (sent by Playwright): the pointermove's own timestamp and the time drawn.
WATCH_MOUSE_JS = (
    """(kind) => {"""
    + _FIND
    + """
  const pad = findPad(kind), plane = pad.querySelector('.plane');
  window.__padMouse = {events: [], drawn: []};
  plane.addEventListener('pointermove', (e) => window.__padMouse.events.push(e.timeStamp), true);
  new MutationObserver(() => window.__padMouse.drawn.push([performance.now(), pad.dataset.frames]))
    .observe(pad, {attributes: true, attributeFilter: ['data-frames']});
}"""
)

# One decode alone, 200 in a row, for the decoder of each pad on the page.
DECODE_SPEED_JS = (
    """() => {"""
    + _FIND
    + """
  const lp = globalThis.__latentPad, results = {};
  for (const kind of ['ae', 'vae']) {
    const pad = findPad(kind), dec = pad && lp.cache.get(pad.dataset.decoder);
    if (!dec) continue;
    const z = new Float32Array(dec.dim);
    const start = performance.now();
    for (let i = 0; i < 200; i++) { z[0] = Math.sin(i); z[1] = Math.cos(i); lp.decode(dec.id, z); }
    results[kind] = (performance.now() - start) / 200;
  }
  return results;
}"""
)

STATE_JS = (
    """(kind) => {"""
    + _FIND
    + """
  const pad = findPad(kind);
  if (!pad) return null;
  const canvas = pad.querySelector('canvas.decoded');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const grey = [];
  for (let i = 0; i < pixels.length; i += 4) grey.push(pixels[i]);
  return {
    ready: pad.dataset.ready, mode: pad.dataset.mode, frames: +pad.dataset.frames,
    code: pad.dataset.code ? JSON.parse(pad.dataset.code) : null,
    image: pad.latentPadImage ? Array.from(pad.latentPadImage) : null, canvas: grey,
    latency: pad.dataset.latency ? +pad.dataset.latency : null,
  };
}"""
)


async def wait_ready(page: Any, kinds: tuple[str, ...] = ("ae", "vae"), timeout: int = 60_000) -> None:
    """Until every pad of `kinds` has its decoder (the weights arrived) and has drawn."""
    for kind in kinds:
        await page.locator(PAD.format(kind=kind) + "[data-ready='1']").wait_for(timeout=timeout)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=stApp]') || "
        "document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout,
    )


async def pad_state(page: Any, kind: str) -> dict[str, Any] | None:
    return await page.evaluate(STATE_JS, kind)


async def count_reruns(page: Any) -> None:
    await page.evaluate(RERUNS_JS)


async def reruns(page: Any) -> int:
    return int(await page.evaluate("() => window.__padRuns || 0"))


async def frames_per_second(page: Any, kind: str, seconds: float) -> dict[str, float]:
    """Decoded frames a second of every pad while the pointer moves over `kind`'s plane each display frame."""
    return await page.evaluate(DRIVE_JS, [kind, seconds * 1000])


async def synthetic_latencies(page: Any, kind: str, moves: int) -> list[float]:
    return [float(v) for v in await page.evaluate(LATENCY_JS, [kind, moves])]


async def mouse_latencies(page: Any, kind: str, moves: int) -> list[float]:
    """Real mouse moves, one at a time: ms from each pointermove event to the picture drawn."""
    plane = page.locator(PAD.format(kind=kind) + " .plane")
    await plane.scroll_into_view_if_needed()
    box = await plane.bounding_box()
    assert box is not None
    await page.evaluate(WATCH_MOUSE_JS, kind)
    times = []
    for i in range(moves):
        u, v = 0.2 + 0.6 * ((i * 7) % 11) / 10, 0.2 + 0.6 * ((i * 5) % 13) / 12
        seen = await page.evaluate("() => window.__padMouse.drawn.length")
        await page.mouse.move(box["x"] + u * box["width"], box["y"] + v * box["height"])
        await page.wait_for_function(f"() => window.__padMouse.drawn.length > {seen}", timeout=10_000)
        events, drawn = await page.evaluate("() => [window.__padMouse.events, window.__padMouse.drawn]")
        times.append(drawn[-1][0] - events[-1])
        await asyncio.sleep(0.03)
    return times


async def decode_ms(page: Any) -> dict[str, float]:
    return await page.evaluate(DECODE_SPEED_JS)


@dataclass
class PageFigures:
    page: str
    fps: dict[str, float]
    synthetic: list[float]
    mouse: list[float]
    decode: dict[str, float]
    reruns: int

    def lines(self) -> list[str]:
        def ms(values: list[float]) -> str:
            ordered = sorted(values)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            return f"median {statistics.median(values):5.1f} ms, p95 {p95:5.1f} ms, max {max(values):5.1f} ms"

        models = [k for k in ("ae", "vae") if k in self.fps]
        fps = ", ".join(f"{k.upper()} {self.fps[k]:.1f}" for k in models)
        worst_fps = min(self.fps[k] for k in models)
        worst_ms = statistics.median(self.mouse + self.synthetic)
        out = [
            f"{self.page}: frames/s {fps} (display {self.fps['display']:.1f}/s)"
            f" — target {FPS_TARGET:.0f}: {'met' if worst_fps >= FPS_TARGET else 'MISSED'}",
            f"  pointer → picture, synthetic event: {ms(self.synthetic)}",
            f"  pointer → picture, real mouse move: {ms(self.mouse)}"
            f" — target {LATENCY_TARGET_MS:.0f} ms: {'met' if worst_ms <= LATENCY_TARGET_MS else 'MISSED'}",
            "  one decode in JavaScript: " + ", ".join(f"{k.upper()} {v:.2f} ms" for k, v in self.decode.items()),
            f"  Streamlit reruns while moving: {self.reruns}",
        ]
        return out


async def measure(url: str, executable: str, *, seconds: float, moves: int, slowdown: float = 1.0) -> list[PageFigures]:
    results = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            for page_name, kinds, driven in (("latent_pad", ("ae", "vae"), "vae"), ("latent_sliders", ("vae",), "vae")):
                context = await browser.new_context(viewport=VIEWPORT)
                page = await context.new_page()
                await page.goto(url + page_name, wait_until="domcontentloaded")
                await wait_ready(page, kinds)
                await asyncio.sleep(1.0)  # the rerun that tells the server the weights arrived
                await wait_ready(page, kinds)
                if slowdown > 1:  # a slower device: Chromium's own CPU throttling (DevTools' "n× slowdown")
                    cdp = await context.new_cdp_session(page)
                    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                await count_reruns(page)
                fps = await frames_per_second(page, driven, seconds)
                synthetic = await synthetic_latencies(page, driven, moves)
                mouse = await mouse_latencies(page, driven, moves)
                speed = await decode_ms(page)
                results.append(PageFigures(page_name, fps, synthetic, mouse, speed, await reruns(page)))
                await context.close()
        finally:
            await browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long the pointer moves for frames/s")
    parser.add_argument("--moves", type=int, default=40, help="single moves timed, per kind of event")
    parser.add_argument("--slowdown", type=float, default=1.0, help="CPU throttling, as on a slow phone (e.g. 4)")
    parser.add_argument("--chromium", default=None, help="Chromium binary (default: /usr/bin/chromium)")
    args = parser.parse_args()
    executable = args.chromium or chromium_path()
    if executable is None or async_playwright is None:
        print(
            "Chromium or Playwright not found: `sudo apt-get install chromium`, `pip install -r requirements-dev.txt`."
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="latent-lab-bench-") as tmp:
        server = AppServer(copy_shipped_checkpoints(Path(tmp)), Path(tmp) / "streamlit.log").start()
        try:
            figures = measure(server.url, executable, seconds=args.seconds, moves=args.moves, slowdown=args.slowdown)
            results = asyncio.run(figures)
        finally:
            server.stop()
    for figures in results:
        print("\n".join(figures.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
