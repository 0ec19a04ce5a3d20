"""The guided lesson: its steps as data, and the panel that every page shows while a step is on.

A step names the page it opens and the view it opens it on: query parameters of that page's `keep.*`
controls, read by `ui.state.default` as from any shared link (`?step=3&grid_n=15&grid_extent=20.0`).
So a step's address works when opened fresh, and the lesson's position travels with it: `step` is
a kept value like the others (`keep.step`), written to the address of every page while a lesson is
on, and 0 when none is. A `step` that does not fit (forged, or from a longer lesson) is refused with
the usual note and changes nothing.

`ui.shell.page_setup` draws the panel twice: in the sidebar (the lecturer's, projected) and atop the
page in a collapsed expander that only a narrow screen shows (`LESSON_STYLE`), since a phone keeps
its sidebar closed. Its texts are keyed `lesson.<step>.title|say|ask|answer` in `ui.texts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st

from .components import asset_file
from .navigation import PAGE_BY_NAME
from .state import KEEP, URL_PENDING, default
from .texts import plain, t

STEP_KEY = KEEP + "step"  # the lesson's position, 1-based; 0 (or absent): no lesson
STEP_PARAM = STEP_KEY.removeprefix(KEEP)  # its name in the address
REVEALED = "lesson_revealed"  # a plain entry: the steps whose answer this session has revealed
PHONE_OPEN = "lesson_phone_open"  # a plain entry: whether the phone's panel was left open
Width = Literal["content", "stretch"]
SIDEBAR_PANEL, PHONE_PANEL = "lesson_panel", "lesson_phone"  # container keys (CSS st-key-… classes)


def view(**controls: object) -> dict[str, str]:
    """A page's controls (keys without "keep."), written as a link writes them (true/false, 20.0)."""
    return {name: str(v).lower() if isinstance(v, bool) else str(v) for name, v in controls.items()}


def two_d(**controls: object) -> dict[str, str]:
    """A view on the 2-D MNIST pair, whose codes a chart shows as they are: the picker's choice, then
    the page's controls."""
    return view(pick_dataset="mnist", pick_latent=2, **controls)


@dataclass(frozen=True)
class Step:
    key: str  # its texts: lesson.<key>.title, .say (what to look at), .ask (the question), .answer
    part: str  # the part of the notes' story it belongs to: lesson.part.<part>
    page: str  # the page it opens, by name in ui.navigation.PAGES
    view: Mapping[str, str] = field(default_factory=dict)  # query parameters: that page's keep.* controls

    def text(self, what: str) -> str:
        return t(f"lesson.{self.key}.{what}")


# Every view lists all the controls that matter on its page, so that a step opened after another
# (which may have moved them) still shows what its text describes.
STEPS: tuple[Step, ...] = (
    Step("ae_codes", "holes", "ae_vs_vae", two_d(compare_ellipses=False)),
    Step(
        "ae_holes",
        "holes",
        "latent_grid",
        two_d(grid_n=15, grid_spacing="linear", grid_extent=20.0, grid_dim_x=0, grid_overlay=True),
    ),
    Step(
        "vae_map",
        "continuity",
        "latent_grid",
        two_d(grid_n=15, grid_spacing="gaussian", grid_extent=3.0, grid_dim_x=0, grid_overlay=False),
    ),
    Step(  # a typical 7 (the tenth of its class), whose row runs 1, 7, 9 and on to 0 along z1
        "small_steps",
        "continuity",
        "latent_sliders",
        two_d(sliders_kind="vae", sliders_start="image", sliders_class=7, sliders_index=10, sliders_compare=False),
    ),
    Step("reparam", "reparam", "home"),
    Step("clouds", "reparam", "ae_vs_vae", two_d(compare_ellipses=True)),
    Step("prior", "prior", "ae_vs_vae", two_d(compare_ellipses=True, compare_samples=64, compare_seed=0)),
    Step(  # the VAE morphs 2 → 3 → 5; the AE's line runs between its clusters (smudges)
        "walk",
        "interpolation",
        "interpolation",
        two_d(
            interp_a_class=2,
            interp_a_index=0,
            interp_b_class=5,
            interp_b_index=0,
            interp_steps=10,
            interp_method="linear",
            interp_path=True,
        ),
    ),
    Step("denoising", "uses", "uses", view(uses_seed=0)),  # the noise: the page's own, the denoisers' training noise
    Step("anomalies", "uses", "uses", view(uses_percentile=95.0, uses_vae_score="elbo")),
    Step("beta", "beta", "beta", view(beta_seed=0, beta_start=0, beta_rows=5)),
    # The notes' closing comparison, on the page that measures it (tests/test_lesson_claims.py checks the answers)
    Step("compare_samples", "compare", "generative", view(generative_seed=0)),
    Step("compare_collapse", "compare", "generative", view(generative_seed=0)),
    Step("compare_speed", "compare", "generative", view(generative_seed=0, generative_encode=False)),
)
PARTS: tuple[str, ...] = tuple(dict.fromkeys(step.part for step in STEPS))  # in the story's order

# - The phone's copy of the panel shows on a narrow screen only, as the phone's navigation does
#   (ui/style.py).
# - The sidebar panel's texts at the page's base size (1 rem, 18 px): Streamlit writes a sidebar's
#   markdown, links and answer box smaller.
# - Previous and Next are links drawn as two outlined buttons side by side; the lesson page's start
#   link as a filled one. Links, not buttons: they can be opened in a new tab and copied.
# The file names the panels' classes as they are: CSS has no variables in selectors
# (tests/test_app_components.py checks them against the keys).
LESSON_STYLE = asset_file("lesson_panel", "lesson.css")  # st.html wraps a .css file in <style>


def lesson_style() -> None:
    """The lesson's look (invisible): drawn with the panel, and by the lesson page."""
    st.html(LESSON_STYLE)


def step_params(number: int) -> dict[str, str]:
    """The query parameters that open step `number` (1-based): its position, then its view."""
    return {STEP_PARAM: str(number), **STEPS[number - 1].view}


def step_link(number: int, *, label: str, icon: str | None = None, width: Width = "content") -> None:
    """A link that opens step `number` on its page and view (a real link: it can be opened in a new tab)."""
    page = PAGE_BY_NAME[STEPS[number - 1].page]
    st.page_link(page.path, label=label, icon=icon, query_params=step_params(number), width=width)


def current_step() -> int:
    """The step this session is on, 0 when no lesson is."""
    number = st.session_state.get(STEP_KEY, 0)
    return number if isinstance(number, int) and 1 <= number <= len(STEPS) else 0


def lesson_step() -> int:
    """At the start of a page's run (after `ui.state.read_link`): take a `step` that a link gives,
    refuse one that does not fit with a note, and keep the position in the page's address while a
    lesson is on. Returns the step, 0 for none."""
    text = st.session_state.get(URL_PENDING, {}).pop(STEP_KEY, None)
    if text is not None:
        if text.isascii() and text.isdigit() and 1 <= int(text) <= len(STEPS):
            st.session_state[STEP_KEY] = int(text)
        else:
            st.toast(t("link.ignored", name=plain(STEP_PARAM), value=plain(text)), icon="🔗")
    number = current_step()
    if number:
        default(STEP_KEY, number, low=1, high=len(STEPS))  # written to the address
    elif STEP_PARAM in st.query_params:  # a refused step leaves the address, as other refused values are corrected
        del st.query_params[STEP_PARAM]
    return number


def leave_lesson() -> None:
    """A callback: no step from now on, and none in the address."""
    st.session_state[STEP_KEY] = 0
    if STEP_PARAM in st.query_params:
        del st.query_params[STEP_PARAM]


def toggle_answer(number: int) -> None:
    """A callback: reveal step `number`'s answer, or hide it again."""
    revealed = st.session_state.setdefault(REVEALED, set())
    revealed.symmetric_difference_update({number})


def remember_phone_panel(key: str) -> None:
    """A callback: keep the phone's panel open (or closed) from step to step."""
    st.session_state[PHONE_OPEN] = bool(st.session_state.get(key))


def _moves(number: int, where: str) -> None:
    """Previous and Next: links to the neighbouring steps' pages and views."""
    with st.container(horizontal=True, gap="small", key=f"lesson_moves_{where}"):
        if number > 1:
            with st.container(key=f"lesson_previous_{where}"):  # as wide as Next's
                step_link(number - 1, label=t("lesson.previous"), icon=":material/arrow_back:", width="stretch")
        if number < len(STEPS):
            with st.container(key=f"lesson_next_{where}"):  # drawn with a stronger border
                step_link(number + 1, label=t("lesson.next"), icon=":material/arrow_forward:", width="stretch")


def _panel_body(number: int, page_name: str, where: str) -> None:
    """What to look at, the question, and its answer behind a button."""
    step = STEPS[number - 1]
    st.markdown(step.text("say"))
    st.markdown(f"**{t('lesson.predict')}** {step.text('ask')}")
    revealed = number in st.session_state.get(REVEALED, set())
    st.button(
        t("lesson.hide") if revealed else t("lesson.reveal"),
        key=f"lesson_reveal_{where}",
        on_click=toggle_answer,
        args=(number,),
        type="secondary" if revealed else "primary",
        icon=":material/visibility_off:" if revealed else ":material/lightbulb:",
        width="stretch",
    )
    if revealed:
        st.success(step.text("answer"))
    if page_name != step.page:  # the user went elsewhere: the way back to the step's view
        step_link(number, label=t("lesson.back_to_step"), icon=":material/undo:", width="stretch")


def _exits(where: str) -> None:
    """The list of steps, and the way out of the lesson."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.page_link(PAGE_BY_NAME["lesson"].path, label=t("lesson.contents"), icon=":material/list:")
        st.button(
            t("lesson.leave"),
            key=f"lesson_leave_{where}",
            on_click=leave_lesson,
            type="tertiary",
            icon=":material/close:",
        )


def sidebar_panel(number: int, page_name: str) -> None:
    """The lesson's panel at the top of the sidebar: the lecturer's, on the projected screen."""
    lesson_style()
    step = STEPS[number - 1]
    with st.sidebar.container(key=SIDEBAR_PANEL, border=True):
        st.markdown(f":material/school: **{t('lesson.position', n=number, total=len(STEPS))}**")
        _moves(number, "sidebar")  # at the top: in reach however long the step's texts are
        st.subheader(step.text("title"), anchor=False)
        _panel_body(number, page_name, "sidebar")
        _exits("sidebar")


def phone_panel(number: int, page_name: str) -> None:
    """The same panel atop the page, collapsed, for a phone (hidden on wider screens)."""
    step = STEPS[number - 1]
    key = f"lesson_phone_expander_{number}"  # a new one each step, opened as the last one was left
    with st.container(key=PHONE_PANEL):
        label = t("lesson.phone_label", n=number, total=len(STEPS), title=step.text("title"))
        with st.expander(
            label,
            expanded=bool(st.session_state.get(PHONE_OPEN, False)),
            key=key,
            icon=":material/school:",
            on_change=remember_phone_panel,
            args=(key,),
        ):
            _panel_body(number, page_name, "phone")
            _moves(number, "phone")  # after the answer: a phone scrolls on to it
            _exits("phone")


def presenter_panel(number: int, page_name: str) -> None:
    """The step atop the page in presenter mode (the sidebar is set aside): its position and title,
    what to look at, the question and its answer, and Previous / Next, which the arrow keys press."""
    step = STEPS[number - 1]
    head, moves = st.columns([3, 2], vertical_alignment="center")
    head.markdown(f":material/school: **{t('lesson.position', n=number, total=len(STEPS))}** · {step.text('title')}")
    with moves:
        _moves(number, "present")
    _panel_body(number, page_name, "present")
