"""The class poll's rooms and answers, behind one small interface (`PollStore`): no Streamlit here.

Two stores keep them. `SqlitePollStore`, the default, a file: rooms survive a restart and are shared
by every server process on the machine (SQLite's write-ahead log lets them read while one writes).
`RedisPollStore`, when the app is given a Redis URL: several servers behind a load balancer, on other
machines, share the rooms. A room has a short code that students type or scan, and a secret that
only the lecturer's link holds (stored as its SHA-256). An answer is keyed by room, question round
and an anonymous voter token, so each student's answer to a question counts once; only counts are
ever read back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Protocol

import redis

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off a projector
CODE_LENGTH = 6  # 32⁶ ≈ 10⁹ codes; a room lives ROOM_LIFETIME_S
ROOM_LIFETIME_S = 4 * 3600.0  # one lecture, with margin
CHOICES = ("a", "b", "c", "d")

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    expires REAL NOT NULL,
    question TEXT,
    round INTEGER NOT NULL DEFAULT 0,
    revealed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL,
    round INTEGER NOT NULL,
    voter TEXT NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (code, round, voter)
);
"""


class RoomNotFound(LookupError):
    """No such room, or it has expired."""


class NotTheLecturer(PermissionError):
    """The secret does not open this room."""


class StoreUnavailable(ConnectionError):
    """The store cannot be reached (a Redis server down or refusing us): the page says so and where."""


@dataclass(frozen=True)
class RoomState:
    code: str
    question: str | None  # the key of the question asked, None before the first
    round: int  # bumped by every question asked: answers belong to a round
    revealed: bool
    expires: float


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_code(text: str) -> str:
    """What a student typed, as a room code: upper case, spaces and dashes dropped."""
    return "".join(c for c in text.upper() if c not in " -")


class PollStore(Protocol):
    """What the poll's pages need of a store; `now` (seconds since the epoch) is for tests of expiry."""

    where: str  # the file or the server, as the app names it to a user when it cannot be reached

    def reachable(self) -> bool: ...
    def open_room(self, *, now: float | None = None) -> tuple[str, str]: ...
    def room(self, code: str, *, now: float | None = None) -> RoomState: ...
    def is_lecturer(self, code: str, secret: str) -> bool: ...
    def ask(self, code: str, secret: str, question: str) -> RoomState: ...
    def reveal(self, code: str, secret: str) -> RoomState: ...
    def answer(self, code: str, round_: int, voter: str, choice: str) -> bool: ...
    def answer_of(self, code: str, round_: int, voter: str) -> str | None: ...
    def counts(self, code: str, round_: int) -> dict[str, int]: ...


def _as_lecturer(store: PollStore, code: str, secret: str) -> None:
    """The room exists (else RoomNotFound) and the secret is its lecturer's (else NotTheLecturer)."""
    store.room(code)
    if not store.is_lecturer(code, secret):
        raise NotTheLecturer(code)


def _check_choice(choice: str) -> None:
    if choice not in CHOICES:
        raise ValueError(f"an answer must be one of {', '.join(CHOICES)}, not {choice!r}")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class SqlitePollStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.where = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0)

    def reachable(self) -> bool:
        return True  # a local file: a failure is the machine's, and raises where it happens

    def open_room(self, *, now: float | None = None) -> tuple[str, str]:
        """A new room: (its code, the lecturer's secret). Expired rooms are cleared on the way."""
        now = time.time() if now is None else now
        secret = secrets.token_urlsafe(24)
        with closing(self._connect()) as db, db:
            self._purge(db, now)
            while True:
                code = _new_code()
                try:
                    db.execute(
                        "INSERT INTO rooms (code, secret_sha256, expires) VALUES (?, ?, ?)",
                        (code, _digest(secret), now + ROOM_LIFETIME_S),
                    )
                    return code, secret
                except sqlite3.IntegrityError:  # the code is taken: draw another
                    continue

    def room(self, code: str, *, now: float | None = None) -> RoomState:
        now = time.time() if now is None else now
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT code, question, round, revealed, expires FROM rooms WHERE code = ? AND expires > ?",
                (code, now),
            ).fetchone()
        if row is None:
            raise RoomNotFound(code)
        return RoomState(row[0], row[1], int(row[2]), bool(row[3]), float(row[4]))

    def is_lecturer(self, code: str, secret: str) -> bool:
        with closing(self._connect()) as db:
            row = db.execute("SELECT secret_sha256 FROM rooms WHERE code = ?", (code,)).fetchone()
        return row is not None and hmac.compare_digest(row[0], _digest(secret))

    def ask(self, code: str, secret: str, question: str) -> RoomState:
        """A new round with this question, its answer hidden."""
        _as_lecturer(self, code, secret)
        with closing(self._connect()) as db, db:
            new_round = "UPDATE rooms SET question = ?, round = round + 1, revealed = 0 WHERE code = ?"
            db.execute(new_round, (question, code))
        return self.room(code)

    def reveal(self, code: str, secret: str) -> RoomState:
        _as_lecturer(self, code, secret)
        with closing(self._connect()) as db, db:
            db.execute("UPDATE rooms SET revealed = 1 WHERE code = ?", (code,))
        return self.room(code)

    def answer(self, code: str, round_: int, voter: str, choice: str) -> bool:
        """True when this voter's answer to this round was counted now; False when it had been already,
        the round is over (another question asked) or the answer revealed."""
        _check_choice(choice)
        state = self.room(code)
        if state.round != round_ or state.revealed:
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO answers (code, round, voter, choice) VALUES (?, ?, ?, ?)",
                (code, round_, voter, choice),
            )
            return cursor.rowcount == 1

    def answer_of(self, code: str, round_: int, voter: str) -> str | None:
        """The option this voter's answer to this round counted, None before it answers: what another
        server's page (a replica, or this one after a restart) shows it as sent."""
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT choice FROM answers WHERE code = ? AND round = ? AND voter = ?", (code, round_, voter)
            ).fetchone()
        return row[0] if row else None

    def counts(self, code: str, round_: int) -> dict[str, int]:
        """How many chose each option in this round (every option present, 0 where none)."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT choice, COUNT(*) FROM answers WHERE code = ? AND round = ? GROUP BY choice", (code, round_)
            ).fetchall()
        found = dict(rows)
        return {choice: int(found.get(choice, 0)) for choice in CHOICES}

    @staticmethod
    def _purge(db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM answers WHERE code IN (SELECT code FROM rooms WHERE expires <= ?)", (now,))
        db.execute("DELETE FROM rooms WHERE expires <= ?", (now,))


def _script(name: str) -> str:
    return files("ui").joinpath("redis_scripts", name).read_text(encoding="utf-8")


@contextmanager
def _reaching(where: str):
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError, redis.AuthenticationError) as error:
        raise StoreUnavailable(f"the poll's Redis store at {where} cannot be reached: {error}") from error


class RedisPollStore:
    """The same rooms in Redis: a hash per room, one of its answers (field "round:voter", set once) and
    one of its counts (field "round:choice"); the checks and the count of an answer happen in one Lua
    script, so replicas answering at once count each voter once. Keys expire with their room, and
    opening a room clears the expired ones (a sorted set of codes by expiry), as in SQLite."""

    def __init__(self, url: str, *, prefix: str = "latent-lab:poll", timeout_s: float = 2.0):
        self.client = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )
        kwargs = self.client.get_connection_kwargs()  # the host, never a password in the URL
        self.where = f"{kwargs.get('host', kwargs.get('path', '?'))}:{kwargs.get('port', '')}".rstrip(":")
        self.prefix = prefix
        self._open = self.client.register_script(_script("open_room.lua"))
        self._answer = self.client.register_script(_script("answer.lua"))

    def _keys(self, code: str) -> list[str]:  # the room, its answers, its counts
        return [f"{self.prefix}:{kind}:{code}" for kind in ("room", "answers", "counts")]

    def reachable(self) -> bool:
        try:
            with _reaching(self.where):
                return bool(self.client.ping())
        except StoreUnavailable:
            return False

    def open_room(self, *, now: float | None = None) -> tuple[str, str]:
        now = time.time() if now is None else now
        secret = secrets.token_urlsafe(24)
        expiry = f"{self.prefix}:expiry"
        with _reaching(self.where):
            for old in self.client.zrangebyscore(expiry, "-inf", now):
                self.client.delete(*self._keys(old))
                self.client.zrem(expiry, old)
            while not self._open(
                keys=[self._keys(code := _new_code())[0], expiry], args=[_digest(secret), now + ROOM_LIFETIME_S, code]
            ):
                pass  # the code is taken: draw another
        return code, secret

    def room(self, code: str, *, now: float | None = None) -> RoomState:
        now = time.time() if now is None else now
        with _reaching(self.where):
            question, round_, revealed, expires = self.client.hmget(
                self._keys(code)[0], "question", "round", "revealed", "expires"
            )
        if expires is None or float(expires) <= now:
            raise RoomNotFound(code)
        return RoomState(code, question, int(round_), revealed == "1", float(expires))

    def is_lecturer(self, code: str, secret: str) -> bool:
        with _reaching(self.where):
            digest = self.client.hget(self._keys(code)[0], "secret_sha256")
        return digest is not None and hmac.compare_digest(digest, _digest(secret))

    def ask(self, code: str, secret: str, question: str) -> RoomState:
        _as_lecturer(self, code, secret)
        room = self._keys(code)[0]
        with _reaching(self.where), self.client.pipeline(transaction=True) as step:
            step.hincrby(room, "round", 1).hset(room, mapping={"question": question, "revealed": 0}).execute()
        return self.room(code)

    def reveal(self, code: str, secret: str) -> RoomState:
        _as_lecturer(self, code, secret)
        with _reaching(self.where):
            self.client.hset(self._keys(code)[0], "revealed", 1)
        return self.room(code)

    def answer(self, code: str, round_: int, voter: str, choice: str) -> bool:
        _check_choice(choice)
        with _reaching(self.where):
            counted = self._answer(keys=self._keys(code), args=[round_, voter, choice, time.time()])
        if counted < 0:
            raise RoomNotFound(code)
        return counted == 1

    def answer_of(self, code: str, round_: int, voter: str) -> str | None:
        with _reaching(self.where):
            return self.client.hget(self._keys(code)[1], f"{round_}:{voter}")

    def counts(self, code: str, round_: int) -> dict[str, int]:
        with _reaching(self.where):
            found = self.client.hmget(self._keys(code)[2], [f"{round_}:{choice}" for choice in CHOICES])
        return {choice: int(n or 0) for choice, n in zip(CHOICES, found, strict=True)}


def open_store(location: str) -> PollStore:
    """A Redis store for a redis:// (rediss://, unix://) URL, else an SQLite store in that file."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        return RedisPollStore(location)
    return SqlitePollStore(location)
