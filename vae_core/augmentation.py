"""Do labelled synthetic digits help a classifier that has few real ones? An experiment, run as a class would.

A small classifier is trained on k real images per class, then on the same k with n synthetic images
per class from the conditional VAE added, and, for reference, with the real images shifted and turned
at random (the usual augmentation, no model needed); all for the same number of steps. Accuracy is
measured on the validation digits, over several runs: each run draws other real images, other
synthetic ones and other initial weights.

The conditional VAE itself learnt from all 4,500 labelled training digits, so its samples carry
knowledge of more labels than the k the classifier sees: the gain is what a generator trained on a
larger labelled set gives a small one, not labels made from nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .autoencoder_training import augment_batch
from .checkpoint import load_checkpoint
from .checks import shown
from .conditional import ConditionalVAE, synthetic_digits
from .data import DatasetSplit, load_dataset

CONDITIONS = ("real", "real_and_synthetic", "real_shifted")  # the columns of the table, in order
MAX_REAL_PER_CLASS = 400  # each class has at least 400 training digits in the 4,500


@dataclass(frozen=True)
class ExperimentSettings:
    real_per_class: tuple[int, ...] = (5, 10, 50, 100)
    synthetic_per_class: int = 100
    runs: int = 5
    steps: int = 400  # Adam steps per classifier, whatever the size of its training set
    batch_size: int = 64
    hidden: int = 256  # the classifier: 784 → hidden → 10

    def __post_init__(self) -> None:
        ks = tuple(int(k) for k in self.real_per_class)
        object.__setattr__(self, "real_per_class", ks)
        if not ks or not all(1 <= k <= MAX_REAL_PER_CLASS for k in ks):
            raise ValueError(f"real images per class must be from 1 to {MAX_REAL_PER_CLASS}, not {shown(ks)}")
        if not 1 <= self.synthetic_per_class <= 2000:
            raise ValueError(
                f"synthetic images per class must be from 1 to 2000, not {shown(self.synthetic_per_class)}"
            )
        if not 1 <= self.runs <= 20:
            raise ValueError(f"the number of runs must be from 1 to 20, not {shown(self.runs)}")
        if not 10 <= self.steps <= 5000:
            raise ValueError(f"training steps must be from 10 to 5000, not {shown(self.steps)}")


@dataclass
class ExperimentResult:
    """Validation accuracies: accuracy[condition][i][run] for real_per_class[i]; synthetic_only[run]."""

    settings: ExperimentSettings
    accuracy: dict[str, list[list[float]]] = field(default_factory=dict)
    synthetic_only: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def mean(self, condition: str) -> np.ndarray:
        return np.asarray(self.accuracy[condition]).mean(axis=1)  # (len(real_per_class),)

    def spread(self, condition: str) -> np.ndarray:
        """The standard deviation over runs (ddof = 1; 0 for a single run)."""
        a = np.asarray(self.accuracy[condition])
        return a.std(axis=1, ddof=1) if a.shape[1] > 1 else np.zeros(len(a))

    def to_dict(self) -> dict:
        return {**asdict(self), "settings": asdict(self.settings)}


def small_classifier(n_pixels: int, n_classes: int, hidden: int) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(n_pixels, hidden), nn.ReLU(), nn.Linear(hidden, n_classes))


def train_small_classifier(
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    settings: ExperimentSettings,
    seed: int,
    n_classes: int = 10,
    shift_and_turn: bool = False,
) -> nn.Module:
    """`settings.steps` Adam steps on minibatches drawn with replacement: the same compute for 50 images or 1,050."""
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # the initial weights
    model = small_classifier(images[0].numel(), n_classes, settings.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(settings.steps):
        idx = torch.randint(len(images), (settings.batch_size,), generator=gen)
        x = images[idx]  # (B, C, H, W)
        if shift_and_turn:
            x = augment_batch(x, shift=2.0, rotation=10.0, generator=gen)
        loss = F.cross_entropy(model(x), labels[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return model.eval()


@torch.no_grad()
def classifier_accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    return float((model(images).argmax(1) == labels).float().mean())


def real_subset(labels: torch.Tensor, per_class: int, *, seed: int, n_classes: int = 10) -> torch.Tensor:
    """Indices of per_class images of each class, drawn without replacement."""
    rng = np.random.default_rng(seed)
    y = labels.numpy()
    picked = [rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in range(n_classes)]
    return torch.as_tensor(np.concatenate(picked))


def augmentation_experiment(
    generator: ConditionalVAE,
    data: DatasetSplit,
    settings: ExperimentSettings = ExperimentSettings(),
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExperimentResult:
    """Every condition for every k and run; `on_progress(done, total)` after each classifier."""
    n_classes = generator.config.n_classes
    counts = np.bincount(data.train_labels.numpy(), minlength=n_classes)
    if max(settings.real_per_class) > counts.min():
        raise ValueError(f"{data.name} has only {counts.min()} training images of its rarest class")
    s, result, start = settings, ExperimentResult(settings), time.perf_counter()
    result.accuracy = {c: [[] for _ in s.real_per_class] for c in CONDITIONS}
    total, done = s.runs * (len(s.real_per_class) * len(CONDITIONS) + 1), 0
    val_x, val_y = data.val_images, data.val_labels

    def finished(model: nn.Module) -> float:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, total)
        return classifier_accuracy(model, val_x, val_y)

    for run in range(s.runs):
        images, labels = synthetic_digits(generator, s.synthetic_per_class, seed=10_000 + run)
        synth_x, synth_y = torch.as_tensor(images), torch.as_tensor(labels)
        train = dict(settings=s, seed=run, n_classes=n_classes)
        result.synthetic_only.append(finished(train_small_classifier(synth_x, synth_y, **train)))
        for i, k in enumerate(s.real_per_class):
            idx = real_subset(data.train_labels, k, seed=run * 1000 + k, n_classes=n_classes)
            real_x, real_y = data.train_images[idx], data.train_labels[idx]
            both_x, both_y = torch.cat([real_x, synth_x]), torch.cat([real_y, synth_y])
            acc = result.accuracy
            acc["real"][i].append(finished(train_small_classifier(real_x, real_y, **train)))
            acc["real_and_synthetic"][i].append(finished(train_small_classifier(both_x, both_y, **train)))
            acc["real_shifted"][i].append(
                finished(train_small_classifier(real_x, real_y, **train, shift_and_turn=True))
            )
    result.seconds = time.perf_counter() - start
    return result


def experiment_from_file(
    path: str, settings: ExperimentSettings, *, on_progress: Callable[[int, int], None] | None = None
) -> ExperimentResult:
    """The experiment with the conditional VAE in `path`, on its own data set: what a child process runs."""
    model, info = load_checkpoint(path)
    if not isinstance(model, ConditionalVAE):
        raise ValueError(f"{path} holds a {getattr(model, 'kind', type(model).__name__)}, not a conditional VAE")
    return augmentation_experiment(model, load_dataset(info.dataset), settings, on_progress=on_progress)
