"""A field declared once reaches every surface. `retried_share` (GenAI calls sent again and
billed again) was added by touching only the model (its declaration in
calculator/model/options.py), the engine (calculator/model/pricing.py) and the spec
(docs/spec/model.md); these tests find it in the YAML, the share link, the JSON Schema, the
README table, the app's form, the thresholds and the memo's assumptions."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from test_app import at, open_all, upload  # noqa: F401  (the AppTest fixture)

import calculator as c
from calculator import export
from calculator import sharelink as sl
from calculator.model import decision_of as decide
from calculator.model import resolve, thresholds

FIELD = "options.llm.retried_share"


@pytest.fixture(scope="module")
def s() -> c.Scenario:
    text = (ROOT / "scenarios" / "support-ticket-routing.yaml").read_text(encoding="utf-8")
    data = c.to_data(c.loads_scenario(text))
    data["options"]["llm"]["retried_share"] = 0.04
    return c.validate(data)


def test_the_file_and_the_link_carry_it(s):
    assert c.loads_scenario(c.dumps_scenario(s)).options["llm"].retried_share == 0.04
    assert sl.decode(sl.encode(s)).options["llm"].retried_share == 0.04


def test_the_schema_and_the_readme_describe_it():
    schema = json.dumps(c.Scenario.model_json_schema())
    assert "retried_share" in schema and "Share of calls sent again" in schema
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| `retried_share` |" in readme


def test_the_engine_bills_it(s):
    # 4 % more calls billed: the LLM's variable cost grows by exactly 4 %, errors do not
    base = c.validate(c.to_data(s) | {"options": {**c.to_data(s)["options"], "llm": {
        **c.to_data(s)["options"]["llm"], "retried_share": 0.0}}})
    i = list(s.active).index("llm")
    a, b = c.evaluate(s), c.evaluate(base)
    assert a.error[0, i].sum() == pytest.approx(b.error[0, i].sum())
    assert a.money[0, i].sum() > b.money[0, i].sum()


def test_the_form_shows_it_with_the_models_bounds(at, s):  # noqa: F811
    upload(at, c.dumps_scenario(s))
    open_all(at)
    spec = resolve(FIELD, at.session_state["_shape"]["options"])
    box = at.number_input(key=FIELD)
    assert box.value == 0.04 and box.label.startswith(spec.label)
    assert (box.min, box.max) == (spec.bounds.low, spec.bounds.high) == (0.0, 1.0)


def test_the_decision_tools_and_the_memo_use_it(s):
    fields = [r["field"] for r in thresholds(s)["thresholds"]]
    assert FIELD in fields
    memo = export.memo_markdown(decide(s, draws=500), None)
    assert "| LLM (Claude Haiku 4.5) | Share of calls sent again | 4 % |" in memo
