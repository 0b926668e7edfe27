"""Versions given for something else: "`URL.parse()`, available since v20.0.0" where the
sources' section on ``URL.parse()`` says it was added in v22.1.0, and v20.0.0 is the version
of another change on the same page.

A reference gives versions one thing at a time: an API's section heads its history ("added:
v14.9.0", a list of changes, each a version and a description), a changelog row gives a
version and what changed, a sentence says "since v18.0.0, `path.format()` adds the dot".
Each version a source writes is read with what it versions: the words of its sentence or
list entry (a wrapped entry whole: "- version: v6.0.0 / description: Trailing garbage...")
and the heading of its section, which names the API. A draft's version that the sources
state is reported when another version's surroundings describe the draft's sentence clearly
better than those of every mention of the draft's own (``attribution.misattributed``, as for
numbers and dates); the draft's sentence is read with its code written out, since the API it
names is in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.grounding.attribution import (
    Attribution,
    attribution,
    common_words,
    line_terms,
    misattributed,
)

VERSION = re.compile(r"(?<![\w.])v(\d+(?:\.\d+){1,3})(?![\w.]*\d)")
MIN_SHARED = 3  # words the other version's surroundings must share with the draft's sentence
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class SourceVersion:
    """A version a source writes, with what it versions."""
    key: str  # without the "v", "14.9.0"
    text: str  # as written, "v14.9.0"
    line: int
    path: str
    attribution: Attribution
    quote: str

    @property
    def snippet(self) -> str:
        return self.text


def version_mentions(passage) -> list[SourceVersion]:
    """The versions of one passage (``v`` and two or three dotted numbers: release versions,
    not a section number), outside fenced code, each with its surroundings and the words of
    the passage's heading."""
    from kurt.checks.grounding.facts import wrapped

    if "v" not in passage.text:
        return []
    heading = line_terms((passage.heading or "").split(" > ")[-1].replace("(", " ("))
    lines = passage.text.split("\n")
    contexts = wrapped(lines)
    out, fenced = [], False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in VERSION.finditer(line):
            before, after = contexts[offset]
            shift = len(before) + 1 if before else 0
            whole = (before + " " if before else "") + line + (" " + after if after else "")
            own = attribution(whole, match.start() + shift, match.end() + shift)
            out.append(SourceVersion(
                match.group(1), match.group(0), passage.line_start + offset, passage.path,
                Attribution(own.near | heading, own.left, own.adjacent, own.tag),
                " ".join(line.split())[:280]))
    return out


def competing_version(mentions: list[SourceVersion], key: str, draft: Attribution):
    """The source version that belongs where the draft wrote version ``key`` (which some
    mention states), when one fits the draft's sentence clearly better; else None."""
    same = [m for m in mentions if _same(m.key, key)]
    if not same:
        return None
    others = [m for m in mentions if m not in same and not key.startswith(m.key + ".")]
    return misattributed(draft, same, others, min_shared=MIN_SHARED,
                         common=common_words(mentions))


def _same(theirs: str, key: str) -> bool:
    return theirs == key or theirs.startswith(key + ".")


_KIND_PREFIX = re.compile(r"^(?:class|event|static method|method|property|new)\s*:?\s*",
                          re.IGNORECASE)


def api_name(text: str) -> str:
    """An API as a heading or inline code names it, bare: "Class: zlib.Gunzip" ->
    "zlib.gunzip", "URL.parse(input[, base])" -> "url.parse", "Event: 'close'" -> "close"."""
    name = _KIND_PREFIX.sub("", text.strip())
    name = name.split("(", 1)[0].split(" extends ", 1)[0].strip().strip("`'\"")
    return name.lower() if re.fullmatch(r"[\w$.:-]+", name) else ""


def _names_same(one: str, other: str) -> bool:
    return bool(one and other) and (one == other or one.endswith("." + other)
                                    or other.endswith("." + one))


def versioned_elsewhere(unit, start: int, passages, key: str) -> SourceVersion | None:
    """The first version of the section on the API that the draft's sentence names in inline
    code nearest before the version it writes (else nearest after it), when the history of
    that section (every version its passage writes) does not hold the draft's: "`URL.parse()`,
    available since v20.0.0" where the section ``URL.parse(input[, base])`` gives "added:
    v22.1.0"."""
    before = [(start - e, content) for s, e, content in unit.code if e <= start]
    after = [(s - start, content) for s, e, content in unit.code if s > start]
    if not before and not after:
        return None
    name = api_name(min(before or after)[1])  # what the version follows, else what follows it
    if not name or "." not in name and len(name) < 4:
        return None
    history: list[SourceVersion] = []
    for passage in passages:
        heading = (passage.heading or "").split(" > ")[-1]
        if _names_same(api_name(heading), name):
            history += version_mentions(passage)
    if not history or any(_same(m.key, key) for m in history):
        return None
    return history[0]


def prose_attribution(unit, start: int, end: int) -> Attribution:
    """The surroundings of ``unit.text[start:end]`` with the unit's code and URLs written
    out (the API a version belongs to is named in code)."""
    pieces, last, moved = [], 0, 0
    for code_start, code_end, content in sorted(unit.code + unit.urls):
        if code_start < last or code_start <= start < code_end:
            continue  # overlapping spans, or the version inside code: left as written
        pieces.append(unit.text[last:code_start])
        pieces.append(f" {content} ")
        if code_end <= start:
            moved += len(content) + 2 - (code_end - code_start)
        last = code_end
    pieces.append(unit.text[last:])
    return attribution("".join(pieces), start + moved, end + moved)
