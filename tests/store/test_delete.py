"""Deleting documents leaves no orphans: rows, search index, links, entities, clusters, files."""

from __future__ import annotations

import pytest
from index import build_sections

from kurt.store.delete import delete_documents, documents_to_delete
from kurt.store.filters import DocumentFilter

INTEGRATIONS = "https://docs.railway.com/docs/integrations"

ORPHAN_CHECKS = {
    "sections": "SELECT COUNT(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)",
    "document_entities": "SELECT COUNT(*) FROM document_entities WHERE document_id NOT IN (SELECT id FROM documents)",
    "entity_sections": "SELECT COUNT(*) FROM entity_sections WHERE section_id NOT IN (SELECT id FROM sections)",
    "links": "SELECT COUNT(*) FROM links WHERE document_id NOT IN (SELECT id FROM documents)",
    "link targets": "SELECT COUNT(*) FROM links WHERE target_id IS NOT NULL AND target_id NOT IN (SELECT id FROM documents)",
    "document_clusters": "SELECT COUNT(*) FROM document_clusters WHERE document_id NOT IN (SELECT id FROM documents)",
    "entities": "SELECT COUNT(*) FROM entities WHERE id NOT IN (SELECT entity_id FROM document_entities)",
    "clusters": "SELECT COUNT(*) FROM clusters WHERE id NOT IN (SELECT cluster_id FROM document_clusters)",
}


@pytest.fixture
def ws(railway_workspace):
    build_sections(railway_workspace)
    store = railway_workspace.open_store()
    with store.transaction() as conn:  # a cluster of integration pages and one of everything else
        conn.execute("INSERT INTO clusters (id, name, created_at) VALUES (1, 'integrations', 'now'),"
                     " (2, 'rest', 'now')")
        conn.execute("INSERT INTO document_clusters (document_id, cluster_id)"
                     " SELECT id, CASE WHEN url LIKE ? THEN 1 ELSE 2 END FROM documents",
                     (INTEGRATIONS + "%",))
    store.close()
    return railway_workspace


@pytest.fixture
def store(ws):
    store = ws.open_store()
    yield store
    store.close()


def orphans(store) -> dict[str, int]:
    return {name: store.query_one(sql)[0] for name, sql in ORPHAN_CHECKS.items()}


def test_deleting_by_filter_leaves_no_orphans_anywhere(ws, store):
    assert orphans(store) == dict.fromkeys(ORPHAN_CHECKS, 0)
    flt = DocumentFilter(url_prefix=INTEGRATIONS)
    paths = [r[0] for r in store.query("SELECT content_path FROM documents WHERE url LIKE ?",
                                       (INTEGRATIONS + "%",))]
    result = delete_documents(store, ws.root, flt)
    assert result.deleted == len(paths) == 21
    assert result.files_removed == 21
    assert store.query_one("SELECT COUNT(*) FROM documents WHERE url LIKE ?", (INTEGRATIONS + "%",))[0] == 0
    assert orphans(store) == dict.fromkeys(ORPHAN_CHECKS, 0)
    assert result.clusters_removed == 1
    assert not any((ws.root / p).exists() for p in paths)
    assert not (ws.root / "sources/docs.railway.com/docs/integrations").exists()  # emptied folder pruned
    assert (ws.root / "sources/docs.railway.com/docs").is_dir()


def test_deleted_sections_leave_the_full_text_index(ws, store):
    match = "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?"
    before = {r[0] for r in store.query(match, ("stripe",))}
    assert before
    delete_documents(store, ws.root, DocumentFilter(url_prefix=INTEGRATIONS))
    after = {r[0] for r in store.query(match, ("stripe",))}
    existing = {r[0] for r in store.query("SELECT id FROM sections")}
    assert after <= existing
    store.conn.execute("INSERT INTO sections_fts (sections_fts) VALUES ('integrity-check')")


def test_links_from_remaining_documents_lose_their_resolved_target(ws, store):
    target = store.query_one(
        "SELECT l.target_id, COUNT(*) FROM links l JOIN documents s ON s.id = l.document_id"
        " WHERE l.target_id IS NOT NULL GROUP BY l.target_id ORDER BY 2 DESC LIMIT 1")
    result = delete_documents(store, ws.root, DocumentFilter(ids=[target[0]]))
    assert result.links_unresolved == target[1]
    assert store.query_one("SELECT COUNT(*) FROM links WHERE target_id = ?", (target[0],))[0] == 0


def test_entities_still_mentioned_elsewhere_stay(ws, store):
    shared = store.query_one(
        "SELECT entity_id FROM document_entities GROUP BY entity_id HAVING COUNT(*) > 1 LIMIT 1")
    if shared is None:
        pytest.skip("the index has no entities yet")
    doc = store.query_one("SELECT document_id FROM document_entities WHERE entity_id = ?", shared)[0]
    delete_documents(store, ws.root, DocumentFilter(ids=[doc]))
    assert store.query_one("SELECT 1 FROM entities WHERE id = ?", shared) is not None


def test_keep_files_keeps_the_content_files(ws, store):
    path = store.query_one("SELECT content_path FROM documents WHERE url = ?",
                           (INTEGRATIONS + "/stripe",))[0]
    result = delete_documents(store, ws.root, DocumentFilter(url_contains=["/stripe"]), keep_files=True)
    assert result.deleted == 1 and result.files_removed == 0
    assert (ws.root / path).exists()


def test_a_missing_file_is_counted_not_fatal(ws, store):
    path = store.query_one("SELECT content_path FROM documents WHERE url = ?",
                           (INTEGRATIONS + "/stripe",))[0]
    (ws.root / path).unlink()
    result = delete_documents(store, ws.root, DocumentFilter(url_contains=["/integrations/stripe"]))
    assert (result.deleted, result.files_missing, result.errors) == (1, 1, [])


def test_a_content_path_outside_sources_is_never_removed(ws, store):
    outside = ws.root / "kurt.toml"
    store.conn.execute("UPDATE documents SET content_path = 'kurt.toml' WHERE url = ?",
                       (INTEGRATIONS + "/stripe",))
    result = delete_documents(store, ws.root, DocumentFilter(url_contains=["/integrations/stripe"]))
    assert result.deleted == 1 and outside.exists() and result.errors


def test_documents_to_delete_counts_and_samples(store):
    total, sample = documents_to_delete(store, DocumentFilter(url_prefix=INTEGRATIONS), sample=3)
    assert total == 21 and len(sample) == 3
    assert all(d.url.startswith(INTEGRATIONS) for d in sample)
