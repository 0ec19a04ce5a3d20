"""A class on one server, in a real browser: the time from a key press to the new picture loaded.

    python -m bench.bench_classroom [--students 8] [--epochs 200] [--think 0.8 1.6]

Run it from the repository's root. It starts `streamlit run app.py` on a free port of 127.0.0.1
(with a temporary copy of the checkpoints), then drives one Chromium with one context per student:
one trains on MNIST (stopped when the others are done; --epochs 0 for a class without training)
while the others each move a latent slider and change the grid size, and every interaction is
timed in the student's page. This is the scenario of tests/browser/test_classroom.py
(tests/browser/classroom.py). Needs Playwright and Chromium (`apt-get install chromium`). Targets
on 2 cores: median < 500 ms, worst < 2 s.

The students' browsers run on the same machine as the server, so part of the time measured is
theirs; the CPU line of the report says how much, and the memory line gives the server's peak.
`STREAMLIT_RUNNER_POST_SCRIPT_GC=true` before the command brings back Streamlit's default garbage
collection after every script run, to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from tests.browser.classroom import run_classroom
from tests.browser.server import ARTIFACTS, AppServer, copy_shipped_checkpoints
from tests.browser.student import chromium_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=8, help="browser contexts, one of which trains")
    parser.add_argument("--moves", type=int, default=6, help="latent slider moves per student")
    parser.add_argument("--grid-moves", type=int, default=4, help="grid size changes per student")
    parser.add_argument("--epochs", type=int, default=200, help="epochs of the training (0: nobody trains)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.8, 1.6),
        metavar=("MIN", "MAX"),
        help="seconds a student waits between two interactions (uniform)",
    )
    parser.add_argument("--chromium", default=None, help="Chromium binary (default: /usr/bin/chromium)")
    args = parser.parse_args()

    executable = args.chromium or chromium_path()
    if executable is None:
        print("Chromium not found: install it with `sudo apt-get install chromium` (or pass --chromium).")
        return 2
    with tempfile.TemporaryDirectory(prefix="latent-lab-bench-") as tmp:
        server = AppServer(copy_shipped_checkpoints(Path(tmp)), Path(tmp) / "streamlit.log").start()
        try:
            scenario = run_classroom(
                server.url,
                executable,
                students=args.students,
                moves=args.moves,
                grid_moves=args.grid_moves,
                epochs=args.epochs,
                think=tuple(args.think),
                server_pid=server.pid,
            )
            result = asyncio.run(scenario)
        finally:
            server.stop()
    report = result.report()
    print(report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert result.console is not None
    console = result.console
    if console.errors:
        print(f"browser console: {len(console.errors)} error(s) (details: test-artifacts/bench-classroom-console.txt)")
    console.write(ARTIFACTS / "bench-classroom-console.txt")
    (ARTIFACTS / "bench-classroom.txt").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
