"""kurt.sample_site.server: conditional GET/HEAD on the wire, request log, shutdown."""

from __future__ import annotations

import re
import socket

import pytest

from kurt.sample_site import load_markdown_site, serve


def test_conditional_get_and_head(served, client):
    url = served.url("/docs/databases/postgresql")
    r = client.get(url)
    etag, last_modified = r.headers["etag"], r.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    r304 = client.get(url, headers={"If-None-Match": etag, "User-Agent": "kurt-test/1.0"})
    assert r304.status_code == 304 and r304.content == b"" and r304.headers["etag"] == etag
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(r.content)) and head.headers["etag"] == etag
    recs = served.site.requests.filter(path="/docs/databases/postgresql", status=304)
    assert any(rec.if_none_match == etag and rec.user_agent == "kurt-test/1.0" for rec in recs)
    assert served.site.requests.count(path="/docs/databases/postgresql", method="HEAD") >= 1


def test_server_closes_socket(tmp_path, client):
    (tmp_path / "a.md").write_text("# A\n")
    s = serve(load_markdown_site(tmp_path))
    host, port = s.base_url.removeprefix("http://").split(":")
    assert client.get(s.url("/a")).status_code == 200
    s.close()
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=1).close()
