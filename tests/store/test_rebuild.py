from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from kurt.errors import StoreError
from kurt.ingest.files import write_source
from kurt.store.db import Store
from kurt.store.documents import document_id, get_document
from kurt.store.rebuild import (
    Refused,
    _source_root,
    missing_database,
    new_database,
    read_source,
    rebuild,
)

FETCHED_AT = "2024-05-01T10:00:00Z"

# About the SQLite file in .kurt/ (deleted, replaced): a PostgreSQL store has none.
SQLITE_FILE = pytest.mark.parametrize("store_kind", ["sqlite"])


def kurt_file(ws, path: str, url: str, markdown: str, title: str | None = "A page") -> str:
    digest = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    write_source(ws, path, markdown, {"url": url, "title": title, "fetched_at": FETCHED_AT,
                                      "content_hash": digest})
    return digest


def test_rebuild_restores_a_web_page_from_its_frontmatter(workspace, store):
    digest = kurt_file(workspace, "sources/docs.example.com/guides/setup.md",
                       "https://www.docs.example.com/guides/setup", "# Setup\n\nInstall it.\n", "Setup")
    report = rebuild(workspace, store)
    assert (report.restored, report.already, report.refused) == (1, 0, {})
    doc = get_document(store, document_id("https://www.docs.example.com/guides/setup"))
    assert (doc.status, doc.source_kind, doc.domain) == ("FETCHED", "web", "docs.example.com")
    assert (doc.title, doc.content_hash, doc.fetched_at) == ("Setup", digest, FETCHED_AT)
    assert doc.content_path == "sources/docs.example.com/guides/setup.md"
    assert doc.indexed_hash == digest and report.indexed == 1  # and indexed


def test_rebuild_restores_a_local_file_with_its_source_path_and_root(workspace, store, tmp_path):
    original = tmp_path / "my docs" / "guides" / "setup.md"
    kurt_file(workspace, "sources/local/my docs/guides/setup.md", f"file://{original}", "# Setup\n")
    rebuild(workspace, store, index=False)
    doc = get_document(store, f"file://{original}")
    assert (doc.source_kind, doc.domain) == ("file", "local")
    assert (doc.source_path, doc.source_root) == (str(original), str(tmp_path / "my docs"))


@pytest.mark.parametrize(("source", "content", "root"), [
    ("/a/docs/x.md", "sources/local/docs/x.md", "/a/docs"),
    ("/a/docs/g/h/x.mdx", "sources/local/docs/g/h/x.md", "/a/docs"),
    ("/a/only.md", "sources/local/a/only.md", "/a"),
    ("/a/renamed/x.md", "sources/local/docs/x.md", "/a/renamed"),  # no match: the file's folder
])
def test_source_root_from_the_content_path(source, content, root):
    assert _source_root(source, content) == root


@pytest.mark.parametrize(("text", "reason"), [
    ("# Just notes\n", "no frontmatter"),
    ("---\ntitle: [unclosed\n---\n\nbody\n", "not valid YAML"),
    ("---\ntitle: Mine\n---\n\nbody\n", "not Kurt's"),
    ("---\nurl: https://x.com/a\ntitle: t\n---\n\nbody\n", "not Kurt's"),
    ("---\nurl: javascript:alert(1)\ncontent_hash: " + "a" * 64 + "\n---\n\nb\n", "url is not an http"),
    ("---\nurl: https://x.com/a\ncontent_hash: abc\n---\n\nbody\n", "not a SHA-256"),
])
def test_files_whose_frontmatter_is_not_kurts_are_refused(workspace, text, reason):
    path = workspace.sources_dir / "x.com" / "a.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    with pytest.raises(Refused, match=reason):
        read_source(workspace, path)


def test_non_markdown_files_and_links_are_refused(workspace, tmp_path):
    other = workspace.sources_dir / "x.com" / "image.png"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"\x89PNG")
    with pytest.raises(Refused, match="not a .md file"):
        read_source(workspace, other)
    link = workspace.sources_dir / "x.com" / "link.md"
    link.symlink_to(tmp_path)
    with pytest.raises(Refused, match="a link"):
        read_source(workspace, link)


def test_refused_files_are_counted_with_their_reason_and_left_alone(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    mine = workspace.sources_dir / "x.com" / "mine.md"
    mine.write_text("# My own notes\n")
    report = rebuild(workspace, store, index=False)
    assert report.restored == 1
    assert report.refused == {"no frontmatter: not written by Kurt": ["sources/x.com/mine.md"]}
    assert mine.read_text() == "# My own notes\n"


def test_a_file_edited_by_hand_is_restored_and_counted(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n\nOriginal.\n")
    path = workspace.sources_dir / "x.com" / "a.md"
    path.write_text(path.read_text().replace("Original.", "Edited by hand."))
    report = rebuild(workspace, store, index=False)
    assert (report.restored, report.edited) == (1, 1)


def test_two_files_with_one_url_keep_the_first(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    kurt_file(workspace, "sources/x.com/b.md", "https://x.com/a", "# B\n")
    report = rebuild(workspace, store, index=False)
    assert report.restored == 1
    assert report.refused == {"another file holds the same url": ["sources/x.com/b.md"]}
    assert get_document(store, "https://x.com/a").content_path == "sources/x.com/a.md"


def test_rebuild_again_changes_nothing(workspace, store):
    for i in range(3):
        kurt_file(workspace, f"sources/x.com/p{i}.md", f"https://x.com/p{i}", f"# P{i}\n")
    first = rebuild(workspace, store)
    second = rebuild(workspace, store)
    assert (first.restored, second.restored, second.already) == (3, 0, 3)
    assert second.indexed == 0


def test_an_interrupted_rebuild_finishes_when_run_again(workspace, store, monkeypatch):
    monkeypatch.setattr("kurt.store.rebuild.BATCH", 2)
    for i in range(7):
        kurt_file(workspace, f"sources/x.com/p{i}.md", f"https://x.com/p{i}", f"# P{i}\n")

    def interrupt(done, total, refused):
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild(workspace, store, progress=interrupt)
    partial = store.query_one("SELECT COUNT(*) FROM documents")[0]
    assert 0 < partial < 7  # whole batches were kept
    report = rebuild(workspace, store)
    assert (report.restored, report.already) == (7 - partial, partial)
    rows = store.query("SELECT indexed_hash = content_hash AS ok FROM documents")
    assert len(rows) == 7 and all(r["ok"] for r in rows)  # every one indexed in the end


def test_a_row_mapped_again_since_the_loss_gets_its_file_back(workspace, store):
    from kurt.store.documents import Discovered, add_discovered

    add_discovered(store, [Discovered(url="https://x.com/a", domain="x.com", via="sitemap")])
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    report = rebuild(workspace, store, index=False)
    doc = get_document(store, "https://x.com/a")
    assert report.restored == 1 and doc.status == "FETCHED"
    assert (doc.content_path, doc.discovered_via) == ("sources/x.com/a.md", "sitemap")


@SQLITE_FILE
def test_missing_database_beside_fetched_files_is_named(workspace):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    for path in workspace.state_dir.glob("kurt.db*"):
        path.unlink()
    problem = missing_database(workspace)
    assert "is missing, but sources/ holds 1 fetched file:" in problem
    assert "kurt content rebuild" in problem
    with pytest.raises(StoreError, match="is missing"):
        workspace.open_store()
    assert not workspace.db_path.exists()  # not created empty
    workspace.open_store(restoring=True).close()
    assert workspace.db_path.exists()


def test_missing_database_with_only_foreign_files_is_not_a_loss(workspace):
    notes = workspace.sources_dir / "notes.md"
    notes.write_text("# my notes\n")
    for path in workspace.state_dir.glob("kurt.db*"):
        path.unlink()
    assert missing_database(workspace) is None


@SQLITE_FILE
def test_new_empty_database_beside_older_fetched_files_is_named(workspace):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    old = (workspace.sources_dir / "x.com" / "a.md")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    for path in workspace.state_dir.glob("kurt.db*"):
        path.unlink()
    store = Store.open(workspace.db_path)  # what an older Kurt did: a new, empty database
    assert "is new and empty, but sources/ holds 1 file fetched before" in new_database(workspace, store)
    store.close()
    with pytest.raises(StoreError, match="kurt content rebuild"):
        workspace.open_store()


def test_files_kept_after_deleting_every_document_are_not_a_loss(workspace, store):
    from kurt.store.delete import delete_documents
    from kurt.store.filters import DocumentFilter

    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    rebuild(workspace, store, index=False)
    delete_documents(store, workspace.root, DocumentFilter(), keep_files=True)
    assert (workspace.sources_dir / "x.com" / "a.md").exists()
    assert new_database(workspace, store) is None  # the files are newer than the database


def test_init_on_a_workspace_with_a_missing_database_says_so(workspace):
    from kurt.workspace import init_workspace

    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    shutil.rmtree(workspace.state_dir)
    with pytest.raises(StoreError, match="kurt content rebuild"):
        init_workspace(workspace.root)
    assert not workspace.state_dir.exists()


def test_rebuilt_documents_are_fetched_again_only_when_asked(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    rebuild(workspace, store, index=False)
    from kurt.store.filters import DocumentFilter, count_documents

    assert count_documents(store, DocumentFilter(statuses=["NOT_FETCHED"])) == 0


def test_sources_folder_missing_is_nothing_to_rebuild(workspace, store):
    shutil.rmtree(workspace.sources_dir)
    report = rebuild(workspace, store)
    assert (report.scanned, report.restored) == (0, 0)


def test_hidden_temporary_files_are_ignored(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    leftover = workspace.sources_dir / "x.com" / ".a.md.1234.tmp"
    leftover.write_text("half a file")
    report = rebuild(workspace, store, index=False)
    assert (report.scanned, report.restored, report.refused) == (1, 1, {})


def test_yaml_dates_in_frontmatter_become_kurt_timestamps(workspace, store):
    path = workspace.sources_dir / "x.com" / "a.md"
    path.parent.mkdir(parents=True)
    body = "# A\n"
    digest = hashlib.sha256(body.encode()).hexdigest()
    path.write_text(f"---\nurl: https://x.com/a\nfetched_at: 2024-05-01 10:00:00\n"
                    f"content_hash: {digest}\n---\n\n{body}")
    restored = read_source(workspace, path)
    assert restored.fetched_at == "2024-05-01T10:00:00Z" and not restored.edited


@SQLITE_FILE
def test_rebuild_keeps_the_database_a_database(workspace, store):
    kurt_file(workspace, "sources/x.com/a.md", "https://x.com/a", "# A\n")
    rebuild(workspace, store)
    assert store.query_one("PRAGMA integrity_check")[0] == "ok"
