"""Losses, in nats per image, split into reconstruction and KL so pages can plot both."""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F


class LossTerms(NamedTuple):
    total: torch.Tensor  # scalar: mean over the batch of recon + β·KL
    recon: torch.Tensor  # scalar: mean −log p(x|z), nats per image
    kl: torch.Tensor  # scalar: mean KL(q(z|x) ‖ N(0, I)), nats per image


def bernoulli_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """−log p(x|z) per image, summed over pixels: (B, C, H, W) → (B,).

    Computed from logits (not sigmoid outputs) so it is exact and stable where p is near 0 or 1.
    """
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, σ²) ‖ N(0, I)) per row in closed form: (B, D) → (B,).

    Kingma & Welling (2014), Auto-Encoding Variational Bayes, Appendix B:
    −KL = ½ Σ_j (1 + log σ_j² − μ_j² − σ_j²).
    """
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def vae_loss(
    logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, *, beta: float = 1.0
) -> LossTerms:
    """Negative ELBO (β = 1) or the β-VAE objective, averaged over the batch."""
    recon = bernoulli_nll(logits, x).mean()
    kl = gaussian_kl(mu, logvar).mean()
    return LossTerms(recon + beta * kl, recon, kl)


def ae_loss(logits: torch.Tensor, x: torch.Tensor) -> LossTerms:
    """The same reconstruction term as the VAE and no KL: a fair comparison of the two."""
    recon = bernoulli_nll(logits, x).mean()
    return LossTerms(recon, recon, torch.zeros((), device=recon.device))


def model_loss(
    model: torch.nn.Module, x: torch.Tensor, *, beta: float = 1.0, target: torch.Tensor | None = None
) -> LossTerms:
    """One forward pass and its loss, for either model kind.

    The model sees `x`; its reconstruction is scored against `target`, which is `x` itself unless
    given: a denoising autoencoder sees a corrupted `x` and is scored against the clean images."""
    target = x if target is None else target
    if getattr(model, "is_variational", False):
        logits, mu, logvar = model(x)
        return vae_loss(logits, target, mu, logvar, beta=beta)
    logits, _ = model(x)
    return ae_loss(logits, target)
