"""Training loops of the GAN, the diffusion model, the conditional VAE and the evaluator classifier.

They follow `autoencoder_training.train_model`: the whole set on the device, minibatches as index slices, a
report every step, a stop request between steps, seeded. The GAN and the diffusion model keep an
exponential moving average of their weights (Karras et al. 2018; Ho et al. 2020), whose samples are
markedly better than the last step's; it is what a checkpoint stores.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from .autoencoder_training import MAX_EPOCHS, MAX_SEED, StopFlag, augment_batch
from .checks import alternatives, shown
from .conditional import ConditionalVAE, conditional_loss
from .diffusion import FlowMatching, flow_matching_loss
from .evaluator import DigitClassifier, accuracy, classifier_loss
from .gan import GAN, GanLoss, discriminator_loss, generator_loss, translate
from .models import default_device
from .settings import check_types

GAN_SEED_OFFSET = 0x6A4  # the generator's z stream, apart from the minibatch order
GAN_LOSSES: tuple[str, ...] = get_args(GanLoss)


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _common_checks(epochs: int, batch_size: int, seed: int, lr: float, ema_decay: float) -> None:
    _check(1 <= epochs <= MAX_EPOCHS, f"epochs must be at least 1 and at most {MAX_EPOCHS}, not {shown(epochs)}")
    _check(1 <= batch_size <= 4096, f"batch size must be from 1 to 4096, not {shown(batch_size)}")
    _check(0 <= seed <= MAX_SEED, f"seed must be between 0 and {MAX_SEED}, not {shown(seed)}")
    _check(0 < lr <= 1, f"learning rate must be in (0, 1], not {lr}")
    _check(0 <= ema_decay < 1, f"the weights' moving average must decay by a factor in [0, 1), not {ema_decay}")


@dataclass(frozen=True)
class GanSettings:
    """DCGAN's recipe (Adam 2·10⁻⁴, β1 = 0.5) with the stabilisers as switches."""

    epochs: int = 60
    batch_size: int = 64
    lr: float = 2e-4  # generator and discriminator alike
    adam_beta1: float = 0.5
    loss: GanLoss = "nonsaturating"
    label_smoothing: float = 0.1  # one-sided: real targets 0.9 (non-saturating loss only)
    augment_shift: int = 2  # DiffAugment translation in pixels, on real and generated images
    ema_decay: float = 0.999
    seed: int = 0

    def __post_init__(self) -> None:
        check_types(self)
        _common_checks(self.epochs, self.batch_size, self.seed, self.lr, self.ema_decay)
        _check(0 <= self.adam_beta1 < 1, f"Adam β1 must be in [0, 1), not {self.adam_beta1}")
        _check(self.loss in GAN_LOSSES, f"GAN loss must be {alternatives(GAN_LOSSES)}, not {shown(self.loss)}")
        _check(0 <= self.label_smoothing < 0.5, f"label smoothing must be in [0, 0.5), not {self.label_smoothing}")
        _check(
            0 <= self.augment_shift <= 8, f"augmentation shift must be 0 to 8 pixels, not {shown(self.augment_shift)}"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DiffusionSettings:
    epochs: int = 60
    batch_size: int = 128
    lr: float = 2e-3  # the one-cycle peak
    ema_decay: float = 0.999
    seed: int = 0

    def __post_init__(self) -> None:
        check_types(self)
        _common_checks(self.epochs, self.batch_size, self.seed, self.lr, self.ema_decay)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClassifierSettings:
    epochs: int = 30
    batch_size: int = 64
    lr: float = 3e-3  # the one-cycle peak
    augment_shift: float = 2.0  # pixels, as training.augment_batch
    augment_rotation: float = 10.0  # degrees
    seed: int = 0

    def __post_init__(self) -> None:
        check_types(self)
        _common_checks(self.epochs, self.batch_size, self.seed, self.lr, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ConditionalSettings:
    """The AE/VAE pairs' Adam recipe, without their schedule: the conditional VAE is a small MLP."""

    epochs: int = 60
    batch_size: int = 128
    lr: float = 1e-3
    seed: int = 0

    def __post_init__(self) -> None:
        check_types(self)
        _common_checks(self.epochs, self.batch_size, self.seed, self.lr, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Settings = GanSettings | DiffusionSettings | ClassifierSettings | ConditionalSettings
SETTINGS_OF_KIND: dict[str, type] = {
    "gan": GanSettings,
    "diffusion": DiffusionSettings,
    "classifier": ClassifierSettings,
    "cvae": ConditionalSettings,
}


def settings_from_dict(kind: str, data: dict[str, Any]) -> Settings:
    """Unknown names are ignored (a newer file); a bad value is a ValueError."""
    cls = SETTINGS_OF_KIND[kind]
    if not isinstance(data, dict):
        raise ValueError(f"training settings must be a dict, not {shown(data)}")
    return cls(**{k: v for k, v in data.items() if isinstance(k, str) and k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class GenerativeStep:
    """One step's figures, plain values for a pipe. `loss` is the main figure (the generator's loss
    for a GAN); `other` the second one (the discriminator's), NaN where there is none."""

    step: int
    total_steps: int
    epoch: int
    loss: float
    other: float
    elapsed: float


@dataclass
class GenerativeResult:
    history: list[dict[str, float]] = field(default_factory=list)  # one row per finished epoch
    steps: int = 0
    epochs_completed: int = 0
    seconds: float = 0.0
    stopped: bool = False


def _minibatches(
    n: int,
    batch_size: int,
    epochs: int,
    seed: int,
    device: torch.device,
    stop: StopFlag | None,
    result: GenerativeResult,
) -> Iterator[tuple[int, int, torch.Tensor | None]]:
    """(epoch, step, indices) for every step, then (epoch, step, None) at each epoch's end; stops
    between steps when asked (result.stopped)."""
    if n == 0:
        raise ValueError("there are no training images")
    order_rng = torch.Generator().manual_seed(seed)
    steps_per_epoch = math.ceil(n / batch_size)
    step = 0
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n, generator=order_rng).to(device)
        for i in range(steps_per_epoch):
            if stop is not None and stop.is_set():
                result.stopped = True
                return
            step += 1
            yield epoch, step, order[i * batch_size : (i + 1) * batch_size]
        yield epoch, step, None


def _ema(model: torch.nn.Module, decay: float) -> AveragedModel:
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def _finish(model: torch.nn.Module, ema: AveragedModel | None, result: GenerativeResult, start: float) -> None:
    if ema is not None and result.steps > 0:
        model.load_state_dict(ema.module.state_dict())  # the averaged weights are the model's
    model.eval()
    result.seconds = time.perf_counter() - start


def train_gan(
    model: GAN,
    images: torch.Tensor,
    *,
    settings: GanSettings = GanSettings(),
    on_step: Callable[[GenerativeStep], None] | None = None,
    on_epoch: Callable[[dict[str, float], GAN], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
) -> GenerativeResult:
    """Train `model` in place on `images` (N, C, H, W) in [0, 1]: one discriminator step, then one
    generator step, per minibatch (Goodfellow et al. 2014, Algorithm 1 with k = 1)."""
    s = settings
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(s.seed)  # the initial weights' noise comes from the caller's build
    z_rng = torch.Generator(device=device).manual_seed(s.seed + GAN_SEED_OFFSET)
    aug_rng = torch.Generator(device=device).manual_seed(s.seed + GAN_SEED_OFFSET + 1)
    model.to(device).train()
    x_all = images.to(device) * 2 - 1  # DCGAN's [−1, 1]
    steps_per_epoch = math.ceil(len(x_all) / s.batch_size)
    total = steps_per_epoch * s.epochs
    opt_g = torch.optim.Adam(model.generator.parameters(), lr=s.lr, betas=(s.adam_beta1, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr=s.lr, betas=(s.adam_beta1, 0.999))
    ema = _ema(model, s.ema_decay) if s.ema_decay > 0 else None
    smooth = s.label_smoothing if s.loss == "nonsaturating" else 0.0
    result, start = GenerativeResult(), time.perf_counter()
    sums = torch.zeros(2, device=device)
    for epoch, step, idx in _minibatches(len(x_all), s.batch_size, s.epochs, s.seed, device, stop, result):
        if idx is None:
            d_loss, g_loss = (sums / steps_per_epoch).tolist()
            row = {"epoch": epoch, "loss": g_loss, "d_loss": d_loss, "seconds": time.perf_counter() - start}
            result.history.append(row)
            result.epochs_completed = epoch
            sums.zero_()
            if on_epoch is not None:
                on_epoch(row, model)
                model.train()
            continue
        real = x_all[idx]  # (B, C, H, W)
        z = torch.randn(len(real), model.config.latent_dim, generator=z_rng, device=device)
        fake = model.generate(z)
        d = discriminator_loss(
            model.score(translate(real, s.augment_shift, aug_rng)),
            model.score(translate(fake.detach(), s.augment_shift, aug_rng)),
            s.loss,
            smooth,
        )
        opt_d.zero_grad(set_to_none=True)
        d.backward()
        opt_d.step()
        g = generator_loss(model.score(translate(fake, s.augment_shift, aug_rng)), s.loss)
        opt_g.zero_grad(set_to_none=True)
        g.backward()
        opt_g.step()
        if ema is not None:
            ema.update_parameters(model)
        result.steps = step
        pair = torch.stack([d.detach(), g.detach()])
        sums += pair
        if on_step is not None:
            d_value, g_value = pair.tolist()
            on_step(GenerativeStep(step, total, epoch, g_value, d_value, time.perf_counter() - start))
    _finish(model, ema, result, start)
    if result.steps > 0:
        model.standing_statistics(seed=s.seed)
    return result


def _one_cycle(opt: torch.optim.Optimizer, lr: float, total: int) -> torch.optim.lr_scheduler.OneCycleLR:
    return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=max(total, 1), pct_start=0.1)


def train_diffusion(
    model: FlowMatching,
    images: torch.Tensor,
    *,
    settings: DiffusionSettings = DiffusionSettings(),
    on_step: Callable[[GenerativeStep], None] | None = None,
    on_epoch: Callable[[dict[str, float], FlowMatching], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
) -> GenerativeResult:
    """Train `model` in place by flow matching on `images` (N, C, H, W) in [0, 1]."""
    s = settings
    device = torch.device(device) if device is not None else default_device()
    noise_rng = torch.Generator(device=device).manual_seed(s.seed)
    model.to(device).train()
    x_all = images.to(device)
    steps_per_epoch = math.ceil(len(x_all) / s.batch_size)
    total = steps_per_epoch * s.epochs
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    sched = _one_cycle(opt, s.lr, total)
    ema = _ema(model, s.ema_decay) if s.ema_decay > 0 else None
    result, start = GenerativeResult(), time.perf_counter()
    total_loss = torch.zeros((), device=device)
    for epoch, step, idx in _minibatches(len(x_all), s.batch_size, s.epochs, s.seed, device, stop, result):
        if idx is None:
            row = {"epoch": epoch, "loss": float(total_loss) / steps_per_epoch, "seconds": time.perf_counter() - start}
            result.history.append(row)
            result.epochs_completed = epoch
            total_loss.zero_()
            if on_epoch is not None:
                on_epoch(row, model)
                model.train()
            continue
        loss = flow_matching_loss(model, x_all[idx], noise_rng)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if ema is not None:
            ema.update_parameters(model)
        result.steps = step
        total_loss += loss.detach()
        if on_step is not None:
            on_step(GenerativeStep(step, total, epoch, float(loss.detach()), math.nan, time.perf_counter() - start))
    _finish(model, ema, result, start)
    return result


def train_classifier(
    model: DigitClassifier,
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    settings: ClassifierSettings = ClassifierSettings(),
    val_images: torch.Tensor | None = None,
    val_labels: torch.Tensor | None = None,
    on_step: Callable[[GenerativeStep], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
) -> GenerativeResult:
    """Cross-entropy on shifted and turned minibatches (4,500 digits are few for a CNN)."""
    s = settings
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(s.seed)  # dropout
    aug_rng = torch.Generator(device=device).manual_seed(s.seed + 1)
    model.to(device).train()
    x_all, y_all = images.to(device), labels.to(device)
    steps_per_epoch = math.ceil(len(x_all) / s.batch_size)
    total = steps_per_epoch * s.epochs
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    sched = _one_cycle(opt, s.lr, total)
    result, start = GenerativeResult(), time.perf_counter()
    total_loss = torch.zeros((), device=device)
    for epoch, step, idx in _minibatches(len(x_all), s.batch_size, s.epochs, s.seed, device, stop, result):
        if idx is None:
            row = {"epoch": epoch, "loss": float(total_loss) / steps_per_epoch, "seconds": time.perf_counter() - start}
            if val_images is not None and val_labels is not None:
                row["val_accuracy"] = accuracy(model, val_images, val_labels.numpy())
            result.history.append(row)
            result.epochs_completed = epoch
            total_loss.zero_()
            model.train()
            continue
        x = augment_batch(x_all[idx], shift=s.augment_shift, rotation=s.augment_rotation, generator=aug_rng)
        loss = classifier_loss(model, x, y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        result.steps = step
        total_loss += loss.detach()
        if on_step is not None:
            on_step(GenerativeStep(step, total, epoch, float(loss.detach()), math.nan, time.perf_counter() - start))
    _finish(model, None, result, start)
    return result


def train_conditional(
    model: ConditionalVAE,
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    settings: ConditionalSettings = ConditionalSettings(),
    on_step: Callable[[GenerativeStep], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
) -> GenerativeResult:
    """Train `model` in place on labelled images (N, C, H, W) in [0, 1] by the negative ELBO given the label."""
    s = settings
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(s.seed)  # the reparameterisation's noise
    model.to(device).train()
    x_all, y_all = images.to(device), labels.to(device)
    steps_per_epoch = math.ceil(len(x_all) / s.batch_size)
    total = steps_per_epoch * s.epochs
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    result, start = GenerativeResult(), time.perf_counter()
    sums = torch.zeros(2, device=device)
    for epoch, step, idx in _minibatches(len(x_all), s.batch_size, s.epochs, s.seed, device, stop, result):
        if idx is None:
            recon, kl = (sums / steps_per_epoch).tolist()
            row = {"epoch": epoch, "loss": recon + kl, "recon": recon, "kl": kl, "seconds": time.perf_counter() - start}
            result.history.append(row)
            result.epochs_completed = epoch
            sums.zero_()
            continue
        terms = conditional_loss(model, x_all[idx], y_all[idx])
        opt.zero_grad(set_to_none=True)
        terms.total.backward()
        opt.step()
        result.steps = step
        sums += torch.stack([terms.recon.detach(), terms.kl.detach()])
        if on_step is not None:
            loss = float(terms.total.detach())
            on_step(GenerativeStep(step, total, epoch, loss, math.nan, time.perf_counter() - start))
    _finish(model, None, result, start)
    return result
