"""A light Streamlit client: the browser's side of Streamlit 1.67's protocol, without a browser.

Load tests with real browser tabs on a shared two-core machine measure the browsers. This
client does what the page's JavaScript does on the wire and nothing more:

1. ``GET /_stcore/health``, which sets the ``_streamlit_xsrf`` cookie (the page's loader
   does the same before it opens the stream).
2. A websocket to ``/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf token>]``,
   the cookie and an ``Origin`` of the server itself. Streamlit's handler
   (``streamlit/web/server/starlette/starlette_websocket.py``) rejects a foreign Origin,
   and only trusts auth cookies when the XSRF token matches the cookie; without an auth
   cookie the token is checked by nobody, but a browser sends it, so this client does too.
3. ``BackMsg.rerun_script`` with the query string (``?scenario=...`` for a share link),
   the page's script hash and EVERY widget state the client holds, exactly as the
   browser's widget manager sends them; then it reads ``ForwardMsg``s until the
   ``script_finished`` of the run it asked for.

Widget state is kept the browser's way: a widget that arrives with ``set_value`` takes the
server's value, one the client already holds keeps the client's value, a new one starts
at its default; after a finished run, widgets that were not drawn are forgotten (the
browser's ``removeInactive``). Buttons are triggers and are never held. Large elements the
server marks ``cacheable`` are kept for two runs and their hashes sent back, so the
server may answer with a ``ref_hash`` as it does for a browser.

Also here: :class:`LocalServer`, ``streamlit run`` on 127.0.0.1 on a free port, stopped by
its PID, with the memory and CPU of its process tree (psutil). Needs only ``websockets``
(a dependency of streamlit itself) and ``streamlit``; the server's memory and CPU
also need ``psutil``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
# Element ids are "$$ID-<32 hex>-<user key>" when the widget has a key.
_KEYED_ID = re.compile(r"^\$\$ID-[0-9a-f]{32}-(?P<key>.+)$")
_FINISHED = ForwardMsg.ScriptFinishedStatus
_METRIC = re.compile(r"^(\w+)\{([^}]*)\} ([0-9.eE+-]+)$")   # one line of /_stcore/metrics
MAX_MESSAGES_PER_RUN = 100_000      # a bound on one run's messages; a page has a few hundred
CACHE_RUNS = 2                      # the browser keeps a cached element for two runs


class ClientError(RuntimeError):
    """The server did not answer as a Streamlit server does (or not in time)."""


# -- widget values, the browser's way ---------------------------------------------------------

def _has(msg: Any, name: str) -> bool:
    """``msg.HasField(name)`` for optional fields; True for plain proto3 scalars."""
    try:
        return msg.HasField(name)
    except ValueError:
        return True


# Widgets without a held value: triggers (buttons), uploads and chart or table selections
# have no state until the user acts.
STATELESS = frozenset((
    "button", "download_button", "link_button", "file_uploader", "chat_input", "camera_input",
    "audio_input", "menu_button", "dataframe", "vega_lite_chart", "plotly_chart",
    "deck_gl_json_chart", "echarts_chart", "component_instance", "bidi_component", "audio",
    "video"))
HELD = frozenset((
    "number_input", "slider", "selectbox", "radio", "multiselect", "button_group",
    "text_input", "text_area", "color_picker", "time_input", "date_input", "date_time_input",
    "checkbox", "pagination"))


def _initial_state(kind: str, w: Any, held: WidgetState | None) -> WidgetState | None:
    """The state the browser holds for widget ``w`` (an element of type ``kind``) after
    drawing it: the server's value when it sets one, else what the browser already held,
    else the widget's default. None for stateless widgets (see STATELESS) and for kinds
    this client does not know (the caller records those)."""
    if kind not in HELD:
        return None
    if held is not None and not getattr(w, "set_value", False):
        return held
    s = WidgetState(id=w.id)
    use_value = getattr(w, "set_value", False)
    if kind == "number_input":
        src = "value" if use_value else "default"
        if not _has(w, src):
            return s                               # an empty number box: no value at all
        if w.data_type == w.INT:
            s.int_value = int(getattr(w, src))
        else:
            s.double_value = float(getattr(w, src))
    elif kind == "slider":
        if w.options:   # select_slider: the labels themselves
            labels = list(w.raw_value) if use_value else [w.options[int(i)] for i in w.default]
            s.string_array_value.data.extend(labels)
        else:
            s.double_array_value.data.extend(w.value if use_value else w.default)
    elif kind in ("selectbox", "radio"):
        if use_value:
            if _has(w, "raw_value"):
                s.string_value = w.raw_value
        elif _has(w, "default") and 0 <= w.default < len(w.options):
            s.string_value = w.options[w.default]
    elif kind == "multiselect":
        labels = list(w.raw_values) if use_value else [w.options[i] for i in w.default]
        s.string_array_value.data.extend(labels)
    elif kind == "button_group":   # pills, segmented control: the options' labels
        labels = list(w.raw_values) if use_value else [w.options[i].content
                                                       for i in w.default]
        s.string_array_value.data.extend(labels)
    elif kind == "pagination":
        s.int_value = int(w.value if use_value else w.default)
    elif kind in ("text_input", "text_area", "color_picker", "time_input"):
        src = "value" if use_value else "default"
        if _has(w, src):
            s.string_value = getattr(w, src)
    elif kind in ("date_input", "date_time_input"):
        s.string_array_value.data.extend(w.value if use_value else w.default)
    else:   # checkbox and toggle
        s.bool_value = bool(w.value if use_value else w.default)
    return s


# -- one script run as the client saw it -------------------------------------------------------

@dataclass
class Run:
    """What one script run sent: its elements by delta path, and how long it took."""

    status: str = "running"         # ok | compile_error | timeout | closed
    run_id: str = ""
    elements: dict[tuple[int, ...], Any] = field(default_factory=dict)   # path -> Element
    blocks: dict[tuple[int, ...], Any] = field(default_factory=dict)     # path -> Block
    messages: int = 0
    bytes: int = 0
    cache_refs: int = 0             # elements the server sent as a ref_hash
    sent_at: float = 0.0            # time.perf_counter() when the rerun was sent
    first_delta_at: float | None = None
    finished_at: float | None = None
    address: str | None = None      # the query string the run put in the address bar, if any

    @property
    def seconds(self) -> float | None:
        """From sending the change to the end of the run."""
        return None if self.finished_at is None else self.finished_at - self.sent_at

    def of_type(self, kind: str) -> Iterator[Any]:
        """Every element of ``kind`` (``markdown``, ``number_input``...), in path order."""
        for path in sorted(self.elements):
            el = self.elements[path]
            if el.WhichOneof("type") == kind:
                yield getattr(el, kind)

    def texts(self) -> Iterator[str]:
        """The text a reader sees: headings, markdown, captions, alerts, metrics, code."""
        for path in sorted(self.elements):
            el = self.elements[path]
            kind = el.WhichOneof("type")
            sub = getattr(el, kind)
            for name in ("body", "code_text", "label", "message", "text"):
                value = getattr(sub, name, None) if name in sub.DESCRIPTOR.fields_by_name \
                    else None
                if isinstance(value, str) and value:
                    yield value
        for path in sorted(self.blocks):
            block = self.blocks[path]
            kind = block.WhichOneof("type")
            label = getattr(getattr(block, kind), "label", None) if kind else None
            if label:
                yield label

    def exceptions(self) -> list[str]:
        """Streamlit exception elements (an uncaught error in the script)."""
        return [f"{e.type}: {e.message}" for e in self.of_type("exception")]


# -- the session ---------------------------------------------------------------------------

class Session:
    """One browser tab's worth of Streamlit session, over one websocket.

    >>> s = Session("http://127.0.0.1:8501")            # doctest: +SKIP
    >>> run = s.open("scenario=...")                     # the first run of the page
    >>> run = s.set("traffic.calls_per_month", 5e5)      # change a widget, wait for the run
    """

    def __init__(self, base_url: str, timeout: float = 60.0, name: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.name = name
        self.query = ""
        self.page_script_hash = ""
        self.session_id: str | None = None
        self.states: dict[str, WidgetState] = {}     # widget id -> what the browser holds
        self.kinds: dict[str, str] = {}              # widget id -> element type
        self.labels: dict[str, str] = {}             # widget id -> label
        self.last: Run | None = None                 # the last finished run
        self.bytes_received = 0
        self.unknown_kinds: set[str] = set()         # widgets whose state is not kept here
        self._cache: dict[str, tuple[int, ForwardMsg]] = {}   # hash -> (run number, msg)
        self._runs = 0
        self._tabs: dict[tuple[int, ...], Any] = {}  # a stateful tab container, by path
        self._seen: set[str] = set()                 # widget ids drawn in the current run
        self._stack = contextlib.ExitStack()
        self._ws: Any = None

    # -- connection

    def connect(self) -> None:
        cookie, token = _xsrf(self.base_url, self.timeout)
        host = self.base_url.split("://", 1)[1]
        self._ws = self._stack.enter_context(connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", token],       # type: ignore[list-item]
            origin=self.base_url,                    # type: ignore[arg-type]
            additional_headers={"Cookie": cookie},
            proxy=None,             # 127.0.0.1 only: never an HTTP proxy from the environment
            compression=None,       # the server does not compress (enableWebsocketCompression)
            max_size=256 * 2**20,   # a browser has no frame limit; a page is a few MB at most
            ping_interval=None,     # a browser does not ping; it answers the server's pings
            open_timeout=self.timeout, close_timeout=5))

    def close(self) -> None:
        """Close the websocket (the server keeps the session for reconnection a while)."""
        with contextlib.suppress(Exception):
            self._stack.close()
        self._ws = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the user does

    def open(self, query: str = "") -> Run:
        """Connect (if needed) and run the page for ``query`` (``a=1&b=2``, no ``?``)."""
        if self._ws is None:
            self.connect()
        self.query = query.lstrip("?")
        return self.rerun()

    def widget_id(self, key: str | None = None, label: str | None = None) -> str:
        """The id of the widget with user key ``key`` (or whose label starts with ``label``)."""
        for wid in self.kinds:
            m = _KEYED_ID.match(wid)
            if key is not None and m and m.group("key") == key:
                return wid
            if label is not None and self.labels.get(wid, "").startswith(label):
                return wid
        raise KeyError(f"no widget with key {key!r} / label {label!r} on the page")

    def value(self, key: str) -> Any:
        """The value the client holds for the widget with user key ``key``."""
        state = self.states.get(self.widget_id(key))
        if state is None or state.WhichOneof("value") is None:
            return None
        kind = state.WhichOneof("value")
        value = getattr(state, kind)
        return list(value.data) if hasattr(value, "data") else value

    def stage(self, key: str, value: Any) -> None:
        """Change a widget's value (number, text, bool, list) without rerunning yet, as
        several widgets of a form would be."""
        wid = self.widget_id(key)
        state = WidgetState(id=wid)
        held = self.states.get(wid)
        kind = held.WhichOneof("value") if held is not None else None
        if kind is None:
            kind = {"number_input": "double_value", "checkbox": "bool_value",
                    "expandable": "bool_value", "popover": "bool_value"}.get(
                self.kinds[wid], "string_value")
        if kind in ("double_array_value", "string_array_value", "int_array_value"):
            getattr(state, kind).data.extend(value)
        else:
            setattr(state, kind, value)
        self.states[wid] = state

    def set(self, key: str, value: Any, wait: bool = True) -> Run | None:
        """Change a widget as a user would and rerun (and wait for the run, with ``wait``)."""
        self.stage(key, value)
        return self.rerun(wait=wait)

    def widget_keys(self) -> list[str]:
        """The user keys of the widgets on the page (widgets without a key are left out)."""
        return [m.group("key") for wid in self.kinds if (m := _KEYED_ID.match(wid))]

    def rerun(self, wait: bool = True) -> Run | None:
        """Send ``rerun_script`` with every widget state held; wait for its run to end."""
        if self._ws is None:
            raise ClientError("not connected")
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_script_hash
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self._cache)
        info = cs.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self.base_url}/" + (f"?{self.query}" if self.query else "")
        info.is_embedded, info.color_scheme = False, "light"
        run = Run(sent_at=time.perf_counter())
        self._ws.send(msg.SerializeToString())
        return self.wait(run) if wait else None

    # -- what the server says

    def wait(self, run: Run) -> Run:
        """Read ForwardMsgs until the run started after ``run.sent_at`` finishes (or the
        timeout passes: status ``timeout``; the socket closes: status ``closed``)."""
        deadline = time.monotonic() + self.timeout
        started = False
        for _ in range(MAX_MESSAGES_PER_RUN):
            left = deadline - time.monotonic()
            if left <= 0:
                run.status = "timeout"
                return run
            try:
                raw = self._ws.recv(timeout=left)
            except TimeoutError:
                run.status = "timeout"
                return run
            except Exception:       # ConnectionClosed and friends
                run.status = "closed"
                return run
            if isinstance(raw, str):
                raise ClientError("the server sent a text frame; Streamlit sends protobufs")
            self.bytes_received += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                # Every run starts with one: a fresh page, and the id of this run.
                started = True
                run = Run(sent_at=run.sent_at, run_id=msg.metadata.run.script_run_id)
                self._seen.clear()
                self._tabs.clear()
                self.page_script_hash = msg.new_session.page_script_hash
                if msg.new_session.HasField("initialize"):
                    self.session_id = msg.new_session.initialize.session_id
            if not started:
                continue            # the tail of an earlier run: not ours
            run.messages += 1
            run.bytes += len(raw)
            if kind == "ref_hash":
                cached = self._cache.get(msg.ref_hash)
                if cached is None:
                    raise ClientError(f"the server referred to element {msg.ref_hash} that "
                                      "this client never had")
                run.cache_refs += 1
                self._cache[msg.ref_hash] = (self._runs, cached[1])   # used: keep it
                ref_meta = msg.metadata
                msg = ForwardMsg()
                msg.CopyFrom(cached[1])
                msg.metadata.CopyFrom(ref_meta)
                kind = msg.WhichOneof("type")
            if kind == "page_info_changed":
                # st.query_params set by the script: the browser's address bar follows
                run.address = msg.page_info_changed.query_string
                self.query = run.address
            if kind == "delta":
                self._delta(run, msg)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == _FINISHED.FINISHED_EARLY_FOR_RERUN:
                    started = False      # superseded by a newer rerun: wait for that one
                    continue
                if status == _FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue
                run.finished_at = time.perf_counter()
                run.status = "ok" if status == _FINISHED.FINISHED_SUCCESSFULLY else \
                    "compile_error"
                self._finish(run)
                return run
        raise ClientError(f"a run sent more than {MAX_MESSAGES_PER_RUN} messages")

    def _delta(self, run: Run, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        if run.first_delta_at is None:
            run.first_delta_at = time.perf_counter()
        if msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = (self._runs, msg)
        which = delta.WhichOneof("type")
        if which == "new_element":
            el = delta.new_element
            run.elements[path] = el
            kind = el.WhichOneof("type")
            sub = getattr(el, kind)
            wid = getattr(sub, "id", "") if "id" in sub.DESCRIPTOR.fields_by_name else ""
            if wid:
                self._widget(wid, kind, sub, getattr(sub, "label", ""))
        elif which == "add_block":
            block = delta.add_block
            run.blocks[path] = block
            kind = block.WhichOneof("type")
            if kind in ("expandable", "popover") and getattr(block, kind).id:
                inner = getattr(block, kind)
                self._block_widget(inner.id, kind, inner.label, inner.expanded
                                   if kind == "expandable" else inner.open)
            elif kind == "tab_container" and block.tab_container.id:
                self._tabs[path] = (block.tab_container, [])
            elif kind == "tab" and path[:-1] in self._tabs:
                container, labels = self._tabs[path[:-1]]
                labels.append(block.tab.label)
                if len(labels) == container.default_tab_index + 1:
                    self._block_widget(container.id, "tab_container", "", block.tab.label)

    def _widget(self, wid: str, kind: str, w: Any, label: str) -> None:
        self._seen.add(wid)
        self.kinds[wid] = kind
        self.labels[wid] = label
        if kind not in HELD and kind not in STATELESS:
            self.unknown_kinds.add(kind)
        state = _initial_state(kind, w, self.states.get(wid))
        if state is not None:
            self.states[wid] = state

    def _block_widget(self, wid: str, kind: str, label: str, value: bool | str) -> None:
        """Stateful expanders, popovers and tabs (a key or on_change): the browser holds
        whether they are open (or the open tab's label) like any other widget."""
        self._seen.add(wid)
        self.kinds[wid] = kind
        self.labels[wid] = label
        if wid not in self.states:
            state = WidgetState(id=wid)
            if isinstance(value, bool):
                state.bool_value = value
            else:
                state.string_value = value
            self.states[wid] = state

    def _finish(self, run: Run) -> None:
        # The browser forgets the widgets a finished run did not draw...
        for wid in [w for w in self.states if w not in self._seen]:
            del self.states[wid]
        # ...and cached elements not used for CACHE_RUNS runs.
        self._runs += 1
        for h in [h for h, (n, _) in self._cache.items() if self._runs - n > CACHE_RUNS]:
            del self._cache[h]
        self.last = run


def _xsrf(base_url: str, timeout: float) -> tuple[str, str]:
    """The XSRF cookie the server sets on ``/_stcore/health``: (Cookie header, token)."""
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"{base_url}/_stcore/health", timeout=timeout) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if name.strip() == XSRF_COOKIE:
                return pair, value
    return "", ""   # XSRF protection switched off: nothing to send


# -- a local server to point it at ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loaded_libraries(pid: int, *modules: str) -> dict[str, bool | None]:
    """Which of these compiled packages (``uvloop``, ``httptools``) process ``pid`` has
    loaded: a ``<name>/`` shared object in ``/proc/<pid>/maps``. Streamlit runs on uvloop's
    event loop and uvicorn parses HTTP with httptools when they are installed
    (``streamlit[performance]``), else on asyncio's own loop and h11. None where the maps
    cannot be read (not Linux)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return {m: None for m in modules}
    lines = [line for line in maps.splitlines() if ".so" in line]
    return {m: any(f"/{m}/" in line for line in lines) for m in modules}


class LocalServer:
    """``streamlit run <app>`` on 127.0.0.1 on a free port; stopped by its PID.

    ``options`` are extra ``--section.option value`` pairs (``{"server.
    disconnectedSessionTTL": 30}``). The log goes to ``log_path`` (a file) so a full pipe
    can never stall the server.
    """

    def __init__(self, app: Path, log_path: Path, options: dict[str, Any] | None = None,
                 python: str | None = None) -> None:
        self.app = Path(app)
        self.log_path = Path(log_path)
        self.options = dict(options or {})
        self.python = python or sys.executable
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 90.0) -> LocalServer:
        self.port = free_port()
        opts = {"server.port": self.port, "server.address": "127.0.0.1",
                "server.headless": "true", "browser.gatherUsageStats": "false",
                # the code under test must not change under a running test (nor cost a
                # file watcher's CPU)
                "server.fileWatcherType": "none", **self.options}
        cmd = [self.python, "-m", "streamlit", "run", str(self.app)]
        for name, value in opts.items():
            cmd += [f"--{name}", str(value)]
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=self.app.parent, stdout=self._log,
                                     stderr=subprocess.STDOUT,
                                     env=os.environ | {"PYTHONUNBUFFERED": "1"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise ClientError(f"streamlit exited with code {self.proc.returncode}: "
                                  f"{self.log_tail()}")
            try:
                with opener.open(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise ClientError(f"streamlit did not answer /_stcore/health in {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""

    def _tree(self) -> list[Any]:
        import psutil  # only the measurements need it, not the client

        root = psutil.Process(self.pid)
        return [root, *root.children(recursive=True)]

    def rss(self) -> int:
        """Resident memory (bytes) of the server and its children (needs psutil)."""
        import psutil

        total = 0
        for p in self._tree():
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def rss_parts(self) -> dict[str, int]:
        """Resident memory split as Linux counts it (``/proc/<pid>/status``, bytes): ``anon``
        is the heap and stacks, ``file`` the mapped libraries (pages of a .so count only
        once touched, so they move without the program allocating anything)."""
        out = {"anon": 0, "file": 0, "shmem": 0}
        for p in self._tree():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                    name, _, value = line.partition(":")
                    if name in ("RssAnon", "RssFile", "RssShmem"):
                        out[name[3:].lower()] += int(value.split()[0]) * 1024
        return out

    def loaded(self, *modules: str) -> dict[str, bool | None]:
        """:func:`loaded_libraries` of the server process."""
        return loaded_libraries(self.pid, *modules)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server and its children have used so far."""
        import psutil

        total = 0.0
        for p in self._tree():
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        return total

    def metrics(self) -> dict[str, dict[str, float]]:
        """Streamlit's ``/_stcore/metrics`` by cached function: ``memory_bytes``, ``hits``,
        ``misses`` and ``compute_seconds`` (wall time spent in misses); empty on error."""
        out: dict[str, dict[str, float]] = {"memory_bytes": {}, "hits": {}, "misses": {},
                                            "compute_seconds": {}}
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.url}/_stcore/metrics", timeout=10) as resp:
                text = resp.read().decode("utf-8", "replace")
        except OSError:
            return out
        for line in text.splitlines():
            m = _METRIC.match(line)
            if not m:
                continue
            name, value = m.group(1), float(m.group(3))
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            cache = labels.get("cache") or labels.get("cache_type", "")
            if name == "cache_memory_bytes":
                out["memory_bytes"][cache] = value
            elif name == "cache_lookups_total":
                out["hits" if labels.get("result") == "hit" else "misses"][cache] = value
            elif name == "cache_compute_duration_seconds_sum":
                out["compute_seconds"][cache] = value
        return out

    def tracebacks(self) -> list[str]:
        """Tracebacks in the server's log (a script error is also shown on the page)."""
        lines = self.log_tail(10**7).splitlines()
        return ["\n".join(lines[i:i + 30])[-1500:] for i, line in enumerate(lines)
                if line.startswith("Traceback") or "Uncaught app exception" in line]
