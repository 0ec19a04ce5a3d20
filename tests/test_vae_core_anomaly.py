"""Anomaly scores, the ROC curve and its area (checked against scikit-learn), confusion counts, PSNR,
the restoration of noisy images, the images a detector is tried on and the ones it gets wrong."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score, roc_curve

from vae_core import evaluate
from vae_core.anomaly import anomaly_images, anomaly_scores, confusion, false_alarms, misses, percentile_threshold, roc
from vae_core.corruption import corrupt, denoising_error, psnr, restore
from vae_core.data import DatasetSplit
from vae_core.evaluation import importance_bounds
from vae_core.latent import reconstruct
from vae_core.losses import bernoulli_nll


def groups(seed: int, *, ties: bool = False) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    normal, unusual = rng.normal(0.0, 1.0, 300), rng.normal(1.0, 1.5, 70)
    if ties:  # rounded: many equal scores, across the two groups too
        normal, unusual = normal.round(1), unusual.round(1)
    return normal, unusual


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_roc_curve_and_its_area_are_scikit_learns(seed: int, ties: bool) -> None:
    normal, unusual = groups(seed, ties=ties)
    labels = np.r_[np.zeros(len(normal)), np.ones(len(unusual))]
    scores = np.r_[normal, unusual]
    fpr, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
    ours = roc(normal, unusual)
    np.testing.assert_allclose(ours.false_positive_rate, fpr)
    np.testing.assert_allclose(ours.true_positive_rate, tpr)
    np.testing.assert_allclose(ours.thresholds[1:], thresholds[1:])  # the first: +inf in both, by convention
    assert ours.thresholds[0] == np.inf
    assert ours.auc == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


def test_the_area_is_the_chance_that_an_unusual_image_outscores_a_normal_one() -> None:
    normal, unusual = groups(3, ties=True)
    above = (unusual[:, None] > normal[None, :]).mean() + 0.5 * (unusual[:, None] == normal[None, :]).mean()
    assert roc(normal, unusual).auc == pytest.approx(above, abs=1e-12)


def test_perfect_useless_and_reversed_scores() -> None:
    assert roc([1.0, 2.0, 3.0], [4.0, 5.0]).auc == 1.0
    assert roc([4.0, 5.0], [1.0, 2.0, 3.0]).auc == 0.0
    assert roc([1.0, 1.0], [1.0, 1.0, 1.0]).auc == 0.5  # every score equal: no threshold separates them


def test_every_confusion_is_a_point_of_the_roc_curve() -> None:
    normal, unusual = groups(4, ties=True)
    curve = roc(normal, unusual)
    for fpr, tpr, threshold in zip(curve.false_positive_rate, curve.true_positive_rate, curve.thresholds, strict=True):
        counts = confusion(normal, unusual, threshold)
        assert counts.false_positive_rate == pytest.approx(fpr)
        assert counts.true_positive_rate == pytest.approx(tpr)
        assert counts.normal_flagged + counts.normal_passed == len(normal)
        assert counts.unusual_flagged + counts.unusual_missed == len(unusual)


def test_a_threshold_flags_scores_at_or_above_it() -> None:
    counts = confusion([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 0.5], 3.0)
    assert (counts.normal_flagged, counts.normal_passed, counts.unusual_flagged, counts.unusual_missed) == (2, 2, 2, 1)


def test_a_percentile_threshold_flags_the_rest_of_the_normal_images() -> None:
    normal, unusual = groups(5)
    for percentile in (50.0, 90.0, 99.0):
        threshold = percentile_threshold(normal, percentile)
        flagged = confusion(normal, unusual, threshold).false_positive_rate
        assert flagged == pytest.approx(1 - percentile / 100, abs=1 / len(normal))


def test_bad_scores_and_percentiles_are_refused() -> None:
    with pytest.raises(ValueError, match="no normal scores"):
        roc([], [1.0])
    with pytest.raises(ValueError, match="finite"):
        roc([1.0, float("nan")], [1.0])
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile_threshold([1.0, 2.0], 101)


def test_the_reconstruction_score_is_the_evaluation_error(digits, make_model) -> None:
    images = digits.val_images[:50]
    for kind in ("ae", "vae"):
        model = make_model(kind, latent_dim=4)
        scores = anomaly_scores(model, images)
        np.testing.assert_allclose(scores.recon, evaluate(model, images).per_image_error, rtol=1e-5)
        assert (scores.neg_elbo is None) == (kind == "ae")


def test_the_negative_elbo_matches_the_importance_sampled_elbo(digits, make_model) -> None:
    """Two estimates of the same expectation, E_q[−log p(x|z)] + KL, one with the KL in closed form:
    with many samples they agree to a small fraction of a nat per image."""
    torch.manual_seed(0)
    vae = make_model("vae", latent_dim=3)
    images = digits.val_images[:20]
    ours = anomaly_scores(vae, images, samples=4000).neg_elbo
    sampled = -importance_bounds(vae, images, samples=4000).elbo
    np.testing.assert_allclose(ours, sampled, atol=0.15)
    again = anomaly_scores(vae, images, samples=16).neg_elbo
    np.testing.assert_array_equal(again, anomaly_scores(vae, images.numpy(), samples=16).neg_elbo)  # seeded


def test_psnr_against_its_formula() -> None:
    clean = np.zeros((2, 1, 4, 4))
    noisy = clean.copy()
    noisy[0, 0, 0, 0] = 1.0  # mean squared error 1/16 → 10·log10(16) dB
    noisy[1] = 0.5  # 0.25 → 10·log10(4) dB
    np.testing.assert_allclose(psnr(clean, noisy), [10 * np.log10(16), 10 * np.log10(4)])
    assert psnr(clean, clean)[0] == pytest.approx(100.0)  # an exact copy: capped, not infinite
    with pytest.raises(ValueError, match="same shape"):
        psnr(clean, clean[:1])


def test_a_restoration_is_the_reconstruction_of_the_noisy_images_scored_against_the_clean_ones(
    digits, make_model
) -> None:
    clean = digits.val_images[:40].numpy()
    noisy = corrupt(clean, "salt_pepper", 0.3, seed=1)
    for kind in ("ae", "vae"):
        model = make_model(kind, latent_dim=4)
        result = restore(model, clean, noisy, batch_size=16)
        np.testing.assert_allclose(result.restored, reconstruct(model, noisy), atol=1e-6)
        logits = torch.logit(torch.from_numpy(result.restored).double().clamp(1e-12, 1 - 1e-12))
        np.testing.assert_allclose(result.nats, bernoulli_nll(logits, torch.from_numpy(clean).double()), rtol=1e-4)
        np.testing.assert_allclose(result.psnr, psnr(clean, result.restored))
        assert float(result.nats.mean()) == pytest.approx(denoising_error(model, clean, "salt_pepper", 0.3, seed=1))


def tiny_split() -> DatasetSplit:
    """Six training and five validation images of three classes, each image filled with its own number."""
    fill = lambda values: torch.tensor(values, dtype=torch.float32)[:, None, None, None].expand(-1, 1, 2, 2) / 10
    train_labels, val_labels = [0, 2, 1, 2, 0, 2], [2, 0, 1, 2, 1]
    train, val = fill([0, 1, 2, 3, 4, 5]), fill([6, 7, 8, 9, 5])
    return DatasetSplit("tiny", train, torch.tensor(train_labels), val, torch.tensor(val_labels), ("a", "b", "c"))


def test_the_anomaly_images_by_hand() -> None:
    """Normal: the validation images of the other classes; unseen: the left-out class's, validation then
    training; inverted: the first normal ones, black and white swapped; noise: seeded uniform noise."""
    images = anomaly_images(tiny_split(), 2, 2, seed=3)
    assert isinstance(images.normal, np.ndarray) and isinstance(images.unseen, np.ndarray)
    assert (images.normal[:, 0, 0, 0] * 10).round().tolist() == [7, 8, 5]
    assert (images.unseen[:, 0, 0, 0] * 10).round().tolist() == [6, 9, 1, 3, 5]
    np.testing.assert_allclose(images.inverted, 1.0 - images.normal[:2])
    np.testing.assert_array_equal(images.noise, np.random.default_rng(3).random((2, 1, 2, 2), dtype=np.float32))
    assert list(images.groups()) == ["normal", "unseen", "inverted", "noise"]
    assert images.groups()["unseen"] is images.unseen
    np.testing.assert_array_equal(anomaly_images(tiny_split(), 2, 2).noise, anomaly_images(tiny_split(), 2, 2).noise)
    with pytest.raises(ValueError, match="classes 0 to 2, not 3"):
        anomaly_images(tiny_split(), 3, 2)


def test_the_anomaly_images_of_the_digits_leave_the_digit_out_of_normal(digits) -> None:
    images = anomaly_images(digits, 7, 10)
    assert len(images.normal) + (digits.val_labels == 7).sum() == len(digits.val_images)
    assert len(images.unseen) == (digits.val_labels == 7).sum() + (digits.train_labels == 7).sum()
    np.testing.assert_array_equal(images.normal, digits.without_class(7).val_images.numpy())
    np.testing.assert_array_equal(images.unseen[: len(digits.images_of_class(7))], digits.images_of_class(7).numpy())
    assert images.inverted.shape == images.noise.shape == (10, 1, 8, 8)
    assert images.noise.dtype == np.float32 and 0 <= images.noise.min() and images.noise.max() < 1


def test_the_false_alarms_and_misses_by_hand() -> None:
    normal, unusual = np.array([1.0, 5.0, 3.0, 5.0, 0.0]), np.array([4.0, 1.0, 2.0, 1.0])
    assert false_alarms(normal, 3.0, 2).tolist() == [1, 3]  # flagged: 5, 3, 5; the highest first, ties in order
    assert false_alarms(normal, 3.0, 8).tolist() == [1, 3, 2]  # at the threshold is flagged
    assert misses(unusual, 3.0, 8).tolist() == [1, 3, 2]  # passed: 1, 2, 1; the lowest first
    assert misses(unusual, 1.0, 8).tolist() == [] and false_alarms(normal, 6.0, 8).tolist() == []


@pytest.mark.parametrize("seed", [0, 1])
def test_the_false_alarms_and_misses_are_what_the_confusion_counts(seed: int) -> None:
    """The reference: every image sorted by (score, index) in plain Python; as many as `confusion` counts."""
    normal, unusual = groups(seed, ties=True)
    threshold = percentile_threshold(normal, 90)
    count = confusion(normal, unusual, threshold)
    flagged = sorted((i for i in range(len(normal)) if normal[i] >= threshold), key=lambda i: (-normal[i], i))
    missed = sorted((i for i in range(len(unusual)) if unusual[i] < threshold), key=lambda i: (unusual[i], i))
    assert false_alarms(normal, threshold, len(normal)).tolist() == flagged and len(flagged) == count.normal_flagged
    assert misses(unusual, threshold, len(unusual)).tolist() == missed and len(missed) == count.unusual_missed
    assert false_alarms(normal, threshold, 8).tolist() == flagged[:8]  # the first few: what the page shows
    assert misses(unusual, threshold, 8).tolist() == missed[:8]
