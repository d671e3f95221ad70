"""What the narrative returns: the :class:`Texts` a Decision carries, the
:class:`KeyNumber` cards among them, and an option named as the path it takes
(:func:`path_label`), which the headline, the key numbers, the charts and the slides share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .scenario import HybridOption
from .wording import month, months

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
    totals_title: str = ""                      # "Totals over 36 months on likely values"


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
