"""Searches over one input, on the engine's draws axis: the payback traffic of pairs of
options and a hybrid's best primary share.

Payback traffic (spec/model.md, "Payback traffic"): replace the traffic by a constant V calls
every month (no growth, no ``monthly_calls``; ``peak_to_average`` kept), keep everything
else (setup, build, interim, labelling, retraining, price changes) and compare the two
options' horizon totals (present value when discounting). The payback traffic is the lowest
V > 0 at which the cheaper of the two changes, to 0.1 % or better; none up to 10^12. Unlike
the break-even volume (run-rate parity) it counts what building costs before it pays.

The worked example over 12 months at V calls a month: the api costs 12 · 0.003·V = 0.036·V;
the model 2 · 0.003·V (its interim) + 1,000 setup + 2 · 20,000 build + 10 · (730 + 1,000) =
0.006·V + 58,300. Building pays off from V = 58,300 / 0.03 = 1,943,333 calls a month; the
break-even volume (576,667, run-rate parity) ignores the 41,000 of setup and build:

>>> from calculator.model.yamlio import validate
>>> s = validate({"schema_version": 1, "name": "w", "horizon_months": 12,
...     "traffic": {"calls_per_month": 1_000_000}, "team": {"ml_engineer": 20_000},
...     "options": {"api": {"kind": "genai_api", "input_tokens_per_call": 1000,
...                         "output_tokens_per_call": 100, "price_per_million_input_tokens": 2.0,
...                         "price_per_million_output_tokens": 10.0},
...                 "model": {"kind": "in_house", "interim": "api", "build_months": 2,
...                           "build_team": {"ml_engineer": 1}, "setup": {"cost": 1000},
...                           "run_team": {"ml_engineer": 0.05}, "min_nodes": 1,
...                           "node_cost_per_hour": 1.0, "node_capacity_rps": 1000}}})
>>> v, single = paybacks(s, [("api", "model")])
>>> round(float(v[0, 0])), bool(single[0, 0])
(1943333, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import evaluate
from .hybrid import primary_accuracy_path
from .numbers import Range
from .params import DEFAULT_SEED, Params, draw
from .scenario import HybridOption, Scenario

MAX_VOLUME = 1e12
GRID = np.logspace(-2, 12, 2801)
"""Calls a month searched first; neighbours differ by 1.16 %."""
CHUNK_CELLS = 2_000_000
"""Draws x options x months evaluated at a time (16 MB an array)."""
SHARE_DRAWS = 256
"""Draws of a ranged primary accuracy in :func:`share_sweep`."""


def constant_traffic(s: Scenario) -> Scenario:
    """``s`` with no growth and no monthly series: the volume is ``traffic.calls_per_month``
    (which a parameter set then sets), ``peak_to_average`` kept. Not re-validated: the
    engine's input only."""
    t = s.traffic.model_copy(update={"growth": "none", "monthly_calls": None,
                                     "growth_rate_monthly": 0.0, "growth_calls_per_month": 0.0})
    return s.model_copy(update={"traffic": t})


def horizon_totals(s: Scenario, p: Params) -> np.ndarray:
    """(D, O) horizon total of every active option per draw (present value when
    discounting), evaluated a chunk of draws at a time so memory stays bounded."""
    cells = max(1, len(s.active) * s.horizon_months)
    step = max(1, CHUNK_CELLS // cells)
    out = np.empty((p.draws, len(s.active)))
    for lo in range(0, p.draws, step):
        hi = min(p.draws, lo + step)
        r = evaluate(s, p.rows(lo, hi), detail=False)
        total = r.money + r.error
        if r.discounted:
            total *= r.weights
        out[lo:hi] = np.broadcast_to(total.sum(axis=-1), (hi - lo, total.shape[1]))
    return out


def _repeat(p: Params, k: int) -> Params:
    """Every draw of ``p`` k times in a row (draw d's copies are rows d·k … d·k + k − 1)."""
    return Params(p.draws * k, {path: np.repeat(a, k) for path, a in p.values.items()},
                  {n: np.repeat(a, k) for n, a in p.success.items()})


def _signs(f: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """-1, 0, +1 with a tie where the gap is float noise of the totals."""
    return np.where(np.abs(f) <= 1e-9 * np.maximum(scale, 1.0), 0.0, np.sign(f))


def _sign_changes(sgn: np.ndarray) -> np.ndarray:
    """How often the sign changes along the last axis, ties skipped."""
    idx = np.where(sgn != 0, np.arange(sgn.shape[-1]), 0)
    filled = np.take_along_axis(sgn, np.maximum.accumulate(idx, axis=-1), axis=-1)
    return np.sum((filled[..., 1:] != filled[..., :-1]) & (filled[..., :-1] != 0), axis=-1)


def paybacks(s: Scenario, which: list[tuple[str, str]],
             p: Params | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Payback traffic of several pairs at once.

    Returns ``(volumes, single)``, both (D, P): the lowest constant monthly volume at which
    the cheaper of the pair over the horizon changes (NaN where it does not up to 10^12),
    and whether that is the only change on the search grid (False where node steps or
    volume tiers make the difference change sign more than once: the lowest is reported).
    One evaluation of a 2,801-point log grid for all pairs, then simultaneous geometric
    bisection to 10^-5 and linear interpolation.
    """
    p = p or Params.plain()
    flat, names = constant_traffic(s), list(s.active)
    ia = np.array([names.index(a) for a, _ in which], dtype=int)
    ib = np.array([names.index(b) for _, b in which], dtype=int)
    d, n, k = p.draws, GRID.size, len(which)
    if k == 0:
        return np.empty((d, 0)), np.empty((d, 0), dtype=bool)

    def gaps(v: np.ndarray, per: int) -> tuple[np.ndarray, np.ndarray]:
        """Totals gap a − b and scale at volumes ``v`` (D, per) for every pair: (D, P, per)."""
        q = _repeat(p, per)
        q.values["traffic.calls_per_month"] = v.reshape(-1)
        tot = horizon_totals(flat, q).reshape(d, per, -1)
        ta, tb = tot[:, :, ia], tot[:, :, ib]                 # (D, per, P)
        return ((ta - tb).transpose(0, 2, 1),
                np.maximum(np.abs(ta), np.abs(tb)).transpose(0, 2, 1))

    f, scale = gaps(np.broadcast_to(GRID, (d, n)), n)
    sgn = _signs(f, scale)                                       # (D, P, N)
    nonzero = sgn != 0
    first = np.argmax(nonzero, axis=-1)
    start = np.take_along_axis(sgn, first[..., None], axis=-1)[..., 0]
    flips = (sgn == -start[..., None]) & (np.arange(n) > first[..., None])
    found = flips.any(axis=-1) & nonzero.any(axis=-1)
    single = _sign_changes(sgn) <= 1
    j = np.argmax(flips, axis=-1)
    lo, hi = GRID[np.maximum(j - 1, 0)], GRID[j]
    pick = np.arange(k)

    def at(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:     # (D, P) -> gap of pair k at v[:, k]
        g, sc = gaps(v, k)
        return g[:, pick, pick], sc[:, pick, pick]

    while np.any(found & (hi / lo > 1 + 1e-5)):
        mid = np.sqrt(lo * hi)
        g, sc = at(mid)
        same = _signs(g, sc) == start
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    (f_lo, _), (f_hi, _) = at(lo), at(hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(f_lo != f_hi, lo + f_lo * (hi - lo) / (f_lo - f_hi), hi)
    return np.where(found, np.clip(root, lo, hi), np.nan), single


def share_sweep(s: Scenario, hybrid: str, n: int = 21, draws: int = SHARE_DRAWS,
                seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The hybrid's horizon total (present value when discounting) at ``n`` primary shares
    from 0 to 1, in one evaluation; every other field at its likely value, except a ranged
    primary accuracy, whose total is averaged over ``draws`` draws of it (the total at their
    mean: the accuracy enters only the errors, linearly). Also the best
    share (the lowest total; the smallest share on a tie) and its saving against the best
    single option (not a hybrid, switched on; None when there is none).

    Returns ``{"hybrid", "basis", "shares", "totals", "best_share", "best_total",
    "best_single", "best_single_total", "saving"}``.
    """
    opt = s.active.get(hybrid)
    if not isinstance(opt, HybridOption):
        raise ValueError(f"{hybrid!r} is not a hybrid option that is switched on")
    alone = {hybrid: opt} | {k: s.options[k].model_copy(update={"enabled": False})
                             for k in (opt.primary, opt.fallback)}
    sub = s.model_copy(update={"options": alone})
    shares = np.linspace(0.0, 1.0, n)
    path, accuracy = primary_accuracy_path(hybrid, opt)
    if accuracy is None:
        accuracy = getattr(s.options[opt.primary], "accuracy", None)
    values = {f"options.{hybrid}.primary_share": shares}
    if isinstance(accuracy, Range):
        # The accuracy enters a total only through the errors, linearly, so the mean of the
        # totals over its draws is the total at the draws' mean: one evaluation a share, not
        # ``draws`` (the same figures to a few parts in 10^13; a fifth of the hybrid
        # scenario's Decision before).
        values[path] = np.full(n, draw(np.random.default_rng(seed), accuracy, draws).mean())
    totals = horizon_totals(sub, Params(n, values))[:, 0]
    best = int(np.argmin(totals))
    singles = [i for i, o in enumerate(s.active.values()) if not isinstance(o, HybridOption)]
    out: dict[str, Any] = {
        "hybrid": hybrid, "basis": "present_value" if s.discount_rate_annual > 0
        else "total_cost", "shares": shares.tolist(), "totals": totals.tolist(),
        "best_share": float(shares[best]), "best_total": float(totals[best]),
        "best_single": None, "best_single_total": None, "saving": None}
    if singles:
        plain = horizon_totals(s, Params.plain())[0]
        i = min(singles, key=lambda x: plain[x])
        out |= {"best_single": list(s.active)[i], "best_single_total": float(plain[i]),
                "saving": float(plain[i] - totals[best])}
    return out
