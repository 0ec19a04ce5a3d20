"""One long computation (not a model's training: `training_jobs` has those) in a low-priority child process.

A page that measures something for a minute must not hold the server's interpreter lock while forty
students click: the work runs in a spawned child, as a training does, and reports its progress
through a pipe; a thread in the server copies it into the call, which the page polls. The function
must be importable by name (the child imports it) and take an `on_progress(done, total)` keyword.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .training_jobs import become_background_worker

_spawn = mp.get_context("spawn")  # never fork a threaded server


@dataclass(frozen=True)
class CallState:
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    finished: bool = False


def _child(conn, fn: Callable[..., Any], args: tuple) -> None:  # noqa: ANN001 - a multiprocessing Connection
    become_background_worker()
    try:
        result = fn(*args, on_progress=lambda done, total: conn.send(("progress", done, total)))
        conn.send(("result", result))
    except ValueError as exc:  # a bad setting or file: its message names the problem
        conn.send(("error", str(exc)))
    except Exception as exc:  # reported on the page; the traceback goes to the server's log
        traceback.print_exc()
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    conn.close()


class BackgroundCall:
    """fn(*args, on_progress=…) in a child process; `state()` says how far it is and, at the end, its result."""

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self._receive, send = _spawn.Pipe(duplex=False)
        self._process = _spawn.Process(target=_child, args=(send, fn, args), daemon=True)
        self._send = send
        self._state = CallState()
        self._lock = threading.Lock()

    def start(self) -> BackgroundCall:
        self._process.start()
        self._send.close()  # the child holds its own end: a dead child now reads as the end of the pipe
        threading.Thread(target=self._listen, daemon=True, name="background-call").start()
        return self

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._state = CallState(**{**self._state.__dict__, **changes})

    def _listen(self) -> None:
        while True:
            try:
                message = self._receive.recv()
            except (EOFError, OSError):
                if not self._state.finished:
                    self._set(error="the computation stopped before its end (its process exited)", finished=True)
                break
            if message[0] == "progress":
                self._set(done=message[1], total=message[2])
            elif message[0] == "result":
                self._set(result=message[1], finished=True)
            else:
                self._set(error=message[1], finished=True)
        self._process.join(timeout=5)

    def state(self) -> CallState:
        with self._lock:
            return self._state
