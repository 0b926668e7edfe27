"""A draft's subject: the values of its ``--var`` variables, matched flexibly.

``--var topic="Postgres backups"`` names a subject in two words. A passage is
about it when it holds every word (case-insensitive, with the stemming of search and
prefixes: "backup", "backups", "PostgreSQL"), in its text or its heading path,
in any order; each word may also be spelled by one of the other names the
index knows for it (``kurt.search.entity_synonyms``: "postgres" ->
"PostgreSQL"). Passages holding the exact phrase rank higher. A one-word value
is matched the same way, so nothing changes for ``--var partner=Stripe``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.index.terms import TOKEN, stem, stem_pattern
from kurt.writing.names import slugify

PHRASE_BOOST = 1.5  # a passage holding the exact phrase outranks one holding the words apart
# Words that do not narrow a subject ("Backups for Postgres" is about Postgres backups).
_FILLER = frozenset("a an and the of for in on to with by at or".split())


def _spelling(tokens: list[str]) -> str:
    return r"\W+".join(stem_pattern(t) + r"[a-z0-9]*" for t in tokens)


@dataclass
class SubjectValue:
    value: str
    words: list[str]  # the value's words that narrow it, lowercase
    patterns: list[re.Pattern] = field(default_factory=list, repr=False)  # one per word, aliases too
    phrase: re.Pattern | None = field(default=None, repr=False)
    plain: list[re.Pattern] = field(default_factory=list, repr=False)  # one per word, no aliases

    def count(self, text: str, *, aliases: bool = True) -> int:
        """How often ``text`` names the value: the rarest of its words (0 when one is missing)."""
        patterns = self.patterns if aliases else self.plain
        if not patterns:
            return 0
        return min(len(p.findall(text)) for p in patterns)

    def exact(self, text: str) -> bool:
        return self.phrase is not None and bool(self.phrase.search(text))


@dataclass
class Subject:
    """The values of a draft's variables, each matched word by word (see the module doc)."""

    values: list[SubjectValue]

    def __bool__(self) -> bool:
        return bool(self.values)

    @property
    def names(self) -> list[str]:
        return [v.value for v in self.values]

    def count(self, text: str | None, *, aliases: bool = True) -> int:
        """Mentions of any value in ``text`` (a passage: the index's other names count too).

        ``aliases=False`` for titles: a page titled "Supabase with Postgres" is
        not the PostgreSQL page, even though Postgres is another name for it.
        """
        text = (text or "").lower()
        return sum(v.count(text, aliases=aliases) for v in self.values)

    def exact(self, text: str | None) -> bool:
        """Whether ``text`` holds one of the values as written (any case)."""
        text = (text or "").lower()
        return any(v.exact(text) for v in self.values)

    def in_url(self, url: str) -> bool:
        """Whether the URL path names a value: its slug as a segment, or all its words."""
        path = url.lower().split("://", 1)[-1].partition("/")[2]
        tokens = TOKEN.findall(path)
        for v in self.values:
            slug = slugify(v.value)
            if slug and re.search(rf"(?<![a-z0-9]){re.escape(slug)}(?![a-z0-9])", path):
                return True
            if v.words and all(any(re.match(stem_pattern(w), t) for t in tokens) for w in v.words):
                return True
        return False

    def titled(self, title: str | None) -> bool:
        """Whether a title is the value alone ("Postgres Backups" for "postgres backups")."""
        words = [stem(t) for t in TOKEN.findall((title or "").lower()) if t not in _FILLER]
        return any(words and sorted(words) == sorted(stem(w) for w in v.words)
                   for v in self.values)

    def queries(self, extra: str = "") -> list[tuple[str, bool]]:
        """(search query, exact) pairs: per value, its phrase, then its words in any order.

        ``extra`` (e.g. ``"setup OR configuration"``) is ANDed to every query.
        """
        out = []
        tail = f" {extra}" if extra.strip() else ""
        for v in self.values:
            if not v.words or '"' in v.value:
                continue
            if len(v.words) == 1:
                out.append((v.words[0] + tail, True))
            else:
                out.append((f'"{v.value}"' + tail, True))
                out.append((" ".join(v.words) + tail, False))
        return out


def subject_of(store, variables: dict | list) -> Subject:
    """The subject named by ``variables`` (a dict of --var values, or a list of values)."""
    raw = list(variables.values()) if isinstance(variables, dict) else list(variables)
    values = [str(v).strip() for v in dict.fromkeys(str(v) for v in raw) if str(v).strip()]
    all_words: list[list[str]] = []
    for value in values:
        tokens = [t.lower() for t in TOKEN.findall(value)]
        all_words.append([t for t in tokens if t not in _FILLER] or tokens)
    synonyms: dict[str, list[str]] = {}
    if store is not None:
        from kurt.search import entity_synonyms

        words = sorted({w for ws in all_words for w in ws})
        if words:
            synonyms = entity_synonyms(store, words)
    found = []
    for value, words in zip(values, all_words, strict=True):
        patterns, plain = [], []
        for word in words:
            plain.append(re.compile(rf"(?<![a-z0-9])(?:{_spelling([word])})"))
            spellings = [[word]] + [[t.lower() for t in TOKEN.findall(name)]
                                    for name in synonyms.get(word, [])]
            alternatives = "|".join(_spelling(s) for s in spellings if s)
            patterns.append(re.compile(rf"(?<![a-z0-9])(?:{alternatives})"))
        tokens = [t.lower() for t in TOKEN.findall(value)]
        phrase = re.compile(rf"(?<![a-z0-9]){r'[^a-z0-9]+'.join(map(re.escape, tokens))}(?![a-z0-9])") \
            if tokens else None
        found.append(SubjectValue(value, words, patterns, phrase, plain))
    return Subject([v for v in found if v.words])


def search_subject(store, subject: Subject, extra: str, ids: list[str] | None, *, limit: int,
                   per_document: int | None):
    """Passages naming the subject (every word of a value) and ``extra``, best first.

    Restricted to documents ``ids`` when given. Exact-phrase passages get
    ``PHRASE_BOOST``; passages matching only some of a value's words are dropped.
    """
    from kurt.search import cap_per_document
    from kurt.writing.queries import run_search

    if not subject or (ids is not None and not ids):
        return []
    best: dict[int, object] = {}
    for query, exact in subject.queries(extra):
        for hit in run_search(store, query, ids, limit=limit * 2, per_document=per_document):
            if hit.partial:
                continue
            if exact:
                hit.score = round(hit.score * PHRASE_BOOST if hit.score > 0 else hit.score, 4)
            known = best.get(hit.section_id)
            if known is None or hit.score > known.score:
                best[hit.section_id] = hit
    return cap_per_document(sorted(best.values(), key=lambda h: -h.score), limit, per_document)
