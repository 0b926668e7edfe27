"""Values swapped between keys in code: ``"dev": "node dist/app.js"`` where the sources give
``"dev": "tsx src/app.ts"`` and ``"start": "node dist/app.js"``.

A writer who copies a source's configuration (package.json scripts, a YAML service, a TOML
table) and moves one value to the wrong key writes only words the sources use, so no word
is missing; the pair is wrong. In the draft's code blocks (shell blocks aside: commands and
variables are read as such), each ``key: value`` line (JSON, YAML, JavaScript objects,
TOML with a quoted value) is compared with the pairs of the sources' code in scope: the
draft's value is reported when the sources give that key other values, never this one, and
give this value to another key. A value the sources never write is the writer's own (a
service's name, a path); keys that name the user's own things (``name``, ``service``...)
and values that are flags, numbers or placeholders are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence, Finding
from kurt.checks.grounding.adapted_code import draft_code_blocks
from kurt.checks.grounding.facts import NAMED_BY_USER
from kurt.checks.passages import passages_for_line

_PAIRS = (
    re.compile(r"""^\s*["'](?P<key>[\w.@/:-]+)["']\s*:\s*(?P<q>["'])(?P<value>[^"'\n]*)(?P=q)\s*,?\s*$"""),
    re.compile(r"""^\s*-?\s*(?P<key>[A-Za-z_][\w.-]*)\s*:\s+(?P<q>["']?)(?P<value>[^"'#,\s][^"'#\n]*?)(?P=q)\s*,?\s*(?:#.*)?$"""),
    re.compile(r"""^\s*(?P<key>[A-Za-z_][\w.-]*)\s*=\s*(?P<q>["'])(?P<value>[^"'\n]*)(?P=q)\s*$"""),
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_NOT_A_VALUE = re.compile(r"(?i)true|false|null|none|yes|no|on|off|[\d.,_%\s-]+[a-z]{0,3}|"
                          r".*(?:<[\w-]|[\w-]>|\.\.\.|\byour[-_]|\bmy[-_]).*|-.*")


@dataclass(frozen=True)
class Pair:
    key: str
    value: str
    start: int  # of the value in its line
    end: int


@dataclass(frozen=True)
class SourcePair:
    key: str
    value: str
    path: str
    line: int
    quote: str


def pair_of(line: str) -> Pair | None:
    """The key and value a line of code sets, if it sets one the rule compares."""
    for pattern in _PAIRS:
        found = pattern.match(line)
        if found is not None:
            value = found.group("value").strip()
            if len(value) < 2 or _NOT_A_VALUE.fullmatch(value):
                return None
            start = found.start("value") + (len(found.group("value")) -
                                             len(found.group("value").lstrip()))
            return Pair(found.group("key"), value, start, start + len(value))
    return None


def source_pairs(passages) -> dict[str, list[SourcePair]]:
    """The pairs the code of ``passages`` sets, by key."""
    found: dict[str, list[SourcePair]] = {}
    for passage in passages:
        fenced = False
        for number, line in enumerate(passage.text.split("\n"), passage.line_start):
            if _FENCE.match(line):
                fenced = not fenced
                continue
            pair = pair_of(line) if fenced else None
            if pair is not None:
                found.setdefault(pair.key, []).append(
                    SourcePair(pair.key, pair.value, passage.path, number,
                               " ".join(line.split())[:280]))
    return found


def swapped(pair: Pair, theirs: dict[str, list[SourcePair]]) -> SourcePair | None:
    """The source pair of the draft's key when the draft gives it a value the sources give
    another key only; else None."""
    given = theirs.get(pair.key)
    if not given or pair.key.lower() in NAMED_BY_USER:
        return None
    value = pair.value.lower()
    if any(p.value.lower() == value for p in given):
        return None
    elsewhere = any(p.value.lower() == value for key, pairs in theirs.items() if key != pair.key
                    for p in pairs)
    return given[0] if elsewhere else None


def check_swapped_values(grounding) -> list[Finding]:
    """``grounding/specific`` findings for code values the sources give another key."""
    prose = grounding.prose
    findings = []
    for _language, block in draft_code_blocks(prose.text):
        if not block:
            continue
        line, _ = prose.position(block[0][0])
        theirs = grounding.read_once([passages_for_line(grounding.sections, line)], "code pairs",
                                     source_pairs)
        if not theirs:
            continue
        for offset, line in block:
            pair = pair_of(line)
            source = swapped(pair, theirs) if pair is not None else None
            if source is None:
                continue
            line_no, column = prose.position(offset + pair.start)
            _, end_column = prose.position(offset + pair.end - 1)
            evidence = Evidence(source.path, source.line, source.line, source.quote)
            findings.append(Finding(
                "grounding/specific", "error", grounding.path, line_no, column,
                f'Value "{pair.value}" of "{pair.key}" is what the sources give another key',
                end_line=line_no, end_column=end_column, evidence=evidence,
                suggestion=f'the source sets "{source.key}" to "{source.value}" '
                           f"({evidence.citation})"))
    return findings
