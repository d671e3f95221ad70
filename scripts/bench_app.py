"""How fast the page answers (a benchmark, not a timed test): `python scripts/bench_app.py`.

1. AppTest: median time of a rerun after one widget change (calls per month moved to a
   new value each time, so every rerun recomputes) on the default scenario, with the
   download section folded (as a page opens) and then open.
   Target: under 150 ms.
2. A real browser (Debian's Chromium through Playwright): time from opening the page to
   the headline, the metrics and the first chart drawn. Target: under 5 s.

Numbers depend on the machine and on what else runs on it; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
VALUES = [500_000.0, 600_000.0, 750_000.0, 1_000_000.0, 1_250_000.0, 300_000.0, 250_000.0,
          2_000_000.0, 150_000.0, 400_000.0, 3_000_000.0]


def _timed(module: object, name: str, into: list[float]) -> None:
    """Wrap ``module.name`` so each call's duration lands in ``into``."""
    inner = getattr(module, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - t0)

    setattr(module, name, wrapper)


def bench_apptest(repeat: int) -> tuple[float, float, float, float]:
    """First run; median rerun after a change with the download section folded (as a page
    opens) and open; the section's own share of an open rerun."""
    from streamlit.testing.v1 import AppTest

    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    from calculator.ui import downloads  # imported by the first run, inside its runtime

    exports: list[float] = []
    _timed(downloads, "render", exports)   # the export section, drawn only while open

    def reruns(offset: int) -> float:
        times = []
        for i in range(repeat):
            k = offset + i
            slider = at.number_input(key="traffic.calls_per_month")
            t0 = time.perf_counter()
            slider.set_value(VALUES[k % len(VALUES)] * (1 + k // len(VALUES)) + 1).run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
        return statistics.median(times)

    folded = reruns(0)
    at.session_state["downloads.open"] = True
    at.run()
    opened = reruns(repeat)
    return first, folded, opened, statistics.median(exports)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the streamlit server did not start within 60 s")


def bench_browser(repeat: int) -> tuple[float, ...] | None:
    if not Path(CHROMIUM).exists():
        print(f"browser: skipped ({CHROMIUM} is missing; apt-get install chromium)")
        return None
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=LAUNCH_ARGS)
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator("[data-testid=stMain] h3").first.wait_for(timeout=60_000)
                headline = time.perf_counter() - t0
                # the sidebar is usable: the traffic box is there and enabled
                page.get_by_role("spinbutton", name="Calls per month in month 1").wait_for(
                    timeout=60_000)
                sidebar = time.perf_counter() - t0
                page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for(
                    timeout=60_000)
                times.append((headline, sidebar, time.perf_counter() - t0))
                context.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return tuple(statistics.median(t[k] for t in times) for k in range(3))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reruns", type=int, default=21, help="AppTest reruns to time")
    ap.add_argument("--loads", type=int, default=3, help="browser page loads to time")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    first, rerun, opened, exports = bench_apptest(args.reruns)
    print(f"AppTest first run: {first * 1000:.0f} ms")
    print(f"AppTest median rerun after one widget change: {rerun * 1000:.0f} ms "
          f"(target < 150 ms, {args.reruns} reruns); with the download section open "
          f"{opened * 1000:.0f} ms, of which the section (calculator.ui.downloads) "
          f"{exports * 1000:.0f} ms")
    if not args.no_browser:
        load = bench_browser(args.loads)
        if load is not None:
            headline, sidebar, chart = load
            print(f"Browser, fresh session (median of {args.loads}): headline {headline:.2f} s "
                  f"(target < 2 s), sidebar usable {sidebar:.2f} s ({sidebar - headline:.2f} s "
                  f"after the headline, target < 1 s), first chart {chart:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
