"""Autoencoder and VAE on one shared encoder/decoder backbone.

Both models use the very same layers; the VAE's encoder head is twice as wide (μ and log σ²)
and that is the only difference, so that comparing them compares the objectives, not the nets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Literal

import torch
from torch import nn

from .checks import shown, whole_number, whole_numbers


@contextmanager
def evaluation_mode(model: nn.Module) -> Iterator[None]:
    """Eval mode for a measurement, with the caller's mode given back afterwards (also after an error):
    the training loop measures its model between epochs."""
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


ModelKind = Literal["ae", "vae"]
Architecture = Literal["mlp", "conv"]

MIN_LATENT_DIM, MAX_LATENT_DIM = 1, 64
# Bounds on a model's size: a config comes from students and from files written by anyone, and a
# 17 kB file must not be able to ask for a model of gigabytes.
IMAGE_CHANNELS = (1, 3)  # grey or colour
MAX_IMAGE_SIDE = 64
MAX_MLP_WIDTH, MAX_MLP_LAYERS = 4096, 4
MAX_CONV_CHANNELS, MAX_CONV_LAYERS = 256, 4
MAX_PARAMETERS = 15_000_000  # 60 MB of float32 weights: the file stays within checkpoint.MAX_CHECKPOINT_BYTES


def _conv_out(size: int, n_layers: int) -> int:
    return size // (2**n_layers)


def _widths(values: tuple[int, ...], what: str, *, largest: int, layers: int, noun: str) -> None:
    if len(values) > layers:
        raise ValueError(f"{what}: at most {layers} {noun} layers, not {len(values)}")
    if values and not (min(values) >= 1 and max(values) <= largest):
        raise ValueError(f"{what} must be between 1 and {largest}, not {shown(values)}")


# --- backbones ------------------------------------------------------------------------------


def _mlp_encoder(cfg: ModelConfig) -> tuple[nn.Module, int]:
    layers: list[nn.Module] = [nn.Flatten()]
    width = cfg.n_pixels
    for h in cfg.hidden_dims:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers), width


def _mlp_decoder(cfg: ModelConfig) -> nn.Module:
    layers: list[nn.Module] = []
    width = cfg.latent_dim
    for h in reversed(cfg.hidden_dims):
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers += [nn.Linear(width, cfg.n_pixels), nn.Unflatten(1, cfg.image_shape)]
    return nn.Sequential(*layers)


def _conv_encoder(cfg: ModelConfig) -> tuple[nn.Module, int]:
    c, h, w = cfg.image_shape
    layers: list[nn.Module] = []
    for ch in cfg.conv_channels:
        layers += [nn.Conv2d(c, ch, kernel_size=4, stride=2, padding=1), nn.ReLU()]
        c = ch
    layers.append(nn.Flatten())
    n = len(cfg.conv_channels)
    return nn.Sequential(*layers), c * _conv_out(h, n) * _conv_out(w, n)


def _conv_decoder(cfg: ModelConfig) -> nn.Module:
    c_img, h, w = cfg.image_shape
    n = len(cfg.conv_channels)
    chans = list(reversed(cfg.conv_channels))  # deepest first
    hs, ws = _conv_out(h, n), _conv_out(w, n)
    layers: list[nn.Module] = [
        nn.Linear(cfg.latent_dim, chans[0] * hs * ws),
        nn.ReLU(),
        nn.Unflatten(1, (chans[0], hs, ws)),
    ]
    for c_in, c_out in zip(chans, chans[1:] + [c_img], strict=True):
        layers += [nn.ConvTranspose2d(c_in, c_out, kernel_size=4, stride=2, padding=1), nn.ReLU()]
    layers.pop()  # the last layer outputs logits: no ReLU
    return nn.Sequential(*layers)


def build_backbone(cfg: ModelConfig) -> tuple[nn.Module, int, nn.Module]:
    """(encoder body, its feature width, decoder) for either architecture."""
    if cfg.arch == "mlp":
        body, width = _mlp_encoder(cfg)
        return body, width, _mlp_decoder(cfg)
    body, width = _conv_encoder(cfg)
    return body, width, _conv_decoder(cfg)


# --- models ---------------------------------------------------------------------------------


class Autoencoder(nn.Module):
    """Deterministic code z = f(x); the decoder outputs Bernoulli logits per pixel."""

    is_variational = False

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.body, width, self.decoder = build_backbone(config)
        self.to_code = nn.Linear(width, config.latent_dim)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.to_code(self.body(x))  # (B, latent_dim)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (B, C, H, W) logits

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encode(x)
        return self.decode(z), z


class VAE(nn.Module):
    """Kingma & Welling (2014): q(z|x) = N(μ(x), diag σ²(x)), p(z) = N(0, I), Bernoulli p(x|z)."""

    is_variational = True

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.body, width, self.decoder = build_backbone(config)
        self.to_mu = nn.Linear(width, config.latent_dim)
        self.to_logvar = nn.Linear(width, config.latent_dim)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.to_mu(h), self.to_logvar(h)  # (B, latent_dim) each

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std  # z = μ + σ·ε, differentiable in μ and σ

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (B, C, H, W) logits

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


LatentModel = Autoencoder | VAE


def build_model(config: ModelConfig) -> LatentModel:
    return VAE(config) if config.kind == "vae" else Autoencoder(config)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# --- the configuration (last: it counts its model's weights by building one) ------------------


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild a model; stored inside every checkpoint."""

    kind: ModelKind = "vae"
    arch: Architecture = "mlp"
    image_shape: tuple[int, int, int] = (1, 28, 28)  # (C, H, W)
    latent_dim: int = 2
    hidden_dims: tuple[int, ...] = (400,)  # MLP widths, encoder order (pytorch/examples' VAE)
    conv_channels: tuple[int, ...] = (32, 64)  # conv widths, encoder order (stride 2 each)

    def __post_init__(self) -> None:
        # Checkpoints store tuples as lists; normalise so equal configs compare equal.
        object.__setattr__(self, "image_shape", whole_numbers(self.image_shape, "image shape"))
        object.__setattr__(self, "latent_dim", whole_number(self.latent_dim, "latent size"))
        object.__setattr__(self, "hidden_dims", whole_numbers(self.hidden_dims, "hidden sizes"))
        object.__setattr__(self, "conv_channels", whole_numbers(self.conv_channels, "conv channels"))
        if not isinstance(self.kind, str) or self.kind not in ("ae", "vae"):
            raise ValueError(f"model kind must be 'ae' or 'vae', not {shown(self.kind)}")
        if not isinstance(self.arch, str) or self.arch not in ("mlp", "conv"):
            raise ValueError(f"architecture must be 'mlp' or 'conv', not {shown(self.arch)}")
        if not MIN_LATENT_DIM <= self.latent_dim <= MAX_LATENT_DIM:
            raise ValueError(
                f"latent size must be between {MIN_LATENT_DIM} and {MAX_LATENT_DIM}, not {shown(self.latent_dim)}"
            )
        if len(self.image_shape) != 3:
            raise ValueError(f"image shape must be (channels, height, width), not {shown(self.image_shape)}")
        c, h, w = self.image_shape
        if c not in IMAGE_CHANNELS:
            raise ValueError(f"images must have 1 (grey) or 3 (colour) channels, not {shown(c)}")
        if not (1 <= h <= MAX_IMAGE_SIDE and 1 <= w <= MAX_IMAGE_SIDE):
            raise ValueError(f"image sides must be between 1 and {MAX_IMAGE_SIDE} pixels, not {shown(h)}×{shown(w)}")
        # Both width lists are stored, the unused one too: both are bounded.
        _widths(self.hidden_dims, "hidden sizes", largest=MAX_MLP_WIDTH, layers=MAX_MLP_LAYERS, noun="hidden")
        _widths(self.conv_channels, "conv channels", largest=MAX_CONV_CHANNELS, layers=MAX_CONV_LAYERS, noun="conv")
        if self.arch == "mlp" and not self.hidden_dims:
            raise ValueError("an MLP needs at least one hidden size")
        if self.arch == "conv":
            n = len(self.conv_channels)
            if not self.conv_channels:
                raise ValueError("a conv net needs at least one conv channel count")
            if h % (2**n) or w % (2**n):
                raise ValueError(f"a {n}-layer conv net needs image sides divisible by {2**n}; got {h}×{w}")
        if (n_weights := self.n_parameters) > MAX_PARAMETERS:
            raise ValueError(
                f"the model is too large: {n_weights / 1e6:.0f} million weights, "
                f"at most {MAX_PARAMETERS / 1e6:.0f} million (use fewer or narrower layers)"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        if not isinstance(data, Mapping):
            raise ValueError(f"model settings must be a dict, not {shown(data)}")
        unknown = [k for k in data if k not in cls.__dataclass_fields__]
        if unknown:
            raise ValueError(f"unknown model settings: {', '.join(sorted(shown(k) for k in unknown))}")
        return cls(**data)

    @property
    def n_pixels(self) -> int:
        c, h, w = self.image_shape
        return c * h * w

    @property
    def n_parameters(self) -> int:
        """Weights of the model this config builds, counted on the meta device: no memory, no time."""
        with torch.device("meta"):
            return count_parameters(build_model(self))


def default_device() -> torch.device:
    """CUDA when present, else CPU: every entry point runs on a laptop."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


__all__ = [
    "Architecture",
    "Autoencoder",
    "LatentModel",
    "IMAGE_CHANNELS",
    "MAX_CONV_CHANNELS",
    "MAX_CONV_LAYERS",
    "MAX_IMAGE_SIDE",
    "MAX_LATENT_DIM",
    "MAX_MLP_LAYERS",
    "MAX_MLP_WIDTH",
    "MAX_PARAMETERS",
    "MIN_LATENT_DIM",
    "ModelConfig",
    "ModelKind",
    "VAE",
    "build_model",
    "count_parameters",
    "default_device",
]
