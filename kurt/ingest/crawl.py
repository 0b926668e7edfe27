"""Crawl: find a site's pages by following its links, when it has no sitemap.

Breadth-first from a start URL, politely (through ``PoliteClient``: robots.txt,
Crawl-delay, per-host limits). It stays on the start URL's site and under its
folder (``https://x.com/docs/intro`` crawls ``/docs/...``), fetches only pages
whose URL does not look like an asset, keeps only HTML answers, honours
``rel="nofollow"`` links and ``<meta name="robots" content="nofollow|noindex">``,
and stops at ``max_depth`` link hops and ``max_pages`` requests. PDF links are
recorded as found (they are sources) but not downloaded by the crawl. Links go
through ``kurt.ingest.urls.web_url`` (http(s) only, no credentials); the
client refuses those that lead to a non-public address of a site the user did
not name (``kurt.ingest.addresses``).

``feed_links`` reads the RSS/Atom/JSON feeds a page announces in its
``<head>`` (``<link rel="alternate" type="application/rss+xml" href=...>``):
discovery reads them before crawling a site that has no sitemap.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kurt.ingest.urls import normalize_url, prefix_folder, same_site, web_url

ASSET_EXTENSIONS = frozenset("""
    png jpg jpeg gif webp svg ico bmp tif tiff avif css js mjs map json xml rss atom txt csv
    zip gz tgz bz2 xz 7z rar tar dmg exe msi deb rpm apk iso bin woff woff2 ttf otf eot
    mp3 mp4 m4a wav ogg webm mov avi mkv flv wmv doc docx xls xlsx ppt pptx odt ods
""".split())
DOCUMENT_EXTENSIONS = frozenset({"pdf"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
CRAWL_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json",
                        "application/json+feed", "application/rdf+xml"})


@dataclass
class CrawlResult:
    urls: list[str] = field(default_factory=list)  # pages found, in discovery order
    fetched: int = 0  # requests made
    failures: Counter = field(default_factory=Counter)  # reason -> count
    start_error: str | None = None  # why the start page itself failed
    skipped_non_html: int = 0
    blocked: int = 0  # links disallowed by robots.txt (not requested)
    truncated: bool = False  # stopped by max_pages
    deepest: int = 0

    def problems(self) -> list[str]:
        out = []
        if self.start_error:
            out.append(self.start_error)
        for reason, count in self.failures.most_common(5):
            out.append(f"{count} page{'s' if count > 1 else ''} failed: {reason}")
        if self.blocked and not self.urls:
            out.append(f"{self.blocked} links skipped: disallowed by robots.txt")
        if self.truncated:
            out.append(f"stopped after {self.fetched} pages (max pages)")
        return out


def extension_of(url: str) -> str:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def in_scope(url: str, start: str, folder: str) -> bool:
    """Same site as ``start`` and under ``folder`` (the start URL itself always is)."""
    if not same_site(url, start):
        return False
    path = urlsplit(url).path or "/"
    return path.startswith(folder) or path == folder.rstrip("/")


def extract_links(html: bytes, base_url: str, charset: str | None = None) -> tuple[list[str], bool, bool]:
    """Links of a page: (absolute URLs without nofollow ones, page nofollow, page noindex)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        doc = lxml_html.document_fromstring(html, parser=lxml_html.HTMLParser(
            encoding=charset or None, remove_comments=True))
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return [], False, False
    nofollow = noindex = False
    for meta in doc.iterfind(".//meta"):
        name = (meta.get("name") or "").lower()
        if name in ("robots", "kurtbot"):
            content = (meta.get("content") or "").lower()
            nofollow = nofollow or "nofollow" in content or "none" in content
            noindex = noindex or "noindex" in content or "none" in content
    base = base_url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = web_url(base_el.get("href"), base_url) or base_url
    links: list[str] = []
    if nofollow:
        return links, nofollow, noindex
    for anchor in doc.iterfind(".//a[@href]"):
        if "nofollow" in (anchor.get("rel") or "").lower():
            continue
        href = anchor.get("href").strip()
        if not href or href.startswith("#"):
            continue
        url = web_url(href, base)  # None for mailto:, javascript:...; no credentials
        if url:
            links.append(normalize_url(url))
    return links, nofollow, noindex


def feed_links(html: bytes, base_url: str, charset: str | None = None) -> list[str]:
    """Absolute URLs of the feeds a page announces with ``<link rel="alternate" type=...>``."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        doc = lxml_html.document_fromstring(html, parser=lxml_html.HTMLParser(
            encoding=charset or None, remove_comments=True))
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return []
    base = base_url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = web_url(base_el.get("href"), base_url) or base_url
    feeds: list[str] = []
    for link in doc.iterfind(".//link[@href]"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rels or kind not in FEED_TYPES:
            continue
        url = web_url(link.get("href"), base)
        if url and url not in feeds:
            feeds.append(url)
    return feeds


async def crawl(client, start: str, *, max_depth: int, max_pages: int,
                accept_url: Callable[[str], bool] = lambda url: True,
                progress: Callable[[str], None] | None = None, start_response=None) -> CrawlResult:
    """Breadth-first crawl from ``start`` (see the module docstring).

    ``start_response``: the start page's ``HttpResult`` when the caller already
    fetched it (it is not asked for twice).
    """
    result = CrawlResult()
    start = normalize_url(start)
    folder = prefix_folder(start)
    seen = {start}
    found: set[str] = set()
    level = [start]
    depth = 0
    while level and depth <= max_depth:
        room = max_pages - result.fetched
        if room <= 0:
            result.truncated = True
            break
        if len(level) > room:
            level, result.truncated = level[:room], True
        if depth == 0 and start_response is not None:
            responses = [start_response]
        else:
            responses = await asyncio.gather(*(client.get(u, accept=CRAWL_ACCEPT) for u in level))
        result.fetched += len(level)
        result.deepest = depth
        next_level: list[str] = []
        for url, res in zip(level, responses, strict=True):
            if not res.ok:
                reason = res.error or f"HTTP {res.status}"
                if res.status is None and "robots.txt" in reason and url != start:
                    result.blocked += 1
                    continue
                if url == start:
                    result.start_error = f"start page {url}: {reason}"
                else:
                    result.failures[reason] += 1
                continue
            if res.content_type and res.content_type not in HTML_TYPES:
                result.skipped_non_html += 1
                if url == start:
                    result.start_error = (f"start page {url} is {res.content_type}, not HTML: "
                                          "nothing to crawl")
                continue
            final = normalize_url(res.final_url)
            if not in_scope(final, start, folder):
                continue  # redirected off the site or out of the folder
            links, _nofollow, noindex = extract_links(res.body, final, res.charset)
            if not noindex:
                for page in (final,):
                    if page not in found and accept_url(page):
                        found.add(page)
                        result.urls.append(page)
            seen.add(final)
            for link in links:
                if link in seen or not in_scope(link, start, folder):
                    continue
                seen.add(link)
                ext = extension_of(link)
                if ext in DOCUMENT_EXTENSIONS:
                    if link not in found and accept_url(link):
                        found.add(link)
                        result.urls.append(link)
                elif ext not in ASSET_EXTENSIONS:
                    next_level.append(link)
        if progress:
            progress(f"crawled depth {depth}: {result.fetched} pages fetched, {len(result.urls)} found")
        depth += 1
        level = next_level
    return result
