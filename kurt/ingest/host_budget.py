"""The per-host politeness budget shared through the store, for fetch workers on several
machines pointed at one PostgreSQL store (docs/teams.md).

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
"""

from __future__ import annotations

import asyncio
import time

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


def shared_budget(store) -> SharedHostBudget | None:
    """The shared budget for a team's PostgreSQL store; None for a SQLite store (one
    machine: each fetch run paces itself, and runs on one workspace share leases)."""
    return SharedHostBudget(store) if store.dialect == "postgresql" else None
