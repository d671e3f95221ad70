"""The shortcuts that make an input change cheap give the same answers as the long way.

An input change reruns the page: the Decision (plain report, payback searches, 10,000
Monte Carlo draws) and the open chart. Each shortcut here is checked against the path it
replaces, bit for bit:

- charts: :func:`calculator.charts.to_spec` turns each frame into rows once, where Altair
  sanitised, hashed and deep-copied it in every layer; and no chart hands Altair a plain
  string or dict as a channel (each costs a schema lookup of about 5 ms);
- payback traffic and run-rate break-even do not depend on the traffic, so they are kept
  by the scenario without its traffic;
- the Decision's odds read the Monte Carlo a block of draws at a time instead of holding
  every option's (draws x months) arrays, and the blocks share one set of output rows
  (fresh ones cost about 5,000 page faults a change);
- a cost added in a run of consecutive months (the same for every draw) is a plain add on
  those months' columns, not numpy's masked add;
- the powers of a growth rate or a yearly price change over the months are kept: their
  draws do not change when any other input does.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import altair as alt
import altair.utils.schemapi as schemapi
import numpy as np
import pytest

from calculator import charts, load_scenario
from calculator.charts import decide as charts_decide
from calculator.charts import risk as charts_risk
from calculator.charts import screen
from calculator.charts.theme import Spec, column_records, records, to_spec
from calculator.model import ScenarioError, decision_map, engine, pricing, risk, simulate_report
from calculator.model import decision as decision_mod
from calculator.model.analysis import comparable
from calculator.model.costs import add_where, month_span, per_draw
from calculator.model.decision import decide, pair_figures
from calculator.model.engine import evaluate, in_blocks
from calculator.model.numbers import likely
from calculator.model.params import Params
from tests.conftest import ROOT, SCENARIOS

HYBRID = ROOT / "scenarios" / "support-ticket-hybrid.yaml"
BUILDERS = [charts.saving_chart, charts.cumulative_chart, charts.breakdown_chart,
            charts.cost_per_1k_chart, charts.volume_chart]


def with_traffic(s: Any, calls: float) -> Any:
    return s.model_copy(update={"traffic": s.traffic.model_copy(
        update={"calls_per_month": calls})})


def inlined(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with every named dataset written where it is used (names differ between
    the two paths; what each mark draws must not)."""
    sets = spec.get("datasets", {})

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            if set(x) == {"name"} and x["name"] in sets:
                return {"values": sets[x["name"]]}
            return {k: walk(v) for k, v in x.items() if k != "datasets"}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    return walk(spec)


def no_nan(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: no_nan(v) for k, v in x.items()}
    if isinstance(x, list):
        return [no_nan(v) for v in x]
    return None if isinstance(x, float) and x != x else x


def altairs_own(chart: Any) -> dict[str, Any]:
    """The spec through Altair's default data path, with the NaN it leaves in a column of
    mixed numbers and None (the fan chart's "expected") written as null, as ours does."""
    with alt.data_transformers.enable("default"):
        return no_nan(chart.to_dict(validate=False))


def every_chart(path: Any) -> list[Any]:
    d = decide(load_scenario(path))
    built = [b(d) for b in BUILDERS]
    built += [charts.share_chart(d, n) for n in d.hybrids]
    rep = simulate_report(d.scenario, draws=500)
    built.append(charts_risk.fan_chart(rep))
    if d.build and d.buy:
        built.append(charts_risk.tornado_chart(rep, d.build, d.buy, "gap"))
    with contextlib.suppress(ScenarioError):       # a scenario with nothing to map
        built.append(charts_decide.decision_map_chart(decision_map(d.scenario, n=8)))

    return [c for c in built if c is not None]


# -- charts ---------------------------------------------------------------------------------------

def test_records_write_what_altairs_default_path_writes():
    import pandas as pd
    df = pd.DataFrame({"month": np.arange(1, 4), "cost": [1.5, np.nan, np.inf],
                       "neg": [-np.inf, 0.0, -2.0], "name": ["a", None, "c"],
                       "flag": [True, False, True]})
    ours = records(df)
    theirs = altairs_own(alt.Chart(df).mark_point())["datasets"]
    assert [ours] == list(theirs.values())
    # NaN and both infinities are null (JSON has neither); numbers are Python's
    assert ours[1]["cost"] is None and ours[2]["cost"] is None and ours[0]["neg"] is None
    assert type(ours[0]["month"]) is int and type(ours[0]["flag"]) is bool


def test_column_records_write_what_records_write_for_the_same_columns():
    import pandas as pd
    cols = {"month": np.arange(1, 4), "cost": np.array([1.5, np.nan, np.inf]),
            "neg": np.array([-np.inf, 0.0, -2.0]), "name": ["a", "b", "c"],
            "flag": np.array([True, False, True])}
    ours = column_records(cols)
    assert ours == records(pd.DataFrame(cols))
    assert ours[1]["cost"] is None and ours[0]["neg"] is None and ours[2]["neg"] == -2.0
    assert type(ours[0]["month"]) is int and type(ours[0]["flag"]) is bool


def test_the_saving_chart_on_screen_is_its_frames_chart():
    # saving_chart reads its columns without a DataFrame: the same rows as a frame's
    import pandas as pd

    d = decide(load_scenario(SCENARIOS[0]))
    frame_rows = records(pd.DataFrame(screen.saving_columns(d)))
    assert frame_rows is not None and len(frame_rows) == d.horizon
    assert to_spec(charts.saving_chart(d))["datasets"]["saving"] == frame_rows


def test_records_write_missing_numbers_in_a_mixed_column_as_null():
    """Altair's own path leaves NaN in an object column, and NaN is not JSON."""
    import pandas as pd
    df = pd.DataFrame({"expected": [1.5, None, np.nan, np.float64(2.5)]}, dtype=object)
    assert records(df) == [{"expected": 1.5}, {"expected": None}, {"expected": None},
                           {"expected": 2.5}]


def test_records_leave_column_types_they_do_not_know_to_altair():
    import pandas as pd
    assert records(pd.DataFrame({"d": pd.to_datetime(["2027-01-01"])})) is None
    assert records(pd.DataFrame({"c": pd.Categorical(["x"])})) is None
    # and such a frame still draws, through Altair's own path
    spec = to_spec(alt.Chart(pd.DataFrame({"d": pd.to_datetime(["2027-01-01"])})).mark_point())
    assert list(spec["datasets"].values()) == [[{"d": "2027-01-01T00:00:00"}]]


@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_every_chart_draws_the_same_data_as_altairs_own_path(path):
    charts.register_theme()
    for chart in every_chart(path):
        ours = to_spec(chart)
        assert inlined(ours) == inlined(altairs_own(chart))
        if isinstance(chart, Spec):          # written as a dict: its datasets by name
            continue
        # a frame used by several layers is one dataset, named by its place
        assert all(k.startswith("buildvsbuy-") for k in ours["datasets"])
        assert len(ours["datasets"]) == len({id(v) for v in ours["datasets"].values()})


def test_the_saving_chart_shares_its_frame_between_layers():
    charts.register_theme()
    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml"))
    spec = to_spec(charts.saving_chart(d))
    refs = [layer.get("data", {}).get("name") for layer in spec["layer"]]
    # band, ahead, behind and the line read one frame: four layers, one dataset
    assert max(refs.count(r) for r in set(refs) if r) >= 4
    assert len(spec["datasets"]) < len(spec["layer"])


def test_no_chart_makes_altair_look_a_channel_up_in_its_schema(monkeypatch):
    """A channel given as a plain string or dict ("y:Q", alt.condition(...)) makes Altair
    hash its whole schema to find the class: about 5 ms each, six of them in the saving
    chart before. Every channel is written as its class."""
    made = []
    real = schemapi._FromDict.__init__

    def counting(self: Any, classes: Any) -> None:
        made.append(1)
        real(self, classes)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counting)
    charts.register_theme()
    for path in (HYBRID, ROOT / "scenarios" / "churn-risk-scoring.yaml"):
        for chart in every_chart(path):
            to_spec(chart)
    assert made == []


def test_charts_made_in_many_threads_at_once_keep_their_own_data():
    """Streamlit runs each session's script in its own thread; the datasets being
    collected live in a context variable, so no chart takes another's rows."""
    charts.register_theme()
    decisions = [decide(load_scenario(p)) for p in SCENARIOS]
    expected = [inlined(to_spec(charts.cumulative_chart(d))) for d in decisions]
    failures: list[str] = []

    def work(k: int) -> None:
        for _ in range(4):
            i = (k + _) % len(decisions)
            spec = to_spec(charts.cumulative_chart(decisions[i]))
            names = {x["data"]["name"] for x in spec.get("layer", []) if "name" in x.get("data", {})}
            if not names <= set(spec["datasets"]) or inlined(spec) != expected[i]:
                failures.append(f"thread {k}, scenario {i}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_the_app_never_hands_altair_charts_to_streamlit():
    """st.altair_chart swaps Altair's global data transformer while it converts a chart,
    which would race with another session's to_spec; the app passes specs instead."""
    for path in (ROOT / "calculator" / "ui").glob("*.py"):
        assert "altair_chart" not in path.read_text(encoding="utf-8"), path.name


# -- traffic-free figures -------------------------------------------------------------------------

@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_break_even_and_payback_do_not_depend_on_the_traffic(path):
    s = load_scenario(path)
    names = list(s.active)
    which = [(a, b) for k, a in enumerate(names) for b in names[k + 1:]]
    if not which:
        pytest.skip("one option: no pair")
    direct = (decision_mod._figures(which, decision_mod.break_evens(s, which)[0]),
              decision_mod._paybacks(s, which))
    assert pair_figures(s, which) == direct
    # a scenario that differs only in its traffic has the same figures, computed directly
    t = s.traffic
    other = s.model_copy(update={"traffic": t.model_copy(update={
        "calls_per_month": 123_457.0, "growth": "compound", "growth_rate_monthly": 0.07})})
    decision_mod._pair_cache.clear()
    assert (decision_mod._figures(which, decision_mod.break_evens(other, which)[0]),
            decision_mod._paybacks(other, which)) == direct


def test_a_traffic_change_reuses_the_searches_and_a_price_change_does_not(monkeypatch):
    s = load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml")
    decision_mod._pair_cache.clear()
    searched = []
    real = decision_mod.paybacks

    def counting(*a: Any, **k: Any) -> Any:
        searched.append(1)
        return real(*a, **k)

    monkeypatch.setattr(decision_mod, "paybacks", counting)
    first = decide(s)
    second = decide(with_traffic(s, 2 * likely(s.traffic.calls_per_month)))
    assert len(searched) == 1
    assert second.payback == first.payback and second.break_even == first.break_even
    assert second.rank != first.rank                 # the rest did change
    llm = s.options["llm"]
    dearer = s.model_copy(update={"options": {**s.options, "llm": llm.model_copy(update={
        "output_tokens_per_call": 10 * likely(llm.output_tokens_per_call)})}})
    third = decide(dearer)
    assert len(searched) == 2
    assert third.payback != first.payback


def test_the_cache_keeps_a_bounded_number_of_scenarios():
    s = load_scenario(ROOT / "scenarios" / "review-sentiment.yaml")
    decision_mod._pair_cache.clear()
    names = list(s.active)
    which = [(names[0], names[1])]
    for k in range(decision_mod.PAIR_FIGURES_KEPT + 5):
        pair_figures(s.model_copy(update={"name": f"copy {k}"}), which)
    assert len(decision_mod._pair_cache) == decision_mod.PAIR_FIGURES_KEPT


# -- the odds, a block of draws at a time ---------------------------------------------------------

@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_the_odds_read_block_by_block_equal_the_odds_of_the_whole_run(path):
    s = load_scenario(path)
    blocked = decide(s)                       # the app's path: blocks of draws
    whole = decide(s, with_report=True)       # the export's: one run kept for the report
    assert blocked.odds == whole.odds
    if blocked.odds is not None:
        assert blocked.odds.draws == 10_000
        assert blocked.texts.headline == whole.texts.headline


@pytest.mark.parametrize("rate", [None, 0.0], ids=["as-shipped", "undiscounted"])
@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_the_odds_equal_the_odds_read_the_long_way(path, rate):
    # The long way: every option's cumulative costs of every draw at once, numpy's own
    # percentile across the draws (the app sorts month by month first, then picks).
    # Every shipped scenario discounts; at 0 % the ranking is a plain total instead.
    s = load_scenario(path)
    if rate is not None:
        s = s.model_copy(update={"discount_rate_annual": rate})
    d = decide(s)
    if d.odds is None:
        pytest.skip("nothing uncertain")
    r = risk.monte_carlo(s, 10_000, d.odds.seed)[3]
    rank = comparable(r)
    if d.build is None or d.buy is None:
        p_cheapest = np.bincount(np.argmin(rank, axis=1), minlength=len(r.names)) / r.draws
        assert d.odds.p_cheapest == {n: float(p_cheapest[k]) for k, n in enumerate(r.names)}
        assert d.odds.p_build_cheaper is None
        return
    # with a pair the odds are the pair's: the Decision's Monte Carlo computed only the
    # pair's options (and interims), and says nothing of which option is the cheapest
    assert d.odds.p_cheapest == {}
    i, j = r.names.index(d.build), r.names.index(d.buy)
    cum = r.cumulative()
    saving = cum[:, j] - cum[:, i]
    months = decision_mod.payoff_months(
        saving, np.maximum(np.abs(cum[:, i]), np.abs(cum[:, j])))
    band = np.percentile(saving, [10, 90], axis=0)
    assert d.odds.band_p10 == band[0].tolist() and d.odds.band_p90 == band[1].tolist()
    assert d.odds.p_build_cheaper == float(np.mean(months > 0))
    at = np.where(months > 0, months.astype(float), np.inf)
    pct = np.quantile(at, [0.1, 0.5, 0.9], method="inverted_cdf")
    assert [d.odds.payoff_p10, d.odds.payoff_p50, d.odds.payoff_p90] == [
        int(v) if np.isfinite(v) else None for v in pct]
    assert d.odds.expected_saving == float(np.mean(rank[:, j] - rank[:, i]))


@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_blocks_sharing_their_rows_give_the_bits_of_one_pass(path):
    s = load_scenario(path)
    p = Params.sample(s, 700, seed=11)
    whole = evaluate(s, p, detail=False)
    seen, lo, rows = [], 0, None
    for r in in_blocks(s, p, block=256):          # 256 + 256 + 188: the last block is short
        assert rows is None or np.shares_memory(r.money, rows)   # one set of rows, reused
        rows = r.money if rows is None else rows
        hi = lo + r.draws
        for name in ("money", "error", "value"):
            got, want = getattr(r, name), getattr(whole, name)
            assert (got is None) == (want is None)
            if want is not None:
                assert np.array_equal(got, want[lo:hi]), (name, lo)
        assert np.array_equal(r.live_month, whole.live_month[lo:hi])
        seen.append(r.draws)
        lo = hi
    assert seen == [256, 256, 188]


def test_a_block_is_zeroed_before_it_is_filled_again():
    # A cost of 0 skips its pass (pricing.is_zero): a row left over from the last block
    # would then show through. Block 2 runs the same draws as block 1 here.
    s = load_scenario(SCENARIOS[0])
    one = Params.sample(s, 50, seed=3)
    twice = Params(100, {k: np.concatenate([a, a]) for k, a in one.values.items()},
                   {k: np.concatenate([a, a]) for k, a in one.success.items()})
    first, second = [(r.money.copy(), r.error.copy()) for r in in_blocks(s, twice, block=50)]
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_the_saving_chart_written_as_a_dict_is_valid_vega_lite(path):
    """The saving chart skips Altair (it is drawn again on every input change), so nothing
    checks its spec on the way: validate it against Vega-Lite's schema here."""
    charts.register_theme()
    d = decide(load_scenario(path))
    chart = charts.saving_chart(d)
    if chart is None:
        assert not (d.build and d.buy)
        return
    assert isinstance(chart, Spec)
    spec = chart.to_dict()
    alt.LayerChart.from_dict(spec, validate=True)
    # every layer reads a dataset the spec carries, and the spec is a copy each time
    assert {x["data"]["name"] for x in spec["layer"]} <= set(spec["datasets"])
    spec["layer"].clear()
    assert chart.to_dict()["layer"]


def test_a_spec_that_is_not_vega_lite_is_refused_by_that_check():
    charts.register_theme()
    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml"))
    spec = charts.saving_chart(d).to_dict()
    spec["layer"][0]["mark"]["type"] = "areaa"
    with pytest.raises(Exception, match="areaa"):
        alt.LayerChart.from_dict(spec, validate=True)


# -- the server's computations take turns ---------------------------------------------------------

def test_the_decision_and_chart_of_many_sessions_are_computed_one_at_a_time(monkeypatch):
    # Four sessions at once, each asking for a Decision and a chart of its own
    # scenario: inside the computations there is never more than one of them (ui/gate.py).
    # Without the turn the slow fakes below would overlap (four threads sleep side by side).
    import time

    from calculator.ui import gate, views

    inside, most, lock = [0], [0], threading.Lock()

    def slow(result: Any) -> Any:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.03)
        with lock:
            inside[0] -= 1
        return result

    monkeypatch.setattr(views, "decide", lambda s, today: slow("a decision"))
    monkeypatch.setattr(views.vega, "spec", lambda chart: slow({"chart": True}))
    monkeypatch.setitem(views.CHARTS, "Saving", lambda d: None)
    s = load_scenario(SCENARIOS[0])
    errors: list[BaseException] = []

    def session(k: int) -> None:
        try:
            key = f"gate-test-{k}-{time.time_ns()}"          # never a cache hit
            assert views.decision(key, "2027-01-01", s) == "a decision"
            assert views.build_chart(key, "Saving", None) == {"chart": True}
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not errors, errors
    assert most[0] == 1
    with gate.turn():            # and the turn is free again afterwards (not left held)
        pass


# -- a cost added in a run of months: a plain add on those columns --------------------------

H = 12
MONTHS = np.arange(1, H + 1, dtype=float)
MASKS = {
    "one month": MONTHS == 4,
    "from a month on": MONTHS >= 5,
    "a run of months": (MONTHS >= 3) & (MONTHS < 9),
    "every month": MONTHS >= 1,
    "no month": MONTHS > H,
    "two runs": (MONTHS < 3) | (MONTHS > 9),
    "as a row": (MONTHS >= 7)[None, :],
    "by draw": np.array([[2.0], [5.0], [13.0], [1.0], [7.0]]) <= MONTHS,
    "by draw, all alike": np.broadcast_to(MONTHS >= 4, (5, H)).copy(),
    "true": np.bool_(True),
    "false": np.bool_(False),
}
rng = np.random.default_rng(3)
AMOUNTS = {"a number": 1_234.5678, "by month": rng.uniform(0, 1e4, H),
           "by month, as a row": rng.uniform(0, 1e4, (1, H)),
           "by draw": rng.uniform(0, 1e4, (5, 1)), "by draw and month": rng.uniform(0, 1e4, (5, H)),
           # zeros, a tiny amount and a huge one: amount · 0 must leave the row as it was
           "zeros, tiny and huge": np.where(rng.uniform(size=(5, H)) < 0.3, 0.0,
                                            rng.choice([1e-300, 5e-324, 1e15, 3.0], (5, H)))}


@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("amount", list(AMOUNTS))
def test_adding_on_a_run_of_months_gives_the_bits_of_the_masked_add(mask, amount):
    where, a = MASKS[mask], AMOUNTS[amount]
    start = rng.uniform(0, 1e6, (5, H))
    expected = start.copy()
    np.add(expected, a, out=expected, where=where)       # the long way
    got = start.copy()
    add_where(got, a, where, month_span(where))
    assert np.array_equal(got, expected)
    # a mask that differs by draw is applied as 1.0 and 0.0 (Life.serving makes it once):
    # the same bits, zeros included (a row at +0 stays +0, never -0)
    start[:, ::3] = 0.0
    expected = start.copy()
    np.add(expected, a, out=expected, where=where)
    got = start.copy()
    add_where(got, a, per_draw(where), month_span(per_draw(where)))
    assert got.tobytes() == expected.tobytes()


def test_a_run_of_months_is_found_and_anything_else_is_left_to_the_mask():
    assert month_span(MONTHS == 4) == slice(3, 4)
    assert month_span(MONTHS >= 5) == slice(4, H)
    assert month_span((MONTHS >= 3) & (MONTHS < 9)) == slice(2, 8)
    assert month_span((MONTHS >= 7)[None, :]) == slice(6, H)
    assert month_span(np.bool_(True)) == slice(None)
    assert month_span(MONTHS > H) == slice(0, 0)               # nothing selected
    assert month_span((MONTHS < 3) | (MONTHS > 9)) is None      # two runs: the masked add
    assert month_span(MASKS["by draw"]) is None                 # differs by draw
    assert month_span(MASKS["by draw, all alike"]) is None      # 2-D by draw: not inspected
    assert month_span(np.ones(H)) is None                       # not a mask


# -- powers kept --------------------------------------------------------------------------------

@pytest.fixture
def no_powers(monkeypatch):
    """An empty store of powers for the test (and the one before it left as it was)."""
    monkeypatch.setattr(pricing, "_powers", type(pricing._powers)())
    monkeypatch.setattr(pricing, "_powers_bytes", 0)


def test_a_kept_power_is_the_same_bits_and_cannot_be_written(no_powers):
    base = 1.0 + rng.uniform(-0.6, 0.1, (1024, 1))
    months = (np.arange(1, 37, dtype=float) - 1.0) / 12.0
    first = pricing.power(base, months)
    again = pricing.power(base.copy(), months.copy())        # equal bytes, other arrays
    assert again is first                                    # kept, not computed again
    assert np.array_equal(first, base ** months)
    with pytest.raises(ValueError):                          # shared: read-only
        first[0, 0] = 0.0
    other = pricing.power(np.nextafter(base, 2.0), months)   # one bit apart: computed
    assert other is not first and not np.array_equal(other, first)


def test_numbers_and_single_draws_are_not_kept(no_powers):
    months = np.arange(36, dtype=float)
    assert pricing.power(1.03, months).flags.writeable
    assert pricing.power(np.array([[1.03]]), months).flags.writeable
    assert not pricing._powers


def test_the_kept_powers_stay_under_their_bound(no_powers, monkeypatch):
    monkeypatch.setattr(pricing, "POWERS_KEPT_BYTES", 3 * 1024 * 36 * 8)   # three blocks
    months = np.arange(36, dtype=float)
    for k in range(5):
        pricing.power(np.full((1024, 1), 1.0 + k / 100), months)
    assert len(pricing._powers) == 3
    assert pricing._powers_bytes == 3 * 1024 * 36 * 8
    kept = [float(key_base) for key_base in
            (np.frombuffer(k[2])[0] for k in pricing._powers)]
    assert kept == [1.0 + k / 100 for k in (2, 3, 4)]          # the oldest went first


@pytest.mark.parametrize("path", [p for p in SCENARIOS if "routing" in p.name
                                  or "hybrid" in p.name or "search" in p.name])
def test_a_decision_with_the_powers_kept_equals_one_computed_afresh(path, no_powers):
    s = load_scenario(path)
    cold = decide(s)
    assert pricing._powers, "this scenario ranges a growth rate or a price change"
    warm = decide(with_traffic(s, s.traffic.calls_per_month * 1.5))
    pricing._powers.clear()
    fresh = decide(with_traffic(s, s.traffic.calls_per_month * 1.5))
    assert warm.odds == fresh.odds and warm.texts == fresh.texts
    assert cold.odds != warm.odds                               # the traffic did change them


@pytest.mark.parametrize("path", [*SCENARIOS, HYBRID], ids=lambda p: p.stem)
def test_the_pairs_options_alone_give_the_bits_of_a_run_of_every_option(path):
    # The Decision's Monte Carlo computes only the decision pair and its interims
    # (engine.needed): each of their rows must be the bits the risk view's run of every
    # option gives them, block by block.
    s = load_scenario(path)
    d = decide(s)
    if d.odds is None or d.build is None or d.buy is None:
        pytest.skip("no pair with odds")
    only = engine.needed(s, [d.build, d.buy])
    assert d.build in only and d.buy in only and len(only) <= len(s.active)
    for name in only:                            # every interim it needs is there
        interim = getattr(s.active[name], "interim", None)
        assert interim is None or interim in only
    sample = risk.sampled(s, 10_000, d.odds.seed)
    whole = risk.monte_carlo(s, 10_000, d.odds.seed)[3]
    at = 0
    for block in engine.in_blocks(s, sample, value=False, only=only):
        assert block.names == only
        for k, name in enumerate(only):
            w = whole.names.index(name)
            rows = slice(at, at + block.draws)
            assert np.array_equal(block.money[:, k], whole.money[rows, w])
            assert np.array_equal(block.error[:, k], whole.error[rows, w])
        at += block.draws
    assert at == sample.draws
