"""The augmentation experiment: its settings' checks, the real digits it draws, a seeded run that repeats,
and, on the shipped conditional VAE, what the README and the page say: synthetic digits help a
classifier that has 5 real digits per class, and stop helping by 100."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from vae_core import load_dataset
from vae_core.augmentation import (
    CONDITIONS,
    ExperimentSettings,
    augmentation_experiment,
    experiment_from_file,
    real_subset,
)
from vae_core.conditional import ConditionalConfig, ConditionalVAE
from vae_core.shipped import CONDITIONAL_FILE, EVALUATOR_FILE

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"real_per_class": ()}, "real images per class must be from 1 to 400"),
        ({"real_per_class": (5, 401)}, "real images per class must be from 1 to 400"),
        ({"synthetic_per_class": 0}, "synthetic images per class must be from 1 to 2000"),
        ({"runs": 21}, "the number of runs must be from 1 to 20"),
        ({"steps": 5}, "training steps must be from 10 to 5000"),
    ],
)
def test_bad_settings_are_refused_with_a_message(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ExperimentSettings(**changes)


def test_the_real_subset_takes_k_distinct_digits_of_every_class() -> None:
    labels = load_dataset("mnist").train_labels
    idx = real_subset(labels, 7, seed=3)
    assert len(set(idx.tolist())) == 70
    assert np.bincount(labels[idx].numpy(), minlength=10).tolist() == [7] * 10
    assert torch.equal(idx, real_subset(labels, 7, seed=3)) and not torch.equal(idx, real_subset(labels, 7, seed=4))


def test_a_seeded_experiment_repeats_and_reports_every_classifier() -> None:
    data = load_dataset("digits")
    torch.manual_seed(0)
    generator = ConditionalVAE(ConditionalConfig(image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(16,)))
    settings = ExperimentSettings(real_per_class=(2, 5), synthetic_per_class=5, runs=2, steps=20)
    seen: list[tuple[int, int]] = []
    first = augmentation_experiment(generator, data, settings, on_progress=lambda d, n: seen.append((d, n)))
    again = augmentation_experiment(generator, data, settings)
    total = 2 * (2 * len(CONDITIONS) + 1)
    assert seen == [(i, total) for i in range(1, total + 1)]
    assert first.accuracy == again.accuracy and first.synthetic_only == again.synthetic_only
    assert np.asarray(first.accuracy["real"]).shape == (2, 2)
    assert first.mean("real").shape == (2,) and (first.spread("real") >= 0).all()
    with pytest.raises(ValueError, match="only .* training images of its rarest class"):
        augmentation_experiment(generator, data, ExperimentSettings(real_per_class=(400,), runs=1, steps=10))


def test_only_a_conditional_vae_runs_the_experiment() -> None:
    with pytest.raises(ValueError, match="holds a classifier, not a conditional VAE"):
        experiment_from_file(str(CHECKPOINTS / EVALUATOR_FILE), ExperimentSettings(runs=1))


def test_synthetic_digits_help_with_five_real_digits_per_class_and_stop_helping_by_a_hundred() -> None:
    """README, "Labelled synthetic digits": +19 points at k = 5, under a point at k = 100 (3 runs)."""
    settings = ExperimentSettings(real_per_class=(5, 100), runs=3)
    result = experiment_from_file(str(CHECKPOINTS / CONDITIONAL_FILE), settings)
    gain = result.mean("real_and_synthetic") - result.mean("real")
    assert gain[0] > 0.12, gain
    assert abs(gain[1]) < 0.02, gain
