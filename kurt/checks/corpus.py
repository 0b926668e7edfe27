"""The ingested documents as the checks of one run see them, each looked up and read once.

A ``Corpus`` wraps the store for a run of ``kurt draft check``: a draft's
sources, citations and links resolve through it, and a source shared by twenty
drafts is looked up, read and split into passages once. Nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

NOT_INGESTED = "not-ingested"
DELETED = "deleted"  # in the store, but its stored file is gone (or the page is gone)
OK = "ok"


@dataclass
class Resolved:
    """A source as a draft names it (a path, URL or id), resolved against the store."""

    ref: str
    status: str  # ok | not-ingested | deleted
    document: object | None = None  # kurt.store.documents.Document
    documents: list = field(default_factory=list)  # a folder reference: every document in it
    path: str | None = None  # the stored file, relative to the workspace
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


@dataclass(frozen=True)
class SourceBlock:
    """A fenced code block of a stored source file."""

    path: str
    line_start: int  # first line of code
    line_end: int
    language: str
    lines: tuple[str, ...]  # stripped, blank lines left out


def like_prefix(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching every string that starts with ``text``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def normalize_ref(ref: str) -> str:
    return str(ref).strip().strip("`").lstrip("/")


class Corpus:
    """Lookups of the store for one run; ``store`` may be None (no database: nothing resolves)."""

    def __init__(self, ws, store):
        self.ws = ws
        self.store = store
        self._resolved: dict[str, Resolved] = {}
        self._texts: dict[str, str | None] = {}
        self._blocks: dict[str, list[SourceBlock]] = {}
        self._sections: dict[str, list[dict]] = {}
        self._count: int | None = None
        self._urls: dict[str, object | None] = {}
        self._domains: set[str] | None = None
        self.line_counts: dict[str, int | None] = {}  # shared with the citation checkers

    # -- the store ---------------------------------------------------------------------

    def document_count(self) -> int:
        """Documents with text (FETCHED) in the store."""
        if self._count is None:
            if self.store is None:
                self._count = 0
            else:
                row = self.store.query_one(
                    "SELECT COUNT(*) AS n FROM documents WHERE status = 'FETCHED'")
                self._count = int(row["n"]) if row else 0
        return self._count

    def resolve(self, ref: str) -> Resolved:
        key = normalize_ref(ref)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(key)
        return self._resolved[key]

    def _resolve(self, key: str) -> Resolved:
        from kurt.errors import NotFound, UsageError
        from kurt.store.documents import Document, get_document

        if self.store is None or not key:
            return Resolved(key, NOT_INGESTED, reason="no database")
        try:
            doc = get_document(self.store, key, self.ws.root)
        except (NotFound, UsageError):
            folder = key.rstrip("/")
            if key.endswith("/") or (self.ws.root / folder).is_dir() or self._shared_folder(folder):
                rows = self.store.query(
                    "SELECT * FROM documents WHERE content_path LIKE ? ESCAPE '\\'"
                    " AND status = 'FETCHED' ORDER BY content_path",
                    (like_prefix(folder + "/"),))
                if rows:
                    docs = [Document.from_row(r) for r in rows]
                    return Resolved(key, OK, docs[0], docs, docs[0].content_path)
            return Resolved(key, NOT_INGESTED)
        if doc.status == "GONE":
            return Resolved(key, DELETED, doc, [doc], doc.content_path,
                            reason="the page was gone (404/410) when last fetched")
        if not doc.content_path or self.text(doc.content_path) is None:
            return Resolved(key, DELETED, doc, [doc], doc.content_path,
                            reason="its stored file is missing")
        return Resolved(key, OK, doc, [doc], doc.content_path)

    def _shared_folder(self, folder: str) -> bool:
        """Whether ``folder`` may be a folder of sources/ that only the shared store holds
        (a teammate fetched it; this workspace has not written its files yet)."""
        from kurt.store.content import keeps_files

        return folder.startswith("sources/") and keeps_files(self.store)

    def by_url(self, url: str):
        """The document with this URL (a trailing slash either way), or None."""
        if url not in self._urls:
            found = None
            if self.store is not None:
                variants = (url, url.rstrip("/"), url.rstrip("/") + "/")
                row = self.store.query_one(
                    "SELECT * FROM documents WHERE url IN (?, ?, ?)", variants)
                if row is not None:
                    from kurt.store.documents import Document

                    found = Document.from_row(row)
            self._urls[url] = found
        return self._urls[url]

    def domains(self) -> set[str]:
        """Hosts of the web documents in the store."""
        if self._domains is None:
            self._domains = set()
            if self.store is not None:
                rows = self.store.query("SELECT DISTINCT domain FROM documents"
                                        " WHERE domain IS NOT NULL AND domain != 'local'")
                self._domains = {str(r["domain"]).lower() for r in rows}
        return self._domains

    # -- stored files -------------------------------------------------------------------

    def text(self, path: str | None) -> str | None:
        """The stored file at ``path`` (relative to the workspace), or None when unreadable."""
        if not path:
            return None
        if path not in self._texts:
            from kurt.store.content import source_text

            self._texts[path] = source_text(self.ws.root, self.store, path)
        return self._texts[path]

    def code_blocks(self, path: str) -> list[SourceBlock]:
        """The fenced code blocks of a stored file."""
        if path not in self._blocks:
            text = self.text(path)
            self._blocks[path] = [] if text is None else list(_fenced_blocks(path, text))
        return self._blocks[path]

    def sections(self, doc) -> list[dict]:
        """A document's sections (heading_path, line_start, line_end, body): the index's,
        else split from its file."""
        if doc.id not in self._sections:
            from kurt.writing.evidence import document_sections

            try:
                self._sections[doc.id] = document_sections(self.ws, self.store, doc)
            except Exception:  # noqa: BLE001 - a store without the sections table: split the file
                self._sections[doc.id] = []
        return self._sections[doc.id]


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)")


def _fenced_blocks(path: str, text: str):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        marker, language = match.group(1), match.group(2).lower()
        end = i + 1
        while end < len(lines):
            stripped = lines[end].strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                break
            end += 1
        code = [ln.strip() for ln in lines[i + 1:end] if ln.strip()]
        if code:
            yield SourceBlock(path, i + 2, end, language, tuple(code))
        i = end + 1


def relative_file(ws, path: Path) -> str:
    """``path`` relative to the workspace (POSIX), or absolute when it lies outside."""
    try:
        return ws.relative(path)
    except ValueError:
        return Path(path).resolve().as_posix()
