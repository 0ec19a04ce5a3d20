"""Where checkpoints live: configurable so tests (and classrooms) can point at a copy."""

from __future__ import annotations

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS_ENV = "LATENT_LAB_CHECKPOINTS"
POLL_DB_ENV = "LATENT_LAB_POLL_DB"
POLL_REDIS_ENV = "LATENT_LAB_POLL_REDIS"


def checkpoint_dir() -> Path:
    """$LATENT_LAB_CHECKPOINTS, or the `checkpoints` folder next to app.py."""
    raw = os.environ.get(CHECKPOINTS_ENV, "").strip()
    return Path(raw).expanduser().resolve() if raw else APP_ROOT / "checkpoints"


def trained_dir() -> Path:
    """Models trained in the app: never the shipped folder itself, so nothing shipped is replaced."""
    return checkpoint_dir() / "trained"


def poll_database() -> Path:
    """$LATENT_LAB_POLL_DB, or rooms/poll.sqlite3 next to app.py: the class poll's rooms and answers."""
    raw = os.environ.get(POLL_DB_ENV, "").strip()
    return Path(raw).expanduser().resolve() if raw else APP_ROOT / "rooms" / "poll.sqlite3"


def poll_location() -> str:
    """$LATENT_LAB_POLL_REDIS (a redis:// URL: replicas share the rooms), else the SQLite file."""
    return os.environ.get(POLL_REDIS_ENV, "").strip() or str(poll_database())
