"""Many people at once, measured at the server: `python scripts/load_test.py [--sessions 20]`.

A load test, not part of the normal test run (tests/test_load_smoke.py runs a short one).
The users are light clients (scripts/stclient.py) that speak Streamlit's own protocol, so
the two shared cores measure the server, not twenty Chromium tabs.

1. Starts the app (``streamlit run app.py`` on 127.0.0.1, a free port), waits for
   ``/_stcore/health``; server RSS "idle".
2. Warm-up: one session opens a share link and changes its traffic three times, then
   leaves; RSS "after warm-up" (the app's modules are imported, the caches primed).
3. N sessions each open their OWN scenario through a share link: scenario ``i % k`` of the k in
   scenarios/, month-1 traffic x ``(1 + i/7)``, the name tagged ``[load NNN]``. With
   ``--browsers B`` (default 1) B real Chromium pages (Playwright, a child process) join
   as sessions N..N+B-1. RSS "with sessions open".
4. For ``--seconds`` every session keeps typing a new month-1 traffic figure into
   "Calls per month in month 1" and waits for the end of the script run it caused
   (``script_finished``), then checks what the run sent: its own tag and no other
   session's (cross-talk), no exception element, and nothing lost: the address bar after
   the run (the share link the script put there, ``page_info_changed``) carries exactly
   the figure typed and every other input unchanged. The
   Chromium pages check the headline and the key numbers against the engine.
   Server CPU (psutil, process and children) over this phase / changes = CPU per change.
5. After the phase: RSS "after editing"; the headline every run showed is checked against
   the engine (the Decision's headline) for the figure typed.
6. All sessions disconnect. Streamlit keeps a disconnected session for
   ``server.disconnectedSessionTTL`` seconds (default 120) so a tab can reconnect, at most
   128 of them (MemorySessionStorage's TTLCache), and only drops expired ones when the
   storage is next written (a later disconnect), not on a timer. So RSS is read 5 s after
   the disconnect, again after TTL + 10 s, and once more after one probe session has come
   and gone (its disconnect writes the storage and reaps the expired sessions).
7. Prints JSON: the machine's speed before and after (``machine_reference``: work that
   does not depend on our code, so that figures from different days can be compared),
   CPU per change, p50/p95/max seconds from the change to the finished run,
   changes done, errors, cross-talk, memory at each step and per session, the server's
   cache sizes (``/_stcore/metrics``) and the CPU of the whole run. Exits 1 on any error.

Runners: ``--runner locust`` (default when locust is installed) runs each session as a
Locust custom ``User`` in headless library mode (gevent: Locust patches the standard
library, so it is imported first, before anything opens a socket); ``--runner threads``
runs one thread per session and needs nothing beyond the app's test dependencies.

``--largest`` measures instead the memory and CPU of opening the largest scenario the
format accepts (20 options, 240 months) once, and of three traffic changes on it.

All traffic stays on 127.0.0.1; every loop and wait is bounded (``--timeout`` per run,
and an overall limit).
"""

from __future__ import annotations

import sys


def _runner_arg(argv: list[str]) -> str:
    """The --runner value in ``argv`` (``auto`` when absent); read before argparse so the
    gevent patching can happen first."""
    for i, arg in enumerate(argv):
        if arg.startswith("--runner="):
            return arg.split("=", 1)[1]
        if arg == "--runner" and i + 1 < len(argv):
            return argv[i + 1]
    return "auto"


LOCUST_IMPORTED = False
if __name__ == "__main__" and _runner_arg(sys.argv) in ("auto", "locust") \
        and "--browser-worker" not in sys.argv and "--largest" not in sys.argv:
    # Locust's import monkey-patches sockets, threads and time for gevent; it must come
    # before any other module takes a reference to the unpatched ones.
    try:
        import locust  # noqa: F401

        LOCUST_IMPORTED = True
    except ImportError:
        if _runner_arg(sys.argv) == "locust":
            raise

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import queue  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):   # run as a file from a checkout without `pip install -e .`
    if _p not in sys.path:
        sys.path.insert(0, _p)

import psutil  # noqa: E402
import stclient  # noqa: E402
import yaml  # noqa: E402

from calculator import load_scenario, to_data, validate  # noqa: E402
from calculator import sharelink as sl  # noqa: E402
from calculator.model.decision import decide  # noqa: E402
from calculator.model.scenario import Scenario  # noqa: E402

APP = ROOT / "app.py"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
KEY = "traffic.calls_per_month"       # the month-1 traffic number input's widget key
MAX_CHANGES = 100_000                 # per session: a bound, never reached in practice
DEFAULT_TTL = 120                     # Streamlit's server.disconnectedSessionTTL default
TAG = re.compile(r"\\?\[load (\d+)\\?\]")    # the page escapes [ and ] in markdown
LINK = re.compile(r"[?&]" + sl.PARAM + r"=([A-Za-z0-9_-]+)")
MD_ESCAPE = re.compile(r"\\(.)")


def log(msg: str) -> None:
    print(f"[load_test {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def mb(n: float | None) -> float | None:
    return None if n is None else round(n / 2**20, 1)


def _pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 3)


def _dist(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50": _pct(values, 0.5), "p95": _pct(values, 0.95),
            "max": _pct(values, 1.0),
            "mean": round(statistics.fmean(values), 3) if values else None}


# -- each session's own scenario ----------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Plan:
    """Session ``index``'s scenario, as a share link, and how its traffic moves."""

    index: int
    scenario: Scenario
    rng: random.Random

    def __post_init__(self) -> None:
        self.token = sl.encode(self.scenario)
        self.yaml_text = sl.decode_text(self.token).decode("utf-8")
        self.rest = without_calls(yaml.safe_load(self.yaml_text))

    @property
    def base_calls(self) -> float:
        return float(self.scenario.traffic.calls_per_month)

    def with_calls(self, calls: float) -> Scenario:
        data = to_data(self.scenario)
        data["traffic"]["calls_per_month"] = float(calls)
        return validate(data)

    def headline(self, calls: float) -> str:
        """The engine's headline for this scenario at ``calls`` a month."""
        return _norm(decide(self.with_calls(calls)).texts.headline)

    def next_calls(self, current: float | None) -> float:
        """A new month-1 figure, 0.4x to 2.5x the session's base (a real change)."""
        calls = self.base_calls
        for _ in range(20):
            calls = float(round(self.base_calls * self.rng.uniform(0.4, 2.5)))
            if calls != current and calls >= 1:
                break
        return calls


def plans(n: int, seed: int = 7) -> list[Plan]:
    """Session i: the (i % k)-th of the k shipped scenarios, traffic x (1 + i/7), a name
    tagged [load i]."""
    bases = [load_scenario(p) for p in SCENARIOS]
    out = []
    for i in range(n):
        base = bases[i % len(bases)]
        data = to_data(base)
        data["name"] = f"{base.name} [load {i:03d}]"
        data["traffic"]["calls_per_month"] = float(round(base.traffic.calls_per_month
                                                         * (1 + i / 7)))
        out.append(Plan(i, validate(data), random.Random(seed * 1000 + i)))
    return out


def largest_scenario() -> Scenario:
    """The largest scenario the format accepts: 20 options (the library's options, copied
    with a suffix, interims and hybrids' parts renamed with them), every role, a 240-month
    horizon."""
    datas = [to_data(load_scenario(p)) for p in SCENARIOS]
    data = datas[-1]
    data["name"] = "Largest accepted scenario [load 999]"
    data["horizon_months"] = 240
    team: dict[str, Any] = {}
    options: dict[str, Any] = {}
    copy = 0
    while len(options) < 20:
        src = datas[copy % len(datas)]
        for role, rate in src["team"].items():
            team.setdefault(role, rate)
        for name, opt in src["options"].items():
            if len(options) == 20:
                break
            opt = json.loads(json.dumps(opt, default=str))   # a deep copy
            for ref in ("interim", "primary", "fallback"):        # names of the same copy
                if opt.get(ref):
                    opt[ref] = f"{opt[ref]}_{copy}"
            options[f"{name}_{copy}"] = opt
        copy += 1
    # a reference must exist and come from the same copy: drop the interims cut off at 20,
    # and the hybrids whose parts were
    for name, opt in list(options.items()):
        if opt.get("interim") and opt["interim"] not in options:
            del opt["interim"]
        if opt.get("kind") == "hybrid" and not {opt["primary"], opt["fallback"]} <= set(options):
            del options[name]
    data["team"], data["options"] = team, options
    return validate(data)


# -- reading a run ---------------------------------------------------------------------------

def tags(run: stclient.Run) -> set[int]:
    return {int(m) for text in run.texts() for m in TAG.findall(text)}


def shown_headline(run: stclient.Run) -> str | None:
    """The headline (the first paragraph of the ``###`` markdown), unescaped."""
    for md in run.of_type("markdown"):
        if md.body.startswith("### "):
            return _norm(MD_ESCAPE.sub(r"\1", md.body.split("\n\n")[0][4:]))
    return None


def echoed(run: stclient.Run, address: str) -> dict[str, Any] | None:
    """The scenario in the address bar after the run (what the server computed), as plain
    data: the share link the run put there, else ``address`` (the query the session holds:
    a run that changes nothing leaves the address as it was); None when there is none."""
    query = run.address if run.address is not None else address
    m = LINK.search("?" + query)
    return yaml.safe_load(sl.decode_text(m.group(1))) if m else None


def calls_in(data: dict[str, Any]) -> float | None:
    value = (data.get("traffic") or {}).get("calls_per_month")
    return None if value is None else float(value)


def without_calls(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the month-1 traffic (dicts compare regardless of key order)."""
    rest = dict(data)
    rest["traffic"] = {k: v for k, v in (data.get("traffic") or {}).items()
                       if k != "calls_per_month"}
    return rest


# -- one light session ---------------------------------------------------------------------

class EditingSession:
    """A user on their own scenario who keeps changing the month-1 traffic."""

    def __init__(self, plan: Plan, base_url: str, timeout: float) -> None:
        self.plan = plan
        self.client = stclient.Session(base_url, timeout=timeout, name=f"load {plan.index}")
        self.typed: float | None = None
        self.open_seconds: float | None = None
        self.latencies: list[float] = []       # change -> script_finished
        self.first_delta: list[float] = []     # change -> first element of the answer
        self.changes = 0
        self.tags_seen: set[int] = set()
        self.shown: list[tuple[float, str | None]] = []   # (figure typed, headline shown)
        self.problems: list[dict[str, Any]] = []
        self.opened = False       # opened, and the first page was right
        self.open_done = False    # the attempt to open is over, however it went
        self.failed = False
        self.busy = False
        self.closed = False

    def problem(self, kind: str, **info: Any) -> None:
        entry = {"session": self.plan.index, "kind": kind, **info}
        self.problems.append(entry)
        if len(self.problems) <= 3:
            log(f"session {self.plan.index}: {kind} {json.dumps(info, default=str)[:300]}")

    def open(self) -> bool:
        self.busy = True
        try:
            try:
                run = self.client.open(f"{sl.PARAM}={self.plan.token}")
            except Exception as exc:   # refused, reset, a protocol error: counted, not raised
                self.problem("open_failed", error=f"{type(exc).__name__}: {exc}"[:300])
                self.failed = True
                return False
            self.open_seconds = run.seconds
            self.typed = self.plan.base_calls
            self.opened = self.check(run, "opening the share link")
            return self.opened
        finally:
            self.busy = False
            self.open_done = True

    def change(self) -> bool:
        """Type one new figure and wait for the run it causes; False when it went wrong."""
        calls = self.plan.next_calls(self.typed)
        self.typed = calls
        self.busy = True
        try:
            run = self.client.set(KEY, calls)
        except Exception as exc:
            self.problem("client_error", error=f"{type(exc).__name__}: {exc}"[:300])
            self.failed = True
            return False
        finally:
            self.busy = False
        assert run is not None
        self.changes += 1
        ok = self.check(run, f"change {self.changes} to {calls:.0f}")
        if run.seconds is not None:
            self.latencies.append(run.seconds)
        if run.first_delta_at is not None:
            self.first_delta.append(run.first_delta_at - run.sent_at)
        return ok

    def check(self, run: stclient.Run, when: str) -> bool:
        before = len(self.problems)
        if run.status != "ok":
            self.problem(run.status, when=when)     # timeout / closed / compile_error
            self.failed = True
            return False
        for exc in run.exceptions():
            self.problem("exception", when=when, error=exc[:300])
        seen = tags(run)
        self.tags_seen |= seen
        if seen - {self.plan.index}:
            self.problem("cross_talk", when=when, other_sessions=sorted(seen - {
                self.plan.index}))
        if self.plan.index not in seen:
            self.problem("own_tag_missing", when=when)
        data = echoed(run, self.client.query)
        if data is None:
            self.problem("no_echo", when=when)
        else:
            figure = calls_in(data)
            if figure != self.typed:
                self.problem("input_lost", when=when, typed=self.typed, echoed=figure)
            rest = without_calls(data)
            if rest != self.plan.rest:
                diff = [k for k in sorted(set(rest) | set(self.plan.rest))
                        if rest.get(k) != self.plan.rest.get(k)]
                self.problem("inputs_changed", when=when, sections=diff)
        self.shown.append((float(self.typed or 0), shown_headline(run)))
        return len(self.problems) == before

    def verify_numbers(self, limit: int) -> int:
        """Check up to ``limit`` shown headlines against the engine; problems found."""
        found = 0
        for calls, shown in self.shown[-limit:]:
            want = self.plan.headline(calls)
            if shown != want:
                found += 1
                self.problem("wrong_numbers", calls=calls, shown=shown, expected=want)
        return found

    def close(self) -> None:
        self.closed = True
        self.client.close()


# -- running the sessions ---------------------------------------------------------------------

class Phases:
    """Shared switches: all workers edit between ``go`` and ``stop``."""

    def __init__(self, think: float) -> None:
        self.go = threading.Event()
        self.stop = threading.Event()
        self.think = think


def _edit_loop(es: EditingSession, phases: Phases, go_timeout: float) -> None:
    if not es.opened or not phases.go.wait(go_timeout):
        return
    while not phases.stop.is_set() and not es.failed and es.changes < MAX_CHANGES:
        es.change()
        if phases.think:
            phases.stop.wait(phases.think)


class ThreadRunner:
    """One thread per session: open, wait for ``go``, edit until ``stop``."""

    name = "threads"

    def __init__(self, sessions: list[EditingSession], phases: Phases, go_timeout: float):
        self.sessions, self.phases = sessions, phases
        self.threads = [threading.Thread(target=self._work, args=(s, go_timeout), daemon=True,
                                         name=f"session-{s.plan.index}") for s in sessions]

    def _work(self, es: EditingSession, go_timeout: float) -> None:
        es.open()
        _edit_loop(es, self.phases, go_timeout)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def stats(self) -> dict[str, Any] | None:
        return None

    def finish(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        for s in self.sessions:
            s.close()


class LocustRunner:
    """Each session a Locust custom User (headless library mode, gevent greenlets)."""

    name = "locust"

    def __init__(self, sessions: list[EditingSession], phases: Phases, go_timeout: float):
        from locust import User, constant, events, task
        from locust.env import Environment

        pool = list(sessions)
        self.sessions, self.phases = sessions, phases

        class StreamlitUser(User):
            wait_time = constant(phases.think)

            def on_start(self) -> None:
                self.es = pool.pop(0)
                t0 = time.perf_counter()
                ok = self.es.open()
                self.environment.events.request.fire(
                    request_type="streamlit", name="open share link",
                    response_time=(time.perf_counter() - t0) * 1000, response_length=0,
                    exception=None if ok else RuntimeError(self.es.problems[-1]["kind"]),
                    context={})

            @task
            def change_traffic(self) -> None:
                es = self.es
                if not es.opened or es.failed or phases.stop.is_set():
                    phases.stop.wait(0.5)      # idle: nothing to do until the runner stops
                    return
                if not phases.go.is_set():
                    phases.go.wait(0.5)        # the others are still opening
                    return
                ok = es.change()
                last = es.latencies[-1] if es.latencies else 0.0
                self.environment.events.request.fire(
                    request_type="streamlit", name="change traffic",
                    response_time=last * 1000, response_length=0,
                    exception=None if ok else RuntimeError(es.problems[-1]["kind"]),
                    context={})

            def on_stop(self) -> None:
                self.es.close()

        self.env = Environment(user_classes=[StreamlitUser], events=events)
        self.runner = self.env.create_local_runner()

    def start(self) -> None:
        n = len(self.sessions)
        self.runner.start(n, spawn_rate=n)

    def stats(self) -> dict[str, Any]:
        out = {}
        for (name, kind), e in self.env.stats.entries.items():
            out[name] = {"type": kind, "requests": e.num_requests, "failures": e.num_failures,
                         "p50_ms": e.get_response_time_percentile(0.5),
                         "p95_ms": e.get_response_time_percentile(0.95),
                         "max_ms": round(e.max_response_time or 0),
                         "avg_ms": round(e.avg_response_time)}
        return out

    def finish(self, timeout: float) -> None:
        self.runner.quit()               # stops every user; on_stop closes its session
        with contextlib.suppress(Exception):
            self.runner.greenlet.join(timeout=timeout)
        for s in self.sessions:
            s.close()


# -- real browsers, as a check (a child process: Playwright's asyncio, no gevent) -----------

CALLS_LABEL = re.compile(r"^Calls per month in month 1(?!\d)")
_SNAPSHOT = """
() => {
  const main = document.querySelector('[data-testid=stMain]');
  if (!main) return null;
  const norm = t => (t || '').replace(/\\s+/g, ' ').trim();
  const all = sel => [...main.querySelectorAll(sel)].map(e => norm(e.innerText));
  const app = document.querySelector('[data-testid=stApp]');
  return {h3: all('h3'), metrics: all('[data-testid=stMetricValue]'),
          exceptions: document.querySelectorAll('[data-testid=stException]').length,
          tags: [...norm(main.innerText).matchAll(/\\[load (\\d+)\\]/g)].map(m => +m[1]),
          script: app && app.getAttribute('data-test-script-state')};
}
"""
_PAGE_IS = f"""
want => {{
  const s = ({_SNAPSHOT})();
  return !!s && s.h3.includes(want.headline) && want.metrics.every(m => s.metrics.includes(m))
    && s.tags.length > 0 && s.tags.every(t => t === want.tag) && s.exceptions === 0
    && (s.script === null || s.script === 'notRunning');
}}
"""


def _expect(plan: Plan, calls: float) -> dict[str, Any]:
    """What the page must show at ``calls``: the headline and the key numbers' values."""
    d = decide(plan.with_calls(calls))
    return {"headline": _norm(d.texts.headline), "tag": plan.index,
            "metrics": [n.value for n in d.texts.numbers]}


async def _browser_pages(url: str, first: int, count: int, seconds: float, timeout_s: float,
                         seed: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    out: dict[str, Any] = {"pages": count, "opened": 0, "changes": 0, "latencies": [],
                           "problems": []}
    mine = plans(first + count, seed)[first:]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            pages = []
            for plan in mine:
                ctx = await browser.new_context(viewport={"width": 1024, "height": 700})
                page = await ctx.new_page()
                page.set_default_timeout(timeout_s * 1000)
                want = _expect(plan, plan.base_calls)
                try:
                    await page.goto(sl.link(url, plan.token), wait_until="domcontentloaded")
                    await page.wait_for_function(_PAGE_IS, arg=want, polling=200)
                    pages.append((plan, page, want))
                    out["opened"] += 1
                except Exception as exc:
                    out["problems"].append({"session": plan.index, "kind": "load_failed",
                                            "error": str(exc)[:300]})
            print("READY", flush=True)
            # wait for the parent's "go" (its light sessions are open), bounded
            loop = asyncio.get_running_loop()
            await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline),
                                   timeout_s * 3)
            deadline = time.monotonic() + seconds

            async def edit(plan: Plan, page: Any, want: dict[str, Any]) -> None:
                box = page.get_by_role("spinbutton", name=CALLS_LABEL).first
                calls = plan.base_calls
                while time.monotonic() < deadline:
                    for _ in range(40):   # a figure whose headline differs: a visible change
                        calls = plan.next_calls(calls)
                        new = _expect(plan, calls)
                        if new["headline"] != want["headline"]:
                            break
                    want = new
                    try:
                        await box.fill(str(int(calls)))
                        t0 = time.perf_counter()
                        await box.press("Enter")
                        await page.wait_for_function(_PAGE_IS, arg=want, polling=100)
                    except Exception as exc:
                        snap = None
                        with contextlib.suppress(Exception):
                            snap = await page.evaluate(_SNAPSHOT)
                        kind = "cross_talk" if snap and set(snap["tags"]) - {plan.index} \
                            else "wrong_page"
                        out["problems"].append({"session": plan.index, "kind": kind,
                                                "calls": calls, "shown": snap,
                                                "error": str(exc)[:200]})
                        return
                    out["latencies"].append(time.perf_counter() - t0)
                    out["changes"] += 1

            await asyncio.gather(*(edit(*p) for p in pages))
        finally:
            await browser.close()
    return out


def browser_worker(spec: str) -> int:
    """``--browser-worker '<json>'``: open the pages, print READY, wait for a line on
    stdin, edit for the given seconds, print the JSON result."""
    args = json.loads(spec)
    try:
        result = asyncio.run(asyncio.wait_for(_browser_pages(**args),
                                              args["seconds"] + args["timeout_s"] * 6))
    except Exception as exc:
        result = {"pages": args["count"], "opened": 0, "changes": 0, "latencies": [],
                  "problems": [{"kind": "browser_failed",
                                "error": f"{type(exc).__name__}: {exc}"[:300]}]}
    print(json.dumps(result), flush=True)
    return 0


class BrowserCheck:
    """The parent's handle on the browser child process."""

    def __init__(self, url: str, first: int, count: int, seconds: float, timeout_s: float,
                 seed: int, log_path: Path) -> None:
        spec = json.dumps({"url": url, "first": first, "count": count, "seconds": seconds,
                           "timeout_s": timeout_s, "seed": seed})
        self._err = open(log_path, "wb")  # noqa: SIM115 - closed in result()
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()),
                                      "--browser-worker", spec], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._err, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")   # end of output

    def _next(self, timeout: float) -> str | None:
        try:
            return self.lines.get(timeout=max(0.1, timeout))
        except queue.Empty:
            return None

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self._next(deadline - time.monotonic())
            if line == "READY":
                return True
            if line is None or line == "":
                return False
            if line.startswith("{"):      # it gave up before it was ready
                self._early = line
                return False
        return False

    def go(self) -> None:
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()

    def result(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        text = getattr(self, "_early", None)
        while text is None and time.monotonic() < deadline:
            line = self._next(deadline - time.monotonic())
            if line is None or line == "":
                break
            if line.startswith("{"):
                text = line
        if self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
            if self.proc.poll() is None:
                self.proc.kill()
        self._err.close()
        if text is None:
            return {"opened": 0, "changes": 0, "latencies": [],
                    "problems": [{"kind": "browser_no_result"}]}
        return json.loads(text)


# -- the run -----------------------------------------------------------------------------------

def _delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: round(v - before.get(k, 0), 3) for k, v in after.items()
            if abs(v - before.get(k, 0)) > 0.001}


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return t.user + t.system + t.nice + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


def machine_reference(repeats: int = 9) -> dict[str, float]:
    """How fast this machine is right now, by work that does not depend on our code (median
    CPU time of ``repeats``): a float64 power over 36,864 elements (the size of a Monte
    Carlo block of 1,024 draws x 36 months), an addition over the same, and a pure-Python
    loop of dictionary and string work (what Streamlit's own code does). Shared machines of
    this workplace differ by 2-3x from one day to the next, and numpy's power is vectorised
    only on processors with AVX-512: the figures per change are comparable between runs
    only beside these."""
    import numpy as np

    x = np.random.default_rng(1).uniform(0.5, 1.5, 36_864)

    def python_loop() -> None:
        d: dict[str, int] = {}
        for i in range(200_000):
            key = f"options.o{i % 40}.field_{i % 97}"
            d[key] = d.get(key, 0) + len(key)

    work = {"numpy_power_36k_ms": lambda: x ** 1.3, "numpy_add_36k_ms": lambda: x + x,
            "python_loop_ms": python_loop}
    out = {}
    for name, fn in work.items():
        times = []
        for _ in range(repeats):
            t = time.process_time()
            for _ in range(20 if name.startswith("numpy") else 1):
                fn()
            times.append((time.process_time() - t) / (20 if name.startswith("numpy") else 1))
        out[name] = round(statistics.median(times) * 1000, 3)
    return out


def _self_cpu() -> float:
    t = psutil.Process().cpu_times()
    return t.user + t.system


def _sleep_until(deadline: float) -> None:
    while time.monotonic() < deadline:
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


def _wait_for(done: Any, timeout: float, step: float = 0.1) -> bool:
    """Poll ``done()`` until it is true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(step)
    return True


def _probe(url: str, timeout: float) -> bool:
    """One short session (the default page): its disconnect writes the session storage,
    which is when Streamlit drops the sessions whose TTL has passed."""
    s = stclient.Session(url, timeout=timeout, name="probe")
    try:
        return s.open("").status == "ok"
    except Exception:
        return False
    finally:
        s.close()


@dataclass
class Measured:
    """What the server did while the sessions edited."""

    phase: float = 0.0
    server_cpu: float = 0.0
    machine_busy: float = 0.0
    self_cpu: float = 0.0
    caches_before: dict[str, Any] | None = None
    caches_after: dict[str, Any] | None = None
    caches_end: dict[str, Any] | None = None
    load_before: tuple[float, ...] = ()
    load_after: tuple[float, ...] = ()


def _edit_phase(server: stclient.LocalServer, runs: list[EditingSession], phases: Phases,
                check: BrowserCheck | None, seconds: float, timeout_s: float) -> Measured:
    """Everyone edits for ``seconds``; then the changes in flight end (each bounded)."""
    m = Measured(caches_before=server.metrics(), load_before=os.getloadavg())
    cpu0, busy0, self0 = server.cpu_seconds(), _machine_busy(), _self_cpu()
    t0 = time.perf_counter()
    phases.go.set()
    if check is not None:
        check.go()
    _sleep_until(time.monotonic() + seconds)
    phases.stop.set()
    _wait_for(lambda: not any(s.busy for s in runs), timeout_s + 5, 0.05)
    m.phase = time.perf_counter() - t0
    m.server_cpu = server.cpu_seconds() - cpu0
    m.machine_busy = _machine_busy() - busy0
    m.self_cpu = _self_cpu() - self0
    m.caches_after, m.load_after = server.metrics(), os.getloadavg()
    return m


def run(sessions: int = 20, seconds: float = 60.0, timeout_s: float = 90.0, seed: int = 7,
        runner: str = "auto", browsers: int = 1, session_ttl: int = DEFAULT_TTL,
        after_wait: float | None = None, think: float = 0.0, verify: int = 10_000,
        server_options: dict[str, str] | None = None) -> dict[str, Any]:
    """Start the app, drive the sessions, stop the app; the JSON summary."""
    if sessions < 1 or seconds < 0:
        raise ValueError("need at least one session and a duration >= 0")
    if runner == "auto":
        runner = "locust" if LOCUST_IMPORTED else "threads"
    if runner == "locust" and not LOCUST_IMPORTED:
        raise RuntimeError("--runner locust: run this file as a script with locust installed "
                           "(it must be imported before anything else)")
    if browsers and not (Path("/usr/bin/chromium").exists()
                         and importlib.util.find_spec("playwright")):
        log("no Chromium or no Playwright here: running without the browser check")
        browsers = 0
    started = time.perf_counter()
    options = {"server.disconnectedSessionTTL": session_ttl, **(server_options or {})}
    out: dict[str, Any] = {"runner": runner, "sessions": sessions, "browsers": browsers,
                           "seconds": seconds, "think_seconds": think,
                           "server_options": options, "machine_before": machine_reference()}
    mem: dict[str, int] = {}
    anon: dict[str, int] = {}          # the heap part of the same readings

    def read(name: str) -> None:
        mem[name], anon[name] = server.rss(), server.rss_parts()["anon"]

    with tempfile.TemporaryDirectory(prefix="load_test_") as tmp:
        server = stclient.LocalServer(APP, Path(tmp) / "server.log", options).start()
        check: BrowserCheck | None = None
        try:
            read("idle")
            # warm-up: the app's imports and first cache entries; then the session leaves
            warm = EditingSession(plans(1, seed + 1)[0], server.url, timeout_s)
            if warm.open():
                for _ in range(3):
                    warm.change()
            warm.close()
            out["warm_up_problems"] = warm.problems[:3]
            # what the server runs on: uvloop and httptools (streamlit[performance]) or not
            out["server_loaded"] = server.loaded("uvloop", "httptools")
            time.sleep(1.0)
            read("after_warm_up")
            log(f"server RSS idle {mb(mem['idle'])} MB, after warm-up "
                f"{mb(mem['after_warm_up'])} MB; opening {sessions} sessions")

            if browsers:    # Chromium starts first, so its start-up is not in the timed phase
                check = BrowserCheck(server.url, sessions, browsers, seconds, timeout_s, seed,
                                     Path(tmp) / "browsers.log")
                if not check.wait_ready(timeout_s * 2):
                    log("the browser check did not get ready; going on without it")
            phases = Phases(think)
            runs = [EditingSession(p, server.url, timeout_s) for p in plans(sessions, seed)]
            go_timeout = timeout_s * 3 + 60
            driver = (LocustRunner if runner == "locust" else ThreadRunner)(runs, phases,
                                                                             go_timeout)
            t0 = time.perf_counter()
            driver.start()
            _wait_for(lambda: all(s.open_done for s in runs), go_timeout)
            out["open_all_seconds"] = round(time.perf_counter() - t0, 2)
            time.sleep(1.0)
            read("with_sessions_open")
            log(f"{sum(s.opened for s in runs)}/{sessions} sessions open in "
                f"{out['open_all_seconds']} s, RSS {mb(mem['with_sessions_open'])} MB; "
                f"changing traffic for {seconds:g} s")

            measured = _edit_phase(server, runs, phases, check, seconds, timeout_s)
            read("after_editing")
            browser = check.result(timeout_s * 2) if check is not None else None
            check = None
            log(f"editing done in {measured.phase:.1f} s; server CPU "
                f"{measured.server_cpu:.1f} s; RSS {mb(mem['after_editing'])} MB; "
                "disconnecting")

            stats = driver.stats()
            driver.finish(timeout_s)
            t_disc = time.monotonic()
            time.sleep(5.0)
            read("after_disconnect_5s")
            wait = session_ttl + 10 if after_wait is None else after_wait
            if wait > 5:
                log(f"waiting {wait:.0f} s after the disconnect (session TTL {session_ttl} s)")
                series = out["rss_mb_after_disconnect_every_10s"] = []
                while time.monotonic() < t_disc + wait:   # bounded by the wait
                    _sleep_until(min(t_disc + wait, time.monotonic() + 10))
                    series.append(mb(server.rss()))
                read(f"after_disconnect_{wait:.0f}s")
                _probe(server.url, timeout_s)
                time.sleep(3.0)
                read("after_probe_reaps_expired")
            measured.caches_end = server.metrics()
            out["server_cpu_whole_run_seconds"] = round(server.cpu_seconds(), 1)
        finally:
            if check is not None:
                check.result(5)
            server.stop()
        tracebacks = server.tracebacks()
    # the headline every run showed, against the engine (after the timed phase)
    for s in runs:
        s.verify_numbers(verify)
    out.update(summarise(runs, browser, measured, mem, tracebacks, stats))
    out["memory_anon_mb"] = {k: mb(v) for k, v in anon.items()}
    out["headlines_checked"] = sum(min(len(s.shown), verify) for s in runs)
    out["machine_after"] = machine_reference()
    out["wall_seconds"] = round(time.perf_counter() - started, 1)
    out["ok"] = (out["cross_talk"] == 0 and out["error_count"] == 0
                 and out["sessions_failed"] == 0
                 and (browser is None or browser["opened"] == browsers))
    return out


def summarise(runs: list[EditingSession], browser: dict[str, Any] | None, m: Measured,
              mem: dict[str, int], tracebacks: list[str],
              stats: dict[str, Any] | None) -> dict[str, Any]:
    changes = [s.changes for s in runs]
    problems = [p for s in runs for p in s.problems]
    kinds: dict[str, int] = {}
    for p in problems + [{**p, "kind": "browser_" + p["kind"]}
                         for p in (browser or {}).get("problems", [])]:
        kind = "cross_talk" if p["kind"].endswith("cross_talk") else p["kind"]
        kinds[kind] = kinds.get(kind, 0) + 1
    cross_talk = kinds.pop("cross_talk", 0)
    kinds["server_tracebacks"] = len(tracebacks)
    b_changes = browser["changes"] if browser else 0
    total = sum(changes) + b_changes
    counted = len(runs) + (browser["opened"] if browser else 0)
    base = mem["after_warm_up"]
    caches = m.caches_after or {}
    before = m.caches_before or {}
    return {
        "changes_done": total,
        "light_changes": sum(changes),
        "browser_changes": b_changes,
        "changes_per_session": {"min": min(changes), "median": statistics.median(changes),
                                "max": max(changes)},
        "changes_per_second": round(total / m.phase, 2) if m.phase else None,
        "change_to_finished_run_seconds": _dist([x for s in runs for x in s.latencies]),
        "change_to_first_delta_seconds": _dist([x for s in runs for x in s.first_delta]),
        "open_seconds": _dist([s.open_seconds for s in runs if s.open_seconds is not None]),
        "locust_stats": stats,
        "cpu": {"editing_phase_seconds": round(m.phase, 1), "cores": os.cpu_count(),
                "server_cpu_seconds": round(m.server_cpu, 2),
                "server_cpu_per_change": round(m.server_cpu / total, 4) if total else None,
                "machine_busy_seconds": round(m.machine_busy, 1),
                "server_share_of_machine_busy": round(m.server_cpu / m.machine_busy, 2)
                if m.machine_busy else None,
                "load_generator_cpu_seconds": round(m.self_cpu, 1),
                "load_average_before_after": [[round(x, 2) for x in m.load_before],
                                              [round(x, 2) for x in m.load_after]]},
        "memory_mb": {
            **{k: mb(v) for k, v in mem.items()},
            "per_session_open": mb((mem["with_sessions_open"] - base) / counted),
            "per_session_after_editing": mb((mem["after_editing"] - base) / counted),
            "sessions_counted": counted},
        "caches": {
            "memory_bytes_after_editing": int(sum(caches.get("memory_bytes", {}).values())),
            "memory_bytes_by_cache": {k: int(v) for k, v in
                                      caches.get("memory_bytes", {}).items()},
            "memory_bytes_at_end": int(sum((m.caches_end or {}).get("memory_bytes",
                                                                     {}).values())),
            "misses_while_editing": _delta(caches.get("misses", {}), before.get("misses", {})),
            "hits_while_editing": _delta(caches.get("hits", {}), before.get("hits", {})),
            "compute_wall_seconds_while_editing": _delta(
                caches.get("compute_seconds", {}), before.get("compute_seconds", {}))},
        "cross_talk": cross_talk,
        "wrong_numbers": kinds.get("wrong_numbers", 0),
        "errors": kinds,
        "error_count": sum(kinds.values()),
        "sessions_failed": sum(s.failed or not s.opened for s in runs),
        # widget kinds whose state stclient does not keep (it would then differ from a browser)
        "client_unknown_widget_kinds": sorted({k for s in runs for k in s.client.unknown_kinds}),
        "problems": problems[:20],
        "server_traceback_samples": tracebacks[:3],
        "browser_check": None if browser is None else {
            "opened": browser["opened"], "changes": b_changes,
            "change_to_page_seconds": _dist(browser["latencies"]),
            "problems": browser["problems"][:5]},
    }


def run_largest(timeout_s: float = 120.0, seed: int = 7) -> dict[str, Any]:
    """Memory and CPU of opening the largest accepted scenario once, then 3 changes."""
    big = largest_scenario()
    plan = Plan(999, big, random.Random(seed))
    out: dict[str, Any] = {"options": len(big.options), "horizon_months": big.horizon_months,
                           "share_link_chars": len(plan.token),
                           "yaml_bytes": len(plan.yaml_text.encode())}
    with tempfile.TemporaryDirectory(prefix="load_test_") as tmp, \
            stclient.LocalServer(APP, Path(tmp) / "server.log") as server:
        out["rss_idle_mb"] = mb(server.rss())
        warm = EditingSession(plans(1, seed)[0], server.url, timeout_s)
        if warm.open():
            warm.change()
        warm.close()
        time.sleep(1.0)
        before, cpu0 = server.rss(), server.cpu_seconds()
        out["rss_after_warm_up_mb"] = mb(before)
        es = EditingSession(plan, server.url, timeout_s)
        es.open()
        cpu1 = server.cpu_seconds()
        time.sleep(1.0)
        opened = server.rss()
        last = es.client.last
        out.update({"open_seconds": round(es.open_seconds or 0, 2),
                    "open_server_cpu_seconds": round(cpu1 - cpu0, 2),
                    "page_bytes": last.bytes if last else None,
                    "page_messages": last.messages if last else None,
                    "rss_after_open_mb": mb(opened),
                    "rss_growth_mb": mb(opened - before)})
        for _ in range(3):
            if es.failed:
                break
            es.change()
        cpu2 = server.cpu_seconds()
        out.update({"changes": es.changes,
                    "server_cpu_per_change": round((cpu2 - cpu1) / es.changes, 3)
                    if es.changes else None,
                    "change_to_finished_run_seconds": _dist(es.latencies),
                    "rss_after_changes_mb": mb(server.rss())})
        if not es.failed:
            # the heaviest page: every option panel open (each draws its widgets)
            for key in es.client.widget_keys():
                if key.startswith("panel:"):
                    es.client.stage(key, True)
            run = es.client.rerun()
            cpu3 = server.cpu_seconds()
            es.change()
            cpu4 = server.cpu_seconds()
            out["all_panels_open"] = {
                "status": run.status if run else None,
                "open_panels_seconds": round(run.seconds or 0, 2) if run else None,
                "open_panels_server_cpu_seconds": round(cpu3 - cpu2, 2),
                "page_bytes": run.bytes if run else None,
                "widgets": len(es.client.states),
                "change_seconds": round(es.latencies[-1], 2) if es.latencies else None,
                "change_server_cpu_seconds": round(cpu4 - cpu3, 2),
                "change_page_bytes": es.client.last.bytes if es.client.last else None,
                "rss_mb": mb(server.rss())}
        es.close()
        out["client_unknown_widget_kinds"] = sorted(es.client.unknown_kinds)
        out["wrong_numbers"] = es.verify_numbers(10)
        out["problems"] = es.problems[:5]
        out["server_tracebacks"] = len(server.tracebacks())
    out["ok"] = not out["problems"] and not out["server_tracebacks"] and es.opened
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20, help="light sessions at once (20)")
    ap.add_argument("--seconds", type=float, default=60.0,
                    help="how long every session keeps changing its traffic (60)")
    ap.add_argument("--browsers", type=int, default=1,
                    help="real Chromium pages in the run as a check of the page (1; 0: none)")
    ap.add_argument("--runner", choices=("auto", "locust", "threads"), default="auto",
                    help="locust (a custom User, gevent) or threads; auto: locust when "
                    "installed")
    ap.add_argument("--session-ttl", type=int, default=DEFAULT_TTL,
                    help="server.disconnectedSessionTTL for the server under test (120, "
                    "Streamlit's default)")
    ap.add_argument("--after-wait", type=float, default=None,
                    help="seconds to wait after the disconnect before reading RSS again "
                    "(default: the TTL + 10)")
    ap.add_argument("--server-option", action="append", default=[], metavar="NAME=VALUE",
                    help="a streamlit option for the server under test, e.g. "
                    "runner.postScriptGC=false (repeatable)")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds a session waits between two changes (0)")
    ap.add_argument("--timeout", type=float, default=90.0,
                    help="seconds one run may take before it counts as a timeout (90)")
    ap.add_argument("--seed", type=int, default=7, help="seed for the figures typed")
    ap.add_argument("--largest", action="store_true",
                    help="measure opening the largest accepted scenario once, instead")
    ap.add_argument("--json", metavar="PATH", type=Path, help="also write the summary here")
    ap.add_argument("--browser-worker", metavar="SPEC", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.browser_worker:
        return browser_worker(args.browser_worker)
    if args.largest:
        summary = run_largest(args.timeout, args.seed)
    else:
        options = dict(o.split("=", 1) for o in args.server_option)
        summary = run(args.sessions, args.seconds, args.timeout, args.seed, args.runner,
                      args.browsers, args.session_ttl, args.after_wait, args.think,
                      server_options=options)
    text = json.dumps(summary, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
