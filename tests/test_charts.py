"""Chart builders: one theme, stable colours, the engine's numbers in the data, text as text."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
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
    spec = charts.cumulative_chart(r).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert spec["params"][0]["value"] == ["llm", "in_house"]     # ids 0 and 1 stand for these
    assert scale["domain"] == [0, 1]
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


# -- names that are members of a JavaScript object's prototype ------------------------------

def _prototype_named(a: str, b: str):
    """The worked example with ranges (so every risk chart is drawn, the tornado with an
    option's own input) and its options renamed a and b. Renamed after validation, so
    free text that option keys cannot hold ("toString") is tried too."""
    from worked import scenario

    s = scenario(horizon_months=36, traffic__growth="compound",
                 traffic__growth_rate_monthly={"low": 0.0, "likely": 0.01, "high": 0.03},
                 options__api__price_per_million_input_tokens={"low": 1.0, "likely": 2.0,
                                                               "high": 3.0})
    model = s.options["model"].model_copy(update={"interim": a})
    return evaluate(s.model_copy(update={"options": {a: s.options["api"], b: model}}))


def _drawn(svg: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(class of the group, text) of every text drawn, and the stroke of every line."""
    root = ET.fromstring(svg)
    texts, strokes = [], []

    def walk(el, cls: str) -> None:
        cls = el.get("class") or cls
        if el.tag.endswith("}text") and el.text:
            texts.append((cls, el.text))
        if el.tag.endswith("}path") and cls.startswith("mark-line role-mark") and el.get("d"):
            strokes.append(el.get("stroke"))
        for child in el:
            walk(child, cls)

    walk(root, "")
    return texts, strokes


@pytest.mark.parametrize("a, b", [("constructor", "__proto__"), ("toString", "hasOwnProperty")])
def test_every_chart_draws_options_named_like_prototype_members(a, b):
    from calculator.export import images

    r = _prototype_named(a, b)
    colors = charts.option_colors([a, b])
    built = images.all_charts(r)
    assert list(built) == ["cumulative", "breakdown", "cost-per-1k", "volume", "risk-spread",
                           "risk-chance-cheaper", "risk-tornado", f"timing-{b}"]
    for name, chart in built.items():
        texts, strokes = _drawn(images.chart_svg(chart, r).decode("utf-8"))
        legend = [t for cls, t in texts if "role-legend-label" in cls]
        if name in ("cumulative", "cost-per-1k", "volume", "risk-spread"):
            # one line per option, in its colour; the legend names both, in file order
            assert sorted(strokes) == sorted([colors[a], colors[b]]), name
            assert legend == [a, b], name
        elif name == "risk-chance-cheaper":
            assert sorted(strokes) == sorted([colors[a], colors[b]]), name
            assert sorted(legend) == sorted([a, b]), name
        elif name == "breakdown":
            # one panel per option, headed by its name
            assert [t for cls, t in texts if t in (a, b)] == [a, b]
        elif name == "risk-tornado":
            labels = [t for cls, t in texts if "role-axis-label" in cls and ":" in t]
            assert f"{a}: price per million input tokens (1 to 3)" in labels, labels
        else:
            assert strokes == [colors[b]]                    # the sweep of b's start month
            assert f"When to start building {b}" in [t for _, t in texts]


def test_charts_group_by_safe_ids_and_keep_the_names_for_people():
    r = _prototype_named("constructor", "__proto__")
    spec = charts.cumulative_chart(r).to_dict()
    color = spec["layer"][0]["encoding"]["color"]
    assert color["field"] == "series" and color["scale"]["domain"] == [0, 1]
    assert spec["params"] == [{"name": "option_names", "value": ["constructor", "__proto__"]}]
    # no name is ever written into an expression (where Vega would look it up)
    assert "constructor" not in json.dumps(color)
    frame = charts.cumulative_frame(r)
    assert set(zip(frame["series"], frame["option"], strict=True)) == {
        (0, "constructor"), (1, "__proto__")}
