"""Helpers for the app tests (tests/test_app_*.py): open a page of the app with AppTest, copy the
checkpoints to a temporary folder, and check that a page rendered without a traceback.

Not a test module itself (its name does not start with test_).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.shipped_copies import copy_shipped
from ui.navigation import PAGE_BY_NAME, PAGES

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 60  # seconds per script run: generous for two slow, shared cores
MODEL_PAGES = [page.name for page in PAGES if page.needs_models]


def open_app(page: str = "home", *, lang: str = "en") -> AppTest:
    """A new session whose first run is `page` in `lang`, as a browser opening its URL."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["keep.lang"] = lang
    if page != "home":
        at.switch_page(PAGE_BY_NAME[page].path)
    return at.run()


def open_link(page: str, **params: str) -> AppTest:
    """A new session opened from a link: the page's URL with these query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    if page != "home":
        at.switch_page(PAGE_BY_NAME[page].path)
    return at.run()


def go_to(at: AppTest, page: str) -> AppTest:
    """Follow the navigation to another page in the same session."""
    return at.switch_page(PAGE_BY_NAME[page].path).run()


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def assert_clean(at: AppTest) -> None:
    """No traceback and no error message on the page."""
    assert_no_exception(at)
    assert not at.error, [e.value for e in at.error]


def image_urls(at: AppTest) -> list[str]:
    """The URLs of every st.image: inline PNG data, so a new picture gives a new URL."""
    return [url for image in at.image for url in image.value]


def copy_checkpoints(destination: Path) -> Path:
    """A private copy of the shipped checkpoints (never the real folder) for tests that add files."""
    return copy_shipped(destination / "checkpoints")


def wait_until(at: AppTest, done: Callable[[AppTest], bool], *, timeout: float = 120.0, every: float = 0.5) -> AppTest:
    """Rerun the page (as the browser's polling would) until `done(at)` is true."""
    deadline = time.monotonic() + timeout
    while not done(at):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(every)
        at.run()
    return at
