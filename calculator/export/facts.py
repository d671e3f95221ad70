"""The decision in words, worked out once for the slide and the memo: what to do, the
figures behind it, when to revisit it and what could make it wrong.

Every number comes from the engine (:mod:`calculator.model`); this module only chooses
which ones to say and how. Sentences carry user text (option and scenario names): the
slide and memo writers escape it for their format.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from ..model import Params, Result, evaluate, ranged_fields, risk, steady_monthly_cost
from ..model.analysis import break_even, comparable, crossovers, expected_totals, pairs, totals
from ..model.numbers import likely
from ..model.story import KIND_LABELS, Story, calls, money, tell
from .sources import area_item, months, pct, show

STALE_MONTHS = 6
SIM_DRAWS = 10_000


@dataclass
class KeyNumber:
    value: str      # "Month 38", "$80.4k"
    caption: str    # "in_house overtakes cloud_vision"


@dataclass
class Facts:
    story: Story
    verdict: str                                       # "Build in_house", "Buy llm", "Use rules"
    action: str                                        # what to do, one or two sentences
    caution: str | None = None                         # when the risk view disagrees
    numbers: list[KeyNumber] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)   # crossovers, break-even, expected
    revisit: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    crossover_months: dict[tuple[str, str], int] = field(default_factory=dict)


def _pv_word(r: Result) -> str:
    return "present value" if r.discounted else "total"


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def _month_reaching(r: Result, volume: float) -> int | None:
    hit = np.nonzero(r.volume[0] >= volume)[0]
    return int(r.months[hit[0]]) if hit.size else None


def _delay_cost(r: Result, name: str) -> float | None:
    """What one more month of building costs (present value when discounting)."""
    s = r.scenario
    b = float(likely(s.active[name].build_months))
    p = Params.sweep(f"options.{name}.build_months", np.array([b, b + 1.0]))
    rank = comparable(evaluate(s, p, detail=False))
    i = r.names.index(name)
    cost = float(rank[1, i] - rank[0, i])
    return cost if math.isfinite(cost) else None


def totals_rows(r: Result, split: bool = False) -> tuple[list[str], list[list[str]]]:
    """The totals table for people: headers and rows (money and error cost with ``split``;
    present value when discounting; net value when a value per right prediction is set)."""
    s, cur, t = r.scenario, r.scenario.currency, totals(r)
    keys = (["money_cost", "error_cost"] if split else []) + ["total_cost"]
    keys += (["present_value"] if r.discounted else []) + ["cost_per_1k_calls"]
    keys += ["net_value"] if "net_value" in t else []
    labels = {"money_cost": "Money cost", "error_cost": "Error cost", "total_cost": "Total cost",
              "present_value": "Present value", "cost_per_1k_calls": "Per 1,000 calls",
              "net_value": "Net value"}
    rows = [[name, KIND_LABELS[s.active[name].kind], str(int(r.live_month[0, i]))]
            + [money(float(t[k][0, i]), cur) for k in keys] for i, name in enumerate(r.names)]
    return ["Option", "Kind", "Live from month"] + [labels[k] for k in keys], rows


def _action(r: Result, story: Story) -> tuple[str, str]:
    s, h = r.scenario, r.scenario.horizon_months
    rank = comparable(r)[0]
    if story.build and story.buy and story.saving is not None:
        b, o = story.build, story.buy
        live = int(r.live_month[0, r.names.index(b)])
        opt = s.active[b]
        if story.saving > 0:
            start = (f"keep {opt.interim} serving until it goes live in month {live}"
                     if opt.interim else f"it goes live in month {live}")
            when = (f"It costs more at first and overtakes {o} in month "
                    f"{story.crossover_month}" if story.crossover_month
                    else f"It is cheaper than {o} from the start")
            return f"Build {b}", (f"Build {b}; {start}. {when}, saving "
                                  f"{money(story.saving, s.currency)} ({_pv_word(r)}) over "
                                  f"{months(h)}.")
        return f"Buy {o}", (f"Buy: use {o} and do not build {b} now; building costs "
                            f"{money(-story.saving, s.currency)} more ({_pv_word(r)}) over "
                            f"{months(h)}.")
    best = r.names[int(np.argmin(rank))]
    return f"Use {best}", (f"Use {best} ({KIND_LABELS[s.active[best].kind]}): the cheapest "
                           f"option over {months(h)} at {money(float(rank.min()), s.currency)} "
                           f"({_pv_word(r)}).")


def _numbers(r: Result, story: Story) -> list[KeyNumber]:
    h, cur = r.scenario.horizon_months, r.scenario.currency
    rank = comparable(r)[0]
    out = []
    if story.build and story.buy and story.saving is not None:
        b, o = story.build, story.buy
        if story.saving > 0:
            out.append(KeyNumber(money(story.saving, cur), f"saved by building over {months(h)}"))
        else:
            out.append(KeyNumber(money(-story.saving, cur),
                                 f"extra cost of building over {months(h)}"))
        out.append(KeyNumber(f"Month {story.crossover_month}" if story.crossover_month
                             else "Never", f"{b} overtakes {o}" if story.crossover_month
                             else f"{b} does not overtake {o} within {months(h)}"))
        if story.break_even_calls is not None:
            out.append(KeyNumber(calls(story.break_even_calls),
                                 f"calls a month: break-even traffic, {b} vs {o}"))
        out.append(KeyNumber(f"Month {int(r.live_month[0, r.names.index(b)])}",
                             f"{b} goes live"))
    else:
        order = np.argsort(rank, kind="stable")
        best = r.names[order[0]]
        out.append(KeyNumber(money(float(rank[order[0]]), cur),
                             f"{best}, {_pv_word(r)} over {months(h)}"))
        if len(order) > 1:
            out.append(KeyNumber(money(float(rank[order[1]] - rank[order[0]]), cur),
                                 f"less than {r.names[order[1]]}"))
    return out


def _figures(r: Result) -> tuple[list[str], dict[tuple[str, str], int]]:
    s, h = r.scenario, r.scenario.horizon_months
    out, when = [], {}
    crossed = set()
    for c in crossovers(r):
        crossed.add(frozenset((c.cheaper, c.than)))
        when[(c.cheaper, c.than)] = c.month
        out.append(f"{c.cheaper} becomes cheaper than {c.than} in month {c.month} "
                   f"(month {c.fractional_month:.1f}, cumulative {_pv_word(r)}).")
    for i, j in pairs(r.names):
        a, b = r.names[i], r.names[j]
        if frozenset((a, b)) not in crossed:
            out.append(f"{a} and {b} never cross within {months(h)}.")
        v = float(break_even(s, a, b)[0])
        out.append(f"Break-even {a} vs {b}: " + (f"{calls(v)} calls a month." if math.isfinite(v)
                                                 else "none up to 10^12 calls a month."))
    if any(likely(getattr(o, "success_probability", 1.0)) < 1 for o in s.active.values()):
        for name, e in expected_totals(s).items():
            p = likely(getattr(s.active[name], "success_probability", 1.0))
            if p < 1:
                out.append(f"Expected total of {name} with its {pct(p)} chance of success: "
                           f"{money(e['total_cost'], s.currency)} (if it works: "
                           f"{money(float(totals(r)['total_cost'][0, r.names.index(name)]), s.currency)}).")
    return out, when


def _revisit(r: Result, story: Story, today: dt.date) -> list[str]:
    s, out = r.scenario, []
    if story.build and story.buy and story.break_even_calls is not None:
        b, o, v = story.build, story.buy, story.break_even_calls
        above = np.asarray(steady_monthly_cost(s, Params.plain(), b, np.array([v * 1.01]))
                           - steady_monthly_cost(s, Params.plain(), o, np.array([v * 1.01])))
        cheap_above = b if float(above.ravel()[0]) < 0 else o
        reach = _month_reaching(r, v)
        when = (f"projected to pass it in month {reach}" if reach and reach > 1 else
                "month 1 traffic is already above it" if reach == 1 else
                f"not reached within {months(s.horizon_months)} at the assumed growth")
        if story.saving is not None and story.saving > 0 and cheap_above == b:
            out.append(f"If traffic falls or stays below {calls(v)} calls a month ({when}): "
                       f"below that, {o} runs cheaper than {b}.")
        else:
            out.append(f"When traffic reaches {calls(v)} calls a month ({when}): above that, "
                       f"{cheap_above} runs cheaper.")
    if s.prices_as_of is None:
        out.append("Now: the prices carry no date (prices_as_of); check them before deciding.")
    else:
        due = _add_months(s.prices_as_of, STALE_MONTHS)
        out.append(f"By {due.isoformat()}, when the prices (checked {s.prices_as_of.isoformat()}) "
                   "are six months old." if due > today else
                   f"Now: the prices were checked on {s.prices_as_of.isoformat()}, more than six "
                   "months ago; check them before deciding.")
    if story.build and story.saving is not None and story.saving > 0:
        live = int(r.live_month[0, r.names.index(story.build)])
        delay = _delay_cost(r, story.build)
        cost = f": each month of delay costs about {money(delay, s.currency)}" if delay else ""
        out.append(f"In month {live}, when {story.build} should go live; if it is late, re-run "
                   f"this scenario{cost}.")
    n = len(ranged_fields(s))
    if n:
        out.append(f"When the {n} assumptions given as ranges are pinned down (see Risks).")
    return out


def _risks(r: Result, story: Story, today: dt.date) -> list[str]:
    s, cur, h = r.scenario, r.scenario.currency, r.scenario.horizon_months
    out = []
    t = totals(r)
    for name, opt in s.active.items():
        p = likely(getattr(opt, "success_probability", 1.0))
        if p < 1:
            fallback = f"{opt.interim} keeps serving" if opt.interim else "nothing serves"
            out.append(f"{name} reaches production with a {pct(p)} chance; if the build fails, "
                       f"its build months are paid for and {fallback} to month {h}.")
        data = getattr(opt, "data", None)
        if data is not None:
            short = max(0.0, likely(data.labels_needed) - likely(data.labels_available))
            per = likely(data.labels_per_month)
            if short > 0 and per > 0:
                n = math.ceil(short / per)
                out.append(f"{name} needs {calls(short)} more labels first: {months(n)} of "
                           f"labelling at {calls(per)} a month, costing "
                           f"{money(short * likely(data.cost_per_label), cur)}, before its "
                           "build can start.")
    if story.build and story.buy and story.saving is not None and story.saving > 0:
        b, o = r.names.index(story.build), r.names.index(story.buy)
        fewer = float(t["error_cost"][0, o] - t["error_cost"][0, b])
        if fewer >= story.saving:
            acc = likely(s.active[story.build].accuracy)
            out.append(f"The saving rests on accuracy: {story.build} makes "
                       f"{money(fewer, cur)} less in errors than {story.buy}, more than the "
                       f"whole saving; if it does not reach {pct(acc)}, building may not pay.")
        if story.crossover_month and story.crossover_month > 0.75 * h:
            out.append(f"The payback is late (month {story.crossover_month} of {h}): a few months "
                       "of delay or slower traffic growth push it past the horizon.")
    ranges = ranged_fields(s)
    if ranges:
        shown = [" · ".join(area_item(path)) + f" {show(path, rng, cur)}"
                 for path, rng in list(ranges.items())[:8]]
        more = f" and {len(ranges) - 8} more" if len(ranges) > 8 else ""
        out.append(f"{len(ranges)} assumptions are ranges; this report uses their likely "
                   f"values: {'; '.join(shown)}{more}. The risk view samples them.")
    focus = story.build if story.saving is not None and story.saving > 0 else story.buy
    focus = focus or r.names[int(np.argmin(comparable(r)[0]))]
    k = r.names.index(focus)
    share = float(t["error_cost"][0, k] / t["total_cost"][0, k]) if t["total_cost"][0, k] else 0
    if share > 0.3 and not any("rests on accuracy" in x for x in out):
        out.append(f"Errors are {pct(round(share, 2))} of {focus}'s total cost: its accuracy of "
                   f"{pct(likely(s.active[focus].accuracy))} is the assumption to check.")
    if not ranges:
        out.append("Every input is a single number: this is a point estimate. Give the "
                   "uncertain ones as ranges (low, likely, high) to see the spread.")
    if s.prices_as_of and _add_months(s.prices_as_of, STALE_MONTHS) <= today:
        out.append(f"The prices are more than six months old (checked "
                   f"{s.prices_as_of.isoformat()}).")
    return out


def facts(r: Result, today: dt.date | None = None, draws: int = SIM_DRAWS) -> Facts:
    """Everything the slide and the memo say, for draw 0 of a plain result; with ranges or
    a build that may fail, also the risk view's Monte Carlo (``draws`` draws, fixed seed)."""
    today = today or dt.date.today()
    story = tell(r)
    figures, months = _figures(r)
    verdict, action = _action(r, story)
    simulated, caution = _simulated(r, story, draws)
    return Facts(story=story, verdict=verdict, action=action, caution=caution,
                 numbers=_numbers(r, story), figures=figures, revisit=_revisit(r, story, today),
                 risks=simulated + _risks(r, story, today), crossover_months=months)


def decision_pair(r: Result, story: Story | None = None) -> tuple[str, str]:
    """The pair the decision is about: build vs buy, else the two cheapest (one option:
    itself twice)."""
    story = story or tell(r)
    if story.build and story.buy:
        return story.build, story.buy
    order = [r.names[k] for k in np.argsort(comparable(r)[0], kind="stable")]
    return (order[0], order[1 % len(order)])


def uncertain(r: Result) -> bool:
    """Whether the risk view has anything to add: ranges, or a build that may fail."""
    return bool(ranged_fields(r.scenario)) or any(
        likely(getattr(o, "success_probability", 1.0)) < 1 for o in r.scenario.active.values())


def _simulated(r: Result, story: Story, draws: int) -> tuple[list[str], str | None]:
    """Risk lines from the risk view (P10/P50/P90, chance of winning, what moves the gap,
    best start month), and a caution when the Monte Carlo disagrees with the plain answer."""
    s, h, cur = r.scenario, r.scenario.horizon_months, r.scenario.currency
    if not uncertain(r) or draws < 1:
        return [], None
    rep = risk.simulate_report(s, draws=draws)
    basis = rep["basis"]
    word = "present value" if basis == "present_value" else "total"
    a, b = decision_pair(r, story)
    rec = a if (story.saving or 0) > 0 or not story.build else b
    other = b if rec == a else a
    out, caution = [], None
    pair = next((p for p in rep["pairs"] if {p["a"], p["b"]} == {a, b}), None)
    if pair is not None and a != b:
        p_rec = pair["p_a_cheaper" if pair["a"] == rec else "p_b_cheaper"][-1]
        c = pair["crossover"]
        line = (f"Across {rep['draws']:,} simulated cases (ranges sampled, builds failing "
                f"with their odds; seed {rep['seed']}), {rec} is cheaper than {other} by "
                f"month {h} in {pct(round(p_rec, 2))} of them.")
        if c["share_no_crossover"] < 1:
            q = ", ".join(f"P{k} " + (f"month {c[f'month_p{k}']}" if c[f"month_p{k}"]
                                      else f"after month {h}") for k in risk.QUANTILES)
            line += (f" Crossover month: {q}; no crossover in "
                     f"{pct(round(c['share_no_crossover'], 2))} of cases.")
        out.append(line)
        if p_rec < 0.5:
            caution = (f"Caution: the plain figures favour {rec}, but it is cheaper than "
                       f"{other} by month {h} in only {pct(round(p_rec, 2))} of "
                       f"{rep['draws']:,} simulated cases of the risk view.")
        bars = pair["tornado"]["gap"]["bars"][:3]
        if bars:
            out.append(f"What moves the gap between {a} and {b} most: " + "; ".join(
                f"{' · '.join(area_item(x['path']))} ({money(x['swing'], cur)})" for x in bars)
                + ".")
    for name, o in rep["options"].items():
        q = o[basis]
        out.append(f"{name}, {word} over {months(h)}: P10 {money(q['p10'], cur)}, P50 "
                   f"{money(q['p50'], cur)}, P90 {money(q['p90'], cur)} (plain "
                   f"{money(o['plain'][basis], cur)}).")
    for tm in rep["timing"].values():
        if tm["best_start_month"] != tm["current_start_month"]:
            out.append(f"Starting {tm['option']} in month {tm['best_start_month']} instead of "
                       f"month {tm['current_start_month']} costs "
                       f"{money(tm['current_total'] - tm['best_total'], cur)} less ({word}).")
    return out, caution
