"""The answer in words: one headline and a few sentences a product manager can repeat.

Used by the app, the command line, the memo and the slide, so they all say the same.

"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .analysis import break_even, comparable, crossing, totals
from .engine import Result
from .wording import KIND_LABELS, calls, money


@dataclass
class Story:
    headline: str
    details: list[str] = field(default_factory=list)
    build: str | None = None        # the in-house option the headline is about
    buy: str | None = None          # the best option that is not built
    crossover_month: int | None = None
    saving: float | None = None
    break_even_calls: float | None = None


def _label(r: Result, name: str) -> str:
    return f"{name} ({KIND_LABELS[r.scenario.active[name].kind]})"


def tell(r: Result) -> Story:
    """The headline for draw 0 of a plain result."""
    s, names, h = r.scenario, r.names, r.scenario.horizon_months
    cur = s.currency
    rank = comparable(r)[0]
    word = "present value" if r.discounted else "total"
    order = list(np.argsort(rank, kind="stable"))
    best = names[order[0]]
    built = [i for i in order if s.active[names[i]].kind == "in_house"]
    bought = [i for i in order if s.active[names[i]].kind != "in_house"]
    details = []
    if len(names) == 1:
        story = Story(f"{_label(r, best)} costs {money(rank[0], cur)} ({word}) over {h} months.")
    elif built and bought:
        b, o = built[0], bought[0]
        cum = r.cumulative()
        month, _, catcher = crossing(cum[:1, b], cum[:1, o])
        gap = float(rank[o] - rank[b])
        be = float(break_even(s, names[b], names[o])[0])
        story = Story("", build=names[b], buy=names[o], saving=gap,
                      break_even_calls=be if math.isfinite(be) else None)
        if gap > 0:
            if month[0] > 0 and catcher[0] == 0:
                story.crossover_month = int(month[0])
                story.headline = (f"Building pays off: {names[b]} becomes cheaper than "
                                  f"{_label(r, names[o])} in month {int(month[0])} and saves "
                                  f"{money(gap, cur)} over {h} months.")
            else:
                story.headline = (f"Building pays off: {names[b]} is cheaper than "
                                  f"{_label(r, names[o])} from the start and saves "
                                  f"{money(gap, cur)} over {h} months.")
        else:
            tail = ""
            if story.break_even_calls is not None:
                now = float(r.volume[0, -1])
                if story.break_even_calls > now:
                    tail = (f"; it would at about {calls(story.break_even_calls)} calls a month "
                            f"(traffic reaches {calls(now)})")
                else:
                    tail = (f"; its running costs beat {names[o]} above "
                            f"{calls(story.break_even_calls)} calls a month, but not by enough "
                            "to repay the build in time")
            elif month[0] > 0:
                tail = ""
            story.headline = (f"Building never pays off within {h} months: {names[b]} costs "
                              f"{money(-gap, cur)} more than {_label(r, names[o])}{tail}.")
    else:
        second = order[1]
        story = Story(f"{_label(r, best)} is the cheapest over {h} months: "
                      f"{money(rank[order[0]], cur)}, {money(rank[second] - rank[order[0]], cur)} "
                      f"less than {names[second]}.")
    if r.value is not None:
        t = totals(r)["net_value"][0]
        paying = [names[i] for i in range(len(names)) if t[i] > 0]
        if not paying:
            details.append("No option pays for itself: every option costs more than the value "
                           "of its right predictions. Question the problem before building.")
        else:
            top = int(np.argmax(t))
            details.append(f"Best net value: {names[top]}, {money(float(t[top]), cur)} over "
                           f"{h} months (value of right predictions minus total cost).")
    story.details = details + story.details
    return story
