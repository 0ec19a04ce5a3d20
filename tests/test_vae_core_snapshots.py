"""The latent space forming (vae_core/snapshots.py): capture, thinning, bounds, PCA views, the round
trip through a checkpoint, and that capturing leaves the training untouched."""

from __future__ import annotations

import time
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA

from vae_core import CheckpointError, ModelConfig, TrainSettings, build_model, encode, load_dataset, read_checkpoint
from vae_core.autoencoder_pipeline import fit, save_trained
from vae_core.checkpoint import CheckpointInfo, save_checkpoint
from vae_core.snapshots import (
    MAX_EPOCHS_KEPT,
    MAX_SNAPSHOT_BYTES,
    SNAPSHOT_IMAGES,
    SnapshotRecorder,
    Snapshots,
    align_basis,
    bounded,
    grid_plane_codes,
    pca_basis,
    thin,
    to_plane,
)
from vae_core.training_jobs import TrainingJob

DIGITS = ModelConfig(kind="vae", image_shape=(1, 8, 8), latent_dim=2, hidden_dims=(32, 16))
QUICK = TrainSettings(epochs=3, batch_size=128, lr=3e-3)


@pytest.fixture(scope="module")
def trained():
    """A VAE on the 8×8 digits, 3 epochs, with its snapshots."""
    return fit(dataset="digits", model_config=DIGITS, settings=QUICK, device="cpu")


def synthetic(k: int = 4, n: int = 10, *, grid: tuple[int, ...] = (6, 6, 1, 8, 8), seed: int = 0) -> Snapshots:
    rng = np.random.default_rng(seed)
    return Snapshots(
        epochs=np.arange(k, dtype=np.int64),
        points=rng.normal(size=(k, n, 2)).astype(np.float16),
        labels=(np.arange(n) % 10).astype(np.uint8),
        class_names=tuple(str(i) for i in range(10)),
        grids=rng.integers(0, 256, size=(k, *grid), dtype=np.uint8),
        boxes=np.tile(np.array([-1, -1, 1, 1], np.float32), (k, 1)),
        method="identity",
        explained=None,
        latent_dim=2,
    )


# --- capture during training ------------------------------------------------------------------


def test_fit_records_every_epoch_from_before_the_first(trained) -> None:
    snaps = trained.info.snapshots
    assert snaps is not None
    assert snaps.epochs.tolist() == [0, 1, 2, 3]  # 0: the random initial weights
    n = min(SNAPSHOT_IMAGES, len(load_dataset("digits").val_images))
    assert snaps.points.shape == (4, n, 2) and snaps.points.dtype == np.float16
    assert snaps.labels.tolist() == load_dataset("digits").val_labels[:n].tolist()
    assert snaps.grids.shape == (4, 6, 6, 1, 8, 8) and snaps.grids.dtype == np.uint8
    assert snaps.method == "identity" and snaps.explained is None
    assert not np.array_equal(snaps.points[0], snaps.points[-1])  # the codes moved
    # the last frame is the trained model's codes (as stored, to float16 precision)
    mu = encode(trained.model, load_dataset("digits").val_images[:n]).mu
    np.testing.assert_allclose(snaps.points[-1].astype(np.float32), mu, rtol=2e-3, atol=2e-3)


def test_capturing_does_not_change_the_training() -> None:
    """Same seed with and without snapshots: the very same weights and history (no draws from the
    training's random numbers, eval mode only while capturing)."""
    config = replace(DIGITS, kind="vae")
    with_snaps = fit(dataset="digits", model_config=config, settings=QUICK, device="cpu", snapshots=True)
    without = fit(dataset="digits", model_config=config, settings=QUICK, device="cpu", snapshots=False)
    assert with_snaps.info.snapshots is not None and without.info.snapshots is None
    a, b = with_snaps.model.state_dict(), without.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(with_snaps.info.history) == strip(without.info.history)


def test_a_capture_restores_the_mode_and_draws_no_random_number() -> None:
    data = load_dataset("digits")
    model = build_model(DIGITS).train()
    recorder = SnapshotRecorder.for_images(data.val_images, data.val_labels, data.class_names, latent_dim=2)
    state = torch.get_rng_state()
    live = recorder.capture(1, model)
    assert torch.equal(state, torch.get_rng_state())
    assert model.training
    model.eval()
    recorder.capture(2, model)
    assert not model.training
    assert live is not None and live.points.shape == (len(recorder.labels), 2)


def test_live_codes_reach_the_callback_each_epoch() -> None:
    seen = []
    fit(dataset="digits", model_config=DIGITS, settings=QUICK, device="cpu", on_snapshot=seen.append)
    assert [c.epoch for c in seen] == [0, 1, 2, 3]
    assert all(c.method == "identity" and c.points.dtype == np.float32 for c in seen)


# --- thinning and bounds ----------------------------------------------------------------------


def test_thinning_keeps_the_ends_and_the_early_epochs() -> None:
    epochs = list(range(101))  # 0 (before training) to 100
    kept = [epochs[i] for i in thin(epochs, MAX_EPOCHS_KEPT)]
    assert len(kept) == MAX_EPOCHS_KEPT
    assert kept[0] == 0 and kept[-1] == 100
    assert kept[:10] == list(range(10))  # every early epoch
    gaps = np.diff(kept)
    assert gaps[-5:].mean() > gaps[:10].mean()  # sparser later
    assert thin([0, 1, 2], 50) == [0, 1, 2]
    with pytest.raises(ValueError):
        thin(epochs, 1)


def test_a_long_run_keeps_at_most_the_bound(monkeypatch) -> None:
    data = load_dataset("digits")
    recorder = SnapshotRecorder.for_images(data.val_images, data.val_labels, data.class_names, latent_dim=2, keep=7)
    model = build_model(DIGITS)
    for epoch in range(30):
        recorder.capture(epoch, model)
        assert len(recorder._kept) <= 7
    snaps = recorder.result()
    assert snaps is not None and len(snaps) == 7
    assert snaps.epochs[0] == 0 and snaps.epochs[-1] == 29


def test_bounded_thins_to_the_byte_limit() -> None:
    big = synthetic(k=20, grid=(6, 6, 1, 64, 64))  # 885 kB of grids
    small = bounded(big, max_bytes=600_000)  # 147 kB an epoch: 4 fit
    assert small.nbytes <= 600_000 and len(small) == 4
    assert small.epochs[0] == 0 and small.epochs[-1] == 19
    assert bounded(synthetic(k=60), keep=MAX_EPOCHS_KEPT).epochs.size == MAX_EPOCHS_KEPT


# --- projection -------------------------------------------------------------------------------


def test_pca_basis_matches_scikit_learn() -> None:
    codes = np.random.default_rng(1).normal(size=(300, 16)) * np.linspace(3, 0.1, 16)
    comps, explained = pca_basis(codes)
    reference = PCA(n_components=2).fit(codes)
    for mine, theirs in zip(comps, reference.components_, strict=True):
        assert abs(abs(mine @ theirs) - 1) < 1e-9  # the same direction, up to its sign
    np.testing.assert_allclose(explained, reference.explained_variance_ratio_, rtol=1e-9)
    assert np.allclose(comps @ comps.T, np.eye(2))


def test_pca_basis_signs_are_fixed() -> None:
    codes = np.random.default_rng(2).normal(size=(200, 5)) * [5, 2, 1, 1, 1]
    comps, _ = pca_basis(codes)
    again, _ = pca_basis(-codes)  # the same spread mirrored: an SVD may return either sign
    for row in (*comps, *again):
        assert row[np.argmax(np.abs(row))] > 0
    np.testing.assert_allclose(np.abs(comps), np.abs(again), atol=1e-9)


def test_align_basis_undoes_a_flip_and_a_swap() -> None:
    previous = np.eye(4)[:2]  # directions e1, e2
    assert np.array_equal(align_basis(previous.copy(), None), previous)
    flipped = np.array([[-1.0, 0.1, 0, 0], [0.05, -1.0, 0, 0]])
    assert (np.diag(align_basis(flipped, previous) @ previous.T) > 0).all()
    swapped = np.array([[0.1, 1.0, 0, 0], [-1.0, 0.1, 0, 0]])  # e2 first, then −e1
    aligned = align_basis(swapped, previous)
    assert aligned[0, 0] > 0.9 and aligned[1, 1] > 0.9


def test_live_view_does_not_flip_between_epochs() -> None:
    """The codes' main direction turns slowly from near e1 towards −e2: past 45° its largest entry
    changes, and each epoch's own PCA (signed by that entry) flips; the live view does not."""
    rng = np.random.default_rng(3)
    base = rng.normal(size=(200, 8)) * [4, 1.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
    recorder = SnapshotRecorder(torch.zeros(1, 1, 8, 8), np.zeros(200, np.uint8), ("0",), latent_dim=8)
    previous = previous_own = None
    flips = 0
    for degrees in range(30, 65, 5):
        a = np.radians(degrees)
        rotation = np.eye(8)
        rotation[:2, :2] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
        codes = base @ rotation  # e1 turns to (cos a, −sin a)
        comps, _ = recorder._live_view(codes)
        points, own = to_plane(codes, comps), to_plane(codes, pca_basis(codes)[0])
        if previous is not None:  # the same images, turned by 5°: near where they were
            assert np.corrcoef(points[:, 0], previous[:, 0])[0, 1] > 0.95
            assert np.corrcoef(points[:, 1], previous[:, 1])[0, 1] > 0.95
            flips += np.corrcoef(own[:, 0], previous_own[:, 0])[0, 1] < 0
        previous, previous_own = points, own
    assert flips, "the unaligned PCA was meant to flip once"


def test_replay_uses_the_last_epochs_plane_for_every_frame() -> None:
    torch.manual_seed(0)
    config = ModelConfig(kind="ae", image_shape=(1, 8, 8), latent_dim=6, hidden_dims=(32,))
    data = load_dataset("digits")
    recorder = SnapshotRecorder.for_images(data.val_images, data.val_labels, data.class_names, latent_dim=6)
    model = build_model(config)
    for epoch in range(3):
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(1.5)  # the codes change from one epoch to the next
        recorder.capture(epoch, model)
    snaps = recorder.result()
    assert snaps is not None and snaps.method == "pca" and snaps.explained is not None
    comps, explained = pca_basis(recorder._kept[-1].codes)
    for k, kept in enumerate(recorder._kept):
        np.testing.assert_allclose(snaps.points[k].astype(np.float32), kept.codes @ comps.T, rtol=5e-3, atol=5e-3)
    assert snaps.explained == pytest.approx(explained)


def test_grid_codes_lie_on_the_view_plane() -> None:
    comps, _ = pca_basis(np.random.default_rng(4).normal(size=(50, 5)) * [3, 2, 1, 1, 1])
    offset = np.array([0.0, 0.0, 0.0, 2.0, -1.0])
    offset -= (offset @ comps.T) @ comps  # off the plane
    box = (-1.0, -2.0, 3.0, 2.0)
    z = grid_plane_codes(box, 4, latent_dim=5, comps=comps, offset=offset)
    xy = to_plane(z, comps)
    assert xy[0] == pytest.approx([-1.0, 2.0], abs=1e-5)  # top left: the largest y
    assert xy[-1] == pytest.approx([3.0, -2.0], abs=1e-5)
    assert grid_plane_codes(box, 4, latent_dim=1, comps=None, offset=np.zeros(1)).shape == (4, 1)


# --- checkpoints ------------------------------------------------------------------------------


def test_snapshots_survive_a_checkpoint_round_trip(trained, tmp_path: Path) -> None:
    path = save_trained(trained, tmp_path / "m.pt", half_precision=True)
    _, info = read_checkpoint(path)
    a, b = trained.info.snapshots, info.snapshots
    assert b is not None
    for name in ("epochs", "points", "labels", "grids", "boxes"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert (a.class_names, a.method, a.explained, a.latent_dim) == (b.class_names, b.method, b.explained, b.latent_dim)
    assert b.grid_picture(0).shape == (6 * 9 + 1, 6 * 9 + 1)


def test_a_checkpoint_without_snapshots_still_loads(trained, tmp_path: Path) -> None:
    info = replace(trained.info, snapshots=None)
    path = save_checkpoint(tmp_path / "old.pt", trained.model, info)
    raw = torch.load(path, weights_only=True)
    assert "snapshots" not in raw  # as the files written before this feature
    assert read_checkpoint(path)[1].snapshots is None


def write_with(tmp_path: Path, trained, payload) -> Path:
    info = CheckpointInfo(config=trained.info.config, dataset="digits", image_shape=(1, 8, 8))
    path = save_checkpoint(tmp_path / "bad.pt", trained.model, info)
    raw = torch.load(path, weights_only=True)
    raw["snapshots"] = payload
    torch.save(raw, path)
    return path


def payload_with(**changes):
    payload = synthetic().to_payload()
    payload.update(changes)
    return payload


BAD_PAYLOADS = {
    "not a dict": [1, 2],
    "no version": {"epochs": torch.zeros(1)},
    "too many epochs": payload_with(epochs=torch.arange(MAX_EPOCHS_KEPT + 1, dtype=torch.int32)),
    "epochs not increasing": payload_with(epochs=torch.tensor([0, 2, 1, 3], dtype=torch.int32)),
    "float epochs": payload_with(epochs=torch.arange(4.0)),
    "NaN codes": payload_with(points=torch.full((4, 10, 2), float("nan"), dtype=torch.float16)),
    "codes of the wrong shape": payload_with(points=torch.zeros(4, 10, 3, dtype=torch.float16)),
    "a label beyond the classes": payload_with(labels=torch.full((10,), 10, dtype=torch.uint8)),
    "no class names": payload_with(class_names=[]),
    "a huge grid shape": payload_with(grid_shape=[4, 16, 16, 3, 64, 64]),
    "a grid shape unlike its data": payload_with(grid_shape=[4, 6, 6, 1, 8, 7]),
    "a deflate bomb": payload_with(
        grids_deflated=torch.from_numpy(np.frombuffer(zlib.compress(bytes(50_000_000), 9), np.uint8).copy())
    ),
    "damaged grids": payload_with(grids_deflated=torch.arange(100, dtype=torch.uint8)),
    "an unknown projection": payload_with(method="tsne"),
    "an odd explained variance": payload_with(explained=[1.5, 0.2]),
    "a missing field": {k: v for k, v in payload_with().items() if k != "boxes"},
}


@pytest.mark.parametrize("problem", list(BAD_PAYLOADS))
def test_odd_snapshots_are_refused_with_a_message(trained, tmp_path: Path, problem: str) -> None:
    path = write_with(tmp_path, trained, BAD_PAYLOADS[problem])
    with pytest.raises(CheckpointError, match="snapshots"):
        read_checkpoint(path)


def test_snapshots_of_a_newer_format_are_left_out(trained, tmp_path: Path) -> None:
    path = write_with(tmp_path, trained, payload_with(version=99))
    assert read_checkpoint(path)[1].snapshots is None  # the model itself stays usable


def test_an_mnist_model_keeps_at_most_a_quarter_megabyte() -> None:
    """50 kept epochs of the shipped kind: 400 codes and a 6×6 grid of 14-px tiles each."""
    config = ModelConfig(kind="vae", image_shape=(1, 28, 28), latent_dim=2, hidden_dims=(64,))
    data = load_dataset("mnist")
    recorder = SnapshotRecorder.for_images(data.val_images, data.val_labels, data.class_names, latent_dim=2)
    model = build_model(config)
    for epoch in range(MAX_EPOCHS_KEPT + 5):
        recorder.capture(epoch, model)
    snaps = recorder.result()
    assert snaps is not None and len(snaps) == MAX_EPOCHS_KEPT
    assert snaps.grids.shape[1:] == (6, 6, 1, 14, 14)
    stored = sum(v.numel() * v.element_size() for v in snaps.to_payload().values() if isinstance(v, torch.Tensor))
    assert snaps.nbytes <= MAX_SNAPSHOT_BYTES
    assert stored <= 250_000, stored


def test_a_training_job_streams_the_codes_and_saves_the_snapshots(tmp_path: Path) -> None:
    """The Train page's path: the child process sends each epoch's 2-D codes through the pipe, and
    the file it saves keeps the snapshots."""
    settings = TrainSettings(epochs=2, batch_size=128, lr=3e-3)
    job = TrainingJob(label="vae", dataset="digits", model_config=DIGITS, settings=settings, out_dir=tmp_path).start()
    deadline = time.monotonic() + 120
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    progress = job.snapshot()
    assert progress.status == "done", progress.error
    codes = progress.codes
    assert codes is not None and codes.epoch == 2 and codes.method == "identity"
    assert codes.points.shape == (len(codes.labels), 2) and codes.class_names == tuple(str(i) for i in range(10))
    _, info = read_checkpoint(progress.checkpoint_path)
    assert info.snapshots is not None and info.snapshots.epochs.tolist() == [0, 1, 2]
    np.testing.assert_allclose(info.snapshots.points[-1].astype(np.float32), codes.points, rtol=2e-3, atol=2e-3)
