"""The decision tools in the exports: the memo's and the deck's sections hold the tools' own
numbers (formatted as :mod:`calculator.model.decide_rows` formats them), the decision-map
CSV holds :func:`decision_map`'s cells, a comparison reaches the memo, and each tool runs
once per export on the Decision's own draws and seed."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from calculator import export
from calculator.export import images
from calculator.export import tools as export_tools
from calculator.export.memo import md_text
from calculator.model import (
    compare,
    decision_map,
    input_value,
    load_scenario,
    loads_scenario,
    map_caption,
    measure_next,
    money,
    threshold_rows,
    thresholds,
    value_of_information,
)
from calculator.model import decision_of as decide
from tests.worked import flat_labelled

TODAY = dt.date(2026, 11, 28)
SUPPORT = ROOT / "scenarios" / "support-ticket-routing.yaml"

FLAT = flat_labelled()          # tests/worked.py: api 3,000 a month, model 1,730
# the input price 2.00 -> 0.50: (500 + 1,000) / 10^6 = 0.0015 a call = 1,500 a month, under
# model's 1,730: the API is cheapest now (12 · 1,500 = 18,000 against 20,760)
CHEAPER = FLAT.replace("input_tokens: 2.00", "input_tokens: 0.50")


@pytest.fixture(scope="module")
def support():
    d = decide(load_scenario(SUPPORT), today=TODAY)
    return d, export.artefacts(d, None, None, stem="s")


@pytest.fixture(scope="module")
def flat():
    d = decide(loads_scenario(CHEAPER), today=TODAY)
    return d, export.artefacts(d, ["csv", "memo", "pptx"], None, stem="f",
                               compare_with=loads_scenario(FLAT))


def section(md: str, title: str) -> str:
    """One ``## title`` section of a Markdown memo (up to the next ``## ``)."""
    start = md.index(f"## {md_text(title)}\n")
    end = md.find("\n## ", start + 3)
    return md[start:end if end > 0 else None]


def row(cells: list[str]) -> str:
    return "| " + " | ".join(md_text(c) for c in cells) + " |"


# -- the memo ---------------------------------------------------------------------------

def test_memo_says_what_would_have_to_be_true_with_the_models_thresholds(support):
    d, made = support
    s = d.scenario
    th = thresholds(s)
    md = made["-memo.md"].decode("utf-8")
    part = section(md, "What would have to be true")
    flips = [r for r in th["thresholds"] if r["flips_at"] is not None]
    first = flips[0]
    # the first row's "flips at": the model's value, to 3 significant digits in its unit
    cells = threshold_rows(s, th)
    assert cells[0]["Flips at"] == input_value(s, first["field"], first["flips_at"])
    assert row(list(cells[0].values())) in part
    for r in flips[:3]:                              # the three nearest flips in words
        assert f"- {md_text(r['text'])}" in part
    table = [line for line in part.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + min(12, len(flips))    # header and up to 12 rows, nearest first
    assert table[1:] == [row(list(c.values())) for c in cells]
    html = made["-memo.html"].decode("utf-8")
    assert "<h2>What would have to be true</h2>" in html and first["text"] in html


def test_memo_says_what_to_measure_next_with_the_models_values(support):
    d, made = support
    s = d.scenario
    voi = value_of_information(s, d.odds.draws, d.odds.seed)
    part = section(made["-memo.md"].decode("utf-8"), "What to measure next")
    worth = [r for r in voi["inputs"] if r["value"] > 0]
    assert worth                                     # a build that may fail is worth knowing
    for r in worth:                                  # each value, as money() writes it
        label = r["label"][0].upper() + r["label"][1:]
        assert row([label, money(r["value"], s.currency)]) in part
    assert md_text(voi["text"]) in part
    top = worth[0]
    assert md_text(f"knowing that is worth about {money(top['value'], s.currency)}") in part \
        or md_text(f"knowing it is worth about {money(top['value'], s.currency)}") in part
    assert md_text(f"{voi['draws']:,} simulated draws") in part     # how sure


def test_memo_shows_where_building_wins_as_a_figure(support):
    d, made = support
    md = made["-memo.md"].decode("utf-8")
    part = section(md, "Where building wins")
    assert "](s-decision-map.png)" in part
    assert md_text(map_caption(decision_map(d.scenario))) in part
    html = made["-memo.html"].decode("utf-8")
    start = html.index("<h2>Where building wins</h2>")
    assert html.index("<svg", start) < html.index("<h2>", start + 5)   # inline, in its section


def test_no_ranges_no_measure_section_and_no_raw_keys_or_floats(flat):
    d, made = flat
    md = made["-memo.md"].decode("utf-8")
    assert "## What to measure next" not in md       # nothing is uncertain
    tools = md[md.index("## What would have to be true"):md.index("## Assumptions")]
    assert "Our model" in tools and "Hosted API" in tools
    words = tools.replace("Our model", "").replace("Hosted API", "")
    for key in ("api", "model"):                      # labels, never the keys
        assert not re.search(rf"\b{key}\b", words), key
    # no raw float (more than 3 significant digits after the point), NaN or None
    assert not re.search(r"\d\.0*[1-9]\d{3,}|\de[+-]\d|\bnan\b|\bNone\b", tools)


def test_a_comparison_reaches_the_memo_with_labels(flat):
    d, made = flat
    md = made["-memo.md"].decode("utf-8")
    part = section(md, "Compared with Flat")
    # hand-computed above: model 20,760 before ("$20.8k"), the API 18,000 now ("$18k")
    sentence = ("The answer changed: Our model was cheapest ($20.8k over 12 months), now "
                "Hosted API is ($18k over 12 months).")
    assert compare(loads_scenario(FLAT), d.scenario)["text"] == sentence
    assert f"**{md_text(sentence)}**" in part
    assert row(["Hosted API input price per 1M tokens", "$2", "$0.50"]) in part
    # the API: 36,000 -> 18,000, a change of -18,000
    assert row(["Hosted API", "$36k", "$18k", "-$18k"]) in part
    assert "Compared with Flat" in made["-memo.html"].decode("utf-8")


# -- the deck ---------------------------------------------------------------------------

def _slide(prs, title: str):
    return next(s for s in prs.slides if s.shapes.title.text_frame.text == title)


def _table(slide) -> list[list[str]]:
    (shape,) = [sh for sh in slide.shapes if sh.has_table]
    return [[c.text for c in r.cells] for r in shape.table.rows]


def test_deck_has_the_tools_slides_after_the_risks_with_the_models_rows(support):
    d, made = support
    s = d.scenario
    prs = Presentation(io.BytesIO(made[".pptx"]))
    titles = [sl.shapes.title.text_frame.text for sl in prs.slides]
    at = titles.index("What could make it wrong")
    assert titles[at + 1:at + 5] == ["What would have to be true", "Where building wins",
                                     "What to measure next", "Assumptions"]
    th = thresholds(s)
    cells = threshold_rows(s, th)
    table = _table(_slide(prs, "What would have to be true"))
    assert table[0] == list(cells[0])                 # the header
    assert 5 <= len(table) - 1 <= 12                  # as many rows as fit, nearest first
    assert table[1:] == [list(c.values()) for c in cells[:len(table) - 1]]
    voi = value_of_information(s, d.odds.draws, d.odds.seed)
    measure = _table(_slide(prs, "What to measure next"))
    assert measure[1:] == [[r["label"][0].upper() + r["label"][1:], money(r["value"], s.currency)]
                           for r in voi["inputs"] if r["value"] > 0]
    text = "\n".join(sh.text_frame.text for sh in _slide(prs, "What to measure next").shapes
                     if sh.has_text_frame)
    assert measure_next(s, voi) in text


def test_deck_map_slide_is_the_exported_map_picture(support):
    _, made = support
    prs = Presentation(io.BytesIO(made[".pptx"]))
    slide = _slide(prs, "Where building wins")
    (pic,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pic.image.blob == made["-decision-map.png"]
    assert images.png_size(made["-decision-map.png"]) == (1920, 1080)
    assert pic.width * 9 == pytest.approx(pic.height * 16, rel=1e-3)


# -- the decision-map CSV ---------------------------------------------------------------

def test_decision_map_csv_cells_are_the_maps(support):
    d, made = support
    dm = decision_map(d.scenario)
    back = pd.read_csv(io.BytesIO(made["-decision-map.csv"]), encoding="utf-8-sig")
    assert len(back) == len(dm.frame) == 50 * 50
    assert back["x"].tolist() == dm.frame["x"].tolist()       # full floats, x fastest
    assert back["y"].tolist() == dm.frame["y"].tolist()
    assert back["cheapest"].tolist() == dm.frame["cheapest"].tolist()
    assert back["cheapest_label"].tolist() == [d.label(n) for n in dm.frame["cheapest"]]
    assert set(back["x_field"]) == {dm.x_field} and set(back["y_field"]) == {dm.y_field}
    for name in dm.names:                                     # discounted: present value
        assert np.array_equal(back[f"{name} present_value"], dm.frame[f"total_{name}"])


def test_decision_map_csv_of_the_hand_case(flat):
    d, made = flat
    back = pd.read_csv(io.BytesIO(made["-decision-map.csv"]), encoding="utf-8-sig")
    # a cell is the model's where 12 · x · (1000 · y + 1000) / 10^6 > 20,760, that is
    # x · (y + 1) > 1,730,000 (the price y per 1M input tokens, the calls x a month)
    expect = np.where(back["x"] * (back["y"] + 1) > 1_730_000, "Our model", "Hosted API")
    assert (back["cheapest_label"] == expect).all()
    assert {"api total_cost", "model total_cost"} <= set(back.columns)   # no discounting


# -- once per export ----------------------------------------------------------------------

def test_each_tool_runs_once_per_export_on_the_decisions_draws(monkeypatch):
    calls: dict[str, list] = {"thresholds": [], "decision_map": [], "voi": []}
    real = (export_tools.thresholds, export_tools.decision_map,
            export_tools.value_of_information)
    monkeypatch.setattr(export_tools, "thresholds",
                        lambda s: calls["thresholds"].append(1) or real[0](s))
    monkeypatch.setattr(export_tools, "decision_map",
                        lambda s: calls["decision_map"].append(1) or real[1](s))
    monkeypatch.setattr(export_tools, "value_of_information",
                        lambda s, *a: calls["voi"].append(a) or real[2](s, *a))
    d = decide(load_scenario(SUPPORT), draws=4_000, seed=7, today=TODAY)
    made = export.artefacts(d, None)
    assert {"-decision-map.png", "-decision-map.csv", ".pptx", "-memo.md"} <= set(made)
    assert calls == {"thresholds": [1], "decision_map": [1], "voi": [(4_000, 7)]}


# -- the map's picture --------------------------------------------------------------------

@pytest.mark.parametrize("path", [SUPPORT, ROOT / "scenarios" / "support-ticket-hybrid.yaml"],
                         ids=lambda p: p.stem)
def test_the_maps_blocks_cover_every_cell_once_with_its_cheapest_option(path):
    from calculator.charts.decide import blocks_frame, cells_frame, decision_map_chart

    dm = decision_map(load_scenario(path), n=30)
    blocks = blocks_frame(dm)
    assert len(blocks) < len(cells_frame(dm)) / 4        # merged up the rows
    for x, y, cheapest in dm.frame[["x", "y", "cheapest"]].itertuples(index=False):
        inside = blocks[(blocks["x_lo"] <= x) & (x < blocks["x_hi"])
                        & (blocks["y_lo"] <= y) & (y < blocks["y_hi"])]
        assert inside["cheapest"].tolist() == [cheapest]
    spec = decision_map_chart(dm).to_dict()
    (shown,) = [v for v in spec["datasets"].values() if v and "x_lo" in v[0]]
    assert len(shown) == len(blocks)
    assert {r["label"] for r in shown} == {dm.labels[n] for n in set(dm.frame["cheapest"])}
