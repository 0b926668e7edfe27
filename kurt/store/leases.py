"""Fetch leases: concurrent fetch runs on one workspace share the work.

A fetch run claims the documents it is about to fetch, a few at a time as it
streams them, and finishes each one in the transaction that stores its
result. Another run that meets a claimed document leaves it alone, so two
``kurt content fetch`` processes download each page once between them.

A lease lives in three columns of ``documents`` (migration 0008):

- ``lease_owner``: the run, ``host:pid:start:run``: host name, process id, a
  token for when that process started (so a recycled pid is not taken for the
  old process) and a random token per run (one process may run several
  fetches one after the other);
- ``lease_until``: when the hold expires unless renewed (``renew``); NULL once
  the document is finished or released;
- ``lease_done_at``: when ``lease_owner`` finished the document.

A document is claimable by a run when nobody holds it, its hold has expired,
or its holder is a process of this host that no longer runs (after ``kill -9``
the next run takes over at once; it never waits for the expiry, which is for
holders it cannot check: another host, a stopped process) — unless another
run finished it after this run began (``since``): that work is done already.

On a PostgreSQL store (a team's, several machines fetching), ``claim`` locks the
candidate rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` instead of taking the
store's single write lock (SQLite's ``BEGIN IMMEDIATE``): runs claiming different
documents do not wait for each other, and a row another run is claiming at that
moment is reported held by it (``CLAIMING``). The interface::

    owner = new_owner()
    claim(store, ids, owner, since=stamp()) -> Claim   # one short write transaction
    renew(store, owner)                                # extend every hold of owner
    finish(store, owner, ids)                          # inside the transaction storing results
    release(store, owner)                              # give back what was not done

Times are ISO-8601 UTC strings with microseconds (``stamp``), which compare
as text in both databases.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kurt.store.db import Store

LEASE_SECONDS = 300.0  # a hold not renewed for this long is free again
UNKNOWN_START = "-"  # no start token on this system: the pid alone says whether it runs
CLAIMING = "another run claiming it now"  # PostgreSQL: a row locked by a concurrent claim


def stamp(moment: datetime | None = None) -> str:
    """A lease time: ISO-8601 UTC with microseconds (``2025-01-31T12:00:00.123456Z``)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Owner:
    """A lease owner, parsed from its ``host:pid:start:run`` text."""

    host: str
    pid: int
    start: str
    run: str

    @classmethod
    def parse(cls, text: str | None) -> Owner | None:
        parts = (text or "").split(":")
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2], parts[3])

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.start}:{self.run}"

    @property
    def label(self) -> str:
        """How a report names this run: ``pid 1234`` (``pid 1234 on HOST`` elsewhere)."""
        here = self.host == socket.gethostname()
        return f"pid {self.pid}" if here else f"pid {self.pid} on {self.host}"


def new_owner() -> str:
    """The owner text of a new run of this process."""
    pid = os.getpid()
    return str(Owner(socket.gethostname(), pid, process_start(pid) or UNKNOWN_START,
                     secrets.token_hex(4)))


def process_start(pid: int) -> str | None:
    """A token for when process ``pid`` started; None when it does not run (or is a zombie).

    Linux: the start time in clock ticks from ``/proc/PID/stat``. Elsewhere the
    pid's existence only (``UNKNOWN_START``).
    """
    if sys.platform.startswith("linux"):
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return None
        except OSError:  # hidden /proc (hidepid): cannot tell
            return UNKNOWN_START
        fields = text[text.rindex(")") + 2:].split()  # after "(comm)", which may hold spaces
        if fields[0] in ("Z", "X", "x"):  # killed, not reaped yet: it runs no more
            return None
        return fields[19]  # field 22 of proc(5), counted from field 3
    if os.name != "posix":  # os.kill on Windows would terminate the process
        return UNKNOWN_START
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:  # EPERM: it runs, as another user
        pass
    return UNKNOWN_START


def owner_alive(owner: str | None) -> bool:
    """Whether the run ``owner`` may still be working. Holders this host cannot
    check (another host, an unknown format) count as alive: their hold expires."""
    parsed = Owner.parse(owner)
    if parsed is None or parsed.host != socket.gethostname():
        return True
    start = process_start(parsed.pid)
    if start is None:
        return False
    return UNKNOWN_START in (start, parsed.start) or start == parsed.start


@dataclass
class Claim:
    """What ``claim`` did with each id it was given."""

    claimed: list[str] = field(default_factory=list)  # now held by the claiming run
    held: dict[str, str] = field(default_factory=dict)  # id -> owner: another run holds it
    done: dict[str, str | None] = field(default_factory=dict)  # id -> owner that finished it since
    missing: list[str] = field(default_factory=list)  # no such document (deleted meanwhile)
    reclaimed: dict[str, str] = field(default_factory=dict)  # id -> dead or expired holder


def claim(store: Store, ids: Sequence[str], owner: str, *, since: str,
          now: datetime | None = None, ttl: float = LEASE_SECONDS) -> Claim:
    """Claim for ``owner`` the documents ``ids`` that are claimable (see the module docstring).

    ``since``: when the claiming run began (``stamp()``); documents another run
    finished after that are reported ``done``, not claimed.
    """
    result = Claim()
    if not ids:
        return result
    moment = now or datetime.now(UTC)
    current, until = stamp(moment), stamp(moment + timedelta(seconds=ttl))
    alive: dict[str, bool] = {}
    marks = ", ".join("?" * len(ids))
    postgres = store.dialect == "postgresql"
    select = f"SELECT id, lease_owner, lease_until, lease_done_at FROM documents WHERE id IN ({marks})"
    # PostgreSQL: the candidate rows are locked, and rows another run is claiming right now
    # skipped, instead of every writer waiting for one lock (SQLite: BEGIN IMMEDIATE).
    with store.transaction(exclusive=not postgres) as conn:
        rows = {row[0]: row for row in conn.execute(
            select + (" FOR UPDATE SKIP LOCKED" if postgres else ""), list(ids))}
        if postgres and len(rows) < len(ids):
            present = {row[0] for row in conn.execute(select, list(ids))}
            for doc_id in present - rows.keys():
                result.held[doc_id] = CLAIMING
        for doc_id in ids:
            row = rows.get(doc_id)
            if doc_id in result.held:
                continue
            if row is None:
                result.missing.append(doc_id)
                continue
            holder, expires, done_at = row[1], row[2], row[3]
            if expires is not None and holder != owner and expires > current:
                if holder not in alive:
                    alive[holder] = owner_alive(holder)
                if alive[holder]:
                    result.held[doc_id] = holder
                    continue
            if expires is None and done_at is not None and done_at >= since and holder != owner:
                result.done[doc_id] = holder
                continue
            if expires is not None and holder != owner:
                result.reclaimed[doc_id] = holder
            result.claimed.append(doc_id)
        conn.executemany("UPDATE documents SET lease_owner = ?, lease_until = ? WHERE id = ?",
                         [(owner, until, doc_id) for doc_id in result.claimed])
    return result


def renew(store: Store, owner: str, *, now: datetime | None = None,
          ttl: float = LEASE_SECONDS) -> int:
    """Extend every hold of ``owner`` by ``ttl`` from now; the number of documents held."""
    until = stamp((now or datetime.now(UTC)) + timedelta(seconds=ttl))
    with store.transaction() as conn:
        return conn.execute(
            "UPDATE documents SET lease_until = ? WHERE lease_owner = ? AND lease_until IS NOT NULL",
            (until, owner)).rowcount


def finish(store: Store, owner: str, ids: Sequence[str], *, now: datetime | None = None) -> None:
    """Mark ``ids`` finished by ``owner`` (joins the caller's transaction, if any)."""
    done_at = stamp(now)
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE documents SET lease_owner = ?, lease_until = NULL, lease_done_at = ? WHERE id = ?",
            [(owner, done_at, doc_id) for doc_id in ids])


def release(store: Store, owner: str) -> int:
    """Give back every document ``owner`` holds and did not finish; how many."""
    with store.transaction() as conn:
        return conn.execute(
            "UPDATE documents SET lease_owner = NULL, lease_until = NULL"
            " WHERE lease_owner = ? AND lease_until IS NOT NULL", (owner,)).rowcount
