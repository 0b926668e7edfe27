"""End to end: the installed ``kurt analytics`` against local PostHog, GA4 and Plausible servers,
with base URLs in kurt.toml and keys in the environment."""

from __future__ import annotations

import json

import pytest

from kurt.store.documents import document_id
from tests.integrations.analytics.data import PERIOD
from tests.integrations.servers import (
    GA4Server,
    PlausibleServer,
    PostHogServer,
    Traffic,
    service_account,
)

HOST = "docs.railway.com"
PAGES = {
    (HOST, "/docs/cli/deploy"): (20, 8),  # declining
    (HOST, "/docs/builds/dockerfiles"): (4, 12),  # rising
    (HOST, "/docs/access"): (6, 6),  # stable
    (HOST, "/pricing"): (30, 30),  # not a document
}
EMAIL = "kurt-e2e@proj.iam.gserviceaccount.com"


def url(path: str) -> str:
    return f"https://{HOST}{path}"


@pytest.fixture
def servers(tmp_path):
    data = Traffic(dict(PAGES), split=PERIOD.start)
    info, public = service_account("placeholder", EMAIL)
    with PlausibleServer(data, site_id=HOST, key="pl-key") as plausible, \
            PostHogServer(data, project_id="77", key="phx_key") as posthog, \
            GA4Server(data, property_id="555", public_key=public, email=EMAIL) as ga4:
        key_file = tmp_path / "service-account.json"
        key_file.write_text(json.dumps({**info, "token_uri": ga4.token_uri}))
        yield {"plausible": plausible, "posthog": posthog, "ga4": ga4, "key_file": key_file}


@pytest.fixture
def ws(railway_workspace, servers):
    config = railway_workspace.config_path
    config.write_text(config.read_text() + f"""
[analytics.plausible]
base_url = "{servers['plausible'].base_url}"
site_id = "{HOST}"

[analytics.posthog]
host = "{servers['posthog'].base_url}"
project_id = "77"

[analytics.ga4]
base_url = "{servers['ga4'].base_url}"
property_id = "555"
""")
    # retries in seconds, not minutes: the default [analytics] table gets two settings more
    config.write_text(config.read_text().replace(
        "[analytics]\n", "[analytics]\nretries = 2\nmax_retry_after = 3\n", 1))
    return railway_workspace


@pytest.fixture
def env(servers):
    return {"PLAUSIBLE_API_KEY": "pl-key", "POSTHOG_API_KEY": "phx_key",
            "GOOGLE_APPLICATION_CREDENTIALS": str(servers["key_file"])}


def sync(kurt, ws, env, *args):
    return kurt("analytics", "sync", "--until", "2025-06-30", *args, cwd=ws.root, env=env)


def test_sync_from_every_configured_provider(kurt, ws, env):
    result = sync(kurt, ws, env, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = {p["provider"]: p for p in result.json()["providers"]}
    assert set(report) == {"posthog", "ga4", "plausible"}
    for item in report.values():
        assert item["error"] is None
        assert (item["period_start"], item["period_end"]) == ("2025-06-01", "2025-06-30")
        assert (item["pages"], item["matched_pages"], item["documents"]) == (4, 3, 3)
        assert item["trends"] == {"rising": 1, "stable": 1, "declining": 1}
        assert item["unmatched"] == [{"page": f"{HOST}/pricing", "pageviews": 900}]
        assert item["unmatched_pages"] == 1


def test_content_list_sorts_by_pageviews_and_filters_declining(kurt, ws, env):
    assert sync(kurt, ws, env, "--provider", "plausible").exit_code == 0
    top = kurt("content", "list", "--sort=-pageviews", "--limit", "3", "--format", "json",
               cwd=ws.root).json()["documents"]
    assert [d["url"] for d in top] == [url("/docs/builds/dockerfiles"), url("/docs/cli/deploy"),
                                       url("/docs/access")]
    assert [d["pageviews"] for d in top] == [360, 240, 180]
    declining = kurt("content", "list", "--with-traffic-trend", "declining", "--format", "json", cwd=ws.root)
    assert [(d["url"], d["traffic_trend"]) for d in declining.json()["documents"]] == [(url("/docs/cli/deploy"), "declining")]
    table = kurt("content", "list", "--sort=-pageviews", "--limit", "2", cwd=ws.root)
    assert table.exit_code == 0 and "VIEWS" in table.stdout and "rising" in table.stdout


def test_the_text_report_and_the_pages_listing(kurt, ws, env):
    result = sync(kurt, ws, env, "--provider", "ga4", "--period", "30d")
    assert result.exit_code == 0, result.stderr
    assert "ga4: 2025-06-01..2025-06-30 (against 2025-05-02..2025-05-31)" in result.stdout
    assert "3 documents with traffic: 1 rising, 1 stable, 1 declining" in result.stdout
    assert f"most viewed pages without a document: {HOST}/pricing (900)" in result.stdout
    pages = kurt("analytics", "pages", "--trend", "declining", "--format", "json",
                 cwd=ws.root).json()["pages"]
    assert [(p["url"], p["pageviews"], p["previous_pageviews"]) for p in pages] == \
        [(url("/docs/cli/deploy"), 240, 600)]
    table = kurt("analytics", "pages", cwd=ws.root)
    assert "+200%" in table.stdout and "-60%" in table.stdout


def test_refresh_candidates_rank_and_say_why(kurt, ws, env):
    assert sync(kurt, ws, env, "--provider", "posthog").exit_code == 0
    found = kurt("analytics", "refresh-candidates", "--format", "json", cwd=ws.root).json()["candidates"]
    assert found[0]["document_id"] == document_id(url("/docs/cli/deploy"))
    assert found[0]["reasons"][0]["text"] == "declining: 600 -> 240 page views (-60%)"
    text = kurt("analytics", "refresh-candidates", cwd=ws.root)
    assert text.exit_code == 0 and "declining: 600 -> 240 page views (-60%)" in text.stdout


def test_rate_limiting_is_waited_out_and_the_sync_succeeds(kurt, ws, env, servers):
    servers["plausible"].script = [(429, {"Retry-After": "1"}, {"error": "Too many API requests."})]
    result = sync(kurt, ws, env, "--provider", "plausible")
    assert result.exit_code == 0, result.stderr
    assert len(servers["plausible"].requests) == 5  # the refused one, then 2 queries x 2 periods


def test_a_refused_key_is_one_line_naming_the_variable(kurt, ws, env):
    result = sync(kurt, ws, {**env, "POSTHOG_API_KEY": "phx_wrong"}, "--provider", "posthog")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "PostHog refused the request (HTTP 401" in result.stderr
    assert "check POSTHOG_API_KEY" in result.stderr and "phx_wrong" not in result.stderr


def test_a_missing_key_says_which_variable_to_set(kurt, ws, env):
    result = sync(kurt, ws, {**env, "PLAUSIBLE_API_KEY": ""}, "--provider", "plausible")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: No API key for Plausible: set PLAUSIBLE_API_KEY")


def test_one_failing_provider_keeps_the_others(kurt, ws, env, servers):
    result = sync(kurt, ws, {**env, "GOOGLE_APPLICATION_CREDENTIALS": "/nowhere/key.json"})
    assert result.exit_code == 1
    assert "posthog: 2025-06-01..2025-06-30" in result.stdout
    assert "plausible: 2025-06-01..2025-06-30" in result.stdout
    assert "GOOGLE_APPLICATION_CREDENTIALS names /nowhere/key.json, which does not exist" in result.stderr
    assert kurt("content", "list", "--with-traffic-trend", "rising", "--format", "json",
                cwd=ws.root).json()["documents"][0]["url"] == url("/docs/builds/dockerfiles")


def test_a_secret_in_kurt_toml_is_refused(kurt, ws):
    ws.config_path.write_text(ws.config_path.read_text().replace(
        'project_id = "77"', 'project_id = "77"\napi_key = "phx_secret"'))
    result = kurt("analytics", "sync", cwd=ws.root)
    assert result.exit_code == 1 and "phx_secret" not in result.stderr
    assert "[analytics.posthog] api_key: secrets do not belong in kurt.toml" in result.stderr


def test_no_provider_configured_says_how(kurt, tmp_path):
    assert kurt("init", str(tmp_path / "empty"), cwd=tmp_path).exit_code == 0
    result = kurt("analytics", "sync", cwd=tmp_path / "empty")
    assert result.exit_code == 1 and "No analytics provider is configured" in result.stderr
    empty = kurt("analytics", "refresh-candidates", cwd=tmp_path / "empty")
    assert empty.exit_code == 0 and "run 'kurt analytics sync' first" in empty.stderr


def test_a_bad_period_is_a_usage_error(kurt, ws, env):
    result = sync(kurt, ws, env, "--period", "1m")
    assert result.exit_code == 2 and "--period '1m': use a number of days or weeks" in result.stderr


def _files_holding(root, secrets: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(root)}: {s[:8]}" for s in secrets if s.encode() in data]
    return found


def test_no_key_token_or_private_key_is_written_or_printed(kurt, ws, env, servers):
    servers["plausible"].key, servers["posthog"].key = "pl-FAKE-7c1e9d", "phx_FAKE_41b0aa"
    keys = {**env, "PLAUSIBLE_API_KEY": "pl-FAKE-7c1e9d", "POSTHOG_API_KEY": "phx_FAKE_41b0aa"}
    private = json.loads(servers["key_file"].read_text())["private_key"].splitlines()[1]
    runs = [sync(kurt, ws, keys), sync(kurt, ws, keys, "--format", "json"),
            kurt("analytics", "refresh-candidates", cwd=ws.root, env=keys),
            sync(kurt, ws, {**keys, "POSTHOG_API_KEY": "phx_FAKE_refused"}, "--provider", "posthog")]
    assert [r.exit_code for r in runs] == [0, 0, 0, 1]
    tokens = sorted(servers["ga4"].tokens)
    secrets = ["pl-FAKE-7c1e9d", "phx_FAKE_41b0aa", "phx_FAKE_refused", private, *tokens]
    assert tokens and _files_holding(ws.root, secrets) == []
    for run in runs:
        assert not any(s in run.stdout + run.stderr for s in secrets)
