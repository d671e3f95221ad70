"""Hypothesis properties of the loader and the engine (STYLE.md's list)."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenario_data

import calculator as c
from calculator.model.analysis import crossovers

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenario_data())
def test_save_load_round_trip(data):
    s = c.validate(data)
    again = c.loads_scenario(c.dumps_scenario(s))
    assert again == s
    np.testing.assert_array_equal(c.evaluate(again).total, c.evaluate(s).total)


@FAST
@given(scenario_data())
def test_results_are_finite_and_cumulative_never_decreases(data):
    r = c.evaluate(c.validate(data))
    assert np.isfinite(r.total).all()
    assert (r.total >= 0).all()
    assert (np.diff(r.cumulative(), axis=-1) >= -1e-9).all()
    for v in c.totals(r).values():
        assert np.isfinite(v).all()


@FAST
@given(scenario_data(), st.floats(1.01, 3))
def test_more_traffic_never_lowers_a_cost(data, factor):
    # Volume tiers can really make more traffic cheaper (all units drop to a lower price
    # at a bound), so the property holds for graduated tiers only.
    data = copy.deepcopy(data)
    data["options"]["vendor"]["tier_mode"] = "graduated"
    s = c.validate(data)
    more = copy.deepcopy(data)
    more["traffic"]["calls_per_month"] *= factor
    if "growth_calls_per_month" in more["traffic"]:
        more["traffic"]["growth_calls_per_month"] *= factor
    a, b = c.evaluate(s).total, c.evaluate(c.validate(more)).total
    assert (b >= a - 1e-6 * np.maximum(a, 1)).all()


@FAST
@given(scenario_data(), st.floats(1.01, 3))
def test_a_higher_price_never_lowers_a_cost(data, factor):
    more = copy.deepcopy(data)
    llm = more["options"]["llm"]
    llm["price_per_million_input_tokens"] *= factor
    llm["price_per_million_output_tokens"] *= factor
    more["options"]["model"]["node_cost_per_hour"] *= factor
    a = c.evaluate(c.validate(data)).total
    b = c.evaluate(c.validate(more)).total
    assert (b >= a - 1e-6 * np.maximum(a, 1)).all()


def _scale_money(data: dict, k: float) -> dict:
    out = copy.deepcopy(data)
    out["team"] = {r: v * k for r, v in out["team"].items()}
    out["quality"] = {q: v * k for q, v in out["quality"].items()}
    o = out["options"]
    o["rules"]["cost_per_1k_calls"] *= k
    o["vendor"]["monthly_minimum"] *= k
    for t in o["vendor"]["tiers"]:
        t["price_per_1k_units"] *= k
    for key in ("price_per_million_input_tokens", "price_per_million_output_tokens"):
        o["llm"][key] *= k
    for key in ("monthly_cost", "node_cost_per_hour"):
        o["model"][key] *= k
    o["model"]["setup"]["cost"] *= k
    o["model"]["retraining"]["cost"] *= k
    return out


@FAST
@given(scenario_data(), st.sampled_from([0.5, 2.0, 10.0]))
def test_scaling_money_scales_costs_and_keeps_crossovers(data, k):
    a = c.evaluate(c.validate(data))
    b = c.evaluate(c.validate(_scale_money(data, k)))
    np.testing.assert_allclose(b.total, a.total * k, rtol=1e-9, atol=1e-9)
    assert [(x.cheaper, x.than, x.month) for x in crossovers(a)] == \
           [(x.cheaper, x.than, x.month) for x in crossovers(b)]


@FAST
@given(scenario_data(max_horizon=24), st.integers(1, 24))
def test_longer_horizon_leaves_earlier_months_unchanged(data, extra):
    longer = copy.deepcopy(data)
    longer["horizon_months"] += extra
    h = data["horizon_months"]
    a = c.evaluate(c.validate(data))
    b = c.evaluate(c.validate(longer))
    # the discount weights of early months do not depend on the horizon either
    np.testing.assert_allclose(b.total[..., :h], a.total, rtol=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_loader_returns_a_scenario_or_a_scenario_error_for_any_bytes(data):
    try:
        assert isinstance(c.loads_scenario(data), c.Scenario)
    except c.ScenarioError as exc:
        assert str(exc)
