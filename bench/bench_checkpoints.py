"""Size and load time of every shipped checkpoint (targets: under 15 MB in all, each load < 0.5 s).

    python -m bench.bench_checkpoints        # from the repository root

'first' is the first load in this process (file read from disk, model built), 'median' the median
of 10 further loads. Importing torch itself happens before timing, as it does once per server.
"""

from __future__ import annotations

import statistics
import sys
import time

from vae_core import count_parameters, load_checkpoint
from vae_core.pretrain import CHECKPOINT_DIR, shipped_files

TARGET_LOAD_S, TARGET_TOTAL_MB = 0.5, 15.0


def main() -> int:
    rows, worst, total = [], 0.0, 0
    for name in sorted(shipped_files()):
        path = CHECKPOINT_DIR / name
        t0 = time.perf_counter()
        model, _ = load_checkpoint(path)
        first = time.perf_counter() - t0
        again = []
        for _ in range(10):
            t0 = time.perf_counter()
            load_checkpoint(path)
            again.append(time.perf_counter() - t0)
        size = path.stat().st_size
        total += size
        worst = max(worst, first, *again)
        rows.append(
            f"{name:26s} {count_parameters(model):>10,d} {size / 1024:9.0f} {first * 1000:9.1f} "
            f"{statistics.median(again) * 1000:9.1f}"
        )
    print(f"{'checkpoint':26s} {'params':>10s} {'size kB':>9s} {'first ms':>9s} {'median ms':>9s}")
    print("\n".join(rows))
    ok_size, ok_time = total / 2**20 < TARGET_TOTAL_MB, worst < TARGET_LOAD_S
    print(f"\ntotal size {total / 2**20:.2f} MB (target < {TARGET_TOTAL_MB:.0f} MB): {'PASS' if ok_size else 'FAIL'}")
    print(
        f"slowest load {worst * 1000:.1f} ms (target < {TARGET_LOAD_S * 1000:.0f} ms): {'PASS' if ok_time else 'FAIL'}"
    )
    return 0 if ok_size and ok_time else 1


if __name__ == "__main__":
    sys.exit(main())
