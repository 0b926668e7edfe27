"""Benchmark the PostgreSQL store beside SQLite's at 30,000 documents.

For each store, the workspace of bench_search.py (N documents made from the railway docs
corpus, about 11 passages and 12 entities each) is built through the library (document
rows, passages with their full-text index, entity rows), then:

- ingest: documents stored per second (the build, 500 documents per transaction);
- search top-10 with snippets over ~200 varied queries: p50/p95;
- list with entity + URL filters (select 50 + count): p50/p95;
- judged queries (tests/search_judged.yaml, railway corpus): MRR and recall@10;
- ``kurt store copy`` of the SQLite workspace into an empty PostgreSQL database;
- fetch workers: 1, 2 and 4 ``kurt content fetch`` processes, each in its own workspace
  (as on several machines), on one PostgreSQL store, fetching the railway corpus spread
  over ``--hosts`` sites (127.0.0.2, 127.0.0.3...: each a host of its own for politeness)
  that answer after ``--latency`` seconds (as a remote site does), with ``--min-delay``
  between two requests to a host for all workers together: wall time, speed-up, CPU
  seconds of the workers, pages fetched more than once (must be 0), the most requests a
  host received in one second and in five (against the rate ``--min-delay`` allows), the
  shortest gap between two requests to each host and how many gaps were under
  ``--min-delay``, the pages each worker fetched and when each ended. Every request counts
  (robots.txt too), at the moment its first bytes reached the host's socket: the kernel's
  receive timestamp (``SO_TIMESTAMPNS``, Linux), read with ``MSG_PEEK`` before the handler
  parses the request (``note_arrivals``), not when a handler thread of the site gets to it,
  which on a loaded machine is up to tens of milliseconds later and can even swap two
  requests. On loopback that moment is within a millisecond of the client's write.

Needs a PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres, or
--admin URL) where it creates and drops databases named kurt_bench_*.

    python bench/bench_store_pg.py [--docs 30000] [--dir /tmp/kurt-bench-pg] [--admin URL]
    python bench/bench_store_pg.py --only workers [--hosts 4] [--latency 0.1-0.3]
        [--min-delay 0.1] [--workers 1 2 4] [--concurrency N]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import struct
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from bench_search import CORPUS, JUDGED, bench_list, bench_search, build, queries

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def database(admin: str, name: str):
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def store_url(url: str | None):
    """KURT_DATABASE_URL set to ``url`` (None: the SQLite file) inside the block."""
    old = os.environ.pop("KURT_DATABASE_URL", None)
    if url:
        os.environ["KURT_DATABASE_URL"] = url
    try:
        yield
    finally:
        os.environ.pop("KURT_DATABASE_URL", None)
        if old is not None:
            os.environ["KURT_DATABASE_URL"] = old


def judged(store) -> str:
    sys.path.insert(0, str(REPO / "tests"))
    from test_search import judged_metrics

    mrr, recall, _ = judged_metrics(store)
    return f"MRR {mrr:.3f}, recall@10 {recall:.3f}"


def run(kind: str, root: Path, docs: int, url: str | None) -> None:
    from kurt.workspace import Workspace

    print(f"== {kind}", flush=True)
    with store_url(url):
        started = time.perf_counter()
        build(root, docs)
        elapsed = time.perf_counter() - started
        print(f"ingest (library, {docs} documents + passages + entities): {elapsed:.0f} s,"
              f" {docs / elapsed:.0f} docs/s", flush=True)
        store = Workspace(root).open_store()
        passages = store.query_one("SELECT COUNT(*) FROM sections")[0]
        print(f"workspace: {docs} documents, {passages} passages")
        bench_search(store, queries(random.Random(1)))
        bench_list(store)
        store.close()


def railway_quality(tmp: Path, url: str) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import load_corpus

    from kurt.store.copy import copy_workspace_store
    from kurt.store.postgres import PostgresStore
    from kurt.workspace import init_workspace

    if tmp.exists():
        shutil.rmtree(tmp)
    ws = init_workspace(tmp).workspace
    load_corpus(ws, CORPUS)
    store = ws.open_store()
    print(f"judged queries ({JUDGED.name}), SQLite BM25: {judged(store)}")
    store.close()
    assert copy_workspace_store(ws, url).ok
    store = PostgresStore.open(url)
    print(f"judged queries ({JUDGED.name}), PostgreSQL ts_rank_cd: {judged(store)}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kurt-bench-pg"))
    parser.add_argument("--admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["sqlite", "postgresql", "copy", "judged", "workers"],
                        nargs="*")
    parser.add_argument("--hosts", type=int, default=4,
                        help="workers bench: sites the pages are spread over (127.0.0.2...)")
    parser.add_argument("--latency", default="0.1-0.3",
                        help="workers bench: seconds a site takes to answer, LOW-HIGH")
    parser.add_argument("--min-delay", type=float, default=0.1,
                        help="workers bench: [ingest] min_delay, seconds between starts per host")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int,
                        help="workers bench: [ingest] concurrency of each worker (default Kurt's)")
    args = parser.parse_args()
    only = set(args.only or ["sqlite", "postgresql", "copy", "judged", "workers"])
    sqlite_root = args.dir / f"sqlite-{args.docs}"
    if "sqlite" in only:
        run("SQLite", sqlite_root, args.docs, None)
    if "postgresql" in only:
        with database(args.admin, "kurt_bench_store") as url:
            run(f"PostgreSQL {re.sub(r':[^@/]*@', '@', url)}", args.dir / f"pg-{args.docs}",
                args.docs, url)
    if "copy" in only and (sqlite_root / ".kurt" / "kurt.db").exists():
        from kurt.store.copy import copy_workspace_store
        from kurt.workspace import Workspace

        with database(args.admin, "kurt_bench_copy") as url:
            started = time.perf_counter()
            report = copy_workspace_store(Workspace(sqlite_root), url)
            elapsed = time.perf_counter() - started
            rows = sum(t.source_rows for t in report.tables)
            print(f"== kurt store copy, SQLite -> PostgreSQL: {rows} rows in {elapsed:.0f} s"
                  f" ({rows / elapsed:.0f} rows/s), verified: {report.ok}")
            started = time.perf_counter()
            again = copy_workspace_store(Workspace(sqlite_root), url)
            print(f"   again (nothing to copy, both sides hashed): {time.perf_counter() - started:.1f} s,"
                  f" verified: {again.ok}")
    if "judged" in only:
        with database(args.admin, "kurt_bench_judged") as url:
            railway_quality(args.dir / "railway", url)
    if "workers" in only:
        low, _, high = args.latency.partition("-")
        bench_workers(args.admin, args.dir / "workers", hosts=args.hosts,
                      latency=(float(low), float(high or low)), min_delay=args.min_delay,
                      counts=args.workers, concurrency=args.concurrency)


def slowed(site, latency: tuple[float, float], seed: int) -> None:
    """Make ``site`` answer every request after a random wait in ``latency`` (seconds),
    as a remote server does (network round trips, its own work)."""
    rng = random.Random(seed)
    respond = site.respond

    def delayed(method, target, headers, base_url, stop=None):
        time.sleep(rng.uniform(*latency))
        return respond(method, target, headers, base_url, stop)

    site.respond = delayed


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35 if sys.platform.startswith("linux") else None)


def note_arrivals(served, arrivals: list[float]) -> None:
    """Note in ``arrivals`` when each request to ``served`` reached its socket: the kernel's
    receive timestamp of the request's first bytes, peeked at before the handler reads
    them (so the handler thread's scheduling does not count); where the system gives no
    timestamp, the time the handler starts on it. The clients (httpx) send a request on a
    connection only after the answer to the previous one, so nothing of the next request
    sits in the handler's read buffer when it peeks."""
    server = served._server
    handler = server.RequestHandlerClass

    class Noted(handler):
        def setup(self):
            super().setup()
            if SO_TIMESTAMPNS is not None:
                try:
                    self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                except OSError:
                    pass

        def handle_one_request(self):
            try:
                data, notes, _, _ = self.connection.recvmsg(1, socket.CMSG_SPACE(16),
                                                             socket.MSG_PEEK)
            except OSError:
                data, notes = b"", []
            if data:
                arrivals.append(received_at(notes) or time.time())
            super().handle_one_request()

    server.RequestHandlerClass = Noted


def received_at(notes) -> float | None:
    for level, kind, value in notes:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
            seconds, nanoseconds = struct.unpack("qq", value[:16])
            return seconds + nanoseconds / 1e9
    return None


def busiest(times: list[float], window: float = 1.0) -> int:
    """The most requests that arrived within any ``window`` seconds."""
    times, most, first = sorted(times), 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


def bench_workers(admin: str, tmp: Path, *, hosts: int, latency: tuple[float, float],
                  min_delay: float, counts: list[int], concurrency: int | None) -> None:
    """1, 2, 4... ``kurt content fetch`` processes, each in its own workspace (as on
    several machines), on one PostgreSQL store, fetching the railway pages spread over
    ``hosts`` sites (127.0.0.2, 127.0.0.3...: each its own host for politeness) that
    answer after ``latency`` seconds; each site's pace is ``min_delay`` between request
    starts, for all workers together (the shared host budget)."""
    import subprocess
    from collections import Counter

    from kurt.sample_site import load_markdown_site, serve
    from kurt.store.documents import Discovered, add_discovered
    from kurt.workspace import Workspace, init_workspace

    command = os.environ.get("KURT_BENCH_COMMAND", shutil.which("kurt") or "kurt").split()
    base = None
    sites, arrivals = [], []
    for k in range(hosts):
        site = load_markdown_site(CORPUS, cache_size=100_000)
        arrivals.append([])
        slowed(site, latency, seed=k)
        sites.append(serve(site, host=f"127.0.0.{k + 2}"))
        note_arrivals(sites[-1], arrivals[k])
    pages = list(sites[0].site.source.paths())
    placed = [(sites[i % hosts], path) for i, path in enumerate(pages)]
    for served, path in placed:  # rendered once before timing: the workers' time is measured
        served.site.render(path, served.base_url)
    rate = f"{1 / min_delay:g} requests/s per host" if min_delay else "no pace per host"
    print(f"fetch workers: {len(pages)} pages on {hosts} hosts, each answering in"
          f" {latency[0]:g}-{latency[1]:g} s, min_delay {min_delay:g} s ({rate}),"
          f" concurrency per worker {concurrency or 'default'}; load {load()}", flush=True)
    settings = f"[index]\nauto = false\n[ingest]\nmin_delay = {min_delay}\n"
    if concurrency:
        settings += f"concurrency = {concurrency}\n"
    try:
        for count in counts:
            with database(admin, "kurt_bench_workers") as url:
                roots = []
                for i in range(count):
                    root = tmp / f"{count}-{i}"
                    if root.exists():
                        shutil.rmtree(root)
                    root.mkdir(parents=True)
                    (root / "kurt.toml").write_text(
                        settings + f'[store]\nurl = "{url}"\n', encoding="utf-8")
                    roots.append(init_workspace(root).workspace.root)
                store = Workspace(roots[0]).open_store()
                add_discovered(store, [Discovered(url=served.url(path), domain=urlsplit(served.base_url).hostname)
                                       for served, path in placed])
                store.close()
                before = [len(s.site.requests.all()) for s in sites]
                marks = [len(a) for a in arrivals]
                started, cpu = time.perf_counter(), children_cpu()
                procs = [subprocess.Popen([*command, "content", "fetch"], cwd=root,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                         for root in roots]
                ended = {}
                while len(ended) < len(procs):
                    for proc in procs:
                        if proc not in ended and proc.poll() is not None:
                            ended[proc] = time.perf_counter() - started
                    time.sleep(0.05)
                elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
                store = Workspace(roots[0]).open_store()
                shares = sorted((n for (n,) in store.query(
                    "SELECT COUNT(*) FROM documents GROUP BY lease_owner")), reverse=True)
                store.close()
                gets = Counter()
                for served, mark in zip(sites, before, strict=True):
                    gets.update((served.base_url, r.path) for r in served.site.requests.all()[mark:]
                                if r.method == "GET" and r.path != "/robots.txt")
                twice = sum(1 for n in gets.values() if n > 1)
                peak = max(busiest(a[m:]) for a, m in zip(arrivals, marks, strict=True))
                peak5 = max(busiest(a[m:], 5.0) for a, m in zip(arrivals, marks, strict=True)) / 5
                gaps = [[b - a for a, b in zip(sorted(times[m:]), sorted(times[m:])[1:], strict=False)]
                        for times, m in zip(arrivals, marks, strict=True)]
                under = sum(1 for host in gaps for gap in host if gap < min_delay)
                requests = sum(len(times) - m for times, m in zip(arrivals, marks, strict=True))
                base = base or elapsed
                allowed = f" (allowed {1 / min_delay:g})" if min_delay else ""
                print(f"  {count} worker(s): {len(gets)} of {len(pages)} pages in {elapsed:.1f} s"
                      f" ({len(gets) / elapsed:.1f} pages/s), speed-up x{base / elapsed:.2f},"
                      f" CPU of the workers {cpu:.1f} s,"
                      f" fetched twice: {twice}; a host's busiest second: {peak} requests,"
                      f" busiest 5 s: {peak5:.1f}/s{allowed}, shortest gap per host"
                      f" {', '.join(f'{min(host, default=0):.4f}' for host in gaps)} s,"
                      f" gaps under min_delay: {under} of {requests} requests;"
                      f" pages per worker {shares}, workers ended"
                      f" at {', '.join(f'{t:.1f}' for t in sorted(ended.values()))} s;"
                      f" load {load()}",
                      flush=True)
    finally:
        for served in sites:
            served.close()


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
