"""The safe loader: every bad input from TESTING.md gives one clear ScenarioError."""

from __future__ import annotations

import datetime as dt

import pytest

import calculator as c

BASE = """\
schema_version: 1
name: Worked example
prices_as_of: 2026-11-01
horizon_months: 12
traffic: {calls_per_month: 1_000_000}
team: {ml_engineer: 20_000}
options:
  api:
    kind: genai_api
    input_tokens_per_call: 1000
    output_tokens_per_call: 100
    price_per_million_input_tokens: 2.00
    price_per_million_output_tokens: 10.00
  model:
    kind: in_house
    interim: api
    build_months: 2
    build_team: {ml_engineer: 1}
    setup: {cost: 1_000}
    run_team: {ml_engineer: 0.05}
    node_cost_per_hour: 1.0
    node_capacity_rps: 1000
"""


def error_of(text: str | bytes) -> str:
    with pytest.raises(c.ScenarioError) as info:
        c.loads_scenario(text)
    return str(info.value)


def test_base_loads_with_underscored_numbers_and_date():
    s = c.loads_scenario(BASE)
    assert s.traffic.calls_per_month == 1_000_000.0
    assert s.prices_as_of == dt.date(2026, 11, 1)
    assert s.options["model"].interim == "api"


@pytest.mark.parametrize("text, expected", [
    ('!!python/object/apply:os.system ["id"]\n', "tags like"),
    ("a: &a [1, 2]\nb: [*a, *a, *a]\n", "anchors and aliases"),
    ("- " * 1100 + "x\n", "nested too deeply"),
    ("", "the file is empty"),
    ("   \n# only a comment\n", "the file is empty"),
    ("- a\n- b\n", "must be a mapping"),
    ("just text\n", "must be a mapping"),
    (BASE + "---\nname: x\n", "several YAML documents"),
    (b"name: \xff\xfe\n", "not UTF-8"),
    (BASE + "\x00", "NUL byte"),
    ("a: [1, 2\n", "not valid YAML"),
    ("a: b\n  c: d: e\n", "not valid YAML"),
    ("x: !!set {a, b}\n", "tags like"),
    ("<<: {a: 1}\n", "merge keys"),
])
def test_hostile_files(text, expected):
    assert expected in error_of(text)


def test_python_tag_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    error_of(f'!!python/object/apply:os.system ["touch {marker}"]\n')
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    assert "anchors and aliases" in error_of("\n".join(lines) + "\n")


def test_size_cap_before_parsing():
    big = "a: " + "x" * (50 * 1024 * 1024) + "\n"
    assert "at most 1,048,576 bytes" in error_of(big)


def test_size_cap_for_files(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_bytes(b"a: 1\n" * 300_000)
    with pytest.raises(c.ScenarioError, match="at most"):
        c.load_scenario(p)


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(c.ScenarioError, match="cannot read"):
        c.load_scenario(tmp_path / "nope.yaml")


def test_bom_is_accepted():
    assert c.loads_scenario(b"\xef\xbb\xbf" + BASE.encode()).name == "Worked example"


def test_duplicate_keys_name_both_lines():
    msg = error_of(BASE + "name: again\n")
    assert msg == "name: the key appears twice; it is first at line 2 (line 23)"


@pytest.mark.parametrize("value, expected", [
    ("no", "horizon_months: expected a whole number, got the text 'no' (line 4)"),
    ("on", "horizon_months: expected a whole number, got the text 'on' (line 4)"),
    ("1:10", "horizon_months: expected a whole number, got the text '1:10' (line 4)"),
    ("012", "horizon_months: expected a whole number, got the text '012' (line 4)"),
    ("'12'", "horizon_months: expected a whole number, got the text '12' (line 4)"),
    ("true", "horizon_months: expected a whole number, got true (line 4)"),
    ("2.5", "horizon_months: 2.5 must be a whole number (line 4)"),
    ("1e3", "horizon_months: 1000.0 must be a whole number (line 4)"),
    ("0", "horizon_months: 0 is below the minimum 1 (line 4)"),
    ("241", "horizon_months: 241 is above the maximum 240 (line 4)"),
])
def test_horizon_values(value, expected):
    assert error_of(BASE.replace("horizon_months: 12", f"horizon_months: {value}")) == expected


@pytest.mark.parametrize("value, expected", [
    (".nan", "traffic.calls_per_month: NaN is not allowed: numbers must be finite (line 5)"),
    (".inf", "traffic.calls_per_month: infinity is not allowed: numbers must be finite (line 5)"),
    ("-5", "traffic.calls_per_month: -5 is below the minimum 1 (line 5)"),
    ("0", "traffic.calls_per_month: 0 is below the minimum 1 (line 5)"),
    ("no", "traffic.calls_per_month: expected a number, got the text 'no' (line 5)"),
    ("true", "traffic.calls_per_month: expected a number, got true (line 5)"),
])
def test_traffic_values(value, expected):
    assert error_of(BASE.replace("1_000_000", value)) == expected


def test_1e3_is_a_number_where_decimals_are_allowed():
    s = c.loads_scenario(BASE.replace("1_000_000", "1e3"))
    assert s.traffic.calls_per_month == 1000.0


def test_bound_message_names_path_value_bound_and_line():
    text = BASE.replace("    input_tokens_per_call: 1000", "    batch_share: 1.7\n"
                        "    input_tokens_per_call: 1000")
    assert error_of(text) == "options.api.batch_share: 1.7 is above the maximum 1 (line 10)"


@pytest.mark.parametrize("old, new, expected", [
    ("interim: api", "interim: nope",
     "options.model.interim: 'nope' is not an option (options: api, model) (line 16)"),
    ("interim: api", "interim: model",
     "options.model.interim: 'model' cannot be its own interim (line 16)"),
    ("build_months: 2", "build_month: 2",
     "options.model.build_month: unknown key; did you mean 'build_months'? (line 17)"),
    ("run_team: {ml_engineer: 0.05}", "run_team: {ml_enginer: 0.05}",
     "options.model.run_team.ml_enginer: role 'ml_enginer' is not in team (known roles: "
     "ml_engineer); add its monthly cost there (line 20)"),
    ("kind: in_house", "kind: inhouse",
     "options.model.kind: 'inhouse' is not a kind; use one of rules, vendor_api, genai_api, "
     "in_house, hybrid (line 15)"),
    ("build_months: 2", "build_months: {low: 3, likely: 2, high: 4}",
     "options.model.build_months: range must have low <= likely <= high, got 3, 2, 4 (line 17)"),
    ("schema_version: 1", "schema_version: 2",
     "schema_version: 2 is not supported; this version reads schema_version 1 (line 1)"),
    ("traffic: {calls_per_month: 1_000_000}",
     "traffic: {calls_per_month: 1_000_000, growth: compound, growth_rate_monthly: -1}",
     "traffic.growth_rate_monthly: -1 is below the minimum -0.99 (line 5)"),
    ("traffic: {calls_per_month: 1_000_000}",
     "traffic: {calls_per_month: 1_000_000, growth_rate_monthly: 0.1}",
     "traffic.growth_rate_monthly: is only used with growth: compound (growth is none) (line 5)"),
])
def test_field_errors(old, new, expected):
    assert error_of(BASE.replace(old, new)) == expected


def test_interim_must_be_live_from_month_one():
    text = BASE.replace("    kind: genai_api\n", "    kind: genai_api\n    start_month: 2\n")
    assert "is not live from month 1" in error_of(text)


def test_field_of_another_kind():
    text = BASE.replace("    input_tokens_per_call: 1000",
                        "    tiers: []\n    input_tokens_per_call: 1000")
    assert error_of(text) == ("options.api.tiers: tiers is not used by a genai_api option "
                              "(it belongs to vendor_api) (line 10)")


def test_explosive_growth_is_refused():
    text = BASE.replace("horizon_months: 12", "horizon_months: 240").replace(
        "traffic: {calls_per_month: 1_000_000}",
        "traffic: {calls_per_month: 1_000_000, growth: compound, growth_rate_monthly: 1}")
    assert "above the limit of 10^12" in error_of(text)


def test_several_problems_are_all_reported():
    text = BASE.replace("horizon_months: 12", "horizon_months: 0").replace(
        "node_capacity_rps: 1000", "node_capacity_rps: -1")
    err = pytest.raises(c.ScenarioError, c.loads_scenario, text).value
    assert len(err.problems) == 2
    assert "horizon_months" in err.problems[0] and "node_capacity_rps" in err.problems[1]


def test_missing_required_fields():
    msg = error_of("schema_version: 1\nname: x\nhorizon_months: 12\n"
                   "traffic: {calls_per_month: 5}\n")
    assert msg == "options: is required"
    msg = error_of(BASE.replace("    node_capacity_rps: 1000\n", ""))
    assert msg.startswith("options.model.node_capacity_rps: is required")


def test_genai_needs_prices_or_catalog():
    msg = error_of(BASE.replace("    price_per_million_output_tokens: 10.00\n", ""))
    assert msg.startswith("options.api.price_per_million_output_tokens: is required (or name a "
                          "catalog model")


def test_unknown_catalog_model_suggests():
    text = BASE.replace("    price_per_million_input_tokens: 2.00\n",
                        "    catalog: {provider: anthropic, model: claude-haiku-4.5}\n")
    assert "did you mean 'claude-haiku-4-5'" in error_of(text)


def test_labels_per_month_zero_with_shortfall():
    text = BASE + ("    data: {labels_needed: 100, labels_available: 0, cost_per_label: 1, "
                   "labels_per_month: 0}\n")
    assert "options.model.data.labels_per_month: is 0 but up to 100 labels are missing" in error_of(text)


def test_hostile_names_are_refused_as_option_names_but_kept_as_text():
    msg = error_of(BASE.replace("  api:", "  '<img src=x>':").replace("interim: api",
                                                                       "interim: '<img src=x>'"))
    assert "lowercase letters, digits, _ and -" in msg
    s = c.loads_scenario(BASE.replace("name: Worked example", "name: '=HYPERLINK(\"x\")'"))
    assert s.name == '=HYPERLINK("x")'


def test_dump_round_trip_and_key_order():
    s = c.loads_scenario(BASE.replace("build_months: 2",
                                      "build_months: {low: 1, likely: 2, high: 5}"))
    text = c.dumps_scenario(s)
    assert c.loads_scenario(text) == s
    keys = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert keys == ["schema_version", "name", "prices_as_of", "horizon_months", "traffic",
                    "team", "options"]
    assert "build_months: {low: 1, likely: 2, high: 5}" in text
