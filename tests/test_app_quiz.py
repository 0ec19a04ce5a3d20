"""The quiz: every question answered once with its explanation (right or wrong), the link to the view
that shows it, the score at the end, a fresh start, and the open question's points; both languages."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_testing import assert_clean, open_app
from ui.navigation import PAGE_BY_NAME
from ui.quiz import OPTIONS, QUESTIONS
from ui.texts import LANGUAGES, t


def test_every_question_has_one_right_option_and_points_at_a_lesson_view() -> None:
    assert len(QUESTIONS) >= 8 and len({question.key for question in QUESTIONS}) == len(QUESTIONS)
    assert sum(question.source == "notes" for question in QUESTIONS) == 4  # the notes' self-assessment
    assert len({question.correct for question in QUESTIONS}) == len(OPTIONS)  # the right one is not always "a"
    for question in QUESTIONS:
        for lang in LANGUAGES:
            options = [t(f"quiz.{question.key}.{option}", lang=lang) for option in OPTIONS]
            assert len(set(options)) == len(OPTIONS), (question.key, lang)
        assert question.shown_by().page in PAGE_BY_NAME


def answer(at: AppTest, key: str, option: str) -> AppTest:
    """Choose `option` in question `key`'s radio, as a click would."""
    radio = next(radio for radio in at.radio if radio.key.startswith(f"quiz_{key}_choice"))
    return radio.set_value(radio.options[OPTIONS.index(option)]).run()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_wrong_answer_says_why_gives_the_right_one_and_links_to_its_view(lang: str) -> None:
    at = open_app("quiz", lang=lang)
    assert_clean(at)
    assert len(at.radio) == len(QUESTIONS)
    question = QUESTIONS[0]
    wrong = next(option for option in OPTIONS if option != question.correct)
    at = answer(at, question.key, wrong)
    assert not at.exception
    assert len(at.radio) == len(QUESTIONS) - 1  # answered: no second try
    assert [e.value for e in at.error] == [
        f"**{t('quiz.wrong', lang=lang)}** {t(f'quiz.{question.key}.{wrong}.why', lang=lang)}"
    ]
    right_why = t(f"quiz.{question.key}.{question.correct}.why", lang=lang)
    assert [i.value for i in at.info] == [f"**{t('quiz.right_answer', lang=lang)}** {right_why}"]
    step = question.shown_by()
    page = PAGE_BY_NAME[step.page]
    links = [
        link
        for link in at.main.get("page_link")
        if link.proto.label == t("quiz.see", lang=lang, page=t(page.nav_key, lang=lang))
    ]
    assert len(links) == 1
    assert dict(parse_qsl(links[0].proto.query_string)) == dict(step.view)  # the view, and no lesson step
    assert t("quiz.progress", lang=lang, count=1, total=len(QUESTIONS)) in [m.value for m in at.markdown]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_all_answered_gives_the_score_and_start_again_clears_it(lang: str) -> None:
    at = open_app("quiz", lang=lang)
    for number, question in enumerate(QUESTIONS):
        chosen = question.correct if number else next(o for o in OPTIONS if o != question.correct)  # one wrong
        at = answer(at, question.key, chosen)
    assert not at.exception and not at.radio
    right = len(QUESTIONS) - 1
    assert at.subheader[0].value == t("quiz.score", lang=lang, count=right, total=len(QUESTIONS))
    assert t("quiz.score.some", lang=lang) in [m.value for m in at.markdown]
    assert len(at.success) == right and len(at.error) == 1
    at = next(b for b in at.button if b.label == t("quiz.start_again", lang=lang)).click().run()
    assert len(at.radio) == len(QUESTIONS) and all(radio.value is None for radio in at.radio)
    assert not at.success and not at.error


def test_every_answer_right_says_so() -> None:
    at = open_app("quiz")
    for question in QUESTIONS:
        at = answer(at, question.key, question.correct)
    assert at.subheader[0].value == t("quiz.score", count=len(QUESTIONS), total=len(QUESTIONS))
    assert t("quiz.score.all") in [m.value for m in at.markdown]
    assert [s.value for s in at.success] == [
        f"**{t('quiz.right')}** {t(f'quiz.{q.key}.{q.correct}.why')}" for q in QUESTIONS
    ]


def test_answers_survive_a_visit_to_the_view_and_back() -> None:
    at = open_app("quiz")
    question = QUESTIONS[1]
    at = answer(at, question.key, question.correct)
    at.switch_page(PAGE_BY_NAME[question.shown_by().page].path).run()
    at.switch_page(PAGE_BY_NAME["quiz"].path).run()
    assert not at.exception
    assert len(at.radio) == len(QUESTIONS) - 1 and len(at.success) == 1


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_open_question_shows_its_points_only_when_asked_and_never_echoes_the_answer(lang: str) -> None:
    at = open_app("quiz", lang=lang)
    points = t("quiz.open.points", lang=lang)
    assert points not in [m.value for m in at.markdown]
    written = "**my answer** <b>zebrafish</b>"
    at.text_area(key="quiz_open_answer").input(written).run()
    at.toggle(key="quiz_open_reveal").set_value(True).run()
    assert not at.exception
    assert points in [m.value for m in at.markdown]
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("zebrafish" in text for text in shown)  # what a student writes is never shown back


def test_the_lesson_page_links_to_the_quiz() -> None:
    at = open_app("lesson")
    assert t("lesson.quiz") in " ".join(link.proto.label for link in at.main.get("page_link"))
