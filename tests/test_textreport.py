"""The command line's table and Markdown say what the app says, in the same words."""

from __future__ import annotations

import pytest

from calculator import textreport
from calculator.model import load_scenario
from calculator.model.decision import decide
from tests.conftest import SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_table_and_markdown_carry_the_decisions_sentences(path):
    s = load_scenario(path)
    d = decide(s)
    table = textreport.table(s, d)
    assert d.texts.headline in table and d.texts.sure in table
    assert f"Recommendation: {d.texts.action}" in table          # as in the app
    for n in d.texts.numbers:
        assert f"{n.label}: {n.value}" in table
    for w in d.warnings:
        assert f"Warning: {w}" in table
    md = textreport.markdown(s, d)
    assert f"**{textreport.md_escape(d.texts.headline)}**" in md
    # the same option names as the app: labels, never raw floats in the table
    for name in d.result.names:
        assert s.label(name) in table
    import re

    assert not re.search(r"\d\.\d{4,}", table), "a raw float reached the table"
    assert not re.search(r"\de[+-]\d", table)


def test_with_ranges_the_table_says_how_sure():
    s = next(load_scenario(p) for p in SCENARIOS if p.stem == "support-ticket-routing")
    assert "% of draws" in textreport.table(s).splitlines()[2]
