"""The UI state: one generic walk over the field registry, Scenario <-> widget state."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import registry_scenario

import calculator as c
from calculator.model.options import KIND_MODELS
from calculator.ui import state as S
from tests.conftest import SCENARIOS
from tests.worked import worked


def roundtrip(s: c.Scenario) -> c.Scenario:
    return c.validate(S.collect(S.flatten(s)))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_goes_through_the_state_unchanged(path):
    s = c.load_scenario(path)
    assert roundtrip(s) == s


def rich() -> dict:
    """A scenario using every structure the state must carry."""
    data = worked(start_date="2027-03", prices_as_of="2026-11-01", team_cost_change_per_year=0.04,
                  description="Two lines\n\tand a tab", currency="EUR")
    data["team"]["swe"] = {"low": 12_000, "likely": 15_000, "high": 18_000,
                           "distribution": "pert"}
    data["traffic"] = {"calls_per_month": 2e6, "growth": "linear",
                       "growth_calls_per_month": {"low": -1e4, "likely": 5e4, "high": 9e4},
                       "peak_to_average": 2.5}
    data["quality"] = {"cost_per_error": 0.05, "value_per_correct_prediction": 0.01}
    o = data["options"]
    o["api"] |= {"label": "LLM (Claude)", "reasoning_tokens_per_call": 300,
                 "cache_write_tokens_per_call": 100, "cached_input_share": 0.5,
                 "price_change_per_year": {"low": -0.5, "likely": -0.2, "high": 0.0,
                                           "distribution": "uniform"},
                 "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"},
                 "price_per_million_cache_write_tokens": 1.25}
    o["model"] |= {"node_capacity_rps": None, "node_capacity_tokens_per_second": 1500,
                   "tokens_per_call": 300, "node_cost_per_hour": None,
                   "node_catalog": {"cloud": "aws", "instance": "g5.xlarge"},
                   "retraining": {"every_months": 6, "cost": 200,
                                  "team_months": {"ml_engineer": 0.25}},
                   "data": {"labels_needed": 20_000, "labels_available": 5_000,
                            "cost_per_label": 0.06, "labels_per_month": 5_000},
                   "success_probability": {"low": 0.4, "likely": 0.6, "high": 0.8},
                   "setup": {"cost": 500, "team_months": {"swe": 1.5}},
                   "enabled": False}
    o["vision"] = {"kind": "vendor_api", "tier_mode": "volume", "units_per_call": 3,
                   "price_change_per_year": 0.05, "tiers": [
                       {"up_to_units": {"low": 900, "likely": 1000, "high": 1100},
                        "price_per_1k_units": 0},
                       {"up_to_units": 5e6, "price_per_1k_units": 1.5},
                       {"price_per_1k_units": {"low": 0.8, "likely": 1.0, "high": 1.2}}],
                   "monthly_minimum": 50}
    o["review"] = {"kind": "rules", "cost_per_1k_calls": 500, "accuracy": 0.99,
                   "run_team": {"swe": 0.1}}
    o["mix"] = {"kind": "hybrid", "primary": "model", "fallback": "review",
                "primary_share": {"low": 0.6, "likely": 0.75, "high": 0.8},
                "routing": "confidence", "primary_accuracy": 0.97, "label": "Model + review"}
    o["model"].pop("interim")
    return data


def test_every_structure_goes_through_the_state_unchanged():
    s = c.validate(rich())
    assert roundtrip(s) == s


def test_a_forecast_series_survives_and_past_the_horizon_is_kept():
    s = c.validate(worked(traffic__monthly_calls=[1e5 * (i + 1) for i in range(15)]))
    state = S.flatten(s)
    assert state["traffic.monthly_calls"][:3] == [1e5, 2e5, 3e5]
    assert roundtrip(s) == s


def test_a_range_is_its_likely_value_in_the_box_and_its_ends_beside_it():
    state = S.flatten(c.validate(rich()))
    path = "options.mix.primary_share"
    assert state[path] == 0.75 and state[f"range:{path}"]
    assert (state[f"{path}.low"], state[f"{path}.high"]) == (0.6, 0.8)
    assert state["team.swe.distribution"] == "pert"


def test_an_emptied_box_is_an_error_next_to_it_never_a_silent_value():
    # clearing a required number used to set 1 (traffic, horizon) or 0 (a salary) quietly
    for path in ("traffic.calls_per_month", "horizon_months", "team.ml_engineer",
                 "options.api.input_tokens_per_call", "options.model.min_nodes"):
        state = S.flatten(c.validate(worked()))
        state[path] = None
        with pytest.raises(c.ScenarioError) as err:
            c.validate(S.collect(state))
        assert [p.path for p in err.value.problems] == [path]
    # an optional price left empty is fine: the catalog's is used
    state = S.flatten(c.validate(rich()))
    state["options.api.price_per_million_input_tokens"] = None
    assert c.validate(S.collect(state)).options["api"].price_per_million_input_tokens is None


def test_growth_fields_only_count_when_their_growth_is_chosen():
    state = S.flatten(c.validate(rich()))
    state["traffic.growth"] = "compound"          # the linear figure stays in the box ...
    s = c.validate(S.collect(state))               # ... but is not sent
    assert s.traffic.growth == "compound" and s.traffic.growth_calls_per_month == 0


def test_the_capacity_is_sent_one_way():
    state = S.flatten(c.validate(rich()))
    assert state["mode:options.model.capacity"] == "tokens"
    assert state["options.model.node_capacity_rps"] == 100.0     # ready to switch to
    state["mode:options.model.capacity"] = "rps"
    opt = c.validate(S.collect(state)).options["model"]
    assert opt.node_capacity_rps == 100.0 and opt.tokens_per_call is None


def test_rename_carries_every_reference_and_remove_frees_them():
    state = S.flatten(c.validate(rich()))
    S.rename_option(state, "model", "classifier")
    s = c.validate(S.collect(state))
    assert s.options["mix"].primary == "classifier" and "model" not in s.options
    orphans = S.remove_option(state, "review")
    assert orphans == ["mix"] and state["options.mix.fallback"] == S.NONE


def test_add_option_of_every_kind_and_a_hybrid_validates():
    state = S.flatten(c.validate(worked()))
    for kind in ("rules", "vendor_api", "genai_api", "in_house"):
        S.add_option(state, kind, S.new_name(state, kind))
    S.add_hybrid(state, "hybrid", "model", "api", 0.8, "segment")
    s = c.validate(S.collect(state))
    assert [o.kind for o in s.options.values()].count("in_house") == 2
    assert s.options["hybrid"].primary_share == 0.8
    assert s.options["model"].interim is None          # the fallback serves before it
    assert set(KIND_MODELS) == {o.kind for o in s.options.values()}


def test_roles_added_and_removed_reach_every_option():
    state = S.flatten(c.validate(rich()))
    S.add_role(state, "pm", 12_000)
    state["options.model.run_team.pm"] = 0.1
    assert c.validate(S.collect(state)).options["model"].run_team["pm"] == 0.1
    S.remove_role(state, "pm")
    assert "pm" not in c.validate(S.collect(state)).team


def test_tiers_split_and_drop():
    state = S.flatten(c.validate(rich()))
    S.add_tier(state, "vision")          # a new bound at 10 x the previous: 5e7
    tiers = c.validate(S.collect(state)).options["vision"].tiers
    assert [t.up_to_units for t in tiers][1:] == [5e6, 5e7, None]
    S.remove_tier(state, "vision")
    S.remove_tier(state, "vision")
    assert len(c.validate(S.collect(state)).options["vision"].tiers) == 2


def test_dates_travel_as_dates():
    state = S.flatten(c.validate(rich()))
    assert state["prices_as_of"] == dt.date(2026, 11, 1)
    assert state["start_date"] == dt.date(2027, 3, 1)
    state["start_date"] = "2028-01"                 # as typed in the box
    assert c.validate(S.collect(state)).start_date == dt.date(2028, 1, 1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(registry_scenario())
def test_any_scenario_goes_through_the_state_unchanged(data):
    # ranges, data blocks, catalog models and instances, tiers, roles, an explicit
    # monthly_calls series, switched-off options and hybrids, every number drawn within
    # (often at) the registry's bounds
    s = c.validate(data)
    assert roundtrip(s) == s
