"""The class poll's stores, SQLite and Redis (a real redis-server), held to the same tests: codes a room
can be typed by, the lecturer's secret, one answer per voter per question, rounds, expiry, and rooms
that outlive the store object (a server restart) and are shared by two stores on one file or one Redis
(two server processes, or replicas on several machines), answering at once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.server import free_port
from ui.poll_store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ROOM_LIFETIME_S,
    NotTheLecturer,
    PollStore,
    RedisPollStore,
    RoomNotFound,
    SqlitePollStore,
    StoreUnavailable,
    normal_code,
    open_store,
)


@pytest.fixture(params=["sqlite", "redis"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], PollStore]:
    """Makes stores on one place: a file, or a Redis server under a key prefix of this test's own."""
    if request.param == "sqlite":
        return lambda: SqlitePollStore(tmp_path / "poll.sqlite3")
    url, prefix = request.getfixturevalue("redis_url"), f"test-{uuid.uuid4().hex}"
    return lambda: RedisPollStore(url, prefix=prefix)


@pytest.fixture
def store(new_store: Callable[[], PollStore]) -> PollStore:
    return new_store()


def test_a_room_has_a_short_unambiguous_code_and_a_long_secret(store: PollStore) -> None:
    codes = {store.open_room()[0] for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01IO") & set(CODE_ALPHABET)
    code, secret = store.open_room()
    assert len(secret) >= 32 and store.is_lecturer(code, secret)
    assert not store.is_lecturer(code, secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    assert normal_code(f" {code[:3].lower()}-{code[3:]} ") == code


def test_only_the_secret_asks_and_reveals(store: PollStore) -> None:
    code, secret = store.open_room()
    with pytest.raises(NotTheLecturer):
        store.ask(code, "guess", "roc")
    state = store.ask(code, secret, "roc")
    assert (state.question, state.round, state.revealed) == ("roc", 1, False)
    with pytest.raises(NotTheLecturer):
        store.reveal(code, "guess")
    assert store.reveal(code, secret).revealed


def test_each_voter_counts_once_per_question_and_only_while_it_is_open(store: PollStore) -> None:
    code, secret = store.open_room()
    round_ = store.ask(code, secret, "reparam").round
    assert store.answer(code, round_, "voter-1", "a")
    assert not store.answer(code, round_, "voter-1", "b")  # a second answer is not counted
    assert store.answer_of(code, round_, "voter-1") == "a"  # ... and the first is the one shown
    assert store.answer_of(code, round_, "voter-2") is None
    assert store.answer(code, round_, "voter-2", "b")
    assert store.counts(code, round_) == {"a": 1, "b": 1, "c": 0, "d": 0}
    next_round = store.ask(code, secret, "kl_term").round
    assert not store.answer(code, round_, "voter-3", "a")  # the old question is over
    assert store.answer(code, next_round, "voter-1", "c")  # a new question: a new answer
    store.reveal(code, secret)
    assert not store.answer(code, next_round, "voter-4", "b")  # revealed: closed
    assert store.counts(code, next_round) == {"a": 0, "b": 0, "c": 1, "d": 0}
    with pytest.raises(ValueError, match="an answer must be one of a, b, c, d, not 'e'"):
        store.answer(code, next_round, "voter-5", "e")


def test_rooms_expire_and_unknown_codes_are_refused(store: PollStore) -> None:
    now = time.time()
    code, _ = store.open_room(now=now)
    assert store.room(code, now=now + ROOM_LIFETIME_S - 1).code == code
    with pytest.raises(RoomNotFound):
        store.room(code, now=now + ROOM_LIFETIME_S + 1)
    with pytest.raises(RoomNotFound):
        store.room("ZZZZZZ")
    store.open_room(now=now + ROOM_LIFETIME_S + 1)  # opening a room clears the expired ones
    with pytest.raises(RoomNotFound):
        store.room(code, now=now)


def test_rooms_survive_a_restart_and_two_stores_on_one_place_share_them(new_store: Callable[[], PollStore]) -> None:
    first = new_store()
    code, secret = first.open_room()
    round_ = first.ask(code, secret, "roc").round
    second = new_store()  # another server process, a replica, or the same one restarted
    assert second.room(code).question == "roc"

    def vote(n: int) -> None:
        store = first if n % 2 else second
        for i in range(10):
            store.answer(code, round_, f"voter-{n}-{i}", "abcd"[i % 4])

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(first.counts(code, round_).values()) == 60  # every answer counted once
    assert first.answer_of(code, round_, "voter-2-1") == second.answer_of(code, round_, "voter-2-1") == "b"


def test_a_redis_room_and_its_answers_expire_with_it_in_redis_too(redis_url: str) -> None:
    store = RedisPollStore(redis_url, prefix=f"test-{uuid.uuid4().hex}")
    code, secret = store.open_room()
    store.answer(code, store.ask(code, secret, "roc").round, "voter-1", "a")
    for key in (f"{store.prefix}:{kind}:{code}" for kind in ("room", "answers", "counts")):
        assert ROOM_LIFETIME_S - 5 <= store.client.ttl(key) <= ROOM_LIFETIME_S + 1, key


def test_a_redis_server_that_cannot_be_reached_is_named_not_raised_raw() -> None:
    store = open_store(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    assert isinstance(store, RedisPollStore) and not store.reachable()
    with pytest.raises(StoreUnavailable, match=r"Redis store at 127\.0\.0\.1:\d+ cannot be reached"):
        store.room("ABCDEF")


def test_the_place_picks_the_store(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "poll.sqlite3")), SqlitePollStore)
    assert isinstance(open_store("redis://localhost:6379/0"), RedisPollStore)  # no connection until used
