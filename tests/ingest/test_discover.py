"""map_url end to end against the sample site, recording into a real workspace store."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kurt.config import IngestConfig
from kurt.errors import UsageError
from kurt.ingest.discover import map_url
from kurt.sample_site import load_markdown_site, serve

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "kurt" / "resources" / "sample-docs"
CONFIG = IngestConfig(timeout=2.0, retries=1)


@pytest.fixture
def site():
    site = load_markdown_site(SAMPLE_DOCS, misbehaving=True, sitemap_chunk=10)
    with serve(site) as served:
        yield served


def urls_in(store):
    return {r["url"]: r for r in store.query("SELECT * FROM documents")}


def test_map_from_robots_sitemap_index(site, store):
    report = map_url(store, CONFIG, site.base_url)
    assert report.method == "sitemap"
    assert report.sitemaps[0] == site.url("/sitemap.xml")
    assert report.found == report.added == len(site.site.sitemap_paths())
    rows = urls_in(store)
    assert len(rows) == report.found
    row = rows[site.url("/docs/databases/redis")]
    assert row["discovered_via"] == "sitemap" and row["sitemap_lastmod"] and row["domain"] == "127.0.0.1"


def test_map_keeps_the_folder_of_the_url(site, store):
    report = map_url(store, CONFIG, site.url("/docs/integrations"))
    assert report.found > 5
    assert all(u.startswith(site.url("/docs/integrations/")) for u in report.urls)


def test_remap_adds_only_new_urls_and_marks_delisted(site, store):
    first = map_url(store, CONFIG, site.base_url)
    site.site.set_page("/docs/brand-new", "---\ntitle: New\n---\n# New\n\nFresh page.\n")
    site.site.delist("/docs/databases/redis")
    second = map_url(store, CONFIG, site.base_url)
    assert second.added == 1 and second.known == first.found - 1 and second.delisted == 1
    rows = urls_in(store)
    assert rows[site.url("/docs/databases/redis")]["delisted_at"] is not None
    assert rows[site.url("/docs/brand-new")]["delisted_at"] is None
    site.site.relist("/docs/databases/redis")
    third = map_url(store, CONFIG, site.base_url)
    assert third.added == 0 and third.relisted == 1 and third.delisted == 0


def test_delisting_is_scoped_to_the_mapped_folder(site, store):
    map_url(store, CONFIG, site.base_url)
    report = map_url(store, CONFIG, site.url("/guides/"))
    assert report.delisted == 0
    assert all(r["delisted_at"] is None for r in urls_in(store).values())


def test_narrowed_runs_never_delist(site, store):
    map_url(store, CONFIG, site.base_url)
    report = map_url(store, CONFIG, site.base_url, include=["*/guides/*"], limit=2)
    assert report.found == 2 and report.delisted == 0


def test_include_exclude_and_limit(site, store):
    report = map_url(store, CONFIG, site.base_url, include=["*/docs/*"], exclude=["*/oauth/*"])
    assert report.urls and all("/docs/" in u and "/oauth/" not in u for u in report.urls)
    limited = map_url(store, CONFIG, site.base_url, limit=3, dry_run=True)
    assert limited.found == 3 and len(limited.urls) == 3


def test_dry_run_writes_nothing(site, store):
    report = map_url(store, CONFIG, site.base_url, dry_run=True)
    assert report.found > 0 and report.dry_run and report.added == 0
    assert store.query_one("SELECT COUNT(*) AS n FROM documents")["n"] == 0


@pytest.mark.parametrize("path,method,at_least", [
    ("/bad/sitemap.txt", "sitemap", 40),
    ("/bad/feed.rss", "feed", 5),
    ("/bad/feed.atom", "feed", 5),
])
def test_explicit_sitemap_or_feed(site, store, path, method, at_least):
    report = map_url(store, CONFIG, site.base_url, sitemap=site.url(path))
    assert report.method == method and report.found >= at_least
    assert report.sitemaps == [site.url(path)]


def test_malformed_sitemap_maps_what_it_can_and_says_so(site, store):
    report = map_url(store, CONFIG, site.url("/bad/sitemap-malformed.xml"))
    assert report.found >= 2
    assert any("malformed XML" in p for p in report.problems)


def test_gzip_bomb_sitemap_is_a_reason(site, store):
    report = map_url(store, CONFIG, site.base_url, sitemap=site.url("/bad/sitemap-bomb.xml.gz"))
    assert report.found == 0 and any("gzip bomb" in p for p in report.problems)


def test_crawl_fallback_without_sitemap_when_the_feed_is_broken(site, store):
    site.site.sitemap_enabled = False
    respond = site.site.respond

    def no_feed(method, target, headers, base_url, stop=None):
        if target == "/feed.xml":
            return respond(method, "/bad/not-found", headers, base_url, stop)
        return respond(method, target, headers, base_url, stop)

    site.site.respond = no_feed
    report = map_url(store, CONFIG, site.base_url, max_depth=1, max_pages=10)
    assert report.method == "crawl" and 1 < report.found <= 10
    assert urls_in(store)[report.urls[0]]["discovered_via"] == "crawl"
    assert any("feed.xml: HTTP 404" in p for p in report.problems)


def _feed_paths(site) -> list[str]:
    return site.site.sitemap_paths()[:10]  # what sample_site's /feed.xml lists


def test_without_sitemap_the_feed_the_start_page_announces_is_read(site, store):
    site.site.sitemap_enabled = False
    report = map_url(store, CONFIG, site.base_url, max_depth=0)  # the crawl finds only the start page
    assert report.method == "feed+crawl" and report.sitemaps == [site.url("/feed.xml")]
    assert set(report.urls) == {site.url(p) for p in _feed_paths(site)} | {site.url("/")}
    rows = urls_in(store)
    assert rows[site.url(_feed_paths(site)[1])]["discovered_via"] == "feed"
    assert site.site.requests.count(path="/") == 1  # the start page is asked for once


def test_feed_urls_and_crawled_urls_are_merged_without_duplicates(site, store):
    site.site.sitemap_enabled = False
    report = map_url(store, CONFIG, site.base_url, max_depth=1, max_pages=10)
    feed = {site.url(p) for p in _feed_paths(site)}
    crawled = set(report.urls) - feed
    assert feed <= set(report.urls) and crawled  # the crawl adds pages the feed does not list
    assert len(report.urls) == len(set(report.urls)) == len(urls_in(store))
    assert {urls_in(store)[u]["discovered_via"] for u in crawled} == {"crawl"}


def test_feed_and_crawl_never_delist(site, store):
    site.site.sitemap_enabled = False
    map_url(store, CONFIG, site.base_url, max_depth=1, max_pages=10)
    site.site.delist(_feed_paths(site)[2])
    assert map_url(store, CONFIG, site.base_url, max_depth=1, max_pages=10).delisted == 0


def test_blocked_user_agent_is_the_reason(site, store):
    config = IngestConfig(user_agent="BadBot/1.0", timeout=2.0, retries=0)
    report = map_url(store, config, site.base_url)
    assert report.found == 0
    assert report.problems[0].startswith("robots.txt blocks user agent BadBot from the whole site")


def test_robots_disallowed_folder_is_the_reason(site, store):
    report = map_url(store, CONFIG, site.url("/private/"))
    assert report.found == 0
    assert "blocked by robots.txt for user agent KurtBot" in report.problems[0]


def test_dns_failure_is_the_reason(store):
    report = map_url(store, CONFIG, "http://nohost.invalid/docs")
    assert report.found == 0
    assert any("DNS lookup failed for nohost.invalid" in p for p in report.problems)


def test_connection_refused_is_the_reason(store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = map_url(store, CONFIG, f"http://127.0.0.1:{port}/")
    assert report.found == 0 and any("connection refused" in p for p in report.problems)


def test_site_without_sitemap_or_links_explains_both(site, store):
    site.site.sitemap_enabled = False
    report = map_url(store, CONFIG, site.url("/bad/not-found"))
    assert report.found == 0
    assert report.problems[0].startswith("no sitemap: ") and "HTTP 404" in report.problems[0]
    assert "start page" in report.problems[-1] and "HTTP 404 Not Found" in report.problems[-1]


@pytest.mark.parametrize("url", ["ftp://x.com/", "not a url", "file:///tmp"])
def test_invalid_url_is_a_usage_error(store, url):
    with pytest.raises(UsageError):
        map_url(store, CONFIG, url)
