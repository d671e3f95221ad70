"""The engine against hand-computed cases (arithmetic in the comments)."""

from __future__ import annotations

import numpy as np
import pytest
from worked import WORKED, scenario

import calculator as c
from calculator.model.analysis import break_even, crossovers, report, totals


def test_worked_example_from_the_spec():
    r = c.evaluate(scenario())
    cum = r.cumulative()[0]
    # api: (1000·2 + 100·10)/1e6 = 0.003 a call · 1e6 calls = 3,000 a month
    assert cum[0] == pytest.approx(3_000 * np.arange(1, 13))
    # model: m1 3,000 + 20,000 + 1,000 = 24,000; m2 +23,000 = 47,000; then +730 + 1,000
    assert cum[1][:3] == pytest.approx([24_000, 47_000, 48_730])
    assert cum[1][-1] == pytest.approx(47_000 + 10 * 1_730)
    # D(12) = 64,300 - 36,000 = 28,300 > 0: no crossover within 12 months
    assert cum[1][-1] - cum[0][-1] == pytest.approx(28_300)
    assert crossovers(r) == []
    # break-even: 0.003·V = 1,730 -> V = 576,666.67
    assert break_even(r.scenario, "api", "model")[0] == pytest.approx(576_666.6667, rel=1e-6)
    assert r.live_month[0].tolist() == [1, 3]


def test_worked_example_json_report():
    out = report(scenario())
    assert out["cheapest"] == "api"
    assert out["options"]["model"]["total_cost"] == pytest.approx(64_300)
    assert out["options"]["api"]["cost_per_1k_calls"] == pytest.approx(3.0)
    assert out["crossovers"] == []
    assert out["break_even"][0]["options"] == ["api", "model"]


def test_crossover_fractional_month():
    # Longer horizon: D(t) = 41,000 - 1,270·(t - 2) reaches 0 between months 34 and 35:
    # D(34) = 41,000 - 40,640 = 360; D(35) = -910 -> fractional 34 + 360/1,270 = 34.2835
    r = c.evaluate(scenario(horizon_months=40))
    (x,) = crossovers(r)
    assert (x.cheaper, x.than, x.month) == ("model", "api", 35)
    assert x.fractional_month == pytest.approx(34 + 360 / 1270)


def test_crossover_uses_present_value_when_discounting():
    # With 10 % a year the model's later savings weigh less: the crossover comes later.
    plain = crossovers(c.evaluate(scenario(horizon_months=60)))[0].month
    disc = crossovers(c.evaluate(scenario(horizon_months=60, discount_rate_annual=0.1)))[0].month
    assert disc > plain == 35


def test_discount_weights():
    r = c.evaluate(scenario(discount_rate_annual=0.1))
    monthly = 1.1 ** (1 / 12) - 1
    assert r.weights[0] == pytest.approx(1 / (1 + monthly))
    assert r.weights[11] == pytest.approx(1 / 1.1)      # 12 months at 10 % a year
    pv = totals(r)["present_value"][0, 0]
    assert pv == pytest.approx(sum(3_000 * r.weights))


def test_traffic_curves():
    lin = scenario(traffic={"calls_per_month": 100, "growth": "linear",
                            "growth_calls_per_month": -30})
    # 100, 70, 40, 10, then max(0, -20) = 0
    assert c.evaluate(lin).volume[0][:6].tolist() == [100, 70, 40, 10, 0, 0]
    comp = scenario(traffic={"calls_per_month": 1000, "growth": "compound",
                             "growth_rate_monthly": 0.1})
    assert c.evaluate(comp).volume[0][:3] == pytest.approx([1000, 1100, 1210])
    series = scenario(traffic={"calls_per_month": 1, "monthly_calls": list(range(1, 15))})
    assert c.evaluate(series).volume[0].tolist() == list(range(1, 13))


def vendor(tier_mode: str, calls: float, minimum: float = 0.0) -> float:
    s = c.validate({
        "schema_version": 1, "name": "v", "horizon_months": 1,
        "traffic": {"calls_per_month": calls},
        "options": {"v": {"kind": "vendor_api", "units_per_call": 2, "tier_mode": tier_mode,
                          "monthly_minimum": minimum,
                          "tiers": [{"up_to_units": 1000, "price_per_1k_units": 0},
                                    {"up_to_units": 5000, "price_per_1k_units": 2},
                                    {"price_per_1k_units": 1}]}}})
    return float(c.evaluate(s).money[0, 0, 0])


def test_vendor_tiers_graduated():
    # 3,000 calls · 2 = 6,000 units: 1,000 free + 4,000 at 2/1k (8) + 1,000 at 1/1k (1) = 9
    assert vendor("graduated", 3000) == pytest.approx(9.0)
    # exactly 1,000 units (500 calls) lie in the free tier
    assert vendor("graduated", 500) == 0


def test_vendor_tiers_volume_inclusive_bounds():
    # 6,000 units pass 5,000: all at 1/1k = 6
    assert vendor("volume", 3000) == pytest.approx(6.0)
    # exactly 5,000 units (2,500 calls) are still in the 2/1k tier: 5,000 · 2/1k = 10
    assert vendor("volume", 2500) == pytest.approx(10.0)
    # 5,002 units: all at 1/1k = 5.002
    assert vendor("volume", 2501) == pytest.approx(5.002)
    assert vendor("volume", 500) == 0


def test_vendor_monthly_minimum():
    assert vendor("graduated", 3000, minimum=50) == pytest.approx(50.0)   # max(9, 50)
    assert vendor("graduated", 3000, minimum=5) == pytest.approx(9.0)


def test_genai_cache_batch_and_price_change():
    s = c.validate({
        "schema_version": 1, "name": "g", "horizon_months": 13,
        "traffic": {"calls_per_month": 1_000_000},
        "options": {"g": {"kind": "genai_api", "input_tokens_per_call": 1000,
                          "output_tokens_per_call": 100, "price_per_million_input_tokens": 1.0,
                          "price_per_million_cached_input_tokens": 0.1,
                          "price_per_million_output_tokens": 5.0, "cached_input_share": 0.5,
                          "batch_share": 0.4, "batch_discount": 0.5,
                          "price_change_per_year": -0.2}}})
    m = c.evaluate(s).money[0, 0]
    # per call: [0.5·1000·1 + 0.5·1000·0.1 + 100·5]/1e6 = (500 + 50 + 500)/1e6 = 0.00105
    # batch: · (1 - 0.4·0.5) = 0.8 -> 0.00084; · 1e6 calls = 840 in month 1
    assert m[0] == pytest.approx(840.0)
    # month 13: · 0.8^(12/12) = 672
    assert m[12] == pytest.approx(672.0)


def test_genai_catalog_prices_and_typed_in_win():
    data = {"schema_version": 1, "name": "g", "horizon_months": 1,
            "traffic": {"calls_per_month": 1_000_000},
            "options": {"g": {"kind": "genai_api", "input_tokens_per_call": 1000,
                              "output_tokens_per_call": 100,
                              "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"}}}}
    # Haiku 4.5: 1.00 in, 5.00 out -> (1000·1 + 100·5)/1e6 = 0.0015 · 1e6 = 1,500
    assert c.evaluate(c.validate(data)).money[0, 0, 0] == pytest.approx(1500)
    data["options"]["g"]["price_per_million_input_tokens"] = 2.0
    # typed-in input wins: (1000·2 + 100·5)/1e6 · 1e6 = 2,500
    assert c.evaluate(c.validate(data)).money[0, 0, 0] == pytest.approx(2500)


def test_in_house_nodes_step_with_traffic():
    def serving(calls: float) -> float:
        s = c.validate({
            "schema_version": 1, "name": "n", "horizon_months": 1, "hours_per_month": 730,
            "traffic": {"calls_per_month": calls, "peak_to_average": 2},
            "options": {"m": {"kind": "in_house", "node_cost_per_hour": 0.5,
                              "node_capacity_rps": 10, "target_utilization": 0.5,
                              "min_nodes": 1, "cost_per_1k_calls": 0.01}}})
        return float(c.evaluate(s).money[0, 0, 0])
    # one node serves 10 · 0.5 · 3600 · 730 = 13,140,000 calls a month at peak;
    # with peak 2: 6,570,000 average calls fill exactly one node
    assert serving(6_570_000) == pytest.approx(1 * 0.5 * 730 + 6_570 * 0.01)
    assert serving(6_570_001) == pytest.approx(2 * 0.5 * 730 + 6_570.001 * 0.01)
    assert serving(10) == pytest.approx(365 + 0.0001)   # min_nodes 1


def test_retraining_months_and_setup_team_months():
    s = scenario(options={"m": {
        "kind": "in_house", "start_month": 2, "build_months": 3, "node_cost_per_hour": 0,
        "node_capacity_rps": 1, "min_nodes": 0, "setup": {"team_months": {"ml_engineer": 0.5}},
        "retraining": {"every_months": 4, "cost": 100, "team_months": {"ml_engineer": 0.1}}}})
    r = c.evaluate(s)
    comp = {k: v[0, 0] for k, v in r.components.items()}
    # live from 2 + 3 = 5; setup 0.5 · 20,000 = 10,000 in month 2
    assert r.live_month[0, 0] == 5
    assert comp["setup"][1] == 10_000 and comp["setup"].sum() == 10_000
    # retraining in months 9 (5 + 4) only, within 12: 100 + 0.1 · 20,000 = 2,100
    assert np.flatnonzero(comp["retraining"]).tolist() == [8]
    assert comp["retraining"][8] == pytest.approx(2_100)


def test_error_cost_uses_the_serving_option():
    s = scenario(quality={"cost_per_error": 0.01},
                 options={"api": dict(WORKED["options"]["api"], accuracy=0.9),
                          "model": dict(WORKED["options"]["model"], accuracy=0.95)})
    err = c.evaluate(s).error[0]
    # months 1-2 served by the api: 1e6 · 0.1 · 0.01 = 1,000; later the model: 500
    assert err[1][:4].tolist() == pytest.approx([1000, 1000, 500, 500])
    assert err[0].sum() == pytest.approx(12 * 1000)


def test_unserved_months_cost_nothing_without_interim():
    s = scenario(options={"api": WORKED["options"]["api"],
                          "model": {k: v for k, v in WORKED["options"]["model"].items()
                                    if k != "interim"}},
                 quality={"cost_per_error": 1.0})
    r = c.evaluate(s)
    # months 1-2: build team 20,000 (+ setup 1,000 in month 1), no usage, no errors
    assert r.total[0, 1, :2].tolist() == pytest.approx([21_000, 20_000])
    assert r.error[0, 1, :2].tolist() == [0, 0]


def test_data_shortfall_delays_the_build():
    data = {"labels_needed": 20_000, "labels_available": 5_000, "cost_per_label": 0.05,
            "labels_per_month": 10_000}
    s = scenario(options__model__data=data)
    r = c.evaluate(s)
    # shortfall 15,000 -> ceil(15,000 / 10,000) = 2 months of labelling, 750 spread: 375 a month
    lab = r.components["labelling"][0, 1]
    assert lab[:3].tolist() == pytest.approx([375, 375, 0])
    # setup and build start in month 3, live from 3 + 2 = 5 (was 3)
    assert r.live_month[0, 1] == 5
    assert r.components["setup"][0, 1, 2] == 1000
    # the interim serves months 1-4
    assert np.flatnonzero(r.components["interim"][0, 1]).tolist() == [0, 1, 2, 3]


def test_value_and_net_value():
    s = scenario(quality={"value_per_correct_prediction": 0.01},
                 options={"api": dict(WORKED["options"]["api"], accuracy=0.9),
                          "model": WORKED["options"]["model"]})
    t = totals(c.evaluate(s))
    # api: 12 · 1e6 · 0.9 · 0.01 = 108,000 value - 36,000 cost = 72,000
    assert t["net_value"][0, 0] == pytest.approx(72_000)
    # model: months 1-2 via api (0.9), 3-12 own accuracy 1.0:
    # 2·9,000 + 10·10,000 = 118,000 - 64,300 = 53,700
    assert t["net_value"][0, 1] == pytest.approx(53_700)


def test_disabled_options_are_left_out():
    s = scenario(options={"api": WORKED["options"]["api"],
                          "off": dict(WORKED["options"]["api"], enabled=False)})
    assert c.evaluate(s).names == ["api"]


def test_success_probability_expected_line():
    s = scenario(options__model__success_probability=0.25)
    exp = c.expected_totals(s)["model"]["total_cost"]
    # success: 64,300; failure: build 2 · 20,000 + setup 1,000 + api all 12 months 36,000 = 77,000
    assert exp == pytest.approx(0.25 * 64_300 + 0.75 * 77_000)
