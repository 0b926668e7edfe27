"""Documents: what Kurt knows about each source page or file."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from kurt.errors import NotFound, UsageError
from kurt.store.db import Store, utcnow

STATUSES = ("NOT_FETCHED", "FETCHED", "ERROR", "SKIPPED", "GONE")


@dataclass
class Document:
    id: str
    url: str
    source_kind: str
    domain: str
    discovered_at: str
    status: str = "NOT_FETCHED"
    source_path: str | None = None
    source_root: str | None = None
    error: str | None = None
    http_status: int | None = None
    discovered_via: str | None = None
    delisted_at: str | None = None
    sitemap_lastmod: str | None = None
    title: str | None = None
    description: str | None = None
    author: str | None = None
    published_date: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    mime_type: str | None = None
    content_path: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    changed_at: str | None = None
    fetch_outcome: str | None = None
    word_count: int | None = None
    content_type: str | None = None
    has_code: int | None = None
    has_steps: int | None = None
    has_troubleshooting: int | None = None
    has_prerequisites: int | None = None
    indexed_at: str | None = None
    indexed_hash: str | None = None
    file_signature: str | None = None  # stat signature of the file when it last held content_hash
    indexed_file_hash: str | None = None  # sha256 of the markdown the index was built from

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Document:
        keys = row.keys()
        return cls(**{f.name: row[f.name] for f in fields(cls) if f.name in keys})

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


COLUMNS = tuple(f.name for f in fields(Document))


def document_id(url: str) -> str:
    """The short stable id of a source: the first 12 hex digits of sha256(url)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


@dataclass
class Discovered:
    """A URL or file found by discovery, not yet fetched."""

    url: str
    domain: str
    source_kind: str = "web"
    via: str = "manual"
    source_path: str | None = None
    source_root: str | None = None
    sitemap_lastmod: str | None = None


@dataclass
class DiscoveryCounts:
    added: int = 0
    known: int = 0
    relisted: int = 0


def add_discovered(store: Store, items: Iterable[Discovered]) -> DiscoveryCounts:
    """Record discovered sources; existing ones keep their state (lastmod is refreshed)."""
    counts = DiscoveryCounts()
    now = utcnow()
    batch: list[Discovered] = []

    def flush() -> None:
        with store.transaction() as conn:
            for item in batch:
                doc_id = document_id(item.url)
                row = conn.execute(
                    "SELECT delisted_at FROM documents WHERE id = ?", (doc_id,)
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO documents (id, url, source_kind, source_path, source_root,"
                        " domain, status, discovered_via, discovered_at, sitemap_lastmod)"
                        " VALUES (?, ?, ?, ?, ?, ?, 'NOT_FETCHED', ?, ?, ?)",
                        (doc_id, item.url, item.source_kind, item.source_path, item.source_root,
                         item.domain, item.via, now, item.sitemap_lastmod),
                    )
                    counts.added += 1
                else:
                    counts.known += 1
                    if row["delisted_at"] is not None:
                        counts.relisted += 1
                    conn.execute(
                        "UPDATE documents SET delisted_at = NULL,"
                        " sitemap_lastmod = COALESCE(?, sitemap_lastmod) WHERE id = ?",
                        (item.sitemap_lastmod, doc_id),
                    )
        batch.clear()

    for item in items:
        batch.append(item)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    return counts


def mark_delisted(store: Store, urls: Iterable[str]) -> int:
    """Mark sources that left their sitemap or folder (kept, never deleted silently)."""
    now = utcnow()
    count = 0
    with store.transaction() as conn:
        for url in urls:
            cur = conn.execute(
                "UPDATE documents SET delisted_at = ? WHERE url = ? AND delisted_at IS NULL",
                (now, url),
            )
            count += cur.rowcount
    return count


def update_document(store: Store, doc_id: str, **values) -> None:
    """Set columns of one document."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown document columns: {sorted(unknown)}")
    if not values:
        return
    assignments = ", ".join(f"{name} = ?" for name in values)
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE documents SET {assignments} WHERE id = ?", (*values.values(), doc_id)
        )


def get_document(store: Store, ident: str, workspace_root: Path | None = None) -> Document:
    """Find one document by id, unique id prefix, URL, or content/source path."""
    ident = ident.strip()
    if not ident:
        raise UsageError("Give a document id, URL or path")
    row = store.query_one("SELECT * FROM documents WHERE id = ? OR url = ?", (ident, ident))
    if row is None and ident.startswith(("http://", "https://")) and not ident.endswith("/"):
        row = store.query_one("SELECT * FROM documents WHERE url = ?", (ident + "/",))
    if row is None:
        row = _by_path(store, ident, workspace_root)
    if row is None and 4 <= len(ident) < 12 and all(c in "0123456789abcdef" for c in ident):
        rows = store.query("SELECT * FROM documents WHERE id LIKE ? LIMIT 2", (ident + "%",))
        if len(rows) == 2:
            raise UsageError(f"The id prefix '{ident}' matches several documents: give more of it")
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(
            f"No document '{ident}': see 'kurt content list' for ids, URLs and paths"
        )
    return Document.from_row(row)


def _by_path(store: Store, ident: str, root: Path | None) -> sqlite3.Row | None:
    row = _with_path(store, ident)  # most often the stored path itself: no file system call
    if row is not None:
        return row
    candidates = {ident.lstrip("/")}
    path = Path(ident)
    if root is not None:
        try:
            resolved = (Path.cwd() / path).resolve()
            candidates.add(resolved.relative_to(root.resolve()).as_posix())
        except (ValueError, OSError):
            pass
        try:
            candidates.add(str((Path.cwd() / path).resolve()))
        except (ValueError, OSError):  # a NUL byte, a symlink loop: not a path of a document
            pass
    for candidate in candidates - {ident}:
        row = _with_path(store, candidate)
        if row is not None:
            return row
    return None


def _with_path(store: Store, path: str) -> sqlite3.Row | None:
    return store.query_one(
        "SELECT * FROM documents WHERE content_path = ? OR source_path = ?", (path, path))


def count_by_status(store: Store) -> dict[str, int]:
    rows = store.query("SELECT status, COUNT(*) AS n FROM documents GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


def web_origins(store: Store) -> list[str]:
    """The distinct ``scheme://host[:port]`` of the workspace's web documents: the sites the
    user added (only they may be on a private address, see kurt.ingest.addresses)."""
    rows = store.query(
        # the origin ends at the first '/' after 'scheme://' (stored URLs always have a path)
        "SELECT DISTINCT substr(url, 1, instr(substr(url, 9), '/') + 7) AS origin"
        " FROM documents WHERE source_kind = 'web'"
    )
    return [row["origin"] for row in rows if row["origin"].startswith(("http://", "https://"))]
