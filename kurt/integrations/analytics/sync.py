"""``kurt analytics sync``: ask each provider for two periods, match, trend, store.

For each provider: the page traffic of the period (``--period``, ending
yesterday unless ``--until``) and of the period just before it, each merged by
``page_key``; pages matched to web documents by the same key (a document
fetched wins over one that is not, then the shorter URL); each matched
document's page views in both periods summed over its pages, and its trend
(``kurt.integrations.analytics.pages.trend``: ``[analytics] trend_threshold`` and
``min_change``). All of it is written in one transaction per provider
(``kurt.store.traffic.save_sync``), so a provider that fails half-way changes
nothing; the others are still synced, and the report names the failure.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date

from kurt.errors import ConfigError, KurtError, UsageError
from kurt.integrations.analytics.pages import (
    TRENDS,
    PageTraffic,
    Period,
    merge,
    page_key,
    parse_period,
    trend,
)
from kurt.store.db import utcnow
from kurt.store.traffic import DocumentTraffic, PageRow, SyncRecord, save_sync, web_documents

PROVIDERS = ("posthog", "ga4", "plausible")
UNMATCHED_SHOWN = 10


@dataclass
class ProviderSync:
    provider: str
    period_start: str
    period_end: str
    previous_start: str
    previous_end: str
    pages: int = 0  # pages with traffic in the period
    pageviews: int = 0  # in the period, all pages
    matched_pages: int = 0
    documents: int = 0  # documents with traffic in either period
    trends: dict[str, int] = field(default_factory=dict)
    unmatched: list[dict] = field(default_factory=list)  # the most viewed pages with no document
    unmatched_pages: int = 0  # every page with views and no document (unmatched: the first 10)
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # why this provider was not synced


@dataclass
class SyncReport:
    providers: list[ProviderSync] = field(default_factory=list)

    @property
    def failed(self) -> list[ProviderSync]:
        return [p for p in self.providers if p.error]

    def to_dict(self) -> dict:
        return {"providers": [asdict(p) for p in self.providers]}


def configured_providers(config) -> list[str]:
    """The providers kurt.toml sets up (the setting that names what to read is set)."""
    analytics = config.analytics
    found = []
    if analytics.posthog.project_id:
        found.append("posthog")
    if analytics.ga4.property_id:
        found.append("ga4")
    if analytics.plausible.site_id:
        found.append("plausible")
    return found


def open_provider(ws, name: str, *, transport=None, sleep=time.sleep):
    """The provider ``name`` configured from kurt.toml and its secret."""
    if name == "posthog":
        from kurt.integrations.analytics import posthog

        return posthog.from_config(ws, transport=transport, sleep=sleep)
    if name == "ga4":
        from kurt.integrations.analytics import ga4

        return ga4.from_config(ws, transport=transport, sleep=sleep)
    if name == "plausible":
        from kurt.integrations.analytics import plausible

        return plausible.from_config(ws, transport=transport, sleep=sleep)
    raise UsageError(f"Unknown analytics provider '{name}': use one of {', '.join(PROVIDERS)}")


def sync_analytics(ws, store, *, providers=(), period: str | None = None,
                   until: date | None = None, transport=None, sleep=time.sleep,
                   opener=open_provider) -> SyncReport:
    """Sync the given providers (default: every configured one); see the module docstring."""
    config = ws.config.analytics
    wanted = list(dict.fromkeys(providers)) or configured_providers(ws.config)
    if not wanted:
        raise ConfigError(
            "No analytics provider is configured: in kurt.toml set [analytics.plausible] site_id, "
            "[analytics.posthog] project_id or [analytics.ga4] property_id, and put its key in "
            ".env (see docs/analytics.md)")
    for name in wanted:
        if name not in PROVIDERS:
            raise UsageError(f"Unknown analytics provider '{name}': use one of {', '.join(PROVIDERS)}")
    span = parse_period(period or config.period, until)
    report = SyncReport()
    for name in wanted:
        try:
            provider = opener(ws, name, transport=transport, sleep=sleep)
        except KurtError as exc:  # not configured, no key: this provider only
            report.providers.append(_empty(name, span, str(exc)))
            continue
        try:
            report.providers.append(sync_provider(store, provider, span, config))
        except KurtError as exc:  # refused, rate-limited, unreachable: this provider only
            report.providers.append(_empty(name, span, str(exc)))
        finally:
            provider.close()
    return report


def sync_provider(store, provider, span: Period, config, *, synced_at: str | None = None) -> ProviderSync:
    """Read, match and store one provider's traffic for ``span`` and the period before."""
    previous = span.previous
    current_rows = merge(provider.page_traffic(span))
    previous_rows = merge(provider.page_traffic(previous))
    matches = match_documents(web_documents(store), set(current_rows) | set(previous_rows))
    synced_at = synced_at or utcnow()
    pages = [_page_row(key, row, span, matches.get(key)) for key, row in current_rows.items()]
    pages += [_page_row(key, row, previous, matches.get(key)) for key, row in previous_rows.items()]
    documents = document_traffic(provider.name, span, current_rows, previous_rows, matches,
                                 config, synced_at)
    result = _empty(provider.name, span, None)
    result.pages = sum(1 for row in current_rows.values() if row.pageviews > 0)
    result.pageviews = sum(row.pageviews for row in current_rows.values())
    result.matched_pages = sum(1 for key in current_rows if key in matches)
    result.documents = len(documents)
    result.trends = {name: sum(1 for d in documents if d.trend == name) for name in TRENDS}
    unmatched = sorted(((row.pageviews, key, row.url) for key, row in current_rows.items()
                        if key not in matches and row.pageviews > 0), key=lambda t: (-t[0], t[1]))
    result.unmatched = [{"page": url, "pageviews": views} for views, _, url in unmatched[:UNMATCHED_SHOWN]]
    result.unmatched_pages = len(unmatched)
    result.notes = list(getattr(provider, "notes", []))
    save_sync(store, SyncRecord(provider.name, span.start.isoformat(), span.end.isoformat(),
                                previous.start.isoformat(), previous.end.isoformat(),
                                result.pages, result.documents, synced_at), pages, documents)
    return result


def match_documents(documents: list[tuple[str, str, str]], keys: set[str]) -> dict[str, str]:
    """page_key -> document id, for the keys some web document has (module docstring)."""
    best: dict[str, tuple[int, int, str]] = {}
    for doc_id, url, status in documents:
        key = page_key(url)
        if key is None or key not in keys:
            continue
        rank = (0 if status == "FETCHED" else 1, len(url), doc_id)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {key: rank[2] for key, rank in best.items()}


def document_traffic(provider: str, span: Period, current: dict[str, PageTraffic],
                     previous: dict[str, PageTraffic], matches: dict[str, str], config,
                     synced_at: str) -> list[DocumentTraffic]:
    """One row per matched document: both periods summed over its pages, and the trend."""
    now: dict[str, list[PageTraffic]] = {}
    before: dict[str, int] = {}
    for key, row in current.items():
        if key in matches:
            now.setdefault(matches[key], []).append(row)
    for key, row in previous.items():
        if key in matches:
            before[matches[key]] = before.get(matches[key], 0) + row.pageviews
    rows = []
    for doc_id in sorted(set(now) | set(before)):
        pages = merge([PageTraffic(f"doc/{doc_id}", r.pageviews, r.visitors, r.entrances,
                                   r.bounce_rate, r.engagement_rate) for r in now.get(doc_id, [])])
        summed = next(iter(pages.values()), PageTraffic(f"doc/{doc_id}"))
        views, earlier = summed.pageviews, before.get(doc_id, 0)
        if views == 0 and earlier == 0:
            continue
        change, direction = trend(views, earlier, threshold=config.trend_threshold,
                                  min_change=config.min_change)
        rows.append(DocumentTraffic(
            document_id=doc_id, provider=provider, period_start=span.start.isoformat(),
            period_end=span.end.isoformat(), pageviews=views, previous_pageviews=earlier,
            change=round(change, 4) if change is not None else None, trend=direction,
            entrances=summed.entrances,
            bounce_rate=round(summed.bounce_rate, 4) if summed.bounce_rate is not None else None,
            engagement_rate=round(summed.engagement_rate, 4) if summed.engagement_rate is not None else None,
            synced_at=synced_at))
    return rows


def _page_row(key: str, row: PageTraffic, span: Period, document_id: str | None) -> PageRow:
    return PageRow(key, row.url, span.start.isoformat(), span.end.isoformat(), document_id,
                   row.pageviews, row.visitors, row.entrances, row.bounce_rate, row.engagement_rate)


def _empty(name: str, span: Period, error: str | None) -> ProviderSync:
    previous = span.previous
    return ProviderSync(name, span.start.isoformat(), span.end.isoformat(),
                        previous.start.isoformat(), previous.end.isoformat(), error=error)
