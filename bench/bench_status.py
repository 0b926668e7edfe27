"""Benchmark ``kurt status`` at 30,000 documents (target: well under 0.3 s).

Builds (once, cached in --dir) a workspace of N documents over 25 domains: 85 %
FETCHED and indexed, the rest NOT_FETCHED, ERROR (a few reasons) and SKIPPED, fetched
over the last 90 days, each FETCHED one with its real source file under sources/
(written by ``kurt.ingest.files.write_source``, so the hand-edit check stats real
files), 8 passages per document, 12 entity links per document, 3 projects with
drafts. Then prints, in process (``kurt.status.workspace_status``):

- the median and worst of ``kurt status`` (the default: no file is read),
- with ``--check-files``: the first run (hashes every source file once, then records
  their signatures), then the median and worst of the following runs (one ``stat`` per file),

and the whole ``kurt status --format json`` command (median of 5 runs).

    python bench/bench_status.py [--docs 30000] [--dir /tmp/kurt-bench-status] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def build(root: Path, n_docs: int) -> None:
    from kurt.ingest.files import markdown_hash, render_source
    from kurt.store.documents import document_id
    from kurt.workspace import init_workspace
    from kurt.writing.drafts import new_draft
    from kurt.writing.projects import create_project

    if root.exists():
        shutil.rmtree(root)
    ws = init_workspace(root).workspace
    store = ws.open_store()
    rng = random.Random(3)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with store.transaction() as conn:
        entity_ids = [conn.execute("INSERT INTO entities (type, name, key) VALUES ('Topic', ?, ?)",
                                   (f"Topic {i}", f"topic {i}")).lastrowid for i in range(300)]
    reasons = ["HTTP 404 Not Found", "HTTP 500 Internal Server Error", "timed out after 20 s",
               "no text could be extracted"]
    batch = 1000
    for start in range(0, n_docs, batch):
        with store.transaction() as conn:
            for i in range(start, min(start + batch, n_docs)):
                domain = f"docs{i % 25}.example.test"
                url = f"https://{domain}/guides/page-{i}"
                doc = document_id(url)
                roll = rng.random()
                status = ("FETCHED" if roll < 0.85 else "NOT_FETCHED" if roll < 0.93
                          else "ERROR" if roll < 0.98 else "SKIPPED")
                fetched = (now - timedelta(days=rng.uniform(0, 90))).replace(microsecond=0)
                stamp = fetched.isoformat().replace("+00:00", "Z")
                row = dict(id=doc, url=url, domain=domain, status=status, discovered_at=stamp)
                sections, entities = [], []
                if status == "FETCHED":
                    body = f"# Page {i}\n\n" + "\n\n".join(
                        f"## Part {k}\n\nText {i} {k} about topic {rng.randint(0, 299)}."
                        for k in range(8)) + "\n"
                    digest = markdown_hash(body)
                    content_path = f"sources/{domain}/guides/page-{i}.md"
                    target = root / content_path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(render_source(body, {"url": url, "title": f"Page {i}"}),
                                      encoding="utf-8")
                    row.update(title=f"Page {i}", content_path=content_path, content_hash=digest,
                               fetched_at=stamp, changed_at=stamp, word_count=len(body.split()),
                               indexed_at=stamp, indexed_hash=digest)
                    sections = [(doc, k, f"Part {k}", f"Page {i} > Part {k}", 3 + 4 * k,
                                 6 + 4 * k, f"Text {i} {k}", f"Text {i} {k}") for k in range(8)]
                    entities = [(doc, e) for e in rng.sample(entity_ids, 12)]
                elif status in ("ERROR", "SKIPPED"):
                    row["error"] = rng.choice(reasons) + f" for {url}"
                columns = ", ".join(["source_kind", "discovered_via", *row])
                conn.execute(f"INSERT INTO documents ({columns}) VALUES ('web', 'sitemap', "
                             f"{', '.join('?' * len(row))})", list(row.values()))
                conn.executemany(
                    "INSERT INTO sections (document_id, position, heading, heading_path, level,"
                    " line_start, line_end, body, search_body) VALUES (?, ?, ?, ?, 2, ?, ?, ?, ?)",
                    sections)
                conn.executemany("INSERT INTO document_entities (document_id, entity_id, mentions)"
                                 " VALUES (?, ?, 1)", entities)
        print(f"\r  built {min(start + batch, n_docs)}/{n_docs} documents", end="", file=sys.stderr)
    for p in range(3):
        create_project(ws, f"project-{p}", "Pages for partners")
        for d in range(4):
            new_draft(ws, None, f"project-{p}", "integration-page", f"partner-{d}",
                      {"partner": f"Partner {d}"}, propose=False)
    store.conn.execute("ANALYZE")
    store.close()
    print(f"\n  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def timed(ws, store, runs: int, **options) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run (CPU time says more on a loaded machine)."""
    from kurt.status import workspace_status

    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        workspace_status(ws, store, **options)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def figures(label: str, samples: tuple[list[float], list[float]]) -> None:
    wall, cpu = samples
    print(f"{label:26} wall median {statistics.median(wall) * 1000:7.1f} ms, worst "
          f"{max(wall) * 1000:7.1f} ms; CPU median {statistics.median(cpu) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kurt-bench-status"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    root = args.dir / f"ws-{args.docs}"
    fresh = args.rebuild or not (root / ".kurt" / "kurt.db").exists()
    if fresh:
        print(f"building a {args.docs}-document workspace in {root} ...", file=sys.stderr)
        build(root, args.docs)
        time.sleep(2.5)  # past the racy window, so the first run records trusted signatures
    from kurt.workspace import Workspace

    ws = Workspace(root)
    store = ws.open_store()
    n_docs = store.query_one("SELECT COUNT(*) FROM documents")[0]
    print(f"workspace: {n_docs} documents")
    figures("status, in process", timed(ws, store, args.runs))
    figures("--check-files, first run" + (" (hashes every file)" if fresh else ""),
            timed(ws, store, 1, check_files=True))
    figures("--check-files", timed(ws, store, args.runs, check_files=True))
    store.close()
    exe = shutil.which("kurt") or sys.exit("install kurt first: pip install -e .")
    import resource

    samples, cpu = [], []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([exe, "status", "--format", "json"], cwd=root, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"kurt status --format json (whole command): wall median "
          f"{statistics.median(samples) * 1000:6.1f} ms; CPU median {statistics.median(cpu) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
