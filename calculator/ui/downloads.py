"""Download buttons for every export: charts (PNG, SVG), tables (CSV), the slide deck
(PPTX, optionally on a company template) and the decision memo (Markdown, HTML).

Everything is made from the Decision the page already has (one cached
:func:`calculator.ui.views.decision`, never decided again here), the sources kept from
load time (``_comments`` and ``_origin`` in the session), at most one risk report and one
run of the decision tools per scenario. The memo compares with the scenario the Compare
tab compares with (:func:`calculator.ui.compare_view.chosen`), when it differs from this
one. Each button gets a callable, so nothing is made until someone clicks; what is made is
cached here, at the UI edge, keyed by the scenario's YAML text, the notes, the date, the
compared scenario's text and (for the deck) the template's hash and the picture choice.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import export
from ..export import template as deck_template
from ..model import Decision, Scenario, dumps_scenario, sources
from . import compare_view

MIME = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "md": "text/markdown", "html": "text/html"}
TABLE_LABELS = {"monthly-tidy.csv": ("Monthly, tidy", "One row per month, option and cost "
                                     "item: for pivot tables."),
                "monthly-wide.csv": ("Monthly, wide", "One row per month: calls, and each "
                                     "option's money, error, total and cumulative cost."),
                "totals.csv": ("Totals", "One row per option: the horizon's totals, full "
                               "precision."),
                "decision-map.csv": ("Decision map", "One row per cell of the What if tab's "
                                     "map: the two inputs, the cheapest option and each "
                                     "option's total there.")}
ss = st.session_state


_warmed = threading.Event()


def _renderer() -> None:
    """Start the chart renderer's workers once per server, in the background, so that the
    first click on a chart or the memo does not wait for them to start (a plain flag, not
    st.cache_resource: nothing here is handed to sessions)."""
    if not _warmed.is_set():
        _warmed.set()
        export.render.warm()


@st.cache_data(max_entries=8, show_spinner=False)
def _report(key: str, _d: Decision) -> dict[str, Any] | None:
    return export.report(_d)       # the Monte Carlo once per scenario, for every download


@st.cache_data(max_entries=8, show_spinner=False)
def _tools(key: str, other: str, _d: Decision, _other: Scenario | None) -> export.Tools:
    """The decision tools once per scenario (and scenario compared with: ``other`` is its
    text, "" for none), for every download."""
    return export.tools_of(_d, _other)


def _map(key: str, d: Decision) -> Any:
    return _tools(key, "", d, None).map


@st.cache_data(max_entries=32, show_spinner=False)
def _chart(key: str, name: str, fmt: str, _d: Decision) -> bytes:
    rep = _report(key, _d) if name != "decision-map" else None
    dm = _map(key, _d) if name == "decision-map" else None
    spec = export.deck_spec(export.chart_by_name(_d, name, rep, dm), _d)
    svg = export.spec_svg(spec)
    return svg if fmt == "svg" else export.spec_png(spec, svg=svg)


@st.cache_data(max_entries=8, show_spinner=False)
def _memo_svgs(key: str, _d: Decision) -> dict[str, bytes]:
    """The memo's charts as SVG, drawn on every renderer worker at once."""
    made = export.chart_images(_d, _report(key, _d), ("svg",), export.memo_charts(_d),
                               _map(key, _d))
    return {k.removesuffix(".svg"): v for k, v in made.items()}


@st.cache_data(max_entries=8, show_spinner=False)
def _tables(key: str, _d: Decision) -> dict[str, bytes]:
    return export.csv_files(_d, _map(key, _d))


@st.cache_data(max_entries=8, show_spinner=False)
def _deck(key: str, notes: dict[str, str], template_hash: str, pictures: bool, _d: Decision,
          _template: bytes | None) -> bytes:
    pngs: Any = False
    if pictures:
        pngs = {n: _chart(key, n, "png", _d) for n in export.chart_names(_d)
                if n in ("saving", "cumulative", "breakdown", "risk-chance-cheaper",
                         "risk-spread", "risk-tornado")}
    tl = _tools(key, "", _d, None)
    picture = _chart(key, "decision-map", "png", _d) if tl.map is not None else None
    return export.pptx_bytes(_d, notes, _report(key, _d), _template, pngs, tl, picture)


@st.cache_data(max_entries=8, show_spinner=False)
def _memo(key: str, notes: dict[str, str], fmt: str, stem: str, other: str, _d: Decision,
          _other: Scenario | None) -> bytes:
    tl = _tools(key, other, _d, _other)
    if fmt == "md":
        return export.memo_markdown(_d, notes, stem, "png", tl).encode("utf-8")
    svgs = _memo_svgs(key, _d)
    return export.memo_html(_d, notes, _report(key, _d), svgs, tl).encode("utf-8")


def _memo_with(key: str, scenario_text: str, notes: dict[str, str], fmt: str, stem: str,
               d: Decision, pick: Callable[[], Scenario | None]) -> bytes:
    """The memo, compared with the Compare tab's scenario when there is one and it is not
    this very scenario (opened now, on the click)."""
    other = pick()
    text = dumps_scenario(other) if other is not None else ""
    if text == scenario_text:
        other, text = None, ""
    return _memo(key, notes, fmt, stem, text, d, other)


@st.cache_data(max_entries=4, show_spinner=False)
def _template_problem(template_hash: str, _data: bytes) -> str | None:
    """Why the uploaded template cannot be used (None: it can), checked once per file."""
    try:
        deck_template.load(_data)
    except deck_template.TemplateError as exc:
        return str(exc)
    return None


def notes_of(scenario: Scenario) -> dict[str, str]:
    """The sources of the assumptions: the comments kept from load time, less those of
    values edited since (nothing is re-read)."""
    return sources(ss.get("_comments"), ss.get("_origin"), scenario)


def _button(label: str, data: Callable[[], bytes], file_name: str, key: str,
            help: str | None = None) -> None:
    ext = file_name.rsplit(".", 1)[-1]
    st.download_button(label, data, file_name=file_name, mime=MIME[ext], key=key,
                       on_click="ignore", icon=":material/download:", help=help,
                       width="stretch")


def _template() -> tuple[bytes | None, str]:
    """The uploaded company template, when it can be used, and its hash."""
    up = st.file_uploader("Company template for the deck (.pptx, optional)",
                          type=["pptx", "potx"], key="deck.template",
                          max_upload_size=deck_template.MAX_BYTES // 2**20,
                          help="The deck is built on this file's slide layouts, fonts and "
                               "colours; its own slides are left out. At most 20 MB.")
    if up is None:
        return None, ""
    data = up.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    problem = _template_problem(digest, data)
    if problem is not None:
        st.error(f"This template cannot be used: {problem}. The deck below uses the "
                 "plain layout.", icon=":material/error:")
        return None, ""
    return data, digest


SECTION = "Slides, memo, charts and tables to download"


def section(scenario: Scenario, d: Decision) -> None:
    """The download section, folded: its two dozen buttons (and the template upload) are
    made only while it is open, so an input change does not re-send them all (about a
    twentieth of a change's server time)."""
    box = st.expander(SECTION, icon=":material/download:", key="downloads.open",
                      on_change="rerun")
    if box.open:
        with box:
            render(scenario, d)


def render(scenario: Scenario, d: Decision) -> None:
    """The download section: one button per artefact, all from the Decision ``d``."""
    _renderer()
    text = dumps_scenario(scenario)
    key = text + "\n#" + d.today.isoformat()
    notes = notes_of(scenario)
    pick = compare_view.chosen()
    stem = export.slug(scenario.name)
    st.caption("For planning decks and review documents: charts at 16:9 with the key "
               "assumptions in the subtitle, spreadsheet-safe tables, a ready-made slide "
               "deck and a decision memo. Files are made when you click.")
    template, digest = _template()
    pictures = st.toggle("Charts in the deck as pictures", key="deck.pictures",
                         help="Off: PowerPoint charts with their data inside, to restyle or "
                              "read in PowerPoint. On: the same pictures as the PNG files.")
    c1, c2, c3 = st.columns(3)
    with c1:
        _button("Slide deck (PPTX)",
                lambda: _deck(key, notes, digest, bool(pictures), d, template),
                f"{stem}.pptx", "download-pptx",
                help="Recommendation and key numbers, the charts, the figures, totals, when "
                "to revisit, risks, what would have to be true, where building wins, what "
                "to measure next and assumptions, on 16:9 slides (or your template's).")
    with c2:
        _button("Decision memo (Markdown)",
                lambda: _memo_with(key, text, notes, "md", stem, d, pick),
                f"{stem}-memo.md", "download-memo-md",
                help="What to do, when to revisit, the figures, what would have to be true, "
                "where building wins, what to measure next, the comparison of the Compare "
                "tab, the assumptions with their sources and the risks. Its charts are the "
                "PNG files below: save them next to it.")
    with c3:
        _button("Decision memo (HTML)",
                lambda: _memo_with(key, text, notes, "html", stem, d, pick),
                f"{stem}-memo.html", "download-memo-html",
                help="The same memo as one web page, charts inside, to print or attach.")
    tables = [k for k in TABLE_LABELS if k != "decision-map.csv" or export.has_map(d)]
    cols = st.columns(len(tables))
    for col, suffix in zip(cols, tables, strict=True):
        label, what = TABLE_LABELS[suffix]
        with col:
            _button(f"{label} (CSV)", lambda suffix=suffix: _tables(key, d).get(suffix, b""),
                    f"{stem}-{suffix}", f"download-{suffix.replace('.', '-')}",
                    help=what + " Safe to open in a spreadsheet.")
    names = export.chart_names(d)
    for row in range(0, len(names), 3):
        for col, name in zip(st.columns(3), names[row:row + 3], strict=False):
            with col:
                for fmt in ("png", "svg"):
                    _button(f"{export.chart_title(name)} ({fmt.upper()})",
                            lambda fmt=fmt, name=name: _chart(key, name, fmt, d),
                            f"{stem}-{name}.{fmt}", f"download-{name}-{fmt}",
                            help="1920 x 1080 pixels (16:9)" if fmt == "png"
                            else "Vector image, 960 x 540")
