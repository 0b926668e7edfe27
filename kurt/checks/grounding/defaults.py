"""Default values: "`defaultEnvironmentName` defaults to `staging`" where the source gives
``apiDefault: "production"``.

A default is a fact of its own: the setting (a key, a flag, a field) and the value
it takes when nothing is set. Both may be in the sources and still not together,
which the token checks cannot see. ``defaults_in`` reads the defaults a text
states, in the forms documentation writes them:

- prose: a code span, then within the same clause "defaults to X", "default is X",
  "(default: X)" (X a code span, a quoted string, a number with
  its unit, or a word);
- a table with a "Default" column: the row's first cell names the setting;
- a table row whose description says "Defaults to X" (a flag's reference row);
- a field list of MDX docs: ``{ name: "input.numReplicas", ..., apiDefault: "1" }``;
- a list item documenting one setting (an API reference's options): its first code span
  names it, "**Default:** `0`" or "The default is `4`" anywhere in the item gives the
  default (a nested item's default is its own).

A paragraph's wrapped lines are read as one ("which defaults to" / "`3`.").

A setting is named by its last dotted part or its flags (``input.numReplicas`` is
``numreplicas``; ``-S, --since <TIME>`` is ``-s`` and ``--since``). Values compare
as quantities where both are one ("1h" and "an hour"), else as lowercase text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.grounding.quantities import find_numbers

_VALUE = r"(?P<value>`[^`\n]+`|\"[^\"\n]+\"|'[^'\n]+'|[\w$.:/-]+(?:\s+(?:[a-zA-Z]+))?)"
_PROSE = re.compile(
    r"`(?P<key>[^`\n]+)`(?P<between>[^`.;!?\n]{0,80}?)"
    r"(?:\bdefaults?\s+(?:to|is|of)\s+|\(default:?\s*|\bdefault\s+value\s+(?:is|of)\s+)" + _VALUE,
    re.IGNORECASE)
_ROW_DEFAULT = re.compile(r"\bdefault(?:s|\s+value)?(?:\s+(?:to|is|of))?:?\s+" + _VALUE,
                          re.IGNORECASE)
_FIELD = re.compile(r"name:\s*[\"'](?P<key>[\w.-]+)[\"'][^}\n]*?\b(?:apiDefault|default)"
                    r":\s*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[\w.-]+)")
_DEFAULT_HEADER = re.compile(r"^\s*(?:default|default value|defaults)\s*$", re.IGNORECASE)
_FLAG_NAMES = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_NOT_VALUES = frozenset({"the", "a", "an", "this", "that", "its", "your", "their", "whatever",
                         "none", "nothing", "empty", "unset", "false", "true", "on", "off"})


@dataclass(frozen=True)
class Default:
    keys: frozenset[str]  # the setting's names, lowercase
    value: str  # as written
    start: int  # offsets of the value in the text read
    end: int


def setting_keys(name: str) -> frozenset[str]:
    """The names a setting goes by: ``input.numReplicas`` -> {numreplicas};
    ``-S, --since <TIME>`` -> {-s, --since}; ``RAILWAY_TOKEN`` -> {railway_token}."""
    name = name.strip().strip("`").strip()
    flags = _FLAG_NAMES.findall(name)
    if flags:
        return frozenset(f.lower() for f in flags)
    word = re.split(r"[\s=(<]", name)[0].rstrip(":")
    last = word.split(".")[-1].lower()
    return frozenset({last}) if re.fullmatch(r"[\w-]+", last) else frozenset()


def value_key(value: str) -> tuple | str:
    """What a default value is compared by: a quantity (dimension, value) or its text."""
    text = value.strip().strip("`\"'").strip().rstrip(".,;:)")
    whole = {(m.quantity.dimension, round(m.quantity.value, 9))
             for m in find_numbers(text, draft=False) if m.end - m.start >= len(text) - 1}
    return next(iter(whole)) if len(whole) == 1 else text.lower()


def _value(match: re.Match) -> tuple[str, int, int] | None:
    value = match.group("value")
    start = match.start("value")
    if not value.startswith(("`", '"', "'")):
        first = value.split()[0]
        if first.lower() in _NOT_VALUES:
            return None
        numbers = find_numbers(value, draft=False)
        if numbers and numbers[0].start == 0:  # a number with its unit ("30 seconds"), not
            value = value[:numbers[0].end]  # the word after it ("defaults to 20 and caps...")
        else:  # a word alone
            value = first
    value = value.rstrip(".,;:)")
    if not value.strip("`\"'"):
        return None
    return value, start, start + len(value)


def defaults_in(text: str) -> list[Default]:
    """Every default ``text`` states (see the module docstring); offsets are into ``text``."""
    found: list[Default] = []
    header: list[str] = []
    column = None
    offset = 0
    for line in _unwrapped(text).split("\n"):
        if line.lstrip().startswith("|"):
            cells = line.strip().strip("|").split("|")
            if header and re.fullmatch(r"[\s|:-]+", line):
                pass  # the header's rule
            elif not header:
                header = [c.strip() for c in cells]
                column = next((i for i, c in enumerate(header) if _DEFAULT_HEADER.match(c)), None)
            else:
                found += _row_defaults(line, offset, column)
        else:
            header, column = [], None
            for match in _PROSE.finditer(line):
                got = _value(match)
                keys = setting_keys(match.group("key"))
                if got and keys:
                    found.append(Default(keys, got[0], offset + got[1], offset + got[2]))
        for match in _FIELD.finditer(line):
            keys = setting_keys(match.group("key"))
            if keys:
                found.append(Default(keys, match.group("value"), offset + match.start("value"),
                                     offset + match.end("value")))
        offset += len(line) + 1
    seen = {(d.start, d.end) for d in found}
    return found + [d for d in _item_defaults(text) if (d.start, d.end) not in seen]


_NEW_BLOCK = re.compile(r"^\s*(?:[|#>]|[*+-]\s|\d{1,2}[.)]\s|```|~~~|<)")


def _unwrapped(text: str) -> str:
    """``text`` with each paragraph's wrapped lines joined by a space (the same length, so
    offsets hold): "which defaults to" / "`3`." is one sentence."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 < len(lines):
            following = lines[i + 1]
            joined = line.strip() and following.strip() and not line.lstrip().startswith(
                ("|", "#", "```", "~~~", "<")) and not _NEW_BLOCK.match(following)
            out.append(" " if joined else "\n")
    return "".join(out)


# a list item that documents one setting: "* `family` {integer} The record family. Must be
# `4`, `6`, or `0`." / "  **Default:** `0`." (its lines indented below it, a nested list aside)
_ITEM = re.compile(r"^(?P<indent>[ \t]*)[*+-][ \t]+`(?P<key>[^`\n]+)`(?P<body>[^\n]*"
                   r"(?:\n(?P=indent)[ \t]+(?![*+-][ \t])\S[^\n]*)*)", re.MULTILINE)
_ITEM_DEFAULT = re.compile(r"\bdefault(?:(?:s\s+to|\s+is|\s+value\s+is)\s+|"
                           r"\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)" + _VALUE, re.IGNORECASE)


def setting_items(text: str) -> list[tuple[str, str]]:
    """(name, text) of each list item documenting one setting (``* `ttl` {boolean} ...``),
    its wrapped lines included, a nested list aside."""
    return [(item.group("key"), item.group("body")) for item in _ITEM.finditer(text)]


def _item_defaults(text: str) -> list[Default]:
    """The defaults list items give the setting they document (its first code span), said
    anywhere in the item: "**Default:** `0`", "The default is `4`"."""
    out = []
    for item in _ITEM.finditer(text):
        keys = setting_keys(item.group("key"))
        if not keys:
            continue
        for match in _ITEM_DEFAULT.finditer(item.group("body")):
            got = _value(match)
            if got:
                base = item.start("body")
                out.append(Default(keys, got[0], base + got[1], base + got[2]))
                break
    return out


def _row_defaults(line: str, offset: int, column: int | None) -> list[Default]:
    bars = [i for i, c in enumerate(line) if c == "|"]
    if len(bars) < 3:
        return []
    cells = [(bars[k] + 1, bars[k + 1]) for k in range(len(bars) - 1)]
    keys = setting_keys(line[cells[0][0]:cells[0][1]])
    if not keys:
        return []
    if column is not None and column < len(cells):
        start, end = cells[column]
        cell = line[start:end]
        value = cell.strip()
        if value and value not in ("-", "—", "–"):
            first = start + cell.index(value)
            return [Default(keys, value, offset + first, offset + first + len(value))]
        return []
    out = []
    for start, end in cells[1:]:
        match = _ROW_DEFAULT.search(line, start, end)
        got = _value(match) if match else None
        if got:
            out.append(Default(keys, got[0], offset + got[1], offset + got[2]))
    return out


def contradicted(draft: Default, sources: list[Default]) -> Default | None:
    """The source default of the same setting when the sources never give the draft's value
    for it; None when they agree or say nothing of that setting."""
    theirs = [d for d in sources if d.keys & draft.keys]
    if not theirs:
        return None
    wanted = value_key(draft.value)
    if any(value_key(d.value) == wanted for d in theirs):
        return None
    return theirs[0]
