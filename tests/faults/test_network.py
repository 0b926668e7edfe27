"""Hostile sites against the installed ``kurt``: where redirects, links and sitemaps may lead.

Each case runs real HTTP servers on 127.0.0.1. The "public" site is the one the user
names on the command line; a second server on another port plays an internal
service holding a secret. What the user sees, what the database holds and what
sources/ holds afterwards are all checked, and the internal server counts every TCP
connection it accepts, so "never contacted" is measured, not assumed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kurt.workspace import init_workspace
from tests.loopback import LoopbackServer

SECRET = "SECRET-7f3a-do-not-store"
PASSWORD = "hunter2pw"
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"

Route = Callable[["Server"], tuple[int, dict[str, str], bytes]]


@dataclass
class Server:
    """A loopback HTTP server with fixed routes; counts connections, records requests."""

    routes: dict[str, Route] = field(default_factory=dict)
    connections: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, headers)
    base: str = ""

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def page(self, title: str, body: str) -> Route:
        html = f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}" \
               f"<p>{' '.join(['Words to make this page worth extracting.'] * 12)}</p></main></body></html>"
        return lambda server: (200, {"Content-Type": "text/html; charset=utf-8"}, html.encode())


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            server.requests.append((self.path, dict(self.headers)))
            route = server.routes.get(self.path)
            status, headers, body = route(server) if route else (404, {}, b"not found")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Counting(LoopbackServer):
        def verify_request(self, request, client_address) -> bool:  # one call per TCP connection
            server.connections += 1
            return True

    httpd = Counting(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def internal():
    """The internal service: a secret page on another port of 127.0.0.1."""
    server = Server()
    server.routes["/secret"] = server.page("Internal", f"<p>{SECRET}</p>")
    server.routes["/sitemap.xml"] = lambda s: (200, {"Content-Type": "application/xml"}, _urlset(
        [f"{s.base}/secret"]))
    with serving(server) as running:
        yield running


@pytest.fixture
def site():
    """The site the user names; each test gives it its routes."""
    server = Server()
    server.routes["/robots.txt"] = lambda s: (200, {"Content-Type": "text/plain"}, b"User-agent: *\n")
    with serving(server) as running:
        yield running


def _urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{locs}</urlset>").encode()


def _redirect(location: str) -> Route:
    return lambda s: (302, {"Location": location}, b"")


def workspace(tmp_path: Path, settings: str = "") -> Path:
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text(f"[ingest]\ntimeout = 2.0\nretries = 0\n{settings}\n"
                              "[index]\nauto = false\n")
    return ws.root


def stored_text(root: Path) -> str:
    """Everything the workspace holds: every database row, and every file under sources/."""
    conn = sqlite3.connect(root / ".kurt" / "kurt.db")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [repr(row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')]
    finally:
        conn.close()
    files = [p.read_text(errors="replace") for p in (root / "sources").rglob("*") if p.is_file()]
    return "\n".join(rows + files)


def documents(root: Path) -> dict[str, tuple[str, str | None]]:
    """url -> (status, error) of every document."""
    conn = sqlite3.connect(root / ".kurt" / "kurt.db")
    try:
        return {url: (status, error) for url, status, error in
                conn.execute("SELECT url, status, error FROM documents")}
    finally:
        conn.close()


def frontmatter_urls(root: Path) -> list[str]:
    import yaml

    urls = []
    for path in (root / "sources").rglob("*.md"):
        text = path.read_text()
        assert text.startswith("---\n")
        urls.append(yaml.safe_load(text[4:text.index("\n---", 4)])["url"])
    return urls


# -- redirects ------------------------------------------------------------------------


def test_redirect_to_cloud_metadata_is_refused_without_a_connection(kurt, tmp_path, site):
    site.routes["/meta"] = _redirect(METADATA)
    root = workspace(tmp_path)
    result = kurt("content", "fetch", site.base + "/meta", cwd=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    expected = f"redirect to {METADATA} refused: 169.254.169.254 is a link-local address"
    assert expected in result.stdout and site.base + "/meta" in result.stdout
    assert "allow_private_addresses = true" in result.stdout
    # refused by the rule, not a connection that failed or timed out
    assert "timeout" not in result.output and "could not connect" not in result.output
    status, error = documents(root)[site.base + "/meta"]
    assert status == "ERROR" and error.startswith(expected)
    assert list((root / "sources").rglob("*.md")) == []


def test_redirect_to_another_loopback_port_is_refused(kurt, tmp_path, site, internal):
    site.routes["/"] = site.page("Home", '<a href="/moved">moved</a>')
    site.routes["/moved"] = _redirect(internal.base + "/secret")
    site.routes["/sitemap.xml"] = lambda s: (200, {}, _urlset([s.base + "/", s.base + "/moved"]))
    root = workspace(tmp_path)
    result = kurt("content", "add", site.base + "/", cwd=root)
    assert result.exit_code == 0, result.output
    assert f"redirect to {internal.base}/secret refused: 127.0.0.1 is a loopback address" \
        in result.stdout
    assert internal.connections == 0  # not the page, not its robots.txt: nothing
    assert SECRET not in stored_text(root)
    assert documents(root)[site.base + "/"][0] == "FETCHED"
    assert documents(root)[site.base + "/moved"][0] == "ERROR"


def test_redirect_through_a_name_that_resolves_to_loopback_is_refused(kurt, tmp_path, site,
                                                                      internal):
    target = f"http://localhost:{internal.port}/secret"
    site.routes["/moved"] = _redirect(target)
    root = workspace(tmp_path)
    result = kurt("content", "fetch", site.base + "/moved", cwd=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"redirect to {target} refused: localhost resolves to " in result.stdout
    assert "a loopback address" in result.stdout
    assert internal.connections == 0
    assert SECRET not in stored_text(root)


def test_allow_private_addresses_follows_the_redirect(kurt, tmp_path, site, internal):
    site.routes["/moved"] = _redirect(internal.base + "/secret")
    root = workspace(tmp_path, "allow_private_addresses = true")
    result = kurt("content", "fetch", site.base + "/moved", cwd=root)
    assert result.exit_code == 0, result.output
    assert documents(root)[site.base + "/moved"] == ("FETCHED", None)
    assert SECRET in stored_text(root)  # the user asked for it: the internal page is stored
    assert internal.connections > 0


def test_a_private_site_the_user_added_may_be_redirected_to(kurt, tmp_path, site, internal):
    """'Unless the user gave that host': a site already in the workspace is trusted."""
    root = workspace(tmp_path)
    internal.routes["/other"] = internal.page("Other", "<p>other</p>")
    assert kurt("content", "fetch", internal.base + "/other", cwd=root).exit_code == 0
    site.routes["/moved"] = _redirect(internal.base + "/secret")
    result = kurt("content", "fetch", site.base + "/moved", cwd=root)
    assert result.exit_code == 0, result.output
    assert documents(root)[site.base + "/moved"] == ("FETCHED", None)


@pytest.mark.parametrize("location", ["javascript:alert(document.domain)", "mailto:root@localhost"])
def test_redirect_to_a_non_web_scheme_names_the_target(kurt, tmp_path, site, location):
    site.routes["/js"] = _redirect(location)
    root = workspace(tmp_path)
    result = kurt("content", "fetch", "--format", "json", site.base + "/js", cwd=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    scheme = location.split(":", 1)[0]
    reason = f"redirect to {location} refused: unsupported URL scheme '{scheme}': only http and https"
    assert result.json()["errors"] == {reason: {"count": 1, "urls": [site.base + "/js"]}}
    assert documents(root)[site.base + "/js"] == ("ERROR", reason)


# -- credentials ---------------------------------------------------------------------


def test_credentials_in_sitemaps_never_reach_the_database_or_sources(kurt, tmp_path, site):
    host = site.base.removeprefix("http://")
    creds = f"admin:{PASSWORD}@"
    site.routes["/robots.txt"] = lambda s: (
        200, {}, f"User-agent: *\nSitemap: http://{creds}{host}/index.xml\n".encode())
    site.routes["/index.xml"] = lambda s: (200, {}, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>http://{creds}{host}/pages.xml</loc></sitemap></sitemapindex>").encode())
    site.routes["/pages.xml"] = lambda s: (200, {}, _urlset(
        [f"http://{creds}{host}/a", f"http://user@{host}/b", f"http://{host}/c#top"]))
    site.routes["/a"] = site.page("A", f'<p>Read the <a href="http://{creds}{host}/b">B page</a> '
                                  "for the details of how the whole thing is set up.</p>"
                                  f'<link rel="canonical" href="http://{creds}{host}/a">')
    site.routes["/b"] = site.page("B", "<p>b</p>")
    site.routes["/c"] = site.page("C", "<p>c</p>")
    root = workspace(tmp_path)
    (root / "kurt.toml").write_text("[ingest]\ntimeout = 2.0\nretries = 0\n")  # index: links too
    result = kurt("content", "add", site.base + "/", cwd=root)
    assert result.exit_code == 0, result.output
    assert sorted(documents(root)) == [site.base + "/a", site.base + "/b", site.base + "/c"]
    assert sorted(frontmatter_urls(root)) == sorted(documents(root))
    conn = sqlite3.connect(root / ".kurt" / "kurt.db")
    try:
        targets = [r[0] for r in conn.execute("SELECT target_url FROM links")]
        canonical = [r[0] for r in conn.execute("SELECT canonical_url FROM documents")]
    finally:
        conn.close()
    assert site.base + "/b" in targets and not any("@" in t for t in targets)
    assert not any(c and "@" in c for c in canonical)
    assert PASSWORD not in result.output
    # never sent either: no request carried an Authorization header
    assert [path for path, headers in site.requests if "Authorization" in headers] == []


def test_credentials_on_the_command_line_and_in_a_urls_file_are_refused(kurt, tmp_path, site):
    root = workspace(tmp_path)
    host = site.base.removeprefix("http://")
    result = kurt("content", "fetch", f"http://admin:{PASSWORD}@{host}/a", cwd=root)
    assert result.exit_code != 0 and "user name or password are refused" in result.output
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.base}/ok\nhttp://admin:{PASSWORD}@{host}/a\n")
    result = kurt("content", "fetch", "--urls-file", str(listing), cwd=root)
    assert result.exit_code != 0 and "user name or password are refused" in result.output
    assert PASSWORD not in result.output and PASSWORD not in stored_text(root)
    assert site.requests == []


# -- discovery: links and sitemaps that point inside -----------------------------------


def test_crawl_links_to_private_addresses_are_not_followed(kurt, tmp_path, site, internal):
    links = [f"{internal.base}/secret", METADATA, f"http://localhost:{internal.port}/secret",
             "http://10.0.0.1/admin", "/b"]
    site.routes["/"] = site.page("Home", "".join(f'<a href="{u}">x</a>' for u in links))
    site.routes["/b"] = site.page("B", "<p>b</p>")
    root = workspace(tmp_path)
    result = kurt("content", "map", "url", "--format", "json", site.base + "/", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.json()["method"] == "crawl"
    assert sorted(documents(root)) == [site.base + "/", site.base + "/b"]
    assert internal.connections == 0


def test_sitemaps_pointing_at_private_addresses_are_not_read(kurt, tmp_path, site, internal):
    site.routes["/robots.txt"] = lambda s: (200, {}, (
        f"User-agent: *\nSitemap: {METADATA}sitemap.xml\nSitemap: {internal.base}/sitemap.xml\n"
        f"Sitemap: http://localhost:{internal.port}/sitemap.xml\n").encode())
    site.routes["/sitemap.xml"] = lambda s: (200, {}, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{internal.base}/sitemap.xml</loc></sitemap>"
        f"<sitemap><loc>{s.base}/pages.xml</loc></sitemap></sitemapindex>").encode())
    site.routes["/pages.xml"] = lambda s: (200, {}, _urlset(
        [f"{s.base}/a", f"{internal.base}/secret", METADATA]))
    site.routes["/a"] = site.page("A", "<p>a</p>")
    root = workspace(tmp_path)
    result = kurt("content", "add", "--format", "json", site.base + "/", cwd=root)
    assert result.exit_code == 0, result.output
    report = result.json()["mapped"][0]["report"]
    problems = "\n".join(report["problems"])
    assert f"{METADATA}sitemap.xml: refused: 169.254.169.254 is a link-local address" in problems
    assert f"{internal.base}/sitemap.xml: refused: 127.0.0.1 is a loopback address" in problems
    assert f"http://localhost:{internal.port}/sitemap.xml: refused: localhost resolves to" in problems
    assert sorted(documents(root)) == [site.base + "/a"]
    assert internal.connections == 0
    assert SECRET not in stored_text(root)
