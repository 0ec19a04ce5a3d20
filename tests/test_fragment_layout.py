"""The Train page's progress fragments, and the comparison page's seed fragment, keep every picture
and chart at its place in every run.

Why: Streamlit 1.67 drops an interrupted fragment run's unsent elements but keeps its references to
pictures and charts the browser already holds (README, "A blank Train page"). Such a reference lands
at its delta path in whatever layout the browser has; if another run of the fragment put a text
there, or a text where its parent block was, the page's React app throws and the tab goes blank.
So no path of a picture or chart may hold anything else, nor any of its parents a non-block, in any
run of the same fragment. A real server trains a small AE/VAE pair and a one-epoch GAN, and a student
moves through seeds and paths on the comparison page, while a protocol student
(bench/protocol_student.py) records each run's layout.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterator

import pytest

from bench.protocol_student import (
    EPOCHS_KEY,
    GENERATIVE_SEED_KEY,
    GENERATIVE_STEPS_KEY,
    START_KEY,
    DeltaPath,
    Entry,
    ProtocolStudent,
)
from tests.browser.server import ARTIFACTS, AppServer, served_or_skipped
from ui.train_generative import GENERATIVE_KEYS

Layouts = dict[str, dict[DeltaPath, Entry]]  # run id → delta path → what that run put there
TRAINING_S = 240  # a small training from Start to its saved files, on a busy CI machine


def moved_parts(layouts: Layouts) -> list[str]:
    """Where a picture or chart of one run meets something else in another run of the fragment."""
    problems = []
    for run_id, layout in layouts.items():
        for path, entry in layout.items():
            if entry.kind == "block" or not entry.cacheable:
                continue
            for other_id, other in layouts.items():
                if other_id == run_id:
                    continue
                if path in other and other[path].kind != entry.kind:
                    problems.append(f"{list(path)}: {entry.kind} in one run, {other[path].kind} in another")
                for cut in range(1, len(path)):
                    parent = other.get(path[:cut])
                    if parent is not None and parent.kind != "block":
                        problems.append(
                            f"{list(path)}: a {entry.kind} whose parent {list(path[:cut])} is a {parent.kind}"
                        )
    return sorted(set(problems))


def _entry(kind: str, cacheable: bool = False) -> Entry:
    return Entry(kind, None, "fragment", "run", cacheable)


def test_a_picture_whose_place_holds_a_text_in_another_run_is_found() -> None:
    picture = (0, 9, 4, 0, 0)
    before = {(0, 9, 3): _entry("markdown"), (0, 9, 4): _entry("block"), picture: _entry("imgs", cacheable=True)}
    after = {(0, 9, 3): _entry("plotly_chart"), (0, 9, 4): _entry("markdown")}  # the curves came: all moved down
    assert moved_parts({"a": before, "b": after}) == ["[0, 9, 4, 0, 0]: a imgs whose parent [0, 9, 4] is a markdown"]
    assert moved_parts({"a": before, "b": dict(before)}) == []
    small = {path: _entry(e.kind) for path, e in before.items()}  # never sent as a reference
    assert moved_parts({"a": small, "b": after}) == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    yield from served_or_skipped(
        tmp_path_factory.mktemp("fragment-layout"), ARTIFACTS / "streamlit-server-fragment-layout.log"
    )


def _recorder(student: ProtocolStudent) -> dict[str, Layouts]:
    """Each fragment's layouts, by run, as the student receives them."""
    layouts: dict[str, Layouts] = defaultdict(lambda: defaultdict(dict))

    def record(path: DeltaPath, entry: Entry) -> None:
        if entry.fragment_id:
            layouts[entry.fragment_id][entry.run_id][path] = entry

    student.on_element = record
    return layouts


def _finished(student: ProtocolStudent, layouts: dict[str, Layouts]) -> dict[str, Layouts]:
    """The layouts of the runs that ended well."""
    done = {run.run_id for run in student.runs if run.ok}
    return {fragment: {r: layout for r, layout in runs.items() if r in done} for fragment, runs in layouts.items()}


def _pictured(layouts: dict[str, Layouts]) -> dict[str, Layouts]:
    """The fragments that sent a picture or chart big enough to come as a reference."""
    return {
        fragment: runs
        for fragment, runs in layouts.items()
        if any(e.cacheable and e.kind != "block" for layout in runs.values() for e in layout.values())
    }


async def _train(port: int, settings: list[tuple[str, object]]) -> tuple[dict[str, Layouts], list[str]]:
    """Train with these settings from Start to the saved models; each fragment's layouts, by run."""
    async with ProtocolStudent(port, "trainer", timeout_s=120) as student:
        layouts = _recorder(student)
        await student.open("train")
        for key, value in settings:
            await student.set(key, value)
        await student.press(START_KEY)
        async with asyncio.timeout(TRAINING_S):
            while not student.polling:
                await asyncio.sleep(0.1)
            while student.polling:  # until the fragment has registered the models and stopped polling
                await asyncio.sleep(0.2)
        await student.settle()
        return _finished(student, layouts), student.all_exceptions + student.unexpected


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param([(EPOCHS_KEY, 3)], id="autoencoder-and-vae"),
        pytest.param([(GENERATIVE_KEYS["family"], 1), (GENERATIVE_KEYS["gan_epochs"], 1)], id="gan"),
    ],
)
def test_no_run_of_a_training_fragment_puts_anything_else_where_a_picture_or_chart_was(server, settings) -> None:
    layouts, problems = asyncio.run(_train(server.port, settings))
    assert not problems, problems
    pictured = _pictured(layouts)  # the progress fragment; the sidebar's, which watches the training, draws none
    assert pictured, "no fragment of the training sent a picture or chart big enough to come as a reference"
    for fragment, runs in pictured.items():
        assert len(runs) >= 3, f"fragment {fragment[:8]}: only {len(runs)} runs seen"  # the states to compare
        assert moved_parts(runs) == [], fragment
    assert not server.tracebacks()


async def _explore_seeds(port: int) -> tuple[dict[str, Layouts], list[str]]:
    async with ProtocolStudent(port, "explorer", timeout_s=120) as student:
        layouts = _recorder(student)
        await student.open("generative")
        for key, value in [(GENERATIVE_STEPS_KEY, 3), (GENERATIVE_SEED_KEY, 1), (GENERATIVE_STEPS_KEY, 5)]:
            await student.set(key, value)
        return _finished(student, layouts), student.all_exceptions + student.unexpected


def test_no_run_of_the_comparison_pages_seed_fragment_moves_a_picture(server) -> None:
    layouts, problems = asyncio.run(_explore_seeds(server.port))
    assert not problems, problems
    pictured = _pictured(layouts)
    assert len(pictured) == 1, "the seed's samples, paths and reverse path are drawn by one fragment"
    for fragment, runs in pictured.items():
        assert len(runs) >= 3, f"fragment {fragment[:8]}: only {len(runs)} runs seen"
        assert moved_parts(runs) == [], fragment
