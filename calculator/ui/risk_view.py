"""The "Risk & timing" tab: what the Monte Carlo says about the decision (the same odds as
the headline), the spread of costs, what moves the answer most, when to start building,
data readiness and value. Everything comes from one cached
:func:`calculator.model.risk.simulate_report` with the Decision's seed."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..charts import risk as cr
from ..model import DEFAULT_SEED, Decision, Scenario, money, pct, share_of_draws, simulate_report
from . import vega
from .form import md

DRAWS = (1_000, 10_000)
METRICS = {"gap": "Saving", "crossover": "Crossover month"}


@st.cache_data(max_entries=16, show_spinner="Running the Monte Carlo ...")
def report(key: str, draws: int, _scenario: Scenario) -> dict[str, Any]:
    """The risk report, cached by the scenario's YAML text (``key``) and the draws."""
    return simulate_report(_scenario, draws=draws, seed=DEFAULT_SEED)


@st.fragment
def render(key: str, d: Decision) -> None:
    # A fragment: the risk view's own controls rerun it alone, not the whole page.
    ss = st.session_state
    ss.setdefault("risk.draws", DRAWS[-1])
    rep = report(key, int(ss["risk.draws"]), d.scenario)
    for line in d.texts.risks[:2] if d.odds else []:
        st.markdown(md(line))       # the headline's odds, said again where they are shown
    if rep.get("draws_reduced_from"):
        st.info(f"This scenario is large ({len(rep['options'])} options, "
                f"{rep['horizon_months']} months): the Monte Carlo runs {rep['draws']:,} draws "
                f"instead of {rep['draws_reduced_from']:,} to keep the work bounded.",
                icon=":material/speed:")
    if not rep["ranged_fields"] and not any("expected" in o for o in rep["options"].values()):
        st.info("No input of this scenario is a range, so every draw equals the plain report. "
                "Pick inputs under \"Unsure? Give these as ranges\" to see the spread.",
                icon=":material/info:")
    _summary(rep)
    if len(rep["options"]) > 1:
        _pair_section(rep)
    vega.draw(cr.fan_chart(rep), key="risk-fan")
    _expected(rep)
    if rep["timing"]:
        _timing(rep)
    if rep["data_readiness"]:
        st.subheader("Data readiness", anchor=False)
        for row in rep["data_readiness"]:
            st.markdown(md(row["text"]))
    if rep["value"] is not None:
        st.subheader("Value", anchor=False)
        st.markdown(md(rep["value"]["statement"]))
    st.radio("Draws", DRAWS, key="risk.draws", horizontal=True, format_func=lambda n: f"{n:,}",
             help="How many joint draws of every range. 10,000 is the normal size (the "
             "headline's); the seed is fixed, so the same scenario always gives the same "
             "numbers.")
    st.caption(f"{rep['draws']:,} draws, seed {rep['seed']}, {rep['horizon_months']} months. "
               "Each range is drawn independently (triangular unless it says uniform or PERT).")


def _label(rep: dict[str, Any], name: str) -> str:
    return rep.get("labels", {}).get(name, name)


def _word(rep: dict[str, Any]) -> str:
    return "present value" if rep["basis"] == "present_value" else "total cost"


def _summary(rep: dict[str, Any]) -> None:
    cur, basis = rep["currency"], rep["basis"]
    rows = []
    for name, o in rep["options"].items():
        q = o[basis]
        row = {"Option": _label(rep, name), "Plain report": money(o["plain"][basis], cur),
               "P10": money(q["p10"], cur), "P50": money(q["p50"], cur),
               "P90": money(q["p90"], cur), "Cheapest in": share_of_draws(o["p_cheapest"]),
               "Expected": money(o["expected"][basis], cur) if "expected" in o else "-"}
        if "net_value" in o:
            row["Net value P50"] = money(o["net_value"]["p50"], cur)
            row["Pays for itself in"] = share_of_draws(o["p_pays_for_itself"])
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="risk-summary")
    st.caption(f"{_word(rep).capitalize()} over {rep['horizon_months']} months. P10/P50/P90: "
               "1 in 10 draws costs less than P10, half less than P50, 9 in 10 less than P90. "
               "\"Cheapest in\": share of draws in which the option is the cheapest.")


def _pairs(rep: dict[str, Any]) -> list[tuple[str, str]]:
    """Every pair, the decision's first (build path, then the option to buy)."""
    out = [(p["a"], p["b"]) for p in rep["pairs"]]
    a, b = rep.get("decision_pair") or (None, None)
    if a and b:
        out = [(a, b)] + [x for x in out if set(x) != {a, b}]
    return out


def _pair_section(rep: dict[str, Any]) -> None:
    pairs = _pairs(rep)
    keys = [f"{a}|{b}" for a, b in pairs]
    if st.session_state.get("risk.pair") not in keys:     # first run, or options changed
        st.session_state["risk.pair"] = keys[0]
    shown = {k: f"{_label(rep, a)} vs {_label(rep, b)}" for k, (a, b) in zip(keys, pairs,
                                                                             strict=True)}
    key = st.selectbox("Compare", keys, key="risk.pair", format_func=shown.get)
    a, b = key.split("|", 1)
    h = rep["horizon_months"]
    vega.draw(cr.p_cheaper_chart(rep, a, b), key="risk-p-cheaper")
    pair = next(p for p in rep["pairs"] if {p["a"], p["b"]} == {a, b})
    c = pair["crossover"]
    la, lb = _label(rep, pair["a"]), _label(rep, pair["b"])
    if c["share_no_crossover"] >= 1.0:
        words = f"{la} and {lb} never cross within {h} months in any draw."
    else:
        pct = [f"P{k}: " + (f"month {c[f'month_p{k}']}" if c[f"month_p{k}"] is not None
                            else f"after month {h}") for k in (10, 50, 90)]
        words = (f"First crossing, month {', '.join(pct)}. No crossing within {h} months in "
                 f"{share_of_draws(c['share_no_crossover'])} of draws; {la} catches up in "
                 f"{share_of_draws(c['a_catches_up'])}, {lb} in "
                 f"{share_of_draws(c['b_catches_up'])}.")
    st.markdown(md(words))
    metric = st.radio("What moves it most", list(METRICS), key="risk.tornado_metric",
                      horizontal=True, format_func=METRICS.get)
    if cr.tornado_frame(rep, a, b, metric).empty:
        st.caption(md(f"No ranged input moves the {METRICS[metric].lower()} of "
                      f"{_label(rep, a)} against {_label(rep, b)}."))
    else:
        vega.draw(cr.tornado_chart(rep, a, b, metric), key="risk-tornado")


def _expected(rep: dict[str, Any]) -> None:
    cur, basis = rep["currency"], rep["basis"]
    for name, o in rep["options"].items():
        if "expected" in o:
            st.markdown(md(
                f"Expected {_word(rep)} of {_label(rep, name)} with its "
                f"{pct(o['success_probability'])} success probability: "
                f"{money(o['expected'][basis], cur)} (plain report, assuming the build works: "
                f"{money(o['plain'][basis], cur)}). The build failed in "
                f"{share_of_draws(o['build_failed_share'])} of the draws; a failed build still "
                "pays its build months and the option serving before it keeps serving."))


def _timing(rep: dict[str, Any]) -> None:
    st.subheader("When to start building", anchor=False)
    names = list(rep["timing"])
    if st.session_state.get("risk.timing_option") not in names:
        st.session_state["risk.timing_option"] = names[0]
    shown = {n: _label(rep, n) for n in names}
    name = st.selectbox("Option", names, key="risk.timing_option", format_func=shown.get)
    tm, cur = rep["timing"][name], rep["currency"]
    vega.draw(cr.timing_chart(rep, name), key="risk-timing")
    ln, li = _label(rep, name), _label(rep, tm["interim"])
    text = (f"Best month to start building {ln}: month {tm['best_start_month']} "
            f"({money(tm['best_total'], cur)} {_word(rep)}, with {li} serving until it is "
            f"live). Starting in month {tm['current_start_month']} as planned: "
            f"{money(tm['current_total'], cur)}. {li} alone, never building: "
            f"{money(tm['interim_only_total'], cur)}.")
    if tm["best_total"] >= tm["interim_only_total"]:
        text += f" Building {ln} does not beat {li} alone at any start month."
    if tm["best_expected_start_month"] is not None:
        text += (" With the success probability, the best start month is "
                 f"{tm['best_expected_start_month']}.")
    st.markdown(md(text))
