"""The deck (calculator.export.deck): the Decision's slides with its own sentences and the
hand-computed numbers, slide text in reading order, hostile text as plain text, pictures
on request. Its charts are in test_export_native.py, templates in test_export_template.py."""

from __future__ import annotations

import io

import pytest
from conftest import HOSTILE, ROOT, TODAY, slide_titled
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from calculator import export
from calculator.model import load_scenario
from calculator.model.decision import decide


def _all_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def test_deck_says_what_the_decision_says_with_the_hand_computed_numbers(hostile_deck, hostile36):
    deck = hostile_deck
    slides = list(deck.slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[:6] == [
        HOSTILE, "Recommendation: Build -model", "What building saves against api",
        "Cumulative total cost", "Monthly cost by component", "The figures behind it"]
    assert titles[6:9] == ["Totals over 36 months", "When to revisit",
                           "What could make it wrong"]
    # the decision tools (no ranges: nothing to measure), then the assumptions
    assert titles[9:12] == ["What would have to be true", "Where building wins", "Assumptions"]
    key = _all_text(slides[1])
    t = hostile36.texts
    for text in (t.action, t.headline, t.sure, *(n.value for n in t.numbers)):
        assert text in key
    assert "Month 35" in key                       # pays off, hand-computed in conftest
    assert "$2.18k" in key                         # 108,000 - 105,820
    assert "Month 3" in key                        # -model goes live in month 3
    totals_text = _all_text(slides[6])
    assert "$108k" in totals_text and "$106k" in totals_text
    assert "-model becomes cheaper than api in month 35" in _all_text(slides[3])
    table = "\n".join(_all_text(s) for s in slides[9:])       # the assumptions' pages
    assert "1M calls a month" in table
    assert "$20,000" in table and "loaded monthly cost, made up for the spec" in table
    assert deck.slide_width * 9 == deck.slide_height * 16
    # PowerPoint charts by default; the one picture is the decision map (no such chart there)
    assert [s.shapes.title.text_frame.text for s in slides for sh in s.shapes
            if sh.shape_type == MSO_SHAPE_TYPE.PICTURE] == ["Where building wins"]
    assert sum(1 for s in slides for sh in s.shapes if sh.has_chart) >= 4


def test_hostile_name_is_plain_text_in_the_deck(hostile_deck):
    for slide in hostile_deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for para in frame.paragraphs:
                    for run in para.runs:
                        assert run.hyperlink.address is None
        xml = slide.part.blob.decode("utf-8")
        assert "<img" not in xml and "hlinkClick" not in xml
    assert hostile_deck.core_properties.title == HOSTILE


def test_slide_text_comes_in_reading_order(support_deck, support):
    d, _ = support
    t = d.texts
    for slide in support_deck.slides:
        first = next(iter(slide.shapes))
        assert first.is_placeholder and first == slide.shapes.title, first.name
    rec = slide_titled(support_deck, f"Recommendation: {t.verdict}")
    text = "\n".join(sh.text_frame.text for sh in rec.shapes if sh.has_text_frame)
    at = 0
    for x in [t.verdict, t.action, t.headline, t.sure, *(n.value for n in t.numbers)]:
        at = text.index(x, at) + len(x)            # each after the one before
    assert text.endswith(export.images.footnote(d.scenario))      # the footer comes last


def test_the_totals_say_they_are_the_likely_values_when_there_are_ranges(support, worked36,
                                                                          support_deck):
    # the routing scenario has ranges: its totals are the likely values' (their spread is the
    # risk view's); the worked example has none, and its title says nothing more
    d, _ = support
    assert d.texts.totals_title == "Totals over 36 months on likely values"
    assert worked36.texts.totals_title == "Totals over 36 months"
    assert slide_titled(support_deck, "Totals over 36 months on likely values") is not None
    assert "\nTotals over 36 months on likely values.\n" in export.memo_markdown(d, None)
    assert "\nTotals over 36 months.\n" in export.memo_markdown(worked36, None)


def test_pictures_instead_of_charts_on_request(support):
    d, rep = support
    prs = Presentation(io.BytesIO(export.pptx_bytes(d, None, rep, pictures=True)))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    # the six charts and the decision map (always a picture)
    assert len(pictures) == 7 and not [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    for p in pictures:
        assert p.width * 9 == pytest.approx(p.height * 16, rel=1e-3)


def test_the_totals_slide_rows_are_the_decisions_totals_in_people_s_money(worked36):
    headers, rows = export.deck.totals_rows(worked36)
    assert headers == ["Option", "Kind", "Live from month", "Money cost", "Error cost",
                       "Total cost", "Per 1,000 calls"]          # no discounting, no value
    # api: 36 x 3,000 = 108,000, 3 a 1,000 calls; model: 47,000 + 34 x 1,730 = 105,820,
    # 105,820 / 36,000 thousand calls = 2.94 a 1,000 calls; no cost of errors in this one
    assert rows == [["api", "GenAI API", "1", "$108k", "$0", "$108k", "$3"],
                    ["model", "in-house model", "3", "$106k", "$0", "$106k", "$2.94"]]


def test_the_figures_slides_hold_the_decision_pair_and_point_to_the_memo():
    # five options: ten pairs, three figures each in the memo; a slide keeps the pair's
    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml"), today=TODAY)
    t = d.texts
    prs = Presentation(io.BytesIO(export.pptx_bytes(d)))
    shown = [p.text for s in prs.slides if s.shapes.title.text_frame.text.startswith(
        "The figures behind it") for sh in s.shapes if sh.has_text_frame and sh != s.shapes.title
        for p in sh.text_frame.paragraphs if p.text]
    build, buy = d.label(d.build), d.label(d.buy)
    assert t.key_figures and all(build in x or "Expected total" in x for x in t.key_figures)
    assert all(x in shown for x in t.key_figures)
    others = [x for x in t.figures if x not in t.key_figures]
    assert others and not any(x in shown for x in others)
    assert f"{len(others)} more figures for the other pairs of options: in the decision memo." \
        in shown
    assert buy in t.key_figures[0]
