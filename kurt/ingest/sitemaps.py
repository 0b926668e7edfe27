"""Sitemaps and feeds: parse them, and read a whole tree of them politely.

``parse_sitemap`` understands XML sitemaps (``urlset``) and sitemap indexes,
gzip (detected by its magic bytes, never by the file name) with a cap on the
decompressed size against bombs, plain-text sitemaps (one URL a line), RSS 1.0
and 2.0, Atom and JSON Feed. Malformed XML is parsed as far as it goes (lxml's
recovering parser) and the problem is reported. hreflang alternates
(``<xhtml:link rel="alternate">``) are returned as URLs too: the caller keeps
those on the mapped site.

``read_sitemaps`` follows indexes recursively with bounds: depth, number of
sitemaps, number of URLs, and a visited set against loops.

Every URL read from a sitemap or feed goes through ``kurt.ingest.urls.web_url``:
relative ones are joined to the sitemap's URL, credentials (``user:pass@``) and
fragments are removed, and what is not an http(s) URL is left out.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from kurt.ingest.urls import web_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit, uncompressed
MAX_DEPTH = 5  # index -> index -> ... -> urlset
MAX_SITEMAPS = 1_000
MAX_URLS = 1_000_000
WELL_KNOWN = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-index.xml", "/sitemap.xml.gz",
              "/sitemap.txt", "/wp-sitemap.xml", "/sitemap/sitemap.xml")
SITEMAP_ACCEPT = ("application/xml,text/xml,application/rss+xml,application/atom+xml,"
                  "application/feed+json,application/json,text/plain;q=0.9,*/*;q=0.5")

_NS_TAG = "{*}"


@dataclass
class SitemapEntry:
    url: str
    lastmod: str | None = None
    title: str | None = None  # feeds: the entry's title


@dataclass
class ParsedSitemap:
    kind: str  # urlset, index, text, rss, atom, json, unknown
    urls: list[SitemapEntry] = field(default_factory=list)  # pages
    sitemaps: list[SitemapEntry] = field(default_factory=list)  # children of an index
    problems: list[str] = field(default_factory=list)
    title: str | None = None  # feeds: the feed's own title

    @property
    def is_feed(self) -> bool:
        return self.kind in ("rss", "atom", "json")


def gunzip_capped(data: bytes, cap: int) -> tuple[bytes, str | None]:
    """Decompress gzip ``data`` without ever holding more than ``cap`` bytes of output."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    total = 0
    pending = data
    try:
        while pending:
            piece = decoder.decompress(pending, cap - total + 1)
            out.append(piece)
            total += len(piece)
            if total > cap:
                return b"".join(out)[:cap], (
                    f"decompressed size over {cap // (1024 * 1024) or cap} "
                    f"{'MB' if cap >= 1024 * 1024 else 'bytes'} (gzip bomb?): stopped reading"
                )
            pending = decoder.unconsumed_tail
            if not pending and decoder.unused_data and decoder.eof:
                # concatenated gzip members
                pending = decoder.unused_data
                decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        return b"".join(out), f"corrupt gzip data ({exc}): read what could be read"
    return b"".join(out), None


def parse_sitemap(data: bytes, *, base_url: str = "", max_bytes: int = MAX_SITEMAP_BYTES) -> ParsedSitemap:
    """Parse a sitemap, sitemap index, text sitemap or feed (see the module docstring)."""
    problems: list[str] = []
    if data[:2] == b"\x1f\x8b":
        data, problem = gunzip_capped(data, max_bytes)
        if problem and "bomb" in problem:
            return ParsedSitemap("unknown", problems=[problem])
        if problem:
            problems.append(problem)
    elif len(data) > max_bytes:
        data = data[:max_bytes]
        problems.append(f"larger than {max_bytes} bytes: read the first part only")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\0")
    if not head:
        parsed = ParsedSitemap("unknown", problems=problems + ["empty file"])
    elif head[:1] == b"{":
        parsed = _parse_json_feed(data, base_url)
    elif head[:14].lower().startswith((b"<!doctype html", b"<html")):
        parsed = ParsedSitemap("unknown", problems=["an HTML page, not a sitemap or feed"])
    elif head[:1] == b"<":
        parsed = _parse_xml(data, base_url)
    else:
        parsed = _parse_text(data, base_url)
    parsed.problems[:0] = problems
    return parsed


def _parse_text(data: bytes, base_url: str) -> ParsedSitemap:
    parsed = ParsedSitemap("text")
    text = data.decode("utf-8", errors="replace")
    skipped = 0
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = web_url(line) if line.startswith(("http://", "https://")) and " " not in line else None
        if url:
            parsed.urls.append(SitemapEntry(url))
        else:  # not a line of a text sitemap (or not a usable URL)
            skipped += 1
    if skipped and not parsed.urls:
        parsed.kind = "unknown"
        parsed.problems.append("not a sitemap: neither XML, a feed, nor one URL per line")
    elif skipped:
        parsed.problems.append(f"{skipped} lines that are not URLs were skipped")
    return parsed


def _parse_json_feed(data: bytes, base_url: str) -> ParsedSitemap:
    parsed = ParsedSitemap("json")
    try:
        doc = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError as exc:
        parsed.kind = "unknown"
        parsed.problems.append(f"invalid JSON ({exc})")
        return parsed
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        parsed.kind = "unknown"
        parsed.problems.append("JSON without a feed 'items' list")
        return parsed
    for item in items:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("external_url")
        if not url and isinstance(item.get("id"), str) and item["id"].startswith("http"):
            url = item["id"]
        url = web_url(url, base_url) if isinstance(url, str) else None
        if url:
            lastmod = item.get("date_modified") or item.get("date_published")
            title = item.get("title")
            parsed.urls.append(SitemapEntry(url, lastmod if isinstance(lastmod, str) else None,
                                            title.strip() or None if isinstance(title, str) else None))
    if isinstance(doc.get("title"), str):
        parsed.title = doc["title"].strip() or None
    return parsed


def _parse_xml(data: bytes, base_url: str) -> ParsedSitemap:
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:  # recover=True raises only when nothing at all parsed
        return ParsedSitemap("unknown", problems=[f"malformed XML: {exc}"])
    if root is None:
        return ParsedSitemap("unknown", problems=["malformed XML: no root element"])
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    name = etree.QName(root).localname.lower()
    if name == "urlset":
        parsed = _urlset(root, base_url)
    elif name == "sitemapindex":
        parsed = ParsedSitemap("index")
        for node in root.iterfind(f"{_NS_TAG}sitemap"):
            loc = web_url(_text(node, "loc") or "", base_url)
            if loc:
                parsed.sitemaps.append(SitemapEntry(loc, _text(node, "lastmod")))
    elif name == "rss" or name == "rdf":
        parsed = ParsedSitemap("rss")
        for item in root.iter(f"{_NS_TAG}item"):
            link = _text(item, "link")
            if not link:
                guid = item.find(f"{_NS_TAG}guid")
                if guid is not None and (guid.text or "").strip().startswith("http") and \
                        guid.get("isPermaLink", "true").lower() != "false":
                    link = guid.text.strip()
            link = web_url(link or "", base_url)
            if link:
                parsed.urls.append(SitemapEntry(link, _text(item, "pubDate") or _text(item, "date"),
                                                _text(item, "title")))
        channel = root.find(f"{_NS_TAG}channel")
        parsed.title = _text(channel, "title") if channel is not None else None
    elif name == "feed":
        parsed = ParsedSitemap("atom")
        for entry in root.iterfind(f"{_NS_TAG}entry"):
            links = [link for link in entry.iterfind(f"{_NS_TAG}link") if link.get("href")]
            alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
            chosen = (alternates or links or [None])[0]  # no alternate: the entry's own link
            href = web_url(chosen.get("href"), base_url) if chosen is not None else None
            if href:
                parsed.urls.append(SitemapEntry(href, _text(entry, "updated") or _text(entry, "published"),
                                                _text(entry, "title")))
        parsed.title = _text(root, "title")
    else:
        parsed = ParsedSitemap("unknown", problems=[f"XML root <{name}> is not a sitemap or feed"])
    if errors:
        first = errors[0]
        found = len(parsed.urls) + len(parsed.sitemaps)
        parsed.problems.append(
            f"malformed XML (line {first.line}: {first.message.strip()}): "
            f"kept the {found} entries read before the error"
        )
    return parsed


def _urlset(root, base_url: str) -> ParsedSitemap:
    parsed = ParsedSitemap("urlset")
    seen: set[str] = set()
    for node in root.iterfind(f"{_NS_TAG}url"):
        url = web_url(_text(node, "loc") or "", base_url)
        if not url:
            continue
        lastmod = _text(node, "lastmod")
        if url not in seen:
            seen.add(url)
            parsed.urls.append(SitemapEntry(url, lastmod))
        for link in node.iterfind(f"{_NS_TAG}link"):
            href = link.get("href")
            alt = web_url(href, base_url) if link.get("rel") == "alternate" and href else None
            if alt:
                if alt not in seen:
                    seen.add(alt)
                    parsed.urls.append(SitemapEntry(alt, None))
    return parsed


def _text(node, child: str) -> str | None:
    found = node.find(f"{_NS_TAG}{child}")
    if found is None:
        return None
    text = "".join(found.itertext()).strip()
    return text or None


# -- reading a tree of sitemaps over HTTP -------------------------------------------


@dataclass
class SitemapRead:
    """What reading one or more sitemaps (and their children) gave."""

    urls: dict[str, str | None] = field(default_factory=dict)  # url -> lastmod, in order
    used: list[str] = field(default_factory=list)  # sitemaps that were read and parsed
    problems: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # sitemaps that could not be read
    kinds: set[str] = field(default_factory=set)
    truncated: bool = False  # a bound stopped the reading

    @property
    def complete(self) -> bool:
        """True when every sitemap was read whole: only then can absence mean 'delisted'."""
        return not self.failed and not self.truncated and not self.problems


async def read_sitemaps(client, starts: list[str], *, max_urls: int = MAX_URLS,
                        max_sitemaps: int = MAX_SITEMAPS, max_depth: int = MAX_DEPTH,
                        max_bytes: int = MAX_SITEMAP_BYTES,
                        progress: Callable[[str], None] | None = None) -> SitemapRead:
    """Read sitemaps breadth-first from ``starts``, following indexes within the bounds."""
    read = SitemapRead()
    visited: set[str] = set()
    level = [u for u in dict.fromkeys(starts)]
    depth = 0
    while level:
        batch = []
        for url in level:
            if url in visited:
                continue
            if len(visited) >= max_sitemaps:
                read.truncated = True
                read.problems.append(f"stopped after {max_sitemaps} sitemaps (limit)")
                break
            visited.add(url)
            batch.append(url)
        results = await asyncio.gather(*(client.get(u, max_bytes=max_bytes, accept=SITEMAP_ACCEPT)
                                         for u in batch))
        children: list[str] = []
        for url, res in zip(batch, results, strict=True):
            if not res.ok:
                read.failed.append(url)
                read.problems.append(f"{url}: {res.error or f'HTTP {res.status}'}")
                continue
            parsed = parse_sitemap(res.body, base_url=res.final_url, max_bytes=max_bytes)
            if parsed.kind == "unknown":
                read.failed.append(url)
                read.problems.extend(f"{url}: {p}" for p in parsed.problems)
                continue
            read.used.append(url)
            read.kinds.add(parsed.kind)
            read.problems.extend(f"{url}: {p}" for p in parsed.problems)
            for entry in parsed.urls:
                if len(read.urls) >= max_urls:
                    read.truncated = True
                    break
                if entry.url not in read.urls:
                    read.urls[entry.url] = entry.lastmod
            for child in parsed.sitemaps:
                if child.url in visited or child.url in children:
                    if child.url in visited and child.url in read.used + batch:
                        loop = f"{url}: lists {child.url} again (a loop): not read twice"
                        if loop not in read.problems:
                            read.problems.append(loop)
                    continue
                children.append(child.url)
            if progress:
                progress(f"read {url}: {len(parsed.urls)} URLs, {len(parsed.sitemaps)} sitemaps")
        if read.truncated and len(read.urls) >= max_urls:
            read.problems.append(f"stopped at {max_urls} URLs (limit)")
            break
        depth += 1
        if children and depth > max_depth:
            read.truncated = True
            read.problems.append(f"sitemap indexes nested deeper than {max_depth} levels: "
                                 f"{len(children)} sitemaps not read")
            break
        level = children
    return read
