"""Noise for the denoising demonstration and for training a denoising autoencoder: seeded, clipped to
[0, 1], the square hides what it says, and the torch version for training batches is the same noise."""

import numpy as np
import pytest
import torch

from vae_core import NOISE_KINDS, corrupt, evaluate
from vae_core.corruption import corrupt_batch, denoising_error, square_side


@pytest.fixture
def images(digits):
    return digits.val_images[:32].numpy()  # (32, 1, 8, 8)


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_the_same_seed_gives_the_same_noise(images, kind):
    first = corrupt(images, kind, 0.4, seed=3)
    assert np.array_equal(first, corrupt(images, kind, 0.4, seed=3))
    assert not np.array_equal(first, corrupt(images, kind, 0.4, seed=4))
    assert first.shape == images.shape and first.dtype == np.float32


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_noisy_images_stay_in_unit_range_and_the_originals_untouched(images, kind):
    before = images.copy()
    noisy = corrupt(images, kind, 1.0)
    assert 0 <= noisy.min() and noisy.max() <= 1
    assert np.array_equal(images, before)


def test_gaussian_noise_has_the_level_as_its_standard_deviation():
    grey = np.full((64, 1, 28, 28), 0.5, dtype=np.float32)  # far from the clipping bounds at σ = 0.1
    noise = corrupt(grey, "gaussian", 0.1) - grey
    assert abs(noise.mean()) < 0.002 and noise.std() == pytest.approx(0.1, rel=0.02)


def test_salt_and_pepper_sets_a_fraction_level_of_pixels_to_0_or_1():
    grey = np.full((64, 1, 28, 28), 0.5, dtype=np.float32)
    noisy = corrupt(grey, "salt_pepper", 0.3)
    hit = noisy != 0.5
    assert hit.mean() == pytest.approx(0.3, abs=0.01)
    assert set(np.unique(noisy[hit]).tolist()) == {0.0, 1.0}


@pytest.mark.parametrize("level", [0.1, 0.25, 0.5])
def test_the_square_covers_about_level_of_each_image(level):
    white = np.ones((16, 1, 28, 28), dtype=np.float32)
    noisy = corrupt(white, "square", level, seed=1)
    covered = (noisy == 0).mean(axis=(1, 2, 3))  # (16,) per image
    assert np.allclose(covered, level, atol=0.05), covered
    for image in noisy[:, 0]:  # one solid square: its rows and columns are contiguous
        rows, cols = np.flatnonzero((image == 0).any(axis=1)), np.flatnonzero((image == 0).any(axis=0))
        assert (image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] == 0).all()


def test_bad_kind_or_level_is_refused(images):
    with pytest.raises(ValueError, match="gaussian, salt_pepper, square"):
        corrupt(images, "blur", 0.5)
    for level in (-0.1, 1.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="between 0 and 1"):
            corrupt(images, "gaussian", level)


# --- corrupt_batch: the same noise in torch, for training minibatches --------------------------------


def _both(images: np.ndarray, kind: str, level: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The numpy and the torch noise of the same images, both as numpy."""
    generator = torch.Generator().manual_seed(seed)
    batch = corrupt_batch(torch.from_numpy(images), kind, level, generator=generator)
    return corrupt(images, kind, level, seed=seed), batch.numpy()


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_the_torch_noise_is_seeded_clipped_and_leaves_the_batch_clean(images, kind):
    x = torch.from_numpy(images)
    before = x.clone()
    first = corrupt_batch(x, kind, 0.4, generator=torch.Generator().manual_seed(3))
    assert torch.equal(first, corrupt_batch(x, kind, 0.4, generator=torch.Generator().manual_seed(3)))
    assert not torch.equal(first, corrupt_batch(x, kind, 0.4, generator=torch.Generator().manual_seed(4)))
    assert first.shape == x.shape and first.dtype == x.dtype and 0 <= first.min() and first.max() <= 1
    assert torch.equal(x, before)


@pytest.mark.parametrize(
    "kind, level, expected",
    [
        ("gaussian", 0.0, "clean"),  # σ = 0: the images as they were
        ("salt_pepper", 0.0, "clean"),  # no pixel hit
        ("salt_pepper", 1.0, "binary"),  # every pixel 0 or 1
        ("square", 1.0, "black"),  # the square is the whole image
    ],
)
def test_numpy_and_torch_agree_exactly_where_the_noise_is_certain(images, kind, level, expected):
    numpy_noisy, torch_noisy = _both(images, kind, level)
    if expected == "clean":
        assert np.array_equal(numpy_noisy, images) and np.array_equal(torch_noisy, images)
    elif expected == "binary":
        assert set(np.unique(numpy_noisy)) == set(np.unique(torch_noisy)) == {0.0, 1.0}
    else:
        assert not numpy_noisy.any() and not torch_noisy.any()


def test_numpy_and_torch_gaussian_noise_have_the_same_distribution():
    grey = np.full((64, 1, 28, 28), 0.5, dtype=np.float32)  # far from the clipping bounds at σ = 0.1
    for noisy in _both(grey, "gaussian", 0.1):
        noise = noisy - grey
        assert abs(noise.mean()) < 0.002 and noise.std() == pytest.approx(0.1, rel=0.02)


def test_numpy_and_torch_salt_and_pepper_hit_the_same_fraction_with_the_same_values():
    grey = np.full((64, 1, 28, 28), 0.5, dtype=np.float32)
    for noisy in _both(grey, "salt_pepper", 0.3):
        hit = noisy != 0.5
        assert hit.mean() == pytest.approx(0.3, abs=0.01)
        assert set(np.unique(noisy[hit]).tolist()) == {0.0, 1.0}
        assert (noisy[hit] == 1).mean() == pytest.approx(0.5, abs=0.02)  # salt as often as pepper


@pytest.mark.parametrize("level", [0.0, 0.1, 0.25, 0.5, 0.9])
def test_numpy_and_torch_squares_have_the_same_size_and_the_same_places(level):
    white = np.ones((400, 2, 8, 8), dtype=np.float32)  # two channels: the square hides both
    side_h, side_w = square_side(8, 8, level)
    places = []
    for noisy in _both(white, "square", level, seed=5):
        hidden = noisy == 0
        assert (hidden.sum(axis=(1, 2, 3)) == 2 * side_h * side_w).all()
        assert (hidden[:, 0] == hidden[:, 1]).all()
        tops = hidden[:, 0].any(axis=2).argmax(axis=1)  # (N,) first hidden row
        lefts = hidden[:, 0].any(axis=1).argmax(axis=1)
        places.append((set(tops.tolist()), set(lefts.tolist())))
    every = set(range(8 - side_h + 1)), set(range(8 - side_w + 1))  # anywhere the square fits, for both
    assert places[0] == places[1] == every


def test_the_torch_noise_refuses_what_the_numpy_noise_refuses(images):
    x = torch.from_numpy(images)
    with pytest.raises(ValueError, match="gaussian, salt_pepper, square"):
        corrupt_batch(x, "blur", 0.5)
    for level in (-0.1, 1.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="between 0 and 1"):
            corrupt_batch(x, "gaussian", level)


def test_the_denoising_error_scores_the_reconstruction_of_noisy_images_against_the_clean_ones(digits, make_model):
    model = make_model("ae", latent_dim=4)
    clean = digits.val_images
    # Without noise it is the plain reconstruction error; with noise it is worse for an untrained model.
    assert denoising_error(model, clean, "gaussian", 0.0) == pytest.approx(evaluate(model, clean).recon, rel=1e-6)
    noisy = denoising_error(model, clean, "square", 0.5)
    assert noisy == denoising_error(model, clean.numpy(), "square", 0.5)  # fixed noise: it reproduces
    vae = make_model("vae", latent_dim=4)
    assert denoising_error(vae, clean, "gaussian", 0.0) == pytest.approx(evaluate(vae, clean).recon_at_mean, rel=1e-6)
