"""Every accepted scenario gives finite results: a property over scenarios drawn from the
field registry (tests/strategies.py: every numeric field within its bounds, often exactly at
one, ranges, data blocks, catalog models, explicit monthly calls, success probabilities,
switched-off options and hybrids).

Every total, crossover, break-even volume, payback traffic, share sweep and Monte Carlo
figure is finite; NaN only where it means "none" (a break-even or payback volume that does
not exist), never an infinity. And what the Decision exports says no NaN, infinity, None or
raw float either: its sentences, the CSV tables and the Markdown memo (charts aside)."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
from hypothesis import HealthCheck, Phase, find, given, settings
from strategies import registry_scenario

import calculator as c
from calculator import export
from calculator.export import tables
from calculator.model.analysis import break_evens, crossovers, pairs, report, tie, totals
from calculator.model.decision import decide
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


def false_crossing(r: c.Result, x) -> bool:
    """A crossover reported where the two cumulative lines never change order and never come
    within float noise of each other (once a bug: a constant gap tiny against the cost
    'crossed' at month -inf, test_a_constant_gap_is_no_crossover below). A real one: the
    cheaper line is above the other, later below it or tied with it within analysis.tie (a
    $10^9 gap beside $10^25 of cumulative cost is below what float sums can tell apart)."""
    cum = r.cumulative()[0]
    a, b = cum[r.names.index(x.cheaper)], cum[r.names.index(x.than)]
    gap = a - b
    noise = tie(len(gap)) * np.maximum(np.maximum(np.abs(a), np.abs(b)), 1.0)
    above = np.nonzero(gap > noise)[0]
    return not (above.size and (gap[above[0]:] <= noise[above[0]:]).any())


@SETTINGS
@given(registry_scenario())
def test_every_figure_is_finite(data):
    s = c.validate(data)
    r = c.evaluate(s)
    check_result(r, "plain")
    for x in crossovers(r):
        assert not false_crossing(r, x), x
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


# -- the exports of the Decision: no NaN, no infinity, no None, no raw float -----------------

TODAY = dt.date(2026, 11, 28)
NOT_A_NUMBER = re.compile(r"(?i)\bnan\b|\binf(?:inity)?\b")
PYTHON_NONE = re.compile(r"\bNone\b")
# A float as Python writes it: an exponent, or more than 3 significant digits after the
# point (0.30000000000000004, 1234.5678). Three digits of a small amount are a figure for
# people by design (money(0.004) == "$0.004", "$0.00579 per 1,000 calls").
# (An exact amount may be tiny, "$0.0000000596": wording.amount keeps 3 significant digits
# down to its floor, "under $0.000000001"; money() never writes so many zeros, test_wording.)
RAW_FLOAT = re.compile(r"\d[eE][+-]?\d|\d\.\d*[1-9]\d{3,}")


def _people_text(data: dict) -> dict:
    """The scenario without the user's own text (name, description, option labels,
    currency code), which is shown as given: a label may well read "nan" or "1e12"."""
    data = {**data, "name": "Generated scenario"}
    data.pop("description", None)
    if "currency" in data:
        data["currency"] = "CHF"                    # a code without a symbol of its own
    data["options"] = {k: {f: v for f, v in o.items() if f != "label"}
                       for k, o in data["options"].items()}
    return data


def _texts(d) -> list[str]:
    t = d.texts
    out = [t.headline, t.sure, *t.details, t.verdict, t.action, *t.figures, *t.key_figures,
           *t.hybrids.values(), *t.revisit, *t.risks]
    out += [x for x in (t.caution, t.build_path) if x is not None]
    return out + [f"{n.label}: {n.value}. {n.help}" for n in t.numbers]


def _clean(text: str, where: str, floats: bool = True) -> None:
    for rule, what in ((NOT_A_NUMBER, "NaN or infinity"), (PYTHON_NONE, "None"),
                       *([(RAW_FLOAT, "a raw float")] if floats else [])):
        m = rule.search(text)
        assert m is None, f"{what} ({m.group()!r}) in {where}: {text!r}"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(registry_scenario())
def test_every_export_of_the_decision_says_finite_numbers_for_people(data):
    d = decide(c.validate(_people_text(data)), draws=200, today=TODAY)
    for x in d.crossovers:
        assert np.isfinite(x.fractional_month), x
    for text in _texts(d):
        _clean(text, "the Decision's texts")
    # the CSV tables: full floats, but every one a number
    for name, df in (("monthly-tidy", tables.monthly_tidy(d)),
                     ("monthly-wide", tables.monthly_wide(d)), ("totals", tables.totals_table(d))):
        finite(df.select_dtypes("number").to_numpy(), f"{name}.csv")
    for name, raw in tables.csv_files(d).items():
        m = NOT_A_NUMBER.search(raw.decode("utf-8-sig"))
        assert m is None, f"{m.group()!r} in {name}"
    # the memo: its assumptions, and the inputs in "What would have to be true", are shown as
    # typed (up to 6 decimals: wording.amount); the rest for people
    md = export.memo_markdown(d, None)
    _clean(md, "the memo", floats=False)
    sections = md.split("\n## ")
    typed = ("Assumptions\n", "What would have to be true\n")
    for_people = [x for x in sections if not x.startswith(typed)]
    assert len(for_people) == len(sections) - 2, "the memo has both sections of typed inputs"
    _clean("\n## ".join(for_people), "the memo outside the inputs as typed")


def test_a_constant_gap_is_no_crossover():
    # a and b cost 1e9 a month each and b pays 100 once in month 1: b is 100 dearer in every
    # month to the end of the horizon; their cumulative lines never cross
    s = c.validate({"schema_version": 1, "name": "Gap", "horizon_months": 120,
                    "traffic": {"calls_per_month": 1000},
                    "options": {"a": {"kind": "rules", "monthly_cost": 1e9},
                                "b": {"kind": "rules", "monthly_cost": 1e9,
                                      "setup": {"cost": 100}}}})
    r = c.evaluate(s)
    assert float(totals(r)["total_cost"][0, 1] - totals(r)["total_cost"][0, 0]) == 100
    assert crossovers(r) == []
    json.dumps(report(s), allow_nan=False)
