"""Decisions under uncertainty (calculator.model.risk): Monte Carlo, expected values,
tornado, timing, data readiness and value, against hand-computed cases.

The worked example of spec/model.md is the base: api (genai_api) 3,000 a month; model
(in_house) interim api, 2 build months at 20,000, setup 1,000, then 730 + 1,000 = 1,730 a month.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS
from worked import scenario

import calculator as c
from calculator.model import risk, risk_text
from calculator.model.analysis import comparable, expected_totals, report, totals
from calculator.model.params import DEFAULT_SEED, Params


def mc(s: c.Scenario, draws: int = 2_000, seed: int = DEFAULT_SEED) -> c.Result:
    return c.evaluate(s, Params.sample(s, draws, seed), detail=False)


# -- Monte Carlo on the draws axis ----------------------------------------------------------

def test_without_ranges_every_draw_is_the_plain_report():
    s = scenario(horizon_months=40)
    plain, r = c.evaluate(s), mc(s, 500)
    assert r.draws == 500
    assert np.array_equal(r.money, np.broadcast_to(plain.money, r.money.shape))
    assert np.array_equal(r.error, np.broadcast_to(plain.error, r.error.shape))
    rep = risk.simulate_report(s, draws=500)
    total = report(s)["options"]["model"]["total_cost"]       # 64,300 + 28 · 1,730 = 112,740
    assert total == pytest.approx(112_740)
    q = rep["options"]["model"]["total_cost"]
    assert q["p10"] == q["p50"] == q["p90"] == pytest.approx(total)
    fan = rep["fan"]["model"]
    assert fan["p10"] == fan["p90"] == fan["plain"]
    # one outcome in every draw: chances are 0 or 1, and the model catches up in month 35
    (pair,) = rep["pairs"]
    assert set(pair["p_a_cheaper"]) | set(pair["p_b_cheaper"]) <= {0.0, 1.0}
    cross = pair["crossover"]
    assert cross["month_p10"] == cross["month_p50"] == cross["month_p90"] == 35
    assert cross["share_no_crossover"] == 0 and cross["b_catches_up"] == 1.0


def test_same_seed_same_numbers_other_seed_other_numbers():
    s = scenario(options__api__price_per_million_input_tokens={"low": 1, "likely": 2, "high": 3})
    one = risk.simulate_report(s, draws=1_000, seed=7)
    assert risk.simulate_report(s, draws=1_000, seed=7) == one
    assert risk.simulate_report(s, draws=1_000, seed=8) != one
    # no seed means the fixed default seed: reproducible by default
    assert risk.simulate_report(s, draws=1_000) == risk.simulate_report(s, 1_000, DEFAULT_SEED)


def test_p_cheaper_is_a_probability_and_monotone_where_it_must_be():
    # api input price 1.5..2.5 -> api costs 1,000·price + 1,000 = 2,500..3,500 a month, always
    # above the model's 1,730 once live; build months 1..4. Before it is live the model only
    # falls further behind (D rises); from its live month on D falls every month. So in every
    # draw, once the model is cheaper it stays cheaper: P(model cheaper by t) never falls.
    s = scenario(horizon_months=60,
                 options__api__price_per_million_input_tokens={"low": 1.5, "likely": 2,
                                                               "high": 2.5},
                 options__model__build_months={"low": 1, "likely": 2, "high": 4})
    rep = risk.simulate_report(s, draws=4_000)
    (pair,) = rep["pairs"]
    pa, pb = np.array(pair["p_a_cheaper"]), np.array(pair["p_b_cheaper"])
    assert np.all((pa >= 0) & (pa <= 1)) and np.all((pb >= 0) & (pb <= 1))
    assert np.all(pa + pb <= 1 + 1e-12)
    assert np.all(np.diff(pb) >= 0)
    assert pb[0] == 0                          # month 1: the model is building in every draw
    assert 0 < pb[30] < pb[-1] < 1             # later, it depends on the draw


def test_a_higher_price_never_raises_the_chance_of_being_cheaper():
    # Same seed, same ranges: each draw of the dearer scenario costs the api more, so the
    # api can only lose months in which it was cheaper.
    rng = {"low": 1.5, "likely": 2, "high": 2.5}
    base = dict(horizon_months=60, options__api__price_per_million_input_tokens=rng,
                options__model__build_months={"low": 1, "likely": 2, "high": 8})
    cheap = risk.simulate_report(scenario(**base), draws=2_000)["pairs"][0]["p_a_cheaper"]
    dear = risk.simulate_report(scenario(**base, options__api__price_per_million_output_tokens=11),
                                draws=2_000)["pairs"][0]["p_a_cheaper"]
    assert np.all(np.array(dear) <= np.array(cheap))
    assert sum(dear) < sum(cheap)


def test_a_range_collapsed_to_one_value_equals_the_plain_report():
    point = {"low": 2.0, "likely": 2.0, "high": 2.0}
    s = scenario(options__api__price_per_million_input_tokens=point,
                 options__model__build_months={"low": 2, "likely": 2, "high": 2})
    plain = c.evaluate(scenario())
    r = mc(s, 300)
    assert np.array_equal(r.money, np.broadcast_to(plain.money, r.money.shape))
    rep = risk.simulate_report(s, draws=300)
    assert rep["options"]["api"]["total_cost"]["p90"] == 36_000        # 12 · 3,000
    assert rep["options"]["model"]["total_cost"]["p10"] == pytest.approx(64_300)


def test_crossover_summary_counts_no_crossover_as_after_the_horizon():
    # months 5, 7, 9 and two draws that never cross: sorted 5, 7, 9, never, never.
    # P10 -> the 1st of 5 draws (5); P50 -> the 3rd (9); P90 -> the 5th (never).
    out = risk.crossover_summary(np.array([0, 5, 7, 9, 0]), np.array([0, 0, 1, 0, 1]))
    assert (out["month_p10"], out["month_p50"], out["month_p90"]) == (5, 9, None)
    assert out["share_no_crossover"] == pytest.approx(0.4)
    assert out["a_catches_up"] == pytest.approx(0.4) and out["b_catches_up"] == pytest.approx(0.2)


# -- success probability --------------------------------------------------------------------

def test_a_build_that_always_fails_costs_its_build_and_the_interim_all_horizon():
    s = scenario(options__model__success_probability=0.0, options__model__setup=None)
    r = mc(s, 200)
    # never live: api serves all 12 months (12 · 3,000 = 36,000) + build team months 1-2
    # (2 · 20,000 = 40,000) = 76,000 in every draw
    assert np.all(totals(r)["total_cost"][:, 1] == pytest.approx(76_000))
    assert np.all(r.live_month[:, 1] == 3)                       # planned, never reached
    # the plain report assumes success: 2 · (3,000 + 20,000) + 10 · 1,730 = 63,300
    assert c.evaluate(s).money[0, 1].sum() == pytest.approx(63_300)


def test_expected_is_p_times_success_plus_one_minus_p_times_failure():
    s = scenario(options__model__success_probability=0.25)
    success = report(scenario())["options"]["model"]["total_cost"]        # 64,300
    failure = 36_000 + 2 * 20_000 + 1_000                                  # 77,000 (setup too)
    assert success == pytest.approx(64_300)
    exp = expected_totals(s)["model"]["total_cost"]
    assert exp == pytest.approx(0.25 * 64_300 + 0.75 * 77_000)             # 73,825
    rep = risk.simulate_report(s, draws=10_000)
    row = rep["options"]["model"]
    assert row["expected"]["total_cost"] == pytest.approx(exp)
    assert row["plain"]["total_cost"] == pytest.approx(success)
    # the Monte Carlo draws failures: its mean is the same mix at the realised share
    ok = Params.sample(s, 10_000, DEFAULT_SEED).success["model"]
    share = ok.mean()
    assert row["total_cost"]["mean"] == pytest.approx(share * success + (1 - share) * failure)
    assert row["build_failed_share"] == pytest.approx(1 - share)
    assert abs(share - 0.25) < 0.02                                        # ~4.6 sd of 0.0043
    # the expected cumulative line ends at the expected total
    assert rep["fan"]["model"]["expected"][-1] == pytest.approx(exp)


# -- tornado --------------------------------------------------------------------------------

def test_tornado_largest_bar_is_the_dominant_input():
    s = scenario(options__api__price_per_million_input_tokens={"low": 1, "likely": 2, "high": 3},
                 team__ml_engineer={"low": 19_000, "likely": 20_000, "high": 21_000})
    base, bars = risk.tornado(s, "api", "model")
    # base gap api - model = 36,000 - 64,300 = -28,300
    assert base == pytest.approx(-28_300)
    # input price 1 -> 3: the api's 1e6 · 1,000 tokens cost 1,000 -> 3,000 more a month,
    # 12 months = +24,000; the model pays it too as interim in months 1-2 (+4,000): swing 20,000
    assert bars[0].path == "options.api.price_per_million_input_tokens"
    assert bars[0].at_low == pytest.approx(-28_300 - 12 * 1_000 + 2 * 1_000)
    assert bars[0].swing == pytest.approx(20_000)
    # rate 19,000 -> 21,000: model's build 2 · 2,000 + run 10 · 0.05 · 2,000 = 5,000
    assert bars[1].path == "team.ml_engineer" and bars[1].swing == pytest.approx(5_000)


def test_tornado_of_the_crossover_month():
    s = scenario(horizon_months=60,
                 options__model__build_months={"low": 1, "likely": 2, "high": 30})
    base, (bar,) = risk.tornado(s, "api", "model", "crossover")
    # base: month 34 + 360/1,270 (test_engine); build 30 months: D grows until month 31 and
    # the model never catches up within 60 months
    assert base == pytest.approx(34 + 360 / 1270)
    assert bar.at_high is None and bar.at_low < base
    # one build month: D(1) = 3,000 + 20,000 + 1,000 - 3,000 = 21,000, then -1,270 a month:
    # D(17) = 21,000 - 16 · 1,270 = 680, D(18) = -590 -> month 17 + 680 / 1,270
    assert bar.at_low == pytest.approx(17 + 680 / 1_270)


def test_tornado_leaves_out_success_probability():
    s = scenario(options__model__success_probability={"low": 0.2, "likely": 0.5, "high": 0.9})
    assert risk.tornado(s, "api", "model")[1] == []


# -- timing ---------------------------------------------------------------------------------

def brute_force(s: c.Scenario, name: str) -> np.ndarray:
    """The comparable total for every start month, one evaluation per edited scenario."""
    out = []
    i = list(s.active).index(name)
    for k in range(1, s.horizon_months + 1):
        opt = s.options[name].model_copy(update={"start_month": k})
        edited = s.model_copy(update={"options": {**s.options, name: opt}})
        out.append(comparable(c.evaluate(edited))[0, i])
    return np.array(out)


@pytest.mark.parametrize("horizon, best, best_total", [
    # H = 60: start k costs 3,000·(k + 1) + 41,000 + 1,730·(59 - k) = 146,070 + 1,270·k
    (60, 1, 147_340),
    # H = 12: building never pays; starting in month 12 pays one build month only:
    # 36,000 + 20,000 + 1,000 = 57,000 (start 1: 64,300; start 11: 77,000)
    (12, 12, 57_000),
])
def test_best_start_month_matches_brute_force(horizon, best, best_total):
    s = scenario(horizon_months=horizon)
    tm = risk.timing(s, "model")
    assert np.allclose(tm["totals"], brute_force(s, "model"), rtol=1e-12)
    assert tm["best_start_month"] == best
    assert tm["best_total"] == pytest.approx(best_total)
    assert tm["interim_only_total"] == pytest.approx(3_000 * horizon)


def test_best_start_month_on_shipped_scenarios_with_discounting_and_data():
    for path in SCENARIOS:
        s = c.load_scenario(path)
        for name, opt in s.active.items():
            if getattr(opt, "interim", None) is None:      # hybrids have none
                continue
            tm = risk.timing(s, name)
            totals_ = brute_force(s, name)
            assert np.allclose(tm["totals"], totals_, rtol=1e-12), path.name
            assert tm["best_start_month"] == int(np.argmin(totals_)) + 1


def test_timing_expected_line_with_success_probability():
    s = scenario(horizon_months=60, options__model__success_probability=0.5)
    tm = risk.timing(s, "model")
    fail = scenario(horizon_months=60, options__model__success_probability=0.0)
    # a failed build of start k: api all 60 months + 2 build months + setup = 221,000
    failed = 180_000 + 41_000
    assert tm["expected"][0] == pytest.approx(0.5 * 147_340 + 0.5 * failed)
    assert tm["totals"] == pytest.approx(risk.timing(fail, "model")["totals"])   # plain: success


def test_timing_needs_an_interim():
    with pytest.raises(ValueError, match="no interim"):
        risk.timing(scenario(), "api")


# -- data readiness -------------------------------------------------------------------------

DATA = {"labels_needed": 20_000, "labels_available": 5_000, "cost_per_label": 0.05,
        "labels_per_month": 10_000}


def test_data_shortfall_delays_the_live_month_and_reads_plainly():
    s = scenario(options__model__data=DATA)
    # shortfall 20,000 - 5,000 = 15,000 labels; 15,000 / 10,000 a month -> ceil 2 months;
    # 15,000 · 0.05 = 750; setup and build start in month 1 + 2 = 3, live 3 + 2 = 5 (was 3)
    (row,) = risk.data_readiness(s)
    assert (row["labels_short"], row["labelling_months"], row["labelling_cost"]) == (15_000, 2, 750)
    assert (row["build_start_month"], row["live_month"]) == (3, 5)
    assert row["text"] == ("model: labelling 15,000 labels takes 2 months and $750; the build "
                           "starts in month 3 and it is live from month 5.")
    assert c.evaluate(s).live_month[0, 1] - c.evaluate(scenario()).live_month[0, 1] == 2


def test_data_shortfall_per_draw():
    s = scenario(options__model__data=dict(DATA, labels_per_month={"low": 2_000,
                                                                   "likely": 10_000,
                                                                   "high": 20_000}))
    p = Params.sample(s, 1_000, DEFAULT_SEED)
    per_month = p.values["options.model.data.labels_per_month"]
    # live = start 1 + ceil(15,000 / labels a month) + build 2, draw by draw
    expected = 1 + np.ceil(15_000 / per_month) + 2
    assert np.array_equal(c.evaluate(s, p, detail=False).live_month[:, 1], expected)
    assert set(np.unique(expected)) >= {3 + 1, 3 + 2}    # 1 month (>= 15,000 a month) and 2


def test_no_shortfall_says_so():
    s = scenario(options__model__data=dict(DATA, labels_available=25_000))
    (row,) = risk.data_readiness(s)
    assert row["labelling_months"] == 0 and row["live_month"] == 3
    assert "the 20,000 labels it needs are available" in row["text"]


# -- value ----------------------------------------------------------------------------------

def test_value_statement_when_nothing_pays_for_itself():
    s = scenario(quality={"value_per_correct_prediction": 0.001})
    rep = risk.simulate_report(s, draws=200)
    # api: 12 · 1e6 · 1.0 · 0.001 = 12,000 of value - 36,000 = -24,000
    # model: the same 12,000 - 64,300 = -52,300
    assert rep["value"]["net_value"] == pytest.approx({"api": -24_000, "model": -52_300})
    assert rep["value"]["pays_for_itself"] == []
    assert rep["value"]["statement"].startswith("No option pays for itself within 12 months")
    assert rep["options"]["api"]["p_pays_for_itself"] == 0.0


def test_value_statement_names_the_best():
    s = scenario(quality={"value_per_correct_prediction": 0.01})
    rep = risk.simulate_report(s, draws=200)
    # api: 120,000 - 36,000 = 84,000; model: 120,000 - 64,300 = 55,700
    assert rep["value"]["statement"] == ("2 of 2 options pay for themselves within 12 months; "
                                         "the best net value is api, $84k.")
    assert rep["options"]["model"]["net_value"]["p50"] == pytest.approx(55_700)


# -- the report, the table and the command line ---------------------------------------------

@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_report_on_every_shipped_scenario_is_json_safe(path):
    s = c.load_scenario(path)
    rep = risk.simulate_report(s, draws=500)
    json.dumps(rep, allow_nan=False)
    assert set(rep["options"]) == set(s.active)
    assert len(rep["pairs"]) == math.comb(len(s.active), 2)
    assert sum(o["p_cheapest"] for o in rep["options"].values()) == pytest.approx(1)
    for o in rep["options"].values():
        q = o["total_cost"]
        assert q["p10"] <= q["p50"] <= q["p90"]
    text = risk_text.simulate_table(rep)
    assert s.name in text and "P50" in text


def test_cli_simulate_json_and_table(run_cli):
    path = str(ROOT / "scenarios" / "search-query-intent.yaml")
    run = ["simulate", path, "--draws", "1000"]
    out = run_cli(*run, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["draws"] == 1000 and data["seed"] == DEFAULT_SEED
    assert data == json.loads(json.dumps(risk.simulate_report(c.load_scenario(path), 1000)))
    seeded = run_cli(*run, "--seed", "5")
    assert seeded.returncode == 0 and "seed 5" in seeded.stdout
    assert "labelling 45,000 labels takes 3 months" in seeded.stdout


def test_layering_of_the_risk_modules():
    # the pure model stays pure; the risk charts and the benchmark never pull in streamlit
    code = ("import sys, calculator.model.risk, calculator.bench; "
            "bad = [m for m in ('streamlit', 'altair') if m in sys.modules]; "
            "import calculator.charts.risk; bad += ['streamlit'] * ('streamlit' in sys.modules); "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_tornado_labels_each_input_on_two_lines_its_name_and_its_range():
    # a label "traffic growth a month (+1 % a month to +4 % a month)" on one line was cut
    # at 360 px in the exported image; the name and the range now each have a line
    from calculator.charts.risk import INPUTS, tornado_chart

    s = scenario(options__api__price_per_million_input_tokens={"low": 1, "likely": 2, "high": 3},
                 team__ml_engineer={"low": 19_000, "likely": 20_000, "high": 21_000})
    rep = risk.simulate_report(s, draws=200)
    spec = tornado_chart(rep, "model", "api").to_dict(validate=False)
    (names,) = [p["value"] for p in spec["params"] if p["name"] == INPUTS]
    assert names == [["Api input price per 1M tokens", "($1 to $3)"],
                     ["ML engineer monthly rate", "($19,000 to $21,000)"]]


def test_a_kept_sample_is_the_fresh_one_and_only_reused_for_the_same_ranges():
    from calculator.model import params as params_mod

    s = c.load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml")
    first = Params.sample(s, 3_000, seed=5)
    fresh = Params._sample(s, 3_000, 5, True)            # what it would draw, not kept
    assert set(first.values) == set(fresh.values) and set(first.success) == set(fresh.success)
    for k in fresh.values:
        assert np.array_equal(first.values[k], fresh.values[k])
    for k in fresh.success:
        assert np.array_equal(first.success[k], fresh.success[k])
    # another traffic asks for the very same draws: kept, shared read-only
    busier = s.model_copy(update={"traffic": s.traffic.model_copy(
        update={"calls_per_month": s.traffic.calls_per_month * 3})})
    again = Params.sample(busier, 3_000, seed=5)
    path = next(iter(fresh.values))
    assert again.values[path] is first.values[path]
    with pytest.raises(ValueError):
        again.values[path][0] = 1.0                      # nobody can change a kept draw
    again.values["traffic.calls_per_month"] = np.ones(3_000)   # a caller's own dict ...
    assert "traffic.calls_per_month" not in Params.sample(s, 3_000, seed=5).values  # ... only
    # another seed, count or range: drawn afresh
    assert not np.array_equal(Params.sample(s, 3_000, seed=6).values[path], fresh.values[path])
    assert Params.sample(s, 2_000, seed=5).values[path].shape == (2_000,)
    r = s.traffic.growth_rate_monthly
    wider = s.model_copy(update={"traffic": s.traffic.model_copy(update={
        "growth_rate_monthly": type(r)(r.low, r.likely, r.high * 2)})})
    grown = Params.sample(wider, 3_000, seed=5).values["traffic.growth_rate_monthly"]
    assert grown.max() > fresh.values["traffic.growth_rate_monthly"].max()
    # no seed: never kept (keys are (draws, seed, ...))
    Params.sample(s, 100, seed=None)
    assert all(key[1] is not None for key in params_mod._samples)
