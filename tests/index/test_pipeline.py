"""The index pipeline on real stored files and a real SQLite database."""

from __future__ import annotations

import hashlib

import pytest

from kurt.index.pipeline import index_documents
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import DocumentFilter, select_documents


def put(ws, store, url, body, title="Page"):
    """Store ``body`` as a FETCHED document, as fetch would."""
    add_discovered(store, [Discovered(url=url, domain="x.com")])
    path = f"sources/x.com/{url.rsplit('/', 1)[-1]}.md"
    (ws.root / path).parent.mkdir(parents=True, exist_ok=True)
    (ws.root / path).write_text(f"---\nurl: {url}\ntitle: {title}\n---\n\n{body}", encoding="utf-8")
    update_document(store, document_id(url), status="FETCHED", title=title, content_path=path,
                    content_hash=hashlib.sha256(body.encode()).hexdigest())
    return document_id(url)


def entities_of(store, doc_id):
    rows = store.query("SELECT e.type, e.name, de.mentions FROM document_entities de"
                       " JOIN entities e ON e.id = de.entity_id WHERE de.document_id = ?", (doc_id,))
    return {(r[0], r[1]): r[2] for r in rows}


def test_indexes_sections_entities_type_and_flags(workspace, store):
    doc = put(workspace, store, "https://x.com/guides/redis",
              "# Use Redis\n\n## Prerequisites\n\nA Redis server.\n\n1. a\n2. b\n3. c\n\n```bash\nredis-cli\n```\n",
              title="Use Redis")
    report = index_documents(workspace, store)
    assert (report.selected, report.indexed, report.failed) == (1, 1, 0)
    d = select_documents(store, DocumentFilter(ids=[doc]))[0]
    assert d.indexed_hash == d.content_hash
    assert (d.has_code, d.has_steps, d.has_prerequisites) == (1, 1, 1)
    assert d.content_type == "tutorial"
    assert entities_of(store, doc)[("Technology", "Redis")] == 2  # heading + body; redis-cli is another word
    sections = store.query("SELECT COUNT(*) FROM sections WHERE document_id = ?", (doc,))[0][0]
    assert sections >= 2
    passages = store.query("SELECT COUNT(*) FROM entity_sections es JOIN sections s ON s.id = es.section_id"
                           " WHERE s.document_id = ?", (doc,))[0][0]
    assert passages >= 2


def test_second_run_skips_fresh_documents(workspace, store):
    put(workspace, store, "https://x.com/a", "Redis.\n")
    index_documents(workspace, store)
    report = index_documents(workspace, store)
    assert (report.indexed, report.fresh) == (0, 1)
    assert index_documents(workspace, store, force=True).indexed == 1


def test_a_changed_vocabulary_reindexes_every_document(workspace, store):
    doc = put(workspace, store, "https://x.com/a", "Zebracorn keeps Redis warm.\n")
    put(workspace, store, "https://x.com/b", "Nothing here.\n")
    index_documents(workspace, store)
    (workspace.root / "kurt" / "vocabulary.toml").write_text(
        '[[entity]]\ntype = "Product"\nname = "Zebracorn"\n', encoding="utf-8")
    report = index_documents(workspace, store)
    assert report.vocabulary_changed and (report.indexed, report.fresh) == (2, 0)
    assert ("Product", "Zebracorn") in entities_of(store, doc)
    again = index_documents(workspace, store)
    assert not again.vocabulary_changed and (again.indexed, again.fresh) == (0, 2)


def test_a_partial_run_with_a_new_vocabulary_leaves_the_full_reindex_to_come(workspace, store):
    put(workspace, store, "https://x.com/a", "Redis.\n")
    put(workspace, store, "https://x.com/b", "Redis too.\n")
    index_documents(workspace, store)
    (workspace.root / "kurt" / "vocabulary.toml").write_text(
        '[[entity]]\ntype = "Product"\nname = "Zebracorn"\n', encoding="utf-8")
    part = index_documents(workspace, store, DocumentFilter(url_contains=["/a"]))
    assert part.vocabulary_changed and part.indexed == 1
    assert index_documents(workspace, store).indexed == 2


def test_reindex_removes_entities_no_document_mentions(workspace, store):
    doc = put(workspace, store, "https://x.com/a", "We use MongoDB.\n")
    index_documents(workspace, store)
    put(workspace, store, "https://x.com/a", "We use MySQL now.\n")
    index_documents(workspace, store)
    assert set(entities_of(store, doc)) == {("Technology", "MySQL")}
    assert store.query_one("SELECT COUNT(*) FROM entities WHERE name = 'MongoDB'")[0] == 0


def test_missing_file_is_an_error_not_a_crash(workspace, store):
    put(workspace, store, "https://x.com/a", "Redis.\n")
    gone = put(workspace, store, "https://x.com/b", "Redis.\n")
    (workspace.root / "sources/x.com/b.md").unlink()
    report = index_documents(workspace, store)
    assert (report.indexed, report.failed) == (1, 1)
    assert list(report.errors.values()) == [[gone]]


def test_works_over_the_whole_document(workspace, store):
    filler = "Plain words about nothing in particular. " * 2000
    doc = put(workspace, store, "https://x.com/long", f"{filler}\n\n## End\n\nFinally Elixir.\n")
    index_documents(workspace, store)
    assert ("Technology", "Elixir") in entities_of(store, doc)


def test_filter_selects_what_is_indexed(workspace, store):
    a = put(workspace, store, "https://x.com/a", "Redis.\n")
    put(workspace, store, "https://x.com/b", "Redis.\n")
    report = index_documents(workspace, store, DocumentFilter(ids=[a]))
    assert (report.selected, report.indexed) == (1, 1)


def test_pool_and_inline_give_the_same_index(workspace, store):
    for i in range(30):
        put(workspace, store, f"https://x.com/p{i}", f"# P{i}\n\nDjango and Postgres {i}.\n")
    index_documents(workspace, store, workers=2)
    pooled = store.query("SELECT document_id, entity_id, mentions FROM document_entities ORDER BY 1, 2")
    report = index_documents(workspace, store, force=True, workers=1)
    inline = store.query("SELECT document_id, entity_id, mentions FROM document_entities ORDER BY 1, 2")
    assert report.indexed == 30
    assert [tuple(r) for r in pooled] == [tuple(r) for r in inline]


def test_railway_corpus_is_fully_indexed(railway_workspace):
    store = railway_workspace.open_store()
    left = store.query_one("SELECT COUNT(*) FROM documents WHERE status = 'FETCHED'"
                           " AND (indexed_hash IS NULL OR indexed_hash <> content_hash)")[0]
    assert left == 0


@pytest.fixture(autouse=True)
def _small_pool(monkeypatch):
    # Exercise the process pool on small inputs too.
    monkeypatch.setattr("kurt.index.pipeline.POOL_MIN_DOCS", 10)
    monkeypatch.setattr("kurt.index.pipeline.CHUNK", 4)
