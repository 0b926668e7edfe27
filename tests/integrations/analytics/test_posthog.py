"""PostHog's HogQL query API, against a local server speaking it."""

from __future__ import annotations

import pytest

from kurt.integrations.analytics.pages import merge
from kurt.integrations.analytics.posthog import PostHog
from kurt.integrations.http import ApiClient, ServiceError
from tests.integrations.analytics.data import HOST, PERIOD, tied_traffic, traffic
from tests.integrations.servers import PostHogServer

KEY = "phx_test_123"


@pytest.fixture
def server():
    with PostHogServer(traffic(), project_id="4242", key=KEY) as api:
        yield api


def provider(server, key=KEY, project="4242", waits=None, page_size=10_000, **kw):
    client = ApiClient("PostHog", server.base_url, "[analytics.posthog] host",
                       key_hint="POSTHOG_API_KEY", headers={"Authorization": f"Bearer {key}"},
                       secrets=(key,), sleep=(waits.append if waits is not None else lambda s: None), **kw)
    return PostHog(client, project, page_size=page_size)


def test_page_views_and_session_entrances_per_page(server):
    pages = merge(provider(server).page_traffic(PERIOD))
    deploy = pages[f"{HOST}/guides/deploy"]
    assert (deploy.pageviews, deploy.visitors, deploy.entrances) == (300, 150, 75)
    assert deploy.bounce_rate == pytest.approx(0.5)


def test_the_queries_are_hogql_over_the_period(server):
    provider(server).page_traffic(PERIOD)
    request = server.requests[0]
    assert request["path"] == "/api/projects/4242/query/"
    query = request["json"]["query"]
    assert query["kind"] == "HogQLQuery"
    assert "event = '$pageview'" in query["query"]
    assert "toDateTime('2025-06-01 00:00:00')" in query["query"]
    assert "toDateTime('2025-07-01 00:00:00')" in query["query"]  # the end day included
    assert "FROM sessions" in server.requests[1]["json"]["query"]["query"]


def test_results_are_paged_with_limit_and_offset_until_a_short_page(server):
    assert len(merge(provider(server, page_size=2).page_traffic(PERIOD))) == 5
    pages_sql = [r["json"]["query"]["query"] for r in server.requests
                 if "FROM events" in r["json"]["query"]["query"]]
    assert [q.split("OFFSET ")[1] for q in pages_sql] == ["0", "2", "4"]


def test_an_instance_without_sessions_still_gives_page_views(server):
    server.sessions = False
    posthog = provider(server)
    pages = merge(posthog.page_traffic(PERIOD))
    assert pages[f"{HOST}/guides/deploy"].pageviews == 300
    assert pages[f"{HOST}/guides/deploy"].entrances is None
    assert "Unknown table `sessions`" in posthog.notes[0]


def test_a_project_key_instead_of_a_personal_one_is_explained(server):
    with pytest.raises(ServiceError) as caught:
        provider(server, key="phc_project_key").page_traffic(PERIOD)
    message = str(caught.value)
    assert "HTTP 401: authentication_failed: Personal API key found in request" in message
    assert "check POSTHOG_API_KEY; it must be a personal API key" in message


def test_a_key_without_the_project_says_which_scope_and_project(server):
    with pytest.raises(ServiceError, match="query:read scope and access to project 99"):
        provider(server, project="99").page_traffic(PERIOD)


def test_throttling_is_retried_after_retry_after(server):
    waits = []
    server.script = [(429, {"Retry-After": "2"}, {"type": "throttled_error", "code": "throttled",
                                                  "detail": "Request was throttled.", "attr": None})]
    assert provider(server, waits=waits).page_traffic(PERIOD)
    assert waits == [2.0]


def test_a_server_error_is_retried_then_reported(server):
    server.script = [(502, {}, "<html>Bad gateway</html>")] * 2
    with pytest.raises(ServiceError, match="PostHog failed after 1 retry \\(HTTP 502: Bad Gateway\\)"):
        provider(server, retries=1).page_traffic(PERIOD)


def test_pages_are_read_while_full_as_posthog_gives_no_has_more_for_a_query_with_a_limit():
    with PostHogServer(tied_traffic(), project_id="4242", key=KEY) as tied:
        pages = merge(provider(tied, page_size=2).page_traffic(PERIOD))
        assert sorted(pages) == [f"{HOST}/tied/{n}" for n in range(9)]
        assert {p.pageviews for p in pages.values()} == {120}
