"""The inputs, grouped the way a product manager thinks: scenario, traffic, team, quality,
then one panel per option. Every widget is keyed by its scenario path and drawn from the
field registry."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from ..model import FieldSpec, Quality, Scenario, Traffic, calls, fields_of, money
from . import options
from . import state as S
from .form import Problems, field, log_step, md, pairs, range_picker
from .parking import ui_state

ss = ui_state   # the session state, parked option values in their places
SCENARIO_MAIN = ("name", "horizon_months", "discount_rate_annual", "start_date",
                 "team_cost_change_per_year")


def _specs(model: type) -> dict[str, FieldSpec]:
    return {f.name: f for f in fields_of(model)}


def render(problems: Problems) -> None:
    """All inputs (call inside the sidebar)."""
    cur = str(ss.get("currency") or "USD")
    top = _specs(Scenario)
    # Closed until opened (or a problem inside opens it): the horizon, dates and name are
    # set once, the traffic below is what people move (README, "Operations").
    main = _section("Scenario: horizon, discounting, name", "scenario", ":material/tune:",
                    any(problems.under(k) for k in SCENARIO_MAIN))
    if main.open:
        with main:
            pairs([(top[k], k) for k in SCENARIO_MAIN if k != "name"], cur, problems)
            field(top["name"], "name", cur, problems)
    with st.expander("Traffic", expanded=True, icon=":material/trending_up:"):
        _traffic(cur, problems)
    # closed sections draw nothing (their values persist): a rerun stays light
    team = _section("Team rates", "team", ":material/groups:", problems.under("team"))
    if team.open:
        with team:
            _team(cur, problems)
    quality = _section("Quality: errors and value", "quality", ":material/verified:",
                       problems.under("quality"))
    if quality.open:
        with quality:
            items = [(f, f"quality.{f.name}") for f in fields_of(Quality)]
            range_picker(items, "ranges:quality", cur)
            pairs(items, cur, problems)
    details = [f for f in fields_of(Scenario) if f.structure == "value"
               and f.name not in SCENARIO_MAIN and f.name != "schema_version"]
    more = _section("Details: description, currency, price date", "details",
                    ":material/notes:", any(problems.under(f.name) for f in details))
    if more.open:
        with more:
            for f in details:
                field(f, f.name, cur, problems)
    st.subheader("Options", anchor=False)
    options.render(cur, problems)
    problems.rest()


def _section(title: str, name: str, icon: str, flagged: bool):  # noqa: ANN202
    """An expander that tracks whether it is open (a problem inside opens it), so the
    caller draws its content only then."""
    key = f"section:{name}"
    if flagged:
        ss[key] = True
    return st.expander(title, key=key, on_change="rerun", icon=icon)


def _traffic(cur: str, problems: Problems) -> None:
    growth = ss.get("traffic.growth", "none")
    series = ss.get("traffic.monthly_calls")
    shown = [f for f in fields_of(Traffic) if f.structure != "series"
             and not (f.when and growth != f.when[1])
             and (series is None or f.name == "peak_to_average")]   # a forecast replaces the curve
    range_picker([(f, f"traffic.{f.name}") for f in shown], "ranges:traffic", cur)
    for f in shown:
        field(f, f"traffic.{f.name}", cur, problems)
        if f.name == "calls_per_month" and isinstance(ss.get(f"traffic.{f.name}"), float):
            v = ss["traffic.calls_per_month"]
            st.caption(f"{calls(v)} calls a month; -/+ move by {log_step(v):,.0f}.")
    _forecast(problems)
    problems.show("traffic")


def _forecast(problems: Problems) -> None:
    """An explicit calls-a-month series: an editable table that takes a column pasted from
    a spreadsheet."""
    h = int(ss.get("horizon_months") or 1)
    series = ss.get("traffic.monthly_calls")
    if series is None:
        st.button("Use my own monthly forecast instead", key="forecast:on", type="tertiary",
                  icon=":material/table_rows:", on_click=_forecast_on, args=(h,),
                  help="Type or paste a column of calls a month (one row per month) from "
                  "your traffic forecast; it replaces the growth curve.")
        return
    st.markdown(":small[**Calls in each month** (paste a column from a spreadsheet)]")
    rows = max(h, len(series))
    frame = pd.DataFrame({"month": range(1, rows + 1),
                          "calls": [float(x) for x in series] + [None] * (rows - len(series))})
    st.data_editor(frame, key="forecast:table", hide_index=True, num_rows="fixed", height=240,
                   column_config={"month": st.column_config.NumberColumn(disabled=True),
                                  "calls": st.column_config.NumberColumn(
                                      "calls a month", min_value=0.0, max_value=1e12,
                                      format="%.0f")},
                   on_change=_forecast_edit)
    st.caption(f"{len(series)} values for a {h}-month horizon"
               + ("; values past the horizon are kept and not used." if len(series) > h
                  else "."))
    st.button("Use the growth curve instead", key="forecast:off", type="tertiary",
              icon=":material/trending_up:",
              on_click=lambda: ss.__setitem__("traffic.monthly_calls", None))
    problems.show("traffic.monthly_calls")


def _forecast_on(h: int) -> None:
    v0 = ss.get("traffic.calls_per_month") or 1.0
    ss["traffic.monthly_calls"] = [float(v0)] * h


def _forecast_edit() -> None:
    edits = ss.get("forecast:table") or {}
    series = list(ss.get("traffic.monthly_calls") or [])
    for row, change in (edits.get("edited_rows") or {}).items():
        if "calls" in change:
            while len(series) <= int(row):
                series.append(None)
            series[int(row)] = change["calls"]
    while series and series[-1] is None:
        series.pop()
    ss["traffic.monthly_calls"] = series
    ss.pop("forecast:table", None)


def _team(cur: str, problems: Problems) -> None:
    roles = ss["_shape"]["roles"]
    spec = next(f for f in fields_of(Scenario) if f.name == "team")
    if not roles:
        st.caption("No roles yet: add one to count people's time.")
    items = [(dataclasses.replace(spec, label=role, structure="value"), f"team.{role}")
             for role in roles]
    range_picker(items, "ranges:team", cur)
    for shown, path in items:
        rate = ss.get(path)
        field(shown, path, cur, problems,
              help=spec.help + (f" Now {money(rate, cur)} a month." if rate else ""))
    with st.popover("Add or remove a role", icon=":material/person_add:"):
        st.text_input("New role name", key="new:role", placeholder="e.g. ml_engineer",
                      help="Lowercase letters, digits, _ and -.")
        st.button("Add role", key="new:role:add", on_click=_add_role)
        if roles:
            st.selectbox("Role to remove", roles, key="del:role")
            st.button("Remove role", key="del:role:go", on_click=_remove_role,
                      help="Removes the role and every FTE figure that uses it.")
    problems.show("team")


def _add_role() -> None:
    name = (ss.get("new:role") or "").strip()
    why = S.check_name(ss, name, "role")
    if why:
        ss["_flash"] = ("error", why)
        return
    S.add_role(ss, name)
    ss["new:role"] = ""
    ss["_flash"] = ("success", f"Added the role {name}; set its monthly cost.")


def _remove_role() -> None:
    role = ss.get("del:role")
    if role in ss["_shape"]["roles"]:
        S.remove_role(ss, role)
        ss["_flash"] = ("success", f"Removed the role {md(role)}.")
