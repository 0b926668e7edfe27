"""A search query: what a person types, translated for FTS5 and for matching in Python.

A query is words, "exact phrases", OR, NOT or -word, prefix*, and punctuation
such as ``node.js``, ``c++``, ``--flag``, ``API_KEY`` or a quote left open.
``parse_query`` translates it into a safe FTS5 expression: user text never
reaches ``MATCH`` raw. Words are ANDed; OR binds the words on either side of
it (``postgres OR mysql backup`` means ``(postgres OR mysql) AND backup``). A
plain multi-word query also gets a ``relaxed`` expression (any of the words).

A word with symbols (``C++``, ``C#``, ``.NET``, ``node.js``) is a phrase of its
pieces to FTS5, whose tokenizer drops the symbols (``C++`` is the token ``c``
to it), so its exact form is checked in Python on the candidate passages
(``Exact``): a form with a symbol at an edge (``C++``, ``.NET``, ``--force``)
must be there, or a lone "C" would match; a form with symbols only inside
(``node.js``, ``API_KEY``) also matches the bare pieces ("node js").
``ParsedQuery.patterns`` gives the query as regular expressions, for ranking
passages in Python (``kurt.search``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.errors import UsageError
from kurt.index.terms import TOKEN, stem_pattern

__all__ = ["MAX_SYNONYMS", "MAX_TERMS", "STOPWORDS", "Exact", "ParsedQuery", "parse_query",
           "term_regex"]

MAX_TERMS = 32
MAX_SYNONYMS = 6

# Words too common to narrow a search; dropped from AND queries (kept inside phrases).
STOPWORDS = frozenset("""
a about an and are as at be by can do does for from how i if in into is it its me my
of on or our so that the their then there these this to was we what when where which
who why will with you your
""".split())

@dataclass
class _Term:
    tokens: list[str]
    prefix: bool = False
    phrase: bool = False
    alternatives: list[list[str]] = field(default_factory=list)  # synonyms, as token lists
    literal: str | None = None  # regex of the exact form, for a word with symbols (C++, node.js)
    required: bool = False  # the exact form must be there (a symbol at an edge: C++, .NET)

    def expression(self) -> str:
        text = '"' + " ".join(self.tokens) + '"'
        if self.prefix:
            return text + "*"
        if self.alternatives:
            alts = ['"' + " ".join(tokens) + '"' for tokens in self.alternatives]
            return "(" + " OR ".join([text, *alts]) + ")"
        return text

    @property
    def stopword(self) -> bool:
        return (not self.phrase and not self.prefix and len(self.tokens) == 1
                and not self.literal and self.tokens[0].lower() in STOPWORDS)


@dataclass
class ParsedQuery:
    """A user query as FTS5 expressions: ``strict`` (all words), ``relaxed`` (any word) or None."""

    strict: str
    relaxed: str | None = None
    terms: list[str] = field(default_factory=list)  # the positive words and phrases, for display
    words: list[list[str]] = field(default_factory=list)  # each positive word with its synonyms
    groups: list[list[_Term]] = field(default_factory=list, repr=False)  # AND of ORs
    negatives: list[_Term] = field(default_factory=list, repr=False)

    def patterns(self, relaxed: bool = False) -> tuple[list[list[str]], list[str], str]:
        """The query as regular expressions on lowercase text: (groups of ORed term
        patterns, ANDed; excluded patterns; an FTS5 expression of any positive word).

        ``relaxed``: one group of all the words (a passage matching any of them).
        """
        groups = [[t for g in self.groups for t in g]] if relaxed else self.groups
        return ([[term_regex(t) for t in g] for g in groups],
                [term_regex(t) for t in self.negatives],
                " OR ".join(t.expression() for g in self.groups for t in g))

    def exact(self, relaxed: bool = False) -> Exact | None:
        """The exact forms of the query's words with symbols, None when it has none."""
        terms = [t for g in self.groups for t in g]
        if not any(t.literal for t in terms) and not any(t.required for t in self.negatives):
            return None
        return Exact([terms] if relaxed else self.groups, self.negatives)


def parse_query(query: str, synonyms: dict[str, list[str]] | None = None) -> ParsedQuery:
    """Translate what a person typed into a safe FTS5 expression; UsageError when it has no words.

    ``synonyms`` maps a lowercased word to other names of the same thing
    (``postgres`` -> ``["PostgreSQL"]``); a plain word then matches any of them.
    """
    if not query or not query.strip():
        raise UsageError('Give words to search for, for example: kurt content search "custom domain"')
    groups: list[list[_Term]] = []  # AND of ORs
    negatives: list[_Term] = []
    join_next = negate_next = False
    has_operator = False
    for kind, text, negated, prefix in _lex(query):
        if kind == "word" and text in ("OR", "|", "||"):
            join_next, has_operator = bool(groups), True
            continue
        if kind == "word" and text in ("AND", "&&", "&"):
            continue
        if kind == "word" and text == "NOT":
            negate_next = has_operator = True
            continue
        tokens = TOKEN.findall(text)
        if not tokens:
            continue
        term = _Term(tokens[:MAX_TERMS], prefix=prefix, phrase=kind == "phrase")
        if not prefix and len(tokens) <= MAX_TERMS:
            term.literal, term.required = _literal(text)
        if synonyms and len(tokens) == 1 and not prefix and kind == "word":
            own = tokens[0].lower()
            for name in synonyms.get(own, ())[:MAX_SYNONYMS]:
                alt = [t.lower() for t in TOKEN.findall(name)]
                if alt and alt != [own] and alt not in term.alternatives:
                    term.alternatives.append(alt)
        if negated or negate_next:
            negatives.append(term)
            has_operator = True
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = negate_next = False
        if len(groups) + len(negatives) >= MAX_TERMS:
            break
    if not groups:
        if negatives:
            raise UsageError(
                f"'{query}' only excludes words: add at least one word to search for")
        raise UsageError(f"'{query}' has no words to search for: use letters or digits")

    plain = [g for g in groups if not (len(g) == 1 and g[0].stopword)] or groups
    strict = " AND ".join(_group(g) for g in plain)
    not_part = ""
    excluded = [t for t in negatives if not t.required]  # exact forms are excluded by Exact
    if excluded:
        not_part = " NOT (" + " OR ".join(t.expression() for t in excluded) + ")"
        strict = f"({strict}){not_part}"
    relaxed = None
    simple = all(len(g) == 1 and not g[0].phrase for g in plain)
    if len(plain) > 1 and simple and not has_operator:
        relaxed = "(" + " OR ".join(g[0].expression() for g in plain) + ")" + not_part
    terms = [" ".join(t.tokens) for g in plain for t in g]
    words = [[token.lower(), *(" ".join(a) for a in t.alternatives)]
             for g in plain for t in g for token in t.tokens]
    return ParsedQuery(strict, relaxed, terms, words, plain, negatives)


def _group(terms: list[_Term]) -> str:
    if len(terms) == 1:
        return terms[0].expression()
    return "(" + " OR ".join(t.expression() for t in terms) + ")"


_EDGE_PUNCTUATION = "\"'()[]{}<>,;:!?"


def _literal(text: str) -> tuple[str | None, bool]:
    """(regex of the exact form of ``text`` on lowercase text, whether it is required).

    (None, False) for plain words. Sentence punctuation around a word is not part
    of it ("node.js," "(C#)"), nor a final dot ("node.js."); a leading dot is (".NET").
    """
    chunks, symbolic, required = [], False, False
    for word in text.split():
        word = word.strip(_EDGE_PUNCTUATION)
        word = word[:1] + word[1:].rstrip(".")
        if not TOKEN.search(word):
            continue
        starts, ends = bool(TOKEN.match(word[0])), bool(TOKEN.match(word[-1]))
        symbolic = symbolic or not TOKEN.fullmatch(word)
        required = required or not (starts and ends)
        lead = r"(?<![^\W_])" if starts else ""
        tail = r"(?![^\W_])" if ends else rf"(?![^\W_]|{re.escape(word[-1])})"
        chunks.append(lead + re.escape(word.lower()) + tail)
    if not symbolic:
        return None, False
    return r"\s+".join(chunks), required


def _lex(query: str):
    """Yield (kind, text, negated, prefix) items: kind is 'word' or 'phrase'."""
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        negated = False
        if query[i] in "-+!" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] not in "-+":
            negated = query[i] in "-!"
            i += 1
        if query[i] == '"':
            end = query.find('"', i + 1)
            end = n if end == -1 else end
            text = query[i + 1:end]
            i = end + 1
            prefix = i < n and query[i] == "*"
            i += 1 if prefix else 0
            yield "phrase", text, negated, prefix
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] != '"':
            j += 1
        word = query[i:j]
        i = j
        yield "word", word, negated, word.endswith("*") and bool(TOKEN.search(word))


def term_regex(term: _Term) -> str:
    """A term (word, phrase, prefix, with its synonyms) as a suffix-tolerant regex on lowercase text.

    A term whose exact form is required (``C++``) is that form.
    """
    if term.literal and term.required:
        return term.literal
    spellings = [term.tokens, *term.alternatives]
    parts = [r"\W+".join(stem_pattern(t) + r"\w*" for t in tokens) for tokens in spellings]
    return r"\b(?:" + "|".join(parts) + ")"


class Exact:
    """The exact forms of a query's words with symbols, checked on a passage in Python.

    Groups are ANDed and the terms of a group ORed, as in ``parse_query``; only
    groups holding a required form (``C++``) are checked (FTS5 checked the
    others), and excluded required forms (``-C#``) are checked here instead of
    in FTS5, which would exclude every lone "c".
    """

    def __init__(self, groups: list[list[_Term]], negatives: list[_Term]):
        self.checks = [[re.compile(term_regex(t)) for t in group]
                       for group in groups if any(t.required for t in group)]
        self.forms = [re.compile(t.literal) for group in groups for t in group if t.literal]
        self.excluded = [re.compile(t.literal) for t in negatives if t.required]

    def rank(self, heading_path: str, body: str) -> int | None:
        """How many exact forms the passage holds; None when it does not match the query."""
        text = (heading_path + "\n" + body).lower()
        if any(pattern.search(text) for pattern in self.excluded):
            return None
        if not all(any(p.search(text) for p in group) for group in self.checks):
            return None
        return sum(1 for pattern in self.forms if pattern.search(text))
