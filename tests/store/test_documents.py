
import pytest

from kurt.errors import NotFound, UsageError
from kurt.store.documents import (
    Discovered,
    add_discovered,
    document_id,
    get_document,
    mark_delisted,
    update_document,
    web_origins,
)


def test_document_id_is_short_and_stable():
    assert document_id("https://a.com/x") == document_id("https://a.com/x")
    assert len(document_id("https://a.com/x")) == 12
    assert document_id("https://a.com/x") != document_id("https://a.com/y")


def test_add_discovered_adds_only_new_urls(store):
    first = add_discovered(store, [Discovered("https://a.com/1", "a.com"),
                                   Discovered("https://a.com/2", "a.com")])
    second = add_discovered(store, [Discovered("https://a.com/2", "a.com"),
                                    Discovered("https://a.com/3", "a.com")])
    assert (first.added, first.known) == (2, 0)
    assert (second.added, second.known) == (1, 1)


def test_discovery_keeps_fetch_state(store):
    add_discovered(store, [Discovered("https://a.com/1", "a.com")])
    update_document(store, document_id("https://a.com/1"), status="FETCHED", title="One")
    add_discovered(store, [Discovered("https://a.com/1", "a.com", sitemap_lastmod="2026-01-01")])
    doc = get_document(store, "https://a.com/1")
    assert doc.status == "FETCHED" and doc.title == "One" and doc.sitemap_lastmod == "2026-01-01"


def test_delisted_then_relisted(store):
    add_discovered(store, [Discovered("https://a.com/1", "a.com")])
    assert mark_delisted(store, ["https://a.com/1"]) == 1
    assert get_document(store, "https://a.com/1").delisted_at is not None
    counts = add_discovered(store, [Discovered("https://a.com/1", "a.com")])
    assert counts.relisted == 1
    assert get_document(store, "https://a.com/1").delisted_at is None


def test_get_by_id_prefix_url_and_path(store, workspace):
    add_discovered(store, [Discovered("https://a.com/guide", "a.com")])
    doc_id = document_id("https://a.com/guide")
    update_document(store, doc_id, content_path="sources/a.com/guide.md")
    assert get_document(store, doc_id).url == "https://a.com/guide"
    assert get_document(store, doc_id[:6]).id == doc_id
    assert get_document(store, "https://a.com/guide").id == doc_id
    assert get_document(store, "sources/a.com/guide.md").id == doc_id


def test_a_lookup_by_path_reads_indexes_not_the_whole_table(store):
    # get_document by a stored file or a source file: every source a draft cites, each
    # check; a scan of every document per lookup grows with the workspace
    if store.dialect != "sqlite":  # PostgreSQL plans by table size: the index must exist
        assert store.query("SELECT indexname FROM pg_indexes"
                           " WHERE indexname = 'documents_source_path'")
        return
    plan = store.query("EXPLAIN QUERY PLAN SELECT * FROM documents"
                       " WHERE content_path = ? OR source_path = ?", ("a", "b"))
    steps = " / ".join(row["detail"] for row in plan)
    assert "SCAN documents" not in steps and "documents_source_path" in steps, steps


@pytest.mark.parametrize("ident, error", [("nope", NotFound), ("", UsageError)])
def test_get_unknown_is_a_clear_error(store, ident, error):
    with pytest.raises(error):
        get_document(store, ident)


def test_update_rejects_unknown_columns(store):
    with pytest.raises(ValueError):
        update_document(store, "x", not_a_column=1)


def test_web_origins_are_the_sites_of_web_documents(store):
    add_discovered(store, [
        Discovered("https://a.com/1", "a.com"), Discovered("https://a.com/x/2", "a.com"),
        Discovered("http://127.0.0.1:8000/docs/a", "127.0.0.1"),
        Discovered("http://b.org/", "b.org"),
        Discovered("file:///tmp/notes/a.md", "local", source_kind="file"),
    ])
    assert sorted(web_origins(store)) == ["http://127.0.0.1:8000", "http://b.org", "https://a.com"]
