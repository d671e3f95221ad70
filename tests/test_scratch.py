"""Scratch arrays kept between Monte Carlo runs (calculator/model/scratch.py): reused, never
handed to two takers, bounded; and a run on reused rows gives the bits of a fresh one."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ROOT

import calculator as c
from calculator.model import scratch
from calculator.model.decision import decide
from calculator.model.engine import evaluate, in_blocks
from calculator.model.params import Params


@pytest.fixture
def empty(monkeypatch):
    from collections import OrderedDict

    monkeypatch.setattr(scratch, "_kept", OrderedDict())
    monkeypatch.setattr(scratch, "_bytes", 0)


def test_a_given_array_goes_to_one_taker_of_its_shape(empty):
    a = scratch.take((3, 4))
    scratch.give(a)
    assert scratch.kept_bytes() == 3 * 4 * 8
    assert scratch.take((4, 3)) is not a               # another shape: a new array
    assert scratch.take((3, 4)) is a                   # the kept one ...
    assert scratch.take((3, 4)) is not a               # ... to one taker only
    assert scratch.kept_bytes() == 0
    scratch.give(a, a)                                 # given twice: kept once
    assert scratch.kept_bytes() == 96


def test_what_is_kept_is_bounded(empty):
    quarter = scratch.KEEP_BYTES // 4 // 8              # floats in a quarter of the budget
    big = np.empty(quarter + 1)
    scratch.give(big)                                   # above a quarter: not kept
    assert scratch.kept_bytes() == 0
    arrays = [np.empty(quarter) for _ in range(5)]      # five quarters: the oldest goes
    scratch.give(*arrays)
    assert scratch.kept_bytes() == 4 * quarter * 8
    assert all(scratch.take((quarter,)) is not arrays[0] for _ in range(4))


def test_a_monte_carlo_on_reused_rows_gives_the_bits_of_fresh_ones(empty):
    # the rows of one run, left full of its costs, are the next run's: they must be zeroed
    # (a run on them gives exactly what a run on fresh rows gives)
    routing = c.load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml")
    churn = c.load_scenario(ROOT / "scenarios" / "churn-risk-scoring.yaml")
    assert len(routing.active) == len(churn.active) and routing.horizon_months == 36
    p_churn, p_routing = Params.sample(churn, 600, seed=3), Params.sample(routing, 600, seed=3)
    for _ in in_blocks(churn, p_churn, value=False, block=256):
        pass
    assert scratch.kept_bytes() == 2 * 3 * 256 * 36 * 8      # money and error rows, kept
    got = [(r.money.copy(), r.error.copy()) for r in in_blocks(routing, p_routing,
                                                                value=False, block=256)]
    whole = evaluate(routing, p_routing, detail=False, value=False)
    lo = 0
    for money, error in got:
        hi = lo + money.shape[0]
        assert np.array_equal(money.view(np.int64), whole.money[lo:hi].view(np.int64))
        assert np.array_equal(error.view(np.int64), whole.error[lo:hi].view(np.int64))
        lo = hi
    assert lo == 600


def test_a_decision_gives_its_scratch_back_and_decides_the_same_again(empty):
    s = c.load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml")
    first = decide(s)
    # the rows (the pair's 2 options x 2,048 draws x 36 months, money and error: the odds
    # draw only the pair, in_house and its interim llm, not rules) and the saving by month
    # (36 x 10,000) are kept for the next Decision: (294,912 + 360,000) x 8 = 5,239,296
    assert scratch.kept_bytes() == (2 * 2 * 2048 * 36 + 36 * 10_000) * 8
    again = decide(s)
    assert again.odds == first.odds and again.texts.headline == first.texts.headline
