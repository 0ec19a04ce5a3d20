"""Style measured on the images themselves, and its directions in a model's latent space.

Three attributes, from the image's ink as a distribution over its pixels (image moments):
- ink: the mean grey level, how much of the image the strokes cover (bolder strokes, more ink);
- slant: the shear of the ink, columns per row upwards (0 upright, > 0 leaning right): the
  covariance of column and height over the variance of height, as MNIST's deskewing measures it;
- width: the ink's horizontal spread once the slant is taken out, √12·σ, in pixels (a solid bar
  of width w measures w), so that leaning over does not count as widening.

A direction is the mean code of the images with the most of an attribute minus that of the images
with the least, within each class and averaged over the classes: a 1 is thin and narrow, and the
direction should not be "more like a 0". Adding α times it to a code moves a digit along the style.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

ATTRIBUTES: tuple[str, ...] = ("ink", "slant", "width")
EXTREME_SHARE = 0.2  # a direction compares the top and the bottom fifth of each class
ALPHA_RANGE = 2.0  # the page's slider: α from −2 to +2 steps of the direction


def _grey(images: np.ndarray) -> np.ndarray:
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"images must be (N, C, H, W), not shape {x.shape}")
    return x.mean(axis=1)  # (N, H, W): colour channels count as grey


def _moments(images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ink's total mass (N,), its column and height coordinates' deviations from their means
    (N, H, W) each, and the weights (N, H, W). Height counts upwards: row 0 is the top."""
    grey = _grey(images)
    n, h, w = grey.shape
    mass = grey.sum(axis=(1, 2))  # (N,)
    weights = grey / np.maximum(mass, 1e-12)[:, None, None]
    cols = np.broadcast_to(np.arange(w, dtype=np.float64)[None, None, :], grey.shape)
    ups = np.broadcast_to((h - 1 - np.arange(h, dtype=np.float64))[None, :, None], grey.shape)
    dx = cols - (weights * cols).sum(axis=(1, 2))[:, None, None]
    dy = ups - (weights * ups).sum(axis=(1, 2))[:, None, None]
    return mass, dx, dy, weights, grey


def ink(images: np.ndarray) -> np.ndarray:
    """(N,) mean grey level in [0, 1]."""
    return _grey(images).mean(axis=(1, 2)).astype(np.float32)


def slant(images: np.ndarray) -> np.ndarray:
    """(N,) columns the ink moves right per row upwards: cov(column, height) / var(height); 0 for a blank image."""
    mass, dx, dy, weights, _ = _moments(images)
    var_y = (weights * dy * dy).sum(axis=(1, 2))
    cov = (weights * dx * dy).sum(axis=(1, 2))
    return np.where((mass > 0) & (var_y > 1e-12), cov / np.maximum(var_y, 1e-12), 0.0).astype(np.float32)


def width(images: np.ndarray) -> np.ndarray:
    """(N,) √12 times the standard deviation of the column after the shear is removed, in pixels."""
    mass, dx, dy, weights, _ = _moments(images)
    shear = slant(images).astype(np.float64)[:, None, None]
    upright = dx - shear * dy
    return np.sqrt(12.0 * (weights * upright * upright).sum(axis=(1, 2))).astype(np.float32)


MEASURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {"ink": ink, "slant": slant, "width": width}


def measure(images: np.ndarray, attribute: str) -> np.ndarray:
    if attribute not in MEASURES:
        raise ValueError(f"attribute must be one of {', '.join(ATTRIBUTES)}, not {attribute!r}")
    return MEASURES[attribute](images)


def attribute_direction(
    codes: np.ndarray, values: np.ndarray, labels: np.ndarray | None = None, *, share: float = EXTREME_SHARE
) -> np.ndarray:
    """(D,) mean code of the `share` of images with the highest value minus that of the lowest, within
    each class of `labels` (all images as one class without labels), averaged over the classes."""
    codes, values = np.asarray(codes, dtype=np.float64), np.asarray(values, dtype=np.float64)
    if codes.ndim != 2 or len(codes) != len(values):
        raise ValueError(f"codes (N, D) and values (N,) must match, not {codes.shape} and {values.shape}")
    if not 0.0 < share <= 0.5:
        raise ValueError(f"share must be in (0, 0.5], not {share}")
    labels = np.zeros(len(codes), dtype=int) if labels is None else np.asarray(labels)
    differences = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        k = int(len(members) * share)
        if k < 1:
            continue
        order = members[np.argsort(values[members], kind="stable")]
        differences.append(codes[order[-k:]].mean(axis=0) - codes[order[:k]].mean(axis=0))
    if not differences:
        raise ValueError(f"too few images: each class needs at least {math.ceil(1 / share)}")
    return np.mean(differences, axis=0).astype(np.float32)


def along(code: np.ndarray, direction: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """(A, D) codes: `code` (D,) plus each α times `direction` (D,)."""
    code, direction = np.asarray(code, dtype=np.float32), np.asarray(direction, dtype=np.float32)
    return code[None, :] + np.asarray(alphas, dtype=np.float32)[:, None] * direction[None, :]


def slope(alphas: np.ndarray, values: np.ndarray) -> float:
    """Least-squares slope of the measured attribute against α."""
    return float(np.polyfit(np.asarray(alphas, dtype=np.float64), np.asarray(values, dtype=np.float64), 1)[0])


def class_means(codes: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, D) mean code of each class (NaN for a class with no images)."""
    codes, labels = np.asarray(codes, dtype=np.float64), np.asarray(labels)
    means = np.full((n_classes, codes.shape[1]), np.nan)
    for label in range(n_classes):
        if (labels == label).any():
            means[label] = codes[labels == label].mean(axis=0)
    return means.astype(np.float32)


def analogy(code: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """code − source + target: "this 3 − the average 3 + the average 7", a 7 in this 3's handwriting."""
    return (np.asarray(code) - np.asarray(source) + np.asarray(target)).astype(np.float32)
