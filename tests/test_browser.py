"""The app in a real browser: Playwright driving Debian's Chromium (see TESTING.md).

Open the page, move a slider, download the scenario and upload it back, open the share
link in a fresh browser context, and show a hostile scenario name as text. Screenshots go
to artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from calculator import dumps_scenario, load_scenario, loads_scenario
from calculator import sharelink as sl

ARTIFACTS = ROOT / "artifacts"
DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"

# the server and browser fixtures are conftest.py's (they skip, or fail under
# REQUIRE_BROWSER=1, without Chromium)
pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    # tall enough that a screenshot shows the whole page (the main area scrolls inside)
    context = browser.new_context(viewport={"width": 1440, "height": 2000},
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def open_app(page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for()
    chart(page).wait_for()
    wait_idle(page)


def chart(page):
    return page.locator("[data-testid=stVegaLiteChart] canvas, "
                        "[data-testid=stVegaLiteChart] svg").first


def headline(page) -> str:
    return page.get_by_test_id("stMain").locator("h3").first.inner_text()


def metric_values(page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()


def wait_for_change(page, before: str) -> str:
    page.wait_for_function(
        "before => { const h = document.querySelector('[data-testid=stMain] h3');"
        " return h && h.innerText !== before; }", arg=before)
    page.wait_for_timeout(300)
    wait_idle(page)
    return headline(page)


def wait_idle(page) -> None:
    """Until the script has finished (the status widget shows 'Running' meanwhile)."""
    page.wait_for_timeout(200)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
    page.wait_for_timeout(300)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"browser-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_clean(page) -> None:
    text = page.get_by_test_id("stMain").inner_text()
    assert "Traceback" not in text and "NaN" not in text and "nan%" not in text
    assert not re.search(r"\d{7,}\.\d", text), "a raw float reached the page"
    assert not page.get_by_test_id("stException").count()


def type_calls(page, calls: int) -> None:
    """Type month-1 traffic into its box, as a person would."""
    box = page.get_by_role("spinbutton", name="Calls per month in month 1")
    box.fill(str(calls))
    box.press("Enter")


def _crossover_at(calls: float, rate: float = 0.10) -> int:
    from calculator import evaluate
    from calculator.model.analysis import crossovers

    s = load_scenario(DEFAULT)
    s = s.model_copy(update={"traffic": s.traffic.model_copy(update={"calls_per_month": calls}),
                             "discount_rate_annual": rate})
    return next(c.month for c in crossovers(evaluate(s))
                if (c.cheaper, c.than) == ("in_house", "llm"))


def test_open_the_page_and_move_a_slider(server, page):
    open_app(page, server)
    first = headline(page)
    assert "month 25" in first
    assert metric_values(page) == ["in_house", "$1.16M", "$148k", "month 25"]
    assert_clean(page)
    shot(page, "1-default")
    before_chart = chart(page).screenshot()
    # the discount-rate slider: one key press moves it from 0.10 to 0.11, and the saving
    # (a present value) changes while the crossover month stays
    rate = page.get_by_role("slider", name="Discount rate (per year, 0-1)")
    rate.focus()
    rate.press("ArrowRight")
    moved = wait_for_change(page, first)
    assert "month 25" in moved and moved != first
    assert rate.get_attribute("aria-valuetext") == "0.11"
    # traffic: typed into its box (the -/+ steps follow the figure's size)
    type_calls(page, 1_000_000)
    # each step may rerun the script: wait for the last one's answer to be on screen
    month = _crossover_at(1_000_000.0, rate=0.11)
    assert month < 25
    page.wait_for_function(
        "want => { const v = [...document.querySelectorAll('[data-testid=stMetricValue]')];"
        " return v.length && v[v.length - 1].innerText === want; }", arg=f"month {month}")
    wait_idle(page)
    after = headline(page)
    assert f"in month {month} " in after
    assert metric_values(page)[3] == f"month {month}"
    assert chart(page).screenshot() != before_chart   # the chart was redrawn
    assert_clean(page)
    shot(page, "2-after-slider")
    # an option's panel, as a PM sees it
    page.get_by_test_id("stSidebar").get_by_text("in_house · In-house model").click()
    page.get_by_role("spinbutton", name="Serving node (USD per hour)").wait_for()
    wait_idle(page)
    page.get_by_test_id("stSidebar").screenshot(path=str(ARTIFACTS / "browser-6-panel.png"))


def test_download_the_yaml_and_upload_it_back(server, page, tmp_path):
    open_app(page, server)
    first = headline(page)
    type_calls(page, 2_500_000)
    changed = wait_for_change(page, first)
    numbers = metric_values(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download scenario (YAML)").click()
    download = info.value
    assert re.fullmatch(r"[a-z0-9-]+\.yaml", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    s = loads_scenario(saved.read_bytes())
    assert s.traffic.calls_per_month == 2_500_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-downloaded.yaml").write_bytes(saved.read_bytes())
    # a fresh session starts on the default; the upload brings the numbers back
    page.goto(server)
    page.get_by_test_id("stMetricValue").first.wait_for()
    assert headline(page) == first
    page.locator("input[type=file]").set_input_files(str(saved))
    assert wait_for_change(page, first) == changed
    assert metric_values(page) == numbers
    assert page.get_by_text(f"from {saved.name}").count()
    assert_clean(page)
    shot(page, "3-uploaded")


def test_share_link_opens_the_same_page_in_a_new_context(server, page, browser):
    open_app(page, server)
    first = headline(page)
    type_calls(page, 300_000)
    changed = wait_for_change(page, first)
    numbers = metric_values(page)
    page.get_by_text(re.compile(r"^Share link \(")).click()
    link = page.get_by_test_id("stCode").inner_text().strip()
    assert link.startswith(server) and f"?{sl.PARAM}=" in link
    assert sl.decode(link.split("=", 1)[1]).traffic.calls_per_month == 300_000
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    fresh = context.new_page()
    fresh.set_default_timeout(60_000)
    try:
        open_app(fresh, link)
        wait_idle(fresh)
        assert headline(fresh) == changed
        assert metric_values(fresh) == numbers
        assert fresh.get_by_text("from the share link").count()
        assert_clean(fresh)
        shot(fresh, "4-share-link")
    finally:
        context.close()


def test_a_bad_share_link_says_so_and_shows_the_default(server, page):
    open_app(page, f"{server}?{sl.PARAM}=this-is-not-a-scenario")
    wait_idle(page)
    assert page.get_by_text("Could not open the share link").count()
    assert "month 25" in headline(page)
    assert_clean(page)


def test_hostile_name_is_text_not_html(server, page, tmp_path):
    s = load_scenario(DEFAULT)
    evil = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(2)) $x$"
    text = dumps_scenario(s).replace("name: Support ticket routing", f"name: '{evil}'")
    path = tmp_path / "evil.yaml"
    path.write_text(text)
    open_app(page, server)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("onerror=alert(1)", exact=False).first.wait_for()
    wait_idle(page)
    title = page.get_by_test_id("stMain").locator("h1").first.inner_text()
    assert title == evil
    main = page.get_by_test_id("stMain")
    assert main.locator("img[src=x]").count() == 0
    assert main.locator("a[href^='javascript']").count() == 0
    assert page.dialogs == []
    shot(page, "5-hostile-name")


def test_options_named_like_prototype_members_are_drawn(server, page, tmp_path):
    # Vega used to find Object.prototype's members for these names: a blank chart
    text = (DEFAULT.read_text(encoding="utf-8")
            .replace("\n  llm:\n", "\n  constructor:\n")
            .replace("\n  in_house:\n", "\n  __proto__:\n")
            .replace("interim: llm", "interim: constructor"))
    path = tmp_path / "prototype-names.yaml"
    path.write_text(text, encoding="utf-8")
    open_app(page, server)
    first = headline(page)
    page.locator("input[type=file]").set_input_files(str(path))
    assert "constructor" in wait_for_change(page, first)
    drawn = page.get_by_test_id("stVegaLiteChart").first.locator("svg").first
    # the cumulative chart: one line per option, and the legend names each
    assert drawn.locator("g.mark-line.role-mark path").count() == 3
    assert drawn.locator("g.role-legend-label text").all_text_contents() == [
        "rules", "constructor", "__proto__"]
    assert_clean(page)
    shot(page, "7-prototype-names")
