"""The shipped example scenarios: each loads, round-trips and tells the story it claims."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS

import calculator as c
from calculator.model.analysis import crossovers
from calculator.model.story import tell


def test_there_are_at_least_five():
    assert len(SCENARIOS) >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_loads_round_trips_and_has_prices_date(path):
    s = c.load_scenario(path)
    assert s.description and s.prices_as_of is not None
    assert c.loads_scenario(c.dumps_scenario(s)) == s
    text = path.read_text()
    assert text.count("#") >= 3, "prices should cite their sources in comments"


def _builds_pay_off(path) -> bool:
    r = c.evaluate(c.load_scenario(path))
    story = tell(r)
    return story.crossover_month is not None


def test_at_least_two_show_a_crossover_and_one_never_pays_off():
    crossing = [p.stem for p in SCENARIOS if any(
        c.load_scenario(p).active[x.cheaper].kind == "in_house"
        for x in crossovers(c.evaluate(c.load_scenario(p))))]
    assert len(crossing) >= 2, crossing
    never = [p.stem for p in SCENARIOS
             if tell(c.evaluate(c.load_scenario(p))).headline.startswith("Building never pays off")]
    assert never, "one example should show that building never pays off"
