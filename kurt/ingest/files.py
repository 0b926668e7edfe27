"""Where fetched content lives: ``sources/<domain>/<path>.md``, written atomically.

A URL maps to a path that is safe on every common filesystem: no way out of
``sources/`` (``..``, ``%2e%2e``, absolute paths, backslashes), no characters
Windows or macOS refuse, path segments of bounded length, query strings folded
into the name with a short hash, ``index.md`` for directory URLs. Two sources
that would land on one file (``/a`` and ``/a.html``, or ``/A`` and ``/a`` on a
case-insensitive disk), or whose file would be the other's folder (``/q`` and
``/q.md/``), are told apart with the document id.

Whether a file is still Kurt's copy is decided by content (``copy_state``):
a stat signature recorded when the file was last known intact, else a hash.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from kurt.errors import KurtError
from kurt.fileio import write_atomic

SOURCES = "sources"
MAX_SEGMENT_BYTES = 120
_STRIP_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".md", ".mdx",
                   ".markdown", ".txt")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def content_path_for(doc) -> str:
    """The workspace-relative path of a document's markdown (before collision checks)."""
    if getattr(doc, "source_kind", "web") == "file":
        return _file_path(doc)
    return _web_path(doc.url, getattr(doc, "domain", None))


def _web_path(url: str, domain: str | None) -> str:
    parts = urlsplit(url)
    host = safe_segment((domain or parts.hostname or "unknown").lower()) or "unknown"
    raw = parts.path or "/"
    directory = raw.endswith("/") or raw.endswith("\\")
    segments = [s for s in (safe_segment(seg) for seg in _split(raw)) if s]
    if directory or not segments:
        segments.append("index")
    else:
        segments[-1] = _strip_suffix(segments[-1])
    if parts.query:
        digest = hashlib.sha256(parts.query.encode("utf-8")).hexdigest()[:8]
        readable = safe_segment(parts.query.replace("=", "-").replace("&", "_"))[:40]
        segments[-1] = limit_segment(f"{segments[-1]}_{readable}-{digest}" if readable
                                     else f"{segments[-1]}-{digest}")
    return PurePosixPath(SOURCES, host, *segments).as_posix() + ".md"


def _file_path(doc) -> str:
    source = Path(doc.source_path or unquote(urlsplit(doc.url).path))
    root = Path(doc.source_root) if getattr(doc, "source_root", None) else source.parent
    try:
        relative = source.relative_to(root)
    except ValueError:
        relative = Path(source.name)
    folder = safe_segment(root.name) or "files"
    segments = [s for s in (safe_segment(seg) for seg in relative.parts) if s]
    if not segments:
        segments = ["index"]
    last = segments[-1]
    stem = _strip_suffix(last)
    segments[-1] = stem or last
    return PurePosixPath(SOURCES, "local", folder, *segments).as_posix() + ".md"


def _split(path: str) -> list[str]:
    """Decoded path segments, with '.', '..' and empty ones dropped (no way up)."""
    decoded = unquote(unquote(path)).replace("\\", "/")
    return [seg for seg in decoded.split("/") if seg not in ("", ".", "..")]


def _strip_suffix(name: str) -> str:
    lowered = name.lower()
    for suffix in _STRIP_SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def safe_segment(segment: str) -> str:
    """One path segment made safe: unsafe characters replaced, no leading dots, bounded length."""
    text = _UNSAFE.sub("_", segment).strip(" .")
    if text in ("", ".", ".."):
        return ""
    if text.lower().split(".")[0] in _RESERVED:
        text = "_" + text
    return limit_segment(text)


def limit_segment(text: str, max_bytes: int = MAX_SEGMENT_BYTES) -> str:
    """Cut a segment to ``max_bytes`` of UTF-8, keeping it unique with a hash suffix."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    digest = hashlib.sha256(data).hexdigest()[:10]
    cut = data[: max_bytes - len(digest) - 1].decode("utf-8", errors="ignore").rstrip(" .")
    return f"{cut}-{digest}"


def claim_paths(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The ``claimed`` map ``resolve_collision`` works with, for stored (content path, id) pairs."""
    claimed: dict[str, str] = {}
    for path, doc_id in rows:
        _claim(path, doc_id, claimed)
    return claimed


def resolve_collision(path: str, doc_id: str, claimed: dict[str, str]) -> str:
    """``path``, or ``path`` told apart with the document id when it would clash with another's.

    ``claimed`` maps lower-cased content paths to the id holding them (so that
    ``/A`` and ``/a`` do not share a file on a case-insensitive disk), and each
    folder of those paths (with a trailing ``/``) to one id under it. A path
    clashes when another document holds it, when it is a folder of another's
    path (``/q`` -> ``q.md`` while ``/q.md/`` -> ``q.md/index.md``), or when
    one of its folders is another's file. The file name (or, for the last
    case, the clashing folder's name) gets ``-<id[:8]>``, then the whole id.
    The result is claimed for ``doc_id``.
    """
    candidate = path
    for suffix in (doc_id[:8], doc_id):
        if not _clashes(candidate, doc_id, claimed):
            break
        candidate = _told_apart(path, suffix, doc_id, claimed)
    _claim(candidate, doc_id, claimed)
    return candidate


def _claim(path: str, doc_id: str, claimed: dict[str, str]) -> None:
    key = path.lower()
    claimed[key] = doc_id
    parts = key.split("/")
    for end in range(1, len(parts)):
        claimed.setdefault("/".join(parts[:end]) + "/", doc_id)


def _clashes(path: str, doc_id: str, claimed: dict[str, str]) -> bool:
    key = path.lower()
    if claimed.get(key, doc_id) != doc_id or claimed.get(key + "/", doc_id) != doc_id:
        return True
    return _file_folder(key, doc_id, claimed) is not None


def _file_folder(key: str, doc_id: str, claimed: dict[str, str]) -> int | None:
    """How many segments of ``key`` make the first folder that is another document's file."""
    parts = key.split("/")
    for end in range(1, len(parts)):
        if claimed.get("/".join(parts[:end]), doc_id) != doc_id:
            return end
    return None


def _told_apart(path: str, suffix: str, doc_id: str, claimed: dict[str, str]) -> str:
    parts = path.split("/")
    end = _file_folder(path.lower(), doc_id, claimed)
    if end is not None:  # a folder of ours is another's file: rename the folder
        parts[end - 1] = f"{parts[end - 1]}-{suffix}"
        return "/".join(parts)
    stem = path[: -len(".md")] if path.endswith(".md") else path
    return f"{stem}-{suffix}.md"


def render_source(markdown: str, frontmatter: dict) -> str:
    """The text of a source file: a small YAML frontmatter, a blank line, the markdown."""
    import yaml

    front = yaml.safe_dump({k: v for k, v in frontmatter.items() if v is not None},
                           sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n{markdown}"


def stored_markdown(text: str) -> str:
    """The markdown of a source file as ``render_source`` wrote it (frontmatter and blank line off)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            body = text[end + 5:]
            return body[1:] if body.startswith("\n") else body
    return text


RACY_SECONDS = 2  # coarser than any common filesystem's timestamps (FAT: 2 s, ext3/HFS+: 1 s)


def signature_of(st: os.stat_result) -> str:
    """A file's stat signature: ``"<size>:<mtime_ns>"``."""
    return f"{st.st_size}:{st.st_mtime_ns}"


def trusted_signature(st: os.stat_result, now_ns: int | None = None) -> str | None:
    """``st``'s signature, or None while it is racily clean (modified under ``RACY_SECONDS`` ago).

    A later write lands in a later timestamp tick only once the tick of the last
    write is over: until then, an edit of the same size could leave size and
    modified time as they were (git's "racily clean" entries). Such a file is
    hashed at its next check instead, and its signature recorded then. This
    takes the filesystem's clock to be this machine's, as on a local disk.
    """
    now_ns = time.time_ns() if now_ns is None else now_ns
    if now_ns - st.st_mtime_ns < RACY_SECONDS * 1_000_000_000:
        return None
    return signature_of(st)


def markdown_hash(text: str) -> str:
    """The sha256 of the markdown in a source file's text (what ``content_hash`` holds)."""
    return hashlib.sha256(stored_markdown(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SourceText:
    """A source file as read from disk."""

    text: str  # decoded as UTF-8, bad bytes replaced
    markdown_hash: str  # sha256 of its markdown (frontmatter off)
    valid: bool  # the bytes were valid UTF-8 (Kurt only ever writes that)
    signature: str | None  # trusted signature of what was read (None: racily clean)


def read_source(path: Path | str) -> SourceText:
    """Read a source file and hash its markdown; OSError when it cannot be read.

    The signature comes from the open file (``fstat``) and the clock after the
    read, so it never describes a newer state than the text: a change after the
    read has another signature, or the signature is None (racily clean).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        data = handle.read()
    try:
        text, valid = data.decode("utf-8"), True
    except UnicodeDecodeError:
        text, valid = data.decode("utf-8", errors="replace"), False
    return SourceText(text, markdown_hash(text), valid, trusted_signature(st))


@dataclass(frozen=True)
class CopyState:
    """Whether the file at a document's ``content_path`` is still Kurt's copy."""

    state: str  # missing, intact (holds the markdown of content_hash) or edited
    markdown_hash: str | None = None  # sha256 of the file's markdown (None: missing or unreadable)
    signature: str | None = None  # the signature to record for an intact file (None: hash it next time)
    read: bool = False  # the file was read and hashed to decide

    @property
    def intact(self) -> bool:
        return self.state == "intact"


def copy_state(path: Path | str, content_hash: str, signature: str | None = None) -> CopyState:
    """Decide by content whether ``path`` still holds the markdown that hashed to ``content_hash``.

    ``signature`` is the file's stat signature (size and modified time in
    nanoseconds, ``signature_of``) recorded when it last held that markdown. A
    file whose signature still matches is ``intact`` without being read; any
    other file is read and hashed: ``intact`` when the hash matches (its
    signature is then returned, to be recorded unless it is racily clean),
    else ``edited``. Missing files are ``missing``.

    Why it is safe: a signature is only recorded once the file's modified time
    is ``RACY_SECONDS`` in the past (``trusted_signature``), so any later write,
    even of the same size, gets another modified time. The inode is left out on
    purpose: a workspace copied with ``cp -a`` or ``shutil.copytree`` keeps
    sizes and nanosecond modified times, and its files stay trusted without a
    hashing pass; a copy to a filesystem with coarser times is hashed once.
    What it cannot see: a different content of the same size given back the
    exact recorded modified time on purpose (``touch -d``, ``cp -p``, ``tar``).
    """
    try:
        st = os.stat(path)
    except OSError:
        return CopyState("missing")
    if signature is not None and signature_of(st) == signature:
        return CopyState("intact", content_hash, signature)
    try:
        source = read_source(path)
    except OSError:
        return CopyState("edited", read=True)
    if source.valid and source.markdown_hash == content_hash:
        return CopyState("intact", source.markdown_hash, source.signature, read=True)
    return CopyState("edited", source.markdown_hash, read=True)


def write_source(ws, path: str, markdown: str, frontmatter: dict) -> Path:
    """Write a source file atomically under the workspace's ``sources/`` folder."""
    return write_source_text(ws, path, render_source(markdown, frontmatter))


def write_source_text(ws, path: str, text: str) -> Path:
    """Write ``text`` (as ``render_source`` made it) atomically under ``sources/``."""
    root = (ws if isinstance(ws, (str, Path)) else ws.root)  # a Workspace or its folder
    root = Path(root).resolve()
    target = (root / path).resolve()
    sources = root / SOURCES
    if not target.is_relative_to(sources) or target == sources:
        raise KurtError(f"Refusing to write {path}: it is outside {sources}")
    write_atomic(target, text)
    return target
