"""What every page draws first: the tab title, the translated navigation, the language switch,
this session's newly trained models, and the page's heading with its explanation.

Each page, Home (`app.py`) included, calls `page_setup` as its first statement, so a page opened
by its URL on a freshly started server renders fully on its own. Nothing here imports torch, and
pages import the engine only after this call: on a fresh server the navigation and the heading
show at once, while the models load.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from .browser import memory
from .formulas import formula
from .lesson import lesson_step, phone_panel, presenter_panel, sidebar_panel
from .navigation import PAGE_BY_NAME, PAGES
from .presenter import BAR, leave_button, presenter_setup, presenting
from .session_training import register_finished_models, watch_training
from .state import default, keep_widget_values, read_link
from .style import page_style
from .texts import LANGUAGE_KEY, LANGUAGES, t

NAV_KEY = "nav"  # the navigation's container: the browser tests find its links under .st-key-nav
PHONE_NAV_KEY = "phone_nav"  # the same links atop the page, shown on narrow screens only (ui/style.py)


def page_links() -> None:
    """A link to every page, in the user's language."""
    for page in PAGES:
        st.page_link(page.path, label=t(page.nav_key), icon=page.icon)


def page_setup(name: str, *, formulas: Sequence[str] = ()) -> None:
    """Call first on every page, with the page's name in `ui.navigation.PAGES` and the formulas
    that its explanation needs."""
    page = PAGE_BY_NAME[name]
    keep_widget_values()
    read_link()
    remembered = memory()  # a reload or a new tab of the same browser keeps its language
    default(LANGUAGE_KEY, remembered.language or "en", list(LANGUAGES))
    remembered.language = st.session_state[LANGUAGE_KEY]
    st.set_page_config(page_title=f"{t(page.nav_key)} · Latent Lab", page_icon="🧪", layout="wide")
    page_style()
    step = lesson_step()  # the guided lesson's step, 0 for none: its panel tops the sidebar (ui/lesson.py)
    present = presenting()  # presenter mode (ui/presenter.py): the step's panel tops the page instead
    if step and not present:
        sidebar_panel(step, page.name)
    with st.sidebar.container(key=NAV_KEY):
        page_links()
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), key=LANGUAGE_KEY, format_func=LANGUAGES.__getitem__)
    register_finished_models()
    watch_training()
    with st.container(key=PHONE_NAV_KEY, horizontal=True, gap="small"):  # a phone needs no sidebar to move on
        page_links()
    if present:
        presenter_setup(page)
        with st.container(key=BAR):
            leave_button()
            if step:
                presenter_panel(step, page.name)
    elif step:
        phone_panel(step, page.name)
    st.title(t(page.title_key))
    st.markdown(t(page.title_key.replace(".title", ".intro")))
    for latex in map(formula, formulas):
        st.latex(latex)
