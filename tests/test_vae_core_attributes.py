"""Style attributes measured from image moments, against hand-made shapes with a known answer, and the
Style page's claim on the shipped VAE: moving along a direction raises its attribute."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vae_core import decode, encode, load_checkpoint, load_dataset
from vae_core.attributes import (
    ATTRIBUTES,
    along,
    analogy,
    attribute_direction,
    class_means,
    ink,
    measure,
    slant,
    slope,
    width,
)
from vae_core.shipped import IMPUTATION_PAIR

CHECKPOINTS = Path(__file__).resolve().parent.parent / "checkpoints"


def sheared_bar(bar: int, shift_per_row: int, size: int = 28) -> np.ndarray:
    """(1, 1, size, size): a bar `bar` pixels wide from row 4 to row 23, each row upwards moved right
    by `shift_per_row` pixels (row 23 is the lowest; its bar starts at column 4)."""
    image = np.zeros((1, 1, size, size), dtype=np.float32)
    for row in range(4, 24):
        start = 4 + (23 - row) * shift_per_row // 4  # shift_per_row quarter pixels: whole steps below
        image[0, 0, row, start : start + bar] = 1.0
    return image


def test_a_line_leaning_right_by_one_column_in_four_rows_has_slant_a_quarter() -> None:
    lines = np.zeros((2, 1, 28, 28), dtype=np.float32)
    for k, row in enumerate(range(24, 0, -1)):  # upwards from row 24: one column right every 4 rows
        lines[0, 0, row, 10 + k // 4] = 1.0
        lines[1, 0, row, 20 - k // 4] = 1.0  # leaning left
    assert slant(lines) == pytest.approx([0.25, -0.25], abs=0.01)


def test_an_upright_bar_measures_its_width_and_no_slant() -> None:
    for bar in (1, 3, 6):
        image = sheared_bar(bar, 0)
        assert slant(image)[0] == pytest.approx(0.0, abs=1e-6)
        assert width(image)[0] == pytest.approx(np.sqrt(bar**2 - 1), abs=1e-4)  # √12·σ of w discrete columns


def test_leaning_over_does_not_count_as_widening() -> None:
    upright, leaning = sheared_bar(4, 0), sheared_bar(4, 4)  # one column per row
    assert slant(leaning)[0] == pytest.approx(1.0, abs=1e-6)
    assert width(leaning)[0] == pytest.approx(width(upright)[0], abs=1e-4)


def test_ink_is_the_mean_grey_and_a_blank_image_measures_zero() -> None:
    images = np.zeros((2, 1, 4, 4), dtype=np.float32)
    images[0, 0, :2] = 0.5
    assert ink(images) == pytest.approx([0.25, 0.0])
    assert slant(images)[1] == 0.0 and width(images)[1] == 0.0
    with pytest.raises(ValueError, match="attribute must be"):
        measure(images, "beauty")


def test_a_direction_compares_the_extremes_within_each_class_and_cancels_the_classes() -> None:
    """Codes = value·e0 + a class offset on e1: the direction is e0 times the gap between the top and
    bottom fifth of the values, and the offsets, met in every class alike, cancel."""
    rng = np.random.default_rng(0)
    values = rng.random(200)
    labels = np.repeat([0, 1], 100)
    codes = np.stack([values, 5.0 * labels, np.zeros(200)], axis=1)
    direction = attribute_direction(codes, values, labels)
    expected = np.mean(
        [np.sort(values[labels == c])[-20:].mean() - np.sort(values[labels == c])[:20].mean() for c in (0, 1)]
    )
    assert direction == pytest.approx([expected, 0.0, 0.0], abs=1e-6)
    with pytest.raises(ValueError, match="too few"):
        attribute_direction(codes[:3], values[:3], labels[:3])


def test_along_and_analogy_add_what_they_say() -> None:
    code, direction = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    assert along(code, direction, np.array([-2.0, 0.0, 1.0])) == pytest.approx(
        np.array([[0.0, 4.0], [1.0, 2.0], [1.5, 1.0]])
    )
    assert analogy(np.array([3.0]), np.array([1.0]), np.array([7.0])) == pytest.approx([9.0])
    means = class_means(np.array([[1.0], [3.0], [10.0]]), np.array([0, 0, 2]), 3)
    assert means[0, 0] == 2.0 and np.isnan(means[1, 0]) and means[2, 0] == 10.0


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_moving_along_a_direction_of_the_shipped_vae_raises_its_attribute(attribute: str) -> None:
    path = CHECKPOINTS / IMPUTATION_PAIR["vae"]
    if not path.exists():
        pytest.skip("the shipped VAE is not built")
    model = load_checkpoint(path)[0]
    data = load_dataset("mnist")
    images = data.train_images.numpy()
    direction = attribute_direction(encode(model, images).mu, measure(images, attribute), data.train_labels.numpy())
    alphas = np.linspace(-1.0, 1.0, 5)
    slopes = [
        slope(alphas, measure(decode(model, along(code, direction, alphas)), attribute))
        for code in encode(model, data.val_images[:50]).mu
    ]
    assert np.mean(np.array(slopes) > 0) >= 0.95, slopes
