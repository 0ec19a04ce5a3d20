"""Training in the background, for a web page that must never freeze.

Each model trains in a child process (one torch thread, lower CPU priority), not in a thread of
the web server: a training thread would compete with every session's reruns for Python's
interpreter lock, and every other student would wait. The child streams its progress through a
pipe; a thread in the server copies it into a plain `TrainingProgress` object under a lock, and the
page polls a `snapshot()` of it. Nothing here knows about Streamlit.

Server-wide `TrainingSlots` bound how many models train at once, so one class cannot exhaust the
machine: a job waits for a slot (status "queued") and can be stopped while it waits.

A job trains an AE or VAE, a GAN or a diffusion model, by its config's kind, in the same child process
machinery; only the curves, the preview and the figures per epoch differ.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from .autoencoder_pipeline import TrainingDiverged, fit, save_trained, unique_checkpoint_name
from .autoencoder_training import StepReport, StopFlag, TrainSettings
from .checkpoint import DestinationError, check_destination
from .data import DatasetUnavailable, load_dataset
from .diffusion import DiffusionConfig
from .evaluator import DigitClassifier, class_shares, features_and_classes
from .gan import GANConfig
from .generative import LATENT_KINDS, GenerativeModel, config_from_dict, sample
from .generative_pipeline import fit_generative, load_evaluator, save_generative
from .generative_training import DiffusionSettings, GanSettings, GenerativeStep, settings_from_dict
from .latent import reconstruct, tile_images
from .models import LatentModel, ModelConfig
from .snapshots import LiveCodes


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


MAX_CONCURRENT_MODELS = max(1, _cores())  # one model per core (trainings only take what the server leaves)
QUEUE_PER_SLOT = 4  # at most this many models wait per slot; more would wait too long to be worth it
IDLE_TIMEOUT_S = 120.0  # a training nobody has looked at for this long is stopped (the tab was closed)
PREVIEW_IMAGES = 8  # validation images reconstructed after every epoch
CURVE_POINTS = 2000  # at most this many stored points per loss curve (older points are thinned)
SEND_EVERY_S = 0.05  # the child batches its step reports: at most ~20 messages a second
SLOT_POLL_S = 0.2  # how often a queued job looks for a stop request
TRAINING_NICENESS = 5  # the child yields the CPU to interactive reruns first
BACKGROUND_GROUP_NICENESS = 19  # Linux autogroup: the child's own scheduling group yields to every other
_spawn = mp.get_context("spawn")  # never fork a threaded server

JobStatus = Literal["queued", "running", "done", "stopped", "failed"]
FINISHED: tuple[JobStatus, ...] = ("done", "stopped", "failed")
TrainableConfig = ModelConfig | GANConfig | DiffusionConfig
JobSettings = TrainSettings | GanSettings | DiffusionSettings

# Each kind's curves: the curve's name → the step report's field it plots (StepReport, GenerativeStep).
CURVES: dict[str, dict[str, str]] = {
    "ae": {"loss": "loss", "recon": "recon", "kl": "kl"},
    "vae": {"loss": "loss", "recon": "recon", "kl": "kl"},
    "gan": {"generator": "loss", "discriminator": "other"},
    "diffusion": {"loss": "loss"},
}
SAMPLE_PREVIEW = 16  # a GAN's or diffusion model's samples shown after an epoch, from one fixed seed
PREVIEW_SEED = 7  # the same noise every epoch: the page shows the same 16 samples take shape
SHARE_SAMPLES = 500  # a GAN's samples the evaluator reads after every epoch, for the class shares
SHARE_SEED = 1234
DIFFUSION_PREVIEWS = 4  # a diffusion sample costs ~15 net passes: a preview after this many epochs only


def empty_curve(kind: str) -> dict[str, list[float]]:
    return {"step": [], **{name: [] for name in CURVES[kind]}}


def preview_epochs(epochs: int, points: int) -> set[int]:
    """The first epoch (a picture soon), then at most `points - 1` more spread evenly up to the last."""
    return {1} | {math.ceil(k * epochs / max(points - 1, 1)) for k in range(1, max(points - 1, 1) + 1)}


# What the child sends, in this order: the validation codes before training, then batches of step
# reports and, per epoch, its codes in 2-D and one row and preview, then one "end" with the fields
# of TrainingProgress that say how it ended.
StepsMessage = tuple[Literal["steps"], list[StepReport] | list[GenerativeStep]]
CodesMessage = tuple[Literal["codes"], LiveCodes]
EpochMessage = tuple[Literal["epoch"], tuple[dict[str, float], np.ndarray | None]]  # a GAN's row has share_0..9
EndMessage = tuple[Literal["end"], dict[str, Any]]
Message = StepsMessage | CodesMessage | EpochMessage | EndMessage


class QueueFull(RuntimeError):
    """The server's training queue is full: a class asked for more models than it can train soon."""


class TrainingSlots:
    """At most `capacity` models training at once; the others wait in order of arrival, at most
    `queue_limit` of them, each knowing its place, and stop waiting when they are stopped.
    One instance, `SLOTS`, is shared by the whole server."""

    def __init__(self, capacity: int, *, queue_limit: int | None = None):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self.queue_limit = QUEUE_PER_SLOT * capacity if queue_limit is None else queue_limit
        self._running = 0
        self._waiting: list[object] = []  # tickets, first come first
        self._changed = threading.Condition()

    def acquire(self, stop: StopFlag, *, timeout: float | None = None, ticket: object | None = None) -> bool:
        """Wait for a free slot, behind everyone who came before; False when `stop` is set (or
        `timeout` seconds pass) first. Raises QueueFull when too many already wait."""
        ticket = object() if ticket is None else ticket
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            if self._running >= self.capacity or self._waiting:
                if len(self._waiting) >= self.queue_limit:
                    raise QueueFull(f"{len(self._waiting)} models are already waiting")
            self._waiting.append(ticket)
            try:
                while self._running >= self.capacity or self._waiting[0] is not ticket:
                    if stop.is_set() or (deadline is not None and time.monotonic() >= deadline):
                        return False
                    self._changed.wait(SLOT_POLL_S)  # a stop request notifies nobody: look again soon
                self._running += 1
                return True
            finally:
                self._waiting.remove(ticket)
                self._changed.notify_all()  # the next in line may now be first

    def release(self) -> None:
        with self._changed:
            if self._running == 0:
                raise RuntimeError("released a training slot that was not acquired")
            self._running -= 1
            self._changed.notify_all()

    def place(self, ticket: object) -> int:
        """1 for the next model to train, 2 for the one after...; 0 when not waiting."""
        with self._changed:
            return self._waiting.index(ticket) + 1 if ticket in self._waiting else 0

    @property
    def running(self) -> int:
        """Slots taken now: the models training."""
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._waiting)


SLOTS = TrainingSlots(MAX_CONCURRENT_MODELS)


def running_models() -> int:
    """Models training now on this server's shared slots."""
    return SLOTS.running


@dataclass
class TrainingProgress:
    """What the page shows; written only by the worker, read through `TrainingJob.snapshot()`."""

    label: str
    status: JobStatus = "queued"  # queued → running → done | stopped | failed
    step: int = 0
    total_steps: int = 0
    epoch: int = 0
    epochs: int = 0
    elapsed: float = 0.0
    curve: dict[str, list[float]] = field(default_factory=lambda: empty_curve("vae"))  # the names of CURVES[kind]
    epoch_rows: list[dict[str, float]] = field(default_factory=list)
    preview: np.ndarray | None = None  # uint8: originals above, reconstructions below; or samples
    codes: LiveCodes | None = None  # the latest epoch's validation codes in 2-D (replaced whole, never changed)
    checkpoint_path: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    # A VAE's mean KL of each latent dimension over the validation images, in nats, measured in the
    # child on the saved model (`evaluation.collapsed_dimensions` names those that carry nothing)
    kl_per_dim: list[float] | None = None
    error: str | None = None
    queue_full: bool = False  # failed because too many models already waited
    abandoned: bool = False  # stopped because nobody had looked at it for `idle_timeout` seconds

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def starting(self) -> bool:
        """Running, but no step reported yet: the child process takes seconds to start (it loads torch
        and the data) before its first step, and no time left can be estimated until then."""
        return self.status == "running" and self.step == 0

    @property
    def fraction_done(self) -> float:
        """The share of its steps taken, in [0, 1] (a progress bar's value)."""
        return min(self.step / self.total_steps, 1.0) if self.total_steps else 0.0

    @property
    def seconds_left(self) -> float | None:
        if self.step == 0 or self.total_steps == 0:
            return None
        return self.elapsed / self.step * (self.total_steps - self.step)


# --- the child: one model's training, its progress streamed through a pipe --------------------


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


def become_background_worker() -> None:
    """What every child of the server does first: a low priority, and one torch thread (the cores are the class's)."""
    _run_in_background()
    torch.set_num_threads(1)


class _Stream:
    """The child's end of the pipe; step reports are batched to at most ~20 messages a second."""

    def __init__(self, conn):  # noqa: ANN001 - a multiprocessing Connection
        self.conn = conn
        self.pending: list[StepReport | GenerativeStep] = []
        self.last_sent = time.monotonic()

    def send(self, message: Message) -> None:
        self.conn.send(message)

    def flush(self) -> None:
        if self.pending:
            self.send(("steps", self.pending.copy()))
            self.pending.clear()
        self.last_sent = time.monotonic()

    def on_step(self, report: StepReport | GenerativeStep) -> None:
        self.pending.append(report)
        if time.monotonic() - self.last_sent >= SEND_EVERY_S:
            self.flush()


def _fit_latent(
    stream: _Stream,
    stop,
    dataset: str,
    config: dict[str, Any],
    settings: dict[str, Any],
    *,
    out_dir: str,
    device: str | None,
) -> dict[str, Any]:
    """An AE or VAE: per epoch its validation codes in 2-D, its row and a preview of reconstructions."""
    model_config = ModelConfig.from_dict(config)
    destination = check_destination(Path(out_dir) / unique_checkpoint_name(dataset, model_config), overwrite=False)
    data = load_dataset(dataset)
    preview_x = data.val_images[:PREVIEW_IMAGES].numpy()  # (P, C, H, W)

    def preview_of(model: LatentModel) -> np.ndarray:
        return tile_images(np.concatenate([preview_x, reconstruct(model, preview_x)]), nrow=len(preview_x))

    def on_epoch(row: dict[str, float], model: LatentModel) -> None:
        stream.flush()
        stream.send(("epoch", (dict(row), preview_of(model))))

    def on_snapshot(codes: LiveCodes) -> None:  # before its epoch's row: the page shows both at once
        stream.flush()
        stream.send(("codes", codes))

    trained = fit(
        dataset=dataset,
        model_config=model_config,
        settings=TrainSettings.from_dict(settings),
        on_step=stream.on_step,
        on_epoch=on_epoch,
        on_snapshot=on_snapshot,
        stop=stop,
        device=device,
    )
    stream.flush()
    end: dict[str, Any] = {"preview": preview_of(trained.model)}
    if trained.result.steps == 0:
        end["status"] = "stopped"
    else:
        path = save_trained(trained, destination)
        end["status"] = "stopped" if trained.result.stopped else "done"
        end["checkpoint_path"] = str(path)
        end["metrics"] = dict(trained.info.metrics)
        if trained.validation.kl_per_dim is not None:  # a VAE: not in the checkpoint's figures (numbers only)
            end["kl_per_dim"] = [float(kl) for kl in trained.validation.kl_per_dim]
    return end


def samples_preview(model: GenerativeModel) -> np.ndarray:
    """The same 16 samples every time (uint8, two rows of 8)."""
    return tile_images(sample(model, SAMPLE_PREVIEW, seed=PREVIEW_SEED), nrow=SAMPLE_PREVIEW // 2)


def share_figures(model: GenerativeModel, evaluator: DigitClassifier) -> dict[str, float]:
    """share_0 … share_9: how the evaluator reads 500 samples (a fair model gives about 0.1 each)."""
    _, classes = features_and_classes(evaluator, sample(model, SHARE_SAMPLES, seed=SHARE_SEED))
    return {f"share_{i}": float(s) for i, s in enumerate(class_shares(classes, evaluator.config.n_classes))}


def _evaluator(path: str | None) -> DigitClassifier | None:
    if path is None or not Path(path).is_file():
        return None
    try:
        return load_evaluator(path)
    except Exception:  # noqa: BLE001 - no shares then, but the training goes on
        traceback.print_exc()
        return None


def _fit_generative(
    stream: _Stream,
    stop,
    dataset: str,
    config: dict[str, Any],
    settings: dict[str, Any],
    *,
    out_dir: str,
    device: str | None,
    evaluator: str | None,
) -> dict[str, Any]:
    """A GAN (per epoch: samples and the class shares the evaluator reads) or a diffusion model
    (samples after a few epochs only: each costs ~15 net passes)."""
    model_config = config_from_dict(config)
    train_settings = settings_from_dict(model_config.kind, settings)
    destination = check_destination(Path(out_dir) / unique_checkpoint_name(dataset, model_config), overwrite=False)
    is_gan = model_config.kind == "gan"
    reader = _evaluator(evaluator) if is_gan else None
    shown_after = preview_epochs(train_settings.epochs, train_settings.epochs if is_gan else DIFFUSION_PREVIEWS)

    def on_epoch(row: dict[str, float], model: GenerativeModel) -> None:
        stream.flush()
        row = dict(row)
        if reader is not None:
            row |= share_figures(model, reader)
        preview = samples_preview(model) if int(row["epoch"]) in shown_after else None
        stream.send(("epoch", (row, preview)))

    trained = fit_generative(
        config=model_config,
        settings=train_settings,
        dataset=dataset,
        on_step=stream.on_step,
        on_epoch=on_epoch,
        stop=stop,
        device=device,
        note="trained on the Train page",
    )
    stream.flush()
    if trained.result.steps == 0:
        return {"status": "stopped"}
    trained.info.metrics["stopped_early"] = trained.result.stopped
    path = save_generative(trained, destination)
    return {
        "status": "stopped" if trained.result.stopped else "done",
        "preview": samples_preview(trained.model),  # the saved model's: its weights' moving average
        "checkpoint_path": str(path),
        "metrics": dict(trained.info.metrics),
    }


def _train_in_child(
    conn,
    stop,
    dataset: str,
    config: dict[str, Any],
    settings: dict[str, Any],
    *,
    out_dir: str,
    device: str | None,
    evaluator: str | None = None,
) -> None:
    """The child process: train, stream progress, save, and say how it ended."""
    become_background_worker()
    stream = _Stream(conn)
    try:
        if config.get("kind", "vae") in LATENT_KINDS:
            end = _fit_latent(stream, stop, dataset, config, settings, out_dir=out_dir, device=device)
        else:
            end = _fit_generative(
                stream, stop, dataset, config, settings, out_dir=out_dir, device=device, evaluator=evaluator
            )
    except (DatasetUnavailable, DestinationError, TrainingDiverged) as exc:  # their messages explain themselves
        end = {"status": "failed", "error": str(exc)}
    except Exception as exc:  # reported on the page
        traceback.print_exc()
        end = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    stream.send(("end", end))
    conn.close()


# --- the server's side: a job starts its child and copies what it sends -----------------------


class _Watch:
    """The stop flag a queued job waits with: also set when nobody watches the job any more."""

    def __init__(self, job: TrainingJob):
        self.job = job

    def is_set(self) -> bool:
        self.job._check_idle()
        return self.job._stop.is_set()


class TrainingJob:
    """One model (AE, VAE, GAN or diffusion model) trained in a child process (watched by a thread
    here), saved under a fresh name in `out_dir`."""

    def __init__(
        self,
        *,
        label: str,
        dataset: str,
        model_config: TrainableConfig,
        settings: JobSettings,
        out_dir: str | Path,
        device: torch.device | str | None = None,
        slots: TrainingSlots = SLOTS,
        idle_timeout: float | None = None,
        evaluator: str | Path | None = None,
    ):
        """`idle_timeout`: stop (keeping what was learned) when `keepalive()` has not been called
        for this many seconds: a page that watches the job calls it while it is open.
        `evaluator`: the classifier file that reads a GAN's samples after every epoch for the class
        shares (none, or a file that is not there: no shares)."""
        if model_config.kind not in CURVES:
            raise ValueError(f"a training job trains one of {', '.join(CURVES)}, not a {model_config.kind}")
        self.dataset, self.model_config, self.settings = dataset, model_config, settings
        self.kind = model_config.kind
        self.out_dir, self.device, self.slots = Path(out_dir), device, slots
        self.idle_timeout = idle_timeout
        self.evaluator = None if evaluator is None else Path(evaluator)
        self._seen = time.monotonic()
        self._ticket = object()  # this job's place in the slots' queue
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._progress = TrainingProgress(label=label, epochs=settings.epochs, curve=empty_curve(self.kind))
        self._thread = threading.Thread(target=self._run, name=f"train-{label}", daemon=True)

    # --- the page's side -----------------------------------------------------------------------
    def start(self) -> TrainingJob:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the worker to stop after the current step; what it learned so far is saved."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Asked to stop and not ended yet: it finishes its step and saves what it learned, which
        takes seconds that the page says are being spent (or a student clicks Stop again)."""
        return self._stop.is_set() and not self.finished

    def keepalive(self) -> None:
        """Someone still watches: postpones the idle timeout."""
        self._seen = time.monotonic()

    @property
    def place(self) -> int:
        """While queued, its place in the line (1: next to train); 0 otherwise."""
        return self.slots.place(self._ticket)

    def _check_idle(self) -> None:
        if (
            self.idle_timeout is not None
            and time.monotonic() - self._seen > self.idle_timeout
            and not self._stop.is_set()
        ):
            self._update(abandoned=True)
            self._stop.set()

    def snapshot(self) -> TrainingProgress:
        """A copy the page can read while the worker goes on. The lists the worker appends to are
        copied; the preview and the metrics are replaced whole by the worker, never changed in place,
        so they are shared (a deep copy of them cost most of a twice-a-second poll)."""
        with self._lock:
            p = self._progress
            return replace(
                p,
                curve={name: list(values) for name, values in p.curve.items()},
                epoch_rows=list(p.epoch_rows),
                metrics=dict(p.metrics),
            )

    @property
    def finished(self) -> bool:
        """Without copying the curves and the preview, as `snapshot()` does: every page asks on every rerun."""
        with self._lock:
            return self._progress.finished

    # --- the worker's side ---------------------------------------------------------------------
    def _update(self, **changes: Any) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self._progress, k, v)

    def _on_steps(self, reports: list[StepReport] | list[GenerativeStep]) -> None:
        fields = CURVES[self.kind].items()
        with self._lock:
            p, last = self._progress, reports[-1]
            p.step, p.total_steps, p.epoch, p.elapsed = last.step, last.total_steps, last.epoch, last.elapsed
            c = p.curve
            for r in reports:
                c["step"].append(r.step)
                for name, value in fields:
                    c[name].append(getattr(r, value))
            if len(c["step"]) > CURVE_POINTS:  # keep memory bounded on long runs: drop every other point
                for key in c:
                    c[key] = c[key][::2]

    def _run(self) -> None:
        watching = _Watch(self)
        try:
            acquired = self.slots.acquire(watching, ticket=self._ticket)
        except QueueFull as exc:
            self._update(status="failed", queue_full=True, error=f"the training queue is full ({exc})")
            return
        if not acquired:
            self._update(status="stopped")
            return
        try:
            self._supervise()
        except Exception as exc:  # reported on the page; the server keeps running
            traceback.print_exc()
            self._update(status="failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            self.slots.release()

    def _supervise(self) -> None:
        """Start the child, relay its messages into the progress object, forward a stop request."""
        if self._stop.is_set():
            self._update(status="stopped")
            return
        self._update(status="running")
        receiver, sender = _spawn.Pipe(duplex=False)
        child_stop = _spawn.Event()
        device = None if self.device is None else str(self.device)
        child = _spawn.Process(
            target=_train_in_child,
            name=f"train-{self._progress.label}",
            daemon=True,
            args=(sender, child_stop, self.dataset, self.model_config.to_dict(), self.settings.to_dict()),
            kwargs={
                "out_dir": str(self.out_dir),
                "device": device,
                "evaluator": None if self.evaluator is None else str(self.evaluator),
            },
        )
        child.start()
        sender.close()  # the child holds the only writing end: its exit closes the pipe
        final = False
        try:
            while True:
                self._check_idle()
                if self._stop.is_set():
                    child_stop.set()
                if not receiver.poll(0.1):
                    continue
                try:
                    message: Message = receiver.recv()
                except EOFError:
                    break
                if self._on_message(message):
                    final = True
        finally:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
            receiver.close()
        if not final:
            self._update(status="failed", error=f"the training process ended unexpectedly (exit code {child.exitcode})")

    def _on_message(self, message: Message) -> bool:
        """Apply one message from the child; True for the last one."""
        kind, payload = message
        if kind == "steps":
            self._on_steps(payload)
        elif kind == "codes":
            self._update(codes=payload)
        elif kind == "epoch":
            row, preview = payload
            with self._lock:
                self._progress.epoch_rows.append(row)
                if preview is not None:  # a diffusion model's epochs bring one now and then
                    self._progress.preview = preview
        else:  # "end": the final status and what was saved
            self._update(**payload)
            return True
        return False
