"""The app under test: `streamlit run app.py` on 127.0.0.1, and what the tests read from /proc.

`AppServer` starts the app on a free port of 127.0.0.1, headless, pointed at a temporary copy of
the shipped checkpoints (`copy_shipped_checkpoints`), and stops it by killing its process group.
Its output goes to a log file, where `tracebacks()` finds the exceptions the pages raised.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.shipped_copies import copy_shipped
from ui.paths import CHECKPOINTS_ENV

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # kept by CI, ignored by git
START_TIMEOUT_S = 120.0  # a cold start imports torch on two shared cores


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_shipped_checkpoints(destination: Path) -> Path:
    """The shipped checkpoints (not models trained here) copied into `destination`/checkpoints."""
    return copy_shipped(destination / "checkpoints")


class AppServer:
    """`streamlit run app.py` in its own process group, on 127.0.0.1 and a free port."""

    def __init__(self, checkpoints: Path, log_path: Path):
        self.checkpoints, self.log_path = checkpoints, log_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def command(self) -> list[str]:
        return [
            *(sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")),
            *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
            *("--server.address", "127.0.0.1", "--server.port", str(self.port)),
            *("--server.fileWatcherType", "none", "--server.runOnSave", "false"),
        ]

    def start(self, attempts: int = 3) -> AppServer:
        env = {**os.environ, CHECKPOINTS_ENV: str(self.checkpoints), "PYTHONUNBUFFERED": "1"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(attempts):
            self.port = free_port()
            command = self.command()
            with open(self.log_path, "ab") as log:
                log.write(f"\n=== {' '.join(command)} (attempt {attempt + 1})\n".encode())
                log.flush()
                self.process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group: `stop` ends training children too
                )
            if self._wait_healthy(START_TIMEOUT_S):
                return self
            self.stop()  # the port was taken meanwhile, or the start was slow: try another port
        raise RuntimeError(f"streamlit did not answer /_stcore/health; see {self.log_path}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=5) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        return len(self.log_text())

    def tracebacks(self, since: int = 0) -> list[str]:
        """Python tracebacks the server printed (a page's exception, a failed training job),
        from character `since` of its log on (see `log_size`)."""
        chunks = re.split(r"(?=Traceback \(most recent call last\))", self.log_text()[since:])
        return [chunk[:2000] for chunk in chunks if chunk.startswith("Traceback")]


# --- processes, from Linux's /proc (elsewhere: nothing measured) ------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def peak_memory_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM), None where unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def descendants(root: int, *, excluding: set[int] = frozenset()) -> list[int]:
    """Every process below `root`, skipping the subtrees of `excluding`."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else []:
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in excluding:
                found.append(child)
                todo.append(child)
    return found


def served_or_skipped(folder: Path, log: Path) -> Iterator[AppServer]:
    """The body of a module fixture: a server on a copy of the shipped checkpoints in `folder`, stopped
    afterwards; where it cannot start, the module's tests are skipped, saying why."""
    import pytest  # noqa: PLC0415 - the benches use this module, and need no pytest

    try:
        app = AppServer(copy_shipped_checkpoints(folder), log).start()
    except (RuntimeError, OSError) as error:
        pytest.skip(f"the app server (streamlit run app.py) could not start on 127.0.0.1: {error}")
    try:
        yield app
    finally:
        app.stop()
