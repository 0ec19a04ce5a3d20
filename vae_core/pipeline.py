"""Data → model → training → validation → checkpoint: the one recipe the CLI, the pretraining
script and the app's training jobs share."""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .checkpoint import CheckpointInfo, save_checkpoint
from .corruption import denoising_error
from .data import load_dataset
from .evaluation import Evaluation, evaluate
from .models import LatentModel, ModelConfig, build_model, default_device
from .training import DEFAULT_SETTINGS, StepReport, StopFlag, TrainResult, TrainSettings, train_model


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
#     ELBO −149.4, KL 6.1, 2 active, in about 8 s; the shipped pair −150.7 after 100 epochs. The old
#     10 epochs at batch 128 and peak 3·10⁻³: −166.5 (KL 4.7), worse than the plain recipe.
RECIPES: dict[str, DatasetRecipe] = {
    "mnist": DatasetRecipe(hidden_dims=(256, 128), epochs=20, batch_size=64, lr=1e-2),
    "digits": DatasetRecipe(hidden_dims=(128, 64), epochs=150, batch_size=128, lr=3e-3),
}
# The 70,000-image downloads (not measured here: they need a download): 10 epochs are thousands of steps.
LARGE_DATASET_RECIPE = DatasetRecipe(hidden_dims=(512, 256), epochs=10, batch_size=128, lr=3e-3)


def recipe_for(dataset: str) -> DatasetRecipe:
    """The Train page's starting settings for `dataset`."""
    return RECIPES.get(dataset, LARGE_DATASET_RECIPE)


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
) -> TrainedModel:
    """Train a fresh, seeded model and measure it on the validation split.

    The figures are those of clean validation images, whatever the training saw. A denoising
    autoencoder (`settings.corruption`) also records `denoise_recon`: its error against the clean
    validation images when given noisy copies of them, with the noise it was trained on (fixed, so
    that the figure reproduces; `corruption.denoising_error`)."""
    data = load_dataset(dataset)
    if tuple(model_config.image_shape) != data.image_shape:
        raise ValueError(f"the model expects {model_config.image_shape} images but '{dataset}' has {data.image_shape}")
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(settings.seed)  # the initial weights
    model = build_model(model_config)
    result = train_model(
        model,
        data.train_images,
        settings=settings,
        val_images=data.val_images,
        on_step=on_step,
        on_epoch=on_epoch,
        stop=stop,
        device=device,
    )
    if half_precision:
        round_weights_to_half_(model)
    validation = evaluate(model, data.val_images)
    denoising = (
        {"denoise_recon": denoising_error(model, data.val_images, settings.corruption, settings.corruption_level)}
        if settings.corruption is not None
        else {}
    )
    info = CheckpointInfo(
        config=model_config,
        dataset=dataset,
        image_shape=data.image_shape,
        train_settings=settings.to_dict(),
        history=result.history,
        metrics={
            **validation.summary(),
            **denoising,
            "split": "validation",
            "epochs_completed": result.epochs_completed,
            "stopped_early": result.stopped,
        },
        train_seconds=result.seconds,
        note=note,
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


def unique_checkpoint_name(dataset: str, model_config: ModelConfig, *, prefix: str = "") -> str:
    """A file name that no shipped model and no other user's model can have."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    m = model_config
    stem = f"{prefix}{dataset}-{m.kind}-{m.arch}-{m.latent_dim}d-{stamp}-{uuid.uuid4().hex[:6]}"
    return re.sub(r"[^A-Za-z0-9._-]", "_", stem) + ".pt"
