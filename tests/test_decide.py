"""The decision tools: thresholds, decision map, value of information, compare.

Hand-computed cases show their arithmetic; properties run on every shipped scenario.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS
from test_loader import BASE

from calculator.bench import scenario as bench_scenario
from calculator.charts.decide import cells_frame, decision_map_chart, tick_values
from calculator.model import (
    Params,
    ScenarioError,
    comparable,
    evaluate,
    load_scenario,
    loads_scenario,
    to_data,
    validate,
)
from calculator.model.decide import (
    candidate_fields,
    compare,
    decision_map,
    default_axes,
    evpi,
    evppi,
    thresholds,
    value_of_information,
)
from tests.worked import FLAT  # api 3,000 a month, model 1,730 (arithmetic there)


def _by_field(out: dict) -> dict[str, dict]:
    return {r["field"]: r for r in out["thresholds"]}


# -- what would have to be true -------------------------------------------------------------

def test_thresholds_hand_case_found_to_a_tenth_of_a_percent():
    out = thresholds(loads_scenario(FLAT))
    assert out["cheapest"] == "model"
    rows = _by_field(out)
    # traffic: V · 0.003 = 1,730  ->  V = 576,666.67 calls a month (falls 42.3 %)
    t = rows["traffic.calls_per_month"]
    assert t["value"] == 1_000_000 and t["cheapest_after"] == "api"
    assert abs(t["flips_at"] / 576_666.6667 - 1) < 1e-3
    assert out["thresholds"][0]["field"] == "traffic.calls_per_month"   # nearest in ratio
    # team rate: 730 + 0.05 · r = 3,000  ->  r = 45,400
    assert rows["team.ml_engineer"]["flips_at"] == pytest.approx(45_400, rel=1e-3)
    # node price: 730 · x + 1,000 = 3,000  ->  x = 2.7397
    assert rows["options.model.node_cost_per_hour"]["flips_at"] == pytest.approx(2000 / 730,
                                                                               rel=1e-3)
    # input price: (1000 · p + 100 · 10) / 10^6 · 10^6 = 1,730  ->  p = 0.73
    assert rows["options.api.price_per_million_input_tokens"]["flips_at"] == pytest.approx(
        0.73, rel=1e-3)
    # a monthly cost that is 0 today: 1,730 + x = 3,000  ->  x = 1,270 (searched upwards)
    assert rows["options.model.monthly_cost"]["flips_at"] == pytest.approx(1_270, rel=1e-3)
    # whole numbers flip at whole numbers: 2 nodes cost 2,460 < 3,000, 3 nodes 3,190 > 3,000
    assert rows["options.model.min_nodes"]["flips_at"] == 3
    assert isinstance(rows["options.model.min_nodes"]["flips_at"], int)
    # the output price cannot do it: 2,000 + 100 · p > 1,730 for every p >= 0
    assert rows["options.api.price_per_million_output_tokens"]["flips_at"] is None
    assert "No value of" in rows["options.api.price_per_million_output_tokens"]["text"]
    assert t["text"] == ("model stops being the cheapest if the calls per month in month 1 "
                         "falls 42.3 % to 577k calls a month; api is the cheapest then.")


def test_a_rate_is_searched_in_ratio_of_one_plus_it():
    # price_change_per_year x (may be negative): api costs 3,000 · Σ (1 + x)^((m - 1)/12)
    # over m = 1..12; it ties with 12 · 1,730 = 20,760 where the sum is 6.92.
    rows = _by_field(thresholds(loads_scenario(FLAT)))
    lo, hi = -0.99, 0.0
    for _ in range(100):
        mid = (lo + hi) / 2
        total = sum(3000 * (1 + mid) ** ((m - 1) / 12) for m in range(1, 13))
        lo, hi = (lo, mid) if total > 20_760 else (mid, hi)
    found = rows["options.api.price_change_per_year"]["flips_at"]
    assert abs((1 + found) / (1 + hi) - 1) < 1e-3
    assert found < 0


def test_linear_growth_is_searched_in_ratio_of_the_last_months_traffic():
    # growth: linear, d = 0 today. api over 12 months: 0.003 · Σ (V0 + d·(m - 1))
    # = 0.003 · (12 · 10^6 + 66 d); equal to 20,760 where 12 · 10^6 + 66 d = 6,920,000,
    # d = -76,969.7 (traffic then falls to 10^6 - 11 · 76,969.7 = 153,333 by month 12).
    text = FLAT.replace("traffic: {calls_per_month: 1_000_000}",
                        "traffic: {calls_per_month: 1_000_000, growth: linear}")
    row = _by_field(thresholds(loads_scenario(text)))["traffic.growth_calls_per_month"]
    d = -5_080_000 / 66
    assert abs((1e6 + 11 * row["flips_at"]) / (1e6 + 11 * d) - 1) < 1e-3
    assert row["text"].startswith("model stops being the cheapest if the calls added each "
                                  "month falls from 0 calls a month to -77k calls a month")


def test_nulls_sort_last_and_zero_fields_after_ratio_fields():
    out = thresholds(loads_scenario(FLAT))
    found = [r["flips_at"] is not None for r in out["thresholds"]]
    assert found == sorted(found, reverse=True)
    order = [r["field"] for r in out["thresholds"]]
    assert order.index("options.model.node_cost_per_hour") < order.index(
        "options.model.monthly_cost")


def test_one_option_never_flips():
    s = loads_scenario(FLAT.split("  model:")[0])
    out = thresholds(s)
    assert out["cheapest"] == "api"
    assert all(r["flips_at"] is None for r in out["thresholds"])


def test_candidate_fields_read_the_bounds_and_leave_out_what_cannot_move_the_answer():
    s = bench_scenario()
    c = {x.path: x for x in candidate_fields(s)}
    assert (c["options.vendor.accuracy"].lo, c["options.vendor.accuracy"].hi) == (0, 1)
    assert c["options.vendor.tiers.1.price_per_1k_units"].value == 1.5      # likely of a range
    assert c["team.mle"].value == 18_000 and c["team.mle"].hi == 1e7
    assert c["options.model.build_months"].integer and c["options.model.min_nodes"].integer
    # tier bounds stay in order: between the neighbours, exclusive
    tier = c["options.vendor.tiers.1.up_to_units"]
    assert (tier.lo, tier.hi, tier.lo_open, tier.hi_open) == (1000, 1e15, True, False)
    first = c["options.vendor.tiers.0.up_to_units"]
    assert (first.lo, first.hi, first.lo_open, first.hi_open) == (1, 5e6, False, True)
    assert "options.model.success_probability" not in c
    assert "quality.value_per_correct_prediction" not in c
    assert not any(p.startswith(("hours", "horizon", "schema")) for p in c)
    assert "options.llm.start_month" not in c          # the interim must stay live in month 1
    assert "options.model2.start_month" not in c       # no interim: a delay is no saving
    assert "options.model.start_month" in c


def _set(data: dict, path: str, x: float, whole: bool) -> dict:
    """The file's data with the field at path set to x (a range becomes a plain number)."""
    out = copy.deepcopy(data)
    parts = path.split(".")
    node: object = out
    for i, part in enumerate(parts[:-1]):
        nxt: object = node[int(part)] if isinstance(node, list) else node.setdefault(
            part, [] if parts[i + 1].isdigit() else {})
        node = nxt
    node[parts[-1]] = int(round(x)) if whole else float(x)
    return out


@pytest.mark.parametrize("name", [p.stem for p in SCENARIOS] + ["bench"])
def test_flipping_a_field_really_changes_the_answer(name):
    s = bench_scenario() if name == "bench" else load_scenario(ROOT / "scenarios" /
                                                                f"{name}.yaml")
    out = thresholds(s)
    cands = {c.path: c for c in candidate_fields(s)}
    data = to_data(s)
    names = list(s.active)

    def cheapest(path: str, x: float) -> str:
        # through the loader: the flipped scenario is a valid file
        s2 = validate(_set(data, path, x, cands[path].integer))
        return names[int(np.argmin(comparable(evaluate(s2, detail=False))[0]))]

    checked = 0
    for r in out["thresholds"]:
        c, x = cands[r["field"]], r["flips_at"]
        if x is None:
            continue
        assert c.allows(np.array([float(x)]))[0], r           # within the field's bounds
        up = x > c.value
        if c.integer:
            beyond, before = x, x - 1 if up else x + 1
        else:
            u = x + c.offset
            beyond = u * (1.002 if up else 1 / 1.002) - c.offset
            before = u * (1 / 1.002 if up else 1.002) - c.offset
            if not c.allows(np.array([beyond]))[0]:
                beyond = x
        assert cheapest(r["field"], beyond) != out["cheapest"], r
        assert cheapest(r["field"], x) == r["cheapest_after"], r
        if (before - c.value) * (x - c.value) > 0:             # still on today's side
            assert cheapest(r["field"], before) == out["cheapest"], r
        checked += 1
    assert checked > 0


def test_thresholds_evaluate_in_few_batches(monkeypatch):
    from calculator.model import decide

    calls = []
    real = decide.evaluate
    monkeypatch.setattr(decide, "evaluate", lambda s, p, **kw: calls.append(p.draws)
                        or real(s, p, **kw))
    thresholds(bench_scenario())
    # today, one coarse grid over every field, then one evaluation per bisection step
    assert len(calls) <= 2 + 20
    assert calls[1] > 1000


# -- where building wins --------------------------------------------------------------------

def test_decision_map_defaults_and_todays_cell():
    s = loads_scenario(FLAT)
    assert default_axes(s) == ("traffic.calls_per_month",
                               "options.api.price_per_million_input_tokens")
    dm = decision_map(s, n=5)       # odd: the middle cell is today (V0 /10 .. ×10)
    assert list(dm.frame.columns) == ["x", "y", "cheapest", "total_api", "total_model"]
    assert len(dm.frame) == 25
    mid = dm.frame.iloc[12]
    assert mid["x"] == pytest.approx(1e6) and mid["y"] == pytest.approx(2.0)
    plain = comparable(evaluate(s, detail=False))[0]
    assert mid["cheapest"] == dm.today["cheapest"] == "model"
    # totals: api 12 · 3,000 = 36,000; model 12 · 1,730 = 20,760
    assert mid["total_api"] == pytest.approx(plain[0]) == pytest.approx(36_000)
    assert mid["total_model"] == pytest.approx(plain[1]) == pytest.approx(20_760)
    assert dm.build == ["model"] and dm.buy == ["api"]
    assert "x,y,cheapest,total_api,total_model" in dm.frame.to_csv(index=False)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_decision_map_at_today_is_the_plain_report(path):
    s = load_scenario(path)
    dm = decision_map(s, n=7)
    plain = comparable(evaluate(s, detail=False))[0]
    names = list(s.active)
    assert dm.today["cheapest"] == names[int(np.argmin(plain))]
    cell = dm.frame.iloc[24]                                # the middle of 7 × 7
    if cell["x"] == pytest.approx(dm.today["x"]) and cell["y"] == pytest.approx(dm.today["y"]):
        assert cell["cheapest"] == dm.today["cheapest"]
        for i, n in enumerate(names):
            assert cell[f"total_{n}"] == pytest.approx(plain[i], rel=1e-9)


def test_decision_map_boundary_is_where_build_and_buy_cost_the_same():
    # api over 12 months: 12 · V · (1000 · p + 1000) / 10^6; model 20,760: equal where
    # V · (p + 1) = 1,730,000
    dm = decision_map(loads_scenario(FLAT), n=60)
    assert len(dm.boundary) > 10
    v, p = dm.boundary["x"], dm.boundary["y"]
    assert np.allclose(v * (p + 1) / 1_730_000, 1, rtol=0.02)
    assert (np.diff(dm.boundary["x"]) >= 0).all()
    # cells: model where V · (p + 1) > 1,730,000
    f = dm.frame
    expect = np.where(f["x"] * (f["y"] + 1) > 1_730_000, "model", "api")
    assert (f["cheapest"] == expect).all()


def test_decision_map_refuses_what_it_cannot_draw():
    s = loads_scenario(FLAT)
    with pytest.raises(ScenarioError, match="two different inputs"):
        decision_map(s, "traffic.calls_per_month", "traffic.calls_per_month")
    with pytest.raises(ScenarioError, match="not a number that can move"):
        decision_map(s, "hours_per_month")
    with pytest.raises(ScenarioError, match="is 0 today"):
        decision_map(s, y_field="options.model.monthly_cost")
    with pytest.raises(ScenarioError, match="between 2 and"):
        decision_map(s, n=1)
    dm = decision_map(s, y_field="options.model.monthly_cost", y_range=(10, 5000), n=4)
    assert dm.y_values[0] == 10 and dm.y_values[-1] == pytest.approx(5000)
    dm = decision_map(s, y_field="options.model.accuracy", y_range=(0.5, 5), n=4)
    assert dm.y_values[-1] == 1.0                         # clipped to the bound


def test_decision_map_chart():
    dm = decision_map(bench_scenario(), n=50)
    spec = decision_map_chart(dm).to_dict()
    layers = spec["layer"]
    assert [lay["mark"]["type"] for lay in layers] == ["rect", "line", "point", "text", "text"]
    enc = layers[0]["encoding"]
    assert enc["x"]["scale"]["type"] == enc["y"]["scale"]["type"] == "log"
    for axis in (enc["x"]["axis"], enc["y"]["axis"]):
        assert "labelExpr" in axis and "~s" in axis["labelExpr"]
        assert all(float(f"{v:.1g}") == v for v in axis["values"])     # 1-2-5 ticks
    assert "'$'" in enc["y"]["axis"]["labelExpr"]
    assert "today: llm" in json.dumps(spec)
    # the runs tile every row: same cheapest as the cells, edge to edge
    cells = cells_frame(dm)
    assert len(cells) < len(dm.frame)
    for _, row in cells.groupby("y_lo"):
        row = row.sort_values("x_lo")
        assert np.allclose(row["x_lo"].to_numpy()[1:], row["x_hi"].to_numpy()[:-1])
    assert tick_values(0.1, 10) == [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]


# -- what to measure next -------------------------------------------------------------------

def test_evpi_and_evppi_of_the_documented_example():
    # A costs 100 for sure; B costs 60 or 160 with equal chance, by one input x.
    # EVPI = min(E[A], E[B]) - E[min(A, B)] = min(100, 110) - mean(min(100, 60), min(100, 160))
    #      = 100 - mean(60, 100) = 100 - 80 = 20
    cost = np.array([[100.0, 60.0], [100.0, 160.0]])
    assert evpi(cost) == 20.0
    # knowing x: x = 0 -> choose B (60), x = 1 -> choose A (100): 100 - 80 = 20
    assert evppi(cost, np.array([0.0, 1.0]), bins=20) == 20.0
    # an input unrelated to the costs is worth nothing
    many = np.tile(cost, (500, 1))
    assert evppi(many, np.tile([7.0, 7.0], 500), bins=20) == 0.0


UNIFORM = """\
schema_version: 1
name: A or B
horizon_months: 1
traffic: {calls_per_month: 1}
options:
  a: {kind: rules, monthly_cost: 100}
  b: {kind: genai_api, input_tokens_per_call: 1_000_000, output_tokens_per_call: 0,
      price_per_million_input_tokens: {low: 60, likely: 110, high: 160, distribution: uniform},
      price_per_million_output_tokens: 0}
"""


def test_value_of_information_from_the_monte_carlo():
    # a costs 100; b costs its price U ~ uniform(60, 160) (one call of 10^6 tokens).
    # E[b] = 110, so without information choose a (100).
    # E[min(100, U)] = P(U < 100) · E[U | U < 100] + P(U >= 100) · 100 = 0.4 · 80 + 0.6 · 100 = 92
    # EVPI = 100 - 92 = 8; the price is the only uncertain input, so its EVPPI is 8 too.
    out = value_of_information(loads_scenario(UNIFORM), draws=10_000)
    assert out["best_without_information"] == "a"
    assert out["evpi"] == pytest.approx(8.0, abs=0.4)
    [row] = out["inputs"]
    assert row["input"] == "options.b.price_per_million_input_tokens"
    assert row["value"] == pytest.approx(out["evpi"], abs=0.1)
    assert row["text"].startswith("Knowing the b input price per 1M tokens before deciding "
                                  "is worth about $")
    assert out["bins"] == 20


def test_nothing_uncertain_nothing_to_measure():
    out = value_of_information(loads_scenario(FLAT), draws=1000)
    assert out["evpi"] == 0.0 and out["inputs"] == []          # not rounding dust
    assert out["text"].startswith("Nothing in this scenario is uncertain")


BUILD = """\
schema_version: 1
name: Build may fail
horizon_months: 12
traffic: {calls_per_month: 1_000_000}
team: {ml_engineer: 20_000}
options:
  api: {kind: genai_api, input_tokens_per_call: 1000, output_tokens_per_call: 100,
        price_per_million_input_tokens: 2.0, price_per_million_output_tokens: 10.0}
  model: {kind: in_house, interim: api, setup: {cost: 6_000}, run_team: {ml_engineer: 0.05},
          node_cost_per_hour: 1.0, node_capacity_rps: 1000, success_probability: 0.5}
"""


def test_whether_the_build_succeeds_is_an_input():
    # api: 12 · 3,000 = 36,000. model works: 6,000 + 12 · 1,730 = 26,760; fails: 6,000 +
    # 12 · 3,000 (the interim serves) = 42,000. With a share q of builds that work:
    # E[model] = 42,000 - 15,240 q (34,380 at q = 1/2) < 36,000: build without information.
    # Knowing the outcome first: q · 26,760 + (1 - q) · 36,000 = 36,000 - 9,240 q.
    # EVPPI = EVPI = min(42,000 - 15,240 q, 36,000) - (36,000 - 9,240 q)  (3,000 at q = 1/2)
    s = loads_scenario(BUILD)
    out = value_of_information(s, draws=4000, seed=7)
    q = float(Params.sample(s, 4000, 7).success["model"].mean())
    expect = min(42_000 - 15_240 * q, 36_000) - (36_000 - 9_240 * q)
    [row] = out["inputs"]
    assert row["input"] == "options.model.build_succeeds"
    assert row["value"] == pytest.approx(expect, rel=1e-9)
    assert out["evpi"] == pytest.approx(expect, rel=1e-9)
    assert "whether the model build succeeds" in row["text"]


def test_value_of_information_properties_on_the_benchmark():
    s = bench_scenario()
    out = value_of_information(s, draws=5000, seed=3)
    values = [r["value"] for r in out["inputs"]]
    assert values == sorted(values, reverse=True)
    assert all(0 <= v <= out["evpi"] + 1e-6 for v in values)
    assert out["noise_floor"] >= 0
    assert "options.model.build_succeeds" in {r["input"] for r in out["inputs"]}
    assert value_of_information(s, draws=5000, seed=3) == out         # reproducible
    with pytest.raises(ScenarioError):
        value_of_information(s, draws=1)


# -- compare two scenarios ------------------------------------------------------------------

def test_compare_one_price_changes_and_the_answer_flips():
    # api input price 2.00 -> 0.50: (500 + 1,000) / 10^6 = 0.0015 a call = 1,500 a month,
    # below model's 1,730: api becomes cheapest (18,000 against 20,760 over 12 months).
    a = loads_scenario(FLAT)
    b = loads_scenario(FLAT.replace("input_tokens: 2.00", "input_tokens: 0.50"))
    out = compare(a, b)
    assert out["inputs"] == [{"path": "options.api.price_per_million_input_tokens",
                              "before": 2, "after": 0.5}]
    assert out["cheapest"] == {"before": "model", "after": "api"} and out["answer_changed"]
    assert out["options"]["api"] == {"before": 36_000, "after": 18_000, "change": -18_000}
    assert out["options"]["model"]["change"] == 0
    # break-even: 1,730 / 0.003 = 576,666.7 -> 1,730 / 0.0015 = 1,153,333.3
    [be] = out["break_even"]
    assert be["before"] == pytest.approx(576_666.67, rel=1e-4)
    assert be["after"] == pytest.approx(1_153_333.3, rel=1e-4)
    assert out["text"] == ("The answer changed: model was cheapest ($20.8k over 12 months), "
                           "now api is ($18k over 12 months).")
    json.dumps(out, allow_nan=False)


def test_compare_crossover_months_and_the_answer_holds():
    # The spec's worked example over 40 months: D(2) = 41,000 and D falls by 3,000 - 1,730
    # = 1,270 a month -> first month with D <= 0: 2 + ceil(41,000 / 1,270) = 35.
    # Input price 3.00: api 4,000 a month; months 1-2 model 25,000 and 49,000, api 8,000:
    # D(2) = 41,000, falls by 2,270 a month -> 2 + ceil(41,000 / 2,270) = 21.
    a = loads_scenario(BASE.replace("horizon_months: 12", "horizon_months: 40"))
    b = loads_scenario(BASE.replace("horizon_months: 12", "horizon_months: 40")
                       .replace("input_tokens: 2.00", "input_tokens: 3.00"))
    out = compare(a, b)
    [c] = out["crossovers"]
    assert c["before"]["month"] == 35 and c["after"]["month"] == 21
    assert c["before"]["cheaper"] == c["after"]["cheaper"] == "model"
    assert not out["answer_changed"]
    # model: 47,000 + 38 · 1,730 = 112,740 -> 49,000 + 38 · 1,730 = 114,740
    assert out["options"]["model"]["before"] == pytest.approx(112_740)
    assert out["options"]["model"]["after"] == pytest.approx(114_740)
    assert out["text"] == ("The answer holds: model is cheapest, at $115k now and $113k "
                           "before (total over 40 months).")


def test_compare_added_and_removed_options():
    a = loads_scenario(FLAT)
    b = loads_scenario(FLAT + "  rules: {kind: rules, accuracy: 0.7, monthly_cost: 100}\n")
    out = compare(a, b)
    assert out["options_added"] == ["rules"] and out["inputs"] == []
    assert out["options"]["rules"] == {"before": None, "after": 1200, "change": None}
    assert compare(b, a)["options_removed"] == ["rules"]
    assert out["cheapest"]["after"] == "rules" and out["answer_changed"]


# -- the command line -----------------------------------------------------------------------

def test_cli_thresholds_and_compare(tmp_path, run_cli):
    run = run_cli                                  # calculator.cli.main, in this process
    a, b, bad = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "bad.yaml"
    a.write_text(FLAT)
    b.write_text(FLAT.replace("input_tokens: 2.00", "input_tokens: 0.50"))
    bad.write_text(FLAT.replace("horizon_months: 12", "horizon_months: no"))
    out = run("thresholds", str(a), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["cheapest"] == "model"
    assert set(data["thresholds"][0]) >= {"field", "value", "flips_at", "cheapest_after"}
    table = run("thresholds", str(a)).stdout
    assert "traffic.calls_per_month" in table and "falls 42.3 % to 577k" in table
    out = run("compare", str(a), str(b), "--format", "json")
    assert out.returncode == 0 and json.loads(out.stdout)["answer_changed"] is True
    assert run("compare", str(a), str(b)).stdout.startswith("The answer changed:")
    for args in (("thresholds", str(bad)), ("compare", str(a), str(bad))):
        out = run(*args, "--format", "json")
        assert out.returncode == 2 and out.stdout == ""
        assert len(out.stderr.strip().splitlines()) == 1 and "bad.yaml" in out.stderr
