"""The field registry: every field declared once, with what people and code need."""

from __future__ import annotations

import math

import pytest

import calculator as c
from calculator.model import options as O
from calculator.model.readme_table import table
from calculator.model.registry import UNITS, fields_of, resolve
from calculator.model.scenario import Quality, Scenario, Traffic

MODELS = [Scenario, Traffic, Quality, O.Setup, O.Retraining, O.Data, O.Tier, O.CatalogRef,
          O.NodeCatalogRef, *O.KIND_MODELS.values()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_label_help_and_a_known_unit(model):
    for f in fields_of(model):
        assert f.label and f.label != f.name, f.name
        assert len(f.help) >= 20, f"{model.__name__}.{f.name} needs a help text"
        assert f.unit in UNITS, f"{model.__name__}.{f.name}: unit {f.unit!r}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_number_has_finite_bounds_on_both_sides(model):
    # "give every field a sensible lower bound": no field is open towards 0 or infinity
    for f in fields_of(model):
        if f.bounds is None:
            continue
        assert f.bounds.low is not None and math.isfinite(f.bounds.low), f.name
        assert f.bounds.high is not None and math.isfinite(f.bounds.high), f.name
        if f.default is not None and f.structure == "value":
            assert f.bounds.low <= f.default <= f.bounds.high, f.name


def test_paths_resolve_to_their_field_through_options_tiers_and_roles():
    kinds = {"llm": "genai_api", "vision": "vendor_api", "model": "in_house", "mix": "hybrid"}
    assert resolve("traffic.calls_per_month", kinds).unit == "calls"
    assert resolve("options.vision.tiers.1.price_per_1k_units", kinds).unit == "money"
    assert resolve("options.model.build_team.ml_engineer", kinds).unit == "fte"
    assert resolve("options.model.retraining.team_months.mle", kinds).unit == "fte_months"
    assert resolve("team.ml_engineer", kinds).unit == "money"
    assert resolve("options.model.data.labels_per_month", kinds).bounds.positive_min == 1
    assert resolve("options.mix.primary_share", kinds).label == "Share the primary keeps"
    assert resolve("options.llm.tiers.0.price_per_1k_units", kinds) is None   # not a genai field
    assert resolve("options.nope.accuracy", kinds) is None
    assert resolve("traffic.monthly_calls.3", kinds).unit == "calls"


def test_the_json_schema_carries_labels_help_and_units():
    schema = Scenario.model_json_schema()
    genai = schema["$defs"]["GenAIOption"]["properties"]
    assert genai["reasoning_tokens_per_call"]["title"] == "Reasoning tokens per call"
    assert genai["reasoning_tokens_per_call"]["x-unit"] == "tokens"
    assert "output price" in genai["reasoning_tokens_per_call"]["description"]
    assert schema["properties"]["start_date"]["x-unit"] == "month_date"


def test_the_readme_table_knows_dates_from_prices():
    # the old table guessed units from type names and called token prices dates
    rows = {line.split("|")[1].strip(" `"): line for line in table().splitlines()
            if line.startswith("| `")}
    assert "date" not in rows["price_per_million_input_tokens"].split("|")[3]
    assert "date" not in rows["up_to_units"].split("|")[3]
    assert "date (YYYY-MM-DD)" in rows["prices_as_of"]
    assert "month (YYYY-MM)" in rows["start_date"]


def test_the_public_surface_exports_the_registry():
    assert {"fields_of", "resolve", "FieldSpec", "Problem", "comments_of"} <= set(c.__all__)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_required_value_has_an_example_a_new_block_starts_with(model):
    for f in fields_of(model):
        if f.required and f.structure == "value" and f.unit not in ("name",):
            assert f.example is not None, f"{model.__name__}.{f.name} needs an example"
            if f.bounds is not None:
                assert f.bounds.low <= f.example <= f.bounds.high
