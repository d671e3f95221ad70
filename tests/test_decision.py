"""The Decision: every answer computed once, and the sentences made from it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import calculator as c
from calculator.model.decision import decide, payoff_months
from calculator.model.risk import CELL_BUDGET, draws_within_budget
from tests.worked import scenario, worked

TODAY = dt.date(2026, 12, 1)


def test_worked_example_never_pays_off_within_12_months():
    # api: 3,000 a month -> 36,000. model: 24,000 + 23,000, then 1,730 a month:
    # 47,000 + 10 x 1,730 = 64,300. Saving of building = 36,000 - 64,300 = -28,300.
    d = decide(scenario(), today=TODAY)
    assert (d.build, d.buy, d.cheapest) == ("model", "api", "api")
    assert d.saving == pytest.approx(-28_300)
    assert d.payoff_month is None and d.odds is None
    t = d.texts
    assert t.headline == ("Building does not pay off within 12 months: model costs $28.3k more "
                          "(total cost) than api over 12 months.")
    assert t.sure.startswith("This assumes every input exactly as given")
    # payback traffic: at a steady V, api costs 12 x 0.003 V = 0.036 V; model costs two
    # interim months (0.006 V) + 2 x 20,000 build + 1,000 setup + 10 x 1,730 = 0.006 V +
    # 58,300; equal at V = 58,300 / 0.030 = 1,943,333 calls a month
    pay = d.pair_figure(d.payback, "model", "api")
    assert pay.calls_per_month == pytest.approx(1_943_333.3, rel=1e-3) and pay.single
    assert [(n.label, n.value) for n in t.numbers] == [
        ("Extra cost to build", "$28.3k"), ("Pays off", "No"),
        ("Payback traffic", "1.9M a month"), ("Build goes live", "Month 3")]
    assert ("Building would pay for itself within 12 months at a steady 1.9M calls a month "
            "or more (payback traffic); traffic reaches 1M a month by month 12.") in t.details
    assert t.verdict == "Buy api"


def test_a_longer_horizon_pays_off_in_month_35():
    # saving(t) = 3,000 t - (47,000 + 1,730 (t - 2)) = 1,270 t - 43,540 > 0 from t = 35;
    # at t = 48: 1,270 x 48 - 43,540 = 17,420
    d = decide(scenario(horizon_months=48), today=TODAY)
    assert d.payoff_month == 35
    assert d.saving == pytest.approx(17_420)
    assert d.saving_curve[33] < 0 < d.saving_curve[34]
    assert d.texts.headline == ("Building pays off: model (with api until month 3) overtakes "
                                "api in month 35 and saves $17.4k (total cost) over 48 months.")
    # one more month of building: a month of build team (20,000) and api (3,000) instead
    # of a live month (1,730) -> 21,270
    assert d.delay_cost == pytest.approx(21_270)
    assert any("each month of delay costs about $21.3k" in x for x in d.texts.revisit)


def test_months_read_as_calendar_months_with_a_start_date():
    # month 35 from January 2027 is 34 months later: November 2029
    d = decide(scenario(horizon_months=48, start_date="2027-01"), today=TODAY)
    assert "in month 35 (Nov 2029)" in d.texts.headline
    assert "until month 3 (Mar 2027)" in d.texts.headline


def test_labels_name_the_options_everywhere():
    d = decide(scenario(horizon_months=48, options__api__label="LLM API",
                        options__model__label="Our classifier"), today=TODAY)
    everything = " ".join([d.texts.headline, d.texts.action, *d.texts.figures,
                           *d.texts.revisit, *(n.help for n in d.texts.numbers)])
    assert "Our classifier (with LLM API until month 3) overtakes LLM API" in everything
    assert " api" not in everything.replace("LLM API", "")
    assert "model " not in everything


def test_with_ranges_the_headline_says_how_sure_it_is():
    d = decide(scenario(horizon_months=48,
                        options__model__build_months={"low": 1, "likely": 2, "high": 12}),
               today=TODAY)
    o = d.odds
    assert o is not None and o.draws == 10_000
    assert 0 < o.p_build_cheaper < 1
    # the share in the headline is the Monte Carlo's, with its wording band
    share = f"{round(o.p_build_cheaper * 100)} %"
    assert share in d.texts.headline
    word = "probably pays off" if 0.55 <= o.p_build_cheaper < 0.9 else "pay"
    assert word in d.texts.headline
    assert "month 35 on likely values" in d.texts.headline
    assert "draws" in d.texts.sure
    # payoff percentiles are ordered, none before the build could be live
    months = [m for m in (o.payoff_p10, o.payoff_p50, o.payoff_p90) if m is not None]
    assert months == sorted(months) and months[0] >= 3
    assert len(o.band_p10) == 48 and all(a <= b for a, b in zip(o.band_p10, o.band_p90, strict=True))


def test_payoff_month_is_the_first_month_from_which_building_stays_ahead():
    saving = np.array([[-3, -1, 2, 3, 4],      # ahead from month 3
                       [1, 2, -1, 1, 1],        # dips in month 3: ahead for good from month 4
                       [1, 2, 3, -1, -2],       # ends behind: never
                       [1, 1, 1, 1, 1]], float)  # ahead from the start
    assert payoff_months(saving, np.ones_like(saving)).tolist() == [3, 4, 0, 1]


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


def test_no_build_option_names_the_cheapest_and_how_sure():
    data = worked()
    del data["options"]["model"]
    data["options"]["rules"] = {"kind": "rules", "cost_per_1k_calls": {
        "low": 2.0, "likely": 2.5, "high": 4.0}}     # 2,500 a month, likely below the api
    d = decide(c.validate(data), today=TODAY)
    assert d.build is None and d.cheapest == "rules"
    p = d.odds.p_cheapest["rules"]
    # rules beat the api's 3,000 when 1,000 x price < 3,000, i.e. price < 3: P = ?
    # triangular(2, 2.5, 4): P(x < 3) = 1 - (4-3)^2 / ((4-2)(4-2.5)) = 1 - 1/3 = 0.667
    assert p == pytest.approx(2 / 3, abs=0.02)
    assert d.texts.headline.startswith(f"rules is probably the cheapest ({round(p * 100)} % of")
