"""kurt.sample_site.site: HTML pages, robots.txt, sitemaps and runtime page edits."""

from __future__ import annotations

import re
import urllib.robotparser

from kurt.sample_site import load_markdown_site, serve


def test_page_renders_realistic_html(served, client):
    r = client.get(served.url("/docs/integrations/api"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    html = r.text
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert "<title>Public API | " in html
    assert '<meta name="description" content="Discover the Railway GraphQL Public API.">' in html
    assert f'<link rel="canonical" href="{served.base_url}/docs/integrations/api">' in html
    nav = re.search(r"<header.*?<nav.*?</nav>", html, re.S).group(0)
    assert 5 <= nav.count("<a ") <= 10
    assert '<aside class="sidebar">' in html and 'href="/docs/integrations/oauth"' in html
    assert "<main" in html and "<article>" in html and "<footer" in html and "newsletter" in html.lower()
    assert '<code class="language-bash">' in html
    assert "<table>" in html and "<th>Token Type</th>" in html
    # internal link /integrations/api/graphql-overview rewritten to the site URL
    assert 'href="/docs/integrations/api/graphql-overview"' in html
    assert "<h1" in html  # title from frontmatter becomes the heading


def test_robots_txt(served, client):
    r = client.get(served.url("/robots.txt"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert "User-agent: *\nDisallow: /private/" in text
    assert "User-agent: BadBot\nDisallow: /" in text
    assert "Crawl-delay: 0.5" in text
    assert f"Sitemap: {served.base_url}/sitemap.xml" in text
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(text.splitlines())
    assert rp.can_fetch("kurt", served.url("/docs/integrations/api"))
    assert not rp.can_fetch("kurt", served.url("/private/secret"))
    assert not rp.can_fetch("BadBot", served.url("/docs/integrations/api"))


def test_sitemap_index_lists_every_page_once(served, client, sitemap_urls):
    urls = sitemap_urls(client, served.base_url)
    site = served.site
    assert len(urls) == len(set(urls))
    assert sorted(urls) == sorted(served.base_url + p for p in site.page_paths())
    index = client.get(served.url("/sitemap.xml")).text
    assert "/sitemaps/sitemap-1.xml<" in index and "/sitemaps/sitemap-2.xml.gz<" in index
    assert index.count("<sitemap>") == -(-len(urls) // 10)


def test_sitemap_can_be_disabled(tmp_path, client):
    (tmp_path / "a.md").write_text("# A\n")
    site = load_markdown_site(tmp_path, sitemap_enabled=False)
    with serve(site) as s:
        assert client.get(s.url("/sitemap.xml")).status_code == 404
        assert client.get(s.url("/sitemaps/sitemap-1.xml")).status_code == 404
        assert "Sitemap:" not in client.get(s.url("/robots.txt")).text
        assert client.get(s.url("/a")).status_code == 200


def test_set_remove_delist_pages(tmp_path, client, sitemap_urls):
    (tmp_path / "one.md").write_text("# One\n\nFirst version.\n")
    (tmp_path / "two.md").write_text("# Two\n")
    (tmp_path / "three.md").write_text("# Three\n")
    site = load_markdown_site(tmp_path)
    with serve(site) as s:
        first = client.get(s.url("/one"))
        site.set_page("/one", "---\ntitle: One again\n---\nSecond version.\n")
        second = client.get(s.url("/one"))
        assert "Second version." in second.text and "<title>One again" in second.text
        assert second.headers["etag"] != first.headers["etag"]
        assert client.get(s.url("/one"), headers={"If-None-Match": first.headers["etag"]}).status_code == 200
        assert client.get(s.url("/one"), headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 200
        site.set_page("/new/page", "# Brand new\n")
        assert client.get(s.url("/new/page")).status_code == 200
        site.remove_page("/two")
        assert client.get(s.url("/two")).status_code == 404
        site.delist("/three")
        assert client.get(s.url("/three")).status_code == 200
        urls = sitemap_urls(client, s.base_url)
        assert sorted(urls) == sorted([s.url("/one"), s.url("/new/page")])


def test_rss_and_atom_feeds_list_the_same_first_sitemap_pages(tmp_path):
    for k in range(12):
        (tmp_path / f"p{k:02}.md").write_text(f"---\ntitle: Page {k} & co\ndescription: About {k}\n---\nText.\n")
    site = load_markdown_site(tmp_path)
    rss, atom = site.feed_xml("rss", "http://x.test"), site.feed_xml("atom", "http://x.test")
    expected = [f"http://x.test{p}" for p in site.sitemap_paths()[:10]]
    assert re.findall(r"<item><title>[^<]*</title><link>([^<]+)</link>", rss) == expected
    assert re.findall(r'<entry><title>[^<]*</title><link href="([^"]+)"/>', atom) == expected
    assert "<title>Page 0 &amp; co</title>" in rss and "<summary>About 0</summary>" in atom
