"""Every accepted scenario gives finite results: a property over scenarios drawn from the
field registry (tests/strategies.py: every numeric field within its bounds, often exactly at
one, ranges, data blocks, catalog models, explicit monthly calls, success probabilities,
switched-off options and hybrids).

Every total, crossover, break-even volume, payback traffic, share sweep and Monte Carlo
figure is finite; NaN only where it means "none" (a break-even or payback volume that does
not exist), never an infinity."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, Phase, find, given, settings
from strategies import registry_scenario

import calculator as c
from calculator.model.analysis import break_evens, crossovers, pairs, report, totals
from calculator.model.params import Params
from calculator.model.risk import simulate_report, tornado_runs
from calculator.model.sweeps import paybacks, share_sweep

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def finite(x, what: str) -> None:
    assert np.isfinite(np.asarray(x, dtype=float)).all(), what


def finite_or_none(x, what: str) -> None:
    """NaN (none) is allowed; an infinity never."""
    assert not np.isinf(np.asarray(x, dtype=float)).any(), what


def check_result(r: c.Result, what: str) -> None:
    finite(r.money, f"{what}: money")
    finite(r.error, f"{what}: error")
    if r.value is not None:
        finite(r.value, f"{what}: value")
    assert (r.money >= 0).all() and (r.error >= 0).all(), what
    for key, v in totals(r).items():
        finite(v, f"{what}: {key}")


@SETTINGS
@given(registry_scenario())
def test_every_figure_is_finite(data):
    s = c.validate(data)
    r = c.evaluate(s)
    check_result(r, "plain")
    for x in crossovers(r):
        finite(x.fractional_month, "crossover")
    which = [(r.names[i], r.names[j]) for i, j in pairs(r.names)]
    if which:
        be = break_evens(s, which)
        finite_or_none(be, "break-even")
        v, single = paybacks(s, which)
        finite_or_none(v, "payback")
        assert single.dtype == bool
        assert (v[np.isfinite(v)] > 0).all()
    for name, opt in s.active.items():
        if opt.kind == "hybrid":
            sweep = share_sweep(s, name, n=5, draws=16)
            finite(sweep["totals"], "share sweep")
    rep = report(s)
    json.dumps(rep, allow_nan=False)
    for name, row in rep["options"].items():
        assert all(row[k] is not None for k in ("money_cost", "total_cost", "present_value")), name
    mc = c.evaluate(s, Params.sample(s, 64, 5), detail=False)
    check_result(mc, "Monte Carlo")
    _, torn, _ = tornado_runs(s)
    check_result(torn, "tornado")
    json.dumps(simulate_report(s, draws=64), allow_nan=False)


def test_the_strategy_reaches_every_feature():
    # each of these turns up within a few dozen examples (found, not shrunk)
    quick = settings(max_examples=2_000, deadline=None, database=None,
                     phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    kinds = lambda d: {o["kind"] for o in d["options"].values()}  # noqa: E731
    for predicate in (
            lambda d: "hybrid" in kinds(d),
            lambda d: any(o.get("enabled") is False for o in d["options"].values()),
            lambda d: any("catalog" in o for o in d["options"].values()),
            lambda d: any("data" in o for o in d["options"].values()),
            lambda d: any("interim" in o for o in d["options"].values()),
            lambda d: "monthly_calls" in d["traffic"],
            lambda d: any(isinstance(o.get("success_probability"), dict)
                          for o in d["options"].values()),
            lambda d: d["horizon_months"] == 240,
            lambda d: any(isinstance(t.get("up_to_units"), dict)
                          for o in d["options"].values() for t in o.get("tiers", []))):
        find(registry_scenario(), predicate, settings=quick)
