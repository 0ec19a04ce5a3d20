"""Guided lesson: steps through the notes' story, each opening a page on the right view.

This page is the lesson's table of contents; the steps themselves live in `ui.lesson`, and the
panel that walks through them is drawn on every page by `ui.shell.page_setup`.
"""

from ui.shell import page_setup

page_setup("lesson")

import streamlit as st

from ui.lesson import PARTS, STEPS, current_step, lesson_style, step_link
from ui.navigation import PAGE_BY_NAME
from ui.presenter import start_button
from ui.texts import t

lesson_style()
st.markdown(t("lesson.how"))
on = current_step()
first = on or 1
start = t("lesson.continue", n=on) if on else t("lesson.start")
detail = t("lesson.start_detail", n=first, title=STEPS[first - 1].text("title"))
with st.container(key="lesson_start"):
    step_link(first, label=f"**{start}** — {detail}", icon=":material/play_arrow:")
st.markdown(t("present.how"))
start_button()

st.header(t("lesson.steps"), anchor=False)
for part_number, part in enumerate(PARTS, start=1):
    st.subheader(f"{part_number}. {t('lesson.part.' + part)}", anchor=False)
    for number, step in enumerate(STEPS, start=1):
        if step.part == part:
            page = PAGE_BY_NAME[step.page]
            line = t("lesson.step_line", n=number, title=step.text("title"))
            label = f"**{line}** — {t(page.nav_key)}"
            if number == on:  # the step the lesson is on: said, and an arrow for its page's icon
                step_link(number, label=f"{label} · *{t('lesson.here')}*", icon=":material/arrow_right:")
            else:
                step_link(number, label=label, icon=page.icon)

quiz = PAGE_BY_NAME["quiz"]
st.page_link(quiz.path, label=f"**{t('lesson.quiz')}** — {t(quiz.nav_key)}", icon=quiz.icon)
