"""A conditional VAE (Sohn et al. 2015): the label is given to the encoder and to the decoder.

q(z | x, y) and p(x | z, y) see the digit's class, so the code z no longer has to say which digit it
is: it keeps what the label leaves out, the handwriting (slant, thickness, width). Decoding one z
with each of the ten labels writes every digit in that handwriting, and decoding N(0, I) codes with
a chosen label makes labelled synthetic digits (`augmentation.py` measures whether they help).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .checks import shown, whole_number, whole_numbers
from .losses import LossTerms, vae_loss
from .models import MAX_MLP_LAYERS, MAX_MLP_WIDTH, evaluation_mode

DECODE_BATCH = 1000


@dataclass(frozen=True)
class ConditionalConfig:
    """Everything needed to rebuild the conditional VAE; stored inside its checkpoint."""

    kind: Literal["cvae"] = "cvae"
    image_shape: tuple[int, int, int] = (1, 28, 28)  # (C, H, W)
    n_classes: int = 10
    latent_dim: int = 8  # the style code: the label says the rest
    hidden_dims: tuple[int, ...] = (512, 256)  # the encoder's layers; the decoder mirrors them

    def __post_init__(self) -> None:
        object.__setattr__(self, "image_shape", whole_numbers(self.image_shape, "image shape"))
        object.__setattr__(self, "n_classes", whole_number(self.n_classes, "number of classes"))
        object.__setattr__(self, "latent_dim", whole_number(self.latent_dim, "latent size"))
        object.__setattr__(self, "hidden_dims", whole_numbers(self.hidden_dims, "hidden widths"))
        if self.kind != "cvae":
            raise ValueError(f"a conditional VAE config's kind must be 'cvae', not {shown(self.kind)}")
        if len(self.image_shape) != 3 or self.image_shape[0] not in (1, 3):
            raise ValueError(f"image shape must be (1 or 3 channels, height, width), not {shown(self.image_shape)}")
        if not all(4 <= side <= 64 for side in self.image_shape[1:]):
            raise ValueError(f"image sides must be from 4 to 64, not {shown(self.image_shape[1:])}")
        if not 2 <= self.n_classes <= 100:
            raise ValueError(f"number of classes must be between 2 and 100, not {shown(self.n_classes)}")
        if not 1 <= self.latent_dim <= 64:
            raise ValueError(f"latent size must be between 1 and 64, not {shown(self.latent_dim)}")
        if not 1 <= len(self.hidden_dims) <= MAX_MLP_LAYERS or not all(
            1 <= h <= MAX_MLP_WIDTH for h in self.hidden_dims
        ):
            limits = f"1 to {MAX_MLP_LAYERS} layers of 1 to {MAX_MLP_WIDTH}"
            raise ValueError(f"hidden widths must be {limits}, not {shown(self.hidden_dims)}")

    @property
    def n_pixels(self) -> int:
        c, h, w = self.image_shape
        return c * h * w

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _mlp(widths: list[int]) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for a, b in zip(widths, widths[1:], strict=False):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return layers


class ConditionalVAE(nn.Module):
    """q(z|x,y) = N(μ(x,y), diag σ²(x,y)), p(z) = N(0, I), Bernoulli p(x|z,y); y enters as a one-hot vector."""

    kind = "cvae"

    def __init__(self, config: ConditionalConfig):
        super().__init__()
        self.config = config
        hidden = list(config.hidden_dims)
        self.body = nn.Sequential(*_mlp([config.n_pixels + config.n_classes, *hidden]))
        self.to_mu = nn.Linear(hidden[-1], config.latent_dim)
        self.to_logvar = nn.Linear(hidden[-1], config.latent_dim)
        self.decoder = nn.Sequential(
            *_mlp([config.latent_dim + config.n_classes, *reversed(hidden)]),
            nn.Linear(hidden[0], config.n_pixels),
            nn.Unflatten(1, config.image_shape),
        )

    def one_hot(self, y: torch.Tensor) -> torch.Tensor:
        return F.one_hot(y.long(), self.config.n_classes).float()  # (B, n_classes)

    def encode(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(torch.cat([x.flatten(1), self.one_hot(y)], dim=1))
        return self.to_mu(h), self.to_logvar(h)  # (B, latent_dim) each

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)  # z = μ + σ·ε

    def decode(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.decoder(torch.cat([z, self.one_hot(y)], dim=1))  # (B, C, H, W) logits

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x, y)
        return self.decode(self.reparameterize(mu, logvar), y), mu, logvar


def conditional_loss(model: ConditionalVAE, x: torch.Tensor, y: torch.Tensor) -> LossTerms:
    """The VAE's negative ELBO with both distributions given the label: −log p(x|z,y) + KL(q(z|x,y) ‖ N(0, I))."""
    logits, mu, logvar = model(x, y)
    return vae_loss(logits, x, mu, logvar)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def _labels(labels: np.ndarray | list[int], n_classes: int) -> torch.Tensor:
    y = torch.as_tensor(np.asarray(labels, dtype=np.int64))
    if y.numel() and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(f"labels must be from 0 to {n_classes - 1}, not {shown(sorted(set(y.tolist())))}")
    return y


@torch.no_grad()
def decode_styles(model: ConditionalVAE, codes: np.ndarray, labels: np.ndarray | list[int]) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1], the Bernoulli means, of codes (N, latent_dim) each with its label (N,)."""
    z = torch.as_tensor(np.asarray(codes, dtype=np.float32))
    y = _labels(labels, model.config.n_classes)
    if z.shape != (len(y), model.config.latent_dim):
        raise ValueError(f"codes must be (N, {model.config.latent_dim}) for N labels, not {tuple(z.shape)}")
    device, out = _device(model), []
    with evaluation_mode(model):
        for i in range(0, len(z), DECODE_BATCH):
            logits = model.decode(z[i : i + DECODE_BATCH].to(device), y[i : i + DECODE_BATCH].to(device))
            out.append(torch.sigmoid(logits).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, *model.config.image_shape), dtype=np.float32)


def every_digit_in(model: ConditionalVAE, styles: np.ndarray) -> np.ndarray:
    """Each style code (S, latent_dim) written as every class: images (S, n_classes, C, H, W)."""
    styles = np.asarray(styles, dtype=np.float32)
    n = model.config.n_classes
    images = decode_styles(model, np.repeat(styles, n, axis=0), np.tile(np.arange(n), len(styles)))
    return images.reshape(len(styles), n, *model.config.image_shape)


@torch.no_grad()
def style_of(model: ConditionalVAE, images: np.ndarray, labels: np.ndarray | list[int]) -> np.ndarray:
    """The mean codes μ(x, y) (N, latent_dim) of images (N, C, H, W) given their labels: their handwriting."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    y = _labels(labels, model.config.n_classes)
    with evaluation_mode(model):
        mu, _ = model.encode(x.to(_device(model)), y.to(_device(model)))
    return mu.float().cpu().numpy()


def random_styles(model: ConditionalVAE, n: int, *, seed: int) -> np.ndarray:
    """n codes (n, latent_dim) from the prior N(0, I), seeded on the CPU (same seed, same styles anywhere)."""
    if not 0 <= n <= 100_000:
        raise ValueError(f"the number of styles must be between 0 and 100000, not {shown(n)}")
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, model.config.latent_dim, generator=gen).numpy()


def synthetic_digits(model: ConditionalVAE, per_class: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A labelled set: per_class prior samples of each class, images (n·classes, C, H, W) and labels."""
    n = model.config.n_classes
    labels = np.repeat(np.arange(n), per_class)
    return decode_styles(model, random_styles(model, len(labels), seed=seed), labels), labels


@torch.no_grad()
def validation_elbo(model: ConditionalVAE, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Mean ELBO in nats per image, with the mean code's noise drawn from a fixed seed."""
    device = _device(model)
    with evaluation_mode(model), torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        terms = conditional_loss(model, images.to(device), labels.to(device))
    return -float(terms.total)
