"""Evaluation on any set of images (tensor or numpy): ELBO, its two terms, and per-image errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch

from .latent import as_images
from .losses import bernoulli_nll, gaussian_kl
from .models import LatentModel

EVAL_SEED = 1234  # fixed noise for the sampled ELBO, so a recorded figure can be reproduced


@dataclass(frozen=True)
class Evaluation:
    n_images: int
    recon: float  # mean −log p(x|z) per image in nats (VAE: z sampled from q(z|x); AE: z = f(x))
    kl: float  # mean KL(q(z|x) ‖ N(0, I)); 0 for the AE
    elbo: float | None  # VAE: mean ELBO, one z sample per image (a lower bound on log p(x))
    elbo_at_mean: float | None  # VAE: the same with z = μ (deterministic, slightly optimistic)
    recon_at_mean: float  # reconstruction error decoding the mean code (AE: = recon)
    per_image_error: np.ndarray  # (N,) reconstruction error at the mean code, nats

    def summary(self) -> dict[str, Any]:
        """JSON-friendly figures (no per-image array), as recorded in checkpoints."""
        d = asdict(self)
        d.pop("per_image_error")
        return d


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
    recon_s, recon_m, kls = [], [], []
    for x in as_images(images).split(batch_size):
        x = x.to(device)  # (B, C, H, W)
        if model.is_variational:
            mu, logvar = model.encode(x)  # (B, D) each
            eps = torch.randn(mu.shape, generator=gen, device=device)
            z = mu + eps * torch.exp(0.5 * logvar)
            recon_s.append(bernoulli_nll(model.decode(z), x))
            recon_m.append(bernoulli_nll(model.decode(mu), x))
            kls.append(gaussian_kl(mu, logvar))
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
    kl = torch.cat(kls).double()  # (N,)
    return Evaluation(
        n_images=len(r_s),
        recon=r_s.mean().item(),
        kl=kl.mean().item(),
        elbo=-(r_s + kl).mean().item(),
        elbo_at_mean=-(r_m + kl).mean().item(),
        recon_at_mean=r_m.mean().item(),
        per_image_error=per_image,
    )
