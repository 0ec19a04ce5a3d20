"""Noise that hides part of an image: for the denoising demonstration, and for training a denoising
autoencoder (noisy inputs, clean targets).

Seeded, so that the same settings show the same noisy pictures on every rerun and in every session.
`corrupt` works on numpy arrays (the pages); `corrupt_batch` is the same maths in torch, for the
training minibatches on their own device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .latent import Images, as_images
from .losses import bernoulli_nll
from .models import LatentModel, evaluation_mode

NOISE_KINDS = ("gaussian", "salt_pepper", "square")
DENOISE_SEED = 4321  # fixed noise for the recorded denoising figure, so that it reproduces


def check_noise(kind: str, level: float) -> None:
    """ValueError unless `kind` is one of NOISE_KINDS and `level` a finite number in [0, 1]."""
    if not isinstance(kind, str) or kind not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {', '.join(NOISE_KINDS)}, not {kind!r}")
    if not (math.isfinite(level) and 0.0 <= level <= 1.0):
        raise ValueError(f"noise level must be between 0 and 1, not {level}")


def square_side(height: int, width: int, level: float) -> tuple[int, int]:
    """The masking square's sides: they scale with √level, so its area with level; at least one pixel."""
    return max(1, round(height * math.sqrt(level))), max(1, round(width * math.sqrt(level)))


def corrupt(images: np.ndarray, kind: str, level: float, *, seed: int = 0) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1] with noise, clipped back to [0, 1]: Gaussian (σ = level),
    salt and pepper (a fraction `level` of pixels set to 0 or 1) or a black square hiding
    about `level` of each image."""
    check_noise(kind, level)
    rng = np.random.default_rng(seed)
    noisy = np.array(images, dtype=np.float32)  # a copy: the caller's images stay clean
    if kind == "gaussian":
        noisy += rng.normal(0.0, level, size=noisy.shape).astype(np.float32)
    elif kind == "salt_pepper":
        hit = rng.random(noisy.shape) < level
        noisy[hit] = rng.integers(0, 2, size=int(hit.sum())).astype(np.float32)
    else:  # "square"
        h, w = noisy.shape[-2:]
        side_h, side_w = square_side(h, w, level)
        for image in noisy:  # (C, H, W), a view: written in place
            top, left = rng.integers(0, h - side_h + 1), rng.integers(0, w - side_w + 1)
            image[..., top : top + side_h, left : left + side_w] = 0.0
    return np.clip(noisy, 0.0, 1.0)


def corrupt_batch(
    images: torch.Tensor, kind: str, level: float, *, generator: torch.Generator | None = None
) -> torch.Tensor:
    """`corrupt` for a training minibatch (N, C, H, W) in [0, 1]: the same noise, drawn by torch from
    `generator` on the images' device, in a new tensor (the clean batch stays as it is)."""
    check_noise(kind, level)
    x, device = images, images.device
    if kind == "gaussian":
        noisy = x + level * torch.randn(x.shape, generator=generator, device=device, dtype=x.dtype)
    elif kind == "salt_pepper":
        hit = torch.rand(x.shape, generator=generator, device=device) < level
        coin = torch.randint(0, 2, x.shape, generator=generator, device=device).to(x.dtype)  # 0 or 1
        noisy = torch.where(hit, coin, x)
    else:  # "square": one square per image, anywhere it fits, hiding every channel
        n, (h, w) = len(x), x.shape[-2:]
        side_h, side_w = square_side(h, w, level)
        top = torch.randint(0, h - side_h + 1, (n, 1), generator=generator, device=device)
        left = torch.randint(0, w - side_w + 1, (n, 1), generator=generator, device=device)
        rows, cols = torch.arange(h, device=device), torch.arange(w, device=device)
        in_rows = (rows >= top) & (rows < top + side_h)  # (N, H)
        in_cols = (cols >= left) & (cols < left + side_w)  # (N, W)
        noisy = x.masked_fill(in_rows[:, None, :, None] & in_cols[:, None, None, :], 0.0)
    return noisy.clamp(0.0, 1.0)


PSNR_MSE_FLOOR = 1e-10  # an exact copy would score +inf dB: its PSNR is capped at 100 dB instead


def psnr(clean: np.ndarray, restored: np.ndarray, *, peak: float = 1.0) -> np.ndarray:
    """Peak signal-to-noise ratio of each image against its clean version, in dB (higher is closer):
    10·log10(peak² / mean squared pixel difference), for images (N, C, H, W) in [0, `peak`] → (N,)."""
    clean, restored = np.asarray(clean, dtype=np.float64), np.asarray(restored, dtype=np.float64)
    if clean.shape != restored.shape or clean.ndim < 2:
        raise ValueError(f"images to compare must have the same shape (N, ...), not {clean.shape} and {restored.shape}")
    mse = ((clean - restored) ** 2).reshape(len(clean), -1).mean(axis=1)  # (N,)
    return 10.0 * np.log10(peak**2 / np.maximum(mse, PSNR_MSE_FLOOR))


@dataclass(frozen=True)
class Restoration:
    """What a model makes of noisy images, scored against the clean ones."""

    restored: np.ndarray  # (N, C, H, W) in [0, 1]: decoded from the noisy image's (mean) code
    nats: np.ndarray  # (N,) −log p(clean | code of the noisy image): what a denoising autoencoder minimises
    psnr: np.ndarray  # (N,) dB of `restored` against the clean images


@torch.no_grad()
def restore(model: LatentModel, clean: Images, noisy: Images, *, batch_size: int = 1000) -> Restoration:
    """Encode the noisy images (N, C, H, W), decode their mean codes (as `latent.reconstruct` does),
    and score the result against the clean images, in nats and in PSNR. The model's train/eval mode
    is left as it was."""
    target_all, seen_all = as_images(clean), as_images(noisy)
    if target_all.shape != seen_all.shape:
        shapes = f"{tuple(target_all.shape)} and {tuple(seen_all.shape)}"
        raise ValueError(f"clean and noisy images must have the same shape, not {shapes}")
    if len(target_all) == 0:
        raise ValueError("there are no images to evaluate")
    with evaluation_mode(model):
        device = next(model.parameters()).device
        restored, nats = [], []
        for target, seen in zip(target_all.split(batch_size), seen_all.split(batch_size), strict=True):
            code = model.encode(seen.to(device))
            code = code[0] if isinstance(code, tuple) else code  # a VAE's posterior mean μ, (B, D)
            logits = model.decode(code)  # (B, C, H, W)
            nats.append(bernoulli_nll(logits, target.to(device)).double())
            restored.append(torch.sigmoid(logits).float())
    images = torch.cat(restored).cpu().numpy()
    return Restoration(images, torch.cat(nats).cpu().numpy(), psnr(target_all.cpu().numpy(), images))


def denoising_error(
    model: LatentModel,
    clean: Images,
    kind: str,
    level: float,
    *,
    seed: int = DENOISE_SEED,
    batch_size: int = 1000,
) -> float:
    """How well `model` restores `clean` images (N, C, H, W) from noisy copies of them: it is given
    `corrupt(clean, kind, level, seed=seed)`, and its reconstruction (decoded from the mean code, as
    `latent.reconstruct` does) is scored against the clean images. Mean −log p(clean | code of the
    noisy image), nats per image: what a denoising autoencoder is trained to make small."""
    x = as_images(clean)
    noisy = corrupt(x.cpu().numpy(), kind, level, seed=seed)
    return float(restore(model, x, noisy, batch_size=batch_size).nats.mean())
