"""Faults in the database, end to end through the installed ``kurt``: the database deleted
or overwritten while a fetch runs against a slow loopback site, what the next command
says, and ``kurt content rebuild`` restoring the documents with no download."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from kurt.sample_site import load_markdown_site, serve
from kurt.store import Store
from kurt.store.documents import Discovered, add_discovered, document_id
from kurt.workspace import init_workspace
from tests.conftest import kurt_command

PAGE_DELAY = 0.05  # seconds per page: the fetch is still running when the database goes
PAGES = 60
UNIQUE_WORD = "zanzibarquux"  # on one page only, to prove search works after a rebuild


@pytest.fixture(scope="module")
def served(railway_corpus):
    site = load_markdown_site(railway_corpus)
    paths = [p for p in site.page_paths() if p.startswith("/guides/")][:PAGES]
    respond = site.respond

    def slow_respond(method, target, headers, base_url, stop=None):
        if target.startswith("/guides/"):
            time.sleep(PAGE_DELAY)
        return respond(method, target, headers, base_url, stop)

    site.respond = slow_respond
    with serve(site) as running:
        # The marker is the page fetched first (fetch goes in document id order).
        running.marker = min(paths, key=lambda p: document_id(running.url(p)))
        site.set_page(running.marker, f"# Marker page\n\nThis page mentions {UNIQUE_WORD} once.\n")
        running.pages = paths
        yield running


def new_workspace(tmp_path: Path, urls: list[str]) -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 5.0\nretries = 1\n")
    store = Store.open(ws.db_path)
    add_discovered(store, [Discovered(url=u, domain="127.0.0.1") for u in urls])
    store.close()
    return ws.root


def source_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "sources").rglob("*.md") if not p.name.startswith("."))


def start_fetch(root: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    return subprocess.Popen([*kurt_command(), "content", "fetch", "--concurrency", "2"], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_files(root: Path, proc: subprocess.Popen, at_least: int, marker: str) -> None:
    """Wait (without touching the database) until the fetch has written the marker page
    and a few more files."""
    marker_file = root / "sources" / "127.0.0.1" / (marker.strip("/") + ".md")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if marker_file.is_file() and len(source_files(root)) >= at_least:
            return
        time.sleep(0.02)
    pytest.fail("the fetch did not make progress")


@pytest.fixture(scope="module")
def deleted_mid_fetch(served, tmp_path_factory):
    """A fetch whose database was deleted after a few pages: (root, exit code, stdout, stderr).
    Run once; tests work on copies (``lost``)."""
    root = new_workspace(tmp_path_factory.mktemp("deleted"), [served.url(p) for p in served.pages])
    proc = start_fetch(root)
    wait_for_files(root, proc, 5, served.marker)
    for path in (root / ".kurt").glob("kurt.db*"):
        path.unlink()
    stdout, stderr = proc.communicate(timeout=120)
    return root, proc.returncode, stdout, stderr


@pytest.fixture
def lost(deleted_mid_fetch, tmp_path) -> Path:
    """A copy of the workspace whose database was deleted mid-fetch."""
    return Path(shutil.copytree(deleted_mid_fetch[0], tmp_path / "ws"))


def test_a_database_deleted_while_fetch_runs_stops_the_fetch_with_one_line(deleted_mid_fetch):
    root, code, stdout, stderr = deleted_mid_fetch
    assert code == 1, stdout + stderr
    assert "was deleted while this command ran" in stderr and "kurt content rebuild" in stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Fetched" not in stdout  # no success summary
    assert not (root / ".kurt" / "kurt.db").exists()  # nothing recreated it empty


def test_the_next_command_says_the_database_is_missing_and_names_rebuild(lost, kurt):
    root = lost
    files = len(source_files(root))
    for args in (("content", "list"), ("content", "search", "railway"), ("init",)):
        result = kurt(*args, cwd=root)
        assert result.exit_code == 1, args
        assert f"is missing, but sources/ holds {files} fetched files" in result.stderr
        assert "kurt content rebuild" in result.stderr and "Traceback" not in result.stderr
        assert not (root / ".kurt" / "kurt.db").exists(), args


def test_rebuild_restores_the_documents_without_a_download(served, lost, kurt):
    root = lost
    files = source_files(root)
    requests_before = len(served.site.requests)

    result = kurt("content", "rebuild", "--format", "json", cwd=root)

    assert result.exit_code == 0, result.stderr
    assert len(served.site.requests) == requests_before  # not one HTTP request
    report = result.json()
    assert report["restored"] == len(files) and report["refused_count"] == 0
    assert report["indexed"] == len(files)
    listed = kurt("content", "list", "--format", "json", cwd=root).json()["documents"]
    assert len(listed) == len(files)
    for doc in listed:
        text = (root / doc["content_path"]).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert (doc["url"], doc["content_hash"], doc["status"]) == (
            front["url"], front["content_hash"], "FETCHED")
        body = text.split("---\n", 2)[2][1:]
        assert hashlib.sha256(body.encode()).hexdigest() == doc["content_hash"]
    found = kurt("content", "search", UNIQUE_WORD, "--format", "json", cwd=root).json()["passages"]
    assert [hit["url"] for hit in found] == [served.url(served.marker)]


def test_rebuild_twice_changes_nothing_the_second_time(lost, kurt):
    root = lost
    first = kurt("content", "rebuild", "--format", "json", cwd=root).json()
    second = kurt("content", "rebuild", "--format", "json", cwd=root).json()
    assert second["restored"] == 0 and second["already"] == first["restored"] > 0
    assert second["indexed"] == 0


def test_a_database_overwritten_while_fetch_runs_is_a_one_line_error(served, tmp_path, kurt):
    root = new_workspace(tmp_path, [served.url(p) for p in served.pages])
    proc = start_fetch(root)
    wait_for_files(root, proc, 5, served.marker)
    db = root / ".kurt" / "kurt.db"
    size = db.stat().st_size
    with open(db, "r+b") as handle:  # in place: same file, garbage inside
        handle.write(os.urandom(size))
    stdout, stderr = proc.communicate(timeout=120)

    assert proc.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "overwritten" in stderr or "damaged" in stderr
    assert "kurt content rebuild" in stderr

    after = kurt("content", "list", cwd=root)
    assert after.exit_code == 1 and "Traceback" not in after.stderr
    assert "is damaged" in after.stderr and "kurt content rebuild" in after.stderr

    for path in root.joinpath(".kurt").glob("kurt.db*"):  # what the message says to do
        path.rename(path.with_name(path.name + ".damaged"))
    rebuilt = kurt("content", "rebuild", cwd=root)
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert f"Restored {len(source_files(root))} documents" in rebuilt.stdout


@pytest.mark.parametrize("args", [
    ("content", "list"),
    ("content", "search", "postgres"),
    ("content", "stats"),
    ("content", "get", "docs/integrations/api"),
    ("content", "index", "--force"),
    ("content", "fetch", "--refetch"),
    ("content", "list-entities", "technology"),
    ("project", "add-source", "launch", "docs/integrations/api"),
])
def test_a_damaged_database_is_a_one_line_error_on_every_command(railway_workspace, kurt, args):
    root = railway_workspace.root
    assert kurt("project", "new", "launch", "--goal", "A page", cwd=root).exit_code == 0
    Store.open(root / ".kurt" / "kurt.db").close()  # everything checkpointed into the file
    db = root / ".kurt" / "kurt.db"
    page = 4096
    with open(db, "r+b") as handle:  # keep the header page: damage the tables behind it
        handle.seek(page)
        handle.write(os.urandom(db.stat().st_size - page))
    result = kurt(*args, cwd=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and "kurt content rebuild" in lines[0]


def damage_table(db: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with random bytes (the rest of the file intact)."""
    Store.open(db).close()  # everything checkpointed into the file
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    [root_page] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    with open(db, "r+b") as handle:
        handle.seek((root_page - 1) * page_size)
        handle.write(os.urandom(page_size))


@pytest.mark.parametrize(("table", "args"), [
    ("sections_fts_config", ("content", "index", "--force")),
    ("document_titles_fts_data", ("content", "index", "--force")),
    ("sections_fts_config", ("content", "search", "postgres")),
])
def test_a_damaged_full_text_table_is_a_one_line_error(railway_workspace, kurt, table, args):
    """Only the pages of one full-text table damaged (what a copy over the file while
    ``index`` runs can leave): SQLite says "vtable constructor failed", not "malformed"."""
    root = railway_workspace.root
    damage_table(root / ".kurt" / "kurt.db", table)
    result = kurt(*args, cwd=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and "kurt content rebuild" in lines[0]


def test_a_damaged_database_is_a_one_line_tool_error_in_kurt_mcp(railway_workspace):
    """The MCP server is a command path too: its tool says what the CLI says, not
    "Error executing tool"."""
    from tests.kurt_mcp.test_server import drive, text_of

    root = railway_workspace.root
    damage_table(root / ".kurt" / "kurt.db", "sections_fts_config")

    async def scenario(session):
        result = await session.call_tool("search", {"query": "postgres"})
        assert result.is_error
        text = text_of(result)
        assert "is damaged" in text and "kurt content rebuild" in text, text

    drive(root, scenario)
