"""The "What if" tab: what would have to be true for the answer to flip,
where building wins (a decision map over two inputs), and what to measure next (the value
of knowing each uncertain input before deciding). Rows and sentences come from
:mod:`calculator.model.decide_rows`, as in the memo and the deck."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..charts.decide import decision_map_chart
from ..model import (
    MEASURE_TITLE,
    NO_FLIP,
    THRESHOLDS_TITLE,
    VOI_INTRO,
    Decision,
    ScenarioError,
    decision_map,
    map_caption,
    map_title,
    measure_next,
    threshold_rows,
    threshold_sentences,
    thresholds,
    thresholds_intro,
    value_of_information,
    voi_basis,
    voi_rest,
    voi_rows,
)
from . import vega
from .form import md


@st.cache_data(max_entries=16, show_spinner="Searching where the answer flips ...")
def _thresholds(key: str, _d: Decision) -> dict[str, Any]:
    return thresholds(_d.scenario)


@st.cache_data(max_entries=16, show_spinner="Mapping where building wins ...")
def _map(key: str, _d: Decision) -> Any:
    try:
        return decision_map(_d.scenario)
    except ScenarioError as exc:
        return str(exc)


@st.cache_data(max_entries=16, show_spinner="Weighing what is worth knowing ...")
def _voi(key: str, _d: Decision) -> dict[str, Any]:
    odds = _d.odds      # the Decision's own draws and seed, as in the exports
    return value_of_information(_d.scenario, *((odds.draws, odds.seed) if odds else ()))


@st.fragment
def render(key: str, d: Decision) -> None:
    s = d.scenario
    t = _thresholds(key, d)
    st.markdown(f"**{THRESHOLDS_TITLE} for the answer to change.** "
                f"{md(thresholds_intro(s, t))}")
    table = threshold_rows(s, t)
    if table:
        for sentence in threshold_sentences(t):
            st.markdown(f"- {md(sentence)}")
        st.dataframe(pd.DataFrame(table), hide_index=True, height="content",
                     key="decide-thresholds")
    else:
        st.info(NO_FLIP)
    dm = _map(key, d)
    if isinstance(dm, str):
        st.caption(f"No decision map: {md(dm)}")
    else:
        st.markdown(f"**{map_title(dm)}.** {md(map_caption(dm))}")
        vega.draw(decision_map_chart(dm), key="decide-map")
    if d.uncertain:
        v = _voi(key, d)
        st.markdown(f"**{MEASURE_TITLE}.** {md(VOI_INTRO)}")
        st.markdown(f"**{md(measure_next(s, v))}** {md(v['text'])}")
        frame = pd.DataFrame(voi_rows(s, v))
        if len(frame):
            st.dataframe(frame, hide_index=True, height="content", key="decide-voi")
        rest = voi_rest(v)
        st.caption(md(" ".join(x for x in (rest, voi_basis(v)) if x)))
