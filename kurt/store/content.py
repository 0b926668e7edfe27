"""Source files kept in the store, for a team's shared PostgreSQL store (docs/teams.md).

The workspace that fetches a page writes its file to ``sources/`` as always; on a
PostgreSQL store the file's text is also stored (table ``document_content``, migration
0016) in the transaction that stores the fetch result. Another workspace pointed at the
same store then writes the files it lacks with ``kurt content sync``, fetching nothing;
and every command that reads a source file (get --content, evidence, draft checks,
template customize) reads it through ``source_text``, which writes a file missing from
sources/ from the store on demand. A file that exists but differs from the stored text
(edited by hand, or older) is kept and reported. A SQLite store keeps no copy: its sources/
folder is the only one, and a deleted file is re-fetched (``missing_file_message``).

Kurt writes every source file itself, so a stored path never climbs out of the workspace
(``..``), and a file in sources/ that is a symbolic link leading outside the workspace is
not Kurt's: it is not read (``leads_out``), so no command, and no MCP tool, quotes a file
from elsewhere on the machine that a shared repository or a hostile process linked there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import WriteError
from kurt.store.db import utcnow


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def keeps_files(store) -> bool:
    """Whether ``store`` keeps the source files' text (a shared PostgreSQL store)."""
    return store.dialect == "postgresql"


def store_files(conn, root: Path, items: Iterable[tuple[str, str]]) -> int:
    """Store the text of the files at (document id, content path) under ``root``, inside the
    caller's transaction; files that cannot be read are skipped. How many were stored."""
    rows = []
    now = utcnow()
    for doc_id, content_path in items:
        try:
            text = (Path(root) / content_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        rows.append((doc_id, content_path, file_hash(text), text, now))
    if rows:
        conn.executemany(
            "INSERT INTO document_content (document_id, content_path, file_hash, file_text, stored_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET"
            " content_path = excluded.content_path, file_hash = excluded.file_hash,"
            " file_text = excluded.file_text, stored_at = excluded.stored_at", rows)
    return len(rows)


def leads_out(root: Path, content_path: str) -> bool:
    """Whether the source file at ``content_path`` lies outside the workspace ``root``: an
    absolute path or one with ``..`` (a hostile store row), or a symbolic link whose target is
    outside. A sources/ folder that is itself a link (to another disk) is the user's choice,
    so only the file's own name is checked for a link: one lstat per read."""
    from pathlib import PurePosixPath, PureWindowsPath

    if any(pure(content_path).is_absolute() or ".." in pure(content_path).parts
           for pure in (PurePosixPath, PureWindowsPath)):
        return True
    path = Path(root) / content_path
    if not path.is_symlink():
        return False
    try:
        return not path.resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):  # a link loop
        return True


def source_text(root: Path, store, content_path: str | None) -> str | None:
    """The text of the source file at ``content_path`` (relative to the workspace ``root``),
    or None when it cannot be had (no path, unreadable, not UTF-8, on neither side).

    The file in ``sources/`` when it is there. When it is absent and the store keeps the
    source files (a shared PostgreSQL store), the text the fetching workspace stored: first
    written to ``sources/`` atomically, as ``kurt content sync`` writes it, so the citations
    a command prints (``sources/...md:12-20``) open in an editor and the next read is local.
    A workspace that cannot be written to (read-only, disk full) still gets the text.
    """
    if not content_path:
        return None
    if not leads_out(root, content_path):  # else only the store's copy, if any, is read
        try:
            return (Path(root) / content_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        except (OSError, UnicodeDecodeError):
            return None
    if store is None or not keeps_files(store):
        return None
    row = store.query_one(
        "SELECT c.file_text FROM documents d JOIN document_content c ON c.document_id = d.id"
        " WHERE d.content_path = ? ORDER BY d.id LIMIT 1", (content_path,))
    if row is None:
        return None
    text = row[0]
    _materialise(Path(root), content_path, text)
    return text


def _materialise(root: Path, content_path: str, text: str) -> bool:
    """Write a file missing from sources/ from the store's text; whether it was written."""
    from kurt.fileio import write_atomic

    root = root.resolve()
    target = (root / content_path).resolve()
    if not target.is_relative_to(root / "sources") or target.exists():
        return False  # never outside sources/; a file that appeared meanwhile is left alone
    try:
        write_atomic(target, text)
    except WriteError:
        return False
    return True


def missing_file_message(store, doc, root: Path | None = None) -> str:
    """What to say, and to do, when a fetched document's source file cannot be read."""
    if root is not None and doc.content_path and leads_out(root, doc.content_path):
        return (f"The content file {doc.content_path} of document {doc.id} leads outside the"
                f" workspace (a link), so it is not read: delete the link and re-fetch it with"
                f" 'kurt content fetch --refetch {doc.id}'")
    if keeps_files(store):
        return (f"The content file {doc.content_path} of document {doc.id} is missing here and"
                f" the store holds no copy of it: re-fetch it with"
                f" 'kurt content fetch --refetch {doc.id}'")
    return (f"The content file {doc.content_path} of document {doc.id} is missing: re-fetch it"
            f" with 'kurt content fetch --refetch {doc.id}' (a SQLite store keeps no copy of"
            f" sources/)")


@dataclass
class ContentReport:
    """What ``store_workspace_files`` or ``sync`` did."""

    stored: int = 0  # file texts put in the store
    written: int = 0  # files written to sources/
    unchanged: int = 0  # already the same on both sides
    kept: list[str] = field(default_factory=list)  # local files that differ: left as they are
    missing: list[str] = field(default_factory=list)  # documents with no file on either side

    def to_dict(self) -> dict:
        return {"stored": self.stored, "written": self.written, "unchanged": self.unchanged,
                "kept": self.kept, "missing": self.missing}


BATCH = 500


def _fetched(store) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in store.query(
        "SELECT id, content_path FROM documents WHERE status = 'FETCHED'"
        " AND content_path IS NOT NULL ORDER BY id")]


def store_workspace_files(root: Path, store, progress: Callable | None = None) -> ContentReport:
    """Put the text of every fetched document's file under ``root`` into ``store`` when it is
    not there yet or differs (``kurt store copy`` does this after the tables)."""
    report = ContentReport()
    known = {row[0]: row[1] for row in store.query(
        "SELECT document_id, file_hash FROM document_content")}
    todo = []
    for doc_id, content_path in _fetched(store):
        path = Path(root) / content_path
        if not path.is_file():
            report.missing.append(content_path)
            continue
        if known.get(doc_id) == file_hash(path.read_text(encoding="utf-8", errors="replace")):
            report.unchanged += 1
            continue
        todo.append((doc_id, content_path))
    for start in range(0, len(todo), BATCH):
        with store.transaction() as conn:
            report.stored += store_files(conn, root, todo[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    return report


def sync(workspace, store, progress: Callable | None = None) -> ContentReport:
    """Write the source files this workspace lacks from the texts in the store."""
    from kurt.fileio import write_atomic

    report = ContentReport()
    root = workspace.root.resolve()
    sources = root / "sources"
    rows = store.query("SELECT c.document_id, c.content_path, c.file_hash FROM document_content c"
                       " JOIN documents d ON d.id = c.document_id ORDER BY c.document_id")
    stored = {row[0] for row in rows}
    report.missing = [path for doc_id, path in _fetched(store) if doc_id not in stored]
    for done, (doc_id, content_path, digest) in enumerate(rows, 1):
        target = (root / content_path).resolve()
        if not target.is_relative_to(sources):
            report.kept.append(content_path)  # never outside sources/
            continue
        if target.is_file():
            if file_hash(target.read_text(encoding="utf-8", errors="replace")) == digest:
                report.unchanged += 1
            else:
                report.kept.append(content_path)
            continue
        text = store.query_one("SELECT file_text FROM document_content WHERE document_id = ?",
                               (doc_id,))[0]
        write_atomic(target, text)
        report.written += 1
        if progress:
            progress(done, len(rows))
    return report
