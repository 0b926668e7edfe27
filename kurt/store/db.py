"""The database: one SQLite file in ``.kurt/``, migrated when it opens.

Concurrency: WAL journal, a long busy timeout, and every write in a
``BEGIN IMMEDIATE`` transaction, so two ``kurt`` processes on one workspace
wait for each other instead of failing with "database is locked".
"""

from __future__ import annotations

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

    def __init__(self, path: Path | str):
        self.path = Path(path) if str(path) != ":memory:" else path
        self._local = threading.local()
        self._closed = False

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) and migrate the database at ``path``."""
        store = cls(path)
        if isinstance(store.path, Path):
            store.path.parent.mkdir(parents=True, exist_ok=True)
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
        try:
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we manage transactions ourselves
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"Cannot use the database {self.path}: {exc}. "
                "Restore it from a backup, or move it away and re-run 'kurt init'"
            ) from exc
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- transactions ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken with BEGIN IMMEDIATE (waits, never fails, on a busy db)."""
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        try:
            _retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise
            else:
                _retry_locked(lambda: conn.execute("COMMIT"))
        except sqlite3.OperationalError as exc:
            raise _write_error(self.path, exc) from exc

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
        pending = [m for m in _migrations() if m[0] > self.schema_version()]
        if not pending:
            return 0
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
            raise StoreError(
                f"Cannot migrate the database {self.path}: {exc}. "
                "Restore it from a backup or remove .kurt/ and re-run 'kurt content map'"
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


def _write_error(path: Path | str, exc: sqlite3.OperationalError) -> Exception:
    """A write the file system refused becomes a StoreError; anything else stays a bug."""
    message = str(exc).lower()
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return StoreError(
            f"Cannot write the database {path}: it, its -wal/-shm files or its folder "
            "is read-only. Make them writable (chmod u+w) and run this command again"
        )
    if "disk is full" in message or "disk i/o" in message:
        return StoreError(
            f"Cannot write the database {path}: {exc}. "
            "Free some disk space and run this command again; nothing was half-written"
        )
    return exc


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
