"""The self-assessment quiz: the course notes' own questions ("Autoavaliação") and ours on what the
pages show, each answer explained, right or wrong, with a link to the view that shows why.

Retrieval practice: a question is answered once (the first choice counts for the score), then its
explanation appears; "Start again" clears every answer. Answers live in this session only and are
never sent anywhere. Texts are keyed `quiz.<question>.question`, `.a` … `.d` (the options) and
`.a.why` … `.d.why` (why each is right or wrong) in the catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from .lesson import STEPS, Step
from .navigation import PAGE_BY_NAME
from .texts import t

OPTIONS = ("a", "b", "c", "d")
ANSWERS = "quiz_answers"  # a plain entry: question key → the option first chosen
ROUND = "quiz_round"  # a plain entry: bumped by "Start again", so the radios start empty


@dataclass(frozen=True)
class Question:
    key: str
    correct: Literal["a", "b", "c", "d"]
    source: Literal["notes", "app"]  # the notes' self-assessment, or a question on what a page shows
    step: str  # the lesson's step whose page and view show the answer (by its key in ui.lesson.STEPS)

    def text(self, what: str) -> str:
        return t(f"quiz.{self.key}.{what}")

    def shown_by(self) -> Step:
        return next(step for step in STEPS if step.key == self.step)


QUESTIONS: tuple[Question, ...] = (
    Question("latent_space", "c", "notes", "clouds"),
    Question("reparam", "a", "notes", "reparam"),
    Question("kl_term", "b", "notes", "beta"),
    Question("vs_gan", "d", "notes", "compare_samples"),
    Question("ae_holes", "b", "app", "ae_holes"),
    Question("beta_collapse", "a", "app", "beta"),
    Question("iwae", "c", "app", "clouds"),  # the page that gives one image's ELBO and IWAE bound
    Question("roc", "d", "app", "anomalies"),
)


def answers() -> dict[str, str]:
    return st.session_state.setdefault(ANSWERS, {})


def _record(question: Question, key: str, labels: list[str]) -> None:
    """A callback: the first choice is the answer (a later click on a disabled radio cannot come)."""
    choice = st.session_state.get(key)
    if choice in labels:
        answers().setdefault(question.key, OPTIONS[labels.index(choice)])


def start_again() -> None:
    """A callback: every answer cleared, and new, empty radios."""
    st.session_state[ANSWERS] = {}
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def score() -> tuple[int, int]:
    """(right, answered) so far."""
    given = answers()
    right = sum(given.get(question.key) == question.correct for question in QUESTIONS)
    return right, len(given)


def _answered(question: Question, chosen: str) -> None:
    """Every option marked (the right one, and the one chosen if wrong), then why."""
    for option in OPTIONS:
        mark = ":material/check_circle:" if option == question.correct else ":material/radio_button_unchecked:"
        if option == chosen and option != question.correct:
            mark = ":material/cancel:"
        label = f"**{question.text(option)}**" if option == chosen else question.text(option)
        st.markdown(f"{mark} {label}")
    right = chosen == question.correct
    (st.success if right else st.error)(
        f"**{t('quiz.right') if right else t('quiz.wrong')}** {question.text(chosen + '.why')}"
    )
    if not right:
        st.info(f"**{t('quiz.right_answer')}** {question.text(question.correct + '.why')}")
    step = question.shown_by()  # its view, not the lesson: the link opens no lesson panel
    page = PAGE_BY_NAME[step.page]
    st.page_link(
        page.path, label=t("quiz.see", page=t(page.nav_key)), icon=":material/visibility:", query_params=step.view
    )


def question_card(number: int, question: Question) -> None:
    """One question: its options to choose from, or once answered, the verdict and why."""
    with st.container(border=True, key=f"quiz_{question.key}"):
        source = t(f"quiz.source.{question.source}")
        st.markdown(f"**{t('quiz.number', n=number, total=len(QUESTIONS))}** · {source}")
        st.markdown(f"#### {question.text('question')}")
        chosen = answers().get(question.key)
        if chosen is None:
            key = f"quiz_{question.key}_choice_{st.session_state.get(ROUND, 0)}"
            labels = [question.text(option) for option in OPTIONS]  # as shown: a test's clicks name them so
            st.radio(
                question.text("question"),
                labels,
                index=None,
                key=key,
                label_visibility="collapsed",
                on_change=_record,
                args=(question, key, labels),
            )
        else:
            _answered(question, chosen)


def open_question() -> None:
    """The notes' open question: the student writes first, then compares with what a good answer
    covers. Nothing written is stored, shown back or marked."""
    with st.container(border=True, key="quiz_open"):
        st.markdown(f"**{t('quiz.open.label')}** · {t('quiz.source.notes')}")
        st.markdown(f"#### {t('quiz.open.question')}")
        st.text_area(t("quiz.open.answer"), key="quiz_open_answer", height=140, max_chars=2000)
        st.caption(t("quiz.open.private"))
        if st.toggle(t("quiz.open.reveal"), key="quiz_open_reveal"):
            st.markdown(t("quiz.open.points"))
