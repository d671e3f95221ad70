"""The Decision: every answer computed once (payoff, saving, payback, delay cost, odds).
The sentences made from it are in test_narrative.py."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import calculator as c
from calculator.model import decision as decision_mod
from calculator.model.decision import _running_sum, decide, payoff_months
from calculator.model.risk import CELL_BUDGET, draws_within_budget
from tests.worked import scenario, worked

TODAY = dt.date(2026, 12, 1)


def test_worked_example_never_pays_off_within_12_months():
    # api: 3,000 a month -> 36,000. model: 24,000 + 23,000, then 1,730 a month:
    # 47,000 + 10 x 1,730 = 64,300. Saving of building = 36,000 - 64,300 = -28,300.
    # (What the Decision says about it: test_narrative.py.)
    d = decide(scenario(), today=TODAY)
    assert (d.build, d.buy, d.cheapest) == ("model", "api", "api")
    assert d.saving == pytest.approx(-28_300)
    assert d.payoff_month is None and d.odds is None
    # payback traffic: at a steady V, api costs 12 x 0.003 V = 0.036 V; model costs two
    # interim months (0.006 V) + 2 x 20,000 build + 1,000 setup + 10 x 1,730 = 0.006 V +
    # 58,300; equal at V = 58,300 / 0.030 = 1,943,333 calls a month
    pay = d.pair_figure(d.payback, "model", "api")
    assert pay.calls_per_month == pytest.approx(1_943_333.3, rel=1e-3) and pay.single


def test_a_longer_horizon_pays_off_in_month_35():
    # saving(t) = 3,000 t - (47,000 + 1,730 (t - 2)) = 1,270 t - 43,540 > 0 from t = 35;
    # at t = 48: 1,270 x 48 - 43,540 = 17,420
    d = decide(scenario(horizon_months=48), today=TODAY)
    assert d.payoff_month == 35
    assert d.saving == pytest.approx(17_420)
    assert d.saving_curve[33] < 0 < d.saving_curve[34]
    # one more month of building: a month of build team (20,000) and api (3,000) instead
    # of a live month (1,730) -> 21,270
    assert d.delay_cost == pytest.approx(21_270)


def test_payoff_month_is_the_first_month_from_which_building_stays_ahead():
    saving = np.array([[-3, -1, 2, 3, 4],      # ahead from month 3
                       [1, 2, -1, 1, 1],        # dips in month 3: ahead for good from month 4
                       [1, 2, 3, -1, -2],       # ends behind: never
                       [1, 1, 1, 1, 1]], float)  # ahead from the start
    assert payoff_months(saving, np.ones_like(saving)).tolist() == [3, 4, 0, 1]


def test_payoff_month_reads_the_same_with_months_down_the_rows():
    # The odds read a month's draws side by side, (H, D); the plain report (D, H). Against
    # the definition itself (ahead in every month from m on, and in month m - 1 not), on
    # random savings with many ties and sign changes.
    rng = np.random.default_rng(5)
    saving = rng.integers(-2, 3, size=(400, 7)).astype(float)
    scale = np.full_like(saving, 1.0)
    ahead = saving > 0
    want = [next((m + 1 for m in range(7) if ahead[d, m:].all()), 0) for d in range(400)]
    assert payoff_months(saving, scale).tolist() == want
    assert payoff_months(saving.T, scale.T, axis=0).tolist() == want
    assert 0 in want and 1 in want and 7 in want         # never, from the start, the last


@pytest.mark.parametrize("h", [255, 256, 300])
def test_payoff_month_past_255_months(h):
    # month numbers are counted in the smallest integer type that holds h (uint8 up to
    # 255): one draw behind only in its last month but one, one behind in none
    saving = np.ones((3, h))
    saving[0, h - 2] = -1.0            # ahead for good from month h
    saving[1, -1] = -1.0               # ends behind: never
    assert payoff_months(saving, np.ones_like(saving)).tolist() == [h, 0, 1]
    assert payoff_months(saving.T, np.ones_like(saving.T), axis=0).tolist() == [h, 0, 1]


def test_running_sum_is_numpys_cumsum_bit_for_bit():
    rng = np.random.default_rng(6)       # costs and refunds from cents to millions
    full = rng.lognormal(10, 3, size=(36, 3000)) * rng.choice([-1.0, 1.0], size=(36, 3000))
    rows = full[:, ::3]                   # a strided view, as the odds pass their rows
    assert np.array_equal(_running_sum(rows).view(np.int64),
                          np.cumsum(rows, axis=0).view(np.int64))


def test_big_scenarios_get_fewer_draws_and_say_so():
    data = worked(horizon_months=240, traffic__calls_per_month={"low": 5e5, "likely": 1e6,
                                                                "high": 2e6})
    for i in range(18):
        data["options"][f"r{i}"] = {"kind": "rules", "cost_per_1k_calls": 0.01 * (i + 1)}
    s = c.validate(data)
    n = draws_within_budget(s, 10_000)
    assert n == CELL_BUDGET // (20 * 240) and n < 10_000       # 6,000,000 / 4,800 = 1,250
    d = decide(s, today=TODAY)
    assert d.odds.draws == n and d.odds.reduced_from == 10_000
    assert any("1,250 draws instead of 10,000" in x for x in d.texts.risks)


def test_payoff_percentiles_are_numpys_inverted_cdf_quantiles():
    # P10/P50/P90 read off the count of draws per month must be np.quantile's
    # inverted_cdf order statistics (a draw that never pays off, 0, counting as after
    # the horizon: None), for every draw count, including the tiny and the odd ones
    rng = np.random.default_rng(5)
    for n in [1, 2, 3, 7, 10, 11, 99, 1000, 2345, 9999, 10_000]:
        h = int(rng.integers(1, 121))
        months = rng.integers(0, h + 1, size=n)
        months[rng.random(n) < rng.random()] = 0        # some never pay off
        at = np.where(months > 0, months.astype(float), np.inf)
        want = np.quantile(at, [0.1, 0.5, 0.9], method="inverted_cdf")
        got = decision_mod._months_pct(months, h)
        assert got == [int(v) if np.isfinite(v) else None for v in want], (n, h)
    # by hand: ten draws paying off in months 1..10: k = ceil(10*0.1 - 1) = 0 -> month 1,
    # ceil(10*0.5 - 1) = 4 -> month 5, ceil(10*0.9 - 1) = 8 -> month 9
    assert decision_mod._months_pct(np.arange(1, 11), 12) == [1, 5, 9]
    # half never pay off: P50 is the 5th smallest of [1..5, inf x 5] = 5, P90 after the horizon
    assert decision_mod._months_pct(np.array([1, 2, 3, 4, 5, 0, 0, 0, 0, 0]), 12) == [1, 5, None]


def test_percentiles_of_sorted_rows_are_numpys_bit_for_bit():
    rng = np.random.default_rng(8)
    for n in [1, 2, 3, 10, 11, 1001, 10_000]:
        rows = np.sort(rng.normal(0, 1e6, size=(36, n)) * rng.random((36, 1)), axis=1)
        got = decision_mod.sorted_percentiles(rows, (10, 90))
        want = np.percentile(rows, [10, 90], axis=1)
        assert np.array_equal(got.view(np.int64), want.view(np.int64)), n
    # by hand: 0, 10, 20, ..., 100 (n = 11): P10 sits at index 1.0 -> 10, P90 at 9.0 -> 90;
    # with n = 2 (0 and 100): P10 at index 0.1 -> 0 + 100 * 0.1 = 10, P90 -> 90
    assert decision_mod.sorted_percentiles(np.arange(0.0, 101, 10)[None, :], (10, 90)).tolist() \
        == [[10.0], [90.0]]
    two = decision_mod.sorted_percentiles(np.array([[0.0, 100.0]]), (10, 90))
    assert np.allclose(two, [[10.0], [90.0]])
