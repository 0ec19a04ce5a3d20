"""The conditional VAE: its config's checks, its loss against torch.distributions, the label steering the
decoder, training on the 8×8 digits, a checkpoint round trip, and the Synthetic-data page's figures on
the shipped model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch.distributions import Bernoulli, Normal, kl_divergence

from vae_core import load_checkpoint, load_dataset
from vae_core.conditional import (
    ConditionalConfig,
    ConditionalVAE,
    conditional_loss,
    decode_styles,
    every_digit_in,
    random_styles,
    style_of,
    synthetic_digits,
)
from vae_core.evaluator import features_and_classes
from vae_core.generative_pipeline import fit_generative, label_accuracy, load_evaluator, save_generative
from vae_core.generative_training import ConditionalSettings
from vae_core.shipped import CONDITIONAL_FILE

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"
SMALL = ConditionalConfig(image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(32,))


def small_model(seed: int = 0) -> ConditionalVAE:
    torch.manual_seed(seed)
    return ConditionalVAE(SMALL)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "vae"}, "kind must be 'cvae'"),
        ({"latent_dim": 0}, "latent size must be between 1 and 64"),
        ({"n_classes": 1}, "number of classes must be between 2 and 100"),
        ({"hidden_dims": ()}, "hidden widths must be 1 to 4 layers"),
        ({"hidden_dims": (10_000,)}, "hidden widths must be 1 to 4 layers of 1 to 4096"),
        ({"image_shape": (2, 28, 28)}, "1 or 3 channels"),
    ],
)
def test_a_bad_config_is_refused_with_a_message_that_names_it(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConditionalConfig(**{**SMALL.to_dict(), **changes})


def test_the_loss_is_the_negative_elbo_given_the_label_as_torch_distributions_computes_it() -> None:
    model = small_model()
    x = (torch.rand(6, 1, 8, 8) > 0.5).float()
    y = torch.arange(6) % 10
    torch.manual_seed(1)
    terms = conditional_loss(model, x, y)
    torch.manual_seed(1)  # the same ε
    mu, logvar = model.encode(x, y)
    z = model.reparameterize(mu, logvar)
    recon = -Bernoulli(logits=model.decode(z, y)).log_prob(x).flatten(1).sum(1).mean()
    kl = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum(1).mean()
    assert torch.allclose(terms.recon, recon, atol=1e-4)
    assert torch.allclose(terms.kl, kl, atol=1e-5)
    assert torch.allclose(terms.total, recon + kl, atol=1e-4)


def test_the_label_steers_the_decoder_and_every_digit_in_keeps_styles_by_row_and_labels_by_column() -> None:
    model = small_model()
    styles = random_styles(model, 3, seed=4)
    grid = every_digit_in(model, styles)  # (3, 10, 1, 8, 8)
    assert grid.shape == (3, 10, 1, 8, 8)
    assert np.allclose(grid[2, 7], decode_styles(model, styles[2:3], [7])[0])
    assert not np.allclose(grid[0, 0], grid[0, 1])  # one style, two labels: two images
    assert np.array_equal(random_styles(model, 3, seed=4), styles)
    with pytest.raises(ValueError, match="labels must be from 0 to 9, not \\[10\\]"):
        decode_styles(model, styles[:1], [10])
    with pytest.raises(ValueError, match=r"codes must be \(N, 2\) for N labels"):
        decode_styles(model, styles, [1])


def test_a_small_conditional_vae_trains_on_the_8x8_digits_and_survives_its_checkpoint(tmp_path: Path) -> None:
    trained = fit_generative(
        config=SMALL, settings=ConditionalSettings(epochs=6, batch_size=64), dataset="digits", device="cpu"
    )
    metrics, epochs = trained.info.metrics, trained.result.history
    assert epochs[-1]["loss"] < epochs[0]["loss"]
    assert metrics["val_elbo"] < 0 and "label_accuracy" not in metrics  # no evaluator given
    path = save_generative(trained, tmp_path / "cvae.pt")
    model, info = load_checkpoint(path)
    assert isinstance(model, ConditionalVAE) and info.config == SMALL
    styles = random_styles(model, 4, seed=0)
    # float16 on disk: the reloaded decoder agrees with the trained one to well under a grey level
    labels = [1, 2, 3, 4]
    assert np.abs(decode_styles(model, styles, labels) - decode_styles(trained.model, styles, labels)).max() < 0.02


def test_the_synthetic_set_has_its_labels_in_order() -> None:
    images, labels = synthetic_digits(small_model(), 3, seed=0)
    assert images.shape == (30, 1, 8, 8) and labels.tolist() == [c for c in range(10) for _ in range(3)]
    assert images.min() >= 0 and images.max() <= 1


# --- the shipped model: what the page and the README say --------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple[ConditionalVAE, dict]:
    model, info = load_checkpoint(CHECKPOINTS / CONDITIONAL_FILE)
    return model, info.metrics


def test_the_recorded_share_of_samples_read_as_their_label_is_the_models_own(shipped) -> None:
    model, metrics = shipped
    measured = label_accuracy(model, load_evaluator())
    assert metrics["label_accuracy"] == pytest.approx(measured, abs=0.005)
    assert measured >= 0.88  # README: the evaluator reads 90 % of 5,000 samples as the digit asked for
    assert metrics["val_elbo"] == pytest.approx(-111.1, abs=0.5)  # README


def test_a_validation_digits_handwriting_is_written_as_every_digit(shipped) -> None:
    model, _ = shipped
    data = load_dataset("mnist")
    x, y = data.val_images[:100].numpy(), data.val_labels[:100].numpy()
    rows = every_digit_in(model, style_of(model, x, y))  # (100, 10, 1, 28, 28)
    _, read = features_and_classes(load_evaluator(), rows.reshape(-1, 1, 28, 28))
    assert np.mean(read == np.tile(np.arange(10), 100)) >= 0.88  # README: 92 % of 200 digits' rows
    own = rows[np.arange(100), y]  # each digit decoded with its own label: its reconstruction
    assert np.abs(own - x).mean() < 0.06
