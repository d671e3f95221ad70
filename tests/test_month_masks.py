"""Month masks read from tables (calculator/model/month_masks.py) give the booleans of the
comparisons they replace, for every month a draw can have."""

from __future__ import annotations

import numpy as np
import pytest

from calculator.model import month_masks as masks

H = 12
M = np.arange(1, H + 1, dtype=float)
# every row the table has (0 … H + 1), months before the horizon's start and long after
# it, and a build that failed (infinity); repeated so that there are enough draws
WHOLE = np.array([-3.0, 0.0, 1.0, 2.0, 5.0, 11.0, 12.0, 13.0, 14.0, 40.0, np.inf])
COL = np.tile(WHOLE, 4)[:, None]            # (44, 1): above masks.MIN_DRAWS


def test_enough_draws_to_use_the_tables():
    assert COL.shape[0] >= masks.MIN_DRAWS


def test_since_is_the_comparison():
    assert np.array_equal(masks.since(M, COL), M >= COL)
    assert masks.since(M, COL).shape == (COL.shape[0], H)


def test_between_and_at_are_the_comparisons():
    later = COL + np.tile([0.0, 1.0, 3.0, 20.0], 11)[:, None]
    assert np.array_equal(masks.between(M, COL, later), (M >= COL) & (later > M))
    assert np.array_equal(masks.between(M, 2.0, COL), (M >= 2.0) & (M < COL))
    assert np.array_equal(masks.at(M, COL), M == COL)
    assert np.array_equal(masks.at(M, COL - 1.0), M == COL - 1.0)   # -4, -1, 0, … too


@pytest.mark.parametrize("every", [1.0, 2.0, 3.0, 6.0, 12.0, 13.0])
def test_due_is_the_retraining_arithmetic(every):
    live = COL[COL[:, 0] >= 0]
    live = np.concatenate([live] * 2)
    q = (M - live) / every
    assert np.array_equal(masks.due(M, live, every), (live < M) & (q == np.floor(q)))
    # a month 0 is every "every" months before month 1: month "every" is due, not month 1
    zero = np.zeros((32, 1))
    assert masks.due(M, zero, every)[0].tolist() == [m % every == 0 for m in range(1, H + 1)]


def test_what_the_tables_cannot_answer_is_computed():
    odd = COL + 0.5                          # not whole: compared as before
    assert np.array_equal(masks.since(M, odd), odd <= M)
    nan = COL.copy()
    nan[3, 0] = np.nan                       # not a number: never at or after it
    assert np.array_equal(masks.since(M, nan), nan <= M)
    assert not masks.since(M, nan)[3].any()
    below = np.full((32, 1), -2.0)           # due after month -2: by the arithmetic
    q = (M - below) / 3.0
    assert np.array_equal(masks.due(M, below, 3.0), (below < M) & (q == np.floor(q)))
    per_draw = np.full((32, 1), 3.0)          # a ranged "every": by the arithmetic
    live = np.full((32, 1), 2.0)
    q = (M - live) / per_draw
    assert np.array_equal(masks.due(M, live, per_draw), (live < M) & (q == np.floor(q)))


def test_one_draw_and_a_single_month_keep_their_shapes():
    # the plain report: a number or one draw compares as before, same shape
    assert masks.since(M, 3.0).shape == (H,)
    assert masks.since(M, np.array([[3.0]])).shape == (1, H)
    assert masks.at(M, 3.0).tolist() == (M == 3.0).tolist()
