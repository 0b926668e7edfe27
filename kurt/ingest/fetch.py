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
(no file written), unless the document was fetched before (below). So is a URL a
robots.txt rule forbids to our user agent: no retry of ERROR documents would
change that, only a new ``user_agent`` or ``respect_robots`` in kurt.toml does
(then ``--status SKIPPED`` retries them). A document fetched before that now
fails for a transient reason (timeout, 5xx, or a 200 whose body is empty, binary
or no page at all) keeps status FETCHED and its file, with the error recorded
and ``fetch_outcome = 'failed'``: a bad response never unlists good content. A
document never fetched that fails is ERROR (``--status ERROR`` retries those).

A site whose robots.txt cannot be read (5xx, 429, timeout: see ``kurt.ingest.robots``)
is not fetched at all in this run (RFC 9309), but that is a passing state, not the
page's failure: its documents are deferred (not requested) and keep their status
(NOT_FETCHED stays NOT_FETCHED, FETCHED keeps its file), with the reason in ``error``
and ``fetch_outcome = 'failed'``, so running the same command again retries them. The
report lists them per reason (``robots_unreadable``), one line per site.

Indexing (``index=True`` and ``[index] auto``) happens in the same pipeline: the
extraction worker that writes a page's file indexes the text it wrote
(``kurt.index.pipeline.Indexer``), and the page's index rows are stored in the
transaction that stores its row, so a page is never FETCHED with an index of
another content, and an interrupted run leaves nothing half indexed. After the
run, fetched documents whose index is still older than their content (an
earlier run killed before it indexed them, a page fetched with ``--no-index``,
an analysis that failed) are indexed by ``index_documents``, and passages are
embedded when semantic search is on.

Concurrent runs share the work: documents are claimed (``kurt.store.leases``)
in small batches as they are streamed, so two ``kurt content fetch`` processes
on one workspace fetch each page once between them; what the other run holds,
or finished since this one began, is reported as left to it. A document
deleted while it is fetched (``kurt content delete``) is not resurrected: the
result finds no row, the file the worker wrote is removed (unless another
document owns that path) and the report counts it as deleted during the run.
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
from kurt.fileio import sweep_temporary_files
from kurt.ingest.extract import Extraction, extract_content
from kurt.ingest.files import (
    claim_paths,
    content_path_for,
    copy_state,
    render_source,
    resolve_collision,
    write_source_text,
)
from kurt.store import leases
from kurt.store.db import Store, utcnow
from kurt.store.documents import (
    COLUMNS,
    Discovered,
    Document,
    add_discovered,
    get_document,
    web_origins,
)
from kurt.store.filters import DocumentFilter, count_documents

SELECT_BATCH = 500  # documents read from the database at a time
FLUSH_ROWS = 200  # results written per transaction ...
FLUSH_SECONDS = 0.5  # ... or at least this often
INLINE_MAX = 3  # this few documents are extracted without starting a process pool
GONE_STATUSES = (404, 410)
WRITTEN = ("new", "changed", "restored")  # outcomes whose file this run wrote
NO_DOCUMENT = "-"  # an id no document has: targets given, none of them known yet (dry run)
DELETED = "deleted while this run fetched it: its file was not kept"

Progress = Callable[[int, int, int], None]  # (done, total, failed)
Step = Callable[[int, int], None]  # (done, total): indexing, embedding


@dataclass
class DocumentOutcome:
    id: str
    url: str
    outcome: str  # new, changed, unchanged, restored, gone, failed, skipped, deferred, deleted, other_run;
    # selected (dry run). restored: the copy in sources/ was edited or deleted by hand, and
    # the published version was written back over it
    reason: str | None = None
    content_path: str | None = None


@dataclass
class FetchReport:
    selected: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    restored: int = 0  # copies edited or deleted by hand, written back from the published version
    gone: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0  # not requested: their site's robots.txt could not be read (status kept)
    deleted: int = 0  # deleted (kurt content delete) while this run fetched them: nothing kept
    other_run: int = 0  # left to another fetch run: it held them, or fetched them since this began
    errors: dict[str, list[str]] = field(default_factory=dict)  # reason -> urls
    skip_reasons: dict[str, list[str]] = field(default_factory=dict)  # reason -> urls
    other_runs: dict[str, list[str]] = field(default_factory=dict)  # "being fetched by pid N" -> urls
    deleted_urls: list[str] = field(default_factory=list)
    robots_blocked: list[str] = field(default_factory=list)  # urls a robots.txt rule forbids
    robots_unreadable: dict[str, list[str]] = field(default_factory=dict)  # reason -> deferred urls
    timed_out: list[str] = field(default_factory=list)  # urls whose server did not answer in time
    kept_copies: list[str] = field(default_factory=list)  # failed urls still FETCHED with their last good copy
    elapsed: float = 0.0
    pages_per_second: float = 0.0
    interrupted: bool = False
    dry_run: bool = False
    indexed: int | None = None  # documents indexed afterwards (None: indexing not run)
    documents: list[DocumentOutcome] = field(default_factory=list)

    @property
    def fetched(self) -> int:
        return self.new + self.changed + self.unchanged + self.restored

    @property
    def done(self) -> int:
        return self.fetched + self.gone + self.failed + self.skipped + self.deferred

    @property
    def all_failed(self) -> bool:
        """Every selected document failed (nothing fetched, skipped, gone or deferred)."""
        return self.failed > 0 and self.failed == self.done and not self.interrupted

    @property
    def all_deferred(self) -> bool:
        """Nothing was done: every selected document waits for its site's robots.txt."""
        return self.deferred > 0 and self.deferred == self.done and not self.interrupted

    def to_dict(self) -> dict:
        return {
            "selected": self.selected, "fetched": self.fetched, "new": self.new,
            "changed": self.changed, "unchanged": self.unchanged, "restored": self.restored,
            "gone": self.gone,
            "failed": self.failed, "skipped": self.skipped, "deferred": self.deferred,
            "deleted": self.deleted, "other_run": self.other_run,
            "errors": {k: {"count": len(v), "urls": v} for k, v in self.errors.items()},
            "skip_reasons": {k: {"count": len(v), "urls": v} for k, v in self.skip_reasons.items()},
            "other_runs": {k: {"count": len(v), "urls": v} for k, v in self.other_runs.items()},
            "deleted_urls": self.deleted_urls,
            "robots_blocked": self.robots_blocked,
            "robots_unreadable": {k: {"count": len(v), "urls": v}
                                  for k, v in self.robots_unreadable.items()},
            "timed_out": self.timed_out, "kept_copies": self.kept_copies,
            "elapsed": round(self.elapsed, 3), "pages_per_second": round(self.pages_per_second, 1),
            "interrupted": self.interrupted, "dry_run": self.dry_run, "indexed": self.indexed,
            "documents": [d.__dict__ for d in self.documents],
        }

    def add(self, doc: Document, outcome: str, reason: str | None, content_path: str | None,
            *, kept_copy: bool = False) -> None:
        """Count one result; ``kept_copy``: a failure that left the document FETCHED."""
        if kept_copy:
            self.kept_copies.append(doc.url)
        if outcome in ("new", "changed", "unchanged", "restored", "gone", "failed", "skipped",
                       "deferred", "deleted", "other_run"):
            setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == "failed":
            self.errors.setdefault(reason or "unknown error", []).append(doc.url)
        elif outcome == "skipped":
            self.skip_reasons.setdefault(reason or "skipped", []).append(doc.url)
        elif outcome == "deferred":
            self.robots_unreadable.setdefault(reason or "robots.txt unreadable", []).append(doc.url)
        elif outcome == "other_run":
            self.other_runs.setdefault(reason or "another fetch run", []).append(doc.url)
        elif outcome == "deleted":
            self.deleted_urls.append(doc.url)
            for listed in (self.robots_blocked, self.timed_out):
                if doc.url in listed:
                    listed.remove(doc.url)
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
    index: bool = False  # index the file written (with the pool's Indexer, see process_job_in_worker)


@dataclass
class ExtractDone:
    doc_id: str
    outcome: str  # new, changed, unchanged, skipped, failed
    reason: str | None = None
    content_hash: str | None = None
    extraction: Extraction | None = None  # metadata only: its markdown is not sent back
    index: object | None = None  # the DocumentIndex of the file written (kurt.index.pipeline)


def process_job_in_worker(job: ExtractJob) -> ExtractDone:
    """``process_job`` in an extraction worker, with the Indexer its pool was started with."""
    from kurt.worker_pool import worker_context

    return process_job(job, worker_context() if job.index else None)


def process_job(job: ExtractJob, indexer=None) -> ExtractDone:
    """Extract one document and write its file when its content is new or changed; with an
    ``indexer`` (``kurt.index.pipeline.Indexer``), index the text written."""
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
    index = None
    if digest == job.old_hash and target.exists():
        outcome = "unchanged"
    else:
        text = render_source(extraction.markdown, {
            "url": job.url, "title": extraction.title, "fetched_at": job.fetched_at,
            "content_hash": digest,
        })
        try:
            write_source_text(Path(job.root), job.content_path, text)
        except OSError as exc:  # disk full, permissions, a file where a folder must go ...
            return ExtractDone(job.doc_id, "failed",
                               f"cannot write {job.content_path}: {exc.strerror or exc}")
        outcome = "new" if job.old_hash is None else ("unchanged" if digest == job.old_hash else "changed")
        if indexer is not None:
            index = _analyze(indexer, job, extraction, digest, text)
    extraction.markdown = ""  # do not ship the text back to the main process
    return ExtractDone(job.doc_id, outcome, None, digest, extraction, index)


def _analyze(indexer, job: ExtractJob, extraction: Extraction, digest: str, text: str):
    """The index of the file just written, or None (the index run after the fetch redoes it)."""
    from kurt.index.pipeline import IndexJob

    try:
        return indexer.analyze(IndexJob(job.doc_id, job.url, extraction.title,
                                        str(Path(job.root) / job.content_path), digest,
                                        extraction.published_date, extraction.author), text)
    except Exception:  # noqa: BLE001 - a bug on one page must not cost its fetch: index_documents
        return None    # then indexes it after the run, and reports the error


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
                from kurt.suggest import command, in_quotes

                raise UsageError(f"{text} is a folder: use "
                                 f"{in_quotes(command('kurt content add', text))} to map and fetch it")
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
    index_progress: Step | None = None,
    embed_progress: Step | None = None,
) -> FetchReport:
    """Fetch the documents matching ``flt``; see the module docstring for the rules.

    ``refetch`` drops a NOT_FETCHED-only status filter so fetched documents are
    asked for again (with conditional GET). ``new_urls`` (dry run only): URLs
    not known yet, which a real run would add and fetch. ``index``: index what
    is fetched (when ``[index] auto`` is on); ``index_progress`` and
    ``embed_progress`` follow the indexing left after the run and the embedding.
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
    auto_index = index and ws.config.index.auto and _index_installed()
    indexer = None
    if auto_index and total:
        from kurt.index.pipeline import Indexer

        indexer = Indexer.start(ws, store)
    run = None
    if total:
        sweep_temporary_files(ws.sources_dir)  # left by writes a kill -9 or a full disk cut short
        run = _Run(ws, store, flt, report, limit=limit, total=total, progress=progress,
                   concurrency=concurrency or ws.config.ingest.concurrency, transport=transport,
                   indexer=indexer)
        asyncio.run(run.main())
        if report.interrupted:  # "fetched N of all that was selected", not of what was queued
            report.selected = max(report.selected, total)
    report.elapsed = time.monotonic() - started
    report.pages_per_second = report.done / report.elapsed if report.elapsed > 0 else 0.0
    if auto_index:
        report.indexed = _finish_index(ws, store, indexer, run.indexed if run else 0,
                                       interrupted=report.interrupted,
                                       progress=index_progress, embed_progress=embed_progress)
    check_readable = getattr(store, "check_readable", None)  # an SQLite file (not a server)
    if total and check_readable is not None:
        check_readable()  # a file overwritten while this run wrote is reported now
    return report


def _index_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("kurt.index.pipeline") is not None


def _finish_index(ws, store: Store, indexer, indexed: int, *, interrupted: bool,
                  progress: Step | None, embed_progress: Step | None) -> int | None:
    """After the run: finish the index it wrote (``indexer``: None when nothing was selected),
    index what is still stale (not after Ctrl-C: the next run does), embed. The number of
    documents indexed (None: nothing to index)."""
    if indexed:
        indexer.finish(store)
    stale = [] if interrupted else _unindexed(store)
    if not (indexed or stale):
        return None
    from kurt.index.pipeline import embed_passages, index_documents

    vocabulary = indexer.vocab if indexer is not None else None
    if stale and vocabulary is None:
        from kurt.index.vocabulary import load_vocabulary

        vocabulary = load_vocabulary(ws)
    done = 0
    for start in range(0, len(stale), SELECT_BATCH):
        ids = stale[start:start + SELECT_BATCH]

        def step(n: int, _total: int, before: int = done) -> None:
            progress(before + n, len(stale))

        index_documents(ws, store, DocumentFilter(ids=ids), embed=False, vocabulary=vocabulary,
                        progress=step if progress is not None else None)
        done += len(ids)
    if not interrupted:
        embed_passages(ws, store, progress=embed_progress)
    return indexed + len(stale)


def _unindexed(store: Store) -> list[str]:
    """Fetched documents whose index is older than their content: an earlier run was
    interrupted before it indexed them, or fetched them with ``--no-index``, so this run
    finishes that job too."""
    rows = store.query(
        "SELECT id FROM documents WHERE status = 'FETCHED' AND content_hash IS NOT NULL"
        " AND (indexed_hash IS NULL OR indexed_hash <> content_hash) ORDER BY id"
    )
    return [r["id"] for r in rows]


class _Run:
    """One fetch run: the async producer/worker pipeline and its batched DB writes."""

    def __init__(self, ws, store: Store, flt: DocumentFilter, report: FetchReport, *,
                 limit: int | None, total: int, progress: Progress | None, concurrency: int,
                 transport, indexer=None):
        self.ws, self.store, self.flt, self.report = ws, store, flt, report
        self.indexer = indexer  # kurt.index.pipeline.Indexer: index each page where it is written
        self.analyses: dict[str, object] = {}  # document id -> DocumentIndex, stored by the next flush
        self.edited: dict[str, bool] = {}  # document id -> its copy was edited or deleted by hand
        self.indexed = 0  # documents whose index was stored with their row
        self.limit, self.total, self.progress = limit, total, progress
        self.concurrency = concurrency
        self.transport = transport
        self.root = Path(ws.root)
        self.pending: list[tuple[Document, str, str | None, dict]] = []
        self.last_flush = time.monotonic()
        self.finished = self.failures = 0  # for progress: results recorded, not yet all flushed
        self.claimed = claim_paths((row["content_path"], row["id"]) for row in store.query(
            "SELECT id, content_path FROM documents WHERE content_path IS NOT NULL"))
        self.owner = leases.new_owner()  # this run, in the leases of the documents it fetches
        self.since = leases.stamp()
        self.pool = None

    # -- orchestration --

    async def main(self) -> None:
        from kurt.ingest.http import PoliteClient

        config = self.ws.config.ingest
        queue: asyncio.Queue = asyncio.Queue(maxsize=self.read_ahead)
        self.pool = self._start_pool() if self.total > INLINE_MAX else None
        tasks: list[asyncio.Task] = []
        # Sites already in the workspace were added by the user: they may be on a private
        # address; a redirect to any other non-public address is refused.
        trusted = web_origins(self.store)
        keeper = asyncio.create_task(self._keep_leases())
        from kurt.ingest.host_budget import shared_budget

        budget = shared_budget(self.store)  # each host's pace, kept with the workspace's other runs
        try:
            async with PoliteClient(config, transport=self.transport, trusted=trusted,
                                    shared_budget=budget) as client:
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
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
            if budget is not None:
                budget.close()
            self._flush()
            leases.release(self.store, self.owner)  # what was claimed but not done (Ctrl-C)
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def _start_pool(self):
        """Extraction workers (see kurt.worker_pool: forked, and they die with this process).

        The parent imports the extraction libraries first so the children share those pages.
        """
        import trafilatura.core  # noqa: F401 - loaded once, shared by the forked workers

        from kurt.worker_pool import worker_pool

        workers = self.ws.config.ingest.extract_workers or os.cpu_count() or 1
        return worker_pool(min(workers, self.total), context=self.indexer)

    @property
    def read_ahead(self) -> int:
        """Documents claimed at a time, and queued at most for the workers: together at most
        ``concurrency`` claimed and not started, so when the selection runs out, the runs
        sharing it finish within about one round of requests of each other."""
        return max(1, self.concurrency // 2)

    async def _produce(self, queue: asyncio.Queue) -> None:
        """Stream the selection, claiming it a few documents at a time just ahead of the workers."""
        workers = min(self.concurrency, self.total)
        batch: list[Document] = []
        for doc in iter_selected(self.store, self.flt, self.limit):
            self.report.selected += 1
            batch.append(doc)
            if len(batch) >= self.read_ahead:
                await self._claim(batch, queue)
                batch = []
        if batch:
            await self._claim(batch, queue)
        for _ in range(workers):
            await queue.put(None)

    async def _claim(self, docs: list[Document], queue: asyncio.Queue) -> None:
        """Queue the documents this run claims; report the others at once."""
        got = leases.claim(self.store, [d.id for d in docs], self.owner, since=self.since)
        claimed = set(got.claimed)
        for doc in docs:
            if doc.id in claimed:
                await queue.put(doc)
            elif doc.id in got.held:
                self._record(doc, "other_run", f"being fetched by {_run_label(got.held[doc.id])}")
            elif doc.id in got.done:
                self._record(doc, "other_run",
                             f"fetched by {_run_label(got.done[doc.id])} since this run started")
            else:
                self._record(doc, "deleted", DELETED)

    async def _keep_leases(self) -> None:
        """Renew this run's claims while it works (a claim not renewed expires)."""
        while True:
            await asyncio.sleep(leases.LEASE_SECONDS / 5)
            leases.renew(self.store, self.owner)

    async def _work(self, queue: asyncio.Queue, client) -> None:
        while True:
            doc = await queue.get()
            if doc is None:
                return
            outcome, reason, values = await self._fetch_one(doc, client)
            self._record(doc, outcome, reason, values)

    async def _extract(self, job: ExtractJob) -> ExtractDone:
        job.index = self.indexer is not None
        if self.pool is None:
            return await asyncio.to_thread(process_job, job, self.indexer)
        from concurrent.futures.process import BrokenProcessPool

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, process_job_in_worker, job)
        except BrokenProcessPool:
            return ExtractDone(job.doc_id, "failed", "extraction worker crashed (out of memory?)")

    # -- one document --

    async def _fetch_one(self, doc: Document, client) -> tuple[str, str | None, dict]:
        now = utcnow()
        path = doc.content_path or resolve_collision(content_path_for(doc), doc.id, self.claimed)
        # A copy edited (or deleted) by hand is not trusted: fetch unconditionally and rewrite it.
        copy = copy_state(self.root / doc.content_path, doc.content_hash, doc.file_signature) \
            if doc.content_path and doc.content_hash else None
        had_copy = copy is not None and copy.intact
        if copy is not None and not copy.intact:
            self.edited[doc.id] = True  # a new or changed copy written over it is "restored"
        kept = {"file_signature": copy.signature if had_copy else None}  # see ingest.files.copy_state
        if doc.source_kind == "file":
            done = await self._extract(ExtractJob(
                str(self.root), doc.id, doc.url, path, doc.content_hash if had_copy else None, now,
                source_path=doc.source_path or _file_path_of(doc.url)))
            if done.outcome == "missing":
                return self._gone_or_failed(doc, done.reason, None, now, had_copy)
            return self._finish(doc, done, path, now, {"http_status": None, **kept})
        result = await client.get(
            doc.url,
            etag=doc.etag if had_copy else None,
            last_modified=doc.last_modified if had_copy else None,
        )
        http = {"http_status": result.status, **kept}
        if result.not_modified and had_copy:
            return "unchanged", None, {
                **http, "status": "FETCHED", "error": None, "fetched_at": now,
                "fetch_outcome": "unchanged",
                "etag": result.headers.get("etag") or doc.etag,
                "last_modified": result.headers.get("last-modified") or doc.last_modified,
            }
        if not result.ok:
            reason = result.error or f"HTTP {result.status}"
            if result.robots_unreadable:  # a passing state of the site: keep the status
                return "deferred", reason, {"error": reason, "fetch_outcome": "failed"}
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
        if done.outcome == "skipped" and doc.content_hash:  # fetched before: keep it listed
            return self._failed(doc, f"{done.reason} (the last good copy is kept)",
                                http.get("http_status"), True)
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
        outcome = done.outcome
        if outcome in ("new", "changed"):
            values["changed_at"] = now
            values["file_signature"] = None  # just written: racily clean until a check hashes it
            if self.edited.pop(doc.id, False):  # written back over a copy edited by hand
                outcome = values["fetch_outcome"] = "restored"
        if done.index is not None:
            self.analyses[doc.id] = done.index
        return outcome, None, values

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

    def _record(self, doc: Document, outcome: str, reason: str | None,
                values: dict | None = None) -> None:
        """Count one result; ``values`` (columns to store) are written by the next flush."""
        if values is None:  # nothing to store: another run's document, or a deleted one
            self.report.add(doc, outcome, reason, doc.content_path)
        else:
            self.pending.append((doc, outcome, reason, values))
        self.finished += 1
        self.failures += outcome == "failed"
        now = time.monotonic()
        if len(self.pending) >= FLUSH_ROWS or now - self.last_flush >= FLUSH_SECONDS:
            self._flush()
        if self.progress is not None:
            self.progress(self.finished, self.total, self.failures)

    def _flush(self) -> None:
        """Store the pending results in one transaction and finish their claims.

        A result whose row is gone (deleted meanwhile) is reported deleted, and
        the file its worker wrote is removed.
        """
        self.last_flush = time.monotonic()
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        stored, deleted = [], []
        now, entity_ids = utcnow(), {}  # entity ids are looked up again in every transaction
        with self.store.transaction() as conn:
            for item in rows:
                doc, _, _, values = item
                assignments = ", ".join(f"{name} = ?" for name in values)
                cursor = conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?",
                                      (*values.values(), doc.id))
                (stored if cursor.rowcount else deleted).append(item)
                analysis = self.analyses.pop(doc.id, None)
                if analysis is not None and cursor.rowcount:
                    self.indexer.write(conn, analysis, now, entity_ids)
                    self.indexed += 1
            # a deferred document was not fetched: its claim is released at the end, not finished
            leases.finish(self.store, self.owner,
                          [item[0].id for item in stored if item[1] != "deferred"])
            if deleted:  # under the write lock: no other run can take over a path meanwhile
                self._remove_written(conn, deleted)
            from kurt.store.content import keeps_files, store_files

            if keeps_files(self.store):  # a shared store: teammates sync the files from it
                store_files(conn, self.root, [
                    (doc.id, values["content_path"]) for doc, outcome, _, values in stored
                    if outcome in WRITTEN and values.get("content_path")])
        for doc, outcome, reason, values in stored:
            self.report.add(doc, outcome, reason, values.get("content_path") or doc.content_path,
                            kept_copy=outcome == "failed" and values.get("status") != "ERROR")
        for doc, _, _, _ in deleted:
            self.report.add(doc, "deleted", DELETED, None)

    def _remove_written(self, conn, deleted: list[tuple[Document, str, str | None, dict]]) -> None:
        """Remove the files workers wrote for deleted documents, unless another document owns them."""
        from kurt.store.delete import DeleteResult, remove_files

        paths = [values["content_path"] for _, outcome, _, values in deleted
                 if outcome in WRITTEN and values.get("content_path")]
        paths = [path for path in paths if conn.execute(
            "SELECT 1 FROM documents WHERE content_path = ?", (path,)).fetchone() is None]
        if paths:
            remove_files(self.root, paths, DeleteResult())


def _run_label(owner: str | None) -> str:
    parsed = leases.Owner.parse(owner)
    return f"another fetch run ({parsed.label})" if parsed else "another fetch run"


def _file_path_of(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).path)
