"""The page "VAE, GAN, diffusion" through AppTest, in both languages: samples of one seed for every
model, the measured table and charts, the 2-D grids, paths, the reverse path and encodings."""

from __future__ import annotations

import base64
import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image

from tests.app_testing import assert_clean, copy_checkpoints, image_urls, open_app, open_link
from tests.waiting import wait_until
from ui import generative_views
from ui.cached_models import load_shipped
from ui.generative_views import PATH_IMAGES, draw_ahead_process
from ui.images import picture
from ui.texts import t
from vae_core import load_checkpoint
from vae_core.comparison import shares_of
from vae_core.draw_ahead import Drawing, draw
from vae_core.pretrain import CHECKPOINT_DIR
from vae_core.shipped import COMPARED

MAIN_MODELS = ("ae", "vae", "gan", "diffusion")


@pytest.fixture(scope="module", params=["en", "pt"])
def page(request):
    return open_app("generative", lang=request.param), request.param


def test_every_model_draws_under_its_own_name_in_both_languages(page) -> None:
    at, lang = page
    assert_clean(at)
    names = [h.value for h in at.subheader]
    for key in MAIN_MODELS:
        assert t(f"generative.model.{key}", lang=lang) in names
    assert not at.info, [i.value for i in at.info]  # every shipped model is there
    assert len(image_urls(at)) >= 4 + 2 + 3 + 1 + 1  # samples, grids, paths, reverse path, the digit


def test_the_figures_list_real_digits_and_every_measured_model_each_under_its_name(page) -> None:
    at, lang = page
    names = [h.value for h in at.subheader]
    first = names.index(t("generative.model.real", lang=lang))
    cards = [names[first + i] for i in range(len(COMPARED) + 1)]
    assert cards[0] == t("generative.model.real", lang=lang)
    for key in COMPARED:
        assert t(f"generative.model.{key}", lang=lang) in cards
    for table in at.table[: len(cards)]:
        assert t("generative.col.fd", lang=lang) in list(table.value.index)


def bar_heights(spec: dict) -> np.ndarray:
    y = spec["data"][0]["y"]  # plotly may send an array as base64 with its dtype
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.asarray(y, dtype=float)


def test_each_models_digit_shares_are_its_recorded_ones_under_its_name(page) -> None:
    at, lang = page
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == len(COMPARED)  # one bar chart per compared model
    bold = [m.value for m in at.markdown if m.value.startswith("**")]
    order = ("ae", "vae", "vae_2d", "gan", "gan_2d", "gan_collapse", "diffusion")  # as the figure cards
    for key, spec in zip(order, specs, strict=True):
        assert f"**{t(f'generative.model.{key}', lang=lang)}**" in bold
        recorded = load_checkpoint(CHECKPOINT_DIR / COMPARED[key])[1].metrics
        assert np.allclose(bar_heights(spec), shares_of(recorded) * 100), key


def test_a_new_seed_draws_new_samples_and_the_same_seed_the_same() -> None:
    at = open_app("generative")
    before = image_urls(at)[:4]
    at.button[0].click().run()
    assert at.session_state["keep.generative_seed"] == 1
    after = image_urls(at)[:4]
    assert all(a != b for a, b in zip(before, after, strict=True))
    again = open_app("generative")
    again.number_input(key="keep.generative_seed").set_value(1).run()
    assert image_urls(again)[:4] == after


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_path_offers_nested_numbers_of_images_and_names_them(lang) -> None:
    at = open_app("generative", lang=lang)
    images = at.select_slider(key="keep.generative_steps")
    assert images.options == [str(n) for n in PATH_IMAGES] and images.value == PATH_IMAGES[-1]
    assert all(str(n) in t("generative.path_steps_help", lang=lang) for n in PATH_IMAGES)
    before = image_urls(at)
    images.set_value(PATH_IMAGES[1]).run()
    assert_clean(at)
    after = image_urls(at)
    assert after[:4] == before[:4]  # the samples stay
    assert len(set(after) - set(before)) == 3  # the three paths are redrawn with fewer images


def test_a_linked_number_of_images_that_is_not_offered_is_repaired() -> None:
    at = open_link("generative", generative_steps="8")  # a link from the time the path took 3 to 12 steps
    assert_clean(at)
    assert at.session_state["keep.generative_steps"] == PATH_IMAGES[-1]
    assert at.query_params["generative_steps"] == str(PATH_IMAGES[-1])


def test_encoding_a_digit_shows_each_model_and_the_gan_inversion_curve() -> None:
    at = open_app("generative")
    at.toggle(key="keep.generative_encode").set_value(True).run()
    assert_clean(at)
    texts = " ".join(m.value for m in at.markdown)
    assert t("generative.encode_result.gan", time="", error="", steps=200).split(":")[0] in texts
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) >= 2  # the class shares and the GAN's inversion


def test_missing_generative_models_are_said_so_not_a_traceback(tmp_path, monkeypatch) -> None:
    checkpoints = copy_checkpoints(tmp_path)
    shutil.rmtree(checkpoints / "generative")  # AE/VAE files and the evaluator only
    monkeypatch.setenv("LATENT_LAB_CHECKPOINTS", str(checkpoints))
    at = open_app("generative")
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    assert t("generative.model.gan") in notes and t("generative.model.diffusion") in notes


def png_pixels(url: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))), dtype=int)


def test_the_next_seeds_diffusion_pictures_are_drawn_ahead_by_the_child_not_by_the_page(monkeypatch) -> None:
    seed = 5_000  # a seed no other test asks for: nothing of it or the next is cached yet
    at = open_app("generative")
    at.number_input(key="keep.generative_seed").set_value(seed).run()
    diffusion = load_shipped(COMPARED["diffusion"])
    nxt = [
        Drawing("samples", seed + 1, n=16),
        Drawing("path", seed + 1, n=PATH_IMAGES[-1], seed_b=seed + 2, method="spherical"),
        Drawing("reverse", seed + 1),
    ]
    child = draw_ahead_process(diffusion)
    assert wait_until(lambda: all(child.holds(d) for d in nxt), timeout=120), child.problem
    drawn_here = []
    page_draw = generative_views.draw
    monkeypatch.setattr(generative_views, "draw", lambda m, d: drawn_here.append((m.config.kind, d)) or page_draw(m, d))
    at.button[0].click().run()  # "New samples"
    assert_clean(at)
    assert at.session_state["keep.generative_seed"] == seed + 1
    assert [d for kind, d in drawn_here if kind == "diffusion"] == []  # every diffusion picture came drawn
    assert {d.what for kind, d in drawn_here} == {"samples", "path"}  # the fast kinds are drawn in the page
    shown = png_pixels(image_urls(at)[MAIN_MODELS.index("diffusion")])
    own = picture(draw(diffusion.model, nxt[0]), per_row=4, min_side=280).astype(int)
    assert np.abs(shown - own).max() <= 1  # the child's copy of the model draws what the page's would
    assert child.holds(nxt[0]) is False  # handed over once: the page's cache holds it now
