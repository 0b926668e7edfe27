"""The database: one SQLite file in ``.kurt/``, migrated when it opens.

Concurrency: WAL journal, a long busy timeout, and every write in a
``BEGIN IMMEDIATE`` transaction, so two ``kurt`` processes on one workspace
wait for each other instead of failing with "database is locked".

Faults: every write transaction first checks that the file at the database's
path is still the one this store opened (same device and inode). SQLite itself keeps writing happily into a file deleted under
it, so without this a run would "succeed" into a database nobody can see.
A workspace that cannot be written (read-only mount, no write permission)
is opened read-only, so reading commands keep working; a write then fails
with a one-line message. ``database_error`` turns the SQLite errors that
describe the file, not the program, into such messages.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from kurt.errors import StoreError

BUSY_TIMEOUT_MS = 60_000
# SQLite's page cache per connection (KiB; filled only as pages are read). The default, 2 MiB,
# is a small part of a workspace of thousands of pages: indexing them re-reads the full-text
# index's and the tables' pages from the OS at every transaction.
CACHE_KIB = 65_536
_LOCK_RETRIES = 20


def utcnow() -> str:
    """Timestamps are ISO-8601 UTC strings with second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("kurt.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A connection to the workspace database, one per thread."""

    dialect = "sqlite"  # kurt.store.postgres.PostgresStore: "postgresql"

    def __init__(self, path: Path | str):
        self.path = Path(path) if str(path) != ":memory:" else path
        self._local = threading.local()
        self._closed = False
        self.read_only = False  # opened read-only: the file or its folder cannot be written
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file opened
        self.wrote = False  # a write transaction committed (see check_file)
        self._defers_search = False  # the schema has search_pending (migration 0018)

    @property
    def cache_dir(self) -> Path | None:
        """A local folder for files derived from the store (the vector cache): .kurt/."""
        return self.path.parent if isinstance(self.path, Path) else None

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) and migrate the database at ``path``."""
        store = cls(path)
        if isinstance(store.path, Path) and not store.path.parent.is_dir():
            try:
                store.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from kurt.errors import WriteError

                raise WriteError(store.path.parent, exc) from exc
        store.migrate()
        return store

    # -- connections -------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        on_disk = isinstance(self.path, Path)
        if on_disk and self._identity is not None:
            self.check_file()  # a new thread must not recreate a database deleted under us
        try:
            conn = self._open(read_only=self.read_only)
        except sqlite3.DatabaseError as exc:
            if self.read_only or not on_disk or not _cannot_write(self.path):
                raise database_error(self.path, exc) or StoreError(
                    f"Cannot open the database {self.path}: {exc}") from exc
            self.read_only = True  # a read-only workspace: reading commands still work
            try:
                conn = self._open(read_only=True)
            except sqlite3.DatabaseError as again:
                raise _damaged(self.path, again) or StoreError(
                    f"Cannot open the database {self.path} read-only ({again}): its folder "
                    "cannot be written and SQLite needs to once (a -wal file left by an "
                    "interrupted command?). Make .kurt/ writable and run this command again"
                ) from again
        if on_disk and self._identity is None:
            self._identity = _identity(self.path)
        return conn

    def _open(self, *, read_only: bool) -> sqlite3.Connection:
        """A configured connection; read-only ones never create or change a file."""
        target, uri = str(self.path), False
        if read_only:
            target, uri = _read_only_uri(self.path), True
        conn = sqlite3.connect(
            target,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # we manage transactions ourselves
            check_same_thread=False,
            uri=uri,
        )
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            else:
                if self.path != ":memory:":
                    _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def check_file(self) -> None:
        """Raise StoreError when the database file was deleted or replaced since this store
        opened it (SQLite would go on writing to the lost file).

        Only ``os.stat``: opening and closing the file here would release the POSIX locks
        SQLite holds on it (closing any descriptor of a file drops them all). A file
        overwritten in place keeps its inode; SQLite reports it as damaged when it reads it.
        """
        if self._identity is None or not isinstance(self.path, Path):
            return
        try:
            current = _identity(self.path)
        except FileNotFoundError:
            raise StoreError(
                f"The database {self.path} was deleted while this command ran (the files it "
                "fetched are kept in sources/): run 'kurt content rebuild' to restore their "
                "documents (no download), then run this command again") from None
        except OSError as exc:
            raise StoreError(f"Cannot read the database {self.path}: {exc.strerror or exc}") from exc
        if current != self._identity:
            raise StoreError(
                f"The database {self.path} was replaced by another file while this command ran: "
                "nothing more was written. Check that file (restored from a backup?) and run "
                "this command again")

    def check_readable(self) -> None:
        """Raise StoreError when the database no longer reads from disk: a long write run
        calls it at its end, so a file overwritten in place while it ran is reported by the
        command that wrote into it, not by the next one.

        A new connection (its cache empty, unlike this store's) reads the schema and the
        migrations table, a few pages that a run's own writes rarely hold in the WAL. SQLite
        keeps this process's locks when that connection closes (it defers closing a file
        that another connection of the process has locked).
        """
        if not isinstance(self.path, Path):
            return
        try:
            conn = self._open(read_only=True)
            try:
                conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            error = database_error(self.path, exc, read_only=self.read_only)
            if error is None:
                raise
            raise error from exc

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- transactions ------------------------------------------------------

    @contextmanager
    def transaction(self, *, exclusive: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken with BEGIN IMMEDIATE (waits, never fails, on a busy db).

        ``exclusive``: SQLite always has one writer at a time; on PostgreSQL (see
        kurt.store.postgres) False lets the transaction run beside others, for statements
        that lock their own rows.

        Under the write lock, the file is checked to still be the database this
        store opened (see ``check_file``) before anything is written.
        """
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        try:
            _retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))
            try:
                # Another process may have changed the schema (a migration) while we waited for
                # the lock. A plain statement notices and reloads it; without this, SQLite's
                # foreign-key checks of the first DELETE use the stale schema ("no such table").
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
                self.check_file()
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    if self._defers_search or self._has_search_pending(conn):
                        flush_search(conn)
                    _retry_locked(lambda: conn.execute("COMMIT"))
                except BaseException:  # (a full disk): leave no transaction open
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                self.wrote = True
        except sqlite3.DatabaseError as exc:
            error = database_error(self.path, exc, read_only=self.read_only)
            if error is None:
                raise
            raise error from exc

    def _has_search_pending(self, conn: sqlite3.Connection) -> bool:
        """Whether the schema defers full-text inserts to the end of a transaction (remembered
        once true: a schema only moves forward)."""
        self._defers_search = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_pending'").fetchone() is not None
        return self._defers_search

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        return _retry_locked(lambda: self.conn.execute(sql, params).fetchall())

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        return _retry_locked(lambda: self.conn.execute(sql, params).fetchone())

    # -- migrations --------------------------------------------------------

    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        value = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        return int(value or 0)

    def migrate(self) -> int:
        """Apply pending migrations; safe when several processes open a new db at once."""
        try:
            version = self.schema_version()
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc, read_only=self.read_only) or StoreError(
                f"Cannot read the database {self.path}: {exc}") from exc
        pending = [m for m in _migrations() if m[0] > version]
        if not pending:
            return 0
        if self.read_only:
            raise StoreError(
                f"The database {self.path} needs an upgrade to this version of Kurt, but the "
                "workspace is read-only: make .kurt/ writable and run this command again")
        applied = 0
        try:
            with self.transaction() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                current = self.schema_version()  # re-read under the write lock
                for version, name, sql in pending:
                    if version <= current:
                        continue
                    for statement in _split_sql(sql):
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        (version, name, utcnow()),
                    )
                    applied += 1
        except sqlite3.DatabaseError as exc:
            error = database_error(self.path, exc, read_only=self.read_only)
            raise error or StoreError(
                f"Cannot migrate the database {self.path}: {exc}. Move it (and its -wal/-shm "
                "files) away and run 'kurt content rebuild' to restore the documents from sources/"
            ) from exc
        return applied


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (complete_statement knows about triggers)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def database_error(path: Path | str, exc: sqlite3.DatabaseError, *,
                   read_only: bool = False) -> StoreError | None:
    """The one-line StoreError for an SQLite error about the file (damaged, read-only,
    missing, disk full); None for anything else, which is a bug and keeps its traceback."""
    message = str(exc).lower()
    damaged = _damaged(path, exc)
    if damaged is not None:
        return damaged
    if "disk is full" in message:
        return StoreError(
            f"Cannot write the database {path}: the disk is full. Free some disk space and "
            "run this command again; nothing was half-written")
    on_disk = isinstance(path, Path)
    about_the_file = any(word in message for word in ("readonly", "read-only", "disk i/o",
                                                      "unable to open"))
    if on_disk and about_the_file and not path.exists():
        return StoreError(
            f"The database {path} was deleted while this command ran: run 'kurt content "
            "rebuild' to restore the documents from sources/ (no download)")
    cannot_write = read_only or (on_disk and _cannot_write(path))
    if cannot_write and about_the_file:
        return StoreError(
            f"Cannot write the database {path}: the workspace is read-only (the file or its "
            ".kurt/ folder cannot be written). Reading commands (list, search, get) work; make "
            ".kurt/ writable (chmod u+w, or remount read-write) to change anything")
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"Cannot write the database {path}: it, its -wal/-shm files or its folder is "
            "read-only. Make them writable (chmod u+w) and run this command again")
    if "unable to open" in message:
        return StoreError(
            f"Cannot open the database {path}: {exc}. Check that its folder exists and is "
            "readable, and run this command again")
    if "disk i/o" in message:
        return StoreError(
            f"Cannot use the database {path}: {exc}. Check the disk (full? removed?) and "
            "run this command again")
    return None


SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26  # primary result codes (extended ones add high bits)


def _damaged(path: Path | str, exc: sqlite3.DatabaseError) -> StoreError | None:
    """The damaged-database error, told by SQLite's result code (SQLITE_CORRUPT comes with
    many messages: "database disk image is malformed", "vtable constructor failed: X" for
    a full-text table whose pages are damaged, ...) or, failing that, by its message."""
    message = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    corrupt = code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    if corrupt or "malformed" in message or "not a database" in message or "encrypted" in message:
        return StoreError(
            f"The database {path} is damaged ({exc}): move {path} and its -wal/-shm files "
            "away (keep them as a backup) and run 'kurt content rebuild' to restore the "
            "documents from sources/ (no download)")
    return None


def _identity(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _cannot_write(path: Path) -> bool:
    """True when the database, or the folder its -wal/-shm files go in, is not writable."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return True
    return path.exists() and not os.access(path, os.W_OK)


def _read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` without writing anything.

    ``mode=ro`` reads a WAL database only when its -wal and -shm files exist (a
    read-only folder cannot get new ones); otherwise the file is opened
    ``immutable``, which is safe only because nothing can change it: it is not
    used when a -wal file with content is left over (that content would be missed).
    """
    from urllib.parse import quote

    quoted = quote(path.resolve().as_posix())
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if wal.exists() and shm.exists():
        return f"file:{quoted}?mode=ro"
    if wal.exists() and wal.stat().st_size > 0:
        return f"file:{quoted}?mode=ro"  # fails loudly rather than serve a stale state
    return f"file:{quoted}?immutable=1"


def _retry_locked(action):
    """Run ``action``, retrying while SQLite reports a lock the busy timeout did not absorb."""
    delay = 0.05
    for attempt in range(_LOCK_RETRIES):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "locked" not in message and "busy" not in message:
                raise
            if attempt == _LOCK_RETRIES - 1:
                raise StoreError(
                    "The database stayed busy for too long; another kurt command is still "
                    "writing. Wait for it to finish and run this command again"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    return None


def flush_search(conn: sqlite3.Connection) -> None:
    """Put the passages stored in this transaction into the FTS5 indexes, in one statement
    each (migration 0018): every id range ``search_pending`` notes, then empty it. Called by
    ``Store.transaction`` before it commits; a no-op when nothing is pending."""
    if conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is None:
        return
    conn.execute("INSERT INTO sections_fts (rowid, heading_path, search_body)"
                 " SELECT s.id, s.heading_path, s.search_body FROM search_pending p"
                 " JOIN sections s ON s.id BETWEEN p.first AND p.last")
    # (+s.position: the id range must drive the join; with position indexable, SQLite builds
    # an automatic index over every passage at each commit)
    conn.execute("INSERT INTO document_titles_fts (rowid, title, url)"
                 " SELECT s.id, d.title, d.url FROM search_pending p"
                 " JOIN sections s ON s.id BETWEEN p.first AND p.last AND +s.position = 0"
                 " JOIN documents d ON d.id = s.document_id")
    conn.execute("DELETE FROM search_pending")
