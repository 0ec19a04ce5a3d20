"""A class of 40 on one laptop: protocol-level students on one server, while one of them trains.

    python -m bench.bench_class40 [--students 40] [--seconds 60] [--pages latent|generative] [--no-train] [--profile]

Run it from the repository's root. It starts `streamlit run app.py` on a free port of 127.0.0.1
(tests/browser/server.py, with a temporary copy of the checkpoints) and plays a class with
`bench.protocol_student`: no browsers, one process, one event loop, so the machine's CPU goes to
the server and the figures are the server's.

- One student opens the Train page, sets the epochs to the most it allows, presses Start (MNIST,
  AE and VAE), and keeps the page open: its progress fragment is rerun twice a second on the
  server's `auto_rerun` request, as a browser does. It presses Stop when the class is over.
- Every other student opens latent_grid or latent_sliders (half each, shuffled), and every 2–4 s
  moves the grid size or one latent slider. Each move is timed from sending the rerun to its
  `script_finished`, and must bring new pictures (both grids; the decoded image).
- With `--pages generative` they all open the comparison page "VAE, GAN, diffusion" instead, and
  every 2–4 s either ask for new samples (the seed + 1, what its button does: every student starts
  at seed 0, so seeds are shared) or move the interpolation's steps; each move must bring new
  pictures (the three interpolations at least). Fresh seeds cost the most: a diffusion model
  samples at about 50 ms an image on this CPU, and the pictures are cached for all sessions.
- At the end of its time each student sets a value of its own (a distinct grid size, a distinct
  z1; the comparison's steps, with the seed it reached), then every student leaves for the Home
  page and comes back, and the page the server draws from the session's state must show that
  student's own values and pictures: no leaks.

Printed: interactions, median / p90 / p99 / worst milliseconds, errors, leaks, the server's peak
memory and CPU per interaction (its child processes counted apart: the training's, and on the
comparison page the one that draws the diffusion model's next seed ahead), and the capacity
on paper. Targets: median <= 300 ms, p99 <= 1 s, zero errors, zero leaks. The report also goes
to test-artifacts/class40.txt, and every timed interaction to test-artifacts/class40-samples.csv.

`--profile` samples the server with py-spy during the timed class (`pip install py-spy`; not a
requirement of the project), 100 times a second, the thread that holds the interpreter lock only
(`--gil`: what the server's Python does; work done with the lock released, such as zlib or torch
kernels, is not seen), without pausing the server (`--nonblocking`). Its top entries go to
test-artifacts/class40-profile.txt. py-spy runs on the same cores, so a profiled run's times are a
little worse.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.protocol_student import (
    EPOCHS_KEY,
    GENERATIVE_SEED_KEY,
    GENERATIVE_STEPS_KEY,
    GRID_KEY,
    PICTURES_PER_MOVE,
    START_KEY,
    STOP_KEY,
    ProtocolError,
    ProtocolStudent,
    latent_keys,
    moved_value,
    reply_problems,
    slider_positions,
)
from tests.browser.server import (
    ARTIFACTS,
    AppServer,
    copy_shipped_checkpoints,
    cpu_seconds,
    descendants,
    peak_memory_mb,
)

TARGET_MEDIAN_MS, TARGET_P99_MS = 300.0, 1000.0
INTERACTION_PERIOD_MS = 3000.0  # a student's pace for the capacity on paper: one interaction every 3 s
THINK_S = (2.0, 4.0)  # between a student's answer and its next move
JOIN_S = 8.0  # the students open their pages over this many seconds, before the timed class
QUIET_S = 5.0  # then nobody moves for this long: the server's background (the training's polls, idle sessions)
REQUEST_TIMEOUT_S = 30.0  # a run not finished by then counts as an error
PAGE_SETS = {"latent": ("latent_grid", "latent_sliders"), "generative": ("generative",)}
PAGES = PAGE_SETS["latent"]
HOME = "app"  # the Home page's URL path in the navigation message
EXPLORE_KEY = "train_explore"  # pages/train.py: the button to the new models, once they are saved
PROFILE_RATE = 100  # py-spy samples per second (of the thread holding the GIL)


@dataclass
class Sample:
    student: str
    page: str
    ms: float
    at: float  # seconds since the class began, when the answer came
    unix: float  # time.time() then
    key: str = ""  # the widget moved
    value: float = 0.0  # and its new value: which seed or grid size, so a slow tail can be read by cause


@dataclass
class Trainer:
    started: bool = False
    epochs_asked: int = 0
    epochs_reached: list[int] = field(default_factory=list)
    polls_sent: int = 0
    fragment_runs: int = 0
    dropped_runs: int = 0  # runs whose script_finished never came (Run.dropped)
    stopped: bool = False
    seconds: float = 0.0


@dataclass
class ClassResult:
    students: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)  # first page loads, ms (not held to the targets)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    checked_sessions: int = 0
    notes: list[str] = field(default_factory=list)
    trainer: Trainer | None = None
    wall_s: float = 0.0
    server_cpu_s: float | None = None
    background_cpu_per_s: float | None = None  # server CPU seconds per second while nobody moved
    children_cpu_s: float | None = None
    children: int = 0
    server_peak_mb: float | None = None
    client_cpu_s: float = 0.0
    machine_busy_s: float | None = None  # CPU seconds all of the machine's processes used in the class
    pages: Counter[str] = field(default_factory=Counter)


class Barrier:
    """A count-down of `parties` tasks: each `leave`s once (or `arrive`s: leaves, then waits), and
    `event` is set when all have. Unlike asyncio.Barrier, a task that failed can leave without waiting."""

    def __init__(self, parties: int):
        self.left, self.event = parties, asyncio.Event()
        if parties <= 0:
            self.event.set()

    def leave(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.event.set()

    async def arrive(self) -> None:
        self.leave()
        await self.event.wait()


@dataclass
class Clock:
    began: float = 0.0  # time.monotonic() when the timed class began
    deadline: float = 0.0
    started: asyncio.Event = field(default_factory=asyncio.Event)


async def check_own_values(
    student: ProtocolStudent, page: str, own: dict[str, float], pictures: set[str], result: ClassResult
) -> None:
    try:
        for target in (HOME, page):
            reply = await student.go(target)
            result.errors += reply_problems(student, reply, f"go to {target}", 0)
    except ProtocolError as error:
        result.errors.append(str(error))
        return
    result.checked_sessions += 1
    shown = {key: student.number(key) for key in own if key in student.widgets()}
    if shown != own:
        result.leaks.append(f"{student.name} on {page}: shows {shown}, its own values are {own}")
    elif not pictures <= set(reply.run.urls):
        result.leaks.append(f"{student.name} on {page}: its own values, but not the pictures it had")


async def explorer(
    index: int,
    page: str,
    signature: int,
    port: int,
    rng: random.Random,
    clock: Clock,
    joined: Barrier,
    moved: Barrier,
    result: ClassResult,
) -> None:
    """Open a page, move its control every 2–4 s until the class ends, end on the `signature`-th
    value of its own, then check that the server still shows this session its own values."""
    name = f"student{index:02d}"
    await asyncio.sleep(rng.uniform(0, JOIN_S))
    student = ProtocolStudent(port, name, timeout_s=REQUEST_TIMEOUT_S)
    own: dict[str, float] = {}
    own_pictures: set[str] = set()
    has_joined = False

    async def move(key: str, value: float) -> bool:
        try:
            reply = await student.set(key, value)
        except ProtocolError as error:
            result.errors.append(str(error))
            return False
        result.samples.append(Sample(name, page, reply.ms, time.monotonic() - clock.began, time.time(), key, value))
        problems = reply_problems(student, reply, f"{page}: {key} -> {value:g}", PICTURES_PER_MOVE[page])
        result.errors += problems
        own_pictures.clear()
        own_pictures.update(reply.run.urls)
        return not problems

    try:
        await student.connect()
        reply = await student.open(page)
        result.opens.append(reply.ms)
        result.errors += reply_problems(student, reply, f"open {page}", PICTURES_PER_MOVE[page])
        if page == "latent_grid":
            _, proto = student.widget(GRID_KEY)
            keys, mine = [GRID_KEY], {GRID_KEY: float(proto.min + signature)}
        elif page == "generative":  # steps first: the last move lands on steps of its own
            _, proto = student.widget(GENERATIVE_STEPS_KEY)
            keys = [GENERATIVE_STEPS_KEY, GENERATIVE_SEED_KEY]
            images = slider_positions(proto)  # 3, 5 or 9 images on the path
            mine = {GENERATIVE_STEPS_KEY: images[signature % len(images)]}
        else:
            keys = latent_keys(student)
            _, proto = student.widget(keys[0])
            mine = {keys[0]: slider_positions(proto)[signature + 1]}
        has_joined = True
        joined.leave()
        await clock.started.wait()
        while True:
            await asyncio.sleep(rng.uniform(*THINK_S))
            if time.monotonic() + THINK_S[0] < clock.deadline:
                key = rng.choice(keys)
                if key == GENERATIVE_SEED_KEY:  # "New samples": the next seed
                    value = student.number(key) + 1
                else:
                    value = moved_value(student, key, rng.randint(1, 4), avoid=mine.values())
                if not await move(key, value):
                    break
                continue
            key, value = keys[0], mine[keys[0]]  # the last move: onto a value of its own
            if student.number(key) == value and not await move(key, moved_value(student, key, 1)):
                break
            if await move(key, value):
                own = {k: student.number(k) for k in keys}
                if own[key] != value:
                    result.errors.append(f"{name}: {key} shows {own[key]:g} after it was set to {value:g}")
            break
    except ProtocolError as error:
        result.errors.append(str(error))
    finally:
        if not has_joined:
            joined.leave()
        await moved.arrive()
    try:  # the check: away to Home and back, with no widget states of the page, as a browser
        if own:
            await check_own_values(student, page, own, own_pictures, result)
    finally:
        await student.close()


async def trainer(port: int, clock: Clock, started: asyncio.Event, moved: Barrier, result: ClassResult) -> None:
    """Train MNIST (the page's defaults: AE and VAE) for as many epochs as allowed, keep the page
    open while the class works, and press Stop at the end."""
    info = result.trainer = Trainer()
    student = ProtocolStudent(port, "trainer", timeout_s=REQUEST_TIMEOUT_S, trace=True)
    try:
        await student.connect()
        reply = await student.open("train")
        result.errors += reply_problems(student, reply, "open train", 0)
        _, epochs = student.widget(EPOCHS_KEY)
        info.epochs_asked = int(epochs.max)
        result.errors += reply_problems(student, await student.set(EPOCHS_KEY, info.epochs_asked), "epochs", 0)
        reply = await student.press(START_KEY)
        result.errors += reply_problems(student, reply, "start", 0)
        began = time.monotonic()
        for _ in range(100):  # the progress fragment asks to be polled
            if student.polling:
                break
            await asyncio.sleep(0.1)
        info.started = student.polling
        if not info.started:
            result.errors.append("trainer: the Train page did not start polling its progress after Start")
        started.set()
        await moved.event.wait()  # the class is over
        reply = await student.press(STOP_KEY)
        info.stopped = True
        if not reply.run.dropped:  # a dropped run is counted below; what the page ends on is checked
            result.errors += reply_problems(student, reply, "stop", 0)
        for _ in range(300):  # the fragment registers the models and ends its polling with a full rerun
            if not student.polling:
                break
            await asyncio.sleep(0.1)
        if student.polling:
            result.errors.append("trainer: the Train page still polls 30 s after Stop")
        elif (await student.settle()) is not None and EXPLORE_KEY not in student.widgets():
            result.errors.append("trainer: no 'Explore the new models' button on the Train page after Stop")
        info.seconds = time.monotonic() - began
        info.polls_sent = student.fragment_requests
        texts = " ".join(student.texts("alert") + student.texts("progress"))
        info.epochs_reached = [int(n) for n in re.findall(r"epoch (\d+)", texts)]
        fragment_runs = student.fragment_runs()
        info.fragment_runs = sum(1 for run in fragment_runs if run.ok)
        info.dropped_runs = sum(1 for run in student.runs if run.dropped)
        result.errors += [f"trainer: exception {text}" for text in student.all_exceptions]
        result.errors += [f"trainer: {text}" for text in student.unexpected]
    except ProtocolError as error:
        result.errors.append(str(error))
        trace = ARTIFACTS / "class40-trainer-trace.txt"
        trace.write_text("\n".join(student.trace or []) + "\n")
        result.notes.append(f"the trainer's requests and runs, timed: {trace.relative_to(ARTIFACTS.parent)}")
    finally:
        started.set()
        await student.close()


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat; None elsewhere."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # guest time is already in user time


async def watch_children(server_pid: int, used: dict[int, float], stop: asyncio.Event) -> None:
    """CPU seconds of each process below the server (training, drawing ahead), sampled while they live."""
    first: dict[int, float] = {}
    while not stop.is_set():
        for pid in descendants(server_pid):
            now = cpu_seconds([pid])
            first.setdefault(pid, now)
            used[pid] = now - first[pid]
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def run_class(
    port: int,
    server_pid: int | None,
    students: int,
    seconds: float,
    train: bool,
    seed: int,
    profiler: Profiler | None = None,
    page_set: tuple[str, ...] = PAGES,
) -> ClassResult:
    result = ClassResult(students=students, seconds=seconds)
    rng = random.Random(seed)
    explorers = students - 1 if train else students
    pages = [page_set[i % len(page_set)] for i in range(explorers)]
    rng.shuffle(pages)
    result.pages.update(pages)
    signatures = {page: iter(range(10_000)) for page in page_set}
    clock = Clock()
    joined, moved = Barrier(explorers), Barrier(explorers)
    training_started = asyncio.Event()
    children: dict[int, float] = {}
    stop_watch = asyncio.Event()

    async def start_class() -> None:
        await training_started.wait()
        await joined.event.wait()
        if server_pid:  # the background: polls of the training's progress, sessions open and idle
            quiet = cpu_seconds([server_pid]), time.monotonic()
            await asyncio.sleep(QUIET_S)
            result.background_cpu_per_s = (cpu_seconds([server_pid]) - quiet[0]) / (time.monotonic() - quiet[1])
        if profiler is not None:
            await asyncio.to_thread(profiler.start)
        clock.began = time.monotonic()
        clock.deadline = clock.began + seconds
        baseline.update(server=cpu_seconds([server_pid]) if server_pid else 0.0, client=time.process_time())
        baseline.update(machine=machine_busy_seconds() or 0.0)
        if server_pid:
            watchers.append(asyncio.ensure_future(watch_children(server_pid, children, stop_watch)))
        clock.started.set()

    baseline: dict[str, float] = {}
    watchers: list[asyncio.Future[None]] = []
    tasks = []
    if train:
        tasks.append(trainer(port, clock, training_started, moved, result))  # at once; the others over JOIN_S
    else:
        training_started.set()
    starter = asyncio.ensure_future(start_class())
    for i, page in enumerate(pages, start=1):
        signature = next(signatures[page])
        tasks.append(explorer(i, page, signature, port, random.Random(seed + i), clock, joined, moved, result))

    async def class_over() -> None:
        await moved.event.wait()
        result.wall_s = time.monotonic() - clock.began if clock.began else 0.0
        if server_pid:
            result.server_cpu_s = cpu_seconds([server_pid]) - baseline.get("server", 0.0)
        result.client_cpu_s = time.process_time() - baseline.get("client", time.process_time())
        busy = machine_busy_seconds()
        if busy is not None and "machine" in baseline:
            result.machine_busy_s = busy - baseline["machine"]
        stop_watch.set()
        if profiler is not None:
            await asyncio.to_thread(profiler.stop)

    over = asyncio.ensure_future(class_over())
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    await over
    await starter
    for watcher in watchers:
        await watcher
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.errors.append(f"a student failed: {type(outcome).__name__}: {outcome}")
    result.children_cpu_s, result.children = sum(children.values()), len(children)
    if server_pid:
        result.server_peak_mb = peak_memory_mb(server_pid)
    if result.trainer is not None and result.trainer.dropped_runs:
        result.notes.append(
            f"the server dropped {result.trainer.dropped_runs} of the trainer's runs (no script_finished; a later "
            "run began): Streamlit ignores the end of a run whose ScriptRunner a fragment poll has already "
            "replaced (AppSession.request_rerun, streamlit#9921); a browser goes on with the next run"
        )
    grids = [p for p in pages if p == "latent_grid"]
    if len(grids) > 29:  # grid sizes 2..30: more grid students than sizes cannot all differ
        result.notes.append(f"{len(grids)} students on the grid share 29 sizes: some end on the same size")
    return result


def percentile(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1] if len(times) > 1 else times[0]


def line(label: str, times: list[float]) -> str:
    if not times:
        return f"  {label:<34} no samples"
    return (
        f"  {label:<34} n={len(times):4d}  median {statistics.median(times):6.0f} ms"
        f"  p90 {percentile(times, 90):6.0f} ms  p99 {percentile(times, 99):6.0f} ms  worst {max(times):6.0f} ms"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(result: ClassResult) -> str:
    times = [s.ms for s in result.samples]
    t = result.trainer
    if t is None:
        who = "nobody training"
    else:
        reached = " and ".join(map(str, t.epochs_reached)) or "?"
        who = (
            f"one of them training MNIST (AE and VAE, {t.epochs_asked} epochs asked, stopped at epoch {reached} "
            f"after {t.seconds:.0f} s; {t.fragment_runs} of its {t.polls_sent} progress polls answered)"
        )
    n = len(times)
    lines = [
        f"A class of {result.students} protocol students on one server ({os.cpu_count()} cores), "
        f"{result.wall_s:.0f} s timed, {who}.",
        f"  pages: {', '.join(f'{page} {count}' for page, count in sorted(result.pages.items()))}; "
        f"a move every {THINK_S[0]:g}-{THINK_S[1]:g} s after the last answer",
        "  time from sending the input to the script-finished message, with the new picture(s):",
        line("all interactions", times),
        line("grid size -> both grids", [s.ms for s in result.samples if s.page == "latent_grid"]),
        line("latent slider -> decoded image", [s.ms for s in result.samples if s.page == "latent_sliders"]),
        line("comparison: seed or steps -> pictures", [s.ms for s in result.samples if s.page == "generative"]),
        line("(first page load, not a target)", result.opens),
    ]
    if times:
        median, p99 = statistics.median(times), percentile(times, 99)
        lines.append(
            f"  target: median <= {TARGET_MEDIAN_MS:.0f} ms ({verdict(median <= TARGET_MEDIAN_MS)}), "
            f"p99 <= {TARGET_P99_MS:.0f} ms ({verdict(p99 <= TARGET_P99_MS)})"
        )
    lines.append(f"  errors: {len(result.errors)} (target 0: {verdict(not result.errors)})")
    lines += [f"    {error[:300]}" for error in result.errors[:15]]
    lines.append(
        f"  cross-session leaks: {len(result.leaks)} in {result.checked_sessions} sessions checked "
        f"(target 0: {verdict(not result.leaks and result.checked_sessions > 0)})"
    )
    lines += [f"    {leak[:300]}" for leak in result.leaks[:15]]
    lines += [f"  note: {note}" for note in result.notes]
    if result.server_peak_mb is not None:
        lines.append(f"  server peak memory (VmHWM): {result.server_peak_mb:.0f} MB")
    if result.server_cpu_s is not None and n:
        per = result.server_cpu_s * 1000 / n
        polls = f", the trainer's {t.fragment_runs} progress polls included" if t else ""
        lines.append(
            f"  server CPU: {result.server_cpu_s:.1f} s in {result.wall_s:.0f} s = {per:.1f} ms per interaction "
            f"({n} interactions{polls})"
        )
        lines.append(
            f"  the server's child processes (training, drawing ahead): {result.children_cpu_s or 0:.1f} CPU s "
            f"({result.children} processes), not in the figure above"
        )
        lines.append(
            f"  capacity on paper: {INTERACTION_PERIOD_MS:.0f} ms / {per:.1f} ms = {INTERACTION_PERIOD_MS / per:.0f} "
            "students per core at one interaction per 3 s"
        )
        if result.background_cpu_per_s is not None:
            background = result.background_cpu_per_s
            net = (result.server_cpu_s - background * result.wall_s) * 1000 / n
            lines.append(
                f"  of that, the background ({QUIET_S:.0f} s with nobody moving, before the class: polls and open "
                f"sessions): {background * 1000:.0f} ms of CPU per second; net of it, {net:.1f} ms per interaction"
                + (f" = {INTERACTION_PERIOD_MS / net:.0f} students per core" if net > 0 else "")
            )
    lines.append(
        f"  this client: {result.students} students used {result.client_cpu_s:.1f} CPU s (one process, one event loop)"
    )
    if result.machine_busy_s is not None and result.server_cpu_s is not None:
        ours = result.server_cpu_s + (result.children_cpu_s or 0.0) + result.client_cpu_s
        others = max(0.0, result.machine_busy_s - ours)
        lines.append(
            f"  the machine: {result.machine_busy_s:.0f} of {(os.cpu_count() or 1) * result.wall_s:.0f} CPU s busy; "
            f"other processes than this bench's took {others:.0f} CPU s (on a quiet machine, about 0)"
        )
    return "\n".join(lines)


# --- profiling with py-spy ---------------------------------------------------------------------------


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return found if Path(found).is_file() else None


PROJECT_FRAME = re.compile(r"\((?:ui|vae_core|pages)/|\((?:app|latent_grid|latent_sliders|generative|train)\.py:")


def start_profile(pid: int, raw: Path, rate: int) -> subprocess.Popen[bytes] | str:
    """py-spy sampling the server's threads (not its children) into `raw`; a reason where it cannot."""
    executable = py_spy()
    if executable is None:
        return "py-spy is not installed (pip install py-spy)"
    command = [executable, "record", "--pid", str(pid), "--rate", str(rate), "--gil", "--nonblocking"]
    command += ["--format", "raw", "--output", str(raw)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    if process.poll() is not None:
        error = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
        return f"py-spy could not sample the server: {error[:300]}"
    return process


def stop_profile(process: subprocess.Popen[bytes], raw: Path, out: Path, rate: int, top: int = 25) -> str:
    """Stop py-spy (it writes what it sampled on Ctrl-C) and sum its stacks up: by thread, by
    function (own time and time on the stack), and the project's own functions."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        return "py-spy did not stop"
    if not raw.is_file():
        return "py-spy wrote no profile"
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for text in raw.read_text(errors="replace").splitlines():
        stack, _, count = text.rpartition(" ")
        frames = [f for f in stack.split(";") if f]
        if not frames or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
        if any("_run_script_thread" in f for f in frames):
            threads["script runs (one thread per session's run)"] += samples
        elif any("run_forever" in f for f in frames):
            threads["the server's event loop (websockets, sending messages)"] += samples
        else:
            threads["other threads (caches' and watchers' workers, ...)"] += samples
    if not total:
        return "py-spy sampled nothing"

    def rows(counter: Counter[str], n: int) -> list[str]:
        return [f"  {100 * c / total:5.1f} %  {c / rate:6.1f} s  {frame}" for frame, c in counter.most_common(n)]

    project = Counter({frame: c for frame, c in inclusive.items() if PROJECT_FRAME.search(frame)})
    lines = [
        f"py-spy samples of the server's busy threads while the class ran: {total} ({rate} per second per thread; "
        "a percentage is of all samples, the seconds are thread-seconds)",
        "\nby thread:",
        *rows(threads, 5),
        f"\ntop {top} by own time (the function itself was running):",
        *rows(own, top),
        f"\ntop {top} of the project's functions by inclusive time (on the stack):",
        *rows(project, top),
        f"\ntop {top} by inclusive time:",
        *rows(inclusive, top),
    ]
    out.write_text("\n".join(lines) + "\n")
    return "\n".join(lines[:22])


class Profiler:
    """py-spy on the server for the timed class: `start` when it begins, `stop` when it ends."""

    def __init__(self, pid: int, raw: Path, out: Path, rate: int = PROFILE_RATE):
        self.pid, self.raw, self.out, self.rate = pid, raw, out, rate
        self.process: subprocess.Popen[bytes] | None = None
        self.note = ""

    def start(self) -> None:
        self.raw.unlink(missing_ok=True)
        started = start_profile(self.pid, self.raw, self.rate)
        if isinstance(started, str):
            self.note = f"no profile: {started}"
        else:
            self.process = started

    def stop(self) -> None:
        if self.process is not None:
            self.note = stop_profile(self.process, self.raw, self.out, self.rate)
            self.note += f"\n(all of it: {self.out.relative_to(ARTIFACTS.parent)})"
            self.process = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40, help="students, one of whom trains (default 40)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the timed class (default 60)")
    parser.add_argument("--pages", choices=sorted(PAGE_SETS), default="latent", help="what the students explore")
    parser.add_argument("--no-train", action="store_true", help="nobody trains: every student explores")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="sample the server with py-spy during the class")
    args = parser.parse_args()
    if args.students < (2 if not args.no_train else 1):
        parser.error("too few students")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="latent-lab-class40-") as tmp:
        server = AppServer(copy_shipped_checkpoints(Path(tmp)), Path(tmp) / "streamlit.log").start()
        try:
            assert server.pid is not None
            profiler = None
            if args.profile:
                profiler = Profiler(server.pid, ARTIFACTS / "class40-profile.raw", ARTIFACTS / "class40-profile.txt")
            scenario = run_class(
                server.port,
                server.pid,
                args.students,
                args.seconds,
                not args.no_train,
                args.seed,
                profiler,
                PAGE_SETS[args.pages],
            )
            result = asyncio.run(scenario)
            tracebacks = server.tracebacks()
        finally:
            if profiler is not None:
                profiler.stop()
            server.stop()
    profile_note = profiler.note if profiler is not None else ""
    if tracebacks:
        result.errors += [f"server log: {tb.splitlines()[-1][:200]}" for tb in tracebacks]
    text = report(result)
    print(text)
    if profile_note:
        print(profile_note)
    samples = ["student,page,at_s,unix_s,ms,key,value"]
    samples += [f"{x.student},{x.page},{x.at:.3f},{x.unix:.3f},{x.ms:.1f},{x.key},{x.value:g}" for x in result.samples]
    name = "class40" if args.pages == "latent" else f"class40-{args.pages}"
    (ARTIFACTS / f"{name}-samples.csv").write_text("\n".join(samples) + "\n")
    (ARTIFACTS / f"{name}.txt").write_text(text + "\n" + (profile_note + "\n" if profile_note else ""))
    return 0 if not result.errors and not result.leaks else 1


if __name__ == "__main__":
    sys.exit(main())
