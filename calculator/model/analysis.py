"""Reading a Result: totals, crossovers, break-even volumes, net value and the report
(with payback traffic and hybrid shares from :mod:`~calculator.model.sweeps` and warnings
from :mod:`~calculator.model.warnings`).

Crossover of a pair (a, b): D(t) = C_a(t) - C_b(t) on cumulative total cost (discounted
when the discount rate is above 0). The leader is the cheaper one in the first month they
differ; the crossover is the first later month in which the leader is no longer strictly
cheaper, and its fractional month is (t - 1) + D(t - 1) / (D(t - 1) - D(t)).

>>> import numpy as np
>>> cum = np.array([[[10., 20., 30.], [15., 18., 21.]]])   # a: +10 a month, b: 15 then +3
>>> month, frac, catcher = crossing(cum[:, 0], cum[:, 1])
>>> int(month[0]), round(float(frac[0]), 4), int(catcher[0])   # D = -5, 2, 9: crosses in month 2
(2, 1.7143, 1)
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import Result, evaluate, steady_monthly_cost
from .params import Params, success_of
from .scenario import HybridOption, Scenario
from .sweeps import paybacks, share_sweep
from .warnings import scenario_warnings

MAX_VOLUME = 1e12
_GRID = np.logspace(-2, 12, 2801)   # calls a month; neighbours differ by 1.16 %


def totals(r: Result) -> dict[str, np.ndarray]:
    """Per draw and option (D, O): money, error and total cost, present value, cost per
    1,000 calls, and net value (value of right predictions, discounted like the costs,
    minus total cost) when a value per right prediction is set."""
    money = r.money.sum(axis=-1)
    error = r.error.sum(axis=-1)
    total = money + error
    pv = _present_value(r)
    calls = r.volume.sum(axis=-1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1k = np.where(calls > 0, total / np.where(calls > 0, calls, 1.0) * 1000.0, np.nan)
    out = {"money_cost": money, "error_cost": error, "total_cost": total,
           "present_value": pv, "cost_per_1k_calls": per_1k}
    if r.value is not None:
        w = r.weights if r.discounted else 1.0
        basis = pv if r.discounted else total
        out["net_value"] = (r.value * w).sum(axis=-1) - basis
    return out


def _present_value(r: Result, block: int = 1024) -> np.ndarray:
    """Σ total·weights per draw and option, a block of draws at a time (no full-size
    temporaries; each row's sum is the same as in one pass)."""
    out = np.empty(r.money.shape[:2])
    for lo in range(0, r.draws, block):
        part = r.money[lo:lo + block] + r.error[lo:lo + block]
        part *= r.weights
        out[lo:lo + block] = part.sum(axis=-1)
    return out


def comparable(r: Result) -> np.ndarray:
    """The figure options are ranked by: present value when discounting, else total (the
    same sums, bit for bit, as :func:`totals`, without its other figures)."""
    if r.discounted:
        return _present_value(r)
    return r.money.sum(axis=-1) + r.error.sum(axis=-1)


TIE = 8 * float(np.finfo(float).eps)
"""Per month summed, the share of the larger cumulative cost within which two are tied: the
float noise of a cumulative sum of H months is at most about H machine epsilons of it, so
``tie(H) = TIE * H`` (2e-13 for 120 months) is above the noise and below any gap worth
money (a constant $100 gap stays a gap beside $10^11 of cumulative cost, and a $10^9-a-month
gap beside $10^23)."""


def tie(months: int) -> float:
    """The share within which two cumulative costs over ``months`` months are tied."""
    return TIE * max(months, 1)


def crossing(ca: np.ndarray, cb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Crossover of cumulative curves ``ca`` and ``cb`` (D, H).

    Returns the crossover month (0 where none), its fractional month (NaN where none; within
    the crossover month, the linear interpolation of the gap, or the month's end when the
    gap did not move, a tie reached within :func:`tie`) and which one catches up (0 for a,
    1 for b; -1 where they never differ)."""
    diff = ca - cb
    scale = np.maximum(np.maximum(np.abs(ca), np.abs(cb)), 1.0)
    tol = tie(diff.shape[-1]) * scale
    differs = np.abs(diff) > tol
    any_diff = differs.any(axis=-1)
    first = np.argmax(differs, axis=-1)
    rows = np.arange(diff.shape[0])
    sign = np.sign(diff[rows, first])                       # +1: b leads, -1: a leads
    idx = np.arange(diff.shape[1])
    behind_gone = (sign[:, None] * diff <= tol) & (idx[None, :] > first[:, None])
    crosses = behind_gone.any(axis=-1) & any_diff
    t = np.argmax(behind_gone, axis=-1)
    prev = diff[rows, np.maximum(t - 1, 0)]
    now = diff[rows, t]
    with np.errstate(divide="ignore", invalid="ignore"):
        step = prev / (prev - now)
    step = np.where(np.isfinite(step), np.clip(step, 0.0, 1.0), 1.0)
    frac = np.where(crosses, t + step, np.nan)
    month = np.where(crosses, t + 1, 0)
    catcher = np.where(any_diff, np.where(sign > 0, 0, 1), -1)
    return month, frac, catcher


def pairs(names: list[str]) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(len(names)), 2))


def break_evens(s: Scenario, which: list[tuple[str, str]], p: Params | None = None) -> np.ndarray:
    """Break-even volumes (D, P) of several pairs at once: for each pair the lowest constant
    monthly volume at which the cheaper of the two changes, to 0.1 % or better (geometric
    bisection from a 14-decade grid, then linear interpolation); NaN where the cheaper does
    not change up to 10^12 calls a month."""
    p = p or Params.plain()
    names = sorted({n for pair in which for n in pair})
    d = p.draws

    def costs(v: np.ndarray) -> dict[str, np.ndarray]:
        return {n: np.broadcast_to(steady_monthly_cost(s, p, n, v), (d, v.shape[-1]))
                for n in names}

    def at(v: np.ndarray) -> np.ndarray:             # v: (D, P), pair k at v[:, k] -> (D, P)
        c = costs(v)
        return np.stack([c[a][:, k] - c[b][:, k] for k, (a, b) in enumerate(which)], axis=1)

    grid_cost = costs(_GRID[None, :])
    f = np.stack([grid_cost[a] - grid_cost[b] for a, b in which], axis=1)   # (D, P, N)
    sgn = np.where(np.abs(f) <= 1e-12 * np.maximum(np.abs(f), 1e-9), 0.0, np.sign(f))
    nonzero = sgn != 0
    first = np.argmax(nonzero, axis=-1)
    start = np.take_along_axis(sgn, first[..., None], axis=-1)[..., 0]
    flips = (sgn == -start[..., None]) & (np.arange(_GRID.size) > first[..., None])
    found = flips.any(axis=-1) & nonzero.any(axis=-1)
    j = np.argmax(flips, axis=-1)
    lo, hi = _GRID[np.maximum(j - 1, 0)], _GRID[j]
    while np.any(hi / lo > 1 + 1e-5):   # then interpolation: exact on linear pieces
        mid = np.sqrt(lo * hi)
        same = np.sign(at(mid)) == start
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    f_lo, f_hi = at(lo), at(hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(f_lo != f_hi, lo + f_lo * (hi - lo) / (f_lo - f_hi), hi)
    return np.where(found, np.clip(root, lo, hi), np.nan)


def break_even(s: Scenario, a: str, b: str, p: Params | None = None) -> np.ndarray:
    """Break-even volume (D,) of one pair; see :func:`break_evens`."""
    return break_evens(s, [(a, b)], p)[:, 0]


@dataclass
class Crossover:
    cheaper: str
    than: str
    month: int
    fractional_month: float


def crossovers(r: Result, draw: int = 0) -> list[Crossover]:
    """First crossing of every pair that crosses within the horizon (one draw)."""
    cum = r.cumulative()
    out = []
    for i, j in pairs(r.names):
        month, frac, catcher = crossing(cum[draw:draw + 1, i], cum[draw:draw + 1, j])
        if month[0] > 0:
            a, b = (r.names[i], r.names[j]) if catcher[0] == 0 else (r.names[j], r.names[i])
            out.append(Crossover(a, b, int(month[0]), float(frac[0])))
    return out


def expected_totals(s: Scenario) -> dict[str, dict[str, float]]:
    """Totals weighted by each in-house build's success probability (the 'expected' line)."""
    r = evaluate(s, Params.outcomes(s), detail=False)
    t = totals(r)
    out: dict[str, dict[str, float]] = {}
    for i, name in enumerate(s.active):
        prob = success_of(s, name)[1]      # a hybrid's: its primary's
        # draw 0: every build works; draw 1: every build fails
        out[name] = {k: float(prob * v[0, i] + (1.0 - prob) * v[-1, i]) for k, v in t.items()}
    return out


def _may_fail(s: Scenario, name: str) -> bool:
    """Whether an option's (or a hybrid's primary's) success probability is set (a range
    counts, whatever its likely value)."""
    key = success_of(s, name)[0]
    return key is not None and getattr(s.options[key], "success_probability", 1.0) != 1.0


def report(s: Scenario, today: _dt.date | None = None) -> dict[str, Any]:
    """The command line's JSON report (scenario-format.md), full floats. ``today`` dates the
    stale-prices warning (default: the real today)."""
    r = evaluate(s, detail=False)
    t = totals(r)
    options: dict[str, Any] = {}
    for i, name in enumerate(r.names):
        row = {"kind": s.active[name].kind, "label": s.label(name),
               "live_month": int(r.live_month[0, i])}
        for key in ("money_cost", "error_cost", "total_cost", "present_value",
                    "cost_per_1k_calls"):
            val = float(t[key][0, i])
            row[key] = None if not np.isfinite(val) else val
        if "net_value" in t:
            row["net_value"] = float(t["net_value"][0, i])
        options[name] = row
    rank = comparable(r)[0]
    cheapest = r.names[int(np.argmin(rank))]
    out: dict[str, Any] = {
        "name": s.name, "horizon_months": s.horizon_months, "currency": s.currency,
        "options": options, "cheapest": cheapest,
        "crossovers": [{"cheaper": c.cheaper, "than": c.than, "month": c.month,
                        "fractional_month": c.fractional_month} for c in crossovers(r)],
        "break_even": [],
    }
    which = [(r.names[i], r.names[j]) for i, j in pairs(r.names)]
    volumes = break_evens(s, which)[0] if which else []
    for (a, b), v in zip(which, volumes, strict=True):
        v = float(v)
        out["break_even"].append({"options": [a, b],
                                  "calls_per_month": v if np.isfinite(v) else None})
    out["payback"] = []
    volumes, single = paybacks(s, which)
    for (a, b), v, one in zip(which, volumes[0], single[0], strict=True):
        v = float(v)
        out["payback"].append({"options": [a, b], "calls_per_month": v if np.isfinite(v)
                               else None, "single_threshold": bool(one)})
    if "net_value" in t:
        out["pays_for_itself"] = [n for i, n in enumerate(r.names)
                                  if t["net_value"][0, i] > 0]
    if any(_may_fail(s, name) for name in s.active):
        out["expected"] = expected_totals(s)
    live = {n: float(r.live_month[0, i]) for i, n in enumerate(r.names)}
    out["warnings"] = scenario_warnings(s, live, today)
    out["hybrids"] = {}
    for name, opt in s.active.items():
        if isinstance(opt, HybridOption):
            sweep = share_sweep(s, name)
            out["hybrids"][name] = {k: sweep[k] for k in (
                "best_share", "best_total", "best_single", "best_single_total", "saving")}
    return out


# -- the pair a decision is about -------------------------------------------------------------

def is_built(s: Scenario, name: str) -> bool:  # noqa: D401
    """An option the team builds: in-house, or a hybrid whose primary is in-house."""
    from .scenario import HybridOption, InHouseOption

    opt = s.options[name]
    if isinstance(opt, HybridOption):
        return isinstance(s.options[opt.primary], InHouseOption)
    return isinstance(opt, InHouseOption)


def decision_pair(s: Scenario, ranking: list[str]) -> tuple[str | None, str | None]:
    built = [n for n in ranking if is_built(s, n)]
    bought = [n for n in ranking if not is_built(s, n)]
    return (built[0] if built else None), (bought[0] if bought else None)
