"""Hostile and broken robots.txt files, end to end: a real site on 127.0.0.1, the installed
``kurt`` command, and the database it leaves behind (RFC 9309; see kurt/ingest/robots.py).

Each case asserts what the user sees (exit code, the summary line) and what the database
says afterwards, and that a page robots.txt holds back was never requested.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kurt.sample_site.response import simple_page
from kurt.store.documents import get_document
from kurt.workspace import Workspace, init_workspace
from tests.loopback import LoopbackServer

TEXT = ("Kurt keeps a local copy of every page it fetches, as markdown with a small frontmatter. "
        "This page exists so that a polite crawler has something real to extract: a title, a "
        "heading and a paragraph long enough to count as the main text of an article page.")


class Site:
    """A loopback site whose robots.txt the test decides; it records every path requested."""

    def __init__(self) -> None:
        self.robots: tuple[int, bytes] = (404, b"")
        self.stall = False  # robots.txt does not answer until the test ends
        self.sitemap: list[str] = []  # paths listed by /maps/pages.xml
        self.requested: list[str] = []
        self.released = threading.Event()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def respond(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            if self.stall:
                self.released.wait(30)
            return self.robots[0], self.robots[1], "text/plain"
        if path == "/maps/pages.xml":
            locs = "".join(f"<url><loc>{self.base}{p}</loc></url>" for p in self.sitemap)
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                    f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
            return 200, body.encode(), "application/xml"
        if path.startswith(("/docs/", "/private/", "/a/", "/b/", "/c/")):
            return 200, simple_page(f"Page {path}", TEXT), "text/html; charset=utf-8"
        return 404, simple_page("Not found", "No such page."), "text/html; charset=utf-8"


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            site.requested.append(self.path)
            status, body, kind = site.respond(self.path)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting (the stalled robots.txt)
                pass

        def log_message(self, *args):
            pass

    server = LoopbackServer(("127.0.0.1", 0), Handler).start()
    site.base = server.base
    try:
        yield site
    finally:
        site.released.set()
        server.stop()


@pytest.fixture
def site() -> Iterator[Site]:
    with serving(Site()) as served:
        yield served


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A workspace with short timeouts, no retries and no indexing: quick failures."""
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text("[ingest]\ntimeout = 0.3\nretries = 0\n\n[index]\nauto = false\n")
    return Workspace(ws.root)


def document(ws: Workspace, url: str):
    store = ws.open_store()
    try:
        return get_document(store, url)
    finally:
        store.close()


def test_byte_order_mark_keeps_the_first_group_and_its_sitemap(site, ws, kurt):
    site.robots = (200, b"\xef\xbb\xbfSitemap: " + site.url("/maps/pages.xml").encode()
                   + b"\nUser-agent: *\nDisallow: /private/\n")
    site.sitemap = ["/docs/a", "/private/roadmap"]
    mapped = kurt("content", "map", "url", site.url("/"), "--format", "json", cwd=ws.root)
    assert mapped.exit_code == 0, mapped.output
    report = mapped.json()
    assert report["method"] == "sitemap" and report["sitemaps"] == [site.url("/maps/pages.xml")]

    fetched = kurt("content", "fetch", cwd=ws.root)
    assert fetched.exit_code == 0, fetched.output
    assert "1 skipped because robots.txt forbids them to your user agent" in fetched.stdout
    blocked = document(ws, site.url("/private/roadmap"))
    assert blocked.status == "SKIPPED" and "Disallow: /private/" in blocked.error
    assert document(ws, site.url("/docs/a")).status == "FETCHED"
    assert "/private/roadmap" not in site.requested


def test_disallowed_query_urls_are_not_fetched(site, ws, kurt):
    site.robots = (200, b"User-agent: *\nDisallow: /*?\nDisallow: /docs/search?\n")
    urls = [site.url("/docs/list?sort=asc"), site.url("/docs/search?q=kurt"), site.url("/docs/list")]
    result = kurt("content", "fetch", *urls, cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert "2 skipped because robots.txt forbids them" in result.stdout
    for url, rule in zip(urls[:2], ["Disallow: /*?", "Disallow: /docs/search?"], strict=True):
        blocked = document(ws, url)  # the longest matching rule is the one named
        assert blocked.status == "SKIPPED" and f"rule '{rule}' for *" in blocked.error
    assert document(ws, urls[2]).status == "FETCHED"
    assert not [p for p in site.requested if "?" in p]


def test_groups_for_the_same_agent_are_merged(site, ws, kurt):
    site.robots = (200, b"User-agent: KurtBot\nDisallow: /a/\n\nUser-agent: *\nDisallow: /\n\n"
                        b"User-agent: kurtbot\nDisallow: /b/\n")
    urls = [site.url("/a/page"), site.url("/b/page"), site.url("/c/page")]
    result = kurt("content", "fetch", *urls, "--format", "json", cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert sorted(result.json()["robots_blocked"]) == urls[:2]
    assert [document(ws, u).status for u in urls] == ["SKIPPED", "SKIPPED", "FETCHED"]
    assert "rule 'Disallow: /b/' for KurtBot" in document(ws, urls[1]).error
    assert "/a/page" not in site.requested and "/b/page" not in site.requested


def test_robots_timeout_holds_pages_back_until_the_same_command_runs_again(site, ws, kurt):
    site.stall = True
    urls = [site.url("/docs/a"), site.url("/docs/b")]
    result = kurt("content", "fetch", *urls, cwd=ws.root)
    assert result.exit_code == 1
    line = f"robots.txt of {site.base} could not be read (no answer in time"
    summary = [x for x in result.stdout.splitlines() if x.startswith("Not fetched: 2")]
    assert len(summary) == 1 and line in summary[0], result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: nothing fetched: {line}")
    assert "Traceback" not in result.output
    for url in urls:
        held = document(ws, url)
        assert held.status == "NOT_FETCHED" and line in held.error
    assert site.requested and set(site.requested) == {"/robots.txt"}
    # Not fetched, so not finished: a concurrent run must not take them for done.
    with sqlite3.connect(ws.root / ".kurt" / "kurt.db") as conn:
        leases = conn.execute("SELECT lease_owner, lease_until, lease_done_at FROM documents").fetchall()
    assert leases and all(row == (None, None, None) for row in leases)

    site.stall = False
    site.released.set()
    again = kurt("content", "fetch", *urls, cwd=ws.root)
    assert again.exit_code == 0, again.output
    assert all(document(ws, u).status == "FETCHED" and document(ws, u).error is None for u in urls)


def test_robots_503_keeps_fetched_pages_and_waits_for_never_fetched_ones(site, ws, kurt):
    old, new = site.url("/docs/old"), site.url("/docs/new")
    assert kurt("content", "fetch", old, cwd=ws.root).exit_code == 0
    kept = document(ws, old)
    assert kept.status == "FETCHED"

    site.robots = (503, b"")
    refetch = kurt("content", "fetch", "--refetch", old, new, cwd=ws.root)
    assert refetch.exit_code == 1
    reason = f"robots.txt of {site.base} could not be read (HTTP 503 Service Unavailable)"
    assert f"Not fetched: 2 (they keep their status): {reason}" in refetch.stdout
    after = document(ws, old)
    assert after.status == "FETCHED" and reason in after.error and after.fetch_outcome == "failed"
    assert (ws.root / after.content_path).read_text() == (ws.root / kept.content_path).read_text()
    assert document(ws, new).status == "NOT_FETCHED" and reason in document(ws, new).error
    assert "/docs/new" not in site.requested

    mapped = kurt("content", "map", "url", site.url("/docs/"), cwd=ws.root)
    assert mapped.exit_code == 1 and reason in mapped.output and "Traceback" not in mapped.output
    added = kurt("content", "add", site.url("/docs/"), "--format", "json", cwd=ws.root)
    assert added.exit_code == 1 and "Traceback" not in added.output
    fetch = added.json()["fetch"]
    assert fetch["deferred"] == 1 and fetch["failed"] == 0
    [(why, held)] = fetch["robots_unreadable"].items()
    assert why.startswith(reason) and held == {"count": 1, "urls": [new]}

    site.robots = (404, b"")
    again = kurt("content", "fetch", cwd=ws.root)  # the default selection: NOT_FETCHED
    assert again.exit_code == 0, again.output
    assert document(ws, new).status == "FETCHED" and document(ws, new).error is None


def test_robots_on_a_closed_port_reports_the_network_reason(ws, kurt):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/docs/a"
    result = kurt("content", "fetch", url, cwd=ws.root)
    assert result.exit_code == 1
    assert f"connection refused by 127.0.0.1:{port}" in result.stderr
    assert "robots.txt" not in result.output
    failed = document(ws, url)
    assert failed.status == "ERROR" and failed.error == f"connection refused by 127.0.0.1:{port}"
