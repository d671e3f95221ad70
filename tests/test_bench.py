"""The benchmark (calculator.bench): its shape, and its plain loop as an independent check
of the vectorised engine. Timings are reported, never asserted (this is not a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS
from hypothesis import HealthCheck, given, settings
from strategies import scenario_data

import calculator as c
from calculator import bench
from calculator.model.analysis import totals
from calculator.model.params import Params
from calculator.model.scenario import InHouseOption

KEYS = {"single_ms", "mc_ms", "draws", "loop_ms", "speedup", "peak_mb"}


def engine_vs_loop(s: c.Scenario, p: Params) -> float:
    t = totals(c.evaluate(s, p, detail=False))
    loop_total, loop_pv = bench.scalar_totals(s, p)
    return max(bench._rel(t["total_cost"], loop_total), bench._rel(t["present_value"], loop_pv))


def test_run_reports_every_key_and_the_loop_agrees():
    out = bench.run(draws=200)
    assert set(out) >= KEYS
    assert out["draws"] == 200 and out["options"] == 5 and out["months"] == 120
    assert out["max_rel_diff"] < 1e-9
    assert out["speedup"] == pytest.approx(out["loop_ms"] / out["mc_ms"])
    assert all(v > 0 for k, v in out.items() if k in KEYS)
    json.dumps(out, allow_nan=False)
    text = bench.as_text(out)
    assert "200 draws" in text and "max relative difference" in text


def test_bench_scenario_covers_what_it_claims():
    s = bench.scenario()
    kinds = {o.kind for o in s.active.values()}
    assert kinds == {"rules", "vendor_api", "genai_api", "in_house"}
    assert len(s.active) == 5 and s.horizon_months == 120
    model = s.active["model"]
    assert isinstance(model, InHouseOption)
    assert model.interim and model.retraining and model.data and model.success_probability < 1
    prefixes = {p.split(".")[0] if p.split(".")[0] != "options" else p.split(".")[1]
                for p in c.ranged_fields(s)}
    assert {"traffic", "team", "quality", "vendor", "llm", "model"} <= prefixes


def test_the_loop_by_hand():
    # the worked example of spec/model.md: api 12 · 3,000 = 36,000;
    # model 24,000 + 23,000 + 10 · 1,730 = 64,300
    s = c.validate({
        "schema_version": 1, "name": "w", "horizon_months": 12,
        "traffic": {"calls_per_month": 1_000_000}, "team": {"ml_engineer": 20_000},
        "options": {
            "api": {"kind": "genai_api", "input_tokens_per_call": 1000,
                    "output_tokens_per_call": 100, "price_per_million_input_tokens": 2.0,
                    "price_per_million_output_tokens": 10.0},
            "model": {"kind": "in_house", "interim": "api", "build_months": 2,
                      "build_team": {"ml_engineer": 1}, "setup": {"cost": 1000},
                      "run_team": {"ml_engineer": 0.05}, "min_nodes": 1,
                      "node_cost_per_hour": 1.0, "node_capacity_rps": 1000}}})
    total, pv = bench.scalar_totals(s, Params.plain())
    assert total[0].tolist() == pytest.approx([36_000, 64_300])
    assert pv[0].tolist() == pytest.approx([36_000, 64_300])      # no discounting


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_loop_agrees_with_the_engine_on_shipped_scenarios(path):
    s = c.load_scenario(path)
    assert engine_vs_loop(s, Params.sample(s, 100, 3)) < 1e-9     # ranges and failures
    assert engine_vs_loop(s, Params.plain()) < 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data())
def test_the_loop_agrees_with_the_engine_on_random_scenarios(data):
    s = c.validate(data)
    assert engine_vs_loop(s, Params.plain()) < 1e-9


def test_cli_bench_json():
    out = subprocess.run([sys.executable, "-m", "calculator", "bench", "--draws", "100",
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= KEYS and data["draws"] == 100
    assert np.isfinite(data["max_rel_diff"]) and data["max_rel_diff"] < 1e-9
