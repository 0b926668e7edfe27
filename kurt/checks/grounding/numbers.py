"""Numbers as writers spell them, and the units they carry, normalised for comparison.

``parse_number`` reads one number however it is written: ``1,000``, ``1000``,
``1k``, ``1.5M``, ``one thousand``, ``twenty-five``, ``1.5 million``.
``unit_of`` names the unit that follows a number (``60 s``, ``60 seconds``,
``8GB``, ``8 gigabytes``, ``99.9%``, ``99.9 percent``, ``20x``) and gives its
dimension and its factor to the dimension's base unit, so ``60 s``,
``60 seconds`` and ``1 minute`` all become ``Quantity("time", 60.0)``.

Dimensions: ``time`` (seconds), ``bytes`` (decimal: GB and GiB count the same,
as writers use them interchangeably), ``bits/s``, ``percent``, ``usd``,
``eur``, ``gbp`` (prices), ``x`` (multipliers). A number with any other noun
after it (``100 requests``) is a plain ``count``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
MAGNITUDES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
              "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
SUFFIX_MAGNITUDES = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "mm": 1_000_000,
                     "bn": 1_000_000_000, "B": 1_000_000_000}
NUMBER_WORDS = frozenset(SMALL) | frozenset(TENS) | frozenset(MAGNITUDES)

# A number word or a hyphenated tens-units pair ("twenty-five").
WORD_NUMBER = re.compile(
    r"\b(?:(?:" + "|".join(TENS) + r")(?:[- ](?:" + "|".join(k for k in SMALL if SMALL[k] < 10 and
                                                          SMALL[k] > 0) + r"))?"
    r"|" + "|".join(sorted(SMALL, key=len, reverse=True)) + r")"
    r"(?:[ -](?:" + "|".join(MAGNITUDES) + r"))*\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    dimension: str
    factor: float  # to the dimension's base unit


def _units() -> dict[str, Unit]:
    table: dict[str, Unit] = {}

    def add(dimension: str, factor: float, *names: str) -> None:
        for name in names:
            table[name] = Unit(dimension, factor)

    add("time", 1e-9, "ns", "nanosecond", "nanoseconds")
    add("time", 1e-6, "µs", "μs", "us", "microsecond", "microseconds")
    add("time", 1e-3, "ms", "msec", "millisecond", "milliseconds")
    add("time", 1, "s", "sec", "secs", "second", "seconds")
    add("time", 60, "m", "min", "mins", "minute", "minutes")
    add("time", 3600, "h", "hr", "hrs", "hour", "hours")
    add("time", 86400, "d", "day", "days")
    add("time", 7 * 86400, "wk", "wks", "week", "weeks")
    add("time", 30 * 86400, "mo", "month", "months")
    add("time", 365 * 86400, "yr", "yrs", "year", "years")
    add("bytes", 1, "b", "byte", "bytes")
    add("bytes", 1e3, "kb", "kib", "kilobyte", "kilobytes", "kibibyte", "kibibytes")
    add("bytes", 1e6, "mb", "mib", "megabyte", "megabytes", "mebibyte", "mebibytes", "meg", "megs")
    add("bytes", 1e9, "gb", "gib", "gigabyte", "gigabytes", "gibibyte", "gibibytes", "gig", "gigs")
    add("bytes", 1e12, "tb", "tib", "terabyte", "terabytes", "tebibyte", "tebibytes")
    add("bytes", 1e15, "pb", "pib", "petabyte", "petabytes")
    add("bits/s", 1e3, "kbps", "kbit/s")
    add("bits/s", 1e6, "mbps", "mbit/s")
    add("bits/s", 1e9, "gbps", "gbit/s")
    add("percent", 1, "%", "percent", "per cent", "pct", "percentage points")
    add("x", 1, "x", "×", "times")
    add("usd", 1, "usd", "dollar", "dollars")
    add("usd", 0.01, "cent", "cents")
    add("eur", 1, "eur", "euro", "euros")
    add("gbp", 1, "gbp", "pound", "pounds")
    return table


UNITS = _units()
CURRENCY_SIGNS = {"$": "usd", "US$": "usd", "€": "eur", "£": "gbp"}
# Units that may be written glued to the number ("8GB", "60s", "20x", "99.9%").
GLUED = frozenset({"ns", "µs", "μs", "us", "ms", "s", "m", "h", "hr", "hrs", "d", "b", "kb", "kib",
                   "mb", "mib", "gb", "gib", "tb", "tib", "pb", "kbps", "mbps", "gbps", "%",
                   "x", "×", "sec", "secs", "min", "mins", "wk", "mo", "yr", "yrs"})
# Short unit names that are also ordinary words or letters: only after a digit-written number.
AMBIGUOUS = frozenset({"s", "m", "h", "d", "b", "us", "mo", "x", "times", "min", "sec", "gig",
                       "gigs", "meg", "megs", "pound", "pounds"})

DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Quantity:
    dimension: str  # "count", "time", "bytes", "bits/s", "percent", "x", "usd", "eur", "gbp"
    value: float

    def same(self, other: Quantity) -> bool:
        return self.dimension == other.dimension and close(self.value, other.value)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def parse_digits(text: str) -> float | None:
    """``1,000`` -> 1000.0, ``1.5`` -> 1.5; None when ``text`` is not written in digits."""
    text = text.strip()
    if not DIGITS.fullmatch(text):
        return None
    return float(text.replace(",", ""))


def parse_words(text: str) -> float | None:
    """``one thousand`` -> 1000, ``twenty-five`` -> 25, ``two hundred fifty`` -> 250."""
    words = re.split(r"[\s-]+", text.strip().lower())
    if not words or words == [""]:
        return None
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if word == "and" and seen:
            continue
        if word in SMALL:
            current += SMALL[word]
        elif word in TENS:
            current += TENS[word]
        elif word in MAGNITUDES:
            scale = MAGNITUDES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current


def parse_number(text: str) -> float | None:
    """One number written in digits, with a magnitude suffix or word, or in words."""
    text = text.strip()
    value = parse_digits(text)
    if value is not None:
        return value
    found = re.fullmatch(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(k|K|M|mm|bn|B)", text)
    if found:
        return float(found.group(1).replace(",", "")) * SUFFIX_MAGNITUDES[found.group(2)]
    found = re.fullmatch(r"(\d+(?:\.\d+)?)[\s-]+(hundred|thousand|million|billion|trillion)",
                         text, re.IGNORECASE)
    if found:
        return float(found.group(1)) * MAGNITUDES[found.group(2).lower()]
    return parse_words(text)


def unit_of(word: str, *, glued: bool = False, digits: bool = True) -> Unit | None:
    """The unit named by ``word`` (as written after a number), or None."""
    key = word.strip().lower().rstrip(".")
    if key not in UNITS and len(key) > 2 and key.endswith("s") and key[:-1] in UNITS \
            and word.strip()[:-1].isupper():
        key = key[:-1]  # "10 GBs", "2 TBs": an abbreviation's plural
    if key not in UNITS:
        return None
    if glued and key not in GLUED:
        return None
    if glued and len(word.strip()) == 1 and word.strip().isupper():
        return None  # "3D", "5G", "4K": not 3 days
    if not digits and key in AMBIGUOUS:
        return None
    if key == "m" and word.strip() == "M":
        return None  # "5M" is five million, handled as a magnitude suffix
    return UNITS[key]


def format_value(value: float) -> str:
    """1000.0 -> '1000', 1.5 -> '1.5' (for keys and messages)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
