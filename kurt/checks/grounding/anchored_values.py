"""Anchored values: a value written after the very words the sources write another after.

A writer who paraphrases a source sentence keeps its phrasing and can take the wrong one
of its values: "send a heartbeat at least every 15 minutes" where the source says "Send a
heartbeat event at least every 5 minutes" and 15 minutes is the request cap of the same
sentence. The value is stated, and the words around both values are the sentence's, so
attribution by nearby words cannot tell them apart; the words right before the draft's
value can. A quantity is reported when the three words before it in the draft are, in a
source line of the section's or the draft's sources that shares the draft sentence's other
content words, followed by one other value of the same dimension, and no source writes
the draft's value after them, nor after the last two of them ("are closed after 5 minutes"
where a source has "are closed after 60 seconds" and "are otherwise closed after 5
minutes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kurt.checks.finding import Evidence

PHRASE_WORDS = 3  # the words right before a value that anchor it
MIN_PHRASE_CHARS = 8  # "is set to" anchors little; "at least every" does
MIN_SHARED = 2  # content words the source line shares with the draft sentence, phrase aside
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")
_CONTENT = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
# a value right after a word: spaces, an opening bracket or quote, emphasis, a currency sign
_RIGHT_AFTER = re.compile(r"[A-Za-z0-9][\s(\[\"'*_~$]{1,4}(?:(?:an?|the|about)\s+)?$")
# words that join a phrase to its value and may differ between draft and source
_JOIN = r"[\s(\[*_`~:,-]*(?:an?\s+|the\s+|about\s+|roughly\s+|approximately\s+)?\$?"


@dataclass(frozen=True)
class AnchoredValue:
    """Another value the sources write after the words the draft's value follows."""
    phrase: str
    other: str  # the source's value as written
    evidence: Evidence

    def message(self, specific) -> str:
        return f'"{self.phrase} {specific.text}" is not what the sources say: they say ' \
               f'"{self.phrase} {self.other}"'

    def suggestion(self) -> str:
        return f'the source has "{self.evidence.quote}" ({self.evidence.citation})'


def anchored_value(text: str, specific, passages) -> AnchoredValue | None:
    """An ``AnchoredValue`` for a quantity ``specific`` of the draft sentence ``text`` (see
    the module docstring); ``passages``: the section's and the draft's sources."""
    from kurt.checks.grounding.quantities import find_numbers

    quantity = specific.quantity
    if quantity is None or not _RIGHT_AFTER.search(text[:specific.start]):
        return None  # not right after words ("tags (`8.4`, `9.4`": a list's item)
    before = _WORD.findall(_MARKUP.sub(lambda m: m.group(1) or " ", text[:specific.start]))
    phrase = [w.lower() for w in before[-PHRASE_WORDS:]]
    if len(phrase) < PHRASE_WORDS or len(" ".join(phrase)) < MIN_PHRASE_CHARS \
            or any(w.isdigit() for w in phrase):
        return None
    pattern = re.compile(r"(?<![\w-])" + r"[\s*_`]+".join(map(re.escape, phrase)) + _JOIN,
                         re.IGNORECASE)
    sentence = {w.lower() for w in _CONTENT.findall(text)} - set(phrase)
    found: dict[float, tuple] = {}
    last = phrase[-1]
    for passage in passages:  # a paragraph may be wrapped: read a passage as one text
        plain, flat, lower = _flat(passage.text)
        if last not in lower:
            continue  # most passages: the phrase's last word is not there at all
        for match in pattern.finditer(flat):
            mentions = find_numbers(flat[match.end():match.end() + 40], draft=False)
            if not mentions or mentions[0].start != 0:
                continue
            value = mentions[0].quantity
            if value.dimension != quantity.dimension:
                continue
            if round(value.value, 9) == round(quantity.value, 9):
                return None  # the sources write the draft's value after it too
            around = _sentence(flat, match.start())
            if len(sentence & {w.lower() for w in _CONTENT.findall(around)}) >= MIN_SHARED:
                written = flat[match.end():match.end() + mentions[0].end].strip()
                number = passage.line_start + plain.count("\n", 0, match.start())
                found.setdefault(round(value.value, 9), (passage, number, around, written))
    if len(found) != 1:
        return None  # none, or several values after it: nothing tells which
    if _written_after(phrase[-2:], quantity, passages):
        return None  # "are otherwise closed after 5 minutes": the value, after fewer words
    passage, number, sentence_text, written = next(iter(found.values()))
    quote = " ".join(sentence_text.split())[:280]
    return AnchoredValue(" ".join(before[-PHRASE_WORDS:]), written,
                         Evidence(passage.path, number, number, quote))


def _written_after(words: list[str], quantity, passages) -> bool:
    """Whether a passage writes ``quantity`` right after ``words``."""
    from kurt.checks.grounding.quantities import find_numbers

    pattern = re.compile(r"(?<![\w-])" + r"[\s*_`]+".join(map(re.escape, words)) + _JOIN,
                         re.IGNORECASE)
    for passage in passages:
        _, flat, lower = _flat(passage.text)
        if words[-1] not in lower:
            continue
        for match in pattern.finditer(flat):
            mentions = find_numbers(flat[match.end():match.end() + 40], draft=False)
            if mentions and mentions[0].start == 0 \
                    and mentions[0].quantity.dimension == quantity.dimension \
                    and round(mentions[0].quantity.value, 9) == round(quantity.value, 9):
                return True
    return False


@lru_cache(maxsize=16384)
def _flat(text: str) -> tuple[str, str, str]:
    """A passage's text with markup aside, that text on one line, and in lower case (read
    once per run: every quantity of a draft is compared with the same passages)."""
    plain = _MARKUP.sub(lambda m: m.group(1) or " ", text)
    flat = plain.replace("\n", " ")
    return plain, flat, flat.lower()


def _sentence(line: str, at: int) -> str:
    """The sentence of ``line`` around offset ``at``."""
    start = max(line.rfind(". ", 0, at), line.rfind("? ", 0, at), line.rfind("! ", 0, at))
    start = start + 2 if start >= 0 else 0
    ends = [i for i in (line.find(". ", at), line.find("? ", at), line.find("! ", at)) if i >= 0]
    return line[start:min(ends) + 1] if ends else line[start:]
