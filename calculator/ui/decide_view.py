"""The "What would change it" tab: what would have to be true for the answer to flip,
where building wins (a decision map over two inputs), and what to measure next (the value
of knowing each uncertain input before deciding)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..charts.decide import decision_map_chart
from ..model.decide import decision_map, thresholds, value_of_information
from ..model.decision import Decision
from ..model.wording import money
from .form import md


@st.cache_data(max_entries=16, show_spinner="Searching where the answer flips ...")
def _thresholds(key: str, _d: Decision) -> dict[str, Any]:
    return thresholds(_d.scenario)


@st.cache_data(max_entries=16, show_spinner="Mapping where building wins ...")
def _map(key: str, _d: Decision) -> Any:
    return decision_map(_d.scenario)


@st.cache_data(max_entries=16, show_spinner="Weighing what is worth knowing ...")
def _voi(key: str, _d: Decision) -> dict[str, Any]:
    return value_of_information(_d.scenario)


@st.fragment
def render(key: str, d: Decision) -> None:
    st.markdown("**What would have to be true for the answer to change.** Each input moved "
                "on its own, the others as they are, nearest flip first.")
    t = _thresholds(key, d)
    rows = [r for r in t["thresholds"] if r["flips_at"] is not None][:12]
    if rows:
        for r in rows:
            st.markdown(f"- {md(r['text'])}")
    else:
        st.info("No single input within its bounds changes the cheapest option.")
    st.markdown("**Where building wins.** Each cell is the cheapest option over the horizon "
                "at that month-1 traffic and price; the dot is today's scenario.")
    st.altair_chart(decision_map_chart(_map(key, d)), theme=None, key="decide-map")
    if d.uncertain:
        v = _voi(key, d)
        st.markdown("**What to measure next.** How much the expected cost of the decision "
                    "would fall if you knew each uncertain input before deciding.")
        st.markdown(md(v["text"]))
        frame = pd.DataFrame([{"Input": r["input"], "Worth knowing": money(
            r["value"], d.scenario.currency)} for r in v["inputs"]])
        if len(frame):
            st.dataframe(frame, hide_index=True, key="decide-voi")
