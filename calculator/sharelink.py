"""Share links: a scenario carried in one URL query parameter (no streamlit here).

The parameter is the scenario's YAML, zlib-compressed and URL-safe base64 encoded without
padding. Opening a link is treated exactly like uploading a file: the decoded bytes go
through :func:`calculator.loads_scenario`. Every way a link can be wrong (too long, bad
characters or base64, not zlib, truncated, a zlib bomb, the parameter given twice) ends in
a :class:`ShareLinkError` with a sentence a person can act on, never a traceback.

>>> from pathlib import Path
>>> from calculator import load_scenario
>>> s = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "churn-risk-scoring.yaml")
>>> token = encode(s)
>>> len(token) < 4000, decode(token) == s
(True, True)
>>> decode("not base64!")
Traceback (most recent call last):
...
calculator.sharelink.ShareLinkError: the share link is damaged: it contains characters a share link never has (was it cut or edited?)
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

from .model import Scenario, ScenarioError, dumps_scenario, loads_scenario

PARAM = "scenario"
"""The query parameter that carries the scenario."""
MAX_LINK_CHARS = 64 * 1024
"""Longest parameter accepted (64 KB); a real scenario needs a few KB."""
MAX_YAML_BYTES = 1024 * 1024
"""Largest decompressed scenario accepted (1 MiB, the same limit as a file)."""

_TOKEN = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")


class ShareLinkError(ScenarioError):
    """A share link that cannot be opened; ``str()`` says why."""


def encode(scenario: Scenario) -> str:
    """The query-parameter value for ``scenario``; ShareLinkError if it would be too long."""
    return encode_text(dumps_scenario(scenario))


def encode_text(yaml_text: str) -> str:
    raw = yaml_text.encode("utf-8")
    token = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")
    if len(token) > MAX_LINK_CHARS:
        raise ShareLinkError(f"this scenario is too large for a share link ({len(token):,} "
                             f"characters, at most {MAX_LINK_CHARS:,}); download the YAML "
                             "file and send that instead")
    return token


def decode_text(token: str) -> bytes:
    """The scenario YAML bytes inside a parameter value (not yet validated)."""
    if not isinstance(token, str):
        raise ShareLinkError("the share link is damaged: the scenario parameter is not text")
    token = token.strip()
    if not token:
        raise ShareLinkError("the share link is empty: it carries no scenario")
    if len(token) > MAX_LINK_CHARS:
        raise ShareLinkError(f"the share link is too long ({len(token):,} characters; at most "
                             f"{MAX_LINK_CHARS:,}); ask for the YAML file instead")
    if not _TOKEN.match(token):
        raise ShareLinkError("the share link is damaged: it contains characters a share link "
                             "never has (was it cut or edited?)")
    body = token.rstrip("=")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise ShareLinkError("the share link is damaged: it is not valid base64 (was it cut "
                             "short when copied?)") from None
    inflater = zlib.decompressobj()
    try:
        # max_length bounds the work and the memory: a zlib bomb stops at the limit.
        raw = inflater.decompress(packed, MAX_YAML_BYTES + 1)
    except zlib.error:
        raise ShareLinkError("the share link is damaged: its content cannot be unpacked (was "
                             "it cut short or edited?)") from None
    if len(raw) > MAX_YAML_BYTES or inflater.unconsumed_tail:
        raise ShareLinkError(f"the share link unpacks to more than {MAX_YAML_BYTES:,} bytes "
                             "(1 MiB); a scenario is never that large, so it was refused")
    if not inflater.eof:
        raise ShareLinkError("the share link is damaged: it ends too early (was it cut short "
                             "when copied?)")
    if inflater.unused_data:
        raise ShareLinkError("the share link is damaged: it has extra data after the scenario")
    return raw


def decode(token: str) -> Scenario:
    """The scenario in a parameter value, validated exactly like an uploaded file."""
    return loads_scenario(decode_text(token))


def from_query(values: Sequence[str]) -> Scenario | None:
    """The scenario from every value the query string holds for :data:`PARAM` (none: None)."""
    values = list(values)
    if not values:
        return None
    if len(values) > 1:
        raise ShareLinkError(f"the link gives the scenario parameter {len(values)} times; a "
                             "share link carries exactly one scenario")
    try:
        return decode(values[0])
    except ShareLinkError:
        raise
    except ScenarioError as exc:
        raise ShareLinkError([f"the scenario in the share link is not valid: {p}"
                              for p in exc.problems]) from None


def link(base_url: str, token: str) -> str:
    """``base_url`` with its query replaced by the scenario parameter (fragment dropped).

    >>> link("http://localhost:8501/?old=1#x", "abc")
    'http://localhost:8501/?scenario=abc'
    """
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/",
                       urlencode({PARAM: token}), ""))
