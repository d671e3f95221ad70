"""Spec version 2 in the engine, hand-computed: costs that change over time and GenAI billing
(arithmetic in the comments). Hybrids: tests/test_hybrid.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from worked import scenario

import calculator as c
from calculator.model import catalog, pricing
from calculator.model.analysis import break_even, totals
from calculator.model.params import Params


def one(option: dict, h: int = 25, calls: float = 1000, **top) -> c.Scenario:
    return c.validate({"schema_version": 1, "name": "t", "horizon_months": h,
                       "traffic": {"calls_per_month": calls}, "team": {"mle": 10_000},
                       "options": {"o": option}, **top})


def test_rules_price_change():
    # 1,000 calls · $1 per 1,000 = $1 in month 1; +21 % a year: f(13) = 1.21,
    # f(7) = 1.21^0.5 = 1.1, f(25) = 1.21^2 = 1.4641
    s = one({"kind": "rules", "cost_per_1k_calls": 1.0, "price_change_per_year": 0.21})
    m = c.evaluate(s).money[0, 0]
    assert [m[0], m[6], m[12], m[24]] == pytest.approx([1.0, 1.1, 1.21, 1.4641])


def test_vendor_price_change_scales_tier_prices_and_the_minimum_not_the_bounds():
    tiers = [{"up_to_units": 1000, "price_per_1k_units": 0.0}, {"price_per_1k_units": 2.0}]
    base = {"kind": "vendor_api", "tiers": tiers, "monthly_minimum": 10.0,
            "price_change_per_year": 0.21}
    # 2,000 units: 1,000 free + 1,000 · 0.002 = 2 < minimum 10 -> 10; month 13: 10 · 1.21
    low = c.evaluate(one(base, calls=2000)).money[0, 0]
    assert [low[0], low[12]] == pytest.approx([10.0, 12.1])
    # 11,000 units: 10,000 · 0.002 = 20 (bound still 1,000); month 13: 20 · 1.21 = 24.2
    high = c.evaluate(one(base, calls=11_000)).money[0, 0]
    assert [high[0], high[12]] == pytest.approx([20.0, 24.2])


def test_in_house_price_change_moves_nodes_and_per_call_cost_only():
    # node 1.0/h · 730 h (1 node) + 1,000 calls · 0.5/1k = 730.5, times 0.81 a year later;
    # run team 0.1 · 10,000 = 1,000 and fixed 100 stay flat; retraining (every 12 months
    # after L = 1, so month 13) 50 stays flat: month 13 = 591.705 + 1,100 + 50
    s = one({"kind": "in_house", "node_cost_per_hour": 1.0, "node_capacity_rps": 1000,
             "cost_per_1k_calls": 0.5, "run_team": {"mle": 0.1}, "monthly_cost": 100,
             "retraining": {"every_months": 12, "cost": 50}, "price_change_per_year": -0.19})
    m = c.evaluate(s).money[0, 0]
    assert m[0] == pytest.approx(730.5 + 1_100)
    assert m[12] == pytest.approx(730.5 * 0.81 + 1_100 + 50)


def test_team_cost_change_scales_every_team_cost_of_the_month():
    s = c.validate({
        "schema_version": 1, "name": "t", "horizon_months": 13, "team_cost_change_per_year": 0.21,
        "traffic": {"calls_per_month": 1000}, "team": {"mle": 20_000},
        "options": {
            # build team 1 FTE in months 1-2, run team 0.05 FTE from month 3; setup money flat
            "model": {"kind": "in_house", "build_months": 2, "build_team": {"mle": 1},
                      "setup": {"cost": 1000}, "run_team": {"mle": 0.05},
                      "node_cost_per_hour": 0.0, "node_capacity_rps": 1000,
                      "retraining": {"every_months": 10, "cost": 100,
                                     "team_months": {"mle": 0.5}}},
            # setup effort booked in month 13: 1 person-month at 20,000 · 1.21
            "late": {"kind": "rules", "start_month": 13, "setup": {"team_months": {"mle": 1}}},
        }})
    r = c.evaluate(s)
    g = 1.21 ** (np.arange(13) / 12)
    model, late = r.money[0]
    assert model[0] == pytest.approx(1000 + 20_000)             # g(1) = 1
    assert model[1] == pytest.approx(20_000 * g[1])
    assert model[2] == pytest.approx(1000 * g[2])               # run team 0.05 · 20,000
    # retraining at L + 10 = month 13: 100 + 0.5 · 20,000 · 1.21 = 12,200, plus run team 1,210
    assert model[12] == pytest.approx(100 + 12_100 + 1_210)
    assert late[12] == pytest.approx(24_200) and late[:12].sum() == 0


def test_break_even_keeps_month_one_prices():
    # Prices and salaries that change later leave run-rate parity where it was:
    # 0.003·V = 1,730 -> V = 576,666.67
    s = scenario(team_cost_change_per_year=0.3, options__api__price_change_per_year=-0.5,
                 options__model__price_change_per_year=0.4)
    assert break_even(s, "api", "model")[0] == pytest.approx(576_666.6667, rel=1e-6)


V2 = {"kind": "genai_api", "input_tokens_per_call": 2000, "cached_input_share": 0.5,
      "cache_write_tokens_per_call": 200, "output_tokens_per_call": 100,
      "reasoning_tokens_per_call": 300, "price_per_million_input_tokens": 3.0,
      "price_per_million_cached_input_tokens": 0.30,
      "price_per_million_cache_write_tokens": 3.75, "price_per_million_output_tokens": 15.0}


def test_genai_worked_example_of_version_2():
    # (800·3 + 1,000·0.30 + 200·3.75 + 400·15) / 10^6 = 9,450 / 10^6 = $0.00945 a call
    s = one(V2, h=12, calls=1_000_000)
    assert pricing.cost_per_call(Params.plain(), "o", s.options["o"]) == pytest.approx(0.00945)
    r = c.evaluate(s)
    assert r.money[0, 0] == pytest.approx(np.full(12, 9_450.0))
    assert totals(r)["total_cost"][0, 0] == pytest.approx(113_400.0)


def test_cache_writes_default_to_1_25_times_input():
    # Pw empty: 1.25 · 3 = 3.75, the same $0.00945
    s = one({k: v for k, v in V2.items() if k != "price_per_million_cache_write_tokens"})
    assert pricing.cost_per_call(Params.plain(), "o", s.options["o"]) == pytest.approx(0.00945)
    # typed Pw = 6: + 200 · (6 - 3.75) / 1e6 = + 0.00045
    s = one(V2 | {"price_per_million_cache_write_tokens": 6.0})
    assert pricing.cost_per_call(Params.plain(), "o", s.options["o"]) == pytest.approx(0.0099)


def test_catalog_cache_write_price_is_used_when_the_catalog_has_one(monkeypatch):
    # claude-haiku-4-5: input 1, cached 0.1, output 5; 1,000 input tokens, c = 0.5, W = 100
    opt = {"kind": "genai_api", "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"},
           "input_tokens_per_call": 1000, "cached_input_share": 0.5,
           "cache_write_tokens_per_call": 100, "output_tokens_per_call": 10}
    s = one(opt)
    # the catalog lists a 5-minute write at 1.25: 400·1 + 500·0.1 + 100·1.25 + 10·5 = 625
    assert pricing.cost_per_call(Params.plain(), "o", s.options["o"]) == pytest.approx(0.000625)

    ref = catalog.lookup("anthropic", "claude-haiku-4-5")
    monkeypatch.setattr(catalog, "lookup",
                        lambda *_: dataclasses.replace(ref, cache_write=2.0))
    # a listed write price of 2: 400 + 50 + 200 + 50 = 700 -> 0.0007
    assert pricing.cost_per_call(Params.plain(), "o", s.options["o"]) == pytest.approx(0.0007)


def test_genai_price_change_and_batch_apply_to_reasoning_and_writes_too():
    # $0.00945 · (1 - 0.5·0.5) = 0.0070875 a call; month 13 at -50 % a year: half that
    s = one(V2 | {"batch_share": 0.5, "price_change_per_year": -0.5}, h=13, calls=1000)
    m = c.evaluate(s).money[0, 0]
    assert [m[0], m[12]] == pytest.approx([7.0875, 3.54375])


def test_retried_calls_are_billed_again_and_answer_once():
    # the worked example at 1,000,000 calls a month for 12 months: $0.00945 a call, 4 % of
    # calls sent again -> 1,000,000 · 0.00945 · 1.04 = $9,828 a month, $117,936 in all;
    # accuracy 0.9 and $0.01 an error: 100,000 errors a month, $1,000, retries or not
    base = V2 | {"accuracy": 0.9}
    s = one(base | {"retried_share": 0.04}, h=12, calls=1e6, quality={"cost_per_error": 0.01})
    r = c.evaluate(s)
    assert r.money[0, 0] == pytest.approx([9_828.0] * 12)
    assert float(r.money[0, 0].sum()) == pytest.approx(117_936.0)
    assert r.error[0, 0] == pytest.approx([1_000.0] * 12)
    # 0 is the version-1 cost to the bit
    plain = c.evaluate(one(base, h=12, calls=1e6, quality={"cost_per_error": 0.01}))
    zero = c.evaluate(one(base | {"retried_share": 0.0}, h=12, calls=1e6,
                          quality={"cost_per_error": 0.01}))
    assert (zero.money == plain.money).all()


def test_genai_prices_are_varied_by_the_draws_axis():
    # a range on the write price reaches the engine: 200 tokens · (low 3 vs high 5) / 1e6
    s = one(V2 | {"price_per_million_cache_write_tokens": {"low": 3.0, "likely": 3.75,
                                                            "high": 5.0}}, h=1, calls=1e6)
    params, paths = Params.tornado(s)
    assert paths == ["options.o.price_per_million_cache_write_tokens"]
    lo, hi = c.evaluate(s, params).money[:, 0, 0]
    assert hi - lo == pytest.approx(200 * 2.0)
