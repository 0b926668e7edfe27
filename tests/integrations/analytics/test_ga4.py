"""Google Analytics 4: the service-account token exchange and runReport, against a local server
that checks the JWT's RS256 signature with the throwaway key's public half."""

from __future__ import annotations

import json

import pytest

from kurt.errors import KurtError
from kurt.integrations.analytics.ga4 import GA4, from_config, load_credentials
from kurt.integrations.analytics.pages import merge
from kurt.integrations.http import ApiClient, ServiceError
from tests.integrations.analytics.data import HOST, PERIOD, tied_traffic, traffic
from tests.integrations.servers import GA4Server, service_account

EMAIL = "kurt@proj.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def keys():
    info, public = service_account("placeholder", EMAIL)
    return info, public


@pytest.fixture
def server(keys):
    with GA4Server(traffic(), property_id="123456", public_key=keys[1], email=EMAIL) as api:
        yield api


def provider(server, keys, *, property_id="123456", info=None, waits=None, page_size=10_000, **kw):
    info = dict(info or keys[0], token_uri=server.token_uri)
    account = load_credentials(json.dumps(info), "GOOGLE_APPLICATION_CREDENTIALS")
    common = dict(key_hint="GOOGLE_APPLICATION_CREDENTIALS",
                  sleep=(waits.append if waits is not None else lambda s: None), **kw)
    client = ApiClient("Google Analytics Data API", server.base_url, "[analytics.ga4] base_url", **common)
    tokens = ApiClient("Google's token endpoint", server.token_uri, "token_uri", **common)
    return GA4(client, tokens, account, property_id, page_size=page_size)


def test_page_views_landing_sessions_bounce_and_engagement(server, keys):
    pages = merge(provider(server, keys).page_traffic(PERIOD))
    setup = pages[f"{HOST}/guides/setup"]
    assert (setup.pageviews, setup.visitors, setup.entrances) == (150, 75, 37)
    assert setup.bounce_rate == pytest.approx(0.5) and setup.engagement_rate == pytest.approx(0.5)


def test_one_signed_token_serves_every_report(server, keys):
    ga4 = provider(server, keys)
    ga4.page_traffic(PERIOD)
    ga4.page_traffic(PERIOD.previous)
    token_requests = [r for r in server.requests if r["path"] == "/token"]
    assert len(token_requests) == 1
    assert token_requests[0]["form"]["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    report = [r for r in server.requests if r["path"] != "/token"][0]
    assert report["path"] == "/v1beta/properties/123456:runReport"
    assert report["headers"]["authorization"] == "Bearer ya29.token-1"
    body = report["json"]
    assert body["dateRanges"] == [{"startDate": "2025-06-01", "endDate": "2025-06-30"}]
    assert [d["name"] for d in body["dimensions"]] == ["hostName", "pagePath"]
    assert [m["name"] for m in body["metrics"]] == ["screenPageViews", "activeUsers"]


def test_reports_are_paged_with_limit_and_offset_until_row_count(server, keys):
    assert len(merge(provider(server, keys, page_size=2).page_traffic(PERIOD))) == 5
    offsets = [r["json"]["offset"] for r in server.requests
               if r["path"] != "/token" and r["json"]["dimensions"][1]["name"] == "pagePath"]
    assert offsets == ["0", "2", "4"]


def test_a_key_google_does_not_know_is_refused_at_the_token_endpoint(server, keys):
    other, _ = service_account("x", EMAIL)  # same account name, another private key
    with pytest.raises(ServiceError) as caught:
        provider(server, keys, info=other).page_traffic(PERIOD)
    message = str(caught.value)
    assert message.startswith(f"Google refused the service account {EMAIL} (HTTP 400: "
                              "invalid_grant: Invalid JWT Signature.)")
    assert "GOOGLE_APPLICATION_CREDENTIALS" in message and "BEGIN PRIVATE KEY" not in message


def test_a_property_the_account_cannot_read_says_whom_to_add(server, keys):
    with pytest.raises(ServiceError) as caught:
        provider(server, keys, property_id="999").page_traffic(PERIOD)
    message = str(caught.value)
    assert "HTTP 403: PERMISSION_DENIED: User does not have sufficient permissions" in message
    assert f"add the service account {EMAIL} to the GA4 property 999 as a Viewer" in message


def test_quota_exhaustion_is_retried_after_retry_after(server, keys):
    waits = []
    ga4 = provider(server, keys, waits=waits)
    ga4.token()
    server.script = [(429, {"Retry-After": "4"}, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                                                            "message": "Exhausted property tokens"}})]
    assert ga4.page_traffic(PERIOD)
    assert waits == [4.0]


def test_an_invalid_argument_gives_google_s_message(server, keys):
    ga4 = provider(server, keys)
    ga4.token()
    server.script = [(400, {}, {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                                          "message": "Field pagePathX is not a valid dimension."}})]
    with pytest.raises(ServiceError, match="HTTP 400: INVALID_ARGUMENT: Field pagePathX is not a valid dimension."):
        ga4.page_traffic(PERIOD)


def test_the_token_never_appears_in_messages(server, keys):
    ga4 = provider(server, keys)
    token = ga4.token()
    server.script = [(400, {}, {"error": {"code": 400, "message": f"bad token {token}"}})]
    with pytest.raises(ServiceError) as caught:
        ga4.page_traffic(PERIOD)
    assert token not in str(caught.value)


def test_credentials_from_a_file_path_or_inline_json(tmp_path, keys):
    path = tmp_path / "sa.json"
    path.write_text(json.dumps(keys[0]))
    assert load_credentials(str(path), "V").email == EMAIL
    assert load_credentials(json.dumps(keys[0]), "V").email == EMAIL
    assert "PRIVATE" not in repr(load_credentials(str(path), "V"))


@pytest.mark.parametrize("content, message", [
    (None, "names .*missing.json, which does not exist"),
    ("not json", "is not JSON"),
    (json.dumps({"type": "authorized_user"}), "is not a service account key \\(type: authorized_user\\)"),
    (json.dumps({"type": "service_account", "client_email": "a@b"}), "lacks private_key"),
])
def test_bad_credentials_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "missing.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(KurtError, match=message):
        load_credentials(str(path), "GOOGLE_APPLICATION_CREDENTIALS")


def test_a_private_key_that_cannot_sign_is_one_line(keys):
    broken = load_credentials(json.dumps({**keys[0], "private_key": "-----BEGIN PRIVATE KEY-----\nxx\n"}), "V")
    with pytest.raises(KurtError, match=f"The private_key of the service account {EMAIL} cannot be used"):
        broken.assertion(0)


def test_missing_property_or_credentials_say_what_to_set(workspace, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    with pytest.raises(KurtError, match="set \\[analytics.ga4\\] property_id"):
        from_config(workspace)
    workspace.config.analytics.ga4.property_id = "123456"
    with pytest.raises(KurtError, match="No credentials for Google Analytics 4: set GOOGLE_APPLICATION_CREDENTIALS"):
        from_config(workspace)


def test_pages_with_as_many_views_are_each_read_once_across_pages(keys):
    with GA4Server(tied_traffic(), property_id="123456", public_key=keys[1], email=EMAIL) as tied:
        pages = merge(provider(tied, keys, page_size=2).page_traffic(PERIOD))
        assert sorted(pages) == [f"{HOST}/tied/{n}" for n in range(9)]
        assert {p.pageviews for p in pages.values()} == {120}
