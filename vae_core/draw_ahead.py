"""A slow model's next pictures, drawn ahead in a low-priority child process.

A diffusion image costs about 45 ms of CPU, so the first student of a class to press "New samples"
used to wait over a second for 16 samples and two paths. A thread of the server cannot draw them
ahead: the U-Net's many short kernels take the interpreter lock back between each, and every
student's script waits behind them (README, "VAE, GAN and diffusion"). A child process has its own
lock; at the lowest priority it draws only with CPU the class leaves free, newest request first,
and hands back arrays that the page takes instead of drawing them itself.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import traceback
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch

from .comparison import interpolate_samples, sampler_path
from .generative import AnyConfig, GenerativeModel, build, sample
from .training_jobs import become_background_worker

_spawn = mp.get_context("spawn")  # never fork a threaded server
QUEUED = 64  # drawings waiting in the child, a bound never reached by a page that asks a few seeds ahead
HELD = 64  # drawn and not yet taken, in the server: about 3 MB of pictures
TAKEN = 1024  # drawings already handed to the page (whose cache keeps them): not asked for again
PARENT_CHECK_S = 5.0  # an idle child looks this often whether its server still runs
RESTARTS = 3  # a child that died is started again on the next request, this often: one that keeps dying stays dead


@dataclass(frozen=True)
class Drawing:
    """One picture's worth of a model's output, named by what `draw` needs to make it."""

    what: Literal["samples", "path", "reverse"]
    seed: int
    n: int = 0  # samples: how many; path: how many images
    seed_b: int = 0  # path: the seed at its other end
    method: str = "spherical"  # path: "linear" or "spherical"


def draw(model: GenerativeModel, drawing: Drawing) -> np.ndarray:
    """The arrays the comparison page shows: samples (n, C, H, W), a path (n, C, H, W) from `seed` to
    `seed_b`, or the sampler's reverse path for the first sample of `seed` (steps + 1, C, H, W)."""
    if drawing.what == "samples":
        return sample(model, drawing.n, seed=drawing.seed)
    if drawing.what == "path":
        return interpolate_samples(model, drawing.seed, drawing.seed_b, drawing.n, method=drawing.method)
    if drawing.what == "reverse":
        return sampler_path(model, drawing.seed)
    raise ValueError(f"a drawing is samples, a path or a reverse path, not {drawing.what!r}")


def _child(config: AnyConfig, state: dict[str, torch.Tensor], requests, results) -> None:  # noqa: ANN001 - queues
    become_background_worker()
    model = build(config)
    model.load_state_dict(state)
    model.eval()
    waiting: list[Drawing] = []  # in the order asked: the next seed before the one after it
    server = mp.parent_process()
    while True:
        try:
            message = requests.get(timeout=PARENT_CHECK_S) if not waiting else requests.get_nowait()
        except queue.Empty:
            if not waiting and server is not None and not server.is_alive():
                return  # the server was killed: nobody is left to draw for
            message = None
            if not waiting:
                continue
        if message is not None:
            verb, drawing = message
            if verb == "stop":
                return
            if verb == "drop" and drawing in waiting:
                waiting.remove(drawing)
            elif verb == "ask" and drawing not in waiting and len(waiting) < QUEUED:
                waiting.append(drawing)
            continue  # read every message before drawing: a later one may drop this drawing
        drawing = waiting.pop(0)
        try:
            results.put(("drawn", drawing, draw(model, drawing)))
        except Exception as exc:  # reported to the server, which draws it itself
            traceback.print_exc()
            results.put(("failed", drawing, f"{type(exc).__name__}: {exc}"))


@dataclass
class _Shelf:
    """What the server knows of the child's work; shared with the thread that receives it."""

    asked: set[Drawing] = field(default_factory=set)
    held: OrderedDict[Drawing, np.ndarray] = field(default_factory=OrderedDict)
    taken: OrderedDict[Drawing, None] = field(default_factory=OrderedDict)  # the newest TAKEN, oldest first
    lock: threading.Lock = field(default_factory=threading.Lock)
    problem: str | None = None


def _receive(shelf: _Shelf, results, process) -> None:  # noqa: ANN001 - a multiprocessing Queue and Process
    while True:
        try:
            verb, drawing, payload = results.get(timeout=1.0)
        except queue.Empty:
            if not process.is_alive():
                shelf.problem = shelf.problem or f"the drawing process exited (code {process.exitcode})"
                return
            continue
        except (EOFError, OSError):
            return
        with shelf.lock:
            if drawing not in shelf.asked:  # taken meanwhile: the page drew it itself
                continue
            shelf.asked.discard(drawing)
            if verb == "drawn":
                shelf.held[drawing] = payload
                while len(shelf.held) > HELD:
                    shelf.held.popitem(last=False)
            else:
                shelf.problem = payload


def _stop(requests, process) -> None:  # noqa: ANN001 - a multiprocessing Queue and Process
    if process.is_alive():
        requests.put(("stop", None))
        process.join(timeout=2)
        if process.is_alive():
            process.terminate()
            process.join(timeout=2)  # a busy machine: SIGTERM is not handled at once


class DrawAhead:
    """A copy of `model` in a low-priority child that draws what `ask` names; `take` hands a drawing
    over once it is done (None before: the caller draws it itself, and the child is told to drop it).
    A child that died (killed, out of memory) is started again by the next `ask`, up to `RESTARTS`
    times; what it had drawn and handed over stays."""

    def __init__(self, model: GenerativeModel):
        self._config = model.config
        # The weights travel, not the module (spectral norm's parametrisations do not pickle); cloned, so the
        # shared model's own tensors are never moved into memory shared with the child.
        self._state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        self._shelf = _Shelf()
        self._starting = threading.Lock()  # two students' runs may find the child dead at once
        self._closed = False
        self.restarts = 0
        self._new_child()

    def _new_child(self) -> None:
        self._requests, self._results = _spawn.Queue(), _spawn.Queue()
        args = (self._config, self._state, self._requests, self._results)
        self._process = _spawn.Process(target=_child, args=args, daemon=True)

    def start(self) -> DrawAhead:
        self._process.start()
        # The thread holds the shelf, not self: a DrawAhead nobody holds any more is collected, and stops its child.
        args = (self._shelf, self._results, self._process)
        threading.Thread(target=_receive, args=args, daemon=True, name="draw-ahead").start()
        weakref.finalize(self, _stop, self._requests, self._process)
        return self

    def _restart_if_dead(self) -> None:
        with self._starting:
            if self._closed or self._process.is_alive() or self.restarts >= RESTARTS:
                return
            with self._shelf.lock:
                self._shelf.asked.clear()  # what the dead child was drawing: asked again below
            self.restarts += 1
            self._new_child()
            self.start()

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def problem(self) -> str | None:
        """Why a drawing failed or the child stopped, if one did."""
        return self._shelf.problem

    def ask(self, *drawings: Drawing) -> None:
        """Draw these ahead, in the order asked; one already asked for, drawn or taken is not drawn
        again (a student still on an earlier seed asks for seeds the page has already shown)."""
        self._restart_if_dead()
        shelf = self._shelf
        with shelf.lock:
            new = [d for d in drawings if d not in shelf.asked and d not in shelf.held and d not in shelf.taken]
            shelf.asked.update(new)
        for drawing in new:
            self._requests.put(("ask", drawing))  # never blocks: the queue's own thread feeds the pipe

    def holds(self, drawing: Drawing) -> bool:
        """Whether `take` would hand this drawing over now."""
        with self._shelf.lock:
            return drawing in self._shelf.held

    def take(self, drawing: Drawing) -> np.ndarray | None:
        shelf = self._shelf
        with shelf.lock:
            images = shelf.held.pop(drawing, None)
            dropped = images is None and drawing in shelf.asked
            shelf.asked.discard(drawing)
            shelf.taken[drawing] = None  # drawn here or there, the page has it now
            while len(shelf.taken) > TAKEN:
                shelf.taken.popitem(last=False)
        if dropped:
            self._requests.put(("drop", drawing))
        return images

    def close(self) -> None:
        with self._starting:
            self._closed = True
        _stop(self._requests, self._process)
