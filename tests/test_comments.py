"""Comments are a scenario's sources and dates: kept from load time, written back on save."""

from __future__ import annotations

import pytest

import calculator as c
from calculator.model.comments import comments_of, sources, trailing_comment
from tests.conftest import SCENARIOS


def _texts(comments: dict[str, c.Comment]) -> list[str]:
    return [t for cm in comments.values() for t in (*cm.above, cm.trailing) if t]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_shipped_file_saved_again_keeps_every_comment_and_every_number(path):
    text = path.read_text()
    s = c.loads_scenario(text)
    notes = comments_of(text)
    assert len(notes) >= 15          # every shipped file cites its sources line by line
    out = c.dumps_scenario(s, notes)
    missing = [t for t in _texts(notes) if t not in out]
    assert missing == []
    assert c.loads_scenario(out) == s
    # and the comments sit at the same paths when read back
    again = comments_of(out)
    for p, cm in notes.items():
        if p:   # (header lines stay a header)
            assert cm.trailing in again[p].text() and " ".join(cm.above) in again[p].text()


TEXT = """# Header: made for the Q3 review
schema_version: 1
name: Comments
horizon_months: 12
traffic:
  calls_per_month: 1_000   # from analytics, 2026-10
team:
  # BLS 2025, loaded x 1.42
  mle: 20_000   # median
options:
  api:
    kind: genai_api
    input_tokens_per_call: 1000
    output_tokens_per_call: 100
    price_per_million_input_tokens: 2.0   # list price 2026-11-01
    price_per_million_output_tokens: 10.0
    batch_share: 0   # interactive
  old:
    kind: rules   # to be removed
"""


def test_edits_keep_the_comments_of_fields_that_still_exist():
    s = c.loads_scenario(TEXT)
    notes = comments_of(TEXT)
    data = c.to_data(s)
    data["options"]["api"]["price_per_million_input_tokens"] = 3.0    # an edit
    del data["options"]["old"]                                        # a removal
    edited = c.validate(data)
    out = c.dumps_scenario(edited, notes)
    assert out.startswith("# Header: made for the Q3 review\n")
    assert "calls_per_month: 1000  # from analytics, 2026-10" in out
    assert "  # BLS 2025, loaded x 1.42\n  mle: 20000  # median" in out
    assert "price_per_million_input_tokens: 3  # list price 2026-11-01" in out
    # a field at its default keeps its line when it carries a comment
    assert "batch_share: 0  # interactive" in out
    assert "to be removed" not in out and "old" not in out
    assert c.loads_scenario(out) == edited


def test_the_exports_drop_the_source_of_a_value_edited_since_loading():
    s = c.loads_scenario(TEXT)
    notes = comments_of(TEXT)
    data = c.to_data(s)
    data["options"]["api"]["price_per_million_input_tokens"] = 3.0
    edited = c.validate(data)
    kept = sources(notes, s, edited)
    assert kept["traffic.calls_per_month"] == "from analytics, 2026-10"
    assert kept["team.mle"] == "BLS 2025, loaded x 1.42; median"
    assert "options.api.price_per_million_input_tokens" not in kept     # stale now
    assert "options.api" not in kept or "list price" not in kept["options.api"]


def test_a_hash_inside_quotes_or_block_text_is_not_a_comment():
    assert trailing_comment("name: 'a # b'  # real") == "real"
    assert trailing_comment('name: "#1 choice"') == ""
    text = TEXT.replace("name: Comments\n", "name: Comments\ndescription: |\n  # not a comment\n"
                        "  second line\n")
    notes = comments_of(text)
    assert not any("not a comment" in t for t in _texts(notes))
    out = c.dumps_scenario(c.loads_scenario(text), notes)
    assert c.loads_scenario(out).description == "# not a comment\nsecond line\n"


def test_a_comment_that_would_break_the_file_costs_nothing():
    s = c.loads_scenario(TEXT)
    # a made-up comment at a path the dumped text has on a flow line: still loads
    notes = {"options.api.price_per_million_input_tokens": c.Comment(("x",), "y: {z")}
    out = c.dumps_scenario(s, notes)
    assert c.loads_scenario(out) == s
