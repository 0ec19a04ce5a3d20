"""Tiny GANs, diffusion models and classifiers on the 8×8 digits, for fast tests of the generative models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from vae_core import CheckpointInfo, save_checkpoint
from vae_core.diffusion import DiffusionConfig, FlowMatching
from vae_core.evaluator import ClassifierConfig, DigitClassifier
from vae_core.gan import GAN, GANConfig

SHAPE = (1, 8, 8)  # the `digits` data set


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    """Nets this small gain nothing from a second thread, and on a shared CPU one that waits for a
    busy core makes each step many times slower; imported into a test module, it applies to all of it."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def tiny_gan(*, arch: str = "conv", latent_dim: int = 4, seed: int = 0, image_shape=SHAPE, **kw) -> GAN:
    torch.manual_seed(seed)
    return GAN(GANConfig(arch=arch, image_shape=image_shape, latent_dim=latent_dim, width=8, **kw))


def tiny_diffusion(*, seed: int = 0, image_shape=SHAPE, sampler_steps: int = 4) -> FlowMatching:
    torch.manual_seed(seed)
    config = DiffusionConfig(image_shape=image_shape, channels=(8, 8, 16), time_dim=16, sampler_steps=sampler_steps)
    return FlowMatching(config)


def tiny_classifier(*, seed: int = 0, image_shape=SHAPE) -> DigitClassifier:
    torch.manual_seed(seed)
    return DigitClassifier(ClassifierConfig(image_shape=image_shape, channels=(8, 16), feature_dim=32))


def info_of(model: torch.nn.Module, dataset: str = "digits", **kw) -> CheckpointInfo:
    return CheckpointInfo(config=model.config, dataset=dataset, image_shape=model.config.image_shape, **kw)


def save_tiny(path: Path, model: torch.nn.Module, dataset: str = "digits", **kw) -> Path:
    """Saved as the shipped models are: float16 weights."""
    return save_checkpoint(path, model, info_of(model, dataset, **kw), half_precision=True)


def half_rounded(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The state a float16 checkpoint gives back: every float rounded to half and widened again."""
    return {k: v.half().float() if v.is_floating_point() else v for k, v in model.state_dict().items()}


class StopAfter:
    """A stop flag that is set once `on_step` has seen `n` steps."""

    def __init__(self, n: int):
        self.n, self.seen = n, 0

    def on_step(self, _report) -> None:
        self.seen += 1

    def is_set(self) -> bool:
        return self.seen >= self.n
