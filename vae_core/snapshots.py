"""The latent space forming: per-epoch snapshots of a model's validation codes and of a small
manifold grid, captured while it trains, kept with its checkpoint and replayed afterwards.

A class watches the VAE pull its codes towards N(0, I) while the AE's spread out. Capturing changes
nothing about the training: it encodes a fixed subset of the validation images and decodes a fixed
number of grid codes, in eval mode, without gradients and without drawing a random number, then
puts the model back in the mode it found it in. So a model retrained with the same seed is the
same model, snapshots or not.

What is kept is bounded: at most `MAX_EPOCHS_KEPT` epochs (the first and the last always, the
others denser early, where the space changes most) and at most `MAX_SNAPSHOT_BYTES` in all. The
codes are stored in 2-D, as the replay shows them: as they are for a 2-D latent space; for more
dimensions, on the last epoch's two principal directions, one fixed plane for every epoch, so that
nothing flips or jumps between frames. Live, while the run goes on, each epoch's own PCA is used,
its directions matched and signed to the previous epoch's.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .autoencoder_training import MAX_EPOCHS
from .checks import shown
from .latent import decode, encode
from .models import MAX_LATENT_DIM, LatentModel, evaluation_mode

SNAPSHOT_VERSION = 1
SNAPSHOT_IMAGES = 400  # validation images whose codes are kept: enough to see the classes' clouds
MAX_EPOCHS_KEPT = 50  # epochs kept per model (the first and the last always)
MAX_SNAPSHOT_BYTES = 2**20  # what the snapshots of one model may hold, unpacked
GRID_N = 6  # the manifold grid: GRID_N × GRID_N decoded codes per kept epoch
TILE_MAX = 14  # pixels per side of a grid tile: MNIST's 28 px are averaged 2×2
GREY_STEP = 8  # grid pixels rounded to 32 grey levels (off by 4/255 at most): half the deflated size
GRID_PERCENTILES = (2.0, 98.0)  # the grid spans the codes' middle 96 % on each axis
# Bounds a file's snapshots are checked against (a forged file could claim anything)
MAX_IMAGES_READ = 2000
MAX_CLASSES = 100
MAX_CLASS_NAME = 100
MAX_GRID_SIDE = 16
MAX_TILE_SIDE = 64
FLOAT16_MAX = 65000.0  # codes beyond float16's range are clipped (an AE's codes have no fixed scale)


@dataclass(frozen=True, eq=False)  # numpy fields: compared by identity (== on arrays has no single answer)
class LiveCodes:
    """One epoch's codes in 2-D as the Train page shows them while the run goes on: plain numpy and
    text, so the training process can send it through a pipe."""

    epoch: int  # 0: before the first step
    points: np.ndarray  # (N, 2) float32
    labels: np.ndarray  # (N,) uint8
    class_names: tuple[str, ...]
    method: str  # "identity" (a 1- or 2-D latent space) or "pca"
    explained: tuple[float, float] | None  # PCA: the share of variance along each axis
    latent_dim: int


def _check(ok: bool, problem: str) -> None:
    if not ok:
        raise ValueError(f"snapshots: {problem}")


def _tensor(
    value: Any,
    what: str,
    dtypes: tuple[torch.dtype, ...],
    *,
    ndim: int | None = None,
    shape: tuple[int, ...] | None = None,
) -> np.ndarray:
    _check(
        isinstance(value, torch.Tensor) and value.layout == torch.strided and value.dtype in dtypes,
        f"{what} must be a plain tensor of {', '.join(str(d) for d in dtypes)}",
    )
    if ndim is not None:
        _check(value.dim() == ndim, f"{what} must have {ndim} dimension(s), not {value.dim()}")
    if shape is not None:
        _check(tuple(value.shape) == shape, f"{what} must have shape {shape}, not {tuple(value.shape)}")
    return value.numpy()


def _inflate(packed: Any, shape: Any, k: int) -> np.ndarray:
    """The grids, unpacked no further than their declared (and bounded) size: no deflate bomb."""
    data = _tensor(packed, "grids", (torch.uint8,), ndim=1)
    _check(
        isinstance(shape, list)
        and len(shape) == 6
        and all(isinstance(s, int) and not isinstance(s, bool) for s in shape),
        "the grid shape must be six whole numbers",
    )
    kk, rows, cols, c, h, w = shape
    _check(kk == k, f"grids of {kk} epochs for {k} epochs")
    _check(1 <= rows <= MAX_GRID_SIDE and 1 <= cols <= MAX_GRID_SIDE, f"a grid of {rows}×{cols}")
    _check(c in (1, 3) and 1 <= h <= MAX_TILE_SIDE and 1 <= w <= MAX_TILE_SIDE, f"tiles of {c}×{h}×{w}")
    expected = math.prod(shape)
    _check(expected <= MAX_SNAPSHOT_BYTES, f"grids of {expected} bytes; at most {MAX_SNAPSHOT_BYTES}")
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(data.tobytes(), expected + 1)
    except zlib.error:
        raise ValueError("snapshots: the grids are damaged") from None
    _check(len(raw) == expected and not inflater.unconsumed_tail, "the grids do not have their declared size")
    return np.frombuffer(raw, dtype=np.uint8).reshape(shape).copy()


def tile_grid(tiles: np.ndarray, *, padding: int = 1, pad_value: int = 255) -> np.ndarray:
    """Tiles (R, G, C, h, w) uint8 as one picture: (H, W) for grey tiles, (H, W, C) for colour."""
    rows, cols, c, h, w = tiles.shape
    out = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), pad_value, np.uint8)
    for r in range(rows):
        for g in range(cols):
            top, left = padding + r * (h + padding), padding + g * (w + padding)
            out[:, top : top + h, left : left + w] = tiles[r, g]
    return out[0] if c == 1 else out.transpose(1, 2, 0)


@dataclass(frozen=True, eq=False)
class Snapshots:
    """The kept epochs of one model, as its checkpoint holds them."""

    epochs: np.ndarray  # (K,) int, strictly increasing; 0 is the model before training
    points: np.ndarray  # (K, N, 2) float16: the codes in the replay's 2-D view
    labels: np.ndarray  # (N,) uint8: the class of each image
    class_names: tuple[str, ...]
    grids: np.ndarray  # (K, R, G, C, h, w) uint8: the decoded grid, top row the largest y
    boxes: np.ndarray  # (K, 4) float32: x0, y0, x1, y1 the grid spans in the live view of its epoch
    method: str  # "identity" or "pca" (the last epoch's two principal directions)
    explained: tuple[float, float] | None  # PCA: the share of the last epoch's variance on each axis
    latent_dim: int

    def __len__(self) -> int:
        return len(self.epochs)

    @property
    def nbytes(self) -> int:
        return int(self.epochs.nbytes + self.points.nbytes + self.labels.nbytes + self.grids.nbytes + self.boxes.nbytes)

    def grid_picture(self, k: int, *, padding: int = 1) -> np.ndarray:
        """Epoch k's grid as one uint8 picture, (H, W) for grey tiles, (H, W, C) for colour."""
        return tile_grid(self.grids[k], padding=padding)

    def to_payload(self) -> dict[str, Any]:
        """Tensors and plain values for `torch.save` (read back with `weights_only=True`). The grids
        are deflated: dark backgrounds and smooth strokes shrink to a fraction."""
        grids = np.ascontiguousarray(self.grids, dtype=np.uint8)
        packed = np.frombuffer(zlib.compress(grids.tobytes(), 9), dtype=np.uint8).copy()
        return {
            "version": SNAPSHOT_VERSION,
            "epochs": torch.from_numpy(self.epochs.astype(np.int32)),
            "points": torch.from_numpy(self.points.astype(np.float16)),
            "labels": torch.from_numpy(self.labels.astype(np.uint8)),
            "class_names": list(self.class_names),
            "grids_deflated": torch.from_numpy(packed),
            "grid_shape": list(grids.shape),
            "boxes": torch.from_numpy(self.boxes.astype(np.float32)),
            "method": self.method,
            "explained": None if self.explained is None else [float(v) for v in self.explained],
            "latent_dim": int(self.latent_dim),
        }

    @classmethod
    def from_payload(cls, raw: Any) -> Snapshots | None:
        """Validated snapshots from a checkpoint's field; ValueError naming the problem. None for
        snapshots of a newer format: the model itself is still usable without them."""
        if not isinstance(raw, Mapping):
            raise ValueError(f"the snapshots must be a dict, not {shown(raw)}")
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"the snapshots have no valid version ({shown(version)})")
        if version > SNAPSHOT_VERSION:
            return None
        try:
            epochs = _tensor(raw["epochs"], "epochs", (torch.int32, torch.int64), ndim=1)
            k = len(epochs)
            _check(1 <= k <= MAX_EPOCHS_KEPT, f"{k} epochs kept; at most {MAX_EPOCHS_KEPT}")
            _check(
                bool(np.all(np.diff(epochs) > 0)) and epochs[0] >= 0 and epochs[-1] <= MAX_EPOCHS,
                f"the epochs must increase, from 0 to at most {MAX_EPOCHS}",
            )
            names = raw["class_names"]
            _check(
                isinstance(names, list)
                and 1 <= len(names) <= MAX_CLASSES
                and all(isinstance(n, str) and len(n) <= MAX_CLASS_NAME for n in names),
                f"the class names must be a list of 1 to {MAX_CLASSES} short texts",
            )
            labels = _tensor(raw["labels"], "labels", (torch.uint8,), ndim=1)
            n = len(labels)
            _check(1 <= n <= MAX_IMAGES_READ, f"codes of {n} images; at most {MAX_IMAGES_READ}")
            _check(bool(np.all(labels < len(names))), "a label names no class")
            points = _tensor(raw["points"], "points", (torch.float16,), shape=(k, n, 2))
            _check(bool(np.isfinite(points).all()), "the codes are not finite numbers")
            boxes = _tensor(raw["boxes"], "grid boxes", (torch.float32,), shape=(k, 4))
            _check(bool(np.isfinite(boxes).all()), "the grid boxes are not finite numbers")
            grids = _inflate(raw["grids_deflated"], raw["grid_shape"], k)
            method = raw["method"]
            _check(method in ("identity", "pca"), f"unknown projection {shown(method)}")
            explained = raw["explained"]
            if explained is not None:
                _check(
                    isinstance(explained, list)
                    and len(explained) == 2
                    and all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in explained),
                    "the explained variance must be two shares between 0 and 1",
                )
                explained = (explained[0], explained[1])
            latent_dim = raw["latent_dim"]
            _check(
                isinstance(latent_dim, int) and not isinstance(latent_dim, bool) and 1 <= latent_dim <= MAX_LATENT_DIM,
                f"invalid latent size {shown(latent_dim)}",
            )
        except KeyError as exc:
            raise ValueError(f"the snapshots have no {shown(exc.args[0])}") from None
        snaps = cls(epochs.astype(np.int64), points, labels, tuple(names), grids, boxes, method, explained, latent_dim)
        _check(
            snaps.nbytes <= MAX_SNAPSHOT_BYTES,
            f"the snapshots hold {snaps.nbytes} bytes; at most {MAX_SNAPSHOT_BYTES}",
        )
        return snaps


# --- projection -------------------------------------------------------------------------------


def pca_basis(codes: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """The two principal directions (2, D) of codes (N, D), D ≥ 2, and the share of variance along
    each. Signed so that each direction's largest entry is positive: the same codes give the same
    picture every time."""
    x = np.asarray(codes, dtype=np.float64)
    x = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(x, full_matrices=False)  # s: (min(N, D),), vt: (min(N, D), D)
    comps = vt[:2].copy()
    if len(comps) < 2:  # a single code: any second direction orthogonal to the first
        comps = np.eye(x.shape[1])[:2]
    for row in comps:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    total = float((s**2).sum())
    share = (s[:2] ** 2 / total) if total > 0 else np.zeros(2)
    share = np.pad(share, (0, 2 - len(share)))
    return comps, (float(share[0]), float(share[1]))


def align_basis(comps: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """`comps` (2, D) reordered and signed to match `previous` (2, D) as closely as possible: two
    directions of nearly equal variance may trade places between epochs, and an eigenvector's sign is
    arbitrary, and either would flip the live picture."""
    if previous is None:
        return comps
    overlap = comps @ previous.T  # (2, 2): cosines between this epoch's and the last epoch's directions
    if abs(overlap[1, 0]) + abs(overlap[0, 1]) > abs(overlap[0, 0]) + abs(overlap[1, 1]):
        comps, overlap = comps[::-1].copy(), overlap[::-1]
    signs = np.where(np.diag(overlap) < 0, -1.0, 1.0)
    return comps * signs[:, None]


def to_plane(codes: np.ndarray, comps: np.ndarray | None) -> np.ndarray:
    """Codes (N, D) in 2-D (N, 2): themselves for D = 2, (z, 0) for D = 1, else their coordinates
    along the directions `comps` (2, D), measured from the origin (not the codes' mean) so that the
    prior's circle stays centred on (0, 0)."""
    codes = np.asarray(codes, dtype=np.float64)
    if comps is not None:
        return codes @ comps.T
    return codes[:, :2] if codes.shape[1] >= 2 else np.pad(codes, ((0, 0), (0, 1)))


# --- thinning ---------------------------------------------------------------------------------


def thin(epochs: Sequence[int], keep: int) -> list[int]:
    """Indices of at most `keep` of `epochs` (increasing) to keep: the first and the last always,
    the others spread evenly in √epoch, so the early epochs, where the space changes most, are kept
    densely. Greedy: the interior epoch whose removal leaves the smallest gap goes first."""
    if keep < 2:
        raise ValueError(f"at least the first and the last epoch are kept, not {keep}")
    kept = list(range(len(epochs)))
    roots = [math.sqrt(max(e, 0)) for e in epochs]
    while len(kept) > keep:
        gaps = [roots[kept[i + 1]] - roots[kept[i - 1]] for i in range(1, len(kept) - 1)]
        kept.pop(1 + int(np.argmin(gaps)))  # the first of equal gaps: the earlier epoch goes
    return kept


def select(snaps: Snapshots, indices: Sequence[int]) -> Snapshots:
    """The snapshots of the epochs at `indices` only."""
    idx = np.asarray(indices, dtype=np.int64)
    return Snapshots(
        snaps.epochs[idx],
        snaps.points[idx],
        snaps.labels,
        snaps.class_names,
        snaps.grids[idx],
        snaps.boxes[idx],
        snaps.method,
        snaps.explained,
        snaps.latent_dim,
    )


def bounded(snaps: Snapshots, *, keep: int = MAX_EPOCHS_KEPT, max_bytes: int = MAX_SNAPSHOT_BYTES) -> Snapshots:
    """At most `keep` epochs and `max_bytes` bytes, thinned as `thin` does (the first and last kept)."""
    if len(snaps) > keep:
        snaps = select(snaps, thin(snaps.epochs.tolist(), keep))
    while snaps.nbytes > max_bytes and len(snaps) > 2:
        snaps = select(snaps, thin(snaps.epochs.tolist(), len(snaps) - 1))
    if snaps.nbytes > max_bytes:
        raise ValueError(f"snapshots of {snaps.nbytes} bytes exceed {max_bytes} even for two epochs")
    return snaps


# --- capture ----------------------------------------------------------------------------------


@dataclass
class _Capture:
    epoch: int
    codes: np.ndarray  # (N, D) float32
    tiles: np.ndarray  # (R, G, C, h, w) uint8
    box: tuple[float, float, float, float]


def _downsample(images: np.ndarray) -> np.ndarray:
    """Images (M, C, H, W) in [0, 1] averaged down to at most TILE_MAX pixels a side, as uint8 on
    GREY_STEP levels."""
    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
    factor = max(1, math.ceil(max(x.shape[-2:]) / TILE_MAX))
    if factor > 1:
        x = F.avg_pool2d(x, factor)  # (M, C, H // factor, W // factor)
    levels = torch.round(x.clamp(0, 1) * (255 / GREY_STEP)) * GREY_STEP  # (M, C, h, w) on 32 levels
    return levels.clamp(0, 255).to(torch.uint8).numpy()


def grid_box(points: np.ndarray) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 of the grid: the codes' middle 96 % on each axis (a few strays do not stretch
    it), at least 0.1 wide."""
    lo, hi = np.percentile(points, GRID_PERCENTILES, axis=0)  # (2,) each
    mid, half = (lo + hi) / 2, np.maximum((hi - lo) / 2, 0.05)
    return float(mid[0] - half[0]), float(mid[1] - half[1]), float(mid[0] + half[0]), float(mid[1] + half[1])


def grid_plane_codes(
    box: tuple[float, float, float, float], n: int, *, latent_dim: int, comps: np.ndarray | None, offset: np.ndarray
) -> np.ndarray:
    """The n×n codes (n*n, D) under the box of the 2-D view, row-major, top row the largest y (one
    row of n codes for a 1-D latent space). For D > 2 the view's plane is lifted back to the latent
    space through `offset` (D,), the codes' mean off the plane, so the grid passes through the codes."""
    x0, y0, x1, y1 = box
    xs, ys = np.linspace(x0, x1, n), np.linspace(y1, y0, n)
    if latent_dim == 1:
        return xs.reshape(-1, 1).astype(np.float32)
    gx, gy = np.meshgrid(xs, ys)  # (n, n) each
    plane = np.stack([gx.ravel(), gy.ravel()], axis=1)  # (n*n, 2)
    if comps is None:
        return plane.astype(np.float32)
    return (offset + plane @ comps).astype(np.float32)


@dataclass
class SnapshotRecorder:
    """Captures a model's codes and grid after each epoch (and before the first), keeps a bounded
    selection, and hands live 2-D codes to `on_capture`."""

    images: torch.Tensor  # (N, C, H, W) the fixed validation subset
    labels: np.ndarray  # (N,) uint8
    class_names: tuple[str, ...]
    latent_dim: int
    keep: int = MAX_EPOCHS_KEPT
    grid_n: int = GRID_N
    on_capture: Callable[[LiveCodes], None] | None = None
    _kept: list[_Capture] = field(default_factory=list, init=False, repr=False)
    _live_basis: np.ndarray | None = field(default=None, init=False, repr=False)  # (2, D): last live PCA

    @classmethod
    def for_images(
        cls,
        images: torch.Tensor,
        labels: torch.Tensor | np.ndarray,
        class_names: Sequence[str],
        *,
        latent_dim: int,
        count: int = SNAPSHOT_IMAGES,
        **options: Any,
    ) -> SnapshotRecorder:
        """A recorder of the first `count` validation images: the same images every epoch and every run."""
        subset = images[:count].detach().cpu().float()
        return cls(subset, np.asarray(labels[:count], dtype=np.uint8), tuple(class_names), latent_dim, **options)

    def _live_view(self, codes: np.ndarray) -> tuple[np.ndarray | None, tuple[float, float] | None]:
        if self.latent_dim <= 2:
            return None, None
        comps, explained = pca_basis(codes)
        comps = align_basis(comps, self._live_basis)
        self._live_basis = comps
        return comps, explained

    @torch.no_grad()
    def capture(self, epoch: int, model: LatentModel) -> LiveCodes | None:
        """Encode the subset and decode the grid (eval mode, no gradients, no random numbers), keep
        them if the selection has room, and return the live view; None if the codes are not finite."""
        with evaluation_mode(model):
            codes = encode(model, self.images).mu  # (N, D)
            if not np.isfinite(codes).all():
                return None
            comps, explained = self._live_view(codes)
            points = to_plane(codes, comps)  # (N, 2)
            box = grid_box(points)
            offset = np.zeros(self.latent_dim)
            if comps is not None:
                mean = codes.mean(axis=0).astype(np.float64)
                offset = mean - (mean @ comps.T) @ comps  # (D,): the part of the mean off the plane
            z = grid_plane_codes(box, self.grid_n, latent_dim=self.latent_dim, comps=comps, offset=offset)
            tiles = _downsample(decode(model, z))  # (M, C, h, w)
            rows = 1 if self.latent_dim == 1 else self.grid_n
            tiles = tiles.reshape(rows, self.grid_n, *tiles.shape[1:])
        self._kept.append(_Capture(epoch, codes.astype(np.float32), tiles, box))
        if len(self._kept) > self.keep:
            self._kept = [self._kept[i] for i in thin([c.epoch for c in self._kept], self.keep)]
        method = "identity" if comps is None else "pca"
        live = LiveCodes(
            epoch, points.astype(np.float32), self.labels, self.class_names, method, explained, self.latent_dim
        )
        if self.on_capture is not None:
            self.on_capture(live)
        return live

    def result(self) -> Snapshots | None:
        """The kept epochs in the replay's view (the last epoch's PCA plane for D > 2), within the
        byte bound; None when nothing was captured."""
        kept = self._kept
        if not kept:
            return None
        comps, explained = (None, None) if self.latent_dim <= 2 else pca_basis(kept[-1].codes)
        points = np.stack([to_plane(c.codes, comps) for c in kept])  # (K, N, 2)
        points = np.clip(points, -FLOAT16_MAX, FLOAT16_MAX).astype(np.float16)
        snaps = Snapshots(
            epochs=np.array([c.epoch for c in kept], dtype=np.int64),
            points=points,
            labels=self.labels,
            class_names=self.class_names,
            grids=np.stack([c.tiles for c in kept]),
            boxes=np.array([c.box for c in kept], dtype=np.float32),
            method="identity" if comps is None else "pca",
            explained=explained,
            latent_dim=self.latent_dim,
        )
        return bounded(snaps)


EpochCallback = Callable[[dict[str, float], LatentModel], None]


def recording(recorder: SnapshotRecorder | None, on_epoch: EpochCallback | None) -> EpochCallback | None:
    """`on_epoch` for `train_model` that first captures the epoch (when there is a recorder)."""
    if recorder is None:
        return on_epoch

    def hook(row: dict[str, float], model: LatentModel) -> None:
        recorder.capture(int(row["epoch"]), model)
        if on_epoch is not None:
            on_epoch(row, model)

    return hook
