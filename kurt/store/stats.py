"""What the workspace holds, for ``kurt content stats``: counts, freshness, errors by reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.store.db import Store
from kurt.store.filters import DocumentFilter

_URL = re.compile(r"\b(?:https?|file)://\S+")
_NUMBER_RUN = re.compile(r"\b\d{4,}\b")  # ids, byte counts: not part of a reason


@dataclass
class IndexFreshness:
    indexed: int = 0  # fetched documents whose index matches their content
    stale: int = 0  # indexed from an older version of the content
    not_indexed: int = 0  # fetched, never indexed
    vocabulary_changed: bool = False  # the profile or vocabulary changed since: all indexed are stale
    sections: int = 0  # passages in the search index
    entities: int = 0
    links: int = 0
    clusters: int = 0


@dataclass
class ErrorReason:
    reason: str
    status: str
    count: int
    example: str  # one document URL with this reason


@dataclass
class Stats:
    documents: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_domain: dict[str, int] = field(default_factory=dict)
    by_content_type: dict[str, int] = field(default_factory=dict)
    words_total: int = 0
    words_average: int = 0
    delisted: int = 0
    first_fetched_at: str | None = None
    last_fetched_at: str | None = None
    last_changed_at: str | None = None
    index: IndexFreshness = field(default_factory=IndexFreshness)
    errors: list[ErrorReason] = field(default_factory=list)


def collect_stats(store: Store, flt: DocumentFilter | None = None, *, ws=None) -> Stats:
    """Counts over the documents ``flt`` selects (all documents by default).

    With the workspace, an index built with another vocabulary than the workspace's
    (a changed profile or kurt/vocabulary.toml) counts as stale, every document of it.
    """
    where, params = (flt or DocumentFilter()).where("d")
    base = f"FROM documents d WHERE {where}"
    stats = Stats()
    stats.by_status = _counts(store, f"SELECT d.status, COUNT(*) {base} GROUP BY 1 ORDER BY 2 DESC, 1", params)
    stats.documents = sum(stats.by_status.values())
    stats.by_domain = _counts(store, f"SELECT d.domain, COUNT(*) {base} GROUP BY 1 ORDER BY 2 DESC, 1", params)
    stats.by_content_type = _counts(
        store,
        f"SELECT COALESCE(d.content_type, '(not indexed)'), COUNT(*) {base} AND d.status = 'FETCHED'"
        " GROUP BY 1 ORDER BY 2 DESC, 1", params)
    row = store.query_one(
        "SELECT COALESCE(SUM(d.word_count), 0), COALESCE(AVG(d.word_count), 0),"
        " MIN(d.fetched_at), MAX(d.fetched_at), MAX(d.changed_at),"
        " SUM(CASE WHEN d.indexed_hash IS NULL THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN d.indexed_hash IS NOT NULL AND d.indexed_hash = d.content_hash THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN d.indexed_hash IS NOT NULL AND d.indexed_hash <> COALESCE(d.content_hash, '')"
        "  THEN 1 ELSE 0 END)"
        f" {base} AND d.status = 'FETCHED'", params)
    stats.words_total, stats.words_average = int(row[0]), round(row[1])
    stats.first_fetched_at, stats.last_fetched_at, stats.last_changed_at = row[2], row[3], row[4]
    stats.index.not_indexed, stats.index.indexed, stats.index.stale = (int(v or 0) for v in row[5:8])
    if ws is not None and stats.index.indexed + stats.index.stale and _vocabulary_changed(ws, store):
        stats.index.vocabulary_changed = True
        stats.index.stale += stats.index.indexed
        stats.index.indexed = 0
    stats.delisted = store.query_one(
        f"SELECT COUNT(*) {base} AND d.delisted_at IS NOT NULL", params)[0]
    stats.index.sections = store.query_one(
        f"SELECT COUNT(*) FROM sections s WHERE s.document_id IN (SELECT d.id {base})", params)[0]
    stats.index.links = store.query_one(
        f"SELECT COUNT(*) FROM links l WHERE l.document_id IN (SELECT d.id {base})", params)[0]
    stats.index.entities = store.query_one(
        "SELECT COUNT(DISTINCT de.entity_id) FROM document_entities de"
        f" WHERE de.document_id IN (SELECT d.id {base})", params)[0]
    stats.index.clusters = store.query_one(
        "SELECT COUNT(DISTINCT dc.cluster_id) FROM document_clusters dc"
        f" WHERE dc.document_id IN (SELECT d.id {base})", params)[0]
    stats.errors = _errors(store, base, params)
    return stats


def _vocabulary_changed(ws, store: Store) -> bool:
    from kurt.errors import FormatError
    from kurt.index.vocabulary import vocabulary_changed

    try:
        return vocabulary_changed(ws, store)
    except FormatError:  # a broken kurt/vocabulary.toml: 'kurt content index' says what is wrong
        return False


def _counts(store: Store, sql: str, params) -> dict[str, int]:
    return {row[0]: row[1] for row in store.query(sql, params)}


def error_reason(message: str | None) -> str:
    """An error message without the parts that differ from page to page (URLs, long numbers)."""
    if not message:
        return "(no reason recorded)"
    text = _URL.sub("<url>", message.strip().splitlines()[0])
    text = _NUMBER_RUN.sub("<n>", text)
    return text[:120]


def _errors(store: Store, base: str, params) -> list[ErrorReason]:
    """Documents in ERROR, SKIPPED or GONE, grouped by reason, most frequent first."""
    grouped: dict[tuple[str, str], ErrorReason] = {}
    for row in store.query(
        f"SELECT d.status, d.error, COUNT(*), MIN(d.url) {base}"
        " AND d.status IN ('ERROR', 'SKIPPED', 'GONE') GROUP BY d.status, d.error", params,
    ):
        key = (row[0], error_reason(row[1]))
        known = grouped.get(key)
        if known is None:
            grouped[key] = ErrorReason(key[1], row[0], row[2], row[3])
        else:
            known.count += row[2]
    return sorted(grouped.values(), key=lambda e: (-e.count, e.status, e.reason))
