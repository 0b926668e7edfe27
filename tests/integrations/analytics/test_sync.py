"""kurt analytics sync: two periods from a provider, matched to documents, trended, stored."""

from __future__ import annotations

import pytest

from kurt.errors import ConfigError
from kurt.integrations.analytics.sync import sync_analytics
from kurt.store.documents import Discovered, add_discovered, document_id, update_document
from kurt.store.filters import DocumentFilter, select_documents
from kurt.store.traffic import best_traffic, last_syncs
from tests.integrations.analytics.data import HOST, UNTIL, traffic
from tests.integrations.servers import PlausibleServer

KEY = "plausible-key"
URLS = {
    "setup": f"https://{HOST}/guides/setup",
    "deploy": f"https://{HOST}/guides/deploy/",  # trailing slash: same page
    "api": f"https://www.{HOST}/reference/api",  # www.: same site
    "home": f"https://{HOST}/",
    "gone": f"https://{HOST}/gone-this-month",
    "quiet": f"https://{HOST}/never-visited",
}


@pytest.fixture
def server():
    with PlausibleServer(traffic(), site_id=HOST, key=KEY) as api:
        yield api


@pytest.fixture
def ws(workspace, store, server, monkeypatch):
    add_discovered(store, [Discovered(url=u, domain=HOST) for u in URLS.values()])
    for url in URLS.values():
        update_document(store, document_id(url), status="FETCHED", title=url.rsplit("/", 2)[-2])
    settings = workspace.config.analytics
    settings.plausible.site_id = HOST
    settings.plausible.base_url = server.base_url
    settings.retries = 1
    monkeypatch.setenv("PLAUSIBLE_API_KEY", KEY)
    return workspace


def ids(*names):
    return [document_id(URLS[n]) for n in names]


def test_sync_matches_pages_to_documents_and_trends_them(ws, store):
    report = sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    (item,) = report.providers
    assert item.error is None and item.provider == "plausible"
    assert (item.period_start, item.period_end) == ("2025-06-01", "2025-06-30")
    assert (item.previous_start, item.previous_end) == ("2025-05-02", "2025-05-31")
    assert (item.pages, item.matched_pages, item.documents) == (5, 4, 5)
    assert item.pageviews == 150 + 300 + 90 + 60 + 600
    assert item.trends == {"rising": 1, "stable": 2, "declining": 2}
    assert item.unmatched == [{"page": f"{HOST}/blog/not-ingested", "pageviews": 60}]
    assert item.unmatched_pages == 1
    traffic = best_traffic(store)
    setup = traffic[ids("setup")[0]]
    assert (setup.pageviews, setup.previous_pageviews, setup.trend) == (150, 300, "declining")
    assert setup.change == -0.5 and setup.entrances == 37 and setup.bounce_rate == 0.5
    assert traffic[ids("deploy")[0]].trend == "rising"
    assert traffic[ids("api")[0]].trend == "stable"
    gone = traffic[ids("gone")[0]]
    assert (gone.pageviews, gone.previous_pageviews, gone.trend) == (0, 30, "declining")
    assert ids("quiet")[0] not in traffic


def test_page_traffic_is_kept_per_page_and_period(ws, store):
    sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    rows = store.query("SELECT page_key, period_start, pageviews, document_id FROM page_traffic"
                       " WHERE page_key = ? ORDER BY period_start", (f"{HOST}/guides/setup",))
    assert [tuple(r) for r in rows] == [(f"{HOST}/guides/setup", "2025-05-02", 300, ids("setup")[0]),
                                        (f"{HOST}/guides/setup", "2025-06-01", 150, ids("setup")[0])]


def test_a_second_sync_replaces_the_first(ws, store):
    sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    assert store.query_one("SELECT COUNT(*) FROM page_traffic")[0] == 11  # 5 pages + 6 before
    assert store.query_one("SELECT COUNT(*) FROM document_traffic")[0] == 5
    assert store.query_one("SELECT COUNT(*) FROM analytics_syncs")[0] == 2
    assert [s.provider for s in last_syncs(store)] == ["plausible"]


def test_documents_sort_by_pageviews_and_filter_by_trend(ws, store):
    sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    ordered = select_documents(store, DocumentFilter(), sort="-pageviews")
    assert [d.id for d in ordered] == ids("home", "deploy", "setup", "api", "gone", "quiet")
    declining = select_documents(store, DocumentFilter(traffic_trends=["declining"]), sort="-pageviews")
    assert [d.id for d in declining] == ids("setup", "gone")


def test_a_refused_provider_changes_nothing_and_reports_why(ws, store, server):
    sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    before = store.query("SELECT * FROM document_traffic ORDER BY document_id")
    server.script = [(401, {}, {"error": "Invalid API key or site ID."})]
    report = sync_analytics(ws, store, until=UNTIL.replace(day=29), sleep=lambda s: None)
    assert "refused the request (HTTP 401" in report.failed[0].error
    assert [tuple(r) for r in store.query("SELECT * FROM document_traffic ORDER BY document_id")] == \
        [tuple(r) for r in before]


def test_a_provider_failing_on_the_second_period_writes_nothing(ws, store, server):
    server.script = [(200, {}, {"results": [{"dimensions": ["/guides/setup"], "metrics": [1, 1]}],
                                "meta": {"total_rows": 1}}),
                     (200, {}, {"results": [], "meta": {"total_rows": 0}})] + \
                    [(503, {}, {"error": "down"})] * 2
    report = sync_analytics(ws, store, until=UNTIL, sleep=lambda s: None)
    assert "failed after 1 retry (HTTP 503: down)" in report.failed[0].error
    assert store.query_one("SELECT COUNT(*) FROM page_traffic")[0] == 0


def test_a_missing_key_is_this_provider_s_error(ws, store, monkeypatch):
    monkeypatch.delenv("PLAUSIBLE_API_KEY")
    report = sync_analytics(ws, store, until=UNTIL)
    assert report.failed[0].error.startswith("No API key for Plausible: set PLAUSIBLE_API_KEY")


def test_no_configured_provider_says_how_to_configure_one(workspace, store):
    with pytest.raises(ConfigError, match="No analytics provider is configured: in kurt.toml set"):
        sync_analytics(workspace, store)
