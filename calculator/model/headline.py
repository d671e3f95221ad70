"""The headline of a Decision and the sentences under it: how sure it is (the Monte Carlo's
odds when some input is uncertain), payback traffic and run-rate parity of the decision pair
and the net value when predictions have a value; and each hybrid's best share of calls (with
what the share sweep holds fixed, :func:`share_caveat`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .numbers import Range, likely
from .texts import Texts, path_label
from .wording import (
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


def headline_texts(d: Decision) -> Texts:
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
            likely_part = (f"on likely values it pays off in {when(d.payoff_month)}"
                           if d.payoff_month else
                           f"on likely values it does not within {months(h)}")
            median = (f"in the median draw in {when(d.odds.payoff_p50)}"
                      if d.odds.payoff_p50 else f"in the median draw not within {months(h)}")
            odds = (f"in {share_of_draws(p)} of draws" if p >= 0.5 else
                    f"it does in only {share_of_draws(p)} of draws" if p > 0 else
                    "it does in none of the draws")
            headline = (f"Building {pays_off(p)} ({odds}): {likely_part}, {median}."
                        if d.payoff_month or d.odds.payoff_p50 else
                        f"Building {pays_off(p)} within {months(h)}: not on likely values, "
                        f"and " + (f"only in {share_of_draws(p)} of draws." if p > 0 else
                                   "in none of the draws."))
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


def hybrid_lines(d: Decision) -> dict[str, str]:
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


def value_lines(d: Decision) -> list[str]:
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
