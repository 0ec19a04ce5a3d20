"""A class on one server: 8 students at once in one Chromium (one context each, so one Streamlit
session each). One trains a model while the others move a latent slider and change the grid size.

Every interaction is timed from the key press to the new picture finishing loading in that
student's page. The figures are printed (whatever pytest's -s) and written to
test-artifacts/classroom.txt next to the targets a class accepts (median < 500 ms, worst < 2 s on
2 cores). The test asserts looser bounds (median < 2 s, worst < 6 s) so that a loaded CI machine
does not fail it while a real regression does. Then every student checks that it sees only its
own models and its own values.

About 100 s: CI (CI=true) runs it; locally, `pytest -m classroom`.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.browser.classroom import run_classroom
from tests.browser.server import ARTIFACTS, AppServer

pytestmark = [pytest.mark.browser, pytest.mark.classroom]

STUDENTS, SLIDER_MOVES, GRID_MOVES = 8, 6, 4
LIMIT_MEDIAN_MS, LIMIT_WORST_MS = 2000.0, 6000.0  # what fails the test: a real regression, not a busy CI


def test_eight_students_at_once_stay_responsive_and_apart(
    app_server: AppServer, chromium: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log_start = app_server.log_size()
    scenario = run_classroom(
        app_server.url,
        chromium,
        students=STUDENTS,
        moves=SLIDER_MOVES,
        grid_moves=GRID_MOVES,
        server_pid=app_server.pid,
    )
    result = asyncio.run(scenario)
    report = result.report()
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
