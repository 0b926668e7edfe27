"""The per-host politeness budget shared through the store, for fetch workers on several
machines pointed at one PostgreSQL store (docs/teams.md).

Each worker paces its requests to a host (``kurt.ingest.http``: at least the host's
interval, ``min_delay`` or its ``Crawl-delay``, between two starts). Alone, two workers
would each keep that pace, so the host would see twice the rate. With a shared budget,
every request start is reserved in the store's ``host_budget`` table (migration 0016) by
one atomic upsert: the reservation begins at the later of now and the host's next free
start, and moves that on by the interval. So the workers together keep the host's pace.
Times are seconds since the epoch of each machine's clock (keep the clocks in sync, as
NTP does). A reservation costs one statement, done in a worker thread.
"""

from __future__ import annotations

import asyncio
import time


class SharedHostBudget:
    """``reserve(host, interval)``: seconds to wait before the request may start."""

    def __init__(self, store, clock=time.time):
        self.store = store
        self.clock = clock

    def reserve_now(self, host: str, interval: float) -> float:
        now = self.clock()
        with self.store.transaction(exclusive=False) as conn:
            end = conn.execute(
                "INSERT INTO host_budget (host, next_start) VALUES (?, ?)"
                " ON CONFLICT (host) DO UPDATE SET next_start ="
                " MAX(host_budget.next_start, ?) + ? RETURNING next_start",
                (host, now + interval, now, interval)).fetchone()[0]
        return max(0.0, end - interval - now)

    async def reserve(self, host: str, interval: float) -> float:
        return await asyncio.to_thread(self.reserve_now, host, interval)


def shared_budget(store) -> SharedHostBudget | None:
    """The shared budget for a team's PostgreSQL store; None for a SQLite store (one
    machine: each fetch run paces itself, and runs on one workspace share leases)."""
    return SharedHostBudget(store) if store.dialect == "postgresql" else None
