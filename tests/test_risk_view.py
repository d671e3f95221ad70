"""The "Risk & timing" view driven through AppTest: keyed widgets in, chart data out.

A tiny app script in tmp_path renders the view for one scenario file; assertions are on
the numbers inside the charts (Arrow datasets joined to the Vega-Lite spec), compared with
the pure report and hand-computed cases.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from worked import worked

import calculator as c
from calculator.model import risk

SEARCH = ROOT / "scenarios" / "search-query-intent.yaml"

WORKED = worked(horizon_months=60)


def app(tmp_path: Path, scenario: Path) -> AppTest:
    script = tmp_path / "risk_app.py"
    script.write_text(
        "from calculator.model import dumps_scenario, load_scenario\n"
        "from calculator.model.decision import decide\n"
        "from calculator.ui import risk_view\n"
        f"s = load_scenario({str(scenario)!r})\n"
        "risk_view.render(dumps_scenario(s), decide(s))\n")
    at = AppTest.from_file(str(script), default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(c.dumps_scenario(c.validate(data)))
    return path


def charts(at: AppTest) -> dict[str, list[pd.DataFrame]]:
    out = {}
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        out[spec["title"]["text"]] = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
                                      for ds in el.proto.datasets]
    return out


def data(at: AppTest, title: str, *columns: str) -> pd.DataFrame:
    found = [df for df in charts(at)[title] if set(columns) <= set(df.columns)]
    assert found, f"no dataset with {columns} in {title!r}"
    return max(found, key=len)


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


FAN = "Cumulative cost under uncertainty"
CHANCE = "Chance of being the cheaper one, by month"


def test_fan_chance_tornado_and_timing_hold_the_report_numbers(tmp_path):
    at = app(tmp_path, SEARCH)
    s = c.load_scenario(SEARCH)
    rep = risk.simulate_report(s, draws=10_000)
    assert at.radio(key="risk.draws").value == 10_000
    # fan: P10/P50/P90 and the expected line at the horizon, per option
    fan = data(at, FAN, "p10", "p50", "p90")
    last = fan[fan["month"] == 36].set_index("option")
    for name in s.active:
        for q in ("p10", "p50", "p90"):
            assert last.loc[name, q] == pytest.approx(rep["fan"][name][q][-1])
    assert last.loc["in_house", "expected"] == pytest.approx(
        rep["options"]["in_house"]["expected"]["present_value"])
    assert last.loc["in_house", "p10"] < last.loc["in_house", "p50"] < last.loc["in_house", "p90"]
    # chance of being cheaper: the decision's pair (the build path, then the option to buy)
    # comes first, as in the headline
    assert at.selectbox(key="risk.pair").value == "in_house|llm"
    chance = data(at, CHANCE, "p_cheaper")
    llm = chance[chance["option"] == "llm"]["p_cheaper"].tolist()
    assert llm == pytest.approx(rep["pairs"][2]["p_a_cheaper"])
    assert 0.5 < llm[-1] < 1.0                                   # llm cheaper in most draws
    # tornado: the saving's largest bar is the in-house accuracy; the saving of in_house
    # against llm is the report's gap of the pair (llm minus in_house), same sign
    torn = data(at, "What moves the saving most", "path", "result")
    top = torn[torn["rank"] == 0]
    assert set(top["path"]) == {"options.in_house.accuracy"}
    pair = rep["pairs"][2]
    assert (pair["a"], pair["b"]) == ("llm", "in_house")
    bar = pair["tornado"]["gap"]["bars"][0]
    assert sorted(top["result"]) == pytest.approx(sorted([bar["at_low"], bar["at_high"]]))
    # the more accurate the model, the more building saves
    hi = float(top[top["end"] == "at its high"]["result"].iloc[0])
    lo = float(top[top["end"] == "at its low"]["result"].iloc[0])
    assert hi > lo
    # timing: the marked best month is the report's, and matches the sweep
    timing = data(at, f"When to start building {rep['labels']['in_house']}", "start_month",
                  "best")
    best = int(timing[timing["best"]]["start_month"].iloc[0])
    assert best == risk.timing(s, "in_house")["best_start_month"]
    assert timing["total"].tolist() == pytest.approx(rep["timing"]["in_house"]["totals"])
    # data readiness and value in words
    words = text(at)
    # 60,000 needed - 15,000 available = 45,000 at 15,000 a month: 3 months, 45,000 x $0.133
    # = $5,985; start_date 2027-01, so the build starts in month 4, April 2027
    who = rep["labels"]["in_house"]
    assert (f"{who}: labelling 45,000 labels takes 3 months and $5.99k; the build starts in "
            "month 4 (Apr 2027)") in words
    assert f"Expected present value of {who} with its 54 % success probability" in words
    assert rep["value"]["statement"] in words


def test_draws_selector_reruns_with_1000_draws(tmp_path):
    at = app(tmp_path, SEARCH)
    p50_10k = data(at, FAN, "p50")
    at.radio(key="risk.draws").set_value(1_000).run()
    assert not at.exception
    rep = risk.simulate_report(c.load_scenario(SEARCH), draws=1_000)
    fan = data(at, FAN, "p50")
    row = fan[(fan["option"] == "in_house") & (fan["month"] == 36)]
    assert float(row["p50"].iloc[0]) == pytest.approx(rep["fan"]["in_house"]["p50"][-1])
    assert not fan["p50"].equals(p50_10k["p50"])
    assert "1,000 draws" in at.caption[-1].value


def test_pair_and_metric_selectors(tmp_path):
    at = app(tmp_path, SEARCH)
    at.selectbox(key="risk.pair").set_value("rules|llm").run()
    chance = data(at, CHANCE, "p_cheaper")
    assert set(chance["option"]) == {"rules", "llm"}
    # the rules never beat the llm: chance 0 in every month for rules, 1 for llm
    assert chance[chance["option"] == "rules"]["p_cheaper"].max() == 0
    assert chance[chance["option"] == "llm"]["p_cheaper"].min() == 1
    at.selectbox(key="risk.pair").set_value("in_house|llm").run()
    at.radio(key="risk.tornado_metric").set_value("crossover").run()
    assert not at.exception
    torn = data(at, "What moves the crossover most", "path", "result")
    assert torn["result"].between(0, 36).all()
    # no crossover is drawn at the horizon and flagged
    assert (torn[torn["never"]]["result"] == 36).all() and torn["never"].any()


def test_timing_option_selector_and_the_hand_case(tmp_path):
    data_ = copy.deepcopy(WORKED)
    data_["options"]["late"] = dict(data_["options"]["model"], build_months=40)
    at = app(tmp_path, write(tmp_path, data_))
    assert at.selectbox(key="risk.timing_option").options == ["model", "late"]
    timing = data(at, "When to start building model", "start_month", "total")
    # start k: 3,000 · (k + 1) + 41,000 + 1,730 · (59 - k) = 146,070 + 1,270 · k -> best k = 1
    assert timing["total"].iloc[0] == pytest.approx(147_340)
    assert int(timing[timing["best"]]["start_month"].iloc[0]) == 1
    at.selectbox(key="risk.timing_option").set_value("late").run()
    timing = data(at, "When to start building late", "start_month", "total")
    # 40 build months never repay within 60: start 60 pays one build month only:
    # 60 · 3,000 + 20,000 + 1,000 = 201,000
    best = timing[timing["best"]]
    assert int(best["start_month"].iloc[0]) == 60
    assert float(best["total"].iloc[0]) == pytest.approx(201_000)
    assert "does not beat api alone at any start month" in text(at)


def test_no_ranges_says_so_and_the_fan_collapses(tmp_path):
    at = app(tmp_path, write(tmp_path, WORKED))
    assert any("No input of this scenario is a range" in i.value for i in at.info)
    fan = data(at, FAN, "p10", "p90")
    assert (fan["p10"] == fan["p90"]).all()
    model = fan[fan["option"] == "model"]
    # cumulative model cost at month 60: 47,000 + 58 · 1,730 = 147,340
    assert float(model["p50"].iloc[-1]) == pytest.approx(147_340)
