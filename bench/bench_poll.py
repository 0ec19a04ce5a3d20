"""The class poll under a class: 60 phones answering within 10 s, the projector's count following.

    python -m bench.bench_poll [--students 60] [--seconds 10] [--repeat-share 0.1] [--seed 0]
                               [--store sqlite|redis] [--redis-url URL] [--replicas 1]

Run it from the repository's root. It starts `streamlit run app.py` on a free port of 127.0.0.1
(tests/browser/server.py, with a temporary copy of the checkpoints, and the poll's rooms in a
temporary SQLite file: $LATENT_LAB_POLL_DB) and plays the class with `bench.protocol_student`: no
browsers, one process, one event loop. With `--store redis` the rooms are in Redis instead
($LATENT_LAB_POLL_REDIS: `--redis-url`, or a redis-server of its own on a free port), and with
`--replicas N` it starts N servers on that one store, as behind a load balancer: student k talks to
replica k mod N, the lecturer to the first, and a student's second tab to the next replica.

- The lecturer opens the Class-poll page, presses "Open a room" (the page puts the room's code and
  the lecturer's secret in the URL), and keeps the page open: its live count is a fragment that the
  server asks to be rerun every second (`auto_rerun`), and the client does so, as a browser does.
- The students open the page with the room's code in the URL (``poll?room=CODE``), over a few
  seconds, and wait for the question; their own pages poll once a second too.
- The lecturer presses "Ask" (the page's first question). Each student, at a random moment of the
  next `--seconds`, picks a random option and presses "Send", both as a browser sends an input of a
  fragment: a rerun of that fragment. Its answer is stored when the run that follows shows it sent.
- A share of the students (`--repeat-share`, at least one) also tries to count twice: it
  double-taps Send (a second trigger 5-40 ms after the first, mostly before the page has answered),
  replays Send once its answer is shown (the button's trigger, sent again from a stale page), and,
  after everyone has answered, opens a second tab of the same browser (the same cookie, a new
  session) and answers there too. None of these may count.
- The lecturer's page is read as it arrives: every time its chart (the counts' bars) comes, the
  total of its bars and the moment. An answer is shown when the first chart with a total at least its
  place in the order the answers were stored (answers carry no names: the k-th answer stored is in
  every count of k or more) arrives after it was sent. Its latency runs from the student's press of
  Send to then, what a student watching the projector sees.

Printed: answers sent, counted (read from the store directly, and from the lecturer's last view),
duplicates rejected by kind, and the projector's latency (median, p90, max). Targets: counted ==
distinct voters (students) exactly, and latency max <= 1 s; each is printed as PASS or MISS. The
report also goes to test-artifacts/poll.txt, and every answer's times to test-artifacts/poll-samples.csv.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.protocol_student import DeltaPath, Entry, ProtocolError, ProtocolStudent
from tests.browser.server import ARTIFACTS, AppServer, copy_shipped_checkpoints, cpu_seconds
from ui.paths import POLL_DB_ENV, POLL_REDIS_ENV
from ui.poll_store import open_store

PAGE = "poll"
OPEN_KEY, ASK_KEY, SEND_KEY = "poll_open", "poll_ask", "poll_send"  # pages/poll.py, ui/poll.py
PICK_PREFIX = "poll_pick_"  # ui/poll.py: the options' radio, poll_pick_<code>_<round>
TARGET_LATENCY_S = 1.0
JOIN_S = 6.0  # the students open the page over this many seconds, before the question
DOUBLE_CLICK_S = (0.005, 0.04)  # a fast double tap: its second click, after the first
CATCH_UP_S = 10.0  # how long the lecturer's page may take to show every answer, after the last
SETTLE_S = 2.5  # after the second tabs: two of the lecturer's polls, at least
REQUEST_TIMEOUT_S = 30.0
ANSWERS_TEXT = re.compile(r"(\d+) [^\d]+\.")  # "60 answers." (ui/locales: poll.answers), the count first


@dataclass
class Answer:
    student: str
    option: str
    sent: float  # time.perf_counter() when Send went
    stored: float | None = None  # when the run that shows it sent finished: stored by then
    shown: float | None = None  # when the lecturer's chart first counted it


@dataclass
class Duplicates:
    """Tries to count twice, by kind: how many were made, and how many the page still offered."""

    double_clicks: int = 0
    double_clicks_early: int = 0  # second clicks sent before the page had shown the first answered
    replays: int = 0
    second_tabs: int = 0
    second_tabs_offered: int = 0  # second tabs that showed the question with its options, and sent
    second_tab_students: list[str] = field(default_factory=list)


@dataclass
class PollResult:
    students: int
    seconds: float
    store: str = ""  # where the rooms were: the SQLite file or the Redis server
    replicas: int = 1
    code: str = ""
    round: int = 0
    answers: list[Answer] = field(default_factory=list)
    duplicates: Duplicates = field(default_factory=Duplicates)
    counted_after_answers: int | None = None  # the store, once every first answer was in (before second tabs)
    counted: int | None = None  # the store, at the end
    counts: dict[str, int] = field(default_factory=dict)
    lecturer_chart: int | None = None  # the lecturer's last view: the total of its bars
    lecturer_text: int | None = None  # ... and its "N answers." line
    updates: list[tuple[float, int]] = field(default_factory=list)  # (perf_counter, total) of each chart come
    answer_ms: list[float] = field(default_factory=list)  # a student's Send to the run that shows it sent
    lecturer_polls: int = 0
    lecturer_dropped: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    window_s: float = 0.0
    server_cpu_s: float | None = None

    @property
    def voters(self) -> int:
        """Distinct voters: the students whose answer was stored (one browser each)."""
        return sum(1 for answer in self.answers if answer.stored is not None)


def chart_total(spec: str) -> int | None:
    """The total of the bars in a plotly chart's JSON (ui/poll.py counts_chart: one trace, x = counts)."""
    try:
        return int(sum(json.loads(spec)["data"][0]["x"]))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def pick_key(student: ProtocolStudent) -> str | None:
    return next((key for key in student.widgets() if key.startswith(PICK_PREFIX)), None)


def can_send(student: ProtocolStudent) -> bool:
    found = student.widgets().get(SEND_KEY)
    return found is not None and not found[1].disabled


def answered(student: ProtocolStudent) -> bool:
    """The question is on screen without its options or Send: this session's answer is in."""
    return pick_key(student) is None and SEND_KEY not in student.widgets()


def problems_of(student: ProtocolStudent) -> list[str]:
    return [f"{student.name}: exception {e}" for e in student.all_exceptions] + [
        f"{student.name}: {u}" for u in student.unexpected
    ]


@dataclass
class Class:
    """What the class's tasks share."""

    ports: tuple[int, ...]  # the replicas; the lecturer is on the first
    seconds: float
    join_s: float = JOIN_S
    code: str = ""
    asked_at: float = 0.0  # perf_counter when the lecturer's Ask came back
    asked: asyncio.Event = field(default_factory=asyncio.Event)
    over: asyncio.Event = field(default_factory=asyncio.Event)
    browsers: dict[str, str] = field(default_factory=dict)  # student → its browser id (cookie)
    replica_of: dict[str, int] = field(default_factory=dict)  # student → the port its first tab used
    answered: int = 0  # students done answering (or failed)
    tabs_done: int = 0  # second tabs done


@dataclass
class Sent:
    """An answer sent, and what a replay of its Send needs: the button's id, its fragment, the pick."""

    answer: Answer
    button_id: str
    fragment_id: str
    pick: WidgetState


async def answer_once(
    student: ProtocolStudent, rng: random.Random, result: PollResult, *, double_click: bool, avoid: str = ""
) -> Sent | None:
    """Pick a random option (not `avoid`) and press Send, as a browser sends a fragment's inputs; with
    `double_click`, press it twice. Returns the answer, stored; None where the page offered no options."""
    key = pick_key(student)
    if key is None:
        return None
    _, radio = student.widget(key)
    labels = [label for label in radio.options if not (avoid and label.lower().startswith(f"{avoid}."))]
    label = rng.choice(labels)
    await student.send_input(key, label)
    await student.wait_until(lambda: can_send(student))
    _, button = student.widget(SEND_KEY)
    fragment = student.fragment_of(SEND_KEY)
    pick = WidgetState()
    pick.CopyFrom(student.widget_states[radio.id])
    answer = Answer(student.name, label.split(".", 1)[0].lower(), await student.send_input(SEND_KEY, press=True))
    if double_click:
        await asyncio.sleep(rng.uniform(*DOUBLE_CLICK_S))
        second = await student.send_rerun(triggers=[button.id], fragment_id=fragment)
        result.duplicates.double_clicks += 1
    run = await student.wait_until(lambda: answered(student))
    if double_click and (run.finished or 0.0) > second:
        result.duplicates.double_clicks_early += 1
    answer.stored = run.finished if run.finished is not None else time.perf_counter()
    return Sent(answer, button.id, fragment, pick)


async def play_student(
    index: int, clock: Class, rng: random.Random, repeater: bool, joined: asyncio.Barrier, result: PollResult
) -> None:
    """Join by the code, wait for the question, answer once at a random moment of the window (with
    `repeater`: a double click, then a replay of Send); keep the page open until the class is over."""
    port = clock.ports[index % len(clock.ports)]
    student = ProtocolStudent(port, f"student{index:02d}", timeout_s=REQUEST_TIMEOUT_S)
    clock.browsers[student.name], clock.replica_of[student.name] = student.browser_id, port
    try:
        await asyncio.sleep(rng.uniform(0, clock.join_s))
        await student.connect()
        reply = await student.open(PAGE, f"room={clock.code}")
        if not reply.run.ok:
            result.errors.append(f"{student.name}: open {PAGE}?room={clock.code}: {reply.run.describe()}")
    except ProtocolError as error:
        result.errors.append(str(error))
    finally:
        await joined.wait()
    try:
        await clock.asked.wait()
        if clock.over.is_set():
            return
        moment = clock.asked_at + rng.uniform(0, clock.seconds)
        await asyncio.sleep(max(0.0, moment - time.perf_counter()))
        await student.wait_until(lambda: pick_key(student) is not None)  # its page has shown the question
        sent = await answer_once(student, rng, result, double_click=repeater)
        if sent is None:
            result.errors.append(f"{student.name}: the question came without its options")
            return
        result.answers.append(sent.answer)
        result.answer_ms.append((sent.answer.stored - sent.answer.sent) * 1000)
        if repeater:  # Send's trigger again, from a page that no longer shows it
            runs = len(student.runs)
            await student.send_rerun(triggers=[sent.button_id], extra=[sent.pick], fragment_id=sent.fragment_id)
            result.duplicates.replays += 1
            await student.wait_until(lambda: len(student.runs) > runs and answered(student))
    except ProtocolError as error:
        result.errors.append(str(error))
    finally:
        clock.answered += 1
        try:
            await clock.over.wait()
            result.errors += problems_of(student)
        finally:
            await student.close()


async def second_tab(clock: Class, name: str, rng: random.Random, result: PollResult) -> None:
    """The same browser (its cookie), a new tab: open the room's link and answer again where offered.
    With replicas, the tab reaches another one than the first tab did."""
    port = clock.ports[(clock.ports.index(clock.replica_of[name]) + 1) % len(clock.ports)]
    tab = ProtocolStudent(port, f"{name}-tab2", browser_id=clock.browsers[name], timeout_s=REQUEST_TIMEOUT_S)
    result.duplicates.second_tabs += 1
    try:
        await tab.connect()
        reply = await tab.open(PAGE, f"room={clock.code}")
        if not reply.run.ok:
            result.errors.append(f"{tab.name}: open {PAGE}?room={clock.code}: {reply.run.describe()}")
        first = next((a.option for a in result.answers if a.student == name), "")
        if await answer_once(tab, rng, result, double_click=False, avoid=first) is not None:
            result.duplicates.second_tabs_offered += 1
            result.duplicates.second_tab_students.append(name)
    except ProtocolError as error:
        result.errors.append(str(error))
    finally:
        clock.tabs_done += 1
        try:
            await clock.over.wait()
            result.errors += problems_of(tab)
        finally:
            await tab.close()


class Projector:
    """The lecturer's page: its chart's total each time the chart comes, and when."""

    def __init__(self, student: ProtocolStudent, result: PollResult):
        self.student, self.result = student, result
        student.on_element = self.element

    def element(self, path: DeltaPath, entry: Entry) -> None:
        if entry.kind == "plotly_chart":
            total = chart_total(entry.proto.spec)
            if total is not None:
                self.result.updates.append((time.perf_counter(), total))

    @property
    def total(self) -> int | None:
        return self.result.updates[-1][1] if self.result.updates else None

    def text_total(self) -> int | None:
        """The count in the line under the chart ("60 answers."), None where it is not on screen."""
        for text in self.student.texts("markdown"):
            found = ANSWERS_TEXT.fullmatch(text.strip())
            if found:
                return int(found.group(1))
        return None


async def wait_for(check: Callable[[], bool], timeout_s: float, step_s: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step_s)
    return True


def assign_shown(result: PollResult) -> None:
    """An answer is shown by the first chart, come after it was sent, whose total reaches its place in
    the order the answers were stored."""
    stored = sorted((a for a in result.answers if a.stored is not None), key=lambda a: a.stored or 0.0)
    for place, answer in enumerate(stored, start=1):
        answer.shown = next((t for t, total in result.updates if total >= place and t >= answer.sent), None)


async def run_poll(
    ports: tuple[int, ...],
    location: str,
    students: int,
    seconds: float,
    *,
    seed: int = 0,
    repeat_share: float = 0.1,
    second_tabs: bool = True,
    join_s: float = JOIN_S,
    server_pids: tuple[int, ...] = (),
) -> PollResult:
    """The class: a lecturer, `students` students answering within `seconds`; see the module's text.
    `ports` are the servers' (replicas of one app), `location` their poll store (`poll_location()`),
    read directly for the counts."""
    store = open_store(location)
    result = PollResult(students, seconds, store=store.where, replicas=len(ports))
    clock = Class(tuple(ports), seconds, join_s)
    rng = random.Random(seed)
    repeaters = sorted(rng.sample(range(1, students + 1), min(students, max(1, round(students * repeat_share)))))
    lecturer = ProtocolStudent(ports[0], "lecturer", timeout_s=REQUEST_TIMEOUT_S)
    projector = Projector(lecturer, result)
    tasks: list[asyncio.Future[None]] = []
    try:
        await lecturer.connect()
        reply = await lecturer.open(PAGE)
        reply = await lecturer.press(OPEN_KEY)
        query = parse_qs(lecturer.query_string)
        clock.code = result.code = query.get("room", [""])[0]
        if not reply.run.ok or not clock.code or not query.get("key") or ASK_KEY not in lecturer.widgets():
            raise ProtocolError(f"lecturer: no room opened ({reply.run.describe()}, URL ?{lecturer.query_string})")
        joined = asyncio.Barrier(students + 1)
        for i in range(1, students + 1):
            play = play_student(i, clock, random.Random(seed * 1000 + i), i in repeaters, joined, result)
            tasks.append(asyncio.ensure_future(play))
        await joined.wait()
        cpu_before = cpu_seconds(list(server_pids)) if server_pids else None
        began = time.perf_counter()
        reply = await lecturer.press(ASK_KEY)
        if not reply.run.ok:
            result.errors.append(f"lecturer: ask: {reply.run.describe()}")
        clock.asked_at = time.perf_counter()
        clock.asked.set()
        result.round = store.room(clock.code).round
        # every student has answered (or failed), then the lecturer's count catches up with them
        await wait_for(lambda: clock.answered >= students, seconds + students * REQUEST_TIMEOUT_S)
        if not await wait_for(lambda: (projector.total or 0) >= result.voters, CATCH_UP_S):
            result.notes.append(f"the lecturer's count had not reached {result.voters} {CATCH_UP_S:.0f} s after")
        result.window_s = time.perf_counter() - began
        if cpu_before is not None:
            result.server_cpu_s = cpu_seconds(list(server_pids)) - cpu_before
        result.counted_after_answers = sum(store.counts(clock.code, result.round).values())
        if second_tabs:
            names = [f"student{i:02d}" for i in repeaters]
            for k, name in enumerate(names):
                tasks.append(asyncio.ensure_future(second_tab(clock, name, random.Random(seed + 7 + k), result)))
            await wait_for(lambda: clock.tabs_done >= len(names), len(names) * REQUEST_TIMEOUT_S)
        await asyncio.sleep(SETTLE_S)  # the last runs stored, then two of the lecturer's polls at least
        result.counts = store.counts(clock.code, result.round)
        result.counted = sum(result.counts.values())
        await wait_for(lambda: projector.total == result.counted, SETTLE_S)
        await lecturer.settle()
        result.lecturer_chart, result.lecturer_text = projector.total, projector.text_total()
    except ProtocolError as error:
        result.errors.append(str(error))
    finally:
        clock.over.set()
        clock.asked.set()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        result.errors += [f"a task failed: {type(o).__name__}: {o}" for o in outcomes if isinstance(o, BaseException)]
        result.lecturer_polls = lecturer.fragment_requests
        result.lecturer_dropped = sum(1 for run in lecturer.runs if run.dropped)
        result.errors += problems_of(lecturer)
        await lecturer.close()
    assign_shown(result)
    return result


# --- the report -------------------------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def spread(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"n={len(values)}  median {statistics.median(values):5.0f} ms  p90 {percentile(values, 90):5.0f} ms"
        f"  max {max(values):5.0f} ms"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def latencies_ms(result: PollResult) -> list[float]:
    return [(a.shown - a.sent) * 1000 for a in result.answers if a.shown is not None]


def targets(result: PollResult) -> dict[str, bool]:
    """The issue's targets: every answer counted once (the store and the lecturer's last view), and
    every answer on the projector within 1 s of its Send."""
    latencies = latencies_ms(result)
    shown_all = len(latencies) == result.voters > 0
    return {
        "counted": result.counted == result.voters > 0 and result.lecturer_chart == result.counted,
        "latency": shown_all and max(latencies) <= TARGET_LATENCY_S * 1000,
    }


def report(result: PollResult) -> str:
    d = result.duplicates
    voters = result.voters
    latencies = latencies_ms(result)
    from_stored = [(a.shown - a.stored) * 1000 for a in result.answers if a.shown is not None and a.stored]
    never = [a.student for a in result.answers if a.stored is not None and a.shown is None]
    met = targets(result)
    extra_first = (result.counted_after_answers or 0) - voters
    extra_tabs = (result.counted or 0) - (result.counted_after_answers or 0)
    lines = [
        f"Class poll: {result.students} protocol students answering within {result.seconds:g} s, one lecturer's "
        f"page following the live count ({os.cpu_count()} cores), room {result.code}, round {result.round}; "
        f"{result.replicas} server{'s' * (result.replicas > 1)} on the store {result.store}.",
        f"  answers sent: {len(result.answers)} first answers ({voters} stored), "
        f"+ {d.double_clicks} double-clicks on Send ({d.double_clicks_early} of them before the page had answered the "
        f"first click), {d.replays} replays of Send after the answer showed, "
        f"{d.second_tabs} second tabs of the same browser ({d.second_tabs_offered} offered the question and sent)",
        f"  counted, the store read directly: {result.counted_after_answers} once every first answer was in, "
        f"{result.counted} at the end {result.counts}",
        f"  counted, the lecturer's last view: chart {result.lecturer_chart}, text {result.lecturer_text}",
        f"  duplicates rejected: double-clicks and replays {d.double_clicks + d.replays - max(0, extra_first)} of "
        f"{d.double_clicks + d.replays}; second tabs {d.second_tabs - max(0, extra_tabs)} of {d.second_tabs}"
        + (f" (counted again: {', '.join(d.second_tab_students)})" if extra_tabs > 0 else ""),
        f"  target: counted == distinct voters ({voters}) exactly, in the store and on the projector: "
        f"{result.counted} / {result.lecturer_chart}  {verdict(met['counted'])}",
        f"  projector latency, Send pressed -> the lecturer's count includes it: {spread(latencies)}",
        f"  target: latency max <= {TARGET_LATENCY_S * 1000:.0f} ms"
        + (f" ({len(never)} answers never shown: {', '.join(never[:10])})" if never else "")
        + f"  {verdict(met['latency'])}",
        f"    of which after the answer was stored (the student's run ended): {spread(from_stored)}",
        f"    a student's Send -> its page shows the answer sent: {spread(result.answer_ms)}",
        f"  the lecturer's page: {len(result.updates)} charts came, {result.lecturer_polls} polls sent (one a "
        f"second), {result.lecturer_dropped} runs dropped",
    ]
    if result.server_cpu_s is not None and result.window_s:
        lines.append(
            f"  server CPU: {result.server_cpu_s:.1f} s in the {result.window_s:.1f} s from Ask until the count caught "
            f"up ({result.students + 1} pages polling once a second)"
        )
    lines.append(f"  errors: {len(result.errors)}")
    lines += [f"    {error[:300]}" for error in result.errors[:15]]
    lines += [f"  note: {note}" for note in result.notes]
    return "\n".join(lines)


@contextlib.contextmanager
def poll_server(
    folder: Path, log: Path, *, redis_url: str | None = None, replicas: int = 1
) -> Iterator[tuple[list[AppServer], str]]:
    """`replicas` × `streamlit run app.py` with the shipped checkpoints copied into `folder` and the
    poll's rooms in `folder`/poll.sqlite3, or in Redis at `redis_url`; yields the servers and that
    store's location. Logs go to `log` (the first) and `log` with the replica's number."""
    checkpoints = copy_shipped_checkpoints(folder)
    settings = {POLL_DB_ENV: str(folder / "poll.sqlite3"), POLL_REDIS_ENV: redis_url or ""}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)  # the servers' environment is this process's, at their start
    servers: list[AppServer] = []
    try:
        for k in range(replicas):
            path = log if k == 0 else log.with_name(f"{log.stem}-{k + 1}{log.suffix}")
            servers.append(AppServer(checkpoints, path).start())
        location = redis_url or settings[POLL_DB_ENV]
        yield servers, location
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for server in servers:
            server.stop()


@contextlib.contextmanager
def redis_for(store: str, url: str | None, folder: Path) -> Iterator[str | None]:
    """The Redis URL the servers use: `url`, or a redis-server of the bench's own; None for SQLite."""
    if store != "redis":
        yield None
    elif url:
        yield url
    else:
        from tests.redis_server import redis_server  # noqa: PLC0415 - only a Redis run needs a server

        with redis_server(folder) as started:
            yield started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=60, help="students answering (default 60)")
    parser.add_argument("--seconds", type=float, default=10.0, help="the window they answer in (default 10)")
    parser.add_argument("--repeat-share", type=float, default=0.1, help="share that tries to count twice (0.1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--store", choices=["sqlite", "redis"], default="sqlite", help="where the rooms live")
    parser.add_argument("--redis-url", default=None, help="with --store redis: this server, not one of our own")
    parser.add_argument("--replicas", type=int, default=1, help="app servers sharing the store (default 1)")
    args = parser.parse_args(argv)
    if args.students < 1 or args.seconds <= 0:
        parser.error("at least one student and a window of some seconds")
    if args.replicas < 1 or (args.replicas > 1 and args.store == "sqlite"):
        parser.error("--replicas N needs N >= 1; several replicas share rooms through --store redis")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="latent-lab-poll-")))
        redis_url = stack.enter_context(redis_for(args.store, args.redis_url, tmp))
        log = ARTIFACTS / "streamlit-server-poll.log"
        servers, location = stack.enter_context(poll_server(tmp, log, redis_url=redis_url, replicas=args.replicas))
        scenario = run_poll(
            tuple(server.port for server in servers),
            location,
            args.students,
            args.seconds,
            seed=args.seed,
            repeat_share=args.repeat_share,
            server_pids=tuple(server.pid for server in servers if server.pid),
        )
        result = asyncio.run(scenario)
        tracebacks = [tb for server in servers for tb in server.tracebacks()]
    result.errors += [f"server log: {tb.splitlines()[-1][:200]}" for tb in tracebacks]
    text = report(result)
    print(text)
    (ARTIFACTS / "poll.txt").write_text(text + "\n")
    rows = ["student,option,sent_s,stored_s,shown_s,latency_ms"]
    began = min((a.sent for a in result.answers), default=0.0)
    for a in sorted(result.answers, key=lambda a: a.sent):
        latency = f"{(a.shown - a.sent) * 1000:.1f}" if a.shown is not None else ""
        stored = f"{a.stored - began:.3f}" if a.stored is not None else ""
        shown = f"{a.shown - began:.3f}" if a.shown is not None else ""
        rows.append(f"{a.student},{a.option},{a.sent - began:.3f},{stored},{shown},{latency}")
    (ARTIFACTS / "poll-samples.csv").write_text("\n".join(rows) + "\n")
    return 0 if all(targets(result).values()) and not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
