"""The Train page trains a GAN or a diffusion model live: the family's controls, both losses, the
latest samples, the share of each digit per epoch, and a warning that names mode collapse. Tiny
recipes and a fake evaluator keep each run to seconds; all files go to a temporary copy."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
import torch

import ui.texts
from tests.app_testing import assert_clean, go_to, open_app, wait_until
from ui.texts import t
from ui.train_generative import GENERATIVE_KEYS, collapse_message
from vae_core import CheckpointInfo, load_checkpoint, save_checkpoint
from vae_core.diffusion import DiffusionConfig, FlowMatching
from vae_core.evaluator import ClassifierConfig, DigitClassifier
from vae_core.gan import GAN, GANConfig
from vae_core.generative_training import DiffusionSettings, GanSettings
from vae_core.live_recipes import LIVE_RECIPES, LiveRecipe
from vae_core.shipped import EVALUATOR_FILE

TINY = {  # 9 steps an epoch on MNIST's 4,500 training digits
    "stable": LiveRecipe(GANConfig(latent_dim=4, width=8), GanSettings(epochs=2, batch_size=512, ema_decay=0.9), 1.0),
    "collapsing": LiveRecipe(
        GANConfig(latent_dim=4, width=8, spectral_norm=False), GanSettings(epochs=3, batch_size=512, ema_decay=0.0), 1.0
    ),
    "diffusion": LiveRecipe(
        DiffusionConfig(channels=(8, 8, 8), time_dim=16, sampler_steps=2),
        DiffusionSettings(epochs=2, batch_size=512),
        1.0,
    ),
}
TEXTS = {  # what each language's page says
    "en": {"family": "Model family", "collapse": "mode collapse", "advice": "spectral norm", "loss": "Generator loss"},
    "pt": {
        "family": "Família de modelos",
        "collapse": "colapso de modo",
        "advice": "normalização espectral",
        "loss": "Perda do gerador",
    },
}


@pytest.fixture
def tiny_recipes(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, recipe in TINY.items():
        monkeypatch.setitem(LIVE_RECIPES, name, recipe)


def reads_everything_as(folder: Path, digit: int) -> None:
    """An evaluator that reads every image as `digit`: the shares of a collapsed generator."""
    torch.manual_seed(0)
    config = ClassifierConfig(channels=(4, 8), feature_dim=16)
    model = DigitClassifier(config)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
        model.head.bias[digit] = 5.0
    info = CheckpointInfo(config=config, dataset="mnist", image_shape=(1, 28, 28))
    save_checkpoint(folder / EVALUATOR_FILE, model, info, overwrite=True)  # in place of the shipped one


def values(data) -> np.ndarray:
    """An array of a chart's spec, which plotly may send as base64 ("bdata") with its dtype and shape."""
    if isinstance(data, dict) and "bdata" in data:
        flat = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        shape = [int(n) for n in str(data.get("shape", len(flat))).split(",")]  # e.g. "2, 10"
        return flat.reshape(shape)
    return np.asarray(data)


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def finished(at) -> bool:
    run = at.session_state["training_run"] if "training_run" in at.session_state else None
    return run is not None and run.registered


def generative_page(family: str, lang: str = "en"):
    at = open_app("train", lang=lang)
    at.radio(key=GENERATIVE_KEYS["family"]).set_value(family).run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_choosing_a_gan_shows_its_recipes_and_epochs(lang: str) -> None:
    at = open_app("train", lang=lang)
    family = at.radio(key=GENERATIVE_KEYS["family"])
    assert family.value == "latent" and family.label == TEXTS[lang]["family"]
    assert at.selectbox(key="keep.train_dataset")  # the AE/VAE settings, as before
    at = generative_page("gan", lang)
    assert not [s for s in at.selectbox if s.key == "keep.train_dataset"]  # a GAN trains on MNIST alone
    recipe = at.radio(key=GENERATIVE_KEYS["recipe"])
    assert recipe.value == "stable" and recipe.options == [
        t("train.generative.recipe.stable", lang=lang),
        t("train.generative.recipe.collapsing", lang=lang),
    ]
    epochs = at.number_input(key=GENERATIVE_KEYS["gan_epochs"])
    assert epochs.value == LIVE_RECIPES["stable"].settings.epochs
    recipe.set_value("collapsing").run()
    assert_clean(at)
    assert at.number_input(key=GENERATIVE_KEYS["gan_epochs"]).value == LIVE_RECIPES["collapsing"].settings.epochs
    note = t("train.generative.recipe_note.collapsing", lang=lang)
    assert any(c.value == note for c in at.caption)  # what the collapsing recipe switches off
    assert at.query_params["train_family"] == "gan" and at.query_params["train_gan_recipe"] == "collapsing"
    at.radio(key=GENERATIVE_KEYS["family"]).set_value("diffusion").run()
    assert_clean(at)
    assert at.number_input(key=GENERATIVE_KEYS["diffusion_epochs"]).value == LIVE_RECIPES["diffusion"].settings.epochs
    assert not [r for r in at.radio if r.key == GENERATIVE_KEYS["recipe"]]


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_gan_trains_live_with_curves_samples_shares_and_a_collapse_warning(
    checkpoints: Path, tiny_recipes: None, lang: str
) -> None:
    reads_everything_as(checkpoints, 3)  # every sample read as a 3: mode collapse, by construction
    at = generative_page("gan", lang)
    at.button(key="train_start").click().run()
    assert_clean(at)
    assert at.button(key="train_start").disabled and at.radio(key=GENERATIVE_KEYS["family"]).disabled
    wait_until(at, finished)
    assert_clean(at)
    [done] = [s.value for s in at.success]
    [saved] = sorted((checkpoints / "trained").glob("*.pt"))
    assert saved.name in done and done.startswith(t("train.generative.model.stable", lang=lang))
    model, info = load_checkpoint(saved)
    assert isinstance(model, GAN) and info.settings.epochs == 2 and info.dataset == "mnist"

    specs = chart_specs(at)
    [curves] = [s for s in specs if any(a["text"] == TEXTS[lang]["loss"] for a in s["layout"].get("annotations", []))]
    assert len(curves["data"]) == 2  # generator and discriminator
    assert values(curves["data"][0]["x"]).tolist() == list(range(1, 19))  # 2 epochs × 9 steps
    [shares] = [s for s in specs if s["data"][0]["type"] == "heatmap"]
    z = values(shares["data"][0]["z"])
    assert z.shape == (2, 10) and shares["data"][0]["y"] == ["1", "2"]  # epochs × digits, in %
    assert z[:, 3].tolist() == [100, 100] and z.sum() == 200
    assert shares["layout"]["separators"] == (",." if lang == "pt" else ".,")
    assert len(at.image) == 1  # the samples of the model saved

    [warning] = [w.value for w in at.warning if TEXTS[lang]["collapse"] in w.value]
    assert TEXTS[lang]["advice"] in warning
    assert ("a 3" if lang == "en" else "como 3") in warning and "100 %" in warning
    assert ("0s, 1s, 2s, 4s" if lang == "en" else "0, 1, 2, 4") in warning
    assert not at.button(key="train_start").disabled

    go_to(at, "latent_grid")  # the GAN joins this browser's models, and the AE/VAE picker skips it
    assert_clean(at)


def test_a_diffusion_model_trains_live_with_its_loss_and_samples(checkpoints: Path, tiny_recipes: None) -> None:
    at = generative_page("diffusion")
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    [saved] = sorted((checkpoints / "trained").glob("*.pt"))
    assert isinstance(load_checkpoint(saved)[0], FlowMatching)
    assert len(at.success) == 1 and saved.name in at.success[0].value
    [curves] = chart_specs(at)  # its loss alone: no share of digits
    assert [a["text"] for a in curves["layout"]["annotations"]] == ["Flow-matching loss"]
    assert len(at.image) == 1 and not at.warning


def test_without_the_evaluator_a_gan_trains_and_says_why_there_are_no_shares(
    checkpoints: Path, tiny_recipes: None
) -> None:
    (checkpoints / EVALUATOR_FILE).unlink()
    at = generative_page("gan")
    at.button(key="train_start").click().run()
    assert_clean(at)
    assert any("needs the evaluator classifier" in i.value for i in at.info)
    at.button(key="train_stop").click().run()
    wait_until(at, finished)
    assert_clean(at)


def test_the_collapse_message_on_crafted_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    fair = np.full(10, 0.1)
    assert collapse_message("GAN", fair) is None
    almost = np.array([0.09, 0.11, 0.1, 0.025, 0.1, 0.1, 0.1, 0.1, 0.1, 0.075])  # every digit over 2 %
    assert collapse_message("GAN", almost) is None
    two_missing = np.array([0.12, 0.12, 0.12, 0.01, 0.13, 0.0, 0.13, 0.12, 0.13, 0.12])
    text = collapse_message("GAN", two_missing)
    assert text.startswith("GAN: mode collapse.") and "almost no 3s and 5s (each under 2 %" in text
    assert "takes over" not in text and "the stable recipe" in text
    one_missing = np.array([0.1, 0.1, 0.1, 0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2])
    assert "almost no 3s (under 2 %" in collapse_message("GAN", one_missing)
    takeover = np.array([0.05, 0.05, 0.05, 0.55, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05])  # nothing missing
    text = collapse_message("GAN", takeover)
    assert "One digit takes over: 55 % of its samples are read as a 3." in text and "almost no" not in text
    monkeypatch.setattr(ui.texts, "language", lambda: "pt")
    text = collapse_message("GAN", two_missing)
    assert text.startswith("GAN: colapso de modo.") and "os dígitos 3 e 5 (cada um abaixo de 2 %" in text
    assert "o dígito 3 (abaixo de 2 %" in collapse_message("GAN", one_missing)
    three = np.array([0.0, 0.0, 0.0, 0.7, 0.1, 0.1, 0.05, 0.05, 0.0, 0.0])
    text = collapse_message("GAN", three)
    assert "os dígitos 0, 1, 2, 8 e 9" in text and "70 % das amostras são lidas como 3" in text
