"""A database that is not one, is cut short, is a folder, or is held by another process:
cases that hold today.

A damaged database stops every command with one line naming the file and what to do, and the
file is left exactly as it was (nothing "repairs" it by starting afresh). A database another
process is writing makes writers wait for their turn and lets readers through.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import load_corpus
from tests.faults.conftest import (
    assert_consistent,
    documents,
    make_workspace,
    page,
    tiny_corpus,
)

PAGES = 3
BASE = "https://docs.example.com"


@pytest.fixture(scope="module")
def indexed_template(tmp_path_factory) -> Path:
    from kurt.workspace import Workspace

    top = tmp_path_factory.mktemp("database")
    root = make_workspace(top)
    load_corpus(Workspace(root), tiny_corpus(top / "corpus", PAGES), BASE)
    conn = sqlite3.connect(root / ".kurt" / "kurt.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in kurt.db, nothing in -wal
    conn.close()
    return root


@pytest.fixture
def indexed(indexed_template, tmp_path) -> Path:
    """A workspace holding a few fetched and indexed pages, its database in one file."""
    return Path(shutil.copytree(indexed_template, tmp_path / "ws"))


def _garbage(db: Path) -> None:
    db.write_bytes(random.Random(7).randbytes(db.stat().st_size))


def _truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _header_only(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:100])


COMMANDS = [["list"], ["search", "deploy"], ["get", f"{BASE}/page-000"], ["stats"], ["fetch"],
            ["index"], ["add", "http://127.0.0.1:9/"]]
CASES = [  # every command on a file of garbage; the main ones on files cut short
    *((_garbage, "file is not a database", command) for command in COMMANDS),
    *((damage, "database disk image is malformed", command)
      for damage in (_truncated, _header_only) for command in (["list"], ["index"])),
]


@pytest.mark.parametrize("damage, reason, command", CASES,
                         ids=[f"{d.__name__[1:]}-{c[0]}" for d, _, c in CASES])
def test_a_damaged_database_stops_every_command_with_one_line_naming_it(kurt, indexed, damage,
                                                                        reason, command):
    db = indexed / ".kurt" / "kurt.db"
    damage(db)
    damaged = db.read_bytes()
    result = kurt("content", *command, cwd=indexed)
    assert result.exit_code == 1 and result.stdout == "", result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("Error: ") and str(db) in lines[0] and reason in lines[0]
    assert db.read_bytes() == damaged  # left as it was, for the user to restore or inspect


def test_a_folder_where_the_database_should_be_is_one_line(kurt, indexed):
    db = indexed / ".kurt" / "kurt.db"
    db.unlink()
    db.mkdir()
    result = kurt("content", "list", cwd=indexed)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"Error: Cannot open the database {db}: unable to open database file")
    assert db.is_dir() and list(db.iterdir()) == []


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # the write lock, held until told to let go
conn.execute(sys.argv[2])
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("committed", flush=True)
"""
A_WRITE = "UPDATE documents SET title = title || ' (edited elsewhere)' WHERE url LIKE '%/page-001'"
A_SCHEMA_CHANGE = "CREATE TABLE added_by_another_process (x)"  # what a migration does


def hold(root: Path, statement: str) -> subprocess.Popen:
    """Another process holding a write transaction (that ran ``statement``) on the database."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(root / ".kurt" / "kurt.db"),
                             statement], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def release(holder: subprocess.Popen) -> None:
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "committed"
    holder.wait(timeout=10)


@pytest.fixture
def holder(indexed):
    proc = hold(indexed, A_WRITE)
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def test_a_locked_database_lets_readers_through(kurt, indexed, holder):
    listed = kurt("content", "list", "--format", "json", cwd=indexed, timeout=30)
    assert listed.exit_code == 0 and len(listed.json()["documents"]) == PAGES
    found = kurt("content", "search", "deploy", "--format", "json", cwd=indexed, timeout=30)
    assert found.exit_code == 0 and found.json()["passages"]
    assert holder.poll() is None  # answered while the other process still held its lock


def _write_while_locked(root: Path, holder: subprocess.Popen, server, command: list[str]):
    from tests.conftest import kurt_command

    server.routes["/new"] = page("A new page", "Fetched once the lock was let go.")
    args = [server.url("/new") if a == "URL" else a for a in command]
    writer = subprocess.Popen([*kurt_command(), "content", *args], cwd=root, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.5)  # time for the writer to meet the lock (and fail, if it would)
        assert writer.poll() is None, writer.communicate()  # waiting, not failed
    finally:
        release(holder)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert "locked" not in out + err and "Traceback" not in err


WRITERS = [["fetch", "URL"], ["index", "--force"]]


@pytest.mark.parametrize("command", WRITERS, ids=["fetch", "index"])
def test_a_locked_database_makes_a_writer_wait_then_succeed(indexed, holder, server, command):
    _write_while_locked(indexed, holder, server, command)
    if command[0] == "fetch":
        assert documents(indexed)[server.url("/new")] == ("FETCHED", None)
    assert_consistent(indexed)
    titles = sqlite3.connect(indexed / ".kurt" / "kurt.db").execute(
        "SELECT title FROM documents WHERE url LIKE '%/page-001'").fetchall()
    assert titles == [("Page 1 (edited elsewhere)",)]  # the other process's work is kept


@pytest.mark.parametrize("command", [
    pytest.param(["fetch", "URL"], id="fetch"),
    # A schema change by another process while 'content index' waited for the write lock
    # once made SQLite's foreign-key checks fail ("no such table: sections").
    pytest.param(["index", "--force"], id="index"),
])
def test_a_writer_waiting_out_a_schema_change_succeeds(indexed, server, command):
    _write_while_locked(indexed, hold(indexed, A_SCHEMA_CHANGE), server, command)
    assert_consistent(indexed)
