"""kurt research hackernews against a local server speaking the HN Algolia search API."""

from __future__ import annotations

from datetime import date

import pytest

from kurt.errors import UsageError
from kurt.integrations.http import ApiClient, ServiceError
from kurt.integrations.research import hackernews
from tests.integrations.servers import HackerNewsServer, hn_comment, hn_story

HITS = [
    hn_story(1, "Postgres pooling with PgBouncer", "https://blog.example.org/pgbouncer", 250, "2025-03-01", 40),
    hn_story(2, "Ask HN: Postgres pooling in 2025?", None, 12, "2025-05-01"),
    hn_story(3, "Old postgres pooling post", "https://old.example.com/pool", 90, "2019-01-01"),
    hn_comment(4, 1, "Postgres pooling with PgBouncer", "We use <i>transaction</i> mode &amp; it works", "2025-03-02"),
] + [hn_story(10 + i, f"Postgres pooling part {i}", f"https://series.example.com/{i}", 5, "2024-06-01")
     for i in range(7)]


@pytest.fixture
def server():
    with HackerNewsServer(HITS) as api:
        yield api


def client(server, waits=None, **kw):
    return ApiClient("Hacker News search (Algolia)", server.api_url, "[research] hackernews_url",
                     sleep=(waits.append if waits is not None else lambda s: None), **kw)


def test_stories_come_with_points_comments_dates_and_the_discussion(server):
    result = hackernews.search(client(server), "postgres pooling", min_points=50)
    assert [r.title for r in result.references] == ["Postgres pooling with PgBouncer",
                                                    "Old postgres pooling post"]
    first = result.references[0]
    assert first.url == "https://blog.example.org/pgbouncer"
    assert (first.points, first.comments, first.author) == (250, 40, "pg")
    assert first.date == "2025-03-01T12:00:00Z" and first.site == "blog.example.org"
    assert first.discussion_url == "https://news.ycombinator.com/item?id=1"
    assert not first.is_discussion
    query = server.requests[0]["query"]
    assert query["tags"] == "story" and query["numericFilters"] == "points>=50"


def test_an_ask_hn_story_links_to_its_discussion(server):
    result = hackernews.search(client(server), "ask hn")
    ask = result.references[0]
    assert ask.url == "https://news.ycombinator.com/item?id=2" and ask.is_discussion
    assert ask.excerpt == "Ask & tell"


def test_comments_are_plain_text_and_point_at_their_story(server):
    result = hackernews.search(client(server), "transaction", kind="comment")
    comment = result.references[0]
    assert comment.title == "Comment on: Postgres pooling with PgBouncer"
    assert comment.excerpt == "We use transaction mode & it works"
    assert comment.discussion_url == "https://news.ycombinator.com/item?id=1"


def test_since_becomes_a_created_at_filter(server):
    result = hackernews.search(client(server), "pooling", since="1y", today=date(2025, 6, 1))
    assert "Old postgres pooling post" not in [r.title for r in result.references]
    assert server.requests[0]["query"]["numericFilters"].startswith("created_at_i>=")
    assert result.options["since"] == "2024-06-01"


def test_pages_are_read_until_the_limit(server):
    result = hackernews.search(client(server), "part", limit=5)
    assert len(result.references) == 5
    assert [r["query"]["page"] for r in server.requests] == ["0"]
    result = hackernews.search(client(server), "postgres", limit=500)
    assert len(result.references) == 10  # every story, over one page of 50


def test_paging_stops_at_the_last_page(server):
    hackernews.PAGE_SIZE, saved = 3, hackernews.PAGE_SIZE
    try:
        result = hackernews.search(client(server), "part", limit=100)
    finally:
        hackernews.PAGE_SIZE = saved
    assert len(result.references) == 7
    assert [r["query"]["page"] for r in server.requests] == ["0", "1", "2"]


def test_by_date_uses_the_search_by_date_endpoint(server):
    result = hackernews.search(client(server), "postgres", sort="date", limit=2)
    assert server.requests[0]["path"] == "/api/v1/search_by_date"
    assert result.references[0].title.startswith("Ask HN")


def test_rate_limiting_is_retried_after_retry_after(server):
    waits = []
    server.script = [(429, {"Retry-After": "2"}, {"message": "Too many requests", "status": 429})]
    result = hackernews.search(client(server, waits=waits), "postgres", limit=1)
    assert len(result.references) == 1 and waits == [2.0]


def test_a_bad_request_gives_algolia_s_message(server):
    server.script = [(400, {}, {"message": "Invalid value for \"numericFilters\"", "status": 400})]
    with pytest.raises(ServiceError, match='rejected the request \\(HTTP 400: Invalid value for "numericFilters"\\): check the query'):
        hackernews.search(client(server), "postgres")


def test_a_server_error_is_retried_then_reported(server):
    server.script = [(503, {}, {"message": "Service Unavailable", "status": 503})] * 3
    with pytest.raises(ServiceError, match="failed after 2 retries \\(HTTP 503"):
        hackernews.search(client(server, retries=2), "postgres")


@pytest.mark.parametrize("since", ["yesterday", "3q", "2025-13-01"])
def test_a_bad_since_says_what_to_write(since):
    with pytest.raises(UsageError, match="use a date \\(YYYY-MM-DD\\) or an age like 30d"):
        hackernews.since_date(since)


@pytest.mark.parametrize("value, expected", [
    ("30d", date(2025, 5, 2)), ("2w", date(2025, 5, 18)), ("1y", date(2024, 6, 1)),
    ("2025-01-31", date(2025, 1, 31)),
])
def test_since_accepts_ages_and_dates(value, expected):
    assert hackernews.since_date(value, date(2025, 6, 1)) == expected
