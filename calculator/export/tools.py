"""The decision tools of one export, run once and passed down like the risk report: what
would have to be true (thresholds), where building wins (the decision map on its default
axes), what to measure next (the value of information, only with uncertain inputs, on the
Decision's own draws and seed) and, when asked, the comparison with an earlier scenario.

The memo, the deck, the decision-map chart and its CSV all read one :class:`Tools`; the
rows and sentences they show come from :mod:`calculator.model.decide_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import (
    Decision,
    DecisionMap,
    Scenario,
    ScenarioError,
    compare,
    decision_map,
    thresholds,
    value_of_information,
)


@dataclass(frozen=True)
class Tools:
    thresholds: dict[str, Any]
    map: DecisionMap | None            # None when the scenario has nothing to map
    map_problem: str | None            # why there is no map
    voi: dict[str, Any] | None         # None without uncertain inputs
    compare: dict[str, Any] | None = None
    before: Scenario | None = None     # the scenario compared with (the earlier one)


def has_map(d: Decision) -> bool:
    """Whether a decision map is worth drawing: two options or more (without building it)."""
    return len(d.result.names) > 1


def map_and_problem(d: Decision) -> tuple[DecisionMap | None, str | None]:
    """The decision map on its default axes, or None and why there is none."""
    if not has_map(d):
        return None, "there is only one option, so nothing to choose between"
    try:
        return decision_map(d.scenario), None
    except ScenarioError as exc:
        return None, str(exc)


def tools_of(d: Decision, compare_with: Scenario | None = None,
             mapped: tuple[DecisionMap | None, str | None] | None = None) -> Tools:
    """Every decision tool of ``d``'s scenario, once; ``compare_with``: the earlier
    scenario to compare ``d``'s with; ``mapped``: :func:`map_and_problem`, when the
    caller has made it already."""
    s = d.scenario
    dm, problem = mapped if mapped is not None else map_and_problem(d)
    voi = (value_of_information(s, d.odds.draws, d.odds.seed) if d.odds is not None else None)
    out = compare(compare_with, s) if compare_with is not None else None
    return Tools(thresholds(s), dm, problem, voi, out, compare_with)


def map_of(d: Decision, tl: Tools | None) -> DecisionMap | None:
    """The decision map of ``tl``, or made here when no tools were passed down."""
    return tl.map if tl is not None else map_and_problem(d)[0]
