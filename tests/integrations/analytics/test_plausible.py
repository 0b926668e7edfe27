"""Plausible's Stats API v2, against a local server speaking it."""

from __future__ import annotations

import pytest

from kurt.errors import KurtError
from kurt.integrations.analytics.pages import merge
from kurt.integrations.analytics.plausible import Plausible, from_config
from kurt.integrations.http import ApiClient, ServiceError
from tests.integrations.analytics.data import HOST, PERIOD, tied_traffic, traffic
from tests.integrations.servers import PlausibleServer

KEY = "plausible-key-123"


@pytest.fixture
def server():
    with PlausibleServer(traffic(), site_id=HOST, key=KEY) as api:
        yield api


def provider(server, key=KEY, site=HOST, waits=None, page_size=10_000, **kw):
    client = ApiClient("Plausible", server.base_url, "[analytics.plausible] base_url",
                       key_hint="PLAUSIBLE_API_KEY", headers={"Authorization": f"Bearer {key}"},
                       secrets=(key,), sleep=(waits.append if waits is not None else lambda s: None), **kw)
    return Plausible(client, site, page_size=page_size)


def test_page_views_entrances_and_bounce_per_page(server):
    pages = merge(provider(server).page_traffic(PERIOD))
    setup = pages[f"{HOST}/guides/setup"]
    assert (setup.pageviews, setup.visitors, setup.entrances) == (150, 75, 37)
    assert setup.bounce_rate == pytest.approx(0.5)
    assert f"{HOST}/gone-this-month" not in pages
    assert merge(provider(server).page_traffic(PERIOD.previous))[f"{HOST}/gone-this-month"].pageviews == 30


def test_the_queries_are_stats_api_v2(server):
    provider(server).page_traffic(PERIOD)
    first, second = (r["json"] for r in server.requests[:2])
    assert server.requests[0]["path"] == "/api/v2/query"
    assert first["site_id"] == HOST and first["date_range"] == ["2025-06-01", "2025-06-30"]
    assert first["dimensions"] == ["event:page"] and first["metrics"] == ["pageviews", "visitors"]
    assert second["dimensions"] == ["visit:entry_page"]
    assert second["metrics"] == ["visits", "bounce_rate", "visit_duration"]


def test_pages_are_read_page_by_page_until_total_rows(server):
    pages = merge(provider(server, page_size=2).page_traffic(PERIOD))
    assert len(pages) == 5
    offsets = [r["json"]["pagination"]["offset"] for r in server.requests
               if r["json"]["dimensions"] == ["event:page"]]
    assert offsets == [0, 2, 4]


def test_a_wrong_key_names_the_variable_and_the_site(server):
    with pytest.raises(ServiceError) as caught:
        provider(server, key="nope").page_traffic(PERIOD)
    message = str(caught.value)
    assert message.startswith("Plausible refused the request (HTTP 401: Invalid API key or site ID.")
    assert "check PLAUSIBLE_API_KEY" in message and "[analytics.plausible] site_id" in message
    assert "nope" not in message


def test_a_validation_error_gives_plausible_s_reason(server):
    server.script = [(400, {}, {"error": "#/metrics/0: Invalid metric \"views\""})]
    with pytest.raises(ServiceError, match='rejected the request \\(HTTP 400: #/metrics/0: Invalid metric "views"\\)'):
        provider(server).page_traffic(PERIOD)


def test_the_hourly_limit_is_waited_out_with_retry_after(server):
    waits = []
    server.script = [(429, {"Retry-After": "3"}, {"error": "Too many API requests."})]
    assert provider(server, waits=waits).page_traffic(PERIOD)
    assert waits == [3.0]


def test_a_limit_resetting_later_than_the_cap_is_one_line_to_try_later(server):
    server.script = [(429, {"Retry-After": "3600"}, {"error": "Too many API requests."})]
    with pytest.raises(ServiceError, match="asks to wait 3600 s, more than max_retry_after \\(5 s\\)"):
        provider(server, max_retry_after=5).page_traffic(PERIOD)


def test_5xx_is_retried_then_reported(server):
    server.script = [(500, {}, {"error": "Internal server error"})] * 3
    with pytest.raises(ServiceError, match="Plausible failed after 2 retries \\(HTTP 500"):
        provider(server, retries=2).page_traffic(PERIOD)


def test_missing_key_or_site_says_what_to_set(workspace, monkeypatch):
    monkeypatch.delenv("PLAUSIBLE_API_KEY", raising=False)
    with pytest.raises(KurtError, match="set \\[analytics.plausible\\] site_id"):
        from_config(workspace)
    workspace.config.analytics.plausible.site_id = HOST
    with pytest.raises(KurtError, match="No API key for Plausible: set PLAUSIBLE_API_KEY"):
        from_config(workspace)


def test_pages_with_as_many_views_are_each_read_once_across_pages():
    with PlausibleServer(tied_traffic(), site_id=HOST, key=KEY) as tied:
        pages = merge(provider(tied, page_size=2).page_traffic(PERIOD))
        assert sorted(pages) == [f"{HOST}/tied/{n}" for n in range(9)]
        assert {p.pageviews for p in pages.values()} == {120}
        assert tied.requests[0]["json"]["order_by"] == [["pageviews", "desc"], ["event:page", "asc"]]
