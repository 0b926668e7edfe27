"""Flag pairs: a short flag written with a long one that the sources pair with another.

CLI references list each option as a pair, ``-s, --service <SERVICE>``, and a writer who
copies the pairs can join the wrong ones: ``-p, --service`` where the sources give
``-s, --service`` (and ``-p, --project``). Each flag is in the sources, so only the pair
tells. The short flag is reported when the sources pair the long one with another short
one and never with it; the long flag when the sources never pair it at all and pair the
short one with another long one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAIR = re.compile(r"(?<![\w-])(-[A-Za-z0-9])`?\s*,\s*`?(--[A-Za-z][\w-]*)(?![\w-])")


def pairs(text: str) -> set[tuple[str, str]]:
    """The (short, long) flag pairs ``text`` writes (``-s, --service``)."""
    return {(m.group(1), m.group(2)) for m in _PAIR.finditer(text)}


@dataclass(frozen=True)
class PairedFlag:
    """A flag written with a partner the sources do not give it."""
    flag: str
    partner: str  # the flag the draft writes it with
    theirs: str  # the sources' pair, as they write it

    def message(self, specific) -> str:
        return f'Flag "{self.flag}" is not paired with "{self.partner}" in the sources'

    def suggestion(self) -> str:
        return f'the sources give "{self.theirs}"'


def paired_flag(text: str, source_texts) -> PairedFlag | None:
    """A ``PairedFlag`` for a written pair of flags (``text``: a flag specific as written,
    ``-p, --service``) that the sources (``source_texts``, narrowest scope first) pair
    otherwise; None when they give this pair, give neither flag as a pair, or ``text`` is
    no pair."""
    pair = _PAIR.search(text)
    if pair is None:
        return None
    short, long = pair.group(1), pair.group(2)
    theirs: set[tuple[str, str]] = set()
    for source in source_texts:
        theirs |= pairs(source)
        if (short, long) in theirs:
            return None
    by_long = sorted(s for s, lg in theirs if lg == long)
    by_short = sorted(lg for s, lg in theirs if s == short)
    if by_long:
        return PairedFlag(short, long, f"{by_long[0]}, {long}")
    if by_short:
        return PairedFlag(long, short, f"{short}, {by_short[0]}")
    return None
