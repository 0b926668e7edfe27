"""The local index pipeline: sections, links, entities, content type and structure flags.

``index_documents`` indexes every FETCHED document a filter selects whose
index is older than its content (``indexed_hash != content_hash``), or all of
them with ``force``. It streams the selection in pages of ``PAGE`` ids, runs
the CPU part (``analyze_document``: read, split, match, classify) in a
process pool when there is enough work and more than one core, and writes the
results from the main process in one transaction per ``BATCH`` documents. It
works over the whole document. An optional ``enricher`` (see
``kurt.index.enrich``) refines each local result before it is written.

``Indexer`` is the same index done beside another pipeline: fetch analyses each
page in its extraction worker right after writing the file (``Indexer.analyze``,
from the text it wrote: no second read), stores the result in the transaction
that stores the page (``write_document_index``), and calls ``Indexer.finish``
once at the end, as ``index_documents`` does.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from kurt.index.boilerplate import UnitRecorder, packed_units
from kurt.index.content_types import classify
from kurt.index.corpus import apply_corpus, write_shape
from kurt.index.entities import EntityHit, extract_entities
from kurt.index.links import Link, extract_links, replace_links, resolve_pending_links
from kurt.index.names import NameHit, find_names
from kurt.index.sections import (
    Section,
    frontmatter_end,
    replace_sections,
    searchable_text,
    split_sections,
)
from kurt.index.shapes import PageShape, page_shape
from kurt.index.structure import Structure, analyze_structure
from kurt.index.vocabulary import (  # noqa: F401 - vocabulary_changed: importers find it here too
    VOCABULARY_KEY,
    Vocabulary,
    fingerprint_changed,
    load_vocabulary,
    vocabulary_changed,
)
from kurt.ingest.files import read_source
from kurt.store.db import Store, utcnow
from kurt.store.filters import DocumentFilter

PAGE = 500  # ids read from the database at a time
BATCH = 200  # documents written per transaction
CHUNK = 50  # documents per task sent to a worker process
POOL_MIN_DOCS = 300  # below this, a process pool costs more than it saves


@dataclass
class IndexJob:
    """What a worker needs to index one document."""

    id: str
    url: str
    title: str | None
    path: str  # absolute path of the stored markdown file
    content_hash: str | None
    published_date: str | None = None
    author: str | None = None
    refused: str | None = None  # why the file is not read (a link leading out of the workspace)


@dataclass
class DocumentIndex:
    """The local index of one document (or why it could not be built)."""

    id: str
    content_hash: str | None
    error: str | None = None
    url: str = ""
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    entities: list[EntityHit] = field(default_factory=list)
    content_type: str | None = None
    structure: Structure | None = None
    description: str | None = None  # set by an enricher (summary) when the document has none
    file_hash: str | None = None  # sha256 of the markdown read from the file (see kurt.index.edits)
    file_signature: str | None = None  # its trusted signature, when it held content_hash's markdown
    units: bytes | None = None  # packed (position, hash, chars, kind) units: see kurt.index.boilerplate
    names: list[NameHit] = field(default_factory=list)  # candidate names (see kurt.index.names)
    shape: PageShape | None = None  # for the corpus pass (see kurt.index.corpus)


@dataclass
class IndexReport:
    selected: int = 0
    indexed: int = 0
    fresh: int = 0  # skipped: already indexed for this content_hash
    failed: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # reason -> document ids
    elapsed: float = 0.0
    documents_per_second: float = 0.0
    entities: int = 0  # entities in the store after the run
    enriched: int = 0  # documents refined by the enricher
    embedded: int = 0  # passages embedded for semantic search (kurt.toml [search] semantic)
    embedding_seconds: float = 0.0  # of elapsed, the time spent embedding them
    vocabulary_changed: bool = False  # since the last full index: every selected document redone
    edited: list[str] = field(default_factory=list)  # files changed by hand since indexed: redone
    warnings: list[str] = field(default_factory=list)


def analyze_document(job: IndexJob, vocab: Vocabulary) -> DocumentIndex:
    """Read and index one stored document (pure: no database)."""
    if job.refused:
        return DocumentIndex(job.id, job.content_hash, error=job.refused)
    try:
        source = read_source(Path(job.path))
    except FileNotFoundError:
        return DocumentIndex(job.id, job.content_hash, error="content file missing: re-fetch it")
    except OSError as exc:
        return DocumentIndex(job.id, job.content_hash, error=f"cannot read content file: {exc.strerror}")
    result = analyze_text(job, source.text, vocab)
    result.file_hash = source.markdown_hash
    if source.valid and source.markdown_hash == job.content_hash:
        result.file_signature = source.signature
    return result


def analyze_text(job: IndexJob, text: str, vocab: Vocabulary) -> DocumentIndex:
    lines = text.split("\n")
    body = "\n".join(lines[frontmatter_end(lines):])
    sections = split_sections(text, title=job.title)
    for section in sections:  # here, in the worker, rather than in the writer
        section.search_body = searchable_text(section.body)
    title = job.title or next((s.heading for s in sections if s.level == 1 and s.heading), None)
    structure = analyze_structure(body, [s.heading for s in sections if s.heading])
    links = extract_links(body, job.url)
    names = find_names(vocab, title=title, sections=sections, links=links)
    return DocumentIndex(
        id=job.id,
        content_hash=job.content_hash,
        url=job.url,
        title=title,
        sections=sections,
        links=links,
        entities=extract_entities(vocab, url=job.url, title=title, sections=sections),
        content_type=classify(job.url, title, structure, published_date=job.published_date,
                              author=job.author),
        structure=structure,
        units=packed_units(sections),
        names=names,
        shape=page_shape(url=job.url, title=title, sections=sections, names=names),
    )


def _analyze_chunk(jobs: list[IndexJob]) -> list[DocumentIndex]:
    """In a pool worker: the vocabulary is the pool's context (handed over once, not per chunk)."""
    from kurt.worker_pool import worker_context

    vocab = worker_context()
    return [analyze_document(job, vocab) for job in jobs]


def index_documents(
    ws,
    store: Store,
    flt: DocumentFilter | None = None,
    *,
    force: bool = False,
    enricher=None,
    progress: Callable[[int, int], None] | None = None,
    vocabulary: Vocabulary | None = None,
    workers: int | None = None,
    embed_progress: Callable[[int, int], None] | None = None,
    embed: bool = True,
) -> IndexReport:
    """Index the fetched documents ``flt`` selects; see the module docstring.

    ``embed``: embed the new passages when semantic search is on (``embed_passages``).
    """
    started = time.perf_counter()
    indexer = Indexer.start(ws, store, vocabulary)
    vocab = indexer.vocab
    whole = flt is None or replace(flt, statuses=[]) == DocumentFilter()
    flt = replace(flt or DocumentFilter(), statuses=["FETCHED"])
    report = IndexReport()
    report.vocabulary_changed = indexer.vocabulary_changed
    force = force or report.vocabulary_changed
    if not force:
        _mark_edited(ws, store, flt, report)
    report.selected = _count(store, flt)
    todo = _count(store, flt, stale_only=not force)
    report.fresh = report.selected - todo
    writer = _Writer(store, indexer)
    done = 0
    if progress is not None and todo:
        progress(0, todo)  # the clock of the rate starts now

    def finish(result: DocumentIndex) -> None:
        nonlocal done
        if result.error is None and enricher is not None:
            result = _enrich(enricher, ws, result, report)
        if result.error is not None:
            report.failed += 1
            report.errors.setdefault(result.error, []).append(result.id)
        else:
            writer.add(result)
            report.indexed += 1
        done += 1
        if progress is not None:
            progress(done, todo)

    jobs = _jobs(ws, store, flt, stale_only=not force)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers > 1 and todo >= POOL_MIN_DOCS:
        _run_pool(jobs, vocab, n_workers, finish)
    else:
        for job in jobs:
            finish(analyze_document(job, vocab))
    writer.flush()
    report.entities = indexer.finish(store, whole=whole)
    if embed and report.indexed and _semantic_enabled(ws):
        _embed(store, flt, report, embed_progress)
    report.elapsed = time.perf_counter() - started
    indexing = report.elapsed - report.embedding_seconds
    report.documents_per_second = report.indexed / indexing if indexing > 0 else 0.0
    return report


@dataclass
class Indexer:
    """The index of documents written by another pipeline (see the module docstring)."""

    vocab: Vocabulary
    fingerprint: str
    vocabulary_changed: bool  # since the last full index, as found before this run wrote anything
    units: UnitRecorder = field(default_factory=UnitRecorder)  # boilerplate counts of the sites written

    @classmethod
    def start(cls, ws, store: Store, vocabulary: Vocabulary | None = None) -> Indexer:
        """The vocabulary to index with; its fingerprint is recorded at once when nothing is
        indexed yet, so that a run killed before ``finish`` leaves an index that is current."""
        vocab = vocabulary or load_vocabulary(ws)
        fingerprint = vocab.fingerprint()
        changed = fingerprint_changed(store, fingerprint)
        if not changed and store.query_one("SELECT 1 FROM meta WHERE key = ?", (VOCABULARY_KEY,)) is None:
            with store.transaction() as conn:
                _set_meta(conn, VOCABULARY_KEY, fingerprint)
        return cls(vocab, fingerprint, changed)

    def analyze(self, job: IndexJob, text: str) -> DocumentIndex:
        """The index of a document whose stored file holds ``text``, just written (pure).

        Its markdown hashes to ``job.content_hash`` by construction; the file is racily
        clean, so no signature is recorded (``kurt.ingest.files.trusted_signature``).
        """
        result = analyze_text(job, text, self.vocab)
        result.file_hash = job.content_hash
        return result

    def write(self, conn: sqlite3.Connection, result: DocumentIndex, now: str,
              entity_ids: dict[tuple[str, str], int] | None = None) -> None:
        """Store one document's index (inside the caller's transaction), its boilerplate
        units counted for its site (``kurt.index.boilerplate``)."""
        write_document_index(conn, result, now, entity_ids)
        self.units.record(conn, result.id, result.sections, result.units)

    def finish(self, store: Store, *, whole: bool = False) -> int:
        """After the last write: the boilerplate flags of the sites written, links to documents
        indexed since, orphan entities gone, and the vocabulary's fingerprint recorded when it
        covers the index. The number of entities."""
        with store.transaction() as conn:
            self.units.refresh(conn)  # boilerplate: recount the sites just indexed
            resolve_pending_links(conn)
            apply_corpus(conn)  # directories of similar pages, discovered names (kurt.index.corpus)
            remove_orphan_entities(conn)
            if whole or not self.vocabulary_changed:
                _set_meta(conn, VOCABULARY_KEY, self.fingerprint)
        return int(store.query_one("SELECT COUNT(*) FROM entities")[0])


def _mark_edited(ws, store: Store, flt: DocumentFilter, report: IndexReport) -> None:
    """Make documents whose file was edited by hand stale, so this run re-indexes them."""
    from kurt.index.edits import edited_documents

    report.edited = edited_documents(Path(ws.root), store, flt)
    if not report.edited:
        return
    with store.transaction() as conn:
        for doc_id in report.edited:
            conn.execute("UPDATE documents SET indexed_hash = NULL WHERE id = ?", (doc_id,))
    count = len(report.edited)
    report.warnings.append(
        f"{count} source file{'s' if count != 1 else ''} changed on disk since indexed (edited by"
        " hand?): re-indexed as they are now; 'kurt content fetch --refetch ID' fetches the"
        " published version again"
    )


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))


def _semantic_enabled(ws) -> bool:
    config = getattr(ws, "config", None)
    return bool(config is not None and config.search.semantic)


def embed_passages(ws, store: Store, flt: DocumentFilter | None = None,
                   progress: Callable[[int, int], None] | None = None) -> IndexReport:
    """Embed the passages of the fetched documents ``flt`` selects that have no embedding yet,
    when semantic search is on (``embedded``, ``embedding_seconds`` and ``warnings`` set)."""
    report = IndexReport()
    if _semantic_enabled(ws):
        _embed(store, replace(flt or DocumentFilter(), statuses=["FETCHED"]), report, progress)
    return report


def _embed(store: Store, flt: DocumentFilter, report: IndexReport, progress=None) -> None:
    """Embed the passages still without an embedding (kurt.toml [search] semantic = true)."""
    from kurt.errors import KurtError
    from kurt.index.encoders import load_model
    from kurt.semantic import embed_sections

    started = time.perf_counter()
    try:
        embedder = load_model()
    except KurtError as exc:  # the index itself is written; say why semantic search lags
        report.warnings.append(f"passages not embedded: {exc}")
        return
    report.embedded = embed_sections(store, embedder, flt, progress=progress).embedded
    report.embedding_seconds = time.perf_counter() - started


def _run_pool(jobs: Iterator[IndexJob], vocab: Vocabulary, n_workers: int, finish) -> None:
    """Analyze in worker processes, keeping a bounded number of chunks in flight."""
    from kurt.worker_pool import worker_pool

    with worker_pool(n_workers, context=vocab) as pool:
        pending: set[Future] = set()
        chunk: list[IndexJob] = []

        def drain(block_until: int) -> None:
            nonlocal pending
            while len(pending) > block_until:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    for result in future.result():
                        finish(result)

        for job in jobs:
            chunk.append(job)
            if len(chunk) >= CHUNK:
                pending.add(pool.submit(_analyze_chunk, chunk))
                chunk = []
                drain(n_workers * 2)
        if chunk:
            pending.add(pool.submit(_analyze_chunk, chunk))
        drain(0)


def _enrich(enricher, ws, result: DocumentIndex, report: IndexReport) -> DocumentIndex:
    from kurt.index.enrich import EnrichmentFailed

    try:
        enriched = enricher.enrich(ws, result)
    except EnrichmentFailed as exc:  # this document keeps its local index
        report.errors.setdefault(f"llm: {exc}", []).append(result.id)
        return result
    report.enriched += 1
    return enriched


def _count(store: Store, flt: DocumentFilter, *, stale_only: bool = False) -> int:
    where, params = flt.where("d")
    if stale_only:
        where += " AND (d.indexed_hash IS NULL OR d.content_hash IS NULL OR d.indexed_hash <> d.content_hash)"
    return int(store.query_one(f"SELECT COUNT(*) FROM documents d WHERE {where}", params)[0])


def _jobs(ws, store: Store, flt: DocumentFilter, *, stale_only: bool) -> Iterator[IndexJob]:
    """The documents to index, read in pages by id (never the whole table at once)."""
    where, params = flt.where("d")
    if stale_only:
        where += " AND (d.indexed_hash IS NULL OR d.content_hash IS NULL OR d.indexed_hash <> d.content_hash)"
    last = ""
    root = Path(ws.root)
    from kurt.store.content import keeps_files, leads_out, source_text

    shared = keeps_files(store)  # a teammate's workspace: files missing here come from the store
    while True:
        rows = store.query(
            "SELECT d.id, d.url, d.title, d.content_path, d.content_hash, d.published_date, d.author"
            f" FROM documents d WHERE {where} AND d.id > ? ORDER BY d.id LIMIT {PAGE}",
            [*params, last],
        )
        if not rows:
            return
        for row in rows:
            path = str(root / row["content_path"]) if row["content_path"] else ""
            if shared and path and not os.path.exists(path):
                source_text(root, store, row["content_path"])  # written to sources/ when held
            refused = ("content file leads outside the workspace (a link): remove it and "
                       "re-fetch") if path and leads_out(root, row["content_path"]) else None
            yield IndexJob(row["id"], row["url"], row["title"], path, row["content_hash"],
                           row["published_date"], row["author"], refused)
        last = rows[-1]["id"]


class _Writer:
    """Writes document indexes in batched transactions, remembering entity ids."""

    def __init__(self, store: Store, indexer: Indexer):
        self.store = store
        self.indexer = indexer
        self.batch: list[DocumentIndex] = []
        self.entity_ids: dict[tuple[str, str], int] = {}

    def add(self, result: DocumentIndex) -> None:
        self.batch.append(result)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        now = utcnow()
        with self.store.transaction() as conn:
            for result in self.batch:
                self.indexer.write(conn, result, now, self.entity_ids)
        self.batch = []


def write_document_index(conn: sqlite3.Connection, result: DocumentIndex, now: str,
                         entity_ids: dict[tuple[str, str], int] | None = None) -> None:
    """Replace one document's index rows (inside the caller's transaction)."""
    entity_ids = {} if entity_ids is None else entity_ids
    section_ids = replace_sections(conn, result.id, result.sections)
    by_position = {s.position: sid for s, sid in zip(result.sections, section_ids, strict=True)}
    replace_links(conn, result.id, result.links)
    conn.execute("DELETE FROM document_entities WHERE document_id = ?", (result.id,))
    doc_rows, section_rows = [], defaultdict(int)
    for hit in result.entities:
        entity_id = _entity_id(conn, hit, entity_ids)
        doc_rows.append((result.id, entity_id, max(hit.mentions, 1), hit.origin))
        for position, n in hit.sections.items():
            section_id = by_position.get(position)
            if section_id is not None:
                section_rows[(entity_id, section_id)] += n
    conn.executemany(
        "INSERT INTO document_entities (document_id, entity_id, mentions, origin) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (document_id, entity_id) DO UPDATE SET mentions = excluded.mentions",
        doc_rows,
    )
    conn.executemany(
        "INSERT INTO entity_sections (entity_id, section_id, mentions) VALUES (?, ?, ?)",
        [(eid, sid, n) for (eid, sid), n in section_rows.items()],
    )
    write_shape(conn, result.id, result.shape, result.names, result.content_type)
    s = result.structure or Structure()
    conn.execute(
        "UPDATE documents SET content_type = ?, has_code = ?, has_steps = ?, has_troubleshooting = ?,"
        " has_prerequisites = ?, indexed_at = ?, indexed_hash = ?, indexed_file_hash = ?,"
        " file_signature = CASE WHEN content_hash = ? THEN COALESCE(?, file_signature)"
        " ELSE file_signature END,"
        " description = COALESCE(description, ?) WHERE id = ?",
        (result.content_type, int(s.has_code), int(s.has_steps), int(s.has_troubleshooting),
         int(s.has_prerequisites), now, result.content_hash, result.file_hash,
         result.content_hash, result.file_signature, result.description, result.id),
    )


def _entity_id(conn: sqlite3.Connection, hit: EntityHit, cache: dict[tuple[str, str], int]) -> int:
    cached = cache.get((hit.type, hit.key))
    if cached is not None:
        return cached
    row = conn.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (hit.type, hit.key)).fetchone()
    if row is None:
        cur = conn.execute("INSERT INTO entities (type, name, key) VALUES (?, ?, ?)",
                           (hit.type, hit.name, hit.key))
        entity_id = int(cur.lastrowid)
    else:
        entity_id = int(row[0])
    conn.executemany(
        "INSERT INTO entity_aliases (alias_key, entity_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, entity_id) for key in hit.alias_keys if key != hit.key],
    )
    cache[(hit.type, hit.key)] = entity_id
    return entity_id


def remove_orphan_entities(conn: sqlite3.Connection) -> int:
    """Delete entities no document mentions any more; the number deleted."""
    cur = conn.execute(
        "DELETE FROM entities WHERE NOT EXISTS"
        " (SELECT 1 FROM document_entities de WHERE de.entity_id = entities.id)"
    )
    return cur.rowcount
