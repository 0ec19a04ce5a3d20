"""Data → model → training → validation → checkpoint: the one recipe the CLI, the pretraining
script and the app's training jobs share."""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch

from .autoencoder_training import DEFAULT_SETTINGS, StepReport, StopFlag, TrainResult, TrainSettings, train_model
from .checkpoint import CheckpointInfo, save_checkpoint
from .corruption import denoising_error
from .data import DatasetSplit, dataset_info, is_imported, load_dataset
from .evaluation import Evaluation, evaluate
from .gan import GANConfig
from .generative import AnyConfig
from .models import LatentModel, ModelConfig, build_model, default_device
from .snapshots import LiveCodes, SnapshotRecorder, recording


@dataclass(frozen=True)
class DatasetRecipe:
    """What the Train page starts from for a data set: settings measured to give a model that looks
    right (for a 2-D MLP VAE: an ELBO near the shipped pair's, every latent dimension in use).

    One recipe cannot fit all: 1,617 digits of 8×8 make 13 steps an epoch at batch 128, and with
    10 epochs (130 steps) their VAE collapsed silently (KL 0.0: one grey blob for every image).
    """

    hidden_dims: tuple[int, ...]
    epochs: int
    batch_size: int
    lr: float  # the one-cycle peak

    def settings(self, **changes: Any) -> TrainSettings:
        """The recipe as TrainSettings, as the Train page builds them (its other settings at their defaults)."""
        return TrainSettings(**{"epochs": self.epochs, "batch_size": self.batch_size, "lr": self.lr, **changes})


# Measured through fit() on the validation split, 2-D MLP VAE, seed 0, one CPU thread as in the app
# (tests/test_vae_core_training.py checks both against the shipped pairs):
#   digits, the shipped pair's recipe (150 epochs, batch 128, peak 3·10⁻³): ELBO −24.6, KL 2.7, 2 of 2
#     dimensions active, in about 4 s; the shipped pair −24.8. The old 10 epochs: KL 0.0, none active.
#   mnist, 20 epochs at batch 64 and peak 10⁻² (TrainSettings' defaults, tuned for time to quality):
#     ELBO −149.4, KL 6.1, 2 active, in about 8 s; the shipped pair −142.6 after 300 augmented epochs
#     (−150.7 after 100 plain ones, the recipe before augmentation). The old
#     10 epochs at batch 128 and peak 3·10⁻³: −166.5 (KL 4.7), worse than the plain recipe.
RECIPES: dict[str, DatasetRecipe] = {
    "mnist": DatasetRecipe(hidden_dims=(256, 128), epochs=20, batch_size=64, lr=1e-2),
    "digits": DatasetRecipe(hidden_dims=(128, 64), epochs=150, batch_size=128, lr=3e-3),
}
# The 70,000-image downloads (not measured here: they need a download): 10 epochs are thousands of steps.
LARGE_DATASET_RECIPE = DatasetRecipe(hidden_dims=(512, 256), epochs=10, batch_size=128, lr=3e-3)
MNIST_RECIPE_STEPS = 1_400  # 20 epochs of 4,500 digits at batch 64: what an imported set's epochs aim at


def imported_recipe(images: int) -> DatasetRecipe:
    """MNIST's recipe with as many steps as it takes (about 1,400): a small set of one's own images
    needs more epochs, a large one fewer."""
    mnist = RECIPES["mnist"]
    steps_per_epoch = max(1, math.ceil(images * 0.9 / mnist.batch_size))
    epochs = min(200, max(10, math.ceil(MNIST_RECIPE_STEPS / steps_per_epoch)))
    return replace(mnist, epochs=epochs)


def recipe_for(dataset: str) -> DatasetRecipe:
    """The Train page's starting settings for `dataset`."""
    if dataset in RECIPES:
        return RECIPES[dataset]
    if is_imported(dataset):
        return imported_recipe(dataset_info(dataset).size or 0)
    return LARGE_DATASET_RECIPE


class TrainingDiverged(ValueError):
    """A run whose weights or figures became NaN or infinite: nothing worth saving."""


@dataclass
class TrainedModel:
    model: LatentModel
    info: CheckpointInfo
    result: TrainResult
    validation: Evaluation


def round_weights_to_half_(model: torch.nn.Module) -> None:
    """Round weights through float16 so the figures recorded are those of the stored file."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def seen_split(dataset: str, settings: TrainSettings = DEFAULT_SETTINGS) -> DatasetSplit:
    """The images a model trained with `settings` learns from and is measured on: the whole data set,
    or, with `settings.without_digit`, both splits without that digit."""
    data = load_dataset(dataset)
    return data if settings.without_digit is None else data.without_class(settings.without_digit)


def fit(
    *,
    dataset: str,
    model_config: ModelConfig,
    settings: TrainSettings = DEFAULT_SETTINGS,
    on_step: Callable[[StepReport], None] | None = None,
    on_epoch: Callable[[dict[str, float], LatentModel], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
    half_precision: bool = False,
    note: str = "",
    snapshots: bool = True,
    on_snapshot: Callable[[LiveCodes], None] | None = None,
) -> TrainedModel:
    """Train a fresh, seeded model and measure it on the validation split.

    The figures are those of clean validation images, whatever the training saw. A denoising
    autoencoder (`settings.corruption`) also records `denoise_recon`: its error against the clean
    validation images when given noisy copies of them, with the noise it was trained on (fixed, so
    that the figure reproduces; `corruption.denoising_error`).

    A model trained without a digit (`settings.without_digit`) never sees it, in training or in its
    figures: those are on the validation images of the other digits (`seen_split`), so they say how
    well it models what it learnt from; `unseen_recon` and `unseen_elbo` are its figures on the
    left-out digit's validation images, which it should reconstruct markedly worse.

    With `snapshots` (the default) the info also keeps the latent space forming: the codes of a
    fixed subset of the validation images and a small decoded grid, before training and after each
    epoch, thinned to a bound (`snapshots.SnapshotRecorder`; it changes nothing about the training).
    `on_snapshot` receives each epoch's codes in 2-D as they are captured, for a live view."""
    data = seen_split(dataset, settings)
    if tuple(model_config.image_shape) != data.image_shape:
        raise ValueError(f"the model expects {model_config.image_shape} images but '{dataset}' has {data.image_shape}")
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(settings.seed)  # the initial weights
    model = build_model(model_config)
    recorder = None
    if snapshots:
        latent_dim = model_config.latent_dim
        recorder = SnapshotRecorder.for_images(
            data.val_images, data.val_labels, data.class_names, latent_dim=latent_dim, on_capture=on_snapshot
        )
        recorder.capture(0, model)  # the random initial weights' codes: where the forming starts
    result = train_model(
        model,
        data.train_images,
        settings=settings,
        val_images=data.val_images,
        on_step=on_step,
        on_epoch=recording(recorder, on_epoch),
        stop=stop,
        device=device,
    )
    if half_precision:
        round_weights_to_half_(model)
    validation = evaluate(model, data.val_images)
    extra = (  # figures of what only some models learn: denoising, or leaving a digit out
        {"denoise_recon": denoising_error(model, data.val_images, settings.corruption, settings.corruption_level)}
        if settings.corruption is not None
        else {}
    )
    if settings.without_digit is not None:  # how the digit it never saw fares: the anomaly it should flag
        unseen = evaluate(model, load_dataset(dataset).images_of_class(settings.without_digit))
        extra |= {"unseen_recon": unseen.recon, "unseen_elbo": unseen.elbo}
    info = CheckpointInfo(
        config=model_config,
        dataset=dataset,
        image_shape=data.image_shape,
        train_settings=settings.to_dict(),
        history=result.history,
        metrics={
            **validation.summary(),
            **extra,
            "split": "validation",
            "epochs_completed": result.epochs_completed,
            "stopped_early": result.stopped,
        },
        train_seconds=result.seconds,
        note=note,
        snapshots=recorder.result() if recorder is not None else None,
    )
    return TrainedModel(model.cpu().eval(), info, result, validation)


def check_finite(trained: TrainedModel) -> None:
    """Raise TrainingDiverged unless the weights and the validation figures are finite numbers."""
    weights_ok = all(torch.isfinite(p).all() for p in trained.model.parameters())
    v = trained.validation
    figures = (v.recon, v.kl, v.recon_at_mean, v.elbo, v.elbo_at_mean)  # the ELBOs are None for an AE
    figures_ok = all(math.isfinite(x) for x in figures if x is not None)
    if not (weights_ok and figures_ok):
        raise TrainingDiverged(
            "training diverged: the weights or the validation figures are not finite numbers (NaN or "
            "infinity), so nothing was saved; try a lower learning rate"
        )


def save_trained(
    trained: TrainedModel, path: str | Path, *, overwrite: bool = False, half_precision: bool = False
) -> Path:
    """Save a trained model; a diverged one is refused (TrainingDiverged) and never written."""
    check_finite(trained)
    return save_checkpoint(path, trained.model, trained.info, overwrite=overwrite, half_precision=half_precision)


def unique_checkpoint_name(dataset: str, model_config: AnyConfig, *, prefix: str = "") -> str:
    """A file name that no shipped model and no other user's model can have."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    m = model_config
    net = [m.arch, f"{m.latent_dim}d"] if isinstance(m, (ModelConfig, GANConfig)) else []  # diffusion: one net
    stem = prefix + "-".join([dataset, m.kind, *net, stamp, uuid.uuid4().hex[:6]])
    return re.sub(r"[^A-Za-z0-9._-]", "_", stem) + ".pt"
