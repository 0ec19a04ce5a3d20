"""A GAN for 28×28 digits: a DCGAN-style generator and discriminator (Radford et al. 2016).

The generator maps z ~ N(0, I) to an image; the discriminator scores images as real or generated,
and each is trained against the other. There is no encoder (finding a digit's z takes an
optimisation, `invert`) and no likelihood. The stabilisers are switches of the config so that the
same code trains the stable recipe and one that collapses onto a few digits on purpose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import torch
from torch import nn
from torch.nn import functional as F

from .checks import shown, whole_number, whole_numbers

GanArchitecture = Literal["conv", "mlp"]
MAX_GAN_WIDTH = 1024


@dataclass(frozen=True)
class GANConfig:
    """Everything needed to rebuild the generator and discriminator; stored inside the checkpoint."""

    kind: Literal["gan"] = "gan"
    arch: GanArchitecture = "conv"
    image_shape: tuple[int, int, int] = (1, 28, 28)  # (C, H, W); the conv nets need sides divisible by 4
    latent_dim: int = 16
    width: int = 64  # conv: channels of the generator's last hidden layer (doubled below it); mlp: hidden units
    spectral_norm: bool = True  # on every discriminator layer (Miyato et al. 2018)

    def __post_init__(self) -> None:
        object.__setattr__(self, "image_shape", whole_numbers(self.image_shape, "image shape"))
        object.__setattr__(self, "latent_dim", whole_number(self.latent_dim, "latent size"))
        object.__setattr__(self, "width", whole_number(self.width, "GAN width"))
        if self.kind != "gan":
            raise ValueError(f"a GAN config's kind must be 'gan', not {shown(self.kind)}")
        if not isinstance(self.arch, str) or self.arch not in ("conv", "mlp"):
            raise ValueError(f"GAN architecture must be 'conv' or 'mlp', not {shown(self.arch)}")
        if not isinstance(self.spectral_norm, bool):
            raise ValueError(f"spectral norm must be true or false, not {shown(self.spectral_norm)}")
        if len(self.image_shape) != 3 or self.image_shape[0] not in (1, 3):
            raise ValueError(f"image shape must be (1 or 3 channels, height, width), not {shown(self.image_shape)}")
        _, h, w = self.image_shape
        if not (4 <= h <= 64 and 4 <= w <= 64) or (self.arch == "conv" and (h % 4 or w % 4)):
            raise ValueError(f"image sides must be from 4 to 64 (multiples of 4 for the conv nets), not {h}×{w}")
        if not 1 <= self.latent_dim <= 128:
            raise ValueError(f"latent size must be between 1 and 128, not {shown(self.latent_dim)}")
        if not 8 <= self.width <= MAX_GAN_WIDTH:
            raise ValueError(f"GAN width must be between 8 and {MAX_GAN_WIDTH}, not {shown(self.width)}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class BatchNorm2d(nn.BatchNorm2d):
    """BatchNorm without its integer step counter, which only momentum=None reads: a checkpoint
    holds floating-point tensors alone."""

    def __init__(self, n_channels: int):
        super().__init__(n_channels)
        self.register_buffer("num_batches_tracked", None)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, *args) -> None:  # noqa: ANN001
        # BatchNorm's own hook adds the counter to a state dict without version metadata (a plain
        # dict, as load_checkpoint passes): skip it, there is no counter to load.
        nn.Module._load_from_state_dict(self, state_dict, prefix, local_metadata, *args)


def _generator(cfg: GANConfig) -> nn.Module:
    c, h, w = cfg.image_shape
    if cfg.arch == "mlp":
        return nn.Sequential(
            nn.Linear(cfg.latent_dim, cfg.width),
            nn.ReLU(),
            nn.Linear(cfg.width, cfg.width),
            nn.ReLU(),
            nn.Linear(cfg.width, c * h * w),
            nn.Unflatten(1, (c, h, w)),
        )
    wide = 2 * cfg.width
    return nn.Sequential(
        nn.Linear(cfg.latent_dim, wide * (h // 4) * (w // 4)),
        nn.Unflatten(1, (wide, h // 4, w // 4)),
        BatchNorm2d(wide),
        nn.ReLU(),
        nn.ConvTranspose2d(wide, cfg.width, 4, stride=2, padding=1),  # (B, width, H/2, W/2)
        BatchNorm2d(cfg.width),
        nn.ReLU(),
        nn.ConvTranspose2d(cfg.width, c, 4, stride=2, padding=1),  # (B, C, H, W)
    )


def _discriminator(cfg: GANConfig) -> nn.Module:
    c, h, w = cfg.image_shape
    norm = nn.utils.parametrizations.spectral_norm if cfg.spectral_norm else (lambda m: m)
    if cfg.arch == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            norm(nn.Linear(c * h * w, cfg.width)),
            nn.LeakyReLU(0.2),
            norm(nn.Linear(cfg.width, cfg.width)),
            nn.LeakyReLU(0.2),
            norm(nn.Linear(cfg.width, 1)),
        )
    wide = 2 * cfg.width
    return nn.Sequential(
        norm(nn.Conv2d(c, cfg.width, 4, stride=2, padding=1)),  # (B, width, H/2, W/2)
        nn.LeakyReLU(0.2),
        norm(nn.Conv2d(cfg.width, wide, 4, stride=2, padding=1)),  # (B, 2·width, H/4, W/4)
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        norm(nn.Linear(wide * (h // 4) * (w // 4), 1)),
    )


class GAN(nn.Module):
    """Generator G(z) (tanh images in [−1, 1], as DCGAN) and discriminator D(x) (one logit)."""

    kind = "gan"

    def __init__(self, config: GANConfig):
        super().__init__()
        self.config = config
        self.generator = _generator(config)
        self.discriminator = _discriminator(config)

    def generate(self, z: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.generator(z))  # (B, C, H, W) in [−1, 1]

    def images(self, z: torch.Tensor) -> torch.Tensor:
        return (self.generate(z) + 1) / 2  # (B, C, H, W) in [0, 1]

    def score(self, x: torch.Tensor) -> torch.Tensor:
        return self.discriminator(x).squeeze(1)  # (B,) logits: real > 0

    @torch.no_grad()
    def standing_statistics(self, *, batches: int = 20, batch_size: int = 500, seed: int = 0) -> None:
        """Set the generator's BatchNorm statistics to their mean over batches of fresh z (Brock et al. 2019):
        after averaging the weights, the running statistics of the last steps no longer fit them."""
        norms = [m for m in self.generator.modules() if isinstance(m, nn.BatchNorm2d)]
        if not norms:
            return
        gen = torch.Generator().manual_seed(seed)
        device = next(self.parameters()).device
        was_training = self.training
        sums = {m: [torch.zeros_like(m.running_mean), torch.zeros_like(m.running_var)] for m in norms}
        for m in norms:
            m.momentum = 1.0  # each forward leaves that batch's own statistics
        self.generator.train()
        for _ in range(batches):
            self.generator(torch.randn(batch_size, self.config.latent_dim, generator=gen).to(device))
            for m in norms:
                sums[m][0] += m.running_mean
                sums[m][1] += m.running_var
        for m in norms:
            m.running_mean.copy_(sums[m][0] / batches)
            m.running_var.copy_(sums[m][1] / batches)
            m.momentum = 0.1
        self.train(was_training)


GanLoss = Literal["nonsaturating", "hinge"]


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, loss: GanLoss, smooth: float = 0.0):
    """Non-saturating (Goodfellow et al. 2014, with one-sided label smoothing, Salimans et al. 2016)
    or hinge (Lim & Ye 2017; Miyato et al. 2018)."""
    if loss == "hinge":
        return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()
    real_target = torch.full_like(real_logits, 1.0 - smooth)
    return F.binary_cross_entropy_with_logits(real_logits, real_target) + F.binary_cross_entropy_with_logits(
        fake_logits, torch.zeros_like(fake_logits)
    )


def generator_loss(fake_logits: torch.Tensor, loss: GanLoss) -> torch.Tensor:
    if loss == "hinge":
        return -fake_logits.mean()
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))  # −log D(G(z))


def translate(x: torch.Tensor, shift: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Each image moved by up to `shift` whole pixels each way, zero-filled: DiffAugment's translation
    (Zhao et al. 2020), applied to real and generated images alike so that a discriminator trained on
    4,500 digits cannot memorise them. Differentiable in x (a gather)."""
    if shift <= 0:
        return x
    n, _, h, w = x.shape
    dx, dy = torch.randint(-shift, shift + 1, (2, n, 1, 1), generator=generator, device=x.device).unbind(0)
    rows = torch.arange(h, device=x.device)[None, :, None] - dy  # (N, H, 1)
    cols = torch.arange(w, device=x.device)[None, None, :] - dx  # (N, 1, W)
    inside = ((rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)).to(x.dtype)  # (N, H, W)
    padded = F.pad(x, (1, 1, 1, 1))  # index 0 and -1 are zeros
    r = (rows.clamp(-1, h) + 1).expand(n, h, w)
    c = (cols.clamp(-1, w) + 1).expand(n, h, w)
    idx = torch.arange(n, device=x.device)[:, None, None]
    moved = padded.permute(0, 2, 3, 1)[idx, r, c].permute(0, 3, 1, 2)  # (N, C, H, W)
    return moved * inside[:, None]


@torch.enable_grad()
def invert(
    model: GAN, images: torch.Tensor, *, steps: int = 200, lr: float = 0.05, seed: int = 0
) -> tuple[torch.Tensor, list[float]]:
    """The GAN has no encoder: find z for each image by gradient descent on the pixel error of G(z),
    with a small pull towards the prior (Zhu et al. 2016). Returns z (B, latent_dim) and the mean
    squared error after each step."""
    gen = torch.Generator(device=images.device).manual_seed(seed)
    z = torch.randn(len(images), model.config.latent_dim, generator=gen, device=images.device).requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    target = images * 2 - 1
    errors: list[float] = []
    for _ in range(steps):  # gradients for z alone: the model, shared by every session, is only read
        err = F.mse_loss(model.generate(z), target, reduction="none").flatten(1).mean(1)  # (B,)
        loss = err.sum() + 1e-3 * (z**2).sum()
        (z.grad,) = torch.autograd.grad(loss, [z])
        opt.step()
        errors.append(float(err.detach().mean()))
    return z.detach(), errors
