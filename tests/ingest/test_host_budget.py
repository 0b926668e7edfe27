"""The per-host politeness budget shared through the store (kurt.ingest.host_budget)."""

from __future__ import annotations

import asyncio

import pytest

from kurt.ingest.host_budget import SharedHostBudget, shared_budget


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kind(request) -> str:
    return request.param


class Clock:
    def __init__(self, now: float = 1_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_workers_share_one_host_interval(store):
    clock = Clock()
    first, second = SharedHostBudget(store, clock), SharedHostBudget(store, clock)  # two workers
    waits = [first.reserve_now("docs.x.test", 0.5), second.reserve_now("docs.x.test", 0.5),
             first.reserve_now("docs.x.test", 0.5)]
    assert waits == [0.0, 0.5, 1.0]
    assert second.reserve_now("blog.x.test", 0.5) == 0.0  # another host: its own budget
    clock.now += 10
    assert second.reserve_now("docs.x.test", 0.5) == 0.0  # idle long enough: no wait


def test_the_client_waits_for_the_shared_budget(store):
    from kurt.config import IngestConfig
    from kurt.ingest.http import _Host

    clock, slept = Clock(), []

    async def sleep(seconds):
        slept.append(seconds)

    async def run():
        budget = SharedHostBudget(store, clock)
        mine, theirs = _Host(4, 0.25), _Host(4, 0.25)  # the same host in two workers
        for host in (mine, theirs, mine):
            await host.acquire(clock, sleep, budget, "docs.x.test")
            await host.release()

    asyncio.run(run())
    assert slept == [0.25, 0.5]
    assert IngestConfig().min_delay == 0.0  # by default no interval: no reservation at all


def test_only_a_postgresql_store_shares_its_budget(store):
    assert (shared_budget(store) is not None) == (store.dialect == "postgresql")


def test_a_late_request_takes_a_start_after_the_other_workers(store):
    from kurt.ingest.http import _Host

    clock, sent = Clock(), []

    async def sleep(seconds):
        clock.now += seconds

    async def run():
        budget = SharedHostBudget(store, clock)
        mine, theirs = _Host(4, 0.25), _Host(4, 0.25)  # the same host in two workers
        start = await mine.acquire(clock, sleep, budget, "docs.x.test")
        await theirs.acquire(clock, sleep, budget, "docs.x.test")  # the next start, 0.25 s on
        sent.append(clock())  # theirs goes out on time; mine was held up until now
        assert clock() - start == 0.25
        await mine.start_late(clock, sleep, budget, "docs.x.test")
        sent.append(clock())

    asyncio.run(run())
    assert sent[1] - sent[0] == 0.25  # not both at once: mine took the start after theirs
