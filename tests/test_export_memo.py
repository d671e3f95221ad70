"""The decision memo (calculator.export.memo, through export.memo_markdown and memo_html):
it says what the Decision says, links or holds its charts, lists the assumptions with their
sources, and shows hostile text as text in Markdown and HTML alike."""

from __future__ import annotations

import re

import pytest
from conftest import HOSTILE_YAML, ROOT, TODAY, notes_of

from calculator import export
from calculator.export.memo import md_text
from calculator.model import crossovers, load_scenario
from calculator.model.decision import decide
from calculator.model.wording import share_of_draws


@pytest.fixture(scope="module")
def hostile_memo(hostile36):
    notes = notes_of(HOSTILE_YAML)
    return export.memo_markdown(hostile36, notes), export.memo_html(hostile36, notes)


def test_memo_names_the_engines_crossover_and_says_what_to_do(hostile36, hostile_memo):
    md, html = hostile_memo
    (c,) = crossovers(hostile36.result)
    assert (c.month, round(c.fractional_month, 2)) == (35, 34.28)
    assert f"in month {c.month}: the cumulative total lines cross at month 34.3" in md
    assert f"in month {c.month}: the cumulative total lines cross at month 34.3" in html
    for heading in ("## Recommendation", "## When to revisit", "## Key figures",
                    "## Charts", "## Assumptions", "## Risks"):
        assert heading in md
    assert "**Build -model; keep api serving until it goes live in month 3." in md
    assert "saving $2.18k (total) over 36 months" in md
    assert "By 2027-05-01, when the prices (checked 2026-11-01) are six months old." in md


def test_memo_says_exactly_what_the_decision_says(moderation):
    d, notes = moderation
    md = export.memo_markdown(d, notes)
    t = d.texts
    for line in (t.action, t.headline, t.sure, *t.details, *t.figures, *t.revisit, *t.risks):
        assert md_text(line) in md
    for n in t.numbers:
        assert md_text(f"{n.label}: {n.value}. {n.help}") in md


def test_memo_lists_assumptions_with_their_sources(moderation):
    d, notes = moderation
    md = export.memo_markdown(d, notes)
    assert "| In-house image classifier | Node price per hour | $0.526 | g4dn.xlarge (T4) on-demand " in md
    assert "vantage.sh data 2026-01-21" in md
    (c,) = crossovers(d.result)
    assert (f"In-house image classifier becomes cheaper than Cloud Vision labels + lookup table "
            f"in month {c.month} ") in md
    assert "The payoff is late" in md                 # month 38 of 48


def test_markdown_memo_links_the_exported_images(worked36):
    md = export.memo_markdown(worked36, None, "worked")
    assert export.memo_charts(worked36) == ["saving", "cumulative", "breakdown", "decision-map"]
    for name in export.memo_charts(worked36):
        assert f"](worked-{name}.png)" in md
    assert "](worked-" in export.memo_markdown(worked36, None, "worked", "svg")
    assert "![" not in export.memo_markdown(worked36, None, "worked", None)


def test_html_memo_holds_its_charts_as_inline_svg(worked36, hostile_memo):
    html = export.memo_html(worked36)
    assert html.count("<svg") == len(export.memo_charts(worked36)) == 4
    assert html.count("<figure>") == html.count("<svg")
    _, hostile_html = hostile_memo
    assert hostile_html.count("<svg") == 4
    assert "onerror=alert(1)" in hostile_html        # shown as text ...
    assert not re.search(r"<[^>]*\son\w+=", hostile_html)   # ... never an attribute
    for bad in ("<script", "<img", "<a ", "<foreignObject", "<image", "href=", "<style "):
        assert bad not in hostile_html, bad
    assert "default-src 'none'; style-src 'unsafe-inline'" in hostile_html


def test_hostile_name_is_inert_in_memo_markdown_and_html(hostile_memo):
    md, html = hostile_memo
    assert not re.search(r"(?<!\\)[<>]", md)           # every angle bracket escaped
    assert "\\<img src=x onerror=alert(1)\\>" in md
    assert "http\\://x" in md                          # no GitHub auto-link
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<a " not in html
    assert "default-src 'none'" in html


def test_memo_markdown_renders_without_html_or_links(hostile_memo):
    markdown_it = pytest.importorskip("markdown_it")
    md, _ = hostile_memo
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<a " not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    # the only images are the chart files, named by a slug
    for src in re.findall(r'<img src="([^"]*)"', rendered):
        assert re.fullmatch(r"[a-z0-9-]+-[a-z0-9_-]+\.png", src), src
    assert rendered.count("<table>") == 3          # totals, thresholds, assumptions


def test_memo_risks_come_from_the_decisions_monte_carlo_when_ranges_are_present():
    s = load_scenario(ROOT / "scenarios" / "search-query-intent.yaml")
    d = decide(s, today=TODAY)
    md = export.memo_markdown(d, None)
    assert d.odds is not None and d.odds.p_build_cheaper is not None
    # chance below half: the recommendation is hedged (no separate caution, the headline and
    # the action say it)
    assert d.texts.verdict == f"Do not build {d.label('in_house')} yet"
    assert f"## Recommendation: {md_text(d.texts.verdict)}" in md and d.texts.caution is None
    assert md_text(d.texts.action) in md and "in most draws it does not" in d.texts.action
    assert share_of_draws(d.odds.p_build_cheaper) in md
    assert f"{md_text(d.label('in_house'))} reaches production with a 54 % chance" in md


@pytest.mark.parametrize("text, shown", [
    ("see https://example.com", "see https\\://example.com"),
    ("mail me@example.com", "mail me\\@example.com"),
    ("www.example.com", "www\\.example.com"),
    ("a | b", "a \\| b"),
    ("line\rbreak", "line break"),
])
def test_md_text_keeps_links_addresses_and_table_breaks_inert(text, shown):
    assert md_text(text) == shown
