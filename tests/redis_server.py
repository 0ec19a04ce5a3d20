"""A real `redis-server` for the tests and the poll bench: on a free port of 127.0.0.1, in memory only
(no dump file, no append log), stopped when done. `.ci/run` installs Debian's redis-server."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from tests.browser.server import free_port

START_TIMEOUT_S = 10.0


class RedisMissing(RuntimeError):
    """No redis-server on this machine."""


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A running server's URL, redis://127.0.0.1:PORT/0."""
    program = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else ""
    )
    if not program:
        raise RedisMissing("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    command = [program, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    command += ["--dir", str(folder), "--logfile", str(folder / "redis.log")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (
                        (folder / "redis.log").read_text(errors="replace")[-500:]
                        if (folder / "redis.log").exists()
                        else ""
                    )
                    raise RuntimeError(f"redis-server did not start on port {port}: {log}") from None
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
