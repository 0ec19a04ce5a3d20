"""bench/bench_poll.py against a real server, with a few students: every first answer is counted once,
double clicks and replays of Send are not, and the lecturer's page ends on the store's count. The
latency is printed by the bench, never asserted here (two shared cores set it, not the page).

The server is `streamlit run app.py` on 127.0.0.1 (tests/browser/server.py); where it cannot start,
the tests are skipped and say why.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest

from bench import bench_poll
from tests.browser.server import ARTIFACTS

STUDENTS, SECONDS = 5, 3.0


@pytest.fixture(scope="module")
def poll(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bench_poll.PollResult]:
    """One small class on one server: 5 students in 3 s, one of them trying to count twice, and a
    second tab of that student's browser once everyone has answered."""
    folder = tmp_path_factory.mktemp("bench-poll")
    with contextlib.ExitStack() as stack:
        try:
            started = bench_poll.poll_server(folder, ARTIFACTS / "streamlit-server-bench-poll.log")
            server, db = stack.enter_context(started)
        except (RuntimeError, OSError) as error:
            pytest.skip(f"the app server (streamlit run app.py) could not start on 127.0.0.1: {error}")
        scenario = bench_poll.run_poll(server.port, db, STUDENTS, SECONDS, repeat_share=0.2, join_s=2.0)
        result = asyncio.run(asyncio.wait_for(scenario, 120))
        result.errors += [f"server log: {tb.splitlines()[-1]}" for tb in server.tracebacks()]
        yield result


def test_every_answer_is_counted_once_and_the_projector_shows_the_store(poll: bench_poll.PollResult) -> None:
    print(bench_poll.report(poll))
    assert not poll.errors, poll.errors
    assert poll.voters == STUDENTS == len({a.student for a in poll.answers})
    duplicates = poll.duplicates
    assert duplicates.double_clicks == duplicates.replays == 1  # the repeater tried twice in its own session
    assert poll.counted_after_answers == STUDENTS  # ... and neither counted
    assert all(a.shown is not None for a in poll.answers)  # every answer reached the lecturer's chart
    assert poll.lecturer_chart == poll.lecturer_text == poll.counted  # the last view: the store's count
    assert len(poll.answer_ms) == STUDENTS


def test_a_second_tab_of_the_same_browser_does_not_count_again(poll: bench_poll.PollResult) -> None:
    assert poll.duplicates.second_tabs == 1
    assert poll.counted == poll.voters == STUDENTS
