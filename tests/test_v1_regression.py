"""Version 1 keeps its numbers: every shipped scenario and the worked example give exactly
what the engine gave before spec version 2 (tests/fixtures/v1, written at commit ea753d9).

Keys added since (labels, payback, warnings, hybrids, draws_reduced_from) are left out of the
comparison; every version-1 key and value must be the same: texts and whole numbers exactly,
floats to 1e-12 of their size. Not to the bit: numpy computes powers, logarithms and
exponentials with vectorised code on a processor with AVX-512 and with the C library's
scalar functions on one without, and the two can differ in the last bit (seen on two machines
of this workplace: 602580.5811686899 on one, 602580.58116869 on the other). Any change to
the model moves a number by far more than 1e-12 of it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from worked import scenario as worked

import calculator as c
from calculator.model.analysis import report, totals
from calculator.model.params import Params
from calculator.model.risk import simulate_report

BASE = Path(__file__).parent / "fixtures" / "v1"
CASES = [p.stem for p in sorted(BASE.glob("*.yaml"))] + ["worked-example"]
"""The shipped files as they were at version 1 (copies: the shipped ones have since gained
version-2 fields, which rightly move their numbers)."""


def load(stem: str) -> c.Scenario:
    return worked() if stem == "worked-example" else c.load_scenario(BASE / f"{stem}.yaml")


REL, ABS = 1e-12, 1e-9
"""Floats agree to 1e-12 of their size (1e-9 absolute near zero): see the module's text."""


def same_numbers(old, new) -> bool:
    old, new = np.asarray(old, dtype=float), np.asarray(new, dtype=float)
    return old.shape == new.shape and bool(np.allclose(new, old, rtol=REL, atol=ABS))


def same_keys(old, new, where: str = "") -> None:
    """Every key of ``old`` is in ``new`` with the same value (floats to ``REL``)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for k, v in old.items():
            assert k in new, f"{where}.{k} is gone"
            same_keys(v, new[k], f"{where}.{k}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(old) == len(new), where
        for k, (a, b) in enumerate(zip(old, new, strict=True)):
            same_keys(a, b, f"{where}.{k}")
    elif isinstance(old, float) and isinstance(new, float):
        assert math.isclose(old, new, rel_tol=REL, abs_tol=ABS), f"{where}: {old!r} became {new!r}"
    else:
        assert old == new, f"{where}: {old!r} became {new!r}"


@pytest.fixture(scope="module", params=CASES)
def case(request):
    stem = request.param
    return stem, load(stem), json.loads((BASE / f"{stem}.json").read_text())


def test_the_json_report_is_unchanged(case):
    _, s, old = case
    same_keys(old["report"], json.loads(json.dumps(report(s), allow_nan=False)))


def test_monthly_rows_are_the_same(case):
    _, s, old = case
    r = c.evaluate(s, detail=False)
    assert same_numbers(old["money"], r.money[0])
    assert same_numbers(old["error"], r.error[0])


def test_monte_carlo_totals_are_the_same(case):
    _, s, old = case
    t = totals(c.evaluate(s, Params.sample(s, 200, 7), detail=False))
    assert same_numbers(old["mc_total_cost"], t["total_cost"])
    assert same_numbers(old["mc_present_value"], t["present_value"])


def test_the_risk_report_is_unchanged(case):
    _, s, old = case
    same_keys(old["simulate"], json.loads(json.dumps(simulate_report(s, draws=200, seed=11))))
