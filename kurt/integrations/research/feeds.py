"""``kurt research feeds``: the entries of RSS, Atom and JSON feeds.

Feeds are web pages, so they are read the way ingestion reads the web: with the
polite client (robots.txt, retries honouring ``Retry-After``, timeouts, size cap;
the feeds the user names are trusted even on a private address) and parsed by
ingestion's own feed parser (``kurt.ingest.sitemaps.parse_sitemap``: RSS 1.0 and
2.0, Atom, JSON Feed). Entries are kept newest first, optionally only those whose
title or URL contains ``match`` (any of its words, case-insensitive) and those
dated on or after ``since``. A feed that cannot be read is a note on the result;
when none can be read, the command fails with the reasons.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from kurt.errors import KurtError
from kurt.integrations.research.results import Reference, ResearchResult, now_iso


def read_feeds(config, urls: list[str], *, match: str | None = None, since: date | None = None,
               limit: int = 50, transport=None) -> ResearchResult:
    """Read the feeds at ``urls`` (see the module docstring)."""
    from kurt.ingest.urls import check_user_url

    if not urls:
        raise KurtError("Give at least one feed URL: kurt research feeds https://example.com/feed.xml")
    checked = list(dict.fromkeys(check_user_url(url) for url in urls))
    pages = asyncio.run(_fetch(config, checked, transport))
    query = match.strip() if match and match.strip() else f"entries of {_names(checked)}"
    options: dict = {"feeds": ", ".join(checked)}
    if match and match.strip():
        options["match"] = match.strip()
    if since:
        options["since"] = since.isoformat()
    result = ResearchResult("feeds", query, now_iso(), options=options)
    entries: list[tuple[datetime | None, Reference]] = []
    failures = []
    read = 0  # feeds read, some perhaps with a problem noted (a cut or malformed tail)
    for url, (body, final_url, error) in zip(checked, pages, strict=True):
        if error:
            failures.append(f"{url}: {error}")
            continue
        before = len(failures)
        found = _entries(url, body, final_url, failures)
        entries += found
        read += bool(found) or len(failures) == before
    result.notes += failures
    if not read:
        raise KurtError(f"No feed could be read: {'; '.join(failures)}: check the URLs")
    words = [w.lower() for w in (match or "").split() if w]
    kept = []
    seen = set()
    for when, ref in entries:
        if ref.url in seen:
            continue
        if words and not any(w in f"{ref.title or ''} {ref.url}".lower() for w in words):
            continue
        if since and (when is None or when.date() < since):
            continue
        seen.add(ref.url)
        kept.append((when, ref))
    kept.sort(key=lambda item: item[0] or datetime.min.replace(tzinfo=UTC), reverse=True)
    result.references = [ref for _, ref in kept[:max(1, limit)]]
    return result


async def _fetch(config, urls: list[str], transport) -> list[tuple[bytes, str, str | None]]:
    from kurt.ingest.http import PoliteClient
    from kurt.ingest.sitemaps import MAX_SITEMAP_BYTES, SITEMAP_ACCEPT

    async with PoliteClient(config, trusted=urls, transport=transport) as client:
        results = await asyncio.gather(*(client.get(url, accept=SITEMAP_ACCEPT,
                                                     max_bytes=MAX_SITEMAP_BYTES) for url in urls))
    return [(res.body, res.final_url, None if res.ok else (res.error or f"HTTP {res.status}"))
            for res in results]


def _entries(url: str, body: bytes, final_url: str, failures: list[str]):
    from kurt.ingest.sitemaps import parse_sitemap

    parsed = parse_sitemap(body, base_url=final_url)
    if not parsed.is_feed:
        why = "; ".join(parsed.problems) or f"a {parsed.kind} sitemap"
        failures.append(f"{url}: not an RSS, Atom or JSON feed ({why})")
        return []
    failures += [f"{url}: {problem}" for problem in parsed.problems]
    site = parsed.title or (urlsplit(final_url).hostname or "").removeprefix("www.")
    found = []
    for entry in parsed.urls:
        when = feed_date(entry.lastmod)
        found.append((when, Reference(url=entry.url, title=entry.title, site=site,
                                      date=_iso(when) if when else entry.lastmod)))
    return found


def feed_date(value: str | None) -> datetime | None:
    """An RSS (RFC 822) or Atom/JSON Feed (ISO-8601) date, in UTC; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _iso(when: datetime) -> str:
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _names(urls: list[str]) -> str:
    hosts = list(dict.fromkeys((urlsplit(u).hostname or u) for u in urls))
    return ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
