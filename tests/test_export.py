"""Exports: CSV, PNG/SVG charts, the PPTX deck and the decision memo (calculator.export).

Hand-computed reference: the spec's worked example run for 36 months.
- api: 0.003 a call x 1,000,000 calls = 3,000 a month -> 36 x 3,000 = 108,000.
- model: months 1-2 cost 24,000 and 23,000 (api 3,000 + build 20,000, + setup 1,000 in
  month 1), then 730 (one node) + 1,000 (0.05 x 20,000 run team) = 1,730 a month:
  47,000 + 34 x 1,730 = 105,820.
- D(t) = C_model - C_api: D(2) = 41,000, then -1,270 a month: D(34) = 41,000 - 32 x 1,270
  = 360, D(35) = -910 -> crossover in month 35, fractional 34 + 360 / 1,270 = 34.28.
- Saving 108,000 - 105,820 = 2,180 ("$2.18k").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from calculator import charts, export
from calculator.export import images
from calculator.model import comments_of, crossovers, load_scenario, loads_scenario, totals
from calculator.model.comments import sources
from calculator.model.decision import decide

TODAY = dt.date(2026, 11, 28)
HOSTILE = '=HYPERLINK("http://x","click") <img src=x onerror=alert(1)>'

WORKED = """\
schema_version: 1
name: Worked example
prices_as_of: 2026-11-01
horizon_months: 36
traffic: {calls_per_month: 1_000_000}
team: {ml_engineer: 20_000}   # loaded monthly cost, made up for the spec
options:
  api:
    kind: genai_api
    input_tokens_per_call: 1000
    output_tokens_per_call: 100
    price_per_million_input_tokens: 2.00    # list price, checked 2026-11-01
    price_per_million_output_tokens: 10.00
  model:
    kind: in_house
    interim: api
    build_months: 2
    build_team: {ml_engineer: 1}
    setup: {cost: 1_000}
    run_team: {ml_engineer: 0.05}
    node_cost_per_hour: 1.0
    node_capacity_rps: 1000
"""
# the hostile one also names an option "-model": a cell starting with "-" in a sheet
HOSTILE_YAML = (WORKED.replace("name: Worked example", "name: '" + HOSTILE.replace("'", "''")
                               + "'")
                .replace("  model:", "  -model:"))


def notes_of(text: str) -> dict[str, str]:
    """The sources of a file's assumptions, as the CLI and the app pass them down."""
    s = loads_scenario(text)
    return sources(comments_of(text), s, s)


@pytest.fixture(scope="module")
def worked():
    return decide(loads_scenario(WORKED), today=TODAY)


@pytest.fixture(scope="module")
def hostile():
    return decide(loads_scenario(HOSTILE_YAML), today=TODAY)


@pytest.fixture(scope="module")
def moderation():
    path = ROOT / "scenarios" / "product-image-moderation.yaml"
    text = path.read_text(encoding="utf-8")
    return decide(load_scenario(path), today=TODAY), notes_of(text)


@pytest.fixture(scope="module")
def deck(hostile):
    return Presentation(io.BytesIO(export.pptx_bytes(hostile, notes_of(HOSTILE_YAML))))


def read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")


# -- CSV ---------------------------------------------------------------------------------

def test_worked_example_totals_read_back_to_the_hand_computed_numbers(worked):
    df = read(export.csv_bytes(export.totals_table(worked)))
    assert list(df["option"]) == ["api", "model"]
    assert list(df["total_cost"]) == [108_000.0, 105_820.0]   # see the module docstring
    assert list(df["live_month"]) == [1, 3]
    t = totals(worked.result)
    for key in ("money_cost", "error_cost", "total_cost", "present_value", "cost_per_1k_calls"):
        assert np.array_equal(df[key].to_numpy(), t[key][0]), key


def test_monthly_tidy_reads_back_to_the_engines_arrays_exactly(moderation):
    d, _ = moderation
    r = d.result
    df = read(export.csv_bytes(export.monthly_tidy(d)))
    for i, name in enumerate(r.names):
        for comp, arr in r.components.items():
            rows = df[(df["option"] == name) & (df["component"] == comp)]
            assert np.array_equal(rows["month"].to_numpy(), r.months)
            assert np.array_equal(rows["cost"].to_numpy(), arr[0, i]), (name, comp)
        month_sum = df[df["option"] == name].groupby("month")["cost"].sum().to_numpy()
        assert np.allclose(month_sum, r.total[0, i], rtol=1e-12)


def test_monthly_wide_reads_back_to_the_engines_arrays_exactly(moderation):
    d, _ = moderation
    r = d.result
    df = read(export.csv_bytes(export.monthly_wide(d)))
    assert np.array_equal(df["calls"].to_numpy(), r.volume[0])
    assert np.array_equal(df["discount_factor"].to_numpy(), r.weights)
    for i, name in enumerate(r.names):
        assert np.array_equal(df[f"{name} money_cost"].to_numpy(), r.money[0, i])
        assert np.array_equal(df[f"{name} error_cost"].to_numpy(), r.error[0, i])
        assert np.array_equal(df[f"{name} total_cost"].to_numpy(), r.total[0, i])
        assert np.array_equal(df[f"{name} cumulative_present_value"].to_numpy(),
                              r.cumulative()[0, i])


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1"])
def test_formula_like_text_is_neutralised(text):
    assert export.neutralise(text) == "'" + text


# A formula character behind leading whitespace of any kind or invisible characters:
# no-break space, em space, ideographic space, a tab then a space, a newline, zero-width
# space, byte-order mark, narrow no-break space then a word joiner; and full-width forms.
@pytest.mark.parametrize("text", ["\u00a0=1+1", "\u2003+1", "\u3000@SUM(A1)", "\t -1",
                                  "\n=1", "\u200b=1", "\ufeff=HYPERLINK(\"http://x\")",
                                  "\u202f\u2060-2", "\uff1d1+1", "\uff20SUM(A1)"],
                         ids=["nbsp", "em-space", "ideographic", "tab-space", "newline", "zwsp",
                              "bom", "nnbsp-wj", "fullwidth-equals", "fullwidth-at"])
def test_formula_behind_whitespace_or_invisible_characters_is_neutralised(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, 0, 12, "plain", "a=b", "in_house", "\u00a0plain",
                                   "\u200bx-1", " ", "", "1-2"])
def test_numbers_and_plain_text_are_untouched(value):
    assert export.neutralise(value) == value


def test_hostile_names_come_out_inert_in_every_csv(hostile):
    for suffix, data in export.csv_files(hostile).items():
        text = data.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (suffix, cell)
        df = read(data)
        assert set(df["scenario"]) == {"'" + HOSTILE}, suffix
    totals_df = read(export.csv_files(hostile)["totals.csv"])
    assert list(totals_df["option"]) == ["api", "'-model"]
    assert totals_df["total_cost"].tolist() == [108_000.0, 105_820.0]   # numbers untouched
    wide = read(export.csv_files(hostile)["monthly-wide.csv"])
    assert "'-model total_cost" in wide.columns


def test_a_name_hiding_a_formula_behind_a_no_break_space_is_inert_in_every_csv(hostile):
    name = "\u00a0=HYPERLINK(\"http://x\",\"click\")"
    d = decide(hostile.scenario.model_copy(update={"name": name}), today=TODAY)
    for suffix, data in export.csv_files(d).items():
        df = read(data)
        assert set(df["scenario"]) == {"'" + name}, suffix
        # what a spreadsheet sees after trimming: never a formula
        for cell in df.select_dtypes(exclude="number").to_numpy().ravel():
            assert not cell.lstrip().startswith(("=", "+", "-", "@")), (suffix, cell)


def test_negative_numbers_stay_numbers():
    df = pd.DataFrame({"name": ["-x"], "value": [-3.5]})
    back = read(export.csv_bytes(df))
    assert back["value"].tolist() == [-3.5] and back["name"].tolist() == ["'-x"]


# -- PNG and SVG -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_svg(hostile):
    return export.chart_svg(charts.cumulative_chart(hostile), hostile).decode("utf-8")


def _texts(svg: str) -> list[str]:
    """Every line of text drawn: a <text>'s own text and each of its <tspan> lines."""
    root = ET.fromstring(svg)
    return [el.text for el in root.iter()
            if el.tag.endswith(("}text", "}tspan")) and el.text]


def test_svg_is_16_by_9_and_carries_title_subtitle_and_footnote(hostile_svg):
    root = ET.fromstring(hostile_svg)
    assert (root.get("width"), root.get("height")) == ("960", "540")
    texts = _texts(hostile_svg)
    assert "Cumulative total cost" in texts
    assert ("Traffic 1M calls a month in month 1, flat · 36-month horizon · no discounting"
            in texts)
    assert f"Prices as of 2026-11-01 · Scenario: {HOSTILE}" in texts


def test_hostile_name_is_only_text_in_the_svg(hostile_svg):
    root = ET.fromstring(hostile_svg)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in ("img", "image", "script", "foreignobject", "a"), tag
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_svg


def test_png_is_valid_1920_by_1080_and_names_itself(worked):
    from PIL import Image

    png = export.chart_png(charts.breakdown_chart(worked), worked)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert images.png_size(png) == (1920, 1080)
    Image.open(io.BytesIO(png)).verify()          # every chunk's CRC, ours included
    meta = images.png_text(png)
    assert meta["Title"] == "Monthly cost by component"
    assert meta["Comment"] == "Prices as of 2026-11-01 · Scenario: Worked example"
    assert "36-month horizon" in meta["Description"]


def test_every_chart_renders_in_both_formats(worked):
    out = export.chart_images(worked)
    # no ranges: no risk charts, but the J-curve of building -model instead of buying api
    # and the start-month sweep of the option with an interim
    names = [*export.CHARTS, "decision-map", "timing-model"]
    assert set(out) == {f"{n}.{f}" for n in names for f in ("png", "svg")}
    for name, data in out.items():
        if name.endswith(".png"):
            assert images.png_size(data) == (1920, 1080), name
        else:
            assert ET.fromstring(data).get("width") == "960", name


# -- PPTX (more in test_export_deck.py) ---------------------------------------------------

def _all_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def test_deck_says_what_the_decision_says_with_the_hand_computed_numbers(deck, hostile):
    slides = list(deck.slides)
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[:6] == [
        HOSTILE, "Recommendation: Build -model", "What building saves against api",
        "Cumulative total cost", "Monthly cost by component", "The figures behind it"]
    assert titles[6:9] == ["Totals over 36 months", "When to revisit",
                           "What could make it wrong"]
    # the decision tools (no ranges: nothing to measure), then the assumptions
    assert titles[9:12] == ["What would have to be true", "Where building wins", "Assumptions"]
    key = _all_text(slides[1])
    t = hostile.texts
    for text in (t.action, t.headline, t.sure, *(n.value for n in t.numbers)):
        assert text in key
    assert "Month 35" in key                       # pays off, hand-computed above
    assert "$2.18k" in key                         # 108,000 - 105,820
    assert "Month 3" in key                        # -model goes live in month 3
    totals_text = _all_text(slides[6])
    assert "$108k" in totals_text and "$106k" in totals_text
    assert "-model becomes cheaper than api in month 35" in _all_text(slides[3])
    table = "\n".join(_all_text(s) for s in slides[9:])       # the assumptions' pages
    assert "1M calls a month" in table
    assert "$20,000" in table and "loaded monthly cost, made up for the spec" in table
    assert deck.slide_width * 9 == deck.slide_height * 16
    # PowerPoint charts by default; the one picture is the decision map (no such chart there)
    assert [s.shapes.title.text_frame.text for s in slides for sh in s.shapes
            if sh.shape_type == MSO_SHAPE_TYPE.PICTURE] == ["Where building wins"]
    assert sum(1 for s in slides for sh in s.shapes if sh.has_chart) >= 4


def test_hostile_name_is_plain_text_in_the_deck(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for para in frame.paragraphs:
                    for run in para.runs:
                        assert run.hyperlink.address is None
        xml = slide.part.blob.decode("utf-8")
        assert "<img" not in xml and "hlinkClick" not in xml
    assert deck.core_properties.title == HOSTILE


# -- memo --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_memo(hostile):
    notes = notes_of(HOSTILE_YAML)
    return export.memo_markdown(hostile, notes), export.memo_html(hostile, notes)


def test_memo_names_the_engines_crossover_and_says_what_to_do(hostile, hostile_memo):
    md, html = hostile_memo
    (c,) = crossovers(hostile.result)
    assert (c.month, round(c.fractional_month, 2)) == (35, 34.28)
    assert f"in month {c.month}: the cumulative total lines cross at month 34.3" in md
    assert f"in month {c.month}: the cumulative total lines cross at month 34.3" in html
    for heading in ("## Recommendation", "## When to revisit", "## Key figures",
                    "## Charts", "## Assumptions", "## Risks"):
        assert heading in md
    assert "**Build -model; keep api serving until it goes live in month 3." in md
    assert "saving $2.18k (total) over 36 months" in md
    assert "By 2027-05-01, when the prices (checked 2026-11-01) are six months old." in md


def test_memo_says_exactly_what_the_decision_says(moderation):
    d, notes = moderation
    md = export.memo_markdown(d, notes)
    from calculator.export.memo import md_text

    t = d.texts
    for line in (t.action, t.headline, t.sure, *t.details, *t.figures, *t.revisit, *t.risks):
        assert md_text(line) in md
    for n in t.numbers:
        assert md_text(f"{n.label}: {n.value}. {n.help}") in md


def test_memo_lists_assumptions_with_their_sources(moderation):
    d, notes = moderation
    md = export.memo_markdown(d, notes)
    assert "| In-house image classifier | Node price per hour | $0.526 | g4dn.xlarge (T4) on-demand " in md
    assert "vantage.sh data 2026-01-21" in md
    (c,) = crossovers(d.result)
    assert (f"In-house image classifier becomes cheaper than Cloud Vision labels + lookup table "
            f"in month {c.month} ") in md
    assert "The payoff is late" in md                 # month 38 of 48


def test_markdown_memo_links_the_exported_images(worked):
    md = export.memo_markdown(worked, None, "worked")
    assert export.memo_charts(worked) == ["saving", "cumulative", "breakdown", "decision-map"]
    for name in export.memo_charts(worked):
        assert f"](worked-{name}.png)" in md
    assert "](worked-" in export.memo_markdown(worked, None, "worked", "svg")
    assert "![" not in export.memo_markdown(worked, None, "worked", None)


def test_html_memo_holds_its_charts_as_inline_svg(worked, hostile_memo):
    html = export.memo_html(worked)
    assert html.count("<svg") == len(export.memo_charts(worked)) == 4
    assert html.count("<figure>") == html.count("<svg")
    _, hostile_html = hostile_memo
    assert hostile_html.count("<svg") == 4
    assert "onerror=alert(1)" in hostile_html        # shown as text ...
    assert not re.search(r"<[^>]*\son\w+=", hostile_html)   # ... never an attribute
    for bad in ("<script", "<img", "<a ", "<foreignObject", "<image", "href=", "<style "):
        assert bad not in hostile_html, bad
    assert "default-src 'none'; style-src 'unsafe-inline'" in hostile_html


def test_svg_cleaning_refuses_anything_script_like():
    from calculator.export.svgsafe import clean

    dirty = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
             '<style>@import url(http://x)</style><foreignObject><p>x</p></foreignObject>'
             '<image href="http://x/a.png"/><use xlink:href="#a"/><animate attributeName="href"/>'
             '<rect id="a" fill="url(http://x#y)" clip-path="url(#c)" style="x"/>'
             '<path d="M0 0" stroke="javascript:alert(3)"/><text>&lt;b&gt;</text></svg>')
    out = clean(dirty, "k").replace('xmlns="http://www.w3.org/2000/svg"', "")
    for bad in ("onload", "script", "style", "foreignObject", "image", "use", "animate",
                "http", "javascript"):
        assert bad not in out, bad
    assert 'clip-path="url(#k-c)"' in out and 'id="k-a"' in out
    assert "<text>&lt;b&gt;</text>" in out
    assert clean("<html/>", "k") == "" and clean("not xml <", "k") == ""


def test_hostile_name_is_inert_in_memo_markdown_and_html(hostile_memo):
    md, html = hostile_memo
    assert not re.search(r"(?<!\\)[<>]", md)           # every angle bracket escaped
    assert "\\<img src=x onerror=alert(1)\\>" in md
    assert "http\\://x" in md                          # no GitHub auto-link
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<a " not in html
    assert "default-src 'none'" in html


def test_memo_markdown_renders_without_html_or_links(hostile_memo):
    markdown_it = pytest.importorskip("markdown_it")
    md, _ = hostile_memo
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<a " not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    # the only images are the chart files, named by a slug
    for src in re.findall(r'<img src="([^"]*)"', rendered):
        assert re.fullmatch(r"[a-z0-9-]+-[a-z0-9_-]+\.png", src), src
    assert rendered.count("<table>") == 3          # totals, thresholds, assumptions


def test_sources_of_values_edited_since_the_file_are_dropped(moderation):
    path = ROOT / "scenarios" / "product-image-moderation.yaml"
    text = path.read_text(encoding="utf-8")
    origin = loads_scenario(text)
    edited = loads_scenario(text.replace("node_cost_per_hour: 0.526", "node_cost_per_hour: 0.6"))
    notes = sources(comments_of(text), origin, edited)
    assert "options.in_house.node_cost_per_hour" not in notes
    assert notes["options.in_house.min_nodes"] == "two nodes for availability"
    rows = export.memo_markdown(decide(edited, today=TODAY), notes)
    assert "| In-house image classifier | Node price per hour | $0.60 | not stated |" in rows


# -- files -------------------------------------------------------------------------------

def test_write_all_names_files_from_a_safe_slug_inside_the_folder(tmp_path):
    s = loads_scenario(WORKED.replace("name: Worked example", "name: ../../etc/passwd"))
    out = tmp_path / "out"
    paths = export.write_all(s, out, ["csv", "memo"], notes=notes_of(WORKED), today=TODAY)
    assert sorted(p.name for p in paths) == [
        "etc-passwd-decision-map.csv", "etc-passwd-memo.html", "etc-passwd-memo.md", "etc-passwd-monthly-tidy.csv",
        "etc-passwd-monthly-wide.csv", "etc-passwd-totals.csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert all(p.resolve().parent == out.resolve() for p in paths)
    assert not list(tmp_path.glob("**/.tmp-*"))


def test_write_all_refuses_unknown_kinds(tmp_path, worked):
    with pytest.raises(ValueError, match="gif"):
        export.write_all(worked.scenario, tmp_path, ["gif"])


@pytest.mark.parametrize("name, stem", [
    (HOSTILE, "hyperlink-http-x-click-img-src-x-onerror-alert-1"),
    ("..", "scenario"), (".hidden", "hidden"), ("a/b\\c", "a-b-c"), ("x" * 200, "x" * 60)])
def test_slug(name, stem):
    assert export.slug(name) == stem
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", export.slug(name))


def test_memo_risks_come_from_the_decisions_monte_carlo_when_ranges_are_present():
    from calculator.export.memo import md_text
    from calculator.model.wording import share_of_draws

    s = load_scenario(ROOT / "scenarios" / "search-query-intent.yaml")
    d = decide(s, today=TODAY)
    md = export.memo_markdown(d, None)
    assert d.odds is not None and d.odds.p_build_cheaper is not None
    assert d.texts.caution and f"> {md_text(d.texts.caution)}" in md   # chance below half
    assert share_of_draws(d.odds.p_build_cheaper) in md
    assert f"{md_text(d.label('in_house'))} reaches production with a 54 % chance" in md


def test_one_risk_report_per_export(monkeypatch):
    from calculator.export import gallery

    calls = []
    real = gallery.simulate_report
    monkeypatch.setattr(gallery, "simulate_report",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml"), today=TODAY)
    made = export.artefacts(d, ["png", "pptx", "memo"])
    assert len(calls) == 1
    assert {"-risk-spread.png", "-risk-tornado.png", ".pptx", "-memo.html"} <= set(made)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_chart_names_match_the_charts_without_building_them(path):
    d = decide(load_scenario(path), today=TODAY)
    assert export.chart_names(d) == list(export.all_charts(d))


def test_write_files_undoes_everything_when_a_move_fails(tmp_path, monkeypatch):
    from calculator.export import writers

    out = tmp_path / "new" / "out"
    out.mkdir(parents=True)
    (out / "b.csv").write_bytes(b"old b")
    real = os.replace
    moves = []

    def third_move_fails(src, dst):
        moves.append(Path(dst).name)
        if len(moves) == 3:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(writers.os, "replace", third_move_fails)
    files = {"a.csv": b"new a", "b.csv": b"new b", "c.csv": b"new c"}
    with pytest.raises(export.ExportError, match=r"cannot write .*c\.csv: No space left"):
        export.write_files(out, files)
    assert moves == ["a.csv", "b.csv", "c.csv", "b.csv"]   # the fourth puts old b back
    # a.csv was new: gone; b.csv was replaced: its old bytes are back; no temporary file
    assert sorted(p.name for p in out.iterdir()) == ["b.csv"]
    assert (out / "b.csv").read_bytes() == b"old b"


def test_write_files_removes_the_folders_it_made_when_it_fails(tmp_path, monkeypatch):
    from calculator.export import writers

    def no_room(folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "_temp_file", no_room)
    out = tmp_path / "a" / "b"
    with pytest.raises(export.ExportError, match="No space left"):
        export.write_files(out, {"x.csv": b"x"})
    assert list(tmp_path.iterdir()) == []


def test_exported_files_get_ordinary_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        (path,) = export.write_files(tmp_path, {"x.csv": b"x"})
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644          # 0o666 less the umask 0o022


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", "..", ""])
def test_write_files_refuses_names_that_are_not_plain(tmp_path, name):
    with pytest.raises(export.ExportError, match="not a plain file name"):
        export.write_files(tmp_path / "out", {name: b"x"})
    assert not (tmp_path / "out").exists()


def test_write_files_refuses_a_pipe_or_other_non_file_at_a_target(tmp_path):
    os.mkfifo(tmp_path / "x.csv")
    with pytest.raises(export.ExportError, match="x.csv: something other than a file"):
        export.write_files(tmp_path, {"a.csv": b"a", "x.csv": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]      # a.csv not written
