"""Payback traffic and the hybrid share sweep (calculator.model.sweeps), hand-computed, and
their place in the JSON report."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from conftest import ROOT
from test_hybrid import data as hybrid_data
from worked import scenario

import calculator as c
from calculator.model import sweeps
from calculator.model.analysis import break_even, report
from calculator.model.params import Params
from calculator.model.sweeps import paybacks, share_sweep


def test_build_labelling_and_retraining_move_payback_far_above_run_rate_parity():
    # 12 months at V calls: api 12 · 0.003·V = 0.036·V. model: 20,000 labels missing at
    # 10,000 a month -> labelling months 1-2 at 5,000 (10,000); setup 1,000 and build months
    # 3-4 (2 · 20,000); the api serves months 1-4 (0.012·V); live from month 5: 8 · 1,730;
    # retraining every 3 months (months 8 and 11) at 2,000 -> 0.012·V + 68,840.
    # Payback: 0.024·V = 68,840 -> V = 2,868,333.3; run-rate parity 1,730 / 0.003 = 576,667.
    s = scenario(options__model__data={"labels_needed": 20_000, "cost_per_label": 0.5,
                                       "labels_per_month": 10_000},
                 options__model__retraining={"every_months": 3, "cost": 2_000})
    v, single = paybacks(s, [("api", "model")])
    assert v[0, 0] == pytest.approx(68_840 / 0.024, rel=1e-3)
    assert single[0, 0]
    assert break_even(s, "api", "model")[0] == pytest.approx(576_666.67, rel=1e-3)


def test_node_steps_make_several_thresholds_and_the_lowest_is_reported():
    # a node serves 1 call/s · 3,600 s · 730 h = 2,628,000 calls a month and costs 1.1 · 730
    # = 803; 12 months plus 1,200 setup. Rules cost 0.0005 a call: 0.006·V over the horizon.
    # 1 node: 9,636 + 1,200 = 10,836 -> cheaper from V = 1,806,000;
    # above 2,628,000 two nodes: 20,472 > 0.006 · 2,628,000 = 15,768: rules cheaper again;
    # two nodes cheaper again from 20,472 / 0.006 = 3,412,000; three nodes at 5,256,000 cost
    # 30,108 < 31,536 and so on: three sign changes, the lowest is 1,806,000.
    s = c.validate({
        "schema_version": 1, "name": "steps", "horizon_months": 12,
        "traffic": {"calls_per_month": 1e6},
        "options": {
            "rules": {"kind": "rules", "cost_per_1k_calls": 0.5},
            "model": {"kind": "in_house", "setup": {"cost": 1_200}, "node_cost_per_hour": 1.1,
                      "node_capacity_rps": 1, "target_utilization": 1.0, "min_nodes": 1}}})
    v, single = paybacks(s, [("rules", "model")])
    assert v[0, 0] == pytest.approx(1_806_000, rel=1e-3)
    assert not single[0, 0]
    rep = report(s)
    assert rep["payback"] == [{"options": ["rules", "model"],
                               "calls_per_month": pytest.approx(1_806_000, rel=1e-3),
                               "single_threshold": False}]


def test_payback_ignores_the_traffic_curve_and_discounts_when_asked():
    flat = paybacks(scenario(), [("api", "model")])[0][0, 0]
    assert flat == pytest.approx(58_300 / 0.03, rel=1e-3)     # see sweeps' docstring
    grown = scenario(traffic={"calls_per_month": 10, "growth": "compound",
                              "growth_rate_monthly": 0.5})
    series = scenario(traffic={"calls_per_month": 10, "monthly_calls": [5e6] * 14})
    for other in (grown, series):
        assert paybacks(other, [("api", "model")])[0][0, 0] == pytest.approx(flat, rel=1e-9)
    # with discounting the build's early money weighs more than the later savings
    later = paybacks(scenario(discount_rate_annual=0.2), [("api", "model")])[0][0, 0]
    assert later > flat * 1.005


def test_pairs_that_never_change_and_several_draws():
    # an option against itself in disguise: no change up to 10^12, and a single threshold
    s = scenario(options__twin=dict(scenario().options["api"].model_dump(exclude_none=True)))
    v, single = paybacks(s, [("api", "twin"), ("api", "model")])
    assert np.isnan(v[0, 0]) and single[0, 0]
    # two draws of the build team's rate: 20,000 and 10,000 (build 40,000 -> 20,000):
    # 0.03·V = 58,300 or 38,300 (run team 0.05 FTE at the rate: 1,000 -> 500 a month, 10 months)
    p = Params(2, {"team.ml_engineer": np.array([20_000.0, 10_000.0])})
    v, _ = paybacks(scenario(), [("api", "model")], p)
    assert v[:, 0] == pytest.approx([58_300 / 0.03, 33_300 / 0.03], rel=1e-3)


def test_share_sweep_hand_computed():
    # the spec's hybrid with a run team of 500: month = 1,960 + (1 - p)·2,000
    # + (p·30,000 + (1 - p)·80,000)·0.01 = 4,760 - 2,500·p -> over 12 months 57,120 - 30,000·p
    d = hybrid_data()
    d["team"]["mle"] = 500
    s = c.validate(d)
    out = share_sweep(s, "both", n=11)
    assert out["shares"] == pytest.approx(np.linspace(0, 1, 11))
    assert out["totals"] == pytest.approx(57_120 - 30_000 * np.linspace(0, 1, 11))
    assert (out["best_share"], out["best_total"]) == (1.0, pytest.approx(27_120))
    # singles: llm 12 · (2,000 + 800) = 33,600; model 12 · (500 + 1,460 + 1,000) = 35,520
    assert (out["best_single"], out["best_single_total"]) == ("llm", pytest.approx(33_600))
    assert out["saving"] == pytest.approx(6_480)
    assert report(s)["hybrids"]["both"] == {k: out[k] for k in (
        "best_share", "best_total", "best_single", "best_single_total", "saving")}


def test_share_sweep_averages_over_a_ranged_primary_accuracy():
    # errors are linear in the accuracy: the mean over draws is the total at the mean draw,
    # 57,120 - 2,800·12·p + 10,000·12·p·(1 - mean accuracy)
    d = hybrid_data(primary_accuracy={"low": 0.9, "likely": 0.97, "high": 0.99})
    d["team"]["mle"] = 500
    s = c.validate(d)
    out = share_sweep(s, "both", n=5, draws=4_000, seed=1)
    rng_mean = np.random.default_rng(1).triangular(0.9, 0.97, 0.99, 4_000).mean()
    p = np.linspace(0, 1, 5)
    assert out["totals"] == pytest.approx(57_120 - 33_600 * p + 120_000 * p * (1 - rng_mean))


def test_report_labels_warnings_and_v1_keys():
    s = scenario(options__model__label="Our own model", prices_as_of="2026-01-15")
    rep = report(s, today=dt.date(2026, 6, 1))
    assert rep["options"]["model"]["label"] == "Our own model"
    assert rep["options"]["api"]["label"] == "api"
    assert rep["warnings"] == [
        "api (an LLM API) has no run team: prompts, evaluations and model versions need "
        "upkeep; add part of someone's time (e.g. 0.1 FTE)."]
    assert rep["hybrids"] == {}
    assert rep["payback"][0]["options"] == ["api", "model"]
    json.dumps(rep, allow_nan=False)
    stale = report(s, today=dt.date(2026, 7, 16))["warnings"][0]
    assert stale.startswith("The prices were checked on 2026-01-15, more than 6 months ago")


@pytest.mark.parametrize("routing", ["segment", "confidence"])
def test_share_sweep_at_the_mean_accuracy_is_the_mean_over_the_draws(routing):
    # the sweep evaluates each share once, at the mean of the accuracy's draws; the mean of
    # the totals over every draw (what it computed before, 256 evaluations a share) must be
    # the same figure, since the accuracy enters a total only through the errors, linearly
    from calculator.model.params import draw
    from calculator.model.sweeps import SHARE_DRAWS, horizon_totals

    shipped = c.load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml")
    d = hybrid_data(primary_accuracy={"low": 0.9, "likely": 0.97, "high": 0.99})
    d["options"]["both"]["routing"] = routing
    checked = 0
    for s, name in [(c.validate(d), "both"),
                    *((shipped, n) for n, o in shipped.active.items() if o.kind == "hybrid")]:
        opt = s.active[name]
        out = share_sweep(s, name)
        path, acc = sweeps.primary_accuracy_path(name, opt)
        acc = acc if acc is not None else s.options[opt.primary].accuracy
        if not isinstance(acc, c.Range):
            continue
        alone = {name: opt} | {k: s.options[k].model_copy(update={"enabled": False})
                               for k in (opt.primary, opt.fallback)}
        sub = s.model_copy(update={"options": alone})
        shares, k = np.linspace(0, 1, 21), SHARE_DRAWS
        every = {f"options.{name}.primary_share": np.repeat(shares, k),
                 path: np.tile(draw(np.random.default_rng(sweeps.DEFAULT_SEED), acc, k), 21)}
        brute = horizon_totals(sub, Params(21 * k, every))[:, 0].reshape(21, k).mean(axis=1)
        assert out["totals"] == pytest.approx(brute, rel=1e-12, abs=1e-6)
        assert out["best_share"] == float(shares[int(np.argmin(brute))])
        checked += 1
    assert checked == 3       # the test's hybrid and both of the shipped scenario's
