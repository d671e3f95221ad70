"""The assumptions behind a Decision with their sources (calculator.export.sources): every
value the file sets, named as the app names it and said by its unit, each with the file's
comment; and the one-line subtitle and footnote of every chart and slide."""

from __future__ import annotations

from conftest import MODERATION, TODAY, WORKED_YAML, notes_of
from worked import scenario

from calculator import export
from calculator.export import sources
from calculator.model import Range, comments_of, loads_scenario
from calculator.model.comments import sources as comment_sources
from calculator.model.decision import decide


def test_sources_of_values_edited_since_the_file_are_dropped():
    text = MODERATION.read_text(encoding="utf-8")
    origin = loads_scenario(text)
    edited = loads_scenario(text.replace("node_cost_per_hour: 0.526", "node_cost_per_hour: 0.6"))
    notes = comment_sources(comments_of(text), origin, edited)
    assert "options.in_house.node_cost_per_hour" not in notes
    assert notes["options.in_house.min_nodes"] == "two nodes for availability"
    rows = export.memo_markdown(decide(edited, today=TODAY), notes)
    assert "| In-house image classifier | Node price per hour | $0.60 | not stated |" in rows


def test_every_value_the_file_sets_in_file_order_with_its_unit_and_comment():
    rows = sources.assumptions(loads_scenario(WORKED_YAML), notes_of(WORKED_YAML))
    got = [(a.area, a.item, a.value, a.source) for a in rows]
    assert got[:5] == [
        # the price date, horizon and discount rate are always said
        ("Scenario", "Prices checked on", "2026-11-01", ""),
        ("Scenario", "Horizon", "36 months", ""),
        ("Scenario", "Discount rate a year", "none", ""),
        ("Traffic", "Calls per month in month 1", "1M calls a month", ""),
        # the comment at the end of "team: {ml_engineer: 20_000}" explains the rate
        ("Team", "ML engineer monthly rate", "$20,000", "loaded monthly cost, made up for the spec"),
    ]
    assert ("api", "Input price per 1M tokens", "$2", "list price, checked 2026-11-01") in got
    assert ("model", "ML engineer run team", "0.05 FTE", "") in got
    assert ("model", "Node capacity in calls a second", "1,000 a second", "") in got
    # defaults the file does not set are left out; the kind is no assumption
    assert not [r for r in got if r[1] in ("Kind", "Minimum nodes", "Accuracy")]
    assert len(got) == 16           # 3 always said, traffic, team, 4 of api, 7 of model


def test_a_block_note_explains_its_values_but_an_options_own_note_does_not():
    notes = {"team.ml_engineer": "x" * 400, "options.model": "about the whole option",
             "options.model.setup": "quote from the vendor"}
    rows = {(a.area, a.item): a.source
            for a in sources.assumptions(loads_scenario(WORKED_YAML), notes)}
    assert rows[("Team", "ML engineer monthly rate")] == "x" * sources.MAX_SOURCE   # cut
    assert rows[("model", "One-off cost")] == "quote from the vendor"    # setup: {cost: ...}
    assert rows[("model", "Build time")] == ""                          # not the option's note
    assert "about the whole option" not in rows.values()


def test_a_value_is_said_by_its_unit_a_range_with_its_span_a_series_by_its_length():
    s = scenario()
    price = "options.api.price_per_million_input_tokens"
    assert sources.show(s, price, Range(0.5, 1.0, 1.25)) == "$1 (range $0.50 to $1.25)"
    assert sources.show(s, price, Range(0.5, 1.0, 1.25, "pert")) == (
        "$1 (range $0.50 to $1.25, pert)")
    assert sources.show(s, "traffic.monthly_calls", [1000.0, 5000.0, 2000.0]) == (
        "3 values, 1k calls a month to 5k calls a month")
    assert sources.show(s, "options.model.build_months", 2) == "2 months"
    assert sources.show(s, "team.ml_engineer", 20_000) == "$20,000"


def test_the_subtitle_says_traffic_growth_horizon_and_discounting():
    assert sources.assumption_line(scenario()) == (
        "Traffic 1M calls a month in month 1, flat · 12-month horizon · no discounting")
    grown = scenario(traffic__growth="compound", traffic__growth_rate_monthly=0.05,
                     discount_rate_annual=0.08)
    assert sources.assumption_line(grown) == (
        "Traffic 1M calls a month in month 1, growing 5 % a month · 12-month horizon · "
        "discounted at 8 % a year")
    ranged = scenario(options__model__build_months={"low": 1, "likely": 2, "high": 4})
    assert sources.assumption_line(ranged).endswith(" · no discounting · likely values of ranges")


def test_growth_in_words_linear_and_from_a_monthly_series():
    shrinking = scenario(traffic__growth="linear", traffic__growth_calls_per_month=-5_000)
    assert sources.growth_words(shrinking) == (
        "1M calls a month in month 1, -5k calls a month each month")
    # a series longer than the horizon: only the horizon's months count (1k ... 40k)
    series = scenario(horizon_months=3, traffic__monthly_calls=[1_000, 2_500, 40_000, 9e9])
    assert sources.growth_words(series) == "from a monthly series, 1k to 40k calls a month"


def test_the_footnote_says_the_price_date_or_that_there_is_none():
    assert sources.footnote(scenario()) == "Prices as of not stated · Scenario: Worked example"
    assert sources.footnote(scenario(prices_as_of="2026-11-01")) == (
        "Prices as of 2026-11-01 · Scenario: Worked example")
