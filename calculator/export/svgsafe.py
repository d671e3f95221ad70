"""SVG made safe to place inside an HTML page: only drawing survives.

The memo puts its charts inline, so an SVG must not be able to run anything, load
anything or link anywhere, whatever text a chart carries. The SVG is parsed and rebuilt
from an allow-list: drawing elements (paths, shapes, text, groups, clip paths, gradients)
and presentation attributes only. Scripts, styles, links, images, foreign objects,
animations, event handlers, ``href`` and any value that could reach outside the page
(``javascript:``, ``data:``, ``url(...)`` other than ``url(#id)``) are dropped. Ids get a
prefix, so several charts in one page do not borrow each other's clip paths. Text is
escaped again when the tree is written.

>>> clean('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5" viewBox="0 0 10 5">'
...       '<script>alert(1)</script><text onclick="x()">&lt;img src=x onerror=alert(1)&gt;'
...       '</text><a href="javascript:x()"><rect/></a></svg>', "c1")
'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5" role="img"><text>&lt;img src=x onerror=alert(1)&gt;</text></svg>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
TAGS = {"svg", "g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline",
        "text", "tspan", "title", "desc", "defs", "clipPath", "linearGradient",
        "radialGradient", "stop"}
ATTRIBUTES = {
    "viewBox", "id", "class", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy",
    "r", "rx", "ry", "width", "height", "points", "dx", "dy", "fill", "fill-opacity",
    "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "opacity",
    "clip-path", "clip-rule", "clipPathUnits", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "alignment-baseline", "letter-spacing",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "spreadMethod", "fx", "fy", "paint-order", "shape-rendering", "vector-effect",
    "pointer-events", "visibility", "display", "role", "aria-label", "aria-hidden",
    "aria-roledescription", "focusable", "preserveAspectRatio", "version",
}
_URL = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
_BAD = re.compile(r"(?i)javascript:|data:|url\(\s*(?!#)|expression\(|@import|<|>")


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _value(value: str, prefix: str) -> str | None:
    if _BAD.search(value):
        return None
    return _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)


def _copy(src: ET.Element, prefix: str) -> ET.Element | None:
    tag = _name(src.tag)
    if tag not in TAGS:
        return None
    out = ET.Element(f"{{{SVG}}}{tag}")
    for key, raw in src.attrib.items():
        name = _name(key)
        if name not in ATTRIBUTES or key.startswith("{") and "svg" not in key:
            continue
        value = f"{prefix}-{raw}" if name == "id" else _value(raw, prefix)
        if value is not None:
            out.set(name, value)
    out.text = src.text
    for child in src:
        kept = _copy(child, prefix)
        if kept is not None:
            kept.tail = child.tail
            out.append(kept)
    return out


def clean(svg: str | bytes, prefix: str) -> str:
    """``svg`` rebuilt from the allow-list, without a fixed size (it takes the width of its
    container and keeps its aspect ratio through its view box); "" when it is not SVG."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return ""
    if _name(root.tag) != "svg":
        return ""
    safe = _copy(root, re.sub(r"[^a-z0-9-]", "", prefix.lower()) or "c")
    if safe is None:
        return ""
    for key in ("width", "height"):
        safe.attrib.pop(key, None)
    safe.set("role", "img")
    ET.register_namespace("", SVG)
    return ET.tostring(safe, encoding="unicode")
