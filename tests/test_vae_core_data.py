"""The choice of images a page shows side by side: one per class, the same for a seed, checked by hand."""

import numpy as np
import pytest
import torch

from vae_core.data import load_dataset, one_image_per_class

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


def test_an_imported_set_is_kept_once_and_loads_as_a_data_set_of_its_own() -> None:
    from vae_core.autoencoder_pipeline import recipe_for  # noqa: PLC0415
    from vae_core.data import dataset_info, imported_title, imports_dir, is_imported, keep_imported  # noqa: PLC0415
    from vae_core.image_import import ImportedImages  # noqa: PLC0415

    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (50, 28, 28)).astype(np.uint8)
    imported = ImportedImages(images, np.arange(50) % 2, ("cat", "dog"), "npz", {(28, 28): 50}, False, False)
    name = keep_imported(imported, "pets")
    assert is_imported(name) and keep_imported(imported, "pets again") == name  # same images, same name
    assert len(list(imports_dir().glob(f"{name.removeprefix('imported-')}.*"))) == 2  # the images and their title
    assert imported_title(name) == "pets"
    info = dataset_info(name)
    assert info.offline and info.image_shape == (1, 28, 28) and info.size == 50
    split = load_dataset(name)
    assert split.class_names == ("cat", "dog") and len(split.train_images) + len(split.val_images) == 50
    assert float(split.train_images.max()) <= 1.0 and split.train_images.dtype == torch.float32
    assert recipe_for(name).epochs == 200  # 45 images: 1 step an epoch, as many epochs as allowed
    with pytest.raises(ValueError, match="unknown data set"):
        dataset_info("imported-not-a-digest")
