"""Download buttons for every export: charts (PNG, SVG), tables (CSV), the slide deck
(PPTX) and the decision memo (Markdown, HTML).

The bytes come from :mod:`calculator.export`. Each button gets a callable, so nothing is
rendered until someone clicks (charts take about half a second each); the renders are
cached here, at the UI edge, keyed by the scenario's YAML text, the source file's text and
the date (the memo says when it was prepared).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from .. import export
from ..model import Result, Scenario, dumps_scenario

MIME = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "md": "text/markdown", "html": "text/html"}
CHART_LABELS = {"cumulative": "Cumulative cost", "breakdown": "Monthly breakdown",
                "cost-per-1k": "Cost per 1,000 calls", "volume": "Cost vs traffic",
                "risk-spread": "Risk: cost spread", "risk-chance-cheaper": "Risk: chance cheaper",
                "risk-tornado": "Risk: tornado"}
TABLE_LABELS = {"monthly-tidy.csv": ("Monthly, tidy", "One row per month, option and cost "
                                     "item: for pivot tables."),
                "monthly-wide.csv": ("Monthly, wide", "One row per month: calls, and each "
                                     "option's money, error, total and cumulative cost."),
                "totals.csv": ("Totals", "One row per option: the horizon's totals, full "
                               "precision.")}


@st.cache_data(max_entries=8, show_spinner=False)
def _chart_names(key: str, _result: Result) -> list[str]:
    return export.chart_names(_result)   # names only: no chart is built until a click


@st.cache_data(max_entries=32, show_spinner=False)
def _chart(key: str, name: str, fmt: str, _result: Result) -> bytes:
    chart = export.chart_by_name(_result, name)
    spec = export.deck_spec(chart, _result)
    return export.spec_png(spec) if fmt == "png" else export.spec_svg(spec)


def chart_label(name: str) -> str:
    if name in CHART_LABELS:
        return CHART_LABELS[name]
    return f"Start month: {name.removeprefix('timing-')}"


@st.cache_data(max_entries=8, show_spinner=False)
def _tables(key: str, _result: Result) -> dict[str, bytes]:
    return export.csv_files(_result)


@st.cache_data(max_entries=8, show_spinner=False)
def _deck(key: str, source: str | None, today: str, _result: Result) -> bytes:
    pngs = {f"{n}.png": _chart(key, n, "png", _result) for n in ("cumulative", "breakdown")}
    return export.pptx_bytes(_result, source, dt.date.fromisoformat(today), pngs)


@st.cache_data(max_entries=8, show_spinner=False)
def _memo(key: str, source: str | None, today: str, fmt: str, _result: Result) -> bytes:
    day = dt.date.fromisoformat(today)
    text = (export.memo_markdown(_result, source, day) if fmt == "md"
            else export.memo_html(_result, source, day))
    return text.encode("utf-8")


def source_text() -> str | None:
    """The scenario as it was loaded, with its comments (kept from load time: nothing is
    re-read), for the sources of the assumptions; the exports drop the comments of values
    edited since."""
    ss = st.session_state
    origin = ss.get("_origin")
    if origin is None:
        return None
    return dumps_scenario(origin, ss.get("_comments"))


def _button(label: str, data: Callable[[], bytes], file_name: str, key: str,
            help: str | None = None) -> None:
    ext = file_name.rsplit(".", 1)[-1]
    st.download_button(label, data, file_name=file_name, mime=MIME[ext], key=key,
                       on_click="ignore", icon=":material/download:", help=help,
                       width="stretch")


def render(scenario: Scenario, result: Result) -> None:
    """The download section: one button per artefact."""
    key = dumps_scenario(scenario)
    source = source_text()
    today = dt.date.today().isoformat()
    stem = export.slug(scenario.name)
    st.caption("For planning decks and review documents: charts at 16:9 with the key "
               "assumptions in the subtitle, spreadsheet-safe tables, a ready-made slide "
               "deck and a decision memo. Files are made when you click.")
    c1, c2, c3 = st.columns(3)
    with c1:
        _button("Slide deck (PPTX)", lambda: _deck(key, source, today, result),
                f"{stem}.pptx", "download-pptx",
                help="Title, recommendation and key numbers, cumulative cost, monthly "
                "breakdown and assumptions: five 16:9 slides.")
    with c2:
        _button("Decision memo (Markdown)", lambda: _memo(key, source, today, "md", result),
                f"{stem}-memo.md", "download-memo-md",
                help="What to do, when to revisit, the figures, the assumptions with their "
                "sources and the risks.")
    with c3:
        _button("Decision memo (HTML)", lambda: _memo(key, source, today, "html", result),
                f"{stem}-memo.html", "download-memo-html",
                help="The same memo as a web page, to print or attach.")
    cols = st.columns(3)
    for col, (suffix, (label, what)) in zip(cols, TABLE_LABELS.items(), strict=True):
        with col:
            _button(f"{label} (CSV)",
                    lambda suffix=suffix: _tables(key, result)[suffix],
                    f"{stem}-{suffix}", f"download-{suffix.replace('.', '-')}",
                    help=what + " Safe to open in a spreadsheet.")
    names = _chart_names(key, result)
    for row in range(0, len(names), 3):
        for col, name in zip(st.columns(3), names[row:row + 3], strict=False):
            with col:
                _charts_buttons(key, name, result, stem)


def _charts_buttons(key: str, name: str, result: Result, stem: str) -> None:
    for fmt in ("png", "svg"):
        _button(f"{chart_label(name)} ({fmt.upper()})",
                lambda fmt=fmt: _chart(key, name, fmt, result),
                f"{stem}-{name}.{fmt}", f"download-{name}-{fmt}",
                help="1920 x 1080 pixels (16:9)" if fmt == "png" else "Vector image, 960 x 540")
