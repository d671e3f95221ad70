"""Shared test setup: paths, the exports' shared Decisions and decks, the command line run in
this process, and the one Streamlit server and Chromium for browser tests.

Browser tests use the ``server`` fixture (the app on 127.0.0.1 on a free port, started
once per test session) and the ``browser`` fixture (Debian's Chromium through
Playwright, see TESTING.md). A test that needs a server of its own (other settings, a
patched function) uses :func:`streamlit_server`. Without Chromium or Playwright they
skip, saying why; under ``REQUIRE_BROWSER=1`` (CI) they fail instead.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


PIDS: dict[str, int] = {}
"""The process id of each server :func:`streamlit_server` runs, by its URL."""


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
            PIDS[url] = proc.pid
            yield url
        finally:
            PIDS.pop(url, None)
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


# -- the exports: shared scenarios, Decisions, decks and a company template --------------------
#
# Several test files read the same Decisions (tables, images, memo, deck, native charts,
# writers); each is made once per test process (session scope: they are never changed).

TODAY = dt.date(2026, 11, 28)
HOSTILE = '=HYPERLINK("http://x","click") <img src=x onerror=alert(1)>'
MODERATION = ROOT / "scenarios" / "product-image-moderation.yaml"
SUPPORT = ROOT / "scenarios" / "support-ticket-routing.yaml"

# Hand-computed reference: the spec's worked example run for 36 months.
# - api: 0.003 a call x 1,000,000 calls = 3,000 a month -> 36 x 3,000 = 108,000.
# - model: months 1-2 cost 24,000 and 23,000 (api 3,000 + build 20,000, + setup 1,000 in
#   month 1), then 730 (one node) + 1,000 (0.05 x 20,000 run team) = 1,730 a month:
#   47,000 + 34 x 1,730 = 105,820.
# - D(t) = C_model - C_api: D(2) = 41,000, then -1,270 a month: D(34) = 41,000 - 32 x 1,270
#   = 360, D(35) = -910 -> crossover in month 35, fractional 34 + 360 / 1,270 = 34.28.
# - Saving 108,000 - 105,820 = 2,180 ("$2.18k").
WORKED_YAML = """\
schema_version: 1
name: Worked example
prices_as_of: 2026-11-01
horizon_months: 36
traffic: {calls_per_month: 1_000_000}
team: {ml_engineer: 20_000}   # loaded monthly cost, made up for the spec
options:
  api:
    kind: genai_api
    input_tokens_per_call: 1000
    output_tokens_per_call: 100
    price_per_million_input_tokens: 2.00    # list price, checked 2026-11-01
    price_per_million_output_tokens: 10.00
  model:
    kind: in_house
    interim: api
    build_months: 2
    build_team: {ml_engineer: 1}
    setup: {cost: 1_000}
    run_team: {ml_engineer: 0.05}
    node_cost_per_hour: 1.0
    node_capacity_rps: 1000
"""
# the hostile one also names an option "-model": a cell starting with "-" in a sheet
HOSTILE_YAML = (WORKED_YAML.replace("name: Worked example",
                                    "name: '" + HOSTILE.replace("'", "''") + "'")
                .replace("  model:", "  -model:"))


def notes_of(text: str) -> dict[str, str]:
    """The sources of a file's assumptions, as the CLI and the app pass them down."""
    from calculator.model import comments_of, loads_scenario
    from calculator.model.comments import sources

    s = loads_scenario(text)
    return sources(comments_of(text), s, s)


@pytest.fixture(scope="session")
def worked36() -> Any:
    """The Decision of WORKED_YAML (36 months, no ranges), decided on TODAY."""
    from calculator.model import loads_scenario
    from calculator.model.decision import decide

    return decide(loads_scenario(WORKED_YAML), today=TODAY)


@pytest.fixture(scope="session")
def hostile36() -> Any:
    """The worked example named HOSTILE, with an option called "-model"."""
    from calculator.model import loads_scenario
    from calculator.model.decision import decide

    return decide(loads_scenario(HOSTILE_YAML), today=TODAY)


@pytest.fixture(scope="session")
def hostile_deck(hostile36) -> Any:
    """The hostile Decision's deck, read back with python-pptx."""
    from pptx import Presentation

    from calculator import export

    return Presentation(io.BytesIO(export.pptx_bytes(hostile36, notes_of(HOSTILE_YAML))))


@pytest.fixture(scope="session")
def moderation() -> tuple[Any, dict[str, str]]:
    """(Decision, notes) of the shipped product-image-moderation scenario."""
    from calculator.model import load_scenario
    from calculator.model.decision import decide

    text = MODERATION.read_text(encoding="utf-8")
    return decide(load_scenario(MODERATION), today=TODAY), notes_of(text)


@pytest.fixture(scope="session")
def support() -> tuple[Any, Any]:
    """(Decision, its one risk report) of the shipped support-ticket-routing scenario."""
    from calculator import export
    from calculator.model import load_scenario
    from calculator.model.decision import decide

    d = decide(load_scenario(SUPPORT), today=TODAY)
    return d, export.report(d)


@pytest.fixture(scope="session")
def support_deck(support) -> Any:
    """The support scenario's deck (PowerPoint charts, the default look)."""
    from pptx import Presentation

    from calculator import export

    d, rep = support
    return Presentation(io.BytesIO(export.pptx_bytes(d, None, rep)))


def slide_titled(prs: Any, title: str) -> Any:
    return next(s for s in prs.slides if s.shapes.title.text_frame.text == title)


def make_template(potx: bool = False) -> bytes:
    """A company template: 10 x 5.625 in, renamed layouts, Georgia as its theme font and a
    slide of its own that the deck must leave out."""
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    master = prs.slide_master
    for holder in [master, *master.slide_layouts]:       # its layouts drawn for its size
        for shape in holder.shapes:
            for off in shape._element.iter("{*}off"):
                off.set("y", str(int(int(off.get("y")) * 0.75)))
            for ext in shape._element.iter("{*}ext"):
                if ext.get("cy") is not None:
                    ext.set("cy", str(int(int(ext.get("cy")) * 0.75)))
    for layout in prs.slide_layouts:
        layout._element.cSld.set("name", "Corp " + str(len(layout.name)))
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = theme.blob.replace(b'typeface="Calibri"', b'typeface="Georgia"')
    old = prs.slides.add_slide(prs.slide_layouts[1])
    old.shapes.title.text = "OLD TEMPLATE SLIDE"
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    return with_main_type(data, b"presentationml.template.main") if potx else data


def with_main_type(data: bytes, main: bytes) -> bytes:
    """A .pptx's bytes with its main part declared as ``main`` (a .potx template's, a
    macro-enabled deck's) in [Content_Types].xml, everything else as it was."""
    src = zipfile.ZipFile(io.BytesIO(data))
    new = io.BytesIO()
    with zipfile.ZipFile(new, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"presentationml.presentation.main", main)
            z.writestr(info, body)
    return new.getvalue()


# -- the command line, in this process ---------------------------------------------------------

@dataclass
class CliRun:
    """What a run of the command line gave, named as subprocess.run names it."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys) -> Callable[..., CliRun]:
    """``run_cli("report", path, "--format", "json")``: :func:`calculator.cli.main` run in
    this process with its output captured; an argparse error's exit is its exit code.
    (One test, in test_cli.py, runs ``python -m calculator`` as a real process.)"""
    from calculator import cli

    def run(*args: str) -> CliRun:
        capsys.readouterr()                         # only this run's output
        try:
            code = cli.main(list(args))
        except SystemExit as exc:                   # argparse: bad arguments, --help
            code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return CliRun(code, out.out, out.err)

    return run
