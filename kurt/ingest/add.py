"""Add: map a source (website URL, folder or file) and fetch what that mapping found.

One idempotent step: running it again maps nothing new, fetches nothing
already fetched, and says how many documents were already there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import UsageError
from kurt.ingest.fetch import FetchReport, Progress, Step, fetch_documents
from kurt.store.db import Store
from kurt.store.documents import document_id
from kurt.store.filters import DocumentFilter

ID_CHUNK = 500


@dataclass
class SourceMapped:
    source: str  # what the user gave
    kind: str  # 'web' or 'file'
    prefix: str  # URL prefix of the documents this source covers
    report: object  # the MapReport from kurt.ingest.discover / kurt.ingest.folder


@dataclass
class AddReport:
    mapped: list[SourceMapped] = field(default_factory=list)
    fetch: FetchReport = field(default_factory=FetchReport)
    already_fetched: int = 0  # documents of these sources fetched by an earlier run

    @property
    def empty_sources(self) -> list[SourceMapped]:
        """The sources whose mapping found nothing at all."""
        return [m for m in self.mapped if not getattr(m.report, "found", 0)]

    def map_lines(self) -> list[str]:
        lines = []
        for item in self.mapped:
            summary = _map_summary(item.report)
            lines.append(f"Mapped {item.source}: {summary}")
        return lines

    def to_dict(self) -> dict:
        return {
            "mapped": [{"source": m.source, "kind": m.kind, "prefix": m.prefix,
                        "report": _jsonable(m.report)} for m in self.mapped],
            "already_fetched": self.already_fetched,
            "fetch": self.fetch.to_dict(),
        }


def add_sources(
    ws,
    store: Store,
    sources: list[str],
    *,
    include=(),
    exclude=(),
    limit: int | None = None,
    max_depth: int | None = None,
    max_pages: int | None = None,
    concurrency: int | None = None,
    index: bool = True,
    progress: Progress | None = None,
    transport=None,
    follow_symlinks: bool = False,
    index_progress: Step | None = None,
    embed_progress: Step | None = None,
) -> AddReport:
    """Map each source, then fetch the documents they cover that are not fetched yet.

    ``follow_symlinks``: read links in a folder that lead out of it (see kurt.ingest.folder).
    ``index_progress``, ``embed_progress``: see ``kurt.ingest.fetch.fetch_documents``.
    """
    if not sources:
        raise UsageError("Give at least one URL, folder or file to add")
    report = AddReport()
    for source in sources:
        report.mapped.append(_map(ws, store, source, include=include, exclude=exclude, limit=limit,
                                  max_depth=max_depth, max_pages=max_pages, transport=transport,
                                  follow_symlinks=follow_symlinks))
    fetches = []
    for item in report.mapped:
        prefix_filter = DocumentFilter(statuses=["NOT_FETCHED"], url_prefix=item.prefix)
        steps = {"progress": progress, "index_progress": index_progress,
                 "embed_progress": embed_progress}
        fetches.append(fetch_documents(ws, store, prefix_filter, limit=limit, concurrency=concurrency,
                                       transport=transport, index=index, **steps))
        # What the mapping found outside that prefix (another host spelling, say).
        outside = [document_id(u) for u in getattr(item.report, "urls", []) if not u.startswith(item.prefix)]
        for start in range(0, len(outside), ID_CHUNK):
            chunk = DocumentFilter(statuses=["NOT_FETCHED"], ids=outside[start:start + ID_CHUNK])
            fetches.append(fetch_documents(ws, store, chunk, concurrency=concurrency,
                                           transport=transport, index=index, **steps))
    fetched_now = {d.id for f in fetches for d in f.documents if d.outcome in ("new", "changed", "unchanged", "restored")}
    for item in report.mapped:
        ids = [document_id(u) for u in getattr(item.report, "urls", [])]
        report.already_fetched += _count_fetched(store, [i for i in ids if i not in fetched_now])
    report.fetch = merge_reports(fetches)
    return report


def _count_fetched(store: Store, ids: list[str]) -> int:
    total = 0
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        row = store.query_one(
            f"SELECT COUNT(*) FROM documents WHERE status = 'FETCHED' AND id IN ({', '.join('?' * len(chunk))})",
            chunk)
        total += int(row[0])
    return total


def _map(ws, store: Store, source: str, **options) -> SourceMapped:
    path = Path(source).expanduser()
    if "://" not in source and path.exists():
        from kurt.ingest.folder import map_folder

        resolved = path.resolve()
        mapped = map_folder(store, resolved, include=tuple(options["include"]),
                            exclude=tuple(options["exclude"]), limit=options["limit"],
                            follow_symlinks=options["follow_symlinks"])
        from kurt.ingest.folder import file_url

        prefix = file_url(resolved) + ("/" if resolved.is_dir() else "")
        return SourceMapped(source, "file", prefix, mapped)
    if "://" not in source and _local_path(source):
        raise UsageError(f"No such file or folder: {source} (a website is given by its URL, "
                         "e.g. https://docs.example.com)")
    from kurt.ingest.discover import _looks_like_sitemap, map_url
    from kurt.ingest.urls import check_user_url, origin_of, prefix_folder

    url = check_user_url(source)
    mapped = map_url(store, ws.config.ingest, url, include=tuple(options["include"]),
                     exclude=tuple(options["exclude"]), limit=options["limit"],
                     max_depth=options["max_depth"], max_pages=options["max_pages"],
                     transport=options["transport"])
    folder = "/" if _looks_like_sitemap(url) else prefix_folder(url)
    return SourceMapped(source, "web", origin_of(url) + folder, mapped)


def _local_path(source: str) -> bool:
    """Whether a source that is neither an existing path nor a URL was meant as a path:
    ``./docs``, ``~/x``, ``my docs``, ``dcos`` (no dot: not a host name), ``notes.md``."""
    from kurt.ingest.folder import FILE_SUFFIXES

    if source.startswith((".", "/", "~")) or "\\" in source or any(c.isspace() for c in source):
        return True
    head = source.split("/")[0]
    if "." not in head and ":" not in head and head.lower() != "localhost":
        return True
    return source.rstrip("/").lower().endswith(FILE_SUFFIXES)


def merge_reports(reports: list[FetchReport]) -> FetchReport:
    """Several fetch runs as one report."""
    merged = FetchReport()
    for report in reports:
        for name in ("selected", "new", "changed", "unchanged", "restored", "gone", "failed",
                     "skipped", "deferred", "deleted", "other_run"):
            setattr(merged, name, getattr(merged, name) + getattr(report, name))
        for name in ("errors", "skip_reasons", "other_runs", "robots_unreadable"):
            for reason, urls in getattr(report, name).items():
                getattr(merged, name).setdefault(reason, []).extend(urls)
        merged.deleted_urls.extend(report.deleted_urls)
        merged.robots_blocked.extend(report.robots_blocked)
        merged.timed_out.extend(report.timed_out)
        merged.kept_copies.extend(report.kept_copies)
        merged.elapsed += report.elapsed
        merged.interrupted |= report.interrupted
        if report.indexed is not None:
            merged.indexed = (merged.indexed or 0) + report.indexed
        merged.documents.extend(report.documents)
    merged.pages_per_second = merged.done / merged.elapsed if merged.elapsed > 0 else 0.0
    return merged


def _map_summary(report) -> str:
    """One line about a MapReport (see kurt.ingest.discover)."""
    found = getattr(report, "found", 0)
    text = (f"{found} found by {getattr(report, 'method', 'mapping')}, "
            f"{getattr(report, 'added', 0)} new, {getattr(report, 'known', 0)} already known")
    problems = getattr(report, "problems", [])
    if not found and problems:
        text += " (" + "; ".join(problems[:3]) + ")"
    return text


def _jsonable(report):
    to_dict = getattr(report, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        data.pop("urls", None)  # the fetch part lists the documents
        return data
    from dataclasses import asdict, is_dataclass

    if is_dataclass(report) and not isinstance(report, type):
        return asdict(report)
    return str(report)
