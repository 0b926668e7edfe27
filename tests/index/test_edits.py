import os
import time

import pytest

from kurt.index.edits import edited_documents
from kurt.index.pipeline import index_documents
from kurt.ingest.files import copy_state, render_source, stored_markdown
from kurt.search import search
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import DocumentFilter


@pytest.mark.parametrize("markdown", ["# A\n\ntext\n", "no heading", "", "---\nnot: front\n"])
def test_stored_markdown_inverts_render_source(markdown):
    assert stored_markdown(render_source(markdown, {"url": "https://x/a", "title": "A"})) == markdown


@pytest.fixture
def indexed(workspace, store):
    import hashlib

    url = "https://x.com/guide"
    markdown = "# Guide\n\nConnect the widget to the gateway.\n"
    add_discovered(store, [Discovered(url, "x.com")])
    path = "sources/x.com/guide.md"
    (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
    (workspace.root / path).write_text(render_source(markdown, {"url": url}))
    update_document(store, document_id(url), status="FETCHED", content_path=path,
                    content_hash=hashlib.sha256(markdown.encode()).hexdigest())
    index_documents(workspace, store)
    return workspace, store, workspace.root / path, document_id(url)


def age(path, seconds=10):
    later = time.time() + seconds
    os.utime(path, (later, later))


def test_an_untouched_file_is_not_edited(indexed):
    workspace, store, path, _ = indexed
    age(path)  # touched but the same markdown
    assert edited_documents(workspace.root, store, DocumentFilter()) == []
    assert copy_state(path, store.query_one("SELECT content_hash FROM documents")[0]) == "intact"


def test_an_edited_file_is_reindexed_and_reported(indexed):
    workspace, store, path, doc_id = indexed
    path.write_text(path.read_text().replace("widget", "sprocket"))
    age(path)
    assert edited_documents(workspace.root, store, DocumentFilter()) == [doc_id]
    report = index_documents(workspace, store)
    assert report.edited == [doc_id] and report.indexed == 1
    assert any("edited by hand" in w for w in report.warnings)
    assert search(store, "sprocket") and not search(store, "widget")
    age(path, -1)  # the edit now predates the new index
    assert index_documents(workspace, store).edited == []
