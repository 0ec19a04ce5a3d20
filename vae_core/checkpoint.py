"""One file per model: config, weights and their story, written atomically, read safely.

The file is a plain `torch.save` dict of tensors and JSON-like values, read back with
`weights_only=True`, so opening a checkpoint can never run pickled code. Its zip archive is sized
up before `torch.load` unpacks it, so a small file cannot make it allocate gigabytes, and every
field is checked, so an odd file is a CheckpointError that names it, never a crash later on.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import pickle
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import torch

from .autoencoder_training import TrainSettings
from .checks import finite_number, is_real_number, shown, whole_numbers
from .data import DATASETS
from .evaluation import Evaluation
from .generative import LATENT_KINDS, AnyConfig, build, config_from_dict
from .generative_training import Settings, settings_from_dict
from .snapshots import Snapshots

FORMAT_NAME = "latent-lab-checkpoint"
FORMAT_VERSION = 1
# Unpacked size of a checkpoint's archive. The shipped ones are under 1 MB; the largest model
# allowed (models.MAX_PARAMETERS) makes about 60 MB.
MAX_CHECKPOINT_BYTES = 64 * 2**20
MAX_COMPRESSION_RATIO = 20  # torch.save stores its entries uncompressed (1:1); a deflate bomb reaches 1000:1
STALE_TEMPORARY_S = 3600.0  # a save takes seconds: a temporary file an hour old was left by a killed process
_TEMPORARY_NAME = re.compile(r"\..+\.pt\.[a-z0-9_]{8}\.tmp")  # save_checkpoint's mkstemp: .NAME.pt.XXXXXXXX.tmp
_TEMPORARY_EXTRA = len("..") + 8 + len(".tmp")  # what the temporary file's name adds to the checkpoint's
_NAME_MAX = 255  # bytes in a file name on every common file system
# numbers (or None) in `metrics`; `denoise_recon`: a denoising autoencoder's error on noisy inputs, `unseen_*`:
# the figures on the digit a model was trained without (autoencoder_pipeline.fit)
_FIGURES = {f.name for f in fields(Evaluation)} | {"epochs_completed", "denoise_recon", "unseen_recon", "unseen_elbo"}


class CheckpointError(Exception):
    """A checkpoint that cannot be used; the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{Path(path).name}: {problem}")


class DestinationError(Exception):
    """A place where a checkpoint cannot be saved, found before training rather than after it."""

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"cannot save {path}: {problem}")


@dataclass
class CheckpointInfo:
    """Everything in a checkpoint except the weights."""

    config: AnyConfig  # an AE or VAE's ModelConfig, or a GAN's, diffusion model's or classifier's config
    dataset: str
    image_shape: tuple[int, int, int]
    train_settings: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, float]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # final validation figures
    train_seconds: float = 0.0
    created: str = ""
    note: str = ""
    format_version: int = FORMAT_VERSION
    # The latent space forming, epoch by epoch (snapshots.py); optional: older files have none
    snapshots: Snapshots | None = None

    @property
    def settings(self) -> TrainSettings | Settings:
        """The settings as TrainSettings (a GAN's, diffusion model's or classifier's own for those).
        `train_settings` is kept as written (names this version does not know, of any type, are
        ignored here); invalid values of known names make `read_checkpoint` raise CheckpointError,
        so for an info read from a file this never raises."""
        if self.config.kind in LATENT_KINDS:
            return TrainSettings.from_dict(self.train_settings)
        return settings_from_dict(self.config.kind, self.train_settings)


def save_checkpoint(
    path: str | Path,
    model: torch.nn.Module,
    info: CheckpointInfo,
    *,
    overwrite: bool = False,
    half_precision: bool = False,
) -> Path:
    """Write atomically: a temporary file in the same folder, then a rename.

    An interrupted save never leaves a broken file where a good one was. With overwrite=False an
    existing file is never replaced (the link fails instead), which keeps shipped models safe.
    `half_precision` stores float16 weights (half the size; loading restores float32).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        k: (v.detach().half() if half_precision and v.is_floating_point() else v.detach()).cpu()
        for k, v in model.state_dict().items()
    }
    if not all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point()):
        raise ValueError(f"{path.name}: the weights are not finite numbers (NaN or infinity); nothing was saved")
    payload = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "model_config": info.config.to_dict(),
        "state_dict": state,
        "dataset": info.dataset,
        "image_shape": list(info.image_shape),
        "train_settings": dict(info.train_settings),
        "history": [dict(r) for r in info.history],
        "metrics": dict(info.metrics),
        "train_seconds": float(info.train_seconds),
        "created": info.created or _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "note": info.note,
    }
    if info.snapshots is not None:
        payload["snapshots"] = info.snapshots.to_payload()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a checkpoint is an ordinary shared file
        with os.fdopen(fd, "wb") as f:
            try:
                torch.save(payload, f)
                f.flush()
                os.fsync(f.fileno())
            except RuntimeError:  # torch's zip writer reports a failed write (a full disk) this way
                raise OSError(errno.EIO, "the file could not be written (is the disk full?)", str(path)) from None
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if `path` exists: never clobbers
            except FileExistsError:
                raise FileExistsError(f"{path} already exists; choose another name") from None
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def check_destination(path: str | Path, *, overwrite: bool) -> Path:
    """`path` if a checkpoint can be saved there, else DestinationError; call it before training.

    Creates the missing folders, as saving would, and then creates and removes a temporary file
    named as `save_checkpoint` names its own: a name too long, a read-only or full disk, a folder
    that refuses files show now, not after an hour of training.
    """
    path = Path(path)
    try:
        name_bytes, most = len(os.fsencode(path.name)), _NAME_MAX - _TEMPORARY_EXTRA
        if name_bytes > most:  # checked first: the temporary file's name is longer still
            raise DestinationError(path, f"file name too long ({name_bytes} bytes; at most {most})")
        if path.is_dir():
            raise DestinationError(path, "is a folder; give a file name ending in .pt")
        if path.exists() and not overwrite:
            raise DestinationError(path, "already exists")
        for folder in reversed(path.parents):
            if folder.exists() and not folder.is_dir():
                raise DestinationError(path, f"{folder} is a file, not a folder")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DestinationError(path, f"cannot create the folder {path.parent} ({exc.strerror})") from None
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.unlink(probe)
    except DestinationError:
        raise
    except OSError as exc:
        problem = "file name too long" if exc.errno == errno.ENAMETOOLONG else f"cannot write there ({exc.strerror})"
        raise DestinationError(path, problem) from None
    except ValueError as exc:  # a NUL byte in the name
        raise DestinationError(path, f"not a possible file name ({exc})") from None
    return path


def remove_stale_temporaries(folder: str | Path, *, older_than_s: float = STALE_TEMPORARY_S) -> list[Path]:
    """Delete the temporary files that saves killed midway left in `folder`; returns those deleted.

    Only `save_checkpoint`'s own hidden `.NAME.pt.XXXXXXXX.tmp` files, only plain files, and only
    those older than `older_than_s`: a younger one may be a save in progress in another process.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder, or not ours to read
        return removed
    now = time.time()
    for entry in entries:
        if not _TEMPORARY_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > older_than_s:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:  # gone meanwhile, or not ours to delete
            continue
    return sorted(removed)


def _require(cond: bool, path: Path, problem: str) -> None:
    if not cond:
        raise CheckpointError(path, problem)


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.0f} MB"


def _check_archive(path: Path) -> None:
    """Refuse a zip archive that would unpack to more than any checkpoint holds, before unpacking it."""
    size = path.stat().st_size
    limit = _megabytes(MAX_CHECKPOINT_BYTES)
    _require(size <= MAX_CHECKPOINT_BYTES, path, f"too large: larger than the {limit} a checkpoint may hold")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        raise CheckpointError(path, f"the file is truncated or damaged ({type(exc).__name__})") from None
    unpacked = sum(e.file_size for e in entries)
    _require(
        unpacked <= MAX_CHECKPOINT_BYTES,
        path,
        f"too large: it would unpack to {_megabytes(unpacked)}, more than the {limit} a checkpoint may hold",
    )
    for e in entries:
        ratio = e.file_size / max(e.compress_size, 1)
        _require(
            e.file_size <= 2**16 or ratio <= MAX_COMPRESSION_RATIO,
            path,
            f"refused: a part of it is compressed {ratio:.0f}:1, the mark of a zip bomb",
        )


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, not {shown(value)}")
    return value


def _train_settings(value: Any, kind: str) -> dict[Any, Any]:
    """Kept as written, but checked now so that `CheckpointInfo.settings` cannot fail later."""
    if not isinstance(value, Mapping):
        raise ValueError(f"training settings must be a dict, not {shown(value)}")
    try:
        if kind in LATENT_KINDS:
            TrainSettings.from_dict(value)
        else:
            settings_from_dict(kind, dict(value))
    except ValueError as exc:
        raise ValueError(f"training settings: {exc}") from None
    return dict(value)


def _history(rows: Any) -> list[dict[str, float]]:
    ok = isinstance(rows, list) and all(
        isinstance(row, Mapping) and all(isinstance(k, str) and is_real_number(v) for k, v in row.items())
        for row in rows
    )
    if not ok:
        raise ValueError("the training history must be a list of rows of named numbers")
    return [dict(row) for row in rows]


def _metrics(value: Any) -> dict[str, Any]:
    def ok(k: Any, v: Any) -> bool:
        if not isinstance(k, str):
            return False
        if k in _FIGURES:
            return v is None or is_real_number(v)
        return v is None or isinstance(v, (bool, str)) or is_real_number(v)

    if not isinstance(value, Mapping) or not all(ok(k, v) for k, v in value.items()):
        raise ValueError("the validation figures must map names to numbers or text")
    return dict(value)


def _weights(value: Any) -> dict[str, torch.Tensor]:
    """Named floating-point tensors with finite values: anything else would fail, or mislead, later."""
    if not isinstance(value, Mapping):
        raise ValueError(f"the weights must be a dict of tensors, not {shown(value)}")
    for k, v in value.items():
        if not isinstance(k, str):
            raise ValueError(f"the weights must be named by text, not {shown(k)}")
        if not isinstance(v, torch.Tensor):
            raise ValueError(f"weight {shown(k)} is not a tensor but {shown(v)}")
        if not v.is_floating_point() or v.layout != torch.strided:
            raise ValueError(f"weight {shown(k)} is not a plain tensor of floating-point numbers ({v.dtype})")
        if not torch.isfinite(v).all():
            raise ValueError(f"the weights are not finite numbers (NaN or infinity in {shown(k)})")
    return dict(value)


def read_checkpoint(path: str | Path) -> tuple[dict[str, torch.Tensor], CheckpointInfo]:
    """Read and validate a file without building the model. Raises CheckpointError, never anything else
    for what the file holds."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(path, "no such file")
    try:
        with open(path, "rb") as f:
            head = f.read(4)
        if not head.startswith(b"PK"):  # torch.save writes a zip archive
            raise CheckpointError(path, "not a readable PyTorch checkpoint (damaged, or a file of another kind)")
        _check_archive(path)
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except CheckpointError:
        raise
    except pickle.UnpicklingError:
        raise CheckpointError(
            path,
            "refused: it holds Python objects other than tensors and plain values, which could run code when opened",
        ) from None
    except OSError as exc:
        raise CheckpointError(path, f"cannot be read ({exc.strerror or exc})") from None
    except Exception as exc:  # a damaged archive or pickle fails in many ways (RuntimeError, KeyError, TypeError...)
        raise CheckpointError(path, f"the file is truncated or damaged ({type(exc).__name__})") from None
    _require(
        isinstance(raw, dict) and isinstance(raw.get("format"), str) and raw["format"] == FORMAT_NAME,
        path,
        "not a Latent Lab checkpoint (written by another program)",
    )
    version = raw.get("format_version")
    _require(
        isinstance(version, int) and not isinstance(version, bool) and version >= 1,
        path,
        f"has no valid format version ({shown(version)})",
    )
    _require(
        version <= FORMAT_VERSION,
        path,
        f"written by a newer Latent Lab (format {version}; this one reads up to {FORMAT_VERSION}): update the app",
    )
    try:
        config = config_from_dict(raw["model_config"])
        info = CheckpointInfo(
            config=config,
            dataset=_text(raw["dataset"], "the data set"),
            image_shape=whole_numbers(raw["image_shape"], "image shape"),
            train_settings=_train_settings(raw.get("train_settings", {}), config.kind),
            history=_history(raw.get("history", [])),
            metrics=_metrics(raw.get("metrics", {})),
            train_seconds=finite_number(raw.get("train_seconds", 0.0), "the training time"),
            created=_text(raw.get("created", ""), "the creation time"),
            note=_text(raw.get("note", ""), "the note"),
            format_version=version,
            snapshots=Snapshots.from_payload(raw["snapshots"]) if raw.get("snapshots") is not None else None,
        )
    except KeyError as exc:
        raise CheckpointError(path, f"has missing or invalid fields (no {shown(exc.args[0])})") from None
    except ValueError as exc:
        raise CheckpointError(path, f"has missing or invalid fields ({exc})") from None
    try:
        state = _weights(raw.get("state_dict"))
    except ValueError as exc:
        raise CheckpointError(path, str(exc)) from None
    _require(
        info.image_shape == config.image_shape,
        path,
        f"image shape {info.image_shape} does not match the model's {config.image_shape}",
    )
    known = DATASETS.get(info.dataset)
    if known is not None and known.image_shape != info.image_shape:
        raise CheckpointError(
            path,
            f"its model takes {info.image_shape} images, but those of its data set '{info.dataset}' are "
            f"{known.image_shape}",
        )
    return state, info


def load_checkpoint(path: str | Path, *, device: torch.device | str = "cpu") -> tuple[Any, CheckpointInfo]:
    """The model in eval mode, float32, with its info. Raises CheckpointError, never a traceback.

    An AE or VAE (`LatentModel`), or a GAN, diffusion model or classifier, as the file's config says."""
    state, info = read_checkpoint(path)
    with torch.device("meta"):  # shapes only: no time spent on a random init that is overwritten
        model = build(info.config)
    expected = model.state_dict()
    mismatched = [k for k in expected if k in state and tuple(state[k].shape) != tuple(expected[k].shape)]
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    if mismatched or missing or extra:
        problems = [
            f"wrong shape: {', '.join(mismatched[:3])}" if mismatched else "",
            f"missing: {', '.join(missing[:3])}" if missing else "",
            f"unexpected: {', '.join(extra[:3])}" if extra else "",
        ]
        detail = "; ".join(p for p in problems if p)
        raise CheckpointError(path, f"weights do not match the model described in the file ({detail})")
    try:
        model.load_state_dict({k: v.float() for k, v in state.items()}, assign=True)
    except RuntimeError as exc:  # checked above; a tensor odd in some other way
        raise CheckpointError(path, f"weights cannot be loaded ({str(exc).splitlines()[0][:200]})") from None
    return model.to(device).eval(), info
