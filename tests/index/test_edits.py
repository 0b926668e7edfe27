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


def backdate(path, seconds=10):
    """Give ``path`` the modified time it would have had ``seconds`` ago (older than RACY_SECONDS)."""
    past = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))


def signature(store, doc_id):
    return store.query_one("SELECT file_signature FROM documents WHERE id = ?", (doc_id,))[0]


def test_an_untouched_file_is_not_edited(indexed):
    workspace, store, path, _ = indexed
    os.utime(path)  # touched, the same markdown
    assert edited_documents(workspace.root, store, DocumentFilter()) == []
    assert copy_state(path, store.query_one("SELECT content_hash FROM documents")[0]).intact


def test_an_edit_right_after_indexing_is_reindexed_and_reported(indexed):
    workspace, store, path, doc_id = indexed
    path.write_text(path.read_text().replace("widget", "sprocket"))  # same second, same size
    assert edited_documents(workspace.root, store, DocumentFilter()) == [doc_id]
    report = index_documents(workspace, store)
    assert report.edited == [doc_id] and report.indexed == 1
    assert any("edited by hand" in w for w in report.warnings)
    assert search(store, "sprocket") and not search(store, "widget")
    assert index_documents(workspace, store).edited == []  # indexed as it now is


def test_an_edit_undone_by_hand_is_reindexed(indexed):
    workspace, store, path, doc_id = indexed
    original = path.read_text()
    path.write_text(original.replace("widget", "sprocket"))
    index_documents(workspace, store)
    path.write_text(original)
    assert index_documents(workspace, store).edited == [doc_id]
    assert search(store, "widget") and not search(store, "sprocket")


def test_a_hashed_intact_file_gets_its_signature_recorded(indexed):
    workspace, store, path, doc_id = indexed
    backdate(path)
    assert edited_documents(workspace.root, store, DocumentFilter()) == []
    st = path.stat()
    assert signature(store, doc_id) == f"{st.st_size}:{st.st_mtime_ns}"


def test_a_file_not_safely_in_the_past_gets_no_signature(indexed):
    workspace, store, path, doc_id = indexed
    backdate(path, -3600)  # a modified time ahead of the clock: a later edit could keep it
    assert edited_documents(workspace.root, store, DocumentFilter()) == []
    st = path.stat()
    assert signature(store, doc_id) != f"{st.st_size}:{st.st_mtime_ns}"


def test_a_recorded_signature_spares_the_read(indexed):
    workspace, store, path, doc_id = indexed
    backdate(path)
    edited_documents(workspace.root, store, DocumentFilter())
    st = path.stat()
    # Same size, the same nanosecond modified time given back on purpose: trusted unread
    path.write_text(path.read_text().replace("widget", "gadget"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert edited_documents(workspace.root, store, DocumentFilter()) == []
    update_document(store, doc_id, file_signature=None)  # without it, the file is read
    assert edited_documents(workspace.root, store, DocumentFilter()) == [doc_id]


def test_a_copied_workspace_keeps_its_signatures(indexed, tmp_path):
    import shutil

    workspace, store, path, doc_id = indexed
    backdate(path)
    edited_documents(workspace.root, store, DocumentFilter())
    recorded = signature(store, doc_id)
    copy = tmp_path / "copy"
    shutil.copytree(workspace.root, copy)
    moved = copy / path.relative_to(workspace.root)
    assert moved.stat().st_ino != path.stat().st_ino
    check = copy_state(moved, store.query_one("SELECT content_hash FROM documents")[0], recorded)
    assert check.intact and not check.read  # a new inode, the same size and time: trusted unread
