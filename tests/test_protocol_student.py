"""The protocol-level student (bench/protocol_student.py) against a real server: three students on
the latent pages, two moves each, new pictures every time, no errors, and each session keeps its own
values. It is the client the class bench (bench/bench_class40.py) relies on.

The server is `streamlit run app.py` on 127.0.0.1 (tests/browser/server.py); where it cannot
start, the test is skipped and says why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from bench.protocol_student import (
    GENERATIVE_SEED_KEY,
    GENERATIVE_STEPS_KEY,
    GRID_KEY,
    PICTURES_PER_MOVE,
    SUCCESS,
    ProtocolStudent,
    latent_keys,
    reply_problems,
    slider_positions,
    widget_key,
)
from tests.browser.server import ARTIFACTS, AppServer, served_or_skipped

PAGES = ["latent_grid", "latent_sliders", "latent_grid"]
MOVES = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    yield from served_or_skipped(
        tmp_path_factory.mktemp("protocol-student"), ARTIFACTS / "streamlit-server-protocol.log"
    )


def test_widget_key_is_read_from_the_widget_id() -> None:
    assert widget_key("$$ID-55935380d8ec6eba82acc29cf2d91e21-keep.grid_n") == "keep.grid_n"
    assert widget_key("$$ID-c3915711da231d15599f9097f5eb9138-z.0a6d3221.0") == "z.0a6d3221.0"
    assert widget_key("$$ID-a-b-with-dashes") == "b-with-dashes"
    assert widget_key("some-element-id") is None


async def _student(port: int, index: int, page: str) -> dict[str, object]:
    """Open the page, move its control twice (to values no other student uses), then leave for
    Home and come back: the server, drawing from this session's state, must show its values."""
    problems: list[str] = []
    async with ProtocolStudent(port, f"student{index}", timeout_s=20) as student:
        reply = await student.open(page)
        problems += reply_problems(student, reply, f"open {page}", PICTURES_PER_MOVE[page])
        key = GRID_KEY if page == "latent_grid" else latent_keys(student)[0]
        _, proto = student.widget(key)
        for move in range(MOVES):  # grid: 3+i, 13+i; slider: distinct steps per student
            steps = 1 + index + 10 * move
            value = slider_positions(proto)[steps]
            reply = await student.set(key, value)
            problems += reply_problems(student, reply, f"{key} -> {value}", PICTURES_PER_MOVE[page])
            assert student.number(key) == value, f"{student.name}: {key} shows {student.value(key)} after {value}"
        final, pictures = student.number(key), set(reply.run.urls)
        for target in ("app", page):
            reply = await student.go(target)
            assert reply.run.status == SUCCESS, reply.run.describe()
        problems += [f"{student.name}: {text}" for text in student.all_exceptions + student.unexpected]
        return {
            "name": student.name,
            "key": key,
            "final": final,
            "shown": student.number(key),
            "pictures_kept": pictures <= set(reply.run.urls),
            "problems": problems,
            "session": student.session_id,
        }


async def _class(port: int) -> list[dict[str, object]]:
    return await asyncio.gather(*(_student(port, i, page) for i, page in enumerate(PAGES, start=1)))


def test_three_protocol_students_each_see_their_own_pictures_and_values(server: AppServer) -> None:
    began = time.monotonic()
    results = asyncio.run(asyncio.wait_for(_class(server.port), 60))
    assert not [p for r in results for p in r["problems"]], results  # pictures came, no exceptions
    assert len({r["session"] for r in results}) == len(results)  # three sessions
    for r in results:  # each session shows its own final value, and the pictures that go with it
        assert r["shown"] == r["final"], f"{r['name']} shows {r['shown']} but set {r['final']}"
        assert r["pictures_kept"], f"{r['name']} came back to other pictures than its own"
    grid = [r["final"] for r in results if r["key"] == GRID_KEY]
    assert len(set(grid)) == len(grid)  # the grid students ended on different sizes: a leak would show
    assert not server.tracebacks()
    assert time.monotonic() - began < 30


async def _comparison_student(port: int) -> dict[str, object]:
    """On the comparison page: another path, then another seed, each a run of the seed's fragment
    only (as the frontend asks for a widget a fragment drew); then away to Home and back."""
    async with ProtocolStudent(port, "comparison", timeout_s=60) as student:
        reply = await student.open("generative")
        problems = reply_problems(student, reply, "open generative", PICTURES_PER_MOVE["generative"])
        moves = []
        for key, value in ((GENERATIVE_STEPS_KEY, 3), (GENERATIVE_SEED_KEY, 2)):
            reply = await student.set(key, value)
            problems += reply_problems(student, reply, f"{key} -> {value}", PICTURES_PER_MOVE["generative"])
            moves.append(reply.run.full)
        for target in ("app", "generative"):
            reply = await student.go(target)
            assert reply.run.status == SUCCESS, reply.run.describe()
        shown = {key: student.number(key) for key in (GENERATIVE_STEPS_KEY, GENERATIVE_SEED_KEY)}
        return {"problems": problems + student.all_exceptions + student.unexpected, "full": moves, "shown": shown}


def test_the_comparison_pages_seed_and_path_rerun_their_fragment_and_are_kept_for_the_next_visit(
    server: AppServer,
) -> None:
    result = asyncio.run(asyncio.wait_for(_comparison_student(server.port), 180))
    assert not result["problems"], result
    assert result["full"] == [False, False]  # each move ran the fragment, not the page's tables and charts
    # Streamlit forgets a fragment's widget values when the next full run (Home) does not draw
    # them; the page keeps them aside itself
    assert result["shown"] == {GENERATIVE_STEPS_KEY: 3, GENERATIVE_SEED_KEY: 2}
    assert not server.tracebacks()
