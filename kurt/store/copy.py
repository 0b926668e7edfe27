"""``kurt store copy``: move a workspace's SQLite store into PostgreSQL, verified.

Every table the two stores share is copied (documents, passages, entities, links,
clusters, embeddings, leases, traffic, meta...), parents before children, in
batches, each batch its own transaction. Rows are upserted by primary key, so
the copy is idempotent and resumable: run it again after an interruption and it
finishes the job; run it again after the SQLite store changed and the target
follows (rows deleted from the source since are reported, not deleted). The
full-text index is not copied: PostgreSQL builds its own as the passages arrive.
Then the text of every fetched document's file in sources/ is stored too
(``kurt.store.content``), so teammates' workspaces can write their files from it.

Verification: per table, the row count and a SHA-256 over every row (each row's
values hashed, the digests taken in primary-key order) on both sides. A table
whose count and hash already match is skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from kurt.store.content import ContentReport, store_workspace_files
from kurt.store.db import Store
from kurt.store.postgres import PostgresStore

BATCH = 2_000
# document_content: the source files' text, filled from sources/ (kurt.store.content), not
# from the SQLite table (empty there); search_pending: SQLite's bookkeeping of its FTS5
# index within one statement (kurt.index.sections), always empty between transactions
SKIPPED_TABLES = {"schema_migrations", "document_content", "search_pending"}


@dataclass
class TableCopy:
    name: str
    source_rows: int = 0
    target_rows: int = 0
    written: int = 0  # rows upserted by this run
    source_hash: str = ""
    target_hash: str = ""
    already: bool = False  # matched before this run: nothing written

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_hash == self.target_hash

    def to_dict(self) -> dict:
        return {"table": self.name, "source_rows": self.source_rows,
                "target_rows": self.target_rows, "written": self.written,
                "source_hash": self.source_hash, "target_hash": self.target_hash,
                "already_copied": self.already, "verified": self.ok}


@dataclass
class CopyReport:
    target: str  # the URL without its password
    migrations_applied: int = 0
    tables: list[TableCopy] = field(default_factory=list)
    not_copied: list[str] = field(default_factory=list)  # source tables the target lacks
    files: ContentReport | None = None  # the source files' text stored in the target

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables) and not self.not_copied

    def to_dict(self) -> dict:
        return {"target": self.target, "migrations_applied": self.migrations_applied,
                "verified": self.ok, "tables": [t.to_dict() for t in self.tables],
                "not_copied": self.not_copied,
                "files": self.files.to_dict() if self.files else None}


def copy_store(source: Store, target: PostgresStore, *, batch: int = BATCH,
               progress: Callable[[str, int, int], None] | None = None) -> CopyReport:
    """Copy every shared table of ``source`` (SQLite) into ``target`` and verify it."""
    report = CopyReport(target.path)
    report.migrations_applied = target.migrate()
    shared, report.not_copied = _tables(source, target)
    for name in shared:
        table = TableCopy(name)
        report.tables.append(table)
        columns, key = _columns(source, target, name)
        table.source_rows, table.source_hash = _digest(_source_rows(source, name, columns), key)
        table.target_rows, table.target_hash = _digest(_target_rows(target, name, columns), key)
        if table.ok:
            table.already = True
            continue
        table.written = _copy_rows(source, target, name, columns, key, batch,
                                   lambda done, n=name, total=table.source_rows: progress and progress(n, done, total))
        table.target_rows, table.target_hash = _digest(_target_rows(target, name, columns), key)
    _follow_identities(target, shared)
    return report


def _tables(source: Store, target: PostgresStore) -> tuple[list[str], list[str]]:
    """The tables to copy, parents first; and the source's tables the target lacks."""
    rows = source.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    virtual = [r["name"] for r in rows if (r["sql"] or "").upper().startswith("CREATE VIRTUAL")]
    names = [r["name"] for r in rows
             if not r["name"].startswith("sqlite_") and r["name"] not in SKIPPED_TABLES
             and not any(r["name"] == v or r["name"].startswith(v + "_") for v in virtual)]
    present = {r[0] for r in target.conn.raw.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    missing = sorted(n for n in names if n not in present)
    names = [n for n in names if n in present]
    parents = {n: {r["table"] for r in source.query(f'PRAGMA foreign_key_list("{n}")')} - {n}
               for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = sorted(n for n in names if n not in ordered and parents[n] <= {*ordered} | (
            parents[n] - set(names)))
        if not ready:  # a cycle: keep the rest as they are (none in Kurt's schema)
            ready = [n for n in names if n not in ordered]
        ordered.extend(ready)
    return ordered, missing


def _columns(source: Store, target: PostgresStore, name: str) -> tuple[list[str], list[int]]:
    """The columns both sides have (source order), and the positions of the primary key."""
    info = source.query(f'PRAGMA table_info("{name}")')
    theirs = {r[0] for r in target.conn.raw.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = %s", (name,))}
    columns = [r["name"] for r in info if r["name"] in theirs]
    pk = sorted((r["pk"], r["name"]) for r in info if r["pk"] and r["name"] in theirs)
    key = [columns.index(c) for _, c in pk] or list(range(len(columns)))
    return columns, key


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _source_rows(source: Store, name: str, columns: list[str]):
    cursor = source.conn.cursor()
    cursor.row_factory = None
    cursor.execute(f'SELECT {_quoted(columns)} FROM "{name}"')
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def _target_rows(target: PostgresStore, name: str, columns: list[str]):
    raw = target.conn.raw
    with raw.transaction(), raw.cursor(name=f"kurt_copy_{name}") as cursor:  # server-side: streamed
        cursor.itersize = BATCH
        cursor.execute(f'SELECT {_quoted(columns)} FROM "{name}"')
        yield from cursor


def _value(value) -> bytes:
    if value is None:
        return b"\x00N"
    if isinstance(value, bytes | bytearray | memoryview):
        return b"B" + bytes(value)
    if isinstance(value, float):
        return b"F" + repr(value).encode()
    if isinstance(value, int):
        return b"I" + str(value).encode()
    return b"T" + str(value).encode("utf-8", "surrogatepass")


def _digest(rows, key: list[int]) -> tuple[int, str]:
    """(row count, SHA-256 of the rows' digests in primary-key order)."""
    digests = []
    for row in rows:
        row_hash = hashlib.sha256(b"\x1f".join(_value(v) for v in row)).digest()
        digests.append((tuple(_sortable(row[i]) for i in key), row_hash))
    digests.sort()
    total = hashlib.sha256()
    for _, row_hash in digests:
        total.update(row_hash)
    return len(digests), total.hexdigest()


def _sortable(value):
    return (0, "") if value is None else (1, value) if isinstance(value, int | float) else (2, str(value))


def _copy_rows(source: Store, target: PostgresStore, name: str, columns: list[str],
               key: list[int], batch: int, progress: Callable[[int], None]) -> int:
    keys = [columns[i] for i in key]
    others = [c for c in columns if c not in keys]
    conflict = (f" ON CONFLICT ({_quoted(keys)}) DO UPDATE SET "
                + ", ".join(f'"{c}" = excluded."{c}"' for c in others)) if others else \
        f" ON CONFLICT ({_quoted(keys)}) DO NOTHING"
    sql = (f'INSERT INTO "{name}" ({_quoted(columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
           + conflict)
    written, pending = 0, []

    def flush() -> None:
        nonlocal written
        with target.transaction() as conn, conn.raw.cursor() as cursor:
            cursor.executemany(sql, pending)
        written += len(pending)
        pending.clear()
        progress(written)

    for row in _source_rows(source, name, columns):
        pending.append(tuple(row))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return written


def _follow_identities(target: PostgresStore, tables: list[str]) -> None:
    """Identity columns continue after the largest id copied, as SQLite's would."""
    with target.transaction() as conn:
        for name in tables:
            if name in target.identity_tables:
                conn.follow_ids(name)


def copy_workspace_store(workspace, url: str, *, progress=None) -> CopyReport:
    """Copy the workspace's SQLite file (.kurt/kurt.db) into the PostgreSQL database ``url``.

    ``progress(done, total)`` is called as the rows of each table arrive."""
    from kurt.errors import StoreError
    from kurt.store.location import check_url

    check_url(url, where="--to")
    if not workspace.db_path.exists():
        raise StoreError(f"No SQLite store to copy: {workspace.relative(workspace.db_path)} does "
                         "not exist in this workspace")
    source = Store.open(workspace.db_path)
    target = PostgresStore.open(url)
    try:
        report = copy_store(source, target, progress=(
            None if progress is None else lambda _table, done, total: progress(done, total)))
        if report.ok:
            report.files = store_workspace_files(workspace.root, target, progress)
        return report
    finally:
        source.close()
        target.close()
