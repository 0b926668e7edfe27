"""Faults around the workspace, end to end through the installed ``kurt``: a read-only
workspace (reading works, every write says so in one line), and symbolic links in an
ingested folder (links leaving it are not followed unless asked, and re-checked at fetch)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kurt.store import Store
from tests.readonly import read_only

SECRET = "outside-the-folder-7f3a"  # text that must never reach the workspace


@pytest.fixture
def loaded(railway_workspace, kurt, tmp_path):
    """A workspace with the railway corpus indexed and a project, ready to be made read-only."""
    root = railway_workspace.root
    assert kurt("project", "new", "launch", "--goal", "Ship the launch page", cwd=root).exit_code == 0
    # Close cleanly so no -wal/-shm is left: the hard case for opening read-only.
    Store.open(root / ".kurt" / "kurt.db").close()
    assert not list((root / ".kurt").glob("kurt.db-*"))
    return root


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [
    ("content", "list", "--format", "json"),
    ("content", "search", "postgres", "--format", "json"),
    ("content", "stats"),
    ("project", "list"),
    ("template", "list"),
])
def test_reading_commands_work_on_a_read_only_workspace(loaded, kurt, args):
    with read_only(loaded):
        result = kurt(*args, cwd=loaded)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    if args[-1] == "json":  # a page of documents or passages
        data = result.json()
        assert data.get("documents", data.get("passages")), data


@pytest.mark.parametrize(("args", "named"), [
    (("project", "new", "second", "--goal", "Another page"), "projects/second"),
    (("profile", "--company", "Acme", "--website", "https://acme.example"), "kurt/profile.md"),
    (("draft", "new", "launch", "--template", "blog-post", "--name", "first"), "projects/launch/drafts"),
    (("template", "customize", "blog-post", "--url-contains", "/docs/"), "kurt/templates"),
])
def test_file_writes_on_a_read_only_workspace_are_one_line_errors(loaded, kurt, args, named):
    with read_only(loaded):
        result = kurt(*args, cwd=loaded)
    line = one_line_error(result)
    assert named in line and ("Read-only file system" in line or "Permission denied" in line)
    assert "Reading commands (list, search, get) still work" in line or "writable" in line


def test_database_writes_on_a_read_only_workspace_say_read_only(loaded, kurt):
    with read_only(loaded):
        result = kurt("content", "index", "--force", cwd=loaded)
    line = one_line_error(result)
    assert "the workspace is read-only" in line
    assert "Restore it from a backup" not in line and "re-run 'kurt init'" not in line


@pytest.fixture
def folder_with_links(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"# Secret\n\n{SECRET}\n")
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "setup.md").write_text("# Setup\n\nInstall the thing with quinoablend.\n")
    (docs / "intro.md").write_text("# Intro\n\nWelcome.\n")
    (docs / "notes.md").symlink_to(outside / "secret.md")  # leaves the folder
    (docs / "shortcut.md").symlink_to(Path("guides") / "setup.md")  # stays inside
    (docs / "elsewhere").symlink_to(outside, target_is_directory=True)  # a folder outside
    return docs


def stored_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (root / "sources").rglob("*.md"))


def test_a_link_leaving_the_folder_is_not_stored_and_is_reported(workspace, kurt, folder_with_links):
    result = kurt("content", "add", str(folder_with_links), cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "2 links leaving the folder, not followed (--follow-symlinks reads them)" in result.stderr
    assert "notes.md -> " in result.stderr and "elsewhere -> " in result.stderr
    assert SECRET not in stored_text(workspace.root)
    listed = kurt("content", "list", "--format", "json", cwd=workspace.root).json()["documents"]
    urls = [d["url"] for d in listed]
    assert not any("outside" in u or u.endswith("notes.md") for u in urls)


def test_a_link_inside_the_folder_is_stored(workspace, kurt, folder_with_links):
    assert kurt("content", "add", str(folder_with_links), cwd=workspace.root).exit_code == 0
    docs = kurt("content", "list", "--format", "json", cwd=workspace.root).json()["documents"]
    setup = [d for d in docs if d["url"].endswith("/guides/setup.md")]
    assert len(setup) == 1 and setup[0]["status"] == "FETCHED"  # one document, not two
    found = kurt("content", "search", "quinoablend", "--format", "json",
                 cwd=workspace.root).json()["passages"]
    assert [hit["url"] for hit in found] == [setup[0]["url"]]


def test_follow_symlinks_reads_links_leaving_the_folder(workspace, kurt, folder_with_links):
    result = kurt("content", "add", str(folder_with_links), "--follow-symlinks", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert "not followed" not in result.stderr
    assert SECRET in stored_text(workspace.root)


def test_a_link_re_pointed_after_mapping_is_not_read_at_fetch(workspace, kurt, folder_with_links):
    assert kurt("content", "map", "folder", str(folder_with_links), cwd=workspace.root).exit_code == 0
    link = folder_with_links / "shortcut.md"
    link.unlink()
    (folder_with_links / "guides" / "setup.md").unlink()
    (folder_with_links / "guides" / "setup.md").symlink_to(folder_with_links.parent / "outside"
                                                           / "secret.md")
    result = kurt("content", "fetch", "--format", "json", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    errors = result.json()["errors"]
    assert any("now leads to" in reason and "not read" in reason for reason in errors)
    assert SECRET not in stored_text(workspace.root)


def test_rebuild_restores_local_files_as_file_sources(workspace, kurt, folder_with_links):
    assert kurt("content", "add", str(folder_with_links), cwd=workspace.root).exit_code == 0
    before = kurt("content", "list", "--format", "json", cwd=workspace.root).json()["documents"]
    shutil.rmtree(workspace.root / ".kurt")
    assert kurt("content", "rebuild", cwd=workspace.root).exit_code == 0
    after = kurt("content", "list", "--format", "json", cwd=workspace.root).json()["documents"]
    keys = ("id", "url", "source_kind", "source_path", "source_root", "content_path", "content_hash")
    assert sorted(tuple(d[k] for k in keys) for d in after) == sorted(
        tuple(d[k] for k in keys) for d in before)
    again = kurt("content", "add", str(folder_with_links), "--format", "json", cwd=workspace.root)
    assert again.json()["fetch"]["selected"] == 0  # nothing to fetch again
