"""Every input of the scenario format as data: path, label with units, bounds, step, help.

No streamlit here: :mod:`calculator.ui.inputs` draws these, :mod:`calculator.ui.state`
reads and writes them. Paths are relative to their section (``calls_per_month`` under
``traffic``, ``batch_share`` under ``options.<name>``); a ``{cur}`` in a label is the
scenario's currency. Typical values come from shared/reference/prices-and-costs.md.
"""

from __future__ import annotations

from dataclasses import dataclass

KIND_NAMES = {"rules": "Rules / heuristics", "vendor_api": "Vendor ML API",
              "genai_api": "GenAI (LLM) API", "in_house": "In-house model"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str
    widget: str = "number"     # number | int | share | select | text | textarea | date | toggle
    min: float | None = 0.0
    max: float | None = None
    step: float | None = None
    fmt: str | None = None
    options: tuple[str, ...] = ()
    optional: bool = False     # may be left empty (None)
    default: object = None     # value for a new option or an absent key


def _money(key: str, label: str, help: str, step: float = 1.0, fmt: str = "%.2f",
           default: float = 0.0, optional: bool = False, max: float = 1e9) -> Field:
    return Field(key, label, help, step=step, fmt=fmt, default=default, optional=optional,
                 max=max)


SCENARIO = (
    Field("name", "Scenario name", "A title for this decision; it heads every chart, "
          "download and share link.", widget="text", default="New scenario"),
    Field("description", "What is being decided", "One or two sentences: the feature, "
          "today's process and the choice on the table.", widget="textarea", default=""),
    Field("horizon_months", "Horizon (months)", "How far ahead to count costs. 36 months is "
          "usual for a build decision; the crossover must fall inside it to count.",
          widget="int", min=1, max=240, step=1, default=36),
    Field("discount_rate_annual", "Discount rate (per year, 0-1)", "Money later is worth less "
          "than money now. Use your finance team's hurdle rate; 0.08-0.12 is typical, 0 turns "
          "discounting off.", widget="share", max=1.0, step=0.01, fmt="%.2f", default=0.0),
    Field("currency", "Currency (label)", "A label only, nothing is converted: USD, EUR, "
          "GBP...", widget="text", default="USD"),
    Field("prices_as_of", "Prices checked on (date)", "When the prices in this scenario were "
          "last checked against the vendors' pages; the page warns when it is over 6 months "
          "old.", widget="date", optional=True),
    Field("hours_per_month", "Hours in a month (h)", "Turns hourly node prices into monthly "
          "ones. 730 = 24 h x 365 / 12 (AWS's convention); some GPU clouds use 720.",
          min=1.0, max=744.0, step=1.0, fmt="%.0f", default=730.0),
)

TRAFFIC = (
    Field("calls_per_month", "Calls per month in month 1", "Predictions the feature makes in "
          "its first month, e.g. tickets, searches or images a month, from your analytics.",
          widget="calls", min=1.0, max=1e12, default=100_000.0),
    Field("growth", "Traffic growth", "none: flat. linear: a fixed number of calls added each "
          "month. compound: a fixed percentage each month.", widget="select",
          options=("none", "linear", "compound"), default="none"),
    Field("growth_rate_monthly", "Growth per month (fraction)", "Compound growth: 0.02 = "
          "+2 % a month (27 % a year). Take it from the last year's traffic; negative for "
          "decline.", min=-0.99, max=1.0, step=0.005, fmt="%.3f", default=0.0),
    Field("growth_calls_per_month", "Calls added each month", "Linear growth: calls a month "
          "added every month (negative for decline).", min=-1e12, max=1e12, step=1000.0,
          fmt="%.0f", default=0.0),
    Field("peak_to_average", "Peak-to-average ratio (x)", "Busiest second over the average "
          "second. It only sizes in-house serving nodes: 2-3 for office-hours traffic, 1 for "
          "batch jobs.", min=1.0, max=1000.0, step=0.5, fmt="%.1f", default=1.0),
)

QUALITY = (
    _money("cost_per_error", "Cost per wrong prediction ({cur})", "What one mistake costs: "
           "agent minutes to fix it, a refund, a lost sale. E.g. 1.5 min of a $24/h agent is "
           "0.60. 0 compares the options on running cost alone.", step=0.01, fmt="%.4f"),
    _money("value_per_correct_prediction", "Value per right prediction ({cur})", "What one "
           "right prediction earns or saves (minutes of manual work saved). 0 turns the "
           "net-value view off.", step=0.01, fmt="%.4f"),
)

ROLE_HELP = ("Loaded monthly cost of one full-time person: annual salary x 1.42 (BLS: "
             "benefits and taxes) / 12. US medians: data scientist 112,590, software developer "
             "133,080 a year.")
ROLE_DEFAULT = 15_000.0

COMMON = (
    Field("enabled", "Include this option", "Switched-off options stay in the file but are "
          "left out of every result.", widget="toggle", default=True),
    Field("accuracy", "Accuracy (share right, 0-1)", "Share of predictions that are right, "
          "measured on a labelled sample of real traffic (not a benchmark).", widget="share",
          max=1.0, step=0.01, fmt="%.2f", default=0.9),
    Field("start_month", "Work starts in month", "Month work on this option starts; 1 = "
          "now.", widget="int", min=1, max=240, step=1, default=1),
    Field("build_months", "Build time (months)", "Months of building before it serves "
          "traffic. Surveys: most teams need over a month to build and another to deploy "
          "(Algorithmia 2021); median prototype-to-production is ~8 months (Gartner 2024).",
          widget="int", min=0, max=240, step=1, default=0),
    Field("interim", "Interim option while building", "Another option, live from month 1, "
          "that serves traffic (and is paid for) until this one is live.", widget="select",
          optional=True),
    _money("setup.cost", "One-off cost ({cur})", "Money paid once when work starts: labels, "
           "training runs, licences, integration fees.", step=100.0, fmt="%.0f"),
    _money("monthly_cost", "Fixed cost per month ({cur})", "Paid every live month whatever the "
           "traffic: monitoring, registry, logging, subscriptions.", step=50.0, fmt="%.0f"),
)

TEAMS = (
    ("setup.team_months", "One-off (FTE-months)", "Person-months spent once when work "
     "starts (integration, prompt work, label audit)."),
    ("build_team", "Build (FTE)", "Full-time people on the build each month until it is "
     "live."),
    ("run_team", "Run (FTE)", "Upkeep once live. Rule of thumb: ~20 % of the build effort "
     "a year (Standish); ML systems often more (Sculley et al. 2015)."),
)

RULES = (
    _money("cost_per_1k_calls", "Compute per 1,000 calls ({cur})", "Usually 0: rules run "
           "inside an existing service.", step=0.001, fmt="%.4f"),
)

VENDOR = (
    Field("units_per_call", "Billing units per call", "How the vendor counts: AWS Comprehend "
          "bills 100-character units with a minimum of 3; Google Vision one unit per feature "
          "per image.", min=0.0, max=1e6, step=1.0, fmt="%.2f", default=1.0),
    Field("tier_mode", "Tier pricing", "graduated: each unit priced at the tier it falls in "
          "(AWS, Google). volume: all the month's units at the tier the month reaches.",
          widget="select", options=("graduated", "volume"), default="graduated"),
    _money("monthly_minimum", "Minimum monthly bill ({cur})", "The vendor's minimum charge "
           "per month, if any.", step=10.0, fmt="%.2f"),
)

TIER = (
    Field("up_to_units", "Up to units / month", "Upper bound of this tier, counting the "
          "month's units from zero (inclusive).", min=1.0, max=1e15, step=1000.0, fmt="%.0f",
          default=1_000.0),
    _money("price_per_1k_units", "{cur} per 1,000 units", "Price of 1,000 units in this tier; "
           "0 for a free allowance. Google Vision labels: 1.50 up to 5M, then 1.00.",
           step=0.01, fmt="%.4f", default=1.5),
)

GENAI = (
    Field("input_tokens_per_call", "Input tokens per call", "Prompt size: system prompt + "
          "the item. A 700-token instruction plus a short ticket is ~1,400.", max=1e8,
          step=50.0, fmt="%.0f", default=1_000.0),
    Field("output_tokens_per_call", "Output tokens per call", "Answer size: a label as JSON "
          "is 20-50 tokens; an extraction a few hundred.", max=1e8, step=10.0, fmt="%.0f",
          default=50.0),
    _money("price_per_million_input_tokens", "Input price ({cur} per 1M tokens)", "Typed-in "
           "price wins over the catalog; leave empty to use the catalog's. Claude Haiku 4.5: "
           "1.00, gpt-5-mini: 0.25.", step=0.01, fmt="%.3f", optional=True, default=None),
    _money("price_per_million_cached_input_tokens", "Cached input price ({cur} per 1M)",
           "Price of prompt tokens read from the cache; usually 1/10 of the input price. "
           "Empty: the catalog's, else the input price.", step=0.005, fmt="%.4f",
           optional=True, default=None),
    _money("price_per_million_output_tokens", "Output price ({cur} per 1M tokens)", "Typed-in "
           "price wins over the catalog; leave empty to use the catalog's. Claude Haiku 4.5: "
           "5.00, gpt-5-mini: 2.00.", step=0.01, fmt="%.3f", optional=True, default=None),
    Field("cached_input_share", "Share of input from cache (0-1)", "The part of the prompt "
          "that repeats (instructions, examples) and hits the prompt cache; 0.5 if half the "
          "prompt is a fixed prefix.", widget="share", max=1.0, step=0.05, fmt="%.2f",
          default=0.0),
    Field("batch_share", "Share of calls sent as batch (0-1)", "Calls that can wait up to "
          "24 h for batch pricing; 0 for anything interactive.", widget="share", max=1.0,
          step=0.05, fmt="%.2f", default=0.0),
    Field("batch_discount", "Batch discount (0-1)", "Discount on batched calls: 0.5 at "
          "OpenAI, Anthropic and Google.", widget="share", max=1.0, step=0.05, fmt="%.2f",
          default=0.5),
    Field("price_change_per_year", "Price change per year (fraction)", "-0.2 = prices fall "
          "20 % a year. Prices at equal capability have fallen ~10x a year (a16z 2024); the "
          "newest tier falls more slowly.", min=-0.99, max=10.0, step=0.05, fmt="%.2f",
          default=0.0),
)

IN_HOUSE = (
    _money("node_cost_per_hour", "Serving node ({cur} per hour)", "On-demand price of one "
           "serving machine. AWS us-east-1: g4dn.xlarge (T4) 0.526, g5.xlarge (A10G) 1.006, "
           "m7g.large (CPU) 0.0816; reserved ~35 % less.", step=0.01, fmt="%.4f",
           default=0.526),
    Field("node_capacity_rps", "Node capacity (calls per second)", "Calls a second one node "
          "serves at full load; measure it with a load test (a small classifier on a T4: "
          "100-200).", min=0.001, max=1e9, step=10.0, fmt="%.1f", default=100.0),
    Field("target_utilization", "Target utilisation at peak (0-1)", "Share of capacity you "
          "plan to use at the busiest second; 0.6-0.7 leaves headroom.", widget="share",
          min=0.05, max=1.0, step=0.05, fmt="%.2f", default=0.7),
    Field("min_nodes", "Minimum nodes", "Nodes kept running whatever the traffic; 2 for "
          "availability.", widget="int", min=0, max=10_000, step=1, default=1),
    _money("cost_per_1k_calls", "Other cost per 1,000 calls ({cur})", "Storage, logging, "
           "feature lookups per 1,000 calls.", step=0.001, fmt="%.4f"),
    Field("success_probability", "Chance the build succeeds (0-1)", "Used by the risk view. "
          "Gartner: about 54 % of AI projects go from pilot to production.", widget="share",
          max=1.0, step=0.05, fmt="%.2f", default=1.0),
)

RETRAINING = (
    Field("retraining.every_months", "Retrain every (months)", "Months between retrainings "
          "once live.", widget="int", min=1, max=240, step=1, default=6),
    _money("retraining.cost", "Cost per retraining ({cur})", "Compute and fresh labels. "
           "Fine-tuning a small model costs under $1 of GPU; labels cost more.", step=50.0,
           fmt="%.0f"),
)
RETRAINING_TEAM = ("retraining.team_months", "Effort per retraining (FTE-months)",
                   "Person-months per retraining: data checks, evaluation, release.")

DATA = (
    Field("data.labels_needed", "Labels needed", "Labelled examples the build needs before "
          "it can start.", max=1e10, step=1000.0, fmt="%.0f", default=10_000.0),
    Field("data.labels_available", "Labels you already have", "Existing labelled examples "
          "(history, past decisions).", max=1e10, step=1000.0, fmt="%.0f"),
    _money("data.cost_per_label", "Cost per new label ({cur})", "Crowd classification label "
           "from 3-5 workers: 0.036-0.06 (SageMaker Ground Truth); experts cost far more.",
           step=0.01, fmt="%.3f", default=0.05),
    Field("data.labels_per_month", "Labels delivered per month", "Throughput of your "
          "labelling pipeline.", max=1e10, step=1000.0, fmt="%.0f", default=10_000.0),
)

KIND_FIELDS = {"rules": RULES, "vendor_api": VENDOR, "genai_api": GENAI, "in_house": IN_HOUSE}

# What a new option of each kind starts with (a valid option once roles are filled in).
TEMPLATES: dict[str, dict[str, object]] = {
    "rules": {"kind": "rules", "accuracy": 0.7},
    "vendor_api": {"kind": "vendor_api", "accuracy": 0.85, "units_per_call": 1.0,
                   "tiers": [{"up_to_units": 1_000.0, "price_per_1k_units": 0.0},
                             {"up_to_units": 5_000_000.0, "price_per_1k_units": 1.5},
                             {"price_per_1k_units": 1.0}]},
    "genai_api": {"kind": "genai_api", "accuracy": 0.9,
                  "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"},
                  "input_tokens_per_call": 1_000.0, "output_tokens_per_call": 50.0},
    "in_house": {"kind": "in_house", "accuracy": 0.93, "build_months": 4,
                 "node_cost_per_hour": 0.526, "node_capacity_rps": 100.0,
                 "target_utilization": 0.6, "min_nodes": 2, "monthly_cost": 500.0},
}
