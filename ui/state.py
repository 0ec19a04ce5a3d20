"""Per-user state: widget values that survive page changes and travel in the page's link, and
defaults set without warnings.

Streamlit forgets the value of a widget that is not drawn in a run, so a choice made on one page
would be lost on the next. Widgets whose key starts with `KEEP` are remembered in a plain
session entry at the start of every run and re-assigned (`ui.shell.page_setup`), which keeps
their values while the user is elsewhere.

The copy in a plain entry matters: after a fragment run (the Train page polls its progress in one),
Streamlit keeps the values of widgets outside the fragment only in the browser, so re-assigning
what `st.session_state` still holds would find nothing; the Train page also remembers its settings
just before its fragment starts.

Every kept widget declared through `default` is also written to the page's URL (`keep.grid_n` as
`?grid_n=15`), so a pasted link, a reload or the back button reproduces the view. A value in a
link that the session did not write itself is checked like the widget would check it, and one that
does not fit (a removed model, a number out of range, text where a number belongs) is replaced by
the default with a short note.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

import streamlit as st

from .texts import plain, t

KEEP = "keep."  # prefix of widget keys whose value follows the user from page to page
DRAWN = "drawn_digit"  # the last digit prepared on the Draw page (1, C, H, W): the Fill-in and Style pages use it
REMEMBERED = "_kept_widget_values"  # key → last value: a plain entry, which Streamlit never drops
URL_WRITTEN = "_url_written"  # name → value: the query parameters this session last wrote or read
URL_PENDING = "_url_pending"  # key → text: values from a link, waiting for their widget's `default`
URL_VALUE_MAX = 200  # characters: no widget's value is longer, a forged one may be


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


def read_link() -> None:
    """At the start of a run: query parameters the session did not write itself (a link opened, a
    reload, the back button) wait for their widgets' `default`; during this run only."""
    params = {name: st.query_params[name] for name in st.query_params}
    if params == st.session_state.get(URL_WRITTEN):
        st.session_state[URL_PENDING] = {}
        return
    st.session_state[URL_PENDING] = {KEEP + name: text for name, text in params.items() if len(text) <= URL_VALUE_MAX}
    st.session_state[URL_WRITTEN] = params


def _parse(text: str, like: Any) -> Any:
    """A link's text as a value of the default's type; ValueError if it is not one."""
    if isinstance(like, bool):
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    return text


def _fits(value: Any, valid: Collection[Any] | None, low: float | None, high: float | None) -> bool:
    if valid is not None and value not in valid:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _link_text(value: Any) -> str | None:
    """A kept value as a link writes it (true/false, 20.0), None for one a link cannot carry."""
    if not isinstance(value, (bool, int, float, str)):
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def current_link() -> dict[str, str]:
    """The page's query parameters as they stand now, each kept one at the session's newest value: a
    widget changed by the click that started this run reaches the address only when its page draws it."""
    params = {name: st.query_params[name] for name in st.query_params}
    for name in params:
        newest = _link_text(st.session_state.get(KEEP + name))
        if newest is not None:
            params[name] = newest
    return params


def write_link(key: str) -> None:
    """Put a kept widget's value in the page's URL (and remember it was this session's doing)."""
    text = _link_text(st.session_state[key])
    if not key.startswith(KEEP) or text is None:
        return
    name = key.removeprefix(KEEP)
    if st.query_params.get(name) != text:
        st.query_params[name] = text
    st.session_state.setdefault(URL_WRITTEN, {})[name] = text


def default(
    key: str, value: Any, valid: Collection[Any] | None = None, *, low: float | None = None, high: float | None = None
) -> None:
    """Give a widget its starting value through session state (never through the widget's own
    default, which would clash with the kept value), take the value a link gives it if that fits,
    repair a value no longer valid, and write the value to the page's URL.

    `valid` lists the allowed values; `low` and `high` bound a number."""
    text = st.session_state.get(URL_PENDING, {}).pop(key, None)
    if text is not None:
        try:
            linked = _parse(text, value)
        except ValueError:
            linked = None
        if linked is not None and _fits(linked, valid, low, high):
            st.session_state[key] = linked
        else:
            st.toast(t("link.ignored", name=plain(key.removeprefix(KEEP)), value=plain(text)), icon="🔗")
    if key not in st.session_state or not _fits(st.session_state[key], valid, low, high):
        st.session_state[key] = value
    write_link(key)


def clamp(key: str, low: float, high: float) -> None:
    """Keep a numeric widget value inside [low, high] when the range changed since it was set."""
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], low), high)
