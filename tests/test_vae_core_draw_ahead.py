"""Drawing ahead in a child process: the child draws exactly what the page would, hands each drawing
over once, reports a failure instead of dying, and leaves when its server does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests.tiny_generative import (
    one_thread,  # noqa: F401 - an autouse fixture: one thread for the whole module
    tiny_diffusion,
    tiny_gan,
)
from tests.waiting import wait_until
from vae_core import draw_ahead
from vae_core.draw_ahead import DrawAhead, Drawing, draw

WAIT_S = 60  # a spawned child imports torch first: seconds on a busy CI machine


@pytest.fixture
def ahead():
    drawer = DrawAhead(tiny_diffusion()).start()
    yield drawer
    drawer.close()


def test_each_drawing_is_what_the_page_would_draw_itself() -> None:
    model = tiny_diffusion()
    samples = draw(model, Drawing("samples", 3, n=5))
    assert samples.shape == (5, 1, 8, 8)
    path = draw(model, Drawing("path", 3, n=9, seed_b=4, method="linear"))
    assert path.shape == (9, 1, 8, 8)
    np.testing.assert_allclose(path[-1], draw(model, Drawing("samples", 4, n=1))[0], atol=1e-5)
    reverse = draw(model, Drawing("reverse", 3))
    assert reverse.shape == (model.config.sampler_steps + 1, 1, 8, 8)
    np.testing.assert_allclose(reverse[-1], samples[0], atol=1e-5)  # the reverse path ends on sample 0
    with pytest.raises(ValueError, match="not 'grid'"):
        draw(model, Drawing("grid", 3))  # type: ignore[arg-type]


def test_the_child_draws_what_is_asked_and_hands_it_over_once(ahead) -> None:
    model = tiny_diffusion()
    wanted = [Drawing("reverse", 7), Drawing("path", 7, n=5, seed_b=8), Drawing("samples", 7, n=16)]
    ahead.ask(*wanted)
    ahead.ask(*wanted)  # asked twice, drawn once
    assert wait_until(lambda: all(ahead.holds(d) for d in wanted), WAIT_S), ahead.problem
    for drawing in wanted:
        np.testing.assert_allclose(ahead.take(drawing), draw(model, drawing), atol=1e-5)
        assert ahead.take(drawing) is None  # handed over: the page's cache keeps it now
    later = Drawing("samples", 8, n=4)
    ahead.ask(*wanted, later)  # a student still on an earlier seed asks again: only the new one is drawn
    assert wait_until(lambda: ahead.holds(later), WAIT_S), ahead.problem
    assert not any(ahead.holds(d) for d in wanted), "a drawing the page already has was drawn again"
    assert ahead.alive and ahead.problem is None


def test_drawings_are_drawn_in_the_order_asked_the_next_seed_first(ahead) -> None:
    seeds = [Drawing("samples", seed, n=64) for seed in (11, 12, 13)]
    ahead.ask(*seeds)
    assert wait_until(lambda: ahead.holds(seeds[-1]), WAIT_S)
    assert ahead.holds(seeds[0]) and ahead.holds(seeds[1])  # drawn before the last one asked


def test_a_drawing_that_fails_is_reported_and_the_child_draws_on(ahead) -> None:
    bad, good = Drawing("path", 1, n=1, seed_b=2), Drawing("samples", 1, n=2)
    ahead.ask(bad, good)  # the bad one first
    assert wait_until(lambda: ahead.holds(good), WAIT_S)
    assert not ahead.holds(bad) and ahead.take(bad) is None
    assert "steps must be from 2 to 64, not 1" in ahead.problem
    assert ahead.alive


def test_a_gan_is_drawn_ahead_too_and_close_stops_the_child() -> None:
    drawer = DrawAhead(tiny_gan()).start()
    drawing = Drawing("samples", 0, n=4)
    drawer.ask(drawing)
    assert wait_until(lambda: drawer.holds(drawing), WAIT_S)
    np.testing.assert_allclose(drawer.take(drawing), draw(tiny_gan(), drawing), atol=1e-6)
    drawer.close()
    assert not drawer.alive


def test_a_child_that_died_is_started_again_on_the_next_request_a_bounded_number_of_times(monkeypatch) -> None:
    monkeypatch.setattr(draw_ahead, "RESTARTS", 1)
    drawer = DrawAhead(tiny_diffusion()).start()
    try:
        first, second = Drawing("samples", 21, n=2), Drawing("samples", 22, n=2)
        drawer.ask(first)
        assert wait_until(lambda: drawer.holds(first), WAIT_S), drawer.problem
        pid = drawer.pid
        os.kill(pid, signal.SIGKILL)  # what the kernel's out-of-memory killer does
        assert wait_until(lambda: not drawer.alive, WAIT_S)
        drawer.ask(second)
        assert drawer.alive and drawer.pid != pid and drawer.restarts == 1
        assert wait_until(lambda: drawer.holds(second), WAIT_S), drawer.problem
        assert drawer.holds(first)  # what the dead child had drawn is still there
        os.kill(drawer.pid, signal.SIGKILL)
        assert wait_until(lambda: not drawer.alive, WAIT_S)
        drawer.ask(Drawing("samples", 23, n=2))  # the restarts are spent: the page draws for itself
        assert not drawer.alive and drawer.restarts == 1
        assert "exited" in drawer.problem
    finally:
        drawer.close()


SERVER = """
import os, sys, time
from tests.tiny_generative import tiny_diffusion
from vae_core.draw_ahead import DrawAhead
if __name__ == "__main__":
    drawer = DrawAhead(tiny_diffusion()).start()
    print(drawer.pid, flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_child_leaves_when_its_server_is_killed(tmp_path) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        child = int(server.stdout.readline())
        os.kill(server.pid, signal.SIGKILL)  # no atexit, no finaliser: only the child's own check
        server.wait()
        assert wait_until(lambda: not _running(child), timeout=30), "the child outlived its server"
    finally:
        server.kill()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited: its parent (here, init) has not reaped it yet
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
