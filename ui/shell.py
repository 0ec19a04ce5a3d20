"""What every page draws first: the tab title, the translated navigation, the language switch,
and this session's newly trained models.

Each page, Home (`app.py`) included, calls `page_setup` as its first statement, so a page opened
by its URL on a freshly started server renders fully on its own. Nothing here imports torch: the
navigation appears before a fresh server has loaded the models.
"""

from __future__ import annotations

import streamlit as st

from .navigation import PAGE_BY_NAME, PAGES
from .state import default, keep_widget_values
from .texts import LANGUAGE_KEY, LANGUAGES, t
from .training import register_finished_models

NAV_KEY = "nav"  # the navigation's container: the browser tests find its links under .st-key-nav


def page_setup(name: str) -> None:
    """Call first on every page, with the page's name in `ui.navigation.PAGES`."""
    keep_widget_values()
    default(LANGUAGE_KEY, "en", list(LANGUAGES))
    st.set_page_config(page_title=f"{t(PAGE_BY_NAME[name].nav_key)} · Latent Lab", page_icon="🧪", layout="wide")
    with st.sidebar.container(key=NAV_KEY):
        for page in PAGES:
            st.page_link(page.path, label=t(page.nav_key), icon=page.icon)
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), key=LANGUAGE_KEY, format_func=LANGUAGES.__getitem__)
    register_finished_models()
