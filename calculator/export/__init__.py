"""Exports that drop into a deck or a memo: PNG/SVG charts, CSV tables, a .pptx deck and a
decision memo (Markdown and HTML). No streamlit here: the app's download buttons
(:mod:`calculator.ui.downloads`) and the command line (``python -m calculator export``)
both call these functions.

Each writer takes a plain-report :class:`~calculator.model.engine.Result`; the optional
``source`` is the scenario file's text, whose comments become the assumptions' sources.
"""

from .images import (
    CHARTS,
    all_charts,
    chart_by_name,
    chart_images,
    chart_names,
    chart_png,
    chart_svg,
    deck_spec,
    risk_charts,
    spec_png,
    spec_svg,
)
from .render import RenderError
from .tables import csv_bytes, csv_files, monthly_tidy, monthly_wide, neutralise, totals_table
from .writers import (
    KINDS,
    ExportError,
    artefacts,
    atomic_write,
    memo_html,
    memo_markdown,
    pptx_bytes,
    slug,
    write_all,
    write_files,
)

__all__ = [
    "chart_by_name",
    "chart_names",
    "CHARTS", "KINDS", "ExportError", "RenderError", "all_charts", "artefacts", "atomic_write", "chart_images", "chart_png", "chart_svg",
    "csv_bytes", "csv_files", "deck_spec", "memo_html", "memo_markdown", "monthly_tidy",
    "monthly_wide", "neutralise", "pptx_bytes", "risk_charts", "slug", "spec_png", "spec_svg",
    "totals_table", "write_all", "write_files",
]
