"""A scenario file's comments are its sources and dates: kept from load time, written back.

:func:`comments_of` reads, for every key of a file, the comment lines right above it and
the comment at the end of its line (the text before the first key is the file's header,
path ``""``). :func:`with_comments` writes them into freshly dumped YAML at the same paths,
so a file loaded, edited in the app and downloaded keeps every comment of the fields it
still writes; the result is checked to load back to the same scenario (else the plain
text is returned: a comment never costs a user their file). :func:`sources` gives the
exports one note per path, dropping the notes of values edited since the file was loaded.

The safe loader (:mod:`yamlio`) does all validation: this module only re-reads text it has
already accepted.

>>> text = "# header\\nschema_version: 1\\nteam:\\n  # BLS 2025\\n  mle: 18_000  # x 1.42 / 12\\n"
>>> c = comments_of(text)
>>> c[""].above, c["team.mle"].above, c["team.mle"].trailing
(('header',), ('BLS 2025',), 'x 1.42 / 12')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ScenarioError

MAX_NOTE = 300


@dataclass(frozen=True)
class Comment:
    above: tuple[str, ...] = ()     # whole comment lines above the key, '#' removed
    trailing: str = ""              # the comment at the end of the key's line

    def text(self) -> str:
        return "; ".join(x for x in (" ".join(self.above), self.trailing) if x)


def trailing_comment(line: str) -> str:
    """The comment at the end of a YAML line ('#' after a space, outside quotes)."""
    quote = None
    prev = " "
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and prev in " :-,[{":
            quote = ch
        elif ch == "#" and prev in " \t":
            return line[i + 1:].strip()
        prev = ch
    return ""


def _key_lines(text: str) -> tuple[dict[str, int], set[int]]:
    """Scenario path -> the line its key (or list item) starts on, and the lines inside
    block scalars (where a '#' is text, not a comment). 1-based."""
    from .yamlio import _Loader

    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    starts: dict[str, int] = {}
    inside: set[int] = set()

    def walk(node: Any, path: str) -> None:
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                inside.update(range(node.start_mark.line + 2, node.end_mark.line + 2))
            return
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = f"{path}.{i}" if path else str(i)
                starts.setdefault(sub, item.start_mark.line + 1)
                walk(item, sub)
            return
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            starts.setdefault(sub, key.start_mark.line + 1)
            walk(value, sub)

    if root is not None:
        walk(root, "")
    return starts, inside


def comments_of(text: str | bytes) -> dict[str, Comment]:
    """Every comment of an accepted scenario file, by the path it belongs to."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", "replace")
    try:
        starts, inside = _key_lines(text)
    except (yaml.YAMLError, ScenarioError, RecursionError):
        return {}
    rows = text.splitlines()
    first = min(starts.values(), default=len(rows) + 1)
    owner: dict[int, str] = {}
    for path, n in sorted(starts.items(), key=lambda kv: (kv[1], kv[0].count("."))):
        owner.setdefault(n, path)            # a line's outermost path owns its comments
    out: dict[str, Comment] = {}
    header = tuple(r.strip().lstrip("#").strip() for r in rows[: first - 1]
                   if r.strip().startswith("#"))
    if header:
        out[""] = Comment(header)
    for n, path in owner.items():
        above: list[str] = []
        k = n - 2
        while k >= first - 1 and k + 1 not in inside and k + 1 not in owner:
            row = rows[k].strip()
            if row.startswith("#"):
                above.insert(0, row.lstrip("#").strip())
            elif row:
                break
            k -= 1
        tail = trailing_comment(rows[n - 1]) if n - 1 < len(rows) else ""
        if above or tail:
            out[path] = Comment(tuple(above), tail)
    return out


def with_comments(text: str, comments: dict[str, Comment], scenario: Any) -> str:
    """``text`` (dumped YAML) with ``comments`` put back at their paths; the plain text if
    the result would not load back to ``scenario``."""
    from .yamlio import loads_scenario

    try:
        starts, _ = _key_lines(text)
    except (yaml.YAMLError, ScenarioError):
        return text
    rows = text.splitlines()
    above: dict[int, list[str]] = {}
    tails: dict[int, list[str]] = {}
    for path, c in comments.items():
        n = starts.get(path) if path else 1
        if n is None:
            continue                          # a field the file no longer writes
        if path and not _starts_line(rows[n - 1], path):
            # inside a flow mapping: a comment line would split it, so it goes at the end
            tails.setdefault(n, []).extend([*c.above, c.trailing] if c.trailing else c.above)
            continue
        above.setdefault(n, []).extend(c.above)
        if c.trailing and path:
            tails.setdefault(n, []).append(c.trailing)
    out = []
    for i, row in enumerate(rows, start=1):
        indent = row[: len(row) - len(row.lstrip())]
        out += [f"{indent}# {line}".rstrip() for line in above.get(i, [])]
        notes = [t for t in dict.fromkeys(tails.get(i, [])) if t]
        out.append(f"{row}  # {'; '.join(notes)}" if notes else row)
    result = "\n".join(out) + "\n"
    try:
        if loads_scenario(result) != scenario:
            return text
    except ScenarioError:
        return text
    return result


def _starts_line(row: str, path: str) -> bool:
    key = path.rsplit(".", 1)[-1]
    stripped = row.lstrip()
    return stripped.startswith((f"{key}:", f"'{key}':", f'"{key}":')) or (
        key.isdigit() and stripped.startswith("- "))


def sources(comments: dict[str, Comment] | None, origin: Any, current: Any) -> dict[str, str]:
    """Path -> the comment that explains it, for the exports' assumptions. A comment is
    dropped when its value (or any value inside it) was edited since the file was loaded
    (``origin`` is the scenario as loaded, ``current`` the one being exported)."""
    if not comments:
        return {}
    changed = _changed(origin, current) if origin is not None else set()
    out = {}
    for path, c in comments.items():
        note = c.text()
        stale = any(x == path or x.startswith(path + ".") for x in changed)
        if path and note and not stale:
            out[path] = note[:MAX_NOTE]
    return out


def _changed(a: Any, b: Any) -> set[str]:
    from .params import leaves

    if a == b:
        return set()
    va, vb = dict(leaves(a)), dict(leaves(b))
    return {p for p in va.keys() | vb.keys() if va.get(p) != vb.get(p)}
