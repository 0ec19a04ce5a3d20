"""Noise that hides part of an image, for the denoising demonstration.

Seeded, so that the same settings show the same noisy pictures on every rerun and in every session.
"""

from __future__ import annotations

import math

import numpy as np

NOISE_KINDS = ("gaussian", "salt_pepper", "square")


def corrupt(images: np.ndarray, kind: str, level: float, *, seed: int = 0) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1] with noise, clipped back to [0, 1]: Gaussian (σ = level),
    salt and pepper (a fraction `level` of pixels set to 0 or 1) or a black square hiding
    about `level` of each image."""
    if kind not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {', '.join(NOISE_KINDS)}, not {kind!r}")
    if not (math.isfinite(level) and 0.0 <= level <= 1.0):
        raise ValueError(f"noise level must be between 0 and 1, not {level}")
    rng = np.random.default_rng(seed)
    noisy = np.array(images, dtype=np.float32)  # a copy: the caller's images stay clean
    if kind == "gaussian":
        noisy += rng.normal(0.0, level, size=noisy.shape).astype(np.float32)
    elif kind == "salt_pepper":
        hit = rng.random(noisy.shape) < level
        noisy[hit] = rng.integers(0, 2, size=int(hit.sum())).astype(np.float32)
    else:  # "square": the side scales with √level, so the area with level
        h, w = noisy.shape[-2:]
        side_h, side_w = max(1, round(h * np.sqrt(level))), max(1, round(w * np.sqrt(level)))
        for image in noisy:  # (C, H, W), a view: written in place
            top, left = rng.integers(0, h - side_h + 1), rng.integers(0, w - side_w + 1)
            image[..., top : top + side_h, left : left + side_w] = 0.0
    return np.clip(noisy, 0.0, 1.0)
