"""Helpers for the app tests (tests/test_app_*.py): open a page of the app with AppTest, copy the
checkpoints to a temporary folder, and check that a page rendered without a traceback.

Not a test module itself (its name does not start with test_).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `ui` and `vae_core` importable however pytest was started
    sys.path.insert(0, str(ROOT))

from ui.paths import CHECKPOINTS_ENV  # noqa: E402,F401 - re-exported for the tests
APP = ROOT / "app.py"
SHIPPED = ROOT / "checkpoints"
TIMEOUT = 60  # seconds per script run: generous for two slow, shared cores

PAGES = {
    "home": None,
    "train": "pages/train.py",
    "grid": "pages/latent_grid.py",
    "sliders": "pages/latent_sliders.py",
    "interpolation": "pages/interpolation.py",
    "compare": "pages/ae_vs_vae.py",
    "uses": "pages/uses.py",
}
MODEL_PAGES = ["grid", "sliders", "interpolation", "compare", "uses"]


# AppTest starts every run as a fresh server would: because of the pages/ folder, Streamlit's old
# multipage mode runs a page without app.py until app.py's st.navigation has run once (ui/shell.py
# copes with that). A real server then stays in navigation mode; these tests do the same, except
# inside `fresh_server()`.
_pages_manager_init = PagesManager.__init__


def _as_on_a_running_server(self, *args, **kwargs) -> None:
    _pages_manager_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False  # what st.navigation sets


PagesManager.__init__ = _as_on_a_running_server


@contextmanager
def fresh_server() -> Iterator[None]:
    """Runs as on a server where no one has opened the app yet (a bookmarked page, say)."""
    PagesManager.__init__ = _pages_manager_init
    try:
        yield
    finally:
        PagesManager.__init__ = _as_on_a_running_server


def open_app(page: str = "home", *, lang: str = "en") -> AppTest:
    """A fresh session on `page`, in `lang`; the app's entry point runs first, as in a browser."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["keep.lang"] = lang
    at.run()
    return at if page == "home" else go_to(at, page)


def go_to(at: AppTest, page: str) -> AppTest:
    """Follow the navigation to a page of pages/ (Home is a function: open a new session for it)."""
    path = PAGES[page]
    assert path is not None, "open_app('home') instead"
    return at.switch_page(path).run()


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def assert_clean(at: AppTest) -> None:
    """No traceback and no error message on the page."""
    assert_no_exception(at)
    assert not at.error, [e.value for e in at.error]


def image_urls(at: AppTest) -> list[str]:
    """The media URLs of every st.image; they are content hashes, so a new picture gives a new URL."""
    return [url for image in at.image for url in image.value]


def copy_checkpoints(destination: Path) -> Path:
    """A private copy of the shipped checkpoints (never the real folder) for tests that add files."""
    folder = destination / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    for path in SHIPPED.glob("*.pt"):
        shutil.copy2(path, folder / path.name)
    return folder


def wait_until(at: AppTest, done, *, timeout: float = 120.0, every: float = 0.5) -> AppTest:
    """Rerun the page (as the browser's polling would) until `done(at)` is true."""
    deadline = time.monotonic() + timeout
    while not done(at):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(every)
        at.run()
    return at
