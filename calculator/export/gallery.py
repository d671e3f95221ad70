"""Which charts a Decision has, built by the screen's builders, and all of them as images.

The plain report's charts come from :mod:`calculator.charts` with the Decision; the risk
view's from :mod:`calculator.charts.risk` with ONE risk report
(:func:`calculator.model.risk.simulate_report`), made by the caller once per export and
passed down (:func:`needs_report` says whether there is anything to make it for); the
decision map's from :mod:`calculator.charts.decide` with the export's one decision map
(``dmap``: :attr:`.tools.Tools.map`, made here when none is passed).
:func:`chart_images` draws the charts on every renderer worker at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import altair as alt

from .. import charts
from ..charts import risk as charts_risk
from ..charts.decide import decision_map_chart
from ..model import Decision, DecisionMap, ranged_fields, simulate_report
from . import images, render
from .tools import has_map, map_of

CHARTS: dict[str, Callable[[Decision], Any]] = {
    "saving": charts.saving_chart,
    "cumulative": charts.cumulative_chart,
    "breakdown": charts.breakdown_chart,
    "cost-per-1k": charts.cost_per_1k_chart,
    "volume": charts.volume_chart,
}
"""The charts of the app's plain report, by the name their files get (the J-curve of the
saving only when there is something to build and something to buy)."""

TITLES = {"saving": "What building saves", "cumulative": "Cumulative cost",
          "breakdown": "Monthly breakdown", "cost-per-1k": "Cost per 1,000 calls",
          "volume": "Cost vs traffic", "risk-spread": "Risk: cost spread",
          "risk-chance-cheaper": "Risk: chance cheaper", "risk-tornado": "Risk: tornado",
          "decision-map": "Decision map"}


def chart_title(name: str) -> str:
    """A chart's name for a button or a memo: "Cumulative cost", "Start month: in_house",
    "Hybrid share: triage"."""
    if name.startswith("share-"):
        return f"Hybrid share: {name.removeprefix('share-')}"
    return TITLES.get(name) or f"Start month: {name.removeprefix('timing-')}"


def risk_pair(d: Decision) -> tuple[str, str] | None:
    """The pair the risk charts are about: build vs buy, else the two cheapest."""
    if d.build and d.buy:
        return d.build, d.buy
    return (d.ranking[0], d.ranking[1]) if len(d.ranking) > 1 else None


def _with_interim(d: Decision) -> list[str]:
    s = d.scenario
    return [n for n in d.result.names if getattr(s.active[n], "interim", None) is not None]


def needs_report(d: Decision) -> bool:
    """Whether any chart of ``d`` reads the risk report (ranges, a build that may fail, or
    an option with an interim whose start month can be swept)."""
    return d.uncertain or bool(_with_interim(d))


def report(d: Decision) -> dict[str, Any] | None:
    """The risk report of ``d``'s scenario with the Decision's own draws and seed, when a
    chart needs it: make it once per export and pass it down."""
    if not needs_report(d):
        return None
    draws, seed = (d.odds.draws, d.odds.seed) if d.odds is not None else (10_000, None)
    return simulate_report(d.scenario, draws=draws, seed=seed)


def chart_names(d: Decision) -> list[str]:
    """The names :func:`all_charts` gives, without building any chart or running the risk
    view (the app lists its download buttons with it on every rerun)."""
    names = [n for n in CHARTS if n != "saving" or (d.build and d.buy)]
    names += [f"share-{n}" for n in d.hybrids]
    names += ["decision-map"] if has_map(d) else []
    pair = risk_pair(d)
    if d.uncertain:
        names.append("risk-spread")
        if pair is not None:
            names.append("risk-chance-cheaper")
            if any(not p.endswith(".success_probability") for p in ranged_fields(d.scenario)):
                names.append("risk-tornado")
    return names + [f"timing-{n}" for n in _with_interim(d)]


def chart_by_name(d: Decision, name: str, rep: dict[str, Any] | None = None,
                  dmap: DecisionMap | None = None) -> Any:
    """One chart of :func:`chart_names`, built on demand (``rep``: the risk report, made
    here when a risk chart needs it and none is given; ``dmap``: the decision map, the
    same)."""
    if name in CHARTS:
        return CHARTS[name](d)
    if name == "decision-map":
        dm = dmap if dmap is not None else map_of(d, None)
        return (decision_map_chart(dm) if dm is not None
                else _nothing(name, "No second number to map against traffic."))
    if name.startswith("share-") and name.removeprefix("share-") in d.hybrids:
        return charts.share_chart(d, name.removeprefix("share-"))
    rep = rep if rep is not None else report(d)
    pair = risk_pair(d)
    if rep is not None:
        if name == "risk-spread":
            return charts_risk.fan_chart(rep)
        if name == "risk-chance-cheaper" and pair is not None:
            return charts_risk.p_cheaper_chart(rep, *pair)
        if (name == "risk-tornado" and pair is not None
                and not charts_risk.tornado_frame(rep, *pair, "gap").empty):
            return charts_risk.tornado_chart(rep, *pair, "gap")
        if name.startswith("timing-") and name.removeprefix("timing-") in rep["timing"]:
            return charts_risk.timing_chart(rep, name.removeprefix("timing-"))
    # e.g. a tornado where no ranged input moves the result
    return _nothing(name, "No ranged input moves this result.")


def _nothing(name: str, why: str) -> Any:
    """A chart that says why there is nothing to draw."""
    return (alt.Chart(alt.Data(values=[{"t": why}]))
            .mark_text(size=16).encode(text=alt.Text("t:N")).properties(title=chart_title(name)))


def all_charts(d: Decision, rep: dict[str, Any] | None = None,
               dmap: DecisionMap | None = None) -> dict[str, Any]:
    """Every chart the app shows for this Decision, by the name its files get."""
    rep = rep if rep is not None or not needs_report(d) else report(d)
    names = chart_names(d)
    dmap = dmap if dmap is not None or "decision-map" not in names else map_of(d, None)
    return {name: chart_by_name(d, name, rep, dmap) for name in names}


class Drawer:
    """Charts drawn in the background, on every renderer worker at once, while the caller
    goes on (a full export makes its risk report, decision tools, tables and deck
    meanwhile): :meth:`draw` queues charts, :meth:`get` waits for one, :meth:`done` for
    all. One thread more than there are workers builds the next chart's spec while the
    workers draw, so no worker waits for Python. Use it as a context manager."""

    def __init__(self, d: Decision, kinds: Iterable[str] = ("png", "svg")) -> None:
        self.d, self.kinds = d, tuple(kinds)
        self._pool = ThreadPoolExecutor(render.pool_size() + 1, thread_name_prefix="chart")
        self._futures: dict[str, Future[dict[str, bytes]]] = {}

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *exc: object) -> None:
        for f in self._futures.values():
            f.cancel()
        self._pool.shutdown(wait=True)

    def _one(self, name: str, rep: dict[str, Any] | None,
             dmap: DecisionMap | None) -> dict[str, bytes]:
        try:
            # built in the thread too: one chart's spec is made while another is drawn
            spec = images.deck_spec(chart_by_name(self.d, name, rep, dmap), self.d)
            svg = images.spec_svg(spec)
            out = {f"{name}.svg": svg} if "svg" in self.kinds else {}
            if "png" in self.kinds:
                out[f"{name}.png"] = images.spec_png(spec, svg=svg)
            return out
        except render.RenderError as exc:
            raise render.RenderError(f"the {name} chart: {exc}") from exc

    def draw(self, names: Iterable[str], rep: dict[str, Any] | None = None,
             dmap: DecisionMap | None = None) -> None:
        """Queue ``names`` (in this order), with the risk report and decision map they
        need (``rep``, ``dmap``)."""
        for name in names:
            if name not in self._futures:
                self._futures[name] = self._pool.submit(self._one, name, rep, dmap)

    def get(self, name: str) -> dict[str, bytes]:
        """One queued chart's files (waits for it). When it failed, the first failure among
        the charts queued up to it is raised, so that the error named does not depend on
        which worker was quicker."""
        future = self._futures[name]
        if future.exception() is not None:
            for f in self._futures.values():
                f.result()
                if f is future:
                    break
        return future.result()

    def done(self) -> dict[str, bytes]:
        """Every queued chart's files, in the order queued; the first failure is raised."""
        out: dict[str, bytes] = {}
        for f in self._futures.values():
            out.update(f.result())
        return out


def needs_extra(name: str) -> bool:
    """Whether the chart ``name`` reads the risk report or the decision map (the others
    can be drawn before either is made)."""
    return name == "decision-map" or name.startswith(("risk-", "timing-"))


def chart_images(d: Decision, rep: dict[str, Any] | None = None,
                 kinds: Iterable[str] = ("png", "svg"),
                 names: Iterable[str] | None = None,
                 dmap: DecisionMap | None = None) -> dict[str, bytes]:
    """``{"cumulative.png": ..., "cumulative.svg": ...}`` for every chart (or those in
    ``names``), drawn on every renderer worker at once; a :class:`~.render.RenderError`
    names the first chart it failed on. ``rep`` and ``dmap``: the export's risk report
    and decision map (made here, while the other charts are drawn, when a chart needs
    them and none is given)."""
    wanted = list(names) if names is not None else chart_names(d)
    with Drawer(d, kinds) as drawer:
        drawer.draw([n for n in wanted if not needs_extra(n)])
        if rep is None and needs_report(d) and any(n.startswith(("risk-", "timing-"))
                                                   for n in wanted):
            rep = report(d)
        if dmap is None and "decision-map" in wanted:
            dmap = map_of(d, None)
        drawer.draw(wanted, rep, dmap)
        drawer.done()                          # the first failure, in the order queued
        return {k: v for n in wanted for k, v in drawer.get(n).items()}
