"""The answer to a scenario, computed once: every figure people read, and where they come from.

:func:`decide` runs the engine on the plain scenario (one draw) and, when some input is
uncertain (a range, or a build that may fail), once on the Monte Carlo draws. Everything
the app, the command line, the memo, the slides and the charts say is read from the
:class:`Decision` it returns: the cheapest option, the build-versus-buy pair and its
payoff month, crossovers, run-rate break-even and payback traffic of every pair, the
chance that building pays off, the verdict, its caution, when to revisit, the cost of a
month's delay and the warnings. The sentences are made in :mod:`narrative`.

The decision pair: the *build* option is the cheapest in-house option (or hybrid whose
primary is built); the *buy* option is the cheapest option that is not built. Building
"pays off" in the first month from which the build path's cumulative cost (discounted when
the discount rate is above 0, errors included) stays below the buy option's to the
horizon: the month the J-curve of the saving crosses zero for good.

>>> from pathlib import Path
>>> from calculator.model.yamlio import load_scenario
>>> d = decide(load_scenario(Path(__file__).parents[2] / "scenarios/support-ticket-routing.yaml"))
>>> d.build, d.buy, d.cheapest
('in_house', 'llm', 'in_house')
>>> d.payoff_month == int(d.saving_curve.index(next(x for x in d.saving_curve if x > 0))) + 1
True
>>> 0 < d.odds.p_build_cheaper < 1
True
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import analysis, risk, scratch
from .analysis import break_evens, comparable, crossovers, decision_pair, pairs, tie, totals
from .engine import BLOCK_DRAWS, Result, evaluate, in_blocks, needed
from .numbers import likely
from .params import DEFAULT_SEED, Params, ranged_fields
from .scenario import HybridOption, Scenario
from .sweeps import constant_traffic, paybacks, share_sweep
from .warnings import scenario_warnings

SIM_DRAWS = 10_000


@dataclass(frozen=True)
class PairFigure:
    """A traffic figure of a pair of options: run-rate break-even or payback traffic."""

    a: str
    b: str
    calls_per_month: float | None
    single: bool = True     # False: the cheaper option changes more than once (node steps)


@dataclass(frozen=True)
class Odds:
    """What the Monte Carlo says about the decision pair (or about the cheapest option)."""

    draws: int
    seed: int
    reduced_from: int | None        # draws asked for, when the scenario's size cut them
    p_build_cheaper: float | None   # share of draws in which building costs less by the end
    payoff_p10: int | None          # payoff month percentiles (None: not within the horizon)
    payoff_p50: int | None
    payoff_p90: int | None
    # share of draws in which each option is the cheapest, when there is no decision pair
    # (with one, nothing shows it and the Monte Carlo computes only the pair's options)
    p_cheapest: dict[str, float] = field(default_factory=dict)
    band_p10: list[float] = field(default_factory=list)   # cumulative saving by month
    band_p90: list[float] = field(default_factory=list)
    expected_saving: float | None = None


@dataclass
class Decision:
    scenario: Scenario
    result: Result                          # the plain report, with its components
    basis: str                              # "present value" or "total"
    rank: dict[str, float]                  # comparable total by option (file order)
    ranking: list[str]                      # cheapest first
    cheapest: str
    build: str | None                       # the decision pair, when there is one
    buy: str | None
    saving: float | None                    # buy minus build (comparable), when a pair
    payoff_month: int | None                # J-curve crossing, plain report
    saving_curve: list[float]               # cumulative saving of building by month
    crossovers: list[analysis.Crossover]
    break_even: list[PairFigure]
    payback: list[PairFigure]
    odds: Odds | None
    delay_cost: float | None
    warnings: list[str]
    expected: dict[str, dict[str, float]] | None
    today: _dt.date
    texts: Any = None                       # texts.Texts, filled in by narrative.tell
    risk_report: dict[str, Any] | None = None   # the risk view's report, when asked for
    hybrids: dict[str, dict[str, Any]] = field(default_factory=dict)   # share sweeps

    # -- lookups the surfaces need ------------------------------------------------------
    def label(self, name: str) -> str:
        return self.scenario.label(name)

    def live_month(self, name: str) -> int:
        return int(self.result.live_month[0, self.result.names.index(name)])

    def pair_figure(self, figures: list[PairFigure], a: str, b: str) -> PairFigure | None:
        return next((f for f in figures if {f.a, f.b} == {a, b}), None)

    @property
    def uncertain(self) -> bool:
        return self.odds is not None

    @property
    def horizon(self) -> int:
        return self.scenario.horizon_months


# -- the pair the decision is about -----------------------------------------------------------

def payoff_months(saving: np.ndarray, scale: np.ndarray, axis: int = -1) -> np.ndarray:
    """First month (1-based) from which ``saving`` stays above 0 to the end; 0 where it does
    not end above 0. Months run along ``axis`` ((D, H) by default; the odds read (H, D)).
    Differences within ``analysis.tie`` of ``scale`` are ties.

    The month after the last one not ahead: the largest of "month number where not ahead,
    0 where ahead", small whole numbers a month's draws side by side (an ``argmax`` over
    the months reversed took seven times as long on the odds' (H, D) rows)."""
    h = saving.shape[axis]
    good = saving > tie(h) * np.maximum(scale, 1.0)
    shape = [1] * good.ndim
    shape[axis] = h
    month = np.arange(1, h + 1, dtype=np.min_scalar_type(h)).reshape(shape)
    last_behind = np.max(month * ~good, axis=axis)        # 0 when ahead in every month
    return np.where(np.take(good, -1, axis=axis), last_behind.astype(np.int64) + 1, 0)


PAYOFF_QUANTILES = (0.1, 0.5, 0.9)


def _months_pct(months: np.ndarray, h: int) -> list[int | None]:
    """P10, P50 and P90 of the payoff month, a draw that does not pay off (0) counting as
    later than the horizon (None): ``np.quantile(..., method="inverted_cdf")``, the k-th
    smallest with k = ceil(n·q − 1), read off how many draws pay off in each month (the
    months are whole numbers up to ``h``) instead of partitioning the draws."""
    n = months.size
    upto = np.cumsum(np.bincount(np.where(months > 0, months, h + 1), minlength=h + 2))
    out: list[int | None] = []
    for q in PAYOFF_QUANTILES:
        k = min(max(math.ceil(n * q - 1), 0), n - 1)
        month = int(np.searchsorted(upto, k + 1))     # the first with more than k at or before
        out.append(month if month <= h else None)
    return out


def sorted_percentiles(rows: np.ndarray, percents: Sequence[float]) -> np.ndarray:
    """``np.percentile(rows, percents, axis=1)`` of rows already sorted along axis 1, the
    same bits (numpy's linear method: the two order statistics around (n − 1)·q and its
    lerp, which takes the nearer end's form), without numpy partitioning them again."""
    n = rows.shape[1]
    out = np.empty((len(percents), rows.shape[0]))
    for k, pct in enumerate(percents):
        at = (n - 1) * (pct / 100)
        lo = min(max(math.floor(at), 0), n - 1)
        a, b = rows[:, lo], rows[:, min(lo + 1, n - 1)]
        t = at - lo if at < n - 1 else 0.0
        diff = b - a
        out[k] = b - diff * (1 - t) if t >= 0.5 else a + diff * t
    return out


def uncertain(s: Scenario) -> bool:
    """Whether the risk view has anything to add: ranges, or a build that may fail."""
    return bool(ranged_fields(s)) or any(
        likely(getattr(o, "success_probability", 1.0)) < 1 for o in s.options.values())


# -- deciding ---------------------------------------------------------------------------------

def decide(s: Scenario, draws: int = SIM_DRAWS, seed: int | None = None,
           today: _dt.date | None = None, with_report: bool = False) -> Decision:
    """Every answer for ``s``: the plain report, and the Monte Carlo when inputs are
    uncertain (``draws`` at most, fewer for big scenarios; fixed seed by default). With
    ``with_report``, also the risk view's full report (``d.risk_report``) from the same
    Monte Carlo run: an export runs it once."""
    today = today or _dt.date.today()
    r = evaluate(s)
    rank_arr = comparable(r)[0]
    rank = {n: float(rank_arr[i]) for i, n in enumerate(r.names)}
    ranking = sorted(r.names, key=lambda n: (rank[n], r.names.index(n)))
    build, buy = decision_pair(s, ranking)
    cum = r.cumulative()[0]
    saving, payoff, curve = None, None, []
    if build and buy:
        i, j = r.names.index(build), r.names.index(buy)
        saving = rank[buy] - rank[build]
        diff = (cum[j] - cum[i])[None, :]
        scale = np.maximum(np.abs(cum[i]), np.abs(cum[j]))[None, :]
        month = int(payoff_months(diff, scale)[0])
        payoff = month or None
        curve = [float(x) for x in diff[0]]
    which = [(r.names[i], r.names[j]) for i, j in pairs(r.names)]
    figures = pair_figures(s, which)
    d = Decision(
        scenario=s, result=r, basis="present value" if r.discounted else "total", rank=rank,
        ranking=ranking, cheapest=ranking[0], build=build, buy=buy, saving=saving,
        payoff_month=payoff, saving_curve=curve, crossovers=crossovers(r),
        break_even=figures[0], payback=figures[1], odds=None,
        delay_cost=_delay_cost(s, build, saving),
        warnings=_warnings(s, r, today), expected=None, today=today)
    d.hybrids = {n: share_sweep(s, n) for n, o in s.active.items()
                 if isinstance(o, HybridOption)}
    unsure = uncertain(s)
    if with_report:
        seed = DEFAULT_SEED if seed is None else seed
        run = risk.monte_carlo(s, draws, seed)
        if unsure:
            d.odds = _odds(d, draws, run[2].draws, seed,
                           *_pair_draws(d, [run[3]], run[2].draws))
        d.risk_report = risk.simulate_report(s, draws, seed, run=run)
    elif unsure:
        seed = DEFAULT_SEED if seed is None else seed
        sample = risk.sampled(s, draws, seed)
        # The odds compare costs only and, with a pair, only the pair's: its two options
        # and their interims are computed, the same bits as in the risk view's run of every
        # option (each option's rows depend on nothing else). A third of the work on
        # routing, half on the hybrid.
        only = needed(s, (build, buy)) if build and buy else None
        blocks = in_blocks(s, sample, value=False, only=only)
        d.odds = _odds(d, draws, sample.draws, seed,
                       *_pair_draws(d, blocks, sample.draws))
    if (unsure or with_report) and any(
            likely(getattr(o, "success_probability", 1.0)) < 1 for o in s.active.values()):
        d.expected = analysis.expected_totals(s)
    from .narrative import tell

    d.texts = tell(d)
    return d


def _figures(which: list[tuple[str, str]], values: Any,
             single: Any = None) -> list[PairFigure]:
    out = []
    for k, (a, b) in enumerate(which):
        v = float(values[k])
        one = True if single is None else bool(single[k])
        out.append(PairFigure(a, b, v if math.isfinite(v) else None, one))
    return out


def _paybacks(s: Scenario, which: list[tuple[str, str]]) -> list[PairFigure]:
    """Payback traffic of every pair (spec v2: one vectorised search)."""
    if not which:
        return []
    volumes, single = paybacks(s, which)
    return _figures(which, volumes[0], single[0])


PAIR_FIGURES_KEPT = 64
_pair_cache: OrderedDict[str, tuple[list[PairFigure], list[PairFigure]]] = OrderedDict()
_pair_lock = threading.Lock()


def traffic_free(s: Scenario) -> Scenario:
    """``s`` with its traffic replaced by one constant call a month: what the run-rate
    break-even and the payback traffic see of it (both replace the traffic by the constant
    volume they search for; ``peak_to_average`` is kept). Not re-validated."""
    flat = constant_traffic(s)
    return flat.model_copy(update={"traffic": flat.traffic.model_copy(
        update={"calls_per_month": 1.0})})


def pair_figures(s: Scenario, which: list[tuple[str, str]]
                 ) -> tuple[list[PairFigure], list[PairFigure]]:
    """Run-rate break-even and payback traffic of every pair in ``which``, computed on
    :func:`traffic_free` of ``s``. Neither depends on the traffic, so the last
    ``PAIR_FIGURES_KEPT`` answers are kept by that scenario's text: editing the traffic (the
    input people move most) does not search them again (the searches, 2,801 grid volumes
    and a geometric bisection, are about a fifth of a Decision's time)."""
    if not which:
        return [], []
    flat = traffic_free(s)
    key = flat.model_dump_json(warnings=False) + repr(which)
    with _pair_lock:
        hit = _pair_cache.get(key)
        if hit is not None:
            _pair_cache.move_to_end(key)
            return list(hit[0]), list(hit[1])
    found = (_figures(which, break_evens(flat, which)[0]), _paybacks(flat, which))
    with _pair_lock:
        _pair_cache[key] = found
        while len(_pair_cache) > PAIR_FIGURES_KEPT:
            _pair_cache.popitem(last=False)
    return list(found[0]), list(found[1])


def _delay_cost(s: Scenario, build: str | None, saving: float | None) -> float | None:
    """What one more month of building costs (comparable basis), for a build that pays."""
    if build is None or saving is None or saving <= 0:
        return None
    opt = s.active[build]
    if isinstance(opt, HybridOption):
        path, name = f"options.{opt.primary}.build_months", opt.primary
        b = float(likely(getattr(s.options[name], "build_months", 0)))
    else:
        path, name = f"options.{build}.build_months", build
        b = float(likely(getattr(s.options[name], "build_months", 0)))
    # only the build's own rows (and its interim's) are needed: the same bits as in a run of
    # every option
    swept = evaluate(s, Params.sweep(path, np.array([b, b + 1.0])), detail=False,
                     only=needed(s, [build]))
    rank = comparable(swept)
    i = swept.names.index(build)
    cost = float(rank[1, i] - rank[0, i])
    return cost if math.isfinite(cost) and cost > 0 else None


def _warnings(s: Scenario, r: Result, today: _dt.date) -> list[str]:
    live = {n: float(r.live_month[0, i]) for i, n in enumerate(r.names)}
    return scenario_warnings(s, live, today)


def _pair_draws(d: Decision, blocks: Iterable[Result], n: int
                ) -> tuple[list[str], np.ndarray, np.ndarray | None, np.ndarray | None]:
    """What the odds read of the Monte Carlo's ``n`` draws (``blocks`` of draws, in order):
    the options the blocks computed and their comparable total per draw (D, O) and, when
    there is a pair, the cumulative saving of building month by month (H, D: a month's
    draws side by side, as the band's percentiles read them) and the payoff month of every
    draw (D,), 0 where it does not pay off.

    A block of at most ``BLOCK_DRAWS`` draws at a time: the full (D, O, H) arrays are never
    held, and the same bits, since every draw's row is computed alone. Each block's total
    cost is weighed once and serves both the ranking and the pair's cumulative costs
    (:func:`~calculator.model.analysis.comparable` and ``Result.cumulative_of`` do the
    same sums on the same rows). Nothing of a block is kept but these figures
    (:func:`~calculator.model.engine.in_blocks` reuses its rows)."""
    names: list[str] = []
    rank = np.empty((n, 0))
    pair = None
    by_month = scratch.take((d.horizon, n)) if d.build and d.buy else None  # back by _odds
    months = np.empty(n, dtype=np.int64) if d.build and d.buy else None
    at = 0
    for r in blocks:
        if not at:                    # the first block says which options were computed
            names, rank = r.names, np.empty((n, len(r.names)))
            pair = (names.index(d.build), names.index(d.buy)) if d.build and d.buy else None
        if not r.discounted:          # plain sums of money and error: no temporaries
            rank[at:at + r.draws] = comparable(r)
        for lo in range(0, r.draws, BLOCK_DRAWS):
            hi = min(r.draws, lo + BLOCK_DRAWS)
            if r.discounted:          # comparable(r)'s present value, on these rows
                total = r.money[lo:hi] + r.error[lo:hi]       # (d, O, H), fresh
                total *= r.weights
                rank[at + lo:at + hi] = total.sum(axis=-1)
            if pair is None or by_month is None or months is None:
                continue
            # The pair's total costs: two rows of the weighed total or, undiscounted (ranked
            # above), the two options' own sums, not every option's.
            cost_i, cost_j = (total[:, k] if r.discounted
                              else (r.money[lo:hi, k] + r.error[lo:hi, k]) for k in pair)
            # Their cumulative costs month by month as (H, d) rows: a month's draws side by
            # side, one add of d numbers a month (numpy's cumsum along 36 months is a loop
            # per draw), the same sums in the same order, so the same bits; the saving is
            # written straight into the band's columns.
            cum_i = _running_sum(cost_i.T)
            cum_j = _running_sum(cost_j.T)
            saving = np.subtract(cum_j, cum_i, out=by_month[:, at + lo:at + hi])
            scale = np.maximum(np.abs(cum_i), np.abs(cum_j), out=cum_i)
            months[at + lo:at + hi] = payoff_months(saving, scale, axis=0)
        at += r.draws
    return names, rank, by_month, months


def _running_sum(rows: np.ndarray) -> np.ndarray:
    """``np.cumsum(rows, axis=0)`` of (H, d) rows, a month at a time."""
    out = np.empty(rows.shape)
    out[0] = rows[0]
    for m in range(1, rows.shape[0]):
        np.add(out[m - 1], rows[m], out=out[m])
    return out


def _odds(d: Decision, asked: int, n: int, seed: int, names: list[str], rank: np.ndarray,
          by_month: np.ndarray | None, months: np.ndarray | None) -> Odds:
    odds: dict[str, Any] = {}
    if not (d.build and d.buy):   # with a pair, the odds are the pair's (see Odds)
        p_cheapest = np.bincount(np.argmin(rank, axis=1), minlength=len(names)) / n
        odds["p_cheapest"] = {x: float(p_cheapest[k]) for k, x in enumerate(names)}
    if d.build and d.buy and by_month is not None and months is not None:
        i, j = names.index(d.build), names.index(d.buy)
        p10, p50, p90 = _months_pct(months, d.horizon)
        # Each month's draws sorted (in place: the saving is not read again), the band read
        # off them: numpy's sort is vectorised and its selection is not (2 ms against 5 for
        # 10,000 x 36), and np.percentile would select again on the sorted rows.
        by_month.sort(axis=1)
        band = sorted_percentiles(by_month, (10, 90))
        scratch.give(by_month)          # read to the end: kept for the next Decision
        odds |= {"p_build_cheaper": float(np.mean(months > 0)), "payoff_p10": p10,
                 "payoff_p50": p50, "payoff_p90": p90, "band_p10": band[0].tolist(),
                 "band_p90": band[1].tolist(),
                 "expected_saving": float(np.mean(rank[:, j] - rank[:, i]))}
    else:
        odds |= {"p_build_cheaper": None, "payoff_p10": None, "payoff_p50": None,
                 "payoff_p90": None}
    return Odds(draws=n, seed=seed, reduced_from=asked if n < asked else None, **odds)


def totals_by_option(d: Decision) -> dict[str, dict[str, float]]:
    """Money, error and total cost, present value, per 1,000 calls (and net value)."""
    t = totals(d.result)
    return {n: {k: float(v[0, i]) for k, v in t.items()} for i, n in enumerate(d.result.names)}
