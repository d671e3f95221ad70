"""The scenario: every field of the file format, declared once with its default, unit, bound,
label and help (the options live in :mod:`calculator.model.options`, their blocks in
:mod:`calculator.model.option_blocks`).

The models are strict: unknown keys are refused, numbers are finite and bounded, text has
no control characters, and a field a kind does not use is an error for that kind.
Cross-field rules (an interim exists and is live from month 1, roles exist in ``team``, a
hybrid's parts) live in :func:`_cross_problems`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from . import catalog
from .numbers import Range, fmt, likely, num, whole
from .option_blocks import (
    MAX_ROLES_PER_MAP,
    CatalogRef,
    Change,
    Data,
    NodeCatalogRef,
    OptionBase,
    OptionCommon,
    Retraining,
    Setup,
    Strict,
    Tier,
)
from .options import (
    KIND_MODELS,
    KINDS,
    GenAIOption,
    HybridOption,
    InHouseOption,
    Option,
    RulesOption,
    VendorOption,
)
from .registry import NAME_PATTERN, is_name, meta, text

MAX_CALLS_PER_MONTH = 1e12
MAX_OPTIONS = 20
MAX_MONTHS = 240
NAME_RE = re.compile(NAME_PATTERN)
"""Option and role names; match with ``fullmatch`` (``is_name``), never ``match``."""

Money = num(ge=0, le=1e9)


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("scenario", f"expected a date like 2026-11-01, got {_clip(value)}")


def _as_month(value: Any) -> _dt.date:
    """A calendar month, YYYY-MM (a full date is taken as its month)."""
    if isinstance(value, _dt.date):
        return _dt.date(value.year, value.month, 1)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}", value.strip()):
        year, month = (int(x) for x in value.strip().split("-"))
        if 1 <= month <= 12 and 1900 <= year <= 2200:
            return _dt.date(year, month, 1)
    raise PydanticCustomError("scenario", f"expected a month like 2027-01, got {_clip(value)}")


def _clip(value: Any) -> str:
    return repr(value[:40]) if isinstance(value, str) else repr(value)


DateField = Annotated[_dt.date, PlainValidator(_as_date),
                      WithJsonSchema({"type": "string", "format": "date"})]
MonthField = Annotated[_dt.date, PlainValidator(_as_month),
                       WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})]


class Traffic(Strict):
    calls_per_month: num(ge=1, le=MAX_CALLS_PER_MONTH) = meta(
        label="Calls per month in month 1", unit="calls", example=100_000.0, help=(
            "Predictions the feature makes in its first month (tickets, searches or images a "
            "month), from your analytics."))
    growth: Literal["none", "linear", "compound"] = meta(
        "none", label="Traffic growth", unit="choice", help=(
            "none: flat. linear: a fixed number of calls added each month. compound: a fixed "
            "percentage each month."))
    growth_rate_monthly: num(ge=-0.99, le=1) = meta(
        0.0, label="Traffic growth a month", unit="growth", step=0.005, when=("growth", "compound"),
        help=(
            "Compound growth: 0.02 = +2 % a month (27 % a year). Take it from last year's "
            "traffic; negative for decline."))
    growth_calls_per_month: num(ge=-MAX_CALLS_PER_MONTH, le=MAX_CALLS_PER_MONTH) = meta(
        0.0, label="Calls added each month", unit="calls", step=1000.0,
        when=("growth", "linear"),
        help="Linear growth: calls a month added every month (negative for decline).")
    peak_to_average: num(ge=1, le=1000) = meta(
        1.0, label="Peak-to-average ratio", unit="ratio", step=0.5, help=(
            "Busiest second over the average second. It only sizes in-house serving nodes: "
            "2-3 for office-hours traffic, 1 for batch jobs."))
    monthly_calls: list[num(ge=0, le=MAX_CALLS_PER_MONTH, ranged=False, positive_min=1)] | None \
        = Field(None, max_length=MAX_MONTHS, title="Calls in each month (your forecast)",
                description="An explicit number of calls for each month, e.g. a column pasted "
                "from your traffic forecast; it replaces the growth curve. One value per month "
                "of the horizon (values past the horizon are kept and not used).",
                json_schema_extra={"x-unit": "calls"})

    @model_validator(mode="after")
    def _growth_fields(self) -> Traffic:
        if self.growth != "compound" and likely(self.growth_rate_monthly) != 0:
            raise PydanticCustomError(
                "scenario_at", "is only used with growth: compound (growth is "
                f"{self.growth})", {"field": "growth_rate_monthly"})
        if self.growth != "linear" and likely(self.growth_calls_per_month) != 0:
            raise PydanticCustomError(
                "scenario_at", "is only used with growth: linear (growth is "
                f"{self.growth})", {"field": "growth_calls_per_month"})
        return self


class Quality(Strict):
    cost_per_error: Money = meta(0.0, label="Cost per wrong prediction", unit="money", step=0.01,
                                 help=(
        "What one mistake costs: agent minutes to fix it, a refund, a lost sale. 1.5 minutes "
        "of a $24/h agent is 0.60. 0 compares the options on running cost alone."))
    value_per_correct_prediction: Money = meta(
        0.0, label="Value per right prediction", unit="money", step=0.01, help=(
            "What one right prediction earns or saves (minutes of manual work saved). 0 turns "
            "the net-value view off."))


ROLE_HELP = ("Loaded monthly cost of one full-time person: annual salary x 1.42 (BLS ECEC "
             "2025: benefits and taxes) / 12. US medians: data scientist $112,590, software "
             "developer $133,080 a year (BLS).")


class Scenario(Strict):
    schema_version: whole(ge=1, le=1, ranged=False) = meta(
        label="Format version", unit="version", example=1, help="Version of the scenario format: 1.")
    name: text(min_length=1, max_length=120) = meta(label="Scenario name", unit="text",
                                                    example="New scenario", help=(
        "A title for this decision; it heads every chart, download and share link."))
    description: text(max_length=4000, multiline=True) = meta(
        "", label="What is being decided", unit="text", help=(
            "One or two sentences: the feature, today's process and the choice on the table."))
    currency: text(min_length=1, max_length=12) = meta(
        "USD", label="Currency", unit="text", advanced=True, help=(
            "A label only, nothing is converted: USD, EUR, GBP... Every money field is in it."))
    prices_as_of: DateField | None = meta(None, label="Prices checked on", unit="date", help=(
        "When the prices in this scenario were last checked against the vendors' pages. The "
        "report warns when they are more than 6 months old: API prices move fast."))
    start_date: MonthField | None = meta(None, label="Month 1 is", unit="month_date", help=(
        "Optional calendar month of month 1 (YYYY-MM). With it, months read as 'month 25 "
        "(Jan 2029)' and the catalog's announced LLM price changes apply from their month."))
    horizon_months: whole(ge=1, le=MAX_MONTHS, ranged=False) = meta(
        label="Horizon", unit="months", step=1, example=36, help=(
            "How far ahead to count costs. 36 months is usual for a build decision; a "
            "crossover must fall inside it to count."))
    discount_rate_annual: num(ge=0, le=1, ranged=False) = meta(
        0.0, label="Discount rate a year", unit="rate", step=0.01, help=(
            "Money later is worth less than money now. Use your finance team's hurdle rate; "
            "0.08-0.12 is typical, 0 turns discounting off."))
    hours_per_month: num(ge=1, le=744, ranged=False) = meta(
        730.0, label="Hours in a month", unit="hours", step=1.0, advanced=True, help=(
            "Turns hourly node prices into monthly ones. 730 = 24 h x 365 / 12 (AWS's "
            "convention); some GPU clouds bill 720."))
    team_cost_change_per_year: num(ge=-0.9, le=1, ranged=False) = meta(
        0.0, label="Salary change a year", unit="change", step=0.01, help=(
            "Yearly change of every team cost (build, run, setup and retraining effort): "
            "0.03-0.05 for typical raises; 0 keeps salaries flat."))
    traffic: Traffic = meta(label="Traffic", unit="group", help="How many predictions, when.")
    team: Annotated[dict[str, num(ge=0, le=1e7)], Field(max_length=MAX_ROLES_PER_MAP)] = meta(
        label="Team rates (a month each)", unit="money", step=500.0, factory=dict, help=ROLE_HELP)
    quality: Quality = meta(label="Quality: errors and value", unit="group", factory=Quality,
                            help="What a wrong prediction costs and a right one earns.")
    options: Annotated[dict[str, Option], Field(min_length=1, max_length=MAX_OPTIONS)] = meta(
        label="Options", unit="group", help=(
            "Name -> option; names are lowercase letters, digits, _ and - (at most 40)."))

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        found = [(str(e.context["path"]), e.message()) for e in _cross_problems(self)
                 if e.context]
        if found:   # every cross-field problem at once, each with its own path
            raise PydanticCustomError("scenario_many", "{count} problems",
                                      {"count": len(found), "problems": found})
        return self

    @property
    def active(self) -> dict[str, Any]:
        """The options that are switched on, in file order."""
        return {k: o for k, o in self.options.items() if o.enabled}

    def label(self, name: str) -> str:
        """An option's name for people: its label, else its key."""
        return self.options[name].label or name


def _err(path: str, message: str) -> PydanticCustomError:
    # The loader reads the path from the context and finds its line in the file.
    return PydanticCustomError("scenario_at", message, {"path": path})


def _cross_problems(s: Scenario):  # noqa: C901 - one flat list of rules reads best
    for name in s.team:
        if not is_name(name):
            yield _err(f"team.{name}", "role names use 1 to 40 lowercase letters, digits, _ "
                       "and -")
    if not s.active:
        yield _err("options", "every option is switched off; switch at least one on")
    for name, opt in s.options.items():
        if not is_name(name):
            yield _err(f"options.{name}", "option names use 1 to 40 lowercase letters, "
                       "digits, _ and -")
        if isinstance(opt, HybridOption):
            yield from _hybrid_problems(s, name, opt)
            continue
        for field in ("build_team", "run_team"):
            for role in getattr(opt, field):
                if role not in s.team:
                    yield _err(f"options.{name}.{field}.{role}", _unknown_role(role, s))
        teams = [("setup.team_months", opt.setup.team_months)]
        if isinstance(opt, InHouseOption) and opt.retraining is not None:
            teams.append(("retraining.team_months", opt.retraining.team_months))
        for field, team in teams:
            for role in team:
                if role not in s.team:
                    yield _err(f"options.{name}.{field}.{role}", _unknown_role(role, s))
        if opt.interim is not None:
            yield from _interim_problems(s, name, opt)
        if isinstance(opt, GenAIOption):
            yield from _genai_price_problems(name, opt)
        if isinstance(opt, InHouseOption):
            yield from _in_house_problems(name, opt)
    yield from _traffic_problems(s)


def _in_house_problems(name: str, opt: InHouseOption):
    if opt.node_catalog is not None:
        from .gpus import lookup as node_lookup

        found = node_lookup(opt.node_catalog.cloud, opt.node_catalog.instance)
        if isinstance(found, str):
            yield _err(f"options.{name}.node_catalog", found)
    if opt.data is not None:
        d = opt.data
        short = _high(d.labels_needed) - _low(d.labels_available)
        if short > 0 and _low(d.labels_per_month) <= 0:
            yield _err(f"options.{name}.data.labels_per_month",
                       f"is 0 but up to {fmt(short)} labels are missing; set how many labels "
                       "a month you can get")


def _traffic_problems(s: Scenario):
    t = s.traffic
    if t.monthly_calls is not None:
        if len(t.monthly_calls) < s.horizon_months:
            yield _err("traffic.monthly_calls", f"has {len(t.monthly_calls)} values but the "
                       f"horizon is {s.horizon_months} months; give one per month")
        elif sum(t.monthly_calls[: s.horizon_months]) <= 0:
            yield _err("traffic.monthly_calls", "all values are 0: there is no traffic")
    elif t.growth == "compound":
        g = _high(t.growth_rate_monthly)
        end = _high(t.calls_per_month) * math.exp((s.horizon_months - 1) * math.log1p(g))
        if end > MAX_CALLS_PER_MONTH:
            yield _err("traffic.growth_rate_monthly",
                       f"{fmt(g)} a month reaches {end:,.0f} calls a month by month "
                       f"{s.horizon_months}, above the limit of 10^12; lower the rate or "
                       "the horizon")
    elif t.growth == "linear":
        end = _high(t.calls_per_month) + _high(t.growth_calls_per_month) * (s.horizon_months - 1)
        if end > MAX_CALLS_PER_MONTH:
            yield _err("traffic.growth_calls_per_month",
                       f"reaches {end:.3g} calls a month by month {s.horizon_months}, above "
                       "the limit of 10^12")


def _low(v: float | Range | None) -> float:
    return 0.0 if v is None else v.low if isinstance(v, Range) else v


def _high(v: float | Range | None) -> float:
    return 0.0 if v is None else v.high if isinstance(v, Range) else v


def _unknown_role(role: str, s: Scenario) -> str:
    known = ", ".join(s.team) or "none yet"
    return f"role {role!r} is not in team (known roles: {known}); add its monthly cost there"


def live_from_month_one(opt: Any) -> bool:
    """Whether an option serves from month 1 in every draw (an interim or a fallback must)."""
    return (not isinstance(opt, HybridOption) and _high(opt.start_month) == 1
            and _high(opt.build_months) == 0 and opt.interim is None
            and not (isinstance(opt, InHouseOption) and opt.data is not None))


def _interim_problems(s: Scenario, name: str, opt: Any):
    path = f"options.{name}.interim"
    other = s.options.get(opt.interim)
    if opt.interim == name:
        yield _err(path, f"{name!r} cannot be its own interim")
    elif other is None:
        yield _err(path, f"{opt.interim!r} is not an option (options: {', '.join(s.options)})")
    elif isinstance(other, HybridOption):
        yield _err(path, f"{opt.interim!r} is a hybrid; an interim is a single option")
    elif not other.enabled and opt.enabled:
        yield _err(path, f"{opt.interim!r} is switched off; switch it on or pick another interim")
    elif other.interim is not None:
        yield _err(path, f"{opt.interim!r} has an interim of its own; an interim must serve "
                   "by itself")
    elif not live_from_month_one(other):
        yield _err(path, f"{opt.interim!r} is not live from month 1 (it needs start_month 1, "
                   "build_months 0 and no data block)")


def _hybrid_problems(s: Scenario, name: str, opt: HybridOption):
    for role in ("primary", "fallback"):
        other = getattr(opt, role)
        path = f"options.{name}.{role}"
        part = s.options.get(other)
        if other == name:
            yield _err(path, f"{name!r} cannot be a part of itself")
        elif part is None:
            yield _err(path, f"{other!r} is not an option (options: {', '.join(s.options)})")
        elif isinstance(part, HybridOption):
            yield _err(path, f"{other!r} is a hybrid; a hybrid's parts are single options")
        elif role == "fallback" and not live_from_month_one(part):
            yield _err(path, f"{other!r} is not live from month 1 (the fallback serves "
                       "everything until the primary is live: it needs start_month 1, "
                       "build_months 0, no interim and no data block)")
        elif role == "primary" and part.interim is not None:
            yield _err(path, f"{other!r} has an interim; in a hybrid the fallback serves "
                       "until the primary is live, so remove the primary's interim")
    if opt.primary == opt.fallback:
        yield _err(f"options.{name}.fallback", "the primary and the fallback must differ")


def _genai_price_problems(name: str, opt: GenAIOption):
    if opt.catalog is not None:
        found = catalog.lookup(opt.catalog.provider, opt.catalog.model)
        if isinstance(found, str):
            yield _err(f"options.{name}.catalog", found)
    else:
        for field in ("price_per_million_input_tokens", "price_per_million_output_tokens"):
            if getattr(opt, field) is None:
                yield _err(f"options.{name}.{field}",
                           "is required (or name a catalog model to take prices from)")


__all__ = ["KINDS", "KIND_MODELS", "MAX_CALLS_PER_MONTH", "NAME_RE", "CatalogRef", "Change",
           "Data", "GenAIOption", "HybridOption", "InHouseOption", "NodeCatalogRef", "Option",
           "OptionBase", "OptionCommon", "Quality", "Retraining", "RulesOption", "Scenario",
           "Setup", "Tier", "Traffic", "VendorOption", "live_from_month_one"]
