"""refresh-candidates: pages with traffic that are declining, old, or whose sources changed."""

from __future__ import annotations

from datetime import date

import pytest

from kurt.config import AnalyticsConfig
from kurt.integrations.analytics.candidates import refresh_candidates, source_changed
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.traffic import DocumentTraffic, SyncRecord, save_sync

TODAY = date(2025, 7, 1)


def url(name: str) -> str:
    return f"https://docs.example.com/{name}"


def add(store, name: str, **values) -> str:
    add_discovered(store, [Discovered(url=url(name), domain="docs.example.com")])
    doc = document_id(url(name))
    values.setdefault("discovered_at", "2025-01-01T00:00:00Z")
    update_document(store, doc, status="FETCHED", title=name.title(), **values)
    return doc


def traffic(store, rows: dict[str, tuple[int, int, str]]) -> None:
    documents = [DocumentTraffic(doc, "plausible", "2025-06-01", "2025-06-30", views, before,
                                 (views - before) / before if before else None, trend,
                                 synced_at="2025-07-01T00:00:00Z")
                 for doc, (views, before, trend) in rows.items()]
    save_sync(store, SyncRecord("plausible", "2025-06-01", "2025-06-30", "2025-05-02", "2025-05-31",
                                len(rows), len(rows), "2025-07-01T00:00:00Z"), [], documents)


def link(store, page: str, target: str) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO links (document_id, target_url, target_id) VALUES (?, ?, ?)",
                     (page, f"https://x/{target}", target))


@pytest.fixture
def pages(store):
    docs = {
        "declining": add(store, "declining", changed_at="2025-06-20T00:00:00Z"),
        "old": add(store, "old", sitemap_lastmod="2023-05-01", changed_at="2025-06-01T00:00:00Z"),
        "fresh": add(store, "fresh", sitemap_lastmod="2025-06-15", changed_at="2025-06-15T00:00:00Z"),
        "cites": add(store, "cites", published_date="2025-03-01", changed_at="2025-03-02T00:00:00Z"),
        "no-traffic": add(store, "no-traffic", sitemap_lastmod="2020-01-01"),
        # sources the "cites" page links to:
        "source-edited": add(store, "source-edited", changed_at="2025-06-10T00:00:00Z",
                             fetch_outcome="unchanged"),  # seen changed months after discovery
        "source-new": add(store, "source-new", discovered_at="2025-06-10T00:00:00Z",
                          changed_at="2025-06-10T00:05:00Z", fetch_outcome="new"),  # first fetch only
        "source-lastmod": add(store, "source-lastmod", sitemap_lastmod="2025-05-01",
                              changed_at="2025-01-01T00:10:00Z"),
    }
    traffic(store, {docs["declining"]: (400, 1000, "declining"), docs["old"]: (50, 55, "stable"),
                    docs["fresh"]: (900, 880, "stable"), docs["cites"]: (120, 100, "stable"),
                    docs["no-traffic"]: (0, 0, "stable")})
    for target in ("source-edited", "source-new", "source-lastmod", "fresh"):
        link(store, docs["cites"], docs[target])
    return docs


def test_candidates_are_ranked_with_their_reasons(store, pages):
    found = refresh_candidates(store, AnalyticsConfig(), today=TODAY)
    assert [c.document_id for c in found] == [pages["declining"], pages["cites"], pages["old"]]
    declining, cites, old = found
    assert declining.why == "declining: 1000 -> 400 page views (-60%)"
    assert old.why == "old: last updated 2023-05-01 (792 days ago)"
    assert old.updated == "2023-05-01"
    assert cites.why == ("3 sources changed since 2025-03-02: Fresh, Source-Edited, Source-Lastmod")
    assert [s["changed"] for s in cites.changed_sources] == ["2025-06-15", "2025-06-10", "2025-05-01"]
    assert declining.score == pytest.approx(round(2.6031 * 1.6, 2), abs=0.01)


def test_a_page_without_traffic_or_reason_is_not_a_candidate(store, pages):
    found = {c.document_id for c in refresh_candidates(store, AnalyticsConfig(), today=TODAY)}
    assert pages["fresh"] not in found and pages["no-traffic"] not in found


def test_filters_by_reason_minimum_views_staleness_and_limit(store, pages):
    config = AnalyticsConfig()
    assert [c.document_id for c in refresh_candidates(store, config, today=TODAY, reasons=["old"])] == [pages["old"]]
    assert pages["old"] not in {c.document_id for c in refresh_candidates(store, config, today=TODAY, min_pageviews=100)}
    stale = refresh_candidates(store, config, today=TODAY, stale_after_days=100, reasons=["old"])
    assert pages["cites"] in {c.document_id for c in stale}  # published 2025-03-01: 122 days
    assert len(refresh_candidates(store, config, today=TODAY, limit=1)) == 1


def test_no_traffic_synced_means_no_candidates(store):
    add(store, "page", sitemap_lastmod="2019-01-01")
    assert refresh_candidates(store, AnalyticsConfig(), today=TODAY) == []


@pytest.mark.parametrize("row, changed", [
    ({"changed_at": "2025-06-10T00:00:00Z", "discovered_at": "2025-01-01T00:00:00Z",
      "fetch_outcome": "unchanged", "sitemap_lastmod": None, "published_date": None}, date(2025, 6, 10)),
    ({"changed_at": "2025-06-10T00:05:00Z", "discovered_at": "2025-06-10T00:00:00Z",
      "fetch_outcome": "new", "sitemap_lastmod": None, "published_date": None}, None),
    ({"changed_at": "2025-06-10T00:05:00Z", "discovered_at": "2025-06-10T00:00:00Z",
      "fetch_outcome": "changed", "sitemap_lastmod": None, "published_date": None}, date(2025, 6, 10)),
    ({"changed_at": None, "discovered_at": "2025-06-10", "fetch_outcome": None,
      "sitemap_lastmod": "2025-02-03T10:00:00+01:00", "published_date": "2024-01-01"}, date(2025, 2, 3)),
])
def test_when_a_source_changed(row, changed):
    assert source_changed(row) == changed
