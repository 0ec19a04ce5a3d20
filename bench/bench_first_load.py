"""First load on a freshly started server: seconds from the browser's first request to the page
title, and whether Streamlit's raw file-name navigation ever showed.

    python -m bench.bench_first_load [--rounds 3] [--compare OTHER_CHECKOUT]

Each round starts `streamlit run app.py` anew (nothing imported, nothing cached), waits until it
answers its health check, then opens a page in headless Chromium and times, in the page's clock,
when the first heading and the app's own navigation appear. With --compare, another checkout of
the app (for example the commit before a change) is measured in the same run, round by round in
turn. Needs Playwright and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

from tests.browser.student import chromium_path, launch_browser

ROOT = Path(__file__).resolve().parent.parent

# In the page: when the first h1 appeared, when a navigation link appeared, and whether Streamlit's
# built-in navigation (the raw file names) was ever drawn.
WATCH = """
window.__firstLoad = {title: null, nav: null, rawNames: false, connected: null};
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeWebSocket(...args);
  socket.addEventListener('open', () => {
    if (window.__firstLoad.connected === null) window.__firstLoad.connected = performance.now();
  });
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, NativeWebSocket);
new MutationObserver(() => {
  const w = window.__firstLoad, now = performance.now();
  if (w.title === null && document.querySelector('[data-testid=stMain] h1')) w.title = now;
  if (w.nav === null && document.querySelector('[data-testid=stSidebar] a[href]')) w.nav = now;
  if (document.querySelector('[data-testid=stSidebarNav]')) w.rawNames = true;
}).observe(document, {subtree: true, childList: true});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app_dir: Path, checkpoints: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "LATENT_LAB_CHECKPOINTS": str(checkpoints)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    process = subprocess.Popen(
        command, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"the server in {app_dir} did not start")


async def first_load(browser, url: str) -> tuple[float, float, bool, float]:
    """(seconds to the title, to the navigation, raw file names seen, seconds to the websocket's
    connection) for one fresh page, from the browser's first request."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(WATCH)
    page = await context.new_page()
    await page.goto(url, wait_until="commit")
    await page.wait_for_function(
        "() => window.__firstLoad.title !== null && window.__firstLoad.nav !== null", timeout=120_000, polling=20
    )
    await page.wait_for_timeout(500)  # the raw navigation, if any, would show by now
    w = await page.evaluate("() => window.__firstLoad")
    await context.close()
    return w["title"] / 1000, w["nav"] / 1000, bool(w["rawNames"]), (w["connected"] or 0) / 1000


async def measure(apps: dict[str, Path], rounds: int, path: str) -> dict[str, list[tuple[float, float, bool, float]]]:
    results: dict[str, list[tuple[float, float, bool, float]]] = {name: [] for name in apps}
    with tempfile.TemporaryDirectory() as tmp:
        checkpoints = Path(tmp) / "checkpoints"
        checkpoints.mkdir()
        for file in (ROOT / "checkpoints").glob("*.pt"):
            shutil.copy2(file, checkpoints / file.name)
        async with async_playwright() as pw:
            browser = await launch_browser(pw, chromium_path() or "/usr/bin/chromium")
            for _ in range(rounds):
                for name, app_dir in apps.items():
                    process, url = start_server(app_dir, checkpoints)
                    try:
                        results[name].append(await first_load(browser, url + path))
                    finally:
                        os.killpg(process.pid, signal.SIGTERM)
                        process.wait(30)
            await browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="fresh servers per checkout (the median is printed)")
    parser.add_argument("--compare", type=Path, help="another checkout of the app, measured in the same run")
    parser.add_argument("--path", default="", help="the page to open, e.g. latent_grid (default: Home)")
    args = parser.parse_args()
    apps = {"this checkout": ROOT}
    if args.compare:
        apps["compared"] = args.compare.resolve()
    results = asyncio.run(measure(apps, args.rounds, args.path))
    print(f"first load of /{args.path} on a fresh server, {args.rounds} rounds, seconds (median, worst):")
    for name, rows in results.items():
        titles, navs, connects = [r[0] for r in rows], [r[1] for r in rows], [r[3] for r in rows]
        after, nav_after = [r[0] - r[3] for r in rows], [r[1] - r[3] for r in rows]
        raw = sum(r[2] for r in rows)
        print(
            f"  {name:<14} title {statistics.median(titles):4.2f} ({max(titles):.2f})   "
            f"navigation {statistics.median(navs):4.2f} ({max(navs):.2f})   "
            f"websocket open {statistics.median(connects):4.2f}   "
            f"after connecting: title {statistics.median(after):4.2f} ({max(after):.2f}), "
            f"navigation {statistics.median(nav_after):4.2f} ({max(nav_after):.2f})   "
            f"raw file names in {raw} of {len(rows)}"
        )


if __name__ == "__main__":
    main()
