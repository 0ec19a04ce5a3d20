"""A GAN and a diffusion model trained live, in the training jobs' child processes: their curves,
sample previews and class shares stream to the page, Stop keeps the work, the file saved loads.
Tiny nets on the 8×8 digits, so that each job takes seconds."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import replace

import numpy as np
import pytest
import torch

from vae_core import CheckpointInfo, load_checkpoint, read_checkpoint, save_checkpoint
from vae_core import training_jobs as jobs_module
from vae_core.autoencoder_pipeline import unique_checkpoint_name
from vae_core.catalog import build_catalog
from vae_core.diffusion import DiffusionConfig, FlowMatching
from vae_core.evaluator import ClassifierConfig, DigitClassifier
from vae_core.gan import GAN, GANConfig
from vae_core.generative_training import DiffusionSettings, GanSettings
from vae_core.live_recipes import LIVE_RECIPES, MAX_LIVE_EPOCHS
from vae_core.pretrain import generative_files
from vae_core.shipped import COLLAPSING_GAN_FILE
from vae_core.training_jobs import TrainingJob, TrainingSlots, preview_epochs

TINY_GAN = GANConfig(image_shape=(1, 8, 8), latent_dim=4, width=8)
TINY_DIFFUSION = DiffusionConfig(image_shape=(1, 8, 8), channels=(8, 8, 16), time_dim=16, sampler_steps=2)
GAN_EPOCHS = GanSettings(epochs=2, batch_size=128, ema_decay=0.9)  # 13 steps an epoch on 1,617 digits
DIFFUSION_EPOCHS = DiffusionSettings(epochs=5, batch_size=256, ema_decay=0.9)  # 7 steps an epoch


def tiny_evaluator(folder) -> str:
    """An untrained 8×8 classifier: it reads samples as some digits, which is all a job needs of it."""
    torch.manual_seed(0)
    config = ClassifierConfig(image_shape=(1, 8, 8), channels=(4, 8), feature_dim=16)
    path = folder / "evaluator.pt"
    info = CheckpointInfo(config=config, dataset="digits", image_shape=(1, 8, 8))
    save_checkpoint(path, DigitClassifier(config), info)
    return str(path)


def _job(tmp_path, config, settings, *, evaluator=None, slots=jobs_module.SLOTS):
    return TrainingJob(
        label=config.kind,
        dataset="digits",
        model_config=config,
        settings=settings,
        out_dir=tmp_path / "trained",
        device="cpu",
        slots=slots,
        evaluator=evaluator,
    )


def _wait(job, timeout=120):
    deadline = time.monotonic() + timeout
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.finished, "the training job did not finish in time"
    return job.snapshot()


def test_a_gan_job_streams_both_losses_samples_and_class_shares(tmp_path):
    job = _job(tmp_path, TINY_GAN, GAN_EPOCHS, evaluator=tiny_evaluator(tmp_path)).start()
    seen_previews = []
    while not job.finished:  # a preview after every epoch, before the end's
        p = job.snapshot()
        if p.preview is not None and (not seen_previews or seen_previews[-1][0] != len(p.epoch_rows)):
            seen_previews.append((len(p.epoch_rows), p.preview))
        time.sleep(0.01)
    progress = _wait(job)
    assert progress.status == "done", progress.error
    assert progress.step == progress.total_steps == 2 * 13
    assert set(progress.curve) == {"step", "generator", "discriminator"}
    assert progress.curve["step"] == list(range(1, 27))
    assert all(math.isfinite(v) and v > 0 for v in progress.curve["generator"] + progress.curve["discriminator"])
    assert [round(r["epoch"]) for r in progress.epoch_rows] == [1, 2]
    for row in progress.epoch_rows:  # the evaluator's reading of 500 samples
        shares = [row[f"share_{d}"] for d in range(10)]
        assert sum(shares) == pytest.approx(1.0) and all(0 <= s <= 1 for s in shares)
        assert all(s * jobs_module.SHARE_SAMPLES == pytest.approx(round(s * jobs_module.SHARE_SAMPLES)) for s in shares)
        assert row["d_loss"] > 0 and row["loss"] > 0
    assert any(n >= 1 for n, _ in seen_previews), "no sample preview came during the training"
    assert progress.preview.dtype == np.uint8 and progress.preview.shape == (2 * 9 + 1, 8 * 9 + 1)  # 2 rows of 8
    model, info = load_checkpoint(progress.checkpoint_path)
    assert isinstance(model, GAN) and info.config == TINY_GAN and info.dataset == "digits"
    assert info.settings == GAN_EPOCHS and info.metrics["stopped_early"] is False
    assert progress.checkpoint_path.startswith(str(tmp_path / "trained"))


def test_a_gan_without_the_evaluator_trains_without_shares(tmp_path):
    progress = _wait(_job(tmp_path, TINY_GAN, replace(GAN_EPOCHS, epochs=1), evaluator=tmp_path / "absent.pt").start())
    assert progress.status == "done", progress.error
    assert progress.epoch_rows and not any(k.startswith("share_") for k in progress.epoch_rows[0])


def test_a_diffusion_job_streams_its_loss_and_a_few_previews(tmp_path):
    job = _job(tmp_path, TINY_DIFFUSION, DIFFUSION_EPOCHS, evaluator=tiny_evaluator(tmp_path)).start()
    previews: dict[int, bytes] = {}
    while not job.finished:
        p = job.snapshot()
        if p.preview is not None and p.status == "running":
            previews.setdefault(len(p.epoch_rows), p.preview.tobytes())
        time.sleep(0.005)
    progress = _wait(job)
    assert progress.status == "done", progress.error
    assert set(progress.curve) == {"step", "loss"} and len(progress.curve["loss"]) == progress.step == 5 * 7
    assert len(progress.epoch_rows) == 5 and not any("share_0" in r for r in progress.epoch_rows)
    # Samples after epochs 1, 2, 4 and 5 only (DIFFUSION_PREVIEWS): epoch 3 brings none, so its
    # preview is still epoch 2's.
    assert preview_epochs(5, jobs_module.DIFFUSION_PREVIEWS) == {1, 2, 4, 5}
    if 3 in previews and 2 in previews:
        assert previews[3] == previews[2]
    model, info = load_checkpoint(progress.checkpoint_path)
    assert isinstance(model, FlowMatching) and info.config == TINY_DIFFUSION
    assert info.history and len(info.history) == 5
    assert "-diffusion-" in progress.checkpoint_path


def test_stop_keeps_what_the_gan_learned(tmp_path):
    job = _job(tmp_path, TINY_GAN, replace(GAN_EPOCHS, epochs=500, batch_size=16)).start()
    deadline = time.monotonic() + 60
    while job.snapshot().step < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    job.stop()
    progress = _wait(job)
    assert progress.status == "stopped" and 3 <= progress.step < progress.total_steps
    _, info = load_checkpoint(progress.checkpoint_path)
    assert info.metrics["stopped_early"] is True


def test_a_queued_generative_job_stopped_before_its_slot_trains_nothing(tmp_path):
    slots, never = TrainingSlots(1), threading.Event()
    assert slots.acquire(never)
    job = _job(tmp_path, TINY_DIFFUSION, DIFFUSION_EPOCHS, slots=slots).start()
    time.sleep(0.3)
    assert job.snapshot().status == "queued"
    job.stop()
    progress = _wait(job)
    assert progress.status == "stopped" and progress.step == 0 and progress.checkpoint_path is None
    slots.release()


def test_a_classifier_is_no_training_job(tmp_path):
    with pytest.raises(ValueError, match="not a classifier"):
        _job(tmp_path, ClassifierConfig(), DIFFUSION_EPOCHS)


def test_file_names_say_the_kind_and_the_net():
    assert unique_checkpoint_name("mnist", GANConfig(latent_dim=16)).startswith("mnist-gan-conv-16d-")
    assert unique_checkpoint_name("mnist", DiffusionConfig()).startswith("mnist-diffusion-2")  # then the date


def test_the_catalog_skips_a_gan_among_trained_models(tmp_path):
    """Other users' trained folder (and a session's own list) may hold a GAN or diffusion file now."""
    trained = tmp_path / "trained"
    info = CheckpointInfo(config=TINY_GAN, dataset="digits", image_shape=(1, 8, 8))
    save_checkpoint(trained / "digits-gan.pt", GAN(TINY_GAN), info)
    catalog = build_catalog(
        shipped_dir=tmp_path / "none",
        trained_dir=trained,
        own_runs={str(trained / "digits-gan.pt"): "abc"},
        include_others=True,
        read_info=lambda version: read_checkpoint(version.path)[1],
    )
    assert catalog.pairs == [] and catalog.broken == []


def test_the_live_recipes():
    """The collapsing preset is the pretrained collapsing recipe, shorter; the stable one keeps every
    stabiliser the collapsing one switches off."""
    collapsing, stable = LIVE_RECIPES["collapsing"], LIVE_RECIPES["stable"]
    spec = generative_files()[COLLAPSING_GAN_FILE]
    assert collapsing.config == spec.config
    assert collapsing.settings == replace(spec.settings, epochs=collapsing.settings.epochs)
    assert collapsing.settings.epochs < spec.settings.epochs
    assert stable.config.spectral_norm and not collapsing.config.spectral_norm
    assert stable.settings.label_smoothing > 0 and stable.settings.augment_shift > 0 and stable.settings.ema_decay > 0
    assert collapsing.settings.lr == pytest.approx(10 * stable.settings.lr)  # as the page's notes say
    assert collapsing.config.width == 2 * stable.config.width and stable.config.arch == collapsing.config.arch
    for name, recipe in LIVE_RECIPES.items():
        assert recipe.config.image_shape == (1, 28, 28), name
        assert 1 <= recipe.settings.epochs <= MAX_LIVE_EPOCHS, name
        minutes = recipe.settings.epochs * recipe.seconds_per_epoch / 60
        assert minutes <= (2.5 if recipe.kind == "diffusion" else 1.25), name  # about a minute; two for diffusion
    assert LIVE_RECIPES["diffusion"].with_epochs(2).settings.epochs == 2
    with pytest.raises(ValueError):
        stable.with_epochs(0)
