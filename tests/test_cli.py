"""The command line: JSON contract, exit codes, no tracebacks.

Every test here calls calculator.cli.main in this process (the ``run_cli`` fixture of
conftest.py) except one, which runs ``python -m calculator`` as a real process so that the
entry point itself is covered."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SCENARIOS
from test_loader import BASE


def python_m_calculator(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_python_m_calculator_end_to_end(tmp_path):
    """The entry point as a real process: a report on a shipped scenario, an export of one
    file, and a bad file's exit status 2 (``sys.exit(main())``)."""
    path = ROOT / "scenarios" / "support-ticket-routing.yaml"
    out = python_m_calculator("report", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["name"] == "Support ticket routing" and data["cheapest"] in data["options"]
    folder = tmp_path / "out"
    out = python_m_calculator("export", str(path), "--out", str(folder), "--csv")
    assert out.returncode == 0, out.stderr
    names = [f"support-ticket-routing-{n}.csv" for n in ("monthly-tidy", "monthly-wide",
                                                          "totals", "decision-map")]
    assert out.stdout.splitlines() == [str(folder / n) for n in names]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    bad = python_m_calculator("report", str(tmp_path / "nope.yaml"))
    assert bad.returncode == 2 and bad.stdout == ""
    assert "cannot read the file" in bad.stderr and "Traceback" not in bad.stderr


def test_report_json_contract(tmp_path, run_cli):
    p = tmp_path / "w.yaml"
    p.write_text(BASE)
    out = run_cli("report", str(p), "--format", "json")
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
def test_every_shipped_scenario_reports(path, run_cli):
    out = run_cli("report", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["options"] and data["cheapest"] in data["options"]


def test_table_and_markdown(tmp_path, run_cli):
    p = tmp_path / "w.yaml"
    p.write_text(BASE.replace("horizon_months: 12", "horizon_months: 40"))
    table = run_cli("report", str(p)).stdout
    assert "model becomes cheaper than api in month 35" in table
    md = run_cli("report", str(p), "--format", "markdown").stdout
    assert md.startswith("# Worked example")
    assert "| model | in-house model | 3 |" in md


def test_bad_file_exits_2_with_one_line(tmp_path, run_cli):
    p = tmp_path / "bad.yaml"
    p.write_text(BASE.replace("horizon_months: 12", "horizon_months: no"))
    out = run_cli("report", str(p), "--format", "json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip().count("\n") == 0
    assert "horizon_months: expected a whole number, got the text 'no' (line 4)" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00", b"- - - x", b"a: *b"])
def test_hostile_files_exit_2(tmp_path, content, run_cli):
    p = tmp_path / "bad.yaml"
    p.write_bytes(content)
    out = run_cli("report", str(p))
    assert out.returncode == 2 and "Traceback" not in out.stderr and out.stderr.startswith("error:")


def test_missing_file_exits_2(tmp_path, run_cli):
    out = run_cli("report", str(tmp_path / "nope.yaml"))
    assert out.returncode == 2 and "cannot read the file" in out.stderr


def test_validate_many(tmp_path, run_cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    ok = run_cli("validate", *map(str, SCENARIOS))
    assert ok.returncode == 0 and ok.stdout.count(": ok") == len(SCENARIOS)
    mixed = run_cli("validate", str(SCENARIOS[0]), str(bad))
    assert mixed.returncode == 2 and "schema_version: is required" in mixed.stderr


def test_schema_is_a_json_schema_that_accepts_the_examples(run_cli):
    jsonschema = pytest.importorskip("jsonschema")
    out = run_cli("schema")
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
