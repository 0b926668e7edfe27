"""The per-host politeness budget shared by every fetch run of a workspace: the workers on
several machines pointed at one PostgreSQL store (docs/teams.md), or the runs of one
SQLite workspace (docs/ingest.md).

Each worker paces its requests to a host (``kurt.ingest.pacing.HostPace``: a start for each
request, the host's interval and a tolerance apart, and the request written no later than
the tolerance after it). Alone, two workers would each keep that pace, so the host would
see twice the rate. With a shared budget, every start is reserved in the store's
``host_budget`` table (migration 0016) by one atomic upsert: the start is the later of now
and the host's next free start, which moves on by the spacing. So the workers together
keep the host's pace. Times are seconds since the epoch of each machine's clock (keep the
clocks in sync, as NTP does). A reservation costs one statement, done in a worker thread;
its "now" is taken the last reservation's round trip ahead (at most ``MAX_LEAD``), so on
an idle host the start is about when the answer is back, not already past.

A SQLite workspace keeps the same table in a small database of its own beside ``kurt.db``
(``.kurt/pace.db``, ``PaceFile``): a reservation there never waits behind the fetch's own
writes to ``kurt.db``, and two runs on the workspace (two terminals, an agent and a person)
together keep each host's pace. It holds nothing else: deleted, it is made again empty.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

MAX_LEAD = 1.0  # seconds: the most a start is put ahead of now for the round trip


class SharedHostBudget:
    """``reserve(host, spacing)``: the start of a request to ``host``, a ``clock`` time."""

    def __init__(self, store, clock=time.time):
        self.store = store
        self.clock = clock
        self.lead = 0.0  # the last reservation's round trip, seconds

    def reserve_now(self, host: str, spacing: float) -> float:
        began = self.clock()
        now = began + self.lead
        with self.store.transaction(exclusive=False) as conn:
            end = conn.execute(
                "INSERT INTO host_budget (host, next_start) VALUES (?, ?)"
                " ON CONFLICT (host) DO UPDATE SET next_start ="
                " MAX(host_budget.next_start, ?) + ? RETURNING next_start",
                (host, now + spacing, now, spacing)).fetchone()[0]
        self.lead = min(MAX_LEAD, max(0.0, self.clock() - began))
        return end - spacing

    async def reserve(self, host: str, spacing: float) -> float:
        return await asyncio.to_thread(self.reserve_now, host, spacing)

    def close(self) -> None:
        """Close a pace file (a PostgreSQL store is the caller's to close)."""
        if isinstance(self.store, PaceFile):
            self.store.close()


class PaceFile:
    """The host budget of a SQLite workspace (see the module docstring): the one table, in
    its own file, behind the ``transaction()`` that ``SharedHostBudget`` uses."""

    dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()  # reservations come from worker threads
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a lost reservation after a power cut costs nothing
            conn.execute("CREATE TABLE IF NOT EXISTS host_budget"
                         " (host TEXT PRIMARY KEY, next_start REAL NOT NULL)")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    @contextmanager
    def transaction(self, exclusive: bool = False):
        with self._lock:
            if self._conn is None:
                try:
                    self._conn = self._connect()
                except sqlite3.DatabaseError:  # damaged: it holds nothing worth keeping
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    self._conn = self._connect()
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")  # waits (timeout) while another run reserves
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def shared_budget(store) -> SharedHostBudget | None:
    """The budget every fetch run of the workspace shares: through a PostgreSQL store
    itself, or a SQLite workspace's pace file beside its database. None for a store with no
    file (in memory) or one opened read-only (nothing is fetched)."""
    if store.dialect == "postgresql":
        return SharedHostBudget(store)
    path = getattr(store, "path", None)
    if not isinstance(path, Path) or getattr(store, "read_only", False):
        return None
    return SharedHostBudget(PaceFile(path.parent / PACE_FILE))


PACE_FILE = "pace.db"
