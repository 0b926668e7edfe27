"""Tests for kurt.sample_site: a real HTTP server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import gzip
import io
import os
import re
import socket
import struct
import time
import urllib.robotparser
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import httpx
import pytest

from kurt.sample_site import (
    HUGE_BYTES,
    PDF_SENTENCES,
    generate_synthetic_site,
    load_markdown_site,
    serve,
    strip_mdx,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "kurt" / "resources" / "sample-docs"
SHARED = Path(os.environ.get("KURT_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpora" / "railway-docs"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def served():
    site = load_markdown_site(SAMPLE, sitemap_chunk=10, misbehaving=True, slow_seconds=0.3, crawl_delay=0.5)
    with serve(site) as s:
        yield s


@pytest.fixture(scope="module")
def client():
    with httpx.Client(trust_env=False, timeout=10) as c:
        yield c


def sitemap_urls(client: httpx.Client, base_url: str) -> list[str]:
    """Follow the sitemap index into every chunk; return all <loc> page URLs."""
    index = client.get(base_url + "/sitemap.xml")
    assert index.status_code == 200
    root = ET.fromstring(index.content)
    assert root.tag.endswith("sitemapindex")
    urls: list[str] = []
    for loc in root.findall("sm:sitemap/sm:loc", NS):
        r = client.get(loc.text)
        assert r.status_code == 200, loc.text
        data = r.content
        if loc.text.endswith(".gz"):
            assert r.headers["content-type"] == "application/gzip"
            data = gzip.decompress(data)
        chunk = ET.fromstring(data)
        for url in chunk.findall("sm:url", NS):
            urls.append(url.find("sm:loc", NS).text)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", url.find("sm:lastmod", NS).text)
    return urls


# --------------------------------------------------------------------------- bundled sample


def test_bundled_sample_is_small_and_licensed():
    total = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert total < 1_000_000
    assert "Railway Corp" in (SAMPLE / "LICENSE").read_text()
    assert "MIT" in (SAMPLE / "README.md").read_text()
    pages = list(SAMPLE.rglob("*.md"))
    assert 35 <= len(pages) <= 60
    for name in ("api.md", "oauth.md", "stripe.md", "api/graphql-overview.md", "oauth/quickstart.md"):
        assert (SAMPLE / "docs" / "integrations" / name).is_file()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared railway-docs corpus not available")
def test_bundled_pages_are_unmodified_copies_of_corpus():
    for f in (SAMPLE / "docs").rglob("*.md"):
        rel = f.relative_to(SAMPLE)
        assert f.read_bytes() == (CORPUS / rel).read_bytes(), rel
    site = load_markdown_site(CORPUS)
    assert len(site.page_paths()) == len(list(CORPUS.rglob("*.md")))


# --------------------------------------------------------------------------- pages


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


def test_frontmatter_date_and_mdx_components(served, client):
    html = client.get(served.url("/guides/django")).text
    assert '<meta property="article:published_time" content="2026-01-30T00:00:00Z">' in html
    assert "<Image" not in html and "<img " in html
    projects = client.get(served.url("/docs/integrations/api/manage-projects")).text
    assert '<code class="language-graphql">' in projects and "GraphQLCodeTabs" not in projects
    assert "projectCreate" in projects


def test_homepage_and_link_rewriting_from_readme(served, client):
    html = client.get(served.url("/")).text
    assert "<title>Sample documentation site" in html
    assert 'href="/guides/django"' in html and 'href="/docs/integrations/oauth/quickstart"' in html


def test_strip_mdx_keeps_inner_text_and_code():
    src = (
        'import Foo from "../components/foo";\n\n'
        "Intro text.\n\n"
        '<Banner variant="info">\n    Indented **inner** text.\n</Banner>\n\n'
        '<Image src="/a.png" alt="Shot"\nwidth={10} height={20} />\n\n'
        '<Collapse title="Why?">\nBecause.\n</Collapse>\n\n'
        "Run `railway link <SERVICE>` now.\n\n"
        "```js\nimport x from 'y';\n<Foo bar={1} />\n```\n"
    )
    out = strip_mdx(src)
    assert "import Foo" not in out and "<Banner" not in out and "</Banner>" not in out
    assert "\nIndented **inner** text." in out  # dedented, so not a code block
    assert "![Shot](/a.png)" in out and "**Why?**" in out and "Because." in out
    assert "`railway link <SERVICE>`" in out
    assert "import x from 'y';\n<Foo bar={1} />" in out  # code blocks untouched


def test_folder_mapping_frontmatter_and_relative_links(tmp_path, client):
    (tmp_path / "docs" / "foo").mkdir(parents=True)
    (tmp_path / "README.md").write_text("# Home\n\nSee [bar](docs/foo/bar.md#x).\n")
    (tmp_path / "docs" / "foo" / "index.md").write_text(
        "---\ntitle: Foo\nauthor: Jane Doe\ndate: 2024-05-01\ndescription: About foo\n---\n"
        "Go to [bar](./bar.md) or [missing](nope.md).\n"
    )
    (tmp_path / "docs" / "foo" / "bar.mdx").write_text('import X from "x"\n\n# Bar\n\n<Note>Hi there</Note>\n')
    site = load_markdown_site(tmp_path)
    assert site.page_paths() == ["/", "/docs/foo/bar", "/docs/foo/"]
    with serve(site) as s:
        home = client.get(s.url("/")).text
        assert 'href="/docs/foo/bar#x"' in home
        foo = client.get(s.url("/docs/foo/")).text
        assert '<meta name="author" content="Jane Doe">' in foo
        assert 'content="2024-05-01T00:00:00Z"' in foo
        assert 'href="/docs/foo/bar"' in foo and 'href="nope.md"' in foo
        assert client.get(s.url("/docs/foo")).status_code == 301
        bar = client.get(s.url("/docs/foo/bar")).text
        assert "Hi there" in bar and "<Note" not in bar and "import X" not in bar


# --------------------------------------------------------------------------- robots and sitemaps


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


def test_sitemap_index_lists_every_page_once(served, client):
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


# --------------------------------------------------------------------------- caching and request log


def test_conditional_get_and_head(served, client):
    url = served.url("/docs/databases/postgresql")
    r = client.get(url)
    etag, last_modified = r.headers["etag"], r.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    r304 = client.get(url, headers={"If-None-Match": etag, "User-Agent": "kurt-test/1.0"})
    assert r304.status_code == 304 and r304.content == b"" and r304.headers["etag"] == etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(r.content)) and head.headers["etag"] == etag
    recs = served.site.requests.filter(path="/docs/databases/postgresql", status=304)
    assert any(rec.if_none_match == etag and rec.user_agent == "kurt-test/1.0" for rec in recs)
    assert served.site.requests.count(path="/docs/databases/postgresql", method="HEAD") >= 1


def test_set_remove_delist_pages(tmp_path, client):
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


# --------------------------------------------------------------------------- misbehaving routes


def test_slow_and_stall(served, client):
    t0 = time.monotonic()
    r = client.get(served.url("/bad/slow"))
    assert r.status_code == 200 and time.monotonic() - t0 >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        client.get(served.url("/bad/stall"), timeout=httpx.Timeout(5, read=0.5))


def test_rate_limited_flaky_and_reset(served, client):
    served.site.reset_state()
    r = client.get(served.url("/bad/rate-limited"))
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert client.get(served.url("/bad/rate-limited")).status_code == 200
    assert client.get(served.url("/bad/flaky")).status_code == 500
    assert client.get(served.url("/bad/flaky")).status_code == 200
    served.site.reset_state()
    assert client.get(served.url("/bad/flaky")).status_code == 500


def test_redirects(served, client):
    with pytest.raises(httpx.TooManyRedirects):
        client.get(served.url("/bad/redirect-loop"), follow_redirects=True)
    r = client.get(served.url("/bad/redirect-chain"), follow_redirects=True)
    assert r.status_code == 200 and len(r.history) == 12
    assert r.url.path == "/bad/redirect-chain-end"


def test_huge_binary_and_pdf(served, client):
    with client.stream("GET", served.url("/bad/huge")) as r:
        assert int(r.headers["content-length"]) == HUGE_BYTES
        first = next(r.iter_bytes())
        assert first.startswith(b"<!doctype html>")
    assert client.head(served.url("/bad/huge")).headers["content-length"] == str(HUGE_BYTES)
    png = client.get(served.url("/bad/binary"))
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    pypdf = pytest.importorskip("pypdf")
    pdf = client.get(served.url("/bad/pdf"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    for sentence in PDF_SENTENCES:
        assert sentence in text


def test_encoding_malformed_and_js_shell(served, client):
    r = client.get(served.url("/bad/latin1"))
    assert r.headers["content-type"] == "text/html; charset=iso-8859-1"
    assert "café déjà vu".encode("iso-8859-1") in r.content.lower() and "café déjà vu" in r.text.lower()
    bad = client.get(served.url("/bad/malformed"))
    assert bad.status_code == 200 and "text content survives" in bad.text and "</html>" not in bad.text
    js = client.get(served.url("/bad/js-shell"))
    assert len(js.content) >= 200_000 and '<div id="root"></div>' in js.text


def test_error_statuses_and_private(served, client):
    assert client.get(served.url("/bad/not-found")).status_code == 404
    assert client.get(served.url("/bad/gone")).status_code == 410
    assert client.get(served.url("/no/such/page")).status_code == 404
    assert client.get(served.url("/private/secret")).status_code == 200


def test_sitemap_bomb_is_small_but_huge_when_inflated(served, client):
    r = client.get(served.url("/bad/sitemap-bomb.xml.gz"))
    assert r.headers["content-type"] == "application/gzip"
    assert len(r.content) < 5_000_000
    (isize,) = struct.unpack("<I", r.content[-4:])
    assert isize >= 1_000_000_000
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    head = d.decompress(r.content[:200_000], 2_000_000)
    assert head.startswith(b"<?xml") and b"<urlset" in head and len(head) == 2_000_000


def test_bad_sitemaps_and_feeds(served, client):
    base = served.base_url
    rec = ET.fromstring(client.get(base + "/bad/sitemap-recursive.xml").content)
    locs = [e.text for e in rec.iter(f"{{{NS['sm']}}}loc")]
    assert base + "/bad/sitemap-recursive.xml" in locs and base + "/bad/sitemap-recursive-2.xml" in locs
    rec2 = client.get(base + "/bad/sitemap-recursive-2.xml").text
    assert base + "/bad/sitemap-recursive.xml" in rec2
    broken = client.get(base + "/bad/sitemap-malformed.xml").text
    with pytest.raises(ET.ParseError):
        ET.fromstring(broken)
    assert len(re.findall(r"<loc>([^<]+)</loc>", broken)) == 2
    lines = client.get(base + "/bad/sitemap.txt").text.split()
    assert len(lines) == len(served.site.sitemap_paths()) and all(u.startswith(base + "/") for u in lines)
    rss = ET.fromstring(client.get(base + "/bad/feed.rss").content)
    links = [e.text for e in rss.iter("link")][1:]
    atom = ET.fromstring(client.get(base + "/bad/feed.atom").content)
    atom_links = [e.get("href") for e in atom.iter("{http://www.w3.org/2005/Atom}link")][1:]
    assert links and links == atom_links
    for link in links[:3]:
        assert client.get(link).status_code == 200


def test_bad_routes_absent_without_misbehaving(tmp_path, client):
    (tmp_path / "a.md").write_text("# A\n")
    with serve(load_markdown_site(tmp_path)) as s:
        assert client.get(s.url("/bad/flaky")).status_code == 404
        assert client.get(s.url("/private/secret")).status_code == 404


# --------------------------------------------------------------------------- synthetic site and server


def test_synthetic_site(client):
    site = generate_synthetic_site(250, seed=1)
    with serve(site) as s:
        urls = sitemap_urls(client, s.base_url)
        assert len(urls) == len(set(urls)) == 250
        page = client.get(urls[57])
        html = page.text
        assert page.status_code == 200
        assert "<h2" in html and "<table>" in html and '<code class="language-' in html and "<li>" in html
        words = len(re.sub(r"<[^>]+>", " ", html.split("<article>")[1].split("</article>")[0]).split())
        assert 400 <= words <= 1600
        linked = re.findall(r'href="(/docs/[^"#]+)"', html.split("<article>")[1])
        assert linked and all(client.get(s.url(p)).status_code == 200 for p in linked[:3])
        assert re.search(r"PostgreSQL|Redis|Docker|Kubernetes|Node\.js|Python", html)
    same = generate_synthetic_site(250, seed=1)
    other = generate_synthetic_site(250, seed=2)
    path = site.page_paths()[42]
    assert same.page_paths() == site.page_paths() and other.page_paths() != site.page_paths()
    assert same.render(path, "http://x").body == site.render(path, "http://x").body
    assert generate_synthetic_site(30_000).page_paths()[-1].endswith("-29999")


def test_server_closes_socket(tmp_path, client):
    (tmp_path / "a.md").write_text("# A\n")
    s = serve(load_markdown_site(tmp_path))
    host, port = s.base_url.removeprefix("http://").split(":")
    assert client.get(s.url("/a")).status_code == 200
    s.close()
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=1).close()
