"""The per-host politeness budget shared through the store (kurt.ingest.host_budget)."""

from __future__ import annotations

import asyncio
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kurt.ingest.host_budget import SharedHostBudget, shared_budget
from tests.loopback import LoopbackServer


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
    starts = [first.reserve_now("docs.x.test", 0.5), second.reserve_now("docs.x.test", 0.5),
              first.reserve_now("docs.x.test", 0.5)]
    assert starts == [1000.0, 1000.5, 1001.0]
    assert second.reserve_now("blog.x.test", 0.5) == 1000.0  # another host: its own budget
    clock.now += 10
    assert second.reserve_now("docs.x.test", 0.5) == 1010.0  # idle long enough: no wait


def test_the_client_waits_for_the_shared_budget(store):
    from kurt.config import IngestConfig
    from kurt.ingest.pacing import HostPace

    clock, slept = Clock(), []

    async def sleep(seconds):
        slept.append(seconds)

    async def run():
        budget = SharedHostBudget(store, clock)
        mine, theirs = HostPace(4, 0.25), HostPace(4, 0.25)  # the same host in two workers
        for host in (mine, theirs, mine):
            await host.acquire(clock, sleep, budget, "docs.x.test")
            await host.release()

    asyncio.run(run())
    assert slept == pytest.approx([0.275, 0.55])  # the interval and its tolerance apart
    assert IngestConfig().min_delay == 0.0  # by default no interval: no reservation at all


def test_every_run_of_a_workspace_shares_one_budget(store):
    """PostgreSQL: through the store; SQLite: the pace file beside the database, so a
    reservation never waits behind the run's own writes to kurt.db."""
    budgets = [shared_budget(store), shared_budget(store)]  # two runs
    try:
        assert None not in budgets
        starts = [budget.reserve_now("docs.x.test", 30.0) for budget in budgets]
        assert starts[1] - starts[0] == pytest.approx(30.0, abs=1.0)
        if store.dialect == "sqlite":
            assert (store.path.parent / "pace.db").exists()
    finally:
        for budget in budgets:
            budget.close()


def test_a_damaged_pace_file_is_made_again(tmp_path):
    from kurt.ingest.host_budget import PaceFile

    path = tmp_path / "pace.db"
    path.write_bytes(b"not a database at all" * 100)
    budget = SharedHostBudget(PaceFile(path))
    try:
        assert budget.reserve_now("docs.x.test", 1.0) > 0
    finally:
        budget.close()


def test_a_late_request_takes_a_start_after_the_other_workers(store):
    from kurt.ingest.pacing import HostPace

    clock, sent = Clock(), []

    async def sleep(seconds):
        clock.now += seconds

    async def run():
        budget = SharedHostBudget(store, clock)
        mine, theirs = HostPace(4, 0.25), HostPace(4, 0.25)  # the same host in two workers
        start = await mine.acquire(clock, sleep, budget, "docs.x.test")
        theirs_start = await theirs.acquire(clock, sleep, budget, "docs.x.test")  # 0.275 s on
        sent.append(clock())  # theirs goes out on time; mine was held up until now
        assert await theirs.on_time(theirs_start, clock, sleep, budget, "docs.x.test") is theirs_start
        assert clock() - start.at == pytest.approx(0.275)
        await mine.on_time(start, clock, sleep, budget, "docs.x.test")
        sent.append(clock())

    asyncio.run(run())
    assert sent[1] - sent[0] == pytest.approx(0.275)  # not both at once: mine took the next start


def pages(arrivals: dict[str, float], close: bool = False) -> type[BaseHTTPRequestHandler]:
    """A handler serving robots.txt and a page at every path, noting when each path was
    first asked for; ``close``: every connection closed after one request."""

    class Pages(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            arrivals.setdefault(self.path, time.time())
            body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else b"page"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            if close:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Pages


def listen_overflows() -> int:
    """SYNs the kernel dropped because a listening socket's accept queue was full."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            return int(dict(zip(names.split(), values.split(), strict=True))["ListenOverflows"])
    raise AssertionError("no TcpExt counters in /proc/net/netstat")


async def held_up(server: LoopbackServer, fillers: list[socket.socket], request) -> asyncio.Task:
    """Start ``request`` (a coroutine) with ``server``'s accept queue full, so its connection
    waits about a second (the SYN dropped, sent again); once dropped, the server accepts
    again. The task of the request."""
    server.shutdown()  # stop accepting, and fill the accept queue: SYNs are dropped
    server.socket.listen(1)
    fillers.extend(socket.create_connection(server.server_address[:2]) for _ in range(2))
    dropped = listen_overflows()
    task = asyncio.create_task(request)
    while listen_overflows() == dropped:  # the request's SYN was dropped
        assert not task.done(), "the connection was not held up: the queue did not fill"
        await asyncio.sleep(0.01)
    server.start()  # accepting again; the dropped SYN comes again a second later
    for filler in fillers:
        filler.close()
    return task


def run_held_up(server: LoopbackServer, fillers: list[socket.socket], run) -> None:
    """Run the coroutine function ``run`` (which uses ``held_up``), then close the queue's
    fillers and stop the server, whatever happened; the server must have raised nothing."""
    try:
        asyncio.run(run())
    finally:
        for filler in fillers:
            filler.close()
        server.stop()
    assert not server.errors


def syn_dropped_when_queue_full() -> bool:
    """Linux drops a SYN to a listening socket whose accept queue is full (the client sends
    it again a second later), unless tcp_abort_on_overflow makes it refuse the connection."""
    setting = Path("/proc/sys/net/ipv4/tcp_abort_on_overflow")
    return (Path("/proc/net/netstat").exists() and setting.exists()
            and setting.read_text().strip() == "0")


@pytest.mark.skipif(not syn_dropped_when_queue_full(),
                    reason="needs Linux dropping SYNs when the accept queue is full")
def test_a_request_held_up_by_a_slow_connect_takes_a_new_start(store):
    """A request is given its start, then its connection takes a second to open (the
    server's accept queue full: its SYN is dropped and sent again). It must not go out
    at once when connected, beside the request given the start after it (another worker
    on a PostgreSQL store, the same run on SQLite): it takes a new start."""
    from kurt.config import IngestConfig
    from kurt.ingest.http import PoliteClient

    arrivals: dict[str, float] = {}
    Handler = pages(arrivals, close=True)  # each request opens a connection
    interval = 1.0
    config = IngestConfig(min_delay=interval, timeout=5.0, retries=0)
    server = LoopbackServer(("127.0.0.1", 0), Handler).start()
    fillers: list[socket.socket] = []

    async def run():
        budgets = [shared_budget(store), shared_budget(store)]  # two runs sharing the host's pace
        async with (PoliteClient(config, trusted=[server.base], shared_budget=budgets[0]) as first,
                    PoliteClient(config, trusted=[server.base], shared_budget=budgets[1]) as second):
            for client in {first, second}:
                await client.robots(server.base + "/")
            late = await held_up(server, fillers, first.get(server.base + "/late"))
            on_time = await second.get(server.base + "/on-time")  # the next start
            assert (await late).ok and on_time.ok

    run_held_up(server, fillers, run)
    gap = arrivals["/late"] - arrivals["/on-time"]
    assert gap > 0.8 * interval, gap  # ~1.1 s; written once connected, ~0.03 s


@pytest.mark.skipif(not syn_dropped_when_queue_full(),
                    reason="needs Linux dropping SYNs when the accept queue is full")
def test_a_wait_for_a_new_start_does_not_count_against_the_deadline():
    """A request late once connected waits for a new start behind the three requests given
    starts meanwhile: 3.4 s, more than its deadline (twice the 1.5 s timeout). That wait is
    politeness, not the server being slow: the request must not time out."""
    from kurt.config import IngestConfig
    from kurt.ingest.http import PoliteClient

    interval = 1.0
    config = IngestConfig(min_delay=interval, timeout=1.5, retries=0)

    def attempt() -> tuple[dict[str, float], float]:
        arrivals: dict[str, float] = {}
        server = LoopbackServer(("127.0.0.1", 0), pages(arrivals, close=True)).start()
        fillers: list[socket.socket] = []
        sent: list[float] = []

        async def run():
            async with PoliteClient(config, trusted=[server.base]) as client:
                await client.robots(server.base + "/")
                sent.append(time.time())
                late = await held_up(server, fillers, client.get(server.base + "/late"))
                others = [client.get(f"{server.base}/{n}") for n in range(3)]  # the next starts
                results = await asyncio.gather(late, *others)
                assert [r.error for r in results] == [None] * 4

        run_held_up(server, fillers, run)
        return arrivals, arrivals["/late"] - sent[0]

    # The drop counter is the machine's: another connection's dropped SYN can be taken for
    # this request's, which then connects at once and is not held up. Only a request that
    # was held up (its SYN sent again, a second later) says anything: try again otherwise.
    for _ in range(3):
        arrivals, took = attempt()
        if took >= 0.9:
            break
    else:
        pytest.fail("the request was never held up by a dropped SYN")
    times = sorted(arrivals.values())
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) > 0.8 * interval
    assert arrivals["/late"] == times[-1]  # it went after the others


def test_a_start_given_late_by_a_slow_store_is_not_taken_for_on_time(store):
    """A worker's reservation waits on the store (here a lock another session holds on the
    host's row; a slow or distant server does the same): when the answer comes, its start is
    already past. It must not go out then, beside the start the next worker is given after
    it: it takes a new one."""
    if store.dialect != "postgresql":
        pytest.skip("the budget is shared through a PostgreSQL store only")
    import psycopg

    from kurt.config import IngestConfig
    from kurt.ingest.http import PoliteClient

    arrivals: dict[str, float] = {}
    interval = 1.0
    config = IngestConfig(min_delay=interval, timeout=5.0, retries=0)
    server = LoopbackServer(("127.0.0.1", 0), pages(arrivals)).start()
    host = server.base.split("//", 1)[1]

    def next_start() -> float:
        return store.query_one("SELECT next_start FROM host_budget WHERE host = ?", (host,))[0]

    async def run():
        async with (PoliteClient(config, trusted=[server.base],
                                 shared_budget=shared_budget(store)) as first,
                    PoliteClient(config, trusted=[server.base],
                                 shared_budget=shared_budget(store)) as second):
            for client in (first, second):
                await client.robots(server.base + "/")
            await asyncio.sleep(max(0.0, next_start() - time.time()))  # the host idle
            before = next_start()
            with psycopg.connect(store.url, autocommit=True) as other:
                with other.transaction():
                    other.execute("SELECT * FROM host_budget WHERE host = %s FOR UPDATE", (host,))
                    late = asyncio.create_task(first.get(server.base + "/late"))
                    while not other.execute(
                            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND datname = current_database()").fetchone():
                        assert not late.done(), "the reservation did not wait for the lock"
                        await asyncio.sleep(0.01)  # the first worker's reservation waits
                    await asyncio.sleep(0.9 * interval)
            while next_start() == before:  # its start, given when the lock went
                await asyncio.sleep(0.01)
            on_time = await second.get(server.base + "/on-time")  # the next start
            assert (await late).ok and on_time.ok

    try:
        asyncio.run(run())
    finally:
        server.stop()
    assert not server.errors
    gap = abs(arrivals["/late"] - arrivals["/on-time"])
    assert gap > 0.8 * interval, gap  # ~1.1 s; went out when the store answered, ~0.1 s
