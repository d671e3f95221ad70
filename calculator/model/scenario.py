"""The scenario: every field of the file format, its default, unit and bound.

The models are strict: unknown keys are refused, numbers are finite and bounded, and a
field a kind does not use is an error for that kind. Cross-field rules (an interim exists
and is live from month 1, roles exist in ``team``) live in :meth:`Scenario._cross_checks`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from . import catalog
from .numbers import Range, fmt, likely, num, whole

NAME_RE = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_CALLS_PER_MONTH = 1e12
KINDS = ("rules", "vendor_api", "genai_api", "in_house")

Money = num(ge=0, le=1e9)   # a billion: keeps every total finite (10^12 calls × …)
Share = num(ge=0, le=1)
FTE = num(ge=0, le=1000)
TeamMonths = dict[str, FTE]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              validate_default=False, use_attribute_docstrings=True)


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("scenario", f"expected a date like 2026-11-01, got {value!r}")


DateField = Annotated[_dt.date, PlainValidator(_as_date)]


class Setup(Strict):
    cost: Money = 0.0
    """One-off money booked in the start month (labels, training runs, licences)."""
    team_months: TeamMonths = Field(default_factory=dict)
    """One-off effort: role -> FTE-months, each times the role's monthly rate."""


class Retraining(Strict):
    every_months: whole(ge=1, le=240)
    """Retrain every this many months after going live."""
    cost: Money = 0.0
    """Money per retraining (compute, fresh labels)."""
    team_months: TeamMonths = Field(default_factory=dict)
    """Effort per retraining: role -> FTE-months."""


class Data(Strict):
    labels_needed: num(ge=0, le=1e10)
    """Labelled examples the model needs before its build can start."""
    labels_available: num(ge=0, le=1e10) = 0.0
    """Labelled examples you already have."""
    cost_per_label: Money = 0.0
    """Money per new label (e.g. 0.036-0.06 for a 3-5 worker crowd label)."""
    labels_per_month: num(ge=0, le=1e10) = 0.0
    """How many labels your labelling pipeline delivers a month."""


class Tier(Strict):
    up_to_units: num(gt=0, le=1e15) | None = None
    """Inclusive upper bound of this tier, counting the month's units from zero; none on the last."""
    price_per_1k_units: Money
    """Price per 1,000 units in this tier (0 for a free allowance)."""


class CatalogRef(Strict):
    provider: str = Field(min_length=1, max_length=60)
    """Provider id in the bundled genai-prices data (anthropic, openai, google...)."""
    model: str = Field(min_length=1, max_length=120)
    """Model id in that provider's list (claude-haiku-4-5, gpt-5-mini...)."""


class OptionBase(Strict):
    enabled: bool = True
    """Switched off options are kept in the file but left out of every result."""
    accuracy: Share = 1.0
    """Share of predictions that are right (0..1)."""
    start_month: whole(ge=1, le=240) = 1
    """Month work on this option starts."""
    build_months: whole(ge=0, le=240) = 0
    """Months of building before it serves traffic; live from start_month + build_months."""
    interim: str | None = None
    """Another option (live from month 1) that serves traffic until this one is live."""
    setup: Setup = Field(default_factory=Setup)
    """One-off costs booked in the start month."""
    build_team: TeamMonths = Field(default_factory=dict)
    """Role -> FTE paid every month while building."""
    run_team: TeamMonths = Field(default_factory=dict)
    """Role -> FTE paid every month once live (upkeep)."""
    monthly_cost: Money = 0.0
    """Fixed money per live month (monitoring, licences, subscriptions)."""


class RulesOption(OptionBase):
    kind: Literal["rules"]
    cost_per_1k_calls: Money = 0.0
    """Compute per 1,000 calls (often 0)."""


class VendorOption(OptionBase):
    kind: Literal["vendor_api"]
    units_per_call: num(ge=0, le=1e6) = 1.0
    """Billing units per call (a 300-character text at 100 characters a unit is 3)."""
    tier_mode: Literal["graduated", "volume"] = "graduated"
    """graduated: each unit priced at its tier; volume: all units at the tier the month reaches."""
    tiers: list[Tier] = Field(min_length=1, max_length=50)
    """Price tiers, in order; the last has no up_to_units."""
    monthly_minimum: Money = 0.0
    """Minimum monthly bill once live."""

    @model_validator(mode="after")
    def _tiers_ordered(self) -> VendorOption:
        bounds = [t.up_to_units for t in self.tiers]
        if bounds[-1] is not None:
            raise PydanticCustomError("scenario", "the last tier must not have up_to_units")
        previous = 0.0
        for i, b in enumerate(bounds[:-1]):
            if b is None:
                raise PydanticCustomError(
                    "scenario", f"tier {i + 1} needs up_to_units (only the last tier has none)")
            if likely(b) <= previous:
                raise PydanticCustomError(
                    "scenario", f"tier {i + 1}: up_to_units {fmt(likely(b))} must be above the "
                    f"previous bound {fmt(previous)}")
            previous = likely(b)
        return self


class GenAIOption(OptionBase):
    kind: Literal["genai_api"]
    catalog: CatalogRef | None = None
    """Optional price source: a model in the bundled genai-prices data."""
    input_tokens_per_call: num(ge=0, le=1e8)
    """Average prompt tokens per call."""
    output_tokens_per_call: num(ge=0, le=1e8)
    """Average completion tokens per call."""
    price_per_million_input_tokens: Money | None = None
    """Typed-in input price; wins over the catalog."""
    price_per_million_output_tokens: Money | None = None
    """Typed-in output price; wins over the catalog."""
    price_per_million_cached_input_tokens: Money | None = None
    """Typed-in cache-read price; defaults to the catalog's, else the input price."""
    cached_input_share: Share = 0.0
    """Share of input tokens read from the prompt cache."""
    batch_share: Share = 0.0
    """Share of calls that can wait for batch pricing."""
    batch_discount: Share = 0.5
    """Discount on batched calls (0.5 = half price)."""
    price_change_per_year: num(gt=-1, le=10) = 0.0
    """Yearly price change (-0.2 = prices fall 20 % a year)."""


class InHouseOption(OptionBase):
    kind: Literal["in_house"]
    node_cost_per_hour: Money
    """Price of one serving node per hour."""
    node_capacity_rps: num(gt=0, le=1e9)
    """Calls per second one node handles at full load."""
    target_utilization: num(gt=0, le=1) = 0.7
    """Share of a node's capacity you plan to use at peak."""
    min_nodes: whole(ge=0, le=10_000) = 1
    """Nodes kept running whatever the traffic."""
    cost_per_1k_calls: Money = 0.0
    """Other variable cost per 1,000 calls (storage, logging)."""
    retraining: Retraining | None = None
    """Periodic retraining after going live."""
    data: Data | None = None
    """Labelled data the build needs first."""
    success_probability: Share = 1.0
    """Chance the build reaches production (risk view and expected line)."""


Option = Annotated[RulesOption | VendorOption | GenAIOption | InHouseOption,
                   Field(discriminator="kind")]


class Traffic(Strict):
    calls_per_month: num(gt=0, le=MAX_CALLS_PER_MONTH)
    """Average calls (predictions) in month 1."""
    growth: Literal["none", "linear", "compound"] = "none"
    """How traffic grows: none, linear (calls a month added each month) or compound."""
    growth_rate_monthly: num(gt=-1, le=1) = 0.0
    """Compound only: monthly growth as a fraction (0.04 = 4 % a month)."""
    growth_calls_per_month: num(ge=-MAX_CALLS_PER_MONTH, le=MAX_CALLS_PER_MONTH) = 0.0
    """Linear only: calls a month added each month (negative for decline)."""
    peak_to_average: num(ge=1, le=1000) = 1.0
    """Busiest second over the average second; sizes serving capacity only."""
    monthly_calls: list[num(ge=0, le=MAX_CALLS_PER_MONTH, ranged=False)] | None = None
    """Explicit calls for each month; replaces the curve."""

    @model_validator(mode="after")
    def _growth_fields(self) -> Traffic:
        if self.growth != "compound" and likely(self.growth_rate_monthly) != 0:
            raise PydanticCustomError(
                "scenario", "growth_rate_monthly is only used with growth: compound "
                f"(growth is {self.growth})")
        if self.growth != "linear" and likely(self.growth_calls_per_month) != 0:
            raise PydanticCustomError(
                "scenario", "growth_calls_per_month is only used with growth: linear "
                f"(growth is {self.growth})")
        return self


class Quality(Strict):
    cost_per_error: Money = 0.0
    """Money lost per wrong prediction; 0 compares on cost alone."""
    value_per_correct_prediction: Money = 0.0
    """Money earned per right prediction; 0 turns the value view off."""


class Scenario(Strict):
    schema_version: int = Field(ge=1, le=1)
    """Format version; 1."""
    name: str = Field(min_length=1, max_length=120)
    """A title for the scenario."""
    description: str = Field(default="", max_length=4000)
    """What the feature is and what is being decided."""
    currency: str = Field(default="USD", min_length=1, max_length=12)
    """A label only; no conversion."""
    prices_as_of: DateField | None = None
    """Date the prices were checked; the app warns when older than 6 months."""
    horizon_months: int = Field(ge=1, le=240)
    """Months projected (1..240)."""
    discount_rate_annual: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    """Annual discount rate (0..1); 0 = no discounting."""
    hours_per_month: float = Field(default=730.0, gt=0, le=744, allow_inf_nan=False)
    """Hours in a month, for hourly prices."""
    traffic: Traffic
    team: dict[str, num(ge=0, le=1e7)] = Field(default_factory=dict)
    """Role -> loaded monthly cost of one full-time person."""
    quality: Quality = Field(default_factory=Quality)
    options: dict[str, Option] = Field(min_length=1, max_length=20)
    """Name -> option; names are lowercase letters, digits, _ and -."""

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        for problem in _cross_problems(self):
            raise problem
        return self

    @property
    def active(self) -> dict[str, Any]:
        """The options that are switched on, in file order."""
        return {k: o for k, o in self.options.items() if o.enabled}


def _err(path: str, message: str) -> PydanticCustomError:
    # The loader reads the path from the context and finds its line in the file.
    return PydanticCustomError("scenario_at", message, {"path": path})


def _cross_problems(s: Scenario):  # noqa: C901 - one flat list of rules reads best
    for name in s.team:
        if not NAME_RE.match(name):
            yield _err(f"team.{name}", "role names use lowercase letters, digits, _ and - "
                       "(at most 40)")
    for name, opt in s.options.items():
        if not NAME_RE.match(name):
            yield _err(f"options.{name}", "option names use lowercase letters, digits, _ "
                       "and - (at most 40)")
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
        if isinstance(opt, InHouseOption) and opt.data is not None:
            d = opt.data
            shortfall = likely(d.labels_needed) - likely(d.labels_available)
            if shortfall > 0 and _low(d.labels_per_month) <= 0:
                yield _err(f"options.{name}.data.labels_per_month",
                           f"is 0 but {fmt(shortfall)} labels are missing; set how many "
                           "labels a month you can get")
    t = s.traffic
    if t.monthly_calls is not None:
        if len(t.monthly_calls) < s.horizon_months:
            yield _err("traffic.monthly_calls", f"has {len(t.monthly_calls)} values but the "
                       f"horizon is {s.horizon_months} months; give at least one per month")
        elif sum(t.monthly_calls[: s.horizon_months]) <= 0:
            yield _err("traffic.monthly_calls", "all values are 0: there is no traffic")
    elif t.growth == "compound":
        g = max(likely(t.growth_rate_monthly), _high(t.growth_rate_monthly))
        end = likely(t.calls_per_month) * math.exp((s.horizon_months - 1) * math.log1p(g))
        if end > MAX_CALLS_PER_MONTH:
            yield _err("traffic.growth_rate_monthly",
                       f"{fmt(g)} a month reaches {end:.3g} calls a month by month "
                       f"{s.horizon_months}, above the limit of 10^12; lower the rate or "
                       "the horizon")
    elif t.growth == "linear":
        end = likely(t.calls_per_month) + _high(t.growth_calls_per_month) * (s.horizon_months - 1)
        if end > MAX_CALLS_PER_MONTH:
            yield _err("traffic.growth_calls_per_month",
                       f"reaches {end:.3g} calls a month by month {s.horizon_months}, above "
                       "the limit of 10^12")


def _low(v: float | Range) -> float:
    return v.low if isinstance(v, Range) else v


def _high(v: float | Range) -> float:
    return v.high if isinstance(v, Range) else v


def _unknown_role(role: str, s: Scenario) -> str:
    known = ", ".join(s.team) or "none yet"
    return f"role {role!r} is not in team (known roles: {known}); add its monthly cost there"


def _interim_problems(s: Scenario, name: str, opt: Any):
    path = f"options.{name}.interim"
    other = s.options.get(opt.interim)
    if opt.interim == name:
        yield _err(path, f"{name!r} cannot be its own interim")
    elif other is None:
        yield _err(path, f"{opt.interim!r} is not an option (options: {', '.join(s.options)})")
    elif not other.enabled and opt.enabled:
        yield _err(path, f"{opt.interim!r} is switched off; switch it on or pick another interim")
    elif other.interim is not None:
        yield _err(path, f"{opt.interim!r} has an interim of its own; an interim must serve "
                   "by itself")
    elif _high(other.start_month) != 1 or _high(other.build_months) != 0 or (
            isinstance(other, InHouseOption) and other.data is not None):
        yield _err(path, f"{opt.interim!r} is not live from month 1 (it needs start_month 1, "
                   "build_months 0 and no data block)")


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
