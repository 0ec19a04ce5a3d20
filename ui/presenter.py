"""Presenter mode: the page alone on the projector, large, its controls and the sidebar set aside,
the lesson's step on top (→ and ← step through it, as do a clicker's Page Down and Page Up), and a
QR code of the view's link in a corner so that students open the same view on their phones.

On with the lesson page's button or `?present=1` in a link (`true` too), off with the bar's *Leave*;
while on, it stays in the address (`present=true`) as the lesson's step does, so a reload keeps it.
The students' link in the QR code is the same view without `present`: they get the page as usual.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from .components import asset, asset_file
from .navigation import PAGES, Page
from .state import KEEP, URL_PENDING, current_link
from .texts import plain, t

PRESENT_KEY = KEEP + "present"  # True while presenting: a kept entry, in the address while on
PRESENT_PARAM = PRESENT_KEY.removeprefix(KEEP)
ON, OFF = {"1", "true"}, {"0", "false"}
BAR = "presenter_bar"  # container keys: CSS st-key-… classes (ui/components/presenter/presenter.css)
QR_BOX = "presenter_qr"
PRESENTER_STYLE = asset_file("presenter", "presenter.css")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}

_keys = st.components.v2.component("latent_lab_presenter_keys", js=asset("presenter", "keys.js"))


def presenting() -> bool:
    """At the start of a run (after `ui.state.read_link`): take `present` from a link, refuse a value
    that does not fit with the usual note, keep it in the address while on. Returns whether it is on."""
    text = st.session_state.get(URL_PENDING, {}).pop(PRESENT_KEY, None)
    if text is not None:
        if text.lower() in ON | OFF:
            st.session_state[PRESENT_KEY] = text.lower() in ON
        else:
            st.toast(t("link.ignored", name=plain(PRESENT_PARAM), value=plain(text)), icon="🔗")
    on = st.session_state.get(PRESENT_KEY) is True
    if on:
        st.query_params[PRESENT_PARAM] = "true"
    elif PRESENT_PARAM in st.query_params:
        del st.query_params[PRESENT_PARAM]
    return on


def start_presenting() -> None:
    """A callback."""
    st.session_state[PRESENT_KEY] = True


def stop_presenting() -> None:
    """A callback: off, and out of the address."""
    st.session_state[PRESENT_KEY] = False
    if PRESENT_PARAM in st.query_params:
        del st.query_params[PRESENT_PARAM]


def app_root(url: str) -> str:
    """The app's own address from the browser's (`st.context.url`): scheme, host and base path, with
    a page's name at its end taken off, so that every page's link can be built on it."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in {page.name for page in PAGES if page.name != "home"}:
        path = head
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def students_link(root: str, page: Page, params: dict[str, str]) -> str:
    """The view's link for students: this page with this view, without presenter mode."""
    query = urlencode({name: value for name, value in params.items() if name != PRESENT_PARAM})
    return root + ("" if page.name == "home" else page.name) + (f"?{query}" if query else "")


@st.cache_data(max_entries=512, show_spinner=False)
def qr_png(link: str) -> str:
    """The link as a QR code, a PNG data URL: black modules of 8 px on white, with the quiet zone."""
    return segno.make(link, error="m").png_data_uri(scale=8, border=4, dark="#000000", light="#ffffff")


def presenter_corner(page: Page) -> None:
    """The QR code of the view's link, fixed in a corner, and the link written under it."""
    link = students_link(app_root(st.context.url or ""), page, current_link())
    with st.container(key=QR_BOX):
        st.image(qr_png(link), width="stretch", alt=t("alt.qr", link=link))
        st.caption(plain(link))
        if (urlsplit(link).hostname or "") in LOCAL_HOSTS:  # the projector's own name: no phone reaches it
            st.caption(t("present.local_link"))


def presenter_setup(page: Page) -> None:
    """Drawn by `ui.shell.page_setup` while presenting: the style, the keys and the corner."""
    st.html(PRESENTER_STYLE)
    _keys(key="presenter_keys")
    presenter_corner(page)


def leave_button() -> None:
    st.button(t("present.leave"), key="presenter_leave", on_click=stop_presenting, icon=":material/close:")


def start_button() -> None:
    """The way in, on the lesson page, where a lecturer starts (any page takes `?present=1`)."""
    st.button(t("present.start"), key="presenter_start", on_click=start_presenting, icon=":material/present_to_all:")
