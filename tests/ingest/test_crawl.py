"""The crawl fallback, against the sample site with its sitemap switched off."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kurt.config import IngestConfig
from kurt.ingest.crawl import crawl, extract_links, feed_links
from kurt.ingest.http import PoliteClient
from kurt.sample_site import load_markdown_site, serve

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "kurt" / "resources" / "sample-docs"


@pytest.fixture(scope="module")
def site():
    site = load_markdown_site(SAMPLE_DOCS, misbehaving=True, sitemap_enabled=False)
    with serve(site) as served:
        yield served


def run_crawl(start, **kwargs):
    async def run():
        async with PoliteClient(IngestConfig(timeout=2.0, retries=0), trusted=[start]) as client:
            return await crawl(client, start, **kwargs)

    return asyncio.run(run())


def test_crawl_finds_the_site_pages(site):
    result = run_crawl(site.url("/"), max_depth=3, max_pages=500)
    pages = set(site.site.sitemap_paths())
    found_paths = {u.removeprefix(site.base_url) for u in result.urls}
    assert len(found_paths & pages) >= len(pages) - 2  # every linked page
    assert not any(p.startswith("/private/") for p in found_paths)


def test_crawl_respects_max_pages(site):
    result = run_crawl(site.url("/"), max_depth=5, max_pages=7)
    assert result.fetched == 7 and result.truncated
    assert "stopped after 7 pages (max pages)" in result.problems()


def test_crawl_respects_max_depth(site):
    shallow = run_crawl(site.url("/"), max_depth=0, max_pages=500)
    assert shallow.urls == [site.url("/")] and shallow.fetched == 1


def test_crawl_stays_under_the_start_folder(site):
    result = run_crawl(site.url("/docs/integrations/api"), max_depth=3, max_pages=500)
    assert len(result.urls) >= 5  # the page and the pages under /docs/integrations/api/
    assert all(u.startswith(site.url("/docs/integrations/api")) for u in result.urls)


def test_crawl_never_requests_robots_disallowed_pages(site):
    site.site.requests.clear()
    run_crawl(site.url("/"), max_depth=2, max_pages=500)
    assert site.site.requests.count(prefix="/private/") == 0


def test_start_page_failure_is_the_reason(site):
    result = run_crawl(site.url("/bad/not-found"), max_depth=2, max_pages=10)
    assert result.urls == []
    assert result.problems() == [f"start page {site.url('/bad/not-found')}: HTTP 404 Not Found"]


def test_extract_links_skips_nofollow_and_assets_are_left_to_the_crawler():
    html = b"""<html><head><base href="/docs/"></head><body>
      <a href="a">A</a> <a href="/b#frag">B</a> <a rel="nofollow" href="/c">C</a>
      <a href="mailto:x@y.z">mail</a> <a href="https://other.com/d">D</a></body></html>"""
    links, nofollow, noindex = extract_links(html, "https://x.com/start")
    assert links == ["https://x.com/docs/a", "https://x.com/b", "https://other.com/d"]
    assert not nofollow and not noindex


def test_extract_links_keeps_web_links_only_and_never_credentials():
    html = b"""<html><body>
      <a href="https://user:pass@x.com/a">A</a> <a href="//admin@x.com/b">B</a>
      <a href="javascript:alert(1)">js</a> <a href="JavaScript:void(0)">js</a>
      <a href="data:text/html,hi">data</a> <a href="tel:+100">tel</a> <a href="ftp://x.com/f">ftp</a>
      </body></html>"""
    links, _, _ = extract_links(html, "https://x.com/start")
    assert links == ["https://x.com/a", "https://x.com/b"]


def test_a_base_href_with_credentials_or_a_bad_scheme_is_not_kept():
    html = b'<html><head><base href="https://u:p@x.com/docs/"></head><a href="a">A</a></html>'
    assert extract_links(html, "https://x.com/")[0] == ["https://x.com/docs/a"]
    html = b'<html><head><base href="javascript:x"></head><a href="a">A</a></html>'
    assert extract_links(html, "https://x.com/d/")[0] == ["https://x.com/d/a"]


def test_meta_robots_nofollow_stops_link_following():
    html = b'<html><head><meta name="robots" content="noindex, nofollow"></head><a href="/a">A</a></html>'
    links, nofollow, noindex = extract_links(html, "https://x.com/")
    assert links == [] and nofollow and noindex


@pytest.mark.parametrize(
    ("head", "feeds"),
    [
        ('<link rel="alternate" type="application/rss+xml" href="/feed.xml">', ["http://x.test/feed.xml"]),
        ('<link rel="alternate" type="application/atom+xml" href="atom">', ["http://x.test/docs/atom"]),
        ('<link rel="Alternate" type="application/feed+json; charset=utf-8" href="/f.json">',
         ["http://x.test/f.json"]),
        ('<link rel="alternate" hreflang="fr" type="text/html" href="/fr/">', []),
        ('<link rel="stylesheet" type="application/rss+xml" href="/no.xml">', []),
        ('<base href="http://cdn.test/"><link rel="alternate" type="application/rss+xml" href="rss">',
         ["http://cdn.test/rss"]),
        ('<link rel="alternate" type="application/rss+xml" href="/a"><link rel="alternate" '
         'type="application/atom+xml" href="/a">', ["http://x.test/a"]),
        ('<link rel="alternate" type="application/rss+xml" href="ftp://x.test/feed">', []),
        ('<link rel="alternate" type="application/rss+xml" href="http://u:p@x.test/feed">',
         ["http://x.test/feed"]),
    ],
)
def test_feed_links(head, feeds):
    page = f"<html><head>{head}</head><body><p>hi</p></body></html>".encode()
    assert feed_links(page, "http://x.test/docs/page") == feeds
