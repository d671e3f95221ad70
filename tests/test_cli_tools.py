"""The decision tools on the command line: ``map`` and ``voi`` print what the model computes
(JSON that parses back to it, CSV of the map's cells), a bad input is one line naming the
file and the field with exit code 2, ``compare`` names options by label, and ``export
--compare-with`` puts the comparison in the memo."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from calculator.model import (
    compare,
    decision_map,
    load_scenario,
    loads_scenario,
    measure_next,
    value_of_information,
)
from tests.worked import flat_labelled

SUPPORT = ROOT / "scenarios" / "support-ticket-routing.yaml"
HYBRID = ROOT / "scenarios" / "support-ticket-hybrid.yaml"

FLAT = flat_labelled()          # tests/worked.py: api 3,000 a month, model 1,730


@pytest.fixture
def run(run_cli):
    """``python -m calculator ...``, in this process (conftest.py's run_cli)."""
    return run_cli


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# -- map --------------------------------------------------------------------------------

def test_map_json_is_the_models_map(run):
    out = run("map", str(SUPPORT), "--size", "12", "--format", "json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    dm = decision_map(load_scenario(SUPPORT), n=12)
    assert (got["x_field"], got["y_field"]) == (dm.x_field, dm.y_field)
    assert got["x_values"] == dm.x_values.tolist() and got["y_values"] == dm.y_values.tolist()
    # cheapest[j][i] is the cell at x_values[i], y_values[j]: the frame runs x fastest
    assert sum(got["cheapest"], []) == dm.frame["cheapest"].tolist()
    for name in dm.names:
        assert sum(got["totals"][name], []) == dm.frame[f"total_{name}"].tolist()
    assert got["options"] == {n: load_scenario(SUPPORT).label(n) for n in dm.names}
    assert got["today"]["cheapest"] == dm.today["cheapest"] == "in_house"
    assert got["basis"] == "present_value" and got["build"] == ["in_house"]
    assert len(got["boundary"]) == len(dm.boundary) > 0


def test_map_csv_of_the_hand_case_with_chosen_axes(tmp_path, run):
    f = tmp_path / "flat.yaml"
    f.write_text(FLAT)
    out = run("map", str(f), "--x", "traffic.calls_per_month", "--y",
              "options.model.node_cost_per_hour", "--size", "6")
    assert out.returncode == 0, out.stderr
    back = pd.read_csv(io.StringIO(out.stdout))
    assert len(back) == 36 and set(back["y_field"]) == {"options.model.node_cost_per_hour"}
    # over 12 months the API costs 12 · 0.003 · x, the model 12 · (730 · y + 1,000): the
    # model is cheapest where 0.003 · x > 730 · y + 1,000
    expect = np.where(0.003 * back["x"] > 730 * back["y"] + 1_000, "model", "api")
    assert (back["cheapest"] == expect).all()
    assert set(back["cheapest_label"]) <= {"Our model", "Hosted API"}
    dm = decision_map(loads_scenario(FLAT), "traffic.calls_per_month",
                      "options.model.node_cost_per_hour", 6)
    assert back["cheapest"].tolist() == dm.frame["cheapest"].tolist()
    assert np.allclose(back["api total_cost"], dm.frame["total_api"], rtol=1e-15)


def test_map_of_an_input_that_is_0_today_takes_a_range(run):
    out = run("map", str(SUPPORT), "--y", "options.llm.monthly_cost", "--y-range", "10", "1000",
              "--size", "3", "--format", "json")
    assert out.returncode == 0, out.stderr
    # 3 values from 10 to 1,000, evenly in log: 10, 100, 1,000
    assert json.loads(out.stdout)["y_values"] == pytest.approx([10, 100, 1000], rel=1e-12)


@pytest.mark.parametrize("args, words", [
    (("--x", "traffic.nope"), ["traffic.nope is not a number that can move the answer",
                               "traffic.calls_per_month", "options.llm.accuracy"]),
    (("--y", "options.llm.monthly_cost"), ["options.llm.monthly_cost is 0 today"]),
    (("--size", "1"), ["between 2 and 200"]),
])
def test_a_bad_map_input_is_one_line_naming_the_file_and_field(args, words, run):
    out = run("map", str(SUPPORT), *args)
    assert out.returncode == 2 and out.stdout == ""
    line = one_line(out.stderr)
    assert line.startswith(f"error: {SUPPORT}: ")
    for w in words:
        assert w in line, w


# -- voi --------------------------------------------------------------------------------

def test_voi_json_is_the_models_and_the_table_leads_with_what_to_measure(run):
    out = run("voi", str(SUPPORT), "--draws", "2000", "--seed", "5", "--format", "json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    s = load_scenario(SUPPORT)
    want = value_of_information(s, draws=2000, seed=5)
    assert got == json.loads(json.dumps(want))
    assert got["inputs"][0]["value"] > 0
    table = run("voi", str(SUPPORT), "--draws", "2000", "--seed", "5")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == measure_next(s, want)
    assert lines[1] == want["text"]


def test_voi_bad_draws_exit_2(run):
    out = run("voi", str(SUPPORT), "--draws", "1")
    assert out.returncode == 2 and "draws must be between 2" in one_line(out.stderr)


# -- compare and export --compare-with --------------------------------------------------

def test_compare_names_options_by_label_and_the_json_keeps_keys(tmp_path, run):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(FLAT)
    # 2.00 -> 0.50: the API costs (500 + 1,000) / 10^6 · 10^6 = 1,500 a month, under 1,730
    b.write_text(FLAT.replace("input_tokens: 2.00", "input_tokens: 0.50"))
    table = run("compare", str(a), str(b))
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("The answer changed: Our model was cheapest ($20.8k over "
                                   "12 months), now Hosted API is ($18k over 12 months).")
    assert "  Hosted API" in table.stdout and "  api " not in table.stdout
    data = json.loads(run("compare", str(a), str(b), "--format", "json").stdout)
    assert data["cheapest"] == {"before": "model", "after": "api"}


def test_export_compare_with_puts_the_comparison_in_the_memo(tmp_path, run):
    out = run("export", str(HYBRID), "--out", str(tmp_path / "out"), "--memo",
              "--compare-with", str(SUPPORT))
    assert out.returncode == 0, out.stderr
    (md,) = (tmp_path / "out").glob("*-memo.md")
    text = md.read_text(encoding="utf-8")
    out_ = compare(load_scenario(SUPPORT), load_scenario(HYBRID))
    from calculator.export.memo import md_text

    assert f"## {md_text('Compared with Support ticket routing')}" in text
    assert f"**{md_text(out_['text'])}**" in text
    assert "The answer changed: In-house ticket classifier was cheapest" in out_["text"]


def test_export_with_a_bad_compare_with_file_writes_nothing(tmp_path, run):
    bad = tmp_path / "old.yaml"
    bad.write_text(FLAT.replace("horizon_months: 12", "horizon_months: no"))
    out = run("export", str(SUPPORT), "--out", str(tmp_path / "out"), "--csv",
              "--compare-with", str(bad))
    assert out.returncode == 2
    assert "old.yaml" in one_line(out.stderr)
    assert not (tmp_path / "out").exists()
