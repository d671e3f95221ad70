"""The risk view with spec version 2: hybrids, the memory bound, and options that go live
after the horizon."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from test_hybrid import building
from worked import scenario

import calculator as c
from calculator.model import risk, risk_text
from calculator.model.analysis import comparable, report


def test_an_interim_plan_that_goes_live_after_the_horizon_does_not_break_the_risk_view():
    # work starts in month 14 of 12: the sweep covers start months 1-12, the plan is the
    # interim alone (12 · 3,000 = 36,000) and nothing of the model is paid
    s = scenario(options__model__start_month=14)
    tm = risk.timing(s, "model")
    assert tm["current_start_month"] == 14
    assert tm["current_total"] == pytest.approx(36_000)
    assert tm["start_months"] == list(range(1, 13))
    rep = risk.simulate_report(s, draws=200)
    assert rep["options"]["model"]["plain"]["live_month"] == 16
    assert rep["timing"]["model"]["current_total"] == pytest.approx(36_000)
    json.dumps(rep, allow_nan=False)


def test_the_current_total_is_the_plan_in_the_timing_view():
    # start month 3 as planned: the sweep's month-3 total and the plain total agree
    s = scenario(options__model__start_month=3)
    tm = risk.timing(s, "model")
    assert tm["current_total"] == pytest.approx(tm["totals"][2])
    assert tm["current_total"] == pytest.approx(comparable(c.evaluate(s))[0, 1])


def test_a_bigger_scenario_gets_fewer_draws_and_says_so():
    # 10 options over 120 months: 6,000,000 / 1,200 = 5,000 draws of the 10,000 asked
    llm = {"kind": "genai_api", "input_tokens_per_call": 100, "output_tokens_per_call": 10,
           "price_per_million_input_tokens": {"low": 1, "likely": 2, "high": 3},
           "price_per_million_output_tokens": 5}
    s = c.validate({"schema_version": 1, "name": "big", "horizon_months": 120,
                    "traffic": {"calls_per_month": 1000},
                    "options": {f"llm{i}": llm for i in range(10)}})
    assert risk.draws_within_budget(s, 10_000) == 5_000
    rep = risk.simulate_report(s, draws=10_000)
    assert (rep["draws"], rep["draws_reduced_from"]) == (5_000, 10_000)
    assert "Fewer draws than the 10,000 asked for" in risk_text.simulate_table(rep)
    small = risk.simulate_report(scenario(), draws=300)
    assert (small["draws"], small["draws_reduced_from"]) == (300, None)


def test_too_many_draws_is_a_scenario_error_with_a_sentence(run_cli):
    with pytest.raises(c.ScenarioError, match="more than the maximum of 200,000"):
        risk.simulate_report(scenario(), draws=risk.MAX_DRAWS + 1)
    path = str(ROOT / "scenarios" / "search-query-intent.yaml")
    out = run_cli("simulate", path, "--draws", "300000")
    assert out.returncode == 2
    assert "300,000 draws is more than the maximum of 200,000" in out.stderr


def test_a_hybrid_in_the_risk_report():
    # the primary (p = 0.5) is switched off: the hybrid carries its success probability,
    # its failed-build share and its expected line (0.5 · 37,220 + 0.5 · 37,300)
    d = building()
    d["options"]["model"]["enabled"] = False
    rep = risk.simulate_report(c.validate(d), draws=1_000, seed=3)
    both = rep["options"]["both"]
    assert both["success_probability"] == 0.5
    assert 0.4 < both["build_failed_share"] < 0.6
    assert both["expected"]["total_cost"] == pytest.approx(37_260)
    assert both["total_cost"]["p10"] == pytest.approx(37_220)
    assert both["total_cost"]["p90"] == pytest.approx(37_300)
    json.dumps(rep, allow_nan=False)
    assert "both" in risk_text.simulate_table(rep)


def test_a_ranged_value_with_likely_zero_has_a_value_view_in_both_reports():
    # found by tests/test_finite.py: the Monte Carlo had net values, the plain run none
    s = scenario(quality={"value_per_correct_prediction": {"low": 0, "likely": 0, "high": 0.01}})
    rep = risk.simulate_report(s, draws=100)
    assert rep["value"]["net_value"]["api"] == pytest.approx(-36_000)     # 0 value - 36,000
    assert report(s)["options"]["api"]["net_value"] == pytest.approx(-36_000)
