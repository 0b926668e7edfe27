"""Benchmark discovery at 30,000 documents: search, the search command, filtered list; quality.

Builds (once, cached in --dir) a workspace of N documents made from the
railway docs corpus with variations (other product names, per-copy vocabulary,
shuffled sections), stored through the library: document rows, content files,
sections (kurt.index.sections) and entity rows (about 12 per document, so
entity filters have realistic work to do). Then prints:

- search top-10 with snippets, in process, over ~200 varied queries: p50/p95
- whole-command ``kurt content search`` (median of 10 runs)
- ``list`` with entity + URL filters (select + count, as the command does): p50/p95
- whole-command ``kurt content list --format json`` of every document, of a
  URL-filtered set, and a table's first 50 (JSON lists everything unless --limit:
  what that costs at this size), with the size of the output
- MRR and recall@10 of tests/search_judged.yaml on the railway corpus

Targets: search p95 <= 25 ms; command <= 0.5 s; list p95 <= 50 ms.

    python bench/bench_search.py [--docs 30000] [--dir /tmp/kurt-bench-search] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"
JUDGED = REPO / "tests" / "search_judged.yaml"
PRODUCTS = ["Railway", "Nimbus", "Stackwise", "Deployly", "Cloudhop", "Orbitra", "Launchpad",
            "Hostel", "Vaultline", "Shipyard", "Skyport", "Basecamp", "Runbook", "Harbor"]
ENTITY_TOPICS = ["integration", "deployment", "database", "networking", "observability", "billing",
                 "security", "authentication", "storage", "scaling", "migration", "templates"]
ENTITY_TECH = ["PostgreSQL", "Redis", "Docker", "Node.js", "Python", "GitHub", "MySQL", "MongoDB",
               "Kubernetes", "GraphQL", "Next.js", "Django", "Rails", "Go", "Rust", "Terraform"]


def corpus_docs() -> list[tuple[str, str, str]]:
    """(relative path without suffix, title, body) for every corpus file."""
    docs = []
    for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".mdx")):
        text = path.read_text(encoding="utf-8")
        title, body = path.stem, text
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            meta = yaml.safe_load(text[4:end]) or {}
            title, body = meta.get("title") or title, text[end + 4:].lstrip("\n")
        docs.append((path.relative_to(CORPUS).with_suffix("").as_posix(), str(title), body))
    return docs


def vary(body: str, rng: random.Random, product: str, words: list[str]) -> str:
    """Another page like this one: another product, shuffled sections, a few copy-specific words."""
    parts = re.split(r"(?m)^(?=## )", body)
    head, rest = parts[0], parts[1:]
    rng.shuffle(rest)
    if rest and rng.random() < 0.5:
        rest = rest[: max(1, len(rest) - rng.randint(0, 2))]
    text = (head + "".join(rest)).replace("Railway", product).replace("railway", product.lower())
    extra = " ".join(rng.sample(words, 6))
    return text + f"\n\n## Notes\n\nSee also {extra}.\n"


def build(root: Path, n_docs: int) -> None:
    from kurt.index.sections import replace_sections, split_sections
    from kurt.store.db import utcnow
    from kurt.store.documents import document_id
    from kurt.workspace import init_workspace

    if root.exists():
        shutil.rmtree(root)
    ws = init_workspace(root).workspace
    store = ws.open_store()
    base = corpus_docs()
    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("zor", "quil", "mev", "tash", "brin", "ulo", "kesh", "farn")
             for b in ("ant", "ex", "ium", "ola", "ward", "ix", "ent", "ora", "ane", "ust")]
    now = utcnow()
    started = time.perf_counter()
    with store.transaction() as conn:
        entity_ids = []
        for etype, names in (("Topic", ENTITY_TOPICS), ("Technology", ENTITY_TECH)):
            for name in names:
                key = name.lower()
                cur = conn.execute("INSERT INTO entities (type, name, key) VALUES (?, ?, ?)",
                                   (etype, name, key))
                entity_ids.append(cur.lastrowid)
        for i in range(200):  # a long tail of rarer entities
            cur = conn.execute("INSERT INTO entities (type, name, key) VALUES ('Feature', ?, ?)",
                               (f"Feature {i}", f"feature {i}"))
            entity_ids.append(cur.lastrowid)
    batch = 500
    for start in range(0, n_docs, batch):
        with store.transaction() as conn:
            for i in range(start, min(start + batch, n_docs)):
                rel, title, body = base[i % len(base)]
                copy = i // len(base)
                product = PRODUCTS[copy % len(PRODUCTS)]
                domain = f"docs{copy}.{product.lower()}.test"
                url = f"https://{domain}/{rel}"
                doc = document_id(url)
                text_body = vary(body, rng, product, vocab) if copy else body
                digest = hashlib.sha256(text_body.encode()).hexdigest()
                content_path = f"sources/{domain}/{rel}.md"
                text = f"---\nurl: {url}\ntitle: {title}\ncontent_hash: {digest}\n---\n\n{text_body}"
                path = root / content_path
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                conn.execute(
                    "INSERT INTO documents (id, url, source_kind, domain, status, discovered_via,"
                    " discovered_at, title, content_path, content_hash, fetched_at, changed_at,"
                    " word_count, content_type, indexed_hash) VALUES"
                    " (?, ?, 'web', ?, 'FETCHED', 'sitemap', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc, url, domain, now, f"{title} ({product})" if copy else title, content_path,
                     digest, now, now, len(text_body.split()),
                     "integration" if "/integrations" in rel else "guide", digest))
                replace_sections(conn, doc, split_sections(text, title=title))
                chosen = set(rng.sample(entity_ids, 12))
                if "/integrations" in rel:
                    chosen.add(entity_ids[0])  # Topic:integration
                conn.executemany(
                    "INSERT INTO document_entities (document_id, entity_id, mentions) VALUES (?, ?, ?)",
                    [(doc, e, rng.randint(1, 9)) for e in chosen])
        print(f"\r  built {min(start + batch, n_docs)}/{n_docs} documents", end="", file=sys.stderr)
    if store.dialect == "sqlite":
        store.conn.execute("INSERT INTO sections_fts (sections_fts) VALUES ('optimize')")
    store.conn.execute("ANALYZE")
    store.close()
    print(f"\n  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def queries(rng: random.Random) -> list[str]:
    judged = [q["query"] for q in yaml.safe_load(JUDGED.read_text())["queries"]]
    words = ["deploy", "database", "volume", "domain", "token", "webhook", "logs", "metrics",
             "region", "replica", "backup", "cron", "build", "nixpacks", "dockerfile", "port",
             "healthcheck", "redis", "postgres", "mysql", "mongo", "github", "template", "cli",
             "environment", "variable", "secret", "private", "network", "proxy", "tcp", "cdn",
             "usage", "billing", "invoice", "team", "workspace", "project", "service", "restart",
             "sleep", "serverless", "scale", "memory", "cpu", "monorepo", "python", "django",
             "nextjs", "rails", "laravel", "bun", "express", "graphql", "oauth", "scope", "stripe"]
    out = list(judged)
    while len(out) < 200:
        kind = rng.random()
        a, b, c = rng.sample(words, 3)
        if kind < 0.3:
            out.append(a)
        elif kind < 0.55:
            out.append(f"{a} {b}")
        elif kind < 0.65:
            out.append(f'"{a} {b}"')
        elif kind < 0.75:
            out.append(f"{a} OR {b} {c}")
        elif kind < 0.83:
            out.append(f"{a[:4]}*")
        elif kind < 0.9:
            out.append(f"{a} -{b}")
        else:
            out.append(f"how do I {a} my {b} with {c}")
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def bench_search(store, qs: list[str]) -> None:
    from kurt.search import search

    for q in qs[:20]:  # warm the page cache
        search(store, q)
    times, empty = [], 0
    for q in qs:
        started = time.perf_counter()
        hits = search(store, q, limit=10)
        times.append((time.perf_counter() - started) * 1000)
        empty += not hits
    p50, p95 = percentiles(times)
    print(f"search top-10 with snippets, {len(qs)} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
          f" max {max(times):.1f} ms ({empty} queries without hits)   [target p95 <= 25 ms]")


def bench_command(root: Path) -> None:
    exe = shutil.which("kurt") or sys.executable
    args = [exe] if exe.endswith("kurt") else [exe, "-m", "kurt"]
    times = []
    for q in ["integration", "custom domain", "connect to postgres", '"private network"', "oauth token",
              "deploy -docker", "integr*", "github autodeploy", "volume backups", "redis"]:
        started = time.perf_counter()
        proc = subprocess.run([*args, "content", "search", q], cwd=root, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        assert proc.returncode == 0, proc.stderr
    print(f"kurt content search (whole command), 10 runs: median {statistics.median(times):.3f} s,"
          f" max {max(times):.3f} s   [target <= 0.5 s]")


def bench_list(store) -> None:
    from kurt.store.filters import DocumentFilter, count_documents, select_documents

    filters = [
        DocumentFilter(with_entities=["Topic:integration"], url_contains=["/integrations/"]),
        DocumentFilter(with_entities=["Technology:PostgreSQL"], url_prefix="https://docs3.cloudhop.test/"),
        DocumentFilter(with_entities=["Technology:Post*", "Topic:database"], url_contains=["/docs/"]),
        DocumentFilter(with_entities=["Feature:Feature 17"], include=["*/guides/*"]),
        DocumentFilter(with_entities=["Topic:integration"], statuses=["FETCHED"],
                       url_contains=["/api/"], content_types=["integration"]),
        DocumentFilter(url_contains=["/integrations/"]),
    ]
    times = []
    for _ in range(10):
        for flt in filters:
            started = time.perf_counter()
            select_documents(store, flt, sort="url", limit=50)
            count_documents(store, flt)
            times.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(times)
    print(f"list with entity + URL filters (select 50 + count), {len(times)} runs:"
          f" p50 {p50:.1f} ms, p95 {p95:.1f} ms   [target p95 <= 50 ms]")


def bench_list_command(root: Path) -> None:
    """The whole ``kurt content list`` command: JSON of everything vs a table's first page."""
    import json

    exe = shutil.which("kurt") or sys.executable
    args = [exe] if exe.endswith("kurt") else [exe, "-m", "kurt"]
    for label, extra in (("--format json, every document", ["--format", "json"]),
                         ("--url-contains /integrations/ --format json",
                          ["--url-contains", "/integrations/", "--format", "json"]),
                         ("table (first 50, says the total)", [])):
        times, size, total = [], 0, None
        for _ in range(5):
            started = time.perf_counter()
            proc = subprocess.run([*args, "content", "list", *extra], cwd=root,
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            assert proc.returncode == 0, proc.stderr
            size = len(proc.stdout.encode())
            if "--format" in extra:
                data = json.loads(proc.stdout)
                assert len(data["documents"]) == data["total"]  # nothing cut
                total = data["total"]
        shown = f"{total} documents, " if total is not None else ""
        print(f"kurt content list {label}: median {statistics.median(times):.3f} s"
              f" ({shown}{size / 1e6:.1f} MB on stdout), 5 runs")


def judged_quality(tmp: Path) -> None:
    """MRR and recall@10 on the railway corpus (with the full indexer when it exists)."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import load_corpus
    from index import build_sections

    from kurt.search import search
    from kurt.workspace import init_workspace

    if tmp.exists():
        shutil.rmtree(tmp)
    ws = init_workspace(tmp).workspace
    load_corpus(ws, CORPUS)
    build_sections(ws)
    store = ws.open_store()
    indexed = store.query_one("SELECT COUNT(*) FROM entities")[0] > 0
    judged = yaml.safe_load(JUDGED.read_text())
    rr, recall = [], []
    for item in judged["queries"]:
        expected = [judged["base"] + p for p in item["expect"]]
        ranked = [h.url for h in search(store, item["query"], limit=10, per_document=1)]
        ranks = [ranked.index(u) + 1 for u in expected if u in ranked]
        rr.append(1 / min(ranks) if ranks else 0.0)
        recall.append(len(ranks) / len(expected))
    store.close()
    print(f"judged queries ({len(rr)}, railway corpus, {'full index' if indexed else 'sections only'}):"
          f" MRR {sum(rr) / len(rr):.3f}, recall@10 {sum(recall) / len(recall):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kurt-bench-search"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    root = args.dir / f"ws-{args.docs}"
    if args.rebuild or not (root / ".kurt" / "kurt.db").exists():
        print(f"building a {args.docs}-document workspace in {root} ...", file=sys.stderr)
        build(root, args.docs)
    from kurt.store.db import Store

    store = Store.open(root / ".kurt" / "kurt.db")
    n_docs = store.query_one("SELECT COUNT(*) FROM documents")[0]
    n_sections = store.query_one("SELECT COUNT(*) FROM sections")[0]
    print(f"workspace: {n_docs} documents, {n_sections} passages")
    bench_search(store, queries(random.Random(1)))
    bench_list(store)
    store.close()
    bench_command(root)
    bench_list_command(root)
    judged_quality(args.dir / "railway")


if __name__ == "__main__":
    main()
