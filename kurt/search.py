"""Full-text search over fetched content: ranked passages an agent can cite.

A query is what a person types (words, "exact phrases", OR, NOT or -word,
prefix*, and punctuation such as ``node.js``, ``c++``, ``--flag``,
``API_KEY`` or a quote left open). ``parse_query`` translates it into a safe
FTS5 expression: user text never reaches ``MATCH`` raw. Words are ANDed; OR
binds the words on either side of it (``postgres OR mysql backup`` means
``(postgres OR mysql) AND backup``). When a plain multi-word query finds
fewer than ``limit`` passages, passages matching only some of the words
follow, ranked after the ones matching all.

Ranking is BM25 over sections (SQLite FTS5), a heading match (the heading
path starts with the document title) weighing ``HEADING_WEIGHT`` times a body
match, then re-ranked with document signals: the title and URL naming the
query's words, and a passage whose own text does not match counting less.
A word with symbols (``C++``, ``C#``, ``F#``, ``.NET``, ``node.js``) is a
phrase of its pieces, and FTS5's tokenizer drops the symbols (``C++`` is the
token ``c`` to it), so its exact form is checked in Python on the candidate
passages (``_Exact``): a form with a symbol at an edge (``C++``, ``.NET``,
``--force``) must be there, or a lone "C" would match; a form with symbols
only inside (``node.js``, ``API_KEY``) also matches the bare pieces ("node
js") but passages holding the exact form rank first.
Plain words also match the other names the index knows for a technology,
product or company (``postgres`` finds "PostgreSQL"). A query matching more
than ``MANY_MATCHES`` passages ranks the documents whose titles match first
(``_ranked_by_title``), which keeps it fast at 30,000 documents. Filters are
the ``DocumentFilter`` of ``kurt content list``, applied in SQL; only FETCHED
documents are searched.

SQLite-specific (FTS5 MATCH, bm25, snippet): a PostgreSQL store would use
ts_rank/ts_headline over a tsvector column behind the same ``search`` function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kurt.errors import UsageError
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter, check_filter

HEADING_WEIGHT = 4.0
BODY_WEIGHT = 1.0
TITLE_BOOST = 4.0  # added to BM25 when the document title holds all of the query's words
TITLE_FOCUS_BOOST = 3.0  # ... more when the title is about nothing else ("Redis" for "redis")
URL_BOOST = 3.0  # ... and when its URL path holds them
HEADING_ONLY_FACTOR = 0.6  # a passage whose text does not match is a weaker citation
CANDIDATES = 50
MANY_MATCHES = 8_000  # above this many matching passages, rank via titles first (see below)
TITLE_DOCUMENTS = 25  # documents whose passages are scored on that path  # BM25 candidates re-ranked per query (at least 4 x limit)
SNIPPET_TOKENS = 24
MAX_TERMS = 32
MAX_SYNONYMS = 6
SYNONYM_TYPES = ("Technology", "Product", "Company")  # entity types whose aliases are other names
MARK_START, MARK_END = "\x02", "\x03"  # FTS5 snippet markers, replaced before returning
HIGHLIGHT = "**"  # how a snippet marks matched words: **word** (markdown bold)

# Words too common to narrow a search; dropped from AND queries (kept inside phrases).
STOPWORDS = frozenset("""
a about an and are as at be by can do does for from how i if in into is it its me my
of on or our so that the their then there these this to was we what when where which
who why will with you your
""".split())

_TOKEN = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token
_SPACE = re.compile(r"\s+")
_BOLD = re.compile(r"\*\*|__")


@dataclass
class SearchHit:
    document_id: str
    url: str
    title: str | None
    content_path: str | None
    section_id: int
    heading_path: str
    snippet: str  # one line, matched words as **word**
    line_start: int
    line_end: int
    score: float  # higher is better (negated BM25)
    partial: bool = False  # True when the passage matches only some of the query's words


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

    def matcher(self, relaxed: bool = False) -> _Matcher:
        """The query as regular expressions (see ``_Matcher``)."""
        groups = [[t for g in self.groups for t in g]] if relaxed else self.groups
        return _Matcher([[_term_regex(t) for t in g] for g in groups],
                        [_term_regex(t) for t in self.negatives],
                        " OR ".join(t.expression() for g in self.groups for t in g))

    def exact(self, relaxed: bool = False) -> _Exact | None:
        """The exact forms of the query's words with symbols, None when it has none."""
        terms = [t for g in self.groups for t in g]
        if not any(t.literal for t in terms) and not any(t.required for t in self.negatives):
            return None
        return _Exact([terms] if relaxed else self.groups, self.negatives)


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
        tokens = _TOKEN.findall(text)
        if not tokens:
            continue
        term = _Term(tokens[:MAX_TERMS], prefix=prefix, phrase=kind == "phrase")
        if not prefix and len(tokens) <= MAX_TERMS:
            term.literal, term.required = _literal(text)
        if synonyms and len(tokens) == 1 and not prefix and kind == "word":
            own = tokens[0].lower()
            for name in synonyms.get(own, ())[:MAX_SYNONYMS]:
                alt = [t.lower() for t in _TOKEN.findall(name)]
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
    excluded = [t for t in negatives if not t.required]  # exact forms are excluded by _Exact
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
        if not _TOKEN.search(word):
            continue
        starts, ends = bool(_TOKEN.match(word[0])), bool(_TOKEN.match(word[-1]))
        symbolic = symbolic or not _TOKEN.fullmatch(word)
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
        yield "word", word, negated, word.endswith("*") and bool(_TOKEN.search(word))


def search(
    store: Store,
    query: str,
    *,
    flt: DocumentFilter | None = None,
    limit: int = 10,
    per_document: int | None = 2,
) -> list[SearchHit]:
    """The best passages for ``query`` among fetched documents matching ``flt``, best first."""
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    parsed = parse_query(query)
    check_filter(store, flt)
    synonyms = entity_synonyms(store, [w[0] for w in parsed.words])
    if synonyms:
        parsed = parse_query(query, synonyms)
    words = parsed.words
    hits = _ranked(store, parsed.strict, parsed.matcher(), words, flt, limit, per_document,
                   exact=parsed.exact())
    if parsed.relaxed and len(hits) < limit:
        taken: dict[str, int] = {}
        for hit in hits:
            taken[hit.document_id] = taken.get(hit.document_id, 0) + 1
        seen = {hit.section_id for hit in hits}
        more = _ranked(store, parsed.relaxed, parsed.matcher(relaxed=True), words, flt,
                       limit - len(hits), per_document,
                       taken=taken, skip=seen, exact=parsed.exact(relaxed=True))
        for hit in more:
            hit.partial = True
        hits += more
    _add_snippets(store, hits, parsed)
    return hits


def _ranked(store, expression, matcher, words, flt, limit, per_document, *, taken=None, skip=(),
            exact: _Exact | None = None):
    """Passages for one FTS5 expression: BM25 candidates, re-ranked, capped per document.

    With ``exact``, passages lacking a required exact form are dropped and those
    holding more exact forms rank first.
    """
    where, params = (flt or DocumentFilter()).where("d")
    matches = store.query_one(
        "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?", (expression,))[0]
    if matches > MANY_MATCHES:
        hits = _ranked_by_title(store, matcher, words, where, params, limit, per_document,
                                taken, skip, exact)
        if hits is not None:
            return hits
    sql = (
        "SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, sections_fts.rank,"
        " d.url, d.title, d.content_path, bm25(sections_fts, 0.0, 1.0), "
        + ("s.search_body" if exact else "''") +
        " FROM sections_fts"
        " JOIN sections s ON s.id = sections_fts.rowid"
        " JOIN documents d ON d.id = s.document_id"
        " WHERE sections_fts MATCH ? AND sections_fts.rank MATCH ?"
        f" AND d.status = 'FETCHED' AND s.search_body <> '' AND {where}"
        " ORDER BY sections_fts.rank LIMIT ?"
    )
    rank = f"bm25({HEADING_WEIGHT}, {BODY_WEIGHT})"
    wanted = max(CANDIDATES, limit * 4)
    while True:
        rows = store.query(sql, (expression, rank, *params, wanted))
        boosts: dict[str, float] = {}
        tiers: dict[int, int] = {}
        hits = []
        for row in rows:
            if row[0] in skip:
                continue
            if exact is not None:
                tier = exact.rank(row[2] or "", row[10])
                if tier is None:
                    continue
                tiers[row[0]] = tier
            hits.append(_hit(row[:9], -row[5], row[9] == 0, words, boosts))
        chosen = _cap(hits, limit, per_document, taken, tiers)
        if len(chosen) >= limit or len(rows) < wanted:  # enough, or every match seen
            return chosen
        wanted *= 4  # capped documents ate the candidates: look further down


def _cap(hits: list[SearchHit], limit: int, per_document: int | None, taken,
         tiers: dict[int, int] | None = None) -> list[SearchHit]:
    """The best ``limit`` hits, at most ``per_document`` from one document.

    ``tiers`` (section id -> exact forms held) ranks before the score.
    """
    tiers = tiers or {}
    hits.sort(key=lambda h: (-tiers.get(h.section_id, 0), -h.score))
    per_doc = dict(taken or {})
    chosen: list[SearchHit] = []
    for hit in hits:
        if per_document and per_doc.get(hit.document_id, 0) >= per_document:
            continue
        per_doc[hit.document_id] = per_doc.get(hit.document_id, 0) + 1
        chosen.append(hit)
        if len(chosen) >= limit:
            break
    return chosen


def _ranked_by_title(store, matcher, words, where, params, limit, per_document, taken, skip,
                     exact=None):
    """Passages for a query matching too many passages to rank them all quickly.

    FTS5 computes BM25 for every match before sorting (about 1 ms per 1,500
    matches), so a word found in a third of 300,000 passages costs 100 ms. Here
    the documents whose title or URL match rank first (a small index), then
    the passages of the best of them are matched and scored in Python
    (``_Matcher``: suffix-tolerant words, BM25-like term frequency, heading
    words weighing more). None when the titles do not give enough passages:
    the caller ranks everything then.
    """
    docs = [row[0] for row in store.query(
        "SELECT s.document_id FROM document_titles_fts t"
        " JOIN sections s ON s.id = t.rowid JOIN documents d ON d.id = s.document_id"
        " WHERE document_titles_fts MATCH ? AND t.rank MATCH 'bm25(3.0, 1.0)'"
        f" AND d.status = 'FETCHED' AND {where} ORDER BY t.rank LIMIT ?",
        (matcher.any_word, *params, TITLE_DOCUMENTS),
    )]
    if len(docs) < limit:
        return None
    marks = ", ".join("?" * len(docs))
    rows = store.query(
        "SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, d.url, d.title,"
        " d.content_path, s.search_body FROM sections s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.document_id IN ({marks}) AND s.search_body <> ''", docs)
    if not rows:
        return None
    average = sum(row[8].count(" ") + 1 for row in rows) / len(rows) or 1.0
    hits, boosts, tiers = [], {}, {}
    for row in rows:
        if row[0] in skip:
            continue
        scored = matcher.score(row[2] or "", row[8], average)
        if scored is not None and exact is not None:
            tier = exact.rank(row[2] or "", row[8])
            if tier is None:
                continue
            tiers[row[0]] = tier
        if scored is not None:
            base, body_hits = scored
            hits.append(_hit((row[0], row[1], row[2], row[3], row[4], None, row[5], row[6], row[7]),
                             base, body_hits == 0, words, boosts))
    chosen = _cap(hits, limit, per_document, taken, tiers)
    return chosen if len(chosen) >= limit else None


_SUFFIXES = ("ments", "ment", "ings", "ing", "ied", "ies", "ed", "es", "s")


def _stem(token: str) -> str:
    """A light stem for regex matching (deploying -> deploy); FTS5's porter does the real work."""
    token = token.lower()
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def _term_regex(term: _Term) -> str:
    """A term (word, phrase, prefix, with its synonyms) as a suffix-tolerant regex on lowercase text.

    A term whose exact form is required (``C++``) is that form.
    """
    if term.literal and term.required:
        return term.literal
    spellings = [term.tokens, *term.alternatives]
    parts = [r"\W+".join(re.escape(_stem(t)) + r"\w*" for t in tokens) for tokens in spellings]
    return r"\b(?:" + "|".join(parts) + ")"


class _Exact:
    """The exact forms of a query's words with symbols, checked on a passage in Python.

    Groups are ANDed and the terms of a group ORed, as in ``parse_query``; only
    groups holding a required form (``C++``) are checked (FTS5 checked the
    others), and excluded required forms (``-C#``) are checked here instead of
    in FTS5, which would exclude every lone "c".
    """

    def __init__(self, groups: list[list[_Term]], negatives: list[_Term]):
        self.checks = [[re.compile(_term_regex(t)) for t in group]
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


class _Matcher:
    """A parsed query evaluated in Python over a passage's heading path and text.

    Used where asking FTS5 passage by passage would be slow; close to FTS5's
    matching (a light stem instead of porter), and only on passages of
    documents FTS5 already found by title. Groups are ANDed, the terms of a
    group ORed, as in ``parse_query``.
    """

    def __init__(self, groups: list[list[str]], negatives: list[str], any_word: str):
        self.any_word = any_word  # FTS5 expression: any positive word (for titles)
        self.n_groups = len(groups)
        owners, parts = [], []
        for number, group in enumerate(groups):
            for pattern in group:
                owners.append(number)
                parts.append(f"({pattern})")
        self.owners = owners  # capture group i + 1 belongs to query group owners[i]
        self.positive = re.compile("|".join(parts))
        self.negative = re.compile("|".join(negatives)) if negatives else None

    def _counts(self, text: str) -> list[int]:
        counts = [0] * self.n_groups
        for match in self.positive.finditer(text):
            counts[self.owners[match.lastindex - 1]] += 1
        return counts

    def score(self, heading_path: str, body: str, average: float) -> tuple[float, int] | None:
        """(BM25-like score, matches in the text), or None when the passage does not match."""
        heading_path, body = heading_path.lower(), body.lower()
        if self.negative is not None and (self.negative.search(body)
                                          or self.negative.search(heading_path)):
            return None
        in_body = self._counts(body)
        in_heading = self._counts(heading_path)
        k1, b = 1.2, 0.75
        norm = k1 * (1 - b + b * (body.count(" ") + 1) / average)
        score = 0.0
        for found, headed in zip(in_body, in_heading, strict=True):
            tf = HEADING_WEIGHT * headed + BODY_WEIGHT * found
            if not tf:  # every group must match (a relaxed query is one group of all words)
                return None
            score += tf * (k1 + 1) / (tf + norm)
        return score, sum(in_body)


def _hit(row, base: float, heading_only: bool, words: list[list[str]], boosts=None) -> SearchHit:
    """A candidate passage, its score (``base``) raised when the title or URL names the query's
    words, lowered when only its heading path (not its text) matches.

    ``row``: section id, document id, heading path, line start, line end, (unused), url, title,
    content path. ``boosts`` caches the document boost by document id.
    """
    if boosts is None:
        boost = _document_boost(words, row[6], row[7])
    else:
        boost = boosts.get(row[1])
        if boost is None:
            boost = boosts[row[1]] = _document_boost(words, row[6], row[7])
    score = base + boost
    if heading_only:
        score *= HEADING_ONLY_FACTOR
    return SearchHit(
        document_id=row[1], url=row[6], title=row[7], content_path=row[8], section_id=row[0],
        heading_path=row[2] or "", snippet="", line_start=row[3], line_end=row[4],
        score=round(score, 4),
    )


def _document_boost(words: list[list[str]], url: str, title: str | None) -> float:
    """What a document's title and URL add to the score of its passages."""
    if not words:
        return 0.0
    title_tokens = _TOKEN.findall((title or "").lower())
    path = _TOKEN.findall(urlsplit(url).path.lower())
    boost = URL_BOOST * _coverage(words, path)
    covered = _coverage(words, title_tokens)
    if covered:
        boost += TITLE_BOOST * covered + TITLE_FOCUS_BOOST * covered * _focus(words, title_tokens)
    return boost


def _coverage(words: list[list[str]], tokens: list[str]) -> float:
    """The share of query words (or a synonym) among ``tokens`` (suffix-tolerant, no stemmer)."""
    found = 0
    joined = " ".join(tokens)
    for alternatives in words:
        if any(_contains(tokens, joined, alt) for alt in alternatives):
            found += 1
    return found / len(words)


def _focus(words: list[list[str]], tokens: list[str]) -> float:
    """The share of the title's words that the query names: 1.0 when the title is the query."""
    tokens = [t for t in tokens if t not in STOPWORDS] or tokens
    named = sum(1 for t in tokens if any(_contains([t], t, alt) for alts in words for alt in alts))
    return named / len(tokens)


def _contains(tokens: list[str], joined: str, word: str) -> bool:
    if " " in word:  # a multi-word synonym
        return word in joined
    for token in tokens:
        if token == word or (len(word) >= 4 and token.startswith(word)) \
                or (len(token) >= 5 and word.startswith(token)):
            return True
    return False


def entity_synonyms(store: Store, words: list[str]) -> dict[str, list[str]]:
    """Other names of the things that ``words`` name, from the index's entities and aliases.

    ``postgres`` -> ``["PostgreSQL"]`` when the index knows Postgres as an alias
    of PostgreSQL. Only named things (``SYNONYM_TYPES``): a topic's aliases are
    related ideas ("volume" under storage), not other names, and would blur a
    search. Empty when the index has no entities yet.
    """
    from kurt.index.keys import entity_key

    keys = sorted({entity_key(w) for w in words if w.lower() not in STOPWORDS})
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    types = ", ".join("?" * len(SYNONYM_TYPES))
    rows = store.query(
        f"SELECT e.id, e.key, e.name FROM entities e WHERE e.key IN ({marks})"
        f" AND e.type IN ({types})"
        f" UNION SELECT e.id, ea.alias_key, e.name FROM entity_aliases ea"
        f" JOIN entities e ON e.id = ea.entity_id WHERE ea.alias_key IN ({marks})"
        f" AND e.type IN ({types})",
        (*keys, *SYNONYM_TYPES, *keys, *SYNONYM_TYPES),
    )
    if not rows:
        return {}
    ids = sorted({row[0] for row in rows})
    id_marks = ", ".join("?" * len(ids))
    names: dict[int, list[str]] = {}
    for row in store.query(
        f"SELECT id, name FROM entities WHERE id IN ({id_marks})"
        f" UNION SELECT entity_id, alias_key FROM entity_aliases WHERE entity_id IN ({id_marks})"
        " ORDER BY 1, 2",
        (*ids, *ids),
    ):
        names.setdefault(row[0], []).append(row[1])
    by_key: dict[str, set[int]] = {}
    for row in rows:
        by_key.setdefault(row[1], set()).add(row[0])
    synonyms: dict[str, list[str]] = {}
    for word in words:
        found = by_key.get(entity_key(word), set())
        alternatives = [n for i in sorted(found) for n in names.get(i, [])
                        if n.lower() != word.lower()]
        if alternatives:
            synonyms[word.lower()] = list(dict.fromkeys(alternatives))
    return synonyms


def _add_snippets(store: Store, hits: list[SearchHit], parsed: ParsedQuery) -> None:
    """Fill each hit's snippet with FTS5 snippet(), only for the passages returned."""
    if not hits:
        return
    expression = parsed.relaxed or parsed.strict
    ids = [h.section_id for h in hits]
    marks = ", ".join("?" * len(ids))
    select = (f"SELECT rowid, snippet(sections_fts, 1, '{MARK_START}', '{MARK_END}', '…',"
              f" {SNIPPET_TOKENS}) FROM sections_fts WHERE sections_fts MATCH ?")
    if "*" in expression:
        # A prefix term is expanded at every FTS5 lookup: one pass over the id range instead.
        rows = store.query(select + f" AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
                           (expression, min(ids), max(ids), *ids))
    else:
        rows = store.query(select + f" AND rowid IN ({marks})", (expression, *ids))
    snippets = {row[0]: _snippet(row[1]) for row in rows}
    for hit in hits:
        hit.snippet = snippets.get(hit.section_id, "")


def _snippet(raw: str | None) -> str:
    """One line; the body's own bold markers removed, matches marked as **word**."""
    text = _BOLD.sub("", raw or "")
    text = _SPACE.sub(" ", text).strip()
    return text.replace(MARK_START, HIGHLIGHT).replace(MARK_END, HIGHLIGHT)
