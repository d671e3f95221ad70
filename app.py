"""Build or buy? The product manager's cockpit: `streamlit run app.py`.

Data flows one way: widgets (keyed by scenario path) -> a validated Scenario -> one cached
Decision -> views. Everything but the page's order lives in calculator/ui/. The answer is
drawn first, then the inputs (so the sidebar is ready within moments of the headline), then
the charts, tables and downloads (drawn only while their section is open).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from calculator import dumps_scenario
from calculator.charts import register_theme
from calculator.ui import downloads, inputs, parking, scenario_io, views
from calculator.ui.form import Problems, md

st.set_page_config(page_title="Build or buy? ML cost calculator", page_icon="⚖️",
                   layout="wide", initial_sidebar_state=380)
register_theme()
views.style()

scenario_io.seed()
parking.settle(st.session_state["_shape"]["options"])   # closed panels' values out of the way
scenario, problem_list = scenario_io.current()
yaml_text = dumps_scenario(scenario)
link = scenario_io.share_token(yaml_text)      # once a run: the address bar and share box
if not problem_list:
    scenario_io.sync_link(link[0])
decision = views.decision(yaml_text, dt.date.today().isoformat(), scenario)

st.title(md(scenario.name), anchor=False)
scenario_io.messages()
views.problem_banner(problem_list, st.session_state["_shape"])
views.headline(decision)
views.metrics(decision)
views.warnings(decision)

with st.sidebar:
    st.header("Inputs", anchor=False)
    scenario_io.sources()
    inputs.render(Problems(problem_list))

views.chart_tabs(yaml_text, decision)
views.figures(decision)
st.subheader("Totals", anchor=False)
views.totals_table(decision)
st.subheader("Save and share", anchor=False)
scenario_io.downloads(scenario, link)
downloads.section(scenario, decision)
if scenario.description:
    about = st.expander("About this scenario", key="about.open", on_change="rerun")
    if about.open:                      # folded, its text is not sent on every change
        with about:
            st.markdown(md(scenario.description))
