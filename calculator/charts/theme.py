"""The one chart theme, the colours, the axes and the ids charts use (no streamlit here).

Colours are fixed per option KIND, so an in-house model is the same green in every
scenario, on screen and in every export; a second option of the same kind gets a darker
shade of that hue, a third a lighter one (Okabe & Ito's colour-blind-safe hues).

Vega tells options apart by a safe id (their place, column ``series``), never by name: it
looks text up in plain JavaScript objects, so an expression holding the literal
"constructor" or "toString" fails to parse and a "__proto__" key is no key. Names reach
people through labels looked up by id in a parameter that holds them as data
(:func:`with_names`), and through tooltips and text marks.

>>> kind_colors({"rules": "rules", "llm": "genai_api", "llm2": "genai_api", "m": "in_house"})
{'rules': '#E69F00', 'llm': '#0072B2', 'llm2': '#004F7C', 'm': '#009E73'}
"""

from __future__ import annotations

import copy
import math
from contextvars import ContextVar
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..model import symbol

THEME = "buildvsbuy"
FONT = "'Source Sans', 'Source Sans 3', 'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, sans-serif"
"""Streamlit's screen font ("Source Sans", its web font) first; the exports draw with the same
family, bundled as Source Sans 3 in calculator/export/fonts/ and registered with the renderer.
Names are quoted: the renderer's CSS parser drops a list holding "Source Sans 3" bare (a word
starting with a digit), and then draws no text at all."""
WIDTH, HEIGHT = 680, 480
"""Default chart size: the charts that decide are 480 px tall on screen (the app fits the
whole chart, title and legend included, into that height, so the plot itself is about
PLOT_MIN high there; an export keeps the full height for the plot)."""
PLOT_MIN = HEIGHT - 170

KIND_COLORS = {
    "rules": ("#E69F00", "#A66F00", "#F3C55E"),
    "vendor_api": ("#56B4E9", "#2780B8", "#A6D8F5"),
    "genai_api": ("#0072B2", "#004F7C", "#5CA3D6"),
    "in_house": ("#009E73", "#006B4E", "#5CC7A6"),
    "hybrid": ("#CC79A7", "#974F7A", "#E5AFCD"),
}
"""Each kind's hue (Okabe-Ito), then a darker and a lighter shade for more of that kind."""
COMPONENT_COLORS = {"setup": "#CC79A7", "labelling": "#F0E442", "build": "#D55E00",
                    "interim": "#56B4E9", "run_team": "#E69F00", "fixed": "#000000",
                    "usage": "#0072B2", "retraining": "#009E73", "errors": "#B8B8B8",
                    # a hybrid's two parts: Paul Tol's indigo and cyan, apart from the rest
                    "primary": "#332288", "fallback": "#88CCEE"}
BREAKDOWN_NOTE = "Undiscounted cost each month, by what it pays for; grey is the cost of errors."
"""What the monthly-cost-by-component chart shows, on screen, in images and in the deck."""
GOOD, BAD, INK, MUTED = "#009E73", "#D55E00", "#222222", "#888888"


def _theme() -> dict[str, Any]:
    axis = {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
            "titleColor": "#444444", "labelColor": "#444444", "gridColor": "#EBEBEB",
            "domainColor": MUTED, "tickColor": MUTED}
    return {
        "background": "white",
        "padding": {"left": 8, "right": 8, "top": 8, "bottom": 8},
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
            "axis": axis,
            "axisX": {"grid": False},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom",
                       "direction": "horizontal", "titleFontWeight": "normal",
                       "labelLimit": 260, "symbolStrokeWidth": 3},
            "title": {"fontSize": 16, "fontWeight": 600, "anchor": "start", "color": INK,
                      "subtitleFontSize": 12, "subtitleColor": "#666666", "offset": 10},
            "header": {"labelFontSize": 13, "labelFontWeight": 600, "titleFontSize": 13},
            "line": {"strokeWidth": 2.5},
            "text": {"fontSize": 12},
        },
    }


def register_theme() -> str:
    """Register and enable the shared theme and data path (idempotent and cheap: Altair
    rescans its plugins when asked for its themes, so that is done once); returns its
    name."""
    if alt.theme.active != THEME:
        if THEME not in alt.theme.names():
            alt.theme.register(THEME, enable=False)(_theme)
        alt.theme.enable(THEME)
    if alt.data_transformers.active != THEME:
        if THEME not in alt.data_transformers.names():
            alt.data_transformers.register(THEME, _frame_data)
        alt.data_transformers.enable(THEME)
    return THEME


# -- data: from a frame to Vega-Lite's rows, once per frame -----------------------------------

_datasets: ContextVar[dict[Any, Any] | None] = ContextVar("chart_datasets", default=None)
"""The datasets of the :func:`to_spec` being made in this thread (None outside one)."""


def records(df: pd.DataFrame) -> list[dict[str, Any]] | None:
    """``df``'s rows as JSON-safe dicts, as Altair's default data path writes them (NaN and
    infinities as null, numpy numbers as Python's), column by column from numpy instead of
    cell by cell through pandas. None for a column type charts here do not use (dates,
    categories, nullable types): Altair's own path handles those.

    >>> records(pd.DataFrame({"m": [1, 2], "x": [0.5, float("nan")], "n": ["a", None]}))
    [{'m': 1, 'x': 0.5, 'n': 'a'}, {'m': 2, 'x': None, 'n': None}]
    """
    cols = []
    for name in df.columns:
        a = df[name].to_numpy()
        kind = a.dtype.kind
        if kind in "fiub":
            values = _numbers(a)
        elif kind == "O" and str(df[name].dtype) in ("object", "str", "string"):
            values = [_cell(v) for v in a.tolist()]
            if any(v is _UNKNOWN for v in values):
                return None
        else:
            return None
        cols.append(values)
    keys = [str(c) for c in df.columns]
    return [dict(zip(keys, row, strict=True)) for row in zip(*cols, strict=True)]


def column_records(columns: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows as :func:`records` writes them, from columns of numbers (numpy arrays) or of
    text (lists of str): for a chart drawn on every input change, without a DataFrame."""
    cols = [_numbers(v) if isinstance(v, np.ndarray) else list(v) for v in columns.values()]
    keys = [str(k) for k in columns]
    return [dict(zip(keys, row, strict=True)) for row in zip(*cols, strict=True)]


def _numbers(a: np.ndarray) -> list[Any]:
    """A column of numbers as Python's, NaN and infinities as None (JSON has neither)."""
    if a.dtype.kind != "f":
        return a.tolist()
    ok = np.isfinite(a)
    return a.tolist() if ok.all() else [
        x if good else None for x, good in zip(a.tolist(), ok.tolist(), strict=True)]


_UNKNOWN = object()


def _cell(v: Any) -> Any:
    """One cell of a text (or mixed) column: text, a number, or None for a missing one
    (None, NaN, an infinity: Altair's own path leaves NaN there, which is not JSON)."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    return _UNKNOWN


def _frame_data(data: Any) -> dict[str, Any]:
    """The data transformer: a frame's rows once (see :func:`to_spec`), or inline values
    when a chart is turned into a dict some other way (Altair then names them by a hash)."""
    rows = records(data) if isinstance(data, pd.DataFrame) else None
    if rows is None:
        return alt.default_data_transformer(data, max_rows=None)
    found = _datasets.get()
    if found is None:
        return {"values": rows}
    name = found.get(id(data))
    if name is None:     # the same frame in several layers is one dataset
        name = f"{THEME}-{len(found)}"
        found[id(data)], found[name] = name, rows
    return {"name": name}


def to_spec(chart: Any, shared: bool = False) -> dict[str, Any]:
    """``chart``'s Vega-Lite spec, unvalidated, each frame's rows once in ``datasets``.

    Altair's own path sanitises each layer's frame through pandas, hashes its JSON to name
    it and deep-copies the rows with the spec: two thirds of drawing a chart on screen.
    Here each frame is turned into rows once (:func:`records`) and named by its place. A
    :class:`Spec` is already one: a deep copy of it, or with ``shared`` (a Spec built for
    this one call, read and dropped) a copy of its top level only, its rows and layers
    shared (the deep copy was a twentieth of drawing the chart)."""
    if isinstance(chart, Spec):
        return dict(chart) if shared else chart.to_dict()
    found: dict[Any, Any] = {}
    token = _datasets.set(found)
    try:
        out = chart.to_dict(validate=False)
    finally:
        _datasets.reset(token)
    named = {k: v for k, v in found.items() if isinstance(k, str)}
    if named:
        out["datasets"] = {**out.get("datasets", {}), **named}
    return out


def kind_colors(kinds: dict[str, str]) -> dict[str, str]:
    """Colour of every option (pass every option of the file, name -> kind, in file order):
    the kind's hue, then its shades for a second and third option of that kind."""
    seen: dict[str, int] = {}
    out = {}
    for name, kind in kinds.items():
        k = seen.get(kind, 0)
        shades = KIND_COLORS.get(kind, KIND_COLORS["rules"])
        out[name] = shades[k % len(shades)]
        seen[kind] = k + 1
    return out


SERIES = "series"
NAMES = "option_names"


def label_expr(param: str = NAMES) -> str:
    """A legend/axis/header label: the name at the id's place in ``param``'s list."""
    return f"{param}[datum.value]"


def with_names(chart: Any, names: list[str], param: str = NAMES) -> Any:
    """``chart`` with ``param``: the ``names`` its ids stand for, as data (never parsed)."""
    return chart.add_params(alt.param(name=param, value=list(names)))


LEGEND_ROW_PX = 600
"""The width a legend row may take: a chart is about 740 px wide at a 1280 px screen."""


def legend_columns(labels: list[str], room: float = LEGEND_ROW_PX) -> int | None:
    """Entries a legend row holds so the longest names still fit (None: all in one row).
    Vega neither wraps a horizontal legend nor measures text before drawing, so the
    width of each entry is estimated: 6.5 px a character at 12 px, plus the symbol and
    the gap. A column is as wide as its widest entry.

    >>> legend_columns(["Rules", "LLM", "In-house"])
    >>> legend_columns(["Keyword rules", "LLM (Claude Haiku 4.5)",
    ...                 "In-house classifier (all tickets)", "Classifier + LLM for the unsure",
    ...                 "Classifier + staff for the unsure"])
    2
    """
    entry = [len(x) * 6.5 + 34 for x in labels]
    if sum(entry) <= room:
        return None
    for n in range(len(labels) - 1, 1, -1):
        if sum(max(entry[i::n]) for i in range(n)) <= room:
            return n
    return 1


def series_color(labels: list[str], colors: list[str], title: str | None = "Option",
                 legend: bool = True) -> alt.Color:
    """Colour by id (``series``: the place in ``labels``), legend labelled with the labels,
    in as many rows as the names need (:func:`legend_columns`)."""
    ids = list(range(len(labels)))
    columns = legend_columns(labels)
    wrap = {} if columns is None else {"columns": columns, "rowPadding": 4}
    return alt.Color(f"{SERIES}:N", title=title, sort=ids,
                     scale=alt.Scale(domain=ids, range=list(colors)),
                     legend=alt.Legend(labelExpr=label_expr(), **wrap) if legend else None)


def money_axis_spec(currency: str, title: str, **extra: Any) -> dict[str, Any]:
    """Axis labels like $1.2M / $350k / $0.05 / -$40k. Only a known symbol enters the
    expression; any other currency code goes into the axis title, which Vega draws as text."""
    sym = symbol(currency)
    if not sym:
        title = f"{title} ({currency})"
    big = "replace(format(abs(datum.value), '.3~s'), 'G', 'B')"
    small = "format(abs(datum.value), '.3~r')"
    expr = (f"(datum.value < 0 ? '-' : '') + '{sym}' + "
            f"(abs(datum.value) >= 1000 ? {big} : {small})")
    return {"title": title, "labelExpr": expr, **extra}


def money_axis(currency: str, title: str, **extra: Any) -> alt.Axis:
    return alt.Axis(**money_axis_spec(currency, title, **extra))


def calls_axis(title: str, **extra: Any) -> alt.Axis:
    return alt.Axis(title=title, labelExpr="replace(format(datum.value, '.2~s'), 'G', 'B')",
                    **extra)


def month_x_spec(h: int, field: str = "month", title: str = "Month") -> dict[str, Any]:
    """The months axis: 1 … h, ticks at whole months a step apart (:func:`month_ticks`)."""
    return {"field": field, "type": "quantitative", "title": title,
            "scale": {"domain": [1, h], "nice": False},
            "axis": {"tickMinStep": 1, "format": "d", "values": month_ticks(h)}}


def month_x(h: int, field: str = "month", title: str = "Month") -> alt.X:
    return alt.X(**month_x_spec(h, field, title))


def month_ticks(h: int) -> list[int]:
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if h / s <= 12)
    return [m for m in range(1, h + 1) if m == 1 or m % step == 0]


def log_ticks(lo: float, hi: float) -> list[float]:
    """1, 10, 100 ... and, when the span is short, 3, 30, 300 ... between lo and hi."""
    first, last = int(np.floor(np.log10(max(lo, 1e-12)))), int(np.ceil(np.log10(hi)))
    steps = (1, 3) if last - first <= 5 else (1,)
    return [m * 10.0**k for k in range(first, last + 1) for m in steps if lo <= m * 10.0**k <= hi]


def title(text: str, subtitle: str | list[str] | None = None) -> alt.Title:
    return alt.Title(text, subtitle=subtitle) if subtitle else alt.Title(text)


# -- specs written as dicts ----------------------------------------------------------------------

class Spec(dict):  # type: ignore[type-arg]
    """A finished Vega-Lite spec (theme, data and all), written as a dict for a chart drawn
    on every input change: Altair's objects cost 20-50 ms a chart to build and turn into a
    dict, the dict a millisecond. It reads like an Altair chart where the app and the
    exports need one (:meth:`to_dict`, :func:`to_spec`)."""

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return copy.deepcopy(dict(self))


def quant(field: str, **extra: Any) -> dict[str, Any]:
    """A quantitative channel."""
    return {"field": field, "type": "quantitative", **extra}


def nom(field: str, **extra: Any) -> dict[str, Any]:
    """A nominal channel."""
    return {"field": field, "type": "nominal", **extra}


def layer_spec(data: str, mark: dict[str, Any], **encoding: Any) -> dict[str, Any]:
    """One layer reading the dataset ``data``."""
    return {"data": {"name": data}, "mark": mark, "encoding": encoding}


def finished(spec: dict[str, Any], datasets: dict[str, Any]) -> Spec:
    """``spec`` as Altair writes a top-level chart: the theme under it, the schema and the
    datasets (each a frame's rows, :func:`records`) beside it."""
    out = _theme()
    for key, value in spec.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    out["$schema"] = alt.SCHEMA_URL
    out["datasets"] = datasets
    return Spec(out)


def spread(values: list[float], gap: float) -> list[float]:
    """Positions as close to ``values`` as they can be with at least ``gap`` between
    neighbours (label placement without overlaps; order kept).

    >>> spread([10, 11, 30], 5)
    [8.0, 13.0, 30.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [float(values[i]) for i in order]
    for _ in range(50):                        # push apart, then re-centre each cluster
        moved = False
        for k in range(1, len(pos)):
            if pos[k] - pos[k - 1] < gap - 1e-9:
                mid = (pos[k] + pos[k - 1]) / 2
                pos[k - 1], pos[k] = mid - gap / 2, mid + gap / 2
                moved = True
        if not moved:
            break
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def point_labels(df: pd.DataFrame, x: str, y: str, span: tuple[float, float],
                 log: bool = False, below: bool = False) -> list[alt.Chart]:
    """Labels next to marked points: right of a dot in the left part of the chart, left of
    it in the right part (so none runs off); above, or below when a neighbour is close
    (``below``: the first below, for a minimum, where no line runs under the dot); on a
    white halo so no line crosses the text."""
    df = df.sort_values(x).reset_index(drop=True)
    pos = np.log(df[x].to_numpy()) if log else df[x].to_numpy(dtype=float)
    lo, hi = (np.log(span[0]), np.log(span[1])) if log else span
    share = (pos - lo) / max(hi - lo, 1e-12)
    align = np.where(share < 0.6, "left", "right")
    df["align"] = align
    dy = [16 if below else -14]
    for i in range(1, len(df)):
        near = abs(share[i] - share[i - 1]) < 0.3
        dy.append(16 if near and dy[-1] < 0 else -14)
    df["dy"] = dy[: len(df)]
    out = []
    for (al, d), group in df.groupby(["align", "dy"]):
        dx = 8 if al == "left" else -8
        base = alt.Chart(group).encode(x=alt.X(f"{x}:Q"), y=alt.Y(f"{y}:Q"),
                                       text=alt.Text("label:N"))
        for extra in ({"stroke": "white", "strokeWidth": 5, "strokeJoin": "round"}, {}):
            out.append(base.mark_text(align=al, dx=dx, dy=int(d), color=INK, fontWeight=600,
                                      **extra))
    return out
