"""Topic clusters: documents grouped by the entities they are about, named by their top terms.

Each document becomes a TF-IDF vector over its entities (Topic, Technology,
Product, Feature, Company; weight ``1 + log(mentions)``) plus its URL section
(the first two path segments). Spherical k-means (cosine similarity) groups
them; seeding is k-means++ with a fixed seed, so the same index gives the same
clusters. Pure Python over sparse vectors, fast enough for a few thousand
documents. A run replaces the previous clusters.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kurt.store.db import Store, utcnow

MAX_FEATURES = 30  # per document, the strongest ones
MAX_CENTROID = 200  # features kept per centroid
SEED = 20240601


@dataclass
class Cluster:
    id: int
    name: str
    description: str
    documents: int
    top_terms: list[str] = field(default_factory=list)


@dataclass
class ClusterReport:
    clusters: list[Cluster]
    documents: int  # documents clustered
    unclustered: int  # selected documents without usable features
    k: int
    iterations: int
    elapsed: float


def default_k(n: int) -> int:
    return max(2, min(30, round(math.sqrt(n / 2)))) if n > 2 else 1


def cluster_documents(store: Store, flt=None, *, k: int | None = None, max_iter: int = 20) -> ClusterReport:
    """Cluster the indexed documents ``flt`` selects and store the clusters."""
    started = time.perf_counter()
    ids, vectors, labels, unclustered = _vectors(store, flt)
    n = len(ids)
    k = min(k or default_k(n), n) if n else 0
    assignment: list[int] = []
    iterations = 0
    centroids: list[dict[str, float]] = []
    if k:
        centroids = _seed(vectors, k)
        for iterations in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
            new = [_nearest(v, centroids)[0] for v in vectors]
            if new == assignment:
                break
            assignment = new
            centroids = _centroids(vectors, assignment, k)
    clusters = _store(store, ids, vectors, assignment, centroids, labels)
    return ClusterReport(clusters, n, unclustered, k, iterations, time.perf_counter() - started)


def _vectors(store: Store, flt) -> tuple[list[str], list[dict[str, float]], dict[str, str], int]:
    where, params = ("d.status = 'FETCHED'", []) if flt is None else flt.where("d")
    rows = store.query(
        "SELECT d.id, d.url, e.type, e.name, e.key, de.mentions FROM documents d"
        " LEFT JOIN document_entities de ON de.document_id = d.id"
        " LEFT JOIN entities e ON e.id = de.entity_id"
        f" WHERE {where} AND d.indexed_at IS NOT NULL ORDER BY d.id",
        params,
    )
    raw: dict[str, dict[str, float]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        features = raw.setdefault(row["id"], {})
        if row["url"] and not any(f.startswith("path:") for f in features):
            section = _url_section(row["url"])
            if section:
                features["path:" + section] = 1.0
                labels["path:" + section] = section
        if row["key"] is None:
            continue
        feature = f"{row['type']}:{row['key']}"
        features[feature] = 1.0 + math.log(max(row["mentions"] or 1, 1))
        labels[feature] = row["name"]
    n = len(raw)
    df = Counter(f for features in raw.values() for f in features)
    idf = {f: math.log(n / c) for f, c in df.items() if c >= 2 and c <= max(2, 0.5 * n)}
    ids, vectors = [], []
    for doc_id in sorted(raw):
        weighted = {f: w * idf[f] for f, w in raw[doc_id].items() if f in idf}
        if not weighted:
            continue
        top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_FEATURES]
        ids.append(doc_id)
        vectors.append(_normalize(dict(top)))
    return ids, vectors, labels, n - len(ids)


def _url_section(url: str) -> str:
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return "/".join(parts[:2]) if len(parts) > 2 else "/".join(parts[:1])


def _normalize(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {f: w / norm for f, w in vector.items()}


def _dot(vector: dict[str, float], centroid: dict[str, float]) -> float:
    get = centroid.get
    return sum(w * get(f, 0.0) for f, w in vector.items())


def _nearest(vector: dict[str, float], centroids: list[dict[str, float]]) -> tuple[int, float]:
    best, best_score = 0, -1.0
    for index, centroid in enumerate(centroids):
        score = _dot(vector, centroid)
        if score > best_score:
            best, best_score = index, score
    return best, best_score


def _seed(vectors: list[dict[str, float]], k: int) -> list[dict[str, float]]:
    """k-means++ seeding (cosine distance) with a fixed seed."""
    rng = random.Random(SEED)
    chosen = [vectors[rng.randrange(len(vectors))]]
    distance = [1.0 - _dot(v, chosen[0]) for v in vectors]
    while len(chosen) < k:
        total = sum(distance)
        if total <= 0:
            break
        pick, acc = rng.random() * total, 0.0
        index = len(vectors) - 1
        for i, d in enumerate(distance):
            acc += d
            if acc >= pick:
                index = i
                break
        chosen.append(vectors[index])
        distance = [min(d, 1.0 - _dot(v, vectors[index])) for v, d in zip(vectors, distance, strict=True)]
    return [dict(c) for c in chosen]


def _centroids(vectors, assignment, k) -> list[dict[str, float]]:
    sums: list[dict[str, float]] = [defaultdict(float) for _ in range(k)]
    for vector, cluster in zip(vectors, assignment, strict=True):
        target = sums[cluster]
        for f, w in vector.items():
            target[f] += w
    centroids = []
    for total in sums:
        top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CENTROID]
        centroids.append(_normalize(dict(top)) if top else {})
    return centroids


def _store(store, ids, vectors, assignment, centroids, labels) -> list[Cluster]:
    members: dict[int, list[int]] = defaultdict(list)
    for i, cluster in enumerate(assignment):
        members[cluster].append(i)
    now = utcnow()
    clusters: list[Cluster] = []
    used: set[str] = set()
    with store.transaction() as conn:
        conn.execute("DELETE FROM clusters")
        order = sorted(members, key=lambda c: (-len(members[c]), c))
        for cluster in order:
            centroid = centroids[cluster]
            terms = [labels.get(f, f) for f, _ in sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
                     if not f.startswith("path:")][:3] or \
                    [labels.get(f, f) for f in sorted(centroid, key=lambda f: -centroid[f])][:1]
            name = _unique(_slug(terms) or f"cluster-{len(clusters) + 1}", used)
            description = ", ".join(terms)
            cur = conn.execute(
                "INSERT INTO clusters (name, description, created_at) VALUES (?, ?, ?)",
                (name, description, now),
            )
            cluster_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO document_clusters (document_id, cluster_id, score) VALUES (?, ?, ?)",
                [(ids[i], cluster_id, round(_dot(vectors[i], centroid), 4)) for i in members[cluster]],
            )
            clusters.append(Cluster(cluster_id, name, description, len(members[cluster]), terms))
    return clusters


def _slug(terms: list[str]) -> str:
    text = "-".join(terms).lower().replace(".", "").replace("#", "sharp").replace("+", "p")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate


def list_clusters(store: Store, flt=None) -> list[Cluster]:
    """The stored clusters with their document counts (over ``flt`` when given)."""
    where, params = ("1=1", []) if flt is None else flt.where("d")
    rows = store.query(
        "SELECT c.id, c.name, c.description, COUNT(d.id) AS n FROM clusters c"
        " LEFT JOIN document_clusters dc ON dc.cluster_id = c.id"
        f" LEFT JOIN documents d ON d.id = dc.document_id AND {where}"
        " GROUP BY c.id, c.name, c.description ORDER BY n DESC, c.name",
        params,
    )
    return [Cluster(r["id"], r["name"], r["description"] or "", r["n"],
                    [t.strip() for t in (r["description"] or "").split(",") if t.strip()]) for r in rows]
