"""Who is at the keyboard across reloads and tabs, without accounts: an identifier the browser
keeps in a cookie, and what the server remembers for it (its language, the models it trained and
the training it runs), so a reload or a second tab finds them again.

Where cookies are off, the identifier lives as long as the session: nothing is shared by mistake.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from .components import asset

COOKIE = "latent_lab_browser"
COOKIE_MAX_AGE_S = 365 * 24 * 3600
ID_KEY = "browser_id"
_ID = re.compile(r"[0-9a-f]{32}")

# Sets the cookie from the browser's side: Streamlit reads cookies (st.context.cookies) but has no
# call to set one. Mounted only in a session whose browser did not send it.
_cookie_setter = st.components.v2.component("latent_lab_browser_cookie", js=asset("browser_cookie", "cookie.js"))


@dataclass
class BrowserMemory:
    """What the server keeps for one browser while it runs."""

    language: str | None = None
    models: dict[str, str] = field(default_factory=dict)  # checkpoint path → training run id
    datasets: dict[str, str] = field(default_factory=dict)  # its own image sets: data-set name → title
    poll_answers: dict[str, str] = field(default_factory=dict)  # "room:round" → the option it answered
    run: Any = None  # its ui.session_training.TrainingRun, finished or not


@st.cache_resource(show_spinner=False)
def _memories() -> tuple[dict[str, BrowserMemory], threading.Lock]:
    return {}, threading.Lock()


def browser_id() -> str:
    """This browser's identifier: from its cookie, or new (and then given to the browser)."""
    known = st.session_state.get(ID_KEY)
    if known:
        return known
    cookie = st.context.cookies.get(COOKIE)
    if isinstance(cookie, str) and _ID.fullmatch(cookie):
        known = cookie
    else:
        known = uuid.uuid4().hex
        with st.sidebar:
            _cookie_setter(data={"name": COOKIE, "value": known, "maxAge": COOKIE_MAX_AGE_S}, key="browser_cookie")
    st.session_state[ID_KEY] = known
    return known


def memory() -> BrowserMemory:
    """The server's memory of this browser (shared by its tabs)."""
    memories, lock = _memories()
    with lock:
        return memories.setdefault(browser_id(), BrowserMemory())
