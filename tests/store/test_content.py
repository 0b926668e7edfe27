"""Source files in a shared PostgreSQL store (kurt.store.content): stored by fetch and by
``kurt store copy``, written into a teammate's workspace by ``kurt content sync``."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from kurt.ingest.fetch import fetch_documents
from kurt.sample_site import load_markdown_site, serve
from kurt.store.content import source_text, sync
from kurt.store.copy import copy_workspace_store
from kurt.store.documents import Discovered, add_discovered
from kurt.store.filters import DocumentFilter
from kurt.workspace import Workspace, init_workspace
from tests.pg import use_store


def teammate(root: Path, url: str) -> Workspace:
    """Another workspace, pointed at the same PostgreSQL store."""
    root.mkdir(parents=True)
    use_store(Workspace(root), url)
    return init_workspace(root).workspace


def same_sources(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a / "sources") for p in (a / "sources").rglob("*.md"))
    theirs = sorted(p.relative_to(b / "sources") for p in (b / "sources").rglob("*.md"))
    _, mismatch, errors = filecmp.cmpfiles(a / "sources", b / "sources", files, shallow=False)
    return files == theirs and not mismatch and not errors and bool(files)


def test_a_teammate_syncs_the_copied_files_without_fetching(railway_workspace, pg_url, tmp_path):
    report = copy_workspace_store(railway_workspace, pg_url)
    assert report.ok and report.files.stored > 300 and not report.files.missing
    other = teammate(tmp_path / "other", pg_url)
    store = other.open_store()
    first = sync(other, store)
    assert first.written == report.files.stored and not first.kept
    assert same_sources(railway_workspace.root, other.root)
    again = sync(other, store)
    assert again.written == 0 and again.unchanged == first.written
    store.close()


def test_a_local_file_that_differs_from_the_store_is_kept(railway_workspace, pg_url, tmp_path):
    copy_workspace_store(railway_workspace, pg_url)
    other = teammate(tmp_path / "other", pg_url)
    store = other.open_store()
    sync(other, store)
    edited = next((other.root / "sources").rglob("*.md"))
    edited.write_text("my own notes\n", encoding="utf-8")
    report = sync(other, store)
    assert report.kept == [edited.relative_to(other.root).as_posix()]
    assert edited.read_text(encoding="utf-8") == "my own notes\n"
    store.close()


def test_kurt_content_sync_names_the_local_files_it_kept(railway_workspace, pg_url, tmp_path,
                                                        kurt):
    """docs/teams.md: 'kurt content sync' lists the files that differ from the store."""
    copy_workspace_store(railway_workspace, pg_url)
    other = teammate(tmp_path / "other", pg_url)
    first = kurt("content", "sync", cwd=other.root)
    assert first.exit_code == 0, first.stderr
    assert "(0 were already here)." in first.stdout and "Kept" not in first.stdout
    edited = sorted((other.root / "sources").rglob("*.md"))[3]
    edited.write_text("my own notes\n", encoding="utf-8")
    again = kurt("content", "sync", cwd=other.root)
    assert again.exit_code == 0, again.stderr
    assert "Wrote 0 source files from the store (" in again.stdout
    assert "; 1 differs from the store and was kept)." in again.stdout
    assert edited.relative_to(other.root).as_posix() in again.stdout
    edited.unlink()  # what the message says to do to get the store's text back
    last = kurt("content", "sync", cwd=other.root)
    assert "Wrote 1 source file from the store (" in last.stdout and "Kept" not in last.stdout
    assert edited.read_text(encoding="utf-8") != "my own notes\n"


def test_copying_again_stores_only_the_files_that_changed(railway_workspace, pg_url):
    copy_workspace_store(railway_workspace, pg_url)
    changed = next((railway_workspace.root / "sources").rglob("*.md"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    again = copy_workspace_store(railway_workspace, pg_url)
    assert again.files.stored == 1 and again.files.unchanged > 300


@pytest.fixture(scope="module")
def site(railway_corpus):
    site = load_markdown_site(railway_corpus)
    with serve(site) as served:
        yield served


def test_fetch_into_a_shared_store_keeps_the_files_for_teammates(site, pg_url, tmp_path):
    fetcher = teammate(tmp_path / "fetcher", pg_url)
    with fetcher.config_path.open("a", encoding="utf-8") as config:
        config.write("\n[index]\nauto = false\n")
    fetcher = Workspace(fetcher.root)
    store = fetcher.open_store()
    urls = [site.url(p) for p in ("/docs/cli/postgres", "/docs/integrations/api", "/guides/django")]
    add_discovered(store, [Discovered(url=u, domain="127.0.0.1") for u in urls])
    fetch_documents(fetcher, store, DocumentFilter(statuses=["NOT_FETCHED"]))
    assert store.query_one("SELECT COUNT(*) FROM document_content")[0] == 3
    store.close()
    reader = teammate(tmp_path / "reader", pg_url)
    store = reader.open_store()
    assert sync(reader, store).written == 3
    assert same_sources(fetcher.root, reader.root)
    store.close()


@pytest.mark.parametrize("store_kind", ["sqlite"])
def test_sync_on_a_sqlite_workspace_says_what_it_is_for(workspace, kurt):
    result = kurt("content", "sync", cwd=workspace.root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nothing to sync") and "shared PostgreSQL store" in result.stdout


def test_a_missing_file_is_read_from_the_store_and_written(railway_workspace, pg_url, tmp_path):
    copy_workspace_store(railway_workspace, pg_url)
    other = teammate(tmp_path / "other", pg_url)
    store = other.open_store()
    path = "sources/docs.railway.com/docs/integrations/oauth.md"
    expected = (railway_workspace.root / path).read_text(encoding="utf-8")
    assert source_text(other.root, store, path) == expected
    assert (other.root / path).read_text(encoding="utf-8") == expected
    assert [p.name for p in (other.root / path).parent.iterdir()] == ["oauth.md"]  # no temporary file
    (other.root / path).write_text("my own notes\n", encoding="utf-8")
    assert source_text(other.root, store, path) == "my own notes\n"  # the local file wins
    assert source_text(other.root, store, "sources/nowhere.md") is None
    store.close()


def test_a_stored_path_outside_sources_is_never_written(railway_workspace, pg_url, tmp_path):
    copy_workspace_store(railway_workspace, pg_url)
    other = teammate(tmp_path / "other", pg_url)
    store = other.open_store()
    with store.transaction() as conn:
        conn.execute("UPDATE documents SET content_path = '../outside.md'"
                     " WHERE content_path = 'sources/docs.railway.com/docs/integrations/oauth.md'")
    assert source_text(other.root, store, "../outside.md").startswith("---\n")
    assert not (tmp_path / "outside.md").exists()
    store.close()


def test_a_sqlite_store_keeps_no_copy_of_a_deleted_file(railway_workspace):
    store = railway_workspace.open_store()
    assert store.dialect == "sqlite"
    path = "sources/docs.railway.com/docs/integrations/oauth.md"
    (railway_workspace.root / path).unlink()
    assert source_text(railway_workspace.root, store, path) is None
    store.close()


@pytest.mark.parametrize("content_path, link_to, out", [
    ("sources/local/a.md", None, False),
    ("sources/local/link-in.md", "sources/local/a.md", False),
    ("sources/local/link-out.md", "OUTSIDE", True),
    ("sources/../../secret.md", None, True),
    ("/etc/passwd", None, True),
    ("sources\\..\\..\\secret.md", None, True),
])
def test_leads_out_refuses_paths_and_links_leaving_the_workspace(tmp_path, content_path, link_to,
                                                                  out):
    from kurt.store.content import leads_out

    root = tmp_path / "ws"
    (root / "sources/local").mkdir(parents=True)
    (root / "sources/local/a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "secret.md").write_text("the secret\n", encoding="utf-8")
    if link_to:
        target = tmp_path / "secret.md" if link_to == "OUTSIDE" else root / link_to
        (root / content_path).symlink_to(target)
    assert leads_out(root, content_path) is out
    assert (source_text(root, None, content_path) is None) is out


def test_a_source_file_linked_out_of_the_workspace_is_never_read(tmp_path, kurt):
    """A file in sources/ replaced by a link to a file elsewhere (a shared repository, a
    hostile process) is not Kurt's copy: get, index and search never show what it leads to."""
    root = tmp_path / "ws"
    assert kurt("init", str(root), cwd=tmp_path).exit_code == 0
    (root / "notes").mkdir()
    (root / "notes/page.md").write_text("# Page\n\nHarmless words about widgets.\n",
                                        encoding="utf-8")
    added = kurt("content", "add", "notes", "--format", "json", cwd=root)
    assert added.exit_code == 0, added.output
    secret = tmp_path / "secret.md"
    secret.write_text("# Keys\n\nzanzibar-secret-token\n", encoding="utf-8")
    listed = kurt("content", "list", "--format", "json", cwd=root).json()["documents"]
    doc = listed[0]
    (root / doc["content_path"]).unlink()
    (root / doc["content_path"]).symlink_to(secret)

    got = kurt("content", "get", doc["id"], "--content", cwd=root)
    assert got.exit_code == 1 and "zanzibar" not in got.output
    assert "leads outside the workspace (a link)" in got.stderr
    indexed = kurt("content", "index", "--format", "json", cwd=root)
    assert "leads outside the workspace" in json.dumps(indexed.json()["errors"])
    found = kurt("content", "search", "zanzibar", "--format", "json", cwd=root)
    assert found.exit_code == 0 and found.json()["passages"] == []
