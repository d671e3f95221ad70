"""The Streamlit app driven through AppTest: keyed widgets in, numbers and chart data out.

Charts are read the way TESTING.md describes: the Vega-Lite spec is JSON, the data sits
in Arrow datasets joined to the spec by name. Assertions are on numbers (crossover months,
totals, option names in chart data), never on "no exception" alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from calculator import dumps_scenario, evaluate, load_scenario, totals
from calculator import sharelink as sl
from calculator.model.analysis import crossovers
from calculator.ui import state as S

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
DEFAULT = ROOT / "scenarios" / "support-ticket-routing.yaml"


# -- helpers -------------------------------------------------------------------------------

@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception, app.exception
    return app


def charts(at: AppTest) -> dict[str, list[pd.DataFrame]]:
    """Chart title -> the chart's datasets as DataFrames."""
    out = {}
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        title = spec["title"]["text"] if isinstance(spec.get("title"), dict) else spec["title"]
        out[title] = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
                      for ds in el.proto.datasets]
    return out


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Only the open tab is drawn: open another one (as a click on it does)."""
    at.session_state["view"] = tab
    return at.run()


def open_panels(at: AppTest, *names: str) -> AppTest:
    """Open option panels (a closed panel draws no widgets; its values persist)."""
    for name in names:
        at.session_state[f"panel:{name}"] = True
    return at.run()


def dataset(at: AppTest, title: str, *columns: str) -> pd.DataFrame:
    """The largest dataset of chart ``title`` holding ``columns`` (label layers hold
    subsets of their points' rows)."""
    found = [df for df in charts(at)[title] if set(columns) <= set(df.columns)]
    assert found, f"no dataset with {columns} in chart {title!r}"
    return max(found, key=len)


def crossover_month(at: AppTest, cheaper: str, than: str) -> int | None:
    df = dataset(at, "Cumulative total cost", "fractional_month")
    row = df[(df["cheaper"] == cheaper) & (df["than"] == than)]
    return int(row["month"].iloc[0]) if len(row) else None


def chart_options(at: AppTest) -> set[str]:
    return set(dataset(at, "Cumulative total cost", "option", "cumulative_cost")["option"])


def final_cumulative(at: AppTest) -> dict[str, float]:
    df = dataset(at, "Cumulative total cost", "option", "cumulative_cost")
    last = df[df["month"] == df["month"].max()]
    return dict(zip(last["option"], last["cumulative_cost"], strict=True))


def totals_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Total cost" in d.value.columns)


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def errors(at: AppTest) -> str:
    """Every error on the page, markdown escapes removed."""
    return "\n".join(e.value for e in at.error).replace("\\", "")


# -- first open ----------------------------------------------------------------------------

def test_default_scenario_answers_first(at):
    s = load_scenario(DEFAULT)
    r = evaluate(s)
    assert at.title[0].value == "Support ticket routing"
    assert "pays off" in headline(at) and "month 25" in headline(at)
    assert metrics(at) == ["in_house", "$1.16M", "$148k", "month 25"]
    # the chart's data is the engine's numbers
    cum = r.cumulative()[0]
    got = final_cumulative(at)
    for i, name in enumerate(r.names):
        assert got[name] == pytest.approx(cum[i, -1])
    assert crossover_month(at, "in_house", "llm") == 25
    want = {(c.cheaper, c.than): c.month for c in crossovers(r)}
    df = dataset(at, "Cumulative total cost", "fractional_month")
    assert {(a, b): m for a, b, m in zip(df["cheaper"], df["than"], df["month"],
                                         strict=True)} == want
    # only the open tab is drawn
    assert list(charts(at)) == ["Cumulative total cost"]
    # break-even volumes in the volume chart, totals table formatted for people
    open_tab(at, "Cost vs traffic")
    be = dataset(at, "Monthly cost against traffic", "a", "b")
    assert set(zip(be["a"], be["b"], strict=True)) == {("rules", "in_house"), ("llm", "in_house")}
    table = totals_table(at)
    assert list(table["Option"]) == ["rules", "llm", "in_house"]
    assert list(table["Total cost"]) == ["$4.49M", "$1.54M", "$1.34M"]
    stale = (dt.date.today() - s.prices_as_of).days > 183
    assert bool(at.warning) == stale


def test_every_field_has_a_keyed_widget_with_help(at):
    open_panels(at, "rules", "llm", "in_house")
    for key in ("name", "horizon_months", "discount_rate_annual", "traffic.calls_per_month",
                "traffic.growth", "traffic.peak_to_average", "team.ml_engineer",
                "quality.cost_per_error", "quality.value_per_correct_prediction",
                "options.llm.batch_share", "options.llm.cached_input_share",
                "options.llm.catalog.provider", "options.llm.catalog.model",
                "options.in_house.node_cost_per_hour", "options.in_house.min_nodes",
                "options.in_house.retraining.every_months", "options.rules.enabled",
                "options.in_house.interim", "options.in_house.build_team.ml_engineer"):
        w = _widget(at, key)
        assert w is not None, key
        assert w.help, f"{key} has no help text"
    # ranges stay ranges: three numbers
    assert at.number_input(key="options.llm.price_per_million_input_tokens.low").value == 0.10
    assert at.number_input(key="options.llm.price_per_million_input_tokens.likely").value == 1.0
    assert at.number_input(key="options.in_house.build_months.high").value == 7


def calls_box(at: AppTest):
    """The month-1 traffic input."""
    return at.number_input(key="traffic.calls_per_month")


def _widget(at: AppTest, key: str):
    for kind in ("number_input", "slider", "select_slider", "selectbox", "text_input",
                 "toggle", "date_input", "text_area"):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    return None


# -- traffic moves the crossover -----------------------------------------------------------

def test_more_traffic_brings_the_crossover_earlier_and_less_pushes_it_out(at):
    assert crossover_month(at, "in_house", "llm") == 25
    calls_box(at).set_value(1_000_000.0).run()
    assert not at.exception
    earlier = crossover_month(at, "in_house", "llm")
    assert earlier is not None and earlier < 25
    assert f"month {earlier}" in headline(at)
    assert metrics(at)[3] == f"month {earlier}"
    calls_box(at).set_value(250_000.0).run()
    later = crossover_month(at, "in_house", "llm")
    assert later is None or later > 25
    # the exact-figure box follows the slider, and typing in it moves the slider
    # an exact figure is kept to the call, and the +/- step follows its size
    calls_box(at).set_value(1_234_567.0).run()
    assert at.session_state["traffic.calls_per_month"] == 1_234_567.0
    assert calls_box(at).step == 100_000     # a tenth of its order of magnitude (10^6)
    assert crossover_month(at, "in_house", "llm") < earlier + 1


def test_growth_model_switch_shows_the_right_field(at):
    at.selectbox(key="traffic.growth").set_value("linear").run()
    assert not at.exception and not at.error
    at.number_input(key="traffic.growth_calls_per_month").set_value(50_000.0).run()
    open_tab(at, "Cost vs traffic")
    vol = dataset(at, "Monthly cost against traffic", "ypix")    # reference lines
    assert "month 36: 2.1M" in set(vol["label"])                 # 400k + 35 x 50k = 2.15M
    at.selectbox(key="traffic.growth").set_value("none").run()
    assert len(dataset(at, "Monthly cost against traffic", "ypix")) == 1   # flat traffic
    open_tab(at, "Cumulative cost")
    flat = crossover_month(at, "in_house", "llm")
    assert flat is None or flat > 25


# -- options: add, remove, rename, switch off ------------------------------------------------

def test_add_and_remove_an_option(at):
    at.selectbox(key="new:kind").set_value("vendor_api").run()
    at.text_input(key="new:name").input("vision").run()
    at.button(key="new:add").click().run()
    assert not at.exception, at.exception
    assert "vision" in chart_options(at)
    assert "vision" in list(totals_table(at)["Option"])
    assert at.number_input(key="options.vision.tiers.1.price_per_1k_units").value == 1.5
    # its tiers can grow and shrink
    at.button(key="tier+:vision").click().run()
    assert at.number_input(key="options.vision.tiers.3.price_per_1k_units").value == 1.0
    at.button(key="tier-:vision").click().run()
    assert not at.exception and not errors(at)
    at.button(key="remove:vision").click().run()
    assert "vision" not in chart_options(at)
    assert chart_options(at) == {"rules", "llm", "in_house"}


def test_added_option_gets_a_suggested_name_and_a_bad_name_is_refused(at):
    at.selectbox(key="new:kind").set_value("genai_api").run()
    at.button(key="new:add").click().run()
    assert "llm_2" in chart_options(at)            # llm is taken
    at.text_input(key="new:name").input("Bad Name!").run()
    at.button(key="new:add").click().run()
    assert "lowercase letters" in errors(at)
    assert "Bad Name!" not in chart_options(at)


def test_removing_an_interim_frees_the_option_that_used_it(at):
    open_panels(at, "llm", "in_house")
    at.button(key="remove:llm").click().run()
    assert not at.exception
    assert chart_options(at) == {"rules", "in_house"}
    assert at.selectbox(key="options.in_house.interim").value == ""


def test_switch_an_option_off_and_on(at):
    before = final_cumulative(at)
    open_panels(at, "rules")
    at.toggle(key="options.rules.enabled").set_value(False).run()
    assert chart_options(at) == {"llm", "in_house"}
    assert final_cumulative(at)["llm"] == pytest.approx(before["llm"])
    at.toggle(key="options.rules.enabled").set_value(True).run()
    assert chart_options(at) == {"rules", "llm", "in_house"}


def test_rename_an_option_carries_its_interim_link(at):
    open_panels(at, "llm", "in_house")
    at.text_input(key="rename:llm").input("haiku").run()
    at.button(key="rename-go:llm").click().run()
    assert not at.exception
    assert chart_options(at) == {"rules", "haiku", "in_house"}
    assert at.selectbox(key="options.in_house.interim").value == "haiku"
    assert crossover_month(at, "in_house", "haiku") == 25


def test_an_invalid_input_is_shown_next_to_it_and_the_last_good_result_stays(at):
    before = final_cumulative(at)
    open_panels(at, "llm")
    at.toggle(key="options.llm.enabled").set_value(False).run()   # in_house's interim
    assert not at.exception
    text = errors(at)
    assert "options.in_house.interim" in text and "switched off" in text
    assert at.session_state["panel:in_house"]                       # opened to show it
    assert any("options.in_house.interim" in e.value.replace("\\", "")
               for e in at.sidebar.error)                            # next to the input
    assert final_cumulative(at) == pytest.approx(before)           # last good scenario
    at.toggle(key="options.llm.enabled").set_value(True).run()
    assert not errors(at)


# -- prices ----------------------------------------------------------------------------------

def test_catalog_model_fills_prices_and_typed_prices_win(at):
    llm = final_cumulative(at)["llm"]
    open_panels(at, "llm")
    at.selectbox(key="options.llm.catalog.provider").set_value("openai").run()
    at.selectbox(key="options.llm.catalog.model").set_value("gpt-5-mini").run()
    assert final_cumulative(at)["llm"] == pytest.approx(llm)        # typed-in prices win
    at.button(key="use-catalog:llm").click().run()
    assert at.number_input(key="options.llm.price_per_million_input_tokens").value is None
    cheaper = final_cumulative(at)["llm"]
    assert cheaper < llm                                            # 0.25/2.00 vs 1.00/5.00
    assert any("genai-prices" in c.value.replace("\\", "") for c in at.caption)  # snapshot


def test_old_or_missing_prices_date_warns(at):
    at.date_input(key="prices_as_of").set_value(dt.date.today() - dt.timedelta(days=400)).run()
    assert any("months ago" in w.value for w in at.warning)
    at.date_input(key="prices_as_of").set_value(None).run()
    assert any("does not say when" in w.value for w in at.warning)


# -- scenarios in and out --------------------------------------------------------------------

def test_library_pick_loads_the_scenario(at):
    path = ROOT / "scenarios" / "churn-risk-scoring.yaml"
    at.selectbox(key="library").set_value("churn-risk-scoring").run()
    s = load_scenario(path)
    assert at.title[0].value.replace("\\", "") == s.name
    assert final_cumulative(at) == pytest.approx(_final(s))


def test_bad_upload_shows_the_error_and_keeps_the_scenario(at):
    before = final_cumulative(at)
    bad = DEFAULT.read_bytes().replace(b"batch_share: 0.0", b"batch_share: 1.7")
    at.file_uploader(key="upload").set_value(("bad.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    text = errors(at)
    assert "bad.yaml" in text and "options.llm.batch_share" in text and "1.7" in text
    assert "line" in text
    assert final_cumulative(at) == pytest.approx(before)
    assert at.title[0].value == "Support ticket routing"


def test_good_upload_replaces_the_scenario(at):
    path = ROOT / "scenarios" / "review-sentiment.yaml"
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(),
                                              "application/x-yaml")).run()
    assert not at.exception and not errors(at)
    assert final_cumulative(at) == pytest.approx(_final(load_scenario(path)))


def test_hostile_name_is_shown_as_text(at):
    text = DEFAULT.read_text().replace("name: Support ticket routing",
                                       "name: '<img src=x onerror=alert(1)> [x](javascript:1) $a$'")
    at.file_uploader(key="upload").set_value(("x.yaml", text.encode(), "text/yaml")).run()
    assert not at.exception
    title = at.title[0].value
    assert "\\<img" in title and "\\[x\\]" in title and "\\$a\\$" in title


def test_share_link_restores_the_scenario():
    path = ROOT / "scenarios" / "invoice-field-extraction.yaml"
    s = load_scenario(path)
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params[sl.PARAM] = sl.encode(s)
    app.run()
    assert not app.exception and not errors(app)
    assert app.title[0].value.replace("\\", "") == s.name
    assert final_cumulative(app) == pytest.approx(_final(s))
    # the widgets hold the scenario: the page's YAML is the link's YAML
    url = next(c.value for c in app.code if sl.PARAM + "=" in c.value)
    assert dumps_scenario(sl.decode(url.split(sl.PARAM + "=", 1)[1])) == dumps_scenario(s)


@pytest.mark.parametrize("token, words", [
    ("%%%", "damaged"),
    ("A" * (sl.MAX_LINK_CHARS + 10), "too long"),
    (sl.encode_text("schema_version: 1\nname: x\n"), "horizon_months"),
])
def test_bad_share_link_says_why_and_shows_the_default(token, words):
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params[sl.PARAM] = token
    app.run()
    assert not app.exception
    assert "Could not open the share link" in errors(app) and words in errors(app)
    assert app.title[0].value == "Support ticket routing"


def test_share_link_shown_on_the_page_round_trips(at):
    calls_box(at).set_value(750_000.0).run()
    url = next(c.value for c in at.code if sl.PARAM + "=" in c.value)
    token = url.split(sl.PARAM + "=", 1)[1]
    s = sl.decode(token)
    assert s.traffic.calls_per_month == 750_000.0
    assert final_cumulative(at) == pytest.approx(_final(s))


# -- the state dictionary (pure) -------------------------------------------------------------

@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_state_round_trip_gives_the_same_scenario(path):
    from calculator import validate

    s = load_scenario(path)
    state: dict = {}
    S.load(state, s)
    assert validate(S.collect(state)) == s


def _final(s) -> dict[str, float]:
    r = evaluate(s)
    cum = r.cumulative()[0]
    return {n: float(cum[i, -1]) for i, n in enumerate(r.names)}


def test_totals_table_matches_the_engine(at):
    r = evaluate(load_scenario(DEFAULT))
    t = totals(r)
    table = totals_table(at)
    from calculator.model.story import money
    assert list(table["Present value"]) == [money(float(x)) for x in t["present_value"][0]]


@pytest.mark.parametrize("tab, title, column", [
    ("Monthly breakdown", "Monthly cost by component", "component_label"),
    ("Cost per 1,000 calls", "Cost per 1,000 calls", "cost_per_1k_calls"),
])
def test_other_tabs_draw_the_engine_numbers(at, tab, title, column):
    r = evaluate(load_scenario(DEFAULT))
    open_tab(at, tab)
    assert list(charts(at)) == [title]
    df = dataset(at, title, "option", column)
    if column == "component_label":
        got = df.groupby("option")["cost"].sum()
        for i, name in enumerate(r.names):
            assert got[name] == pytest.approx(r.total[0, i].sum())   # components add up
        assert "Build team" in set(df[df["option"] == "in_house"]["component_label"])
    else:
        first = df[df["month"] == 1].set_index("option")[column]
        for i, name in enumerate(r.names):
            assert first[name] == pytest.approx(r.total[0, i, 0] / r.volume[0, 0] * 1000)


def test_risk_tab_calls_the_risk_view_when_it_exists(at):
    open_tab(at, "Risk & timing")
    assert not at.exception
    try:
        import calculator.ui.risk_view  # noqa: F401
    except ImportError:
        assert any("not part of this build" in i.value for i in at.info)


def test_repeated_share_parameter_is_refused_in_words():
    token = sl.encode(load_scenario(SCENARIOS[0]))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params[sl.PARAM] = [token, token]
    app.run()
    assert not app.exception
    assert "2 times" in errors(app)
    assert app.title[0].value == "Support ticket routing"


def test_hostile_file_name_is_shown_as_text(at):
    at.file_uploader(key="upload").set_value(
        ("[x](javascript:alert(1)).yaml", b"- not a mapping", "text/yaml")).run()
    shown = "\n".join(e.value for e in at.error)
    assert "\\[x\\]\\(javascript" in shown and "mapping" in shown


def test_downloads_section_is_drawn(at):
    try:
        import calculator.ui.downloads  # noqa: F401
    except ImportError:
        assert any("not part of this build" in i.value for i in at.info)
    else:
        assert len(at.get("download_button")) > 1      # the YAML and the exports


def test_a_number_can_become_a_range_and_back(at):
    # peak_to_average is 3.0 in the default scenario; as a range it starts at 3 / 3 / 3
    before = crossover_month(at, "in_house", "llm")
    at.button(key="range:traffic.peak_to_average").click().run()
    assert not at.exception
    assert [at.number_input(key=f"traffic.peak_to_average.{p}").value
            for p in ("low", "likely", "high")] == [3.0, 3.0, 3.0]
    at.number_input(key="traffic.peak_to_average.high").set_value(6.0).run()
    at.selectbox(key="traffic.peak_to_average.distribution").set_value("pert").run()
    data = S.collect(at.session_state)
    assert data["traffic"]["peak_to_average"] == {"low": 3.0, "likely": 3.0, "high": 6.0,
                                                  "distribution": "pert"}
    # the plain report uses likely: nothing moves until the risk view samples
    assert crossover_month(at, "in_house", "llm") == before
    at.button(key="drop:traffic.peak_to_average").click().run()
    assert S.collect(at.session_state)["traffic"]["peak_to_average"] == 3.0


def test_scenario_level_numbers_cannot_become_ranges(at):
    keys = {b.key for b in at.button}
    assert "range:traffic.calls_per_month" in keys
    assert "range:horizon_months" not in keys and "range:discount_rate_annual" not in keys
