"""``kurt store copy``: a SQLite workspace moved into a real PostgreSQL database, verified
by counts and hashes, resumable; then the same commands give the same answers."""

from __future__ import annotations

import json
import subprocess
import time

import psycopg
import pytest
from conftest import kurt_command

from kurt.store.copy import copy_store, copy_workspace_store
from kurt.store.db import Store
from kurt.store.postgres import PostgresStore

SQLITE_ONLY = pytest.mark.parametrize("store_kind", ["sqlite"])  # the source is SQLite


@pytest.fixture
def copied(railway_workspace, pg_url):
    report = copy_workspace_store(railway_workspace, pg_url)
    return railway_workspace, pg_url, report


def test_every_table_is_copied_and_verified(copied):
    ws, url, report = copied
    assert report.ok
    tables = {t.name: t for t in report.tables}
    assert {"documents", "sections", "entities", "document_entities", "links", "meta"} <= set(tables)
    source = Store.open(ws.db_path)
    for name in ("documents", "sections", "entity_sections"):
        count = source.query_one(f"SELECT COUNT(*) FROM {name}")[0]
        assert count > 0 and tables[name].target_rows == count
    assert not any(name.startswith("sections_fts") for name in tables)  # PostgreSQL's own index
    target = PostgresStore.open(url)
    assert target.query_one("SELECT COUNT(*) FROM sections_fts")[0] == tables["sections"].source_rows


def test_copying_again_writes_nothing(copied):
    ws, url, _ = copied
    again = copy_workspace_store(ws, url)
    assert again.ok
    assert all(t.already and t.written == 0 for t in again.tables)


def test_an_interrupted_copy_finishes_when_run_again(copied):
    ws, url, _ = copied
    target = PostgresStore.open(url)
    with target.transaction() as conn:  # as if the run had stopped half-way through sections
        conn.execute("DELETE FROM sections WHERE id % 2 = 0")
    source, target = Store.open(ws.db_path), PostgresStore.open(url)
    halfway = copy_store(source, target)
    assert halfway.ok, [t.to_dict() for t in halfway.tables if not t.ok]
    sections = next(t for t in halfway.tables if t.name == "sections")
    assert not sections.already and sections.written == sections.source_rows


def test_a_row_that_differs_is_found_and_copied_again(copied):
    ws, url, _ = copied
    target = PostgresStore.open(url)
    with target.transaction() as conn:
        conn.execute("UPDATE documents SET title = 'changed' WHERE id = (SELECT MIN(id) FROM documents)")
    report = copy_store(Store.open(ws.db_path), target)
    documents = next(t for t in report.tables if t.name == "documents")
    assert documents.ok and not documents.already
    assert target.query_one("SELECT COUNT(*) FROM documents WHERE title = 'changed'")[0] == 0


def test_ids_continue_after_the_copied_ones(copied):
    ws, url, _ = copied
    target = PostgresStore.open(url)
    largest = target.query_one("SELECT MAX(id) FROM entities")[0]
    with target.transaction() as conn:
        new = conn.execute("INSERT INTO entities (type, name, key) VALUES ('Topic', 'n', 'n')")
    assert new.lastrowid == largest + 1


def test_the_cli_copies_and_the_workspace_then_reads_postgresql(railway_workspace, pg_url, kurt):
    ws = railway_workspace
    result = kurt("store", "copy", "--to", pg_url, "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert result.json()["verified"] is True
    pg = {"KURT_DATABASE_URL": pg_url}
    for args in (["content", "list", "--format", "json"],
                 ["content", "list", "--with-entity", "Technology:postgresql", "--format", "json"],
                 ["content", "list", "--url-prefix", "https://docs.railway.com/guides/",
                  "--exclude", "*postgres*", "--changed-since", "2020-01-01", "--format", "json"],
                 ["content", "list", "--with-content-type", "tutorial", "--domain",
                  "docs.railway.com", "--format", "json"],
                 ["content", "list-entities", "--limit", "20", "--format", "json"],
                 ["content", "get", "https://docs.railway.com/docs/databases/postgresql",
                  "--format", "json"],
                 ["content", "stats", "--format", "json"]):
        on_sqlite = kurt(*args, cwd=ws.root)
        on_postgres = kurt(*args, cwd=ws.root, env=pg)
        assert on_sqlite.exit_code == on_postgres.exit_code == 0, on_postgres.output
        assert on_postgres.stdout == on_sqlite.stdout, args
    migrated = kurt("store", "migrate", cwd=ws.root, env=pg)
    assert migrated.exit_code == 0 and "already up to date" in migrated.stdout
    assert "postgresql" in migrated.stdout


@SQLITE_ONLY
def test_a_password_in_kurt_toml_is_refused_in_one_line(workspace, kurt):
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[store]\nurl = "postgresql://kurt:s3cret@127.0.0.1/corpus"\n')
    result = kurt("content", "list", cwd=workspace.root)
    assert result.exit_code != 0
    assert "passwords do not belong in kurt.toml" in result.stderr
    assert "s3cret" not in result.output and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@SQLITE_ONLY
def test_copy_to_something_else_than_postgresql_is_refused(workspace, kurt):
    result = kurt("store", "copy", "--to", "mysql://db/x", cwd=workspace.root)
    assert result.exit_code != 0 and "is not a PostgreSQL URL" in result.stderr
    assert "Traceback" not in result.output


@SQLITE_ONLY
def test_a_store_server_that_does_not_answer_is_one_line(workspace, kurt):
    with workspace.config_path.open("a", encoding="utf-8") as config:
        config.write('\n[store]\nurl = "postgresql://kurt@127.0.0.1:1/corpus"\n')
    result = kurt("content", "list", cwd=workspace.root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: Cannot use the PostgreSQL store postgresql://kurt@127.0.0.1:1/corpus")
    assert "check that the server runs" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@SQLITE_ONLY
def test_store_migrate_reports_the_sqlite_store(workspace, kurt):
    result = kurt("store", "migrate", "--format", "json", cwd=workspace.root)
    assert result.exit_code == 0, result.output
    report = result.json()
    assert report["dialect"] == "sqlite" and report["store"] == ".kurt/kurt.db"
    assert report["applied"] == 0 and report["version"] >= 16


def test_kill_9_of_kurt_store_copy_then_the_same_command_finishes_it(railway_workspace, pg_url):
    """A copy killed while it waits on the passages (the documents already in) is finished
    and verified by running the same command again."""
    PostgresStore.open(pg_url).close()  # the schema, so the table can be held below
    with psycopg.connect(pg_url) as holder:
        holder.execute("LOCK TABLE sections IN ACCESS EXCLUSIVE MODE")  # the copy waits here
        proc = subprocess.Popen([*kurt_command(), "store", "copy", "--to", pg_url],
                                cwd=railway_workspace.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + 300
        with psycopg.connect(pg_url, autocommit=True) as watch:
            while not watch.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()").fetchone()[0]:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < end, "the copy never reached the passages"
                time.sleep(0.05)
        proc.kill()
        proc.communicate(timeout=60)
        holder.rollback()
    target = PostgresStore.open(pg_url)
    source = Store.open(railway_workspace.db_path)
    documents = source.query_one("SELECT COUNT(*) FROM documents")[0]
    assert target.query_one("SELECT COUNT(*) FROM documents")[0] == documents  # half-way
    assert target.query_one("SELECT COUNT(*) FROM sections")[0] == 0
    target.close()
    again = subprocess.run([*kurt_command(), "store", "copy", "--to", pg_url, "--format", "json"],
                           cwd=railway_workspace.root, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["verified"] is True
    tables = {t["table"]: t for t in report["tables"]}
    assert all(t["verified"] for t in tables.values())
    assert tables["documents"]["already_copied"] and not tables["sections"]["already_copied"]
    assert tables["sections"]["target_rows"] == source.query_one("SELECT COUNT(*) FROM sections")[0]
