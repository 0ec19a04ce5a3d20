"""Filling in the hidden part of a digit (imputation), by three models that know what digits look like.

- A VAE finds the code that best explains the pixels it can see, under its prior: z* = argmax
  log p(x_seen | z) + log p(z), the posterior mode given the seen pixels alone, found by gradient
  steps from the encoder's guess; its decoder then draws the hidden part. The prior keeps z where
  the decoder was trained. An AE has no prior: the same search fits the seen pixels with any code,
  holes included. This is the method the page shows, because it measures best (bench/bench_uses.py).
- The encode → decode loop (Rezende et al. 2014, appendix F, with the mean code instead of a sample):
  reconstruct, put the seen pixels back, repeat. Cheaper, and worse: it starts from a digit with a
  black hole in it, which the encoder reads as part of the digit.
- A flow-matching (diffusion) model samples a completion: at each step of its sampler the seen pixels
  are replaced by the seen image carried to that step's noise level, with RePaint's resampling
  (Lugmayr et al. 2022) so that the two parts agree. It draws one sharp plausible digit, not the mean.

Masks are boolean (H, W) arrays, True where a pixel is hidden. Images are numpy (N, C, H, W) in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

from .diffusion import FlowMatching, to_images, to_signal
from .latent import _device, _numpy, as_images
from .models import LatentModel, evaluation_mode

MaskKind = Literal["top", "bottom", "left", "right", "square", "random"]
MASK_KINDS: tuple[MaskKind, ...] = ("top", "bottom", "left", "right", "square", "random")
Method = Literal["optimise", "iterate"]
METHODS: tuple[Method, ...] = ("optimise", "iterate")
OPTIMISE_STEPS, OPTIMISE_LR = 200, 0.05  # Adam on z: the error on hidden pixels has settled by then
ITERATE_STEPS = 50
INPAINT_STEPS, INPAINT_RESAMPLE = 10, 5  # 50 net evaluations: resampling beats more steps (bench_uses)
SHOWN_STEPS = 6  # states of a completion kept for the page, first and last included
BRUSH = 0.12  # a painted mask's brush, as a share of the side: about 3 pixels of 28


def hidden_mask(
    kind: str, height: int, width: int, *, share: float = 0.5, center: tuple[float, float] = (0.5, 0.5), seed: int = 0
) -> np.ndarray:
    """A (H, W) mask, True where hidden: one half of the image; a square hiding `share` of it, its centre
    at `center` (row, column as fractions of the image, kept inside); or a random `share` of the pixels."""
    if kind not in MASK_KINDS:
        raise ValueError(f"mask must be one of {', '.join(MASK_KINDS)}, not {kind!r}")
    if not (math.isfinite(share) and 0.0 < share < 1.0):
        raise ValueError(f"the hidden share must be between 0 and 1, not {share}")
    mask = np.zeros((height, width), dtype=bool)
    if kind == "top":
        mask[: height // 2] = True
    elif kind == "bottom":
        mask[height // 2 :] = True
    elif kind == "left":
        mask[:, : width // 2] = True
    elif kind == "right":
        mask[:, width // 2 :] = True
    elif kind == "square":
        side_h, side_w = (max(1, round(n * math.sqrt(share))) for n in (height, width))
        top = min(max(round(center[0] * height - side_h / 2), 0), height - side_h)
        left = min(max(round(center[1] * width - side_w / 2), 0), width - side_w)
        mask[top : top + side_h, left : left + side_w] = True
    else:
        mask = np.random.default_rng(seed).random((height, width)) < share
    return mask


def painted_mask(strokes: Sequence[np.ndarray], height: int, width: int, *, brush: float = BRUSH) -> np.ndarray:
    """A (H, W) mask, True where a brush `brush` of the side wide passed over the pixel's centre: strokes
    of [x, y] points in [0, 1] (x right, y down) as a canvas paints them over the digit."""
    rows, cols = np.mgrid[0:height, 0:width]
    centres = np.stack([(cols.ravel() + 0.5) / width, (rows.ravel() + 0.5) / height], axis=1)  # (H·W, 2) as x, y
    hidden = np.zeros(height * width, dtype=bool)
    for points in strokes:
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            continue
        starts, ends = points if len(points) == 1 else points[:-1], points if len(points) == 1 else points[1:]
        along = ends - starts  # (S, 2)
        length2 = np.maximum((along**2).sum(axis=1), 1e-12)
        t = np.clip(((centres[:, None, :] - starts[None]) * along[None]).sum(axis=2) / length2, 0.0, 1.0)  # (H·W, S)
        nearest = starts[None] + t[..., None] * along[None]
        distance = np.sqrt(((centres[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
        hidden |= distance <= brush / 2
    return hidden.reshape(height, width)


def _check(images: np.ndarray, hidden: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    x = as_images(images)  # (N, C, H, W)
    hidden = np.asarray(hidden, dtype=bool)
    if hidden.shape != tuple(x.shape[-2:]):
        raise ValueError(f"the mask is {hidden.shape}, the images {tuple(x.shape[-2:])}")
    if not hidden.any() or hidden.all():
        raise ValueError("the mask must hide some pixels and leave some seen")
    return x, torch.from_numpy(hidden)[None, None]  # (1, 1, H, W)


def masked(images: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """What every model is given: the images with their hidden pixels black."""
    x, hide = _check(images, hidden)
    return _numpy(x.masked_fill(hide, 0.0))


@dataclass(frozen=True)
class Completion:
    steps: np.ndarray  # (S, N, C, H, W): states along the way, the masked input first and the result last
    step_numbers: tuple[int, ...]  # (S,) which iteration each state is

    @property
    def result(self) -> np.ndarray:  # (N, C, H, W)
        return self.steps[-1]


def _kept(total: int) -> list[int]:
    return sorted({round(i * total / (SHOWN_STEPS - 1)) for i in range(SHOWN_STEPS)})


def _completion(states: dict[int, torch.Tensor]) -> Completion:
    numbers = tuple(sorted(states))
    return Completion(np.stack([_numpy(states[i]) for i in numbers]), numbers)


def _mean_code(model: LatentModel, x: torch.Tensor) -> torch.Tensor:
    out = model.encode(x)
    return out[0] if model.is_variational else out  # (N, D)


def complete_by_optimisation(
    model: LatentModel, images: np.ndarray, hidden: np.ndarray, *, steps: int = OPTIMISE_STEPS, lr: float = OPTIMISE_LR
) -> Completion:
    """The code that best explains the seen pixels (Bernoulli log-likelihood), plus log N(z; 0, I) for a
    VAE, by Adam from the encoder's code of the masked image; the hidden pixels are that code's decoding."""
    x, hide = _check(images, hidden)
    device = _device(model)
    x, hide = x.to(device), hide.to(device)
    seen = (~hide).to(x.dtype).expand_as(x)  # (N, C, H, W)
    kept, states = set(_kept(steps)), {}
    with evaluation_mode(model):
        with torch.no_grad():
            z = _mean_code(model, x.masked_fill(hide, 0.0)).clone()  # (N, D)
        z.requires_grad_(True)
        optimiser = torch.optim.Adam([z], lr=lr)
        for step in range(steps + 1):
            logits = model.decode(z)  # (N, C, H, W)
            if step in kept:
                states[step] = torch.where(hide, torch.sigmoid(logits.detach()), x)
            if step == steps:
                break
            nll = (F.binary_cross_entropy_with_logits(logits, x, reduction="none") * seen).sum((1, 2, 3))
            prior = 0.5 * (z**2).sum(1) if model.is_variational else torch.zeros_like(nll)  # −log N(z; 0, I) + c
            # The gradient of z alone: a shared model's parameters gather no .grad (other sessions use it)
            (z.grad,) = torch.autograd.grad((nll + prior).sum(), z)
            optimiser.step()
    states[0] = x.masked_fill(hide, 0.0)  # the page's first picture: what the model was given
    return _completion(states)


@torch.no_grad()
def complete_by_iteration(
    model: LatentModel, images: np.ndarray, hidden: np.ndarray, *, steps: int = ITERATE_STEPS
) -> Completion:
    """Reconstruct from the mean code, put the seen pixels back, `steps` times."""
    x, hide = _check(images, hidden)
    device = _device(model)
    x, hide = x.to(device), hide.to(device)
    current = x.masked_fill(hide, 0.0)
    kept, states = set(_kept(steps)), {0: current}
    with evaluation_mode(model):
        for step in range(1, steps + 1):
            decoded = torch.sigmoid(model.decode(_mean_code(model, current)))
            current = torch.where(hide, decoded, x)
            if step in kept:
                states[step] = current
    return _completion(states)


def complete(model: LatentModel, images: np.ndarray, hidden: np.ndarray, method: str = "optimise") -> Completion:
    if method == "optimise":
        return complete_by_optimisation(model, images, hidden)
    if method == "iterate":
        return complete_by_iteration(model, images, hidden)
    raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


@torch.no_grad()
def inpaint(
    flow: FlowMatching,
    images: np.ndarray,
    hidden: np.ndarray,
    *,
    steps: int = INPAINT_STEPS,
    resample: int = INPAINT_RESAMPLE,
    seed: int = 0,
) -> Completion:
    """Sample the hidden pixels with the flow-matching model (Euler steps from noise at t = 1 to the data
    at t = 0). After each step the seen pixels are the seen image on the path at that time, (1 − t)·x + t·ε;
    `resample` times per step the state goes back to the step's start (fresh noise) and steps again."""
    x, hide = _check(images, hidden)
    device = next(flow.parameters()).device
    x, hide = x.to(device), hide.to(device)
    generator = torch.Generator(device=device).manual_seed(seed)

    def noise() -> torch.Tensor:
        return torch.randn(x.shape, generator=generator, device=device, dtype=x.dtype)

    signal, current = to_signal(x), noise()  # (N, C, H, W) each
    times = torch.linspace(1.0, 0.0, steps + 1).tolist()
    kept, states = set(_kept(steps)), {0: x.masked_fill(hide, 0.0)}
    with evaluation_mode(flow):
        for i in range(steps):
            t0, t1 = times[i], times[i + 1]
            for r in range(resample):
                stepped = current + (t1 - t0) * flow.velocity(current, torch.full((len(x),), t0, device=device))
                stepped = torch.where(hide, stepped, (1 - t1) * signal + t1 * noise())
                if r == resample - 1:
                    current = stepped
                else:  # back to t0: x_t0 = a·x_t1 + s·ε has the path's law at t0 (same x, noise t0)
                    a = (1 - t0) / (1 - t1)
                    current = a * stepped + math.sqrt(max(t0**2 - (a * t1) ** 2, 0.0)) * noise()
            if i + 1 in kept:
                states[i + 1] = torch.where(hide, to_images(current), x)
    return _completion(states)


def hidden_error(completed: np.ndarray, truth: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """(N,) mean absolute error over the hidden pixels only, in grey levels (0 to 1): the seen pixels
    are given back to every method, so they would only dilute the difference."""
    completed, truth = np.asarray(completed, dtype=np.float32), np.asarray(truth, dtype=np.float32)
    hide = np.broadcast_to(np.asarray(hidden, dtype=bool), truth.shape)
    return (np.abs(completed - truth) * hide).sum(axis=(1, 2, 3)) / hide.sum(axis=(1, 2, 3))
