"""How the catalog sorts and sorts out models: newest first, legacy last, text or not.

genai-prices carries no release dates. Its only age signals are the ``deprecated`` flag and
the words of a model's name, description and price comments ("Retired on 2025-06-16",
"(legacy)"), so those mark a model as legacy. Within the rest, "newest" is read from the
model id, the best signal the data has:

1. the version number in the id, higher first: ``gpt-5.6`` before ``gpt-5.4`` before
   ``gpt-4o``; ``claude-opus-4-5`` (4.5) before ``claude-3-7-sonnet`` (3.7). Parameter
   counts (``70b``, ``8x7b``) and context sizes (``128k``) are not versions;
2. then a date in the id, later first: ``-20251001``, ``-2024-05-13``, or ``-2512`` (YYMM);
3. then the id. Models with no version come after those with one.

It is a heuristic: across families (OpenAI's ``o3`` against ``gpt-4.1``) version numbers
say little about age. A table of first-seen dates from genai-prices' git history would be
closer to release order but goes stale with every data upgrade.

Text generation: a model that prices output tokens and no generated audio, image or video,
no audio time, and whose id or name does not say speech, image, audio, embedding or rerank.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

_RETIRED = re.compile(r"^\s*retired\b|\(legacy\)", re.IGNORECASE)
_RETIRED_ON = re.compile(r"^\s*retired on\b", re.IGNORECASE)

# Price keys that say a model generates or listens to media rather than writing text.
_MEDIA_KEYS = ("output_audio_mtok", "output_image_mtok", "output_video_mtok", "audio_hours",
               "input_audio_hours", "output_audio_hours", "rerank_searches_kcount")
_NOT_TEXT = re.compile(
    r"(?<![a-z])(embed\w*|tts|whisper|transcri\w*|speech|rerank\w*|image|audio|realtime|live"
    r"|sonic|orpheus|voxtral|ocr|dall-e|imagen|veo|sora|lyria)(?![a-z])")

_NUMBER = re.compile(r"^[a-z]*(\d{1,3}(?:\.\d{1,3})*)([a-z]*)$")
_SIZE_SUFFIX = ("b", "m", "k", "t")  # 70b, 128k: parameter counts and context sizes
_LONG_DATE = re.compile(r"(?<!\d)(20\d\d)-?([01]\d)-?([0-3]\d)(?!\d)")
_YYMM = re.compile(r"(?<![\d.])(2[3-9])(0[1-9]|1[0-2])(?![\d.])")


def is_legacy(model: Any) -> bool:
    """Deprecated in the data, or described there as retired or legacy."""
    if model.deprecated:
        return True
    words = [model.name or "", model.description or ""]
    return (any(_RETIRED.search(w) for w in words)
            or bool(_RETIRED_ON.search(model.price_comments or "")))


def is_text_generation(model: Any, prices: Any) -> bool:
    """True for a model that writes text (see the module notes)."""
    if getattr(prices, "output_mtok", None) is None:
        return False
    if any(getattr(prices, key, None) is not None for key in _MEDIA_KEYS):
        return False
    return not _NOT_TEXT.search(f"{model.id} {model.name or ''}".lower())


def version_of(model_id: str) -> tuple[int, ...] | None:
    """The version number in a model id: ``claude-haiku-4-5`` → (4, 5); None if none.

    >>> version_of("gpt-5.4-mini"), version_of("claude-3-5-haiku-latest")
    ((5, 4), (3, 5))
    >>> version_of("llama-3.3-70b-versatile"), version_of("mistral-large-2512")
    ((3, 3), None)
    """
    tokens = re.split(r"[-_/:@ ]+", model_id.lower().rsplit("/", 1)[-1])
    parts: list[int] = []
    for token in tokens:
        match = _NUMBER.match(token)
        number = match.group(1) if match else None
        if (match is None or number is None or match.group(2) in _SIZE_SUFFIX
                or (len(number) >= 4 and "." not in number)):
            if parts:
                break
            continue
        pieces = [int(x) for x in number.split(".")]
        if parts:  # "4-5" continues "claude-haiku-4": a lone small number only
            if len(pieces) == 1 and not match.group(2) and pieces[0] < 100 and len(parts) == 1:
                parts.extend(pieces)
            break
        parts = pieces
        if len(pieces) > 1 or match.group(2):
            break
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts) if parts else None


def date_of(model_id: str) -> _dt.date | None:
    """A release date written in a model id (YYYYMMDD, YYYY-MM-DD or YYMM)."""
    found = _LONG_DATE.search(model_id)
    try:
        if found:
            return _dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        short = _YYMM.search(model_id)
        if short:
            return _dt.date(2000 + int(short.group(1)), int(short.group(2)), 1)
    except ValueError:
        return None
    return None


def newest_first_key(price: Any) -> tuple[Any, ...]:
    """Sort key: non-legacy first, then higher version, later id date, then the id."""
    version = version_of(price.model)
    padded = tuple(-x for x in (version or ())) + (0,) * (4 - len(version or ()))
    day = date_of(price.model)
    return (price.legacy or price.deprecated, version is None, padded, day is None,
            -(day.toordinal() if day else 0), price.model)
