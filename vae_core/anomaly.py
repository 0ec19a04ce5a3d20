"""Anomaly detection with a model trained on normal images only: an image it cannot reconstruct (or,
for a VAE, whose ELBO is low) is flagged as unusual when its score passes a threshold.

The scores are per image, in nats; the ROC curve and its area tell how well a score separates two
groups over every threshold, and the confusion counts what one threshold does. `anomaly_images` splits
a data set into the groups a detector is tried on; `false_alarms` and `misses` rank the images one
threshold gets wrong. Numpy in, numpy out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .data import DatasetSplit
from .evaluation import EVAL_SEED, EncodedBatch, map_encoded
from .latent import Images, as_images
from .losses import gaussian_kl
from .models import LatentModel

ELBO_SAMPLES = 16  # z samples per image for the −ELBO score: its noise then moves a score by well under a nat


@dataclass(frozen=True)
class AnomalyScores:
    """Two scores of each image: higher means more unusual."""

    recon: np.ndarray  # (N,) reconstruction error −log p(x | z = μ(x)), nats (float64)
    neg_elbo: np.ndarray | None  # (N,) VAE: −ELBO = E_q[−log p(x|z)] + KL(q(z|x) ‖ p(z)), nats; None for an AE


@torch.no_grad()
def anomaly_scores(
    model: LatentModel,
    images: Images,
    *,
    samples: int = ELBO_SAMPLES,
    batch_size: int = 500,
    seed: int = EVAL_SEED,
    device: torch.device | str | None = None,
) -> AnomalyScores:
    """The reconstruction error of each image (N, C, H, W) at its mean code, and for a VAE its −ELBO:
    the reconstruction term averaged over `samples` draws z ~ q(z|x) (seeded, so reruns agree) plus
    the KL term in closed form. The −ELBO also charges an image for a code far from the prior, which
    the reconstruction error alone ignores. The model's train/eval mode is left as it was."""
    if samples < 1:
        raise ValueError(f"samples must be at least 1, not {samples}")
    x_all = as_images(images)
    if len(x_all) == 0:
        raise ValueError("there are no images to score")

    def scores(b: EncodedBatch) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The batch's reconstruction error at the mean code and its −ELBO, (B,) each, in double."""
        recon = b.error_at_mean().double()
        if b.logvar is None:  # an autoencoder: no ELBO
            return recon, None
        sampled = b.sample(samples)[1].double().mean(0)  # E_q[−log p(x|z)] over the S draws, (B,)
        return recon, sampled + gaussian_kl(b.mu, b.logvar).double()

    parts = map_encoded(model, x_all, scores, batch_size=batch_size, seed=seed, device=device)
    recon, neg_elbo = zip(*parts, strict=True)
    as_numpy = lambda chunks: torch.cat(chunks).cpu().numpy()  # noqa: E731
    return AnomalyScores(as_numpy(recon), as_numpy(neg_elbo) if model.is_variational else None)


@dataclass(frozen=True)
class Roc:
    """The ROC curve of a score that should be higher for unusual images than for normal ones."""

    false_positive_rate: np.ndarray  # (T,) share of normal images flagged, rising from 0 to 1
    true_positive_rate: np.ndarray  # (T,) share of unusual images flagged
    thresholds: np.ndarray  # (T,) flagged: score ≥ threshold; the first is +inf (nothing flagged)
    auc: float  # area under the curve: P(unusual score > normal score), ties counted half


def _scores(values: np.ndarray | list[float], name: str) -> np.ndarray:
    scores = np.asarray(values, dtype=np.float64).ravel()
    if len(scores) == 0:
        raise ValueError(f"there are no {name} scores")
    if not np.isfinite(scores).all():
        raise ValueError(f"the {name} scores must be finite numbers")
    return scores


def roc(normal: np.ndarray, unusual: np.ndarray) -> Roc:
    """The ROC curve over every threshold, one point per distinct score, and its area by the
    trapezoidal rule, which equals the Mann–Whitney probability that an unusual image outscores a
    normal one: scikit-learn's `roc_curve(..., drop_intermediate=False)` and `auc`."""
    from sklearn.metrics import auc, roc_curve  # noqa: PLC0415 - sklearn import is slow; only a curve needs it

    normal, unusual = _scores(normal, "normal"), _scores(unusual, "unusual")
    is_unusual = np.r_[np.zeros(len(normal)), np.ones(len(unusual))]  # (N,) the labels, 1: unusual
    fpr, tpr, thresholds = roc_curve(is_unusual, np.r_[normal, unusual], drop_intermediate=False)  # (T,) each
    return Roc(fpr, tpr, thresholds, float(auc(fpr, tpr)))


@dataclass(frozen=True)
class Confusion:
    """What one threshold does: flagged means score ≥ threshold."""

    normal_flagged: int  # false alarms
    normal_passed: int
    unusual_flagged: int  # caught
    unusual_missed: int

    @property
    def false_positive_rate(self) -> float:
        return self.normal_flagged / max(1, self.normal_flagged + self.normal_passed)

    @property
    def true_positive_rate(self) -> float:
        return self.unusual_flagged / max(1, self.unusual_flagged + self.unusual_missed)


def confusion(normal: np.ndarray, unusual: np.ndarray, threshold: float) -> Confusion:
    """Counts of normal and unusual images flagged (score ≥ threshold) and not; a point of `roc`."""
    normal, unusual = _scores(normal, "normal"), _scores(unusual, "unusual")
    flagged_normal, flagged_unusual = int((normal >= threshold).sum()), int((unusual >= threshold).sum())
    return Confusion(flagged_normal, len(normal) - flagged_normal, flagged_unusual, len(unusual) - flagged_unusual)


def percentile_threshold(normal: np.ndarray, percentile: float) -> float:
    """The score below which `percentile` % of the normal images lie: the threshold that flags about
    100 − percentile % of them, whatever the score's units (as practised: the false-alarm rate is chosen)."""
    if not 0 <= percentile <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {percentile}")
    return float(np.percentile(_scores(normal, "normal"), percentile))


# --- the images a detector is tried on, and the ones worth showing --------------------------------


@dataclass(frozen=True)
class AnomalyImages:
    """The images an anomaly detector is tried on, as numpy arrays; a cache shares them: read only."""

    normal: np.ndarray  # (N, C, H, W): validation images of the digits the model was trained on
    unseen: np.ndarray  # (M, C, H, W): every image of the left-out digit, both splits (the model saw none)
    inverted: np.ndarray  # (K, C, H, W): the first K normal images, black and white swapped
    noise: np.ndarray  # (K, C, H, W): uniform noise

    def groups(self) -> dict[str, np.ndarray]:
        """The four groups by name, in this order: "normal", "unseen", "inverted", "noise"."""
        return {"normal": self.normal, "unseen": self.unseen, "inverted": self.inverted, "noise": self.noise}


def anomaly_images(split: DatasetSplit, digit: int, extra: int, *, seed: int = 0) -> AnomalyImages:
    """Normal validation images (every class but `digit`), the left-out `digit` from both splits (a
    model trained without it saw none of them, and the validation split alone holds few), and
    `extra` inverted and seeded noise images: unusual in ways no digit is, for contrast."""
    if not 0 <= digit < len(split.class_names):
        raise ValueError(f"'{split.name}' has classes 0 to {len(split.class_names) - 1}, not {digit}")
    val_images, train_images = np.asarray(split.val_images), np.asarray(split.train_images)
    val_labels, train_labels = np.asarray(split.val_labels), np.asarray(split.train_labels)
    normal = val_images[val_labels != digit]
    unseen = np.concatenate([val_images[val_labels == digit], train_images[train_labels == digit]])
    noise = np.random.default_rng(seed).random((extra, *normal.shape[1:]), dtype=np.float32)
    return AnomalyImages(normal, unseen, 1.0 - normal[:extra], noise)


def false_alarms(normal: np.ndarray, threshold: float, count: int) -> np.ndarray:
    """Indices of at most `count` normal images flagged (score ≥ threshold), the highest score first:
    the normal images that look the most unusual to the model. Ties keep the images' order."""
    scores = np.asarray(normal, dtype=np.float64).ravel()
    flagged = np.flatnonzero(scores >= threshold)
    return flagged[np.argsort(-scores[flagged], kind="stable")][:count]


def misses(unusual: np.ndarray, threshold: float, count: int) -> np.ndarray:
    """Indices of at most `count` unusual images passed (score < threshold), the lowest score first:
    the unusual images that look the most normal to the model. Ties keep the images' order."""
    scores = np.asarray(unusual, dtype=np.float64).ravel()
    missed = np.flatnonzero(scores < threshold)
    return missed[np.argsort(scores[missed], kind="stable")][:count]
