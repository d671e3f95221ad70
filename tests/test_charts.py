"""Chart builders: one theme, stable colours, the engine's numbers in the data, text as text."""

from __future__ import annotations

import json
import math
from pathlib import Path

import altair as alt
import pytest

from calculator import charts, evaluate, load_scenario, validate
from calculator.model.analysis import break_even, crossovers
from calculator.ui import state as S

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"
BUILDERS = [charts.cumulative_chart, charts.breakdown_chart, charts.cost_per_1k_chart,
            charts.volume_chart]


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_builder_makes_a_titled_finite_chart(path):
    charts.register_theme()
    r = evaluate(load_scenario(path))
    for build in BUILDERS:
        spec = build(r, title="My title").to_dict()
        assert spec["title"]["text"] == "My title"
        assert spec["config"]["font"] == charts.FONT           # the shared theme applied
        for rows in spec["datasets"].values():
            for row in rows:
                for v in row.values():
                    assert not (isinstance(v, float) and not math.isfinite(v)), build
    table = charts.totals_frame(r)
    assert list(table["option"]) == r.names
    assert table.drop(columns=["option", "kind"]).map(math.isfinite).all().all()


def test_register_theme_is_idempotent_and_enabled():
    assert charts.register_theme() == charts.register_theme() == charts.THEME
    assert alt.theme.active == charts.THEME
    assert charts.OKABE_ITO[0] in json.dumps(alt.theme.get()())


def test_colours_follow_the_file_not_what_is_switched_on():
    s = load_scenario(DEFAULT)
    full = charts.option_colors(list(s.options))
    state: dict = {}
    S.load(state, s)
    state["options.rules.enabled"] = False
    r = evaluate(validate(S.collect(state)))
    scale = charts.cumulative_chart(r).to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["llm", "in_house"]
    assert scale["range"] == [full["llm"], full["in_house"]]   # llm keeps its colour


def test_crossovers_and_break_evens_are_the_engines():
    s = load_scenario(DEFAULT)
    r = evaluate(s)
    cross = charts.crossover_frame(r)
    assert [(a, b, m) for a, b, m in zip(cross["cheaper"], cross["than"], cross["month"],
                                         strict=True)] == \
        [(c.cheaper, c.than, c.month) for c in crossovers(r)]
    _, even = charts.volume_frame(r)
    for a, b, v in zip(even["a"], even["b"], even["calls_per_month"], strict=True):
        assert v == pytest.approx(float(break_even(s, a, b)[0]))


def test_money_axis_only_puts_known_symbols_in_expressions():
    evil = "x'+alert(1)+'"
    axis = charts._money_axis(evil[:12], "Cost").to_dict()
    assert "alert" not in axis["labelExpr"]
    assert evil[:12] in axis["title"]                      # text, drawn as text
    assert "'€'" in charts._money_axis("EUR", "Cost").to_dict()["labelExpr"]


def test_breakdown_components_add_up_to_the_total():
    r = evaluate(load_scenario(DEFAULT))
    df = charts.breakdown_frame(r)
    got = df.groupby("option")["cost"].sum()
    for i, name in enumerate(r.names):
        assert got[name] == pytest.approx(r.total[0, i].sum())
