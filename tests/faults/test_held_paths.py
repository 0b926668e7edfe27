"""URLs that try to write outside ``sources/``, URLs that collide on one file name, and odd
URLs: cases that hold today.

A hostile sitemap lists every case; one ``kurt content add`` maps and fetches them all from a
loopback server that answers any path with a page naming the path it was asked for. Then:
every file is inside ``sources/<host>/``, nothing else in the workspace (or beside it)
changed, every document has a file of its own, and each file holds the page of its URL.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

import pytest

from kurt.ingest.urls import normalize_url
from tests.faults.conftest import (
    assert_consistent,
    db_rows,
    make_workspace,
    page_html,
    send,
    serving,
    urlset,
)

TRAVERSAL = [  # (listed path, the URL path stored, the file it lands in under sources/<host>/)
    ("/../../../escaped", "/escaped", "escaped.md"),
    ("/%2e%2e/%2e%2e/%2e%2e/escaped-encoded", "/escaped-encoded",  # %2E is "." (RFC 3986 6.2.2)
     "escaped-encoded.md"),
    ("/%252e%252e/%252e%252e/escaped-twice", "/%252e%252e/%252e%252e/escaped-twice",
     "escaped-twice.md"),
    ("/docs/..%2f..%2f..%2fescaped-slash", "/docs/..%2F..%2F..%2Fescaped-slash",
     "docs/escaped-slash.md"),
    ("/win\\..\\..\\..\\escaped-backslash", "/win\\..\\..\\..\\escaped-backslash",
     "win/escaped-backslash.md"),
    ("//etc/absolute", "//etc/absolute", "etc/absolute.md"),
    ("/%2Fetc%2Fabsolute-encoded", "/%2Fetc%2Fabsolute-encoded", "etc/absolute-encoded.md"),
    ("/nul%00byte", "/nul%00byte", "nul_byte.md"),
    ("/.kurt/kurt.db", "/.kurt/kurt.db", "kurt/kurt.db.md"),
    ("/.hidden", "/.hidden", "hidden.md"),
    ("/con", "/con", "_con.md"),
    ("/aux.html", "/aux.html", "_aux.md"),
    ("/nul/prn", "/nul/prn", "_nul/_prn.md"),
    ("/COM1.txt", "/COM1.txt", "_COM1.md"),
    ("/lpt9", "/lpt9", "_lpt9.md"),
    ("/question%3Fmark%2A", "/question%3Fmark%2A", "question_mark_.md"),
]
LONG = [  # segments far over the 255 bytes a file name may have
    "/" + "s" * 600,
    "/" + "é" * 300,
    "/deep/" + "/".join(["d" * 200] * 5),
]
COLLIDING = [  # each group would share one file name if nothing told them apart
    ["/a", "/a.html", "/A", "/a.htm", "/a/", "/a?x=1", "/a?x=2", "/a?x=1&y=2"],
    ["/a:b", "/a|b", "/a*b"],
    ["/caf%C3%A9", "/café", "/CAFÉ"],
    ["/q?" + "k=v&" * 2000 + "end=1", "/q?" + "k=v&" * 2000 + "end=2"],
]
ODD = [  # (listed, the URL path and query stored)
    ("/café/ünïcode", "/caf%C3%A9/%C3%BCn%C3%AFcode"),
    ("/emoji-%F0%9F%98%80", "/emoji-%F0%9F%98%80"),
    ("/with space", "/with%20space"),
    ("/fragment#section-2", "/fragment"),
    ("/bad-escape-%zz", "/bad-escape-%zz"),
    ("/x/./y/../z", "/x/z"),
]


def marker(path: str) -> str:
    """What the page served for ``path`` says about itself (the same for any spelling of
    the path that decodes the same)."""
    return "served-for-" + hashlib.sha256(unquote(path).encode()).hexdigest()[:16]


def _any_page(handler, path: str) -> None:
    asked = handler.requestline.split(" ")[1]  # as sent: http.server folds a leading "//"
    send(handler, 200, page_html(f"Page {html.escape(marker(asked))}", marker(asked)))


def _snapshot(folder: Path, skip: tuple[Path, ...]) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*")
            if p.is_file() and not any(p.is_relative_to(s) for s in skip)}


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """(workspace, base URL, url -> (status, content path), files changed outside sources/)."""
    from tests.conftest import run_kurt

    top = tmp_path_factory.mktemp("paths")
    root = make_workspace(top)
    (top / "escaped.md").write_text("a file beside the workspace that must stay as it is")
    with serving() as server:
        paths = [p for p, _, _ in TRAVERSAL] + LONG + [p for g in COLLIDING for p in g] + \
                [p for p, _ in ODD]
        server.fallback = _any_page
        server.routes["/sitemap.xml"] = lambda h: send(
            h, 200, urlset([escape(server.base + p) for p in paths]), "application/xml")
        before = _snapshot(top, (root / "sources", root / ".kurt"))
        result = run_kurt("content", "add", server.url("/sitemap.xml"), cwd=root)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        changed = {k: v for k, v in _snapshot(top, (root / "sources", root / ".kurt")).items()
                   if before.get(k) != v}
        docs = {url: (status, path) for url, status, path in
                db_rows(root, "SELECT url, status, content_path FROM documents")}
        yield root, server.base, docs, changed


def test_nothing_outside_sources_is_written(added):
    root, _, docs, changed = added
    assert changed == {}
    assert_consistent(root)
    assert all(status == "FETCHED" for status, _ in docs.values())


@pytest.mark.parametrize("listed, stored, file", TRAVERSAL, ids=[t[0][:40] for t in TRAVERSAL])
def test_a_traversal_url_lands_inside_sources(added, listed, stored, file):
    root, base, docs, _ = added
    status, path = docs[base + stored]
    assert status == "FETCHED"
    assert path == f"sources/127.0.0.1/{file}"
    assert marker(stored) in (root / path).read_text()


@pytest.mark.parametrize("listed", LONG, ids=["600-ascii", "300-accented", "5-deep-200"])
def test_a_very_long_segment_is_cut_to_a_file_name_the_disk_accepts(added, listed):
    root, base, docs, _ = added
    status, path = docs[normalize_url(base + listed)]  # "é" is stored as %C3%A9
    assert status == "FETCHED"
    assert path.startswith("sources/127.0.0.1/")
    assert all(len(part.encode()) <= 128 for part in Path(path).parts)
    assert marker(listed) in (root / path).read_text()


@pytest.mark.parametrize("group", COLLIDING, ids=["a-html-A-query", "unsafe-chars", "café",
                                                 "long-queries"])
def test_colliding_urls_get_a_file_each(added, group):
    root, base, docs, _ = added
    mine = {url: path for url, (_, path) in docs.items()}
    listed = [u for u in docs if any(_same(u, base + p) for p in group)]
    assert len(listed) >= 2
    files = [mine[u] for u in listed]
    assert len(set(f.lower() for f in files)) == len(files), files  # case-insensitive disks too
    for url in listed:
        parts = urlsplit(url)
        asked = parts.path + ("?" + parts.query if parts.query else "")
        assert marker(asked) in (root / mine[url]).read_text()


def _same(stored: str, listed: str) -> bool:
    """True when ``stored`` is the normalized form of ``listed`` (decoded and case kept)."""
    a, b = urlsplit(stored), urlsplit(listed.replace(" ", "%20"))
    return unquote(a.path) == unquote(b.path) and a.query == b.query


@pytest.mark.parametrize("listed, stored", ODD, ids=[o[0][:20] for o in ODD])
def test_an_odd_url_is_fetched_and_stored_by_its_normal_form(added, listed, stored):
    root, base, docs, _ = added
    status, path = docs[base + stored]
    assert status == "FETCHED" and path.startswith("sources/127.0.0.1/")
    assert marker(stored) in (root / path).read_text()



def test_one_url_spelled_as_an_iri_and_percent_encoded_is_one_document(added):
    _, base, docs, _ = added
    assert not (base + "/café" in docs and base + "/caf%C3%A9" in docs)

# -- odd URLs typed on the command line ------------------------------------------------------


@pytest.mark.parametrize("url", ["/with space", "/tab\there", "/a b/c d?e f=g#h i"],
                         ids=["space", "tab", "spaces-everywhere"])
def test_a_typed_url_with_blanks_is_refused_in_one_line(kurt, tmp_path, server, url):
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", server.base + url, cwd=root)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip() == (f"Error: '{server.base + url}' contains spaces: quote or "
                                     "encode them (%20)")
    assert server.requests == [] and db_rows(root, "SELECT COUNT(*) FROM documents") == [(0,)]


def test_an_idn_host_is_fetched_or_fails_on_its_name_cleanly(kurt, tmp_path, server):
    """bücher.localhost resolves to 127.0.0.1 where the resolver follows RFC 6761 and not
    elsewhere: either way the outcome is a row with a plain reason, never a traceback."""
    port = server.base.rsplit(":", 1)[1]
    server.fallback = _any_page
    url = f"http://bücher.localhost:{port}/idn"
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", url, cwd=root)
    assert "Traceback" not in result.output
    rows = db_rows(root, "SELECT url, status, error, content_path FROM documents")
    assert len(rows) == 1
    stored, status, error, path = rows[0]
    assert urlsplit(stored).hostname in ("bücher.localhost", "xn--bcher-kva.localhost")
    if status == "FETCHED":
        assert result.exit_code == 0 and path.startswith("sources/")
    else:
        assert result.exit_code == 1 and (status, path) == ("ERROR", None)
        assert error.startswith("DNS lookup failed for ")
    assert_consistent(root)


@pytest.fixture
def ipv6_server():
    import socket

    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback on this machine: {exc}")
    with serving("::1") as running:
        yield running


def test_a_site_on_an_ipv6_literal_is_fetched(kurt, tmp_path, ipv6_server):
    ipv6_server.routes["/page"] = lambda h: send(h, 200, page_html("IPv6 page", "Over IPv6."))
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", ipv6_server.url("/page"), cwd=root)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    assert db_rows(root, "SELECT status FROM documents") == [("FETCHED",)]
