"""Links between documents: extracted from stored markdown, resolved to ingested documents.

``extract_links`` reads inline links ``[text](url)``, reference links
``[text][ref]`` with their ``[ref]: url`` definitions, and autolinks
``<https://...>``; images and anything inside code are not links. Targets are
resolved against the document's URL, fragments and credentials (``user:pass@``,
see ``kurt.ingest.urls``) are dropped, self-links and
non-web schemes (mailto:, javascript:, ...) are skipped, and each target is
kept once (with the first non-empty anchor).

``replace_links`` stores them and fills ``target_id`` when the target is an
ingested document (by URL, with or without a trailing slash, or by canonical
URL); ``resolve_pending_links`` fills it for targets ingested later.

Links of local files mapped from a folder (``source_root`` set) name pages of
the site the folder is built into, so they resolve against the documents of
the same folder (``_FolderIndex``): a site-absolute link ``/a/b`` (stored as
``file:///a/b`` before it resolves) names the file whose path inside the
folder, without its extension, is ``a/b`` (rank 0), or ``a/b/index.*`` /
``a/b/README.*`` (rank 1), or ends with ``/a/b`` (``docs/a/b.md``; rank 2);
a relative link (``../api.md``, ``./oauth/quickstart``) names the file at
that path, with or without its extension (ranks 0 and 1 only). Among
several candidates the lowest rank wins, then the shortest path, then the
alphabetically first: one answer, the same on every run. A resolved link's
``target_url`` becomes the URL of the document it names. ``replace_links``
finds ranks 0 and 1 by indexed URL lookups; the suffix matches of rank 2 need
the folder's file list, so ``resolve_pending_links`` (run at the end of every
index run) finds them, reading each folder's list once.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from kurt.ingest.urls import strip_userinfo

_SCHEMES = ("http", "https", "file")
_PAGE_SUFFIXES = (".md", ".mdx", ".markdown", ".html", ".htm", ".txt", ".pdf")  # as a folder maps
_INDEX_NAMES = ("index", "README", "readme", "Readme", "INDEX")  # a folder's own page
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_BRACKETS = r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
_DESTINATION = r"\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
_INLINE = re.compile(r"(?<![!\\])" + _BRACKETS + _DESTINATION)
_REFERENCE = re.compile(r"(?<![!\\\]])" + _BRACKETS + r"\[([^\[\]\n]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.M)
_AUTOLINK = re.compile(r"<((?:https?|file)://[^\s<>]+)>", re.I)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_DECORATION = re.compile(r"(\*\*|__|`|<[^>]+>)")
_SPACES = re.compile(r"\s+")
_LINK_SYNTAX = re.compile(r"[\[\]()<>]")


@dataclass
class Link:
    target_url: str
    anchor: str


def _strip_code(text: str) -> str:
    """The text without fenced code blocks, and inline code spans defused (lines kept)."""
    if "```" in text or "~~~" in text:
        out, fence = [], None
        for line in text.split("\n"):
            match = _FENCE.match(line)
            if fence is None:
                if match:
                    fence = match.group(1)
                    out.append("")
                else:
                    out.append(line)
            else:
                if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    fence = None
                out.append("")
        text = "\n".join(out)
    if "`" in text:
        text = _CODE_SPAN.sub(_neutralize, text)
    return text


def _neutralize(span: re.Match) -> str:
    """A code span's text, with the characters that could form a link blanked out."""
    return _LINK_SYNTAX.sub(" ", span.group(0).strip("`"))


def _anchor(raw: str) -> str:
    text = _IMAGE.sub(r"\1", raw)
    text = _DECORATION.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalize_url(href: str, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` without its fragment; None when it is no web link."""
    href = href.strip()
    if href.startswith("<") and href.endswith(">"):
        href = href[1:-1].strip()
    if not href or href.startswith("#") and not base_url:
        return None
    if base_url:  # a site's navigation repeats on every page: resolved once per site, not per page
        if href[0] == "/" and href[1:2] != "/":  # root-relative: only the base's origin counts
            base_url = _origin(base_url)
        elif _WITH_HOST.match(href):  # scheme://host...: only whether the base's scheme is the same
            base_url = _scheme(base_url)
    return _normalize(href, base_url)


_WITH_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@functools.lru_cache(maxsize=1024)
def _origin(base_url: str) -> str:
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return base_url
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme else base_url


@functools.lru_cache(maxsize=64)
def _scheme(base_url: str) -> str:
    try:
        scheme = urlsplit(base_url).scheme
    except ValueError:
        return base_url
    return f"{scheme}://" if scheme else base_url


@functools.lru_cache(maxsize=16384)
def _normalize(href: str, base_url: str) -> str | None:
    try:
        joined = urljoin(base_url, href) if base_url else href
        parts = urlsplit(joined)
    except ValueError:  # malformed (e.g. an invalid IPv6 host): not a usable link
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or (scheme != "file" and not parts.netloc):
        return None
    path = parts.path or ("/" if scheme != "file" else "")
    return strip_userinfo(urlunsplit((scheme, parts.netloc.lower(), path, parts.query, "")))


def extract_links(text: str, base_url: str) -> list[Link]:
    """Markdown links and autolinks of ``text``, resolved against ``base_url``, deduplicated."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return []
    text = _strip_code(text)
    self_url = normalize_url(base_url, "") if base_url else None
    found: list[tuple[int, str, str]] = []  # (offset, href, anchor)
    if "](" in text:
        found += [(m.start(), m.group(2), m.group(1)) for m in _INLINE.finditer(text)]
    if "]:" in text:
        definitions = {}
        for m in _DEFINITION.finditer(text):
            definitions.setdefault(m.group(1).strip().lower(), m.group(2))
        if definitions:
            for m in _REFERENCE.finditer(text):
                label = (m.group(2) or m.group(1)).strip().lower()
                if label in definitions:
                    found.append((m.start(), definitions[label], m.group(1)))
    if "<" in text:
        found += [(m.start(), m.group(1), "") for m in _AUTOLINK.finditer(text)]
    found.sort(key=lambda item: item[0])

    links: dict[str, Link] = {}
    for _, href, raw_anchor in found:
        url = normalize_url(href, base_url)
        if url is None or url == self_url:
            continue
        anchor = _anchor(raw_anchor)
        known = links.get(url)
        if known is None:
            links[url] = Link(url, anchor)
        elif not known.anchor and anchor:
            known.anchor = anchor
    return list(links.values())


def _variants(url: str) -> tuple[str, str]:
    """The URL with and without its trailing slash."""
    if url.endswith("/"):
        return url, url.rstrip("/") or url
    return url, url + "/"


def _resolve(conn: sqlite3.Connection, urls: list[str]) -> dict[str, str]:
    """target URL -> id of the ingested document it names (URL match beats canonical URL)."""
    resolved: dict[str, str] = {}
    for i in range(0, len(urls), 200):
        chunk = urls[i:i + 200]
        wanted = sorted({v for url in chunk for v in _variants(url)})
        marks = ", ".join("?" * len(wanted))
        rows = conn.execute(
            f"SELECT id, url, canonical_url FROM documents WHERE url IN ({marks})"
            f" UNION ALL SELECT id, url, canonical_url FROM documents WHERE canonical_url IN ({marks})",
            (*wanted, *wanted),
        ).fetchall()
        by_url = {row[1]: row[0] for row in rows}
        by_canonical = {row[2]: row[0] for row in rows if row[2]}
        for url in chunk:
            for variant in _variants(url):
                doc = by_url.get(variant)
                if doc:
                    resolved[url] = doc
                    break
            else:
                for variant in _variants(url):
                    doc = by_canonical.get(variant)
                    if doc:
                        resolved[url] = doc
                        break
    return resolved


def replace_links(conn: sqlite3.Connection, document_id: str, links: list[Link]) -> None:
    """Replace a document's outgoing links, resolving targets already ingested.

    Runs on the caller's connection, inside the caller's transaction.
    """
    conn.execute("DELETE FROM links WHERE document_id = ?", (document_id,))
    if not links:
        return
    root = _source_root(conn, document_id)
    in_folder = {link.target_url: _folder_target(link.target_url, root)
                 for link in links if root and link.target_url.startswith("file:")}
    resolved = _resolve(conn, [link.target_url for link in links])  # a file's own URL, or a web page
    by_file = _resolve_in_folder_exactly(conn, root, in_folder) if in_folder else {}
    rows: dict[str, tuple] = {}
    for link in links:
        target_url, target_id = link.target_url, resolved.get(link.target_url)
        found = by_file.get(link.target_url)
        if found is not None:
            target_id, target_url = found
        if target_id == document_id:
            if found is not None:
                continue  # a folder link to the page itself
            target_id = None
        if target_url not in rows:
            rows[target_url] = (document_id, target_url, target_id, link.anchor or None)
    conn.executemany(
        "INSERT OR IGNORE INTO links (document_id, target_url, target_id, anchor) VALUES (?, ?, ?, ?)",
        list(rows.values()),
    )


def resolve_pending_links(conn: sqlite3.Connection) -> int:
    """Fill ``target_id`` of links whose target was ingested after them; the number filled.

    Links of folder documents are resolved within their folder (see the module
    docstring), which also rewrites their ``target_url`` to the document's URL.
    """
    filled = _resolve_pending_folder_links(conn)
    rows = conn.execute(
        "SELECT DISTINCT target_url FROM links WHERE target_id IS NULL"
    ).fetchall()
    if not rows:
        return filled
    resolved = _resolve(conn, [row[0] for row in rows])
    for url, doc_id in resolved.items():
        cur = conn.execute(
            "UPDATE links SET target_id = ? WHERE target_url = ? AND target_id IS NULL"
            " AND document_id <> ?",
            (doc_id, url, doc_id),
        )
        filled += cur.rowcount
    return filled


# -- links between the files of one folder ------------------------------------------

@dataclass(frozen=True)
class _FolderTarget:
    """What a file link names inside its document's folder."""

    path: str  # inside the folder, without a page suffix: "docs/api", "variables", "" (the root)
    relative: bool  # written relative to the file (no suffix match), not site-absolute


def _source_root(conn: sqlite3.Connection, document_id: str) -> str | None:
    row = conn.execute("SELECT source_kind, source_root FROM documents WHERE id = ?",
                       (document_id,)).fetchone()
    if row is None or row[0] != "file" or not row[1]:
        return None
    return row[1].rstrip("/") or "/"


def _strip_suffix(path: str) -> str:
    lower = path.lower()
    for suffix in _PAGE_SUFFIXES:
        if lower.endswith(suffix) and len(path) > len(suffix) and path[-len(suffix) - 1] != "/":
            return path[: -len(suffix)]
    return path


def _folder_target(url: str, root: str) -> _FolderTarget:
    """The page a ``file:`` link of a document under ``root`` names.

    A link resolved to a path under the root was written relative to the file;
    any other path (``file:///variables``) was site-absolute (``/variables``).
    """
    path = unquote(urlsplit(url).path)
    prefix = root if root.endswith("/") else root + "/"
    if path.startswith(prefix) or path == root:
        return _FolderTarget(_strip_suffix(path[len(prefix):].strip("/")), True)
    return _FolderTarget(_strip_suffix(path.strip("/")), False)


def _exact_urls(root: str, target: _FolderTarget) -> list[tuple[int, str]]:
    """(rank, URL) of the files that name ``target`` exactly (rank 0) or as its folder's page (1)."""
    base = root.rstrip("/") + ("/" + target.path if target.path else "")
    urls = [] if not target.path else [(0, "file://" + base + s) for s in ("", *_PAGE_SUFFIXES)]
    urls += [(1, f"file://{base}/{name}{s}") for name in _INDEX_NAMES for s in _PAGE_SUFFIXES]
    return urls


def _best(candidates: list[tuple[int, str, str, str]]) -> tuple[str, str] | None:
    """(id, url) of the best (rank, path inside the folder, id, url) candidate."""
    if not candidates:
        return None
    rank, rel, doc_id, url = min(candidates, key=lambda c: (c[0], len(c[1]), c[1]))
    return doc_id, url


def _resolve_in_folder_exactly(conn: sqlite3.Connection, root: str,
                               targets: dict[str, _FolderTarget]) -> dict[str, tuple[str, str]]:
    """link URL -> (id, url) of the file it names with rank 0 or 1 (indexed URL lookups)."""
    wanted: dict[str, list[tuple[int, str]]] = {}
    for link_url, target in targets.items():
        for rank, url in _exact_urls(root, target):
            wanted.setdefault(url, []).append((rank, link_url))
    urls = sorted(wanted)
    candidates: dict[str, list[tuple[int, str, str, str]]] = {}
    for i in range(0, len(urls), 400):
        chunk = urls[i:i + 400]
        marks = ", ".join("?" * len(chunk))
        for doc_id, url in conn.execute(
            f"SELECT id, url FROM documents WHERE url IN ({marks}) AND source_kind = 'file'", chunk
        ):
            for rank, link_url in wanted[url]:
                candidates.setdefault(link_url, []).append((rank, url, doc_id, url))
    return {link_url: best for link_url, found in candidates.items() if (best := _best(found))}


class _FolderIndex:
    """The documents mapped from one folder, by page path: answers every rank at once."""

    def __init__(self, conn: sqlite3.Connection, root: str):
        self.by_path: dict[str, list[tuple[int, str, str, str]]] = {}
        self.by_suffix: dict[str, list[tuple[int, str, str, str]]] = {}
        prefix = root.rstrip("/") + "/"
        for doc_id, url, source_path in conn.execute(
            "SELECT id, url, source_path FROM documents WHERE source_kind = 'file' AND source_root IN (?, ?)",
            (root, prefix),
        ):
            path = source_path or unquote(urlsplit(url).path)
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix):]
            page = _strip_suffix(rel)
            folder, _, name = page.rpartition("/")
            keys = [(0, page)] + ([(1, folder)] if name in _INDEX_NAMES else [])
            for rank, key in keys:
                self.by_path.setdefault(key, []).append((rank, rel, doc_id, url))
                parts = key.split("/") if key else []
                for i in range(1, len(parts)):
                    self.by_suffix.setdefault("/".join(parts[i:]), []).append((2, rel, doc_id, url))

    def find(self, target: _FolderTarget) -> tuple[str, str] | None:
        """(id, url) of the document ``target`` names, or None."""
        found = self.by_path.get(target.path, [])
        if not target.relative and target.path:
            found = found + self.by_suffix.get(target.path, [])
        return _best(found)


def _resolve_pending_folder_links(conn: sqlite3.Connection) -> int:
    """Resolve the unresolved ``file:`` links of folder documents; the number resolved."""
    rows = conn.execute(
        "SELECT l.document_id, l.target_url, d.source_root FROM links l"
        " JOIN documents d ON d.id = l.document_id"
        " WHERE l.target_id IS NULL AND l.target_url LIKE 'file:%'"
        " AND d.source_kind = 'file' AND d.source_root IS NOT NULL"
        " ORDER BY d.source_root, l.document_id, l.target_url"
    ).fetchall()
    filled = 0
    folders: dict[str, _FolderIndex] = {}
    for document_id, link_url, source_root in rows:
        root = source_root.rstrip("/") or "/"
        if root not in folders:
            folders[root] = _FolderIndex(conn, root)
        found = folders[root].find(_folder_target(link_url, root))
        if found is None:
            continue
        doc_id, url = found
        if doc_id == document_id:  # a link to the page itself
            conn.execute("DELETE FROM links WHERE document_id = ? AND target_url = ?",
                         (document_id, link_url))
            continue
        taken = conn.execute("SELECT 1 FROM links WHERE document_id = ? AND target_url = ?",
                             (document_id, url)).fetchone()
        if taken is None:  # (portable SQL: no UPDATE OR IGNORE, which PostgreSQL lacks)
            conn.execute("UPDATE links SET target_url = ?, target_id = ?"
                         " WHERE document_id = ? AND target_url = ?",
                         (url, doc_id, document_id, link_url))
            filled += 1
        else:  # the document already links to that page under its own URL: keep that one
            conn.execute("DELETE FROM links WHERE document_id = ? AND target_url = ?",
                         (document_id, link_url))
            conn.execute("UPDATE links SET target_id = ? WHERE document_id = ? AND target_url = ?",
                         (doc_id, document_id, url))
    return filled
