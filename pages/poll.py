"""Class poll: the lecturer opens a room and pushes the quiz's questions, forty phones answer, the
projector shows the count live and then the right answer. Anonymous: counts only."""

from ui.shell import page_setup

page_setup("poll")

import streamlit as st

from ui.poll import (
    POLL_SECONDS,
    PROJECTOR_POLL_SECONDS,
    QUESTION_BY_KEY,
    join_link,
    lecturer_live,
    poll_store,
    store_unavailable,
    student_live,
)
from ui.poll_store import NotTheLecturer, RoomNotFound, StoreUnavailable, normal_code
from ui.presenter import qr_png
from ui.quiz import QUESTIONS
from ui.texts import labels, plain, t

store = poll_store()
if not store.reachable():
    store_unavailable(store)
    st.stop()
code = normal_code(st.query_params.get("room", ""))
secret = st.query_params.get("key", "")

# --- no room yet: join one, or open one --------------------------------------------------------------
if not code:
    join, host = st.columns(2, gap="large")
    with join:
        st.subheader(t("poll.join_title"))
        typed = st.text_input(t("poll.code"), max_chars=12, key="poll_code", placeholder="ABC123")
        if st.button(t("poll.join"), type="primary", key="poll_join", disabled=not typed.strip()):
            st.query_params["room"] = normal_code(typed)
            st.rerun()
    with host:
        st.subheader(t("poll.host_title"))
        st.markdown(t("poll.host_intro"))
        if st.button(t("poll.open"), key="poll_open"):
            new_code, new_secret = store.open_room()
            st.query_params.update({"room": new_code, "key": new_secret})
            st.rerun()
    st.stop()

try:
    store.room(code)
except RoomNotFound:
    st.error(t("poll.no_room", code=plain(code)))
    if st.button(t("poll.leave"), key="poll_leave"):
        st.query_params.clear()
        st.rerun()
    st.stop()

# --- a student --------------------------------------------------------------------------------------
if not secret:
    st.caption(t("poll.in_room", code=plain(code)))
    st.fragment(student_live, run_every=POLL_SECONDS)(code)
    st.stop()

# --- the lecturer: the secret link only -------------------------------------------------------------
if not store.is_lecturer(code, secret):
    st.error(t("poll.not_lecturer"))
    st.stop()
left, right = st.columns([3, 2], gap="large")  # the QR code large enough to scan from the room
with right:
    st.image(qr_png(join_link(code)), width="stretch", alt=t("alt.qr", link=join_link(code)))
    st.title(code, anchor=False)  # large: typed by the students at the back of the room
    st.caption(plain(join_link(code)))
with left:
    st.markdown(t("poll.lecturer_intro", code=code))
    keys = [question.key for question in QUESTIONS]
    names = labels(keys, lambda key: QUESTION_BY_KEY[key].text("question"))
    chosen = st.selectbox(t("poll.question"), keys, key="poll_question", format_func=names)
    ask, reveal = st.columns(2)
    try:
        if ask.button(t("poll.ask"), type="primary", key="poll_ask"):
            store.ask(code, secret, chosen)
        if reveal.button(t("poll.reveal"), key="poll_reveal", disabled=store.room(code).question is None):
            store.reveal(code, secret)
    except (NotTheLecturer, RoomNotFound):
        st.error(t("poll.expired"))
        st.stop()
    except StoreUnavailable:
        store_unavailable(store)
        st.stop()
    st.fragment(lecturer_live, run_every=PROJECTOR_POLL_SECONDS)(code)
    st.caption(t("poll.secret_note"))
