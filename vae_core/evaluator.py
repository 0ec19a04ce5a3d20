"""The evaluator: a small CNN digit classifier, and the sample-quality figures measured with it.

FID (Heusel et al. 2017) measures generated images in the features of an ImageNet network; for
28×28 digits a classifier trained on the digits themselves is the usual stand-in. Its penultimate
layer gives the features of the Fréchet distance ("FD") and of k-NN precision and recall
(Kynkäänniemi et al. 2019); its predictions give the class shares, where mode collapse shows as
classes missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import torch
from scipy import linalg
from torch import nn
from torch.nn import functional as F

from .checks import shown, whole_number, whole_numbers

FEATURE_BATCH = 500


@dataclass(frozen=True)
class ClassifierConfig:
    """Everything needed to rebuild the classifier; stored inside its checkpoint."""

    kind: Literal["classifier"] = "classifier"
    image_shape: tuple[int, int, int] = (1, 28, 28)  # (C, H, W); sides divisible by 4
    channels: tuple[int, int] = (32, 64)  # two conv stages, each two 3×3 convolutions and a 2×2 max-pool
    feature_dim: int = 128  # the penultimate layer: the features of FD and precision/recall
    n_classes: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "image_shape", whole_numbers(self.image_shape, "image shape"))
        object.__setattr__(self, "channels", whole_numbers(self.channels, "classifier channels"))
        object.__setattr__(self, "feature_dim", whole_number(self.feature_dim, "feature width"))
        object.__setattr__(self, "n_classes", whole_number(self.n_classes, "number of classes"))
        if self.kind != "classifier":
            raise ValueError(f"a classifier config's kind must be 'classifier', not {shown(self.kind)}")
        if len(self.image_shape) != 3 or self.image_shape[0] not in (1, 3):
            raise ValueError(f"image shape must be (1 or 3 channels, height, width), not {shown(self.image_shape)}")
        _, h, w = self.image_shape
        if not (4 <= h <= 64 and 4 <= w <= 64) or h % 4 or w % 4:
            raise ValueError(f"image sides must be multiples of 4 from 4 to 64, not {h}×{w}")
        if len(self.channels) != 2 or not all(1 <= c <= 256 for c in self.channels):
            raise ValueError(f"classifier channels must be two widths from 1 to 256, not {self.channels}")
        if not 2 <= self.feature_dim <= 1024:
            raise ValueError(f"feature width must be between 2 and 1024, not {shown(self.feature_dim)}")
        if not 2 <= self.n_classes <= 100:
            raise ValueError(f"number of classes must be between 2 and 100, not {shown(self.n_classes)}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class DigitClassifier(nn.Module):
    kind = "classifier"

    def __init__(self, config: ClassifierConfig):
        super().__init__()
        self.config = config
        c, h, w = config.image_shape
        c1, c2 = config.channels
        self.body = nn.Sequential(
            nn.Conv2d(c, c1, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(c1, c1, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c1, H/2, W/2)
            nn.Conv2d(c1, c2, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(c2, c2, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c2, H/4, W/4)
            nn.Flatten(),
            nn.Linear(c2 * (h // 4) * (w // 4), config.feature_dim),
            nn.ReLU(),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(config.feature_dim, config.n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)  # (B, feature_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.features(x)))  # (B, n_classes) logits


def _batches(classifier: DigitClassifier, images: np.ndarray | torch.Tensor) -> Iterator[torch.Tensor]:
    """Images in [0, 1] ((N, H, W) or (N, C, H, W)) in batches on the classifier's device, with the
    classifier in eval mode meanwhile (no dropout) and as it was after."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    if x.dim() == 3:
        x = x[:, None]
    device = next(classifier.parameters()).device
    was_training = classifier.training
    classifier.eval()
    try:
        for i in range(0, len(x), FEATURE_BATCH):
            yield x[i : i + FEATURE_BATCH].to(device)
    finally:
        classifier.train(was_training)


@torch.no_grad()
def features_and_classes(
    classifier: DigitClassifier, images: np.ndarray | torch.Tensor
) -> tuple[np.ndarray, np.ndarray]:
    """Penultimate features (N, feature_dim) as float64 and predicted classes (N,) of images in [0, 1]
    ((N, H, W) or (N, C, H, W))."""
    feats, classes = [], []
    for batch in _batches(classifier, images):
        f = classifier.features(batch)
        feats.append(f.double().cpu())
        classes.append(classifier.head(f).argmax(1).cpu())
    return torch.cat(feats).numpy(), torch.cat(classes).numpy()


@torch.no_grad()
def readings(classifier: DigitClassifier, images: np.ndarray, *, sure: float = 0.5) -> np.ndarray:
    """(N,) the digit the classifier reads in each image, or -1 where its top probability is below
    `sure`: a guess said to a screen reader should not pretend to know a blur between two digits."""
    probs = torch.cat([classifier(batch).softmax(1).cpu() for batch in _batches(classifier, images)])
    top, digit = probs.max(1)  # (N,) each
    return torch.where(top >= sure, digit, torch.full_like(digit, -1)).numpy()


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa Σb)^½) between Gaussians fitted to two sets of features (N, D):
    the formula of FID (Heusel et al. 2017), here in the evaluator's features."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = linalg.sqrtm(cov_a @ cov_b)  # no `disp`: deprecated in SciPy 1.16, removed in 1.18
    if not np.isfinite(root).all():  # a singular product: nudge both as pytorch-fid does
        eps = np.eye(len(cov_a)) * 1e-6
        root = linalg.sqrtm((cov_a + eps) @ (cov_b + eps))
    root = root.real  # imaginary parts are numerical noise
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(root))


def class_shares(classes: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """The share (n_classes,) of the samples the evaluator puts in each class; sums to 1."""
    counts = np.bincount(np.asarray(classes, dtype=np.int64), minlength=n_classes)[:n_classes]
    return counts / max(counts.sum(), 1)


def _pairwise(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sq = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(sq, 0))


def _kth_neighbour_radius(x: np.ndarray, k: int) -> np.ndarray:
    d = _pairwise(x, x)
    return np.sort(d, axis=1)[:, k]  # column 0 is the point itself


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019): precision is the share of generated
    features inside the real manifold (the union of balls reaching each real feature's k-th nearest
    real neighbour), recall the share of real features inside the generated manifold. Precision
    says "the samples look real", recall "every kind of real digit is generated"."""
    real_radius = _kth_neighbour_radius(real, k)
    fake_radius = _kth_neighbour_radius(fake, k)
    precision = (_pairwise(fake, real) <= real_radius[None, :]).any(1).mean()
    recall = (_pairwise(real, fake) <= fake_radius[None, :]).any(1).mean()
    return float(precision), float(recall)


def nearest_distances(images: np.ndarray, reference: np.ndarray, batch: int = 500) -> np.ndarray:
    """For each image, the pixel distance (root of summed squares) to its nearest reference image:
    a sample that copies a training digit has a distance far below a new real digit's."""
    a = np.asarray(images, dtype=np.float32).reshape(len(images), -1)
    b = np.asarray(reference, dtype=np.float32).reshape(len(reference), -1)
    out = np.empty(len(a), dtype=np.float64)
    for i in range(0, len(a), batch):
        out[i : i + batch] = _pairwise(a[i : i + batch], b).min(1)
    return out


@dataclass(frozen=True)
class SampleQuality:
    """The figures of one set of samples against the validation images."""

    fd: float
    shares: tuple[float, ...]  # per class
    precision: float
    recall: float
    nearest_train: float  # median distance of a sample to its nearest training image
    n_samples: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sample_quality(
    classifier: DigitClassifier,
    samples: np.ndarray,
    val_images: np.ndarray,
    train_images: np.ndarray,
    *,
    k: int = 3,
) -> SampleQuality:
    """FD against the validation images (all samples), precision/recall with as many samples as
    validation images (the method compares sets of equal size), class shares, memorisation."""
    fake, classes = features_and_classes(classifier, samples)
    real, _ = features_and_classes(classifier, val_images)
    m = min(len(real), len(fake))
    precision, recall = precision_recall(real[:m], fake[:m], k=k)
    nearest = nearest_distances(samples[:m], train_images)
    return SampleQuality(
        fd=frechet_distance(fake, real),
        shares=tuple(float(s) for s in class_shares(classes, classifier.config.n_classes)),
        precision=precision,
        recall=recall,
        nearest_train=float(np.median(nearest)),
        n_samples=len(samples),
    )


def accuracy(
    classifier: DigitClassifier, images: np.ndarray | torch.Tensor, labels: np.ndarray | torch.Tensor
) -> float:
    _, predicted = features_and_classes(classifier, images)
    return float((predicted == np.asarray(labels)).mean())


def classifier_loss(classifier: DigitClassifier, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(classifier(images), labels)
