"""Warnings for the report: sentences about inputs worth a second look. They never change a
number; each rule is one function of the scenario (and the engine's live months).

>>> import datetime as dt
>>> months_before(dt.date(2026, 8, 31), STALE_AFTER_MONTHS)   # no 31 February: its last day
datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .numbers import likely
from .params import computed
from .scenario import GenAIOption, HybridOption, InHouseOption, Scenario

STALE_AFTER_MONTHS = 6
"""Prices checked more than this many calendar months ago (or never dated) are stale."""


def months_before(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return _dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def scenario_warnings(s: Scenario, live_months: Mapping[str, float],
                      today: _dt.date | None = None) -> list[str]:
    """Every warning for ``s``, in a fixed order. ``live_months``: each active option's first
    live month in the plain report (a hybrid's is its primary's)."""
    today = today or _dt.date.today()
    return [*_stale_prices(s, today), *_monthly_calls(s), *_llm_upkeep(s),
            *_never_live(s, live_months), *_cache_floor(s)]


def _stale_prices(s: Scenario, today: _dt.date) -> Iterator[str]:
    if s.prices_as_of is None:
        yield ("The prices are undated: set prices_as_of to the day they were checked against "
               "the vendors' pages; API prices change every few months.")
    elif s.prices_as_of < months_before(today, STALE_AFTER_MONTHS):
        yield (f"The prices were checked on {s.prices_as_of.isoformat()}, more than "
               f"{STALE_AFTER_MONTHS} months ago: check them again against the vendors' pages.")


def _monthly_calls(s: Scenario) -> Iterator[str]:
    series, h = s.traffic.monthly_calls, s.horizon_months
    if series is not None and len(series) > h:
        extra = len(series) - h
        yield (f"traffic.monthly_calls has {len(series)} values for a {h}-month horizon: the "
               f"last {extra} {'is' if extra == 1 else 'are'} not used.")


def _llm_upkeep(s: Scenario) -> Iterator[str]:
    for name, opt in computed(s).items():
        if isinstance(opt, GenAIOption) and not any(likely(v) > 0 for v in opt.run_team.values()):
            yield (f"{s.label(name)} (an LLM API) has no run team: prompts, evaluations and "
                   "model versions need upkeep; add part of someone's time (e.g. 0.1 FTE).")


def _never_live(s: Scenario, live_months: Mapping[str, float]) -> Iterator[str]:
    h = s.horizon_months
    for name, opt in s.active.items():
        live = live_months.get(name)
        if live is None or live <= h:
            continue
        if isinstance(opt, InHouseOption):
            yield (f"{s.label(name)} never goes live within the {h}-month horizon (it would "
                   f"in month {int(live)}): here it only costs its build.")
        elif isinstance(opt, HybridOption):
            yield (f"{s.label(name)}: its primary, {s.label(opt.primary)}, never goes live "
                   f"within the {h}-month horizon (month {int(live)}), so "
                   f"{s.label(opt.fallback)} serves every call.")


def _floor_function() -> Callable[[str, str], Any] | None:
    """``cache_floor.cache_floor(provider, model)`` when that module exists (it is being
    added with the catalog's cache data), else None."""
    try:
        from .cache_floor import cache_floor  # type: ignore[import-not-found]
    except ImportError:
        return None
    return cache_floor  # type: ignore[no-any-return]


def _tokens(found: Any) -> float | None:
    """The floor in tokens from whatever the lookup returns (a number, or a record)."""
    for value in (found, getattr(found, "tokens", None), getattr(found, "min_tokens", None)):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _cache_floor(s: Scenario) -> Iterator[str]:
    lookup = _floor_function()
    if lookup is None:
        return
    for name, opt in computed(s).items():
        if not isinstance(opt, GenAIOption) or opt.catalog is None:
            continue
        share = likely(opt.cached_input_share)
        cached = share * likely(opt.input_tokens_per_call)
        if share <= 0:
            continue
        try:
            floor = _tokens(lookup(opt.catalog.provider, opt.catalog.model))
        except (LookupError, ValueError, TypeError):
            floor = None
        if floor is not None and cached < floor:
            yield (f"{s.label(name)}: the cached part of the prompt (about {cached:,.0f} "
                   f"tokens) is shorter than the {floor:,.0f} tokens {opt.catalog.model} "
                   "caches at the least, so it will not be cached; the figures still assume "
                   "it is.")
