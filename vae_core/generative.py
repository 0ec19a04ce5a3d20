"""Every model kind behind one set of calls: rebuild from a checkpoint's config, draw samples, time them.

The AE and VAE decode codes from N(0, I); the GAN's generator maps its z; the diffusion model runs
its sampler from noise. `sample` draws from each the same way, so a page can put them side by side.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from .checks import shown
from .conditional import ConditionalConfig, ConditionalVAE
from .diffusion import DiffusionConfig, FlowMatching, generate
from .evaluator import ClassifierConfig, DigitClassifier
from .gan import GAN, GANConfig
from .models import LatentModel, ModelConfig, build_model

AnyConfig = ModelConfig | GANConfig | DiffusionConfig | ClassifierConfig | ConditionalConfig
GenerativeModel = LatentModel | GAN | FlowMatching
CONFIG_OF_KIND: dict[str, type] = {
    "ae": ModelConfig,
    "vae": ModelConfig,
    "gan": GANConfig,
    "diffusion": DiffusionConfig,
    "classifier": ClassifierConfig,
    "cvae": ConditionalConfig,
}
LATENT_KINDS = ("ae", "vae")  # the models with an encoder, which the rest of the app pairs
SAMPLE_BATCH = 500


def config_from_dict(data: Any) -> AnyConfig:
    """The config of any kind, from a checkpoint's dict; a ValueError names what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError(f"model settings must be a dict, not {shown(data)}")
    kind = data.get("kind", "vae")
    if not isinstance(kind, str) or kind not in CONFIG_OF_KIND:
        raise ValueError(f"model kind must be one of {', '.join(CONFIG_OF_KIND)}, not {shown(kind)}")
    cls = CONFIG_OF_KIND[kind]
    if cls is ModelConfig:
        return ModelConfig.from_dict(dict(data))
    unknown = [k for k in data if k not in cls.__dataclass_fields__]
    if unknown:
        raise ValueError(f"unknown model settings: {', '.join(sorted(shown(k) for k in unknown))}")
    return cls(**data)


def build(config: AnyConfig) -> nn.Module:
    if isinstance(config, GANConfig):
        return GAN(config)
    if isinstance(config, DiffusionConfig):
        return FlowMatching(config)
    if isinstance(config, ClassifierConfig):
        return DigitClassifier(config)
    if isinstance(config, ConditionalConfig):
        return ConditionalVAE(config)
    return build_model(config)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def latent_size(model: GenerativeModel) -> tuple[int, ...]:
    """The shape of one sample's starting noise: a code, a z, or an image of noise."""
    if isinstance(model, FlowMatching):
        return tuple(model.config.image_shape)
    return (model.config.latent_dim,)


def starting_noise(model: GenerativeModel, n: int, *, seed: int) -> np.ndarray:
    """The N(0, I) draws that `sample` starts from, (n, *latent_size): seeded on the CPU, so the same
    seed gives the same pictures on any device."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, *latent_size(model), generator=gen).numpy()


@torch.no_grad()
def decode_noise(model: GenerativeModel, noise: np.ndarray, *, steps: int | None = None) -> np.ndarray:
    """Images (n, C, H, W) in [0, 1] from starting noise (codes, z, or noise images), in batches."""
    x = torch.as_tensor(np.asarray(noise, dtype=np.float32))
    device = _device(model)
    out = []
    for i in range(0, len(x), SAMPLE_BATCH):
        part = x[i : i + SAMPLE_BATCH].to(device)
        if isinstance(model, FlowMatching):
            images = generate(model, part, steps=steps)
        elif isinstance(model, GAN):
            images = model.images(part)
        else:
            images = torch.sigmoid(model.decode(part))  # Bernoulli means, as the other pages show
        out.append(images.float().cpu())
    return torch.cat(out).numpy() if out else np.zeros((0, *model.config.image_shape), dtype=np.float32)


def sample(model: GenerativeModel, n: int, *, seed: int, steps: int | None = None) -> np.ndarray:
    """n samples (n, C, H, W) in [0, 1]: same seed, same pictures. An AE or VAE decodes N(0, I)
    codes; a GAN its generator's z ~ N(0, I); the diffusion model runs its sampler from noise
    (`steps` of it; the config's number by default)."""
    if not 0 <= n <= 100_000:
        raise ValueError(f"the number of samples must be between 0 and 100000, not {shown(n)}")
    model.eval()
    return decode_noise(model, starting_noise(model, n, seed=seed), steps=steps)


def sampling_seconds(model: GenerativeModel, n: int, *, repeats: int = 3, steps: int | None = None) -> float:
    """Best of `repeats` wall-clock times to draw n samples (after one warm-up run)."""
    sample(model, n, seed=0, steps=steps)
    best = float("inf")
    for r in range(repeats):
        start = time.perf_counter()
        sample(model, n, seed=r + 1, steps=steps)
        best = min(best, time.perf_counter() - start)
    return best
