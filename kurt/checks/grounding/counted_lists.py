"""A count the draft's own list contradicts.

"The `status` field takes one of twelve values:" above eleven bullets, or "The lifecycle
has four steps: someone posts a question, Railway marks it eligible, the community replies,
a moderator accepts a solution, and Railway pays out" (five): whichever the writer got
wrong, the draft cannot be right twice. A count is compared with a bullet or numbered list
that follows its line, or with an inline list after its colon when the list is
unambiguous (its last item set off by ", and" or ", or", every item a short phrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import kurt.checks.grounding.numbers as num
from kurt.checks.grounding.prose import FENCED_BLOCK

_COUNTED = re.compile(
    r"(?<![\w.,/-])(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|twenty)\s+(?:[\w`*-]+\s+)?(?P<noun>[a-z][\w-]*s)"
    r"(?P<rest>\s+(?:of|in|for|to|on|from)\s+[\w`* -]{1,30})?:[ \t]*(?P<tail>.*)$",
    re.IGNORECASE)
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,2}[.)])[ \t]+\S")
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$",
                           re.IGNORECASE)
MAX_ITEM_WORDS = 10
_ASIDE = re.compile(r"(?:for instance|for example|e\.g\.|i\.e\.|such as|including|like|say|"
                    r"usually|typically|often|mostly)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"(?:which|who|where|that|each|both|while|because|so|by|with|via|"
                           r"through|using)\b", re.IGNORECASE)  # a clause, or an item's how


@dataclass(frozen=True)
class Miscount:
    start: int  # file offsets of the count
    end: int
    text: str
    listed: int


def miscounts(text: str) -> list[Miscount]:
    """The counts of the draft (outside code blocks) that the list after them contradicts."""
    fenced = [(f.start(), f.end()) for f in FENCED_BLOCK.finditer(text)]
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out = []
    for index, line in enumerate(lines):
        found = _COUNTED.search(line)
        if not found or any(a <= starts[index] < b for a, b in fenced):
            continue
        value = num.parse_number(found.group("n"))
        if value is None or value < 2 or num.unit_of(found.group("noun")) is not None \
                or line[:found.start()].rstrip().endswith(("~", "about", "around", "over")):
            continue  # "~50 hours": a quantity, not a count of listed things
        if _MONTH_BEFORE.search(line[:found.start()]):
            continue  # "December 21 invoice includes:": a date
        tail = _unwrapped(found.group("tail").strip(), lines, index + 1)
        first = re.split(r"(?<=[.!?])\s", tail, maxsplit=1)[0]
        if re.search(r"\d|\b(?:one|two|three|four|five|six|each|both)\b", first, re.IGNORECASE):
            continue  # "six replicas: two each in ...": a breakdown, not the items
        listed = _inline_items(tail) if tail else _following_items(lines, index + 1)
        if listed is not None and listed >= 2 and listed != int(value):
            at = starts[index] + found.start("n")
            out.append(Miscount(at, at + len(found.group("n")), found.group("n"), listed))
    return out


_NEW_BLOCK = re.compile(r"^\s*(?:[|#>]|[-*+]\s|\d{1,2}[.)]\s|<|```|~~~)")


def _unwrapped(tail: str, lines: list[str], index: int) -> str:
    """The text after the colon with the lines its paragraph wraps onto ("four areas: a,
    b, and" / "c.")."""
    if not tail:
        return tail
    while index < len(lines) and lines[index].strip() and not _NEW_BLOCK.match(lines[index]):
        tail += " " + lines[index].strip()
        index += 1
    return tail


def _following_items(lines: list[str], index: int) -> int | None:
    while index < len(lines) and not lines[index].strip():
        index += 1
    first = _ITEM.match(lines[index]) if index < len(lines) else None
    if first is None:
        return None
    indent = len(first.group("indent").expandtabs())
    count = 0
    while index < len(lines):
        line = lines[index]
        item = _ITEM.match(line)
        if item and len(item.group("indent").expandtabs()) == indent:
            count += 1
        elif not line.strip():
            following = lines[index + 1] if index + 1 < len(lines) else ""
            nxt = _ITEM.match(following)
            if not nxt or len(nxt.group("indent").expandtabs()) != indent:
                break
        elif len(line) - len(line.lstrip()) <= indent:
            break  # the list has ended (a continuation line is indented)
        index += 1
    return count


def _inline_items(tail: str) -> int | None:
    sentence = re.split(r"(?<=[.!?])\s", tail, maxsplit=1)[0].rstrip(".!?")
    if not re.search(r",\s+(?:and|or)\s", sentence):
        return None  # "A, B and C" may be two or three items: not read
    parts = [p.strip() for p in re.split(r",\s*", sentence) if p.strip()]
    parts = [re.sub(r"^(?:and|or)\s+", "", p) for p in parts]
    parts = [p for p in parts if not _ASIDE.match(p)]  # "..., for instance during backups"
    if any(len(p.split()) > MAX_ITEM_WORDS or _CLAUSE_START.match(p) for p in parts):
        return None  # clauses, not items
    if any(re.search(r"[a-z]/[a-z]", p, re.IGNORECASE) for p in parts):
        return None  # "before/after the callback": one item or two
    return len(parts)


def check_counts(grounding) -> list:
    """``grounding/specific`` findings for the counts the draft's own lists contradict."""
    from kurt.checks.finding import Finding

    prose = grounding.prose
    findings = []
    for found in miscounts(prose.text):
        line, column = prose.position(found.start)
        _, end_column = prose.position(found.end - 1)
        findings.append(Finding(
            "grounding/specific", "error", grounding.path, line, column,
            f'Number "{found.text}" is not the {found.listed} items the draft lists after it',
            end_line=line, end_column=end_column,
            suggestion=f"count the list again: it has {found.listed} items"))
    return findings
