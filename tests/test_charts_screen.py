"""The plain report's charts: built from the Decision, one theme, colours fixed per kind,
the Decision's numbers in the data, labels that never collide, names as text."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import altair as alt
import numpy as np
import pytest

from calculator import charts, load_scenario, validate
from calculator.charts import screen, theme
from calculator.export import render
from calculator.model import calls
from calculator.model.decision import decide
from tests.conftest import ROOT, SCENARIOS
from tests.worked import scenario, worked

DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"
BUILDERS = [charts.saving_chart, charts.cumulative_chart, charts.breakdown_chart,
            charts.cost_per_1k_chart, charts.volume_chart]


def finite(spec: dict) -> bool:
    return all(not (isinstance(v, float) and not math.isfinite(v))
               for rows in spec.get("datasets", {}).values() for row in rows for v in row.values())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_builder_makes_a_titled_finite_chart_in_the_theme(path):
    charts.register_theme()
    d = decide(load_scenario(path))
    built = 0
    for build in BUILDERS:
        chart = build(d)
        if chart is None:           # the saving chart needs something to build and to buy
            assert not (d.build and d.buy)
            continue
        spec = chart.to_dict()
        assert spec["title"]["text"]
        assert spec["config"]["font"] == theme.FONT
        assert finite(spec), build.__name__
        built += 1
    assert built >= 4


def test_register_theme_is_idempotent_and_enabled():
    assert charts.register_theme() == charts.register_theme() == theme.THEME
    assert alt.theme.active == theme.THEME


def test_an_option_keeps_its_kinds_colour_in_every_scenario():
    # colours follow the kind, not the place in the file: in-house is the same green in
    # every shipped scenario, an LLM the same blue
    seen: dict[str, set[str]] = {}
    for path in SCENARIOS:
        d = decide(load_scenario(path))
        for name, color in zip(d.result.names, screen.colors_of(d), strict=True):
            kind = d.scenario.options[name].kind
            if list(d.scenario.options.values()).index(d.scenario.options[name]) == next(
                    i for i, o in enumerate(d.scenario.options.values()) if o.kind == kind):
                seen.setdefault(kind, set()).add(color)
    assert seen["in_house"] == {theme.KIND_COLORS["in_house"][0]}
    assert seen["genai_api"] == {theme.KIND_COLORS["genai_api"][0]}
    # switching one off repaints nothing
    data = worked()
    data["options"]["api"]["enabled"] = False
    data["options"]["model"].pop("interim")
    off = decide(validate(data))
    assert screen.colors_of(off) == [theme.KIND_COLORS["in_house"][0]]


def test_the_saving_chart_is_the_decisions_j_curve_with_its_band():
    import pandas as pd

    d = decide(load_scenario(DEFAULT))
    df = pd.DataFrame(screen.saving_columns(d))
    assert list(df["saving"]) == d.saving_curve
    # it crosses zero where the Decision says building pays off, and stays above
    m = d.payoff_month
    assert df["saving"].iloc[m - 2] <= 0 < df["saving"].iloc[m - 1]
    assert (df["saving"].iloc[m - 1:] > 0).all()
    # with ranges, the P10-P90 band of the Monte Carlo
    assert list(df["p10"]) == d.odds.band_p10 and list(df["p90"]) == d.odds.band_p90
    text = json.dumps(charts.saving_chart(d).to_dict())
    assert f"pays off: month {m}" in text and f"{d.label(d.build)} live" in text
    # the line is the likely values' and the band the draws': the subtitle says which is which
    assert "Line: likely values; grey band: P10 to P90 of the draws." in text


def test_the_cumulative_chart_fits_the_decision_pair_and_spreads_its_labels():
    d = decide(load_scenario(DEFAULT))
    spec = charts.cumulative_chart(d).to_dict()
    lines = spec["layer"][0]
    cum = d.result.cumulative()[0]
    pair = [d.result.names.index(n) for n in (d.build, d.buy)]
    top = max(cum[i].max() for i in pair) * 1.12
    assert lines["encoding"]["y"]["scale"]["domain"] == [0.0, pytest.approx(top)]
    # rules costs far more: it runs off the top, and the subtitle says so
    assert cum[d.result.names.index("rules")].max() > top
    assert any(f"Off the top of the chart: {d.label('rules')}" in t
               for t in spec["title"]["subtitle"])
    # end labels at least 20 px apart even where the app fits the chart into its height
    ends = next(rows for rows in spec["datasets"].values() if rows and "text" in rows[0])
    ys = sorted(r["y"] for r in ends)
    gap = top * screen.LABEL_GAP_PX / theme.PLOT_MIN - 1e-6
    assert all(b - a >= gap for a, b in zip(ys, ys[1:], strict=False))
    assert spec["height"] >= 420


def test_label_spreading_keeps_order_and_gap():
    out = theme.spread([5.0, 5.5, 6.0, 40.0], 3.0)
    assert out == sorted(out)
    assert all(b - a >= 3.0 - 1e-9 for a, b in zip(out, out[1:], strict=False))
    assert out[-1] == 40.0
    assert abs(np.mean(out[:3]) - 5.5) < 1e-9          # a cluster stays centred


def test_money_axis_only_puts_known_symbols_in_expressions():
    expr = theme.money_axis("EUR", "Cost").to_dict()["labelExpr"]
    assert "'€'" in expr
    axis = theme.money_axis("'); alert(1); ('", "Cost").to_dict()
    assert "alert" not in axis["labelExpr"] and "alert" in axis["title"]


def test_breakdown_components_add_up_to_the_total():
    d = decide(load_scenario(DEFAULT))
    df = screen.breakdown_frame(d.result)
    got = df.groupby("option")["cost"].sum()
    for i, name in enumerate(d.result.names):
        assert got[name] == pytest.approx(d.result.total[0, i].sum())


def _drawn(svg: str) -> tuple[list[str], list[str]]:
    root = ET.fromstring(svg)
    texts, strokes = [], []

    def walk(el, cls: str) -> None:
        cls = el.get("class") or cls
        if el.tag.endswith("}text") and el.text:
            texts.append(el.text)
        if el.tag.endswith("}path") and cls.startswith("mark-line role-mark") and el.get("d"):
            strokes.append(el.get("stroke"))
        for child in el:
            walk(child, cls)

    walk(root, "")
    return texts, strokes


@pytest.mark.parametrize("a, b", [("constructor", "__proto__"), ("toString", "hasOwnProperty")])
def test_options_named_like_prototype_members_are_drawn(a, b):
    # Vega looks names up in plain objects: ids are places, names reach people as labels
    s = scenario(horizon_months=48, options__api__label=a, options__model__label=b)
    d = decide(s)
    charts.register_theme()
    for build in (charts.cumulative_chart, charts.cost_per_1k_chart, charts.volume_chart):
        texts, strokes = _drawn(render.svg(build(d).to_dict()))
        assert len(strokes) == 2, build.__name__
        assert any(a in t for t in texts) and any(b in t for t in texts), build.__name__


def test_the_running_cost_chart_labels_only_the_break_evens_the_decision_is_about():
    # the hybrid file has five options and seven run-rate break-evens: labelling them all
    # printed labels over each other and over the dots
    from calculator.charts import traffic

    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml"))
    _, even = traffic.volume_frame(d)
    assert len(even) > traffic.LABELLED
    shown = traffic.labelled(d, even)
    assert len(shown) == traffic.LABELLED
    pair = {d.build, d.buy}
    # the decision pair's own break-even comes first when it has one; every label shown
    # involves one of the pair
    if any({a, b} == pair for a, b in zip(even["a"], even["b"], strict=True)):
        assert {shown["a"][0], shown["b"][0]} == pair
    assert all({a, b} & pair for a, b in zip(shown["a"], shown["b"], strict=True))
    spec = traffic.volume_chart(d).to_dict(validate=False)
    texts = [v for ds in spec["datasets"].values() for v in ds
             if isinstance(v, dict) and " at " in str(v.get("label", ""))
             and "=" in str(v.get("label", "")) and "align" in v]
    assert texts == []                  # no long "A = B at 47k a month" beside a dot
    short = {v["label"] for ds in spec["datasets"].values() for v in ds
             if isinstance(v, dict) and "align" in v}
    assert short == {f"{calls(float(v))} a month" for v in shown["calls_per_month"]}
    # fewer labels than dots: the subtitle says which are labelled
    assert "labelled" in json.dumps(spec["title"])


def test_few_break_evens_are_all_labelled():
    from calculator.charts import traffic

    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml"))
    _, even = traffic.volume_frame(d)
    few = even.iloc[:traffic.LABELLED]
    assert traffic.labelled(d, few) is few
    spec = traffic.volume_chart(d).to_dict(validate=False)
    assert "Dots: where one becomes cheaper to run than another" in json.dumps(spec["title"])
