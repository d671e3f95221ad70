"""The decision tools as people read them (calculator.model.decide_rows): labels for keys,
formatted values for floats, the comparison's sentence with each scenario's labels, and
value-of-information rows that say how sure they are."""

from __future__ import annotations

import pytest

from calculator.model import capital, compare, loads_scenario, voi_basis
from calculator.model import decide_rows as rows_of  # the module itself
from tests.worked import flat_labelled

FLAT = flat_labelled("Model v1").replace("name: Flat\n", "name: Flat\ndescription: short\n")


def test_the_comparison_names_what_was_cheapest_by_the_earlier_label_and_now_by_the_later():
    # the API's input price 2.00 -> 0.50: 1,500 a month, under the model's 1,730; the model
    # is renamed in the later file
    a = loads_scenario(FLAT)
    b = loads_scenario(FLAT.replace("input_tokens: 2.00", "input_tokens: 0.50")
                       .replace("Model v1", "Model v2"))
    out = compare(a, b)
    assert out["cheapest"] == {"before": "model", "after": "api"}      # keys in the JSON
    # model: 12 · 1,730 = 20,760 ("$20.8k"); the API now 12 · 1,500 = 18,000 ("$18k")
    assert out["text"] == ("The answer changed: Model v1 was cheapest ($20.8k over 12 months), "
                           "now Hosted API is ($18k over 12 months).")
    held = compare(b, b.model_copy(update={"name": "Flat again"}))
    assert held["text"] == ("The answer holds: Hosted API is cheapest, at $18k now and $18k "
                            "before (total over 12 months).")


def test_compare_rows_label_options_and_inputs_and_format_values():
    a = loads_scenario(FLAT)
    long = "x" * 200
    b = loads_scenario(
        FLAT.replace("description: short", f"description: {long}")
        .replace("output_tokens_per_call: 100", "output_tokens_per_call: {low: 80, likely: 100, "
                 "high: 150}")
        .replace("Model v1", "Model v2")
        + "  rules: {kind: rules, label: Keyword rules, accuracy: 0.7, monthly_cost: 100}\n")
    out = compare(a, b)
    rows = {r["Input"]: r for r in rows_of.compare_input_rows(a, b, out)}
    desc = rows["What is being decided"]
    assert desc["Before"] == "short" and desc["Now"] == "x" * 119 + "…"
    tokens = rows["Hosted API output tokens per call"]
    assert tokens == {"Input": "Hosted API output tokens per call", "Before": "100",
                      "Now": "80 to 150 (likely 100)"}
    assert rows["Model v2 display name"]["Before"] == "Model v1"      # named as it is now
    assert rows["Option: Keyword rules"] == {"Input": "Option: Keyword rules",
                                             "Before": "(none)", "Now": "added"}
    totals = {r["Option"]: r for r in rows_of.compare_total_rows(a, b, out)}
    # rules: 12 · 100 = 1,200 now, none before
    assert totals["Keyword rules"] == {"Option": "Keyword rules", "Before (total cost)": "-",
                                       "Now (total cost)": "$1.2k", "Change": "-"}
    assert totals["Model v2"]["Change"] == "$0"
    removed = rows_of.compare_input_rows(b, a, compare(b, a))
    assert {"Input": "Option: Keyword rules", "Before": "present", "Now": "removed"} in removed


def _voi(values: list[float], noise: float) -> dict:
    return {"currency": "USD", "noise_floor": noise, "draws": 10_000, "bins": 20,
            "inputs": [{"input": f"options.api.{k}", "label": f"Hosted API {k}", "value": v}
                       for k, v in zip(["accuracy", "price", "tokens"], values, strict=False)]}


def test_voi_rows_say_how_sure_and_count_what_is_worth_nothing():
    s = loads_scenario(FLAT)
    out = _voi([40_000.0, 900.0, 0.0], noise=1_000.0)
    assert rows_of.voi_rows(s, out) == [
        {"Input": "Hosted API accuracy", "Worth knowing": "$40k"},
        {"Input": "Hosted API price", "Worth knowing": "$900 (within noise)"}]
    assert rows_of.voi_rest(out) == ("Knowing the other uncertain input before deciding would "
                                     "not change the choice.")
    assert voi_basis(out) == ("Estimated from 10,000 simulated draws, 20 bins an "
                                      "input; estimates up to $1k are within its noise.")
    assert rows_of.measure_next(s, out) == ("Measure the Hosted API accuracy before committing: "
                                            "knowing it is worth about $40k.")
    quiet = _voi([500.0, 0.0], noise=1_000.0)
    assert rows_of.measure_next(s, quiet).startswith("No single uncertain input is worth "
                                                     "measuring")
    assert rows_of.voi_rest(_voi([0.0, 0.0], 0.0)) == (
        "Knowing any one uncertain input alone before deciding would not change the choice.")
    assert rows_of.voi_rest(_voi([1.0, 2.0], 0.0)) is None


@pytest.mark.parametrize("text, shown", [("ml_engineer monthly rate", "ml_engineer monthly rate"),
                                         ("calls per month", "Calls per month")])
def test_a_row_starting_with_a_key_keeps_it_as_written(text, shown):
    assert capital(text) == shown
