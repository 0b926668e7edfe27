"""Fetch: download (or read) the selected documents, extract them, store the markdown.

The pipeline, for each document streamed from the database in batches:

    PoliteClient.get (async, main process)  ->  extract + write file (process pool)
                                            ->  result batched into a short DB transaction

Incremental: a document fetched before is asked for with ETag/If-Modified-Since
(304 -> unchanged); otherwise the sha256 of the extracted markdown decides
between new, changed and unchanged. 404/410 on a document fetched before marks
it GONE and KEEPS its last copy on disk (the report says so).

Consistency: a source file is written atomically BEFORE its row says FETCHED,
so an interrupted run (Ctrl-C, or even ``kill -9``) never leaves a FETCHED row
without its file; whatever did not finish keeps its previous status and the
same command finishes the job.

Decisions: a JavaScript shell or a non-text response is SKIPPED with its reason
(no file written). So is a URL a robots.txt rule forbids to our user agent: no
retry of ERROR documents would change that, only a new ``user_agent`` or
``respect_robots`` in kurt.toml does (then ``--status SKIPPED`` retries them). A document fetched before that now fails for a transient
reason (timeout, 5xx) keeps status FETCHED and its file, with the error recorded
and ``fetch_outcome = 'failed'``; a document never fetched that fails is ERROR
(``--status ERROR`` retries those).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import NotFound, UsageError
from kurt.ingest.extract import Extraction, extract_content
from kurt.ingest.files import content_path_for, copy_state, resolve_collision, write_source
from kurt.store.db import Store, utcnow
from kurt.store.documents import COLUMNS, Discovered, Document, add_discovered, get_document
from kurt.store.filters import DocumentFilter, count_documents

SELECT_BATCH = 500  # documents read from the database at a time
FLUSH_ROWS = 200  # results written per transaction ...
FLUSH_SECONDS = 0.5  # ... or at least this often
INLINE_MAX = 3  # this few documents are extracted without starting a process pool
GONE_STATUSES = (404, 410)
NO_DOCUMENT = "-"  # an id no document has: targets given, none of them known yet (dry run)

Progress = Callable[[int, int, int], None]  # (done, total, failed)


@dataclass
class DocumentOutcome:
    id: str
    url: str
    outcome: str  # new, changed, unchanged, gone, failed, skipped, selected (dry run)
    reason: str | None = None
    content_path: str | None = None


@dataclass
class FetchReport:
    selected: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    failed: int = 0
    skipped: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # reason -> urls
    skip_reasons: dict[str, list[str]] = field(default_factory=dict)  # reason -> urls
    robots_blocked: list[str] = field(default_factory=list)  # urls a robots.txt rule forbids
    timed_out: list[str] = field(default_factory=list)  # urls whose server did not answer in time
    elapsed: float = 0.0
    pages_per_second: float = 0.0
    interrupted: bool = False
    dry_run: bool = False
    indexed: int | None = None  # documents indexed afterwards (None: indexing not run)
    documents: list[DocumentOutcome] = field(default_factory=list)

    @property
    def fetched(self) -> int:
        return self.new + self.changed + self.unchanged

    @property
    def done(self) -> int:
        return self.fetched + self.gone + self.failed + self.skipped

    @property
    def all_failed(self) -> bool:
        """Every selected document failed (nothing fetched, skipped or gone)."""
        return self.failed > 0 and self.failed == self.done and not self.interrupted

    def to_dict(self) -> dict:
        return {
            "selected": self.selected, "fetched": self.fetched, "new": self.new,
            "changed": self.changed, "unchanged": self.unchanged, "gone": self.gone,
            "failed": self.failed, "skipped": self.skipped,
            "errors": {k: {"count": len(v), "urls": v} for k, v in self.errors.items()},
            "skip_reasons": {k: {"count": len(v), "urls": v} for k, v in self.skip_reasons.items()},
            "robots_blocked": self.robots_blocked, "timed_out": self.timed_out,
            "elapsed": round(self.elapsed, 3), "pages_per_second": round(self.pages_per_second, 1),
            "interrupted": self.interrupted, "dry_run": self.dry_run, "indexed": self.indexed,
            "documents": [d.__dict__ for d in self.documents],
        }

    def add(self, doc: Document, outcome: str, reason: str | None, content_path: str | None) -> None:
        if outcome in ("new", "changed", "unchanged", "gone", "failed", "skipped"):
            setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "failed":
            self.errors.setdefault(reason or "unknown error", []).append(doc.url)
        elif outcome == "skipped":
            self.skip_reasons.setdefault(reason or "skipped", []).append(doc.url)
        self.documents.append(DocumentOutcome(doc.id, doc.url, outcome, reason, content_path))


# -- the job done in an extraction worker -------------------------------------------------


@dataclass
class ExtractJob:
    root: str  # workspace root
    doc_id: str
    url: str
    content_path: str
    old_hash: str | None
    fetched_at: str
    body: bytes | None = None  # None: read source_path
    source_path: str | None = None
    content_type: str | None = None
    charset: str | None = None


@dataclass
class ExtractDone:
    doc_id: str
    outcome: str  # new, changed, unchanged, skipped, failed
    reason: str | None = None
    content_hash: str | None = None
    extraction: Extraction | None = None  # metadata only: its markdown is not sent back


def process_job(job: ExtractJob) -> ExtractDone:
    """Extract one document and write its file when its content is new or changed."""
    body = job.body
    if body is None:
        from kurt.ingest.folder import changed_since_mapped  # a link re-pointed since mapping

        if (refused := changed_since_mapped(job.source_path, job.url)) is not None:
            return ExtractDone(job.doc_id, "failed", refused)
        source = Path(job.source_path)
        if source.exists() and not source.is_file():  # a FIFO or device would block the read
            return ExtractDone(job.doc_id, "failed", f"not a regular file: {job.source_path}")
        try:
            body = source.read_bytes()
        except FileNotFoundError:
            return ExtractDone(job.doc_id, "missing", f"file not found: {job.source_path}")
        except OSError as exc:
            return ExtractDone(job.doc_id, "failed", f"cannot read {job.source_path}: {exc.strerror}")
    try:
        extraction = extract_content(body, job.url, content_type=job.content_type, charset=job.charset)
    except Exception as exc:  # noqa: BLE001 - a parser bug on one page must not stop the batch
        return ExtractDone(job.doc_id, "failed", f"extraction failed: {type(exc).__name__}: {exc}")
    if extraction.problem:
        return ExtractDone(job.doc_id, "skipped", extraction.problem, extraction=extraction)
    digest = hashlib.sha256(extraction.markdown.encode("utf-8")).hexdigest()
    target = Path(job.root) / job.content_path
    if digest == job.old_hash and target.exists():
        outcome = "unchanged"
    else:
        try:
            write_source(Path(job.root), job.content_path, extraction.markdown, {
                "url": job.url, "title": extraction.title, "fetched_at": job.fetched_at,
                "content_hash": digest,
            })
        except OSError as exc:  # disk full, permissions, a file where a folder must go ...
            return ExtractDone(job.doc_id, "failed",
                               f"cannot write {job.content_path}: {exc.strerror or exc}")
        outcome = "new" if job.old_hash is None else ("unchanged" if digest == job.old_hash else "changed")
    extraction.markdown = ""  # do not ship the text back to the main process
    return ExtractDone(job.doc_id, outcome, None, digest, extraction)


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business


# -- selection -------------------------------------------------------------------------


def iter_selected(store: Store, flt: DocumentFilter, limit: int | None = None,
                  batch: int = SELECT_BATCH) -> Iterator[Document]:
    """Documents matching ``flt`` streamed in id order, ``batch`` rows per query."""
    where, params = flt.where("d")
    columns = ", ".join("d." + c for c in COLUMNS)
    last = ""
    produced = 0
    while limit is None or produced < limit:
        size = batch if limit is None else min(batch, limit - produced)
        rows = store.query(
            f"SELECT {columns} FROM documents d WHERE ({where}) AND d.id > ? ORDER BY d.id LIMIT ?",
            [*params, last, size],
        )
        if not rows:
            return
        for row in rows:
            yield Document.from_row(row)
        produced += len(rows)
        last = rows[-1]["id"]


def resolve_targets(ws, store: Store, targets: Iterable[str],
                    new_urls: list[str] | None = None) -> list[str]:
    """Document ids for URLs, ids or paths given on the command line.

    An http(s) URL not known yet is added (discovered via 'manual'); a local
    file not known yet is added as a file source. With ``new_urls`` (a dry
    run), nothing is added: the URLs not known yet are appended to it instead.
    """
    from kurt.ingest.urls import check_user_url, domain_of

    ids: list[str] = []
    for target in targets:
        text = target.strip()
        try:
            ids.append(get_document(store, text, ws.root).id)
            continue
        except NotFound:
            pass
        path = Path(text).expanduser()
        if "://" not in text and path.exists():
            if path.is_dir():
                raise UsageError(f"{text} is a folder: use 'kurt content add {text}' to map and fetch it")
            from kurt.ingest.folder import file_url

            path = path.resolve()
            url = file_url(path)
            if new_urls is not None:
                new_urls.append(url)
                continue
            add_discovered(store, [Discovered(url=url, domain="local", source_kind="file", via="manual",
                                              source_path=str(path), source_root=str(path.parent))])
            ids.append(get_document(store, url).id)
            continue
        if "://" not in text and text.startswith(("./", "../", "/", "~", ".\\")):
            raise UsageError(f"No such file: {text}: check the path")
        if "://" not in text and "." not in text.split("/")[0]:
            raise NotFound(f"No document '{text}': give a URL, an id or a path "
                           "(see 'kurt content list')")
        url = check_user_url(text)
        try:
            ids.append(get_document(store, url, ws.root).id)
        except NotFound:
            if new_urls is not None:
                new_urls.append(url)
                continue
            add_discovered(store, [Discovered(url=url, domain=domain_of(url), via="manual")])
            ids.append(get_document(store, url).id)
    return list(dict.fromkeys(ids))


def fetch_filter(ws, store: Store, flt: DocumentFilter, *, targets: Iterable[str] = (),
                 urls_file: Path | None = None, all_statuses: bool = False,
                 refetch: bool = False, new_urls: list[str] | None = None) -> DocumentFilter:
    """The filter a ``kurt content fetch`` run selects with.

    Targets (URLs, ids, paths, and the lines of ``urls_file``) restrict the run
    to those documents whatever their status; ``all_statuses`` and ``refetch``
    drop the default NOT_FETCHED status filter. ``new_urls``: see
    :func:`resolve_targets` (a dry run adds nothing to the database).
    """
    targets = list(targets)
    if urls_file is not None:
        try:
            lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"Cannot read --urls-file {urls_file}: {exc}") from None
        targets += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        if not targets:
            raise UsageError(f"--urls-file {urls_file} has no URLs (one per line)")
    default_only = [s.upper() for s in flt.statuses] == ["NOT_FETCHED"]
    if targets:
        flt.ids = resolve_targets(ws, store, targets, new_urls) or [NO_DOCUMENT]
        if default_only:
            flt.statuses = []
    if all_statuses or (refetch and default_only):
        flt.statuses = []
    return flt


# -- the run ----------------------------------------------------------------------------


def fetch_documents(
    ws,
    store: Store,
    flt: DocumentFilter,
    *,
    refetch: bool = False,
    limit: int | None = None,
    concurrency: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    transport=None,
    index: bool = True,
    new_urls: Iterable[str] = (),
) -> FetchReport:
    """Fetch the documents matching ``flt``; see the module docstring for the rules.

    ``refetch`` drops a NOT_FETCHED-only status filter so fetched documents are
    asked for again (with conditional GET). ``new_urls`` (dry run only): URLs
    not known yet, which a real run would add and fetch.
    """
    if refetch and flt.statuses in (["NOT_FETCHED"], ["not_fetched"]):
        flt.statuses = []
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 or more")
    if concurrency is not None and concurrency < 1:
        raise UsageError("--concurrency must be 1 or more")
    report = FetchReport(dry_run=dry_run)
    started = time.monotonic()
    total = count_documents(store, flt)
    if limit is not None:
        total = min(total, limit)
    if dry_run:
        from kurt.store.documents import document_id

        for url in new_urls:
            report.selected += 1
            report.documents.append(DocumentOutcome(document_id(url), url, "selected",
                                                    "not known yet: would be added", None))
        for doc in iter_selected(store, flt, limit):
            report.selected += 1
            report.documents.append(DocumentOutcome(doc.id, doc.url, "selected", None, doc.content_path))
        report.elapsed = time.monotonic() - started
        return report
    if total:
        run = _Run(ws, store, flt, report, limit=limit, total=total, progress=progress,
                   concurrency=concurrency or ws.config.ingest.concurrency, transport=transport)
        asyncio.run(run.main())
        if report.interrupted:  # "fetched N of all that was selected", not of what was queued
            report.selected = max(report.selected, total)
    report.elapsed = time.monotonic() - started
    report.pages_per_second = report.done / report.elapsed if report.elapsed > 0 else 0.0
    if index and ws.config.index.auto:
        changed = [d.id for d in report.documents if d.outcome in ("new", "changed")]
        report.indexed = _index(ws, store, changed + _unindexed(store, set(changed)))
    return report


def _unindexed(store: Store, skip: set[str]) -> list[str]:
    """Fetched documents whose index is older than their content: an earlier run was
    interrupted before it indexed them, so this run finishes that job too."""
    rows = store.query(
        "SELECT id FROM documents WHERE status = 'FETCHED' AND content_hash IS NOT NULL"
        " AND (indexed_hash IS NULL OR indexed_hash <> content_hash)"
    )
    return [r["id"] for r in rows if r["id"] not in skip]


def _index(ws, store: Store, ids: list[str]) -> int | None:
    import importlib.util

    if not ids or importlib.util.find_spec("kurt.index.pipeline") is None:
        return None
    from kurt.index.pipeline import index_documents

    for start in range(0, len(ids), SELECT_BATCH):
        index_documents(ws, store, DocumentFilter(ids=ids[start:start + SELECT_BATCH]))
    return len(ids)


class _Run:
    """One fetch run: the async producer/worker pipeline and its batched DB writes."""

    def __init__(self, ws, store: Store, flt: DocumentFilter, report: FetchReport, *,
                 limit: int | None, total: int, progress: Progress | None, concurrency: int,
                 transport):
        self.ws, self.store, self.flt, self.report = ws, store, flt, report
        self.limit, self.total, self.progress = limit, total, progress
        self.concurrency = concurrency
        self.transport = transport
        self.root = Path(ws.root)
        self.pending: list[tuple[str, dict]] = []
        self.last_flush = time.monotonic()
        self.claimed = {row["content_path"].lower(): row["id"] for row in store.query(
            "SELECT id, content_path FROM documents WHERE content_path IS NOT NULL")}
        self.pool = None

    # -- orchestration --

    async def main(self) -> None:
        from kurt.ingest.http import PoliteClient

        config = self.ws.config.ingest
        queue: asyncio.Queue = asyncio.Queue(maxsize=self.concurrency * 2)
        self.pool = self._start_pool() if self.total > INLINE_MAX else None
        tasks: list[asyncio.Task] = []
        try:
            async with PoliteClient(config, transport=self.transport) as client:
                tasks = [asyncio.create_task(self._produce(queue))]
                tasks += [asyncio.create_task(self._work(queue, client))
                          for _ in range(min(self.concurrency, self.total))]
                await asyncio.gather(*tasks)
        except asyncio.CancelledError:
            self.report.interrupted = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._flush()
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def _start_pool(self):
        """Extraction workers, forked from this process.

        fork, not spawn/forkserver: a spawned child re-imports the main script
        with the current folder first on sys.path, and every workspace has a
        ``kurt/`` folder that would shadow the package. The parent imports the
        extraction libraries first so the children share those pages.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        import trafilatura.core  # noqa: F401 - loaded once, shared by the forked workers

        workers = self.ws.config.ingest.extract_workers or os.cpu_count() or 1
        return ProcessPoolExecutor(max_workers=min(workers, self.total),
                                   mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_init)

    async def _produce(self, queue: asyncio.Queue) -> None:
        workers = min(self.concurrency, self.total)
        for doc in iter_selected(self.store, self.flt, self.limit):
            self.report.selected += 1
            await queue.put(doc)
        for _ in range(workers):
            await queue.put(None)

    async def _work(self, queue: asyncio.Queue, client) -> None:
        while True:
            doc = await queue.get()
            if doc is None:
                return
            outcome, reason, values = await self._fetch_one(doc, client)
            self._record(doc, outcome, reason, values)

    async def _extract(self, job: ExtractJob) -> ExtractDone:
        if self.pool is None:
            return await asyncio.to_thread(process_job, job)
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, process_job, job)
        except BrokenProcessPool:
            return ExtractDone(job.doc_id, "failed", "extraction worker crashed (out of memory?)")

    # -- one document --

    async def _fetch_one(self, doc: Document, client) -> tuple[str, str | None, dict]:
        now = utcnow()
        path = doc.content_path or resolve_collision(content_path_for(doc), doc.id, self.claimed)
        # A copy edited (or deleted) by hand is not trusted: fetch unconditionally and rewrite it.
        had_copy = bool(doc.content_path and doc.content_hash) and copy_state(
            self.root / doc.content_path, doc.content_hash, doc.fetched_at) == "intact"
        if doc.source_kind == "file":
            done = await self._extract(ExtractJob(
                str(self.root), doc.id, doc.url, path, doc.content_hash if had_copy else None, now,
                source_path=doc.source_path or _file_path_of(doc.url)))
            if done.outcome == "missing":
                return self._gone_or_failed(doc, done.reason, None, now, had_copy)
            return self._finish(doc, done, path, now, {"http_status": None})
        result = await client.get(
            doc.url,
            etag=doc.etag if had_copy else None,
            last_modified=doc.last_modified if had_copy else None,
        )
        http = {"http_status": result.status}
        if result.not_modified and had_copy:
            return "unchanged", None, {
                **http, "status": "FETCHED", "error": None, "fetched_at": now,
                "fetch_outcome": "unchanged",
                "etag": result.headers.get("etag") or doc.etag,
                "last_modified": result.headers.get("last-modified") or doc.last_modified,
            }
        if not result.ok:
            reason = result.error or f"HTTP {result.status}"
            if result.robots_blocked:
                self.report.robots_blocked.append(doc.url)
                return "skipped", reason, {"status": "SKIPPED", "error": reason, "http_status": None,
                                           "fetched_at": now, "fetch_outcome": "skipped"}
            if result.timed_out:
                self.report.timed_out.append(doc.url)
            if result.status in GONE_STATUSES:
                return self._gone_or_failed(doc, reason, result.status, now, had_copy)
            return self._failed(doc, reason, result.status, had_copy)
        done = await self._extract(ExtractJob(
            str(self.root), doc.id, doc.url, path, doc.content_hash if had_copy else None, now,
            body=result.body, content_type=result.content_type or None, charset=result.charset))
        http.update(etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"))
        return self._finish(doc, done, path, now, http)

    def _finish(self, doc: Document, done: ExtractDone, path: str, now: str, http: dict):
        ex = done.extraction
        if done.outcome == "failed":
            return self._failed(doc, done.reason, http.get("http_status"), bool(doc.content_hash))
        if done.outcome == "skipped":
            return "skipped", done.reason, {
                **http, "status": "SKIPPED", "error": done.reason, "fetched_at": now,
                "fetch_outcome": "skipped", "mime_type": ex.mime_type if ex else None,
            }
        values = {
            **http, "status": "FETCHED", "error": None, "fetched_at": now,
            "fetch_outcome": done.outcome, "content_path": path, "content_hash": done.content_hash,
            "title": ex.title, "description": ex.description, "author": ex.author,
            "published_date": ex.published_date, "language": ex.language,
            "canonical_url": ex.canonical_url, "mime_type": ex.mime_type,
            "word_count": ex.word_count,
        }
        if done.outcome in ("new", "changed"):
            values["changed_at"] = now
        return done.outcome, None, values

    def _gone_or_failed(self, doc: Document, reason: str, status: int | None, now: str,
                        had_copy: bool):
        if not had_copy:
            return self._failed(doc, reason, status, False)
        reason = f"{reason}: gone from the source; the last copy is kept at {doc.content_path}"
        return "gone", reason, {"status": "GONE", "error": reason, "http_status": status,
                                "fetched_at": now, "fetch_outcome": "gone"}

    @staticmethod
    def _failed(doc: Document, reason: str | None, status: int | None, had_copy: bool):
        values = {"error": reason, "http_status": status, "fetch_outcome": "failed"}
        if not had_copy:  # a document with a good copy keeps FETCHED (see the module docstring)
            values["status"] = "ERROR"
        return "failed", reason, values

    # -- recording --

    def _record(self, doc: Document, outcome: str, reason: str | None, values: dict) -> None:
        self.report.add(doc, outcome, reason, values.get("content_path") or doc.content_path)
        self.pending.append((doc.id, values))
        now = time.monotonic()
        if len(self.pending) >= FLUSH_ROWS or now - self.last_flush >= FLUSH_SECONDS:
            self._flush()
        if self.progress is not None:
            self.progress(self.report.done, self.total, self.report.failed)

    def _flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        with self.store.transaction() as conn:
            for doc_id, values in rows:
                assignments = ", ".join(f"{name} = ?" for name in values)
                conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?",
                             (*values.values(), doc_id))


def _file_path_of(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).path)
