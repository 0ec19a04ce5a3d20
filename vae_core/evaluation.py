"""Evaluation on any set of images (tensor or numpy): ELBO, its two terms, per-image errors, and
the KL per latent dimension that tells a working VAE from a collapsed one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch

from .latent import as_images
from .losses import bernoulli_nll
from .models import LatentModel

EVAL_SEED = 1234  # fixed noise for the sampled ELBO, so a recorded figure can be reproduced
ACTIVE_UNIT_NATS = 0.01  # a latent dimension is active when its mean KL over the images is above this
COLLAPSE_KL_NATS = 0.5  # a VAE whose mean KL per image is below this has (nearly) stopped using its code


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


def active_units(kl_per_dim: np.ndarray | torch.Tensor, threshold: float = ACTIVE_UNIT_NATS) -> int:
    """How many dimensions carry information: mean KL over the images (D,) above `threshold` nats."""
    return int((np.asarray(kl_per_dim) > threshold).sum())


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
    was_training = model.training
    model.eval()
    device = torch.device(device) if device is not None else next(model.parameters()).device
    gen = torch.Generator(device=device).manual_seed(seed)
    recon_s, recon_m, kls = [], [], []  # kls: (B, D) per batch
    for x in as_images(images).split(batch_size):
        x = x.to(device)  # (B, C, H, W)
        if model.is_variational:
            mu, logvar = model.encode(x)  # (B, D) each
            eps = torch.randn(mu.shape, generator=gen, device=device)
            z = mu + eps * torch.exp(0.5 * logvar)
            recon_s.append(bernoulli_nll(model.decode(z), x))
            recon_m.append(bernoulli_nll(model.decode(mu), x))
            kls.append(kl_per_dimension(mu, logvar))
        else:
            err = bernoulli_nll(model.decode(model.encode(x)), x)
            recon_s.append(err)
            recon_m.append(err)
    model.train(was_training)
    if not recon_s:
        raise ValueError("there are no images to evaluate")
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
