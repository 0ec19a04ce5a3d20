"""Evaluation on any set of images (tensor or numpy): ELBO, its two terms, per-image errors, the
KL per latent dimension that tells a working VAE from a collapsed one, and the importance-weighted
bound (IWAE), a tighter estimate of log p(x) than the ELBO."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import numpy as np
import torch

from .latent import as_images
from .losses import bernoulli_nll
from .models import LatentModel, evaluation_mode

EVAL_SEED = 1234  # fixed noise for the sampled ELBO, so a recorded figure can be reproduced
ACTIVE_UNIT_NATS = 0.01  # a latent dimension is active when its mean KL over the images is above this
COLLAPSE_KL_NATS = 0.5  # a VAE whose mean KL per image is below this has (nearly) stopped using its code
IWAE_SAMPLES = 1000  # K of the importance-weighted bound: Burda et al. (2016) report log p(x) with K = 5000
IWAE_CHUNK = 2000  # decoded images per step of the IWAE bound: 6 MB of MNIST logits, under 300 MB with the conv decoder
LOG_2PI = math.log(2 * math.pi)
T = TypeVar("T")


@dataclass(frozen=True)
class Evaluation:
    n_images: int
    recon: float  # mean −log p(x|z) per image in nats (VAE: z sampled from q(z|x); AE: z = f(x))
    kl: float  # mean KL(q(z|x) ‖ N(0, I)); 0 for the AE
    elbo: float | None  # VAE: mean ELBO, one z sample per image (a lower bound on log p(x))
    elbo_at_mean: float | None  # VAE: the same with z = μ (deterministic, slightly optimistic)
    recon_at_mean: float  # reconstruction error decoding the mean code (AE: = recon)
    per_image_error: np.ndarray  # (N,) reconstruction error at the mean code, nats
    kl_per_dim: np.ndarray | None = None  # VAE: (D,) mean KL of each latent dimension, nats; they sum to `kl`
    active_units: int | None = None  # VAE: latent dimensions whose mean KL is above ACTIVE_UNIT_NATS

    def summary(self) -> dict[str, Any]:
        """JSON-friendly figures (no arrays), as recorded in checkpoints."""
        d = asdict(self)
        d.pop("per_image_error")
        d.pop("kl_per_dim")
        return d


def kl_per_dimension(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ_j, σ_j²) ‖ N(0, 1)) of each latent dimension, (B, D) → (B, D); summed over j it is `gaussian_kl`."""
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp())


def _carries_information(kl_per_dim: np.ndarray | torch.Tensor | Sequence[float], threshold: float) -> np.ndarray:
    """(D,) bools: the dimension's mean KL over the images is above `threshold` nats (NaN is not)."""
    kl = np.asarray(kl_per_dim, dtype=float)
    if kl.ndim != 1:
        raise ValueError(f"expected the mean KL of each latent dimension, shape (D,), not {kl.shape}")
    return kl > threshold


def active_units(kl_per_dim: np.ndarray | torch.Tensor | Sequence[float], threshold: float = ACTIVE_UNIT_NATS) -> int:
    """How many dimensions carry information: mean KL over the images (D,) above `threshold` nats."""
    return int(_carries_information(kl_per_dim, threshold).sum())


def collapsed_dimensions(
    kl_per_dim: np.ndarray | torch.Tensor | Sequence[float] | None, threshold: float = ACTIVE_UNIT_NATS
) -> list[int]:
    """The latent dimensions that carry no information, 0-based and in order: those whose mean KL over
    the images (D,), as `Evaluation.kl_per_dim` gives it, is not above `threshold` nats (the β page's
    threshold for an active unit). The complement of `active_units`: D − active_units of them.
    None, an autoencoder's (it has no KL), gives none."""
    if kl_per_dim is None:
        return []
    return np.flatnonzero(~_carries_information(kl_per_dim, threshold)).tolist()


def most_informative(kl_per_dim: np.ndarray, count: int) -> np.ndarray:
    """The `count` latent dimensions (indices) with the most mean KL (D,), the most first, ties in
    index order: the dimensions worth traversing, as a switched-off one changes nothing."""
    kl = np.asarray(kl_per_dim)
    return np.argsort(-kl, kind="stable")[: min(count, len(kl))]


def posterior_collapse(figures: Evaluation | Mapping[str, Any]) -> bool:
    """True for a VAE that ignores its input: mean KL per image below COLLAPSE_KL_NATS, or no active
    latent dimension. Takes an `Evaluation` or the figures recorded in a checkpoint (`summary()`);
    False for an autoencoder, and where the figures are missing (an older file without active units
    is judged by its KL alone)."""
    get = figures.get if isinstance(figures, Mapping) else lambda name: getattr(figures, name, None)
    if get("elbo") is None:  # an autoencoder: it has no posterior to collapse
        return False
    kl, units = get("kl"), get("active_units")
    return (kl is not None and kl < COLLAPSE_KL_NATS) or (units is not None and units == 0)


@dataclass(frozen=True)
class EncodedBatch:
    """One batch of images on the device with its code, and the noise source of the whole pass."""

    model: LatentModel
    x: torch.Tensor  # (B, C, H, W)
    mu: torch.Tensor  # (B, D): the mean of q(z|x) for a VAE, the code itself for an autoencoder
    logvar: torch.Tensor | None  # (B, D): log σ² of q(z|x); None for an autoencoder
    generator: torch.Generator  # seeded once per pass: the batches draw from it in turn

    def error_at_mean(self) -> torch.Tensor:
        """−log p(x|z = μ) per image (B,): the reconstruction error of the code itself."""
        return bernoulli_nll(self.model.decode(self.mu), self.x)

    def sample(self, samples: int) -> tuple[torch.Tensor, torch.Tensor]:
        """`samples` codes z = μ + σ·ε per image (S, B, D), ε from the pass's generator, and the
        reconstruction error −log p(x|z) of each (S, B), all S·B decoded at once."""
        if self.logvar is None:
            raise ValueError("an autoencoder has no q(z|x) to sample from")
        eps = torch.randn((samples, *self.mu.shape), generator=self.generator, device=self.x.device)  # (S, B, D)
        z = self.mu + eps * torch.exp(0.5 * self.logvar)  # (S, B, D)
        target = self.x.expand(samples, *self.x.shape).flatten(0, 1)  # (S·B, C, H, W)
        nll = bernoulli_nll(self.model.decode(z.flatten(0, 1)), target).view(samples, len(self.x))  # (S, B)
        return z, nll


@torch.no_grad()
def map_encoded(
    model: LatentModel,
    images: torch.Tensor | np.ndarray,
    each: Callable[[EncodedBatch], T],
    *,
    batch_size: int,
    seed: int,
    device: torch.device | str | None = None,
) -> list[T]:
    """`each` of every batch of `images` (N, C, H, W), encoded, in order: the loop that `evaluate`,
    `importance_bounds` and `anomaly_scores` share. In eval mode (the model's mode is given back
    after) and without gradients, with one generator seeded with `seed` for the whole pass, so that
    the same arguments draw the same noise and give the same figures."""
    with evaluation_mode(model):
        device = torch.device(device) if device is not None else next(model.parameters()).device
        gen = torch.Generator(device=device).manual_seed(seed)
        results = []
        for x in as_images(images).split(batch_size):
            x = x.to(device)  # (B, C, H, W)
            code = model.encode(x)  # VAE: (μ, log σ²), (B, D) each; AE: the code (B, D)
            mu, logvar = code if model.is_variational else (code, None)
            results.append(each(EncodedBatch(model, x, mu, logvar, gen)))
        return results


@torch.no_grad()
def evaluate(
    model: LatentModel,
    images: torch.Tensor | np.ndarray,
    *,
    batch_size: int = 1000,
    seed: int = EVAL_SEED,
    device: torch.device | str | None = None,
) -> Evaluation:
    """Figures averaged over `images` (N, C, H, W); the model's train/eval mode is left as it was."""

    def figures(b: EncodedBatch) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """−log p(x|z) at one sampled z and at the mean code, (B,) each, and the KL per dimension (B, D)."""
        at_mean = b.error_at_mean()
        if b.logvar is None:  # an autoencoder: its code is a point, nothing to sample
            return at_mean, at_mean, None
        return b.sample(1)[1][0], at_mean, kl_per_dimension(b.mu, b.logvar)

    parts = map_encoded(model, images, figures, batch_size=batch_size, seed=seed, device=device)
    if not parts:
        raise ValueError("there are no images to evaluate")
    recon_s, recon_m, kls = zip(*parts, strict=True)
    r_s, r_m = torch.cat(recon_s).double(), torch.cat(recon_m).double()  # (N,) each, in double for the means
    per_image = r_m.cpu().numpy().astype(np.float32)
    if not model.is_variational:
        return Evaluation(len(r_s), r_s.mean().item(), 0.0, None, None, r_s.mean().item(), per_image)
    kl_dims = torch.cat(kls).double()  # (N, D)
    kl = kl_dims.sum(1)  # (N,): gaussian_kl per image
    per_dim = kl_dims.mean(0).cpu().numpy()  # (D,)
    return Evaluation(
        n_images=len(r_s),
        recon=r_s.mean().item(),
        kl=kl.mean().item(),
        elbo=-(r_s + kl).mean().item(),
        elbo_at_mean=-(r_m + kl).mean().item(),
        recon_at_mean=r_m.mean().item(),
        per_image_error=per_image,
        kl_per_dim=per_dim,
        active_units=active_units(per_dim),
    )


def gaussian_log_density(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """log N(z; μ, diag σ²), summed over the last dimension: (..., D) → (...); μ and log σ² broadcast."""
    return -0.5 * (LOG_2PI + logvar + (z - mu).pow(2) * torch.exp(-logvar)).sum(-1)


def standard_normal_log_density(z: torch.Tensor) -> torch.Tensor:
    """log N(z; 0, I), the prior p(z), summed over the last dimension: (..., D) → (...)."""
    return -0.5 * (LOG_2PI + z.pow(2)).sum(-1)


@dataclass(frozen=True)
class ImportanceBounds:
    """Two lower bounds on log p(x) of each image, in nats, from the same K samples z_k ~ q(z|x)."""

    elbo: np.ndarray  # (N,) mean of the K log-weights: the ELBO, estimated with K samples
    iwae: np.ndarray  # (N,) log of the mean of the K weights: never below `elbo` (Jensen)
    samples: int  # K


@torch.no_grad()
def importance_bounds(
    model: LatentModel,
    images: torch.Tensor | np.ndarray,
    *,
    samples: int = IWAE_SAMPLES,
    batch_size: int = IWAE_CHUNK,
    seed: int = EVAL_SEED,
    device: torch.device | str | None = None,
) -> ImportanceBounds:
    """The ELBO and the importance-weighted bound of each image, from K log-weights
    log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x), z_k ~ q(z|x).

    Burda, Grosse & Salakhutdinov (2016), Importance Weighted Autoencoders, eq. 8:
    log p(x) ≥ log (1/K) Σ_k w_k ≥ (1/K) Σ_k log w_k, the ELBO. Averaging the weights inside the log
    gives a bound that never loosens as K grows (in expectation) and reaches log p(x) as K → ∞: it closes
    part of the ELBO's gap KL(q(z|x) ‖ p(z|x)), the price of the encoder's Gaussian approximation.

    Computed with logsumexp (the weights themselves underflow) and in chunks of at most `batch_size`
    decoded images, over images and samples both, so memory stays small for any K. The noise is drawn
    from a generator seeded with `seed`, as (samples, images, D) blocks image chunk after image chunk:
    the same arguments give the same figures. The model's train/eval mode is left as it was.
    """
    if not model.is_variational:
        raise ValueError("the importance-weighted bound needs a VAE: an autoencoder has no q(z|x)")
    if samples < 1 or batch_size < 1:
        raise ValueError(f"samples and batch_size must be at least 1, not {samples} and {batch_size}")
    images = as_images(images)
    if len(images) == 0:
        raise ValueError("there are no images to evaluate")
    per_chunk = min(samples, batch_size)  # samples decoded at once for one image
    images_per_chunk = max(1, batch_size // per_chunk)

    def bounds(b: EncodedBatch) -> tuple[torch.Tensor, torch.Tensor]:
        """The ELBO and the IWAE bound of each image of the batch, (B,) each, in double."""
        sums, partial = [], []  # per chunk of samples: Σ_k log w_k and logsumexp_k log w_k, (B,) each
        for start in range(0, samples, per_chunk):
            z, nll = b.sample(min(per_chunk, samples - start))  # (S, B, D), (S, B)
            # log w = log p(x|z) + log p(z) − log q(z|x)
            log_w = (-nll + standard_normal_log_density(z) - gaussian_log_density(z, b.mu, b.logvar)).double()
            sums.append(log_w.sum(0))
            partial.append(torch.logsumexp(log_w, dim=0))
        return torch.stack(sums).sum(0) / samples, torch.logsumexp(torch.stack(partial), dim=0) - math.log(samples)

    parts = map_encoded(model, images, bounds, batch_size=images_per_chunk, seed=seed, device=device)
    elbos, iwaes = zip(*parts, strict=True)
    return ImportanceBounds(torch.cat(elbos).cpu().numpy(), torch.cat(iwaes).cpu().numpy(), samples)


def iwae_bound(
    model: LatentModel,
    images: torch.Tensor | np.ndarray,
    *,
    samples: int = IWAE_SAMPLES,
    batch_size: int = IWAE_CHUNK,
    seed: int = EVAL_SEED,
    device: torch.device | str | None = None,
) -> np.ndarray:
    """The importance-weighted lower bound on log p(x) of each image (N,), in nats (Burda et al., 2016):
    K = 1 is the ELBO in expectation, and the bound tightens as K grows. See `importance_bounds`."""
    return importance_bounds(model, images, samples=samples, batch_size=batch_size, seed=seed, device=device).iwae
