"""The Train page: a short training produces models that every page then offers; Stop, queueing and
unavailable data sets are shown as messages, never as tracebacks. All files go to a temporary copy."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import pytest

import ui.texts
import vae_core.training_jobs
from tests.app_testing import (
    assert_clean,
    assert_no_exception,
    go_to,
    image_urls,
    open_app,
    open_link,
    wait_until,
)
from tests.shipped_copies import SHIPPED
from ui.paths import CHECKPOINTS_ENV
from ui.texts import dataset_label, duration, t
from vae_core import DATASETS, DatasetUnavailable, ModelConfig, TrainSettings, evaluate, load_checkpoint, load_dataset
from vae_core.autoencoder_pipeline import fit, save_trained
from vae_core.evaluation import collapsed_dimensions, posterior_collapse


def real_trained_files() -> set[str]:
    return {p.name for p in (SHIPPED / "trained").glob("*")} if (SHIPPED / "trained").is_dir() else set()


def train_page(lang: str = "en", **settings):
    """The Train page set to a quick run on the 8×8 digits (1 epoch unless told otherwise)."""
    at = open_app("train", lang=lang)
    at.selectbox(key="keep.train_dataset").set_value(settings.get("dataset", "digits")).run()
    at.number_input(key="keep.train_epochs").set_value(settings.get("epochs", 1)).run()
    at.radio(key="keep.train_models").set_value(settings.get("models", "both")).run()
    assert_clean(at)
    return at


def finished(at) -> bool:
    run = at.session_state["training_run"] if "training_run" in at.session_state else None
    return run is not None and run.registered


def test_a_short_training_is_saved_and_offered_on_every_page(checkpoints: Path) -> None:
    before = real_trained_files()
    at = train_page()
    at.button(key="train_start").click().run()
    assert_no_exception(at)
    assert at.button(key="train_start").disabled  # one training at a time per session
    wait_until(at, finished)
    assert_clean(at)
    assert len(at.success) == 2  # AE and VAE done, each naming its file
    saved = sorted((checkpoints / "trained").glob("*.pt"))
    assert len(saved) == 2
    assert all(p.name in " ".join(s.value for s in at.success) for p in saved)
    assert at.get("plotly_chart")  # the loss curves
    assert len(at.image) == 2  # the test reconstructions of both models
    assert real_trained_files() == before  # nothing written next to the shipped models
    assert not at.button(key="train_start").disabled

    at.button(key="train_explore").click().run()  # picks the new pair and opens the latent grid
    assert_clean(at)
    assert at.title[0].value == "Latent grid"
    assert at.selectbox(key="keep.pick_pair").value.startswith("run:")
    assert len(image_urls(at)) == 2
    for page in ("latent_sliders", "interpolation", "ae_vs_vae"):
        go_to(at, page)
        assert_clean(at)
        assert at.selectbox(key="keep.pick_pair").value.startswith("run:")

    # Another session does not see this session's models, unless it asks for other users' models.
    other = open_app("latent_grid")
    assert not any(pairs_by_others(other, name) for name in DATASETS)
    other.checkbox(key="keep.pick_others").check().run()
    assert_clean(other)
    assert pairs_by_others(other, "digits")


def pairs_by_others(at, dataset: str) -> list[str]:
    """The 2-D pairs of a data set that the picker says other sessions trained."""
    box = at.selectbox(key="keep.pick_dataset")
    if dataset_label(dataset) not in box.options:
        return []
    box.set_value(dataset).run()
    latent = at.selectbox(key="keep.pick_latent")
    if "2-D latent space" not in latent.options:
        return []
    latent.set_value(2).run()
    return [label for label in at.selectbox(key="keep.pick_pair").options if label.startswith("Another user")]


def test_stop_ends_the_training_and_keeps_what_was_learned(checkpoints: Path) -> None:
    at = train_page(epochs=200, models="vae")
    at.button(key="train_start").click().run()
    at.button(key="train_stop").click().run()
    wait_until(at, finished)
    assert_clean(at)
    assert at.warning, "a stopped run says so"
    assert not at.button(key="train_start").disabled


def test_a_queued_training_says_it_waits(checkpoints: Path) -> None:
    slots, never = vae_core.training_jobs.SLOTS, threading.Event()
    taken = [slots.acquire(never, timeout=30) for _ in range(slots.capacity)]  # the server's slots, all busy
    try:
        assert all(taken), "another training holds the server's slots"
        at = train_page(models="ae")
        at.button(key="train_start").click().run()
        assert_clean(at)
        assert any("queued" in i.value and "number 1 in line" in i.value for i in at.info)  # its place
    finally:
        for ok in taken:
            if ok:
                slots.release()
    wait_until(at, finished)
    assert_clean(at)


def test_an_unavailable_data_set_is_an_error_message(checkpoints: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable():
        raise DatasetUnavailable("The 'mnist-full' data set needs a download; no network here.")

    monkeypatch.setitem(DATASETS, "mnist-full", dataclasses.replace(DATASETS["mnist-full"], loader=unavailable))
    at = train_page(dataset="mnist-full")
    at.button(key="train_start").click().run()
    assert_no_exception(at)
    assert any("no network here" in e.value for e in at.error)
    assert "training_run" not in at.session_state


def settings_shown(at) -> tuple:
    """Layer sizes, epochs, learning rate and batch size as the Train page's widgets hold them."""
    return (
        at.selectbox(key="keep.train_widths").value,
        at.number_input(key="keep.train_epochs").value,
        at.select_slider(key="keep.train_lr").value,
        at.select_slider(key="keep.train_batch").value,
    )


def test_choosing_a_data_set_brings_its_own_layer_sizes() -> None:
    at = open_app("train")
    assert at.selectbox(key="keep.train_widths").value == "256-128"
    assert settings_shown(at) == ("256-128", 20, 1e-2, 64)  # MNIST: as good as the shipped pair in 20 epochs
    at.selectbox(key="keep.train_dataset").set_value("digits").run()
    assert_no_exception(at)
    assert at.selectbox(key="keep.train_widths").value == "128-64"
    assert settings_shown(at) == ("128-64", 150, 3e-3, 128)  # the digits need the shipped pair's 150 epochs
    at.selectbox(key="keep.train_dataset").set_value("mnist").run()
    assert_clean(at)
    assert settings_shown(at) == ("256-128", 20, 1e-2, 64)


def test_a_denoising_autoencoder_is_trained_from_the_train_page(checkpoints: Path) -> None:
    at = train_page(models="ae")
    assert at.radio(key="keep.train_noise").value == "none"
    assert at.select_slider(key="keep.train_noise_level").disabled  # no noise, no level to choose
    at.radio(key="keep.train_noise").set_value("gaussian").run()
    at.select_slider(key="keep.train_noise_level").set_value(0.4).run()
    assert_clean(at)
    assert not at.select_slider(key="keep.train_noise_level").disabled
    assert at.query_params["train_noise"] == "gaussian" and at.query_params["train_noise_level"] == "0.4"  # in the link
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    [saved] = sorted((checkpoints / "trained").glob("*.pt"))
    _, info = load_checkpoint(saved)
    assert info.config.kind == "ae" and info.settings.epochs == 1
    assert info.settings.corruption == "gaussian" and info.settings.corruption_level == pytest.approx(0.4)
    assert info.metrics["denoise_recon"] > 0  # its error on noisy validation images, against the clean ones
    [done] = [s.value for s in at.success]
    assert done.startswith("Denoising AE 2-D on")
    assert "Trained as a denoising autoencoder (Gaussian noise, level 0.4)" in done
    assert f"{info.metrics['denoise_recon']:.1f} nats from the clean ones" in done

    at.button(key="train_explore").click().run()  # the picker says what the new model is
    assert_clean(at)
    pair = at.selectbox(key="keep.pick_pair")
    assert pair.value.startswith("run:") and pair.options[pair.index].endswith("· denoising (Gaussian 0.4) (AE only)")


def test_a_link_with_a_noise_level_out_of_range_falls_back_with_a_note() -> None:
    at = open_link("train", train_noise="square", train_noise_level="0.9")  # the slider stops at 0.6
    assert_clean(at)
    assert at.radio(key="keep.train_noise").value == "square"
    assert at.select_slider(key="keep.train_noise_level").value == 0.3
    assert [toast.value for toast in at.toast] == [
        "The link's value for train\\_noise\\_level (0.9) does not fit here; the usual value is used instead."
    ]


def collapse_warnings(at) -> list[str]:
    return [w.value for w in at.warning if "posterior collapse" in w.value]


def test_a_collapsed_vae_is_explained_with_what_to_try(checkpoints: Path) -> None:
    at = train_page(models="vae")  # one epoch …
    at.select_slider(key="keep.train_beta").set_value(10.0).run()  # … with a KL term ten times too heavy
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    assert len(at.success) == 1  # it trained and was saved: a model, if a useless one
    [warning] = collapse_warnings(at)
    assert "of its 2 latent dimensions carry any" in warning
    for advice in ("more epochs", "a smaller β", "a lower learning rate", "a KL warm-up"):
        assert advice in warning, advice


def test_a_healthy_vae_gets_no_collapse_warning(checkpoints: Path) -> None:
    at = open_app("train")
    at.selectbox(key="keep.train_dataset").set_value("digits").run()  # with the digits' own defaults
    at.radio(key="keep.train_models").set_value("vae").run()
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    assert len(at.success) == 1 and "Validation ELBO" in at.success[0].value
    assert not collapse_warnings(at) and not at.warning


def test_a_collapse_warning_in_portuguese(checkpoints: Path) -> None:
    at = open_app("train", lang="pt")
    at.selectbox(key="keep.train_dataset").set_value("digits").run()
    at.number_input(key="keep.train_epochs").set_value(1).run()
    at.radio(key="keep.train_models").set_value("vae").run()
    at.select_slider(key="keep.train_beta").set_value(10.0).run()
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    [warning] = [w.value for w in at.warning if "colapso posterior" in w.value]
    assert "mais épocas" in warning and "um β menor" in warning and "aquecimento do KL" in warning


# The dimensions' words, by language: (a collapsed one carries / several carry no information, "uses only").
DIMENSION_WORDS = {
    "en": ("of its 8 latent dimensions carries no", "of its 8 latent dimensions carry no", "uses only"),
    "pt": ("de suas 8 dimensões latentes não carrega", "de suas 8 dimensões latentes não carregam", "usa só"),
}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_vae_that_switches_some_dimensions_off_is_told_which(checkpoints: Path, lang: str) -> None:
    """The digits' own recipe with an 8-D code: the VAE is healthy as a whole but leaves some latent
    dimensions at the prior (measured: 4 of 8, their KL about 0.0005 nats against at least 0.5 for
    the others). The warning names them, and the ones in use, as measured here on the saved file."""
    at = open_app("train", lang=lang)
    at.selectbox(key="keep.train_dataset").set_value("digits").run()
    at.radio(key="keep.train_models").set_value("vae").run()
    at.number_input(key="keep.train_latent").set_value(8).run()
    at.button(key="train_start").click().run()
    wait_until(at, finished)
    assert_clean(at)
    [saved] = (checkpoints / "trained").glob("*.pt")
    model, info = load_checkpoint(saved)
    figures = evaluate(model, load_dataset("digits").val_images)
    off = collapsed_dimensions(figures.kl_per_dim)
    assert 0 < len(off) < 8 and not posterior_collapse(figures), figures.kl_per_dim  # the case this test is for
    on = [d for d in range(8) if d not in off]

    [warning] = [w.value for w in at.warning]  # this one only: not the whole model's collapse
    one, several, uses = DIMENSION_WORDS[lang]
    assert f"{len(off)} {one if len(off) == 1 else several}" in warning, warning
    separator = {"en": ", ", "pt": "; "}[lang]
    assert f": {separator.join(f'z{d + 1}' for d in off)}." in warning, warning
    assert f"{uses} {separator.join(f'z{d + 1}' for d in on)}." in warning, warning
    assert {"en": "at most 0.01 nats", "pt": "no máximo 0,01 nats"}[lang] in warning
    for advice in {"en": ("a smaller β", "a KL warm-up"), "pt": ("um β menor", "aquecimento do KL")}[lang]:
        assert advice in warning, advice
    links = [link for link in at.main.get("page_link") if link.label == t("beta.from_train", lang=lang)]
    assert len(links) == 1 and links[0].proto.page == "beta"


def test_the_page_says_starting_until_the_first_step(checkpoints: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The training process takes seconds to start; meanwhile there is no epoch and no time left to show."""

    def never_starts(job: vae_core.training_jobs.TrainingJob) -> None:  # a child process stuck in its start-up
        job._update(status="running")
        job._stop.wait(60)
        job._update(status="stopped")

    monkeypatch.setattr(vae_core.training_jobs.TrainingJob, "_supervise", never_starts)
    at = train_page(models="vae")
    at.button(key="train_start").click().run()
    wait_until(at, lambda at: any(bar.text for bar in at.get("progress")))
    [bar] = at.get("progress")
    assert bar.text.endswith(": starting…") and "epoch" not in bar.text and "left" not in bar.text
    assert bar.value == 0
    at.button(key="train_stop").click().run()
    wait_until(at, finished)
    assert_clean(at)
    assert any("stopped before its first step" in w.value for w in at.warning)


def test_a_stopped_training_says_it_is_stopping_until_it_has_saved(
    monkeypatch: pytest.MonkeyPatch, checkpoints: Path
) -> None:
    """Between Stop and the saved model the page says what it waits for, so nobody clicks Stop again."""
    saved = threading.Event()

    def saves_slowly(job: vae_core.training_jobs.TrainingJob) -> None:  # a child finishing its step, then saving
        job._update(status="running", step=5, total_steps=100, epoch=2)
        saved.wait(60)
        job._update(status="stopped")

    monkeypatch.setattr(vae_core.training_jobs.TrainingJob, "_supervise", saves_slowly)
    at = train_page(models="vae")
    at.button(key="train_start").click().run()
    wait_until(at, lambda at: any("epoch 2 of" in bar.text for bar in at.get("progress")))
    at.button(key="train_stop").click().run()
    [bar] = at.get("progress")
    assert bar.text.endswith(": stopping during epoch 2, saving what it has learned…")
    saved.set()
    wait_until(at, finished)
    assert_clean(at)
    assert not at.get("progress"), "once saved, the line says how it ended"


@pytest.mark.parametrize(
    "seconds, english, portuguese",
    [
        (0.0, "0.0 s", "0,0 s"),
        (0.04, "0.0 s", "0,0 s"),
        (4.23, "4.2 s", "4,2 s"),
        (9.94, "9.9 s", "9,9 s"),
        (9.96, "10 s", "10 s"),  # rounds up to ten: whole seconds from there
        (42.4, "42 s", "42 s"),
        (185, "3 min 05 s", "3 min 05 s"),
    ],
)
def test_durations_under_ten_seconds_have_one_decimal(
    seconds: float, english: str, portuguese: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Done in 0 s' said nothing: a digits model trains in a few seconds."""
    assert duration(seconds) == english  # outside a session: English
    monkeypatch.setattr(ui.texts, "language", lambda: "pt")
    assert duration(seconds) == portuguese


# --- the latent space forming (ui/forming.py) -------------------------------------------------------

FORMING_TEXTS = {  # what the replay's first frame and buttons say
    "en": ("Before training (random weights)", "▶ Play", "VAE, "),
    "pt": ("Antes do treino (pesos aleatórios)", "▶ Reproduzir", "VAE, "),
}


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def replay_spec(at) -> dict:
    [spec] = [s for s in chart_specs(at) if s.get("frames")]
    return spec


def quick_pair(folder: Path, *, snapshots: bool = True) -> None:
    """The 2-D digits pair in `folder` retrained for 3 epochs, as the shipped files are (with snapshots)
    or as files written before them were."""
    for kind in ("ae", "vae"):
        config = ModelConfig(kind=kind, image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(128, 64))
        settings = TrainSettings(epochs=3, batch_size=128, lr=3e-3)
        trained = fit(dataset="digits", model_config=config, settings=settings, device="cpu", snapshots=snapshots)
        save_trained(trained, folder / f"digits-{kind}-mlp-2d.pt", overwrite=True, half_precision=True)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_shipped_pair_replays_how_its_latent_space_formed(checkpoints: Path, lang: str) -> None:
    quick_pair(checkpoints)
    at = open_app("train", lang=lang)
    assert_clean(at)
    assert not [s for s in chart_specs(at) if s.get("frames")]  # drawn on request: a 150–300 kB figure
    at.toggle(key="keep.forming_show").set_value(True).run()
    box = at.selectbox(key="keep.forming_pair")
    [digits] = [option for option in box.options if option.startswith(t("dataset.digits", lang=lang))]
    box.select(digits).run()
    assert_clean(at)
    assert at.query_params["forming_pair"].startswith("shipped|digits|")  # a lecturer can link to it
    spec = replay_spec(at)
    first, play, _ = FORMING_TEXTS[lang]
    assert [f["name"] for f in spec["frames"]] == ["0", "1", "2", "3"]  # before training, then each epoch
    assert spec["layout"]["title"]["text"] == first
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["label"] == play
    assert spec["layout"]["separators"] == (",." if lang == "pt" else ".,")
    last = spec["frames"][-1]
    images = [d["source"] for d in last["data"] if d.get("type") == "image"]
    assert len(images) == 2 and all(s.startswith("data:image/png;base64,") for s in images)  # AE and VAE grids
    assert len(last["traces"]) == len(last["data"])
    assert at.caption[-1].value.startswith("Codes of 180" if lang == "en" else "Códigos de 180")


def test_files_without_snapshots_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    quick_pair(folder, snapshots=False)
    monkeypatch.setenv(CHECKPOINTS_ENV, str(folder))
    at = open_app("train")
    assert_clean(at)
    assert not [s for s in chart_specs(at) if s.get("frames")]
    assert any("kept how its latent space formed" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_codes_show_live_while_training(checkpoints: Path, lang: str) -> None:
    at = train_page(lang, epochs=200, models="vae")
    at.button(key="train_start").click().run()

    def live_after_an_epoch(at) -> bool:  # epoch 0 (before the first step) shows first
        figures = at.session_state["forming.live_figures"] if "forming.live_figures" in at.session_state else {}
        return "vae" in figures and figures["vae"][0][1] >= 1

    wait_until(at, live_after_an_epoch)
    assert_clean(at)
    [spec] = [s for s in chart_specs(at) if s["layout"].get("title", {}).get("text", "").startswith("VAE, ")]
    assert spec["layout"]["title"]["text"].startswith("VAE, after epoch" if lang == "en" else "VAE, após a época")
    prior = t("forming.prior", lang=lang)
    assert any(trace.get("name") == prior for trace in spec["data"])  # the circle of N(0, I)
    assert spec["layout"]["xaxis"]["title"]["text"] == "z1"
    assert not [s for s in chart_specs(at) if s.get("frames")]  # no replay while training
    shows, figure = at.session_state["forming.live_figures"]["vae"]  # built once per epoch, reused by each poll
    assert shows[0] == at.session_state["training_run"].run_id and figure.layout.title.text.startswith("VAE, ")
    at.button(key="train_stop").click().run()
    wait_until(at, finished)
    assert_clean(at)
    spec = replay_spec(at)  # the run just trained replays at once
    assert at.selectbox(key="keep.forming_pair").value.startswith("run:")
    assert spec["frames"][0]["name"] == "0"
