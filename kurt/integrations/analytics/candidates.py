"""``kurt analytics refresh-candidates``: the pages with traffic to update first, and why.

A candidate is a document with at least ``min_pageviews`` page views in its last
synced period (any provider; the one with the most views counts) and one or
more reasons:

- **declining**: its trend is declining (``[analytics] trend_threshold`` and
  ``min_change``: see docs/analytics.md);
- **old**: its own date, the latest of its sitemap ``lastmod`` and its published
  date, is more than ``stale_after_days`` old (a page without either date is
  never called old: Kurt's fetch time says nothing about the page's age);
- **sources changed**: a document it links to (its sources, from the link
  index) changed after the page itself did. The page's date here is the latest
  of its own dates and the time Kurt last saw its content change; a source's is
  the latest of its sitemap ``lastmod``, its published date and the time Kurt saw
  its content change on a later fetch (not its first fetch, which is no change).

Ranking: ``score = log10(1 + page views) * (sum of the reasons' weights)``, with
declining ``1 + |change|``, old ``min(2, age / stale_after_days)``, sources changed
``min(2, 0.5 + 0.5 * sources)``: traffic says how much a refresh matters, the
reasons how urgent it is. Ties: more page views first.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

from kurt.store.traffic import best_traffic, linked_sources, page_dates

REASONS = ("declining", "old", "sources")
SOURCES_SHOWN = 3


@dataclass
class Reason:
    kind: str  # declining, old, sources
    text: str  # the reason as a person reads it
    weight: float


@dataclass
class Candidate:
    document_id: str
    url: str
    title: str | None
    content_path: str | None
    provider: str
    pageviews: int
    previous_pageviews: int
    change: float | None
    trend: str
    updated: str | None  # the page's own latest date, when known
    score: float
    reasons: list[Reason] = field(default_factory=list)
    changed_sources: list[dict] = field(default_factory=list)  # id, url, title, changed

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def why(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)


def refresh_candidates(store, config, *, today: date | None = None, min_pageviews: int = 1,
                       reasons: tuple[str, ...] | list[str] = (), limit: int | None = None,
                       stale_after_days: int | None = None) -> list[Candidate]:
    """The ranked candidates (see the module docstring); ``reasons`` keeps only those
    with one of these reasons."""
    today = today or datetime.now(UTC).date()
    stale = stale_after_days if stale_after_days is not None else config.stale_after_days
    traffic = {doc_id: t for doc_id, t in best_traffic(store).items() if t.pageviews >= min_pageviews}
    if not traffic:
        return []
    documents = page_dates(store, list(traffic))
    sources = linked_sources(store, list(documents))
    found = []
    for doc_id, doc in documents.items():
        t = traffic[doc_id]
        own = latest(doc["sitemap_lastmod"], doc["published_date"])
        why: list[Reason] = []
        if t.trend == "declining":
            change = f" ({t.change:+.0%})" if t.change is not None else ""
            why.append(Reason("declining", f"declining: {t.previous_pageviews} -> {t.pageviews} "
                              f"page views{change}", 1 + abs(t.change or 0)))
        if own is not None and (today - own).days > stale:
            age = (today - own).days
            why.append(Reason("old", f"old: last updated {own.isoformat()} ({age} days ago)",
                              min(2.0, age / max(stale, 1))))
        page_seen = latest(own, _day(doc["changed_at"]))
        changed = [s for s in sources.get(doc_id, [])
                   if page_seen is not None and (source_changed(s) or date.min) > page_seen]
        if changed:
            names = ", ".join(s["title"] or s["url"] for s in changed[:SOURCES_SHOWN])
            more = f" and {len(changed) - SOURCES_SHOWN} more" if len(changed) > SOURCES_SHOWN else ""
            why.append(Reason("sources", f"{len(changed)} source{'s' if len(changed) > 1 else ''} "
                              f"changed since {page_seen.isoformat()}: {names}{more}",
                              min(2.0, 0.5 + 0.5 * len(changed))))
        if not why or (reasons and not any(r.kind in reasons for r in why)):
            continue
        score = math.log10(1 + t.pageviews) * sum(r.weight for r in why)
        found.append(Candidate(
            document_id=doc_id, url=doc["url"], title=doc["title"], content_path=doc["content_path"],
            provider=t.provider, pageviews=t.pageviews, previous_pageviews=t.previous_pageviews,
            change=t.change, trend=t.trend, updated=own.isoformat() if own else None,
            score=round(score, 2), reasons=why,
            changed_sources=[{"id": s["id"], "url": s["url"], "title": s["title"],
                              "changed": source_changed(s).isoformat()} for s in changed]))
    found.sort(key=lambda c: (-c.score, -c.pageviews, c.url))
    return found[:limit] if limit else found


def source_changed(source: dict) -> date | None:
    """When a linked source last changed, as far as Kurt can tell (module docstring)."""
    seen = _day(source["changed_at"])
    first = _day(source["discovered_at"])
    observed = seen if seen is not None and (
        source["fetch_outcome"] == "changed" or (first is not None and seen - first > timedelta(days=1))
    ) else None
    return latest(source["sitemap_lastmod"], source["published_date"], observed)


def latest(*values) -> date | None:
    days = [d for d in (v if isinstance(v, date) else _day(v) for v in values) if d is not None]
    return max(days) if days else None


def _day(value) -> date | None:
    """The calendar date of an ISO-8601 date or timestamp (None when unreadable)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None

