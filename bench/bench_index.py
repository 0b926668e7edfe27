"""Local indexing speed: N synthetic documents (railway docs with variations), index_documents.

Usage: python bench/bench_index.py [--docs 30000] [--workers N] [--keep DIR]
Prints documents/second and the peak memory of the process (and its workers).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"
WORDS = ("deploy", "service", "Redis", "Postgres", "Docker", "latency", "webhook", "billing",
         "integration", "Node.js", "scaling", "logs", "the", "and", "with", "a", "custom domain")


def build(ws, n: int) -> None:
    """Write n markdown files (the corpus, varied) and their FETCHED rows."""
    from kurt.ingest.files import stored_markdown
    from kurt.store.db import utcnow
    from kurt.store.documents import document_id

    sources = sorted(CORPUS.rglob("*.md"))
    texts = [(p.relative_to(CORPUS).with_suffix("").as_posix(), p.read_text(encoding="utf-8")) for p in sources]
    rng = random.Random(7)
    store = ws.open_store()
    now = utcnow()
    rows = []
    for i in range(n):
        rel, text = texts[i % len(texts)]
        body = text.split("\n---", 1)[1] if text.startswith("---") else text
        extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 200)))
        body = f"{body}\n\n## Variation {i}\n\n{extra}.\n"
        url = f"https://docs{i % 7}.example.com/{rel}-{i}"
        path = f"sources/docs{i % 7}.example.com/{rel}-{i}.md"
        target = ws.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = f"---\nurl: {url}\ntitle: Page {i}\n---\n{body}"
        target.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(stored_markdown(text).encode()).hexdigest()  # as fetch hashes it
        rows.append((document_id(url), url, "web", f"docs{i % 7}.example.com", "FETCHED", "sitemap", now,
                     f"Page {i}", path, digest, now))
        if len(rows) == 2000 or i == n - 1:
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO documents (id, url, source_kind, domain, status, discovered_via,"
                    " discovered_at, title, content_path, content_hash, fetched_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows = []
    store.close()


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from kurt.index.pipeline import index_documents
    from kurt.workspace import init_workspace

    root = args.keep or Path(tempfile.mkdtemp(prefix="kurt-bench-index-"))
    ws = init_workspace(root / "ws").workspace
    started = time.perf_counter()
    build(ws, args.docs)
    print(f"built {args.docs} documents in {time.perf_counter() - started:.1f}s at {ws.root}")
    store = ws.open_store()
    report = index_documents(ws, store, workers=args.workers)
    own, children = peak_mb()
    sections = store.query_one("SELECT COUNT(*) FROM sections")[0]
    mentions = store.query_one("SELECT COUNT(*) FROM document_entities")[0]
    print(f"indexed {report.indexed}/{report.selected} documents in {report.elapsed:.1f}s: "
          f"{report.documents_per_second:.0f} documents/s ({report.failed} failed)")
    print(f"{sections} sections, {mentions} document-entity rows, {report.entities} entities")
    print(f"peak memory: main process {own:.0f} MB, largest worker {children:.0f} MB")
    again = index_documents(ws, store)
    print(f"re-run with nothing changed: {again.fresh} fresh, {again.elapsed:.2f}s")


if __name__ == "__main__":
    main()
