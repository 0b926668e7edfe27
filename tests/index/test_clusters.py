"""Topic clusters on the railway corpus: deterministic, named, filterable."""

from __future__ import annotations

from kurt.index.clusters import cluster_documents, default_k, list_clusters
from kurt.store.filters import DocumentFilter, count_documents


def test_default_k_grows_with_the_corpus():
    assert default_k(1) == 1
    assert default_k(383) == 14
    assert default_k(100_000) == 30


def test_clusters_cover_documents_and_are_named(railway_workspace):
    store = railway_workspace.open_store()
    report = cluster_documents(store, k=10)
    assert len(report.clusters) == 10
    assert sum(c.documents for c in report.clusters) == report.documents
    assert report.documents >= 370
    assert len({c.name for c in report.clusters}) == 10
    assert all(c.name and c.top_terms for c in report.clusters)


def test_clustering_is_deterministic(railway_workspace):
    store = railway_workspace.open_store()
    first = [(c.name, c.documents) for c in cluster_documents(store, k=8).clusters]
    second = [(c.name, c.documents) for c in cluster_documents(store, k=8).clusters]
    assert first == second


def test_in_cluster_filter_and_listing_agree(railway_workspace):
    store = railway_workspace.open_store()
    cluster_documents(store, k=8)
    listed = list_clusters(store)
    top = listed[0]
    assert count_documents(store, DocumentFilter(clusters=[top.name])) == top.documents


def test_database_documents_cluster_together(railway_workspace):
    store = railway_workspace.open_store()
    cluster_documents(store, k=12)
    rows = store.query(
        "SELECT c.name, COUNT(*) FROM documents d JOIN document_clusters dc ON dc.document_id = d.id"
        " JOIN clusters c ON c.id = dc.cluster_id WHERE d.url LIKE '%/docs/databases/%'"
        " GROUP BY c.name ORDER BY 2 DESC")
    total = sum(r[1] for r in rows)
    assert rows[0][1] / total >= 0.4  # most database pages share one cluster
