"""Altair chart of the decision map (no streamlit): which option is cheapest over the
horizon across two inputs, today's point and the payback boundary between building and
buying. Option colours and the theme are those of :mod:`calculator.charts`; options are
told apart by their place (``series``) and shown by their labels, as in the other charts.

>>> from calculator.model import decision_map, load_scenario
>>> dm = decision_map(load_scenario("scenarios/support-ticket-routing.yaml"), n=20)
>>> spec = decision_map_chart(dm).to_dict()
>>> [layer["mark"]["type"] for layer in spec["layer"]]
['rect', 'line', 'point', 'text', 'text']
>>> spec["layer"][0]["encoding"]["x"]["scale"]["type"]
'log'
>>> tick_values(2e5, 2e7)
[200000.0, 500000.0, 1000000.0, 2000000.0, 5000000.0, 10000000.0, 20000000.0]
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from ..model import DecisionMap, value
from .theme import HEIGHT, SERIES, WIDTH, kind_colors, label_expr, with_names

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def _edges(v: np.ndarray) -> np.ndarray:
    """Cell edges of a log-spaced axis: geometric midpoints, extended half a step out."""
    mid = np.sqrt(v[:-1] * v[1:])
    return np.concatenate([[v[0] ** 2 / mid[0]], mid, [v[-1] ** 2 / mid[-1]]])


def cells_frame(dm: DecisionMap) -> pd.DataFrame:
    """One rectangle per run of cells with the same cheapest option along each row (x_lo,
    x_hi, y_lo, y_hi, cheapest, its place ``series`` in ``dm.names`` and its ``label``): the
    same picture as one rectangle a cell, in far fewer rows (a 200 × 200 map stays under
    Altair's 5,000-row limit)."""
    nx, ny = len(dm.x_values), len(dm.y_values)
    xe, ye = _edges(dm.x_values), _edges(dm.y_values)
    best = dm.frame["cheapest"].to_numpy().reshape(ny, nx)
    starts = np.ones((ny, nx), dtype=bool)
    starts[:, 1:] = best[:, 1:] != best[:, :-1]
    j, i = np.nonzero(starts)                           # row-major: runs in order
    ends = np.append(i[1:], nx)
    ends[np.append(j[1:] != j[:-1], True)] = nx         # a run ends with its row
    cheapest = best[j, i]
    place = {n: k for k, n in enumerate(dm.names)}
    return pd.DataFrame({"x_lo": xe[i], "x_hi": xe[ends], "y_lo": ye[j], "y_hi": ye[j + 1],
                         "cheapest": cheapest, SERIES: [place[n] for n in cheapest],
                         "label": [dm.labels.get(n, n) for n in cheapest]})


def blocks_frame(dm: DecisionMap) -> pd.DataFrame:
    """The runs of :func:`cells_frame` merged up the rows: a run with the same ends and the
    same cheapest option as one in the row below extends it. The same picture in fewer
    rectangles, and none of the seams a renderer may leave between rows of a region.

    >>> from calculator.model import decision_map, load_scenario
    >>> dm = decision_map(load_scenario("scenarios/support-ticket-routing.yaml"), n=20)
    >>> len(blocks_frame(dm)) < len(cells_frame(dm))
    True
    """
    cells = cells_frame(dm)
    out: list[dict[str, object]] = []
    below: dict[tuple[float, float, int], int] = {}     # the previous row's runs -> block
    for _, row in cells.groupby("y_lo", sort=True):
        here = {}
        for run in row.itertuples(index=False):
            key = (run.x_lo, run.x_hi, getattr(run, SERIES))
            k = below.get(key)
            if k is not None and out[k]["y_hi"] == run.y_lo:
                out[k]["y_hi"] = run.y_hi
            else:
                k = len(out)
                out.append(run._asdict())
            here[key] = k
        below = here
    return pd.DataFrame(out, columns=cells.columns)


def tick_values(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks inside [lo, hi] for a log axis (at least two)."""
    out = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)) - 1,
                                        math.ceil(math.log10(hi)) + 1) for m in (1, 2, 5)]
    out = [float(f"{v:.12g}") for v in out if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)]
    if len(out) < 2:
        out = [float(f"{v:.2g}") for v in np.geomspace(lo, hi, 4)]
    return out


def _axis(title: str, kind: str, currency: str, lo: float, hi: float) -> alt.Axis:
    """$1.2M / 1.2M / 0.0015 / 40% labels: never a raw float like 2.58e+16."""
    title = title[0].upper() + title[1:]
    if kind == "share":
        expr = "format(datum.value, '.2~%')"
    elif kind in ("months", "month", "count"):
        expr = "format(datum.value, ',.0f')"
    else:
        sym = _SYMBOLS.get(currency.upper(), "") if kind == "money" else ""
        if kind == "money" and not sym:
            title = f"{title} ({currency})"
        expr = (f"'{sym}' + (datum.value >= 1000 ? replace(format(datum.value, '.2~s'), "
                "'G', 'B') : format(datum.value, '.2~r'))")
    return alt.Axis(title=title, labelExpr=expr, values=tick_values(lo, hi), grid=False)


def decision_map_chart(dm: DecisionMap, title: str | None = None) -> alt.LayerChart:
    """Cells coloured by the cheapest option (log axes), the build/buy boundary dashed and
    today's scenario marked and labelled."""
    cells = blocks_frame(dm)
    xlo, xhi = float(cells["x_lo"].min()), float(cells["x_hi"].max())
    ylo, yhi = float(cells["y_lo"].min()), float(cells["y_hi"].max())
    xscale = alt.Scale(type="log", domain=[xlo, xhi], nice=False)
    yscale = alt.Scale(type="log", domain=[ylo, yhi], nice=False)
    colors = kind_colors(dm.kinds)
    labels = [dm.labels.get(n, n) for n in dm.names]
    # the legend lists the options cheapest somewhere on the map (by id, shown by label)
    ids = sorted(set(cells[SERIES]))
    scale = alt.Scale(domain=ids, range=[colors[dm.names[i]] for i in ids])
    color = alt.Color(f"{SERIES}:N", title=f"Cheapest over {dm.horizon_months} months",
                      sort=ids, scale=scale, legend=alt.Legend(labelExpr=label_expr()))
    x = alt.X("x_lo:Q", scale=xscale, axis=_axis(dm.x_label, dm.x_unit, dm.currency, xlo, xhi))
    y = alt.Y("y_lo:Q", scale=yscale, axis=_axis(dm.y_label, dm.y_unit, dm.currency, ylo, yhi))
    # opaque, with a stroke in the fill's colour: no hairline gaps, no darker seams where
    # neighbouring cells overlap
    rect = alt.Chart(cells).mark_rect(opacity=1, strokeWidth=0.5).encode(
        x=x, x2=alt.X2("x_hi:Q"), y=y, y2=alt.Y2("y_hi:Q"), color=color,
        stroke=alt.Stroke(f"{SERIES}:N", scale=scale, legend=None),
        tooltip=[alt.Tooltip("label:N", title="Cheapest")])
    edge = dm.boundary[(dm.boundary["x"] >= xlo) & (dm.boundary["x"] <= xhi)].copy()
    line = alt.Chart(edge.assign(name="build = buy")).mark_line(
        color="#222222", strokeDash=[6, 3], strokeWidth=2, point=False).encode(
        x=alt.X("x:Q", scale=xscale), y=alt.Y("y:Q", scale=yscale), order=alt.Order("x:Q"),
        tooltip=[alt.Tooltip("name:N", title="Boundary")])
    today = pd.DataFrame([{
        "x": dm.today["x"], "y": dm.today["y"],
        "text": f"today: {dm.labels.get(dm.today['cheapest'], dm.today['cheapest'])}",
        "where": f"{value(dm.x_unit, dm.today['x'], dm.currency)}, "
                 f"{value(dm.y_unit, dm.today['y'], dm.currency)}"}])
    point = alt.Chart(today).mark_point(shape="diamond", filled=True, size=140, color="#000000",
                                        stroke="#FFFFFF", strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=xscale), y=alt.Y("y:Q", scale=yscale),
        tooltip=[alt.Tooltip("text:N", title="Today"), alt.Tooltip("where:N", title="At")])
    share = (math.log(dm.today["x"] / xlo) / math.log(xhi / xlo)) if xhi > xlo else 0.0
    align, dx = ("right", -10) if share > 0.6 else ("left", 10)
    base = alt.Chart(today).encode(x=alt.X("x:Q", scale=xscale), y=alt.Y("y:Q", scale=yscale),
                                   text=alt.Text("text:N"))
    texts = [base.mark_text(align=align, dx=dx, dy=-10, fontWeight=600, color="#000000",
                             **extra)
              for extra in ({"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}, {})]
    basis = "present value" if dm.basis == "present_value" else "total cost"
    subtitle = (f"Ranked by {basis} over {dm.horizon_months} months. "
                + ("Dashed: where building and buying cost the same." if len(edge) else
                   "Building and buying do not swap places on this map."))
    return with_names(alt.layer(rect, line, point, *texts), labels).properties(
        width=WIDTH, height=HEIGHT,
        title=alt.TitleParams(title or f"Cheapest option by {dm.x_label} and {dm.y_label}",
                              subtitle=subtitle))
