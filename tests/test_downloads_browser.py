"""The app's download buttons in a real browser (Playwright with Debian's Chromium).

The bytes themselves are tested in the test_export_*.py files; here a click must give a file with
the right name that opens: the deck, a CSV and a chart.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import ROOT, make_template

from calculator.export import images
from calculator.model import evaluate, load_scenario, totals

pytestmark = pytest.mark.browser
DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"
STEM = "support-ticket-routing"


@pytest.fixture(scope="module")
def page(server, browser):
    """One page on the app with the download section open (conftest.py's server and
    browser)."""
    pg = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    pg.goto(server)
    pg.get_by_text("Save and share").wait_for(timeout=60_000)
    # the app draws the download section inside an expander, only while it is open
    opener = pg.get_by_text("Slides, memo, charts and tables to download")
    if opener.count():
        opener.first.click()
    pg.get_by_role("button", name="Slide deck (PPTX)").wait_for(timeout=60_000)
    yield pg
    pg.close()


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
        "Support ticket routing", "Recommendation: Do not build In-house ticket classifier yet"]


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


def test_deck_on_an_uploaded_company_template(page, tmp_path):
    from pptx import Presentation

    template = tmp_path / "corp.pptx"
    template.write_bytes(make_template())
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Company template")
    uploader.locator("input[type=file]").set_input_files(str(template))
    page.get_by_text("corp.pptx").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)                     # the rerun with the template
    name, data = _download(page, "Slide deck (PPTX)", tmp_path)
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (9_144_000, 5_143_500)
    assert all(s.slide_layout.name.startswith("Corp") for s in deck.slides)


def test_a_file_that_is_no_template_is_said_and_the_plain_deck_stays(page, tmp_path):
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a deck")
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Company template")
    uploader.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("This template cannot be used").wait_for(timeout=60_000)
    _, data = _download(page, "Slide deck (PPTX)", tmp_path)
    from pptx import Presentation

    assert Presentation(io.BytesIO(data)).slide_width == 12_192_000
