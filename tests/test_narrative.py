"""The answer in words (calculator.model.narrative): the sentences a Decision says (headline,
how sure, verdict and action, caution, key numbers, figures, when to revisit, risks) and the
inputs named for people. The numbers behind them are in test_decision.py.

The worked example (tests/worked.py): api 3,000 a month; model, with api as its interim,
24,000 and 23,000 in its two build months, then 1,730 a month."""

from __future__ import annotations

import datetime as dt

import pytest

import calculator as c
from calculator.model import input_labels, texts
from calculator.model.decision import decide
from calculator.model.wording import money, share_of_draws
from tests.conftest import ROOT
from tests.worked import scenario, worked

TODAY = dt.date(2026, 12, 1)


def test_worked_example_says_building_does_not_pay_off_within_12_months():
    # saving of building = 36,000 - 64,300 = -28,300; payback traffic 1,943,333 (see
    # test_decision.py)
    t = decide(scenario(), today=TODAY).texts
    assert t.headline == ("Building does not pay off within 12 months: model costs $28.3k more "
                          "(total cost) than api over 12 months.")
    assert t.sure.startswith("This assumes every input exactly as given")
    assert [(n.label, n.value) for n in t.numbers] == [
        ("Extra cost to build", "$28.3k"), ("Pays off", "No"),
        ("Payback traffic", "1.9M/mo"), ("Build goes live", "Month 3")]
    assert ("Building would pay for itself within 12 months at a steady 1.9M calls a month "
            "or more (payback traffic); traffic reaches 1M a month by month 12.") in t.details
    assert t.verdict == "Buy api"
    assert t.action == ("Buy: use api and do not build model now; building costs $28.3k more "
                        "(total) over 12 months.")
    assert t.revisit[0] == (
        "When traffic reaches 1.9M calls a month (not reached within 12 months at the assumed "
        "growth): from that steady traffic, building pays for itself within the horizon.")
    assert t.caution is None


def test_with_ranges_the_cards_say_they_show_likely_values_and_what_the_draws_give():
    # the routing scenario: on likely values building saves and pays off in month 24, but
    # in most draws it does not; its cards must not read as the answer of every draw
    d = decide(c.load_scenario(ROOT / "scenarios" / "support-ticket-routing.yaml"), today=TODAY)
    saving, pays = d.texts.numbers[:2]
    assert (saving.label, pays.label) == ("Saving on likely values", "Pays off on likely values")
    assert saving.value == money(d.saving) and pays.value == f"Month {d.payoff_month}"
    # the saving's P10 and P90 at the horizon are the band's last month: building costs
    # more in the P10 draw and saves in the P90 one, in words (no minus sign to break after)
    p10, p90 = d.odds.band_p10[-1], d.odds.band_p90[-1]
    assert p10 < 0 < p90 < d.saving       # the likely saving is above nine draws in ten
    assert saving.help.endswith(f"Over the 10,000 draws, P10 costs {money(-p10)} more, "
                                f"P90 saves {money(p90)}.")
    assert d.odds.payoff_p50 is None and pays.help.endswith(
        "In the median draw it does not within 36 months.")
    # without ranges the cards keep their plain labels (the worked example, above)


def test_a_longer_horizon_says_when_building_pays_off_and_what_a_delay_costs():
    # saves 1,270 x 48 - 43,540 = 17,420 over 48 months, ahead from month 35; a month of
    # delay costs 20,000 + 3,000 - 1,730 = 21,270 (see test_decision.py)
    t = decide(scenario(horizon_months=48), today=TODAY).texts
    assert t.headline == ("Building pays off: model (with api until month 3) overtakes "
                          "api in month 35 and saves $17.4k (total cost) over 48 months.")
    assert any("each month of delay costs about $21.3k" in x for x in t.revisit)
    assert t.verdict == "Build model"
    assert t.action == ("Build model; keep api serving until it goes live in month 3. It costs "
                        "more at first and pays off in month 35, saving $17.4k (total) over "
                        "48 months.")


def test_the_figures_say_the_crossover_break_even_and_payback_traffic():
    # D(34) = 41,000 - 32 x 1,270 = 360, D(35) = -910: the lines cross at 34 + 360 / 1,270
    # = 34.28. Run-rate: 0.003 V = 1,730 at V = 576,667. Payback over 48 months: api
    # 0.144 V = model 0.006 V (interim) + 41,000 (build, setup) + 46 x 1,730 at
    # V = 120,580 / 0.138 = 873,768
    t = decide(scenario(horizon_months=48), today=TODAY).texts
    assert t.figures == [
        "model becomes cheaper than api in month 35: the cumulative total lines cross at "
        "month 34.3.",
        "Cheaper to run, api vs model: the running costs are equal at 577k calls a month "
        "(run-rate break-even).",
        "Payback traffic, api vs model: 874k calls a month, steady, over 48 months."]
    assert t.key_figures == t.figures                # api and model: the only pair
    assert t.revisit[0] == ("If traffic stays below 874k calls a month (month 1 traffic is "
                            "already above it): below that steady traffic, building does not "
                            "pay for itself in time.")
    assert t.risks == ["Every input is a single number: this is a point estimate. Give the "
                       "uncertain ones as ranges (low, likely, high) to see the spread."]


def test_months_read_as_calendar_months_with_a_start_date():
    # month 35 from January 2027 is 34 months later: November 2029
    d = decide(scenario(horizon_months=48, start_date="2027-01"), today=TODAY)
    assert "in month 35 (Nov 2029)" in d.texts.headline
    assert "until month 3 (Mar 2027)" in d.texts.headline
    assert texts.path_label(d, "model") == "model (with api until month 3 (Mar 2027))"


def test_a_build_not_live_within_the_horizon_says_the_interim_serves():
    d = decide(scenario(horizon_months=2), today=TODAY)         # live in month 3
    assert texts.path_label(d, "model") == "model (not live within 2 months; api serves)"
    assert texts.path_label(d, "api") == "api"


def test_labels_name_the_options_everywhere():
    d = decide(scenario(horizon_months=48, options__api__label="LLM API",
                        options__model__label="Our classifier"), today=TODAY)
    everything = " ".join([d.texts.headline, d.texts.action, *d.texts.figures,
                           *d.texts.revisit, *(n.help for n in d.texts.numbers)])
    assert "Our classifier (with LLM API until month 3) overtakes LLM API" in everything
    assert " api" not in everything.replace("LLM API", "")
    assert "model " not in everything


def test_with_ranges_the_headline_says_how_sure_it_is():
    d = decide(scenario(horizon_months=48,
                        options__model__build_months={"low": 1, "likely": 2, "high": 12}),
               today=TODAY)
    o = d.odds
    assert o is not None and o.draws == 10_000
    assert 0 < o.p_build_cheaper < 1
    # the share in the headline is the Monte Carlo's, with its wording band
    share = f"{round(o.p_build_cheaper * 100)} %"
    assert share in d.texts.headline
    word = "probably pays off" if 0.55 <= o.p_build_cheaper < 0.9 else "pay"
    assert word in d.texts.headline
    assert "on likely values it pays off in month 35, in the median draw " in d.texts.headline
    assert "draws" in d.texts.sure
    # payoff percentiles are ordered, none before the build could be live
    months = [m for m in (o.payoff_p10, o.payoff_p50, o.payoff_p90) if m is not None]
    assert months == sorted(months) and months[0] >= 3
    assert len(o.band_p10) == 48 and all(a <= b for a, b in zip(o.band_p10, o.band_p90, strict=True))


def test_a_build_that_pays_off_neither_on_likely_values_nor_in_most_draws_says_it_once():
    # 12 months: the build costs $28.3k more on likely values; build time 2 to 12 months
    # only makes it later, so no draw pays off within 12 months
    d = decide(scenario(options__model__build_months={"low": 1, "likely": 2, "high": 12}),
               today=TODAY)
    assert d.payoff_month is None and d.odds.payoff_p50 is None
    assert d.odds.p_build_cheaper == 0
    assert d.texts.headline == ("Building almost certainly does not pay off within 12 months: "
                                "not on likely values, and in none of the draws.")


def test_no_build_option_names_the_cheapest_and_how_sure():
    data = worked()
    del data["options"]["model"]
    data["options"]["rules"] = {"kind": "rules", "cost_per_1k_calls": {
        "low": 2.0, "likely": 2.5, "high": 4.0}}     # 2,500 a month, likely below the api
    d = decide(c.validate(data), today=TODAY)
    assert d.build is None and d.cheapest == "rules"
    p = d.odds.p_cheapest["rules"]
    # rules beat the api's 3,000 when 1,000 x price < 3,000, i.e. price < 3: P = ?
    # triangular(2, 2.5, 4): P(x < 3) = 1 - (4-3)^2 / ((4-2)(4-2.5)) = 1 - 1/3 = 0.667
    assert p == pytest.approx(2 / 3, abs=0.02)
    assert d.texts.headline.startswith(f"rules is probably the cheapest ({round(p * 100)} % of")
    assert d.texts.caution is None                   # the draws agree with likely values


def test_a_cheapest_option_the_draws_rarely_agree_with_gets_a_caution():
    # rules at triangular(2, 2.5, 10) per 1,000 calls: 2,500 a month on likely values, below
    # the api's 3,000 (30,000 against 36,000 over 12 months), but cheaper only when the price
    # is under 3: P = 1 - (10 - 3)^2 / ((10 - 2)(10 - 2.5)) = 1 - 49 / 60 = 0.183
    data = worked()
    del data["options"]["model"]
    data["options"]["rules"] = {"kind": "rules", "cost_per_1k_calls": {
        "low": 2.0, "likely": 2.5, "high": 10.0}}
    d = decide(c.validate(data), today=TODAY)
    p = d.odds.p_cheapest["rules"]
    assert p == pytest.approx(11 / 60, abs=0.02)
    share = share_of_draws(p)
    t = d.texts
    assert t.headline == (f"rules is probably not the cheapest ({share} of draws): $30k (total "
                          "cost) over 12 months, $6k less than api on likely values.")
    assert t.caution == (f"Caution: rules is the cheapest on likely values but only in {share} "
                         "of 10,000 draws.")
    assert (t.verdict, t.action) == ("Use rules", "Use rules (rules): the cheapest option over "
                                                  "12 months at $30k (total).")
    assert [(n.label, n.value) for n in t.numbers] == [
        ("Cheapest over 12 months", "$30k"), ("Less than the next", "$6k"),
        ("Cheapest in", share)]


@pytest.mark.parametrize("prices_as_of, line", [
    (None, "Now: the prices carry no date (prices_as_of); check them before deciding."),
    # six months on, the day kept up to the 28th: 31 August -> 28 February
    ("2026-08-31", "By 2027-02-28, when the prices (checked 2026-08-31) are six months old."),
    ("2025-01-01", "Now: the prices were checked on 2025-01-01, more than six months ago; "
                   "check them before deciding."),
])
def test_when_to_revisit_the_prices(prices_as_of, line):
    d = decide(scenario(prices_as_of=prices_as_of), today=TODAY)
    assert d.texts.revisit[1] == line


@pytest.mark.parametrize("path, label", [
    ("options.api.price_per_million_input_tokens", "api input price per 1M tokens"),
    ("traffic.calls_per_month", "calls per month in month 1"),
    ("team.ml_engineer", "ML engineer monthly rate"),
    ("options.model.build_succeeds", "whether the model build succeeds"),
    ("options.model.build_team.ml_engineer", "model ML engineer build team"),
    ("options.model.accuracy", "model accuracy"),
])
def test_inputs_are_named_as_the_app_names_them(path, label):
    assert input_labels.input_label(scenario(), path) == label


def test_an_inputs_value_is_said_by_its_unit_to_three_digits_unless_exact():
    s = scenario()
    price = "options.api.price_per_million_input_tokens"
    assert input_labels.input_value(s, "traffic.calls_per_month", 576_666.67) == "577k calls a month"
    assert input_labels.input_value(s, price, 0.7512345) == "$0.751"
    assert input_labels.input_value(s, price, 0.7512345, exact=True) == "$0.751235"
    assert input_labels.input_value(s, "options.model.accuracy", 0.9251) == "92.5 %"


def test_no_payback_traffic_is_said_in_words():
    # the api is free: no steady traffic makes building model pay for itself
    d = decide(scenario(options__api__price_per_million_input_tokens=0.0,
                        options__api__price_per_million_output_tokens=0.0), today=TODAY)
    assert "Payback traffic, api vs model: none up to 10^12 calls a month." in d.texts.figures
    (pay,) = [n for n in d.texts.numbers if n.label == "Payback traffic"]
    assert pay.value == "Never"
    assert pay.help.endswith("build and upkeep included: none up to 10^12 calls a month.")


def test_a_build_that_wins_on_likely_values_but_not_in_most_draws_is_not_recommended():
    # 48 months: building saves $17.4k on likely values (plain report assumes success), but
    # the build works in only 30 % of the draws; when it fails the api serves all 48 months
    # and the build's salaries are lost, so building is cheaper in about 30 % of draws
    d = decide(scenario(horizon_months=48, options__model__success_probability=0.3),
               today=TODAY)
    t = d.texts
    assert d.saving == pytest.approx(17_420) and 0.25 < d.odds.p_build_cheaper < 0.35
    assert t.verdict == "Do not build model yet"
    assert t.action == ("Keep api and do not commit to building model yet: on likely values "
                        "it pays off in month 35 and saves $17.4k (total) over 48 months, but "
                        "in most draws it does not. Narrow the uncertain inputs first (what to "
                        "measure next), then decide again.")
    # the headline says the chance and the action is hedged by it: no caution on top
    assert "(it does in only 3" in t.headline and t.caution is None


def test_a_buy_that_most_draws_would_build_says_for_now():
    # 12 months: buying saves $28.3k at the likely 1M calls a month; building pays for itself
    # from a steady 1.9M a month (payback traffic). Traffic triangular(0.9M, 1M, 10M):
    # P(V > 1.9M) = (10 - 1.9)^2 / ((10 - 0.9) x (10 - 1)) = 65.61 / 81.9 = 0.80
    d = decide(scenario(traffic__calls_per_month={"low": 900_000, "likely": 1_000_000,
                                                  "high": 10_000_000}), today=TODAY)
    t = d.texts
    assert d.saving == pytest.approx(-28_300) and 0.75 < d.odds.p_build_cheaper < 0.85
    assert t.verdict == "Buy api for now"
    assert t.action == ("Use api for now, but do not rule out building model: on likely values "
                        "building costs $28.3k more (total) over 12 months, yet in most draws "
                        "it is cheaper. Narrow the uncertain inputs first (what to measure "
                        "next), then decide again.")


def test_a_build_that_pays_off_in_a_few_draws_only_says_how_few():
    # 12 months, payback traffic 1.9M a month (see above); traffic triangular(0.9M, 1M,
    # 2.5M): P(V > 1.9M) = (2.5 - 1.9)^2 / ((2.5 - 0.9) x (2.5 - 1)) = 0.36 / 2.4 = 0.15
    d = decide(scenario(traffic__calls_per_month={"low": 900_000, "likely": 1_000_000,
                                                  "high": 2_500_000}), today=TODAY)
    p = d.odds.p_build_cheaper
    assert d.payoff_month is None and d.odds.payoff_p50 is None and 0.12 < p < 0.18
    assert d.texts.headline == ("Building probably does not pay off within 12 months: not on "
                                f"likely values, and only in {share_of_draws(p)} of draws.")
