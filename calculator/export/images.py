"""Static charts for decks: the app's Altair charts as 16:9 PNG and SVG, rendered offline.

A deck chart is the screen chart (same builder, same registered theme from
:mod:`calculator.charts`, never Streamlit's theme) with three texts: the chart's title, a
subtitle with the key assumptions (traffic, growth, horizon, discounting) above the
chart's own subtitle, and a footnote with ``prices_as_of`` and the scenario name below the
plot. The image is exactly ``width`` x ``height`` CSS pixels (16:9 by default) and the PNG
is drawn at ``scale`` (2 by default, so 960 x 540 gives 1920 x 1080). The title, subtitle
and footnote are also written into the PNG as iTXt text chunks, so the file names itself
in an image library.

Sizing costs one render. A single or layered chart is laid out by Vega itself
(``autosize: fit``: the plot takes whatever the texts, axes and legend leave of the
image; the footnote is a text mark under the x axis, which the fit counts). A faceted
chart cannot be fitted that way: it is drawn once at its own size, and since the image
grows by one panel's width per column (and height per row), the panel size that fills
the image follows from that one measurement, which is kept per chart so drawing it again
costs one render. Whatever a few pixels of text still change is absorbed by the SVG's
view box (a margin, or a scale within a percent or so), so every image has its exact size.
The PNG is rastered from that SVG, without running Vega again.

``vl-convert`` renders with no network (external data URLs are refused), in worker
processes (:mod:`.render`): a chart it cannot draw raises :class:`~.render.RenderError`
instead of ending the caller. Text it would choke on (characters XML 1.0 forbids, such as
control characters) is shown escaped, so such a name still gives a chart.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import struct
import zlib
from collections import OrderedDict
from typing import Any

import altair as alt

from .. import charts
from ..model import Decision
from . import render
from .sources import assumption_line, footnote

WIDTH, HEIGHT, SCALE = 960, 540, 2
VL_VERSION = render.VL_VERSION
FOOT_GAP = 44
"""Pixels from the bottom of the plot to the footnote: under the x axis's labels and title."""
_FOOTNOTE = {"orient": "bottom", "anchor": "start", "fontSize": 11, "fontWeight": "normal",
             "color": "#666666", "offset": 16, "subtitle": ""}
_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')
# What XML 1.0 allows in text; vl-convert refuses anything else (1.x aborted; a surrogate
# cannot even be sent to it).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MEASURED: OrderedDict[str, tuple[float, float, float, float]] = OrderedDict()


def _title_of(spec: dict[str, Any]) -> tuple[str, list[str]]:
    t = spec.get("title")
    if isinstance(t, dict):
        sub = t.get("subtitle") or []
        return str(t.get("text", "")), [sub] if isinstance(sub, str) else list(sub)
    return (str(t) if t else ""), []


def deck_spec(chart: Any, d: Decision, width: int = WIDTH, height: int = HEIGHT,
              title: str | None = None) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart`` as a titled, footnoted, themed deck image of exactly
    ``width`` x ``height`` CSS pixels (sized when it is drawn: :func:`spec_svg`)."""
    with alt.theme.enable(charts.register_theme()):   # the app's theme, not Streamlit's
        inner = charts.to_spec(chart)
    text, sub = _title_of(inner)
    s = d.scenario
    head = {"text": title or text or s.name, "subtitle": [assumption_line(s), *sub],
            "anchor": "start", "frame": "bounds"}
    note = footnote(s)
    if "facet" in inner or any(k in inner for k in ("vconcat", "hconcat", "concat")):
        spec = _wrapped(inner, head, note)
    else:
        spec = _fitted(inner, head, note, width, height)
    spec["usermeta"] = {"width": width, "height": height, "footnote": note}
    return _drawable(spec)


def _fitted(inner: dict[str, Any], head: dict[str, Any], note: str, width: int,
            height: int) -> dict[str, Any]:
    """A single or layered chart laid out by Vega to fill the image, footnote included."""
    for k in ("title", "width", "height", "autosize"):
        inner.pop(k, None)
    if "layer" in inner:
        spec = inner
        shared = {k: spec.pop(k) for k in ("encoding", "transform") if k in spec}
        layers = [{"layer": spec.pop("layer"), **shared}] if shared else spec.pop("layer")
    else:
        top = ("$schema", "config", "datasets", "background", "padding", "params")
        spec = {k: inner.pop(k) for k in top if k in inner}
        layers = [inner]
    foot = {"data": {"values": [{}]}, "mark": {
        "type": "text", "text": note, "x": 0, "y": {"expr": f"height + {FOOT_GAP}"},
        "align": "left", "baseline": "top", "fontSize": 11, "color": "#666666"}}
    spec["layer"] = [*layers, foot]
    spec["title"] = head
    spec["width"], spec["height"] = width, height
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec["padding"] = {"left": 12, "right": 12, "top": 12, "bottom": 12}
    config = spec.setdefault("config", {})
    # the legend goes under the title, so the footnote can sit under the axis
    # at most three entries a row: five long option names in one row run off the image
    config["legend"] = {**config.get("legend", {}), "orient": "top", "direction": "horizontal",
                        "columns": 3}
    return spec


def _wrapped(inner: dict[str, Any], head: dict[str, Any], note: str) -> dict[str, Any]:
    """A faceted chart in a one-chart column: its title becomes the footnote at the
    bottom, the deck title goes on top; sized by measuring (see the module's docstring)."""
    top = ("$schema", "config", "datasets", "background", "padding", "params")
    spec: dict[str, Any] = {k: inner.pop(k) for k in top if k in inner}
    inner["title"] = {"text": note, **_FOOTNOTE}
    spec["vconcat"] = [inner]
    spec["resolve"] = {"legend": {"color": "independent"}}   # the legend stays with it
    # the screen's legend sits under the panels in several columns; on the right it is one
    # column, or their width would be taken from the panels
    legend = inner.get("spec", {}).get("encoding", {}).get("color", {}).get("legend")
    if isinstance(legend, dict):
        legend["columns"] = 1
    # a legend on the right adds its width to the panels' (one below may be wider than
    # them, and then the panels would not grow with the image)
    config = spec.setdefault("config", {})
    config["legend"] = {**config.get("legend", {}), "orient": "right", "direction": "vertical"}
    spec["title"] = head
    spec["padding"] = {"left": 12, "right": 12, "top": 12, "bottom": 12}
    return spec


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _drawable(node: Any) -> Any:
    """``node`` with every character vl-convert cannot draw written as a visible escape
    (ESC as ``\\x1b``), in keys and values alike so that data and scales still match, and
    every NaN or infinity as null (JSON has neither: a missing value, such as no expected
    line for an option that cannot fail)."""
    if isinstance(node, float) and not math.isfinite(node):
        return None
    if isinstance(node, str):
        return _NOT_XML.sub(_escape, node)
    if isinstance(node, dict):
        return {_drawable(k): _drawable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_drawable(v) for v in node]
    return node


# -- drawing at the exact size ------------------------------------------------------------

def _size(svg: str) -> tuple[float, float]:
    m = _SIZE.search(svg)
    if m is None:  # pragma: no cover - vl-convert always writes both
        raise render.RenderError("the chart renderer gave an image without a size")
    return float(m.group(1)), float(m.group(2))


def _grid(spec: dict[str, Any]) -> tuple[int, int]:
    """Columns and rows of a faceted chart's panels."""
    inner = spec["vconcat"][0]
    facet = inner.get("facet", {})
    field = facet.get("field") if isinstance(facet, dict) else None
    rows = []
    for values in spec.get("datasets", {}).values():
        rows += values
    n = len({r.get(field) for r in rows if isinstance(r, dict)}) if field else 1
    cols = int(inner.get("columns") or n) or 1
    return max(1, min(cols, n)), max(1, math.ceil(n / max(cols, 1)))


def _key(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


def _measured_svg(spec: dict[str, Any], width: int, height: int) -> str:
    """A faceted chart drawn with panels that make it ``width`` x ``height``: one render to
    measure (kept per chart), one to draw."""
    spec = copy.deepcopy(spec)
    view = spec["vconcat"][0]["spec"] if "spec" in spec["vconcat"][0] else spec["vconcat"][0]
    key = _key(spec)
    if key not in _MEASURED:
        got = _size(render.svg(spec))
        w0 = float(view.get("width", charts.theme.WIDTH))
        h0 = float(view.get("height", charts.theme.HEIGHT))
        cols, rows = _grid(spec)
        _MEASURED[key] = (got[0] - cols * w0, got[1] - rows * h0, cols, rows)
        while len(_MEASURED) > 64:
            _MEASURED.popitem(last=False)
    extra_w, extra_h, cols, rows = _MEASURED[key]
    view["width"] = max(60, int((width - extra_w) / cols))
    view["height"] = max(60, int((height - extra_h) / rows))
    return render.svg(spec)


def exact(svg: str, width: int, height: int) -> str:
    """``svg`` at exactly ``width`` x ``height``: a smaller drawing is centred on white, a
    larger one scaled down to fit (its view box changes; nothing is redrawn)."""
    w0, h0 = _size(svg)
    if (w0, h0) == (width, height):
        return svg
    k = max(w0 / width, h0 / height, 1.0)
    vw, vh = width * k, height * k
    x, y = -(vw - w0) / 2, -(vh - h0) / 2
    m = _ROOT.search(svg)
    assert m is not None
    root = re.sub(r'\s(width|height|viewBox)="[^"]*"', "", m.group(0)[:-1])
    root += (f' width="{width}" height="{height}" viewBox="{x:g} {y:g} {vw:g} {vh:g}">'
             f'<rect x="{x:g}" y="{y:g}" width="{vw:g}" height="{vh:g}" fill="white"/>')
    return svg[:m.start()] + root + svg[m.end():]


def spec_svg(spec: dict[str, Any]) -> bytes:
    """The spec as SVG of its exact size; :class:`~.render.RenderError` when it cannot be
    drawn."""
    meta = spec.get("usermeta", {})
    width, height = int(meta.get("width", WIDTH)), int(meta.get("height", HEIGHT))
    svg = _measured_svg(spec, width, height) if "vconcat" in spec else render.svg(spec)
    return exact(svg, width, height).encode("utf-8")


def spec_png(spec: dict[str, Any], scale: float = SCALE, svg: bytes | None = None) -> bytes:
    """The spec as PNG (rastered from ``svg`` when it is at hand) with its texts as iTXt
    chunks; :class:`~.render.RenderError` when it cannot be drawn."""
    svg = svg if svg is not None else spec_svg(spec)
    png = render.raster(svg.decode("utf-8"), scale)
    text, sub = _title_of(spec)
    foot = spec.get("usermeta", {}).get("footnote", "")
    return png_with_text(png, {"Title": text, "Description": " / ".join(sub),
                               "Comment": foot, "Software": "build-vs-buy calculator"})


def chart_svg(chart: Any, d: Decision, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    return spec_svg(deck_spec(chart, d, width, height))


def chart_png(chart: Any, d: Decision, width: int = WIDTH, height: int = HEIGHT,
              scale: float = SCALE) -> bytes:
    return spec_png(deck_spec(chart, d, width, height), scale)


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
