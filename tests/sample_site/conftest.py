"""Shared fixtures for the kurt.sample_site tests: one served sample site, one client."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kurt.sample_site import load_markdown_site, serve

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "kurt" / "resources" / "sample-docs"
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


def _sitemap_urls(client: httpx.Client, base_url: str) -> list[str]:
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


@pytest.fixture
def sitemap_urls() -> Callable[[httpx.Client, str], list[str]]:
    """``sitemap_urls(client, base_url)``: every page URL the sitemap index leads to."""
    return _sitemap_urls
