"""The answer in words, made once from a :class:`~calculator.model.decision.Decision`: the
headline (which never says more than the model knows), the verdict and what to do, key
numbers, the figures behind them, when to revisit and what could make it wrong.

The app, the command line, the memo and the slides all show these same sentences. They
carry user text (scenario and option labels): every surface escapes it for its format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .numbers import Range, likely
from .params import ranged_fields
from .scenario import HybridOption, InHouseOption
from .wording import (
    KIND_LABELS,
    calls,
    is_cheapest,
    money,
    month,
    months,
    pays_off,
    pct,
    share_of_draws,
)

if TYPE_CHECKING:
    from .decision import Decision


@dataclass(frozen=True)
class KeyNumber:
    label: str      # a short title: "Saving by building"
    value: str      # a short value that fits a card: "$148k", "Month 25", "57 %"
    help: str       # one sentence: what it is and over what


@dataclass
class Texts:
    headline: str
    sure: str                                   # how sure the headline is
    details: list[str] = field(default_factory=list)
    verdict: str = ""                           # "Build In-house classifier"
    action: str = ""                            # what to do, one or two sentences
    caution: str | None = None                  # when the Monte Carlo disagrees
    numbers: list[KeyNumber] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)    # every pair, the decision's first
    key_figures: list[str] = field(default_factory=list)  # the decision pair's, for a slide
    hybrids: dict[str, str] = field(default_factory=dict)  # each hybrid's best share
    revisit: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    build_path: str | None = None


def path_label(d: Decision, name: str) -> str:
    """An option as the path it is: "In-house model (with LLM until month 5)" while an
    interim serves."""
    s, h = d.scenario, d.horizon
    opt = s.options[name]
    if isinstance(opt, HybridOption):
        return d.label(name)
    live = d.live_month(name)
    if opt.interim and 1 < live <= h:
        return (f"{d.label(name)} (with {d.label(opt.interim)} until "
                f"{month(live, s.start_date)})")
    if opt.interim and live > h:
        return f"{d.label(name)} (not live within {months(h)}; {d.label(opt.interim)} serves)"
    return d.label(name)


def _who(d: Decision, name: str, at: int) -> str:
    """The option, or its interim when the crossing happens before it is live."""
    interim = getattr(d.scenario.options[name], "interim", None)
    if interim and at < d.live_month(name):
        return (f"{d.label(interim)} (serving until {d.label(name)} is live in "
                f"{month(d.live_month(name), d.scenario.start_date)})")
    return d.label(name)


def tell(d: Decision) -> Texts:
    t = _headline(d)
    t.details += _value(d)
    t.verdict, t.action = _action(d)
    t.caution = _caution(d)
    t.numbers = _numbers(d)
    t.figures, t.key_figures = _figures(d)
    t.hybrids = _hybrid_lines(d)
    t.figures += list(t.hybrids.values())
    t.key_figures += [line for name, line in t.hybrids.items() if name in (d.build, d.buy)]
    t.revisit = _revisit(d)
    t.risks = _odds_lines(d) + _risks(d)
    return t


# -- the headline -----------------------------------------------------------------------------

def _headline(d: Decision) -> Texts:
    s, h, cur = d.scenario, d.horizon, d.scenario.currency
    when = lambda m: month(m, s.start_date)  # noqa: E731
    word = "present value" if d.basis == "present value" else "total cost"
    sure_plain = ("This assumes every input exactly as given: give the uncertain ones as "
                  "ranges (low, likely, high) to see how sure the answer is.")
    if d.build and d.buy and d.saving is not None:
        b, o = d.build, d.buy
        path = path_label(d, b)
        more = money(abs(d.saving), cur)
        if d.saving > 0:
            plain = (f"{path} overtakes {d.label(o)} in {when(d.payoff_month)}"
                     if d.payoff_month and d.payoff_month > 1 else
                     f"{path} is cheaper than {d.label(o)} from the start")
            tail = f" and saves {more} ({word}) over {months(h)}."
        else:
            plain = f"{d.label(b)} costs {more} more ({word}) than {d.label(o)} over {months(h)}"
            tail = "."
        if d.odds is not None and d.odds.p_build_cheaper is not None:
            p = d.odds.p_build_cheaper
            likely_part = (f"{when(d.payoff_month)} on likely values" if d.payoff_month
                           else f"not within {months(h)} on likely values")
            median = (f"median {when(d.odds.payoff_p50)}" if d.odds.payoff_p50
                      else f"median after {month(h)}")
            never = 1.0 - p
            odds = (f"in {share_of_draws(p)} of draws" if p >= 0.5 else
                    f"it does in only {share_of_draws(p)} of draws" if p > 0 else
                    "it does in none of the draws")
            headline = (f"Building {pays_off(p)} ({odds}): {likely_part}, "
                        f"{median}" + (f"; in {share_of_draws(never)} of draws not within "
                                       f"{months(h)}." if never > 0 else "."))
            sure = (f"On likely values, {plain}{tail} The chance comes from {d.odds.draws:,} draws of the ranges"
                    + (" and of the build's success" if d.expected else "") + ".")
        else:
            verb = "pays off" if d.saving > 0 else f"does not pay off within {months(h)}"
            headline = f"Building {verb}: {plain}{tail}"
            sure = sure_plain
        t = Texts(headline, sure, build_path=path)
        t.details += _traffic_sentences(d)
        return t
    best = d.ranking[0]
    if len(d.ranking) == 1:
        return Texts(f"{d.label(best)} costs {money(d.rank[best], cur)} ({word}) over "
                     f"{months(h)}.", sure_plain if d.odds is None else "")
    second = d.ranking[1]
    gap = money(d.rank[second] - d.rank[best], cur)
    plain = (f"{money(d.rank[best], cur)} ({word}) over {months(h)}, {gap} less than "
             f"{d.label(second)}")
    if d.odds is not None:
        p = d.odds.p_cheapest.get(best, 0.0)
        return Texts(f"{d.label(best)} {is_cheapest(p)} ({share_of_draws(p)} of draws): "
                     f"{plain} on likely values.",
                     f"The chance comes from {d.odds.draws:,} draws of the ranges.")
    return Texts(f"{d.label(best)} is the cheapest: {plain}.", sure_plain)


def _traffic_sentences(d: Decision) -> list[str]:
    """Payback traffic and run-rate parity of the decision pair, never confused."""
    assert d.build and d.buy
    b, o, h = d.build, d.buy, d.horizon
    out = []
    end = float(d.result.volume[0, -1])
    pay = d.pair_figure(d.payback, b, o)
    if pay is not None and pay.calls_per_month is not None:
        several = "" if pay.single else (" (the lowest of several thresholds: serving nodes "
                                         "or tiers come in steps)")
        if (d.saving or 0) > 0:
            out.append(f"At a steady traffic below {calls(pay.calls_per_month)} calls a month "
                       f"building would not pay for itself within {months(h)} (payback "
                       f"traffic{several}).")
        else:
            out.append(f"Building would pay for itself within {months(h)} at a steady "
                       f"{calls(pay.calls_per_month)} calls a month or more (payback traffic"
                       f"{several}); traffic reaches {calls(end)} a month by {month(h)}.")
    elif pay is not None:
        out.append(f"No steady traffic up to 10^12 calls a month changes which of the two is "
                   f"cheaper over {months(h)}.")
    be = d.pair_figure(d.break_even, b, o)
    if be is not None and be.calls_per_month is not None:
        out.append(f"Cheaper to run: above {calls(be.calls_per_month)} calls a month the "
                   f"running cost of {d.label(b)} is lower than {d.label(o)}'s (run-rate "
                   "break-even; it leaves out the build, labelling and retraining).")
    return out


def share_caveat(d: Decision, name: str, short: bool = False) -> str:
    """What the share sweep holds fixed, said wherever its best share is shown (``short``:
    one line, for a chart's subtitle)."""
    opt: Any = d.scenario.options[name]
    acc = opt.primary_accuracy if opt.primary_accuracy is not None else getattr(
        d.scenario.options[opt.primary], "accuracy", 1.0)
    held = (f"held at {pct(float(acc))}" if not isinstance(acc, Range)
            else f"drawn from its range ({pct(acc.low)} to {pct(acc.high)})")
    if short:
        return f"Accuracy {held} at every share: a best share above today's is an upper bound."
    return (f"{d.label(opt.primary)}'s accuracy on the calls it keeps is {held} at every "
            "share; a model usually gets less accurate as it keeps more, so read a best "
            "share above today's as an upper bound.")


def _hybrid_lines(d: Decision) -> dict[str, str]:
    """The question a PM asks of a hybrid: which share of calls should the model keep?"""
    cur, out = d.scenario.currency, {}
    for name, sw in d.hybrids.items():
        opt: Any = d.scenario.options[name]
        line = (f"{d.label(name)}: the cheapest share for {d.label(opt.primary)} to keep is "
                f"{pct(sw['best_share'])} ({money(sw['best_total'], cur)} over "
                f"{months(d.horizon)}")
        now = likely(opt.primary_share)
        if abs(now - sw["best_share"]) > 1e-9:
            line += f"; the scenario has {pct(now)}"
        line += ")"
        if sw["best_single"] is not None:
            gap, single = money(abs(sw["saving"]), cur), d.label(sw["best_single"])
            line += (f", {gap} less than the best single option, {single}" if sw["saving"] > 0
                     else f"; {single} alone is cheaper by {gap}")
        line += "."
        if sw["best_share"] > now + 1e-9:
            line += " " + share_caveat(d, name)
        out[name] = line
    return out


def _value(d: Decision) -> list[str]:
    t = d.result.value
    if t is None:
        return []
    from .analysis import totals

    net = totals(d.result)["net_value"][0]
    names, cur, h = d.result.names, d.scenario.currency, d.horizon
    if not any(net > 0):
        best = names[int(np.argmax(net))]
        return [f"No option pays for itself within {months(h)}: each costs more than its right "
                f"predictions are worth (closest: {d.label(best)}, net "
                f"{money(float(net.max()), cur)}). Question the feature before choosing how "
                "to build it."]
    top = int(np.argmax(net))
    return [f"Best net value: {d.label(names[top])}, {money(float(net[top]), cur)} over "
            f"{months(h)} (value of right predictions minus total cost)."]


# -- verdict, action, caution ---------------------------------------------------------------------

def _action(d: Decision) -> tuple[str, str]:
    s, h, cur = d.scenario, d.horizon, d.scenario.currency
    word = d.basis
    if d.build and d.buy and d.saving is not None:
        b, o = d.build, d.buy
        live = d.live_month(b)
        interim = getattr(s.options[b], "interim", None)
        if d.saving > 0:
            start = (f"keep {d.label(interim)} serving until it goes live in "
                     f"{month(live, s.start_date)}" if interim else
                     f"it goes live in {month(live, s.start_date)}")
            when = (f"It costs more at first and pays off in "
                    f"{month(d.payoff_month, s.start_date)}"
                    if d.payoff_month and d.payoff_month > 1
                    else f"It is cheaper than {d.label(o)} from the start")
            return (f"Build {d.label(b)}", f"Build {d.label(b)}; {start}. {when}, saving "
                    f"{money(d.saving, cur)} ({word}) over {months(h)}.")
        return (f"Buy {d.label(o)}", f"Buy: use {d.label(o)} and do not build {d.label(b)} "
                f"now; building costs {money(-d.saving, cur)} more ({word}) over {months(h)}.")
    best = d.ranking[0]
    kind = KIND_LABELS[s.options[best].kind]
    return (f"Use {d.label(best)}", f"Use {d.label(best)} ({kind}): the cheapest option over "
            f"{months(h)} at {money(d.rank[best], cur)} ({word}).")


def _caution(d: Decision) -> str | None:
    """When the Monte Carlo leans against the plain answer."""
    if d.odds is None:
        return None
    if d.build and d.buy and d.saving is not None and d.odds.p_build_cheaper is not None:
        p = d.odds.p_build_cheaper
        rec, other, chance = ((d.build, d.buy, p) if d.saving > 0 else (d.buy, d.build, 1 - p))
        if chance < 0.5:
            return (f"Caution: on likely values {d.label(rec)} is the cheaper choice, but it is "
                    f"cheaper than {d.label(other)} by {month(d.horizon)} in only "
                    f"{share_of_draws(chance)} of {d.odds.draws:,} draws.")
        return None
    best = d.ranking[0]
    p = d.odds.p_cheapest.get(best, 0.0)
    if p < 0.5:
        return (f"Caution: {d.label(best)} is the cheapest on likely values but only in "
                f"{share_of_draws(p)} of {d.odds.draws:,} draws.")
    return None


# -- key numbers ------------------------------------------------------------------------------

def _numbers(d: Decision) -> list[KeyNumber]:
    s, h, cur = d.scenario, d.horizon, d.scenario.currency
    out = []
    if d.build and d.buy and d.saving is not None:
        b, o = d.build, d.buy
        out.append(KeyNumber("Saving by building" if d.saving > 0 else "Extra cost to build",
                             money(abs(d.saving), cur),
                             f"{d.basis.capitalize()} over {months(h)}, errors included: "
                             f"{path_label(d, b)} against {d.label(o)}."))
        out.append(KeyNumber("Pays off", f"Month {d.payoff_month}" if d.payoff_month
                             else "No",
                             "The month from which building stays cheaper to the end of the "
                             f"{months(h)} horizon, on likely values"
                             + ("" if d.payoff_month else f"; it does not within {months(h)}")
                             + "."))
        if d.odds is not None and d.odds.p_build_cheaper is not None:
            out.append(KeyNumber("Chance it pays off", share_of_draws(d.odds.p_build_cheaper),
                                 f"Share of {d.odds.draws:,} draws of the ranges in which "
                                 f"building costs less by {month(h)}."))
        pay = d.pair_figure(d.payback, b, o)
        if pay is not None:
            out.append(KeyNumber("Payback traffic (calls a month)", calls(pay.calls_per_month)
                                 if pay.calls_per_month is not None else "Never",
                                 "The steady monthly traffic above which building pays for "
                                 f"itself within {months(h)}, build and upkeep included"
                                 + ("." if pay.calls_per_month is not None else
                                    ": none up to 10^12 calls a month.")))
        out.append(KeyNumber("Build goes live", f"Month {d.live_month(b)}",
                             f"{d.label(b)} serves traffic from this month"
                             + (f" ({month(d.live_month(b), s.start_date)})."
                                if s.start_date else ".")))
        return out[:4]
    best = d.ranking[0]
    out.append(KeyNumber(f"Cheapest over {months(h)}", money(d.rank[best], cur),
                         f"{d.label(best)}: {d.basis} of every cost item, errors included."))
    if len(d.ranking) > 1:
        second = d.ranking[1]
        out.append(KeyNumber("Less than the next", money(d.rank[second] - d.rank[best], cur),
                             f"How much less {d.label(best)} costs than {d.label(second)}."))
    if d.odds is not None:
        out.append(KeyNumber("Cheapest in", share_of_draws(d.odds.p_cheapest.get(best, 0.0)),
                             f"Share of {d.odds.draws:,} draws in which {d.label(best)} is the "
                             "cheapest."))
    return out


# -- the figures behind it ----------------------------------------------------------------------

def _figures(d: Decision) -> tuple[list[str], list[str]]:
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


def _revisit(d: Decision) -> list[str]:
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


def _odds_lines(d: Decision) -> list[str]:
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


def _risks(d: Decision) -> list[str]:
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


# -- inputs in words (thresholds, value of information, tornado, exports) -----------------------

def input_label(s, path: str) -> str:  # noqa: ANN001 - a Scenario
    """An input of the scenario for people, from the field registry and the option labels:
    "LLM input price per 1M tokens", "calls per month in month 1", "ml_engineer monthly
    rate", "whether the In-house model build succeeds"."""
    from .registry import resolve

    parts = path.split(".")
    kinds = {n: o.kind for n, o in s.options.items()}
    if parts[0] == "options" and len(parts) > 2 and parts[1] in s.options:
        who = s.label(parts[1])
        if parts[2:] == ["build_succeeds"]:
            return f"whether the {who} build succeeds"
        spec = resolve(path, kinds)
        what = spec.label if spec is not None else " ".join(p.replace("_", " ") for p in parts[2:])
        if len(parts) > 4 and parts[2] == "tiers":
            what = f"tier {int(parts[3]) + 1} {what[0].lower()}{what[1:]}"
        elif len(parts) > 3 and spec is not None and spec.unit in ("fte", "fte_months"):
            what = f"{parts[-1]} {what[0].lower()}{what[1:]}"
        return f"{who} {what[0].lower()}{what[1:]}"
    if parts[0] == "team" and len(parts) == 2:
        return f"{parts[1]} monthly rate"
    spec = resolve(path, kinds)
    what = spec.label if spec is not None else " ".join(p.replace("_", " ") for p in parts)
    return what[0].lower() + what[1:]


def input_unit(s, path: str) -> str:  # noqa: ANN001 - a Scenario
    from .registry import resolve

    spec = resolve(path, {n: o.kind for n, o in s.options.items()})
    return spec.unit if spec is not None else "number"


def input_value(s, path: str, x: float, exact: bool = False) -> str:  # noqa: ANN001
    """An input's value for people, by its unit: "$0.75", "577k calls a month", "92.5 %"
    (rounded to 3 significant digits unless ``exact``)."""
    from .wording import value

    return value(input_unit(s, path), x, s.currency, exact=exact)
