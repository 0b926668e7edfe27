"""Map: discover what to fetch from a website, and record it.

``map_url`` looks for sitemaps (robots.txt ``Sitemap:`` lines, then the usual
well-known paths), reads them whole (indexes, gzip, text, feeds), and falls back
to the feeds its start page announces (``<link rel="alternate">``) plus a polite
crawl when the site has none: a feed lists only recent pages, so the crawl
finds the rest and the two are merged without duplicates. It keeps URLs on the mapped site and
under the mapped folder (``https://x.com/docs`` keeps ``/docs/...``), applies
the include/exclude globs and the limit, and records new URLs. When nothing is
found, ``MapReport.problems`` says why: the HTTP status of what was tried,
robots.txt rules, DNS failures...

Re-mapping adds only new URLs and marks as delisted the URLs of this site and
folder that an earlier sitemap listed and the current one does not. Delisting
happens only when every sitemap was read whole and no include/exclude/limit
narrowed the run: absence from a partial read proves nothing. A crawl never
delists (a crawl cannot prove a page is gone).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kurt.ingest.urls import (
    check_user_url,
    domain_of,
    glob_regex,
    is_http_url,
    normalize_url,
    origin_of,
    prefix_folder,
    same_site,
    url_selected,
    web_url,
)

SITEMAP_SUFFIXES = (".xml", ".xml.gz", ".gz", ".txt", ".rss", ".atom", ".json")


@dataclass
class MapReport:
    source: str
    method: str  # "sitemap" | "feed" | "crawl" | "feed+crawl" | "folder"
    found: int = 0
    added: int = 0
    known: int = 0
    relisted: int = 0
    delisted: int = 0
    sitemaps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # WHY nothing (or less) was found
    urls: list[str] = field(default_factory=list)  # what was found, all of it
    dry_run: bool = False

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


@dataclass
class _Found:
    method: str
    urls: dict[str, str | None] = field(default_factory=dict)  # url -> lastmod
    sitemaps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    complete: bool = False  # sitemaps read whole: absence means delisted
    via: dict[str, str] = field(default_factory=dict)  # url -> how it was found, when not `method`


def map_url(store, config, url, *, include=(), exclude=(), limit=None, dry_run=False, sitemap=None,
            max_depth=None, max_pages=None, transport=None,
            progress: Callable[[str], None] | None = None, sleep=None) -> MapReport:
    """Discover the pages of a site (or of a folder of it) and record the new ones."""
    start = check_user_url(url)
    sitemap_url = check_user_url(sitemap) if sitemap else None
    if limit is not None and limit < 1:
        from kurt.errors import UsageError

        raise UsageError("--limit must be at least 1")
    found = asyncio.run(_discover(
        config, start, sitemap_url,
        max_depth=config.max_depth if max_depth is None else max_depth,
        max_pages=max_pages, transport=transport, progress=progress, sleep=sleep,
        include=include, exclude=exclude,
    ))
    inc = [glob_regex(p) for p in include]
    exc = [glob_regex(p) for p in exclude]
    # A sitemap or feed URL maps its whole site; any other URL maps its folder.
    scope_folder = "/" if _looks_like_sitemap(start) else prefix_folder(start)
    kept: dict[str, str | None] = {}
    off_site = 0
    for found_url, lastmod in found.urls.items():
        if not is_http_url(found_url):
            continue
        norm = normalize_url(found_url)
        if not _in_scope(norm, start, scope_folder):
            off_site += 1
            continue
        if url_selected(norm, inc, exc) and norm not in kept:
            kept[norm] = lastmod
    if off_site and not kept:
        found.problems.append(
            f"{off_site} URLs were listed, none on {_site_label(start)} under {scope_folder}"
        )
    elif found.urls and not kept and (include or exclude):
        found.problems.append(f"{len(found.urls)} URLs found, none matched --include/--exclude")
    urls = list(kept)
    narrowed = bool(include or exclude)
    if limit is not None and len(urls) > limit:
        urls = urls[:limit]
        narrowed = True
    report = MapReport(source=start, method=found.method, found=len(urls),
                       sitemaps=found.sitemaps, problems=found.problems, urls=urls, dry_run=dry_run)
    if dry_run or store is None:
        return report
    from kurt.store.documents import Discovered, add_discovered, mark_delisted

    via = "crawl" if found.method == "feed+crawl" else found.method
    via_of = {normalize_url(u): how for u, how in found.via.items()}
    counts = add_discovered(store, (
        Discovered(url=u, domain=domain_of(u), via=via_of.get(u, via), sitemap_lastmod=kept[u])
        for u in urls
    ))
    report.added, report.known, report.relisted = counts.added, counts.known, counts.relisted
    if found.method in ("sitemap", "feed") and found.complete and not narrowed \
            and sitemap_url is None and not _looks_like_sitemap(start):
        gone = _previously_listed(store, start, scope_folder, via) - set(urls)
        report.delisted = mark_delisted(store, sorted(gone)) if gone else 0
    return report


def _site_label(url: str) -> str:
    return urlsplit(url).netloc


def _in_scope(url: str, start: str, folder: str) -> bool:
    if not same_site(url, start):
        return False
    path = urlsplit(url).path or "/"
    return path.startswith(folder) or path == folder.rstrip("/")


def _previously_listed(store, start: str, folder: str, via: str) -> set[str]:
    rows = store.query(
        "SELECT url FROM documents WHERE domain = ? AND discovered_via = ? AND delisted_at IS NULL",
        (domain_of(start), via),
    )
    return {row["url"] for row in rows if _in_scope(row["url"], start, folder)}


async def _discover(config, start: str, sitemap_url: str | None, *, max_depth: int,
                    max_pages: int | None, transport, progress, sleep,
                    include=(), exclude=()) -> _Found:
    from kurt.ingest.crawl import CRAWL_ACCEPT, crawl
    from kurt.ingest.http import PoliteClient
    from kurt.ingest.sitemaps import MAX_URLS, WELL_KNOWN, read_sitemaps

    # The sites the user named: only they may be on a loopback, private or link-local
    # address (kurt.ingest.addresses); a sitemap, robots.txt or page cannot add one.
    kwargs = {"transport": transport, "trusted": [start, sitemap_url]}
    if sleep is not None:
        kwargs["sleep"] = sleep
    url_cap = max_pages if max_pages is not None else MAX_URLS
    async with PoliteClient(config, **kwargs) as client:
        # 1. The user named the sitemap (or the URL itself is one): read only that.
        explicit = sitemap_url or (start if _looks_like_sitemap(start) else None)
        if explicit:
            read = await read_sitemaps(client, [explicit], max_urls=url_cap, progress=progress)
            method = "feed" if read.kinds and read.kinds <= {"rss", "atom", "json"} else "sitemap"
            found = _Found(method, dict(read.urls), read.used, list(read.problems), read.complete)
            if not read.urls and not read.problems:
                found.problems.append(f"{explicit}: no URLs in it")
            return found

        problems: list[str] = []
        policy = await client.robots(start)
        decision = policy.decide(start)
        if config.respect_robots and not decision.allowed:  # a rule, or robots.txt unreadable
            return _Found("crawl", problems=[decision.reason + (
                "" if decision.rule is None else "; nothing on it can be mapped politely")])

        # 2. Sitemaps listed in robots.txt.
        listed = [s for s in dict.fromkeys(web_url(s) for s in policy.sitemaps) if s]
        if listed:
            read = await read_sitemaps(client, listed, max_urls=url_cap, progress=progress)
            if read.urls:
                return _result_from(read)
            problems.extend(read.problems or [f"the sitemaps in robots.txt list no URLs: {', '.join(listed)}"])
        # 3. The usual places, under the site root and under the mapped folder.
        candidates = [origin_of(start) + path for path in WELL_KNOWN]
        folder = prefix_folder(start)
        if folder != "/":
            candidates = [origin_of(start) + folder + "sitemap.xml", *candidates]
        for candidate in candidates:
            if candidate in listed:
                continue
            read = await read_sitemaps(client, [candidate], max_urls=url_cap, progress=progress)
            if read.urls:
                found = _result_from(read)
                found.problems[:0] = problems
                return found
            problems.extend(read.problems)
            if _unreachable(read.problems):
                break  # DNS failure or refused: the other paths will not do better
        if problems and _unreachable(problems):
            return _Found("sitemap", problems=_dedupe(problems))
        # 4. No sitemap: the feeds the start page announces, and a crawl for the rest.
        page = await client.get(start, accept=CRAWL_ACCEPT)
        feed_urls, feed_problems, feeds = await _read_feeds(client, page, start, url_cap, progress)
        if progress:
            progress("no sitemap found: crawling links")
        inc = [glob_regex(p) for p in include]
        exc = [glob_regex(p) for p in exclude]
        result = await crawl(
            client, start, max_depth=max_depth,
            max_pages=max_pages if max_pages is not None else config.max_pages,
            accept_url=lambda u: url_selected(u, inc, exc), progress=progress,
            start_response=page,
        )
        found = _Found("feed+crawl" if feed_urls else "crawl", dict(feed_urls), feeds)
        found.via = {u: "feed" for u in feed_urls}
        for crawled in result.urls:
            found.urls.setdefault(crawled, None)
        crawl_problems = feed_problems + result.problems()
        if not found.urls:
            found.problems = [f"no sitemap: {_summarize(problems)}"] if problems else []
            found.problems += crawl_problems or [
                f"the start page {start} links to no other pages on {domain_of(start)} "
                f"under {folder}" if result.fetched else "nothing could be crawled"
            ]
        else:
            found.problems = crawl_problems
        return found


async def _read_feeds(client, page, start: str, url_cap: int, progress):
    """(url -> date of the in-scope entries, problems, feeds read) of the feeds ``page`` announces."""
    from kurt.ingest.crawl import feed_links, in_scope
    from kurt.ingest.sitemaps import read_sitemaps

    if not page.ok or page.content_type not in ("text/html", "application/xhtml+xml", ""):
        return {}, [], []
    feeds = [f for f in feed_links(page.body, page.final_url, page.charset) if same_site(f, start)]
    if not feeds:
        return {}, [], []
    if progress:
        progress(f"no sitemap found: reading the feeds the start page links to ({len(feeds)})")
    read = await read_sitemaps(client, feeds, max_urls=url_cap, progress=progress)
    folder = prefix_folder(start)
    urls = {u: d for u, d in read.urls.items() if is_http_url(u) and in_scope(normalize_url(u), start, folder)}
    return urls, list(read.problems), read.used


def _result_from(read) -> _Found:
    method = "feed" if read.kinds and read.kinds <= {"rss", "atom", "json"} else "sitemap"
    return _Found(method, dict(read.urls), read.used, list(read.problems), read.complete)


def looks_like_sitemap(url: str) -> bool:
    """True when the URL names a sitemap or feed (by its path), so mapping it reads only it."""
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    return path.endswith(SITEMAP_SUFFIXES) or name in ("feed", "rss", "atom") or "sitemap" in name


_looks_like_sitemap = looks_like_sitemap  # kurt.ingest.add imports this name


def _unreachable(problems: list[str]) -> bool:
    return any(("DNS lookup failed" in p or "connection refused" in p or "could not connect" in p
                or "blocked by robots.txt" in p or "blocks user agent" in p
                or "fetched until it can be" in p)
               for p in problems)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _summarize(problems: list[str]) -> str:
    shown = problems[:3]
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(shown) + more
