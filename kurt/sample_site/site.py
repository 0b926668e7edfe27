"""The servable Site: its pages, their HTML, robots.txt, sitemaps, feeds and dispatch.

``Site.respond`` turns one request into a ``Response`` without touching a
socket; ``kurt.sample_site.server`` puts it on the wire.
"""

from __future__ import annotations

import gzip
import html
import posixpath
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from kurt.sample_site.misbehaving import respond_bad
from kurt.sample_site.pages import (
    PageMeta,
    PageSource,
    date_to_ts,
    file_to_url,
    http_date,
    iso_utc,
    markdown_renderer,
    meta_from_markdown,
    normalize_path,
    parent_dir,
    slugify,
    split_frontmatter,
    strip_mdx,
    title_from_slug,
)
from kurt.sample_site.request_log import RequestLog
from kurt.sample_site.response import Response, conditional, etag_of, simple_page

FEED_TEMPLATES = {  # kind -> (document, one entry), filled by Site.feed_xml
    "rss": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>{name}</title><link>{base_url}/</link><description>Latest pages</description>\n"
        "{entries}</channel></rss>\n",
        "<item><title>{title}</title><link>{url}</link>"
        "<guid>{url}</guid><pubDate>{http_date}</pubDate>"
        "<description>{description}</description></item>\n",
    ),
    "atom": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        '<title>{name}</title><link href="{base_url}/"/><id>{base_url}/</id>'
        "<updated>{updated}</updated>\n{entries}</feed>\n",
        '<entry><title>{title}</title><link href="{url}"/>'
        "<id>{url}</id><updated>{iso}</updated>"
        "<summary>{description}</summary></entry>\n",
    ),
}


@dataclass
class _Rendered:
    body: bytes
    etag: str
    modified: float


@dataclass
class _Override:
    markdown: str
    meta: PageMeta
    stamp: int


@dataclass
class Site:
    """A servable website: pages from a source plus runtime edits and options."""

    source: PageSource
    name: str = "Sample Docs"
    sitemap_chunk: int = 100
    sitemap_enabled: bool = True
    crawl_delay: float | None = None
    misbehaving: bool = False
    slow_seconds: float = 3.0
    stall_seconds: float = 30.0
    cache_size: int = 256
    requests: RequestLog = field(default_factory=RequestLog)
    _paths: dict[str, None] = field(default_factory=dict, repr=False)
    _dirs: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _overrides: dict[str, _Override] = field(default_factory=dict, repr=False)
    _delisted: set[str] = field(default_factory=set, repr=False)
    _cache: OrderedDict[tuple, _Rendered] = field(default_factory=OrderedDict, repr=False)
    _state: dict[str, int] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _blobs: dict[str, bytes] = field(default_factory=dict, repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _generation: int = 0
    _index_cache: dict[tuple, str] = field(default_factory=dict, repr=False)
    _stamp: int = 0

    def __post_init__(self) -> None:
        for p in self.source.paths():
            self._add_path(p)

    # ---- page set

    def _add_path(self, path: str) -> None:
        if path in self._paths:
            return
        self._paths[path] = None
        self._dirs.setdefault(parent_dir(path), []).append(path)

    def page_paths(self) -> list[str]:
        """Every served page path, in site order."""
        with self._lock:
            return list(self._paths)

    def sitemap_paths(self) -> list[str]:
        """Page paths listed in the sitemap (served pages minus delisted)."""
        with self._lock:
            return [p for p in self._paths if p not in self._delisted]

    def meta(self, path: str) -> PageMeta | None:
        """Metadata of a served page, or None."""
        with self._lock:
            if path not in self._paths:
                return None
            ov = self._overrides.get(path)
        return ov.meta if ov else self.source.meta(path)

    def markdown(self, path: str) -> str | None:
        """Current markdown source of a served page, or None."""
        with self._lock:
            if path not in self._paths:
                return None
            ov = self._overrides.get(path)
        return ov.markdown if ov else self.source.markdown(path)

    def set_page(self, path: str, markdown: str) -> None:
        """Create or replace a page at runtime; bumps its Last-Modified."""
        path = normalize_path(path)
        with self._lock:
            old = self.meta(path) if path in self._paths else None
            modified = max(time.time(), (old.modified + 1) if old else 0)
            self._stamp += 1
            self._overrides[path] = _Override(markdown, meta_from_markdown(path, markdown, modified), self._stamp)
            self._add_path(path)
            self._cache.clear()
            self._generation += 1

    def remove_page(self, path: str) -> None:
        """Stop serving a page (404 afterwards) and drop it from the sitemap."""
        path = normalize_path(path)
        with self._lock:
            self._paths.pop(path, None)
            siblings = self._dirs.get(parent_dir(path))
            if siblings and path in siblings:
                siblings.remove(path)
            self._overrides.pop(path, None)
            self._cache.clear()
            self._generation += 1

    def delist(self, path: str) -> None:
        """Keep serving a page but remove it from the sitemap."""
        with self._lock:
            self._delisted.add(normalize_path(path))
            self._generation += 1

    def relist(self, path: str) -> None:
        """Undo ``delist``."""
        with self._lock:
            self._delisted.discard(normalize_path(path))
            self._generation += 1

    def reset_state(self) -> None:
        """Reset per-route state of misbehaving routes (first call vs later)."""
        with self._lock:
            self._state.clear()

    def count_call(self, key: str) -> int:
        """Count a call to a stateful route; returns the 1-based call number."""
        with self._lock:
            self._state[key] = self._state.get(key, 0) + 1
            return self._state[key]

    # ---- rendering

    def resolve_link(self, from_path: str, href: str) -> str:
        """Rewrite an internal markdown link to a site URL when it resolves."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return href
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        target = unquote(parts.path)
        if target.startswith("/"):
            stem = re.sub(r"\.mdx?$", "", target)
            cands = [stem, stem.rstrip("/") or "/", stem.rstrip("/") + "/"]
            if not any(c in self._paths for c in cands):
                tops = sorted({d.split("/")[1] for d in list(self._dirs) if d.count("/") > 1})
                cands += [f"/{top}{c}" for top in tops for c in cands[:3] if c != "/"]
            for c in cands:
                if c in self._paths:
                    return c + suffix
            return href
        if re.search(r"\.mdx?$", target, re.I):
            url = self.source.resolve_file(from_path, target)
            if url is None:  # overrides and synthetic pages: resolve by URL
                url = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), re.sub(r"\.mdx?$", "", target)))
                url = file_to_url(url.lstrip("/") + ".md")
            if url in self._paths:
                return url + suffix
        return href

    def _render_markdown(self, path: str, markdown: str) -> str:
        _, body = split_frontmatter(markdown)
        md = getattr(self._local, "md", None)
        if md is None:
            md = self._local.md = markdown_renderer()
        tokens = md.parse(strip_mdx(body))
        seen: set[str] = set()
        for idx, tok in enumerate(tokens):
            if tok.type == "heading_open" and idx + 1 < len(tokens):
                slug = slugify(tokens[idx + 1].content) or "section"
                while slug in seen:
                    slug += "-1"
                seen.add(slug)
                tok.attrSet("id", slug)
            for child in tok.children or ():
                if child.type == "link_open":
                    href = child.attrGet("href")
                    if isinstance(href, str):
                        child.attrSet("href", self.resolve_link(path, href))
        article = md.renderer.render(tokens, md.options, {})
        if not any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
            meta = self.meta(path)
            if meta is not None:
                article = f'<h1 id="{slugify(meta.title)}">{html.escape(meta.title)}</h1>\n' + article
        return article

    def nav_links(self) -> list[tuple[str, str]]:
        """About ten site-wide navigation links: home plus top sections."""
        links = [("Home", "/")]
        with self._lock:
            dirs = sorted((d for d in self._dirs if d != "/" and self._dirs[d]), key=lambda d: (d.count("/"), d))
            for d in dirs:
                if len(links) >= 10:
                    break
                target = d if d in self._paths else self._dirs[d][0]
                links.append((title_from_slug(d.rstrip("/").rsplit("/", 1)[-1]), target))
        return links

    def sidebar_links(self, path: str, limit: int = 60) -> list[tuple[str, str]]:
        """Sibling pages (same folder) and child pages of ``path``."""
        with self._lock:
            siblings = list(self._dirs.get(parent_dir(path), []))
            children = list(self._dirs.get(path.rstrip("/") + "/", [])) if path != "/" else []
        out: list[tuple[str, str]] = []
        for p in (children + siblings)[:limit]:
            m = self.meta(p)
            out.append((m.title if m else p, p))
        return out

    def render(self, path: str, base_url: str) -> _Rendered | None:
        """Full HTML of a page (LRU-cached), or None if not served."""
        with self._lock:
            if path not in self._paths:
                return None
            ov = self._overrides.get(path)
            key = (base_url, path, ov.stamp if ov else self.source.version(path))
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        meta, markdown = self.meta(path), self.markdown(path)
        if meta is None or markdown is None:
            return None
        body = self.page_html(meta, self._render_markdown(path, markdown), base_url).encode("utf-8")
        rendered = _Rendered(body, etag_of(body), meta.modified)
        with self._lock:
            self._cache[key] = rendered
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return rendered

    def page_html(self, meta: PageMeta, article_html: str, base_url: str) -> str:
        """Wrap rendered markdown into a realistic HTML page."""
        e = html.escape
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(meta.title)} | {e(self.name)}</title>",
            f'<meta name="description" content="{e(meta.description)}">' if meta.description else "",
            f'<meta name="author" content="{e(meta.author)}">' if meta.author else "",
            f'<link rel="canonical" href="{e(base_url + meta.path)}">',
            f'<meta property="og:title" content="{e(meta.title)}">',
            f'<meta property="og:url" content="{e(base_url + meta.path)}">',
            '<meta property="og:type" content="article">',
        ]
        published = date_to_ts(meta.date)
        if published is not None:
            head.append(f'<meta property="article:published_time" content="{iso_utc(published)}">')
        head.append('<link rel="stylesheet" href="/assets/site.css">')
        head.append(f'<link rel="alternate" type="application/rss+xml" title="{e(self.name)}" href="/feed.xml">')
        nav = "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in self.nav_links())
        active = ' class="active"'
        side = "".join(
            f'<li{active if u == meta.path else ""}><a href="{e(u)}">{e(t)}</a></li>'
            for t, u in self.sidebar_links(meta.path)
        )
        year = datetime.now(UTC).year
        private = '<li><a href="/private/secret">Internal</a></li>' if self.misbehaving else ""
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n' + "\n".join(h for h in head if h) + "\n</head>\n<body>\n"
            f'<header class="site-header"><a class="logo" href="/">{e(self.name)}</a>'
            f'<nav aria-label="Main"><ul>{nav}</ul></nav>'
            '<form class="search" action="/search" role="search"><input type="search" name="q" placeholder="Search docs"></form></header>\n'
            '<div class="layout">\n'
            f'<aside class="sidebar"><h2>In this section</h2><ul>{side}</ul></aside>\n'
            f'<main id="content"><article>\n{article_html}</article></main>\n</div>\n'
            '<footer class="site-footer">'
            '<div class="newsletter"><h3>Stay in the loop</h3><p>Subscribe to our newsletter for product updates, '
            "tutorials and release notes. No spam, unsubscribe at any time.</p></div>"
            f'<ul class="footer-links"><li><a href="/">Documentation</a></li><li><a href="/sitemap.xml">Sitemap</a></li>'
            f'<li><a href="https://example.com/privacy">Privacy policy</a></li><li><a href="https://example.com/terms">Terms of service</a></li>{private}</ul>'
            f"<p>&copy; {year} {e(self.name)}. All rights reserved.</p></footer>\n"
            '<script>window.dataLayer = window.dataLayer || [];</script>\n</body>\n</html>\n'
        )

    def home_html(self, base_url: str) -> bytes:
        """Generated homepage when the source has no ``/`` page."""
        items = "".join(f'<li><a href="{html.escape(p)}">{html.escape(self.meta(p).title if self.meta(p) else p)}</a></li>'
                        for p in self.page_paths()[:500])
        meta = PageMeta(path="/", title=self.name, description=f"Documentation for {self.name}.")
        return self.page_html(meta, f"<h1>{html.escape(self.name)}</h1>\n<ul>{items}</ul>\n", base_url).encode()

    # ---- robots and sitemaps

    def robots_txt(self, base_url: str) -> str:
        """The robots.txt body."""
        lines = ["User-agent: BadBot", "Disallow: /", "", "User-agent: *", "Disallow: /private/"]
        if self.crawl_delay is not None:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        if self.sitemap_enabled:
            lines += ["", f"Sitemap: {base_url}/sitemap.xml"]
        return "\n".join(lines) + "\n"

    def _chunks(self) -> list[list[str]]:
        paths = self.sitemap_paths()
        size = max(1, self.sitemap_chunk)
        return [paths[k:k + size] for k in range(0, len(paths), size)] or [[]]

    @staticmethod
    def chunk_url(base_url: str, number: int) -> str:
        """URL of sitemap chunk ``number`` (chunk 2 is gzipped)."""
        ext = ".xml.gz" if number == 2 else ".xml"
        return f"{base_url}/sitemaps/sitemap-{number}{ext}"

    def sitemap_index_xml(self, base_url: str) -> str:
        """The sitemap index at /sitemap.xml."""
        key = (base_url, self._generation, self.sitemap_chunk)
        cached = self._index_cache.get(key)
        if cached is not None:
            return cached
        rows = []
        for k, chunk in enumerate(self._chunks(), start=1):
            stamps = [m.modified for m in (self.meta(p) for p in chunk) if m]
            lastmod = f"<lastmod>{iso_utc(max(stamps))}</lastmod>" if stamps else ""
            rows.append(f"  <sitemap><loc>{self.chunk_url(base_url, k)}</loc>{lastmod}</sitemap>")
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               + "\n".join(rows) + "\n</sitemapindex>\n")
        with self._lock:
            self._index_cache.clear()
            self._index_cache[key] = xml
        return xml

    def sitemap_chunk_xml(self, base_url: str, number: int) -> str | None:
        """One urlset chunk, or None if out of range."""
        chunks = self._chunks()
        if not 1 <= number <= len(chunks):
            return None
        rows = []
        for p in chunks[number - 1]:
            m = self.meta(p)
            lastmod = f"<lastmod>{iso_utc(m.modified)}</lastmod>" if m else ""
            rows.append(f"  <url><loc>{html.escape(base_url + p)}</loc>{lastmod}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "\n".join(rows) + "\n</urlset>\n")

    # ---- dispatch

    def respond(self, method: str, target: str, headers: dict[str, str], base_url: str,
                stop: threading.Event | None = None) -> Response:
        """Produce the response for one request (no I/O on the socket)."""
        stop = stop or threading.Event()
        path = normalize_path(urlsplit(target).path)
        if self.misbehaving and (path.startswith("/bad/") or path == "/bad" or path.startswith("/private/")):
            resp = respond_bad(self, path, base_url, stop)
            if resp is not None:
                return resp
        if path == "/robots.txt":
            return conditional(Response(200, self.robots_txt(base_url).encode(), "text/plain; charset=utf-8"), headers)
        if path == "/sitemap.xml" or path.startswith("/sitemaps/"):
            return self._respond_sitemap(path, base_url, headers)
        if path == "/feed.xml":  # announced in every page's <head>
            return conditional(Response(200, self.feed_xml("rss", base_url).encode(), "application/rss+xml"), headers)
        rendered = self.render(path, base_url)
        if rendered is None and not path.endswith("/") and path + "/" in self._paths:
            return Response(301, b"", headers={"Location": path + "/"})
        if rendered is None and path == "/":
            return conditional(Response(200, self.home_html(base_url)), headers)
        if rendered is None:
            return Response(404, simple_page("Page not found", "The page you requested does not exist."))
        resp = Response(200, rendered.body, headers={"ETag": rendered.etag,
                                                     "Last-Modified": http_date(rendered.modified)})
        return conditional(resp, headers, rendered.modified)

    def _respond_sitemap(self, path: str, base_url: str, headers: dict[str, str]) -> Response:
        if not self.sitemap_enabled:
            return Response(404, simple_page("Not found", "No sitemap here."))
        if path == "/sitemap.xml":
            return conditional(Response(200, self.sitemap_index_xml(base_url).encode(), "application/xml"), headers)
        m = re.fullmatch(r"/sitemaps/sitemap-(\d+)\.xml(\.gz)?", path)
        xml = self.sitemap_chunk_xml(base_url, int(m.group(1))) if m else None
        if xml is None:
            return Response(404, simple_page("Not found", "No such sitemap."))
        if m.group(2):
            return conditional(Response(200, gzip.compress(xml.encode(), mtime=0), "application/gzip"), headers)
        return conditional(Response(200, xml.encode(), "application/xml"), headers)

    def cached_blob(self, name: str, build: Callable[[], bytes]) -> bytes:
        """Build a large fixture body once per site and keep it."""
        with self._lock:
            if name not in self._blobs:
                self._blobs[name] = build()
            return self._blobs[name]

    def _feed_items(self) -> list[PageMeta]:
        return [m for m in (self.meta(p) for p in self.sitemap_paths()[:10]) if m]

    def feed_xml(self, kind: str, base_url: str) -> str:
        """The RSS (``kind="rss"``) or Atom (``"atom"``) feed of the first ten sitemap pages."""
        document, entry = FEED_TEMPLATES[kind]
        e = html.escape
        entries = "".join(
            entry.format(title=e(m.title), url=e(base_url + m.path), http_date=http_date(m.modified),
                         iso=iso_utc(m.modified), description=e(m.description))
            for m in self._feed_items())
        return document.format(name=e(self.name), base_url=base_url, updated=iso_utc(time.time()), entries=entries)
