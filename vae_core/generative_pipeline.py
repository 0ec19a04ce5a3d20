"""Data → GAN, diffusion model, conditional VAE or classifier → training → figures → checkpoint: the recipe that
pretraining, the command line and the app's training jobs share for the models beside the AE/VAE.

A generative model's figures are measured with the shipped evaluator classifier (`evaluator.py`)
and stored in its checkpoint, as the AE/VAE store their validation ELBO.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .autoencoder_training import StopFlag
from .checkpoint import CheckpointInfo, load_checkpoint, save_checkpoint
from .comparison import measure
from .conditional import ConditionalConfig, ConditionalVAE, synthetic_digits, validation_elbo
from .data import load_dataset
from .diffusion import DiffusionConfig, FlowMatching
from .evaluator import ClassifierConfig, DigitClassifier, accuracy, features_and_classes
from .gan import GAN, GANConfig
from .generative import build
from .generative_training import (
    ClassifierSettings,
    ConditionalSettings,
    DiffusionSettings,
    GanSettings,
    GenerativeResult,
    GenerativeStep,
    Settings,
    train_classifier,
    train_conditional,
    train_diffusion,
    train_gan,
)
from .models import count_parameters, default_device
from .shipped import EVALUATOR_FILE

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"


@dataclass
class TrainedGenerative:
    model: torch.nn.Module
    info: CheckpointInfo
    result: GenerativeResult


def load_evaluator(path: str | Path | None = None) -> DigitClassifier:
    """The shipped evaluator, or the classifier in `path`."""
    path = path if path is not None else CHECKPOINT_DIR / EVALUATOR_FILE
    model, _ = load_checkpoint(path)
    if not isinstance(model, DigitClassifier):
        raise ValueError(f"{Path(path).name} is not a classifier")
    return model


def label_accuracy(model: ConditionalVAE, evaluator: DigitClassifier, *, per_class: int = 500, seed: int = 0) -> float:
    """The share of the conditional VAE's prior samples that the evaluator reads as the class they were asked for."""
    images, labels = synthetic_digits(model, per_class, seed=seed)
    _, read = features_and_classes(evaluator, images)
    return float((read == labels).mean())


def fit_generative(
    *,
    config: GANConfig | DiffusionConfig | ClassifierConfig | ConditionalConfig,
    settings: Settings,
    dataset: str = "mnist",
    evaluator: DigitClassifier | None = None,
    on_step: Callable[[GenerativeStep], None] | None = None,
    on_epoch: Callable[[dict[str, float], torch.nn.Module], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
    note: str = "",
) -> TrainedGenerative:
    """Build (seeded), train and measure one model; nothing is written (see `save_generative`)."""
    data = load_dataset(dataset)
    if tuple(config.image_shape) != data.image_shape:
        raise ValueError(f"the model takes {config.image_shape} images, but {dataset}'s are {data.image_shape}")
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(settings.seed)  # the initial weights
    model = build(config)
    start = time.perf_counter()
    if isinstance(model, GAN) and isinstance(settings, GanSettings):
        result = train_gan(
            model, data.train_images, settings=settings, on_step=on_step, on_epoch=on_epoch, stop=stop, device=device
        )
    elif isinstance(model, FlowMatching) and isinstance(settings, DiffusionSettings):
        result = train_diffusion(
            model, data.train_images, settings=settings, on_step=on_step, on_epoch=on_epoch, stop=stop, device=device
        )
    elif isinstance(model, DigitClassifier) and isinstance(settings, ClassifierSettings):
        result = train_classifier(
            model, data.train_images, data.train_labels, settings=settings, on_step=on_step, stop=stop, device=device
        )
    elif isinstance(model, ConditionalVAE) and isinstance(settings, ConditionalSettings):
        result = train_conditional(
            model, data.train_images, data.train_labels, settings=settings, on_step=on_step, stop=stop, device=device
        )
    else:
        raise ValueError(f"{type(settings).__name__} do not train a {config.kind}")
    model.to("cpu").eval()
    metrics: dict[str, Any] = {"epochs_completed": result.epochs_completed, "parameters": count_parameters(model)}
    if isinstance(model, DigitClassifier):
        metrics["val_accuracy"] = accuracy(model, data.val_images, data.val_labels.numpy())
    elif isinstance(model, ConditionalVAE):
        metrics["val_elbo"] = validation_elbo(model, data.val_images, data.val_labels)
        if evaluator is not None:
            metrics["label_accuracy"] = label_accuracy(model, evaluator)
    elif evaluator is not None and result.steps > 0:
        metrics |= measure(model, evaluator, data)
    info = CheckpointInfo(
        config=config,
        dataset=dataset,
        image_shape=data.image_shape,
        train_settings=settings.to_dict(),
        history=result.history,
        metrics=metrics,
        train_seconds=time.perf_counter() - start,
        note=note,
    )
    return TrainedGenerative(model, info, result)


def save_generative(trained: TrainedGenerative, path: str | Path, *, overwrite: bool = False) -> Path:
    """float16 weights, as every shipped model (loading restores float32)."""
    return save_checkpoint(path, trained.model, trained.info, overwrite=overwrite, half_precision=True)
