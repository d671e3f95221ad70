"""Exports that drop into a deck or a memo: PNG/SVG charts, CSV tables, a .pptx deck and a
decision memo (Markdown and HTML). No streamlit here: the app's download buttons
(:mod:`calculator.ui.downloads`) and the command line (``python -m calculator export``)
both call these functions.

Every writer takes a :class:`~calculator.model.decision.Decision` (``d``): the answer,
decided once, with its plain report in ``d.result`` and every sentence in ``d.texts``;
nothing here computes an answer of its own. The risk charts read ONE risk report
(:func:`report`), made once per export and passed down; the decision tools (thresholds,
decision map, value of information, a comparison) run once per export too
(:func:`tools_of`) and are passed down the same way. ``notes`` are the sources of the
assumptions: path -> note, from :func:`calculator.model.comments.sources` of the comments
kept at load time. A deck can be built on a company template (``template``: the bytes of a
.pptx), with PowerPoint charts or, with ``pictures``, chart images.
"""

from . import render
from .gallery import (
    CHARTS,
    all_charts,
    chart_by_name,
    chart_images,
    chart_names,
    chart_title,
    needs_report,
    report,
    risk_pair,
)
from .images import chart_png, chart_svg, deck_spec, png_size, png_text, spec_png, spec_svg
from .render import RenderError
from .tables import (
    csv_bytes,
    csv_files,
    decision_map_table,
    monthly_tidy,
    monthly_wide,
    neutralise,
    totals_table,
)
from .template import MAX_BYTES as MAX_TEMPLATE_BYTES
from .template import TemplateError
from .tools import Tools, has_map, tools_of
from .writers import (
    KINDS,
    ExportError,
    artefacts,
    atomic_write,
    memo_charts,
    memo_html,
    memo_markdown,
    pptx_bytes,
    slug,
    write_all,
    write_files,
)

__all__ = [
    "CHARTS", "KINDS", "MAX_TEMPLATE_BYTES", "ExportError", "RenderError", "TemplateError",
    "Tools", "all_charts", "artefacts", "atomic_write", "chart_by_name", "chart_images",
    "chart_names", "chart_png", "chart_svg", "chart_title", "csv_bytes", "csv_files",
    "decision_map_table", "deck_spec", "has_map", "memo_charts", "memo_html", "memo_markdown",
    "monthly_tidy", "monthly_wide", "needs_report", "neutralise", "png_size", "render",
    "png_text", "pptx_bytes", "report", "risk_pair", "slug", "spec_png", "spec_svg",
    "tools_of", "totals_table", "write_all", "write_files",
]
