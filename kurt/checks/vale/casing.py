"""Sentence case and title case, as Vale's ``capitalization`` rules expect them.

``sentence_case`` capitalizes the first word (and a word after an indicator
such as ``:``) and lowers the rest, keeping vocabulary terms as written;
``title_case`` capitalizes every word except the small words of the AP or
Chicago style (articles, conjunctions, short prepositions; Chicago adds the
longer prepositions), the first and last word always capitalized. Vale decides
whether "to" is an infinitive with a part-of-speech tagger; Kurt, which has
none, always treats "to" as a small word.
"""

from __future__ import annotations

import re

SMALL_WORDS = frozenset("""
a an and as at but by en for if in nor of on or per the to vs vs. via v v.
""".split())
PREPOSITIONS = frozenset("""
with from into during including until against among throughout despite towards upon concerning
about over through before between after since without under within along following across
beyond around down near above
""".split())
TITLE_SPLIT = re.compile(r"[^\W_]+[^\s/-]*")
_NUMBERED = re.compile(r"\d+\.")
_SANITIZE = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def to_title(word: str, lower_rest: bool) -> str:
    """Upper-case the first letter of ``word``; lower the rest when ``lower_rest``."""
    for index, char in enumerate(word):
        if char.isalpha():
            rest = word[index + 1:]
            return word[:index] + char.upper() + (rest.lower() if lower_rest else rest)
    return word.lower() if lower_rest else word


def go_title(word: str) -> str:
    """Go's ``strings.Title``: upper-case each letter that follows a non-letter."""
    out, previous = [], ""
    for char in word:
        starts = not previous or not (previous.isalnum() or previous == "_")
        out.append(char.upper() if starts else char)
        previous = char
    return "".join(out)


class Vocab:
    """Terms to keep as written (a rule's exceptions plus the accepted vocabulary)."""

    def __init__(self, terms: list[str]):
        import kurt.checks.vale.goregex as goregex

        self.terms = sorted(terms, key=len, reverse=True)
        self.patterns = []
        for term in self.terms:
            try:
                self.patterns.append(goregex.compile(term))
            except goregex.PatternError:
                self.patterns.append(None)

    def find(self, token: str) -> str:
        """The vocabulary spelling of ``token``, ``token`` itself if a term pattern matches it, or ""."""
        for term, pattern in zip(self.terms, self.patterns, strict=True):
            if term.casefold() == token.casefold():
                return term
            if pattern is not None and pattern.fullmatch(token):
                return token
        return ""


def _split_prefix(text: str, prefix) -> tuple[str, str]:
    if prefix is not None:
        found = prefix.match(text)
        if found and found.group(0):
            return found.group(0), text[found.end():]
    return "", text


def sentence_case(text: str, vocab: Vocab, token_pattern, indicators: list[str],
                  prefix=None) -> str:
    """``text`` in sentence case: words replaced in place, the rest kept as written."""
    head, text = _split_prefix(text, prefix)
    out: list[str] = []
    last = 0
    previous = ""
    for index, found in enumerate(token_pattern.finditer(text)):
        token = found.group(0)
        out.append(text[last:found.start()])
        last = found.end()
        entry = vocab.find(token)
        if entry:
            out.append(entry)
        elif index == 0 or any(previous.endswith(i) for i in indicators if i) \
                or (index == 1 and _NUMBERED.fullmatch(previous)):
            out.append(to_title(token, True))
        else:
            out.append(token.lower())
        previous = token
    out.append(text[last:])
    return head + "".join(out)


def title_case(text: str, vocab: Vocab, chicago: bool, prefix=None) -> str:
    head, text = _split_prefix(text, prefix)
    plain = text.translate(_SANITIZE)
    end = len(plain)
    out: list[str] = []
    last = 0

    def char_at(i: int) -> str:
        return plain[i] if 0 <= i < len(plain) else (plain[:1] or " ")

    for found in TITLE_SPLIT.finditer(text):
        word = found.group(0)
        pos, after = found.start(), found.end()
        out.append(text[last:pos])
        last = after
        entry = vocab.find(word)
        if entry:
            out.append(entry)
            continue
        small = word.lower()
        bounding = pos == 0 or after == end
        ignored = not bounding and (small in SMALL_WORDS or (chicago and small in PREPOSITIONS))
        if ignored and char_at(pos - 1) in " -/" and char_at(pos - 2) not in ":-" \
                and (char_at(after) != "-" or char_at(pos - 1) == "-"):
            out.append(small)
        else:
            out.append(to_title(word, False))
    out.append(text[last:])
    return head + "".join(out)
