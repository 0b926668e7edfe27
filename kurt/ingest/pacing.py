"""Per-host pacing of the polite HTTP client (``kurt.ingest.http``): how many requests a host
has in flight, and when each may be written.

- a concurrency limit per host that starts at ``config.per_host_concurrency``, HALVES when
  the host pushes back (429, 503, timeouts) and grows back by one after ``GROW_AFTER``
  successes in a row (AIMD, like TCP);
- an interval (``min_delay``, or robots.txt's ``Crawl-delay`` when larger): each request is
  given a start, ``HostPace.spacing`` after the previous one (kept in the process, or with a
  ``kurt.ingest.host_budget.SharedHostBudget`` among every worker on a PostgreSQL store),
  and is written within ``HostPace.tolerance`` after it, checked at the moment its headers
  are written (``Pace``, an httpx trace hook); a request later than that takes a new
  start. So two requests to a host are written at least the interval apart.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

GROW_AFTER = 10  # successes in a row before a host's concurrency limit grows by one
# A request may be written at most this share of its host's interval after its start; later, it
# takes a new start (``HostPace.on_time``). Starts are that much more than the interval apart, so
# two requests to a host are written at least the interval apart (``HostPace.spacing``).
LATE_SHARE = 0.1
# ``HostPace.on_time`` lets a request go when it is at most this share of its tolerance late: the
# rest is for the moments between that check and the write, which the process does not control
# (the system or another thread can hold it a few milliseconds on a loaded machine).
CHECK_SHARE = 0.5
# httpcore's trace event fired just before a request's headers are written on its connection
# (after the connection is made); nothing awaits between it and the write.
SEND_EVENT = "http11.send_request_headers.started"


@dataclass
class HostStats:
    """A host's counters, as ``PoliteClient.stats`` shows them."""

    requests: int = 0
    retries: int = 0
    slowdowns: int = 0  # times the concurrency limit was halved
    limit: int = 0  # current concurrency limit


@dataclass
class Start:
    """The start reserved for one request to a host: ``at``, a time of ``clock`` (the shared
    budget's clock, time since the epoch, or the client's own)."""

    at: float
    clock: Callable[[], float]

    def late(self) -> float:
        """Seconds past the start (negative: before it)."""
        return self.clock() - self.at


class HostPace:
    """Per-host pacing: a concurrency limit (AIMD) and a minimum interval between requests.

    Each request is given a start (``acquire``), ``spacing`` after the previous one (in this
    process, or with a ``kurt.ingest.host_budget.SharedHostBudget`` among every worker on
    the store), and must be written within ``tolerance`` after it: ``on_time`` is asked at
    the moment its headers are about to be written, once the connection is made (the
    ``Pace`` trace hook), and gives a late request a new start first. So two requests to
    the host are written at least ``spacing - tolerance`` = the interval apart, however late
    a request gets between its start and its write (every request slot of the run taken, a
    busy event loop, a slow connect, a slow store). ``on_time`` keeps half the tolerance for
    the moments after it that no code controls (the process held by the system between the
    check and the write): the spacing holds unless those exceed a twentieth of the interval."""

    def __init__(self, limit: int, interval: float):
        self.max_limit = max(1, limit)
        self.limit = self.max_limit
        self.interval = interval
        self.in_flight = 0
        self.streak = 0
        self.next_start = 0.0
        self.cond = asyncio.Condition()
        self.stats = HostStats(limit=self.limit)

    @property
    def tolerance(self) -> float:
        """Seconds a request may be written after its start."""
        return LATE_SHARE * self.interval

    @property
    def spacing(self) -> float:
        """Seconds between two starts: the interval and the tolerance of the first."""
        return self.interval + self.tolerance

    async def acquire(self, clock, sleep, shared=None, key: str = "") -> Start | None:
        """Wait for a slot and for a start (None: the host has no interval); with ``shared``
        (a ``kurt.ingest.host_budget.SharedHostBudget``) the starts are spaced among the
        requests of every worker on the store, not only this one's."""
        async with self.cond:
            await self.cond.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
            start = await self._reserve(clock, shared, key)
        if start is not None:
            await sleep_until(start, sleep)
        return start

    async def on_time(self, start: Start | None, clock, sleep, shared=None,
                      key: str = "") -> Start | None:
        """The start to write the request at, now: ``start`` when it is at most half the
        ``tolerance`` past (``CHECK_SHARE``); a request later than that (it would land beside
        the request given the start after it) takes a new start and waits for it. Returns
        when the request may be written, which the caller does without awaiting anything
        else first."""
        while start is not None and start.late() > CHECK_SHARE * self.tolerance:
            async with self.cond:
                start = await self._reserve(clock, shared, key)
            if start is not None:
                await sleep_until(start, sleep)
        return start

    async def _reserve(self, clock, shared, key: str) -> Start | None:
        """The next start for a request to this host (under ``cond``, so starts are taken in
        order)."""
        if self.interval <= 0:
            return None
        if shared is not None:
            return Start(await shared.reserve(key, self.spacing), shared.clock)
        start = max(clock(), self.next_start)
        self.next_start = start + self.spacing
        return Start(start, clock)

    async def release(self) -> None:
        async with self.cond:
            self.in_flight -= 1
            self.cond.notify_all()

    def pushback(self) -> None:
        self.limit = max(1, self.limit // 2)
        self.streak = 0
        self.stats.slowdowns += 1
        self.stats.limit = self.limit

    def success(self) -> None:
        self.streak += 1
        if self.streak >= GROW_AFTER and self.limit < self.max_limit:
            self.limit += 1
            self.streak = 0
            self.stats.limit = self.limit


async def sleep_until(start: Start, sleep) -> None:
    wait = -start.late()
    if wait > 0:
        await sleep(wait)


class Pace:
    """One attempt's start, kept to the moment its request is written.

    An httpx ``trace`` hook: on ``SEND_EVENT`` (the connection made, the headers about to be
    written, with nothing awaited in between) it asks the host whether the request is still
    on time (``HostPace.on_time``), and waits for a new start if not. The time it waits is not
    counted against the attempt's deadline (``timeout``, moved on by as much) nor its budget
    (``waited``). ``before``: another trace hook called first (the address check)."""

    def __init__(self, host: HostPace, start: Start | None, key: str, *, clock, sleep,
                 shared=None, before=None):
        self.host, self.start, self.key = host, start, key
        self.clock, self.sleep, self.shared, self.before = clock, sleep, shared, before
        self.timeout: asyncio.Timeout | None = None
        self.waited = 0.0

    async def on_time(self) -> None:
        if self.start is None:
            return
        loop = asyncio.get_running_loop()
        began = loop.time()
        limit = self.timeout if self.timeout is not None and not self.timeout.expired() else None
        when = limit.when() if limit is not None else None
        if when is not None:
            limit.reschedule(None)  # no deadline while it waits for a start
        try:
            self.start = await self.host.on_time(self.start, self.clock, self.sleep, self.shared,
                                                 self.key)
        finally:
            waited = loop.time() - began
            self.waited += waited
            if when is not None and not limit.expired():
                limit.reschedule(when + waited)

    async def __call__(self, event: str, info: dict) -> None:
        if self.before is not None:
            await self.before(event, info)
        request = info.get("request")
        if event == SEND_EVENT and getattr(request, "method", b"") != b"CONNECT":
            await self.on_time()  # a proxy's CONNECT is not a request to the host
