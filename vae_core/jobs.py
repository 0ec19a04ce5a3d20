"""Training in the background, for a web page that must never freeze.

Each model trains in a child process (one torch thread, lower CPU priority), not in a thread of
the web server: a training thread competes with every session's reruns for Python's interpreter
lock, and in a class of 8 that made every other student wait about 5× longer. The child streams
its progress through a pipe; a thread in the server copies it into a plain `TrainingProgress`
object under a lock, and the page polls a `snapshot()` of it. Nothing here knows about Streamlit.

A server-wide pool of slots bounds how many models train at once, so one class cannot exhaust the
machine: a job waits for a slot (status "queued") and can be stopped while it waits.
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
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
SEND_EVERY_S = 0.05  # the child batches its step reports: at most ~20 messages a second
TRAINING_NICENESS = 5  # the child yields the CPU to interactive reruns first
BACKGROUND_GROUP_NICENESS = 19  # Linux autogroup: the child's own scheduling group yields to every other
_spawn = mp.get_context("spawn")  # never fork a threaded server

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
    """One model trained in a child process (watched by a thread here), saved under a fresh name in `out_dir`."""

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

    @property
    def finished(self) -> bool:
        """Without copying the curves and the preview, as `snapshot()` does: every page asks on every rerun."""
        with self._lock:
            return self._progress.finished

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

    def _on_steps(self, steps: list[tuple[int, int, int, float, float, float, float]]) -> None:
        with self._lock:
            p = self._progress
            p.step, p.total_steps, p.epoch, p.elapsed = steps[-1][:4]
            c = p.curve
            for step, _, _, _, loss, recon, kl in steps:
                for key, value in (("step", step), ("loss", loss), ("recon", recon), ("kl", kl)):
                    c[key].append(value)
            if len(c["step"]) > CURVE_POINTS:  # keep memory bounded on long runs: drop every other point
                for key in c:
                    c[key] = c[key][::2]

    def _run(self) -> None:
        global _running
        while not _slots.acquire(timeout=0.2):
            if self._stop.is_set():
                self._update(status="stopped")
                return
        with _running_lock:
            _running += 1
        try:
            self._supervise()
        except Exception as exc:  # reported on the page; the server keeps running
            traceback.print_exc()
            self._update(status="failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            with _running_lock:
                _running -= 1
            _slots.release()

    def _supervise(self) -> None:
        """Start the child, relay its messages into the progress object, forward a stop request."""
        if self._stop.is_set():
            self._update(status="stopped")
            return
        self._update(status="running")
        receiver, sender = _spawn.Pipe(duplex=False)
        child_stop = _spawn.Event()
        child = _spawn.Process(
            target=_train_in_child, name=f"train-{self._progress.label}", daemon=True,
            args=(sender, child_stop, self.dataset, self.model_config.to_dict(), self.settings.to_dict(),
                  str(self.out_dir), None if self.device is None else str(self.device)),
        )  # fmt: skip
        child.start()
        sender.close()  # the child holds the only writing end: its exit closes the pipe
        final = False
        try:
            while True:
                if self._stop.is_set():
                    child_stop.set()
                if not receiver.poll(0.1):
                    continue
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    break
                if kind == "steps":
                    self._on_steps(payload)
                elif kind == "epoch":
                    row, preview = payload
                    with self._lock:
                        self._progress.epoch_rows.append(row)
                        self._progress.preview = preview
                else:  # "end": the final status and what was saved
                    self._update(**payload)
                    final = True
        finally:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
            receiver.close()
        if not final:
            self._update(status="failed", error=f"the training process ended unexpectedly (exit code {child.exitcode})")


def _run_in_background() -> None:
    """Lower this process's CPU priority, so a training takes what the machine leaves over.

    A nice value only ranks processes within one scheduling group, and where Linux groups
    processes by session ("autogroup", the default on desktop and most server kernels), the
    server and its children form one group that gets the same share as any other busy session:
    the lecturer's own browser on the same laptop, or anything else running there. So the child
    also starts a session of its own and gives that group the lowest priority. It still exits
    with the server: its progress pipe breaks (and spawn's children are daemons).
    """
    try:
        os.nice(TRAINING_NICENESS)
    except (OSError, AttributeError):  # not permitted, or not POSIX (Windows): train at normal priority
        pass
    autogroup = Path("/proc/self/autogroup")
    try:
        if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() != "1":
            return
        with autogroup.open("w"):  # writable here? (checked before leaving the server's session)
            pass
        os.setsid()
        autogroup.write_text(str(BACKGROUND_GROUP_NICENESS))
    except OSError:  # no autogroup (other systems, containers with a read-only /proc): nice alone
        pass


def _train_in_child(conn, stop, dataset: str, config: dict[str, Any], settings: dict[str, Any],
                    out_dir: str, device: str | None) -> None:  # fmt: skip
    """The child process: train, stream progress, save, and say how it ended."""
    _run_in_background()
    torch.set_num_threads(1)
    model_config = ModelConfig.from_dict(config)
    pending: list[tuple[int, int, int, float, float, float, float]] = []
    last_sent = time.monotonic()

    def flush() -> None:
        nonlocal last_sent
        if pending:
            conn.send(("steps", pending.copy()))
            pending.clear()
        last_sent = time.monotonic()

    def on_step(r: StepReport) -> None:
        pending.append((r.step, r.total_steps, r.epoch, r.elapsed, r.loss, r.recon, r.kl))
        if time.monotonic() - last_sent >= SEND_EVERY_S:
            flush()

    try:
        data = load_dataset(dataset)
        preview_x = data.val_images[:PREVIEW_IMAGES]

        def preview_of(model: torch.nn.Module) -> np.ndarray:
            return tile_images(torch.cat([preview_x, reconstruct(model, preview_x)]), nrow=len(preview_x))

        def on_epoch(row: dict[str, float], model: torch.nn.Module) -> None:
            flush()
            conn.send(("epoch", (dict(row), preview_of(model))))

        trained = fit(dataset=dataset, model_config=model_config, settings=TrainSettings.from_dict(settings),
                      on_step=on_step, on_epoch=on_epoch, stop=stop, device=device)  # fmt: skip
        flush()
        if trained.result.steps == 0:
            end = {"status": "stopped", "preview": preview_of(trained.model)}
        else:
            path = save_trained(trained, Path(out_dir) / unique_checkpoint_name(dataset, model_config))
            end = {"status": "stopped" if trained.result.stopped else "done", "preview": preview_of(trained.model),
                   "checkpoint_path": str(path), "metrics": dict(trained.info.metrics)}  # fmt: skip
    except DatasetUnavailable as exc:
        end = {"status": "failed", "error": str(exc)}
    except Exception as exc:  # reported on the page
        traceback.print_exc()
        end = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    conn.send(("end", end))
    conn.close()
