"""kurt.ingest.http against real local HTTP servers (sample_site and small handlers)."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kurt.config import IngestConfig
from kurt.ingest.http import HttpResult, PoliteClient, _parse_retry_after
from kurt.sample_site import load_markdown_site, serve
from tests.loopback import LoopbackServer

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "kurt" / "resources" / "sample-docs"
FAST = IngestConfig(timeout=0.5, retries=2, per_host_concurrency=4, concurrency=8)


@pytest.fixture(scope="module")
def site():
    site = load_markdown_site(SAMPLE_DOCS, misbehaving=True, slow_seconds=2.0, stall_seconds=3.0)
    with serve(site) as served:
        yield served


class Sleeps:
    """A sleep that records what it was asked for and waits only a moment."""

    def __init__(self):
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


def get(url: str, config: IngestConfig = FAST, sleep=None, **kwargs) -> HttpResult:
    async def run():
        async with PoliteClient(config, sleep=sleep or Sleeps(), trusted=[url]) as client:
            return await client.get(url, **kwargs)

    return asyncio.run(run())


class Handler(BaseHTTPRequestHandler):
    """Routes for behaviours sample_site does not have; counts requests per path."""

    routes: dict = {}
    hits: dict = {}
    seen_headers: list = []

    def do_GET(self):  # noqa: N802
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        type(self).seen_headers.append(dict(self.headers))
        status, headers, body = type(self).routes[self.path](type(self).hits[self.path])
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 from a thread; yields the base URL."""
    server = LoopbackServer(("127.0.0.1", 0), handler).start()
    try:
        yield server.base
    finally:
        server.stop()


@pytest.fixture
def custom():
    handler = type("H", (Handler,), {"routes": {}, "hits": {}, "seen_headers": []})
    handler.routes["/robots.txt"] = lambda n: (404, {}, b"")
    with serving(handler) as base:
        handler.base = base
        yield handler


def test_fetches_a_page_with_our_user_agent(site):
    res = get(site.url("/docs/integrations/api"))
    assert res.ok and res.status == 200 and res.content_type == "text/html"
    assert b"<html" in res.body.lower()
    record = site.site.requests.filter(path="/docs/integrations/api")[-1]
    assert record.user_agent.startswith("KurtBot/")


def test_robots_disallow_is_reported_and_never_requested(site):
    res = get(site.url("/private/secret"))
    assert not res.ok and res.status is None
    assert "blocked by robots.txt for user agent KurtBot" in res.error
    assert "Disallow: /private/" in res.error
    assert res.robots_blocked and not res.timed_out
    assert site.site.requests.count(path="/private/secret") == 0


def test_blocked_user_agent_is_named(site):
    res = get(site.url("/docs/"), replace(FAST, user_agent="BadBot/1.0"))
    assert "robots.txt blocks user agent BadBot from the whole site" in res.error


def test_robots_fetched_once_per_origin(site):
    async def run():
        async with PoliteClient(FAST, sleep=Sleeps(), trusted=[site.base_url]) as client:
            before = site.site.requests.count(path="/robots.txt")
            await asyncio.gather(*(client.get(site.url(p)) for p in ("/docs/", "/guides/", "/")))
            return site.site.requests.count(path="/robots.txt") - before

    assert asyncio.run(run()) == 1


def test_dns_failure_is_reported():
    res = get("http://nohost.invalid/page")
    assert res.status is None
    assert res.error == "DNS lookup failed for nohost.invalid"


def test_connection_refused_is_reported():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = get(f"http://127.0.0.1:{port}/")
    assert res.error == f"connection refused by 127.0.0.1:{port}"


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd"])
def test_unsupported_scheme(url):
    res = get(url)
    assert res.error.startswith("unsupported URL scheme")
    assert "only http and https" in res.error


def test_429_retry_after_is_honoured(site):
    site.site.reset_state()
    sleeps = Sleeps()
    res = get(site.url("/bad/rate-limited"), sleep=sleeps)
    assert res.ok and res.retries == 1
    assert 1.0 in sleeps.calls
    assert site.site.requests.count(path="/bad/rate-limited") == 2


def test_500_then_200_is_retried(site):
    site.site.reset_state()
    res = get(site.url("/bad/flaky"))
    assert res.ok and res.retries == 1
    assert site.site.requests.count(path="/bad/flaky", status=500) >= 1


def test_429_for_ever_gives_up_with_a_reason(custom):
    custom.routes["/busy"] = lambda n: (429, {"Retry-After": "0"}, b"busy")
    res = get(custom.base + "/busy")
    assert res.error == "HTTP 429 Too Many Requests after 2 retries"
    assert custom.hits["/busy"] == 3


def test_retry_after_too_long_gives_up_at_once(custom):
    custom.routes["/later"] = lambda n: (503, {"Retry-After": "3600"}, b"")
    res = get(custom.base + "/later")
    assert "asks to wait 3600 s (Retry-After), more than 120 s" in res.error
    assert custom.hits["/later"] == 1


def test_pushback_halves_the_host_limit(custom):
    custom.routes["/x"] = lambda n: (503, {"Retry-After": "0"}, b"") if n == 1 else (200, {}, b"ok")

    async def run():
        async with PoliteClient(replace(FAST, per_host_concurrency=8), sleep=Sleeps(),
                                trusted=[custom.base]) as client:
            res = await client.get(custom.base + "/x")
            return res, client.stats

    res, stats = asyncio.run(run())
    host = stats[custom.base.split("//")[1]]
    assert res.ok and host.slowdowns == 1 and host.limit == 4 and host.retries == 1


def test_redirect_loop_is_reported(site):
    res = get(site.url("/bad/redirect-loop"))
    assert res.error.startswith("redirect loop at ")
    assert res.error.split()[3].endswith("/bad/redirect-loop")


def test_too_many_redirects(site):
    res = get(site.url("/bad/redirect-chain"))
    assert res.error == "too many redirects (more than 5)"


def test_redirects_are_followed(custom):
    custom.routes["/old"] = lambda n: (301, {"Location": "/new/"}, b"")
    custom.routes["/new/"] = lambda n: (200, {}, b"moved here")
    res = get(custom.base + "/old")
    assert res.ok and res.body == b"moved here"
    assert res.final_url == custom.base + "/new/" and res.redirects == [custom.base + "/new/"]


def test_redirect_to_another_scheme_is_refused(custom):
    custom.routes["/r"] = lambda n: (302, {"Location": "ftp://example.com/x"}, b"")
    res = get(custom.base + "/r")
    assert res.error == ("redirect to ftp://example.com/x refused: "
                         "unsupported URL scheme 'ftp': only http and https")


@pytest.mark.parametrize("location,target", [
    ("javascript:alert(document.cookie)", "javascript:alert(document.cookie)"),
    ("mailto:ops@example.com", "mailto:ops@example.com"),
    ("data:text/html,<h1>hi</h1>", "data:text/html,<h1>hi</h1>"),
])
def test_redirect_to_a_non_web_scheme_names_the_target(custom, location, target):
    custom.routes["/r"] = lambda n: (302, {"Location": location}, b"")
    res = get(custom.base + "/r")
    scheme = target.split(":", 1)[0]
    assert res.error == (f"redirect to {target} refused: "
                         f"unsupported URL scheme '{scheme}': only http and https")
    assert custom.base + "/r" not in res.error


@pytest.fixture
def secret():
    """A second server on another port of 127.0.0.1: what a redirect must not reach."""
    handler = type("S", (Handler,), {"routes": {}, "hits": {}, "seen_headers": []})
    handler.routes["/robots.txt"] = lambda n: (404, {}, b"")
    handler.routes["/secret"] = lambda n: (200, {}, b"the secret")
    with serving(handler) as base:
        handler.base = base
        yield handler


def test_redirect_to_link_local_metadata_is_refused_before_connecting(custom):
    target = "http://169.254.169.254/latest/meta-data/iam/"
    custom.routes["/r"] = lambda n: (302, {"Location": target}, b"")
    res = get(custom.base + "/r")
    assert not res.ok and res.status is None and res.body == b""
    # refused by address, not a failed or timed-out connection attempt
    assert res.error.startswith(f"redirect to {target} refused: 169.254.169.254 is a link-local")
    assert "allow_private_addresses" in res.error and not res.timed_out


def test_redirect_to_another_port_of_loopback_is_refused(custom, secret):
    custom.routes["/r"] = lambda n: (302, {"Location": secret.base + "/secret"}, b"")
    res = get(custom.base + "/r")
    assert res.error.startswith(f"redirect to {secret.base}/secret refused: 127.0.0.1 is a loopback")
    assert b"secret" not in res.body
    assert secret.hits == {}  # not even its robots.txt


def test_redirect_to_a_name_resolving_to_loopback_is_refused(custom, secret):
    port = secret.base.rsplit(":", 1)[1]
    custom.routes["/r"] = lambda n: (302, {"Location": f"http://localhost:{port}/secret"}, b"")
    res = get(custom.base + "/r")
    assert res.error.startswith(f"redirect to http://localhost:{port}/secret refused: "
                                "localhost resolves to ")
    assert "a loopback address" in res.error
    assert secret.hits == {}


def test_allow_private_addresses_follows_them(custom, secret):
    custom.routes["/r"] = lambda n: (302, {"Location": secret.base + "/secret"}, b"")
    res = get(custom.base + "/r", replace(FAST, allow_private_addresses=True))
    assert res.ok and res.body == b"the secret" and res.final_url == secret.base + "/secret"


def test_a_private_site_given_as_trusted_is_followed(custom, secret):
    custom.routes["/r"] = lambda n: (302, {"Location": secret.base + "/secret"}, b"")

    async def run():
        async with PoliteClient(FAST, sleep=Sleeps(), trusted=[custom.base, secret.base]) as client:
            return await client.get(custom.base + "/r")

    assert asyncio.run(run()).body == b"the secret"


def test_an_untrusted_loopback_url_is_refused_at_the_first_hop(custom):
    custom.routes["/x"] = lambda n: (200, {}, b"x")

    async def run():
        async with PoliteClient(FAST, sleep=Sleeps()) as client:  # no trusted site
            return await client.get(custom.base + "/x")

    res = asyncio.run(run())
    assert res.error.startswith("refused: 127.0.0.1 is a loopback address")
    assert custom.hits == {}


def test_credentials_in_a_redirect_location_are_never_sent(custom):
    host = custom.base.removeprefix("http://")
    custom.routes["/r"] = lambda n: (302, {"Location": f"http://admin:hunter2@{host}/in"}, b"")
    custom.routes["/in"] = lambda n: (200, {}, b"in")
    res = get(custom.base + "/r")
    assert res.ok and res.final_url == custom.base + "/in" and res.redirects == [custom.base + "/in"]
    assert not any("Authorization" in headers for headers in custom.seen_headers)


def test_huge_body_is_capped(site):
    res = get(site.url("/bad/huge"), max_bytes=200_000)
    assert res.error == "response larger than 200 kB (max_bytes)"
    assert len(res.body) <= 200_000


def test_gzip_bomb_stops_at_the_cap(custom):
    bomb = gzip.compress(b"\0" * 50_000_000)
    custom.routes["/bomb"] = lambda n: (200, {"Content-Encoding": "gzip"}, bomb)
    res = get(custom.base + "/bomb", max_bytes=1_000_000)
    assert res.error == "response larger than 1 MB (max_bytes)"
    assert len(res.body) <= 1_000_000


def test_gzip_body_is_decoded(custom):
    custom.routes["/gz"] = lambda n: (200, {"Content-Encoding": "gzip",
                                            "Content-Type": "text/plain; charset=ISO-8859-1"},
                                      gzip.compress("café".encode("latin-1")))
    res = get(custom.base + "/gz")
    assert res.ok and res.body == "café".encode("latin-1") and res.charset == "iso-8859-1"


def test_slow_server_times_out(site):
    res = get(site.url("/bad/slow"), replace(FAST, retries=0, timeout=0.3))
    assert res.error == "timeout after 0.3s"


def test_stall_mid_body_hits_a_deadline(site):
    res = get(site.url("/bad/stall"), replace(FAST, retries=0, timeout=0.3))
    assert res.status is None and res.error == "timeout after 0.3s"


class Trickle(BaseHTTPRequestHandler):
    """Sends a 1000-byte body one byte every 0.1 s: no read times out (counts requests)."""

    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(100):  # only the total deadline stops it
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            threading.Event().wait(0.1)

    def log_message(self, *args):
        pass


def test_trickling_body_hits_the_total_deadline():
    with serving(type("T", (Trickle,), {"hits": 0})) as base:
        res = get(base + "/", replace(FAST, retries=0, timeout=0.3, respect_robots=False))
    assert res.error == "timeout: no complete response within 0.6s (total deadline)"
    assert res.timed_out


class Stall(BaseHTTPRequestHandler):
    """Sends the headers and a first piece of the body, then nothing (counts requests)."""

    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            self.wfile.write(b"<html><head><title>Stalling")
            self.wfile.flush()
        except OSError:
            return
        threading.Event().wait(2.0)

    def log_message(self, *args):
        pass


def test_timeout_is_retried_at_most_once():
    handler = type("S", (Stall,), {"hits": 0})
    with serving(handler) as base:
        res = get(base + "/", replace(FAST, retries=4, timeout=0.3, respect_robots=False))
    assert handler.hits == 2
    assert res.timed_out and res.retries == 1
    assert res.error.startswith("timeout") and res.error.endswith("(1 retries)")


def test_other_retryable_statuses_keep_the_configured_retries(custom):
    custom.routes["/busy"] = lambda n: (503, {}, b"busy")
    res = get(custom.base + "/busy", replace(FAST, retries=3))
    assert custom.hits["/busy"] == 4 and res.retries == 3 and not res.timed_out


def test_a_request_that_used_its_whole_deadline_is_not_retried():
    handler = type("T", (Trickle,), {"hits": 0})
    with serving(handler) as base:
        res = get(base + "/", replace(FAST, retries=4, timeout=0.3, respect_robots=False))
    assert handler.hits == 1 and res.timed_out


def test_conditional_get_sends_validators_and_gets_304(site):
    first = get(site.url("/docs/databases/redis"))
    etag = first.headers["etag"]
    second = get(site.url("/docs/databases/redis"), etag=etag,
                 last_modified=first.headers["last-modified"])
    assert second.not_modified and second.error is None and not second.ok
    record = site.site.requests.filter(path="/docs/databases/redis")[-1]
    assert record.if_none_match == etag and record.if_modified_since


def test_http_error_status_is_an_error(site):
    res = get(site.url("/bad/not-found"))
    assert res.status == 404 and res.error == "HTTP 404 Not Found"


def test_robots_5xx_disallows_for_this_run(custom):
    custom.routes["/robots.txt"] = lambda n: (500, {}, b"")
    custom.routes["/page"] = lambda n: (200, {}, b"hi")
    res = get(custom.base + "/page", replace(FAST, retries=0))
    assert res.error.startswith(f"robots.txt of {custom.base} could not be read (HTTP 500")
    assert "run the same command again later" in res.error
    assert res.robots_unreadable and not res.robots_blocked  # a passing state, not a rule
    assert "/page" not in custom.hits


class StallRobots(BaseHTTPRequestHandler):
    """robots.txt never answers in time; every other path is a page."""

    def do_GET(self):  # noqa: N802
        if self.path == "/robots.txt":
            time.sleep(2)
        body = b"<html><body><p>page</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_robots_timeout_disallows_for_this_run():
    with serving(StallRobots) as base:
        res = get(base + "/page", replace(FAST, retries=1, timeout=0.2))
    assert res.robots_unreadable and not res.robots_blocked and res.status is None
    assert res.error.startswith(f"robots.txt of {base} could not be read "
                                "(no answer in time; [ingest] timeout is 0.2 s): ")


def test_robots_of_a_closed_port_fails_with_the_network_reason():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = get(f"http://127.0.0.1:{port}/page")
    assert res.error == f"connection refused by 127.0.0.1:{port}"
    assert res.connect_failed and not res.robots_unreadable and not res.robots_blocked


@pytest.mark.parametrize("route", [
    lambda n: (404, {}, b"User-agent: *\nDisallow: /\n"),
    lambda n: (403, {}, b""),
    lambda n: (302, {"Location": "/robots.txt"}, b""),  # a loop: "unavailable" (RFC 9309 2.3.1.2)
], ids=["404", "403", "redirect-loop"])
def test_robots_unavailable_allows_all(custom, route):
    custom.routes["/robots.txt"] = route
    custom.routes["/page"] = lambda n: (200, {}, b"hi")
    assert get(custom.base + "/page").ok and custom.hits["/page"] == 1


def test_robots_is_read_as_utf8_whatever_the_header_says(custom):
    robots = "\ufeffUser-agent: *\nDisallow: /caf\u00e9\n".encode()
    custom.routes["/robots.txt"] = lambda n: (200, {"Content-Type": "text/plain; charset=latin-1"},
                                              robots)
    res = get(custom.base + "/caf%C3%A9")
    assert res.robots_blocked and "Disallow: /caf%C3%A9" in res.error


def test_robots_larger_than_500_kib_is_read_up_to_the_limit(custom):
    filler = b"# " + b"x" * 1000 + b"\n"
    body = b"User-agent: *\nDisallow: /early\n" + filler * 600 + b"Disallow: /late\n"
    custom.routes["/robots.txt"] = lambda n: (200, {}, body)  # Content-Length over the limit
    custom.routes["/late"] = lambda n: (200, {}, b"hi")
    assert get(custom.base + "/early").robots_blocked
    assert get(custom.base + "/late").ok


def test_crawl_delay_spaces_requests(custom):
    custom.routes["/robots.txt"] = lambda n: (200, {}, b"User-agent: *\nCrawl-delay: 2\n")
    custom.routes["/a"] = lambda n: (200, {}, b"a")
    sleeps = Sleeps()

    async def run():
        async with PoliteClient(FAST, sleep=sleeps, trusted=[custom.base]) as client:
            for _ in range(3):
                assert (await client.get(custom.base + "/a")).ok

    asyncio.run(run())
    assert sum(1 for s in sleeps.calls if s > 1.5) == 2


def test_a_request_held_up_after_its_start_takes_a_new_one(custom):
    """With every request slot of the run taken by a slow page, the requests given the next
    starts go out late; each takes a new start, so the host never sees two at once."""
    arrivals: list[float] = []

    def page(body: bytes, seconds: float = 0.0):
        def answer(n):
            arrivals.append(time.monotonic())
            time.sleep(seconds)
            return 200, {}, body
        return answer

    custom.routes["/slow"] = page(b"slow", 0.8)
    custom.routes["/a"] = page(b"a")
    custom.routes["/b"] = page(b"b")
    config = replace(FAST, timeout=5.0, concurrency=1, min_delay=0.3)

    async def run():
        async with PoliteClient(config, trusted=[custom.base]) as client:
            first = asyncio.create_task(client.get(custom.base + "/slow"))
            await asyncio.sleep(0.05)  # robots.txt read, the slow page sent: then the others
            results = await asyncio.gather(first, client.get(custom.base + "/a"),
                                           client.get(custom.base + "/b"))
            assert all(r.ok for r in results)

    asyncio.run(run())
    assert len(arrivals) == 3
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) > 0.2, gaps  # 0.3 s apart; without a new start /b came right after /a


@pytest.mark.parametrize("value,expected", [
    ("5", 5.0), ("0", 0.0), ("  12 ", 12.0), ("junk", None), (None, None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_parse_retry_after(value, expected):
    assert _parse_retry_after(value) == expected


class HeadHandler(Handler):
    """``Handler`` answering HEAD too: each route as for GET, the body left out."""

    methods: list = []

    def do_HEAD(self):  # noqa: N802
        type(self).methods.append(("HEAD", self.path))
        status, headers, body = type(self).routes[self.path](0)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def do_GET(self):  # noqa: N802
        type(self).methods.append(("GET", self.path))
        super().do_GET()


def test_head_asks_for_headers_only_and_follows_redirects_as_get_does():
    handler = type("H", (HeadHandler,), {"routes": {}, "hits": {}, "seen_headers": [],
                                         "methods": []})
    handler.routes.update({
        "/robots.txt": lambda n: (200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/moved": lambda n: (301, {"Location": "/page"}, b""),
        "/page": lambda n: (200, {"Content-Type": "text/html"}, b"<html>page</html>"),
    })
    with serving(handler) as base:
        res = get(f"{base}/moved", method="HEAD")
        bad = None
        try:
            get(f"{base}/page", method="DELETE")
        except ValueError as exc:
            bad = str(exc)
    assert res.ok and res.status == 200 and res.body == b"" and res.final_url == f"{base}/page"
    assert res.content_type == "text/html"
    assert handler.methods == [("GET", "/robots.txt"), ("HEAD", "/moved"), ("HEAD", "/page")]
    assert bad == "method must be GET or HEAD, not 'DELETE'"
