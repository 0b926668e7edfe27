"""kurt research feeds: RSS, Atom and JSON Feed read from a local site with ingestion's parser."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kurt.config import IngestConfig
from kurt.errors import KurtError
from kurt.integrations.research.feeds import feed_date, read_feeds
from tests.integrations.servers import JsonApiServer

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Blog</title>
<item><title>Pricing update for teams</title><link>https://blog.example.com/pricing</link>
<pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate></item>
<item><title>Launch week recap</title><link>/launch-week</link>
<pubDate>Mon, 10 Mar 2025 09:00:00 +0100</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Changelog</title>
<entry><title>v2.1: faster pricing page</title><link href="https://changelog.example.com/2-1"/>
<updated>2025-05-20T08:00:00Z</updated></entry>
<entry><title>v1.0</title><link rel="alternate" href="https://changelog.example.com/1-0"/>
<updated>2023-01-01T00:00:00Z</updated></entry></feed>"""
JSON_FEED = {"version": "https://jsonfeed.org/version/1.1", "title": "Notes", "items": [
    {"id": "1", "url": "https://notes.example.com/a", "title": "A note on pricing",
     "date_published": "2025-04-01T00:00:00Z"}]}


class FeedSite(JsonApiServer):
    def answer(self, request):
        pages = {"/rss.xml": ("application/rss+xml", RSS), "/atom.xml": ("application/atom+xml", ATOM),
                 "/feed.json": ("application/feed+json", json.dumps(JSON_FEED)),
                 "/page.html": ("text/html", "<html><body>hello</body></html>")}
        if request["path"] in pages:
            kind, body = pages[request["path"]]
            return 200, {"Content-Type": kind}, body
        return 404, {"Content-Type": "text/plain"}, "not found"


@pytest.fixture
def site():
    with FeedSite() as server:
        yield server


def config():
    return IngestConfig(retries=1, timeout=5)


def test_entries_of_every_kind_of_feed_come_newest_first(site):
    urls = [f"{site.base_url}/rss.xml", f"{site.base_url}/atom.xml", f"{site.base_url}/feed.json"]
    result = read_feeds(config(), urls)
    assert [r.title for r in result.references] == [
        "Pricing update for teams", "v2.1: faster pricing page", "A note on pricing",
        "Launch week recap", "v1.0"]
    rss = result.references[0]
    assert rss.date == "2025-06-03T10:00:00Z" and rss.site == "Example Blog"
    assert result.references[3].url == f"{site.base_url}/launch-week"  # relative link joined
    assert result.references[3].date == "2025-03-10T08:00:00Z"  # +0100 to UTC
    assert result.query.startswith("entries of 127.0.0.1")


def test_match_and_since_narrow_the_entries(site):
    urls = [f"{site.base_url}/rss.xml", f"{site.base_url}/atom.xml", f"{site.base_url}/feed.json"]
    result = read_feeds(config(), urls, match="pricing", since=date(2025, 5, 1))
    assert [r.title for r in result.references] == ["Pricing update for teams", "v2.1: faster pricing page"]
    assert result.query == "pricing" and result.options["since"] == "2025-05-01"


def test_a_feed_that_fails_is_a_note_when_another_is_read(site):
    result = read_feeds(config(), [f"{site.base_url}/rss.xml", f"{site.base_url}/missing.xml",
                                   f"{site.base_url}/page.html"])
    assert len(result.references) == 2
    assert any("missing.xml: HTTP 404" in note for note in result.notes)
    assert any("page.html: not an RSS, Atom or JSON feed" in note for note in result.notes)


def test_no_feed_read_at_all_is_an_error_with_the_reasons(site):
    with pytest.raises(KurtError, match="No feed could be read: .*missing.xml: HTTP 404"):
        read_feeds(config(), [f"{site.base_url}/missing.xml"])


def test_a_url_with_credentials_is_refused():
    with pytest.raises(KurtError, match="user name or password are refused"):
        read_feeds(config(), ["https://me:pw@example.com/feed.xml"])


@pytest.mark.parametrize("value, expected", [
    ("Tue, 03 Jun 2025 10:00:00 GMT", "2025-06-03 10:00:00+00:00"),
    ("2025-05-20T08:00:00Z", "2025-05-20 08:00:00+00:00"),
    ("2025-05-20", "2025-05-20 00:00:00+00:00"),
    ("not a date", None),
    (None, None),
])
def test_feed_dates(value, expected):
    found = feed_date(value)
    assert (str(found) if found else None) == expected


def test_a_feed_cut_short_keeps_its_entries_with_a_note(site):
    cut = RSS.split("<item><title>Launch week")[0]  # no closing tags: malformed after one item
    site.answer = lambda request: (200, {"Content-Type": "application/rss+xml"}, cut)
    result = read_feeds(config(), [f"{site.base_url}/cut.xml"])
    assert [r.title for r in result.references] == ["Pricing update for teams"]
    assert len(result.notes) == 1 and "malformed XML" in result.notes[0]
