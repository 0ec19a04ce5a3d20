"""Every page of the app on the shipped checkpoints: it loads in both languages, and its main
controls change what is shown."""

from __future__ import annotations

import pytest

from tests.app_testing import assert_clean, go_to, image_urls, open_app
from ui.navigation import PAGES
from ui.texts import t


def nav_labels(at) -> list[str]:
    return [link.label for link in at.sidebar.get("page_link")]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_every_page_loads_in_both_languages(lang: str) -> None:
    at = open_app("home", lang=lang)
    assert_clean(at)
    assert at.title[0].value == t("home.title", lang=lang)
    for page in PAGES[1:]:
        go_to(at, page.name)
        assert_clean(at)
        assert at.title[0].value == t(page.title_key, lang=lang), page.name
        assert at.markdown, f"{page.name} has no explanation"
        assert nav_labels(at) == [t(p.nav_key, lang=lang) for p in PAGES], page.name
        if page.needs_models:
            assert at.image or at.get("plotly_chart"), f"{page.name} shows nothing"


def test_switching_language_translates_titles_and_labels() -> None:
    at = open_app("home")
    assert at.title[0].value == t("home.title", lang="en")
    at.selectbox(key="keep.lang").set_value("pt").run()
    assert_clean(at)
    assert at.title[0].value == t("home.title", lang="pt")
    go_to(at, "latent_grid")  # the language follows the user
    assert at.title[0].value == "Grade latente"
    assert "Espaçamento" in [r.label for r in at.radio]
    assert at.selectbox(key="keep.pick_dataset").label == "Conjunto de dados"
    at.selectbox(key="keep.lang").set_value("en").run()  # the switch is on every page
    assert_clean(at)
    assert at.title[0].value == "Latent grid"
    assert at.selectbox(key="keep.pick_dataset").label == "Data set"


def test_home_shows_diagram_formulas_and_links() -> None:
    at = open_app("home")
    assert len(at.get("graphviz_chart")) == 2
    assert len(at.latex) >= 3
    assert len(at.main.get("page_link")) == len(PAGES) - 1  # every other page, with a line on what it shows


def test_grid_size_changes_the_grid_image() -> None:
    at = open_app("latent_grid")
    before = image_urls(at)
    assert len(before) == 2  # AE and VAE side by side
    at.slider(key="keep.grid_n").set_value(20).run()
    assert_clean(at)
    after = image_urls(at)
    assert len(after) == 2 and set(after).isdisjoint(before)
    at.radio(key="keep.grid_spacing").set_value("linear").run()
    assert set(image_urls(at)).isdisjoint(after)


def test_grid_overlay_shows_codes_and_grid_range() -> None:
    at = open_app("latent_grid")
    assert not at.get("plotly_chart")
    at.toggle(key="keep.grid_overlay").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2


def test_grid_on_a_16d_model_offers_dimension_choices() -> None:
    at = open_app("latent_grid")
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    before = image_urls(at)
    at.selectbox(key="keep.grid_dim_x").set_value(5).run()
    assert_clean(at)
    assert set(image_urls(at)).isdisjoint(before)


def test_moving_a_latent_slider_changes_the_decoded_image() -> None:
    at = open_app("latent_sliders")
    sliders = [s for s in at.slider if s.key and s.key.startswith("z.")]
    assert len(sliders) == 2  # one per dimension of the 2-D model
    before = image_urls(at)[0]
    sliders[0].set_value(sliders[0].value + 1.0).run()
    assert_clean(at)
    assert image_urls(at)[0] != before
    at.button(key="sliders_reset").click().run()  # back to the starting code and image
    assert image_urls(at)[0] == before


def test_sliders_start_from_prior_or_zero_and_show_at_most_16() -> None:
    at = open_app("latent_sliders")
    at.radio(key="keep.sliders_start").set_value("zero").run()
    assert_clean(at)
    assert all(s.value == 0.0 for s in at.slider if s.key.startswith("z."))
    at.radio(key="keep.sliders_start").set_value("prior").run()
    assert_clean(at)
    assert any(s.value != 0.0 for s in at.slider if s.key.startswith("z.")), "a prior sample is not the origin"
    sample = [s.value for s in at.slider if s.key.startswith("z.")]
    at.button(key="sliders_new_sample").click().run()
    assert [s.value for s in at.slider if s.key.startswith("z.")] != sample
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    assert len([s for s in at.slider if s.key.startswith("z.")]) == 16


def test_interpolation_controls_change_the_strip() -> None:
    at = open_app("interpolation")
    assert len(at.get("plotly_chart")) == 2  # the path in each latent space
    downloads = at.get("download_button")
    assert len(downloads) == 4  # PNG and GIF for each model
    before = image_urls(at)
    at.slider(key="keep.interp_steps").set_value(6).run()
    assert_clean(at)
    after = image_urls(at)
    assert set(after) != set(before)
    at.radio(key="keep.interp_method").set_value("spherical").run()
    assert_clean(at)
    assert set(image_urls(at)) != set(after)  # another path between the same two codes
    before = image_urls(at)
    at.button(key="interp_random").click().run()  # a random pair of images
    assert_clean(at)
    assert image_urls(at) != before


def test_ae_vs_vae_choice_of_image_and_prior_samples() -> None:
    at = open_app("ae_vs_vae")
    assert len(at.get("plotly_chart")) == 2
    before = image_urls(at)
    at.number_input(key="keep.compare_index").set_value(7).run()
    assert_clean(at)
    changed = set(image_urls(at)) - set(before)
    assert len(changed) == 3  # the original and both reconstructions
    at.number_input(key="keep.compare_seed").set_value(3).run()
    assert len(set(image_urls(at)) - set(before)) == 5  # and both grids of prior samples


def test_ae_vs_vae_tsne_on_16d_models() -> None:
    at = open_app("ae_vs_vae")
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    at.radio(key="keep.compare_method").set_value("tsne").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2


def test_uses_page_controls() -> None:
    at = open_app("uses")
    before = image_urls(at)
    at.slider(key="keep.uses_level").set_value(0.5).run()
    assert_clean(at)
    assert set(image_urls(at)) != set(before)
    noisy = image_urls(at)
    at.radio(key="keep.uses_noise").set_value("square").run()
    assert_clean(at)
    assert set(image_urls(at)) != set(noisy)
    at.button(key="uses_new_images").click().run()
    assert_clean(at)
    assert not set(image_urls(at)) & set(noisy[-3:])  # other clean images, so other rows


def test_model_choice_follows_the_user_from_page_to_page() -> None:
    at = open_app("latent_grid")
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    chosen = at.selectbox(key="keep.pick_pair").value
    assert_clean(at)
    for page in ("latent_sliders", "train", "interpolation", "ae_vs_vae"):
        go_to(at, page)
        assert_clean(at)
    assert at.selectbox(key="keep.pick_latent").value == 16
    assert at.selectbox(key="keep.pick_pair").value == chosen
    assert at.session_state["keep.lang"] == "en"


def test_a_page_opened_first_by_its_url_renders_fully() -> None:
    """A bookmarked page is a session's very first run, on a fresh server too: it draws the
    language switch, the translated navigation and the picker itself, and a button press works."""
    at = open_app("latent_sliders", lang="pt")
    assert_clean(at)
    assert at.title[0].value == "Controles latentes"
    assert at.selectbox(key="keep.lang").value == "pt"
    assert nav_labels(at) == [t(p.nav_key, lang="pt") for p in PAGES]
    assert at.selectbox(key="keep.pick_pair").value
    slider = next(s for s in at.slider if s.key.startswith("z."))
    before = image_urls(at)[0]
    slider.set_value(slider.value + 1.0).run()
    assert_clean(at)
    assert image_urls(at)[0] != before
    at.button(key="sliders_reset").click().run()
    assert image_urls(at)[0] == before


def test_the_grid_caption_writes_decimals_the_portuguese_way() -> None:
    at = open_app("latent_grid", lang="pt")
    captions = [caption for image in at.image for caption in image.captions]
    assert any("de −3,0 a +3,0" in caption for caption in captions), captions
