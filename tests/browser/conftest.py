"""Fixtures of the browser tests: Chromium, and one app server shared by every test of the session.

Without Chromium or Playwright the browser tests are skipped, with how to install them; with
CI=true they fail instead, since CI must run them. The 8-browser classroom test (marker
`classroom`, about 100 s) runs in CI and when asked for with `-m classroom`; a plain local pytest
skips it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import ARTIFACTS, AppServer, copy_shipped_checkpoints
from tests.browser.student import CHROMIUM_ENV, DEFAULT_CHROMIUM, SCREENSHOTS, async_playwright, chromium_path


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if in_ci() or "classroom" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(
        reason="the classroom test takes about 100 s: run it with `pytest -m classroom` (CI runs it)"
    )
    for item in items:
        if item.get_closest_marker("classroom"):
            item.add_marker(skip)


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(message + " (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


def require_browser() -> str:
    """Chromium's path; a skip (a failure when CI=true) where Playwright or Chromium is missing."""
    if async_playwright is None:
        _unavailable("Playwright for Python is not installed: pip install -r requirements-dev.txt")
    path = chromium_path()
    if path is None:
        _unavailable(
            f"Chromium not found at {DEFAULT_CHROMIUM}: install it with `sudo apt-get install chromium` "
            f"(Debian/Ubuntu), or point {CHROMIUM_ENV} at a Chromium binary. Playwright's own browser "
            "download is not used."
        )
    assert path is not None
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium's path, or a skip (a failure with CI=true) with how to install it."""
    return require_browser()


@pytest.fixture(scope="session")
def app_server(chromium: str) -> Iterator[AppServer]:
    """The app on 127.0.0.1, on a copy of the shipped checkpoints; its log goes to test-artifacts/."""
    for old in SCREENSHOTS.glob("*.png"):  # this run's pictures only
        old.unlink()
    log = ARTIFACTS / "streamlit-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    with tempfile.TemporaryDirectory(prefix="latent-lab-browser-") as tmp:
        server = AppServer(copy_shipped_checkpoints(Path(tmp)), log).start()
        try:
            yield server
        finally:
            server.stop()
