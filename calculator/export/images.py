"""Static charts for decks: the app's Altair charts as 16:9 PNG and SVG, rendered offline.

A deck chart is the screen chart (same builder, same registered theme from
:mod:`calculator.charts`, never Streamlit's theme) wrapped in a one-chart vertical
concatenation so it can carry three texts: the chart's title, a subtitle with the key
assumptions (traffic, growth, horizon, discounting) above the chart's own subtitle, and a
footnote with ``prices_as_of`` and the scenario name (the inner chart's title, set at the
bottom). Its plot is then sized so that the whole image is exactly ``width`` x ``height``
CSS pixels (16:9 by default), and the PNG is rendered at ``scale`` (2 by default, so
960 x 540 gives 1920 x 1080). The title, subtitle and footnote are also written into the
PNG as iTXt text chunks, so the file names itself in an image library.

``vl-convert`` renders with no network (external data URLs are refused), in a worker
process (:mod:`.render`): a chart it cannot draw raises :class:`~.render.RenderError`
instead of ending the caller. Text it would choke on (characters XML 1.0 forbids, such as
control characters) is shown escaped, so such a name still gives a chart.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from typing import Any

import altair as alt

from .. import charts
from ..charts import risk as charts_risk
from ..model import Result, ranged_fields, risk
from . import render
from .facts import decision_pair, uncertain
from .sources import assumption_line, footnote

WIDTH, HEIGHT, SCALE = 960, 540, 2
VL_VERSION = render.VL_VERSION
_FOOTNOTE = {"orient": "bottom", "anchor": "start", "fontSize": 11, "fontWeight": "normal",
             "color": "#666666", "offset": 16, "subtitle": ""}
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')
# What XML 1.0 allows in text; vl-convert aborts on anything else (a surrogate cannot even
# be sent to it).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

CHARTS: dict[str, Callable[[Result], Any]] = {
    "cumulative": charts.cumulative_chart,
    "breakdown": charts.breakdown_chart,
    "cost-per-1k": charts.cost_per_1k_chart,
    "volume": charts.volume_chart,
}
"""The charts of the app's plain report, by the name their files get (the risk view's
come from :func:`risk_charts`)."""


def _title_of(spec: dict[str, Any]) -> tuple[str, list[str]]:
    t = spec.get("title")
    if isinstance(t, dict):
        sub = t.get("subtitle") or []
        return str(t.get("text", "")), [sub] if isinstance(sub, str) else list(sub)
    return (str(t) if t else ""), []


def deck_spec(chart: Any, r: Result, width: int = WIDTH, height: int = HEIGHT,
              title: str | None = None) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart`` as a titled, footnoted, themed deck image of exactly
    ``width`` x ``height`` CSS pixels."""
    with alt.theme.enable(charts.register_theme()):   # the app's theme, not Streamlit's
        inner = chart.to_dict()
    text, sub = _title_of(inner)
    s = r.scenario
    # parameters (the names a chart's ids stand for) belong to the top level
    spec: dict[str, Any] = {k: inner.pop(k) for k in ("$schema", "config", "datasets",
                                                      "background", "padding", "params")
                            if k in inner}
    inner["title"] = {"text": footnote(s), **_FOOTNOTE}
    spec["vconcat"] = [inner]
    # the legend stays with the chart, so the footnote can sit below it
    spec["resolve"] = {"legend": {"color": "independent"}}
    spec["title"] = {"text": title or text or s.name, "subtitle": [assumption_line(s), *sub],
                     "anchor": "start"}
    spec["padding"] = {"left": 12, "right": 12, "top": 12, "bottom": 12}
    spec = _drawable(spec)
    _fit(spec, width, height)
    return spec


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _drawable(node: Any) -> Any:
    """``node`` with every character vl-convert cannot draw written as a visible escape
    (ESC as ``\\x1b``), in keys and values alike so that data and scales still match."""
    if isinstance(node, str):
        return _NOT_XML.sub(_escape, node)
    if isinstance(node, dict):
        return {_drawable(k): _drawable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_drawable(v) for v in node]
    return node


def _view(spec: dict[str, Any]) -> dict[str, Any]:
    inner = spec["vconcat"][0]
    return inner["spec"] if "facet" in inner else inner


def _measure(spec: dict[str, Any]) -> tuple[float, float]:
    svg = render.svg(spec)
    m = _SIZE.search(svg)
    if m is None:  # pragma: no cover - vl-convert always writes both
        raise ValueError("rendered SVG has no size")
    return float(m.group(1)), float(m.group(2))


def _fit(spec: dict[str, Any], width: int, height: int) -> None:
    """Size the plot so the image is width x height: image size is affine in plot size, so
    two renders give the slope; whatever is left over goes into the padding."""
    view = _view(spec)
    w0, h0 = float(view.get("width", charts.WIDTH)), float(view.get("height", charts.HEIGHT))
    big0 = _measure(spec)
    view["width"], view["height"] = w0 + 100, h0 + 100
    big1 = _measure(spec)
    slope = [max((b1 - b0) / 100.0, 0.5) for b0, b1 in zip(big0, big1, strict=True)]
    target = (width, height)
    size = [max(60.0, (w0, h0)[k] + (target[k] - big0[k]) / slope[k]) for k in (0, 1)]
    for _ in range(4):
        view["width"], view["height"] = int(size[0]), int(size[1])
        got = _measure(spec)
        over = [got[k] - target[k] for k in (0, 1)]
        if max(over) <= 0:
            break
        size = [max(60.0, size[k] - max(0.0, over[k]) / slope[k] - 1) for k in (0, 1)]
    spare = [max(0, int(target[k] - got[k])) for k in (0, 1)]
    pad = spec["padding"]
    pad["left"] += spare[0] // 2
    pad["right"] += spare[0] - spare[0] // 2
    pad["bottom"] += spare[1]


def spec_svg(spec: dict[str, Any]) -> bytes:
    """The spec as SVG; :class:`~.render.RenderError` when it cannot be drawn."""
    return render.svg(spec).encode("utf-8")


def spec_png(spec: dict[str, Any], scale: float = SCALE) -> bytes:
    """The spec as PNG with its texts as iTXt chunks; :class:`~.render.RenderError` when
    it cannot be drawn."""
    png = render.png(spec, scale)
    text, sub = _title_of(spec)
    foot = spec["vconcat"][0]["title"]["text"]
    return png_with_text(png, {"Title": text, "Description": " / ".join(sub),
                               "Comment": foot, "Software": "build-vs-buy calculator"})


def chart_svg(chart: Any, r: Result, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    return spec_svg(deck_spec(chart, r, width, height))


def chart_png(chart: Any, r: Result, width: int = WIDTH, height: int = HEIGHT,
              scale: float = SCALE) -> bytes:
    return spec_png(deck_spec(chart, r, width, height), scale)


def risk_charts(r: Result, rep: dict[str, Any] | None = None) -> dict[str, Any]:
    """The risk view's charts, by file name: the spread of cumulative cost, the chance of
    being cheaper and the tornado for the pair the decision is about (only when there are
    ranges or a build may fail), and the start-month sweep of every option with an interim.
    ``rep`` is :func:`calculator.model.risk.simulate_report` of the scenario, when at hand."""
    s = r.scenario
    with_interim = [n for n in r.names if getattr(s.active[n], "interim", None) is not None]
    if not (uncertain(r) or with_interim):
        return {}
    rep = rep or risk.simulate_report(s)
    out: dict[str, Any] = {}
    if uncertain(r):
        out["risk-spread"] = charts_risk.fan_chart(rep)
        a, b = decision_pair(r)
        if a != b:
            out["risk-chance-cheaper"] = charts_risk.p_cheaper_chart(rep, a, b)
            if not charts_risk.tornado_frame(rep, a, b, "gap").empty:
                out["risk-tornado"] = charts_risk.tornado_chart(rep, a, b, "gap")
    for name in with_interim:
        out[f"timing-{name}"] = charts_risk.timing_chart(rep, name)
    return out


def chart_names(r: Result) -> list[str]:
    """The names :func:`all_charts` gives, without building any chart or running the risk
    view (the app lists its download buttons with it on every rerun)."""
    s = r.scenario
    names = list(CHARTS)
    if uncertain(r):
        names.append("risk-spread")
        a, b = decision_pair(r)
        if a != b:
            names.append("risk-chance-cheaper")
            if any(not p.endswith(".success_probability") for p in ranged_fields(s)):
                names.append("risk-tornado")
    return names + [f"timing-{n}" for n in r.names
                    if getattr(s.active[n], "interim", None) is not None]


def chart_by_name(r: Result, name: str) -> Any:
    """One chart of :func:`chart_names`, built on demand."""
    if name in CHARTS:
        return CHARTS[name](r)
    found = risk_charts(r).get(name)
    if found is None:   # e.g. a tornado where no ranged input moves the result
        return (alt.Chart(alt.Data(values=[{"t": "No ranged input moves this result."}]))
                .mark_text(size=16).encode(text="t:N").properties(title=name))
    return found


def all_charts(r: Result) -> dict[str, Any]:
    """Every chart the app shows for this scenario, by the name its files get."""
    return {name: build(r) for name, build in CHARTS.items()} | risk_charts(r)


def chart_images(r: Result, kinds: tuple[str, ...] = ("png", "svg"),
                 width: int = WIDTH, height: int = HEIGHT) -> dict[str, bytes]:
    """``{"cumulative.png": ..., "cumulative.svg": ...}`` for every chart of the app; a
    :class:`~.render.RenderError` names the chart it failed on."""
    out = {}
    for name, chart in all_charts(r).items():
        try:
            spec = deck_spec(chart, r, width, height)
            if "png" in kinds:
                out[f"{name}.png"] = spec_png(spec)
            if "svg" in kinds:
                out[f"{name}.svg"] = spec_svg(spec)
        except render.RenderError as exc:
            raise render.RenderError(f"the {name} chart: {exc}") from exc
    return out


# -- PNG text chunks ------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_with_text(png: bytes, texts: dict[str, str]) -> bytes:
    """``png`` with one UTF-8 iTXt chunk per text, right after the header chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4     # signature + IHDR chunk
    extra = b"".join(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0"
                            + value.encode("utf-8"))
                     for key, value in texts.items() if value)
    return png[:end] + extra + png[end:]


def png_text(png: bytes) -> dict[str, str]:
    """The iTXt and tEXt chunks of a PNG (for tests and checks)."""
    out, pos = {}, 8
    while pos < len(png):
        n = struct.unpack(">I", png[pos:pos + 4])[0]
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + n]
        if kind == b"iTXt":
            key, rest = data.split(b"\0", 1)
            value = rest[2:].split(b"\0", 2)[2]
            out[key.decode("latin-1")] = value.decode("utf-8")
        elif kind == b"tEXt":
            key, value = data.split(b"\0", 1)
            out[key.decode("latin-1")] = value.decode("latin-1")
        pos += 12 + n
    return out


def png_size(png: bytes) -> tuple[int, int]:
    w, h = struct.unpack(">II", png[16:24])
    return w, h
