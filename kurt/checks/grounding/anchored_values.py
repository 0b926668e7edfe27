"""Anchored values: a value written after the very words the sources write another after.

A writer who paraphrases a source sentence keeps its phrasing and can take the wrong one
of its values: "send a heartbeat at least every 15 minutes" where the source says "Send a
heartbeat event at least every 5 minutes" and 15 minutes is the request cap of the same
sentence. The value is stated, and the words around both values are the sentence's, so
attribution by nearby words cannot tell them apart; the words right before the draft's
value can. A quantity is reported when the three words before it in the draft are, in a
source line of the section's or the draft's sources that shares the draft sentence's other
content words, followed by one other value of the same dimension, and no source writes
the draft's value after them.

Names, scopes and other words are read the same way (``anchored_word``): "private
networking is scoped per project" where the source's sentence says "is scoped per
environment". The shared content words are compared as terms (stemmed), so "network" and
"networking" count as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.finding import Evidence

PHRASE_WORDS = 3  # the words right before a value that anchor it
MIN_PHRASE_CHARS = 8  # "is set to" anchors little; "at least every" does
MIN_SHARED = 2  # content words the source line shares with the draft sentence, phrase aside
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")
_CONTENT = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
# words that join a phrase to its value and may differ between draft and source
_JOIN = r"[\s(\[*_`~:,-]*(?:an?\s+|the\s+|about\s+|roughly\s+|approximately\s+)?\$?"


def _terms(text: str) -> set[str]:
    from kurt.checks.grounding.lexical import word_term

    return {t for t in map(word_term, _CONTENT.findall(text)) if t}


def _phrase(text: str, start: int) -> list[str] | None:
    """The words right before ``text[start]`` (markup aside), None when they anchor little."""
    before = _WORD.findall(_MARKUP.sub(lambda m: m.group(1) or " ", text[:start]))
    phrase = before[-PHRASE_WORDS:]
    if len(phrase) < PHRASE_WORDS or len(" ".join(phrase)) < MIN_PHRASE_CHARS \
            or any(w.isdigit() for w in phrase):
        return None
    return phrase


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
    before = _phrase(text, specific.start) if quantity is not None else None
    if before is None:
        return None
    phrase = [w.lower() for w in before]
    pattern = re.compile(r"(?<![\w-])" + r"[\s*_`]+".join(map(re.escape, phrase)) + _JOIN,
                         re.IGNORECASE)
    sentence = _terms(text) - _terms(" ".join(phrase))
    found: dict[float, tuple] = {}
    for passage in passages:  # a paragraph may be wrapped: read a passage as one text
        plain = _MARKUP.sub(lambda m: m.group(1) or " ", passage.text)
        flat = plain.replace("\n", " ")
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
            if len(sentence & _terms(around)) >= MIN_SHARED:
                written = flat[match.end():match.end() + mentions[0].end].strip()
                number = passage.line_start + plain.count("\n", 0, match.start())
                found.setdefault(round(value.value, 9), (passage, number, around, written))
    if len(found) != 1:
        return None  # none, or several values after it: nothing tells which
    passage, number, sentence_text, written = next(iter(found.values()))
    quote = " ".join(sentence_text.split())[:280]
    return AnchoredValue(" ".join(before), written, Evidence(passage.path, number, number, quote))


_NEXT = re.compile(r"[\s*_`\"']*([A-Za-z0-9][\w.-]*[\w]|[A-Za-z0-9])")
_LIGHT = frozenset("""a an the and or of to in on at by for from with as is are be it its this
that these those than then per via into over under up out if but so not no any all each
every one your you our their his her them they we can may will""".split())


def anchored_word(text: str, shown: str, start: int, passages) -> AnchoredValue | None:
    """An ``AnchoredValue`` for a name, scope or other word written at ``text[start]``
    (``shown``: the specific as written, markup aside) after words the section's or the
    draft's sources (``passages``) write one other word after, in a sentence sharing the
    draft sentence's content words, and never the draft's."""
    before = _phrase(text, start)
    words = _WORD.findall(shown)
    if before is None or not words:
        return None
    mine = words[0].lower()
    phrase = [w.lower() for w in before]
    pattern = re.compile(r"(?<![\w-])" + r"[\s*_`]+".join(map(re.escape, phrase)),
                         re.IGNORECASE)
    sentence = _terms(text) - _terms(" ".join(phrase))
    found: dict[str, tuple] = {}
    for passage in passages:
        plain = _MARKUP.sub(lambda m: m.group(1) or " ", passage.text)
        flat = plain.replace("\n", " ")
        for match in pattern.finditer(flat):
            following = _NEXT.match(flat, match.end())
            if following is None:
                continue
            theirs = following.group(1)
            if theirs.lower() == mine or flat[following.start(1):].lower().startswith(
                    shown.lower()):
                return None  # the sources write the draft's word after it too
            if theirs.lower() in _LIGHT or len(theirs) < 3:
                continue
            around = _sentence(flat, match.start())
            if len(sentence & _terms(around)) >= MIN_SHARED:
                number = passage.line_start + plain.count("\n", 0, match.start())
                found.setdefault(theirs.lower(), (passage, number, around, theirs))
    if len(found) != 1:
        return None
    passage, number, around, theirs = next(iter(found.values()))
    quote = " ".join(around.split())[:280]
    return AnchoredValue(" ".join(before), theirs, Evidence(passage.path, number, number, quote))


def _sentence(line: str, at: int) -> str:
    """The sentence of ``line`` around offset ``at``."""
    start = max(line.rfind(". ", 0, at), line.rfind("? ", 0, at), line.rfind("! ", 0, at))
    start = start + 2 if start >= 0 else 0
    ends = [i for i in (line.find(". ", at), line.find("? ", at), line.find("! ", at)) if i >= 0]
    return line[start:min(ends) + 1] if ends else line[start:]
