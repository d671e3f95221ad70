"""The app's download buttons in a real browser (Playwright with Debian's Chromium).

The bytes themselves are tested in test_export.py; here a click must give a file with
the right name that opens: the deck, a CSV and a chart.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pandas as pd
import pytest
from conftest import ROOT

from calculator.export import images
from calculator.model import evaluate, load_scenario, totals

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"
STEM = "support-ticket-routing"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    pytest.importorskip("playwright")
    if shutil.which("streamlit", path=str(ROOT / ".venv" / "bin")) is None and \
            shutil.which("streamlit") is None:
        pytest.skip("streamlit is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
         str(port), "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start within 60 s")
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        pg = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        pg.goto(app_url)
        pg.get_by_text("Save and share").wait_for(timeout=60_000)
        # the app draws the download section inside an expander, only while it is open
        opener = pg.get_by_text("Slides, memo, charts and tables to download")
        if opener.count():
            opener.first.click()
        pg.get_by_role("button", name="Slide deck (PPTX)").wait_for(timeout=60_000)
        yield pg
        browser.close()


def _download(page, label: str, tmp_path) -> tuple[str, bytes]:
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def test_deck_downloads_and_opens(page, tmp_path):
    from pptx import Presentation

    name, data = _download(page, "Slide deck (PPTX)", tmp_path)
    assert name == f"{STEM}.pptx"
    deck = Presentation(io.BytesIO(data))
    assert [s.shapes.title.text_frame.text for s in deck.slides][:2] == [
        "Support ticket routing", "Recommendation: Build in_house"]


def test_totals_csv_downloads_with_the_engines_numbers(page, tmp_path):
    name, data = _download(page, "Totals (CSV)", tmp_path)
    assert name == f"{STEM}-totals.csv"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["total_cost"].tolist() == totals(evaluate(load_scenario(DEFAULT)))[
        "total_cost"][0].tolist()


def test_chart_png_downloads_at_deck_size(page, tmp_path):
    name, data = _download(page, "Cumulative cost (PNG)", tmp_path)
    assert name == f"{STEM}-cumulative.png"
    assert images.png_size(data) == (1920, 1080)
    assert images.png_text(data)["Title"] == "Cumulative total cost"
