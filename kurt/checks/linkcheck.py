"""Requesting external links politely, for ``kurt draft check --check-links``.

Each URL is requested once per run with the fetcher's client
(``kurt.ingest.http.PoliteClient``: robots.txt, per-host concurrency and
backoff, retries with ``Retry-After``, the address policy that keeps requests
off private networks): a HEAD first, then, when the HEAD fails (servers that
refuse HEAD answer 405 or 501, and some 403 or 404), a GET that reads at most
``GET_BYTES`` of the body. Both go through the same client
(``PoliteClient.get(url, method="HEAD")``), so robots.txt is read once per site
and the per-host limits count both.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass

GET_BYTES = 64 * 1024
MAX_TIMEOUT = 10.0  # seconds per request: a link check does not wait as long as a fetch
GONE = frozenset({404, 410})


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    error: str | None  # None when the link answered
    method: str  # "HEAD" or "GET"
    robots_blocked: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def gone(self) -> bool:
        return self.status in GONE


def link_config(config):
    """The fetch settings for link checks: the workspace's, with a shorter timeout and one retry."""
    return dataclasses.replace(config, timeout=min(config.timeout, MAX_TIMEOUT),
                               retries=min(config.retries, 1))


async def _check_all(urls: list[str], config, trusted, transport=None) -> dict[str, LinkResult]:
    from kurt.ingest.http import PoliteClient

    results: dict[str, LinkResult] = {}
    async with PoliteClient(config, trusted=trusted, transport=transport) as client:

        async def one(url: str) -> None:
            first = await client.get(url, method="HEAD")
            if first.ok or first.status is None or first.robots_blocked \
                    or first.robots_unreadable:  # no answer at all: a GET would fare no better
                results[url] = LinkResult(url, first.status, first.error, "HEAD",
                                          first.robots_blocked or first.robots_unreadable)
                return
            second = await client.get(url, max_bytes=GET_BYTES, truncate=True)
            error = second.error
            if error and second.status is not None and 200 <= second.status < 300:
                error = None  # the body was only cut at GET_BYTES: the page is there
            results[url] = LinkResult(url, second.status, error, "GET",
                                      second.robots_blocked or second.robots_unreadable)

        await asyncio.gather(*(one(url) for url in urls))
    return results


def check_urls(urls, config, *, trusted=(), transport=None) -> dict[str, LinkResult]:
    """``{url: LinkResult}`` for every URL (each requested once); ``config`` is the
    workspace's ``IngestConfig``."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    return asyncio.run(_check_all(urls, link_config(config), list(trusted), transport))
