"""Hostile sitemaps and robots.txt files that hold today: gzip and XML bombs, external
entities, index loops, nesting without end, 100,000 URLs, broken XML, HTML where a sitemap
should be, URLs of other schemes, and robots.txt files that are huge, binary or HTML.

Each case maps (or fetches) from a real loopback server with the installed ``kurt`` and
checks what the user sees, what the database records, and what the server was asked for.
"""

from __future__ import annotations

import pytest

from kurt.sample_site import build_gzip_bomb, build_png
from tests.faults.conftest import (
    assert_consistent,
    db_rows,
    documents,
    make_workspace,
    ok,
    page,
    page_html,
    peak_rss,
    send,
    sitemap_index,
    urlset,
)

MB = 1024 * 1024
MEMORY_CEILING = 500 * MB
XML = "application/xml"
SECRET = "SECRET-read-from-the-local-disk"


def xml(body: bytes):
    return ok(body, XML)


def mapped(kurt, root, url: str, *args: str):
    """``kurt content map url --format json URL``: (result, its JSON report)."""
    result = kurt("content", "map", "url", "--format", "json", *args, url, cwd=root)
    assert "Traceback" not in result.output, result.output
    return result, result.json()


def urls(root) -> list[str]:
    return sorted(documents(root))


@pytest.fixture
def site(server):
    """The server with three plain pages, /p0 to /p2."""
    for i in range(3):
        server.routes[f"/p{i}"] = page(f"Page {i}", f"Page number {i}.")
    return server


# -- bombs -------------------------------------------------------------------------------


@pytest.mark.parametrize("path, headers, reason", [
    ("/sitemap.xml.gz", {}, "decompressed size over 50 MB (gzip bomb?): stopped reading"),
    ("/sitemap.xml", {"Content-Encoding": "gzip"}, "response larger than 52428800 bytes"),
], ids=["gzip-file", "gzip-transfer"])
def test_a_gzip_bomb_sitemap_stops_at_the_cap_in_bounded_memory(tmp_path, site, path, headers,
                                                                 reason):
    """1 GB of XML in 1 MB of gzip, as a .gz file or as a gzip-encoded response."""
    site.routes[path] = ok(build_gzip_bomb(1024 * MB), "application/gzip", headers)
    root = make_workspace(tmp_path)
    code, peak, output = peak_rss(["content", "map", "url", site.url(path)], root)
    assert code == 1 and "Traceback" not in output
    assert f"{site.url(path)}: {reason}" in output
    assert 0 < peak < MEMORY_CEILING, f"peak resident memory {peak / MB:.0f} MB"
    assert urls(root) == []


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE urlset [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/p0?q=&lol9;</loc></url><url><loc>{base}/p1</loc></url></urlset>"""


def test_billion_laughs_is_not_expanded(kurt, tmp_path, site):
    site.routes["/laughs.xml"] = xml(BILLION_LAUGHS.format(base=site.base).encode())
    root = make_workspace(tmp_path)
    code, peak, output = peak_rss(["content", "map", "url", "--format", "json",
                                   site.url("/laughs.xml")], root)
    assert code == 0 and "Traceback" not in output
    assert peak < MEMORY_CEILING
    stored = "".join(u for (u,) in db_rows(root, "SELECT url FROM documents"))
    assert "lol" not in stored and len(stored) < 1000  # 10^9 "lol"s were never made
    assert "malformed XML" in output and "entity" in output  # and the user is told


def test_external_entities_are_not_read_from_disk_or_network(kurt, tmp_path, site):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    site.routes["/xxe.xml"] = xml(f"""<?xml version="1.0"?>
<!DOCTYPE urlset [
  <!ENTITY file SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "{site.base}/entity.dtd">
  <!ENTITY % param SYSTEM "{site.base}/param.dtd"> %param;
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.base}/p0?x=&file;</loc></url><url><loc>{site.base}/p1#&remote;</loc></url>
<url><loc>{site.base}/p2</loc></url></urlset>""".encode())
    root = make_workspace(tmp_path)
    result, report = mapped(kurt, root, site.url("/xxe.xml"))
    assert result.exit_code == 0
    assert site.url("/p2") in urls(root)
    stored = repr(db_rows(root, "SELECT * FROM documents"))
    assert SECRET not in stored and SECRET not in result.output
    assert [p for p in site.requests if p.endswith(".dtd")] == []


# -- sitemap indexes -----------------------------------------------------------------------


def test_a_sitemap_index_loop_is_read_once_per_sitemap(kurt, tmp_path, site):
    site.routes["/a.xml"] = xml(sitemap_index([site.url("/b.xml")]))
    site.routes["/b.xml"] = xml(sitemap_index([site.url("/a.xml"), site.url("/pages.xml")]))
    site.routes["/pages.xml"] = xml(urlset([site.url("/p0"), site.url("/p1")]))
    root = make_workspace(tmp_path)
    result, report = mapped(kurt, root, site.url("/a.xml"))
    assert result.exit_code == 0
    assert urls(root) == [site.url("/p0"), site.url("/p1")]
    assert f"{site.url('/b.xml')}: lists {site.url('/a.xml')} again (a loop): not read twice" \
        in report["problems"]
    assert [site.requests.count(p) for p in ("/a.xml", "/b.xml", "/pages.xml")] == [1, 1, 1]


def test_a_sitemap_index_listing_itself_is_read_once(kurt, tmp_path, site):
    site.routes["/self.xml"] = xml(sitemap_index([site.url("/self.xml"), site.url("/pages.xml")]))
    site.routes["/pages.xml"] = xml(urlset([site.url("/p0")]))
    root = make_workspace(tmp_path)
    result, report = mapped(kurt, root, site.url("/self.xml"))
    assert result.exit_code == 0
    assert urls(root) == [site.url("/p0")]
    assert site.requests.count("/self.xml") == 1
    assert any("again (a loop)" in p for p in report["problems"])


def test_sitemap_indexes_nested_without_end_stop_at_the_depth_bound(kurt, tmp_path, site):
    def nest(handler, path: str) -> None:  # /nest/N.xml is an index listing /nest/N+1.xml
        if not path.startswith("/nest/"):
            return send(handler, 404, b"")
        level = int(path.removeprefix("/nest/").removesuffix(".xml"))
        return xml(sitemap_index([site.url(f"/nest/{level + 1}.xml")]))(handler)

    site.fallback = nest
    root = make_workspace(tmp_path)
    result, report = mapped(kurt, root, site.url("/nest/0.xml"))
    assert result.exit_code == 1
    assert report["problems"] == ["sitemap indexes nested deeper than 5 levels: "
                                  "1 sitemaps not read"]
    assert len([p for p in site.requests if p.startswith("/nest/")]) == 6
    assert urls(root) == []


def test_a_sitemap_of_100k_urls_stops_at_max_pages(kurt, tmp_path, site):
    site.routes["/many.xml"] = xml(urlset([site.url(f"/many/{i}") for i in range(100_000)]))
    root = make_workspace(tmp_path)
    result = kurt("content", "map", "url", "--max-pages", "1000", site.url("/many.xml"), cwd=root)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "stopped at 1000 URLs (limit)" in result.stderr
    assert "1000 found, 1000 new" in result.stdout
    assert db_rows(root, "SELECT COUNT(*), MIN(status), MAX(status) FROM documents")[0] == \
        (1000, "NOT_FETCHED", "NOT_FETCHED")


# -- broken and misleading sitemaps ------------------------------------------------------


def test_malformed_xml_keeps_the_entries_read_before_the_break(kurt, tmp_path, site):
    whole = urlset([site.url("/p0"), site.url("/p1")])
    site.routes["/cut.xml"] = xml(whole[: -len(b"</urlset>")] + b"<url><loc>" +
                                  site.url("/p2").encode())
    root = make_workspace(tmp_path)
    result = kurt("content", "map", "url", site.url("/cut.xml"), cwd=root)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert {site.url("/p0"), site.url("/p1")} <= set(urls(root))
    assert f"{site.url('/cut.xml')}: malformed XML (line 1: Premature end of data" in result.stderr


@pytest.mark.parametrize("body, content_type, reason", [
    (page_html("Welcome", "A home page, not a sitemap."), "text/html",
     "an HTML page, not a sitemap or feed"),
    (b"", XML, "empty file"),
    (b'<?xml version="1.0"?><catalog><book>Kurt</book></catalog>', XML,
     "XML root <catalog> is not a sitemap or feed"),
], ids=["html", "empty", "other-xml"])
def test_a_sitemap_url_that_is_not_a_sitemap_says_what_it_is(kurt, tmp_path, site, body,
                                                              content_type, reason):
    site.routes["/sitemap.xml"] = ok(body, content_type)
    root = make_workspace(tmp_path)
    result = kurt("content", "map", "url", site.url("/sitemap.xml"), cwd=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Nothing found at {site.url('/sitemap.xml')}." in result.stderr
    assert f"{site.url('/sitemap.xml')}: {reason}" in result.stderr
    assert urls(root) == []


def test_sitemap_entries_of_other_schemes_are_left_out(kurt, tmp_path, site):
    site.routes["/schemes.xml"] = xml(urlset([
        site.url("/p0"), "file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi",
        f"ftp://{site.host}/x", "mailto:root@localhost",
    ]))
    root = make_workspace(tmp_path)
    result, _ = mapped(kurt, root, site.url("/schemes.xml"))
    assert result.exit_code == 0
    assert urls(root) == [site.url("/p0")]


# -- robots.txt ----------------------------------------------------------------------------


def test_a_huge_robots_txt_is_read_up_to_its_first_500_kib(kurt, tmp_path, site):
    """RFC 9309 2.5: a crawler may stop at 500 KiB; the rules before that still count."""
    filler = b"# a comment line that pads this robots.txt out to megabytes\n" * 100_000
    site.routes["/robots.txt"] = ok(b"User-agent: *\nDisallow: /p1\n" + filler +
                                    b"User-agent: *\nDisallow: /p2\n", "text/plain")
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", *(site.url(f"/p{i}") for i in range(3)), cwd=root)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    docs = documents(root)
    assert docs[site.url("/p0")] == ("FETCHED", None)
    assert docs[site.url("/p1")] == (
        "SKIPPED", "blocked by robots.txt for user agent KurtBot (rule 'Disallow: /p1' for *)")
    assert docs[site.url("/p2")] == ("FETCHED", None)  # its rule lies past the 500 KiB read
    assert "/p1" not in site.requests
    assert_consistent(root)


@pytest.mark.parametrize("body, content_type", [
    (build_png() * 100, "image/png"),
    (bytes(range(256)) * 400, "text/plain"),
    (page_html("Robots", "Beep boop: this site has no robots.txt, here is its home page."),
     "text/html"),
], ids=["png", "binary-as-text", "html"])
def test_a_robots_txt_without_rules_lets_every_page_be_fetched(kurt, tmp_path, site, body,
                                                               content_type):
    site.routes["/robots.txt"] = ok(body, content_type)
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", *(site.url(f"/p{i}") for i in range(3)), cwd=root)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert set(documents(root).values()) == {("FETCHED", None)}
    assert site.requests.count("/robots.txt") == 1
    assert_consistent(root)
