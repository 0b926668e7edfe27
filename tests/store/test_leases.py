"""kurt.store.leases: claims that concurrent fetch runs share, on a real SQLite file and a
real PostgreSQL database."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kurt.store import leases
from kurt.store.db import Store
from kurt.store.documents import Discovered, add_discovered, document_id

URLS = [f"https://docs.example.com/page-{i:03d}" for i in range(40)]
IDS = sorted(document_id(u) for u in URLS)


def open_store(target: str):
    if target.startswith("postgresql://"):
        from kurt.store.postgres import PostgresStore

        return PostgresStore.open(target)
    return Store.open(target)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> Store:
    """The same documents in a SQLite file, and in a PostgreSQL database of the test's own."""
    if request.param == "postgresql":
        from tests.pg import new_database

        with new_database() as url:
            yield from _filled(url)
    else:
        yield from _filled(str(tmp_path / "kurt.db"))


def _filled(target: str):
    store = open_store(target)
    store.target = target
    add_discovered(store, [Discovered(url=u, domain="docs.example.com") for u in URLS])
    yield store
    store.close()


def dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def owner_of(pid: int, start: str | None = None, host: str | None = None) -> str:
    start = start if start is not None else (leases.process_start(pid) or "1")
    return str(leases.Owner(host or socket.gethostname(), pid, start, "abcd1234"))


def lease_row(store: Store, doc_id: str):
    return store.query_one("SELECT lease_owner, lease_until, lease_done_at FROM documents WHERE id = ?",
                           (doc_id,))


def test_new_owner_names_this_host_process_and_start():
    owner = leases.Owner.parse(leases.new_owner())
    assert (owner.host, owner.pid) == (socket.gethostname(), os.getpid())
    assert owner.start == leases.process_start(os.getpid()) and len(owner.run) == 8
    assert leases.new_owner() != leases.new_owner()  # one token per run
    assert owner.label == f"pid {os.getpid()}"


@pytest.mark.parametrize("text", [None, "", "host", "host:12:3", "host:pid:3:run", "a:1:2:3:4"])
def test_malformed_owner_text_is_not_parsed(text):
    assert leases.Owner.parse(text) is None


def test_stamps_sort_as_text_in_time_order():
    base = datetime(2025, 1, 31, 12, 0, 0, tzinfo=UTC)
    times = [base + timedelta(microseconds=n) for n in (0, 1, 999_999, 1_000_000, 10**7)]
    assert [leases.stamp(t) for t in times] == sorted(leases.stamp(t) for t in times)
    assert leases.stamp(base) == "2025-01-31T12:00:00.000000Z"


def test_free_documents_are_claimed_and_then_held_from_another_run(db):
    first, second = leases.new_owner(), leases.new_owner()
    since = leases.stamp()
    got = leases.claim(db, IDS[:10], first, since=since)
    assert got.claimed == IDS[:10] and not got.held and not got.reclaimed
    other = leases.claim(db, IDS[:15], second, since=since)
    assert other.claimed == IDS[10:15]
    assert other.held == {doc_id: first for doc_id in IDS[:10]}
    assert lease_row(db, IDS[0])["lease_owner"] == first and lease_row(db, IDS[0])["lease_until"]


def test_an_expired_hold_is_claimable(db):
    holder = owner_of(os.getpid(), host="another-host")  # cannot be checked: only expiry frees it
    start = datetime.now(UTC)
    leases.claim(db, IDS[:3], holder, since=leases.stamp(), now=start, ttl=60)
    taker = leases.new_owner()
    assert leases.claim(db, IDS[:3], taker, since=leases.stamp(), now=start + timedelta(seconds=30)).held
    later = leases.claim(db, IDS[:3], taker, since=leases.stamp(), now=start + timedelta(seconds=61))
    assert later.claimed == IDS[:3] and later.reclaimed == {d: holder for d in IDS[:3]}


def test_a_hold_of_a_dead_process_on_this_host_is_claimable_at_once(db):
    dead = owner_of(dead_pid(), start="12345")
    leases.claim(db, IDS[:4], dead, since=leases.stamp())
    got = leases.claim(db, IDS[:4], leases.new_owner(), since=leases.stamp())
    assert got.claimed == IDS[:4] and set(got.reclaimed.values()) == {dead}


def test_a_recycled_pid_does_not_keep_the_old_hold(db):
    recycled = owner_of(os.getpid(), start="1")  # this pid, but not this process's start
    assert not leases.owner_alive(recycled)
    leases.claim(db, IDS[:2], recycled, since=leases.stamp())
    assert leases.claim(db, IDS[:2], leases.new_owner(), since=leases.stamp()).claimed == IDS[:2]


def test_a_killed_process_not_reaped_yet_counts_as_dead():
    proc = subprocess.Popen(["sleep", "60"])
    owner = owner_of(proc.pid)
    assert leases.owner_alive(owner)
    proc.kill()
    try:
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)  # a zombie until reaped below
        assert not leases.owner_alive(owner)
    finally:
        proc.wait()


def test_a_document_finished_by_another_run_since_this_run_began_is_done(db):
    early_since = leases.stamp()
    worker = leases.new_owner()
    leases.claim(db, IDS[:5], worker, since=leases.stamp())
    leases.finish(db, worker, IDS[:5])
    assert lease_row(db, IDS[0])["lease_until"] is None and lease_row(db, IDS[0])["lease_done_at"]
    late = leases.claim(db, IDS[:5], leases.new_owner(), since=early_since)
    assert late.done == {doc_id: worker for doc_id in IDS[:5]} and not late.claimed
    fresh = leases.claim(db, IDS[:5], leases.new_owner(), since=leases.stamp())
    assert fresh.claimed == IDS[:5]  # a run begun after the fetch does it again (e.g. --refetch)


def test_release_gives_back_what_was_not_finished(db):
    owner = leases.new_owner()
    leases.claim(db, IDS[:6], owner, since=leases.stamp())
    leases.finish(db, owner, IDS[:2])
    assert leases.release(db, owner) == 4
    assert lease_row(db, IDS[5])["lease_owner"] is None
    assert lease_row(db, IDS[0])["lease_owner"] == owner  # finished: remembered
    assert leases.claim(db, IDS[2:6], leases.new_owner(), since=leases.stamp()).claimed == IDS[2:6]


def test_renew_extends_every_hold_of_the_owner(db):
    owner = leases.new_owner()
    start = datetime.now(UTC)
    leases.claim(db, IDS[:3], owner, since=leases.stamp(), now=start, ttl=60)
    leases.finish(db, owner, IDS[:1])
    assert leases.renew(db, owner, now=start + timedelta(seconds=50), ttl=60) == 2
    assert lease_row(db, IDS[1])["lease_until"] == leases.stamp(start + timedelta(seconds=110))
    assert lease_row(db, IDS[0])["lease_until"] is None


def test_deleted_documents_are_reported_missing(db):
    db.conn.execute("DELETE FROM documents WHERE id = ?", (IDS[0],))
    got = leases.claim(db, IDS[:2], leases.new_owner(), since=leases.stamp())
    assert got.missing == [IDS[0]] and got.claimed == [IDS[1]]


def _claim_all(path: str, since: str, queue) -> None:
    """A run: claim in small batches, finish what was claimed."""
    store = open_store(path)
    owner = leases.new_owner()
    mine = []
    for start in range(0, len(IDS), 4):
        got = leases.claim(store, IDS[start:start + 4], owner, since=since).claimed
        leases.finish(store, owner, got)
        mine += got
    queue.put(mine)


def test_concurrent_runs_claim_disjoint_sets(db):
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    since = leases.stamp()  # the runs began together
    procs = [ctx.Process(target=_claim_all, args=(db.target, since, queue)) for _ in range(3)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    claimed = [doc_id for result in results for doc_id in result]
    assert sorted(claimed) == IDS  # each document claimed once, by one of them


def test_postgresql_claims_skip_rows_another_claim_has_locked(pg_url):
    """SELECT ... FOR UPDATE SKIP LOCKED: a claim never waits for another run's claim."""
    import psycopg

    store = open_store(pg_url)
    add_discovered(store, [Discovered(url=u, domain="docs.example.com") for u in URLS])
    with psycopg.connect(pg_url) as other:  # another run, in the middle of its claim
        other.execute("SELECT id FROM documents WHERE id = ANY(%s) FOR UPDATE", (IDS[:2],))
        got = leases.claim(store, IDS[:4], leases.new_owner(), since=leases.stamp())
        assert got.held == {IDS[0]: leases.CLAIMING, IDS[1]: leases.CLAIMING}
        assert got.claimed == IDS[2:4]
    store.close()
