"""The evaluator: the classifier (shapes, training, checkpoint) and the sample-quality maths against
references: the Fréchet distance against an independent eigen-decomposition and the Gaussians' closed
form, precision/recall on constructed sets, nearest distances against brute force."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from tests.tiny_generative import (
    StopAfter,
    half_rounded,
    one_thread,  # noqa: F401 - an autouse fixture: one thread for the whole module
    save_tiny,
    tiny_classifier,
    tiny_gan,
)
from vae_core import evaluator as ev
from vae_core import load_checkpoint
from vae_core.evaluator import (
    ClassifierConfig,
    DigitClassifier,
    accuracy,
    class_shares,
    classifier_loss,
    features_and_classes,
    frechet_distance,
    nearest_distances,
    precision_recall,
    sample_quality,
)
from vae_core.generative_pipeline import load_evaluator
from vae_core.generative_training import ClassifierSettings, train_classifier

# --- the Fréchet distance ---------------------------------------------------------------------------


def _fd_by_eigenvalues(a: np.ndarray, b: np.ndarray) -> float:
    """Tr((Σa Σb)^½) = Σ √λ of the symmetric Σa^½ Σb Σa^½: symmetric eigen-decompositions only."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    inner = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    return float(
        ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * np.sqrt(np.clip(inner, 0, None)).sum()
    )


def _exact_gaussian_sample(n: int, mean: np.ndarray, cov_root: np.ndarray, seed: int) -> np.ndarray:
    """n points whose sample mean is `mean` and whose sample covariance is cov_root·cov_rootᵀ exactly."""
    z = np.random.default_rng(seed).normal(size=(n, len(mean)))
    z -= z.mean(0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False))).T  # sample covariance I
    return mean + z @ cov_root.T


def test_frechet_distance_matches_an_independent_computation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 6)) @ rng.normal(size=(6, 6))
    b = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) + rng.normal(size=6)
    assert frechet_distance(a, b) == pytest.approx(_fd_by_eigenvalues(a, b), rel=1e-7)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-7)


def test_frechet_distance_of_diagonal_gaussians_is_their_closed_form():
    """Diagonal covariances: FD = |μ1 − μ2|² + Σ (σ1 − σ2)²."""
    mu1, mu2 = np.array([0.0, 1.0, -2.0, 3.0]), np.array([1.0, 1.0, 0.5, -1.0])
    s1, s2 = np.array([1.0, 2.0, 0.5, 3.0]), np.array([2.0, 0.5, 0.5, 1.0])
    a = _exact_gaussian_sample(500, mu1, np.diag(s1), seed=1)
    b = _exact_gaussian_sample(700, mu2, np.diag(s2), seed=2)
    expected = ((mu1 - mu2) ** 2).sum() + ((s1 - s2) ** 2).sum()
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_of_large_samples_of_gaussians():
    rng = np.random.default_rng(3)
    cov_root = 0.5 * rng.normal(size=(4, 4))
    a = rng.normal(size=(20_000, 4)) @ cov_root.T
    b = rng.normal(size=(20_000, 4)) @ cov_root.T
    same = frechet_distance(a, b)
    assert abs(same) < 0.01  # the same Gaussian: near 0
    shift = np.array([1.0, -2.0, 0.0, 0.5])
    shifted = frechet_distance(a, b + shift)
    assert shifted == pytest.approx((shift**2).sum(), rel=0.05)  # |Δμ|²
    gap = a.mean(0) - b.mean(0)  # exactly: only the means' term changes with a shift
    assert shifted == pytest.approx(same - (gap**2).sum() + ((gap - shift) ** 2).sum(), rel=1e-9)


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")  # singular on purpose
def test_frechet_distance_with_more_features_than_samples_is_finite():
    a = np.random.default_rng(4).normal(size=(10, 20))  # a singular covariance
    assert abs(frechet_distance(a, a)) < 1e-4
    assert frechet_distance(a, a + 1) == pytest.approx(20.0, abs=1e-3)


# --- precision, recall, class shares, nearest distances ----------------------------------------------


def test_precision_and_recall_of_identical_and_disjoint_sets():
    real = np.random.default_rng(0).normal(size=(200, 5))
    assert precision_recall(real, real.copy()) == (1.0, 1.0)
    assert precision_recall(real, real + 100.0) == (0.0, 0.0)


def test_a_generator_covering_half_of_the_modes_has_full_precision_and_half_recall():
    rng = np.random.default_rng(1)
    angles = 2 * np.pi * np.arange(10) / 10
    centres = 20.0 * np.stack([np.cos(angles), np.sin(angles)], 1)  # ten modes far apart
    real = np.concatenate([c + 0.3 * rng.normal(size=(100, 2)) for c in centres])
    fake = np.concatenate([c + 0.3 * rng.normal(size=(100, 2)) for c in centres[:5]])  # modes 0-4 alone
    precision, recall = precision_recall(real, fake, k=3)
    assert precision > 0.95  # a few samples in a mode's tails fall outside the real points' balls
    assert 0.45 <= recall <= 0.5  # the real points of modes 5-9 are never reached
    assert precision_recall(real, np.concatenate([fake, -fake]))[1] > 0.9  # mode i + 5 is mode i turned by π


def test_class_shares():
    classes = np.array([0, 1, 1, 3, 3, 3, 9, 9])
    shares = class_shares(classes)
    assert shares.shape == (10,) and shares.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(shares, np.bincount(classes, minlength=10) / 8)
    assert class_shares(np.array([0, 2]), n_classes=3).tolist() == [0.5, 0.0, 0.5]


def test_nearest_distances_match_brute_force():
    rng = np.random.default_rng(2)
    images, reference = rng.random((23, 1, 4, 4)), rng.random((31, 1, 4, 4))
    got = nearest_distances(images, reference, batch=7)
    brute = [min(math.dist(x.ravel(), r.ravel()) for r in reference) for x in images]
    np.testing.assert_allclose(got, brute, rtol=1e-5)
    assert np.allclose(nearest_distances(reference[:5], reference), 0, atol=1e-3)  # copies are at distance 0


# --- the classifier -------------------------------------------------------------------------------------


def test_shapes():
    model = tiny_classifier().eval()
    x = torch.rand(5, 1, 8, 8)
    assert model.features(x).shape == (5, 32) and model(x).shape == (5, 10)
    assert (model.features(x) >= 0).all()  # after a ReLU
    wide = DigitClassifier(ClassifierConfig(image_shape=(3, 12, 16), n_classes=4)).eval()
    assert wide(torch.rand(2, 3, 12, 16)).shape == (2, 4)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"channels": (32,)}, "classifier channels must be two widths"),
        ({"feature_dim": 1}, "feature width must be between 2 and 1024"),
        ({"n_classes": 1}, "number of classes must be between 2 and 100"),
        ({"image_shape": (1, 10, 10)}, "image sides must be multiples of 4"),
        ({"kind": "vae"}, "a classifier config's kind must be 'classifier', not 'vae'"),
    ],
)
def test_bad_configs_name_the_setting(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        ClassifierConfig(**changes)


def test_bad_settings_name_the_setting():
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        ClassifierSettings(epochs=0)
    with pytest.raises(ValueError, match="augment rotation"):
        ClassifierSettings(augment_rotation=math.nan)


def test_features_and_classes_in_batches(monkeypatch, digits):
    model = tiny_classifier().train()
    x = digits.val_images[:13]
    feats, classes = features_and_classes(model, x.numpy())
    assert feats.dtype == np.float64 and feats.shape == (13, 32) and classes.shape == (13,)
    assert model.training  # given back as it came
    with torch.no_grad():
        np.testing.assert_allclose(feats, model.eval().features(x).double().numpy(), rtol=1e-6)
        assert (classes == model(x).argmax(1).numpy()).all()
    monkeypatch.setattr(ev, "FEATURE_BATCH", 4)
    feats_4, classes_4 = features_and_classes(model, x[:, 0].numpy())  # (N, H, W) too
    np.testing.assert_allclose(feats_4, feats, rtol=1e-6)
    assert (classes_4 == classes).all()
    assert accuracy(model, x, digits.val_labels[:13]) == pytest.approx(
        (classes == digits.val_labels[:13].numpy()).mean()
    )


@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")  # an untrained net's dead features
def test_sample_quality_of_training_images(digits):
    model = tiny_classifier().eval()
    train, val = digits.train_images.numpy(), digits.val_images.numpy()
    q = sample_quality(model, train[:200], val, train)
    assert q.n_samples == 200 and len(q.shares) == 10 and sum(q.shares) == pytest.approx(1.0)
    assert q.nearest_train == 0.0  # they are training images
    assert math.isfinite(q.fd) and 0 <= q.precision <= 1 and 0 <= q.recall <= 1
    assert set(q.to_dict()) == {"fd", "shares", "precision", "recall", "nearest_train", "n_samples"}


def test_classifier_loss_is_cross_entropy():
    model = tiny_classifier().eval()
    x, y = torch.rand(6, 1, 8, 8), torch.tensor([0, 1, 2, 3, 4, 5])
    torch.testing.assert_close(classifier_loss(model, x, y), F.cross_entropy(model(x), y))


NO_AUGMENT = dict(augment_shift=0.0, augment_rotation=0.0)


def test_training_lowers_the_cross_entropy(digits):
    model = tiny_classifier()
    x, y = digits.train_images[:64], digits.train_labels[:64]
    with torch.no_grad():
        before = classifier_loss(model.eval(), x, y).item()
    settings = ClassifierSettings(epochs=12, batch_size=8, lr=1e-2, **NO_AUGMENT)
    result = train_classifier(model, x, y, settings=settings, device="cpu")
    assert result.steps == 96 and result.epochs_completed == 12 and not model.training
    with torch.no_grad():
        assert classifier_loss(model, x, y).item() < 0.8 * before


def test_training_is_seeded_and_reports_validation_accuracy(digits):
    x, y = digits.train_images[:48], digits.train_labels[:48]
    settings = ClassifierSettings(epochs=2, batch_size=16)
    runs = []
    for seed in (0, 0, 1):
        model = tiny_classifier()
        result = train_classifier(
            model,
            x,
            y,
            settings=ClassifierSettings(epochs=2, batch_size=16, seed=seed),
            val_images=digits.val_images[:20],
            val_labels=digits.val_labels[:20],
            device="cpu",
        )
        runs.append(model.state_dict())
    assert settings.seed == 0
    assert all(torch.equal(v, runs[1][k]) for k, v in runs[0].items())
    assert any(not torch.equal(v, runs[2][k]) for k, v in runs[0].items())
    assert [set(row) for row in result.history] == [{"epoch", "loss", "seconds", "val_accuracy"}] * 2
    assert all(0 <= row["val_accuracy"] <= 1 for row in result.history)


def test_a_stop_request_stops_between_steps(digits):
    flag = StopAfter(2)
    result = train_classifier(
        tiny_classifier(),
        digits.train_images[:64],
        digits.train_labels[:64],
        settings=ClassifierSettings(epochs=3, batch_size=16),
        on_step=flag.on_step,
        stop=flag,
        device="cpu",
    )
    assert result.stopped and result.steps == 2 and result.history == []


def test_checkpoint_round_trip_and_load_evaluator(tmp_path: Path, digits):
    model = tiny_classifier()
    settings = ClassifierSettings(epochs=1, batch_size=32)
    train_classifier(model, digits.train_images[:64], digits.train_labels[:64], settings=settings, device="cpu")
    path = save_tiny(tmp_path / "classifier.pt", model, train_settings=settings.to_dict())
    loaded, info = load_checkpoint(path)
    assert isinstance(loaded, DigitClassifier) and loaded.kind == info.config.kind == "classifier"
    assert info.config == model.config and info.settings == settings and not loaded.training
    reference = tiny_classifier()
    reference.load_state_dict(half_rounded(model))
    x = digits.val_images[:8]
    with torch.no_grad():
        assert torch.equal(loaded(x), reference.eval()(x))
        torch.testing.assert_close(loaded(x), model.eval()(x), atol=5e-2, rtol=0)
    again = load_evaluator(path)
    assert isinstance(again, DigitClassifier) and torch.equal(again(x), loaded(x))


def test_load_evaluator_refuses_another_kind(tmp_path: Path):
    path = save_tiny(tmp_path / "gan.pt", tiny_gan())
    with pytest.raises(ValueError, match="gan.pt is not a classifier"):
        load_evaluator(path)
