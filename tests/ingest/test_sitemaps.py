"""Sitemap and feed parsing on tests/fixtures/sitemaps, and reading trees over HTTP."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest

from kurt.config import IngestConfig
from kurt.ingest.http import PoliteClient
from kurt.ingest.sitemaps import gunzip_capped, parse_sitemap, read_sitemaps
from kurt.sample_site import build_gzip_bomb, load_markdown_site, serve

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "kurt" / "resources" / "sample-docs"


@pytest.mark.parametrize("name,kind,count,first", [
    ("sitemap.xml", "urlset", 84, "https://www.sitemaps.org/"),
    ("sitemap.xml.gz", "urlset", 84, "https://www.sitemaps.org/"),
    ("feed1.atom", "atom", 2, "http://example.org/2003/12/13/atom03"),
    ("feed2.rss", "rss", 1, "http://www.example.com/blog/post/1"),
    ("feed.json", "json", 25, "https://www.npr.org/2021/10/29/1050315385/"),
])
def test_parse_fixture(sitemap_fixtures, name, kind, count, first):
    parsed = parse_sitemap((sitemap_fixtures / name).read_bytes())
    assert parsed.kind == kind and not parsed.problems
    assert len(parsed.urls) == count
    assert parsed.urls[0].url.startswith(first)


def test_lastmod_is_kept(sitemap_fixtures):
    parsed = parse_sitemap((sitemap_fixtures / "sitemap.xml").read_bytes())
    assert parsed.urls[0].lastmod == "2016-11-21"


def test_sitemap_index_children_including_cdata(sitemap_fixtures):
    parsed = parse_sitemap((sitemap_fixtures / "sitemap2.xml").read_bytes())
    assert parsed.kind == "index"
    assert [s.url for s in parsed.sitemaps] == ["http://www.example.com/sitemap1.xml.gz",
                                                "http://www.example.com/sitemap2.xml.gz"]


def test_hreflang_alternates_are_urls_too(sitemap_fixtures):
    parsed = parse_sitemap((sitemap_fixtures / "sitemap-hreflang.xml").read_bytes())
    urls = [u.url for u in parsed.urls]
    assert "http://www.example.com/schweiz-deutsch/page.html" in urls
    assert len(urls) == len(set(urls)) == 3


def test_gzip_is_detected_by_magic_bytes_not_name(sitemap_fixtures):
    data = gzip.compress((sitemap_fixtures / "sitemap.xml").read_bytes())
    assert len(parse_sitemap(data).urls) == 84


def test_text_sitemap():
    parsed = parse_sitemap(b"https://x.com/a\n\n# note\nhttps://x.com/b\nnot a url\n")
    assert parsed.kind == "text" and [u.url for u in parsed.urls] == ["https://x.com/a", "https://x.com/b"]
    assert parsed.problems == ["1 lines that are not URLs were skipped"]


def test_malformed_xml_keeps_what_was_read():
    data = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://x.com/a</loc></url><url><loc>https://x.com/b</loc></url><url><lo")
    parsed = parse_sitemap(data)
    assert [u.url for u in parsed.urls][:2] == ["https://x.com/a", "https://x.com/b"]
    assert parsed.problems and parsed.problems[0].startswith("malformed XML (line 1")


def test_html_is_not_a_sitemap():
    parsed = parse_sitemap(b"<!doctype html><html><body>hi</body></html>")
    assert parsed.kind == "unknown" and "not a sitemap" in parsed.problems[0]


def test_gzip_bomb_stops_at_the_cap():
    bomb = build_gzip_bomb(total=20 * 1024 * 1024)
    data, problem = gunzip_capped(bomb, 1024 * 1024)
    assert len(data) == 1024 * 1024 and "gzip bomb" in problem
    parsed = parse_sitemap(bomb, max_bytes=1024 * 1024)
    assert parsed.kind == "unknown" and "gzip bomb" in parsed.problems[0]


def test_entities_are_not_expanded():
    data = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset><url><loc>https://x.com/&x;</loc></url></urlset>')
    parsed = parse_sitemap(data)
    assert all("root:" not in u.url for u in parsed.urls)


_SM = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


@pytest.mark.parametrize("kind,data", [
    ("urlset", f'<urlset {_SM}><url><loc>https://u:p@x.com/a</loc></url>'
               '<url><loc>https://x.com/b#frag</loc>'
               '<xhtml:link xmlns:xhtml="http://www.w3.org/1999/xhtml" rel="alternate" '
               'hreflang="de" href="https://u:p@x.com/de/b"/></url></urlset>'),
    ("rss", '<rss version="2.0"><channel><item><link>https://u:p@x.com/a</link></item>'
            '<item><link>https://x.com/b#frag</link></item>'
            '<item><link>https://u:p@x.com/de/b</link></item></channel></rss>'),
    ("atom", '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://u:p@x.com/a"/>'
             '</entry><entry><link href="/b#frag"/></entry>'
             '<entry><link href="https://u:p@x.com/de/b"/></entry></feed>'),
    ("json", '{"version": "https://jsonfeed.org/version/1.1", "items": ['
             '{"url": "https://u:p@x.com/a"}, {"url": "/b#frag"}, {"url": "https://u:p@x.com/de/b"}]}'),
    ("text", "https://u:p@x.com/a\nhttps://x.com/b#frag\nhttps://u:p@x.com/de/b\n"),
])
def test_urls_read_from_sitemaps_and_feeds_carry_no_credentials(kind, data):
    parsed = parse_sitemap(data.encode(), base_url="https://x.com/sitemap.xml")
    assert parsed.kind == kind
    assert [u.url for u in parsed.urls] == ["https://x.com/a", "https://x.com/b", "https://x.com/de/b"]


def test_index_children_carry_no_credentials_and_only_http_schemes():
    data = (f'<sitemapindex {_SM}><sitemap><loc>https://u:p@x.com/s1.xml</loc></sitemap>'
            '<sitemap><loc>file:///etc/passwd</loc></sitemap>'
            '<sitemap><loc>javascript:alert(1)</loc></sitemap>'
            '<sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>').encode()
    parsed = parse_sitemap(data, base_url="https://x.com/sitemap.xml")
    assert [s.url for s in parsed.sitemaps] == ["https://x.com/s1.xml", "https://x.com/s2.xml"]


# -- over HTTP, against the sample site --------------------------------------------


@pytest.fixture(scope="module")
def site():
    site = load_markdown_site(SAMPLE_DOCS, misbehaving=True, sitemap_chunk=10)
    with serve(site) as served:
        yield served


def read(urls, **kwargs):
    async def run():
        async with PoliteClient(IngestConfig(timeout=2.0, retries=0), trusted=urls) as client:
            return await read_sitemaps(client, urls, **kwargs)

    return asyncio.run(run())


def test_index_recursion_reads_every_chunk_including_gzip(site):
    result = read([site.url("/sitemap.xml")])
    assert len(result.urls) == len(site.site.sitemap_paths())
    assert site.url("/sitemaps/sitemap-2.xml.gz") in result.used
    assert result.complete


def test_recursive_sitemap_terminates_with_a_note(site):
    result = read([site.url("/bad/sitemap-recursive.xml")])
    assert result.urls == {}
    assert any("(a loop)" in p for p in result.problems)
    assert site.site.requests.count(path="/bad/sitemap-recursive.xml") == 1


def test_malformed_sitemap_gives_partial_result(site):
    result = read([site.url("/bad/sitemap-malformed.xml")])
    assert len(result.urls) >= 2 and not result.complete
    assert any("malformed XML" in p for p in result.problems)


def test_sitemap_bomb_over_http(site):
    result = read([site.url("/bad/sitemap-bomb.xml.gz")], max_bytes=2 * 1024 * 1024)
    assert result.urls == {} and "gzip bomb" in result.problems[0]


def test_url_bound_truncates(site):
    result = read([site.url("/sitemap.xml")], max_urls=15)
    assert len(result.urls) == 15 and result.truncated and not result.complete


def test_missing_sitemap_reports_the_status(site):
    result = read([site.url("/nope-sitemap.xml")])
    assert result.problems == [f"{site.url('/nope-sitemap.xml')}: HTTP 404 Not Found"]


@pytest.mark.parametrize("data, feed_title, entry_titles", [
    (b"<rss version='2.0'><channel><title>Blog</title><item><title>First</title>"
     b"<link>https://a.example/1</link></item><item><link>https://a.example/2</link></item>"
     b"</channel></rss>", "Blog", ["First", None]),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'><title>Changes</title><entry><title>v2</title>"
     b"<link href='https://a.example/v2'/></entry></feed>", "Changes", ["v2"]),
    (b'{"version": "https://jsonfeed.org/version/1.1", "title": "Notes", "items": '
     b'[{"url": "https://a.example/n", "title": " A note "}]}', "Notes", ["A note"]),
    (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://a.example/</loc>"
     b"</url></urlset>", None, [None]),
])
def test_feeds_keep_their_titles(data, feed_title, entry_titles):
    parsed = parse_sitemap(data)
    assert parsed.title == feed_title
    assert [entry.title for entry in parsed.urls] == entry_titles
