"""The small print of a Decision: the figures behind the answer (crossovers, run-rate
break-evens, payback traffic, expected totals of builds that may fail; every pair's, and the
decision pair's for a slide), when to revisit it, and what could make it wrong (the Monte
Carlo's spread, builds that may fail, missing labels, a saving that rests on accuracy, a late
payoff, inputs given as ranges)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .numbers import likely
from .params import ranged_fields
from .scenario import InHouseOption
from .wording import (
    calls,
    money,
    month,
    months,
    pct,
    share_of_draws,
)

if TYPE_CHECKING:
    from .decision import Decision


def _who(d: Decision, name: str, at: int) -> str:
    """The option, or its interim when the crossing happens before it is live."""
    interim = getattr(d.scenario.options[name], "interim", None)
    if interim and at < d.live_month(name):
        return (f"{d.label(interim)} (serving until {d.label(name)} is live in "
                f"{month(d.live_month(name), d.scenario.start_date)})")
    return d.label(name)


# -- the figures behind it ----------------------------------------------------------------------

def figures(d: Decision) -> tuple[list[str], list[str]]:
    """Every figure behind the answer, and those of the decision pair (with the expected
    totals): a slide has room for the second, a memo for the first."""
    s, h = d.scenario, d.horizon
    out: list[str] = []
    key: list[str] = []
    pair = {d.build, d.buy}

    def add(line: str, a: str, b: str) -> None:
        out.append(line)
        if {a, b} == pair:
            key.append(line)

    cross = sorted(d.crossovers, key=lambda c: {c.cheaper, c.than} != pair)
    crossed = set()
    for c in cross:
        crossed.add(frozenset((c.cheaper, c.than)))
        add(f"{_who(d, c.cheaper, c.month)} becomes cheaper than {_who(d, c.than, c.month)}"
            f" in {month(c.month, s.start_date)}: the cumulative {d.basis} lines cross "
            f"at month {c.fractional_month:.1f}.", c.cheaper, c.than)
    for f in sorted(d.break_even, key=lambda f: {f.a, f.b} != pair):
        a, b = d.label(f.a), d.label(f.b)
        if frozenset((f.a, f.b)) not in crossed:
            add(f"{a} and {b} do not cross within {months(h)}.", f.a, f.b)
        add(f"Cheaper to run, {a} vs {b}: " + (
            f"the running costs are equal at {calls(f.calls_per_month)} calls a month "
            "(run-rate break-even)." if f.calls_per_month is not None else
            "the same one is cheaper to run at every traffic up to 10^12 calls a month."),
            f.a, f.b)
        pay = d.pair_figure(d.payback, f.a, f.b)
        if pay is not None:
            add(f"Payback traffic, {a} vs {b}: " + (
                f"{calls(pay.calls_per_month)} calls a month, steady, over {months(h)}"
                + ("." if pay.single else " (the lowest of several thresholds).")
                if pay.calls_per_month is not None else "none up to 10^12 calls a month."),
                f.a, f.b)
    if d.expected:
        from .decision import totals_by_option

        plain = totals_by_option(d)
        for name, e in d.expected.items():
            p = likely(getattr(s.options[name], "success_probability", 1.0))
            if p < 1:
                line = (f"Expected total of {d.label(name)} with its {pct(p)} chance of "
                        f"success: {money(e['total_cost'], s.currency)} (if it works: "
                        f"{money(plain[name]['total_cost'], s.currency)}).")
                out.append(line)
                key.append(line)
    return out, key


def revisit(d: Decision) -> list[str]:
    s, h, out = d.scenario, d.horizon, []
    if d.build and d.buy:
        pay = d.pair_figure(d.payback, d.build, d.buy)
        if pay is not None and pay.calls_per_month is not None:
            v = pay.calls_per_month
            hit = np.nonzero(d.result.volume[0] >= v)[0]
            reach = int(hit[0]) + 1 if hit.size else None
            when = (f"projected to pass it in {month(reach, s.start_date)}" if reach and reach > 1
                    else "month 1 traffic is already above it" if reach == 1 else
                    f"not reached within {months(h)} at the assumed growth")
            if (d.saving or 0) > 0:
                out.append(f"If traffic stays below {calls(v)} calls a month ({when}): below that "
                           "steady traffic, building does not pay for itself in time.")
            else:
                out.append(f"When traffic reaches {calls(v)} calls a month ({when}): from that "
                           "steady traffic, building pays for itself within the horizon.")
    stale = [w for w in d.warnings if "prices" in w.lower()]
    if s.prices_as_of is None:
        out.append("Now: the prices carry no date (prices_as_of); check them before deciding.")
    elif stale:
        out.append(f"Now: the prices were checked on {s.prices_as_of.isoformat()}, more than six "
                   "months ago; check them before deciding.")
    else:
        due = _add_months(s.prices_as_of, 6)
        out.append(f"By {due.isoformat()}, when the prices (checked "
                   f"{s.prices_as_of.isoformat()}) are six months old.")
    if d.build and (d.saving or 0) > 0:
        live = d.live_month(d.build)
        cost = (f": each month of delay costs about {money(d.delay_cost, s.currency)}"
                if d.delay_cost else "")
        out.append(f"In {month(live, s.start_date)}, when {d.label(d.build)} should go live; if "
                   f"it is late, re-run this scenario{cost}.")
    n = len(ranged_fields(s))
    if n:
        out.append(f"When the {n} assumptions given as ranges are pinned down (see Risks).")
    return out


def _add_months(day, n: int):
    import datetime as dt

    y, m = divmod(day.month - 1 + n, 12)
    return dt.date(day.year + y, m + 1, min(day.day, 28))


def odds_lines(d: Decision) -> list[str]:
    if d.odds is None:
        return []
    o, h = d.odds, d.horizon
    out = []
    if o.reduced_from:
        out.append(f"The Monte Carlo used {o.draws:,} draws instead of {o.reduced_from:,}: this "
                   "scenario is large, and the draws are capped to keep the work bounded.")
    if d.build and d.buy and o.p_build_cheaper is not None:
        q = ", ".join(f"P{k} " + (month(v, d.scenario.start_date) if v else f"after {month(h)}")
                      for k, v in ((10, o.payoff_p10), (50, o.payoff_p50), (90, o.payoff_p90)))
        out.append(f"Across {o.draws:,} simulated cases (ranges sampled, builds failing with "
                   f"their odds; seed {o.seed}), building is cheaper than {d.label(d.buy)} by "
                   f"{month(h)} in {share_of_draws(o.p_build_cheaper)} of them. Payoff month: "
                   f"{q}.")
    return out


def risks(d: Decision) -> list[str]:
    s, cur, h = d.scenario, d.scenario.currency, d.horizon
    out = []
    from .analysis import totals

    t = totals(d.result)
    for name, opt in s.active.items():
        p = likely(getattr(opt, "success_probability", 1.0))
        if p < 1:
            interim = getattr(opt, "interim", None)
            fallback = f"{d.label(interim)} keeps serving" if interim else "nothing serves"
            out.append(f"{d.label(name)} reaches production with a {pct(p)} chance; if the build "
                       f"fails, its build months are paid for and {fallback} to {month(h)}.")
        data = getattr(opt, "data", None)
        if isinstance(opt, InHouseOption) and data is not None:
            short = max(0.0, likely(data.labels_needed) - likely(data.labels_available))
            per = likely(data.labels_per_month)
            if short > 0 and per > 0:
                n = math.ceil(short / per)
                out.append(f"{d.label(name)} needs {calls(short)} more labels first: "
                           f"{months(n)} of labelling at {calls(per)} a month, costing "
                           f"{money(short * likely(data.cost_per_label), cur)}, before its "
                           "build can start.")
    names = d.result.names
    if d.build and d.buy and (d.saving or 0) > 0:
        b, o = names.index(d.build), names.index(d.buy)
        fewer = float(t["error_cost"][0, o] - t["error_cost"][0, b])
        if fewer >= (d.saving or 0):
            opt = s.active[d.build]
            acc = likely(getattr(opt, "accuracy", getattr(opt, "primary_accuracy", None) or 1.0))
            out.append(f"The saving rests on accuracy: {d.label(d.build)} makes "
                       f"{money(fewer, cur)} less in errors than {d.label(d.buy)}, more than the "
                       f"whole saving; if it does not reach {pct(acc)}, building may not pay.")
        if d.payoff_month and d.payoff_month > 0.75 * h:
            out.append(f"The payoff is late ({month(d.payoff_month)} of {h}): a few months of "
                       "delay or slower traffic growth push it past the horizon.")
    ranges = ranged_fields(s)
    if ranges:
        out.append(f"{len(ranges)} assumptions are ranges; this report uses their likely values "
                   "and the risk view samples them.")
    else:
        out.append("Every input is a single number: this is a point estimate. Give the "
                   "uncertain ones as ranges (low, likely, high) to see the spread.")
    return out
