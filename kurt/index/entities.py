"""Entities of a document: vocabulary terms found in its text, title, headings and URL.

Matching is on word tokens (``kurt.index.vocabulary.tokenize``), longest
phrase first, so "Spring Boot" wins over "Spring" and "REST API" over "API".
Case-insensitive surfaces also match their plural ("databases"); surfaces
marked case-sensitive match only in exactly that case, and the ambiguous ones
("Go", "Express", "React") never as the first word of a sentence or line.
URLs inside markdown links are not text.

Only vocabulary terms can become entities, so no stop word or fragment ever
does. Technologies, companies, products and features count from one mention;
a topic counts when it is significant for the page: named by a URL path
segment, the title or a heading, or weighing enough in the text. Its weight
is its mentions, those in the lead (the first ``LEAD_WORDS`` words, where a
page says what it is about) counted twice; it must reach ``TOPIC_MIN_WEIGHT``
(one mention in the lead is not enough, one more anywhere is) and
``TOPIC_SHARE`` of the page's words (at least ``MIN_WORDS``). So a short
partner page that says "integrates with" in its first paragraph and "the
integration" below is about integration, and a 2,000-word newsletter that
says "integration" three times in passing is not. A guide whose title names
a third-party tool or service (or says "self-host", "third-party",
"external", "connect") is about an integration. Pages of a directory of
integrations get the topic from the corpus pass (``kurt.index.corpus``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, count
from urllib.parse import unquote, urlsplit

from kurt.index.keys import entity_key
from kurt.index.vocabulary import TOKEN, Vocabulary

TOPIC_MIN_WEIGHT = 3
TOPIC_SHARE = 0.02  # weighted mentions per word of the page: one in 50 words
LEAD_WORDS = 80
MIN_WORDS = 100  # a shorter page is weighed as if it had this many words
# Technology categories whose presence in a guide's title makes it an integration guide.
INTEGRATION_CATEGORIES = frozenset({"tool", "cloud", "data-service", "ai"})
_INTEGRATION_WORDS = re.compile(
    r"\b(self[- ]host(?:ed|ing)?|third[- ]party|external|integrat\w*|connect(?:s|ing)?)\b", re.I
)
_GUIDE_PATH = re.compile(r"/(guides?|tutorials?|how-to|learn|examples?|cookbook|recipes)/", re.I)
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_BARE_URL = re.compile(r"https?://\S+")
_HTML_ATTR = re.compile(r"\b(?:src|href|alt|layout|width|height)=\"[^\"]*\"")
_FENCE_INFO = re.compile(r"^([ \t]*(?:`{3,}|~{3,}))[^\n`]*$", re.M)
_SENTENCE_END = re.compile(r"[.!?:]\W*$")


@dataclass
class EntityHit:
    """One entity found in one document."""

    type: str
    name: str
    key: str
    alias_keys: list[str]
    mentions: int = 0
    sections: dict[int, int] = field(default_factory=dict)  # section position -> mentions
    category: str | None = None
    origin: str = "local"


def clean_text(text: str) -> str:
    """Markdown prose without link targets, bare URLs and HTML attributes."""
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if "://" in text:
        text = _BARE_URL.sub(" ", text)
    if "``" in text or "~~~" in text:
        text = _FENCE_INFO.sub(r"\1", text)
    if '="' in text:
        text = _HTML_ATTR.sub(" ", text)
    return text


def find_terms(vocab: Vocabulary, text: str) -> Counter:
    """Term index -> number of mentions in ``text``.

    Only the tokens that can start a match (``Vocabulary.starts``) are tried, from left
    to right; a match covers its tokens.
    """
    found: Counter = Counter()
    tokens = TOKEN.findall(text)
    if not tokens:
        return found
    lower = " ".join(tokens).lower().split(" ")  # tokens are ASCII without spaces: one call
    starts, lengths, singles = vocab.start_tokens, vocab.lengths, vocab.singles
    if not starts and (vocab.ci or vocab.cs):  # tables filled by hand, not by compile()
        starts, lengths, singles = vocab.starts(), vocab.surface_lengths(), vocab.single_tables()
    candidates = starts.intersection(lower)
    if not candidates:
        return found
    matches: list = []  # token spans, found when a case rule needs the text around a token
    n = len(tokens)
    ci, ci_singular, cs = vocab.ci, vocab.ci_singular, vocab.cs
    cs1, ci1, singular1 = singles
    covered = 0  # tokens before this index belong to a match
    for i in compress(count(), map(candidates.__contains__, lower)):
        if i < covered:
            continue
        word = lower[i]
        tried = lengths.get(word)
        if tried is None:  # only one-token surfaces start with this token: the common case
            entry = cs1.get(tokens[i])
            if entry is not None:
                index, not_start = entry
                if not_start and not matches:
                    matches = [m.span() for m in TOKEN.finditer(text)]
                if not (not_start and _sentence_start(text, matches, i)):
                    found[index] += 1
                    covered = i + 1
                    continue
            index = ci1.get(word)
            if index is None and word.endswith("s"):
                index = singular1.get(entity_key(word))
            if index is not None:
                found[index] += 1
                covered = i + 1
            continue
        hit = None
        for length in tried:
            if i + length > n:
                continue
            exact = tuple(tokens[i:i + length])
            entry = cs.get(exact)
            if entry is not None:
                index, not_start = entry
                if not_start and not matches:
                    matches = [m.span() for m in TOKEN.finditer(text)]
                if not (not_start and _sentence_start(text, matches, i)):
                    hit = (index, length)
                    break
            low = tuple(lower[i:i + length])
            index = ci.get(low)
            if index is None and low[-1].endswith("s"):
                index = ci_singular.get((*low[:-1], entity_key(low[-1])))
            if index is not None:
                hit = (index, length)
                break
        if hit is not None:
            found[hit[0]] += 1
            covered = i + hit[1]
    return found


def _sentence_start(text: str, matches: list, i: int) -> bool:
    if i == 0:
        return True
    gap = text[matches[i - 1][1]:matches[i][0]]
    if "\n" in gap or "|" in gap:  # a new line, list item or table cell
        return True
    before = text[max(0, matches[i - 1][1] - 1):matches[i][0]]
    return bool(_SENTENCE_END.search(before))


def url_topics(vocab: Vocabulary, url: str) -> set[int]:
    """Topic terms named by a whole URL path segment (/integrations/ -> integration)."""
    path = unquote(urlsplit(url).path)
    found = set()
    for segment in path.strip("/").split("/"):
        segment = segment.rsplit(".", 1)[0] if segment.endswith((".md", ".html", ".htm")) else segment
        words = tuple(w.lower() for w in re.split(r"[-_\s]+", segment) if w)
        if not words:
            continue
        index = vocab.ci.get(words)
        if index is None:
            index = vocab.ci_singular.get((*words[:-1], entity_key(words[-1])))
        if index is not None and vocab.terms[index].type == "Topic":
            found.add(index)
    return found


def extract_entities(
    vocab: Vocabulary,
    *,
    url: str,
    title: str | None,
    sections: list,
) -> list[EntityHit]:
    """The entities of a document from its sections (objects with position, heading, body)."""
    per_term: dict[int, EntityHit] = {}
    heading_terms: set[int] = set()
    lead: Counter = Counter()  # mentions in the first LEAD_WORDS words of the text
    words = 0
    for section in sections:
        counts = Counter()
        if section.heading:
            heading_counts = find_terms(vocab, section.heading)
            heading_terms.update(heading_counts)
            counts.update(heading_counts)
        body = clean_text(section.body)
        body_counts = find_terms(vocab, body)
        counts.update(body_counts)
        if words < LEAD_WORDS and body_counts:
            tokens = body.split()
            room = LEAD_WORDS - words
            lead.update(body_counts if len(tokens) <= room else find_terms(vocab, " ".join(tokens[:room])))
            words += len(tokens)
        else:
            words += body.count(" ") + body.count("\n") + bool(body)
        for index, n in counts.items():
            hit = per_term.get(index)
            if hit is None:
                hit = per_term[index] = _hit(vocab, index)
            hit.mentions += n
            hit.sections[section.position] = hit.sections.get(section.position, 0) + n
    title_terms = find_terms(vocab, title) if title else Counter()
    significant = heading_terms | set(title_terms) | url_topics(vocab, url)
    if _is_integration_guide(vocab, url, title, title_terms):
        index = vocab.ci.get(("integration",))
        if index is not None:
            significant.add(index)
    for index in significant | set(title_terms):
        if index not in per_term:
            per_term[index] = _hit(vocab, index)
        per_term[index].mentions = max(per_term[index].mentions, 1)
    hits = []
    for index, hit in per_term.items():
        if hit.type == "Topic" and index not in significant:
            weight = hit.mentions + lead[index]
            if weight < TOPIC_MIN_WEIGHT or weight < TOPIC_SHARE * max(words, MIN_WORDS):
                continue
        hits.append(hit)
    hits.sort(key=lambda h: (-h.mentions, h.type, h.key))
    return hits


def _hit(vocab: Vocabulary, index: int) -> EntityHit:
    term = vocab.terms[index]
    return EntityHit(term.type, term.name, term.key, vocab.alias_keys(index), 0, {}, term.category)


def _is_integration_guide(vocab: Vocabulary, url: str, title: str | None, title_terms: Counter) -> bool:
    if not title or not _GUIDE_PATH.search(urlsplit(url).path + "/"):
        return False
    if _INTEGRATION_WORDS.search(title):
        return True
    for index in title_terms:
        term = vocab.terms[index]
        if term.type == "Company" and term.origin == "builtin":
            return True
        if term.type == "Technology" and term.category in INTEGRATION_CATEGORIES:
            return True
    return False


@dataclass
class EntityCount:
    """An entity with the number of documents (of a selection) that mention it."""

    type: str
    name: str
    key: str
    documents: int
    mentions: int
    aliases: list[str] = field(default_factory=list)


def known_entity_types(store, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Built-in types, types in the store, and ``extra`` (e.g. the vocabulary's)."""
    from kurt.store.filters import ENTITY_TYPES

    types = list(ENTITY_TYPES)
    for row in store.query("SELECT DISTINCT type FROM entities ORDER BY type"):
        if row[0] not in types:
            types.append(row[0])
    types += [t for t in extra if t not in types]
    return types


def resolve_entity_type(store, value: str, extra: list[str] | tuple[str, ...] = ()) -> str:
    """``value`` as a known entity type ('technology' -> 'Technology'); UsageError otherwise."""
    from kurt.errors import UsageError

    known = known_entity_types(store, extra)
    wanted = value.strip().lower()
    for etype in known:
        if wanted in (etype.lower(), etype.lower() + "s"):
            return etype
    raise UsageError(f"Unknown entity type '{value}': use one of {', '.join(known)}")


def list_entities(
    store,
    etype: str | None = None,
    flt=None,
    *,
    min_docs: int = 1,
    limit: int | None = None,
) -> list[EntityCount]:
    """Entities with document and mention counts over the documents ``flt`` selects."""
    from kurt.store.filters import check_filter

    check_filter(store, flt)
    where, params = ("1=1", []) if flt is None else flt.where("d")
    sql = (
        "SELECT e.type, e.name, e.key, COUNT(DISTINCT de.document_id) AS docs,"
        " SUM(de.mentions) AS mentions"
        " FROM entities e JOIN document_entities de ON de.entity_id = e.id"
        f" JOIN documents d ON d.id = de.document_id WHERE {where}"
    )
    if etype:
        sql += " AND e.type = ?"
        params = [*params, etype]
    sql += " GROUP BY e.id, e.type, e.name, e.key HAVING COUNT(DISTINCT de.document_id) >= ?"
    sql += " ORDER BY docs DESC, mentions DESC, e.type, e.name"
    params = [*params, max(int(min_docs), 1)]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = store.query(sql, params)
    return [EntityCount(r["type"], r["name"], r["key"], r["docs"], r["mentions"] or 0) for r in rows]
