"""Build or buy? The product manager's cockpit: `streamlit run app.py`.

Data flows one way: widgets (keyed by scenario path) -> a validated Scenario -> the engine
-> views. Everything but the page's order lives in calculator/ui/. The answers are drawn
before the inputs so they reach the browser first.
"""

from __future__ import annotations

import streamlit as st

from calculator import dumps_scenario
from calculator.charts import register_theme
from calculator.ui import inputs, scenario_io, views
from calculator.ui.widgets import Problems, md

st.set_page_config(page_title="Build or buy? ML cost calculator", page_icon="⚖️",
                   layout="wide", initial_sidebar_state=420)
register_theme()

scenario_io.seed()
scenario, problem_list = scenario_io.current()
yaml_text = dumps_scenario(scenario)
result, story = views.compute(yaml_text, scenario)

st.title(md(scenario.name), anchor=False)
st.caption("Build or buy? Every option's full cost over "
           f"{scenario.horizon_months} months: people, usage, infrastructure and the cost of "
           "its errors.")
scenario_io.messages()
if problem_list:
    st.error(f"The inputs have {len(problem_list)} problem"
             f"{'s' if len(problem_list) > 1 else ''}, also marked next to the inputs; the "
             "results below are for the last valid scenario.\n\n"
             + "\n".join(f"- {md(p)}" for p in problem_list), icon=":material/warning:")
stale = views.prices_warning(scenario)
if stale:
    st.warning(stale, icon=":material/schedule:")

views.headline(scenario, story, stale=bool(problem_list))
views.metrics(result, story)
views.chart_tabs(yaml_text, result)

st.subheader("Totals", anchor=False)
views.totals_table(result, views.totals_frame(yaml_text, result))

st.subheader("Save and share", anchor=False)
scenario_io.downloads(scenario, yaml_text)
views.downloads(scenario, result)
if scenario.description:
    with st.expander("About this scenario"):
        st.markdown(md(scenario.description))

with st.sidebar:
    st.header("Inputs", anchor=False)
    scenario_io.sources()
    inputs.render(Problems(problem_list))
