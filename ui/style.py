"""The look every page needs on a projector and on a phone, and the one way to show a chart.

Only Streamlit's public hooks: a stylesheet given to st.html, and the `st-key-<key>` classes that
Streamlit puts on keyed containers. Nothing here imports torch, so any page (Home included) can call
it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from .chart_text import chart_summary
from .components import asset_file

if TYPE_CHECKING:
    import plotly.graph_objects as go

# What the style (ui/components/page_style/page.css) does:
# - Formulas scroll sideways inside their own box where the screen is too narrow for them (Streamlit
#   does so too; kept here so it stays), and a shadow at the box's edge shows there is more of the
#   formula that way: without it, a formula on a phone looked cut off at the right.
# - On a wide screen the main column's side padding shrinks from 5 to 1.5 rem: the AE | VAE columns
#   get wide enough for a plotting area of over 400 px each beside the sidebar of a 1400 px screen.
# - The headings over the AE | VAE pictures (`model_columns`) keep two lines' height on a wide
#   screen, their last line at the bottom, so the pictures side by side start at the same height
#   when one name wraps.
# - Labels of the main area's widgets and links wrap onto a second line where they do not fit (a
#   phone) instead of ending in "…": Streamlit cuts a toggle's label with a help icon, and a page
#   link's, to one line.
# - The navigation is also drawn atop the page (`ui.shell.PHONE_NAV_KEY`), shown only on a narrow
#   screen: there the sidebar covers most of the page and stays open after a tap, so a student on a
#   phone moves between pages without opening it.
# - Diagrams in a container keyed "diagram_…" write their words at the size the graphviz source
#   gives them (16 units, 21 px on screen): Streamlit sets every text of a graphviz chart to
#   0.6 rem, 14 px on screen, whatever the source says.
PAGE_STYLE = asset_file("page_style", "page.css")  # st.html wraps a .css file in <style>
CHART_CONFIG = {"displayModeBar": False}  # plotly's toolbar: English tooltips, and nothing a class needs


def page_style() -> None:
    """Drawn once per page run by `ui.shell.page_setup` (invisible)."""
    st.html(PAGE_STYLE)


def show_chart(figure: go.Figure, key: str, **options: Any) -> Any:
    """A plotly chart at the column's width, with the app's own style and no toolbar, named for a
    screen reader by the chart in words (`chart_summary`, read from the figure): plotly's SVG says
    nothing a screen reader can read."""
    summary = chart_summary(figure)
    return st.plotly_chart(figure, width="stretch", theme=None, key=key, config=CHART_CONFIG, alt=summary, **options)
