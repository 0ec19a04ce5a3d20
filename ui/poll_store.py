"""The class poll's rooms and answers, kept in SQLite: no Streamlit here.

A file, not the server's memory: rooms survive a restart and are shared by every server process on
the machine (SQLite's write-ahead log lets them read while one writes). A room has a short code that
students type or scan, and a secret that only the lecturer's link holds (stored as its SHA-256). An
answer is one row keyed by room, question round and an anonymous voter token, so each student's
answer to a question counts once; only counts are ever read back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

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


class PollStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0)

    def open_room(self, *, now: float | None = None) -> tuple[str, str]:
        """A new room: (its code, the lecturer's secret). Expired rooms are cleared on the way."""
        now = time.time() if now is None else now
        secret = secrets.token_urlsafe(24)
        with closing(self._connect()) as db, db:
            self._purge(db, now)
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
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

    def _as_lecturer(self, code: str, secret: str) -> None:
        self.room(code)
        if not self.is_lecturer(code, secret):
            raise NotTheLecturer(code)

    def ask(self, code: str, secret: str, question: str) -> RoomState:
        """A new round with this question, its answer hidden."""
        self._as_lecturer(code, secret)
        with closing(self._connect()) as db, db:
            new_round = "UPDATE rooms SET question = ?, round = round + 1, revealed = 0 WHERE code = ?"
            db.execute(new_round, (question, code))
        return self.room(code)

    def reveal(self, code: str, secret: str) -> RoomState:
        self._as_lecturer(code, secret)
        with closing(self._connect()) as db, db:
            db.execute("UPDATE rooms SET revealed = 1 WHERE code = ?", (code,))
        return self.room(code)

    def answer(self, code: str, round_: int, voter: str, choice: str) -> bool:
        """True when this voter's answer to this round was counted now; False when it had been already,
        the round is over (another question asked) or the answer revealed."""
        if choice not in CHOICES:
            raise ValueError(f"an answer must be one of {', '.join(CHOICES)}, not {choice!r}")
        state = self.room(code)
        if state.round != round_ or state.revealed:
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO answers (code, round, voter, choice) VALUES (?, ?, ?, ?)",
                (code, round_, voter, choice),
            )
            return cursor.rowcount == 1

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
