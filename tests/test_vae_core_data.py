"""The choice of images a page shows side by side: one per class, the same for a seed, checked by hand."""

import numpy as np
import pytest

from vae_core.data import one_image_per_class

LABELS = np.array([3, 1, 1, 0, 3, 2, 0, 2, 1, 3])  # classes 0 to 3, first seen at 3, 1, 5, 0


def test_seed_0_takes_the_first_image_of_the_first_classes() -> None:
    assert one_image_per_class(LABELS, 3, seed=0) == [3, 1, 5]  # the first 0, the first 1, the first 2
    assert one_image_per_class(LABELS, 10, seed=0) == [3, 1, 5, 0]  # only four classes: four images


@pytest.mark.parametrize("seed", [1, 7, 123])
def test_other_seeds_draw_different_classes_in_their_order(seed: int) -> None:
    picked = one_image_per_class(LABELS, 3, seed=seed)
    classes = LABELS[picked].tolist()
    assert len(picked) == 3 and classes == sorted(set(classes))  # three classes, each once, in order
    assert picked == one_image_per_class(LABELS, 3, seed=seed)  # the same images for the same seed
    assert sorted(LABELS[one_image_per_class(LABELS, 10, seed=seed)].tolist()) == [0, 1, 2, 3]
    assert all(isinstance(i, int) for i in picked)


def test_seeds_reach_other_images_than_the_first(digits) -> None:
    labels = digits.val_labels.numpy()
    drawn = {tuple(one_image_per_class(labels, 8, seed=seed)) for seed in range(1, 6)}
    assert len(drawn) == 5 and tuple(one_image_per_class(labels, 8, seed=0)) not in drawn
    for picked in drawn:
        assert len(set(labels[list(picked)].tolist())) == 8
