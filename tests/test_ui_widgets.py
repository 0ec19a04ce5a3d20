"""Sliders of decimals in the app's language (ui/widgets.py decimal_slider): st.slider writes its
thumb with a point, or in the browser's locale, so these are select_sliders over the same steps.
The steps are checked on their own, then on the pages, in both languages."""

from __future__ import annotations

import pytest

from tests.app_testing import assert_clean, open_app, open_link
from ui.widgets import slider_steps, step_digits


def test_the_steps_are_clean_floats_from_end_to_end() -> None:
    steps = slider_steps(0.1, 0.8, 0.05)
    assert len(steps) == 15 and steps[0] == 0.1 and steps[-1] == 0.8
    assert 0.3 in steps and 0.7 in steps  # not 0.30000000000000004: a test or a link naming 0.3 finds it
    signed = slider_steps(-3.0, 3.0, 0.05)
    assert len(signed) == 121 and signed[60] == 0.0
    assert all(str(value) != "-0.0" for value in signed)  # the middle is written 0,00, not -0,00
    assert slider_steps(50.0, 99.5, 0.5)[-1] == 99.5


@pytest.mark.parametrize(("step", "digits"), [(0.5, 1), (0.25, 2), (0.1, 1), (0.05, 2), (1.0, 0)])
def test_a_value_gets_the_decimals_its_step_needs(step: float, digits: int) -> None:
    assert step_digits(step) == digits


@pytest.mark.parametrize(
    ("page", "key", "shown"),
    [
        ("latent_grid", "keep.grid_extent", {"en": "3.0", "pt": "3,0"}),
        ("style", "keep.style_alpha", {"en": "-1.25", "pt": "-1,25"}),
        ("uses", "keep.uses_level", {"en": "0.50", "pt": "0,50"}),
        ("train", "keep.train_beta", {"en": "1.0", "pt": "1,0"}),
    ],
)
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_slider_of_decimals_writes_its_numbers_in_the_apps_language(
    page: str, key: str, shown: dict[str, str], lang: str
) -> None:
    at = open_app(page, lang=lang)
    assert_clean(at)
    slider = at.select_slider(key=key)
    assert shown[lang] in slider.options  # what the thumb and its ends show
    other_sign = "." if lang == "pt" else ","
    assert not [label for label in slider.options if other_sign in label]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_latent_sliders_write_the_code_in_the_apps_language(lang: str) -> None:
    at = open_app("latent_sliders", lang=lang)
    sliders = [s for s in at.select_slider if s.key.startswith("z.")]
    assert len(sliders) == 2
    middle = "0,00" if lang == "pt" else "0.00"
    assert all(s.options[len(s.options) // 2] == middle for s in sliders)  # the VAE's range is ±bound
    sliders[0].set_value(1.25).run()
    assert_clean(at)
    assert at.select_slider(key=sliders[0].key).value == 1.25  # the page gets the number, not its label


def test_a_linked_value_between_two_steps_moves_to_the_nearer_one() -> None:
    at = open_link("latent_grid", grid_extent="2.3")  # a link made by hand, or by an older version
    assert_clean(at)
    assert at.select_slider(key="keep.grid_extent").value == 2.5
    assert at.query_params["grid_extent"] == "2.5"  # the link says what is shown
