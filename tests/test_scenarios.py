"""The shipped example scenarios: each loads, round-trips and tells the story it claims."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import SCENARIOS

import calculator as c
from calculator.model.analysis import crossovers
from calculator.model.analysis import report as json_report
from calculator.model.comments import comments_of
from calculator.model.decision import decide
from calculator.model.numbers import Range, likely
from calculator.model.options import GenAIOption, HybridOption, InHouseOption

HYBRID_EXAMPLE = "support-ticket-hybrid"


def _values(v):
    return [v.low, v.likely, v.high] if isinstance(v, Range) else [v]


def _has_hybrid(path) -> bool:
    return any(isinstance(o, HybridOption) for o in c.load_scenario(path).active.values())


@cache
def _engine_prices_hybrids() -> bool:
    """Whether this engine computes hybrid options (spec version 2): a two-month plan where
    an API serves until a one-month build is live, then keeps half of the calls."""
    probe = c.validate({
        "schema_version": 1, "name": "probe", "horizon_months": 2,
        "traffic": {"calls_per_month": 1000}, "team": {"mle": 1000},
        "options": {
            "api": {"kind": "genai_api", "input_tokens_per_call": 100,
                    "output_tokens_per_call": 1, "price_per_million_input_tokens": 1,
                    "price_per_million_output_tokens": 1},
            "model": {"kind": "in_house", "enabled": False, "build_months": 1,
                      "build_team": {"mle": 1}, "node_cost_per_hour": 0.1,
                      "node_capacity_rps": 10},
            "both": {"kind": "hybrid", "primary": "model", "fallback": "api",
                     "primary_share": 0.5}}})
    try:
        c.evaluate(probe)
    except (AttributeError, KeyError, NotImplementedError, TypeError, ValueError):
        return False
    return True


def _evaluable():
    """The shipped scenarios this engine can compute (all of them once it prices hybrids)."""
    return [p for p in SCENARIOS if _engine_prices_hybrids() or not _has_hybrid(p)]


def test_there_are_at_least_five():
    assert len(SCENARIOS) >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_loads_round_trips_and_has_prices_date(path):
    s = c.load_scenario(path)
    assert s.description and s.prices_as_of is not None
    assert c.loads_scenario(c.dumps_scenario(s)) == s
    text = path.read_text()
    assert text.count("#") >= 3, "prices should cite their sources in comments"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_file_has_a_start_month_and_every_option_a_name_for_people(path):
    s = c.load_scenario(path)
    assert s.start_date is not None, "the month the plan starts (start_date: YYYY-MM)"
    unnamed = [k for k, o in s.options.items() if not o.label]
    assert unnamed == [], f"options without a label: {unnamed}"
    labels = [o.label for o in s.options.values()]
    assert len(set(labels)) == len(labels), "two options share a label"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_llm_options_have_upkeep_and_builds_have_odds(path):
    s = c.load_scenario(path)
    notes = comments_of(path.read_text())
    for name, opt in s.options.items():
        if isinstance(opt, GenAIOption):
            assert any(likely(v) > 0 for v in opt.run_team.values()), \
                f"options.{name}: prompts and evaluations need upkeep (run_team)"
        if isinstance(opt, InHouseOption) and likely(opt.success_probability) == 1:
            note = notes.get(f"options.{name}.success_probability")
            assert note is not None and note.text(), \
                f"options.{name}: a build can fail (Gartner: 54 % reach production); a certain " \
                "build needs a comment on its success_probability line saying why"


def test_at_least_two_show_a_crossover_and_one_never_pays_off():
    paths = _evaluable()
    crossing = [p.stem for p in paths if any(
        c.load_scenario(p).active[x.cheaper].kind == "in_house"
        for x in crossovers(c.evaluate(c.load_scenario(p))))]
    assert len(crossing) >= 2, crossing
    decisions = {p.stem: decide(c.load_scenario(p), draws=500) for p in paths}
    never = [n for n, d in decisions.items() if d.build and d.buy and d.payoff_month is None]
    assert never, "one example should show that building never pays off"


# -- the hybrid example --------------------------------------------------------------------

def _hybrid_example():
    path = next((p for p in SCENARIOS if p.stem == HYBRID_EXAMPLE), None)
    assert path is not None, f"scenarios/{HYBRID_EXAMPLE}.yaml is missing"
    return c.load_scenario(path)


def test_the_hybrid_example_keeps_the_confident_share_and_sends_the_rest_to_an_llm():
    s = _hybrid_example()
    hybrids = {k: o for k, o in s.active.items() if isinstance(o, HybridOption)}
    to_llm = [o for o in hybrids.values() if isinstance(s.options[o.fallback], GenAIOption)]
    assert to_llm, "a hybrid whose fallback is an LLM"
    for h in hybrids.values():
        primary = s.options[h.primary]
        assert isinstance(primary, InHouseOption) and h.routing == "confidence"
        share = _values(h.primary_share)
        assert isinstance(h.primary_share, Range) and 0.6 <= min(share) <= max(share) <= 0.85
        # it keeps the tickets it is sure of: right more often there than on average ...
        assert min(_values(h.primary_accuracy)) > likely(primary.accuracy)
        # ... so the share it passes on is harder, and that still has to be a possible accuracy
        p, kept, overall = likely(h.primary_share), likely(h.primary_accuracy), likely(primary.accuracy)
        assert 0 <= (overall - p * kept) / (1 - p) <= overall
    # both pure options are there to compare with: the LLM alone and the classifier alone
    fallback = s.options[to_llm[0].fallback]
    assert fallback.enabled
    assert any(isinstance(o, InHouseOption) and o.interim is not None for o in s.active.values())
    # and staff review (a rules option priced at the reviewers' time) as the other fallback
    people = [s.options[o.fallback] for o in hybrids.values()
              if s.options[o.fallback].kind == "rules"]
    assert people and likely(people[0].cost_per_1k_calls) > 0


def test_the_hybrid_example_tells_its_story():
    if not _engine_prices_hybrids():
        pytest.skip("this engine does not compute hybrid options yet (spec version 2)")
    s = _hybrid_example()
    r = json_report(s)
    by_kind = {kind: [k for k, o in s.active.items() if o.kind == kind]
               for kind in ("genai_api", "in_house", "hybrid")}
    llm, alone = by_kind["genai_api"][0], by_kind["in_house"][0]
    best_hybrid = min(by_kind["hybrid"], key=lambda k: r["options"][k]["present_value"])
    pv = {k: r["options"][k]["present_value"] for k in (llm, alone, best_hybrid)}
    # the mix beats both pure options over the horizon, and catches up with the LLM inside it
    assert pv[best_hybrid] < pv[llm] and pv[best_hybrid] < pv[alone], pv
    assert any(x["cheaper"] == best_hybrid and x["than"] == llm for x in r["crossovers"])
