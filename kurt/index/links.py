"""Links between documents: extracted from stored markdown, resolved to ingested documents.

``extract_links`` reads inline links ``[text](url)``, reference links
``[text][ref]`` with their ``[ref]: url`` definitions, and autolinks
``<https://...>``; images and anything inside code are not links. Targets are
resolved against the document's URL, fragments are dropped, self-links and
non-web schemes (mailto:, javascript:, ...) are skipped, and each target is
kept once (with the first non-empty anchor).

``replace_links`` stores them and fills ``target_id`` when the target is an
ingested document (by URL, with or without a trailing slash, or by canonical
URL); ``resolve_pending_links`` fills it for targets ingested later.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

_SCHEMES = ("http", "https", "file")
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
    try:
        joined = urljoin(base_url, href) if base_url else href
        parts = urlsplit(joined)
    except ValueError:  # malformed (e.g. an invalid IPv6 host): not a usable link
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or (scheme != "file" and not parts.netloc):
        return None
    path = parts.path or ("/" if scheme != "file" else "")
    return urlunsplit((scheme, parts.netloc.lower(), path, parts.query, ""))


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
    resolved = _resolve(conn, [link.target_url for link in links])
    conn.executemany(
        "INSERT OR IGNORE INTO links (document_id, target_url, target_id, anchor) VALUES (?, ?, ?, ?)",
        [
            (document_id, link.target_url,
             None if resolved.get(link.target_url) == document_id else resolved.get(link.target_url),
             link.anchor or None)
            for link in links
        ],
    )


def resolve_pending_links(conn: sqlite3.Connection) -> int:
    """Fill ``target_id`` of links whose target was ingested after them; the number filled."""
    rows = conn.execute(
        "SELECT DISTINCT target_url FROM links WHERE target_id IS NULL"
    ).fetchall()
    if not rows:
        return 0
    resolved = _resolve(conn, [row[0] for row in rows])
    filled = 0
    for url, doc_id in resolved.items():
        cur = conn.execute(
            "UPDATE links SET target_id = ? WHERE target_url = ? AND target_id IS NULL"
            " AND document_id <> ?",
            (doc_id, url, doc_id),
        )
        filled += cur.rowcount
    return filled
