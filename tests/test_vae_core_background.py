"""A long computation in a low-priority child process: its progress and result reach the server, a bad
value's message too, and a child that dies is reported instead of waited for."""

from __future__ import annotations

import os
import time

from vae_core.background import BackgroundCall


def count_to(n: int, *, on_progress) -> dict:
    for i in range(1, n + 1):
        on_progress(i, n)
    return {"niceness": os.nice(0), "pid": os.getpid()}


def refuse(*, on_progress) -> None:
    raise ValueError("runs must be from 1 to 20, not 99")


def die(*, on_progress) -> None:
    on_progress(1, 2)
    os._exit(3)


def finished(call: BackgroundCall, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not call.state().finished:
        assert time.monotonic() < deadline, call.state()
        time.sleep(0.05)
    return call.state()


def test_the_result_and_the_last_progress_come_back_from_a_lower_priority_child() -> None:
    state = finished(BackgroundCall(count_to, 5).start())
    assert state.error is None and (state.done, state.total) == (5, 5)
    assert state.result["pid"] != os.getpid()
    assert state.result["niceness"] > os.nice(0)  # it yields the CPU to the server's reruns


def test_a_bad_value_comes_back_as_its_message() -> None:
    state = finished(BackgroundCall(refuse).start())
    assert state.error == "runs must be from 1 to 20, not 99" and state.result is None


def test_a_child_that_dies_is_reported_as_stopped() -> None:
    state = finished(BackgroundCall(die).start())
    assert state.error is not None and "stopped before its end" in state.error
    assert (state.done, state.total) == (1, 2)
