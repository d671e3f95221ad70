"""The blocks every option is made of: the strict base model, the bounded number types
(money, shares, yearly changes, people, tokens), the team maps, the setup, retraining,
labelled-data and price-tier blocks, the catalog references, and the fields common to every
kind (:class:`OptionCommon`) and to every kind but the hybrid (:class:`OptionBase`). The five
kinds are declared in :mod:`.options`; every field once (see registry.py).

Help texts give typical values and where they come from (shared/reference/prices-and-costs.md
lists the sources with dates).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from .numbers import num, whole
from .registry import Name, meta, text

Money = num(ge=0, le=1e9)   # a billion: keeps every total finite (10^12 calls × …)
Share = num(ge=0, le=1)
Change = num(ge=-0.9, le=1)         # spec v2: −0.9 ≤ x ≤ 1 for a yearly change
FTE = num(ge=0, le=1000)
Tokens = num(ge=0, le=1e8)
MAX_TIERS = 20
MAX_ROLES_PER_MAP = 50


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              validate_default=False)


def _roles(label: str, help: str, unit: str, group: str = "People") -> Any:
    return meta(label=label, help=help, unit=unit, group=group, factory=dict, step=0.05)


def _without_zeros(team: dict[str, Any]) -> dict[str, Any]:
    """A role at exactly 0 people is no role: dropped, so that a file and the app's form
    (which lists every role, 0 where none) hold the same team."""
    return {role: n for role, n in team.items() if not (isinstance(n, int | float) and n == 0)}


TeamMap = Annotated[dict[str, FTE], Field(max_length=MAX_ROLES_PER_MAP),
                    AfterValidator(_without_zeros)]


class Setup(Strict):
    cost: Money = meta(0.0, label="One-off cost", unit="money", step=100.0, help=(
        "Money paid once when work starts: labels, training runs, licences, integration "
        "fees."))
    team_months: TeamMap = _roles(
        "One-off effort", "Person-months spent once when work starts "
        "(integration, prompt work, label audit).", "fte_months")


class Retraining(Strict):
    every_months: whole(ge=1, le=240) = meta(
        label="Retrain every", unit="months", step=1, example=6,
        help="Months between retrainings once live.")
    cost: Money = meta(0.0, label="Cost per retraining", unit="money", step=50.0, help=(
        "Compute and fresh labels. Fine-tuning a small model costs under $1 of GPU "
        "(RoBERTa-base on a $1.05/h A10G, Hugging Face); fresh labels cost more."))
    team_months: TeamMap = _roles(
        "Effort per retraining", "Data checks, evaluation, release.",
        "fte_months")


class Data(Strict):
    labels_needed: num(ge=0, le=1e10) = meta(
        label="Labels needed", unit="labels", step=1000.0, example=10_000.0,
        help="Labelled examples the model needs before its build can start.")
    labels_available: num(ge=0, le=1e10) = meta(
        0.0, label="Labels you already have", unit="labels", step=1000.0,
        help="Existing labelled examples (history, past decisions).")
    cost_per_label: Money = meta(0.0, label="Cost per new label", unit="money", step=0.01, help=(
        "All-in price of one new label. Crowd classification on SageMaker Ground Truth pays "
        "workers from $0.012 a task, 3-5 workers an item ($0.036-0.06), plus the service's "
        "own per-object fee; experts cost far more. Crowd workers must not see personal data: "
        "use a private or vendor workforce for tickets, e-mails or invoices."))
    labels_per_month: num(ge=0, le=1e10, positive_min=1) = meta(
        0.0, label="Labels delivered a month", unit="labels", step=1000.0,
        help="Throughput of your labelling pipeline; 0 only when no labels are missing.")


class Tier(Strict):
    up_to_units: num(ge=1, le=1e15) | None = meta(
        None, label="Up to units a month", unit="units", step=1000.0, help=(
            "Upper bound of this tier, counting the month's units from zero (inclusive); "
            "none on the last tier."), example=1_000.0)
    price_per_1k_units: Money = meta(label="Price per 1,000 units", unit="money", step=0.01,
                                     example=1.5, help=(
        "Price of 1,000 units in this tier; 0 for a free allowance. Google Vision labels: "
        "1.50 up to 5M, then 1.00 (cloud.google.com/vision/pricing)."))


class CatalogRef(Strict):
    provider: text(min_length=1, max_length=60) = meta(
        label="Provider", unit="text", example="anthropic",
        help="Provider id in the bundled genai-prices data (anthropic, openai, google...).")
    model: text(min_length=1, max_length=120) = meta(
        label="Model", unit="text", example="claude-haiku-4-5",
        help="Model id in that provider's list (claude-haiku-4-5, gpt-5-mini...).")


class NodeCatalogRef(Strict):
    cloud: text(min_length=1, max_length=40) = meta(
        label="Cloud", unit="text", example="aws", help="Cloud of the instance in the bundled table (aws...).")
    instance: text(min_length=1, max_length=60) = meta(
        label="Instance", unit="text", example="g4dn.xlarge", help="Instance type (g5.xlarge, g6.xlarge...).")


class OptionCommon(Strict):
    enabled: bool = meta(True, label="Include this option", unit="flag", help=(
        "Switched-off options stay in the file but are left out of every result (a hybrid "
        "can still use them)."))
    label: text(max_length=60) | None = meta(None, label="Display name", unit="text", help=(
        "The option's name for people, in every sentence, chart and export (up to 60 "
        "characters). Empty: its key."))

    @field_validator("label", mode="before")
    @classmethod
    def _blank_label_is_none(cls, v: Any) -> Any:
        """An empty or blank display name is no name (the key shows), the same in a file
        and in the app's empty box."""
        return None if isinstance(v, str) and not v.strip() else v


class OptionBase(OptionCommon):
    accuracy: Share = meta(1.0, label="Accuracy", unit="share", step=0.01, group="Quality", help=(
        "Share of predictions that are right, measured on a labelled sample of real traffic "
        "(not a benchmark)."))
    start_month: whole(ge=1, le=240) = meta(
        1, label="Work starts in month", unit="month", step=1, group="Plan",
        help="Month work on this option starts; 1 = now.")
    build_months: whole(ge=0, le=240) = meta(
        0, label="Build time", unit="months", step=1, group="Plan", help=(
            "Months of building before it serves traffic. Surveys: most teams need over a "
            "month to build and another to deploy (Algorithmia 2021); the median from "
            "prototype to production is about 8 months (Gartner 2024, quoted second-hand)."))
    interim: Name | None = meta(None, label="Interim option while building", unit="name",
                                group="Plan", help=(
        "Another option, live from month 1, that serves traffic (and is paid for) until this "
        "one is live. Empty: the traffic is not served before then."))
    setup: Setup = meta(label="One-off setup", unit="group", group="Plan", factory=Setup,
                        help="Costs booked once, in the month work starts.")
    build_team: TeamMap = _roles("Build team", "Full-time people on the build each "
                                 "month until it is live.", "fte")
    run_team: TeamMap = _roles("Run team", (
        "Upkeep once live: monitoring, fixes, prompt or model updates. Rule of thumb: about "
        "20 % of the build effort a year (Standish); ML systems often need more (Sculley et "
        "al. 2015). API options need some too: prompts and evaluations age."), "fte")
    monthly_cost: Money = meta(0.0, label="Fixed cost per month", unit="money", step=50.0,
                               group="Prices", help=(
        "Paid every live month whatever the traffic: monitoring, registry, logging, "
        "subscriptions."))


def price_change(help: str) -> Any:
    """The yearly price change field of a kind, with its own help text."""
    return meta(0.0, label="Price change a year", unit="change", step=0.01, group="Prices",
                help=help)
