"""The guided lesson (ui/lesson.py, pages/lesson.py) through AppTest, in both languages: every step
opens its page cleanly on its view from a fresh link, the answer is hidden until revealed, Next and
Previous lead to the neighbouring steps, and a step that does not fit is refused with a note."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_testing import assert_clean, go_to, open_app, open_link
from ui.lesson import PARTS, STEP_KEY, STEP_PARAM, STEPS, step_params
from ui.navigation import PAGE_BY_NAME, PAGES
from ui.texts import LANGUAGES, TEXTS, t
from vae_core.shipped import BETA_LADDER, UNSEEN_DIGIT

STEP_TEXTS = ("title", "say", "ask", "answer")
NUMBERS = range(1, len(STEPS) + 1)


def open_step(number: int, *, lang: str = "en", **extra: str) -> AppTest:
    """A new session opened from the link to step `number`, as a student given the lecturer's link."""
    return open_link(STEPS[number - 1].page, **step_params(number), lang=lang, **extra)


def page_name(at: AppTest) -> str:
    """The page shown, by its heading."""
    title = at.title[0].value
    return next(page.name for page in PAGES if t(page.title_key, lang=at.session_state["keep.lang"]) == title)


def panel_texts(at: AppTest, place) -> list[str]:
    return [m.value for m in place.markdown] + [a.value for a in place.success] + [s.value for s in place.subheader]


def answers(at: AppTest) -> list[str]:
    """The answer boxes shown, in the sidebar's panel and in the phone's."""
    return [box.value for box in at.sidebar.success] + [box.value for box in at.main.success]


def on_step(at: AppTest) -> int | None:
    """The step the sidebar's panel shows, None without a panel."""
    lang = at.session_state["keep.lang"]
    shown = " ".join(panel_texts(at, at.sidebar))
    found = [n for n in NUMBERS if t("lesson.position", n=n, total=len(STEPS), lang=lang) in shown]
    assert len(found) <= 1, found
    return found[0] if found else None


def links(at: AppTest, place, label: str) -> list:
    return [link for link in place.get("page_link") if link.proto.label == label]


def follow(at: AppTest, link) -> AppTest:
    """Click a page link as a browser does: its page, with exactly its query parameters."""
    page = PAGE_BY_NAME[link.proto.page or "home"]
    at.query_params.clear()
    at.query_params.update(dict(parse_qsl(link.proto.query_string)))
    return at.switch_page(page.path).run()


def as_link_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


# --- the steps as data --------------------------------------------------------------------------


def test_the_lesson_has_8_to_15_steps_on_pages_that_exist_and_every_text_in_both_languages() -> None:
    assert 8 <= len(STEPS) <= 15  # the notes' story and its closing comparison (VAE, GAN, diffusion)
    assert len({step.key for step in STEPS}) == len(STEPS)
    for step in STEPS:
        assert step.page in PAGE_BY_NAME, step.key
        for what in STEP_TEXTS:
            entry = TEXTS[f"lesson.{step.key}.{what}"]
            assert set(entry) == set(LANGUAGES) and all(text.strip() for text in entry.values()), (step.key, what)
    for part in PARTS:
        assert set(TEXTS[f"lesson.part.{part}"]) == set(LANGUAGES)
    # The notes' story, in its order: holes, continuity, reparameterisation, prior, interpolation, uses, β,
    # then the closing comparison with GANs and diffusion models.
    assert PARTS == ("holes", "continuity", "reparam", "prior", "interpolation", "uses", "beta", "compare")
    assert {s.page for s in STEPS if s.part in ("uses", "beta")} == {"beta", "uses"}
    assert {s.page for s in STEPS if s.part == "compare"} == {"generative"} and STEPS[-1].part == "compare"


def test_the_texts_name_the_lesson_models_as_they_are() -> None:
    """Steps 10 and 11 name the digit left out and the β ladder; ui/lesson.py imports no vae_core (no torch
    before the navigation shows), so the numbers are written in the texts and checked here."""
    for lang in LANGUAGES:
        assert f"{UNSEEN_DIGIT}" in t("lesson.anomalies.say", lang=lang)
        assert "β = 1, 4 " in t("lesson.beta.say", lang=lang) and sorted(BETA_LADDER) == [1.0, 4.0, 16.0]
        assert all("-16d" in name for name in BETA_LADDER.values())


# --- each step opened fresh from its link ------------------------------------------------------


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("number", NUMBERS)
def test_every_step_opens_its_page_cleanly_on_its_view(number: int, lang: str) -> None:
    step = STEPS[number - 1]
    at = open_step(number, lang=lang)
    assert_clean(at)
    assert not at.toast, [toast.value for toast in at.toast]  # every value of the link fits
    assert page_name(at) == step.page
    assert on_step(at) == number
    for name, text in step.view.items():  # each value reached a control of the page, and is kept
        assert as_link_text(at.session_state[f"keep.{name}"]) == text, name
        assert at.query_params[name] == text, name
    assert at.query_params[STEP_PARAM] == str(number)
    shown = panel_texts(at, at.sidebar)
    assert any(t(f"lesson.{step.key}.ask", lang=lang) in text for text in shown)
    assert t(f"lesson.{step.key}.title", lang=lang) in shown
    answer = t(f"lesson.{step.key}.answer", lang=lang)
    assert not any(answer in text for text in panel_texts(at, at) + panel_texts(at, at.sidebar))
    # The phone's copy atop the page: a collapsed expander named after the step.
    label = t(
        "lesson.phone_label", n=number, total=len(STEPS), title=t(f"lesson.{step.key}.title", lang=lang), lang=lang
    )
    assert [e.label for e in at.main.expander][:1] == [label]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_answer_stays_hidden_until_revealed_and_hides_again(lang: str) -> None:
    at = open_step(3, lang=lang)
    answer = t("lesson.vae_map.answer", lang=lang)
    assert answer not in answers(at)
    reveal = at.button(key="lesson_reveal_sidebar")
    assert reveal.label == t("lesson.reveal", lang=lang)
    reveal.click().run()
    assert_clean(at)
    assert answers(at) == [answer, answer]  # in the sidebar, and in the phone's copy
    assert at.button(key="lesson_reveal_sidebar").label == t("lesson.hide", lang=lang)
    at.button(key="lesson_reveal_phone").click().run()  # either copy hides it again
    assert answer not in answers(at)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_next_and_previous_open_the_neighbouring_steps_pages_and_views(lang: str) -> None:
    at = open_step(1, lang=lang)
    assert not links(at, at.sidebar, t("lesson.previous", lang=lang))
    for number in NUMBERS[1:]:
        (nxt,) = links(at, at.sidebar, t("lesson.next", lang=lang))
        assert nxt.proto.query_string == "&".join(f"{k}={v}" for k, v in step_params(number).items())
        follow(at, nxt)
        assert_clean(at)
        assert not at.toast
        assert on_step(at) == number and page_name(at) == STEPS[number - 1].page
        for name, text in STEPS[number - 1].view.items():
            assert as_link_text(at.session_state[f"keep.{name}"]) == text, (number, name)
    assert not links(at, at.sidebar, t("lesson.next", lang=lang))  # the last step
    (previous,) = links(at, at.sidebar, t("lesson.previous", lang=lang))
    follow(at, previous)
    assert on_step(at) == len(STEPS) - 1 and page_name(at) == STEPS[-2].page
    # The phone's copy has the same two ways on.
    assert len(links(at, at.main, t("lesson.next", lang=lang))) == 1
    assert len(links(at, at.main, t("lesson.previous", lang=lang))) == 1


def test_a_step_moved_away_from_leads_back_to_its_view() -> None:
    at = open_step(2)
    at.slider(key="keep.grid_n").set_value(9).run()  # the lecturer changes the view: the step stays
    assert on_step(at) == 2 and at.query_params[STEP_PARAM] == "2"
    go_to(at, "home")  # and goes elsewhere: the panel follows, with the way back
    assert_clean(at)
    assert on_step(at) == 2 and at.query_params[STEP_PARAM] == "2"
    (back,) = links(at, at.sidebar, t("lesson.back_to_step"))
    follow(at, back)
    assert page_name(at) == "latent_grid" and at.session_state["keep.grid_n"] == 15
    assert not links(at, at.sidebar, t("lesson.back_to_step"))


def test_leaving_the_lesson_removes_the_panel_and_the_step_from_the_address() -> None:
    at = open_step(4)
    at.button(key="lesson_leave_sidebar").click().run()
    assert_clean(at)
    assert on_step(at) is None and not at.main.expander
    assert STEP_PARAM not in at.query_params and at.session_state[STEP_KEY] == 0
    go_to(at, "home")
    assert on_step(at) is None and STEP_PARAM not in at.query_params
    assert not at.toast


@pytest.mark.parametrize("forged", ["0", str(len(STEPS) + 1), "-1", "3.0", "two", "<b>1</b>", "\u0663"])
def test_a_step_that_does_not_fit_is_refused_with_a_note(forged: str) -> None:
    at = open_link("latent_grid", **{STEP_PARAM: forged, "unknown_param": "tolerated"})
    assert_clean(at)
    assert on_step(at) is None
    notes = [toast.value for toast in at.toast]
    assert len(notes) == 1 and STEP_PARAM in notes[0] and "<b>" not in notes[0], notes
    assert STEP_PARAM not in at.query_params  # the address no longer claims a step


def test_a_forged_step_does_not_move_a_lesson_on() -> None:
    at = open_step(6)
    at.query_params[STEP_PARAM] = "40"
    at.run()
    assert on_step(at) == 6 and at.query_params[STEP_PARAM] == "6"
    assert len(at.toast) == 1


def test_unknown_parameters_beside_a_step_are_tolerated() -> None:
    at = open_step(3, whatever="1", grid_colour="red")
    assert_clean(at)
    assert on_step(at) == 3 and not at.toast


# --- the lesson page: its table of contents -----------------------------------------------------


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_lesson_page_lists_every_step_and_starts_or_continues(lang: str) -> None:
    at = open_app("lesson", lang=lang)
    assert_clean(at)
    assert on_step(at) is None
    main_links = at.main.get("page_link")
    targets = [dict(parse_qsl(link.proto.query_string)) for link in main_links if link.proto.query_string]
    assert targets[0] == step_params(1)  # the start link, then every step in order
    assert targets[1:] == [step_params(n) for n in NUMBERS]
    assert [s.value for s in at.main.subheader] == [
        f"{n}. {t('lesson.part.' + part, lang=lang)}" for n, part in enumerate(PARTS, start=1)
    ]
    assert t("lesson.start", lang=lang) in main_links[len(PAGES)].proto.label  # after the phone's navigation
    follow(at, main_links[len(PAGES)])
    assert on_step(at) == 1 and page_name(at) == STEPS[0].page

    go_to(at, "lesson")  # with a lesson on, the page offers to continue where it is
    assert on_step(at) == 1
    labels = [link.proto.label for link in at.main.get("page_link")]
    assert any(t("lesson.continue", n=1, lang=lang) in label for label in labels)
    assert [label for label in labels if t("lesson.here", lang=lang) in label] == [
        f"**{t('lesson.step_line', n=1, title=t('lesson.ae_codes.title', lang=lang), lang=lang)}** — "
        f"{t(PAGE_BY_NAME[STEPS[0].page].nav_key, lang=lang)} · *{t('lesson.here', lang=lang)}*"
    ]
