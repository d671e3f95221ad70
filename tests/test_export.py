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

from calculator import export
from calculator.export import images, sources
from calculator.model import crossovers, evaluate, load_scenario, loads_scenario, totals

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


@pytest.fixture(scope="module")
def worked():
    return evaluate(loads_scenario(WORKED))


@pytest.fixture(scope="module")
def hostile():
    return evaluate(loads_scenario(HOSTILE_YAML))


@pytest.fixture(scope="module")
def moderation():
    path = ROOT / "scenarios" / "product-image-moderation.yaml"
    return evaluate(load_scenario(path)), path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def deck(hostile):
    return Presentation(io.BytesIO(export.pptx_bytes(hostile, HOSTILE_YAML, TODAY)))


def read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")


# -- CSV ---------------------------------------------------------------------------------

def test_worked_example_totals_read_back_to_the_hand_computed_numbers(worked):
    df = read(export.csv_bytes(export.totals_table(worked)))
    assert list(df["option"]) == ["api", "model"]
    assert list(df["total_cost"]) == [108_000.0, 105_820.0]   # see the module docstring
    assert list(df["live_month"]) == [1, 3]
    t = totals(worked)
    for key in ("money_cost", "error_cost", "total_cost", "present_value", "cost_per_1k_calls"):
        assert np.array_equal(df[key].to_numpy(), t[key][0]), key


def test_monthly_tidy_reads_back_to_the_engines_arrays_exactly(moderation):
    r, _ = moderation
    df = read(export.csv_bytes(export.monthly_tidy(r)))
    for i, name in enumerate(r.names):
        for comp, arr in r.components.items():
            rows = df[(df["option"] == name) & (df["component"] == comp)]
            assert np.array_equal(rows["month"].to_numpy(), r.months)
            assert np.array_equal(rows["cost"].to_numpy(), arr[0, i]), (name, comp)
        month_sum = df[df["option"] == name].groupby("month")["cost"].sum().to_numpy()
        assert np.allclose(month_sum, r.total[0, i], rtol=1e-12)


def test_monthly_wide_reads_back_to_the_engines_arrays_exactly(moderation):
    r, _ = moderation
    df = read(export.csv_bytes(export.monthly_wide(r)))
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
    r = evaluate(hostile.scenario.model_copy(update={"name": name}))
    for suffix, data in export.csv_files(r).items():
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
    return export.chart_svg(export.CHARTS["cumulative"](hostile), hostile).decode("utf-8")


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

    png = export.chart_png(export.CHARTS["breakdown"](worked), worked)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert images.png_size(png) == (1920, 1080)
    Image.open(io.BytesIO(png)).verify()          # every chunk's CRC, ours included
    meta = images.png_text(png)
    assert meta["Title"] == "Monthly cost by component"
    assert meta["Comment"] == "Prices as of 2026-11-01 · Scenario: Worked example"
    assert "36-month horizon" in meta["Description"]


def test_every_chart_renders_in_both_formats(worked):
    out = export.chart_images(worked)
    # no ranges: no risk charts, but the start-month sweep of the option with an interim
    names = [*export.CHARTS, "timing-model"]
    assert set(out) == {f"{n}.{f}" for n in names for f in ("png", "svg")}
    for name, data in out.items():
        if name.endswith(".png"):
            assert images.png_size(data) == (1920, 1080), name
        else:
            assert ET.fromstring(data).get("width") == "960", name


# -- PPTX --------------------------------------------------------------------------------

def _all_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def test_deck_has_the_expected_slides_pictures_and_numbers(deck):
    slides = list(deck.slides)
    assert [s.shapes.title.text_frame.text for s in slides] == [
        HOSTILE, "Recommendation: Build -model", "Cumulative total cost",
        "Monthly cost by component", "Assumptions"]
    pictures = [[sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
                for s in slides]
    assert [len(p) for p in pictures] == [0, 0, 1, 1, 0]
    assert pictures[2][0].width * 9 == pytest.approx(pictures[2][0].height * 16, rel=1e-3)
    key = _all_text(slides[1])
    assert "Month 35" in key                       # crossover, hand-computed above
    assert "$2.18k" in key                         # 108,000 - 105,820
    assert "$108k" in key and "$106k" in key       # totals in the table
    assert "Month 3" in key                        # -model goes live in month 3
    assert "-model becomes cheaper than api in month 35" in _all_text(slides[2])
    table = _all_text(slides[4])
    assert "1M calls a month in month 1, flat" in table
    assert "$20,000 a month" in table and "loaded monthly cost, made up for the spec" in table
    assert deck.slide_width * 9 == deck.slide_height * 16


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
    return export.memo_markdown(hostile, HOSTILE_YAML, TODAY), export.memo_html(
        hostile, HOSTILE_YAML, TODAY)


def test_memo_names_the_engines_crossover_and_says_what_to_do(hostile, hostile_memo):
    md, html = hostile_memo
    (c,) = crossovers(hostile)
    assert (c.month, round(c.fractional_month, 2)) == (35, 34.28)
    assert f"in month {c.month} (month 34.3" in md
    assert f"in month {c.month} (month 34.3" in html
    for heading in ("## Recommendation", "## When to revisit", "## Key figures",
                    "## Assumptions", "## Risks"):
        assert heading in md
    assert "**Build -model; keep api serving until it goes live in month 3." in md
    assert "saving $2.18k (total) over 36 months" in md
    assert "By 2027-05-01, when the prices (checked 2026-11-01) are six months old." in md


def test_memo_lists_assumptions_with_their_sources(moderation):
    r, text = moderation
    md = export.memo_markdown(r, text, TODAY)
    assert "| in\\_house | node cost per hour | $0.526 | g4dn.xlarge (T4) on-demand " in md
    assert "vantage.sh data 2026-01-21" in md
    (c,) = crossovers(r)
    assert f"in\\_house becomes cheaper than cloud\\_vision in month {c.month} " in md
    assert "The payback is late" in md                # month 38 of 48


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
    assert "<img" not in rendered and "<a " not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert rendered.count("<table>") == 2


def test_sources_of_values_edited_since_the_file_are_dropped(moderation):
    r, text = moderation
    edited = loads_scenario(text.replace("node_cost_per_hour: 0.526", "node_cost_per_hour: 0.6"))
    notes = sources.sources(text, edited)
    assert "options.in_house.node_cost_per_hour" not in notes
    assert notes["options.in_house.min_nodes"] == "two nodes for availability"
    assert sources.sources(text, r.scenario)["options.in_house.node_cost_per_hour"].startswith(
        "g4dn.xlarge")


# -- files -------------------------------------------------------------------------------

def test_write_all_names_files_from_a_safe_slug_inside_the_folder(tmp_path):
    s = loads_scenario(WORKED.replace("name: Worked example", "name: ../../etc/passwd"))
    out = tmp_path / "out"
    paths = export.write_all(s, out, ["csv", "memo"], source=WORKED, today=TODAY)
    assert sorted(p.name for p in paths) == [
        "etc-passwd-memo.html", "etc-passwd-memo.md", "etc-passwd-monthly-tidy.csv",
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


def test_memo_risks_come_from_the_risk_view_when_ranges_are_present():
    from calculator.model import risk

    s = load_scenario(ROOT / "scenarios" / "search-query-intent.yaml")
    md = export.memo_markdown(evaluate(s), None, TODAY)
    rep = risk.simulate_report(s)                         # same seed, same numbers
    (pair,) = [p for p in rep["pairs"] if {p["a"], p["b"]} == {"llm", "in_house"}]
    chance = round(pair["p_b_cheaper" if pair["b"] == "in_house" else "p_a_cheaper"][-1], 2)
    assert f"in\\_house is cheaper than llm by month 36 in {chance * 100:.4g} % of them" in md
    assert f"P10 month {pair['crossover']['month_p10']}" in md
    assert "> Caution: the plain figures favour in\\_house" in md   # chance below one half
    assert "in\\_house reaches production with a 54 % chance" in md


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_chart_names_match_the_charts_without_building_them(path):
    from calculator import evaluate, load_scenario

    r = evaluate(load_scenario(path))
    assert export.chart_names(r) == list(export.all_charts(r))


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
