"""The class poll's views: the lecturer's room (its code and QR code, the question to push, the live
count) and a student's (the question, one answer, then the right one and why). Each polls the store
in a fragment (the projector's twice a second); the store is `ui.poll_store`, one per server."""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import streamlit as st

from .browser import browser_id, memory
from .figures import ENGLISH_SEPARATORS, INK, axis_style, chart_layout
from .paths import poll_location
from .poll_store import CHOICES, PollStore, RoomNotFound, RoomState, StoreUnavailable, open_store
from .presenter import app_root
from .quiz import QUESTIONS, Question
from .style import show_chart
from .texts import number, plain, plot_separators, t

POLL_SECONDS = 1.0  # a student's page
PROJECTOR_POLL_SECONDS = 0.5  # the lecturer's count: an answer shows within a second, run included
VOTER = "poll_voter"  # a plain entry: this session's anonymous token, never shown or stored with a name
QUESTION_BY_KEY = {question.key: question for question in QUESTIONS}
RIGHT_COLOR, OTHER_COLOR = "#009E73", "#7F7F7F"  # Okabe–Ito green for the right answer, once revealed


@st.cache_resource(show_spinner=False, max_entries=8)
def _store(location: str) -> PollStore:
    return open_store(location)


def poll_store() -> PollStore:
    """One store per server and place (an SQLite file, or a Redis URL shared by replicas)."""
    return _store(poll_location())


def store_unavailable(store: PollStore) -> None:
    st.error(t("poll.store_unavailable", where=plain(store.where)))


def voter() -> str:
    """This browser's anonymous token: the same in all its tabs (from its cookie, which is never stored),
    so a second tab cannot answer again; a session without the cookie gets its own."""
    return st.session_state.setdefault(VOTER, hashlib.sha256(f"poll:{browser_id()}".encode()).hexdigest()[:32])


def join_link(code: str) -> str:
    return f"{app_root(st.context.url or '')}poll?room={code}"


def counts_chart(question: Question, counts: dict[str, int], revealed: bool, separators: str = ENGLISH_SEPARATORS):
    """One horizontal bar per option, in the options' order; the right one green once revealed."""
    labels = [f"{option.upper()}. {question.text(option)}" for option in CHOICES]
    colors = [RIGHT_COLOR if revealed and option == question.correct else OTHER_COLOR for option in CHOICES]
    bars = {"type": "bar", "orientation": "h", "x": [counts[o] for o in CHOICES], "y": [o.upper() for o in CHOICES]}
    bars |= {"marker": {"color": colors}, "text": [number(counts[o]) for o in CHOICES], "textposition": "outside"}
    bars |= {"customdata": labels, "hovertemplate": "%{customdata}: %{x}<extra></extra>", "cliponaxis": False}
    layout = chart_layout(
        height=320,
        separators=separators,
        showlegend=False,
        margin={"l": 10, "r": 40, "t": 10, "b": 10},
        xaxis=axis_style(t("poll.chart_x"), rangemode="tozero", dtick=max(1, max(counts.values()) // 5 or 1)),
        yaxis=axis_style("", autorange="reversed", tickfont={"size": 22, "color": INK}),
    )
    return go.Figure(data=[bars], layout=layout)


def _asked(code: str, none_yet: str) -> tuple[RoomState, Question] | None:
    """The room's state and its question, written as a heading; else a message (`none_yet` before the
    first question) and None."""
    try:
        state = poll_store().room(code)
    except RoomNotFound:
        st.error(t("poll.expired"))
        return None
    except StoreUnavailable:
        store_unavailable(poll_store())
        return None
    if state.question is None:
        st.info(t(none_yet))
        return None
    question = QUESTION_BY_KEY[state.question]
    st.markdown(f"### {question.text('question')}")
    return state, question


def _right_answer(question: Question) -> None:
    st.success(t("poll.right", option=question.correct.upper(), text=question.text(question.correct)))
    st.markdown(question.text(f"{question.correct}.why"))


def lecturer_live(code: str) -> None:
    """The question asked and its live count; the page runs it as a fragment."""
    asked = _asked(code, "poll.none_asked")
    if asked is None:
        return
    state, question = asked
    try:
        counts = poll_store().counts(code, state.round)
    except StoreUnavailable:
        store_unavailable(poll_store())
        return
    for option in CHOICES:
        st.markdown(f"**{option.upper()}.** {question.text(option)}")
    show_chart(counts_chart(question, counts, state.revealed, plot_separators()), key="poll_counts")
    st.markdown(t("poll.answers", count=sum(counts.values())))
    if state.revealed:
        _right_answer(question)


def given_answers() -> dict[str, str]:
    """ "code:round" → the option this browser sent, shared by its tabs on this server."""
    return memory().poll_answers


def given_answer(code: str, round_: int) -> str | None:
    """What this browser answered to this round: remembered here, else as the store counted it (its
    tab on another replica, or before a restart); None while it has not answered."""
    remembered = given_answers().get(f"{code}:{round_}")
    if remembered is None:
        try:
            remembered = poll_store().answer_of(code, round_, voter())
        except StoreUnavailable:
            return None
        if remembered is not None:
            given_answers()[f"{code}:{round_}"] = remembered
    return remembered


def _send(code: str, round_: int, key: str, labels: list[str]) -> None:
    """A callback: the chosen option sent once, and remembered so the question is not offered again.
    Where this browser had answered already (another tab), the answer that counted is remembered."""
    pick = st.session_state.get(key)
    if pick in labels:
        option = CHOICES[labels.index(pick)]
        try:
            counted = poll_store().answer(code, round_, voter(), option)
        except (StoreUnavailable, RoomNotFound):  # not sent: the question stays offered, the run says why
            return
        if counted:
            given_answers()[f"{code}:{round_}"] = option
        else:  # counted before, from another tab, or the round is over: the page shows which
            given_answer(code, round_)


def student_live(code: str) -> None:
    """The question asked, one answer, then the right one and why; the page runs it as a fragment."""
    asked = _asked(code, "poll.waiting")
    if asked is None:
        return
    state, question = asked
    chosen = given_answer(code, state.round)
    if chosen is None and not state.revealed:
        labels = [f"{option.upper()}. {question.text(option)}" for option in CHOICES]
        key = f"poll_pick_{code}_{state.round}"
        pick = st.radio(question.text("question"), labels, index=None, key=key, label_visibility="collapsed")
        st.button(
            t("poll.send"),
            type="primary",
            key="poll_send",
            disabled=pick is None,
            on_click=_send,
            args=(code, state.round, key, labels),
        )
        return
    if chosen is not None:
        st.markdown(t("poll.sent", option=chosen.upper(), text=question.text(chosen)))
    if state.revealed:
        _right_answer(question)
    else:
        st.caption(t("poll.wait_reveal"))
