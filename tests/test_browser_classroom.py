"""A class on one server: 8 students at once in one Chromium (one context each, so one Streamlit
session each). One trains a model while the others move a latent slider and change the grid size.

Every interaction is timed from the key press to the new picture finishing loading in that
student's page. The figures are printed (whatever pytest's -s) and written to
test-artifacts/classroom.txt next to the targets a class accepts (median < 500 ms, worst < 2 s on
2 cores). The test asserts looser bounds (median < 2 s, worst < 6 s) so that a loaded CI machine
does not fail it while a real regression does. Then every student checks that it sees only its
own models and its own values.

Training runs in a child process (vae_core/jobs.py). When it ran in threads of the server, they
took the interpreter lock from every session's reruns and the class's median was about 2 s; with
Streamlit's garbage collection after every script run (now off in .streamlit/config.toml), 560 ms
with a worst of 2.6 s; with the child in the server's scheduling group, 441 ms and 1.56 s. Now
about 150–170 ms and 0.5 s, with the training running all through the class.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.browser_support import (
    ARTIFACTS,
    AppServer,
    app_server,  # noqa: F401 - fixture
    chromium,  # noqa: F401 - fixture
    run_classroom,
)

pytestmark = pytest.mark.browser

STUDENTS, SLIDER_MOVES, GRID_MOVES = 8, 6, 4
TARGET_MEDIAN_MS, TARGET_WORST_MS = 500.0, 2000.0  # what a class accepts, on 2 cores
LIMIT_MEDIAN_MS, LIMIT_WORST_MS = 2000.0, 6000.0  # what fails the test: a real regression, not a busy CI


def test_eight_students_at_once_stay_responsive_and_apart(app_server: AppServer, chromium: str,  # noqa: F811
                                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    log_start = app_server.log_size()
    result = asyncio.run(run_classroom(app_server.url, chromium, students=STUDENTS, moves=SLIDER_MOVES,
                                       grid_moves=GRID_MOVES, server_pid=app_server.pid))  # fmt: skip
    report = result.report(TARGET_MEDIAN_MS, TARGET_WORST_MS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "classroom.txt").write_text(report + "\n")
    assert result.console is not None
    result.console.write(ARTIFACTS / "browser-console-classroom.txt")
    with capsys.disabled():
        print("\n" + report)

    # Behaviour first: every interaction answered, sessions apart (checked in run_classroom), no errors.
    assert len(result.samples) == (STUDENTS - 1) * (SLIDER_MOVES + GRID_MOVES), "an interaction was not timed"
    assert not result.console.errors, "browser console errors:\n" + result.console.report()
    tracebacks = app_server.tracebacks(since=log_start)
    assert not tracebacks, "the server printed tracebacks:\n" + "\n".join(tracebacks)

    # Then speed.
    assert result.median_ms < LIMIT_MEDIAN_MS, report
    assert result.worst_ms < LIMIT_WORST_MS, report
