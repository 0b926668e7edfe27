"""The store on a real PostgreSQL server (kurt.store.postgres): migrations, rows, ids,
transactions and the messages a user sees."""

from __future__ import annotations

import threading

import psycopg
import pytest

from kurt.errors import StoreError
from kurt.store.db import _migrations
from kurt.store.postgres import PostgresStore, pg_migrations


def test_every_migration_applies_once(pg_url):
    store = PostgresStore.open(pg_url)
    shipped = [version for version, _, _ in _migrations()]
    assert store.schema_version() == max(shipped)
    assert [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY version")] \
        == shipped
    assert PostgresStore.open(pg_url).migrate() == 0


def test_every_sqlite_only_migration_has_a_postgresql_variant():
    variants = {version: statements for version, _, statements in pg_migrations()}
    for version, name, sql in _migrations():
        if "-- dialect: sqlite" in sql:
            assert "-- dialect: postgresql" in variants[version][0], name
            assert "VIRTUAL TABLE" not in variants[version][0], name


def test_two_processes_opening_a_new_database_migrate_it_once(pg_url):
    errors = []

    def open_it():
        try:
            PostgresStore.open(pg_url).close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = PostgresStore.open(pg_url)
    assert store.query_one("SELECT COUNT(*) FROM schema_migrations")[0] == len(_migrations())


def test_rows_read_like_sqlite_rows(pg_url):
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "1"))
    row = store.query_one("SELECT key, value AS Value FROM meta")
    assert row[0] == "a" and row["key"] == "a" and row["VALUE"] == "1"
    assert dict(zip(row.keys(), row, strict=True)) == {"key": "a", "value": "1"}
    assert store.query_one("SELECT COUNT(*) > 0, SUM(1), AVG(2) FROM meta")[:] == (1, 1, 2.0)


def test_an_insert_gives_its_id_and_explicit_ids_move_the_next_one_on(pg_url):
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        conn.execute("INSERT INTO entities (id, type, name, key) VALUES (41, 'Topic', 'a', 'a')")
        cursor = conn.execute("INSERT INTO entities (type, name, key) VALUES (?, ?, ?)",
                              ("Topic", "b", "b"))
    assert cursor.lastrowid == 42


def test_inserts_of_write_transactions_number_on_without_gaps(pg_url):
    """Ids come from blocks reserved ahead (the statements are pipelined); what a block
    did not use goes back, so the ids are those given one by one."""
    store = PostgresStore.open(pg_url)
    insert = "INSERT INTO entities (type, name, key) VALUES (?, ?, ?)"
    with store.transaction() as conn:
        ids = [conn.execute(insert, ("Topic", n, n)).lastrowid for n in "abc"]
    assert ids == [1, 2, 3]
    assert store.conn.execute(insert, ("Topic", "d", "d")).lastrowid == 4  # no transaction
    with store.transaction() as conn:
        ids = [conn.execute(insert, ("Topic", f"e{i}", f"e{i}")).lastrowid for i in range(40)]
    assert ids == list(range(5, 45))
    assert [r[0] for r in store.query("SELECT id FROM entities ORDER BY id")] == list(range(1, 45))
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute(insert, ("Topic", "f", "f"))
        raise RuntimeError("boom")
    with store.transaction() as conn:
        assert conn.execute(insert, ("Topic", "g", "g")).lastrowid in (45, 46)


def test_results_of_a_pipelined_transaction_are_read_when_asked_for(pg_url):
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("a", "1"), ("b", "1")])
        assert conn.execute("UPDATE meta SET value = '2' WHERE value = '1'").rowcount == 2
        assert conn.execute("SELECT COUNT(*) FROM meta WHERE value = '2'").fetchone()[0] == 2
        assert [r["key"] for r in conn.execute("SELECT key FROM meta ORDER BY key")] == ["a", "b"]


def test_an_error_in_a_pipelined_statement_undoes_the_whole_transaction(pg_url):
    store = PostgresStore.open(pg_url)
    with pytest.raises(psycopg.errors.UniqueViolation), store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '2')")
        conn.execute("INSERT INTO entities (type, name, key) VALUES ('Topic', 'x', 'x')")
    assert not store.conn.in_transaction
    assert store.query_one("SELECT COUNT(*) FROM meta")[0] == 0
    assert store.query_one("SELECT COUNT(*) FROM entities")[0] == 0


def test_insert_or_ignore_ignores_duplicates(pg_url):
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        for _ in range(2):
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('k', 'v')")
    assert store.query_one("SELECT COUNT(*) FROM meta")[0] == 1


def test_a_failed_transaction_leaves_nothing(pg_url):
    store = PostgresStore.open(pg_url)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
        raise RuntimeError("boom")
    assert store.query_one("SELECT COUNT(*) FROM meta")[0] == 0
    assert not store.conn.in_transaction


def test_writers_take_turns(pg_url):
    """Read-then-write transactions do not interleave (as with SQLite's BEGIN IMMEDIATE)."""
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('n', '0')")

    def bump():
        for _ in range(20):
            with store.transaction() as conn:
                value = int(conn.execute("SELECT value FROM meta WHERE key = 'n'").fetchone()[0])
                conn.execute("UPDATE meta SET value = ? WHERE key = 'n'", (str(value + 1),))

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.query_one("SELECT value FROM meta WHERE key = 'n'")[0] == "80"


def test_text_sorts_byte_by_byte_as_in_sqlite(pg_url):
    store = PostgresStore.open(pg_url)
    with store.transaction() as conn:
        for key in ("b", "B", "a", "_x", "Z"):
            conn.execute("INSERT INTO meta (key, value) VALUES (?, NULL)", (key,))
        conn.execute("INSERT INTO meta (key, value) VALUES ('c', 'v')")
    assert [r[0] for r in store.query("SELECT key FROM meta ORDER BY key")] == \
        ["B", "Z", "_x", "a", "b", "c"]
    assert [r[0] for r in store.query("SELECT key FROM meta ORDER BY value, key")][0] == "B"


def test_a_server_that_is_not_there_is_one_line():
    store = PostgresStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreError) as caught:
        store.migrate()
    message = str(caught.value)
    assert "\n" not in message and "check that the server runs" in message


def test_a_missing_database_is_named(pg_url):
    missing = pg_url.rsplit("/", 1)[0] + "/kurt_no_such_database"
    with pytest.raises(StoreError, match="does not exist.*createdb"):
        PostgresStore.open(missing)


def test_a_missing_user_is_named_with_what_to_do(pg_url):
    """A role the server does not know: the advice is to create that user, not a database."""
    host = pg_url.split("@", 1)[1]
    with pytest.raises(StoreError, match="role .* does not exist.*createuser") as caught:
        PostgresStore.open(f"postgresql://kurt_no_such_user:s3cret@{host}")
    assert "createdb" not in str(caught.value) and "s3cret" not in str(caught.value)


def test_close_closes_the_connection(pg_url):
    store = PostgresStore.open(pg_url)
    raw = store.conn.raw
    assert isinstance(raw, psycopg.Connection)
    store.close()
    assert raw.closed
