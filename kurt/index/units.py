"""Units: the lines of a passage as boilerplate detection and copy keys compare them.

A unit's text is normalised (lower case, markup, link targets and spacing removed) and
keyed by a signed 64-bit hash, so the same banner on two pages, or the same line of a page
and of its copy, is one key. ``kurt.index.boilerplate`` counts the keys per site;
``kurt.index.duplicates`` makes copy keys of them.
"""

from __future__ import annotations

import hashlib
import re

TEXT, HEADING, CODE, LINK = 0, 1, 2, 3  # kinds of unit (LINK: a paragraph or item that is one link)

_MARKUP_CHARS = frozenset("*_`#>|\\")
_MARKUP = re.compile(r"[*_`#>|\\]+")


def normalize(text: str) -> str:
    """The text of a unit as it is compared: markup, link targets and spacing removed."""
    text = text.lower()
    if not _MARKUP_CHARS.isdisjoint(text):  # cheaper than the regex on every line
        text = _MARKUP.sub(" ", text)
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


def unit_hash(text: str) -> int:
    """A signed 64-bit key for normalised text (fits an SQLite INTEGER)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
