"""Noise for the denoising demonstration: seeded, clipped to [0, 1], and the square hides what it says."""

import numpy as np
import pytest

from vae_core import NOISE_KINDS, corrupt


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
