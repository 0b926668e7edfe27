"""Dates as writers and sources write them, reduced to (year, month, day) with parts optional.

``find_dates`` finds ``2024-03-15``, ``2024/03/15``, ``March 15, 2024``,
``15 March 2024``, ``Mar. 2024`` and ``March 15``; ``YEAR`` finds a bare year
(1990-2049), which the caller tells from a count by the words around it.
Two dates agree (``agree``) when every part both of them state is equal, so
"March 2024" in a draft agrees with "2024-03-15" in a source and with "in
2024", but not with "April 2024".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for name in names}

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
PATTERNS = [
    re.compile(r"\b" + _YEAR.format("y") + r"[-/](?P<m>[01]?\d)[-/](?P<d>[0-3]?\d)\b"),
    re.compile(r"\b" + _MONTH.format("m") + r"\s+" + _DAY.format("d") + r",?\s+"
               + _YEAR.format("y") + r"\b", re.IGNORECASE),
    re.compile(r"\b" + _DAY.format("d") + r"\s+(?:of\s+)?" + _MONTH.format("m") + r",?\s+"
               + _YEAR.format("y") + r"\b", re.IGNORECASE),
    re.compile(r"\b" + _MONTH.format("m") + r",?\s+(?:of\s+)?" + _YEAR.format("y") + r"\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<m>[A-Z][a-z]+)\.?\s+" + _DAY.format("d") + r"\b(?!\s*(?:%|[-:.]\d))"),
]
YEAR = re.compile(r"(?<![\w.$/,-])(?:199\d|20[0-4]\d)(?![\w.%/-]|,\d)")


@dataclass(frozen=True)
class Date:
    year: int | None
    month: int | None = None
    day: int | None = None
    start: int = 0
    end: int = 0

    def agrees(self, other: Date) -> bool:
        return agree(self, other)

    def text(self) -> str:
        parts = [str(self.year) if self.year else "", f"{self.month:02d}" if self.month else "",
                 f"{self.day:02d}" if self.day else ""]
        return "-".join(p for p in parts if p)


def agree(a: Date, b: Date) -> bool:
    shared = False
    for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)):
        if x is not None and y is not None:
            if x != y:
                return False
            shared = True
    return shared


def find_dates(text: str) -> list[Date]:
    """Every date in ``text``, longest form first where forms overlap."""
    found: list[Date] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            groups = match.groupdict()
            month = groups.get("m")
            if month is not None and not month.isdigit():
                month = MONTHS.get(month.lower().rstrip("."))
                if month is None:
                    continue
            elif month is not None:
                month = int(month)
                if not 1 <= month <= 12:
                    continue
            day = int(groups["d"]) if groups.get("d") else None
            if day is not None and not 1 <= day <= 31:
                continue
            year = int(groups["y"]) if groups.get("y") else None
            if year is None and month is None:
                continue
            found.append(Date(year, month, day, start, end))
            taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return found
