"""Where fetched content lives: ``sources/<domain>/<path>.md``, written atomically.

A URL maps to a path that is safe on every common filesystem: no way out of
``sources/`` (``..``, ``%2e%2e``, absolute paths, backslashes), no characters
Windows or macOS refuse, path segments of bounded length, query strings folded
into the name with a short hash, ``index.md`` for directory URLs. Two sources
that would land on one file (``/a`` and ``/a.html``, or ``/A`` and ``/a`` on a
case-insensitive disk) are told apart with the document id.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from kurt.errors import KurtError
from kurt.workspace import Workspace, write_atomic

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


def resolve_collision(path: str, doc_id: str, claimed: dict[str, str]) -> str:
    """``path``, or ``path`` with the document id when another document holds it.

    ``claimed`` maps lower-cased content paths to the id holding them (so that
    ``/A`` and ``/a`` do not share a file on a case-insensitive disk); the
    result is claimed for ``doc_id``.
    """
    owner = claimed.get(path.lower())
    if owner is not None and owner != doc_id:
        stem = path[: -len(".md")] if path.endswith(".md") else path
        path = f"{stem}-{doc_id[:8]}.md"
        if claimed.get(path.lower()) not in (None, doc_id):
            path = f"{stem}-{doc_id}.md"
    claimed[path.lower()] = doc_id
    return path


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


WRITE_SLACK_SECONDS = 2.0  # stored times have second precision: a file written just after is not newer


def copy_state(path: Path, content_hash: str, since: str | None = None) -> str:
    """``missing``, ``intact`` (still the markdown that hashed to ``content_hash``) or ``edited``.

    With ``since`` (an ISO time Kurt last wrote or read the file), a file not modified
    after it is ``intact`` without being read: only newer files are hashed.
    """
    try:
        modified = os.stat(path).st_mtime
    except OSError:
        return "missing"
    if since is not None and modified <= _timestamp(since) + WRITE_SLACK_SECONDS:
        return "intact"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "edited"
    digest = hashlib.sha256(stored_markdown(text).encode("utf-8")).hexdigest()
    return "intact" if digest == content_hash else "edited"


def _timestamp(value: str) -> float:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def write_source(ws: Workspace | Path, path: str, markdown: str, frontmatter: dict) -> Path:
    """Write a source file atomically under the workspace's ``sources/`` folder."""
    root = Path(ws.root if isinstance(ws, Workspace) else ws).resolve()
    target = (root / path).resolve()
    sources = root / SOURCES
    if not target.is_relative_to(sources) or target == sources:
        raise KurtError(f"Refusing to write {path}: it is outside {sources}")
    write_atomic(target, render_source(markdown, frontmatter))
    return target
