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
