"""One file per model: config, weights and their story, written atomically, read safely.

The file is a plain `torch.save` dict of tensors and JSON-like values, read back with
`weights_only=True`, so opening a checkpoint can never run pickled code.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from .models import LatentModel, ModelConfig, build_model
from .training import TrainSettings

FORMAT_NAME = "latent-lab-checkpoint"
FORMAT_VERSION = 1


class CheckpointError(Exception):
    """A checkpoint that cannot be used; the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{Path(path).name}: {problem}")


@dataclass
class CheckpointInfo:
    """Everything in a checkpoint except the weights."""

    config: ModelConfig
    dataset: str
    image_shape: tuple[int, int, int]
    train_settings: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, float]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)  # final validation figures
    train_seconds: float = 0.0
    created: str = ""
    note: str = ""
    format_version: int = FORMAT_VERSION

    @property
    def settings(self) -> TrainSettings:
        return TrainSettings.from_dict(self.train_settings)


def save_checkpoint(
    path: str | Path,
    model: LatentModel,
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a checkpoint is an ordinary shared file
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
            f.flush()
            os.fsync(f.fileno())
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


def _require(cond: bool, path: Path, problem: str) -> None:
    if not cond:
        raise CheckpointError(path, problem)


def read_checkpoint(path: str | Path) -> tuple[dict[str, torch.Tensor], CheckpointInfo]:
    """Read and validate a file without building the model."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(path, "no such file")
    with open(path, "rb") as f:
        head = f.read(4)
    if not head.startswith(b"PK"):  # torch.save writes a zip archive
        raise CheckpointError(path, "not a readable PyTorch checkpoint (damaged, or a file of another kind)")
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise CheckpointError(
            path,
            "refused: it holds Python objects other than tensors and plain values, which could run code when opened",
        ) from None
    except (zipfile.BadZipFile, EOFError, RuntimeError, OSError, ValueError, KeyError) as exc:
        raise CheckpointError(path, f"the file is truncated or damaged ({type(exc).__name__})") from None
    _require(
        isinstance(raw, dict) and raw.get("format") == FORMAT_NAME,
        path,
        "not a Latent Lab checkpoint (written by another program)",
    )
    version = raw.get("format_version")
    _require(isinstance(version, int), path, "has no format version")
    _require(
        version <= FORMAT_VERSION,
        path,
        f"written by a newer Latent Lab (format {version}; this one reads up to {FORMAT_VERSION}): update the app",
    )
    try:
        config = ModelConfig.from_dict(dict(raw["model_config"]))
        info = CheckpointInfo(
            config=config,
            dataset=str(raw["dataset"]),
            image_shape=tuple(int(v) for v in raw["image_shape"]),
            train_settings=dict(raw.get("train_settings", {})),
            history=list(raw.get("history", [])),
            metrics=dict(raw.get("metrics", {})),
            train_seconds=float(raw.get("train_seconds", 0.0)),
            created=str(raw.get("created", "")),
            note=str(raw.get("note", "")),
            format_version=version,
        )
        state = dict(raw["state_dict"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(path, f"has missing or invalid fields ({exc})") from None
    _require(
        info.image_shape == config.image_shape,
        path,
        f"image shape {info.image_shape} does not match the model's {config.image_shape}",
    )
    return state, info


def load_checkpoint(path: str | Path, *, device: torch.device | str = "cpu") -> tuple[LatentModel, CheckpointInfo]:
    """The model in eval mode, float32, with its info. Raises CheckpointError, never a traceback."""
    state, info = read_checkpoint(path)
    with torch.device("meta"):  # shapes only: no time spent on a random init that is overwritten
        model = build_model(info.config)
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
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, assign=True)
    return model.to(device).eval(), info
