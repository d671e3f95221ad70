"""What a PM sees, measured in a real browser at 1280, 1440 and 1920 px on every shipped
scenario: no key-number card or chart label cut off or overlapping another (element boxes
compared), no raw float anywhere in the text, and a headline that says how sure it is
when the scenario has ranges; in the sidebar, an option panel's switch and menu not cut
short. Screenshots go to artifacts/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from calculator import load_scenario
from calculator import sharelink as sl
from calculator.model.decision import decide, uncertain
from tests.conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "artifacts"
WIDTHS = (1280, 1440, 1920)
RAW_FLOAT = re.compile(r"\d\.\d{5,}|\d[eE][+-]\d|\b\d{7,}\.\d")

# Every text of the open chart and of the key-number cards, with its box.
BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const chart = document.querySelector('[data-testid=stVegaLiteChart] svg');
  const texts = chart ? [...chart.querySelectorAll('g.role-mark text, g.role-legend-label text')]
      .filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
      .map(t => ({t: t.textContent, ...box(t)})) : [];
  const cards = [...document.querySelectorAll('[data-testid=stMetric] *')]
      .filter(e => e.innerText && e.innerText.trim() && e.clientWidth > 0)
      .map(e => ({t: e.innerText, sw: e.scrollWidth, cw: e.clientWidth}));
  const row = [...document.querySelectorAll('.st-key-numbers [data-testid=stMetric]')]
      .map(m => ({h: m.getBoundingClientRect().height,
                  value: m.querySelector('[data-testid=stMetricValue]')
                          .getBoundingClientRect().top}));
  return {chart: chart ? box(chart) : null, texts, cards, row};
}"""


def overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def check_page(page, tab: str) -> None:
    got = page.evaluate(BOXES)
    cut = [c["t"] for c in got["cards"] if c["sw"] > c["cw"] + 1]
    assert not cut, f"key numbers cut off: {cut}"
    # the key numbers' cards are as tall as each other and their values on one line, also
    # when a label wraps (at 1280 px "Saving by building" takes two lines)
    row = got["row"]
    assert len(row) >= 2, row
    assert max(c["h"] for c in row) - min(c["h"] for c in row) <= 1, f"card heights {row}"
    assert max(c["value"] for c in row) - min(c["value"] for c in row) <= 1, \
        f"values not on one line {row}"
    texts, frame = got["texts"], got["chart"]
    assert frame is not None, f"{tab}: no chart drawn"
    for t in texts:   # inside the chart (2 px of rounding allowed)
        assert t["x"] >= frame["x"] - 2 and t["x"] + t["w"] <= frame["x"] + frame["w"] + 2, \
            f"{tab}: {t['t']!r} runs off the chart"
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["t"] != b["t"]:      # a halo and its text are the same label drawn twice
                assert overlap(a, b) <= 4, f"{tab}: {a['t']!r} overlaps {b['t']!r}"


def open_page(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for()
    page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for()
    settle(page)
    return context, page


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
    page.wait_for_timeout(400)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_answer_reads_cleanly_at_every_width(server, browser, path, width):
    s = load_scenario(path)
    d = decide(s)
    context, page = open_page(browser, f"{server}?{sl.PARAM}={sl.encode(s)}", width)
    try:
        head = page.get_by_test_id("stMain").locator("h3").first.inner_text()
        assert head == d.texts.headline
        if uncertain(s):
            assert "% of draws" in head or "none of the draws" in head
        else:
            assert "assumes every input exactly" in page.get_by_test_id("stMain").inner_text()
        first = page.get_by_role("tab", selected=True).inner_text()
        check_page(page, first)
        text = page.get_by_test_id("stMain").inner_text()
        assert not RAW_FLOAT.search(text), RAW_FLOAT.search(text).group(0)
        assert "NaN" not in text and "Traceback" not in text
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"layout-{path.stem}-{width}.png"))
        # the decisive charts, one by one: the cumulative one (the widest legend) at every
        # width, the risk view at the usual width
        for tab in ("Cumulative", "Risk & timing") if width == 1440 else ("Cumulative",):
            page.get_by_role("tab", name=tab).click()
            page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for()
            settle(page)
            check_page(page, tab)
            more = page.get_by_test_id("stMain").inner_text()
            assert not RAW_FLOAT.search(more), (tab, RAW_FLOAT.search(more).group(0))
    finally:
        context.close()


# Every text in the first open option panel of the sidebar that its box cuts short (an
# ellipsis), but for the chips of a multiselect, which Streamlit shortens on purpose.
CUT_IN_PANEL = """() => {
  const panel = [...document.querySelectorAll('[data-testid=stSidebar] details[open]')]
      .find(d => d.querySelector('[data-testid=stPopover]'));
  if (!panel) return null;
  return [...panel.querySelectorAll('*')]
      .filter(e => e.innerText && e.innerText.trim() && e.clientWidth > 0
                   && !e.closest('[data-testid=stMultiSelect]')
                   && e.scrollWidth > e.clientWidth + 1)
      .map(e => e.innerText.trim());
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_an_option_panels_switch_and_menu_are_not_cut_short(server, browser, width):
    context, page = open_page(browser, server, width)
    try:
        side = page.get_by_test_id("stSidebar")
        side.locator("summary", has_text="LLM").first.click()
        side.get_by_test_id("stPopover").first.wait_for()
        settle(page)
        cut = page.evaluate(CUT_IN_PANEL)
        assert cut == [], f"cut short at {width} px: {cut}"
        assert side.get_by_text("Include this option", exact=True).first.is_visible()
    finally:
        context.close()
