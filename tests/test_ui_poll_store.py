"""The class poll's store: codes a room can be typed by, the lecturer's secret, one answer per voter per
question, rounds, expiry, and rooms that outlive the store object (a server restart) and are shared by
two stores on one file (two server processes)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ui.poll_store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ROOM_LIFETIME_S,
    NotTheLecturer,
    PollStore,
    RoomNotFound,
    normal_code,
)


@pytest.fixture
def store(tmp_path: Path) -> PollStore:
    return PollStore(tmp_path / "poll.sqlite3")


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


def test_rooms_survive_a_restart_and_two_stores_on_one_file_share_them(tmp_path: Path) -> None:
    path = tmp_path / "poll.sqlite3"
    first = PollStore(path)
    code, secret = first.open_room()
    round_ = first.ask(code, secret, "roc").round
    second = PollStore(path)  # another server process, or the same one restarted
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
