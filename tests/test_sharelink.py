"""Share links: round trip for every shipped scenario, and every bad link refused in words."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pytest

from calculator import dumps_scenario, evaluate, load_scenario, totals
from calculator import sharelink as sl
from calculator.model import ScenarioError

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


def _pack(raw: bytes, level: int = 9) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw, level)).rstrip(b"=").decode()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_round_trip_gives_the_same_scenario_and_numbers(path):
    s = load_scenario(path)
    token = sl.encode(s)
    back = sl.decode(token)
    assert back == s
    assert dumps_scenario(back) == dumps_scenario(s)
    a, b = totals(evaluate(s)), totals(evaluate(back))
    assert all((a[k] == b[k]).all() for k in a)
    # URL-safe, unpadded, and far below the cap
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(token) < 8_000


def test_from_query_none_one_and_repeated():
    s = load_scenario(SCENARIOS[0])
    token = sl.encode(s)
    assert sl.from_query([]) is None
    assert sl.from_query([token]) == s
    with pytest.raises(sl.ShareLinkError, match="2 times"):
        sl.from_query([token, token])


def test_padding_and_surrounding_spaces_are_tolerated():
    s = load_scenario(SCENARIOS[0])
    token = base64.urlsafe_b64encode(zlib.compress(dumps_scenario(s).encode())).decode()
    assert sl.decode(f"  {token}\n") == s


@pytest.mark.parametrize("token, words", [
    ("", "empty"),
    ("   ", "empty"),
    ("abc$%^", "characters"),
    ("a/b+c", "characters"),              # standard (not URL-safe) base64 alphabet
    ("A", "not valid base64"),           # one char can never be base64
    (_pack(b"name: x")[:-6], "ends too early"),
    ("AAAA", "cannot be unpacked"),        # valid base64, not zlib
    (_pack(b"x") + _pack(b"y"), None),   # garbage after the stream (checked below)
])
def test_bad_tokens_are_refused_in_words(token, words):
    with pytest.raises(sl.ShareLinkError) as info:
        sl.decode(token)
    text = str(info.value)
    assert "Traceback" not in text
    if words:
        assert words in text


def test_trailing_data_is_refused():
    raw = zlib.compress(b"schema_version: 1\n") + b"extra"
    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(sl.ShareLinkError, match="extra data"):
        sl.decode(token)


def test_link_over_64_kb_is_refused_before_decoding():
    with pytest.raises(sl.ShareLinkError, match="too long"):
        sl.decode("A" * (sl.MAX_LINK_CHARS + 1))


def test_zlib_bomb_is_refused_without_inflating_it():
    # 200 MiB of zeros compress to ~200 KB; 20 MiB to ~20 KB, under the 64 KB link cap.
    bomb = _pack(b"\0" * (20 * 1024 * 1024))
    assert len(bomb) < sl.MAX_LINK_CHARS
    with pytest.raises(sl.ShareLinkError, match="more than 1,048,576 bytes"):
        sl.decode(bomb)


def test_exactly_one_mib_is_accepted_by_the_link_layer():
    body = b"#" * (sl.MAX_YAML_BYTES - 1) + b"\n"
    assert sl.decode_text(_pack(body)) == body


def test_encode_refuses_a_scenario_too_large_for_a_link():
    import os
    noise = os.urandom(60_000).hex()       # incompressible
    with pytest.raises(sl.ShareLinkError, match="too large for a share link"):
        sl.encode_text(f"description: {noise}\n")


@pytest.mark.parametrize("content, field", [
    (b"schema_version: 1\nname: x\nhorizon_months: 0\ntraffic: {calls_per_month: 1}\n"
     b"options: {a: {kind: rules}}\n", "horizon_months"),
    (b"!!python/object/apply:os.system [\"id\"]", "tags"),
    (b"- a\n- b\n", "mapping"),
    (b"\xff\xfe", "UTF-8"),
    (b"a: 1\x00", "NUL"),
])
def test_decoded_content_is_validated_like_an_upload(content, field):
    with pytest.raises(sl.ShareLinkError) as info:
        sl.from_query([_pack(content)])
    assert isinstance(info.value, ScenarioError)
    assert field in str(info.value)
    assert str(info.value).startswith("the scenario in the share link is not valid")


def test_non_text_parameter():
    with pytest.raises(sl.ShareLinkError, match="not text"):
        sl.decode(b"abc")  # type: ignore[arg-type]


def test_link_builds_a_clean_url():
    assert sl.link("http://127.0.0.1:8501", "t") == "http://127.0.0.1:8501/?scenario=t"
    assert sl.link("https://a.b/app/?x=1&scenario=old#frag", "new") == \
        "https://a.b/app/?scenario=new"
