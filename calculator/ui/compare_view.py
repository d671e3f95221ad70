"""The "Compare" tab: this scenario against another (the file as it was loaded, a library
scenario, or a file): which inputs changed, how each headline number moved, and whether
the answer changed, in one sentence. Rows come from :mod:`calculator.model.decide_rows`,
as in the memo; :func:`chosen` tells the downloads which scenario that is."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ..model import (
    NO_CHANGE,
    Decision,
    Scenario,
    ScenarioError,
    compare,
    compare_input_rows,
    compare_total_rows,
    loads_scenario,
    read_file,
)
from .form import md
from .scenario_io import LIBRARY, library

ss = st.session_state
SOURCES = {"origin": "the file as it was loaded", "library": "a library scenario",
           "upload": "a file"}


def _other() -> Scenario | None:
    source = ss.get("compare.source", "origin")
    if source == "origin":
        return ss.get("_origin")
    if source == "library":
        names = library()
        if ss.get("compare.library") not in names:
            ss["compare.library"] = next(iter(names))
        st.selectbox("Library scenario", list(names), key="compare.library",
                     format_func=names.get, persist_state="page")
        return loads_scenario(read_file(LIBRARY / f"{ss['compare.library']}.yaml"))
    upload = st.file_uploader("Scenario to compare with (YAML)", type=["yaml", "yml"],
                              key="compare.upload")
    if upload is None:
        return None
    try:
        return loads_scenario(upload.getvalue())
    except ScenarioError as exc:
        st.error(f"Could not open {md(upload.name)}:\n\n"
                 + "\n".join(f"- {md(p)}" for p in exc.problems), icon=":material/error:")
        return None


def chosen() -> Callable[[], Scenario | None]:
    """The scenario the Compare tab compares with, as a call that opens it (nothing is
    read until it is called: the downloads call it on a click). The choice is read from
    the session, so it holds while the tab is closed; an uploaded file only while the tab
    is open (Streamlit keeps no upload of a widget that is not drawn)."""
    source = ss.get("compare.source", "origin")
    if source == "origin":
        origin = ss.get("_origin")
        return lambda: origin
    if source == "library":
        path = LIBRARY / f"{ss.get('compare.library')}.yaml"
        return lambda: loads_scenario(read_file(path)) if path.is_file() else None
    upload = ss.get("compare.upload")
    if upload is None:
        return lambda: None
    data = upload.getvalue()

    def opened() -> Scenario | None:
        try:
            return loads_scenario(data)
        except ScenarioError:
            return None

    return opened


def render(d: Decision) -> None:
    st.radio("Compare this scenario with", list(SOURCES), key="compare.source",
             format_func=SOURCES.get, horizontal=True, persist_state="page",
             help="Last quarter's estimate against now, or optimistic against pessimistic: "
             "which inputs differ and how the answer moves.")
    other = _other()
    if other is None:
        st.caption("Pick or upload a scenario to compare with.")
        return
    s = d.scenario
    out = compare(other, s)
    st.markdown(f"**{md(out['text'])}**")
    changed = compare_input_rows(other, s, out)
    if changed:
        st.dataframe(pd.DataFrame(changed), hide_index=True, key="compare-inputs")
    else:
        st.caption(NO_CHANGE)
    st.dataframe(pd.DataFrame(compare_total_rows(other, s, out)), hide_index=True,
                 key="compare-totals")
