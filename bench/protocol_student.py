"""A student without a browser: a client that speaks Streamlit's websocket protocol, as its frontend does.

One `ProtocolStudent` is one browser tab: it connects to ws://127.0.0.1:PORT/_stcore/stream, asks
for a page, keeps the elements the server sends, and moves widgets by sending reruns. It uses
Streamlit's own message classes (`streamlit.proto`: `BackMsg`, `ForwardMsg`, `ClientState`,
`WidgetStates`) and no part of Streamlit's runtime. Many students share one asyncio event loop, so
one process can play a whole class at little CPU (a browser tab costs a core for a while on every
interaction; this costs the parsing of the messages).

What it does as the frontend does (Streamlit 1.67's `static/js`, read for this):

- Connection: subprotocols ``["streamlit", <xsrf token or "PLACEHOLDER_AUTH_TOKEN">]``, the
  page's Origin, and the app's browser cookie (`ui.browser.COOKIE`) as a returning browser sends it.
- The first rerun: a `BackMsg.rerun_script` whose `ClientState` has an empty `page_script_hash`,
  the page's URL path as `page_name` (``latent_grid``), the URL's query string, no widget states,
  and the browser's `ContextInfo` (time zone, locale, URL, colour scheme). Later reruns carry the
  page's `page_script_hash` and no `page_name`. That hash is the one in the `navigation` message
  of the run (its `page_script_hash`; the first run's `new_session` carries the main script's
  until the page is resolved); a page change carries the target's hash from the same message.
- The query string: the app writes its settings to the URL (`page_info_changed`), and every rerun
  sends the URL's current query string back, as the browser's address bar does.
- Widget states: every rerun sends the state of every widget on screen. A widget first seen takes
  the value the server set (`set_value`) or its default; one already known keeps the value the
  user gave it unless the server set a new one. Trigger values (buttons) go in one rerun only.
  After a successful run, widgets no longer on screen are forgotten.
- Elements are kept by their delta path; after a successful run, elements the run did not send
  again are dropped (for a fragment run, only within its fragments), as `clearStaleNodes` does.
- The message cache: `ForwardMsg`s marked cacheable are kept by hash, their hashes are sent in
  `cached_message_hashes`, and a `ref_hash` message is replaced by the kept one (with the
  reference's metadata). They expire after `max_cached_message_age` finished runs.
- Fragment reruns: the server asks for them with an `auto_rerun` message (interval, fragment id)
  while a fragment has `run_every`; the frontend then sends, on a timer that does not wait for
  the previous run, a rerun with that `fragment_id`, `is_auto_rerun` set and all widget states.
  `stop_auto_rerun` and every full run's `new_session` end those timers.
- Inputs of a widget a fragment drew (`set`, `press`, `send_input`): the rerun carries that
  fragment's id, so the server runs that fragment only, as the frontend asks; `set` and `press` wait
  for the first run of the page or of that fragment to finish. `send_input` sends without waiting
  (a double click, a stale page's replay: `send_rerun`), and `wait_until` waits for what the page
  then shows, since the fragment's own auto reruns finish runs of the same fragment in between.

Each request returns the `Run` it caused: its status, the pictures (inline data: URLs of image
elements) it delivered, the exceptions it showed, and the time from sending to `script_finished`.

A session's runs follow one another, so a run still without its `script_finished` when the next
run's `new_session` comes never gets one: it is marked `dropped`. Streamlit does drop the end of a
full run now and then while a fragment polls (`run_every`): see `Run.dropped`.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import ClientConnection, connect

from ui.browser import COOKIE

STREAM_PATH = "_stcore/stream"
WIDGET_ID_PREFIX = "$$ID-"  # a widget's id: $$ID-<hash>-<key> when it has a key
NO_XSRF_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends where it has no XSRF cookie
MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # pictures travel inline; the server allows 200 MB
DEFAULT_TIMEOUT_S = 60.0

SUCCESS = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_SUCCESS = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
STATUS_NAMES = {value: name for name, value in ForwardMsg.ScriptFinishedStatus.items()}
MAIN = RootContainer.MAIN
SIDEBAR = RootContainer.SIDEBAR

DeltaPath = tuple[int, ...]  # where an element sits: root container, then indexes


class ProtocolError(AssertionError):
    """The server did something a browser would not accept, or not in time."""


def widget_key(widget_id: str) -> str | None:
    """The user key in a widget's id (``$$ID-<hash>-keep.grid_n`` → ``keep.grid_n``), None without one."""
    if not widget_id.startswith(WIDGET_ID_PREFIX):
        return None
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] else None


def _option(options: Iterable[str], index: Any) -> str | None:
    options = list(options)
    return options[int(index)] if 0 <= int(index) < len(options) else None


def initial_state(kind: str, proto: Any) -> WidgetState | None:
    """The state the frontend gives a widget it shows: the value the server set (`set_value`),
    else the widget's default; None for widgets that keep no state (buttons, links, charts)."""
    state = WidgetState(id=proto.id)
    server_set = getattr(proto, "set_value", False)
    if kind == "slider":
        if proto.options:  # st.select_slider: the labels of the chosen options
            labels = list(proto.raw_value) if server_set else [_option(proto.options, i) for i in proto.default]
            state.string_array_value.data.extend(label for label in labels if label is not None)
        else:
            state.double_array_value.data.extend(proto.value if server_set else proto.default)
    elif kind in ("radio", "selectbox"):
        if server_set and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default") and (label := _option(proto.options, proto.default)) is not None:
            state.string_value = label
        else:
            return None
    elif kind == "multiselect":
        labels = list(proto.raw_values) if server_set else [_option(proto.options, i) for i in proto.default]
        state.string_array_value.data.extend(label for label in labels if label is not None)
    elif kind == "checkbox":
        state.bool_value = proto.value if server_set else proto.default
    elif kind == "number_input":
        if not server_set and not proto.HasField("default"):
            return None
        number = proto.value if server_set else proto.default
        if proto.data_type == NumberInput.INT:
            state.int_value = int(number)
        else:
            state.double_value = float(number)
    else:
        return None
    return state


def state_with_value(kind: str, proto: Any, value: Any) -> WidgetState:
    """A widget's state holding `value`, in the form its element type uses on the wire."""
    state = WidgetState(id=proto.id)
    if kind == "slider":
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if proto.options:  # st.select_slider: a number goes as the option that shows it
            state.string_array_value.data.extend(v if isinstance(v, str) else option_named(proto, v) for v in values)
        else:
            state.double_array_value.data.extend(float(v) for v in values)
    elif kind in ("radio", "selectbox"):
        state.string_value = value if isinstance(value, str) else proto.options[int(value)]
    elif kind == "multiselect":
        state.string_array_value.data.extend(value)
    elif kind == "checkbox":
        state.bool_value = bool(value)
    elif kind == "number_input":
        if proto.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
    else:
        raise ValueError(f"{kind} widgets take no value here")
    return state


def state_value(state: WidgetState) -> Any:
    """The Python value held by a widget state (a slider's single value as a number)."""
    kind = state.WhichOneof("value")
    if kind == "double_array_value":
        data = list(state.double_array_value.data)
        return data[0] if len(data) == 1 else data
    if kind == "string_array_value":
        return list(state.string_array_value.data)
    return getattr(state, kind) if kind else None


@dataclass
class Entry:
    """An element or block on screen, at its delta path."""

    kind: str  # the element's type ("slider", "imgs", ...), or "block"
    proto: Any
    fragment_id: str
    run_id: str
    cacheable: bool = False  # big enough for the server's message cache: it may come again as a reference


@dataclass
class Run:
    """One script run as the client saw it: from its `new_session` to its `script_finished`."""

    run_id: str
    fragment_ids: tuple[str, ...]
    page_script_hash: str
    started: float  # time.perf_counter() when its new_session arrived
    finished: float | None = None
    status: int | None = None
    dropped: bool = False  # a later run began while this one had no script_finished: it never will
    pictures: dict[DeltaPath, tuple[str, ...]] = field(default_factory=dict)  # delta path → image URLs sent
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of exception elements
    error_alerts: list[str] = field(default_factory=list)  # st.error boxes (the app's own messages)
    texts: list[str] = field(default_factory=list)  # progress bars' and alerts' texts, for reports

    @property
    def full(self) -> bool:
        return not self.fragment_ids

    @property
    def ok(self) -> bool:
        return self.status in (SUCCESS, FRAGMENT_SUCCESS) and not self.exceptions

    @property
    def urls(self) -> list[str]:
        return [url for urls in self.pictures.values() for url in urls]

    def describe(self) -> str:
        status = STATUS_NAMES.get(self.status, "?") if self.status is not None else "unfinished"
        if self.dropped:
            status = "dropped (no script_finished came, a later run began)"
        return f"run {self.run_id[:8]} {status}" + (f", exceptions {self.exceptions}" if self.exceptions else "")


@dataclass
class Reply:
    """What one request got: its run, the time from sending to script_finished, and the new pictures."""

    run: Run
    ms: float
    new_pictures: list[str]  # URLs that this run delivered and that were not on screen before


class ProtocolStudent:
    """One browser tab, spoken to through Streamlit's websocket protocol."""

    def __init__(
        self,
        port: int,
        name: str,
        *,
        host: str = "127.0.0.1",
        browser_id: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        locale: str = "en-US",
        trace: bool = False,
    ):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("a protocol student only talks to a server on this machine")
        self.port, self.name, self.host, self.timeout_s, self.locale = port, name, host, timeout_s, locale
        self.browser_id = browser_id or secrets.token_hex(16)  # the app's cookie: 32 hex digits
        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.page = ""  # the URL path of the page shown
        self.page_script_hash = ""
        self.query_string = ""
        self.pages: dict[str, str] = {}  # URL path → page_script_hash, from the navigation message
        self.elements: dict[DeltaPath, Entry] = {}
        self.widget_states: dict[str, WidgetState] = {}
        self.runs: list[Run] = []
        self.all_exceptions: list[str] = []  # every exception element seen, in any run
        self.unexpected: list[str] = []  # protocol surprises: cache misses, pages not found, ...
        self.fragment_requests = 0  # auto reruns sent
        self.trace: list[str] | None = [] if trace else None  # with trace=True: requests and runs, timed
        # called with each element and block as it arrives, before the run ends: when a browser draws it
        self.on_element: Callable[[DeltaPath, Entry], None] | None = None
        self._by_id: dict[str, Run] = {}
        self._current: Run | None = None
        self._cache: dict[str, list[Any]] = {}  # hash → [serialized ForwardMsg, run count when last used, fragment]
        self._run_count = 0
        self._max_cache_age = 2
        self._finished = asyncio.Condition()
        self._auto_reruns: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._closed = False

    # --- connection ---------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def connect(self) -> None:
        self.ws = await connect(
            f"ws://{self.host}:{self.port}/{STREAM_PATH}",
            subprotocols=["streamlit", NO_XSRF_TOKEN],  # type: ignore[list-item]
            origin=self.origin,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"{COOKIE}={self.browser_id}"},
            max_size=MAX_MESSAGE_BYTES,
            open_timeout=self.timeout_s,
            ping_interval=None,  # the server pings; the client answers
        )
        self._reader = asyncio.ensure_future(self._read())

    async def close(self) -> None:
        self._closed = True
        for _, task in self._auto_reruns.values():
            task.cancel()
        self._auto_reruns.clear()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    async def __aenter__(self) -> ProtocolStudent:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- what is on screen ----------------------------------------------------------------------

    def widgets(self) -> dict[str, tuple[str, Any]]:
        """Key → (element type, proto) of the keyed widgets on screen."""
        found = {}
        for entry in self.elements.values():
            widget_id = getattr(entry.proto, "id", "") if entry.kind != "block" else ""
            key = widget_key(widget_id) if widget_id else None
            if key is not None:
                found[key] = (entry.kind, entry.proto)
        return found

    def widget(self, key: str) -> tuple[str, Any]:
        found = self.widgets().get(key)
        if found is None:
            raise ProtocolError(f"{self.name}: no widget with key {key!r} on {self.page}: {sorted(self.widgets())}")
        return found

    def value(self, key: str) -> Any:
        """The widget's current value, as this client would send it (a select_slider's one option
        as its label)."""
        kind, proto = self.widget(key)
        state = self.widget_states.get(proto.id)
        value = state_value(state) if state is not None else None
        if kind == "slider" and proto.options and isinstance(value, list) and len(value) == 1:
            return value[0]
        return value

    def number(self, key: str) -> float:
        """A slider's value as a number, whether it is an st.slider or a select_slider of numbers."""
        kind, proto = self.widget(key)
        value = self.value(key)
        return option_number(value) if kind == "slider" and proto.options else float(value)

    def pictures(self, root: int = MAIN) -> dict[DeltaPath, tuple[str, ...]]:
        """Delta path → image URLs of the image elements on screen under `root` (MAIN, SIDEBAR)."""
        return {
            path: tuple(image.url for image in entry.proto.imgs)
            for path, entry in sorted(self.elements.items())
            if entry.kind == "imgs" and path[:1] == (root,)
        }

    def texts(self, kind: str) -> list[str]:
        """Texts of the elements of one type on screen (progress bars, alerts, markdown...)."""
        out = []
        for _, entry in sorted(self.elements.items()):
            if entry.kind == kind:
                proto = entry.proto
                out.append(getattr(proto, "text", "") or getattr(proto, "body", ""))
        return out

    # --- requests ---------------------------------------------------------------------------------

    async def open(self, page: str, query_string: str = "") -> Reply:
        """Open a page by its URL path, as a new tab does: the first rerun of the session."""
        self.page, self.query_string = page, query_string
        return await self._request(page_name=page, page_script_hash="", widget_states=WidgetStates())

    async def go(self, page: str) -> Reply:
        """Follow a navigation link: a page change by the target's script hash, with no widget
        states of the old page (the frontend keeps those of the main script's own elements only)."""
        target = self.pages.get(page)
        if target is None:
            raise ProtocolError(f"{self.name}: no page {page!r} in the navigation ({sorted(self.pages)})")
        self.page = page
        return await self._request(page_script_hash=target, widget_states=WidgetStates())

    async def set(self, key: str, value: Any) -> Reply:
        """Move one widget to `value` (what a user's click or key press does); one a fragment drew
        reruns that fragment only, as the frontend asks."""
        kind, proto = self.widget(key)
        self.widget_states[proto.id] = state_with_value(kind, proto, value)
        return await self._request(fragment_id=self.fragment_of(key))

    async def press(self, key: str) -> Reply:
        """Press a button: its trigger value goes in this one rerun."""
        kind, proto = self.widget(key)
        if kind != "button":
            raise ProtocolError(f"{self.name}: {key!r} is a {kind}, not a button")
        if proto.disabled:
            raise ProtocolError(f"{self.name}: button {key!r} is disabled")
        return await self._request(triggers=[proto.id], fragment_id=self.fragment_of(key))

    async def rerun(self) -> Reply:
        """A rerun with the current widget states (the frontend's "Rerun")."""
        return await self._request()

    def fragment_of(self, key: str) -> str:
        """The id of the fragment that drew the widget ('' for one outside fragments)."""
        _, proto = self.widget(key)
        for entry in self.elements.values():
            if entry.kind != "block" and getattr(entry.proto, "id", "") == proto.id:
                return entry.fragment_id
        return ""

    async def send_input(self, key: str, value: Any = None, *, press: bool = False) -> float:
        """One input sent as the frontend sends it, without waiting for its run: the widget moved to
        `value`, or pressed (its trigger in this one rerun). A widget drawn by a fragment reruns that
        fragment only (`fragment_id`, not an auto rerun), as the frontend asks since fragments exist.
        Returns time.perf_counter() when it went; `wait_until` follows what it brings."""
        kind, proto = self.widget(key)
        triggers: list[str] = []
        if press:
            if kind != "button":
                raise ProtocolError(f"{self.name}: {key!r} is a {kind}, not a button")
            if proto.disabled:
                raise ProtocolError(f"{self.name}: button {key!r} is disabled")
            triggers.append(proto.id)
        else:
            self.widget_states[proto.id] = state_with_value(kind, proto, value)
        return await self.send_rerun(triggers=triggers, fragment_id=self.fragment_of(key))

    async def send_rerun(
        self, *, triggers: Iterable[str] = (), extra: Iterable[WidgetState] = (), fragment_id: str = ""
    ) -> float:
        """A rerun with the states of the widgets on screen, `extra` states (of widgets no longer
        shown: what a stale tab or a replay sends) and trigger values for `triggers`, for one fragment
        or the whole page; not waited on. Returns time.perf_counter() when it went."""
        states = self._widget_states(triggers)
        states.widgets.extend(extra)
        client_state = self._client_state(widget_states=states, fragment_id=fragment_id)
        sent = time.perf_counter()
        await self._send(client_state)
        return sent

    async def wait_until(self, check: Callable[[], bool], timeout_s: float | None = None) -> Run:
        """Wait until the latest run has finished and `check()` holds on what is on screen then (checked
        now, and after every run that finishes); returns that run."""

        def holds() -> bool:
            current = self._current
            return current is not None and current.status is not None and check()

        try:
            async with asyncio.timeout(self.timeout_s if timeout_s is None else timeout_s):
                async with self._finished:
                    await self._finished.wait_for(lambda: holds() or self._reader_done())
        except TimeoutError:
            raise ProtocolError(f"{self.name}: what was waited for did not show on {self.page}") from None
        if not holds():
            raise ProtocolError(f"{self.name}: the connection closed while waiting on {self.page}")
        assert self._current is not None
        return self._current

    def _widget_states(self, triggers: Iterable[str] = ()) -> WidgetStates:
        states = WidgetStates()
        states.widgets.extend(self.widget_states.values())
        for widget_id in triggers:
            states.widgets.append(WidgetState(id=widget_id, trigger_value=True))
        return states

    def _client_state(
        self,
        *,
        widget_states: WidgetStates,
        page_script_hash: str | None = None,
        page_name: str = "",
        fragment_id: str = "",
        is_auto_rerun: bool = False,
    ) -> ClientState:
        state = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_script_hash if page_script_hash is None else page_script_hash,
            page_name=page_name,
            fragment_id=fragment_id,
            is_auto_rerun=is_auto_rerun,
            cached_message_hashes=list(self._cache),
        )
        state.widget_states.CopyFrom(widget_states)
        url = f"{self.origin}/{self.page}" + (f"?{self.query_string}" if self.query_string else "")
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, self.locale
        info.url, info.is_embedded, info.color_scheme = url, False, "light"
        return state

    def _note(self, text: str) -> None:
        if self.trace is not None:
            self.trace.append(f"{time.perf_counter():.3f} {text}")

    async def _send(self, client_state: ClientState) -> None:
        if self.ws is None:
            raise ProtocolError(f"{self.name}: not connected")
        if self.trace is not None:
            triggers = [widget_key(w.id) for w in client_state.widget_states.widgets if w.trigger_value]
            self._note(f"send rerun fragment={client_state.fragment_id[:8]!r} triggers={triggers}")
        message = BackMsg()
        message.rerun_script.CopyFrom(client_state)
        await self.ws.send(message.SerializeToString())

    async def _request(
        self,
        *,
        triggers: Iterable[str] = (),
        widget_states: WidgetStates | None = None,
        page_script_hash: str | None = None,
        page_name: str = "",
        fragment_id: str = "",
    ) -> Reply:
        """Send a rerun, of the page or of one fragment, and wait for the run it causes to finish
        (a run the script itself restarts with st.rerun() is followed to its end)."""
        before = {url for urls in self.pictures().values() for url in urls}
        known = len(self.runs)
        states = widget_states if widget_states is not None else self._widget_states(triggers)
        client_state = self._client_state(
            widget_states=states, page_script_hash=page_script_hash, page_name=page_name, fragment_id=fragment_id
        )
        sent = time.perf_counter()
        await self._send(client_state)
        run = await self._wait_run(after=known, fragment_id=fragment_id)
        ended = run.finished if run.finished is not None else time.perf_counter()
        new = [url for url in run.urls if url not in before]
        return Reply(run, (ended - sent) * 1000, new)

    async def _wait_run(self, after: int, fragment_id: str = "") -> Run:
        def done() -> Run | None:
            """The first run since the request, full or of `fragment_id`, that finished (not one that
            st.rerun() or a newer request cut short), or that was dropped: the browser would not wait
            on it either."""
            for run in self.runs[after:]:
                ran = run.full or (fragment_id and fragment_id in run.fragment_ids)
                if ran and (run.dropped or (run.status is not None and run.status != EARLY_FOR_RERUN)):
                    return run
            return None

        try:
            async with asyncio.timeout(self.timeout_s):
                async with self._finished:
                    await self._finished.wait_for(lambda: done() is not None or self._reader_done())
        except TimeoutError:
            started = [r.describe() for r in self.runs[after:]]
            raise ProtocolError(
                f"{self.name}: no run finished within {self.timeout_s:.0f} s on {self.page} (runs: {started})"
            ) from None
        run = done()
        if run is None:
            raise ProtocolError(f"{self.name}: the connection closed before the run finished")
        return run

    async def settle(self, timeout_s: float | None = None) -> Run | None:
        """Wait until the latest run has finished (the page is drawn), and return it."""
        try:
            async with asyncio.timeout(self.timeout_s if timeout_s is None else timeout_s):
                async with self._finished:
                    await self._finished.wait_for(
                        lambda: self._current is None or self._current.status is not None or self._reader_done()
                    )
        except TimeoutError:
            raise ProtocolError(f"{self.name}: the run in progress did not finish") from None
        return self._current

    def _reader_done(self) -> bool:
        return self._reader is not None and self._reader.done()

    # --- fragment reruns ----------------------------------------------------------------------

    def _start_auto_rerun(self, fragment_id: str, interval: float) -> None:
        known = self._auto_reruns.get(fragment_id)
        if known is not None and known[0] == interval:
            return
        self._stop_auto_reruns([fragment_id])
        self._auto_reruns[fragment_id] = (interval, asyncio.ensure_future(self._auto_rerun(fragment_id, interval)))

    def _stop_auto_reruns(self, fragment_ids: Iterable[str] | None = None) -> None:
        for fragment_id in list(self._auto_reruns) if fragment_ids is None else fragment_ids:
            known = self._auto_reruns.pop(fragment_id, None)
            if known is not None:
                known[1].cancel()

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        """setInterval(() => sendUpdateWidgetsMessage(fragmentId, true), interval): on a timer,
        whether or not the last fragment run has finished."""
        next_at = time.monotonic() + interval
        while not self._closed:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            state = self._client_state(widget_states=self._widget_states(), fragment_id=fragment_id, is_auto_rerun=True)
            try:
                await self._send(state)
            except Exception:  # noqa: BLE001 - the connection is gone: the reader reports it
                return
            self.fragment_requests += 1

    @property
    def polling(self) -> bool:
        """Whether a fragment's run_every is being served."""
        return bool(self._auto_reruns)

    def fragment_runs(self) -> list[Run]:
        return [run for run in self.runs if not run.full]

    # --- what the server sends -------------------------------------------------------------------

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                if isinstance(data, str):
                    self.unexpected.append("a text frame")
                    continue
                message = ForwardMsg()
                message.ParseFromString(data)
                finished = self._handle(message, data)
                if finished:
                    async with self._finished:
                        self._finished.notify_all()
        finally:
            self._stop_auto_reruns()
            async with self._finished:
                self._finished.notify_all()

    def _handle(self, message: ForwardMsg, data: bytes) -> bool:
        """Apply one ForwardMsg; True when a run finished."""
        kind = message.WhichOneof("type")
        cacheable = kind == "ref_hash" or message.metadata.cacheable
        if kind == "ref_hash":
            cached = self._cache.get(message.ref_hash)
            if cached is None:
                self.unexpected.append(f"cache miss for {message.ref_hash}")
                return False
            cached[1] = self._run_count
            resolved = ForwardMsg()
            resolved.ParseFromString(cached[0])
            resolved.metadata.CopyFrom(message.metadata)
            message, kind = resolved, resolved.WhichOneof("type")
        elif message.metadata.cacheable and message.hash:
            if message.hash in self._cache:
                self._cache[message.hash][1] = self._run_count
            else:
                fragment = message.delta.fragment_id if kind == "delta" else ""
                self._cache[message.hash] = [data, self._run_count, fragment]

        if kind == "new_session":
            self._new_session(message)
        elif kind == "delta":
            self._delta(message, cacheable)
        elif kind == "script_finished":
            return self._script_finished(message)
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "navigation":  # the page actually run: the hash later reruns must carry
            navigation = message.navigation
            for page in navigation.app_pages:
                self.pages[page.url_pathname or page.page_name] = page.page_script_hash
                if page.page_script_hash == navigation.page_script_hash:
                    self.page = page.url_pathname
            self.page_script_hash = navigation.page_script_hash
        elif kind == "auto_rerun":
            self._start_auto_rerun(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_auto_reruns(message.stop_auto_rerun.fragment_ids)
        elif kind == "session_event":
            event = message.session_event
            if event.HasField("script_compilation_exception"):
                error = event.script_compilation_exception
                self._exception(f"{error.type}: {error.message}")
        elif kind == "page_not_found":
            self.unexpected.append(f"page not found: {message.page_not_found.page_name!r}")
        return False

    def _new_session(self, message: ForwardMsg) -> None:
        session = message.new_session
        if session.HasField("initialize") and session.initialize.session_id:
            self.session_id = session.initialize.session_id
        if session.HasField("config") and session.config.max_cached_message_age:
            self._max_cache_age = session.config.max_cached_message_age
        identity = message.metadata.run
        run = Run(
            run_id=identity.script_run_id,
            fragment_ids=tuple(identity.fragment_ids),
            page_script_hash=session.page_script_hash,
            started=time.perf_counter(),
        )
        if run.full:
            self.page_script_hash = session.page_script_hash
            self._stop_auto_reruns()  # cleanupAutoReruns: the run sends auto_rerun again if it still polls
        previous = self._current
        if previous is not None and previous.status is None:
            # The server's runs of a session follow one another: a run without its script_finished
            # when the next begins was dropped. Streamlit ignores the events of a ScriptRunner that is
            # no longer the session's current one; a fragment rerun that arrives just as a full run
            # ends, before the event loop has handled its end, starts a new ScriptRunner (see the
            # comment in AppSession.request_rerun, streamlit#9921), and the full run's end is lost.
            previous.dropped = True
        self.runs.append(run)
        self._note(f"new_session {run.run_id[:8]} fragments={[f[:8] for f in run.fragment_ids]}")
        self._by_id[run.run_id] = run
        self._current = run

    def _exception(self, text: str) -> None:
        self.all_exceptions.append(text)
        if self._current is not None:
            self._current.exceptions.append(text)

    def _delta(self, message: ForwardMsg, cacheable: bool) -> None:
        delta = message.delta
        path = tuple(message.metadata.delta_path)
        run_id = self._current.run_id if self._current is not None else ""
        which = delta.WhichOneof("type")
        if which == "add_block":
            block = self.elements[path] = Entry("block", delta.add_block, delta.fragment_id, run_id, cacheable)
            if self.on_element is not None:
                self.on_element(path, block)
            return
        if which != "new_element":  # transient elements (toasts, spinners) are not kept
            return
        element = delta.new_element
        kind = element.WhichOneof("type") or ""
        proto = getattr(element, kind) if kind else None
        entry = self.elements[path] = Entry(kind, proto, delta.fragment_id, run_id, cacheable)
        if self.on_element is not None:
            self.on_element(path, entry)
        run = self._current
        if kind == "exception":
            self._exception(f"{proto.type}: {proto.message}")
        elif kind == "imgs" and run is not None:
            run.pictures[path] = tuple(image.url for image in proto.imgs)
        elif kind == "alert" and run is not None:
            run.texts.append(proto.body)
            if proto.format == proto.ERROR:
                run.error_alerts.append(proto.body)
        elif kind == "progress" and run is not None:
            run.texts.append(proto.text)
        widget_id = getattr(proto, "id", "") if proto is not None else ""
        if widget_id:
            known = self.widget_states.get(widget_id)
            if known is None or getattr(proto, "set_value", False):
                state = initial_state(kind, proto)
                if state is not None:
                    self.widget_states[widget_id] = state

    def _script_finished(self, message: ForwardMsg) -> bool:
        identity = message.metadata.run
        run = self._by_id.get(identity.script_run_id) if identity.script_run_id else self._current
        if run is None:
            self._note(f"script_finished of an unknown run {identity.script_run_id[:8]!r}")
            return False
        run.status, run.finished = message.script_finished, time.perf_counter()
        self._note(f"script_finished {run.run_id[:8]} {STATUS_NAMES.get(run.status)}")
        if run.status in (SUCCESS, FRAGMENT_SUCCESS):
            self._clear_stale(run)
        if run.status != EARLY_FOR_RERUN and identity.script_run_id:
            self._age_cache(run.fragment_ids)
        return True

    def _clear_stale(self, run: Run) -> None:
        """Drop what the run did not send again (within its fragments for a fragment run), then
        forget the states of widgets no longer on screen."""
        for path, entry in list(self.elements.items()):
            if entry.run_id == run.run_id:
                continue
            if run.full or entry.fragment_id in run.fragment_ids:
                del self.elements[path]
        shown = {getattr(e.proto, "id", "") for e in self.elements.values() if e.kind != "block"}
        for widget_id in list(self.widget_states):
            if widget_id not in shown:
                del self.widget_states[widget_id]

    def _age_cache(self, fragment_ids: tuple[str, ...]) -> None:
        self._run_count += 1
        for message_hash, (_, used, fragment) in list(self._cache.items()):
            if fragment_ids and (not fragment or fragment not in fragment_ids):
                continue
            if self._run_count - used > self._max_cache_age:
                del self._cache[message_hash]


def option_number(label: str) -> float:
    """The number a select_slider's option shows, in either language ("0.25", "0,25"; no
    thousands: the app's sliders of decimals stay under 1,000)."""
    return float(label.replace(",", "."))


def option_named(proto: Slider, value: float) -> str:
    """The select_slider option that shows `value`."""
    for label in proto.options:
        if abs(option_number(label) - value) < 1e-9:
            return label
    raise ProtocolError(f"no option shows {value:g} on slider {proto.label!r}")


def slider_positions(proto: Slider) -> list[float]:
    """The values a slider can take, in order: a select_slider's options, or an st.slider's steps."""
    if proto.options:
        return [option_number(label) for label in proto.options]
    step = proto.step or 1.0
    return [round(proto.min + k * step, 10) for k in range(int(round((proto.max - proto.min) / step)) + 1)]


def slider_steps(proto: Slider, value: float, steps: int) -> float:
    """`value` moved by `steps` of the slider's steps, kept inside its range, on its grid of steps."""
    positions = slider_positions(proto)
    nearest = min(range(len(positions)), key=lambda k: abs(positions[k] - value))
    return positions[min(max(nearest + steps, 0), len(positions) - 1)]


# --- what a student of the latent pages does: shared by the class bench and the test ------------

GRID_KEY = "keep.grid_n"  # pages/latent_grid.py: the grid size N
LATENT_PREFIX = "z."  # pages/latent_sliders.py: one slider per latent dimension
EPOCHS_KEY, START_KEY, STOP_KEY = "keep.train_epochs", "train_start", "train_stop"  # pages/train.py
GENERATIVE_SEED_KEY, GENERATIVE_STEPS_KEY = "keep.generative_seed", "keep.generative_steps"  # pages/generative.py
# the new pictures a move must bring: the AE and VAE grids; the decoded image; the comparison's
# three interpolations (VAE, GAN, diffusion), which both its seed and its steps change
PICTURES_PER_MOVE = {"latent_grid": 2, "latent_sliders": 1, "generative": 3}


def latent_keys(student: ProtocolStudent) -> list[str]:
    """The latent sliders on screen, z1 first."""
    keys = [key for key in student.widgets() if key.startswith(LATENT_PREFIX)]
    return sorted(keys, key=lambda key: int(key.rsplit(".", 1)[1]))


def moved_value(student: ProtocolStudent, key: str, steps: int, avoid: Iterable[float] = ()) -> float:
    """The slider's value moved by `steps` steps (turned back at the ends of its range), never
    onto its current value nor a value in `avoid`."""
    _, proto = student.widget(key)
    current = student.number(key)
    avoided = {round(float(v), 6) for v in avoid} | {round(current, 6)}
    for tries in range(4 * len(slider_positions(proto)) + 8):
        direction = 1 if tries % 2 == 0 else -1
        value = slider_steps(proto, current, direction * (abs(steps) + tries // 2))
        if round(value, 6) not in avoided:
            return value
    # A slider of a few options (the comparison's 3, 5 or 9 images): a long move overshoots both ways.
    positions = slider_positions(proto)
    for value in sorted(positions, key=lambda v: abs(v - current)):
        if round(value, 6) not in avoided:
            return value
    raise ProtocolError(f"{student.name}: no free value for {key}")


def reply_problems(student: ProtocolStudent, reply: Reply, what: str, pictures: int) -> list[str]:
    """What is wrong with a move's run: not finished well, an exception shown, or fewer new
    pictures than the move must bring."""
    problems = []
    if not reply.run.ok:
        problems.append(f"{student.name}: {what}: {reply.run.describe()}")
    problems += [f"{student.name}: {what}: exception {text}" for text in reply.run.exceptions]
    if len(reply.new_pictures) < pictures:
        problems.append(f"{student.name}: {what}: {len(reply.new_pictures)} new picture(s), {pictures} expected")
    return problems
