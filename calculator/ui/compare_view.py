"""The "Compare" tab: this scenario against another (the file as it was loaded, a library
scenario, or a file): which inputs changed, how each headline number moved, and whether
the answer changed, in one sentence."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..model import (
    Decision,
    Scenario,
    ScenarioError,
    compare,
    input_label,
    input_value,
    loads_scenario,
    money,
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
                     format_func=names.get)
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


def _show(s: Scenario, path: str, v: Any) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return input_value(s, path, float(v), exact=True)
    if isinstance(v, dict) and "likely" in v:
        return (f"{input_value(s, path, float(v['low']), exact=True)} to "
                f"{input_value(s, path, float(v['high']), exact=True)}")
    return "(none)" if v is None else str(v)


def render(d: Decision) -> None:
    st.radio("Compare this scenario with", list(SOURCES), key="compare.source",
             format_func=SOURCES.get, horizontal=True,
             help="Last quarter's estimate against now, or optimistic against pessimistic: "
             "which inputs differ and how the answer moves.")
    other = _other()
    if other is None:
        st.caption("Pick or upload a scenario to compare with.")
        return
    out = compare(other, d.scenario)
    st.markdown(f"**{md(out['text'])}**")
    s, cur = d.scenario, d.scenario.currency
    changed = [{"Input": input_label(s, r["path"]) if r["path"].count(".") else r["path"],
                "Before": _show(other, r["path"], r["before"]),
                "Now": _show(s, r["path"], r["after"])} for r in out["inputs"]]
    changed += [{"Input": f"option {k}", "Before": "(none)", "Now": "added"}
                for k in out["options_added"]]
    changed += [{"Input": f"option {k}", "Before": "present", "Now": "removed"}
                for k in out["options_removed"]]
    if changed:
        st.dataframe(pd.DataFrame(changed), hide_index=True, key="compare-inputs")
    else:
        st.caption("No input differs.")
    moves = [{"Option": s.label(k) if k in s.options else k,
              "Before": money(t["before"], cur) if t["before"] is not None else "-",
              "Now": money(t["after"], cur) if t["after"] is not None else "-"}
             for k, t in out["options"].items()]
    st.dataframe(pd.DataFrame(moves), hide_index=True, key="compare-totals")
