"""Structure of a markdown page: code, steps, troubleshooting, prerequisites, tables.

``analyze_structure`` reads the whole stored markdown once and returns the
flags the store keeps (has_code, has_steps, has_troubleshooting,
has_prerequisites) plus the counts the content-type classifier weighs
(code density, parameter tables, prices, dates and bylines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_MDX_CODE = re.compile(r"^\s*<(?:\w*Code\w*|pre)\b")
_ORDERED = re.compile(r"^ {0,3}(\d{1,2})[.)][ \t]+\S")
_STEP_HEADING = re.compile(r"^(step\s*\d+|\d+[.)]\s)", re.I)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PARAM_HEADER = re.compile(
    r"\b(parameter|param|argument|flag|option|field|attribute|property|type|default|required|"
    r"name|variable|key|value|description|returns?)s?\b", re.I
)
_PRICE = re.compile(r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR))"
                    r"(?:\s*(?:/|per)\s*(?:mo|month|year|yr|hour|hr|GB|user|seat|vCPU|unit|minute))?",
                    re.I)
_PER_UNIT = re.compile(r"(?:/|per)\s*(?:mo|month|year|yr|hour|hr|GB|user|seat|vCPU|unit|minute)\b", re.I)
_API_CALL = re.compile(
    r"^\s*`?(?:GET|POST|PUT|PATCH|DELETE)\s+/\S*|\b(?:query|mutation|subscription)\b[ \t]*\w*[ \t]*(?:\([^)\n]*\))?[ \t]*\{",
    re.M
)
_DATE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})\b"
)
_BYLINE = re.compile(
    r"^\s*[*_]*\s*(?:By|BY|Written by|Posted by|Author:)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z.]+)+\s*[*_]*\s*$", re.M
)
_TROUBLE = re.compile(
    r"\b(troubleshoot\w*|common (?:issues|errors|problems|pitfalls|mistakes)|known issues|"
    r"faqs?|frequently asked|debugging|gotchas|if (?:it|something) (?:fails|goes wrong)|"
    r"(?:fix|fixing|resolv\w*) (?:errors|issues|problems)|not working)", re.I
)
_PREREQ = re.compile(
    r"\b(prerequisites?|requirements|before you (?:begin|start)|what you(?:'ll| will)? need|"
    r"you(?:'ll| will) need|getting ready)\b", re.I
)


@dataclass
class Structure:
    has_code: bool = False
    has_steps: bool = False
    has_troubleshooting: bool = False
    has_prerequisites: bool = False
    code_blocks: int = 0
    code_lines: int = 0
    prose_lines: int = 0
    ordered_items: int = 0  # items of ordered lists with at least 3 items
    step_headings: int = 0
    tables: int = 0
    param_tables: int = 0
    prices: int = 0
    dates: int = 0
    byline: bool = False
    api_calls: int = 0  # HTTP method + path lines, GraphQL operations
    headings: list[str] = field(default_factory=list)

    @property
    def code_density(self) -> float:
        total = self.code_lines + self.prose_lines
        return self.code_lines / total if total else 0.0


def _may_hold_prices(text: str) -> bool:
    """False when ``_PRICE`` cannot match: no currency sign, no USD or EUR (a quick test)."""
    if "$" in text or "€" in text or "£" in text:
        return True
    lower = text.lower()
    return "usd" in lower or "eur" in lower


def _may_hold_api_calls(text: str) -> bool:
    """False when ``_API_CALL`` cannot match: no HTTP method, and no GraphQL keyword with a brace."""
    if any(method in text for method in ("GET", "POST", "PUT", "PATCH", "DELETE")):
        return True
    return "{" in text and any(word in text for word in ("query", "mutation", "subscription"))


def analyze_structure(text: str, headings: list[str]) -> Structure:
    """Structure of ``text`` (markdown, frontmatter already removed) with its section headings."""
    s = Structure(headings=[h for h in headings if h])
    fence: str | None = None
    run = 0  # current ordered-list run length
    table_header: str | None = None
    previous = ""
    for line in text.split("\n"):
        if fence is not None:
            s.code_lines += 1
            match = _FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        # (each regex is tried only when the line holds the character it needs)
        match = _FENCE.match(line) if "`" in line or "~" in line else None
        if match:
            fence = match.group(1)
            s.code_blocks += 1
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if "<" in line and _MDX_CODE.match(line):
            s.code_blocks += 1
        ordered = _ORDERED.match(line) if stripped[0].isdigit() else None
        if ordered:
            run += 1
            if run == 3:
                s.ordered_items += 3
            elif run > 3:
                s.ordered_items += 1
        elif not line.startswith((" ", "\t")):
            run = 0
        if stripped[0] == "|" and _TABLE_ROW.match(line):
            if _TABLE_RULE.match(line) and table_header is None:
                table_header = previous
                s.tables += 1
                if len(_PARAM_HEADER.findall(previous)) >= 2:
                    s.param_tables += 1
        else:
            table_header = None
        s.prose_lines += 1
        previous = line
    if _may_hold_prices(text):
        s.prices = sum(1 for m in _PRICE.finditer(text) if "$" in m.group() or _PER_UNIT.search(m.group()))
    if _may_hold_api_calls(text):
        s.api_calls = len(_API_CALL.findall(text))
    s.dates = len(_DATE.findall(text[:3000]))
    s.byline = bool(_BYLINE.search(text[:2000]))
    s.step_headings = sum(1 for h in s.headings if _STEP_HEADING.match(h))
    s.has_code = s.code_blocks > 0
    s.has_steps = s.ordered_items >= 3 or s.step_headings >= 2
    s.has_troubleshooting = any(_TROUBLE.search(h) for h in s.headings)
    s.has_prerequisites = any(_PREREQ.search(h) for h in s.headings) or bool(
        re.search(r"^\s*(?:\*\*)?(?:prerequisites?|requirements)(?:\*\*)?:?", text, re.I | re.M)
    )
    return s
