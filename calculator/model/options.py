"""The five kinds of option: rules, a vendor ML API, a GenAI API, an in-house model and a
hybrid of two; every field declared once (see registry.py), from the blocks in
:mod:`.option_blocks` (re-exported here).

Help texts give typical values and where they come from (shared/reference/prices-and-costs.md
lists the sources with dates).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .numbers import Range, fmt, likely, num, whole
from .option_blocks import (
    MAX_TIERS,
    CatalogRef,
    Change,
    Data,
    Money,
    NodeCatalogRef,
    OptionBase,
    OptionCommon,
    Retraining,
    Setup,
    Share,
    Strict,
    Tier,
    Tokens,
    price_change,
)
from .registry import Name, meta


class RulesOption(OptionBase):
    kind: Literal["rules"]
    cost_per_1k_calls: Money = meta(0.0, label="Cost per 1,000 calls", unit="money", step=0.001,
                                    group="Prices", help=(
        "Usually 0: rules run inside an existing service. For staff review (people as a "
        "hybrid's fallback), the reviewers' time per 1,000 calls: 1,000 x 1 minute at $30/h "
        "loaded is 500."))
    price_change_per_year: Change = price_change(
        "Yearly change of the cost per 1,000 calls (compute, or reviewers' wages for staff "
        "review); 0 keeps it flat.")


class VendorOption(OptionBase):
    kind: Literal["vendor_api"]
    units_per_call: num(ge=0, le=1e6) = meta(1.0, label="Billing units per call", unit="units",
                                             step=1.0, group="Prices", help=(
        "How the vendor counts: AWS Comprehend bills 100-character units, at least 3 a "
        "request; Google Vision one unit per feature per image; Google Natural Language one "
        "unit per 1,000 characters."))
    tier_mode: Literal["graduated", "volume"] = meta(
        "graduated", label="Tier pricing", unit="choice", group="Prices", help=(
            "graduated: each unit priced at the tier it falls in (AWS, Google). volume: all "
            "the month's units at the tier the month reaches."))
    tiers: list[Tier] = Field(min_length=1, max_length=MAX_TIERS, title="Price tiers",
                              description="Price per 1,000 units by the month's volume, in "
                              "order; the last tier has no upper bound.",
                              json_schema_extra={"x-unit": "group", "x-group": "Prices"})
    monthly_minimum: Money = meta(0.0, label="Minimum monthly bill", unit="money", step=10.0,
                                  group="Prices", help="The vendor's minimum charge a month, "
                                  "if any.")
    price_change_per_year: Change = price_change(
        "Yearly change of every tier price and the minimum (tier bounds stay): contracts often "
        "escalate 3-7 % a year at renewal; negative when list prices fall.")

    @model_validator(mode="after")
    def _tiers_ordered(self) -> VendorOption:
        bounds = [t.up_to_units for t in self.tiers]
        if bounds[-1] is not None:
            raise PydanticCustomError("scenario", "the last tier must not have up_to_units")
        previous: float | Range = 0.0
        for i, b in enumerate(bounds[:-1]):
            if b is None:
                raise PydanticCustomError(
                    "scenario", f"tier {i + 1} needs up_to_units (only the last tier has none)")
            # every draw must keep the tiers in order: this bound's lowest value above the
            # previous one's highest
            if _low(b) <= _high(previous):
                raise PydanticCustomError(
                    "scenario", f"tier {i + 1}: up_to_units {_show(b)} must be above the "
                    f"previous bound {_show(previous)} (ranges may not overlap)")
            previous = b
        return self


class GenAIOption(OptionBase):
    kind: Literal["genai_api"]
    catalog: CatalogRef | None = meta(None, label="Price catalog", unit="group", group="Prices",
                                      help=(
        "A model in the bundled genai-prices data (read offline): its prices fill the token "
        "prices you leave empty, with its batch prices and dated price changes."))
    input_tokens_per_call: Tokens = meta(label="Input tokens per call", unit="tokens", step=50.0,
                                         example=1_000.0,
                                         group="Usage", help=(
        "Prompt size: system prompt plus the item. A 700-token instruction plus a short "
        "ticket is about 1,400."))
    output_tokens_per_call: Tokens = meta(label="Output tokens per call", unit="tokens",
                                          step=10.0, group="Usage", example=50.0, help=(
        "Visible answer size: a label as JSON is 20-50 tokens; an extraction a few hundred."))
    reasoning_tokens_per_call: Tokens = meta(0.0, label="Reasoning tokens per call",
                                             unit="tokens", step=50.0, group="Usage", help=(
        "Hidden thinking tokens of reasoning models, billed at the output price (OpenAI "
        "o-series and gpt-5 with reasoning effort, Claude with extended thinking, Gemini 2.5 "
        "thinking). Often several times the visible answer; 0 for non-reasoning models. Read "
        "it from the usage the API returns."))
    price_per_million_input_tokens: Money | None = meta(
        None, label="Input price per 1M tokens", unit="money", step=0.01, group="Prices", help=(
            "Typed-in price wins over the catalog; empty: the catalog's. Claude Haiku 4.5: "
            "1.00, gpt-5-mini: 0.25 (genai-prices)."))
    price_per_million_cached_input_tokens: Money | None = meta(
        None, label="Cached input price per 1M tokens", unit="money", step=0.005,
        group="Prices", help=(
            "Price of prompt tokens read from the cache: 1/10 of the input price at Anthropic "
            "and on the newest OpenAI models. Empty: the catalog's, else the input price."))
    price_per_million_cache_write_tokens: Money | None = meta(
        None, label="Cache write price per 1M tokens", unit="money", step=0.01, group="Prices",
        help=("Price of prompt tokens written to the cache. Anthropic: 1.25x input for "
              "5-minute caching, 2x for 1 hour; OpenAI and Google charge no write premium. "
              "Empty: the catalog's, else 1.25x the input price."))
    price_per_million_output_tokens: Money | None = meta(
        None, label="Output price per 1M tokens", unit="money", step=0.01, group="Prices", help=(
            "Also the price of reasoning tokens. Typed-in price wins; empty: the catalog's. "
            "Claude Haiku 4.5: 5.00, gpt-5-mini: 2.00."))
    cached_input_share: Share = meta(0.0, label="Share of input read from cache", unit="share",
                                     step=0.05, group="Usage", help=(
        "The part of the prompt that repeats (instructions, examples) and hits the prompt "
        "cache: 0.5 if half the prompt is a fixed prefix. Providers cache only prefixes of "
        "1,024 tokens or more (4,096 on some models): the report warns when the cached part "
        "is shorter."))
    cache_write_tokens_per_call: Tokens = meta(0.0, label="Cache write tokens per call",
                                               unit="tokens", step=50.0, group="Usage", help=(
        "Input tokens written to the cache on an average call: the prefix size times the "
        "share of calls that miss the cache (it expires after 5 minutes without traffic at "
        "Anthropic). At most the uncached part of the input; 0 where writes are not charged."))
    batch_share: Share = meta(0.0, label="Share of calls sent as batch", unit="share", step=0.05,
                              group="Usage", help=(
        "Calls that can wait up to 24 h for batch pricing; 0 for anything interactive."))
    retried_share: Share = meta(0.0, label="Share of calls sent again", unit="share",
                                step=0.01, group="Usage", help=(
        "Calls repeated and billed in full again: output that fails your checks (malformed "
        "JSON, a refusal) re-asked, client time-outs on long answers. Rejected requests (429, "
        "5xx) are not billed. 0.02-0.05 is common for structured output; measure it in your "
        "logs."))
    batch_discount: Share = meta(0.5, label="Batch discount", unit="share", step=0.05,
                                 group="Prices", help=(
        "Discount on batched calls with typed-in prices: 0.5 at OpenAI, Anthropic and "
        "Google. With a catalog model that lists batch prices, those are used instead, token "
        "type by token type."))
    price_change_per_year: Change = price_change(
        "-0.2 = prices fall 20 % a year. At equal capability LLM prices have fallen about 10x "
        "a year (a16z 'LLMflation', 2024); the newest models fall more slowly.")

    @model_validator(mode="after")
    def _cache_writes_fit(self) -> GenAIOption:
        # worst case over the ranges: every draw must write at most the uncached input
        room = _low(self.input_tokens_per_call) * (1.0 - _high(self.cached_input_share))
        if _high(self.cache_write_tokens_per_call) > room + 1e-9:
            raise PydanticCustomError(
                "scenario_at", f"{_show(self.cache_write_tokens_per_call)} is more than the "
                f"uncached input ({fmt(room)} tokens = input tokens x (1 - cached share)); "
                "writes come out of the uncached part",
                {"field": "cache_write_tokens_per_call"})
        return self


class InHouseOption(OptionBase):
    kind: Literal["in_house"]
    node_catalog: NodeCatalogRef | None = meta(
        None, label="Serving instance", unit="group", group="Serving", help=(
            "A cloud instance from the bundled, dated table of on-demand prices: it fills the "
            "node price when that is empty."))
    node_cost_per_hour: Money | None = meta(None, label="Node price per hour", unit="money",
                                            step=0.01, group="Serving", example=0.526, help=(
        "On-demand price of one serving machine. AWS us-east-1: g4dn.xlarge (T4) 0.526, "
        "g5.xlarge (A10G) 1.006, m7g.large (CPU) 0.0816; 1-year reserved about 35 % less "
        "(vantage.sh, 2026-01). Empty: the picked instance's price."))
    node_capacity_rps: num(ge=0.001, le=1e9) | None = meta(
        None, label="Node capacity in calls a second", unit="per_second", step=10.0,
        group="Serving", example=100.0, help=(
            "Calls a second one node serves at full load; measure it with a load test (a small "
            "classifier on a T4: 100-200). Or give the throughput in tokens instead."))
    node_capacity_tokens_per_second: num(ge=0.001, le=1e9) | None = meta(
        None, label="Node throughput in tokens a second", unit="per_second", step=100.0,
        group="Serving", example=1_000.0, help=(
            "For a self-hosted LLM: tokens a second one node processes at full load with "
            "batching, from your own benchmark (e.g. vLLM serving a 7-8B model on one L4 or "
            "A10G: roughly 500-2,000). Give tokens per call with it."))
    tokens_per_call: num(ge=1, le=1e8) | None = meta(
        None, label="Tokens a call takes of a node", unit="tokens", step=50.0, group="Serving",
        example=300.0, help=("Tokens one call costs the node, counted as your benchmark counts them (prompt "
              "plus output). Calls a second = tokens a second / tokens per call."))
    target_utilization: num(ge=0.01, le=1) = meta(
        0.7, label="Target utilisation at peak", unit="share", step=0.05, group="Serving",
        help="Share of capacity you plan to use at the busiest second; 0.6-0.7 leaves headroom.")
    min_nodes: whole(ge=0, le=10_000) = meta(1, label="Minimum nodes", unit="count", step=1,
                                             group="Serving", help=(
        "Nodes kept running whatever the traffic; 2 for availability."))
    cost_per_1k_calls: Money = meta(0.0, label="Other cost per 1,000 calls", unit="money",
                                    step=0.001, group="Serving",
                                    help="Storage, logging, feature lookups per 1,000 calls.")
    price_change_per_year: Change = price_change(
        "Yearly change of the node price and the other cost per 1,000 calls (not teams or "
        "fixed costs): GPU hours tend to get cheaper as new generations arrive; 0 keeps "
        "today's price.")
    retraining: Retraining | None = meta(None, label="Retraining", unit="group",
                                         group="Retraining", help=(
        "Periodic retraining after going live: money and people each time."))
    data: Data | None = meta(None, label="Labelled data first", unit="group", group="Data",
                             help=("Missing labels are bought before the build starts; the "
                                   "interim serves meanwhile."))
    success_probability: Share = meta(1.0, label="Chance the build succeeds", unit="share",
                                      step=0.05, group="Quality", help=(
        "Used by the risk view and the expected line. Gartner: about 54 % of AI projects go "
        "from pilot to production (2021 survey of 699)."))

    @model_validator(mode="after")
    def _capacity(self) -> InHouseOption:
        rps = self.node_capacity_rps is not None
        tps = (self.node_capacity_tokens_per_second is not None, self.tokens_per_call is not None)
        if rps and any(tps):
            raise PydanticCustomError(
                "scenario_at", "give the node capacity one way: calls a second here, or "
                "node_capacity_tokens_per_second with tokens_per_call, not both",
                {"field": "node_capacity_rps"})
        if not rps and not any(tps):
            raise PydanticCustomError(
                "scenario_at", "is required (or give node_capacity_tokens_per_second and "
                "tokens_per_call)", {"field": "node_capacity_rps"})
        if not rps and tps != (True, True):
            missing = "tokens_per_call" if tps[0] else "node_capacity_tokens_per_second"
            raise PydanticCustomError(
                "scenario_at", "is required with the capacity in tokens", {"field": missing})
        if self.node_cost_per_hour is None and self.node_catalog is None:
            raise PydanticCustomError(
                "scenario_at", "is required (or pick a serving instance in node_catalog)",
                {"field": "node_cost_per_hour"})
        return self


class HybridOption(OptionCommon):
    kind: Literal["hybrid"]
    primary: Name = meta(label="Primary (takes the easy calls)", unit="name", group="Routing",
                         help=(
        "An option of this file that keeps its share of calls once live, usually an in-house "
        "model. It may be switched off as a choice of its own."))
    fallback: Name = meta(label="Fallback (takes the rest)", unit="name", group="Routing", help=(
        "An option live from month 1 that serves every call until the primary is live, then "
        "the rest: an LLM, a vendor API, or staff review (a rules option whose cost per 1,000 "
        "calls is the reviewers' time)."))
    primary_share: Share = meta(0.7, label="Share the primary keeps", unit="share", step=0.05,
                                group="Routing", help=(
        "Share of calls the primary answers once live. With confidence routing, the share it "
        "is confident on: text classifiers typically keep 70-80 % of traffic at a much lower "
        "error rate (selective classification, Geifman and El-Yaniv 2017)."))
    routing: Literal["segment", "confidence"] = meta(
        "segment", label="Routing", unit="choice", group="Routing", help=(
            "segment: the primary sees only its share (a known segment, e.g. one language). "
            "confidence: the primary scores every call and passes the unsure ones on, so it "
            "pays for every call."))
    primary_accuracy: Share | None = meta(None, label="Primary's accuracy on its calls",
                                          unit="share", step=0.01, group="Routing", help=(
        "Usually above its overall accuracy: it keeps the calls it is sure of. Empty: the "
        "primary's own accuracy."))


KIND_MODELS: dict[str, type[OptionCommon]] = {
    "rules": RulesOption, "vendor_api": VendorOption, "genai_api": GenAIOption,
    "in_house": InHouseOption, "hybrid": HybridOption}
KINDS = tuple(KIND_MODELS)

Option = Annotated[RulesOption | VendorOption | GenAIOption | InHouseOption | HybridOption,
                   Field(discriminator="kind")]


def _low(v: float | Range | None) -> float:
    return 0.0 if v is None else v.low if isinstance(v, Range) else v


def _high(v: float | Range | None) -> float:
    return 0.0 if v is None else v.high if isinstance(v, Range) else v


def _show(v: float | Range) -> str:
    return (f"{fmt(v.low)} to {fmt(v.high)}" if isinstance(v, Range) else fmt(v))


__all__ = ["KINDS", "KIND_MODELS", "CatalogRef", "Data", "GenAIOption", "HybridOption",
           "InHouseOption", "NodeCatalogRef", "Option", "OptionBase", "OptionCommon",
           "Retraining", "RulesOption", "Setup", "Strict", "Tier", "VendorOption", "likely"]
