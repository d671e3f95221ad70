"""The command line: JSON contract, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SCENARIOS
from test_loader import BASE


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=ROOT,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_report_json_contract(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text(BASE)
    out = run("report", str(p), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"name", "horizon_months", "currency", "options", "cheapest",
                         "crossovers", "break_even"}
    model = data["options"]["model"]
    assert set(model) >= {"kind", "live_month", "money_cost", "error_cost", "total_cost",
                          "present_value", "cost_per_1k_calls"}
    # the worked example: 24,000 + 23,000 + 10 · 1,730 = 64,300
    assert model["total_cost"] == 64_300
    assert data["break_even"] == [{"options": ["api", "model"],
                                   "calls_per_month": pytest.approx(576_666.6667)}]
    assert data["crossovers"] == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_reports(path):
    out = run("report", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["options"] and data["cheapest"] in data["options"]


def test_table_and_markdown(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text(BASE.replace("horizon_months: 12", "horizon_months: 40"))
    table = run("report", str(p)).stdout
    assert "model becomes cheaper than api in month 35" in table
    md = run("report", str(p), "--format", "markdown").stdout
    assert md.startswith("# Worked example")
    assert "| model | in-house model | 3 |" in md


def test_bad_file_exits_2_with_one_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(BASE.replace("horizon_months: 12", "horizon_months: no"))
    out = run("report", str(p), "--format", "json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip().count("\n") == 0
    assert "horizon_months: expected a whole number, got the text 'no' (line 4)" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00", b"- - - x", b"a: *b"])
def test_hostile_files_exit_2(tmp_path, content):
    p = tmp_path / "bad.yaml"
    p.write_bytes(content)
    out = run("report", str(p))
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.startswith("error:")


def test_missing_file_exits_2(tmp_path):
    out = run("report", str(tmp_path / "nope.yaml"))
    assert out.returncode == 2 and "cannot read the file" in out.stderr


def test_validate_many(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    ok = run("validate", *map(str, SCENARIOS))
    assert ok.returncode == 0 and ok.stdout.count(": ok") == len(SCENARIOS)
    mixed = run("validate", str(SCENARIOS[0]), str(bad))
    assert mixed.returncode == 2 and "schema_version: is required" in mixed.stderr


def test_schema_is_a_json_schema_that_accepts_the_examples():
    jsonschema = pytest.importorskip("jsonschema")
    out = run("schema")
    schema = json.loads(out.stdout)
    assert schema["title"].startswith("Build-vs-buy scenario")
    import datetime as dt

    from calculator import load_scenario, to_data

    for path in SCENARIOS:
        data = json.loads(json.dumps(to_data(load_scenario(path)),
                                     default=lambda d: d.isoformat() if isinstance(d, dt.date) else d))
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema_version": 1, "name": "x", "horizon_months": 0,
                             "traffic": {"calls_per_month": 1}, "options": {}}, schema)
