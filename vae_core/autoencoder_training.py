"""The training loop: in-memory minibatches, a report every step, a stop request between steps;
optionally a denoising autoencoder's, which sees noisy images and rebuilds the clean ones."""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol, get_args

import torch

from .checks import alternatives, shown
from .corruption import NOISE_KINDS, corrupt_batch
from .evaluation import evaluate
from .losses import model_loss
from .models import LatentModel, default_device
from .settings import check_types, setting

LrSchedule = Literal["onecycle", "cosine", "constant"]
LR_SCHEDULES: tuple[str, ...] = get_args(LrSchedule)
MAX_EPOCHS = 10_000  # a run the app or the command line can finish; more is a typo
MAX_SEED = 2**32 - 1  # what every seeding API accepts
NOISE_SEED_OFFSET = 0x5EED_D0  # the denoising noise's stream: seeded from the run's seed, apart from the others
MAX_AUGMENT_SHIFT = 4.0  # pixels: a 28-pixel digit moved further starts to leave its frame
MAX_AUGMENT_ROTATION = 45.0  # degrees: beyond it a 6 starts to read as a 9
AUGMENT_SEED_OFFSET = 0xA06_0E17  # the augmentation's stream: seeded from the run's seed, apart from the others
N_CLASSES = 10  # every data set here has ten classes (digits 0-9, or Fashion-MNIST's ten garments)
DEFAULT_CORRUPTION_LEVEL = 0.3  # --corruption without --corruption-level: visible noise that a digit survives


@dataclass(frozen=True)
class TrainSettings:
    """Defaults tuned on `mnist` for time to quality (bench/bench_training.py): more, smaller steps
    at a higher one-cycle peak reach the plain recipe's ELBO in a fraction of its epochs.

    Each field is declared once (`settings.setting`): its label names it in messages, and its help
    makes it an option of the command line (vae_core/train.py)."""

    epochs: int = setting(10, help=f"passes over the training split, 1 to {MAX_EPOCHS}")
    batch_size: int = setting(64, help="images per step")
    lr: float = setting(1e-2, label="learning rate", help="(peak) learning rate of Adam")  # one-cycle, cosine: the peak
    lr_schedule: LrSchedule = setting("onecycle", help="learning-rate schedule over the run")
    # Weight of the KL term (β-VAE); ignored by the plain autoencoder.
    beta: float = setting(1.0, label="β", help="weight of the KL term (VAE only)")
    kl_warmup_epochs: float = setting(  # β rises linearly from 0 over this many epochs
        0.0,
        label="KL warm-up",
        flag="--kl-warmup",
        metavar="EPOCHS",
        help="epochs over which β rises linearly from 0, at most --epochs (VAE only)",
    )
    weight_decay: float = setting(0.0, help="Adam weight decay, 0 to 1")
    # Shorter memory of squared gradients than Adam's 0.999: steadier at high rates.
    adam_beta2: float = setting(0.99, label="Adam β2", help="Adam's β2")
    seed: int = setting(0, help=f"seed for weights, noise and batch order, 0 to {MAX_SEED}")
    # A denoising autoencoder: each minibatch's inputs get fresh noise of this kind (one of
    # corruption.NOISE_KINDS) and level, while the loss scores the reconstruction against the clean
    # images. None trains on clean inputs (the level must then be 0).
    corruption: str | None = setting(
        None,
        choices=NOISE_KINDS,
        help="train a denoising autoencoder: each minibatch's inputs get fresh noise of this kind (Gaussian, salt "
        "and pepper, or a black square) and the loss compares the reconstruction with the clean images; the "
        "validation figures stay on clean images",
    )
    corruption_level: float = setting(
        0.0,
        cli_default=argparse.SUPPRESS,  # absent unless given: a level without --corruption is refused
        metavar="LEVEL",
        help="noise level, 0 to 1: Gaussian σ, the fraction of salt-and-pepper pixels, or the fraction of the "
        f"image the square hides (with --corruption; default: {DEFAULT_CORRUPTION_LEVEL})",
    )
    # Train without one class (a digit 0-9): the model never sees it, so it can show how an unseen
    # kind of image stands out (anomaly detection). Applied by pipeline.fit, which holds the labels;
    # its recorded figures are on the validation images of the other classes. None: all of them.
    without_digit: int | None = setting(
        None,
        label="the left-out digit",
        metavar="DIGIT",
        help="leave this digit (class 0 to 9) out of the training images, e.g. for anomaly detection; the "
        "validation figures are then on the other digits' validation images",
    )
    # Augmentation: each minibatch image is moved by up to this many pixels across and down and turned
    # by up to this many degrees, afresh every step, so that the model cannot learn the training
    # images' exact pixels (4,500 digits are few). 0 and 0: the images as they are.
    augment_shift: float = setting(
        0.0,
        label="augmentation shift",
        metavar="PIXELS",
        help="augmentation: move each training image by up to this many pixels each way, afresh every step "
        f"(0 to {MAX_AUGMENT_SHIFT:g})",
    )
    augment_rotation: float = setting(
        0.0,
        label="augmentation rotation",
        metavar="DEGREES",
        help="augmentation: turn each training image by up to this many degrees, afresh every step "
        f"(0 to {MAX_AUGMENT_ROTATION:g})",
    )

    def __post_init__(self) -> None:
        check_types(self)  # from the type hints: a string or NaN from a file or a command line is refused here
        checks = [
            (
                1 <= self.epochs <= MAX_EPOCHS,
                f"epochs must be at least 1 and at most {MAX_EPOCHS}, not {shown(self.epochs)}",
            ),
            (self.batch_size >= 1, f"batch size must be at least 1, not {shown(self.batch_size)}"),
            (0 < self.lr <= 1, f"learning rate must be in (0, 1], not {self.lr}"),
            (
                isinstance(self.lr_schedule, str) and self.lr_schedule in LR_SCHEDULES,
                f"learning-rate schedule must be {alternatives(LR_SCHEDULES)}, not {shown(self.lr_schedule)}",
            ),
            (0 <= self.beta <= 100, f"β must be between 0 and 100, not {self.beta}"),
            (
                0 <= self.kl_warmup_epochs <= self.epochs,
                f"KL warm-up must be between 0 and the {self.epochs} epochs of the run, not {self.kl_warmup_epochs}",
            ),
            (0 <= self.weight_decay <= 1, f"weight decay must be between 0 and 1, not {self.weight_decay}"),
            (0 < self.adam_beta2 < 1, f"Adam β2 must be in (0, 1), not {self.adam_beta2}"),
            (0 <= self.seed <= MAX_SEED, f"seed must be between 0 and {MAX_SEED}, not {shown(self.seed)}"),
            (
                self.corruption is None or (isinstance(self.corruption, str) and self.corruption in NOISE_KINDS),
                f"corruption must be none or one of {', '.join(NOISE_KINDS)}, not {shown(self.corruption)}",
            ),
            (
                0 <= self.corruption_level <= 1,
                f"corruption level must be between 0 and 1, not {self.corruption_level}",
            ),
            (
                self.corruption is not None or self.corruption_level == 0,
                f"a corruption level ({self.corruption_level}) needs a corruption kind ({', '.join(NOISE_KINDS)})",
            ),
            (
                0 <= self.augment_shift <= MAX_AUGMENT_SHIFT,
                f"augmentation shift must be between 0 and {MAX_AUGMENT_SHIFT:g} pixels, not {self.augment_shift}",
            ),
            (
                0 <= self.augment_rotation <= MAX_AUGMENT_ROTATION,
                f"augmentation rotation must be between 0 and {MAX_AUGMENT_ROTATION:g} degrees, "
                f"not {self.augment_rotation}",
            ),
            (
                self.without_digit is None or 0 <= self.without_digit < N_CLASSES,
                f"the left-out digit must be 0 to {N_CLASSES - 1} (or none), not {shown(self.without_digit)}",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainSettings:
        """Unknown names are ignored (a file may come from a newer version); a bad value is a ValueError.
        Names a file lacks take their defaults: files older than denoising trained on clean inputs."""
        if not isinstance(data, Mapping):
            raise ValueError(f"training settings must be a dict, not {shown(data)}")
        data = {"adam_beta2": 0.999, **data}  # files older than this setting used Adam's default
        return cls(**{k: v for k, v in data.items() if isinstance(k, str) and k in cls.__dataclass_fields__})


DEFAULT_SETTINGS = TrainSettings()


@dataclass(frozen=True)
class StepReport:
    """One optimisation step's figures; plain values, so a training process can send it through a pipe."""

    step: int  # 1-based, over the whole run
    total_steps: int
    epoch: int  # 1-based
    loss: float  # nats per image, this minibatch
    recon: float
    kl: float
    beta: float  # the KL weight in force (after warm-up)
    elapsed: float  # seconds since training started


@dataclass
class TrainResult:
    history: list[dict[str, float]] = field(default_factory=list)  # one row per finished epoch
    steps: int = 0
    epochs_completed: int = 0
    seconds: float = 0.0
    stopped: bool = False  # True when a stop request ended the run early


class StopFlag(Protocol):
    def is_set(self) -> bool: ...


def augment_batch(
    images: torch.Tensor, *, shift: float, rotation: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Each image (N, C, H, W) moved by up to `shift` pixels along each axis and turned by up to
    `rotation` degrees about its centre, uniformly at random from `generator`, in a new tensor.

    One affine map per image, applied by bilinear resampling (what comes into view is black): a
    few small tensor operations on the minibatch, cheap next to the model's own step. The rotation is
    in pixel units only for square images, which all of this project's are."""
    x = images
    n, _, h, w = x.shape
    draws = torch.rand(3, n, generator=generator, device=x.device, dtype=x.dtype) * 2 - 1  # (3, N) in [-1, 1)
    angle = draws[0] * math.radians(rotation)
    # affine_grid works in coordinates from -1 to 1 across the image: one pixel is 2/W across, 2/H down.
    tx, ty = draws[1] * shift * 2 / w, draws[2] * shift * 2 / h
    cos, sin = angle.cos(), angle.sin()
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)  # (N, 2, 3)
    grid = torch.nn.functional.affine_grid(theta, list(x.shape), align_corners=False)  # (N, H, W, 2)
    return torch.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _scheduler(opt: torch.optim.Optimizer, s: TrainSettings, total_steps: int):
    if s.lr_schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=s.lr, total_steps=total_steps, pct_start=0.2)
    if s.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps)
    return None


def train_model(
    model: LatentModel,
    images: torch.Tensor,
    *,
    settings: TrainSettings = DEFAULT_SETTINGS,
    val_images: torch.Tensor | None = None,
    on_step: Callable[[StepReport], None] | None = None,
    on_epoch: Callable[[dict[str, float], LatentModel], None] | None = None,
    stop: StopFlag | None = None,
    device: torch.device | str | None = None,
) -> TrainResult:
    """Train `model` in place on `images` (N, C, H, W) in [0, 1].

    The whole set sits on the device and minibatches are index slices of it: no per-sample
    Python work. Seeded: the same settings give the same model on the same device.

    With `settings.corruption` set this trains a denoising autoencoder: each minibatch the model
    sees is corrupted afresh (`corruption.corrupt_batch`, seeded from `settings.seed`), and its loss
    scores the reconstruction against the clean minibatch. The figures each step reports are those
    of that loss; the validation figures (`val_*`) stay on clean inputs, comparable with any model's.

    With `settings.augment_shift` or `augment_rotation` set, each minibatch is first moved and turned
    at random (`augment_batch`, seeded from `settings.seed`); the epoch's `loss` is then that of the
    augmented images, and only the validation figures are on the images as they are.
    """
    s = settings
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(s.seed)  # the reparameterisation noise
    order_rng = torch.Generator().manual_seed(s.seed)  # the minibatch order
    noise_rng = (  # the denoising noise, drawn where the images are
        torch.Generator(device=device).manual_seed(s.seed + NOISE_SEED_OFFSET) if s.corruption is not None else None
    )
    augmenting = s.augment_shift > 0 or s.augment_rotation > 0
    augment_rng = torch.Generator(device=device).manual_seed(s.seed + AUGMENT_SEED_OFFSET) if augmenting else None
    model.to(device).train()
    x_all = images.to(device)
    n = len(x_all)
    if n == 0:
        raise ValueError("there are no training images")
    steps_per_epoch = math.ceil(n / s.batch_size)
    total_steps = steps_per_epoch * s.epochs
    warmup_steps = s.kl_warmup_epochs * steps_per_epoch
    # fused: one kernel for the whole update instead of a Python loop over the parameter tensors
    opt = torch.optim.Adam(
        model.parameters(), lr=s.lr, betas=(0.9, s.adam_beta2), weight_decay=s.weight_decay, fused=True
    )
    sched = _scheduler(opt, s, total_steps)

    result = TrainResult()
    start = time.perf_counter()
    step = 0
    for epoch in range(1, s.epochs + 1):
        model.train()  # callbacks may have switched it to eval mode
        order = torch.randperm(n, generator=order_rng).to(device)
        sums = torch.zeros(3, device=device)  # loss, recon, kl summed over images
        for i in range(steps_per_epoch):
            if stop is not None and stop.is_set():
                result.stopped = True
                break
            x = x_all[order[i * s.batch_size : (i + 1) * s.batch_size]]  # (B, C, H, W)
            if augmenting:  # moved and turned afresh: the clean target of a denoising model too
                x = augment_batch(x, shift=s.augment_shift, rotation=s.augment_rotation, generator=augment_rng)
            beta = s.beta * min(1.0, (step + 1) / warmup_steps) if warmup_steps > 0 else s.beta
            if s.corruption is not None:  # a denoising autoencoder: noisy inputs, clean targets
                seen = corrupt_batch(x, s.corruption, s.corruption_level, generator=noise_rng)
                terms = model_loss(model, seen, beta=beta, target=x)
            else:
                terms = model_loss(model, x, beta=beta)
            opt.zero_grad(set_to_none=True)
            terms.total.backward()
            opt.step()
            if sched is not None:
                sched.step()
            step += 1
            batch = torch.stack([t.detach() for t in terms])
            sums += batch * len(x)
            if on_step is not None:
                loss, recon, kl = batch.tolist()
                on_step(StepReport(step, total_steps, epoch, loss, recon, kl, beta, time.perf_counter() - start))
        if result.stopped:
            break
        loss, recon, kl = (sums / n).tolist()
        row = {"epoch": epoch, "loss": loss, "recon": recon, "kl": kl, "seconds": time.perf_counter() - start}
        if val_images is not None:
            ev = evaluate(model, val_images, device=device)
            row |= {"val_loss": -ev.elbo if ev.elbo is not None else ev.recon, "val_recon": ev.recon, "val_kl": ev.kl}
        result.history.append(row)
        result.epochs_completed = epoch
        if on_epoch is not None:
            on_epoch(row, model)
    model.eval()
    result.steps = step
    result.seconds = time.perf_counter() - start
    return result
