"""Presenter mode through AppTest: on and off by link and by button, the step on top of the page, a
value that does not fit refused with a note, and the students' link that the QR code carries."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_testing import assert_clean, open_link
from ui.lesson import STEPS, step_params
from ui.navigation import PAGE_BY_NAME
from ui.presenter import PRESENT_KEY, PRESENT_PARAM, app_root, qr_png, students_link
from ui.texts import LANGUAGES, t


def buttons(at: AppTest) -> list[str]:
    return [button.label for button in at.button]


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_present_in_a_link_turns_it_on_with_the_step_on_top(value: str, lang: str) -> None:
    at = open_link(STEPS[1].page, **step_params(2), lang=lang, present=value)
    assert_clean(at)
    assert at.session_state[PRESENT_KEY] is True and at.query_params[PRESENT_PARAM] == "true"
    assert t("present.leave", lang=lang) in buttons(at) and t("present.start", lang=lang) not in buttons(at)
    position = t("lesson.position", lang=lang, n=2, total=len(STEPS))
    assert any(position in m.value for m in at.main.markdown)  # atop the page, not in the sidebar
    assert not any(position in m.value for m in at.sidebar.markdown)
    assert at.main.image[0].value[0].startswith("data:image/png")  # the QR code


def test_leaving_turns_it_off_and_takes_it_out_of_the_address() -> None:
    at = open_link("lesson", present="1")
    at = next(b for b in at.button if b.label == t("present.leave")).click().run()
    assert_clean(at)
    assert at.session_state[PRESENT_KEY] is False and PRESENT_PARAM not in at.query_params
    assert t("present.start") in buttons(at) and t("present.leave") not in buttons(at)
    at = at.button(key="presenter_start").click().run()  # and the lesson page's way back in
    assert at.session_state[PRESENT_KEY] is True and at.query_params[PRESENT_PARAM] == "true"


@pytest.mark.parametrize("forged", ["yes", "2", "<b>1</b>"])
def test_a_value_that_does_not_fit_is_refused_with_a_note(forged: str) -> None:
    at = open_link("lesson", present=forged)
    assert_clean(at)
    assert [toast.value for toast in at.toast] and PRESENT_PARAM not in at.query_params
    assert t("present.start") in buttons(at)


def test_present_0_turns_it_off() -> None:
    at = open_link("home", present="1")
    at.query_params[PRESENT_PARAM] = "0"  # a link opened in the same tab
    at.run()
    assert at.session_state[PRESENT_KEY] is False and PRESENT_PARAM not in at.query_params


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://192.168.1.20:8501/latent_grid", "http://192.168.1.20:8501/"),
        ("http://192.168.1.20:8501/", "http://192.168.1.20:8501/"),
        ("https://class.example.org/lab/beta", "https://class.example.org/lab/"),
        ("https://class.example.org/lab", "https://class.example.org/lab/"),  # a base path that is no page
    ],
)
def test_the_app_root_is_the_address_without_its_page(url: str, root: str) -> None:
    assert app_root(url) == root


def test_the_students_link_is_the_view_without_presenter_mode() -> None:
    root = "http://192.168.1.20:8501/"
    params = {"step": "2", "grid_n": "15", PRESENT_PARAM: "true", "lang": "pt"}
    assert students_link(root, PAGE_BY_NAME["latent_grid"], params) == root + "latent_grid?step=2&grid_n=15&lang=pt"
    assert students_link(root, PAGE_BY_NAME["home"], {PRESENT_PARAM: "true"}) == root
    assert qr_png(root).startswith("data:image/png;base64,")
