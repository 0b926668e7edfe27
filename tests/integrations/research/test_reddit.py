"""kurt research reddit against a local server speaking Reddit's public JSON listings."""

from __future__ import annotations

import pytest

from kurt.errors import NotFound, UsageError
from kurt.integrations.http import ApiClient, ServiceError
from kurt.integrations.research import reddit
from tests.integrations.servers import RedditServer, reddit_post

UA = "python:kurt-research:0.1.0 (by /u/kurt-tests)"
POSTS = [
    reddit_post("a1", "dbt vs sqlmesh in production", "dataengineering", score=120,
                selftext="We moved from dbt to sqlmesh last year."),
    reddit_post("a2", "sqlmesh virtual environments explained", "dataengineering",
                url="https://blog.example.com/sqlmesh-envs", score=45),
    reddit_post("a3", "dbt vs sqlmesh?", "analytics", score=3),
] + [reddit_post(f"b{i}", f"sqlmesh question {i}", "dataengineering", score=1) for i in range(5)]


@pytest.fixture
def server():
    with RedditServer(POSTS, private={"secretclub"}) as api:
        yield api


def client(server, agent=UA, waits=None, **kw):
    return ApiClient("Reddit", server.base_url, "[research] reddit_url",
                     headers={"User-Agent": agent}, sleep=(waits.append if waits is not None else lambda s: None), **kw)


def test_posts_come_with_score_comments_subreddit_and_thread(server):
    result = reddit.search(client(server), "dbt sqlmesh")
    assert [r.title for r in result.references] == ["dbt vs sqlmesh in production", "dbt vs sqlmesh?"]
    post = result.references[0]
    assert post.url == post.discussion_url == server.base_url + "/r/dataengineering/comments/a1/dbt_vs_sqlmesh_in_pr/"
    assert post.is_discussion and (post.points, post.comments) == (120, 4)
    assert post.site == "r/dataengineering" and post.date == "2025-01-10T12:00:00Z"
    assert post.excerpt == "We moved from dbt to sqlmesh last year."
    sent = server.requests[0]
    assert sent["path"] == "/search.json" and sent["headers"]["user-agent"] == UA
    assert sent["query"]["sort"] == "relevance" and sent["query"]["t"] == "all"


def test_a_link_post_points_at_the_linked_page(server):
    result = reddit.search(client(server), "virtual environments")
    link = result.references[0]
    assert link.url == "https://blog.example.com/sqlmesh-envs" and not link.is_discussion


def test_a_subreddit_search_is_restricted_to_it(server):
    result = reddit.search(client(server), "dbt sqlmesh", subreddit="r/analytics")
    assert [r.site for r in result.references] == ["r/analytics"]
    sent = server.requests[0]
    assert sent["path"] == "/r/analytics/search.json" and sent["query"]["restrict_sr"] == "1"


def test_pages_follow_the_after_cursor(server):
    reddit.PAGE_SIZE, saved = 3, reddit.PAGE_SIZE
    try:
        result = reddit.search(client(server), "sqlmesh", limit=7)
    finally:
        reddit.PAGE_SIZE = saved
    assert len(result.references) == 7
    afters = [r["query"].get("after") for r in server.requests]
    assert afters[0] is None and all(a.startswith("t3_") for a in afters[1:]) and len(afters) == 3


def test_a_used_up_rate_limit_window_is_waited_for_before_the_next_page(server):
    server.remaining, server.reset = 0.0, 4
    reddit.PAGE_SIZE, saved = 3, reddit.PAGE_SIZE
    waits = []
    try:
        reddit.search(client(server, waits=waits), "sqlmesh", limit=6)
    finally:
        reddit.PAGE_SIZE = saved
    assert waits == [4.0]


def test_a_window_resetting_later_than_the_cap_stops_with_a_note(server):
    server.remaining, server.reset = 0.0, 500
    reddit.PAGE_SIZE, saved = 3, reddit.PAGE_SIZE
    try:
        result = reddit.search(client(server, max_retry_after=10), "sqlmesh", limit=6)
    finally:
        reddit.PAGE_SIZE = saved
    assert len(result.references) == 3
    assert "rate limit resets in 500 s" in result.notes[0]


def test_429_with_retry_after_is_retried(server):
    waits = []
    server.script = [(429, {"Retry-After": "2", "x-ratelimit-remaining": "0"},
                      {"message": "Too Many Requests", "error": 429})]
    assert reddit.search(client(server, waits=waits), "sqlmesh", limit=1).references
    assert waits == [2.0]


def test_a_generic_user_agent_is_refused_like_reddit_does(server):
    with pytest.raises(ServiceError, match="kept rate-limiting after 1 retry") as caught:
        reddit.search(client(server, agent="python-httpx/0.28", retries=1), "sqlmesh")
    assert "set [research] reddit_user_agent in kurt.toml to a descriptive" in str(caught.value)


def test_a_private_subreddit_says_so(server):
    with pytest.raises(ServiceError) as caught:
        reddit.search(client(server), "x", subreddit="secretclub")
    assert "HTTP 403: Forbidden (private)" in str(caught.value)
    assert "r/secretclub is private" in str(caught.value)


def test_an_unknown_subreddit_is_not_found(server):
    with pytest.raises(NotFound, match="Reddit has no subreddit r/nosuchplace"):
        reddit.search(client(server), "x", subreddit="nosuchplace")


@pytest.mark.parametrize("name", ["../etc", "a b", "r/"])
def test_a_bad_subreddit_name_is_refused_before_any_request(server, name):
    with pytest.raises(UsageError, match="is not a subreddit name"):
        reddit.search(client(server), "x", subreddit=name)
    assert server.requests == []


def test_without_a_query_a_subreddit_s_listing_is_read(server):
    result = reddit.search(client(server), "", subreddit="dataengineering", sort="top", limit=2)
    assert [r.title for r in result.references] == ["dbt vs sqlmesh in production",
                                                    "sqlmesh virtual environments explained"]
    assert result.query == "r/dataengineering (top)"
    sent = server.requests[0]
    assert sent["path"] == "/r/dataengineering/top.json" and "q" not in sent["query"]


def test_a_listing_sort_that_is_not_one_falls_back_to_hot(server):
    result = reddit.search(client(server), "", subreddit="analytics")
    assert server.requests[0]["path"] == "/r/analytics/hot.json" and result.options["sort"] == "hot"


def test_no_query_and_no_subreddit_says_what_to_give(server):
    with pytest.raises(UsageError, match="Give a query .* or --subreddit NAME alone"):
        reddit.search(client(server), "  ")
