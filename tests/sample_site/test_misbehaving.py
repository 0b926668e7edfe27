"""kurt.sample_site.misbehaving: the /bad/ routes over a real HTTP server."""

from __future__ import annotations

import io
import re
import struct
import time
import xml.etree.ElementTree as ET
import zlib

import httpx
import pytest

from kurt.sample_site import HUGE_BYTES, PDF_SENTENCES, load_markdown_site, serve

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


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
