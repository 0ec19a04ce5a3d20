"""The Class-poll page: a lecturer opens a room and asks a question, students join by its code and answer
once, the lecturer's count follows, the answer is revealed to both; a wrong code, a forged lecturer
link; in both languages, on both stores (SQLite, and a real Redis server); a store that cannot be reached
is named."""

from __future__ import annotations

import json

import pytest

from tests.app_testing import assert_clean, open_app
from tests.browser.server import free_port
from ui.paths import POLL_REDIS_ENV
from ui.quiz import QUESTIONS
from ui.texts import plain, t


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def counts(at) -> list[int]:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)["data"][0]["x"]


def open_room(lang: str = "en"):
    lecturer = open_app("poll", lang=lang)
    lecturer.button(key="poll_open").click().run()
    assert_clean(lecturer)
    return lecturer, lecturer.query_params["room"], lecturer.query_params["key"]


def join(code: str, lang: str = "en", *, known: bool = True):
    student = open_app("poll", lang=lang)
    student.text_input(key="poll_code").input(f" {code.lower()} ").run()
    student.button(key="poll_join").click().run()
    if known:
        assert_clean(student)
    return student


def query(value) -> str:
    return value[0] if isinstance(value, list) else value


@pytest.fixture(params=["sqlite", "redis"])
def poll_store_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's store for this test: its SQLite file, or a Redis URL in the environment."""
    if request.param == "redis":
        monkeypatch.setenv(POLL_REDIS_ENV, request.getfixturevalue("redis_url"))
    return request.param


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_question_is_asked_answered_once_per_student_counted_and_revealed(lang: str, poll_store_kind: str) -> None:
    lecturer, code, _ = open_room(lang)
    code = query(code)
    assert code in lecturer.title[-1].value  # the code, large, beside its QR code
    assert t("poll.none_asked", lang=lang) in [i.value for i in lecturer.info]
    question = QUESTIONS[-1]  # the ROC question: answer d
    lecturer.selectbox(key="poll_question").set_value(question.key).run()
    lecturer.button(key="poll_ask").click().run()
    assert_clean(lecturer)
    assert counts(lecturer) == [0, 0, 0, 0]

    students = [join(code, lang) for _ in range(3)]
    assert t("poll.in_room", lang=lang, code=code) in [c.value for c in students[0].caption]
    for student, option in zip(students, "dda", strict=True):
        (radio,) = student.radio
        radio.set_value(next(o for o in radio.options if o.startswith(f"{option.upper()}."))).run()
        student.button(key="poll_send").click().run()
        assert_clean(student)
        assert not student.button  # answered: no second answer
        text = t(f"quiz.{question.key}.{option}", lang=lang)
        assert t("poll.sent", lang=lang, option=option.upper(), text=text) in markdown(student)
    lecturer.run()
    assert counts(lecturer) == [1, 0, 0, 2]
    assert t("poll.answers", lang=lang, count=3) in markdown(lecturer)

    lecturer.button(key="poll_reveal").click().run()
    students[0].run()
    right = t("poll.right", lang=lang, option="D", text=t(f"quiz.{question.key}.d", lang=lang))
    assert right in [s.value for s in students[0].success]
    assert right in [s.value for s in lecturer.success]
    late = join(code, lang)
    assert not late.radio and not late.button  # revealed: nothing left to answer


def test_a_wrong_code_and_a_forged_lecturer_link_are_refused() -> None:
    student = join("ZZZZZZ", known=False)
    assert t("poll.no_room", code="ZZZZZZ") in [e.value for e in student.error]
    _, code, _ = open_room()
    forged = open_app("poll")
    forged.query_params["room"] = query(code)
    forged.query_params["key"] = "not-the-key"
    forged.run()
    assert [e.value for e in forged.error] == [t("poll.not_lecturer")]
    assert not [b for b in forged.button if b.key in ("poll_ask", "poll_reveal")]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_redis_store_that_cannot_be_reached_is_named(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv(POLL_REDIS_ENV, f"redis://127.0.0.1:{port}/0")
    at = open_app("poll", lang=lang)
    assert not at.exception
    assert [e.value for e in at.error] == [t("poll.store_unavailable", lang=lang, where=plain(f"127.0.0.1:{port}"))]
    assert not at.button  # no room can be opened or joined
