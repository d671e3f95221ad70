"""The answers: headline, how sure, key numbers, warnings, charts and the totals table, all
read from one cached :class:`~calculator.model.decision.Decision`."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import charts
from ..model import KIND_LABELS, Decision, Problem, Scenario, money, resolve
from ..model import decision_of as decide
from . import compare_view, decide_view, gate, risk_view, vega
from .form import anchor, md
from .parking import ui_state


@st.cache_data(max_entries=64, show_spinner=False)
def decision(key: str, today: str, _scenario: Scenario) -> Decision:
    """The Decision for the scenario text ``key`` on ``today`` (each session gets its own
    copy: a fraction of a millisecond to unpickle, against 30 ms to decide). Computed in
    the server's turn (:mod:`.gate`)."""
    with gate.turn():
        return decide(_scenario, today=_dt.date.fromisoformat(today))


def where(path: str, shape: dict[str, Any]) -> str:
    """A field path for people: "Options › LLM › Batch discount"."""
    kinds = shape["options"]
    spec = resolve(path, kinds)
    parts = path.split(".")
    name = spec.label if spec is not None else parts[-1].replace("_", " ")
    if parts[0] == "options" and len(parts) > 2:
        shown = ui_state.get(f"options.{parts[1]}.label") or parts[1]
        return f"Options › {shown} › {name}"
    if parts[0] == "options":
        return "Options"
    if parts[0] in ("traffic", "quality", "team"):
        return f"{parts[0].capitalize()} › {name}"
    return f"Scenario › {name}"


def problem_banner(problems: list[Problem], shape: dict[str, Any]) -> None:
    if not problems:
        return
    lines = []
    for p in problems:
        target = (f"[{md(where(p.path, shape))}](#{anchor(p.path)})" if p.path
                  else "the file")
        lines.append(f"- {target}: {md(p.message)}")
    n = len(problems)
    st.error(f"**The results below are for the last valid inputs.** {n} input"
             f"{'s have' if n > 1 else ' has'} a problem, marked next to "
             f"{'them' if n > 1 else 'it'} in the sidebar:\n\n" + "\n".join(lines),
             icon=":material/warning:")


def headline(d: Decision) -> None:
    """The answer: the headline, how sure it is and the recommendation in one Markdown
    block, the caution, then the details in another (paragraphs of one message each: every
    element is a message to send on every change)."""
    t = d.texts
    st.markdown(f"### {md(t.headline)}\n\n{md(t.sure)}\n\n**Recommendation:** {md(t.action)}")
    if t.caution:
        st.warning(md(t.caution), icon=":material/balance:")
    if t.details:
        st.markdown("\n\n".join(md(line) for line in t.details))


CSS = """<style>
/* key numbers fit their cards from 1280 px up: a smaller value, labels that wrap */
[data-testid="stMetricValue"] { font-size: 1.85rem; }
/* the key numbers' row and a range's three boxes: equal widths, as columns gave them */
.st-key-numbers [data-testid="stElementContainer"],
[class*="st-key-range-row-"] [data-testid="stElementContainer"] {
  flex: 1 1 0 !important; min-width: 0;
}
/* the key numbers' cards as tall as the tallest (a label may wrap at 1280 px), each value
   at its card's foot so the four values stay on one line */
.st-key-numbers { align-items: stretch !important; }
.st-key-numbers [data-testid="stMetric"] { height: 100%; }
.st-key-numbers [data-testid="stMetric"] > div {
  height: 100%; display: flex; flex-direction: column; justify-content: space-between;
}
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* Markdown tables (the totals) as compact as st.table's: small text, light headers */
[data-testid="stMarkdownContainer"] table { font-size: 0.875rem; }
[data-testid="stMarkdownContainer"] th, [data-testid="stMarkdownContainer"] td {
  padding: 0.25rem 0.5rem;
}
[data-testid="stMarkdownContainer"] th { font-weight: 400; color: rgba(49, 51, 63, 0.6); }
</style>"""


def style() -> None:
    """The page's few style rules (our own text, never user input). Markdown, not st.html:
    Markdown's code comes with the page, st.html's is fetched on first sight, one more
    wait before the first render."""
    st.markdown(CSS, unsafe_allow_html=True)


def metrics(d: Decision) -> None:
    """The key numbers side by side: one row, not a column each (four messages fewer)."""
    row = st.container(horizontal=True, gap="medium", key="numbers")   # CSS: equal widths
    for n in d.texts.numbers:
        row.metric(n.label, n.value, help=n.help, border=True, width="stretch")


def warnings(d: Decision) -> None:
    for w in d.warnings:
        st.warning(md(w), icon=":material/schedule:")


CHARTS: dict[str, Callable[[Any], Any]] = {
    "Saving": charts.saving_chart,
    "Cumulative": charts.cumulative_chart,
    "Components": charts.breakdown_chart,
    "Per 1,000": charts.cost_per_1k_chart,
    "Running cost": charts.volume_chart,
}
HYBRID_TAB = "Hybrid"
RISK_TAB = "Risk & timing"
DECIDE_TAB = "What if"
COMPARE_TAB = "Compare"
TABS = [*CHARTS, HYBRID_TAB, RISK_TAB, DECIDE_TAB, COMPARE_TAB]


def tabs_for(d: Decision) -> list[str]:
    """The tabs this scenario has: the saving chart needs something to build and to buy,
    the share sweep a hybrid."""
    return [t for t in TABS if (t != "Saving" or (d.build and d.buy))
            and (t != HYBRID_TAB or d.hybrids)]


@st.cache_data(max_entries=64, show_spinner=False)
def build_share_chart(key: str, name: str, _d: Decision) -> dict[str, Any]:
    with gate.turn():
        return vega.spec(charts.share_chart(_d, name))


def hybrid_tab(key: str, d: Decision) -> None:
    names = list(d.hybrids)
    if st.session_state.get("hybrid.view") not in names:
        st.session_state["hybrid.view"] = names[0]
    if len(names) > 1:
        shown = {n: d.label(n) for n in names}
        st.selectbox("Hybrid", names, key="hybrid.view", format_func=shown.get)
    name = st.session_state["hybrid.view"]
    vega.show(build_share_chart(key, name, d), key="chart:hybrid")
    line = d.texts.hybrids.get(name)
    if line:
        st.markdown(md(line))


@st.cache_data(max_entries=64, show_spinner=False)
def build_chart(key: str, tab: str, _d: Decision) -> dict[str, Any]:
    """One chart as its Vega-Lite spec, made once per scenario text and tab: a rerun that
    does not change the scenario pays neither Altair's building nor its serialising."""
    with gate.turn():
        return vega.spec(CHARTS[tab](_d))


def chart_tabs(key: str, d: Decision) -> None:
    """The charts, one per tab. Only the open tab is drawn (a tab switch reruns, from the
    cache), so an input change serialises one chart, not seven."""
    names = tabs_for(d)
    if st.session_state.get("view") not in names:
        st.session_state["view"] = names[0]
    tabs = st.tabs(names, key="view", on_change="rerun")
    for tab, name in zip(tabs, names, strict=True):
        if not tab.open:
            continue
        with tab:
            if name == RISK_TAB:
                risk_view.render(key, d)
            elif name == DECIDE_TAB:
                decide_view.render(key, d)
            elif name == COMPARE_TAB:
                compare_view.render(d)
            elif name == HYBRID_TAB:
                hybrid_tab(key, d)
            else:
                vega.show(build_chart(key, name, d), key=f"chart:{name}")
            if name == "Components":
                s = d.scenario
                st.caption(md(", ".join(f"{s.label(n)}: {KIND_LABELS[s.options[n].kind]}"
                                        for n in d.result.names)))


RIGHT = {"money_cost", "error_cost", "total_cost", "present_value", "cost_per_1k_calls",
         "net_value"}
"""Columns of money: right-aligned, so that their digits line up."""


def totals_cells(d: Decision) -> tuple[list[str], list[str], list[list[str]]]:
    """The totals as people read them: column labels, their keys, and one row of texts per
    option (money and months in words)."""
    r = d.result
    cur, h = r.scenario.currency, r.scenario.horizon_months
    table = charts.totals_columns(r)           # the totals frame's columns, no DataFrame
    columns: list[list[str]] = []
    for col, values in table.items():
        if col in RIGHT - {"cost_per_1k_calls"}:
            texts = [money(float(x), cur) for x in values]
        elif col == "cost_per_1k_calls":
            texts = [money(float(x), cur) if math.isfinite(x) else "n/a" for x in values]
        elif col == "live_month":
            texts = [f"month {m}" if m <= h else f"after month {h}" for m in values]
        elif col == "option":
            texts = [r.scenario.label(n) for n in values]
        else:
            texts = [str(x) for x in values]
        columns.append(texts)
    keys = list(table)
    return ([charts.TOTALS_LABELS.get(k, k) for k in keys], keys,
            [list(row) for row in zip(*columns, strict=True)])


def totals_markdown(d: Decision) -> str:
    """The totals as a Markdown table: what ``st.table`` drew, without a DataFrame, Arrow
    and a cache entry each change (about 8 ms of an input change's 120)."""
    labels, keys, rows = totals_cells(d)      # md() escapes "|" too: a cell stays a cell
    head = "| " + " | ".join(md(x) for x in labels) + " |"
    rule = "|" + "|".join("---:" if k in RIGHT else ":---" for k in keys) + "|"
    return "\n".join([head, rule, *("| " + " | ".join(md(x) for x in row) + " |"
                                     for row in rows)])


def totals_table(d: Decision) -> None:
    r = d.result
    # a plain table, not st.dataframe's grid: a few rows read (and print, and copy into a
    # deck) better as text, and the grid's code held the whole first page back ~0.4 s
    st.markdown(totals_markdown(d))
    rate = r.scenario.discount_rate_annual
    st.caption(f"{d.texts.totals_title}. Present value discounts each month at {rate:.0%} a "
               "year. Per 1,000 calls = total cost / all calls x 1,000.")


def figures(d: Decision) -> None:
    """The figures, when to revisit and the risks: a dozen paragraphs, drawn only while
    their section is open (each is a message per change and part of the first render)."""
    box = st.expander("The figures behind the answer", icon=":material/list:",
                      key="figures.open", on_change="rerun")
    if not box.open:
        return
    with box:
        for line in d.texts.figures:
            st.markdown(f"- {md(line)}")
        if d.texts.revisit:
            st.markdown("**When to revisit**")
            for line in d.texts.revisit:
                st.markdown(f"- {md(line)}")
        if d.texts.risks:
            st.markdown("**What could make it wrong**")
            for line in d.texts.risks:
                st.markdown(f"- {md(line)}")
