"""bench/bench_poll.py against a real server, with a few students: every first answer is counted once,
double clicks and replays of Send are not, and the lecturer's page ends on the store's count: on the
SQLite file with one server, and on a real redis-server with two replicas of the app. The
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


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def poll(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[bench_poll.PollResult]:
    """One small class: 5 students in 3 s, one of them trying to count twice, and a second tab of that
    student's browser once everyone has answered. On SQLite, one server; on Redis, two replicas of the
    app sharing it (the students split between them, the second tab on the other one)."""
    folder = tmp_path_factory.mktemp("bench-poll")
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    replicas = 2 if redis_url else 1
    with contextlib.ExitStack() as stack:
        try:
            log = ARTIFACTS / f"streamlit-server-bench-poll-{request.param}.log"
            started = bench_poll.poll_server(folder, log, redis_url=redis_url, replicas=replicas)
            servers, location = stack.enter_context(started)
        except (RuntimeError, OSError) as error:
            pytest.skip(f"the app server (streamlit run app.py) could not start on 127.0.0.1: {error}")
        ports = tuple(server.port for server in servers)
        scenario = bench_poll.run_poll(ports, location, STUDENTS, SECONDS, repeat_share=0.2, join_s=2.0)
        result = asyncio.run(asyncio.wait_for(scenario, 120))
        result.errors += [f"server log: {tb.splitlines()[-1]}" for server in servers for tb in server.tracebacks()]
        assert result.replicas == replicas
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
    assert poll.duplicates.second_tabs_offered == 0  # its page knew the answer, on the other replica too
    assert poll.counted == poll.voters == STUDENTS
