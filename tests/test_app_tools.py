"""The decision tools in the app: the What if and Compare tabs show the model's rows
(calculator.model.decide_rows), and the memo download compares with the Compare tab's
scenario when it differs from the current one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calculator.model import decision_of as decide
from calculator.model import (
    dumps_scenario,
    load_scenario,
    value_of_information,
    voi_basis,
    voi_rows,
)
from calculator.ui import compare_view, downloads

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SUPPORT = ROOT / "scenarios" / "support-ticket-routing.yaml"
HYBRID = ROOT / "scenarios" / "support-ticket-hybrid.yaml"


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception, app.exception
    return app


def frame(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_what_if_shows_the_models_rows_on_the_decisions_draws(at):
    at.session_state["view"] = "What if"
    at.run()
    assert not at.exception, at.exception
    s = load_scenario(SUPPORT)
    d = decide(s)
    voi = value_of_information(s, d.odds.draws, d.odds.seed)
    shown = frame(at, "Worth knowing")
    assert shown.to_dict("records") == voi_rows(s, voi)
    captions = " ".join(c.value for c in at.caption)
    assert voi_basis(voi) in captions.replace("\\", "")


def test_compare_totals_name_options_by_label(at):
    at.number_input(key="traffic.calls_per_month").set_value(100_000.0).run()
    at.session_state["view"] = "Compare"
    at.run()
    totals = frame(at, "Option")
    s = load_scenario(SUPPORT)
    assert totals["Option"].tolist() == [s.label(n) for n in s.options]
    assert list(totals.columns) == ["Option", "Before (present value)", "Now (present value)",
                                    "Change"]


def test_the_memo_compares_with_the_compare_tabs_scenario_when_it_differs():
    s, other = load_scenario(SUPPORT), load_scenario(HYBRID)
    d = decide(s, today=dt.date(2026, 11, 28))
    text = dumps_scenario(s)
    key = text + "\n#" + d.today.isoformat()
    memo = downloads._memo_with(key, text, {}, "md", "s", d, lambda: other).decode("utf-8")
    assert "## Compared with Support tickets - classifier" in memo
    # the Compare tab's scenario is the earlier one: the hybrid was cheapest there
    assert "The answer changed: Classifier + LLM for the unsure was cheapest" in memo
    assert "now In-house ticket classifier is" in memo
    same = downloads._memo_with(key, text, {}, "md", "s", d, lambda: s).decode("utf-8")
    assert "## Compared with" not in same and "## What would have to be true" in same
    none = downloads._memo_with(key, text, {}, "md", "s", d, lambda: None).decode("utf-8")
    assert none == same


def test_the_compare_choice_is_read_without_opening_anything(monkeypatch):
    origin = load_scenario(SUPPORT)
    monkeypatch.setattr(compare_view, "ss", {"compare.source": "origin", "_origin": origin})
    assert compare_view.chosen()() is origin
    monkeypatch.setattr(compare_view, "ss", {"compare.source": "library",
                                             "compare.library": "support-ticket-hybrid"})
    pick = compare_view.chosen()
    assert pick().name == load_scenario(HYBRID).name
    monkeypatch.setattr(compare_view, "ss", {"compare.source": "upload"})
    assert compare_view.chosen()() is None           # no file while the tab is closed

    class Upload:
        def getvalue(self) -> bytes:
            return HYBRID.read_bytes()

    monkeypatch.setattr(compare_view, "ss", {"compare.source": "upload",
                                             "compare.upload": Upload()})
    assert compare_view.chosen()().name == load_scenario(HYBRID).name
