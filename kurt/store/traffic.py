"""Page traffic in the store (migration 0012): what ``kurt analytics sync`` writes and
what listing, sorting by page views, trend filters and refresh candidates read.

- ``page_traffic``: every page a provider reported, per period, with the document
  it was matched to (NULL when none);
- ``document_traffic``: each document's page views in the last synced period of each
  provider, against the period before, and the resulting trend;
- ``analytics_syncs``: one row per sync run.

A sync of one provider is written in one transaction: its pages for the two
periods replace those of an earlier sync of the same periods, and its document
rows replace all of its earlier ones. When several providers are synced, a
document's traffic is the row with the most page views (``best_traffic``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from kurt.store.db import Store

ID_CHUNK = 500


@dataclass
class PageRow:
    page_key: str
    page_url: str
    period_start: str
    period_end: str
    document_id: str | None
    pageviews: int
    visitors: int | None = None
    entrances: int | None = None
    bounce_rate: float | None = None
    engagement_rate: float | None = None


@dataclass
class DocumentTraffic:
    document_id: str
    provider: str
    period_start: str
    period_end: str
    pageviews: int
    previous_pageviews: int
    change: float | None
    trend: str
    entrances: int | None = None
    bounce_rate: float | None = None
    engagement_rate: float | None = None
    synced_at: str | None = None


@dataclass
class SyncRecord:
    provider: str
    period_start: str
    period_end: str
    previous_start: str
    previous_end: str
    pages: int
    matched: int
    synced_at: str


_TRAFFIC_COLUMNS = tuple(f.name for f in fields(DocumentTraffic))


def web_documents(store: Store) -> list[tuple[str, str, str]]:
    """(id, url, status) of every web document, for matching pages to documents."""
    return [(row[0], row[1], row[2]) for row in store.query(
        "SELECT id, url, status FROM documents WHERE source_kind = 'web'")]


def save_sync(store: Store, record: SyncRecord, pages: list[PageRow],
              documents: list[DocumentTraffic]) -> None:
    """Write one provider's sync (see the module docstring), all or nothing."""
    with store.transaction() as conn:
        for start, end in ((record.period_start, record.period_end),
                           (record.previous_start, record.previous_end)):
            conn.execute("DELETE FROM page_traffic WHERE provider = ? AND period_start = ?"
                         " AND period_end = ?", (record.provider, start, end))
        conn.executemany(
            "INSERT INTO page_traffic (provider, page_key, page_url, period_start, period_end,"
            " document_id, pageviews, visitors, entrances, bounce_rate, engagement_rate, synced_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(record.provider, p.page_key, p.page_url, p.period_start, p.period_end, p.document_id,
              p.pageviews, p.visitors, p.entrances, p.bounce_rate, p.engagement_rate,
              record.synced_at) for p in pages])
        conn.execute("DELETE FROM document_traffic WHERE provider = ?", (record.provider,))
        conn.executemany(
            f"INSERT INTO document_traffic ({', '.join(_TRAFFIC_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(_TRAFFIC_COLUMNS))})",
            [tuple(getattr(d, c) if c != "synced_at" else (d.synced_at or record.synced_at)
                   for c in _TRAFFIC_COLUMNS) for d in documents])
        conn.execute(
            "INSERT INTO analytics_syncs (provider, period_start, period_end, previous_start,"
            " previous_end, pages, matched, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record.provider, record.period_start, record.period_end, record.previous_start,
             record.previous_end, record.pages, record.matched, record.synced_at))


def best_traffic(store: Store, ids: list[str] | None = None) -> dict[str, DocumentTraffic]:
    """Each document's traffic row with the most page views (all documents with traffic,
    or those of ``ids``)."""
    rows = []
    if ids is None:
        rows = store.query(f"SELECT {', '.join(_TRAFFIC_COLUMNS)} FROM document_traffic")
    else:
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            rows += store.query(
                f"SELECT {', '.join(_TRAFFIC_COLUMNS)} FROM document_traffic"
                f" WHERE document_id IN ({', '.join('?' * len(chunk))})", chunk)
    best: dict[str, DocumentTraffic] = {}
    for row in rows:
        traffic = DocumentTraffic(**{c: row[c] for c in _TRAFFIC_COLUMNS})
        held = best.get(traffic.document_id)
        if held is None or (traffic.pageviews, traffic.provider) > (held.pageviews, held.provider):
            best[traffic.document_id] = traffic
    return best


def last_syncs(store: Store) -> list[SyncRecord]:
    """The latest sync of each provider."""
    rows = store.query(
        "SELECT provider, period_start, period_end, previous_start, previous_end, pages, matched,"
        " synced_at FROM analytics_syncs s WHERE id = (SELECT MAX(id) FROM analytics_syncs"
        " WHERE provider = s.provider) ORDER BY provider")
    return [SyncRecord(*tuple(row)) for row in rows]


def unmatched_pages(store: Store, provider: str, period_start: str, period_end: str,
                    limit: int = 10) -> list[tuple[str, int]]:
    """The most viewed pages of a period that match no document: (page, views)."""
    rows = store.query(
        "SELECT page_url, pageviews FROM page_traffic WHERE provider = ? AND period_start = ?"
        " AND period_end = ? AND document_id IS NULL ORDER BY pageviews DESC, page_key LIMIT ?",
        (provider, period_start, period_end, limit))
    return [(row[0], row[1]) for row in rows]


def linked_sources(store: Store, ids: list[str]) -> dict[str, list[dict]]:
    """For each of ``ids``, the ingested documents it links to (its sources): id, url,
    title and the dates that tell when they changed."""
    found: dict[str, list[dict]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        rows = store.query(
            "SELECT l.document_id AS page, t.id, t.url, t.title, t.changed_at, t.discovered_at,"
            " t.fetch_outcome, t.sitemap_lastmod, t.published_date FROM links l"
            " JOIN documents t ON t.id = l.target_id"
            f" WHERE l.document_id IN ({', '.join('?' * len(chunk))}) AND l.target_id <> l.document_id"
            " ORDER BY l.document_id, t.url", chunk)
        for row in rows:
            found.setdefault(row["page"], []).append(
                {key: row[key] for key in row.keys() if key != "page"})
    return found


def page_dates(store: Store, ids: list[str]) -> dict[str, dict]:
    """id -> url, title, content_path and the dates that tell a page's age."""
    found = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        rows = store.query(
            "SELECT id, url, title, content_path, sitemap_lastmod, published_date, changed_at"
            f" FROM documents WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
        found.update({row["id"]: dict(row) for row in rows})
    return found


def traffic_listing(store: Store, *, trends: list[str] = (), limit: int | None = None) -> list[dict]:
    """Documents with traffic, most viewed first: their best traffic row, URL and title."""
    best = [t for t in best_traffic(store).values() if not trends or t.trend in trends]
    best.sort(key=lambda t: (-t.pageviews, t.document_id))
    if limit:
        best = best[:limit]
    pages = page_dates(store, [t.document_id for t in best])
    rows = []
    for t in best:
        page = pages.get(t.document_id, {})
        rows.append({**asdict(t), "url": page.get("url"), "title": page.get("title"),
                     "content_path": page.get("content_path")})
    return rows
