"""The answers: headline, key metrics, warnings, charts and the totals table."""

from __future__ import annotations

import datetime as _dt
import importlib
import math
from typing import Any

import streamlit as st

from .. import charts
from ..model import Result, Scenario, evaluate
from ..model.analysis import comparable
from ..model.story import KIND_LABELS, Story, calls, money, tell
from .widgets import md

STALE_AFTER_DAYS = 183  # six months


@st.cache_data(max_entries=32, show_spinner=False)
def compute(key: str, _scenario: Scenario) -> tuple[Result, Story]:
    """The engine's result and its story, cached by the scenario's YAML text (``key``)."""
    result = evaluate(_scenario)
    return result, tell(result)


CHARTS = {"Cumulative cost": charts.cumulative_chart,
          "Monthly breakdown": charts.breakdown_chart,
          "Cost per 1,000 calls": charts.cost_per_1k_chart,
          "Cost vs traffic": charts.volume_chart}
RISK_TAB = "Risk & timing"
TABS = [*CHARTS, RISK_TAB]


@st.cache_data(max_entries=32, show_spinner=False)
def build_chart(key: str, tab: str, _result: Result) -> Any:
    """One chart, cached by the scenario's YAML text and the tab it sits in."""
    return CHARTS[tab](_result)


@st.cache_data(max_entries=32, show_spinner=False)
def totals_frame(key: str, _result: Result) -> Any:
    return charts.totals_frame(_result)


def prices_warning(s: Scenario, today: _dt.date | None = None) -> str | None:
    """Why the prices may be out of date, or None."""
    today = today or _dt.date.today()
    if s.prices_as_of is None:
        return ("This scenario does not say when its prices were checked (prices as of). "
                "API and cloud prices change often: check them and set the date.")
    age = (today - s.prices_as_of).days
    if age > STALE_AFTER_DAYS:
        months = age // 30
        return (f"The prices were checked on {s.prices_as_of.isoformat()}, about {months} "
                "months ago. API prices move fast (LLM prices fall several-fold a year): "
                "check them before you decide.")
    return None


def headline(s: Scenario, story: Story, stale: bool) -> None:
    st.markdown(f"### {md(story.headline)}")
    for line in story.details:
        st.markdown(md(line))
    if stale:
        st.caption("Showing the last valid scenario while the inputs have problems.")


def metrics(r: Result, story: Story) -> None:
    cur, h = r.scenario.currency, r.scenario.horizon_months
    rank = comparable(r)[0]
    order = sorted(range(len(r.names)), key=lambda i: rank[i])
    best = r.names[order[0]]
    basis = "present value" if r.discounted else "total"
    cols = st.columns(4)
    cols[0].metric("Cheapest option", best, border=True,
                   help=f"Lowest {basis} cost over {h} months, errors included.")
    cols[1].metric(f"Its cost over {h} months", money(float(rank[order[0]]), cur),
                   border=True, help=f"{basis.capitalize()} of every cost item, errors "
                   "included.")
    if len(order) > 1:
        gap = float(rank[order[1]] - rank[order[0]])
        cols[2].metric(f"Saving vs {r.names[order[1]]}", money(gap, cur), border=True,
                       help=f"How much less {best} costs than the runner-up over {h} months.")
    else:
        cols[2].metric("Saving", "n/a", border=True, help="Only one option is switched on.")
    notes = []
    if r.discounted:
        notes.append(f"Costs are present values (future months discounted at "
                     f"{r.scenario.discount_rate_annual:.0%} a year), errors included.")
    if story.build is not None:
        when = (f"month {story.crossover_month}" if story.crossover_month else
                ("from the start" if (story.saving or 0) > 0 else f"never within {h} months"))
        cols[3].metric(f"{story.build} pays off", when, border=True,
                       help=f"First month the cumulative cost of {story.build} falls below "
                       f"{story.buy}'s.")
        be = story.break_even_calls
        now = float(r.volume[0, 0])
        notes.append(f"Break-even traffic {story.build} vs {story.buy}: "
                     + (f"{calls(be)} calls a month (month 1 traffic: {calls(now)}, month "
                        f"{h}: {calls(float(r.volume[0, -1]))})." if be else "none up to "
                        "10^12 calls a month: one of them is cheaper at every volume."))
    else:
        live = {n: int(x) for n, x in zip(r.names, r.live_month[0], strict=True)}
        late = max(live, key=live.get)
        cols[3].metric(f"{late} live from", f"month {live[late]}", border=True,
                       help="The option that goes live last.")
    if notes:
        st.caption(md(" ".join(notes)))


def totals_table(r: Result, table: Any) -> None:
    cur = r.scenario.currency
    df = table.copy()
    shown = df.copy()
    for col in ("money_cost", "error_cost", "total_cost", "present_value", "net_value"):
        if col in shown:
            shown[col] = [money(float(x), cur) for x in df[col]]
    shown["cost_per_1k_calls"] = [money(float(x), cur) if math.isfinite(x) else "n/a"
                                  for x in df["cost_per_1k_calls"]]
    h = r.scenario.horizon_months
    shown["live_month"] = [f"month {m}" if m <= h else f"after month {h}"
                           for m in df["live_month"]]
    shown = shown.rename(columns=charts.TOTALS_LABELS)
    st.dataframe(shown, hide_index=True, key="totals-table",
                 column_config={"Option": st.column_config.TextColumn(pinned=True)})
    st.caption(f"Totals over {h} months. Present value discounts each month at "
               f"{r.scenario.discount_rate_annual:.0%} a year. Per 1,000 calls = total cost / "
               "all calls x 1,000.")


def chart_tabs(key: str, r: Result) -> None:
    """The charts, one per tab. Only the open tab is drawn (a tab switch reruns, from the
    cache), so a slider change serialises one chart, not five."""
    tabs = st.tabs(TABS, key="view", on_change="rerun")
    for tab, name in zip(tabs, TABS, strict=True):
        if not tab.open:
            continue
        with tab:
            if name == RISK_TAB:
                _risk(r.scenario)
            else:
                st.altair_chart(build_chart(key, name, r), theme=None,
                                key=f"chart:{name}")
            if name == "Monthly breakdown":
                kinds = ", ".join(f"{n}: {KIND_LABELS[r.scenario.active[n].kind]}"
                                  for n in r.names)
                st.caption(md(kinds))


@st.fragment
def _risk(scenario: Scenario) -> None:
    # A fragment: the risk view's own controls rerun it alone, not the whole page.
    optional_view("calculator.ui.risk_view", "The risk and timing view (ranges, "
                  "probabilities, best start month) is not part of this build yet.", scenario)


def downloads(scenario: Scenario, result: Result) -> None:
    """The export section (calculator.ui.downloads, when it exists). It is drawn last: the
    answers above it have already reached the browser while its buttons are prepared."""
    optional_view("calculator.ui.downloads", "Chart and report downloads (PNG, SVG, PPTX) "
                  "are not part of this build yet.", scenario, result)


def optional_view(module: str, missing: str, *args: Any) -> None:
    """Call ``module.render(*args)`` when that module exists (others build them)."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        if exc.name != module:
            raise
        st.info(missing, icon=":material/info:")
        return
    mod.render(*args)
