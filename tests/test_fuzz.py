"""Fuzzing the one door: arbitrary mutations of valid scenarios only ever give a Scenario
or a ScenarioError, quickly, and every valid result is finite."""

from __future__ import annotations

import json
import time

import numpy as np
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculator as c

TEXTS = [p.read_text() for p in SCENARIOS]
WEIRD = ["no", "on", "012", "1:10", "1e3", ".nan", "-.inf", "~", "''", "[]", "{}", "&a x",
         "*a", "!!python/name:os.system", "- - -", "true", "0x1F", "1_0", "'=cmd'", "\t",
         "\x00", "\ufeff", "<img src=x>", "{low: 1, likely: 0, high: 2}", "-1", "1e308",
         "99999999999999999999999", "0.0000001", "\"\\u0000\""]


@st.composite
def mutated(draw) -> bytes:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "replace_value", "duplicate_line"]))
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete":
            a = draw(st.integers(0, len(text)))
            b = draw(st.integers(a, min(len(text), a + 40)))
            text = text[:a] + text[b:]
        elif op == "insert":
            a = draw(st.integers(0, len(text)))
            text = text[:a] + draw(st.sampled_from(WEIRD) | st.text(max_size=8)) + text[a:]
        elif op == "replace_value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(WEIRD))}\n"
            text = "".join(lines)
        elif lines:
            lines.insert(i, lines[i])
            text = "".join(lines)
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_give_a_scenario_or_a_scenario_error_quickly(data):
    start = time.perf_counter()
    try:
        s = c.loads_scenario(data)
    except c.ScenarioError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        r = c.evaluate(s)
        assert np.isfinite(r.total).all()
        for v in c.totals(r).values():
            assert np.isfinite(v).all()
        json.dumps(c.report(s), allow_nan=False)   # the CLI's JSON never holds NaN
    assert time.perf_counter() - start < 2.0, "one file must never take seconds"
