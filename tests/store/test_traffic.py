"""kurt.store.traffic: page traffic rows, the best row per document, and deletion."""

from __future__ import annotations

from kurt.store.delete import delete_documents
from kurt.store.documents import Discovered, add_discovered, document_id
from kurt.store.filters import DocumentFilter
from kurt.store.traffic import (
    DocumentTraffic,
    PageRow,
    SyncRecord,
    best_traffic,
    last_syncs,
    save_sync,
    traffic_listing,
    unmatched_pages,
)

URL = "https://docs.example.com/a"


def record(provider: str, synced_at: str = "2025-07-01T00:00:00Z") -> SyncRecord:
    return SyncRecord(provider, "2025-06-01", "2025-06-30", "2025-05-02", "2025-05-31", 2, 1, synced_at)


def doc_row(doc: str, provider: str, views: int, trend: str = "stable") -> DocumentTraffic:
    return DocumentTraffic(doc, provider, "2025-06-01", "2025-06-30", views, views, 0.0, trend)


def test_the_provider_with_the_most_views_gives_a_document_its_traffic(store):
    add_discovered(store, [Discovered(url=URL, domain="docs.example.com")])
    doc = document_id(URL)
    save_sync(store, record("plausible"), [], [doc_row(doc, "plausible", 90)])
    save_sync(store, record("ga4"), [], [doc_row(doc, "ga4", 120, "rising")])
    assert best_traffic(store)[doc].provider == "ga4"
    assert best_traffic(store, [doc, "nope"])[doc].pageviews == 120
    assert [r["provider"] for r in traffic_listing(store, trends=["rising"])] == ["ga4"]
    assert traffic_listing(store, trends=["declining"]) == []
    assert [s.provider for s in last_syncs(store)] == ["ga4", "plausible"]


def test_deleting_a_document_drops_its_traffic_and_unmatches_its_pages(store, workspace):
    add_discovered(store, [Discovered(url=URL, domain="docs.example.com")])
    doc = document_id(URL)
    pages = [PageRow("docs.example.com/a", URL, "2025-06-01", "2025-06-30", doc, 50),
             PageRow("docs.example.com/b", "docs.example.com/b", "2025-06-01", "2025-06-30", None, 70)]
    save_sync(store, record("plausible"), pages, [doc_row(doc, "plausible", 50)])
    assert unmatched_pages(store, "plausible", "2025-06-01", "2025-06-30") == [("docs.example.com/b", 70)]
    delete_documents(store, workspace.root, DocumentFilter(ids=[doc]))
    assert best_traffic(store) == {}
    assert unmatched_pages(store, "plausible", "2025-06-01", "2025-06-30") == [
        ("docs.example.com/b", 70), (URL, 50)]
