"""Requesting external links: HEAD first, GET when HEAD fails, robots.txt obeyed, once per URL."""

import dataclasses

from kurt.checks.linkcheck import check_urls
from kurt.config import IngestConfig
from tests.checks.linkserver import link_server

CONFIG = dataclasses.replace(IngestConfig(), allow_private_addresses=True, retries=0,
                             timeout=5.0)


def test_head_then_get_and_robots():
    with link_server() as (base, requests):
        results = check_urls([f"{base}/ok", f"{base}/gone", f"{base}/no-head", f"{base}/ok",
                              f"{base}/head-not-implemented", f"{base}/private/page"], CONFIG)
    assert results[f"{base}/ok"].ok and results[f"{base}/ok"].method == "HEAD"
    assert results[f"{base}/gone"].gone and not results[f"{base}/gone"].ok
    assert results[f"{base}/no-head"].ok and results[f"{base}/no-head"].method == "GET"
    assert results[f"{base}/head-not-implemented"].ok  # 501 to HEAD: the GET answers
    assert results[f"{base}/head-not-implemented"].method == "GET"
    assert results[f"{base}/private/page"].robots_blocked
    assert requests.count(("HEAD", "/ok")) == 1  # once per URL, though linked twice
    assert ("GET", "/ok") not in requests
    assert ("GET", "/no-head") in requests
    assert requests.count(("GET", "/robots.txt")) == 1  # one client: robots.txt read once
    assert ("HEAD", "/robots.txt") not in requests
    assert not any(path.startswith("/private") for _, path in requests)


def test_a_private_address_is_refused_unless_the_workspace_allows_it():
    strict = dataclasses.replace(CONFIG, allow_private_addresses=False)
    with link_server() as (base, requests):
        result = check_urls([f"{base}/ok"], strict)[f"{base}/ok"]
    assert not result.ok and requests == []
