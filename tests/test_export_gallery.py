"""Which charts a Decision has (calculator.export.gallery): their names without building
them, their titles, the pair the risk charts are about, and all of them as images."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, TODAY

from calculator import export
from calculator.export import gallery, images
from calculator.model import load_scenario, to_data, validate
from calculator.model.decision import decide


def test_every_chart_renders_in_both_formats(worked36):
    out = export.chart_images(worked36)
    # no ranges: no risk charts, but the J-curve of building -model instead of buying api
    # and the start-month sweep of the option with an interim
    names = [*export.CHARTS, "decision-map", "timing-model"]
    assert set(out) == {f"{n}.{f}" for n in names for f in ("png", "svg")}
    for name, data in out.items():
        if name.endswith(".png"):
            assert images.png_size(data) == (1920, 1080), name
        else:
            assert ET.fromstring(data).get("width") == "960", name


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_chart_names_match_the_charts_without_building_them(path):
    d = decide(load_scenario(path), today=TODAY)
    assert export.chart_names(d) == list(export.all_charts(d))


@pytest.mark.parametrize("name, title", [
    ("cumulative", "Cumulative cost"), ("cost-per-1k", "Cost per 1,000 calls"),
    ("risk-tornado", "Risk: tornado"), ("timing-in_house", "Start month: in_house"),
    ("share-triage", "Hybrid share: triage")])
def test_chart_titles(name, title):
    assert gallery.chart_title(name) == title


def test_without_ranges_only_the_start_month_sweep_needs_the_risk_report(worked36):
    assert not worked36.uncertain
    assert gallery.risk_pair(worked36) == ("model", "api")          # build, buy
    assert gallery.needs_report(worked36)                           # model has an interim
    rep = gallery.report(worked36)
    assert rep is not None and list(rep["timing"]) == ["model"]
    data = to_data(worked36.scenario)
    del data["options"]["model"]
    no_interim = decide(validate(data), today=TODAY)
    assert not gallery.needs_report(no_interim) and gallery.report(no_interim) is None
    assert gallery.risk_pair(no_interim) is None                    # one option: no pair
    assert gallery.chart_names(no_interim) == ["cumulative", "breakdown", "cost-per-1k",
                                               "volume"]


def test_with_ranges_the_risk_charts_come_in_and_the_report_uses_the_decisions_draws(support):
    d, rep = support
    assert d.uncertain and d.odds is not None
    assert rep["draws"] == d.odds.draws and rep["seed"] == d.odds.seed
    names = gallery.chart_names(d)
    assert {"risk-spread", "risk-chance-cheaper", "risk-tornado"} <= set(names)
    assert names[:3] == ["saving", "cumulative", "breakdown"]
