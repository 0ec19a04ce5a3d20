"""Every page of the app on the shipped checkpoints: it loads in both languages, and its main
controls change what is shown."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.app_testing import assert_clean, go_to, image_urls, open_app, open_link
from tests.shipped_copies import SHIPPED
from ui.navigation import PAGES
from ui.texts import TEXTS, t
from vae_core import (
    CheckpointInfo,
    ModelConfig,
    build_model,
    importance_bounds,
    load_checkpoint,
    load_dataset,
    save_checkpoint,
)


def nav_labels(at) -> list[str]:
    return [link.label for link in at.sidebar.get("page_link")]


def phone_nav_labels(at) -> list[str]:
    """The same links atop the page, for a phone (hidden on wide screens by the page's style)."""
    return [link.label for link in at.main.get("page_link") if " — " not in link.label]


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
        assert phone_nav_labels(at) == nav_labels(at), page.name
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
    blurbs = [link for link in at.main.get("page_link") if " — " in link.label]
    assert len(blurbs) == len(PAGES) - 1  # every other page, with a line on what it shows


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
    sliders = [s for s in at.select_slider if s.key and s.key.startswith("z.")]
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
    assert all(s.value == 0.0 for s in at.select_slider if s.key.startswith("z."))
    at.radio(key="keep.sliders_start").set_value("prior").run()
    assert_clean(at)
    assert any(s.value != 0.0 for s in at.select_slider if s.key.startswith("z.")), "a prior sample is not the origin"
    sample = [s.value for s in at.select_slider if s.key.startswith("z.")]
    at.button(key="sliders_new_sample").click().run()
    assert [s.value for s in at.select_slider if s.key.startswith("z.")] != sample
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    assert_clean(at)
    assert len([s for s in at.select_slider if s.key.startswith("z.")]) == 16


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
    slider = next(s for s in at.select_slider if s.key.startswith("z."))
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


def test_the_view_travels_in_the_url() -> None:
    at = open_app("latent_grid")
    at.slider(key="keep.grid_n").set_value(20).run()
    at.radio(key="keep.grid_spacing").set_value("linear").run()
    at.selectbox(key="keep.pick_latent").set_value(16).run()
    at.selectbox(key="keep.lang").set_value("pt").run()
    link = dict(at.query_params)
    assert link["grid_n"] == "20" and link["grid_spacing"] == "linear" and link["lang"] == "pt"
    assert link["pick_latent"] == "16" and link["pick_pair"] == at.selectbox(key="keep.pick_pair").value

    student = open_link("latent_grid", **link)  # another browser opens the lecturer's link
    assert_clean(student)
    assert student.title[0].value == "Grade latente"
    assert student.slider(key="keep.grid_n").value == 20
    assert student.radio(key="keep.grid_spacing").value == "linear"
    assert student.selectbox(key="keep.pick_pair").value == link["pick_pair"]
    assert image_urls(student) == image_urls(at)  # the very same pictures
    assert not student.toast


@pytest.mark.parametrize(
    ("name", "forged"),
    [
        ("grid_n", "1000"),
        ("grid_n", "twenty"),
        ("grid_extent", "nan"),
        ("grid_spacing", "<b>bold</b>"),
        ("pick_pair", "shipped|a model that was removed"),
        ("pick_latent", "3"),
        ("lang", "xx"),
        ("grid_overlay", "maybe"),
    ],
)
def test_a_forged_or_stale_link_value_falls_back_with_a_note(name: str, forged: str) -> None:
    at = open_link("latent_grid", **{name: forged})
    assert_clean(at)
    assert at.title[0].value == "Latent grid"  # the usual view, in the usual language
    assert len(image_urls(at)) == 2
    notes = [toast.value for toast in at.toast]
    assert len(notes) == 1 and name.replace("_", "\\_") in notes[0], notes  # markdown-escaped, as all link text
    assert "<b>" not in notes[0]  # never shown as markup
    assert at.query_params[name] != forged  # the link is corrected to what is shown


# --- presentation: legible on a projector, right on a phone -------------------------------------


def figures(at) -> list[dict]:
    """The plotly figures of the page, as the browser receives them (JSON)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def captions(at) -> list[str]:
    return [caption for image in at.image for caption in image.captions]


def picture_size(url: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).size


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_interpolation_shows_both_originals_beside_a_path_wrapped_into_rows(lang: str) -> None:
    at = open_app("interpolation", lang=lang)
    assert_clean(at)
    shown = captions(at)
    for key in ("interpolation.start_original", "interpolation.end_original"):
        assert shown.count(t(key, lang=lang)) == 2, shown  # beside each model's path
    path = t("interpolation.caption", lang=lang, steps=10, method=t("interpolation.method.linear", lang=lang))
    assert "decode" in path or "decodificador" in path  # the caption says the tiles are decodings
    strips = [
        url for image in at.image for url, caption in zip(image.value, image.captions, strict=True) if caption == path
    ]
    assert len(strips) == 2
    width, height = picture_size(strips[0])
    assert 2.3 < width / height < 2.7, (width, height)  # 10 steps as 2 rows of 5, not one row of 10
    assert any(t("interpolation.decoded_note", lang=lang) == c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_ae_vs_vae_magnifies_the_ellipses_and_says_so(lang: str) -> None:
    at = open_app("ae_vs_vae", lang=lang)
    assert_clean(at)
    ae, vae = figures(at)
    names = [trace.get("name") for trace in vae["data"]]
    magnified = [n for n in names if n and n.startswith(t("ae_vs_vae.ellipse_legend_magnified", lang=lang, k=0)[:-1])]
    assert len(magnified) == 1, names
    k = int(magnified[0].rsplit("×", 1)[1])
    assert k > 1 and t("ae_vs_vae.ellipse_legend_magnified", lang=lang, k=k) == magnified[0]
    assert names.index(magnified[0]) > max(i for i, trace in enumerate(vae["data"]) if trace.get("customdata"))
    assert t("ae_vs_vae.ellipses_magnified", lang=lang, k=k) in [c.value for c in at.caption]
    for figure in (ae, vae):  # the class legend below the plot, across it: the plot gets the column's width
        assert figure["layout"]["legend"]["orientation"] == "h"


@pytest.mark.parametrize(("lang", "separators"), [("en", ".,"), ("pt", ",.")])
def test_figures_write_numbers_in_the_users_language(lang: str, separators: str) -> None:
    at = open_app("interpolation", lang=lang)
    assert [f["layout"]["separators"] for f in figures(at)] == [separators] * 2
    go_to(at, "uses")  # the ROC curves and the two histograms of scores (tests/test_app_uses.py tests more)
    assert figures(at) and {f["layout"]["separators"] for f in figures(at)} == {separators}
    go_to(at, "latent_sliders")
    code = next(c.value for c in at.caption if c.value.startswith("z = ("))
    assert ("," in code and ";" not in code) if lang == "en" else (";" in code and "." not in code), code
    result = t("train.result.ae", lang=lang, recon=20.4)  # a float in a text: 20,4 in Portuguese
    assert result.endswith(" 20.4 nats." if lang == "en" else " 20,4 nats."), result


def test_charts_have_no_plotly_toolbar() -> None:
    at = open_app("ae_vs_vae")
    charts = at.get("plotly_chart")
    assert charts and all(json.loads(chart.proto.config)["displayModeBar"] is False for chart in charts)


def save_one_dimensional_pair(folder: Path) -> None:
    """An untrained MLP AE and VAE with a 1-D latent space, on MNIST's image size."""
    for kind in ("ae", "vae"):
        config = ModelConfig(kind=kind, latent_dim=1, hidden_dims=(32,))
        info = CheckpointInfo(config=config, dataset="mnist", image_shape=(1, 28, 28), created="2024-01-01T00:00:00")
        save_checkpoint(folder / f"mnist-{kind}-mlp-1d.pt", build_model(config), info)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_one_dimensional_grid_is_captioned_along_z1_only(checkpoints: Path, lang: str) -> None:
    save_one_dimensional_pair(checkpoints)
    at = open_app("latent_grid", lang=lang)
    at.selectbox(key="keep.pick_latent").set_value(1).run()
    assert_clean(at)
    expected = t(
        "latent_grid.caption_1d",
        lang=lang,
        n=at.slider(key="keep.grid_n").value,
        x=1,
        extent="3,0" if lang == "pt" else "3.0",
    )
    assert captions(at) == [expected, expected]
    assert "z1 (↑)" not in expected


def shown_bound(at, lang: str) -> tuple[float, float]:
    """The VAE's ELBO and importance-weighted bound of the chosen image, as the page writes them."""
    number = r"(-?\d+,\d)" if lang == "pt" else r"(-?\d+\.\d)"  # one decimal, with the language's sign
    pattern = re.escape(TEXTS["ae_vs_vae.bound"][lang])
    for placeholder, value in (("{elbo:.1f}", number), ("{iwae:.1f}", number), ("{k}", "1000")):
        pattern = pattern.replace(re.escape(placeholder), value)
    found = [m for m in (re.fullmatch(pattern, md.value) for md in at.markdown) if m]
    assert len(found) == 1, [md.value for md in at.markdown]
    elbo, iwae = (float(group.replace(",", ".")) for group in found[0].groups())
    return elbo, iwae


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_ae_vs_vae_shows_the_importance_weighted_bound_above_the_elbo(lang: str) -> None:
    at = open_app("ae_vs_vae", lang=lang)
    assert_clean(at)
    assert t("ae_vs_vae.bound_why", lang=lang, k=1000) in [c.value for c in at.caption]
    model, _ = load_checkpoint(SHIPPED / "mnist-vae-mlp-2d.pt")  # the page's pair: the 2-D MLP
    images = load_dataset("mnist").val_images
    for index in (0, 7):
        at.number_input(key="keep.compare_index").set_value(index).run()
        assert_clean(at)
        elbo, iwae = shown_bound(at, lang)
        assert iwae >= elbo and elbo < 0, (elbo, iwae)
        expected = importance_bounds(model, images[index : index + 1])
        assert (elbo, iwae) == pytest.approx((expected.elbo[0], expected.iwae[0]), abs=0.051)
