"""Full-text search over fetched content: ranked passages an agent can cite.

A query is what a person types (words, "exact phrases", OR, NOT or -word,
prefix*, ``node.js``, ``C++``): ``kurt.query.parse_query`` translates it into
safe FTS5 expressions (user text never reaches ``MATCH`` raw) and the exact
forms of words with symbols, which are checked here on the candidate passages
(a passage holding the exact form ranks first). When a plain multi-word query
finds fewer than ``limit`` passages, passages matching only some of the words
follow, ranked after the ones matching all.

Ranking is BM25 over sections (SQLite FTS5), a heading match (the heading
path starts with the document title) weighing ``HEADING_WEIGHT`` times a body
match, then re-ranked with document signals: the title and URL naming the
query's words, and a passage whose own text does not match counting less. A one-word
query naming a content type or a topic also brings the lead passage of the pages of that
type or topic that never write the word (``_with_pages_about``).
Plain words also match the other names the index knows for a technology,
product or company (``postgres`` finds "PostgreSQL"). A query matching more
than ``MANY_MATCHES`` passages ranks the documents whose titles match first
(``_ranked_by_title``), which keeps it fast at 30,000 documents. Filters are
the ``DocumentFilter`` of ``kurt content list``, applied in SQL; only FETCHED
documents are searched.

SQLite-specific (FTS5 MATCH, bm25, snippet): on a PostgreSQL store the candidates
and snippets come from ``kurt.search_postgres`` (tsvector, ts_rank_cd, ts_headline)
behind the same ``search`` function; the re-ranking here is shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from kurt.errors import UsageError
from kurt.index.terms import TOKEN
from kurt.query import (  # re-exported: the parser lived here first
    MAX_SYNONYMS,
    MAX_TERMS,
    STOPWORDS,
    Exact,
    ParsedQuery,
    parse_query,
)

__all__ = ["HIGHLIGHT", "MAX_SYNONYMS", "MAX_TERMS", "STOPWORDS", "ParsedQuery", "SearchHit",
           "cap_per_document", "copy_keys", "entity_synonyms", "one_copy", "parse_query", "search"]
from kurt.store.db import Store
from kurt.store.filters import DocumentFilter, check_filter

T = TypeVar("T")

HEADING_WEIGHT = 4.0
BODY_WEIGHT = 1.0
TITLE_BOOST = 4.0  # added to BM25 when the document title holds all of the query's words
TITLE_FOCUS_BOOST = 3.0  # ... more when the title is about nothing else ("Redis" for "redis")
URL_BOOST = 3.0  # ... and when its URL path holds them
TYPE_BOOST = 10.0  # ... when its content type is what the query names ("integration")
TOPIC_BOOST = 2.0  # ... and when it is tagged with a topic the query names
COPIES = "COALESCE(CAST(d.duplicate_key AS TEXT), d.content_hash)"  # see kurt.index.duplicates
HEADING_ONLY_FACTOR = 0.6  # a passage whose text does not match is a weaker citation
CANDIDATES = 50
MANY_MATCHES = 8_000  # above this many matching passages, rank via titles first (see below)
TITLE_DOCUMENTS = 25  # documents whose passages are scored on that path  # BM25 candidates re-ranked per query (at least 4 x limit)
SNIPPET_TOKENS = 24
SQL_MAX = 2**63 - 1  # the largest integer SQLite can bind
SYNONYM_TYPES = ("Technology", "Product", "Company")  # entity types whose aliases are other names
MARK_START, MARK_END = "\x02", "\x03"  # FTS5 snippet markers, replaced before returning
HIGHLIGHT = "**"  # how a snippet marks matched words: **word** (markdown bold)

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

    @property
    def lines(self) -> str:
        """``8`` for one line, ``8-10`` for more."""
        if self.line_end == self.line_start:
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"

    @property
    def citation(self) -> str:
        """Where to cite the passage: ``sources/x.md:8-10`` (``<sources/a b.md>:8-10`` for a
        path with spaces; see ``kurt.writing.citations``)."""
        from kurt.writing.citations import format_item

        return format_item(self.content_path or self.url, self.line_start, self.line_end)


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
    shown: dict[str, str] = {}  # copy key -> the document shown for it (kurt.index.duplicates)
    hits = _ranked(store, _expression(store, parsed), _Matcher(*parsed.patterns()), words, flt,
                   limit, per_document, exact=parsed.exact(), shown=shown)
    if parsed.relaxed and len(hits) < limit:
        taken: dict[str, int] = {}
        for hit in hits:
            taken[hit.document_id] = taken.get(hit.document_id, 0) + 1
        seen = {hit.section_id for hit in hits}
        more = _ranked(store, _expression(store, parsed, relaxed=True), _Matcher(*parsed.patterns(relaxed=True)), words, flt,
                       limit - len(hits), per_document,
                       taken=taken, skip=seen, exact=parsed.exact(relaxed=True), shown=shown)
        for hit in more:
            hit.partial = True
        hits += more
    _add_snippets(store, hits, parsed)
    if len(words) == 1 and not parsed.negatives and parsed.exact() is None:
        hits = _with_pages_about(store, words, flt, hits, limit, shown)
    return hits


def _with_pages_about(store, words: list[list[str]], flt, hits: list[SearchHit], limit: int,
                      shown: dict) -> list[SearchHit]:
    """``hits`` with the lead passages of the pages about a one-word topic query that never
    write the word: a page of the content type it names (an ``integration`` page under
    ``/apps/`` that says "Connect X to Y") or tagged with the topic (``Topic:integration``).
    Scored by those signals alone (no text match), they rank above passages that merely
    contain the word and below the pages about it that also say it."""
    from kurt.index.content_types import CONTENT_TYPES
    from kurt.index.keys import entity_key

    kinds = [t for t in CONTENT_TYPES if _coverage(words, TOKEN.findall(t)) == 1]
    keys = sorted({entity_key(alt) for alt in words[0] if " " not in alt})
    if not kinds and not keys:
        return hits
    where, params = (flt or DocumentFilter()).where("d")
    seen = {hit.document_id for hit in hits}
    about = []
    if kinds:
        about += store.query(
            f"SELECT d.id FROM documents d WHERE d.status = 'FETCHED' AND d.content_type IN"
            f" ({', '.join('?' * len(kinds))}) AND {where} ORDER BY d.id LIMIT ?",
            (*kinds, *params, CANDIDATES + len(seen)))
    if keys:
        about += store.query(
            "SELECT DISTINCT d.id FROM document_entities de JOIN entities e ON e.id = de.entity_id"
            " JOIN documents d ON d.id = de.document_id WHERE e.type = 'Topic'"
            f" AND e.key IN ({', '.join('?' * len(keys))}) AND d.status = 'FETCHED' AND {where}"
            " ORDER BY d.id LIMIT ?", (*keys, *params, CANDIDATES + len(seen)))
    docs = sorted({row[0] for row in about} - seen)
    if not docs:
        return hits
    rows = []
    for start in range(0, len(docs), 500):
        chunk = docs[start:start + 500]
        rows += store.query(
            "SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, d.url, d.title,"
            f" d.content_path, s.search_body, d.content_type, {COPIES} FROM sections s"
            " JOIN documents d ON d.id = s.document_id"
            " JOIN (SELECT document_id, MIN(line_start) AS first FROM sections"
            "       WHERE search_body <> '' AND boilerplate = 0"
            f"       AND document_id IN ({', '.join('?' * len(chunk))}) GROUP BY document_id) f"
            " ON f.document_id = s.document_id AND f.first = s.line_start"
            " WHERE s.search_body <> '' AND s.boilerplate = 0", chunk)
    boosts = _Boosts(store, words, rows, id_at=1, url_at=5, title_at=6, type_at=9)
    shown_keys = {key for key in shown}
    lead, copies = {}, {}
    for row in rows:
        if row[1] in lead or row[10] in shown_keys:
            continue
        hit = _hit((row[0], row[1], row[2], row[3], row[4], None, row[5], row[6], row[7]),
                   0.0, True, words, boosts)
        body = (row[8] or "").split()
        hit.snippet = " ".join(body[:SNIPPET_TOKENS]) + ("…" if len(body) > SNIPPET_TOKENS else "")
        lead[row[1]] = hit
        copies[row[0]] = row[10]
    extra = one_copy(sorted(lead.values(), key=lambda h: (-h.score, h.url)),
                     lambda hit: copies.get(hit.section_id))
    merged = sorted(hits + extra, key=lambda h: -h.score)[:limit]
    for hit in merged:
        if copies.get(hit.section_id) is not None:
            shown.setdefault(copies[hit.section_id], hit.document_id)
    return merged


def _expression(store, parsed: ParsedQuery, *, relaxed: bool = False):
    """The query for the store's engine: an FTS5 expression, or (tsquery SQL, parameters)
    on PostgreSQL (``kurt.search_postgres``)."""
    if store.dialect == "postgresql":
        from kurt.search_postgres import query

        return query(parsed, relaxed=relaxed)
    return parsed.relaxed if relaxed else parsed.strict


def _ranked(store, expression, matcher, words, flt, limit, per_document, *, taken=None, skip=(),
            exact: Exact | None = None, shown: dict | None = None):
    """Passages for one FTS5 expression: BM25 candidates, re-ranked, capped per document.

    With ``exact``, passages lacking a required exact form are dropped and those
    holding more exact forms rank first.
    """
    where, params = (flt or DocumentFilter()).where("d")
    postgres = store.dialect == "postgresql"
    if postgres:
        from kurt.search_postgres import matches as count_matches

        matches = count_matches(store, expression, MANY_MATCHES)
    else:
        matches = store.query_one(
            "SELECT COUNT(*) FROM sections_fts WHERE sections_fts MATCH ?", (expression,))[0]
    if matches > MANY_MATCHES:
        hits = _ranked_by_title(store, matcher, words, where, params, limit, per_document,
                                taken, skip, exact, pg_query=expression if postgres else None,
                                shown=shown)
        if hits is not None:
            return hits
    sql = (
        "SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, sections_fts.rank,"
        " d.url, d.title, d.content_path, bm25(sections_fts, 0.0, 1.0), "
        + ("s.search_body" if exact else "''") + f", d.content_type, {COPIES}"
        " FROM sections_fts"
        " JOIN sections s ON s.id = sections_fts.rowid"
        " JOIN documents d ON d.id = s.document_id"
        " WHERE sections_fts MATCH ? AND sections_fts.rank MATCH ?"
        f" AND d.status = 'FETCHED' AND s.search_body <> '' AND s.boilerplate = 0 AND {where}"
        " ORDER BY sections_fts.rank LIMIT ?"
    )
    rank = f"bm25({HEADING_WEIGHT}, {BODY_WEIGHT})"
    wanted = min(max(CANDIDATES, limit * 4), SQL_MAX)  # a huge --limit or --offset stays an SQL integer
    while True:
        if postgres:
            from kurt.search_postgres import candidates

            rows = candidates(store, expression, where, params, wanted, with_body=bool(exact),
                              extra=f"d.content_type, {COPIES}")
        else:
            rows = store.query(sql, (expression, rank, *params, wanted))
        boosts = _Boosts(store, words, rows, id_at=1, url_at=6, title_at=7, type_at=11)
        tiers: dict[int, int] = {}
        copies: dict[int, str] = {}
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
            copies[row[0]] = row[12]
        chosen = _cap(hits, limit, per_document, taken, tiers, copies, shown)
        if len(chosen) >= limit or len(rows) < wanted:  # enough, or every match seen
            return chosen
        wanted = min(wanted * 4, SQL_MAX)  # capped documents ate the candidates: look further down


def _cap(hits: list[SearchHit], limit: int, per_document: int | None, taken,
         tiers: dict[int, int] | None = None, copies: dict[int, str] | None = None,
         shown: dict | None = None) -> list[SearchHit]:
    """The best ``limit`` hits, at most ``per_document`` from one document, and from one
    document only of copies of one page.

    ``tiers`` (section id -> exact forms held) ranks before the score; ``copies`` (section
    id -> key of its document's copies: see ``kurt.index.duplicates``) keeps the best-ranked
    copy of a page and drops the passages of the others; ``shown`` (copy key -> document)
    holds the copies earlier results show, and gets the ones these show.
    """
    tiers = tiers or {}
    hits.sort(key=lambda h: (-tiers.get(h.section_id, 0), -h.score))
    if not copies:
        return cap_per_document(hits, limit, per_document, taken=taken)
    hits = one_copy(hits, lambda hit: copies.get(hit.section_id), shown=dict(shown or {}))
    chosen = cap_per_document(hits, limit, per_document, taken=taken)
    if shown is not None:
        for hit in chosen:
            if copies.get(hit.section_id) is not None:
                shown.setdefault(copies[hit.section_id], hit.document_id)
    return chosen


def copy_keys(store: Store, document_ids: Iterable[str]) -> dict[str, str | None]:
    """Document id -> its copy key (``kurt.index.duplicates``): documents with one key hold
    one page."""
    from kurt.index.duplicates import copy_key

    ids = sorted(set(document_ids))
    keys: dict[str, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in store.query("SELECT id, duplicate_key, content_hash FROM documents WHERE id IN"
                               f" ({', '.join('?' * len(chunk))})", chunk):
            keys[row[0]] = copy_key(row[1], row[2])
    return keys


def one_copy(items: list[T], key_of: Callable[[T], object],
             document_of: Callable[[T], object] = lambda hit: hit.document_id, *,
             shown: dict | None = None) -> list[T]:
    """``items`` (best first) without those of a document whose copy (same ``key_of``)
    came earlier, or is in ``shown`` (copy key -> document)."""
    shown = {} if shown is None else shown
    kept = []
    for item in items:
        key, document = key_of(item), document_of(item)
        if key is not None and shown.setdefault(key, document) != document:
            continue
        kept.append(item)
    return kept


def cap_per_document(items: Iterable[T], limit: int, per_document: int | None, *,
                     document_of: Callable[[T], object] = lambda hit: hit.document_id,
                     taken: dict | None = None) -> list[T]:
    """The first ``limit`` of ``items`` (best first), at most ``per_document`` from one document.

    ``document_of`` names an item's document (a hit's ``document_id`` by default);
    ``taken`` counts the passages per document that earlier results already hold.
    """
    per_doc = dict(taken or {})
    chosen: list[T] = []
    for item in items:
        document = document_of(item)
        if per_document and per_doc.get(document, 0) >= per_document:
            continue
        per_doc[document] = per_doc.get(document, 0) + 1
        chosen.append(item)
        if len(chosen) >= limit:
            break
    return chosen


def _ranked_by_title(store, matcher, words, where, params, limit, per_document, taken, skip,
                     exact=None, pg_query=None, shown=None):
    """Passages for a query matching too many passages to rank them all quickly.

    FTS5 computes BM25 for every match before sorting (about 1 ms per 1,500
    matches), so a word found in a third of 300,000 passages costs 100 ms. Here
    the documents whose title or URL match rank first (a small index), then
    the passages of the best of them are matched and scored in Python
    (``_Matcher``: suffix-tolerant words, BM25-like term frequency, heading
    words weighing more). None when the titles do not give enough passages:
    the caller ranks everything then.
    """
    if pg_query is not None:  # PostgreSQL: the expression index of titles and URLs
        from kurt.search_postgres import title_documents

        docs = title_documents(store, pg_query, where, params, TITLE_DOCUMENTS)
    else:
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
        f" d.content_path, s.search_body, d.content_type, {COPIES}"
        " FROM sections s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.document_id IN ({marks}) AND s.search_body <> '' AND s.boilerplate = 0", docs)
    if not rows:
        return None
    average = sum(row[8].count(" ") + 1 for row in rows) / len(rows) or 1.0
    hits, tiers, copies = [], {}, {}
    boosts = _Boosts(store, words, rows, id_at=1, url_at=5, title_at=6, type_at=9)
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
            copies[row[0]] = row[10]
    chosen = _cap(hits, limit, per_document, taken, tiers, copies, shown)
    return chosen if len(chosen) >= limit else None


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
    elif isinstance(boosts, _Boosts):
        boost = boosts.of(row[1])
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


class _Boosts:
    """The document boosts of a page of candidate rows, computed once per document.

    Besides the title and URL, a document of the content type the query names
    (``integration`` for "integration") and one tagged with the topic the query names
    (``Topic:security`` for "security") are about it: their passages rank above passages
    that merely contain the word. The topics are read in one query for the whole page.
    """

    def __init__(self, store: Store, words: list[list[str]], rows, *, id_at: int, url_at: int,
                 title_at: int, type_at: int):
        self.words = words
        self.docs = {row[id_at]: (row[url_at], row[title_at], row[type_at]) for row in rows}
        self.topics = _topics(store, words, list(self.docs)) if words and self.docs else {}
        self.cache: dict[str, float] = {}

    def of(self, document_id: str) -> float:
        boost = self.cache.get(document_id)
        if boost is None:
            url, title, kind = self.docs[document_id]
            boost = self.cache[document_id] = _document_boost(
                self.words, url, title, kind, self.topics.get(document_id, ()))
        return boost


def _topics(store: Store, words: list[list[str]], ids: list[str]) -> dict[str, list[str]]:
    """Document id -> the keys of its Topic entities that a query word names."""
    from kurt.index.keys import entity_key

    keys = sorted({entity_key(alt) for alts in words for alt in alts if " " not in alt})
    if not keys:
        return {}
    topics: dict[str, list[str]] = {}
    key_marks = ", ".join("?" * len(keys))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for doc, key in store.query(
                "SELECT de.document_id, e.key FROM document_entities de JOIN entities e"
                f" ON e.id = de.entity_id WHERE e.type = 'Topic' AND e.key IN ({key_marks})"
                f" AND de.document_id IN ({', '.join('?' * len(chunk))})", (*keys, *chunk)):
            topics.setdefault(doc, []).append(key)
    return topics


def _document_boost(words: list[list[str]], url: str, title: str | None,
                    content_type: str | None = None, topics=()) -> float:
    """What a document's title, URL, content type and topics add to the score of its passages."""
    if not words:
        return 0.0
    title_tokens = TOKEN.findall((title or "").lower())
    path = TOKEN.findall(urlsplit(url).path.lower())
    boost = URL_BOOST * _coverage(words, path)
    if content_type:
        boost += TYPE_BOOST * _coverage(words, TOKEN.findall(content_type.lower()))
    if topics:
        boost += TOPIC_BOOST * _coverage(words, [t.lower() for t in topics])
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
    ids = [h.section_id for h in hits]
    if store.dialect == "postgresql":
        from kurt.search_postgres import snippets

        found = snippets(store, _expression(store, parsed, relaxed=bool(parsed.relaxed)), ids,
                         MARK_START, MARK_END, SNIPPET_TOKENS)
        for hit in hits:
            hit.snippet = _snippet(found.get(hit.section_id))
        return
    expression = parsed.relaxed or parsed.strict
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
