import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kurt.errors import StoreError
from kurt.store.db import Store, _split_sql


def test_open_applies_every_migration_once(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    from kurt.store.db import _migrations

    shipped = [version for version, _, _ in _migrations()]
    assert store.schema_version() == max(shipped)
    assert Store.open(tmp_path / "k.db").migrate() == 0
    applied = [row[0] for row in store.query("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied == shipped


def test_wal_and_foreign_keys_are_on(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    assert store.query_one("PRAGMA journal_mode")[0] == "wal"
    assert store.query_one("PRAGMA foreign_keys")[0] == 1


def test_transaction_rolls_back_on_error(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
        raise RuntimeError("boom")
    assert store.query_one("SELECT COUNT(*) FROM meta")[0] == 0


def test_nested_transaction_joins_the_outer_one(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    with store.transaction() as outer:
        outer.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        with store.transaction() as inner:
            inner.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
    assert store.query_one("SELECT COUNT(*) FROM meta")[0] == 2


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="is damaged .* run 'kurt content rebuild'"):
        Store.open(path)


def test_split_sql_keeps_triggers_whole():
    script = (
        "-- c\nCREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO a VALUES (1);\nEND;\n"
    )
    parts = _split_sql(script)
    assert len(parts) == 2 and parts[1].endswith("END;")


WRITER = r"""
import sys
from kurt.store.db import Store
from kurt.store.documents import Discovered, add_discovered, update_document, document_id
store = Store.open(sys.argv[1])
tag = sys.argv[2]
for i in range(150):
    url = f"https://example.com/{tag}/{i}"
    add_discovered(store, [Discovered(url=url, domain="example.com")])
    update_document(store, document_id(url), status="FETCHED", title=tag)
print("done")
"""


def test_two_processes_writing_at_once_never_fail(tmp_path: Path):
    db = tmp_path / "k.db"
    Store.open(db).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(db), tag],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b", "c")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE status='FETCHED'").fetchone()[0] == 450
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_write_the_file_system_refuses_is_a_clear_error(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    store.conn.execute("PRAGMA query_only = ON")  # what a read-only file or folder does to writes
    with pytest.raises(StoreError, match="read-only. Make them writable"):
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    store.conn.execute("PRAGMA query_only = OFF")
    assert store.query_one("SELECT COUNT(*) FROM meta WHERE key = 'k'")[0] == 0


# -- the file under a running store --------------------------------------------------


def _write(store: Store, key: str = "k") -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (key,))


def test_a_write_after_the_file_was_deleted_stops_with_rebuild_advice(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    _write(store, "before")
    for path in tmp_path.glob("k.db*"):
        path.unlink()
    with pytest.raises(StoreError, match="was deleted while this command ran.*kurt content rebuild"):
        _write(store)
    assert not (tmp_path / "k.db").exists()  # SQLite would have written to the lost file


def test_a_write_after_the_file_was_replaced_stops(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    Store.open(tmp_path / "other.db").close()
    (tmp_path / "other.db").replace(tmp_path / "k.db")
    with pytest.raises(StoreError, match="was replaced by another file"):
        _write(store)


def test_a_new_thread_does_not_recreate_a_deleted_database(tmp_path: Path):
    import threading

    store = Store.open(tmp_path / "k.db")
    for path in tmp_path.glob("k.db*"):
        path.unlink()
    errors = []

    def read() -> None:
        try:
            store.query("SELECT 1")
        except StoreError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert errors and "was deleted" in errors[0]
    assert not (tmp_path / "k.db").exists()


def test_the_store_remembers_whether_it_wrote(tmp_path: Path):
    store = Store.open(tmp_path / "k.db")
    fresh = Store.open(tmp_path / "k.db")
    fresh.query("SELECT COUNT(*) FROM documents")
    assert store.wrote  # migrations
    assert not fresh.wrote


def test_a_read_only_folder_opens_the_database_read_only(tmp_path: Path):
    from tests.readonly import read_only

    folder = tmp_path / "ro"
    folder.mkdir()
    store = Store.open(folder / "k.db")
    _write(store, "kept")
    store.close()
    assert not list(folder.glob("k.db-*"))  # closed cleanly: no -wal/-shm to lean on
    with read_only(folder):
        ro = Store.open(folder / "k.db")
        assert ro.read_only
        assert ro.query_one("SELECT value FROM meta WHERE key = 'kept'")[0] == "v"
        with pytest.raises(StoreError, match="the workspace is read-only"):
            _write(ro)
        ro.close()
        assert not list(folder.glob("k.db-*"))


def test_a_read_only_folder_with_wal_files_reads_their_content(tmp_path: Path):
    from tests.readonly import read_only

    folder = tmp_path / "ro"
    folder.mkdir()
    writer = Store.open(folder / "k.db")
    _write(writer, "in-the-wal")
    writer.conn.execute("PRAGMA wal_autocheckpoint = 0")
    snapshot = tmp_path / "snapshot"  # a copy taken while a process had it open
    snapshot.mkdir()
    for path in folder.glob("k.db*"):
        (snapshot / path.name).write_bytes(path.read_bytes())
    writer.close()
    assert (snapshot / "k.db-wal").stat().st_size > 0
    with read_only(snapshot):
        ro = Store.open(snapshot / "k.db")
        assert ro.query_one("SELECT COUNT(*) FROM meta WHERE key = 'in-the-wal'")[0] == 1
        ro.close()


@pytest.mark.parametrize(("message", "expected"), [
    ("database disk image is malformed", "is damaged"),
    ("file is not a database", "is damaged"),
    ("database or disk is full", "disk is full"),
    ("attempt to write a readonly database", "read-only"),
    ("disk I/O error", "Check the disk"),
    ("unable to open database file", "Check that its folder exists"),
    ("no such column: nope", None),  # a bug: keeps its traceback
    ("near \"SELEC\": syntax error", None),
])
def test_database_errors_about_the_file_become_one_line(tmp_path: Path, message, expected):
    from kurt.store.db import database_error

    path = tmp_path / "k.db"
    path.write_bytes(b"")
    error = database_error(path, sqlite3.OperationalError(message))
    if expected is None:
        assert error is None
    else:
        assert expected in str(error) and "\n" not in str(error)


def test_a_database_error_about_a_deleted_file_says_deleted(tmp_path: Path):
    from kurt.store.db import database_error

    error = database_error(tmp_path / "gone.db", sqlite3.OperationalError("disk I/O error"))
    assert "was deleted" in str(error)


def test_a_schema_change_made_while_waiting_for_the_lock_does_not_break_deletes(tmp_path: Path):
    """Another process adds a table (as its migration would) while this one waits to write:
    the first DELETE of a table with foreign keys must see the new schema, not fail."""
    store = Store.open(tmp_path / "kurt.db")
    store.query("SELECT count(*) FROM sections")  # the schema is loaded before the change
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time, pathlib\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); c.execute('CREATE TABLE added_elsewhere (x)')\n"
        "pathlib.Path(sys.argv[2]).touch(); time.sleep(1); c.execute('COMMIT')\n"),
        str(tmp_path / "kurt.db"), str(ready)])
    try:
        while not ready.exists():
            assert holder.poll() is None
        store.query("SELECT count(*) FROM sections")
        with store.transaction() as conn:  # waits for the holder's commit
            conn.execute("DELETE FROM sections WHERE document_id = ?", ("x",))
    finally:
        holder.wait(timeout=30)
        store.close()
    assert holder.returncode == 0
