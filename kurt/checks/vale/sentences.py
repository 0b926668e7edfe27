"""Sentence boundaries in a paragraph, for rules scoped to ``sentence``.

Vale segments with a Punkt tokenizer trained on English. Kurt uses the rules
that decide nearly every case in technical prose: a sentence ends at ``.``,
``!`` or ``?`` (with any closing quotes or brackets) followed by white space,
unless the next word starts in lowercase, or the period closes an abbreviation
(``e.g.``, ``Dr.``, ``vs.``), an initial (``J. Smith``) or a dotted acronym
(``U.S.``), or ends a number's ordinal-like token inside a version (``v1.2``).
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset("""
a.k.a al approx apr aug ca cf co corp dec dept dr e.g eg esp est et feb fig figs gen
govt i.e ie inc jan jr jul jun lt ltd mar mr mrs ms mt no nos nov oct p.s pp prof rev sep
sept sgt sr st vol vols vs w.r.t
""".split())

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, period: int) -> bool:
    """Does the period at text[period] close an abbreviation rather than a sentence?"""
    found = _WORD_BEFORE.search(text, 0, period)
    if found is None:
        return False
    word = found.group(1).lstrip("([\"'“‘").lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return "." in word and all(len(part) <= 2 for part in word.split("."))  # "U.S", "N.B.A"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, white space trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for found in _END.finditer(text):
        end = found.end()
        rest = end
        while rest < len(text) and text[rest].isspace():
            rest += 1
        if rest >= len(text):
            break
        following = text[rest]
        if following.islower():
            continue
        terminal = found.group(0)
        if terminal.startswith(".") and not terminal.startswith("..") \
                and _is_abbreviation(text, found.start()):
            continue
        spans.append((start, end))
        start = rest
    spans.append((start, len(text)))
    trimmed = []
    for begin, finish in spans:
        while begin < finish and text[begin].isspace():
            begin += 1
        while finish > begin and text[finish - 1].isspace():
            finish -= 1
        if finish > begin:
            trimmed.append((begin, finish))
    return trimmed


def count_sentences(text: str) -> int:
    return len(sentence_spans(text))
