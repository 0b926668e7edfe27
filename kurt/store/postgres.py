"""The store on PostgreSQL (psycopg 3): a team's shared corpus (docs/teams.md).

``PostgresStore`` has the interface of the SQLite ``Store``: ``conn`` (one
connection per thread), ``transaction()``, ``query``/``query_one`` and
``migrate()``. Its connection speaks the SQLite dialect the rest of Kurt is
written in: statements go through ``kurt.store.translate``, rows can be read
by index or by column name like ``sqlite3.Row``, a cursor has ``lastrowid``
after an INSERT into a table with an ``id`` identity column, SUM() comes back
as an int and comparisons as 0/1, as SQLite returns them.

Writes: one write transaction at a time per database (a transaction-level
advisory lock), the semantics of SQLite's ``BEGIN IMMEDIATE`` that the store's
read-then-write transactions rely on. Reads never wait for it.

Round trips: the library issues many small statements, written for SQLite where a
statement is a function call. Inside a write transaction the connection is in
psycopg's pipeline mode: a statement is sent without waiting for its result, and the
results are read when something asks for them (a fetch, ``rowcount``, ``description``),
or at the end of the transaction; an error surfaces there, and the transaction is
rolled back as always. A single-row INSERT into a table with an identity ``id``, whose
caller reads ``lastrowid``, gets its id from a block of the table's sequence reserved
beforehand (one statement per block, under the write lock), so it need not wait for a
``RETURNING id`` either; what the block did not use goes back to the sequence before
the commit, so ids follow on as they would have one by one.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kurt.errors import StoreError
from kurt.store.db import Store, _migrations, _split_sql, utcnow
from kurt.store.location import redact
from kurt.store.translate import ddl_to_postgres, identity_tables, to_postgres

WRITE_LOCK = 0x6B757274  # "kurt": the advisory lock every write transaction takes
ID_BLOCK = 32  # ids reserved at a time for the inserts of a write transaction ...
ID_BLOCK_MAX = 4096  # ... doubling per table in one transaction up to this


class Row(tuple):
    """A result row: by index, by column name (any case), ``keys()``, like sqlite3.Row."""

    def __new__(cls, values, index: dict[str, int], names: list[str]):
        row = super().__new__(cls, values)
        row._index = index
        row._names = names
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lower()])
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor):
    names = [column.name for column in cursor.description or ()]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name.lower(), position)

    def make(values):
        return Row(values, index, names)

    return make


def _params(params):
    """SQLite takes True/False as 1/0 in INTEGER columns; PostgreSQL wants them so too."""
    if isinstance(params, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


class Cursor:
    """What ``execute`` returns: rows, ``rowcount`` and ``lastrowid``, as sqlite3's cursor.

    In a pipelined transaction its result is read when first asked for (``_ready``)."""

    def __init__(self, raw, lastrowid=None, conn: Connection | None = None, sent: int = 0):
        self._raw = raw
        self.lastrowid = lastrowid
        self._plain = False
        self._conn = conn
        self._sent = sent  # the connection's count of pipelined statements when this one went

    def _ready(self) -> None:
        if self._conn is not None:
            self._conn.wait_for(self._sent)

    @property
    def rowcount(self) -> int:
        self._ready()
        return self._raw.rowcount

    @property
    def description(self):
        self._ready()
        return self._raw.description

    @property
    def row_factory(self):
        return None if self._plain else _row_factory

    @row_factory.setter
    def row_factory(self, value) -> None:
        from psycopg.rows import tuple_row

        self._plain = value is None
        self._raw.row_factory = tuple_row if self._plain else _row_factory

    def execute(self, sql: str, params=()) -> Cursor:
        self._raw.execute(to_postgres(sql), _params(params))
        if self._conn is not None:
            self._sent = self._conn.sent()
        return self

    def fetchone(self):
        return self._raw.fetchone() if self.description else None

    def fetchall(self) -> list:
        return self._raw.fetchall() if self.description else []

    def fetchmany(self, size: int = 1) -> list:
        return self._raw.fetchmany(size) if self.description else []

    def __iter__(self):
        return iter(self.fetchall())

    def close(self) -> None:
        self._raw.close()


class Connection:
    """A psycopg connection that runs the store's SQLite-dialect statements."""

    def __init__(self, raw, identity: set[str]):
        self.raw = raw
        self._identity = identity
        self._pipeline = None  # psycopg's Pipeline while a write transaction pipelines
        self._sent = self._synced = 0  # statements sent in the pipeline / whose results are in
        self._ids: dict[str, deque[int]] = {}  # table -> ids reserved, not used yet
        self._blocks: dict[str, int] = {}  # table -> size of its last block
        self._sequences: dict[str, str] = {}  # table -> its id sequence

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def cursor(self) -> Cursor:
        return Cursor(self.raw.cursor(row_factory=_row_factory), conn=self)

    def sent(self) -> int:
        """Count one more statement sent (pipelined or not); its number."""
        self._sent += 1
        if self._pipeline is None:
            self._synced = self._sent
        return self._sent

    def wait_for(self, sent: int) -> None:
        """Read the pipeline's results up to statement ``sent`` (all of them: they come in order)."""
        if sent > self._synced and self._pipeline is not None:
            self._pipeline.sync()
            self._synced = self._sent

    def execute(self, sql: str, params=()) -> Cursor:
        statement = to_postgres(sql)
        table = _insert_table(statement)
        explicit = table in self._identity and _names_id(statement)
        returning = (table in self._identity and not explicit
                     and " RETURNING " not in statement.upper())
        raw = self.raw.cursor(row_factory=_row_factory)
        if returning and self._pipeline is not None and (with_id := _with_id(statement)):
            new_id = self._next_id(table)
            raw.execute(with_id, [new_id, *_params(params)])
            return Cursor(raw, new_id, self, self.sent())
        if returning:
            statement = statement.rstrip().rstrip(";") + " RETURNING id"
        raw.execute(statement, _params(params))
        cursor = Cursor(raw, None, self, self.sent())
        if returning:
            row = cursor.fetchone()
            cursor.lastrowid = row[0] if row else None
        elif explicit:
            self.follow_ids(table)
        return cursor

    def executemany(self, sql: str, seq_of_params) -> Cursor:
        statement = to_postgres(sql)
        raw = self.raw.cursor(row_factory=_row_factory)
        raw.executemany(statement, [_params(p) for p in seq_of_params])
        cursor = Cursor(raw, None, self, self.sent())
        table = _insert_table(statement)
        if table in self._identity and _names_id(statement):
            self.follow_ids(table)
        return cursor

    # -- pipelined write transactions (see the module docstring) --

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """Pipeline the statements of the block; ids reserved and not used are given back
        when it ends without an error."""
        with self.raw.pipeline() as pipeline:
            self._pipeline = pipeline
            try:
                yield
                self.give_back_ids()
            finally:
                self._pipeline = None
                self._blocks.clear()
        self._synced = self._sent

    def _sequence(self, table: str) -> str:
        name = self._sequences.get(table)
        if name is None:
            name = self.raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
            self._sequences[table] = name
        return name

    def _next_id(self, table: str) -> int:
        """The next id of ``table``, from a block of its sequence reserved in one statement."""
        ids = self._ids.get(table)
        if not ids:
            size = min(ID_BLOCK_MAX, self._blocks.get(table, ID_BLOCK // 2) * 2)
            self._blocks[table] = size
            ids = self._ids[table] = deque(row[0] for row in self.raw.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                (self._sequence(table), size)).fetchall())
        return ids.popleft()

    def give_back_ids(self) -> None:
        """Move each sequence back before the ids reserved and not used (all of them after
        a rollback), unless another session took ids from it since: then they are a gap."""
        reserved, self._ids = self._ids, {}
        for table, ids in reserved.items():
            if ids:
                sequence = self._sequence(table)
                self.raw.execute(
                    f"SELECT setval(%s, %s, %s) FROM {sequence} WHERE last_value = %s",
                    (sequence, max(ids[0] - 1, 1), ids[0] > 1, ids[-1]))

    def follow_ids(self, table: str) -> None:
        """After rows were inserted with their own ids, the next id SQLite would give is
        one past the largest: move the identity sequence there (ids reserved before are
        dropped: they may now be taken)."""
        self._ids.pop(table, None)
        self.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM {table}")

    def executescript(self, script: str) -> None:
        self.raw.execute(script)

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


def _names_id(statement: str) -> bool:
    """Whether an INSERT lists the ``id`` column (the rows bring their own ids)."""
    if "(" not in statement:
        return False
    columns = statement.split("(", 1)[1].split(")", 1)[0]
    return "id" in (c.strip().strip('"').lower() for c in columns.split(","))


_SINGLE_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)\s*\(([^()]*)\)\s*VALUES\s*\(([^()]*)\)\s*;?\s*",
                            re.IGNORECASE)


@lru_cache(maxsize=512)
def _with_id(statement: str) -> str | None:
    """A plain single-row INSERT with the ``id`` column added first (its value the first
    parameter); None for any other statement (several rows, ON CONFLICT, a SELECT...)."""
    match = _SINGLE_INSERT.fullmatch(statement)
    if match is None:
        return None
    return f"INSERT INTO {match[1]} (id, {match[2]}) VALUES (%s, {match[3]})"


def _insert_table(statement: str) -> str | None:
    head = statement.lstrip()[:200].split(None, 3)
    if len(head) >= 3 and head[0].upper() == "INSERT" and head[1].upper() == "INTO":
        return head[2].split("(")[0].strip('"').lower()
    return None


def _loaders(raw) -> None:
    """SQLite's types for results: SUM()/numeric as int or float, booleans as 0/1."""
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data):
            text = bytes(data).decode()
            try:
                return int(text)
            except ValueError:
                return float(text)

    class BoolLoader(Loader):
        def load(self, data):
            return 1 if bytes(data) == b"t" else 0

    raw.adapters.register_loader("numeric", NumericLoader)
    raw.adapters.register_loader("bool", BoolLoader)


def pg_migrations() -> list[tuple[int, str, list[str]]]:
    """(version, name, statements) of every migration as PostgreSQL runs it: the variant in
    migrations/postgresql/ where there is one (run as one script), else the portable file
    translated statement by statement."""
    folder = resources.files("kurt.store") / "migrations" / "postgresql"
    variants = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            variants[int(entry.name[:4])] = (entry.name, entry.read_text(encoding="utf-8"))
    found = []
    for version, name, sql in _migrations():
        if version in variants:
            found.append((version, variants[version][0], [variants[version][1]]))
            continue
        if "-- dialect: sqlite" in sql:
            raise StoreError(f"Migration {name} is written for SQLite only and has no "
                             "PostgreSQL variant in kurt/store/migrations/postgresql/")
        found.append((version, name, [ddl_to_postgres(s) for s in _split_sql(sql)]))
    return found


def _identity_tables() -> set[str]:
    return identity_tables([s for _, _, sql in _migrations() for s in _split_sql(sql)])


class PostgresStore(Store):
    """The store in a PostgreSQL database (see the module docstring)."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.url = url
        self.path = redact(url)  # what messages name
        self._local = threading.local()
        self._closed = False
        self.read_only = False
        self._identity = None
        self.wrote = False
        self.identity_tables = _identity_tables()
        self.local_dir: Path | None = None  # the workspace's .kurt/, for cache_dir

    @property
    def cache_dir(self) -> Path | None:
        """Files derived from this database (the vector cache) in the workspace's .kurt/,
        one folder per database, so a workspace that changes its store never mixes them."""
        if self.local_dir is None:
            return None
        import hashlib

        digest = hashlib.sha256(redact(self.url).encode()).hexdigest()[:12]
        return self.local_dir / "postgresql" / digest

    @classmethod
    def open(cls, url: str) -> PostgresStore:  # type: ignore[override]
        store = cls(url)
        store.migrate()
        return store

    def _connect(self) -> Connection:
        import psycopg

        try:
            raw = psycopg.connect(self.url, autocommit=True, application_name="kurt")
        except psycopg.OperationalError as exc:
            raise connection_error(self.path, exc) from exc
        _loaders(raw)
        return Connection(raw, self.identity_tables)

    def check_file(self) -> None:
        """Nothing to check: a server's database cannot be deleted from under an open
        connection (a dropped connection raises on its next statement)."""

    @contextmanager
    def transaction(self, *, exclusive: bool = True, pipeline: bool = True) -> Iterator[Connection]:
        """A write transaction; one at a time per database (see the module docstring), unless
        not ``exclusive``: then it takes only the row locks its statements take. An exclusive
        one is pipelined unless not ``pipeline`` (scripts of several statements cannot be)."""
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        import psycopg

        try:
            conn.raw.execute("BEGIN")
            try:
                if exclusive:
                    conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                if exclusive and pipeline:
                    with conn.pipelined():
                        yield conn
                else:
                    yield conn
            except BaseException:
                if not conn.raw.closed:
                    conn.rollback()
                    with suppress(psycopg.Error):
                        conn.give_back_ids()
                raise
            else:
                conn.raw.execute("COMMIT")
                self.wrote = True
        except psycopg.OperationalError as exc:
            raise connection_error(self.path, exc) from exc

    def query(self, sql: str, params=()) -> list:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchone()

    def schema_version(self) -> int:
        row = self.conn.raw.execute("SELECT to_regclass('schema_migrations')").fetchone()
        if row is None or row[0] is None:
            return 0
        value = self.conn.raw.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        return int(value or 0)

    def migrate(self) -> int:
        """Apply pending migrations (the PostgreSQL variants); safe when several processes
        open a new database at once (they take the write lock in turn)."""
        import psycopg

        try:
            version = self.schema_version()
        except psycopg.OperationalError as exc:
            raise connection_error(self.path, exc) from exc
        pending = [m for m in pg_migrations() if m[0] > version]
        if not pending:
            return 0
        applied = 0
        try:
            with self.transaction(pipeline=False) as conn:
                conn.raw.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
                    ' name TEXT COLLATE "C" NOT NULL, applied_at TEXT COLLATE "C" NOT NULL)')
                current = self.schema_version()  # re-read under the write lock
                for number, name, statements in pending:
                    if number <= current:
                        continue
                    for statement in statements:
                        conn.raw.execute(statement)
                    conn.raw.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (%s, %s, %s)", (number, name, utcnow()))
                    applied += 1
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(
                f"Cannot migrate the PostgreSQL store {self.path}: {_first_line(exc)}. Ask its "
                "owner to run 'kurt store migrate', or grant this user CREATE on the database"
            ) from exc
        return applied


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def connection_error(where: str, exc: Exception) -> StoreError:
    """The one-line StoreError for a server that cannot be reached or refuses us."""
    message = _first_line(exc)
    lower = message.lower()
    if "password" in lower and ("no password" in lower or "authentication failed" in lower):
        advice = ("set PGPASSWORD or add a ~/.pgpass line for it (never in kurt.toml), "
                  "then run this command again")
    elif "role" in lower and "does not exist" in lower:
        advice = ("create that user (createuser) or fix the user in [store] url in kurt.toml "
                  "(or KURT_DATABASE_URL), then run this command again")
    elif "does not exist" in lower:
        advice = "create it (createdb) or fix [store] url in kurt.toml, then run this command again"
    else:
        advice = ("check that the server runs and that [store] url in kurt.toml (or "
                  "KURT_DATABASE_URL) names it, then run this command again")
    return StoreError(f"Cannot use the PostgreSQL store {where}: {message}: {advice}")
