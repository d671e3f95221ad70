"""``python -m calculator export FILE... --out DIR [--png] [--svg] [--csv] [--pptx] [--memo]``,
run in this process through calculator.cli.main (the ``run_cli`` fixture of conftest.py);
the chart renderer's worker processes start as they do for the real command."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import ROOT, make_template
from pptx import Presentation

from calculator.export import images
from calculator.model import crossovers, load_scenario, totals
from calculator.model.decision import decide

MODERATION = ROOT / "scenarios" / "product-image-moderation.yaml"
STEM = "product-image-moderation"


@pytest.fixture
def run(run_cli):
    """``python -m calculator export ...``, in this process."""
    return lambda *args: run_cli("export", *args)


def test_export_writes_every_artefact_by_default(tmp_path, run):
    out = run(str(MODERATION), "--out", str(tmp_path / "tmp"))
    assert out.returncode == 0, out.stderr
    names = {p.rsplit("/", 1)[-1] for p in out.stdout.split()}
    # no ranges: the J-curve, the report's four charts, the decision map and the start-month
    # sweep of in_house
    charts = {f"{STEM}-{c}.{f}" for c in ("saving", "cumulative", "breakdown", "cost-per-1k",
                                          "volume", "decision-map", "timing-in_house")
              for f in ("png", "svg")}
    assert names == charts | {f"{STEM}-monthly-tidy.csv", f"{STEM}-monthly-wide.csv",
                              f"{STEM}-decision-map.csv",
                              f"{STEM}-totals.csv", f"{STEM}.pptx", f"{STEM}-memo.md",
                              f"{STEM}-memo.html"}
    assert {p.name for p in (tmp_path / "tmp").iterdir()} == names     # nothing else left
    folder = tmp_path / "tmp"
    assert images.png_size((folder / f"{STEM}-cumulative.png").read_bytes()) == (1920, 1080)
    d = decide(load_scenario(MODERATION))
    r = d.result
    back = pd.read_csv(folder / f"{STEM}-totals.csv", encoding="utf-8-sig")
    assert back["total_cost"].tolist() == totals(r)["total_cost"][0].tolist()
    deck = Presentation(io.BytesIO((folder / f"{STEM}.pptx").read_bytes()))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert titles[:2] == [d.scenario.name, f"Recommendation: {d.texts.verdict}"]
    assert "Cumulative total cost" in titles and "Assumptions" in titles
    assert any(sh.has_chart for s in deck.slides for sh in s.shapes)   # PowerPoint charts
    (c,) = crossovers(r)                                       # in_house overtakes in month 38
    memo = (folder / f"{STEM}-memo.md").read_text(encoding="utf-8")
    assert f"becomes cheaper than {d.label('cloud_vision')} in month {c.month}" in memo
    assert f"]({STEM}-cumulative.png)" in memo                 # links the written image
    assert "<svg" in (folder / f"{STEM}-memo.html").read_text(encoding="utf-8")
    # the file's comments are the sources of the assumptions
    assert "g4dn.xlarge (T4) on-demand us-east-1, vantage.sh data 2026-01-21" in memo


def test_export_writes_only_the_kinds_asked_for(tmp_path, run):
    out = run(str(MODERATION), "--out", str(tmp_path), "--csv", "--memo")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{STEM}-decision-map.csv", f"{STEM}-memo.html", f"{STEM}-memo.md",
        f"{STEM}-monthly-tidy.csv",
        f"{STEM}-monthly-wide.csv", f"{STEM}-totals.csv"]


def test_a_batch_with_two_scenarios_of_one_name_keeps_both(tmp_path, run):
    twin = tmp_path / "twin.yaml"
    twin.write_text(MODERATION.read_text(encoding="utf-8").replace("horizon_months: 48",
                                                                   "horizon_months: 24"))
    out = run(str(MODERATION), str(twin), "--out", str(tmp_path / "out"), "--csv")
    assert out.returncode == 0, out.stderr
    wide = pd.read_csv(tmp_path / "out" / f"{STEM}-2-monthly-wide.csv", encoding="utf-8-sig")
    assert len(wide) == 24
    assert len(pd.read_csv(tmp_path / "out" / f"{STEM}-monthly-wide.csv")) == 48


def test_a_bad_file_writes_nothing_and_exits_2(tmp_path, run):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nname: x\nhorizon_months: 0\n")
    out = run(str(MODERATION), str(bad), "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: {bad}: ") and "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()


def _left(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _one_clean_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_folder_in_the_way_of_one_file_writes_none_of_them(tmp_path, run):
    out = tmp_path / "out"
    (out / f"{STEM}-totals.csv").mkdir(parents=True)
    got = run(str(MODERATION), "--out", str(out), "--csv", "--memo")
    assert got.returncode == 2
    line = _one_clean_line(got.stderr)
    assert line.startswith(f"error: cannot write {out / (STEM + '-totals.csv')}: a folder")
    assert line.endswith("nothing was written")
    # the memo and the other two tables come before and after it: none was written
    assert _left(out) == [f"{STEM}-totals.csv"]


def test_a_link_at_a_target_is_never_written_through(tmp_path, run):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{STEM}-memo.md").symlink_to(outside)
    got = run(str(MODERATION), "--out", str(out), "--csv", "--memo")
    assert got.returncode == 2
    line = _one_clean_line(got.stderr)
    assert f"{STEM}-memo.md: it is a symbolic link" in line
    assert outside.read_text() == "keep me"
    assert (out / f"{STEM}-memo.md").is_symlink()
    assert _left(out) == [f"{STEM}-memo.md"]


def test_an_out_that_is_a_file_is_a_clean_error(tmp_path, run):
    out = tmp_path / "report.txt"
    out.write_text("x")
    got = run(str(MODERATION), "--out", str(out), "--csv")
    assert got.returncode == 2
    assert _one_clean_line(got.stderr) == (f"error: cannot write to {out}: it is not a folder; "
                                           "nothing was written")
    assert out.read_text() == "x"


def test_a_chart_the_renderer_cannot_draw_is_a_clean_error(tmp_path, monkeypatch, capsys):
    from calculator import cli
    from calculator.export import render

    def dies(*args, **kwargs):
        raise render.RenderError("the chart renderer stopped on this chart")

    monkeypatch.setattr(render, "_render", dies)
    out = tmp_path / "out"
    assert cli.main(["export", str(MODERATION), "--out", str(out)]) == 2
    err = _one_clean_line(capsys.readouterr().err)
    # the first chart drawn is the J-curve of the saving
    assert err == (f"error: {MODERATION}: could not draw the saving chart: the chart "
                   "renderer stopped on this chart")
    assert not out.exists()


def test_a_deck_on_a_company_template(tmp_path, run):
    template = tmp_path / "corp.pptx"
    template.write_bytes(make_template())
    out = run(str(MODERATION), "--out", str(tmp_path / "out"), "--pptx", "--template",
              str(template))
    assert out.returncode == 0, out.stderr
    deck = Presentation(io.BytesIO((tmp_path / "out" / f"{STEM}.pptx").read_bytes()))
    assert deck.slide_width == 9_144_000 and deck.slide_height == 5_143_500    # 10 x 5.625 in
    assert all(s.slide_layout.name.startswith("Corp") for s in deck.slides)


def test_pictures_in_the_deck_on_request(tmp_path, run):
    out = run(str(MODERATION), "--out", str(tmp_path), "--pptx", "--pptx-pictures")
    assert out.returncode == 0, out.stderr
    deck = Presentation(io.BytesIO((tmp_path / f"{STEM}.pptx").read_bytes()))
    assert not any(sh.has_chart for s in deck.slides for sh in s.shapes)
    # pictures: the three charts and the decision map
    assert sum(sh.shape_type == 13 for s in deck.slides for sh in s.shapes) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{STEM}.pptx"]


def test_a_template_that_is_not_a_deck_writes_nothing_and_exits_2(tmp_path, run):
    bad = tmp_path / "deck.pptx"
    bad.write_bytes(b"this is not a presentation")
    got = run(str(MODERATION), "--out", str(tmp_path / "out"), "--template", str(bad))
    assert got.returncode == 2
    line = _one_clean_line(got.stderr)
    assert line.startswith(f"error: {bad}: the template is not a PowerPoint file")
    assert not (tmp_path / "out").exists()
