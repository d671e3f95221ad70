"""Many people at once: `python scripts/load_test.py [--sessions 20] [--seconds 60]`.

A load test, not part of the normal test run (tests/test_load_smoke.py runs a short one).

1. Starts the app on 127.0.0.1 on a free port and waits for ``/_stcore/health``.
2. Opens N real browser sessions at once: one Debian Chromium, one context per session
   (small viewport). Each opens its OWN scenario through a share link: scenario ``i % 6`` of
   scenarios/, month-1 traffic scaled by ``1 + i/7`` and the name tagged ``[load NNN]``.
3. For ``--seconds`` every session keeps typing a new "Calls per month in month 1" figure
   (the number input) and waits until the headline is the engine's headline for ITS
   changed scenario (computed here with calculator.evaluate and story.tell), then checks
   the page as a whole: the headline, the cheapest option and its cost among the metrics,
   its own tag (and no other session's), no exception. By default a session then waits for
   the script run to end before typing again, as a reader would; ``--eager`` types the next
   figure as soon as the headline and metrics are new, while the rest of the page (the
   sidebar, drawn last) may still be on its way.
4. Prints a JSON summary: server RSS (process and children) before and after, memory per
   session ((after - before) / N, "before" being after one warm-up page load), p50/p95/max
   seconds from the input change to the updated headline (and to the end of the run),
   changes done, CPU used by the server and by the whole machine meanwhile, errors.
   Exits 1 on any cross-talk or error.

Errors counted: uncaught page errors, Streamlit exception elements (``stException``),
timeouts, pages whose numbers are not their own scenario's, an input that no longer holds
the figure typed (``input_lost``), tracebacks in the server log. Cross-talk: a page showing
another session's tag, or another session's headline instead of its own. Console errors
are reported, not counted (TESTING.md: fast reruns log a harmless download-button 404).
A few screenshots of failing pages go to artifacts/. All traffic stays on 127.0.0.1; every
loop and wait is bounded (``--timeout`` per load or change, and an overall limit).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from calculator import evaluate, load_scenario, to_data, validate  # noqa: E402
from calculator import sharelink as sl  # noqa: E402
from calculator.model.analysis import comparable  # noqa: E402
from calculator.model.scenario import Scenario  # noqa: E402
from calculator.model.story import money, tell  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CALLS_LABEL = re.compile(r"^Calls per month in month 1(?!\d)")
VIEWPORT = {"width": 1024, "height": 700}   # wide enough that the sidebar stays open
POLL_MS = 50                                # while timing a change
CHECK_POLL_MS = 200                         # while checking the whole page
MAX_CHANGES = 10_000                        # per session: a bound, never reached in practice

# The page as the script reads it: visible text only, whitespace normalised.
_SNAPSHOT = """
() => {
  const main = document.querySelector('[data-testid=stMain]');
  if (!main) return null;
  const norm = t => (t || '').replace(/\\s+/g, ' ').trim();
  const all = sel => [...main.querySelectorAll(sel)].map(e => norm(e.innerText));
  const app = document.querySelector('[data-testid=stApp]');
  return {h1: all('h1'), h3: all('h3'), metrics: all('[data-testid=stMetricValue]'),
          exceptions: document.querySelectorAll('[data-testid=stException]').length,
          tags: [...norm(main.innerText).matchAll(/\\[load (\\d+)\\]/g)].map(m => +m[1]),
          script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state')};
}
"""
# Polled every POLL_MS while a change is timed, so it reads the h3 headings only.
_HEADLINE_IS = """
want => [...document.querySelectorAll('[data-testid=stMain] h3')]
  .some(e => e.innerText.replace(/\\s+/g, ' ').trim() === want)
"""
# The script run has ended (stApp's test attribute; a Streamlit without it counts as idle).
_IDLE = """
() => { const app = document.querySelector('[data-testid=stApp]');
        const state = app && app.getAttribute('data-test-script-state');
        return !!app && (state === null || state === 'notRunning'); }
"""
_PAGE_IS = f"""
want => {{
  const s = ({_SNAPSHOT})();
  return !!s && s.h3.includes(want.headline) && want.metrics.every(m => s.metrics.includes(m))
    && s.tags.length > 0 && s.tags.every(t => t === want.tag) && s.exceptions === 0
    && (!want.idle || ({_IDLE})());
}}
"""


def log(msg: str) -> None:
    print(f"[load_test {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- what each page must show ------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    headline: str
    metrics: tuple[str, ...]     # the cheapest option and its cost, as the page shows them


def _norm(text: str) -> str:
    return " ".join(text.split())


def expected(s: Scenario) -> Expected:
    """The engine's answer for ``s``: its headline, the cheapest option and its cost."""
    r = evaluate(s)
    rank = comparable(r)[0]
    best = int(min(range(len(r.names)), key=lambda i: rank[i]))
    return Expected(_norm(tell(r).headline),
                    (r.names[best], money(float(rank[best]), s.currency)))


@dataclass
class Plan:
    """One session's own scenario and how its traffic moves."""

    index: int
    scenario: Scenario
    base_calls: float
    rng: random.Random
    _cache: dict[float, Expected] = field(default_factory=dict)

    @property
    def tag(self) -> int:
        return self.index

    def with_calls(self, calls: float) -> Scenario:
        data = to_data(self.scenario)
        data["traffic"]["calls_per_month"] = float(calls)
        return validate(data)

    def expect(self, calls: float) -> Expected:
        if calls not in self._cache:
            self._cache[calls] = expected(self.with_calls(calls))
        return self._cache[calls]

    def next_calls(self, current: Expected) -> tuple[float, Expected]:
        """A new month-1 figure whose headline differs from the one on the page."""
        calls, want = self.base_calls, current
        for _ in range(40):
            calls = float(round(self.base_calls * self.rng.uniform(0.4, 2.5)))
            want = self.expect(calls)
            if want.headline != current.headline:
                break
        return calls, want


def plans(n: int, seed: int = 7) -> list[Plan]:
    """Session i: scenario i % 6, traffic x (1 + i/7), a name tagged [load i]."""
    bases = [load_scenario(p) for p in SCENARIOS]
    out = []
    for i in range(n):
        base = bases[i % len(bases)]
        data = to_data(base)
        data["name"] = f"{base.name} [load {i:03d}]"
        data["traffic"]["calls_per_month"] = float(round(base.traffic.calls_per_month
                                                         * (1 + i / 7)))
        s = validate(data)
        out.append(Plan(i, s, s.traffic.calls_per_month, random.Random(seed * 1000 + i)))
    return out


# -- the server and its memory --------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log_file: Any, timeout: float = 90.0) -> subprocess.Popen:
    exe = ROOT / ".venv" / "bin" / "streamlit"
    cmd = ([str(exe)] if exe.exists() else [sys.executable, "-m", "streamlit"]) + [
        "run", str(ROOT / "app.py"), "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # the code under test must not change under a running test (nor cost a watcher)
        "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the streamlit server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"the streamlit server did not answer /_stcore/health in {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # the command name (in parentheses) may hold spaces: split after the last ')'
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(stat.parent.name))
    return kids


def _tree(pid: int) -> Iterator[int]:
    """``pid`` and all its descendants, each once (from /proc)."""
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            yield p
            todo.extend(_children(p))


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants."""
    total = 0
    for p in _tree(pid):
        with contextlib.suppress(OSError):
            m = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text(), re.M)
            total += int(m.group(1)) * 1024 if m else 0
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for p in _tree(pid):
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick   # utime, stime
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat)."""
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(x) for x in parts]
    idle = values[3] + (values[4] if len(values) > 4 else 0)      # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def mb(n: float) -> float:
    return round(n / 2**20, 1)


# -- one browser session ----------------------------------------------------------------------

@dataclass
class Session:
    plan: Plan
    url: str
    page: Any = None
    context: Any = None
    current: Expected | None = None
    load_seconds: float | None = None
    latencies: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    typed: int | None = None
    history: list[int] = field(default_factory=list)
    failed: bool = False
    changes: int = 0
    no_visible_change: int = 0
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def link(self) -> str:
        return sl.link(self.url, sl.encode(self.plan.scenario))

    def problem(self, kind: str, **info: Any) -> None:
        entry = {"session": self.plan.index, "kind": kind, **info}
        self.problems.append(entry)
        log(f"session {self.plan.index}: {kind} {json.dumps(info)[:400]}")

    async def open(self, browser: Any, timeout_s: float) -> None:
        self.context = await browser.new_context(viewport=VIEWPORT)
        self.page = await self.context.new_page()
        self.page.set_default_timeout(timeout_s * 1000)
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)[:500]))
        self.page.on("console", self._console)
        self.current = self.plan.expect(self.plan.base_calls)
        t0 = time.perf_counter()
        try:
            await self.page.goto(self.link, wait_until="domcontentloaded")
            await self.page.wait_for_function(_HEADLINE_IS, arg=self.current.headline,
                                              polling=POLL_MS, timeout=timeout_s * 1000)
            self.load_seconds = time.perf_counter() - t0
            await self.check("after opening the share link", timeout_s)
        except Exception as exc:  # a timeout or a closed page: counted, never raised
            await self.diagnose("load_failed", "opening the share link", exc)
            self.current = None

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text[:300])
        elif msg.type == "warning" and re.search(r"connect|websocket|disconnect", msg.text, re.I):
            self.console_errors.append(f"warning: {msg.text[:300]}")

    def _want(self, idle: bool = True) -> dict[str, Any]:
        assert self.current is not None
        return {"headline": self.current.headline, "metrics": list(self.current.metrics),
                "tag": self.plan.tag, "idle": idle}

    async def check(self, when: str, timeout_s: float, idle: bool = True) -> bool:
        """The whole page is this session's scenario; with ``idle``, also waits for the
        script run to end."""
        try:
            await self.page.wait_for_function(_PAGE_IS, arg=self._want(idle),
                                              polling=CHECK_POLL_MS, timeout=timeout_s * 1000)
            return True
        except Exception as exc:
            await self.diagnose("wrong_page", when, exc)
            return False

    async def diagnose(self, kind: str, when: str, exc: BaseException) -> None:
        snap = None
        with contextlib.suppress(Exception):
            snap = await self.page.evaluate(_SNAPSHOT)
        info: dict[str, Any] = {"when": when, "error": f"{type(exc).__name__}: {exc}"[:300],
                                "expected": self._want() if self.current else None,
                                "shown": snap}
        box_value = None
        if self.typed is not None:
            with contextlib.suppress(Exception):
                box_value = await self.page.get_by_role("spinbutton", name=CALLS_LABEL).first \
                    .input_value(timeout=2000)
            info["typed"], info["input_shows"] = self.typed, box_value
            info["typed_before"] = self.history[-6:-1]
        others = sorted({t for t in (snap or {}).get("tags", []) if t != self.plan.tag})
        self.failed = True
        if others:
            kind = "cross_talk"
            info["other_sessions"] = others
        elif snap and self.current and REGISTRY.belongs_elsewhere(snap["h3"], self.plan.index):
            kind = "cross_talk"
            info["other_sessions"] = REGISTRY.owners(snap["h3"], self.plan.index)
        elif snap and snap.get("exceptions"):
            kind = "exception"
        elif box_value is not None and _as_number(box_value) != self.typed:
            kind = "input_lost"   # the figure typed was replaced by another one
        elif "Timeout" in type(exc).__name__ and kind != "load_failed":
            kind = "timeout"
        if len(PROBLEM_SHOTS) < 4 and self.page is not None:   # a few, for a person to see
            shot = ROOT / "artifacts" / f"load-test-session-{self.plan.index:03d}-{kind}.png"
            with contextlib.suppress(Exception):
                shot.parent.mkdir(exist_ok=True)
                await self.page.screenshot(path=str(shot), timeout=10_000)
                PROBLEM_SHOTS.append(str(shot.relative_to(ROOT)))
                info["screenshot"] = PROBLEM_SHOTS[-1]
        self.problem(kind, **info)

    async def run(self, deadline: float, timeout_s: float, eager: bool = False) -> None:
        if self.current is None or self.failed:
            return
        box = self.page.get_by_role("spinbutton", name=CALLS_LABEL).first
        while time.monotonic() < deadline and self.changes < MAX_CHANGES:
            before = self.current
            calls, want = self.plan.next_calls(before)
            REGISTRY.add(want.headline, self.plan.index)
            try:
                self.typed = int(calls)
                self.history.append(self.typed)
                await box.fill(str(self.typed), timeout=timeout_s * 1000)
                t0 = time.perf_counter()
                await box.press("Enter", timeout=timeout_s * 1000)
                self.current = want
                await self.page.wait_for_function(_HEADLINE_IS, arg=want.headline,
                                                  polling=POLL_MS, timeout=timeout_s * 1000)
                elapsed = time.perf_counter() - t0
            except Exception as exc:
                await self.diagnose("timeout", f"change {self.changes + 1} to {int(calls)} "
                                    "calls", exc)
                return   # the page is in an unknown state: stop this session
            self.changes += 1
            if want.headline == before.headline:
                self.no_visible_change += 1      # rare: no latency can be seen
            else:
                self.latencies.append(elapsed)
            # eager: type the next figure as soon as the headline moved (the rest of the
            # page may still be drawing); else wait for the run to end, as a reader would
            if not await self.check(f"after change {self.changes}", timeout_s, idle=not eager):
                return
            if not eager:
                self.reruns.append(time.perf_counter() - t0)

    async def final_check(self, timeout_s: float) -> None:
        if self.current is not None and self.page is not None and not self.failed:
            await self.check("at the end of the run", timeout_s)
            with contextlib.suppress(Exception):
                if await self.page.locator("[data-testid=stException]").count():
                    self.problem("exception", when="at the end of the run")

    async def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


class _Registry:
    """Every headline each session was ever told to expect (to name cross-talk)."""

    def __init__(self) -> None:
        self.by_headline: dict[str, set[int]] = {}

    def add(self, headline: str, index: int) -> None:
        self.by_headline.setdefault(headline, set()).add(index)

    def owners(self, shown: list[str], index: int) -> list[int]:
        found: set[int] = set()
        for h in shown:
            found |= self.by_headline.get(h, set())
        return sorted(found - {index})

    def belongs_elsewhere(self, shown: list[str], index: int) -> bool:
        mine = any(index in self.by_headline.get(h, set()) for h in shown)
        return not mine and bool(self.owners(shown, index))


REGISTRY = _Registry()
PROBLEM_SHOTS: list[str] = []


# -- the run ----------------------------------------------------------------------------------

def _pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 3)


async def _drive(url: str, pid: int, sessions: int, seconds: float, timeout_s: float,
                 seed: int, eager: bool, out: dict[str, Any]) -> list[Session]:
    from playwright.async_api import async_playwright

    REGISTRY.by_headline.clear()
    PROBLEM_SHOTS.clear()
    runs = [Session(p, url) for p in plans(sessions, seed)]
    for s in runs:
        REGISTRY.add(s.plan.expect(s.plan.base_calls).headline, s.plan.index)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=LAUNCH_ARGS)
        try:
            # warm-up: one page load imports the app's modules and fills the engine's
            # first caches, so "before" is a server that has served a page
            warm = Session(plans(1, seed)[0], url)
            await warm.open(browser, timeout_s)
            await warm.close()
            if warm.current is None:
                out["warm_up_failed"] = warm.problems
            await asyncio.sleep(1.0)
            out["rss_before"] = rss_bytes(pid)
            log(f"server RSS before: {mb(out['rss_before'])} MB; opening {sessions} sessions")
            t0 = time.perf_counter()
            await asyncio.gather(*(s.open(browser, timeout_s) for s in runs))
            out["open_all_seconds"] = round(time.perf_counter() - t0, 2)
            log(f"{sum(s.current is not None for s in runs)}/{sessions} sessions open in "
                f"{out['open_all_seconds']} s; changing inputs for {seconds:g} s")
            deadline = time.monotonic() + seconds
            t0 = time.perf_counter()
            cpu0, busy0 = cpu_seconds(pid), machine_busy_seconds()
            await asyncio.gather(*(s.run(deadline, timeout_s, eager) for s in runs))
            out["change_phase_seconds"] = round(time.perf_counter() - t0, 2)
            out["server_cpu_seconds"] = round(cpu_seconds(pid) - cpu0, 1)
            out["machine_busy_seconds"] = round(machine_busy_seconds() - busy0, 1)
            await asyncio.gather(*(s.final_check(timeout_s) for s in runs))
            out["rss_after"] = rss_bytes(pid)
            log(f"server RSS after: {mb(out['rss_after'])} MB; closing sessions")
            for s in runs:
                await s.close()
            await asyncio.sleep(3.0)
            out["rss_after_close"] = rss_bytes(pid)
        finally:
            for s in runs:
                await s.close()
            await browser.close()
    return runs


def _server_log(path: Path) -> tuple[list[str], list[str]]:
    """Tracebacks (errors) and other WARNING/ERROR lines of the server's log."""
    text = path.read_text(errors="replace") if path.exists() else ""
    blocks, warnings = [], []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback") or "Uncaught app exception" in line:
            blocks.append("\n".join(lines[i:i + 30])[-1500:])
        elif re.search(r"\b(WARNING|ERROR)\b", line):
            warnings.append(line[:300])
    return blocks, warnings


def run(sessions: int = 20, seconds: float = 60.0, timeout_s: float = 90.0,
        seed: int = 7, eager: bool = False) -> dict[str, Any]:
    """Start the app, drive ``sessions`` browser sessions for ``seconds``, stop the app;
    the summary (see the module docstring). Raises only when the server cannot start."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if sessions < 1 or seconds < 0:
        raise ValueError("need at least one session and a duration >= 0")
    started = time.perf_counter()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="load_test_") as tmp:
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log_file:
            port = free_port()
            proc = start_server(port, log_file)
            try:
                out["rss_idle"] = rss_bytes(proc.pid)
                url = f"http://127.0.0.1:{port}/"
                overall = timeout_s * 3 + seconds + 120     # a bound on the whole browser part
                runs = asyncio.run(asyncio.wait_for(
                    _drive(url, proc.pid, sessions, seconds, timeout_s, seed, eager, out), overall))
            finally:
                stop_server(proc)
        server_errors, server_warnings = _server_log(log_path)
    summary = summarise(runs, out, server_errors, sessions, seconds,
                        time.perf_counter() - started)
    summary["server_log_warnings"] = len(server_warnings)
    summary["server_log_warning_samples"] = sorted(set(server_warnings))[:5]
    summary["mode"] = "eager" if eager else "settle"
    return summary


def summarise(runs: list[Session], out: dict[str, Any], server_errors: list[str],
              sessions: int, seconds: float, wall: float) -> dict[str, Any]:
    lat = [x for s in runs for x in s.latencies]
    reruns = [x for s in runs for x in s.reruns]
    problems = [p for s in runs for p in s.problems]
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    cross_talk = kinds.pop("cross_talk", 0)
    page_errors = sum(len(s.page_errors) for s in runs)
    errors = {"page_errors": page_errors,
              "exceptions": kinds.pop("exception", 0),
              "timeouts": kinds.pop("timeout", 0),
              "load_failed": kinds.pop("load_failed", 0),
              "wrong_numbers": kinds.pop("wrong_page", 0),
              "server_tracebacks": len(server_errors)}
    errors.update(kinds)
    before, after = out.get("rss_before", 0), out.get("rss_after", 0)
    loads = [s.load_seconds for s in runs if s.load_seconds is not None]
    changes = [s.changes for s in runs]
    summary = {
        "sessions": sessions,
        "seconds": seconds,
        "changes_done": sum(changes),
        "changes_per_session": {"min": min(changes), "median": statistics.median(changes),
                                "max": max(changes)},
        "changes_per_second": round(sum(changes) / max(out.get("change_phase_seconds", 0)
                                                       or seconds or 1, 1e-9), 2),
        "latency_seconds": {"n": len(lat), "p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95),
                            "max": _pct(lat, 1.0),
                            "mean": round(statistics.fmean(lat), 3) if lat else None},
        "rerun_seconds": {"n": len(reruns), "p50": _pct(reruns, 0.5),
                          "p95": _pct(reruns, 0.95), "max": _pct(reruns, 1.0)},
        "open_seconds": {"all_sessions": out.get("open_all_seconds"),
                         "p50": _pct(loads, 0.5), "max": _pct(loads, 1.0)},
        "server_rss_mb": {"idle": mb(out.get("rss_idle", 0)), "before": mb(before),
                          "after": mb(after), "after_close": mb(out.get("rss_after_close", 0)),
                          "per_session": mb((after - before) / sessions) if after else None},
        "cpu_during_changes": {
            "phase_seconds": out.get("change_phase_seconds"),
            "cores": os.cpu_count(),
            "server_cpu_seconds": out.get("server_cpu_seconds"),
            "machine_busy_seconds": out.get("machine_busy_seconds"),
            "server_cpu_per_change": round(out["server_cpu_seconds"] / sum(changes), 3)
            if sum(changes) and "server_cpu_seconds" in out else None},
        "cross_talk": cross_talk,
        "errors": errors,
        "error_count": sum(errors.values()),
        "no_visible_change": sum(s.no_visible_change for s in runs),
        "console_errors": sum(len(s.console_errors) for s in runs),
        "console_error_samples": sorted({m for s in runs for m in s.console_errors})[:5],
        "problems": problems[:20],
        "page_error_samples": [e for s in runs for e in s.page_errors][:5],
        "server_traceback_samples": server_errors[:3],
        "wall_seconds": round(wall, 1),
        "ok": cross_talk == 0 and sum(errors.values()) == 0
        and all(s.current is not None for s in runs),
    }
    if "warm_up_failed" in out:
        summary["warm_up_failed"] = out["warm_up_failed"]
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20, help="browser sessions at once (20)")
    ap.add_argument("--seconds", type=float, default=60.0,
                    help="how long every session keeps changing inputs (60)")
    ap.add_argument("--json", metavar="PATH", type=Path,
                    help="also write the JSON summary to PATH")
    ap.add_argument("--timeout", type=float, default=90.0,
                    help="seconds one page load or one change may take before it counts "
                    "as a timeout (90)")
    ap.add_argument("--seed", type=int, default=7, help="seed for the traffic figures typed")
    ap.add_argument("--eager", action="store_true",
                    help="type the next figure as soon as the headline and metrics are the "
                    "new ones, without waiting for the rest of the page (the script run) to "
                    "finish")
    args = ap.parse_args(argv)
    summary = run(args.sessions, args.seconds, args.timeout, args.seed, args.eager)
    text = json.dumps(summary, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
