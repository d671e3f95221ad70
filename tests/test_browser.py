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


def _decision(calls: float | None = None, rate: float | None = None):
    from calculator.model.decision import decide

    s = load_scenario(DEFAULT)
    traffic = s.traffic if calls is None else s.traffic.model_copy(
        update={"calls_per_month": calls})
    update = {"traffic": traffic} | ({} if rate is None else {"discount_rate_annual": rate})
    return decide(s.model_copy(update=update))


def test_change_inputs_then_reload_and_find_the_same_numbers(server, page):
    open_app(page, server)
    d = _decision()
    first = headline(page)
    assert first == d.texts.headline
    assert metric_values(page) == [n.value for n in d.texts.numbers]
    assert "% of draws" in first                # ranges: the headline says how sure
    assert_clean(page)
    shot(page, "1-default")
    before_chart = chart(page).screenshot()
    # the Scenario section is closed at first (nothing of it is sent); a click opens it
    rate = page.get_by_role("spinbutton", name="Discount rate a year (0-1)")
    assert rate.count() == 0
    page.get_by_test_id("stSidebar").get_by_text("Scenario: horizon, discounting, name").click()
    rate.wait_for()
    rate.fill("0.11")
    rate.press("Enter")
    # a present value moves; the months may not: wait for the saving card to change
    saving = _decision(rate=0.11).texts.numbers[0].value
    assert saving != d.texts.numbers[0].value
    page.wait_for_function(
        "want => { const v = document.querySelector('[data-testid=stMetricValue]');"
        " return v && v.innerText === want; }", arg=saving)
    wait_idle(page)
    assert headline(page) == _decision(rate=0.11).texts.headline
    # traffic: typed into its box (the -/+ steps follow the figure's size)
    type_calls(page, 1_000_000)
    want = _decision(1_000_000.0, 0.11)
    pays = next(n.value for n in want.texts.numbers if n.label.startswith("Pays off"))
    assert pays != next(n.value for n in d.texts.numbers if n.label.startswith("Pays off"))
    page.wait_for_function(
        "want => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(v => v.innerText === want)", arg=pays)
    wait_idle(page)
    assert headline(page) == want.texts.headline
    numbers = metric_values(page)
    assert chart(page).screenshot() != before_chart   # the chart was redrawn
    assert_clean(page)
    shot(page, "2-after-inputs")
    # the address bar holds the scenario: a reload (or a dropped connection, or a server
    # restart) brings the same numbers back
    assert f"?{sl.PARAM}=" in page.url
    page.reload()
    page.get_by_test_id("stMetricValue").first.wait_for()
    wait_idle(page)
    assert headline(page) == want.texts.headline
    assert metric_values(page) == numbers
    # an option's panel, as a PM sees it
    page.get_by_test_id("stSidebar").get_by_text("In-house ticket classifier · In-house model").click()
    page.get_by_role("spinbutton", name="Node price per hour ($)").wait_for()
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
    page.locator("input[type=file][accept*=yaml]").set_input_files(str(saved))
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
    code = page.get_by_test_id("stCode")     # drawn once the expander is open
    code.wait_for(timeout=60_000)
    link = code.inner_text().strip()
    # the address bar holds the same link
    assert page.url.split("?", 1)[1] == link.split("?", 1)[1]
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
        assert fresh.get_by_text("from the link").count()
        assert_clean(fresh)
        shot(fresh, "4-share-link")
    finally:
        context.close()


def test_a_bad_share_link_says_so_and_shows_the_default(server, page):
    open_app(page, f"{server}?{sl.PARAM}=this-is-not-a-scenario")
    wait_idle(page)
    assert page.get_by_text("Could not open the share link").count()
    assert headline(page) == _decision().texts.headline
    assert_clean(page)


def test_hostile_name_is_text_not_html(server, page, tmp_path):
    s = load_scenario(DEFAULT)
    evil = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(2)) $x$"
    text = dumps_scenario(s).replace("name: Support ticket routing", f"name: '{evil}'")
    path = tmp_path / "evil.yaml"
    path.write_text(text)
    open_app(page, server)
    page.locator("input[type=file][accept*=yaml]").set_input_files(str(path))
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
    # without display names, so that the keys themselves reach the chart
    text = (re.sub(r"(?m)^    label: .*\n", "", DEFAULT.read_text(encoding="utf-8"))
            .replace("\n  llm:\n", "\n  constructor:\n")
            .replace("\n  in_house:\n", "\n  __proto__:\n")
            .replace("interim: llm", "interim: constructor"))
    path = tmp_path / "prototype-names.yaml"
    path.write_text(text, encoding="utf-8")
    open_app(page, server)
    page.locator("input[type=file][accept*=yaml]").set_input_files(str(path))
    page.get_by_test_id("stMain").get_by_text("constructor", exact=False).first.wait_for()
    wait_idle(page)
    page.get_by_role("tab", name="Cumulative").click()      # the tabs draw only when open
    wait_idle(page)
    drawn = page.get_by_test_id("stVegaLiteChart").first.locator("svg").first
    drawn.locator("g.mark-line.role-mark path").first.wait_for()
    # the cumulative chart: one line per option, and the legend names each
    assert drawn.locator("g.mark-line.role-mark path").count() == 3
    assert drawn.locator("g.role-legend-label text").all_text_contents() == [
        "rules", "constructor", "__proto__"]
    assert_clean(page)
    shot(page, "7-prototype-names")


def test_a_forecast_column_pasted_from_a_spreadsheet_drives_the_answer(server, browser):
    # a PM copies a column of 36 monthly figures from a spreadsheet and pastes it into the
    # forecast table: every value lands in its month and the answer follows it
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_app(page, server)
        side = page.get_by_test_id("stSidebar")
        side.get_by_role("button", name="Use my own monthly forecast instead").click()
        grid = side.get_by_test_id("stDataFrame")
        grid.wait_for()
        wait_idle(page)
        before = headline(page)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + 35 + 17)   # month 1's calls
        pasted = [100_000.0 * (i + 1) for i in range(36)]                       # 100k ... 3.6M
        page.evaluate("t => navigator.clipboard.writeText(t)",
                      "\n".join(f"{v:.0f}" for v in pasted))
        page.keyboard.press("Control+V")
        after = wait_for_change(page, before)
        s = sl.decode(page.url.split(f"{sl.PARAM}=", 1)[1])
        assert s.traffic.monthly_calls == pasted
        from calculator.model.decision import decide
        assert after == decide(s).texts.headline
        assert_clean(page)
        shot(page, "8-forecast-pasted")
    finally:
        context.close()
