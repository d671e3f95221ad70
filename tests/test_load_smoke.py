"""Many users, nothing lost: three light sessions edit at once on one server for ~10 s.

Each session is scripts/stclient.py, a client that speaks Streamlit's own protocol (no
browser, so the two shared cores serve the app instead of drawing it). Each opens its own
scenario from a share link, tagged ``[load i]``, then keeps typing new month-1 traffic
figures. Every change must be answered (the run it caused finishes), the page must show
only its own tag and no exception, and nothing may be lost: the share link the page prints
carries exactly the figure typed and every other input as it was. That last check also
checks the widget states the client sends back with every change: a date, a slider or a
select box encoded differently from the browser comes back changed in the link.

The full load test (20 or 50 sessions, memory, CPU per change) is scripts/load_test.py.
"""

from __future__ import annotations

import random
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PIDS, ROOT, SCENARIOS, streamlit_server

from calculator import load_scenario, to_data, validate
from calculator import sharelink as sl
from calculator.model.scenario import Scenario

sys.path.insert(0, str(ROOT / "scripts"))
import stclient  # noqa: E402 - a script module, importable once scripts/ is on the path

SESSIONS = 3
EDIT_SECONDS = 10.0
RUN_TIMEOUT = 90.0        # one script run on a loaded 2-core machine: generous
KEY = "traffic.calls_per_month"
TAG = re.compile(r"\\?\[load (\d+)\\?\]")     # markdown escapes the brackets
LINK = re.compile(r"[?&]" + sl.PARAM + r"=([A-Za-z0-9_-]+)")


@dataclass
class LoadServer:
    url: str                 # without a trailing slash, as stclient.Session takes it
    log: Path

    def tracebacks(self) -> list[str]:
        """Tracebacks in the server's log (a script error is also shown on the page)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return ["\n".join(lines[i:i + 30])[-1500:] for i, line in enumerate(lines)
                if line.startswith("Traceback") or "Uncaught app exception" in line]


@pytest.fixture(scope="module")
def load_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadServer]:
    """A server of its own (conftest's streamlit_server): its log is read for tracebacks,
    and no other test's sessions share it. No file watcher: the code under test must not
    change under a running test (nor cost a watcher's CPU)."""
    log = tmp_path_factory.mktemp("load_smoke") / "server.log"
    with streamlit_server(env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"},
                          log_path=log) as url:
        yield LoadServer(url.rstrip("/"), log)


def tagged(i: int) -> Scenario:
    """Session i's own scenario: library scenario i, traffic x (1 + i/7), name tagged."""
    base = load_scenario(SCENARIOS[i % len(SCENARIOS)])
    data = to_data(base)
    data["name"] = f"{base.name} [load {i:03d}]"
    data["traffic"]["calls_per_month"] = float(round(base.traffic.calls_per_month
                                                     * (1 + i / 7)))
    return validate(data)


def split(data: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """(month-1 traffic, everything else) of a scenario's plain data."""
    rest = dict(data)
    traffic = dict(rest.pop("traffic"))
    return float(traffic.pop("calls_per_month")), {**rest, "traffic": traffic}


def echoed(run: stclient.Run, address: str) -> dict[str, Any] | None:
    """The scenario in the address bar after the run (what the server computed): the link
    the run put there, else the session's address as it was."""
    m = LINK.search("?" + (run.address if run.address is not None else address))
    return yaml.safe_load(sl.decode_text(m.group(1))) if m else None


@dataclass
class Seen:
    """What one run showed, reduced to the facts the test asserts on."""

    typed: float
    status: str
    tags: set[int]
    exceptions: list[str]
    echoed_calls: float | None
    rest_unchanged: bool


@dataclass
class Editor:
    index: int
    url: str
    seen: list[Seen] = field(default_factory=list)
    error: str | None = None
    unknown_kinds: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.scenario = tagged(self.index)
        token = sl.encode(self.scenario)
        self.query = f"{sl.PARAM}={token}"
        self.calls, self.rest = split(yaml.safe_load(sl.decode_text(token)))

    def look(self, run: stclient.Run, typed: float, address: str) -> None:
        data = echoed(run, address)
        calls, rest = split(data) if data else (None, None)
        self.seen.append(Seen(typed, run.status,
                              {int(t) for s in run.texts() for t in TAG.findall(s)},
                              run.exceptions(), calls, rest == self.rest))

    def work(self, start: threading.Barrier, stop_at: list[float]) -> None:
        rng = random.Random(self.index)
        try:
            with stclient.Session(self.url, timeout=RUN_TIMEOUT) as s:
                self.look(s.open(self.query), self.calls, s.query)
                start.wait(timeout=RUN_TIMEOUT * 2)   # everyone edits at the same time
                # bounded by the clock and by a count (a change takes 0.1-2 s)
                for _ in range(1000):
                    if time.monotonic() >= stop_at[0] or self.seen[-1].status != "ok":
                        break
                    typed = float(round(self.calls * rng.uniform(0.4, 2.5))) or 1.0
                    run = s.set(KEY, typed)
                    assert run is not None
                    self.look(run, typed, s.query)
                self.unknown_kinds = set(s.unknown_kinds)
        except Exception as exc:   # reported by the test, with the session it came from
            self.error = f"{type(exc).__name__}: {exc}"


def test_three_sessions_edit_at_once_and_nothing_is_lost(load_server: LoadServer):
    editors = [Editor(i, load_server.url) for i in range(SESSIONS)]
    stop_at = [time.monotonic() + RUN_TIMEOUT * 3]   # replaced when all are open
    start = threading.Barrier(SESSIONS, action=lambda: stop_at.__setitem__(
        0, time.monotonic() + EDIT_SECONDS))
    threads = [threading.Thread(target=e.work, args=(start, stop_at), daemon=True)
               for e in editors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=EDIT_SECONDS + RUN_TIMEOUT * 4)
    assert not any(t.is_alive() for t in threads), "a session never finished"

    for e in editors:
        who = f"session {e.index}"
        assert e.error is None, f"{who}: {e.error}"
        first, changes = e.seen[0], e.seen[1:]
        assert first.status == "ok" and first.tags == {e.index}, f"{who} opened {first}"
        assert first.echoed_calls == e.calls and first.rest_unchanged, f"{who}: {first}"
        assert len(changes) >= 2, f"{who} made only {len(changes)} changes in 10 s"
        # a widget kind the client does not hold as a browser would: teach stclient.py
        assert e.unknown_kinds == set(), f"{who}: stclient does not know {e.unknown_kinds}"
        for n, seen in enumerate(changes, 1):
            where = f"{who}, change {n} to {seen.typed:.0f}"
            assert seen.status == "ok", f"{where}: not answered ({seen.status})"
            assert seen.tags == {e.index}, f"{where}: the page shows tags {seen.tags}"
            assert seen.exceptions == [], f"{where}: {seen.exceptions}"
            assert seen.echoed_calls == seen.typed, f"{where}: echoed {seen.echoed_calls}"
            assert seen.rest_unchanged, f"{where}: another input changed"
    assert load_server.tracebacks() == []


def test_the_served_app_runs_on_uvloop_and_httptools():
    """``streamlit[performance]`` is a dependency: Streamlit then runs its event loop on
    uvloop and uvicorn parses HTTP with httptools (README, "Operations": the server's CPU
    a change, measured with and without them). A server started as the tests start it has
    both compiled libraries mapped."""
    with streamlit_server(env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}) as url:
        loaded = stclient.loaded_libraries(PIDS[url], "uvloop", "httptools")
    if None in loaded.values():
        pytest.skip("no /proc/<pid>/maps here (not Linux)")
    assert loaded == {"uvloop": True, "httptools": True}
