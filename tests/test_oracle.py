"""The scalar oracle (tests/oracle.py) as an independent check of the vectorised engine, and
the benchmarks: ``python -m calculator bench`` (engine timings) and scripts/bench_engine.py
(the loop comparison). Timings are reported, never asserted (this is not a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS
from hypothesis import HealthCheck, given, settings
from oracle import rel, scalar_totals
from strategies import registry_scenario, scenario_data
from test_hybrid import building
from test_hybrid import data as hybrid_data
from worked import scenario

import calculator as c
from calculator import bench
from calculator.model.analysis import totals
from calculator.model.params import Params

KEYS = {"single_ms", "plain_report_ms", "mc_ms", "report_ms", "draws", "peak_mb"}


def engine_vs_oracle(s: c.Scenario, p: Params) -> float:
    t = totals(c.evaluate(s, p, detail=False))
    loop_total, loop_pv = scalar_totals(s, p)
    return max(rel(t["total_cost"], loop_total), rel(t["present_value"], loop_pv))


def test_the_oracle_by_hand():
    # the worked example of spec/model.md: api 12 · 3,000 = 36,000;
    # model 24,000 + 23,000 + 10 · 1,730 = 64,300
    total, pv = scalar_totals(scenario(), Params.plain())
    assert total[0].tolist() == pytest.approx([36_000, 64_300])
    assert pv[0].tolist() == pytest.approx([36_000, 64_300])      # no discounting
    # the hybrid example: 12 · 7,510 = 90,120 (model 12 · 7,460, llm 12 · 2,800)
    total, _ = scalar_totals(c.validate(hybrid_data()), Params.plain())
    assert total[0].tolist() == pytest.approx([89_520, 33_600, 90_120])
    # a primary built while the fallback serves, and a failed build (test_hybrid.py)
    s = c.validate(building())
    total, _ = scalar_totals(s, Params(2, {}, {"model": np.array([True, False])}))
    assert total[:, 2].tolist() == pytest.approx([37_220, 37_300])


def test_the_oracle_has_version_2_billing():
    # (800·3 + 1,000·0.30 + 200·3.75 + 400·15) / 10^6 · 1e6 calls · 12 months = 113,400
    s = c.validate({"schema_version": 1, "name": "v2", "horizon_months": 12,
                    "traffic": {"calls_per_month": 1e6}, "options": {"llm": {
                        "kind": "genai_api", "input_tokens_per_call": 2000,
                        "cached_input_share": 0.5, "cache_write_tokens_per_call": 200,
                        "output_tokens_per_call": 100, "reasoning_tokens_per_call": 300,
                        "price_per_million_input_tokens": 3.0,
                        "price_per_million_cached_input_tokens": 0.3,
                        "price_per_million_output_tokens": 15.0}}})
    assert scalar_totals(s, Params.plain())[0][0, 0] == pytest.approx(113_400)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_oracle_agrees_with_the_engine_on_shipped_scenarios(path):
    s = c.load_scenario(path)
    assert engine_vs_oracle(s, Params.sample(s, 100, 3)) < 1e-9     # ranges and failures
    assert engine_vs_oracle(s, Params.plain()) < 1e-9


def test_the_oracle_agrees_with_the_engine_on_the_benchmark_scenario():
    s = bench.scenario()
    assert engine_vs_oracle(s, Params.sample(s, 50, 5)) < 1e-9
    assert engine_vs_oracle(s, Params.tornado(s)[0]) < 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data())
def test_version_1_scenarios_agree_with_the_oracle(data):
    s = c.validate(data)
    assert engine_vs_oracle(s, Params.plain()) < 1e-9


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(registry_scenario(max_horizon=60))
def test_every_field_and_hybrids_agree_with_the_oracle(data):
    # version 2 and hybrids, every field from the registry; ranges drawn and builds failing
    s = c.validate(data)
    assert engine_vs_oracle(s, Params.plain()) < 1e-9
    assert engine_vs_oracle(s, Params.sample(s, 4, 1)) < 1e-9


def test_bench_reports_every_key():
    out = bench.run(draws=200)
    assert set(out) >= KEYS
    assert out["draws"] == 200 and out["options"] == 5 and out["months"] == 120
    assert all(v > 0 for k, v in out.items() if k in KEYS)
    json.dumps(out, allow_nan=False)
    text = bench.as_text(out)
    assert "200 draws" in text and "scripts/bench_engine.py" in text


def test_bench_scenario_covers_what_it_claims():
    s = bench.scenario()
    assert {o.kind for o in s.active.values()} == {"rules", "vendor_api", "genai_api",
                                                  "in_house", "hybrid"}
    assert len(s.active) == 5 and s.horizon_months == 120
    model = s.active["model"]
    assert model.interim and model.retraining and model.data and model.success_probability < 1
    assert not s.options["model2"].enabled and s.active["hybrid"].primary == "model2"
    prefixes = {p.split(".")[0] if p.split(".")[0] != "options" else p.split(".")[1]
                for p in c.ranged_fields(s)}
    assert {"traffic", "team", "quality", "vendor", "llm", "model", "hybrid"} <= prefixes


def test_cli_bench_json(run_cli):
    out = run_cli("bench", "--draws", "100", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= KEYS and data["draws"] == 100


def test_bench_engine_script_compares_the_loop():
    out = subprocess.run([sys.executable, "scripts/bench_engine.py", "--draws", "50",
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["draws"] == 50 and data["max_rel_diff"] < 1e-9 and data["speedup"] > 0
