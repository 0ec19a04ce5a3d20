"""Per-user state: widget values that survive page changes, and defaults set without warnings.

Streamlit forgets the value of a widget that is not drawn in a run, so a choice made on one page
would be lost on the next. Widgets whose key starts with `KEEP` are re-assigned at the top of
every run (in app.py), which keeps their values while the user is elsewhere.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import streamlit as st

KEEP = "keep."  # prefix of widget keys whose value follows the user from page to page


def keep_widget_values() -> None:
    """Re-assign persistent widget values so a page without those widgets does not drop them."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP):
            st.session_state[key] = st.session_state[key]


def default(key: str, value: Any, valid: Collection[Any] | None = None) -> None:
    """Give a widget its starting value through session state (never through the widget's own
    default, which would clash with the kept value), and repair a value no longer valid."""
    if key not in st.session_state or (valid is not None and st.session_state[key] not in valid):
        st.session_state[key] = value


def clamp(key: str, low: float, high: float) -> None:
    """Keep a numeric widget value inside [low, high] when the range changed since it was set."""
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], low), high)
