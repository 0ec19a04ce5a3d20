"""Training in a background thread, for a web page that must never freeze.

The worker writes into a plain `TrainingProgress` object under a lock; the page polls a
`snapshot()` of it. Nothing here knows about Streamlit. A server-wide pool of slots bounds how
many models train at once, so one class cannot exhaust the machine: a job waits for a slot
(status "queued") and can be stopped while it waits.
"""

from __future__ import annotations

import copy
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .data import DatasetUnavailable, load_dataset
from .latent import reconstruct, tile_images
from .models import ModelConfig
from .pipeline import fit, save_trained, unique_checkpoint_name
from .training import StepReport, TrainSettings

MAX_CONCURRENT_MODELS = 2  # models training at once on this server; the rest queue
PREVIEW_IMAGES = 8  # validation images reconstructed after every epoch
CURVE_POINTS = 2000  # at most this many stored points per loss curve (older points are thinned)

_slots = threading.BoundedSemaphore(MAX_CONCURRENT_MODELS)
_running = 0
_running_lock = threading.Lock()


def running_models() -> int:
    return _running


@dataclass
class TrainingProgress:
    """What the page shows; written only by the worker, read through `TrainingJob.snapshot()`."""

    label: str
    status: str = "queued"  # queued → running → done | stopped | failed
    step: int = 0
    total_steps: int = 0
    epoch: int = 0
    epochs: int = 0
    elapsed: float = 0.0
    curve: dict[str, list[float]] = field(default_factory=lambda: {"step": [], "loss": [], "recon": [], "kl": []})
    epoch_rows: list[dict[str, float]] = field(default_factory=list)
    preview: np.ndarray | None = None  # uint8: originals above, reconstructions below
    checkpoint_path: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "stopped", "failed")

    @property
    def seconds_left(self) -> float | None:
        if self.step == 0 or self.total_steps == 0:
            return None
        return self.elapsed / self.step * (self.total_steps - self.step)


class TrainingJob:
    """One model trained in its own thread and saved under a fresh name in `out_dir`."""

    def __init__(self, *, label: str, dataset: str, model_config: ModelConfig, settings: TrainSettings,
                 out_dir: str | Path, device: torch.device | str | None = None):  # fmt: skip
        self.dataset, self.model_config, self.settings = dataset, model_config, settings
        self.out_dir, self.device = Path(out_dir), device
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._progress = TrainingProgress(label=label, epochs=settings.epochs)
        self._thread = threading.Thread(target=self._run, name=f"train-{label}", daemon=True)

    # --- the page's side -----------------------------------------------------------------------
    def start(self) -> "TrainingJob":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the worker to stop after the current step; what it learned so far is saved."""
        self._stop.set()

    def snapshot(self) -> TrainingProgress:
        with self._lock:
            return copy.deepcopy(self._progress)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # --- the worker's side ---------------------------------------------------------------------
    def _update(self, **changes: Any) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self._progress, k, v)

    def _on_step(self, r: StepReport) -> None:
        with self._lock:
            p = self._progress
            p.step, p.total_steps, p.epoch, p.elapsed = r.step, r.total_steps, r.epoch, r.elapsed
            c = p.curve
            for key, value in (("step", r.step), ("loss", r.loss), ("recon", r.recon), ("kl", r.kl)):
                c[key].append(value)
            if len(c["step"]) > CURVE_POINTS:  # keep memory bounded on long runs: drop every other point
                for key in c:
                    c[key] = c[key][::2]
        time.sleep(0)  # let the page threads run between steps

    def _run(self) -> None:
        global _running
        while not _slots.acquire(timeout=0.2):
            if self._stop.is_set():
                self._update(status="stopped")
                return
        with _running_lock:
            _running += 1
        try:
            self._train()
        except DatasetUnavailable as exc:
            self._update(status="failed", error=str(exc))
        except Exception as exc:  # reported on the page; the server keeps running
            traceback.print_exc()
            self._update(status="failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            with _running_lock:
                _running -= 1
            _slots.release()

    def _train(self) -> None:
        if self._stop.is_set():
            self._update(status="stopped")
            return
        self._update(status="running")
        data = load_dataset(self.dataset)
        preview_x = data.val_images[:PREVIEW_IMAGES]

        def on_epoch(row: dict[str, float], model: torch.nn.Module) -> None:
            preview = tile_images(torch.cat([preview_x, reconstruct(model, preview_x)]), nrow=len(preview_x))
            with self._lock:
                self._progress.epoch_rows.append(dict(row))
                self._progress.preview = preview

        trained = fit(dataset=self.dataset, model_config=self.model_config, settings=self.settings,
                      on_step=self._on_step, on_epoch=on_epoch, stop=self._stop, device=self.device)  # fmt: skip
        preview = tile_images(torch.cat([preview_x, reconstruct(trained.model, preview_x)]), nrow=len(preview_x))
        if trained.result.steps == 0:
            self._update(status="stopped", preview=preview)
            return
        path = save_trained(trained, self.out_dir / unique_checkpoint_name(self.dataset, self.model_config))
        self._update(status="stopped" if trained.result.stopped else "done", preview=preview,
                     checkpoint_path=str(path), metrics=dict(trained.info.metrics))  # fmt: skip
