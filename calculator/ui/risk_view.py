"""The "Risk & timing" tab: Monte Carlo over the ranges, expected values, tornado, timing,
data readiness and value. Everything shown comes from one cached
:func:`calculator.model.risk.simulate_report` (seeded, so a rerun shows the same numbers).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..charts import risk as cr
from ..model import Scenario
from ..model.decision import Decision
from ..model.params import DEFAULT_SEED
from ..model.risk import simulate_report
from ..model.story import money
from .form import md

DRAWS = (1_000, 10_000)
METRICS = {"gap": "Gap in total cost", "crossover": "Crossover month"}


@st.cache_data(max_entries=16, show_spinner="Running the Monte Carlo ...")
def report(key: str, draws: int, _scenario: Scenario) -> dict[str, Any]:
    """The risk report, cached by the scenario's YAML text (``key``) and the draws."""
    return simulate_report(_scenario, draws=draws, seed=DEFAULT_SEED)


@st.fragment
def render(key: str, d: Decision) -> None:
    # A fragment: the risk view's own controls rerun it alone, not the whole page.
    scenario = d.scenario
    ss = st.session_state
    ss.setdefault("risk.draws", DRAWS[-1])
    st.radio("Draws", DRAWS, key="risk.draws", horizontal=True,
             format_func=lambda n: f"{n:,}",
             help="How many joint draws of every range. 10,000 is the normal size; "
                  "the seed is fixed, so the same scenario always gives the same numbers.")
    rep = report(key, int(ss["risk.draws"]), scenario)
    cur, h = rep["currency"], rep["horizon_months"]
    if not rep["ranged_fields"] and not any("expected" in o for o in rep["options"].values()):
        st.info("No input of this scenario is a range, so every draw equals the plain report. "
                "Switch a field to a range (low, likely, high) to see the spread.",
                icon=":material/info:")
    _summary(rep)
    names = list(rep["options"])
    if len(names) > 1:
        _pair_section(rep, names)
    st.altair_chart(cr.fan_chart(rep), theme=None, key="risk-fan")
    for name, o in rep["options"].items():
        if "expected" in o:
            basis = rep["basis"]
            st.markdown(md(
                f"Expected {_word(rep)} of {name} with its {o['success_probability']:.0%} "
                f"success probability: {money(o['expected'][basis], cur)} (plain report, "
                f"assuming the build works: {money(o['plain'][basis], cur)}). The build "
                f"failed in {o['build_failed_share']:.0%} of the draws; a failed build still "
                "pays its build months and its interim keeps serving."))
    if rep["timing"]:
        _timing(rep)
    if rep["data_readiness"]:
        st.subheader("Data readiness", anchor=False)
        for row in rep["data_readiness"]:
            st.markdown(md(row["text"]))
    if rep["value"] is not None:
        st.subheader("Value", anchor=False)
        st.markdown(md(rep["value"]["statement"]))
    st.caption(f"{rep['draws']:,} draws, seed {rep['seed']}, {h} months. Each range is drawn "
               "independently (triangular unless it says uniform or PERT).")


def _word(rep: dict[str, Any]) -> str:
    return "present value" if rep["basis"] == "present_value" else "total cost"


def _summary(rep: dict[str, Any]) -> None:
    cur, basis = rep["currency"], rep["basis"]
    rows = []
    for name, o in rep["options"].items():
        q = o[basis]
        row = {"Option": name, "Plain report": money(o["plain"][basis], cur),
               "P10": money(q["p10"], cur), "P50": money(q["p50"], cur),
               "P90": money(q["p90"], cur), "Cheapest in": f"{o['p_cheapest']:.0%}",
               "Expected": money(o["expected"][basis], cur) if "expected" in o else "-"}
        if "net_value" in o:
            row["Net value P50"] = money(o["net_value"]["p50"], cur)
            row["Pays for itself in"] = f"{o['p_pays_for_itself']:.0%}"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="risk-summary")
    st.caption(f"{_word(rep).capitalize()} over {rep['horizon_months']} months. P10/P50/P90: "
               "1 in 10 draws costs less than P10, half less than P50, 9 in 10 less than P90. "
               "\"Cheapest in\": share of draws in which the option is the cheapest.")


def _pair_section(rep: dict[str, Any], names: list[str]) -> None:
    pairs = [f"{p['a']} vs {p['b']}" for p in rep["pairs"]]
    if st.session_state.get("risk.pair") not in pairs:     # first run, or options changed
        st.session_state["risk.pair"] = _default_pair(rep, pairs)
    label = st.selectbox("Compare", pairs, key="risk.pair")
    pair = rep["pairs"][pairs.index(label)]
    a, b, h = pair["a"], pair["b"], rep["horizon_months"]
    st.altair_chart(cr.p_cheaper_chart(rep, a, b), theme=None, key="risk-p-cheaper")
    c = pair["crossover"]
    if c["share_no_crossover"] >= 1.0:
        words = f"{a} and {b} never cross within {h} months in any draw."
    else:
        pct = [f"P{k}: " + (f"month {c[f'month_p{k}']}" if c[f"month_p{k}"] is not None
                            else f"after month {h}") for k in (10, 50, 90)]
        words = (f"Crossover month {', '.join(pct)}. No crossover within {h} months in "
                 f"{c['share_no_crossover']:.0%} of draws; {a} catches up in "
                 f"{c['a_catches_up']:.0%}, {b} in {c['b_catches_up']:.0%}.")
    st.markdown(md(words))
    metric = st.radio("Tornado of", list(METRICS), key="risk.tornado_metric", horizontal=True,
                      format_func=METRICS.get)
    if not pair["tornado"][metric]["bars"] or cr.tornado_frame(rep, a, b, metric).empty:
        st.caption(md(f"No ranged input moves the {METRICS[metric].lower()} of {a} and {b}."))
    else:
        st.altair_chart(cr.tornado_chart(rep, a, b, metric), theme=None, key="risk-tornado")


def _default_pair(rep: dict[str, Any], pairs: list[str]) -> str:
    """The closest call: the pair whose chance at the horizon is nearest to 50/50."""
    best = min(range(len(pairs)), key=lambda k: abs(rep["pairs"][k]["p_a_cheaper"][-1] - 0.5))
    return pairs[best]


def _timing(rep: dict[str, Any]) -> None:
    st.subheader("When to start building", anchor=False)
    names = list(rep["timing"])
    if st.session_state.get("risk.timing_option") not in names:
        st.session_state["risk.timing_option"] = names[0]
    name = st.selectbox("Option", names, key="risk.timing_option")
    tm, cur = rep["timing"][name], rep["currency"]
    st.altair_chart(cr.timing_chart(rep, name), theme=None, key="risk-timing")
    text = (f"Best month to start building {name}: month {tm['best_start_month']} "
            f"({money(tm['best_total'], cur)} {_word(rep)}, with {tm['interim']} serving "
            f"until it is live). Starting in month {tm['current_start_month']} as planned: "
            f"{money(tm['current_total'], cur)}. {tm['interim']} alone, never building: "
            f"{money(tm['interim_only_total'], cur)}.")
    if tm["best_total"] >= tm["interim_only_total"]:
        text += f" Building {name} does not beat {tm['interim']} alone at any start month."
    if tm["best_expected_start_month"] is not None:
        text += (" With the success probability, the best start month is "
                 f"{tm['best_expected_start_month']}.")
    st.markdown(md(text))
