"""Self-assessment: the course notes' questions and ours, each answer explained with a link to the
view that shows it, a score at the end, and the notes' open question."""

from ui.shell import page_setup

page_setup("quiz")

import streamlit as st

from ui.quiz import QUESTIONS, open_question, question_card, score, start_again
from ui.texts import t

for number, question in enumerate(QUESTIONS, start=1):
    question_card(number, question)

right, answered = score()
with st.container(key="quiz_score"):
    if answered == len(QUESTIONS):
        st.subheader(t("quiz.score", count=right, total=len(QUESTIONS)), anchor=False)
        st.markdown(t("quiz.score.all") if right == len(QUESTIONS) else t("quiz.score.some"))
    else:
        st.markdown(t("quiz.progress", count=answered, total=len(QUESTIONS)))
    if answered:
        st.button(t("quiz.start_again"), on_click=start_again, icon=":material/restart_alt:")

open_question()
