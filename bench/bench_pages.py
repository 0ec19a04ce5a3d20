"""Server-side time of one rerun of each page after a control moves, measured with AppTest.

    python -m bench.bench_pages [--reruns 9]

Each page is opened once (models load, encodings and projections are cached, as on a warm
server), then a control is moved to a value not used before and the page rerun; the median of
these reruns is printed. The time includes AppTest's own overhead (building the element tree),
so it slightly overstates what a browser user waits for on the server. Target: 150 ms for the
grid, sliders and interpolation pages.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app_testing import open_app  # the tests' way of opening a page

TARGET_MS = 150.0
TARGET_PAGES = {"latent_grid", "latent_sliders", "interpolation"}


def latent_slider(at: AppTest):
    return next(s for s in at.select_slider if s.key and s.key.startswith("z."))


# row → (what is moved, how to move it to the i-th value); a row "page:detail" opens that page
MOVES: dict[str, tuple[str, Callable[[AppTest, int], object]]] = {
    "latent_grid": ("grid size N (new value each time)", lambda at, i: at.slider(key="keep.grid_n").set_value(10 + i)),
    "latent_grid:seen": (
        "grid size N, among sizes asked for before (the class shares the cache)",
        lambda at, i: at.slider(key="keep.grid_n").set_value(20 + i % 3),
    ),
    "latent_sliders": ("latent slider z1", lambda at, i: latent_slider(at).set_value(round(-3.0 + 0.35 * i, 2))),
    "interpolation": ("number of steps", lambda at, i: at.slider(key="keep.interp_steps").set_value(4 + i)),
    "ae_vs_vae": ("chosen image number", lambda at, i: at.number_input(key="keep.compare_index").set_value(11 + i)),
    "uses": ("noise level", lambda at, i: at.select_slider(key="keep.uses_level").set_value(round(0.05 * (i % 12), 2))),
    "train": ("epochs (no training started)", lambda at, i: at.number_input(key="keep.train_epochs").set_value(2 + i)),
}


def bench_page(row: str, reruns: int) -> list[float]:
    _, move = MOVES[row]
    at = open_app(row.split(":")[0])
    move(at, reruns + 1).run()  # warm: the first move may fill caches shared by all values
    if row.endswith(":seen"):  # and another session already asked for every value
        for i in range(3):
            move(at, i).run()
    times = []
    for i in range(reruns):
        move(at, i)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reruns", type=int, default=9, help="reruns per page (the median is reported)")
    args = parser.parse_args()
    print(f"{'page':<17} {'median':>8} {'min':>7} {'max':>7}   control moved / target")
    for page in MOVES:
        times = bench_page(page, args.reruns)
        median = statistics.median(times)
        target = ""
        if page.split(":")[0] in TARGET_PAGES:
            target = f" — target {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'}"
        print(f"{page:<17} {median:6.0f}ms {min(times):5.0f}ms {max(times):5.0f}ms   {MOVES[page][0]}{target}")


if __name__ == "__main__":
    main()
