"""Shared test setup: paths, and the one Streamlit server and Chromium for browser tests.

Browser tests use the ``server`` fixture (the app on 127.0.0.1 on a free port, started
once per test session) and the ``browser`` fixture (Debian's Chromium through
Playwright, see TESTING.md). A test that needs a server of its own (other settings, a
patched function) uses :func:`streamlit_server`. Without Chromium or Playwright they
skip, saying why; under ``REQUIRE_BROWSER=1`` (CI) they fail instead.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90       # two busy cores: a cold start takes a few seconds, rarely more


@pytest.fixture
def root() -> Path:
    return ROOT


def need_browser() -> None:
    """Skip with the reason when a real-browser test cannot run here; fail under
    REQUIRE_BROWSER=1, where a skipped browser test would hide a broken CI machine."""
    why = None
    if not Path(CHROMIUM).exists():
        why = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (CI does)"
    elif importlib.util.find_spec("playwright") is None:
        why = "playwright is not installed (pip install -e '.[test]')"
    if why is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {why}")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(app: Path = ROOT / "app.py", env: dict[str, str] | None = None,
                     cwd: Path = ROOT, log_path: Path | None = None) -> Iterator[str]:
    """Run ``streamlit run app`` on 127.0.0.1 on a free port (with ``env`` added to ours,
    from ``cwd``, whose .streamlit/config.toml applies; its output to ``log_path`` when
    given); yield its URL once /_stcore/health answers; stop the process by its id."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with (open(log_path, "w+b") if log_path else tempfile.TemporaryFile()) as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
            env=os.environ | {"PYTHONUNBUFFERED": "1"} | (env or {}))
        try:
            _wait_healthy(proc, url, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


def _wait_healthy(proc: subprocess.Popen, url: str, log: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            pytest.fail(f"the streamlit server did not start within {START_TIMEOUT_S} s "
                        f"(exit code {proc.poll()}):\n{tail}")
        time.sleep(0.25)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The app's URL (with a trailing slash), one server for the whole session."""
    need_browser()
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module (Playwright's sync API allows one at a time
    in a thread, and the load test starts its own)."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()
