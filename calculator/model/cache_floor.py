"""Minimum cacheable prompt lengths: providers cache only prompt prefixes of at least N tokens.

A bundled, dated table (spec v2, "Cache floor"): when the cached part of a prompt, c·Tin, is
below the model's minimum, the provider caches nothing and bills every input token at the
full input price. The report warns; the numbers are not changed.

Each row says where the figure comes from and when it was read. ``checked`` is the day the
source text was read for this table; ``published`` is the page's own date where it shows
one. Providers and models not in the table return ``None`` (unknown, not "no minimum").

>>> cache_floor("anthropic", "claude-haiku-4-5").tokens
4096
>>> cache_floor("openai", "gpt-5-mini").tokens
1024
>>> cache_floor("mistral", "mistral-large-2512") is None
True
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import NamedTuple

CHECKED = _dt.date(2026, 12, 1)

_ANTHROPIC_DOC = "https://platform.claude.com/docs/en/build-with-claude/prompt-caching"
_ANTHROPIC_NOW = (f"{_ANTHROPIC_DOC} ('Cache limitations', quoted in github.com/iii-hq/workers"
                  " pull 1202 and github.com/affaan-m/ECC pull 3173); it says the minimums"
                  " apply on every platform where the model is available (Claude API, AWS,"
                  " Google Cloud, Microsoft Foundry)")
_ANTHROPIC_2026_02 = (f"{_ANTHROPIC_DOC}, as quoted on 2026-02-21 in"
                      " github.com/anthropics/anthropic-sdk-python issue 1194")
_ANTHROPIC_2025_07 = ("https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching"
                      "#cache-limitations, as quoted on 2025-07-04 in"
                      " github.com/deepset-ai/haystack-core-integrations pull 2051")
_OPENAI = "https://developers.openai.com/api/docs/guides/prompt-caching"
_GEMINI = "https://ai.google.dev/gemini-api/docs/caching"
_GEMINI_OLD = "https://ai.google.dev/gemini-api/docs/interactions/caching"


@dataclass(frozen=True)
class CacheFloorRow:
    providers: tuple[str, ...]  # genai-prices provider ids the row applies to
    models: str  # which models, in words
    pattern: str  # regex on the normalised model id (see ``_normalise``)
    tokens: int
    caching: str  # how caching is switched on
    source: str
    published: _dt.date | None
    checked: _dt.date = CHECKED
    note: str = ""


class CacheFloor(NamedTuple):
    tokens: int
    source: str


_CLAUDE = ("anthropic", "aws", "google", "azure")


def _claude(family: str, version: str) -> str:
    """Both id orders: claude-haiku-4-5 and claude-3-5-haiku / claude-4-opus."""
    v = version.replace(".", "-")
    return rf"^claude-(?:{family}-{v}|{v}-{family})$"


_A = "explicit (cache_control breakpoints) or automatic (top-level cache_control)"
ROWS: tuple[CacheFloorRow, ...] = (
    CacheFloorRow(("openai",), "GPT-4o and newer, o-series (automatic caching)",
                  r"^(?:ft:)?(?:chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|o1|o3|o4|codex)",
                  1024, "automatic", _OPENAI, None,
                  note="'By default, caching is enabled automatically for prompts that are "
                       "1024 tokens or longer'; writes are free before GPT-5.6 and cost "
                       "1.25x input from GPT-5.6 on."),
    CacheFloorRow(_CLAUDE, "Claude Opus 5, Fable 5, Mythos 5",
                  "|".join(_claude(f, "5") for f in ("opus", "fable", "mythos")),
                  512, _A, _ANTHROPIC_NOW, None),
    CacheFloorRow(_CLAUDE, "Claude Opus 4.7", _claude("opus", "4.7"), 2048, _A,
                  _ANTHROPIC_NOW, None),
    CacheFloorRow(_CLAUDE, "Claude Opus 4.6, Opus 4.5, Haiku 4.5",
                  "|".join([_claude("opus", "4.6"), _claude("opus", "4.5"),
                            _claude("haiku", "4.5")]),
                  4096, _A, _ANTHROPIC_NOW, None),
    CacheFloorRow(_CLAUDE, "Claude Opus 4.8, Sonnet 5, Sonnet 4.6, Sonnet 4.5, Opus 4.1, "
                  "Opus 4, Sonnet 4",
                  "|".join([_claude("opus", "4.8"), _claude("sonnet", "5"),
                            _claude("sonnet", "4.6"), _claude("sonnet", "4.5"),
                            _claude("opus", "4.1"), _claude("opus", "4"),
                            _claude("sonnet", "4")]),
                  1024, _A, _ANTHROPIC_NOW, None,
                  note="Users report Sonnet 4.6 caching only from 2,048 tokens "
                       "(anthropic-sdk-python issue 1194); the documentation says 1,024."),
    CacheFloorRow(_CLAUDE, "Claude Haiku 3.5", _claude("haiku", "3.5"), 2048, _A,
                  _ANTHROPIC_NOW, None),
    CacheFloorRow(_CLAUDE, "Claude Haiku 3", _claude("haiku", "3"), 2048, _A,
                  _ANTHROPIC_2026_02, _dt.date(2026, 2, 21)),
    CacheFloorRow(_CLAUDE, "Claude Sonnet 3.7", _claude("sonnet", "3.7"), 1024, _A,
                  _ANTHROPIC_2026_02, _dt.date(2026, 2, 21)),
    CacheFloorRow(_CLAUDE, "Claude Sonnet 3.5, Opus 3",
                  "|".join([_claude("sonnet", "3.5"), _claude("opus", "3")]), 1024, _A,
                  _ANTHROPIC_2025_07, _dt.date(2025, 7, 4)),
    CacheFloorRow(("google",), "Gemini 4 Argon, 3.8 / 3.7 / 3.6 / 3.5 Flash, 3.1 Pro Preview",
                  r"^gemini-(?:4-argon|3\.[5-8]-flash|3\.1-pro-preview)$", 4096,
                  "implicit (automatic)", _GEMINI, _dt.date(2026, 10, 13),
                  note="Page 'Last updated 2026-10-13 UTC'; Flash-Lite models are not listed."),
    CacheFloorRow(("google",), "Gemini 2.5 Flash, 2.5 Pro", r"^gemini-2\.5-(?:flash|pro)$",
                  2048, "implicit (automatic)", _GEMINI, _dt.date(2026, 10, 13),
                  note="The May 2026 page said 1,024 for 2.5 Flash and 4,096 for 2.5 Pro."),
    CacheFloorRow(("google",), "Gemini 3 Pro Preview", r"^gemini-3-pro-preview$", 4096,
                  "implicit (automatic)", _GEMINI_OLD, _dt.date(2026, 5, 28),
                  note="No longer listed on the October 2026 page."),
    CacheFloorRow(("google",), "Gemini 3 Flash Preview", r"^gemini-3-flash-preview$", 1024,
                  "implicit (automatic)", _GEMINI_OLD, _dt.date(2026, 5, 28),
                  note="No longer listed on the October 2026 page."),
)


def _normalise(model: str) -> str:
    """``global.anthropic.claude-opus-4-5-v1:0`` → ``claude-opus-4-5``."""
    m = model.lower().rsplit("/", 1)[-1]
    m = m.rsplit("anthropic.", 1)[-1]
    m = re.sub(r"-v\d+(?::\d+)?$", "", m)  # Bedrock's -v1:0
    m = re.sub(r"-(?:20\d{6}|latest)$", "", m)  # dated snapshot or alias
    return re.sub(r"^(claude-(?:opus|sonnet|haiku)-4)-0$", r"\1", m)  # claude-opus-4-0


def cache_floor(provider: str, model: str) -> CacheFloor | None:
    """``(tokens, source)`` for the model's minimum cacheable prefix, or ``None`` if unknown."""
    name = _normalise(model)
    for row in ROWS:
        if provider in row.providers and re.search(row.pattern, name):
            seen = f"read {row.checked.isoformat()}"
            if row.published:
                seen += f"; source dated {row.published.isoformat()}"
            return CacheFloor(row.tokens, f"{row.source} ({seen})")
    return None
