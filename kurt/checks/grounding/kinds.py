"""The kinds of specific facts ``grounding/specific`` checks, and the record of one.

A ``Specific`` is one fact found in a unit of draft prose: its kind (``KINDS``),
the text as written, where it is (offsets in the unit's text) and the
normalised form it is compared in: a ``Quantity`` for numeric kinds, a ``Date``,
or a ``key`` (a version string, a variable name, a command, a URL without
scheme, a vocabulary term's name).
"""

from __future__ import annotations

from dataclasses import dataclass

from kurt.checks.grounding.dates import Date
from kurt.checks.grounding.numbers import Quantity

NUMERIC_KINDS = {"count": "number", "percent": "percent", "x": "multiplier", "usd": "price",
                 "eur": "price", "gbp": "price", "time": "duration", "bytes": "size",
                 "bits/s": "bandwidth"}
CODE_KINDS = ("endpoint", "http-method", "command", "flag", "env-var", "scope", "config-key",
              "identifier", "url")
# "per second", "per GB": what a price or a quota is counted by; each family with the forms a
# source may write it in after "per" or "/"
RATE_UNITS = {
    "second": ("second", "seconds", "sec", "secs", "s"), "minute": ("minute", "minutes", "min", "mins"),
    "hour": ("hour", "hours", "hr", "hrs", "h"), "day": ("day", "days"), "week": ("week", "weeks"),
    "month": ("month", "months", "mo"), "year": ("year", "years", "yr"),
    "kb": ("kb", "kib", "kilobyte", "kilobytes"), "mb": ("mb", "mib", "megabyte", "megabytes"),
    "gb": ("gb", "gib", "gigabyte", "gigabytes"), "tb": ("tb", "tib", "terabyte", "terabytes"),
}
# what a setting or a limit applies to ("set per service", "scoped to a single environment")
GRAIN_NOUNS = ("project", "environment", "service", "workspace", "team", "deployment", "replica",
               "region", "volume", "organization", "account", "user", "member", "seat", "bucket",
               "database", "instance", "node", "cluster", "branch", "repository", "domain")
RATE_ADVERBS = {"hour": "hourly", "day": "daily", "week": "weekly", "month": "monthly",
                "year": "yearly|annually|annual"}
KINDS = (*dict.fromkeys(NUMERIC_KINDS.values()), "version", "date", "time", *CODE_KINDS, "name",
         "rate", "grain", "shortcut")

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT")


@dataclass(frozen=True)
class Specific:
    kind: str  # one of KINDS
    text: str  # as written in the draft
    start: int  # offsets in the unit's text
    end: int
    quantity: Quantity | None = None  # numeric kinds
    noun: str | None = None  # what a number counts ("request"), singular, lowercase
    date: Date | None = None
    key: str = ""  # normalised form for versions, code, urls and names
    term: int | None = None  # vocabulary term (names)
    method: str | None = None  # endpoints written with their HTTP method
    label: bool = False  # a name written in bold mid-sentence: an interface label ("**Make Leader**")
    value: str | None = None  # what a flag or variable is set to in code ("--mount=type=bind")
    code_word: bool = False  # one word alone in inline code (`profile`): a literal of code
    spaced: str | None = None  # the word after a flag in code (`-F t`): its value or an argument

