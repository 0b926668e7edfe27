"""Rebuild: restore the document rows of a lost database from the files in ``sources/``.

Every source file Kurt writes starts with a small frontmatter (``url``, ``title``,
``fetched_at``, ``content_hash``; see ``kurt.ingest.files.render_source``), so the
rows that matter can be restored from the files alone, with no download: each
file becomes a FETCHED document with its URL, title, content path, hash and
fetch date (a ``file://`` URL becomes a local-file source again, with its
``source_path``), and the local index is rebuilt from the files. What lived only
in the database comes back on the next run of the command that made it:
validators (ETag, Last-Modified: the next ``fetch --refetch`` downloads in full),
documents that have no file (not fetched, failed, skipped: ``kurt content map``
lists them again), clusters and LLM enrichment.

Idempotent and interruptible: rows are written in batches, a file whose row
exists is left alone, and the indexing step picks up whatever is not indexed
yet, so running it again finishes the job. Files whose frontmatter is not
Kurt's are refused, counted with the reason, and never changed.

The same module says when a rebuild is due: ``missing_database`` (no database
file, but source files) and ``new_database`` (a database with no documents,
created after the source files it does not know).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from kurt.store.db import Store, utcnow

KURT_FRONTMATTER = b"---\nurl: "  # how every source file Kurt writes begins
BATCH = 200  # rows written per transaction
_HASH = re.compile(r"[0-9a-f]{64}")

Progress = Callable[[int, int, int], None]  # (done, total, refused)


@dataclass
class RebuildReport:
    scanned: int = 0  # files looked at under sources/
    restored: int = 0  # rows written (new, or a row without a file completed)
    already: int = 0  # rows that were already there for their file
    edited: int = 0  # restored, but the text no longer matches its content_hash (hand edit)
    refused: dict[str, list[str]] = field(default_factory=dict)  # reason -> paths
    indexed: int | None = None  # documents indexed afterwards (None: indexing not run)
    index_failed: int = 0

    @property
    def refused_count(self) -> int:
        return sum(len(paths) for paths in self.refused.values())

    def to_dict(self) -> dict:
        return {
            "scanned": self.scanned, "restored": self.restored, "already": self.already,
            "edited": self.edited, "refused_count": self.refused_count,
            "refused": {k: {"count": len(v), "paths": v} for k, v in self.refused.items()},
            "indexed": self.indexed, "index_failed": self.index_failed,
        }


@dataclass
class Restored:
    """A document row as the frontmatter of its file describes it."""

    url: str
    content_path: str
    content_hash: str
    fetched_at: str | None
    title: str | None
    word_count: int
    edited: bool


# -- when a rebuild is due ---------------------------------------------------------------


def source_files(ws) -> Iterator[Path]:
    """The files under ``sources/``, sorted, skipping hidden ones (temporary files)."""
    root = ws.sources_dir
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def written_by_kurt(path: Path) -> bool:
    """True when ``path`` begins the way Kurt's source files do (cheap: reads 9 bytes)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(KURT_FRONTMATTER)) == KURT_FRONTMATTER
    except OSError:
        return False


def _kurt_files(ws, older_than: float | None = None) -> int:
    count = 0
    for path in source_files(ws):
        if not path.name.endswith(".md"):
            continue
        if older_than is not None:
            try:
                if path.stat().st_mtime >= older_than:
                    continue
            except OSError:
                continue
        if written_by_kurt(path):
            count += 1
    return count


def missing_database(ws) -> str | None:
    """Why opening the workspace would silently start an empty database, or None."""
    if ws.db_path.exists() or not ws.sources_dir.is_dir():
        return None
    count = _kurt_files(ws)
    if not count:
        return None
    return (f"The database {ws.relative(ws.db_path)} is missing, but sources/ holds {count} "
            f"fetched file{'s' if count != 1 else ''}: run 'kurt content rebuild' to restore "
            "their documents from the files (nothing is downloaded), or move sources/ away to "
            "start empty")


def new_database(ws, store: Store) -> str | None:
    """Why a database with no documents, created after the source files, needs a rebuild."""
    if store.query_one("SELECT 1 FROM documents LIMIT 1") is not None:
        return None
    if not ws.sources_dir.is_dir():
        return None
    row = store.query_one("SELECT applied_at FROM schema_migrations ORDER BY version LIMIT 1")
    created = _timestamp(row[0]) if row else None
    if created is None:
        return None
    count = _kurt_files(ws, older_than=created)
    if not count:
        return None
    return (f"The database {ws.relative(ws.db_path)} is new and empty, but sources/ holds "
            f"{count} file{'s' if count != 1 else ''} fetched before it was created (was it "
            "deleted?): run 'kurt content rebuild' to restore their documents from the files "
            "(nothing is downloaded), or move sources/ away to start empty")


# -- reading one file ----------------------------------------------------------------------


class Refused(Exception):
    """A file that cannot give a document row; the message is the reason."""


def read_source(ws, path: Path) -> Restored:
    """The row the Kurt source file at ``path`` describes; Refused when it is not Kurt's."""
    import yaml

    from kurt.ingest.extract import count_words
    from kurt.ingest.files import stored_markdown

    if path.is_symlink():
        raise Refused("a link (Kurt writes regular files)")
    if not path.name.endswith(".md"):
        raise Refused("not a .md file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Refused("not UTF-8 text") from None
    except OSError as exc:
        raise Refused(f"cannot read it: {exc.strerror or exc}") from None
    end = text.find("\n---\n", 3)
    if not text.startswith("---\n") or end == -1:
        raise Refused("no frontmatter: not written by Kurt")
    try:
        front = yaml.safe_load(text[4:end + 1])
    except yaml.YAMLError:
        raise Refused("its frontmatter is not valid YAML") from None
    if not isinstance(front, dict) or "url" not in front or "content_hash" not in front:
        raise Refused("its frontmatter is not Kurt's (no url and content_hash)")
    url, digest = front.get("url"), front.get("content_hash")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https", "file") \
            or (not urlsplit(url).netloc and not url.startswith("file:///")):
        raise Refused("its url is not an http(s) or file:// URL")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise Refused("its content_hash is not a SHA-256")
    markdown = stored_markdown(text)
    title = front.get("title")
    return Restored(
        url=url,
        content_path=path.relative_to(ws.root).as_posix(),
        content_hash=digest,
        fetched_at=_iso(front.get("fetched_at")),
        title=str(title) if title is not None else None,
        word_count=count_words(markdown),
        edited=hashlib.sha256(markdown.encode("utf-8")).hexdigest() != digest,
    )


# -- the run ---------------------------------------------------------------------------


def rebuild(ws, store: Store, *, index: bool = True, progress: Progress | None = None) -> RebuildReport:
    """Restore a row for every Kurt source file that has none, then index; see the module doc."""
    report = RebuildReport()
    files = list(source_files(ws)) if ws.sources_dir.is_dir() else []
    claimed: dict[str, str] = {}  # document id -> content path, in this run
    batch: list[Restored] = []
    for path in files:
        report.scanned += 1
        try:
            item = read_source(ws, path)
        except Refused as refused:
            report.refused.setdefault(str(refused), []).append(ws.relative(path))
        else:
            batch.append(item)
        if len(batch) >= BATCH:
            _write(store, ws, batch, claimed, report)
        if progress is not None:
            progress(report.scanned, len(files), report.refused_count)
    if batch:
        _write(store, ws, batch, claimed, report)
    if index:
        report.indexed, report.index_failed = _index(ws, store)
    return report


def _write(store: Store, ws, batch: list[Restored], claimed: dict[str, str],
           report: RebuildReport) -> None:
    from kurt.store.documents import document_id

    now = utcnow()
    with store.transaction() as conn:
        for item in batch:
            doc_id = document_id(item.url)
            other = claimed.get(doc_id)
            row = conn.execute("SELECT content_path FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if (other is not None and other != item.content_path) or (
                    row is not None and row["content_path"] not in (None, item.content_path)):
                report.refused.setdefault("another file holds the same url", []).append(
                    item.content_path)
                continue
            claimed[doc_id] = item.content_path
            if row is not None and row["content_path"] == item.content_path:
                report.already += 1
                continue
            values = _row(item, doc_id, now)
            if row is None:
                names = ", ".join(values)
                conn.execute(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(values))})",
                             tuple(values.values()))
            else:  # known (mapped again since the loss) but without its file: complete it
                kept = {k: v for k, v in values.items() if k not in ("id", "url", "discovered_at",
                                                                      "discovered_via")}
                assignments = ", ".join(f"{name} = ?" for name in kept)
                conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?",
                             (*kept.values(), doc_id))
            report.restored += 1
            report.edited += item.edited
    batch.clear()


def _row(item: Restored, doc_id: str, now: str) -> dict:
    parts = urlsplit(item.url)
    values = {
        "id": doc_id, "url": item.url, "status": "FETCHED", "discovered_via": "rebuild",
        "discovered_at": now, "title": item.title, "content_path": item.content_path,
        "content_hash": item.content_hash, "fetched_at": item.fetched_at or now,
        "changed_at": item.fetched_at or now, "word_count": item.word_count,
        "mime_type": "text/markdown", "error": None,
    }
    if parts.scheme == "file":
        source_path = item.url[len("file://"):]  # file_url writes the path as it is
        values.update(source_kind="file", domain="local", source_path=source_path,
                      source_root=_source_root(source_path, item.content_path))
    else:
        from kurt.ingest.urls import domain_of

        values.update(source_kind="web", domain=domain_of(item.url))
    return values


def _source_root(source_path: str, content_path: str) -> str:
    """The folder a local file was mapped from: ``sources/local/<folder>/<a>/<b>.md`` was
    written for ``<root>/<a>/<b>.<ext>``, so the root is the path two levels up, when its
    name is ``<folder>``; else the file's own folder."""
    from kurt.ingest.files import safe_segment

    parts = content_path.split("/")
    source = Path(source_path)
    if len(parts) >= 4 and parts[:2] == ["sources", "local"]:
        depth = len(parts) - 3  # segments after the folder name
        if depth <= len(source.parts) - 1:
            root = source.parents[depth - 1]
            if (safe_segment(root.name) or "files") == parts[2]:
                return str(root)
    return str(source.parent)


def _index(ws, store: Store) -> tuple[int | None, int]:
    import importlib.util

    if importlib.util.find_spec("kurt.index.pipeline") is None:
        return None, 0
    from kurt.index.pipeline import index_documents

    result = index_documents(ws, store)
    return result.indexed, result.failed


def _iso(value) -> str | None:
    """``fetched_at`` as Kurt stores it (YAML may have turned it into a datetime)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    text = str(value)
    return text if _timestamp(text) is not None else None


def _timestamp(value: str) -> float | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
