from __future__ import annotations

from pathlib import Path

import pytest

from kurt.errors import UsageError
from kurt.ingest.folder import (
    LINK_BROKEN,
    LINK_OUTSIDE,
    changed_since_mapped,
    file_url,
    map_folder,
    scan_folder,
)


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


# -- symbolic links ---------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """docs/ with links inside it, out of it, to a folder out of it, and in a loop."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret.md").write_text("# secret\n")
    (outside / "deep" / "more.md").write_text("# more\n")
    root = tmp_path / "docs"
    (root / "guides").mkdir(parents=True)
    (root / "guides" / "setup.md").write_text("# setup\n")
    (root / "notes.md").symlink_to(outside / "secret.md")
    (root / "shortcut.md").symlink_to(root / "guides" / "setup.md")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "guides" / "loop").symlink_to(root, target_is_directory=True)
    return root


def test_links_leaving_the_folder_are_skipped_and_reported(linked):
    listing = scan_folder(linked)
    assert [p.relative_to(linked).as_posix() for p in listing.files] == [
        "shortcut.md", "guides/setup.md"]
    skipped = listing.skipped[LINK_OUTSIDE]
    assert sorted(s.split(" -> ")[0] for s in skipped) == ["elsewhere", "notes.md"]
    assert listing.problems() == [
        f"2 links {LINK_OUTSIDE}: " + ", ".join(skipped)]


def test_a_link_inside_the_folder_and_its_target_are_one_document(linked):
    report = map_folder(None, linked, dry_run=True)
    assert report.urls == [file_url(linked / "guides" / "setup.md")]
    assert any("not followed" in p for p in report.problems)


def test_the_real_name_wins_over_a_link_to_it(linked, store):
    map_folder(store, linked)
    row = store.query_one("SELECT source_path FROM documents")
    assert row["source_path"] == str(linked / "guides" / "setup.md")


def test_follow_symlinks_reads_links_out_of_the_folder_without_looping(linked):
    listing = scan_folder(linked, follow_symlinks=True)
    names = sorted(p.name for p in listing.files)
    assert names == ["more.md", "notes.md", "secret.md", "setup.md", "shortcut.md"]
    assert listing.skipped == {}
    report = map_folder(None, linked, dry_run=True, follow_symlinks=True)
    outside = linked.parent / "outside"
    assert sorted(report.urls) == sorted([  # one document per real file
        file_url(outside / "secret.md"), file_url(outside / "deep" / "more.md"),
        file_url(linked / "guides" / "setup.md")])


def test_broken_links_are_reported(tmp_path: Path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "page.md").write_text("# page\n")
    (root / "broken.md").symlink_to(root / "missing.md")
    listing = scan_folder(root)
    assert list(listing.skipped) == [LINK_BROKEN]


@pytest.mark.parametrize("how", ["same", "re-pointed", "replaced by a link", "missing"])
def test_changed_since_mapped(linked, how):
    path = linked / "shortcut.md"
    url = file_url(path)
    if how == "re-pointed":
        path.unlink()
        path.symlink_to(linked.parent / "outside" / "secret.md")
    elif how == "replaced by a link":
        target = linked / "guides" / "setup.md"
        target.unlink()
        target.symlink_to("/etc/hostname")
    elif how == "missing":
        (linked / "guides" / "setup.md").unlink()
    reason = changed_since_mapped(str(path), url)
    if how in ("same", "missing"):  # a missing file is the fetch's business (GONE / ERROR)
        assert reason is None
    else:
        assert "now leads to" in reason and "not read" in reason
