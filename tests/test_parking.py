"""Closed option panels park their values (calculator/ui/parking.py): Streamlit reads every
session-state key for every number, select and text box it draws, so the keys of options
nobody is looking at must not be in the session state; and nothing the user had may be lost
on the way in or out of a box."""

from __future__ import annotations

import pytest
from streamlit.runtime.state import session_state as streamlit_state
from streamlit.testing.v1 import AppTest

import calculator as c
from calculator.ui import parking
from calculator.ui.state import collect
from tests.test_app import APP, ROOT, inputs_of, plain, value

HYBRID = "support-ticket-hybrid"


def opened(name: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if name:
        at.session_state["library"] = name
    at.run()
    if name:    # the library pick is a callback: choose it the way a user does
        at.selectbox(key="library").set_value(name).run()
    assert not at.exception, at.exception
    return at


def live_keys(at: AppTest) -> list[str]:
    return [k for k in at.session_state if parking.owner(k) is not None]


def test_the_closed_options_values_are_parked_and_none_is_lost():
    at = opened()
    shipped = c.load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml")
    assert live_keys(at) == []                         # every panel is closed at first
    assert set(at.session_state[parking.PARKED]) == set(shipped.options)
    assert c.validate(collect(inputs_of(at))) == shipped


def test_streamlit_sees_as_many_keys_with_seven_options_as_with_three(monkeypatch):
    """What each box costs does not grow with the options: the number of keys Streamlit
    reads for a box is the same for the routing scenario (3 options) and the hybrid one (7)."""
    seen: list[int] = []
    real = streamlit_state.SessionState.filtered_state

    def counted(self):
        out = real.fget(self)
        seen.append(len(out))
        return out

    monkeypatch.setattr(streamlit_state.SessionState, "filtered_state", property(counted))
    sizes = []
    for name in ("support-ticket-routing", HYBRID):
        at = opened(name)
        seen.clear()
        at.number_input(key="traffic.calls_per_month").set_value(555_555.0).run()
        assert seen, "no box was drawn"
        sizes.append(max(seen))
    # 164 and about 270 without parking; the hybrid scenario has more traffic ranges
    assert sizes[0] < 80 and sizes[1] <= sizes[0] + 10, sizes


def test_a_panel_opened_gets_its_values_back_and_gives_them_up_when_closed():
    at = opened()
    at.session_state["panel:llm"] = True
    at.run()
    assert "llm" not in at.session_state[parking.PARKED]
    assert at.number_input(key="options.llm.accuracy").value == 0.89
    at.number_input(key="options.llm.accuracy").set_value(0.91).run()
    at.session_state["panel:llm"] = False
    at.run()
    assert at.session_state[parking.PARKED]["llm"]["options.llm.accuracy"] == 0.91
    assert "options.llm.accuracy" not in live_keys(at)
    at.session_state["panel:llm"] = True
    at.run()
    assert at.number_input(key="options.llm.accuracy").value == 0.91


def test_a_problem_in_a_parked_option_opens_its_panel_with_the_bad_value_shown():
    at = opened()
    at.session_state["options.rules.cost_per_1k_calls"] = None   # emptied, as a stale box
    at.run()
    assert not at.exception, at.exception
    box = at.number_input(key="options.rules.cost_per_1k_calls")   # drawn: the panel opened
    assert box.value is None
    assert any("is empty" in e.value for e in at.error)
    assert "rules" not in at.session_state[parking.PARKED]
    assert "last valid inputs" in at.error[0].value                # the answer is kept


def test_a_role_added_or_removed_reaches_the_parked_options():
    at = opened()
    at.session_state["section:team"] = True
    at.run()
    at.text_input(key="new:role").set_value("annotator").run()
    at.button(key="new:role:add").click().run()
    assert value(at, "options.in_house.build_team.annotator") == 0.0    # parked, still there
    at.session_state["options.in_house.build_team.annotator"] = 2.0
    at.run()
    s = c.validate(collect(inputs_of(at)))
    assert s.options["in_house"].build_team["annotator"] == 2.0
    at.selectbox(key="del:role").set_value("annotator").run()
    at.button(key="del:role:go").click().run()
    s = c.validate(collect(inputs_of(at)))
    assert "annotator" not in s.team and "annotator" not in s.options["in_house"].build_team
    assert not any("annotator" in k for box in at.session_state[parking.PARKED].values()
                   for k in box)


@pytest.mark.parametrize("name", ["churn-risk-scoring", HYBRID])
def test_loading_another_scenario_leaves_nothing_of_the_last_one_parked(name):
    at = opened()
    at.selectbox(key="library").set_value(name).run()
    shipped = c.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    assert set(at.session_state[parking.PARKED]) == set(shipped.options)
    assert c.validate(collect(inputs_of(at))) == shipped
    assert plain(at.title[0].value) == shipped.name


def test_a_snapshot_reads_every_value_as_ui_state_does():
    # collecting the scenario reads one snapshot instead of ~100 session-state reads: the
    # snapshot must answer every key exactly as ui_state does, parked values included
    def script():
        import streamlit as st

        from calculator.ui import parking

        ss = st.session_state
        ss.setdefault("horizon_months", 36)
        ss.setdefault("options.llm.accuracy", 0.89)          # parked below
        ss.setdefault("options.model.build_months", 4)       # its panel is open
        ss.setdefault("panel:model", True)
        parking.settle(["llm", "model"])
        snap = parking.snapshot()
        ui = parking.ui_state
        st.session_state["_seen"] = (snap, {k: ui[k] for k in ui}, parking.PARKED in snap)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, at.exception
    snap, through_ui, has_boxes = at.session_state["_seen"]
    assert snap == through_ui
    assert not has_boxes                                   # the boxes themselves are not inputs
    assert snap["options.llm.accuracy"] == 0.89            # parked, still read
    assert "options.llm.accuracy" not in at.session_state  # and really out of the state
    assert snap["options.model.build_months"] == 4 and snap["horizon_months"] == 36
