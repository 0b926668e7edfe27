from __future__ import annotations

from pathlib import Path

import pytest

from kurt.errors import UsageError
from kurt.ingest.folder import file_url, map_folder


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    for rel in ("index.md", "guides/setup.md", "reference/setup.md", "api/page.mdx",
                "notes.txt", "legacy/page.html", "manual.pdf", "image.png",
                ".hidden/secret.md", "node_modules/pkg/readme.md", ".draft.md"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {rel}\n")
    return root


def test_folder_map_keeps_structure(docs, store):
    report = map_folder(store, docs)
    assert report.method == "folder" and report.found == report.added == 7
    rows = {r["source_path"]: r for r in store.query("SELECT * FROM documents")}
    setup_a, setup_b = str(docs / "guides/setup.md"), str(docs / "reference/setup.md")
    assert setup_a in rows and setup_b in rows  # same name, two documents
    row = rows[setup_a]
    assert row["url"] == "file://" + setup_a and row["domain"] == "local"
    assert row["source_kind"] == "file" and row["source_root"] == str(docs)
    assert row["discovered_via"] == "folder"


def test_hidden_and_vendored_folders_are_skipped(docs):
    report = map_folder(None, docs, dry_run=True)
    assert not any("/." in u or "node_modules" in u or u.endswith(".png") for u in report.urls)


def test_remap_adds_new_files_and_delists_removed_ones(docs, store):
    map_folder(store, docs)
    (docs / "guides/new.md").write_text("# new\n")
    (docs / "notes.txt").unlink()
    report = map_folder(store, docs)
    assert report.added == 1 and report.known == 6 and report.delisted == 1
    row = store.query_one("SELECT delisted_at FROM documents WHERE url = ?",
                          (file_url(docs / "notes.txt"),))
    assert row["delisted_at"] is not None


def test_include_and_exclude_on_relative_paths(docs):
    report = map_folder(None, docs, include=["guides/*", "*.mdx"], dry_run=True)
    assert sorted(Path(u).name for u in report.urls) == ["page.mdx", "setup.md"]
    report = map_folder(None, docs, exclude=["*.pdf", "*.txt"], dry_run=True)
    assert report.found == 5


def test_single_file(docs, store):
    report = map_folder(store, docs / "guides/setup.md")
    assert report.found == 1 and report.urls == [file_url(docs / "guides/setup.md")]
    assert store.query_one("SELECT source_root FROM documents")["source_root"] == str(docs / "guides")


def test_dry_run_writes_nothing(docs, store):
    map_folder(store, docs, dry_run=True)
    assert store.query_one("SELECT COUNT(*) AS n FROM documents")["n"] == 0


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="No such file or folder"):
        map_folder(None, tmp_path / "nope")


def test_empty_folder_says_why(tmp_path):
    (tmp_path / "empty").mkdir()
    report = map_folder(None, tmp_path / "empty", dry_run=True)
    assert report.found == 0 and report.problems[0].startswith("no .md")


def test_fifos_and_dangling_links_are_not_mapped(tmp_path: Path):
    import os

    root = tmp_path / "docs"
    root.mkdir()
    (root / "page.md").write_text("# Page\n")
    os.mkfifo(root / "pipe.md")  # reading it would block a fetch forever
    (root / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    report = map_folder(None, root, dry_run=True)
    assert report.urls == [file_url(root / "page.md")]
