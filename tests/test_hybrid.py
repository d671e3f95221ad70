"""The hybrid kind in the engine: hand-computed cases (arithmetic in the comments) and the
properties of a share of 0 and of 1."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculator as c
from calculator.model.analysis import break_even, expected_totals, totals
from calculator.model.params import Params

LLM = {"kind": "genai_api", "accuracy": 0.92, "input_tokens_per_call": 1000,
       "output_tokens_per_call": 0, "price_per_million_input_tokens": 2.0,
       "price_per_million_output_tokens": 0.0}           # $0.002 a call


def data(h: int = 12, **hybrid) -> dict:
    return {"schema_version": 1, "name": "h", "horizon_months": h,
            "traffic": {"calls_per_month": 1_000_000}, "team": {"mle": 5_000},
            "quality": {"cost_per_error": 0.01},
            "options": {
                "model": {"kind": "in_house", "accuracy": 0.9, "run_team": {"mle": 1},
                          "node_cost_per_hour": 1.0, "node_capacity_rps": 1000, "min_nodes": 2},
                "llm": copy.deepcopy(LLM),
                "both": {"kind": "hybrid", "primary": "model", "fallback": "llm",
                         "primary_share": 0.7, "primary_accuracy": 0.97} | hybrid}}


def test_the_spec_worked_example():
    # 5,000 + 1,460 + 300,000·0.002 = 7,060; errors (700,000·0.03 + 300,000·0.08)·0.01 = 450
    r = c.evaluate(c.validate(data()))
    i = r.names.index("both")
    assert r.money[0, i] == pytest.approx(np.full(12, 7_060.0))
    assert r.error[0, i] == pytest.approx(np.full(12, 450.0))
    assert totals(r)["total_cost"][0, i] == pytest.approx(90_120.0)
    assert r.live_month[0, i] == 1


def routed(routing: str) -> c.Scenario:
    d = data(h=1, routing=routing, primary_share=0.6, primary_accuracy=0.95)
    d["quality"]["value_per_correct_prediction"] = 0.001
    d["options"]["model"] = {"kind": "rules", "accuracy": 0.9, "cost_per_1k_calls": 0.1}
    return c.validate(d)


def test_segment_routing_pays_the_primary_for_its_share_only():
    # primary 600,000/1,000 · 0.1 = 60; fallback 400,000 · 0.002 = 800 -> 860
    # errors (600,000·0.05 + 400,000·0.08)·0.01 = 620; value (570,000 + 368,000)·0.001 = 938
    r = c.evaluate(routed("segment"))
    assert (r.money[0, 2, 0], r.error[0, 2, 0]) == pytest.approx((860.0, 620.0))
    assert r.value[0, 2, 0] == pytest.approx(938.0)


def test_confidence_routing_pays_the_primary_for_every_call():
    # primary scores 1,000,000 calls: 100; fallback still 800 -> 900; errors and value as
    # with segment routing (the primary keeps 60 %)
    r = c.evaluate(routed("confidence"))
    assert (r.money[0, 2, 0], r.error[0, 2, 0]) == pytest.approx((900.0, 620.0))
    assert r.value[0, 2, 0] == pytest.approx(938.0)


def building() -> dict:
    d = data(h=6)
    d["team"]["mle"] = 10_000
    d["options"]["model"] = {"kind": "in_house", "accuracy": 0.9, "build_months": 2,
                             "build_team": {"mle": 1}, "setup": {"cost": 500},
                             "run_team": {"mle": 0.1}, "node_cost_per_hour": 1.0,
                             "node_capacity_rps": 1000, "min_nodes": 1,
                             "success_probability": 0.5}
    return d


def test_a_primary_built_while_the_fallback_serves_everything():
    # m1: setup 500 + build 10,000 + fallback 1e6·0.002 = 2,000, errors 1e6·0.08·0.01 = 800
    # m2: 10,000 + 2,000 + 800; from m3: run 1,000 + node 730 + 300,000·0.002 = 600 and
    # errors (700,000·0.03 + 300,000·0.08)·0.01 = 450 -> 2,780
    r = c.evaluate(c.validate(building()))
    i = r.names.index("both")
    assert r.total[0, i] == pytest.approx([13_300, 12_800, 2_780, 2_780, 2_780, 2_780])
    assert r.live_month[0, i] == 3
    # the parts: the primary's money, the fallback's, each with its own errors
    p = r.parts["both"]
    assert p["primary"]["setup"][0, 0] == 500 and p["primary"]["build"][0, :2].tolist() == [
        10_000, 10_000]
    assert p["fallback"]["usage"][0] == pytest.approx([2_000, 2_000, 600, 600, 600, 600])
    assert p["primary"]["errors"][0] == pytest.approx([0, 0, 210, 210, 210, 210])
    assert p["fallback"]["errors"][0] == pytest.approx([800, 800, 240, 240, 240, 240])
    for comp, arr in r.components.items():       # the hybrid's components are the parts' sum
        assert arr[0, i] == pytest.approx(p["primary"][comp][0] + p["fallback"][comp][0])


def test_tidy_says_which_part_the_money_goes_to():
    r = c.evaluate(c.validate(building()))
    plain, split = r.tidy(), r.tidy(parts=True)
    assert set(plain.columns) == {"month", "option", "component", "cost"}
    both = split[split["option"] == "both"]
    assert set(both["part"]) == {"primary", "fallback"}
    assert set(both["part_option"]) == {"model", "llm"}
    assert set(split[split["option"] == "llm"]["part"]) == {"own"}
    by_part = both.groupby("part")["cost"].sum()
    # primary: 500 + 20,000 + 4·(1,000 + 730 + 210); fallback: 2·2,800 + 4·(600 + 240)
    assert by_part["primary"] == pytest.approx(28_260)
    assert by_part["fallback"] == pytest.approx(8_960)
    assert split.groupby("option")["cost"].sum()["both"] == pytest.approx(
        plain.groupby("option")["cost"].sum()["both"])


def test_a_failed_build_leaves_the_fallback_serving_everything():
    # draw 1 fails: setup and build are paid, then 2,000 + 800 every month
    s = c.validate(building())
    r = c.evaluate(s, Params(2, {}, {"model": np.array([True, False])}))
    i = r.names.index("both")
    assert r.total[1, i] == pytest.approx([13_300, 12_800, 2_800, 2_800, 2_800, 2_800])
    # expected = 0.5 · 37,220 + 0.5 · 37,300
    assert expected_totals(s)["both"]["total_cost"] == pytest.approx(37_260)


def test_switched_off_parts_still_work_inside_the_hybrid():
    d = building()
    d["options"]["model"]["enabled"] = False
    d["options"]["llm"]["enabled"] = False
    s = c.validate(d)
    r = c.evaluate(s)
    assert r.names == ["both"]
    assert r.total[0, 0] == pytest.approx([13_300, 12_800, 2_780, 2_780, 2_780, 2_780])
    # the switched-off primary's build still fails in Monte Carlo draws
    sample = Params.sample(s, 400, 1)
    assert 0.3 < np.mean(sample.success["model"]) < 0.7
    mc = c.evaluate(s, sample, detail=False)
    failed = ~sample.success["model"]
    assert np.allclose(mc.total[failed, 0, -1], 2_800)
    assert np.allclose(mc.total[~failed, 0, -1], 2_780)


def test_ranges_on_share_and_primary_accuracy_are_drawn():
    # errors at share 0.7: 700,000·(1 - a)·0.01 + 300,000·0.08·0.01; tornado low/high
    d = data(h=1, primary_share={"low": 0.5, "likely": 0.7, "high": 0.9},
             primary_accuracy={"low": 0.95, "likely": 0.97, "high": 0.99})
    s = c.validate(d)
    params, paths = Params.tornado(s)
    r = c.evaluate(s, params)
    i = r.names.index("both")
    share = {k: paths.index(f"options.both.{k}") for k in ("primary_share", "primary_accuracy")}
    lo, hi = r.error[2 * share["primary_share"], i, 0], r.error[2 * share["primary_share"] + 1, i, 0]
    # share 0.5: (500,000·0.03 + 500,000·0.08)·0.01 = 550; 0.9: (27,000 + 8,000)·0.01 = 350
    assert (lo, hi) == pytest.approx((550.0, 350.0))
    k = share["primary_accuracy"]
    # accuracy 0.95: 700,000·0.05·0.01 + 240 = 590; 0.99: 70 + 240 = 310
    assert (r.error[2 * k, i, 0], r.error[2 * k + 1, i, 0]) == pytest.approx((590.0, 310.0))


def test_break_even_uses_the_steady_cost_with_both_parts_live():
    # hybrid: 6,460 + 0.3·V·0.002 + V·(0.7·0.03 + 0.3·0.08)·0.01 = 6,460 + 0.00105·V
    # llm alone: 0.002·V + 0.08·0.01·V = 0.0028·V -> V = 6,460 / 0.00175 = 3,691,428.6
    s = c.validate(data())
    assert break_even(s, "both", "llm")[0] == pytest.approx(6_460 / 0.00175, rel=1e-5)


# -- properties -------------------------------------------------------------------------------

@st.composite
def hybrid_data(draw) -> dict:
    h = draw(st.integers(1, 24))
    fallback = draw(st.sampled_from([
        copy.deepcopy(LLM) | {"setup": {"cost": 300.0}, "run_team": {"mle": 0.1},
                              "monthly_cost": 50.0},
        {"kind": "vendor_api", "accuracy": 0.85, "monthly_minimum": draw(st.floats(0, 500)),
         "tiers": [{"up_to_units": 1e5, "price_per_1k_units": 0.0},
                   {"price_per_1k_units": draw(st.floats(0, 3))}]},
        {"kind": "rules", "accuracy": 0.7, "cost_per_1k_calls": 0.5, "run_team": {"mle": 0.2},
         "price_change_per_year": 0.1}]))
    primary = {"kind": "in_house", "accuracy": draw(st.floats(0.5, 1)),
               "start_month": draw(st.integers(1, 6)), "build_months": draw(st.integers(0, 6)),
               "build_team": {"mle": draw(st.floats(0, 2))}, "setup": {"cost": 1000.0},
               "run_team": {"mle": draw(st.floats(0, 1))}, "monthly_cost": 100.0,
               "node_cost_per_hour": draw(st.floats(0, 3)),
               "node_capacity_rps": draw(st.floats(0.1, 50)), "min_nodes": draw(st.integers(0, 3)),
               "retraining": {"every_months": 3, "cost": 200.0}, "price_change_per_year": -0.2}
    return {"schema_version": 1, "name": "p", "horizon_months": h,
            "discount_rate_annual": draw(st.sampled_from([0.0, 0.1])),
            "team_cost_change_per_year": draw(st.sampled_from([0.0, 0.05])),
            "traffic": {"calls_per_month": draw(st.floats(1, 1e8)), "growth": "compound",
                        "growth_rate_monthly": draw(st.floats(-0.1, 0.1))},
            "team": {"mle": 10_000}, "quality": {"cost_per_error": draw(st.floats(0, 0.05))},
            "options": {"p": primary, "f": fallback,
                        "h": {"kind": "hybrid", "primary": "p", "fallback": "f"}}}


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _close(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-6)


@PROPS
@given(hybrid_data())
def test_share_zero_is_the_fallback_plus_the_primary_at_zero_volume(d):
    d["options"]["h"]["primary_share"] = 0.0
    s = c.validate(d)
    r = c.evaluate(s)
    zero = c.evaluate(s, Params(1, {"traffic.calls_per_month": np.array([0.0])}))
    ip, i_f, ih = (r.names.index(k) for k in ("p", "f", "h"))
    _close(r.money[0, ih], r.money[0, i_f] + zero.money[0, ip])
    _close(r.error[0, ih], r.error[0, i_f])


@PROPS
@given(hybrid_data())
def test_share_one_is_the_primary_with_the_fallback_as_interim_plus_its_fixed_costs(d):
    d["options"]["h"]["primary_share"] = 1.0
    s = c.validate(d)
    d2 = copy.deepcopy(d)
    d2["options"]["p"]["interim"] = "f"
    del d2["options"]["h"]
    with_interim = c.evaluate(c.validate(d2))
    r = c.evaluate(s)
    zero = c.evaluate(s, Params(1, {"traffic.calls_per_month": np.array([0.0])}))
    ip, i_f, ih = (r.names.index(k) for k in ("p", "f", "h"))
    live = r.months >= r.live_month[0, ih]
    _close(r.money[0, ih], with_interim.money[0, ip] + np.where(live, zero.money[0, i_f], 0.0))
    _close(r.error[0, ih], with_interim.error[0, ip])
