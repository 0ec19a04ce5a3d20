"""AE, VAE, GAN and diffusion model measured the same way: what the course's comparison claims.

Every figure here comes from samples drawn by `generative.sample` and read by the evaluator
classifier, so the models are compared on one scale. `measure` is what pretraining records in each
compared checkpoint; the page shows those records and redraws only what a student asks for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from .checks import shown
from .data import DatasetSplit
from .diffusion import FlowMatching, generate, invert, reverse_path
from .evaluator import DigitClassifier, sample_quality
from .gan import GAN
from .gan import invert as invert_gan
from .generative import GenerativeModel, decode_noise, latent_size, sample, sampling_seconds, starting_noise
from .latent import interpolate

N_QUALITY_SAMPLES = 5000  # as the FD figures: 5,000 samples against the validation images
SAMPLE_SEED = 1234  # the samples a checkpoint's figures were measured on
MISSING_SHARE = 0.02  # a class with under 2 % of the samples (a tenth would be fair) is missing
DOMINANT_SHARE = 0.5  # one class with half the samples has taken over
GAN_INVERSION_STEPS = 200

_LAPLACIAN = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])[None, None]


def sharpness(images: np.ndarray) -> float:
    """Mean squared Laplacian of the images (N, C, H, W) or (N, H, W): the energy of their edges.
    A blurry sample has soft edges and a low figure; real digits set the mark."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    if x.dim() == 3:
        x = x[:, None]
    lap = F.conv2d(x.reshape(-1, 1, *x.shape[-2:]), _LAPLACIAN)
    return float((lap**2).mean())


def _figures(evaluator: DigitClassifier, samples: np.ndarray, data: DatasetSplit) -> dict[str, float]:
    q = sample_quality(evaluator, samples, data.val_images.numpy(), data.train_images.numpy())
    figures = {
        "fd": q.fd,
        "precision": q.precision,
        "recall": q.recall,
        "nearest_train": q.nearest_train,
        "sharpness": sharpness(samples[:1000]),
        "n_samples": float(q.n_samples),
    }
    return figures | {f"share_{i}": s for i, s in enumerate(q.shares)}


def measure(
    model: GenerativeModel, evaluator: DigitClassifier, data: DatasetSplit, *, n: int = N_QUALITY_SAMPLES
) -> dict[str, float]:
    """The figures a compared checkpoint records: FD, precision, recall, class shares, the median
    distance to the nearest training image, sharpness, and the time to draw one sample (of 64)."""
    samples = sample(model, n, seed=SAMPLE_SEED)
    figures = _figures(evaluator, samples, data)
    figures["sample_ms"] = 1000 * sampling_seconds(model, 64) / 64
    return figures


def measure_real(evaluator: DigitClassifier, data: DatasetSplit) -> dict[str, float]:
    """The same figures for the training images taken as samples: the floor FD can reach with 500
    validation images, and real digits' precision, recall and sharpness."""
    return _figures(evaluator, data.train_images.numpy(), data)


def shares_of(figures: dict[str, float], n_classes: int = 10) -> np.ndarray:
    """The class shares (n_classes,) recorded by `measure`."""
    return np.array([figures.get(f"share_{i}", 0.0) for i in range(n_classes)])


@dataclass(frozen=True)
class ModeCollapse:
    """What the class shares say: which classes the samples miss, and a class that took over."""

    missing: tuple[int, ...]
    dominant: int | None

    @property
    def collapsed(self) -> bool:
        return bool(self.missing) or self.dominant is not None


def mode_collapse(shares: np.ndarray) -> ModeCollapse:
    shares = np.asarray(shares, dtype=np.float64)
    missing = tuple(int(i) for i in np.flatnonzero(shares < MISSING_SHARE))
    top = int(shares.argmax())
    return ModeCollapse(missing, top if shares[top] >= DOMINANT_SHARE else None)


def interpolate_samples(
    model: GenerativeModel, seed_a: int, seed_b: int, steps: int, *, method: str = "spherical"
) -> np.ndarray:
    """Images (steps, C, H, W) along a path between the starting noise of two seeds: codes for the
    AE/VAE, z for the GAN, noise images for the diffusion model (whose sampler is deterministic, so
    the noise decides the digit)."""
    if not 2 <= steps <= 64:
        raise ValueError(f"steps must be from 2 to 64, not {shown(steps)}")
    model.eval()  # as `sample`: a GAN's BatchNorm must not normalise the path by its own statistics
    a = starting_noise(model, 1, seed=seed_a).reshape(1, -1)
    b = starting_noise(model, 1, seed=seed_b).reshape(1, -1)
    path = interpolate(a[0], b[0], steps, method=method)  # (steps, D)
    return decode_noise(model, path.reshape(steps, *latent_size(model)).astype(np.float32))


def sampler_path(model: FlowMatching, seed: int) -> np.ndarray:
    """Every state (steps + 1, C, H, W) of the diffusion sampler for the first sample of `seed`:
    noise at the left, the digit `sample` draws at the right."""
    noise = torch.as_tensor(starting_noise(model, 1, seed=seed))
    model.eval()
    return reverse_path(model, noise)[:, 0].numpy()


@dataclass(frozen=True)
class Encoding:
    """A digit taken to the model's latent space and back."""

    reconstruction: np.ndarray  # (C, H, W) in [0, 1]
    seconds: float
    error: float  # mean squared pixel error against the digit
    steps: int  # network passes or optimisation steps it took
    errors: tuple[float, ...] = ()  # the GAN inversion's error after each step


@torch.no_grad()
def encode_and_decode(model: GenerativeModel, image: np.ndarray, *, seed: int = 0) -> Encoding:
    """The VAE (and AE) encode in one pass; the GAN has no encoder, so z is found by gradient steps
    (`gan.invert`); the diffusion model runs its sampler backwards, from the digit to its noise."""
    x = torch.as_tensor(np.asarray(image, dtype=np.float32)).reshape(1, *model.config.image_shape)
    model.eval()
    start = time.perf_counter()
    errors: tuple[float, ...] = ()
    if isinstance(model, GAN):
        z, trace = invert_gan(model, x, steps=GAN_INVERSION_STEPS, seed=seed)
        out, steps, errors = model.images(z), GAN_INVERSION_STEPS, tuple(trace)
    elif isinstance(model, FlowMatching):
        noise = invert(model, x)
        out = generate(model, noise)
        steps = 4 * model.config.sampler_steps - 1  # Heun both ways; the last step to the digit is Euler
    else:
        code = model.encode(x)
        code = code[0] if isinstance(code, tuple) else code  # a VAE's μ
        out, steps = torch.sigmoid(model.decode(code)), 1
    seconds = time.perf_counter() - start
    error = float(((out - x) ** 2).mean())
    return Encoding(out[0].numpy(), seconds, error, steps, errors)
