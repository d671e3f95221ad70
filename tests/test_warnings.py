"""The report's warnings (calculator.model.warnings): one test per rule."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from test_hybrid import building
from worked import scenario

import calculator as c
from calculator.model.analysis import report
from calculator.model.warnings import STALE_AFTER_MONTHS, months_before, scenario_warnings

TODAY = dt.date(2026, 8, 31)
UPKEEP = "api (an LLM API) has no run team"


def warns(s: c.Scenario, today: dt.date = TODAY) -> list[str]:
    return report(s, today=today)["warnings"]


def test_months_before_is_calendar_months():
    assert STALE_AFTER_MONTHS == 6
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


@pytest.mark.parametrize(("as_of", "stale"), [
    (None, "The prices are undated"),
    ("2026-02-27", "The prices were checked on 2026-02-27, more than 6 months ago"),
    ("2026-02-28", None),      # exactly 6 calendar months: not yet older
    ("2026-08-01", None)])
def test_stale_or_undated_prices(as_of, stale):
    s = scenario(prices_as_of=as_of, options__api__run_team={"ml_engineer": 0.1})
    got = warns(s)
    assert len(got) == (stale is not None)
    assert stale is None or got[0].startswith(stale)


def test_an_llm_without_upkeep():
    assert any(w.startswith(UPKEEP) for w in warns(scenario(prices_as_of="2026-08-01")))
    fine = scenario(prices_as_of="2026-08-01", options__api__run_team={"ml_engineer": 0.1})
    assert warns(fine) == []


def test_an_in_house_option_that_never_goes_live():
    s = scenario(prices_as_of="2026-08-01", options__api__run_team={"ml_engineer": 0.1},
                 options__model__build_months=12)
    assert warns(s) == ["model never goes live within the 12-month horizon (it would in "
                        "month 13): here it only costs its build."]


def test_monthly_calls_longer_than_the_horizon():
    s = scenario(prices_as_of="2026-08-01", options__api__run_team={"ml_engineer": 0.1},
                 traffic={"calls_per_month": 1, "monthly_calls": [1e6] * 15})
    assert warns(s) == ["traffic.monthly_calls has 15 values for a 12-month horizon: the last "
                        "3 are not used."]


def test_a_hybrid_whose_primary_never_goes_live():
    d = building()
    d["prices_as_of"] = "2026-08-01"
    d["options"]["llm"]["run_team"] = {"mle": 0.1}
    d["options"]["model"]["build_months"] = 6
    d["options"]["model"]["label"] = "Classifier"
    assert warns(c.validate(d)) == [
        "Classifier never goes live within the 6-month horizon (it would in month 7): here "
        "it only costs its build.",
        "both: its primary, Classifier, never goes live within the 6-month horizon (month 7), "
        "so llm serves every call."]


def test_the_cache_floor_hook(monkeypatch):
    opt = {"kind": "genai_api", "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"},
           "input_tokens_per_call": 1500, "cached_input_share": 0.5, "output_tokens_per_call": 10,
           "run_team": {"mle": 0.1}}
    s = c.validate({"schema_version": 1, "name": "cache", "horizon_months": 3,
                    "prices_as_of": "2026-08-01", "traffic": {"calls_per_month": 1000},
                    "team": {"mle": 1000}, "options": {"llm": opt}})
    live = {"llm": 1.0}
    # without the catalog developer's module nothing is said
    monkeypatch.setitem(sys.modules, "calculator.model.cache_floor", None)
    assert scenario_warnings(s, live, TODAY) == []
    fake = types.ModuleType("calculator.model.cache_floor")
    fake.cache_floor = lambda provider, model: 4096 if model == "claude-haiku-4-5" else None
    monkeypatch.setitem(sys.modules, "calculator.model.cache_floor", fake)
    # 0.5 · 1,500 = 750 cached tokens < 4,096
    assert scenario_warnings(s, live, TODAY) == [
        "llm: the cached part of the prompt (about 750 tokens) is shorter than the 4,096 "
        "tokens claude-haiku-4-5 caches at the least, so it will not be cached; the figures "
        "still assume it is."]
    fake.cache_floor = lambda provider, model: types.SimpleNamespace(tokens=512)
    assert scenario_warnings(s, live, TODAY) == []           # 750 >= 512
    fake.cache_floor = lambda provider, model: None           # model not in the table
    assert scenario_warnings(s, live, TODAY) == []
