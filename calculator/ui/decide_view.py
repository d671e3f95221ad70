"""The "What if" tab: what would have to be true for the answer to flip,
where building wins (a decision map over two inputs), and what to measure next (the value
of knowing each uncertain input before deciding)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..charts.decide import decision_map_chart
from ..model import (
    Decision,
    decision_map,
    input_label,
    input_unit,
    input_value,
    money,
    pct,
    thresholds,
    value_of_information,
)
from .form import md

SHOWN = 12


@st.cache_data(max_entries=16, show_spinner="Searching where the answer flips ...")
def _thresholds(key: str, _d: Decision) -> dict[str, Any]:
    return thresholds(_d.scenario)


@st.cache_data(max_entries=16, show_spinner="Mapping where building wins ...")
def _map(key: str, _d: Decision) -> Any:
    return decision_map(_d.scenario)


@st.cache_data(max_entries=16, show_spinner="Weighing what is worth knowing ...")
def _voi(key: str, _d: Decision) -> dict[str, Any]:
    return value_of_information(_d.scenario)


def threshold_rows(d: Decision, out: dict[str, Any]) -> pd.DataFrame:
    """The flips nearest first, as people read them."""
    s = d.scenario
    rows = []
    for r in out["thresholds"]:
        if r["flips_at"] is None:
            continue
        v, x, path = r["value"], r["flips_at"], r["field"]
        shares = input_unit(s, path) in ("share", "rate", "change", "growth")
        change = ("" if not v or shares else
                  f"{'+' if x > v else '-'}{pct(abs(x / v - 1), 2)}")
        rows.append({"Input": input_label(s, path)[0].upper() + input_label(s, path)[1:],
                     "Today": input_value(s, path, v, exact=True),
                     "Flips at": input_value(s, path, x), "Change": change or "-",
                     "Cheapest then": s.label(r["cheapest_after"])})
    return pd.DataFrame(rows[:SHOWN])


@st.fragment
def render(key: str, d: Decision) -> None:
    s = d.scenario
    st.markdown(f"**What would have to be true for the answer to change.** Today "
                f"{md(s.label(d.cheapest))} is the cheapest; each input moved on its own, the "
                "others as they are, nearest flip first.")
    t = _thresholds(key, d)
    table = threshold_rows(d, t)
    if len(table):
        for sentence in [r["text"] for r in t["thresholds"] if r["flips_at"] is not None][:3]:
            st.markdown(f"- {md(sentence)}")
        st.dataframe(table, hide_index=True, key="decide-thresholds")
    else:
        st.info("No single input within its bounds changes the cheapest option.")
    st.markdown("**Where building wins.** Each cell is the cheapest option over the horizon "
                "at that month-1 traffic and price (log scales); the diamond is today's "
                "scenario.")
    st.vega_lite_chart(decision_map_chart(_map(key, d)).to_dict(validate=False), theme=None,
                       key="decide-map")
    if d.uncertain:
        v = _voi(key, d)
        st.markdown("**What to measure next.** How much the expected cost of the decision "
                    "would fall if you knew each uncertain input before deciding.")
        st.markdown(md(v["text"]))
        frame = pd.DataFrame([{"Input": r["label"][0].upper() + r["label"][1:],
                               "Worth knowing": money(r["value"], s.currency)}
                              for r in v["inputs"]])
        if len(frame):
            st.dataframe(frame, hide_index=True, key="decide-voi")
