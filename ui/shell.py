"""Make sure every page runs inside app.py, the entry point that sets up language and navigation.

Streamlit keeps an older multipage mode for apps with a `pages/` folder. On a fresh server (and
in AppTest, on every run) a page opened directly, e.g. a bookmarked /latent_grid, runs on its
own, without app.py: no language switch, no translated navigation, no trained models of the
session. app.py's `st.navigation` turns that mode off for the whole server, but only once it has
run. So a page that finds it ran on its own runs app.py right there, which runs the page again
inside it (same run, so a button press is not lost), and then stops its own, outer run.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

ENTRY_POINT = Path(__file__).resolve().parent.parent / "app.py"
ENTRY_FLAG = "_entry_point_ran"  # set by app.py just before it runs the page; cleared by the page


def mark_entry_point() -> None:
    """Called by app.py on every run, just before it runs the chosen page."""
    st.session_state[ENTRY_FLAG] = True


def require_entry_point() -> None:
    """First statement of every page in pages/: if the page was started without app.py, run app.py."""
    if st.session_state.pop(ENTRY_FLAG, False):
        return
    runpy.run_path(str(ENTRY_POINT), run_name="__main__")  # st.navigation → this page, run inside app.py
    st.stop()  # the page already ran inside app.py
