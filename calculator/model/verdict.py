"""The verdict of a Decision (build, buy or use), what to do about it, the caution when the
Monte Carlo leans against the plain answer, and the key numbers shown as cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .texts import KeyNumber, path_label
from .wording import (
    KIND_LABELS,
    calls,
    money,
    month,
    months,
    share_of_draws,
)

if TYPE_CHECKING:
    from .decision import Decision


def action(d: Decision) -> tuple[str, str]:
    s, h, cur = d.scenario, d.horizon, d.scenario.currency
    word = d.basis
    if d.build and d.buy and d.saving is not None:
        b, o = d.build, d.buy
        live = d.live_month(b)
        interim = getattr(s.options[b], "interim", None)
        p = d.odds.p_build_cheaper if d.odds is not None else None
        if d.saving > 0 and p is not None and p < 0.5:
            # likely values say build, most draws say not: never more certain than the draws
            pays = (f"it pays off in {month(d.payoff_month, s.start_date)} and"
                    if d.payoff_month else "it")
            return (f"Do not build {d.label(b)} yet",
                    f"Keep {d.label(o)} and do not commit to building {d.label(b)} yet: on "
                    f"likely values {pays} "
                    f"saves {money(d.saving, cur)} ({word}) over {months(h)}, but in most "
                    f"draws it does not. Narrow the uncertain inputs first (what to measure "
                    f"next), then decide again.")
        if d.saving <= 0 and p is not None and p > 0.5:
            return (f"Buy {d.label(o)} for now",
                    f"Use {d.label(o)} for now, but do not rule out building {d.label(b)}: on "
                    f"likely values building costs {money(-d.saving, cur)} more ({word}) over "
                    f"{months(h)}, yet in most draws it is cheaper. Narrow the uncertain inputs "
                    f"first (what to measure next), then decide again.")
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


def caution(d: Decision) -> str | None:
    """When the Monte Carlo leans against the plain answer."""
    if d.odds is None:
        return None
    if d.build and d.buy and d.saving is not None and d.odds.p_build_cheaper is not None:
        return None       # the headline says the chance, and the action is hedged by it
    best = d.ranking[0]
    p = d.odds.p_cheapest.get(best, 0.0)
    if p < 0.5:
        return (f"Caution: {d.label(best)} is the cheapest on likely values but only in "
                f"{share_of_draws(p)} of {d.odds.draws:,} draws.")
    return None


# -- key numbers ------------------------------------------------------------------------------

def _saves(saving: float, currency: str) -> str:
    """A saving in words, never a minus sign a line could break after: "saves $149k",
    "costs $220k more"."""
    return (f"saves {money(saving, currency)}" if saving >= 0
            else f"costs {money(-saving, currency)} more")


def key_numbers(d: Decision) -> list[KeyNumber]:
    s, h, cur = d.scenario, d.horizon, d.scenario.currency
    out = []
    if d.build and d.buy and d.saving is not None:
        b, o = d.build, d.buy
        odds = d.odds if d.odds is not None and d.odds.p_build_cheaper is not None else None
        # with ranges, the saving and the payoff month are those of the likely values: the
        # cards say so and their notes say what the draws give (never more sure than they are)
        if odds is None:
            label = "Saving by building" if d.saving > 0 else "Extra cost to build"
        else:
            label = ("Saving" if d.saving > 0 else "Extra cost") + " on likely values"
        spread = ""
        if odds is not None and odds.band_p10 and odds.band_p90:
            spread = (f" Over the {odds.draws:,} draws, P10 {_saves(odds.band_p10[-1], cur)},"
                      f" P90 {_saves(odds.band_p90[-1], cur)}.")
        out.append(KeyNumber(label, money(abs(d.saving), cur),
                             f"{d.basis.capitalize()} over {months(h)}, errors included: "
                             f"{path_label(d, b)} against {d.label(o)}." + spread))
        median = ""
        if odds is not None and odds.payoff_p50:
            median = f" In the median draw: {month(odds.payoff_p50, s.start_date)}."
        elif odds is not None:
            median = (f" In the median draw it does not within {months(h)}."
                      if d.payoff_month else " In the median draw it does not either.")
        out.append(KeyNumber("Pays off" + (" on likely values" if odds is not None else ""),
                             f"Month {d.payoff_month}" if d.payoff_month else "No",
                             "The month from which building stays cheaper to the end of the "
                             f"{months(h)} horizon, on likely values"
                             + ("" if d.payoff_month else f"; it does not within {months(h)}")
                             + "." + median))
        if odds is not None and odds.p_build_cheaper is not None:
            out.append(KeyNumber("Chance it pays off", share_of_draws(odds.p_build_cheaper),
                                 f"Share of {odds.draws:,} draws of the ranges in which "
                                 f"building costs less by {month(h)}."))
        pay = d.pair_figure(d.payback, b, o)
        if pay is not None:
            out.append(KeyNumber("Payback traffic", f"{calls(pay.calls_per_month)}/mo"
                                 if pay.calls_per_month is not None else "Never",
                                 "The steady traffic, in calls a month, above which building pays for "
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
