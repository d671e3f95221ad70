"""The charts against traffic, built from a Decision: each month's cost per 1,000 calls, and
the steady monthly running cost over a log grid of traffic with the run-rate break-evens
marked."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..model import Decision, Params, calls, money, month, steady_monthly_cost
from .screen import colors_of, labels_of
from .theme import (
    HEIGHT,
    INK,
    MUTED,
    SERIES,
    WIDTH,
    calls_axis,
    log_ticks,
    money_axis,
    month_x,
    point_labels,
    series_color,
    title,
    with_names,
)

# -- cost per 1,000 calls ------------------------------------------------------------------------

def cost_per_1k_frame(d: Decision) -> pd.DataFrame:
    """Each month's total cost per 1,000 of that month's calls (months without traffic are
    left out: no NaN)."""
    r = d.result
    vol = r.volume[0]
    ok = vol > 0
    rows = [pd.DataFrame({"month": r.months[ok], "option": d.label(name), SERIES: i,
                          "cost_per_1k_calls": r.total[0, i][ok] / vol[ok] * 1000.0})
            for i, name in enumerate(r.names)]
    df = pd.concat(rows, ignore_index=True)
    df["label"] = [money(float(x), r.scenario.currency) for x in df["cost_per_1k_calls"]]
    return df


def cost_per_1k_chart(d: Decision, chart_title: str = "Cost per 1,000 calls") -> alt.Chart:
    df = cost_per_1k_frame(d)
    chart = alt.Chart(df).mark_line(interpolate="step-after").encode(
        x=month_x(d.horizon),
        y=alt.Y("cost_per_1k_calls:Q",
                axis=money_axis(d.scenario.currency, "Cost per 1,000 calls")),
        color=series_color(labels_of(d), colors_of(d)),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("label:N", title="Per 1,000 calls")])
    sub = ("Each month's total cost (errors included) over that month's calls; build months "
           "show as spikes.")
    return with_names(chart, labels_of(d)).properties(title=title(chart_title, sub),
                                                      width=WIDTH, height=HEIGHT)


# -- monthly cost against volume ------------------------------------------------------------------

def volume_frame(d: Decision, points: int = 121) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steady monthly cost of every option over a log grid of volumes, and the run-rate
    break-even of every pair that has one (read from the Decision, with the cost there)."""
    r = d.result
    s, p = r.scenario, Params.plain()
    now, end = float(r.volume[0, 0]), float(r.volume[0, -1])
    bes = [(f.a, f.b, f.calls_per_month) for f in d.break_even if f.calls_per_month]
    marks = [x for x in (now, end, *(b[2] for b in bes)) if x > 0]
    lo, hi = max(1.0, min(marks) / 30.0), min(1e12, max(marks) * 30.0)
    grid = np.logspace(np.log10(lo), np.log10(hi), points)
    rows = []
    for i, name in enumerate(r.names):
        cost = np.broadcast_to(np.asarray(steady_monthly_cost(s, p, name, grid), dtype=float),
                               grid.shape)
        rows.append(pd.DataFrame({"calls_per_month": grid, "option": d.label(name), SERIES: i,
                                  "monthly_cost": cost}))
    curves = pd.concat(rows, ignore_index=True)
    curves = curves[curves["monthly_cost"] > 0].reset_index(drop=True)  # log axis
    curves["label"] = [money(float(x), s.currency) for x in curves["monthly_cost"]]
    curves["calls_label"] = [calls(float(x)) for x in curves["calls_per_month"]]
    even = []
    for a, b, v in bes:
        c = float(np.asarray(steady_monthly_cost(s, p, a, np.array([v])), dtype=float).ravel()[0])
        even.append({"a": a, "b": b, "calls_per_month": v, "monthly_cost": c,
                     "label": f"{d.label(a)} = {d.label(b)} at {calls(v)} a month"})
    return curves, pd.DataFrame(even, columns=["a", "b", "calls_per_month", "monthly_cost",
                                               "label"])


LABELLED = 2
"""At most this many run-rate break-evens carry a label (more would print over each other);
the others are dots with a tooltip."""


def labelled(d: Decision, even: pd.DataFrame) -> pd.DataFrame:
    """The break-evens worth a label: the one between the two options the decision is about
    (build and buy, else the two cheapest) first, then those involving either of them,
    nearest month 1's traffic first; at most :data:`LABELLED`."""
    if len(even) <= LABELLED:
        return even
    pair = {d.build, d.buy} if d.build and d.buy else set(d.ranking[:2])
    now = float(d.result.volume[0, 0]) or 1.0
    both = np.array([{a, b} == pair for a, b in zip(even["a"], even["b"], strict=True)])
    either = np.array([bool({a, b} & pair) for a, b in zip(even["a"], even["b"], strict=True)])
    far = np.abs(np.log(even["calls_per_month"].to_numpy(dtype=float) / now))
    order = np.lexsort((far, ~either, ~both))
    return even.iloc[order[:LABELLED]].reset_index(drop=True)


def volume_chart(d: Decision, chart_title: str = "Running cost against traffic") -> alt.LayerChart:
    """Steady monthly cost (live, month-1 prices, no build) over traffic, log-log: where one
    option becomes cheaper to RUN than another (run-rate break-even, marked); month 1's and
    the last month's traffic as reference lines. Payback traffic is in the headline."""
    r, cur, h = d.result, d.scenario.currency, d.horizon
    curves, even = volume_frame(d)
    vx, vy = curves["calls_per_month"], curves["monthly_cost"]
    lines = alt.Chart(curves).mark_line().encode(
        x=alt.X("calls_per_month:Q", scale=alt.Scale(type="log", nice=False),
                axis=calls_axis("Calls a month (log scale)", values=log_ticks(vx.min(), vx.max()))),
        y=alt.Y("monthly_cost:Q", scale=alt.Scale(type="log"),
                axis=money_axis(cur, "Monthly running cost (log scale)",
                                values=log_ticks(vy.min() / 2, vy.max() * 2))),
        color=series_color(labels_of(d), colors_of(d)),
        tooltip=[alt.Tooltip("option:N", title="Option"),
                 alt.Tooltip("calls_label:N", title="Calls a month"),
                 alt.Tooltip("label:N", title="Monthly cost")])
    refs = pd.DataFrame({"calls_per_month": [float(r.volume[0, 0]), float(r.volume[0, -1])],
                         "label": [f"month 1: {calls(float(r.volume[0, 0]))}",
                                   f"{month(h)}: {calls(float(r.volume[0, -1]))}"],
                         "ypix": [4, 20]})
    if h == 1 or np.isclose(refs["calls_per_month"][0], refs["calls_per_month"][1]):
        refs = refs.iloc[:1]
    ref = alt.Chart(refs).encode(x=alt.X("calls_per_month:Q"))
    layers: list[Any] = [
        ref.mark_rule(strokeDash=[4, 4], color=MUTED),
        ref.mark_text(align="left", baseline="top", dx=4, color="#555555").encode(
            y=alt.Y("ypix:Q", scale=None), text=alt.Text("label:N")),
        lines]
    if len(even):
        base = alt.Chart(even).encode(x=alt.X("calls_per_month:Q"), y=alt.Y("monthly_cost:Q"))
        # on the chart only the traffic (two option names do not fit beside a dot); the
        # dot's tooltip names the pair
        shown = labelled(d, even).assign(label=lambda f: [f"{calls(float(v))} a month"
                                                          for v in f["calls_per_month"]])
        layers += point_labels(shown, "calls_per_month", "monthly_cost",
                               (float(vx.min()), float(vx.max())), log=True)
        layers.append(base.mark_point(size=110, filled=True, color=INK, opacity=1).encode(
            tooltip=[alt.Tooltip("label:N", title="Run-rate break-even")]))
    sub = ["Cost to run once live at a steady traffic: run team, fixed, usage and errors; no "
           "setup or build.",
           "Dots: where one becomes cheaper to run than another"
           + (" (labelled: those of the options the decision is about)."
              if len(even) > LABELLED else ".")]
    return with_names(alt.layer(*layers), labels_of(d)).properties(
        title=title(chart_title, sub), width=WIDTH, height=HEIGHT)
