"""End to end on a site shaped unlike the bundled company site (issue 8).

Partners sit under ``/apps/``, each page titled "<Partner> for <Product>" (not the bare
name), with another chrome, no "<Partner> + <Product>" section, and no page that says
"integration": their URL directory, their shape and their links to the partner's own
domain are the evidence. Blog posts say "integration" once in passing. The installed
``kurt`` must still type the partner pages ``integration``, tag them
``Topic:integration``, make each partner a Company, and rank them first for
``search "integration"``.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from tests.loopback import LoopbackServer

PARTNERS = ("Brinexon", "Dorlumly", "Frastoa", "Hapquenon", "Kelbriex", "Lumgorex", "Nexkelon",
            "Pikmara", "Quonexly", "Ralstoon", "Tixnexio", "Velhapex")
CATEGORIES = ("CRM", "Ticketing", "Billing", "Messaging", "Analytics", "Identity")
TOPICS = ("incident response", "on-call rotations", "alert fatigue", "postmortems", "runbooks")


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><title>{title} | Zephyrix</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/apps/'>Apps</a> <a href='/blog/'>Blog</a></nav></header>"
            f"<main><article>{body}</article></main>"
            "<footer><p>We use cookies to improve your experience.</p><p>© 2026 Zephyrix Inc.</p></footer>"
            "</body></html>")


def _site() -> dict[str, str]:
    pages = {}
    for i, name in enumerate(PARTNERS):
        slug, cat = name.lower(), CATEGORIES[i % len(CATEGORIES)]
        pages[f"/apps/{slug}/"] = _page(f"{name} for Zephyrix Relay", (
            f"<h1>{name} for Zephyrix Relay</h1><p>{cat}</p>"
            f"<p>Connect {name} to Zephyrix Relay and route every {cat.lower()} event from {name} into"
            " your incident workflow in minutes.</p>"
            f"<h2>What you can do</h2><ul><li>Send {name} events to Relay channels</li>"
            f"<li>Create Relay tickets from {name} records</li></ul>"
            f"<h2>Set it up</h2><p>In {name}, open Admin &gt; Developer &gt; Tokens and create a token."
            f" Contact {name} support at <a href='https://support.{slug}.example/help'>"
            f"https://support.{slug}.example/help</a> or read the"
            f" <a href='https://docs.{slug}.example/api'>{name} API reference</a>.</p>"))
    for i in range(30):
        topic, name = TOPICS[i % len(TOPICS)], PARTNERS[i % len(PARTNERS)]
        text = f"<p>Teams who practice {topic} well write things down and review it weekly. </p>" * 8
        pages[f"/blog/{i}/"] = _page(f"Notes on {topic} {i}", (
            f"<h1>Notes on {topic}, part {i}</h1>{text}"
            f"<p>One customer connected {name} last quarter, a nice integration to see.</p>"))
    links = "".join(f"<a href='{p}'>{p}</a> " for p in pages)
    pages["/"] = _page("Zephyrix", f"<h1>Zephyrix Relay</h1><p>Incident routing.</p><p>{links}</p>")
    return pages


class _Handler(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self):  # noqa: N802
        if self.path == "/sitemap.xml":
            host = f"http://{self.headers['Host']}"
            body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<url><loc>{host}{p}</loc></url>" for p in self.pages) + "</urlset>")
            kind = "application/xml"
        elif self.path in self.pages:
            body, kind = self.pages[self.path], "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def apps_site(tmp_path_factory):
    from tests.conftest import run_kurt

    _Handler.pages = _site()
    server = LoopbackServer(("127.0.0.1", 0), _Handler).start()
    root = tmp_path_factory.mktemp("apps-site")
    try:
        assert run_kurt("init", "ws", cwd=root).exit_code == 0
        added = run_kurt("content", "add", server.base + "/", cwd=root / "ws", timeout=600)
        assert added.exit_code == 0, added.stderr
    finally:
        server.stop()
    assert not server.errors
    return root / "ws", server.base


def _listed(kurt, ws, *args):
    result = kurt("content", "list", *args, "--limit", "0", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    return {d["url"] for d in json.loads(result.stdout)["documents"]}


def _partner_pages(base):
    return {f"{base}/apps/{name.lower()}/" for name in PARTNERS}


def test_partner_pages_titled_with_wording_are_about_topic_integration(kurt, apps_site):
    ws, base = apps_site
    assert _listed(kurt, ws, "--with-entity", "Topic:integration") == _partner_pages(base)
    assert _partner_pages(base) <= _listed(kurt, ws, "--with-content-type", "integration")


@pytest.mark.parametrize("name", ["Brinexon", "Velhapex"])
def test_each_partner_is_a_company_that_finds_its_page(kurt, apps_site, name):
    ws, base = apps_site
    assert f"{base}/apps/{name.lower()}/" in _listed(kurt, ws, "--with-entity", f"Company:{name}")


def test_search_integration_ranks_partner_pages_that_never_say_it_first(kurt, apps_site):
    ws, base = apps_site
    result = kurt("content", "search", "integration", "--limit", "10", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    urls = [p["url"] for p in json.loads(result.stdout)["passages"]]
    assert len(urls) == 10 and set(urls) <= _partner_pages(base)
