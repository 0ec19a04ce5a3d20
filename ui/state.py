"""Per-user state: widget values that survive page changes, and defaults set without warnings.

Streamlit forgets the value of a widget that is not drawn in a run, so a choice made on one page
would be lost on the next. Widgets whose key starts with `KEEP` are remembered in a plain
session entry at the start of every run and re-assigned (`ui.shell.page_setup`), which keeps
their values while the user is elsewhere.

The copy in a plain entry matters: after a fragment run (the Train page polls its progress in one),
Streamlit keeps the values of widgets outside the fragment only in the browser, so re-assigning
what `st.session_state` still holds would find nothing; the Train page also remembers its settings
just before its fragment starts.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import streamlit as st

KEEP = "keep."  # prefix of widget keys whose value follows the user from page to page
REMEMBERED = "_kept_widget_values"  # key → last value: a plain entry, which Streamlit never drops


def remember_widget_values() -> None:
    """Copy the kept widgets' current values aside."""
    remembered = st.session_state.setdefault(REMEMBERED, {})
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP):
            remembered[key] = st.session_state[key]


def keep_widget_values() -> None:
    """Re-assign the kept widgets' values so a page without those widgets does not drop them."""
    remember_widget_values()  # first what the browser just sent, so a new choice is not overwritten
    for key, value in st.session_state[REMEMBERED].items():
        st.session_state[key] = value


def default(key: str, value: Any, valid: Collection[Any] | None = None) -> None:
    """Give a widget its starting value through session state (never through the widget's own
    default, which would clash with the kept value), and repair a value no longer valid."""
    if key not in st.session_state or (valid is not None and st.session_state[key] not in valid):
        st.session_state[key] = value


def clamp(key: str, low: float, high: float) -> None:
    """Keep a numeric widget value inside [low, high] when the range changed since it was set."""
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], low), high)
