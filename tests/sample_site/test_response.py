"""kurt.sample_site.response: conditional GET as a pure function."""

from __future__ import annotations

import pytest

from kurt.sample_site.pages import http_date
from kurt.sample_site.response import Response, conditional, etag_of

BODY = b"<p>hello</p>"
MODIFIED = 1_704_067_200.0


@pytest.mark.parametrize("headers,status", [
    ({}, 200),
    ({"if-none-match": etag_of(BODY)}, 304),
    ({"if-none-match": "W/" + etag_of(BODY)}, 304),
    ({"if-none-match": '"other", ' + etag_of(BODY)}, 304),
    ({"if-none-match": "*"}, 304),
    ({"if-none-match": '"other"'}, 200),
    ({"if-modified-since": http_date(MODIFIED)}, 304),
    ({"if-modified-since": http_date(MODIFIED - 1)}, 200),
    ({"if-modified-since": "not a date"}, 200),
    ({"if-none-match": '"other"', "if-modified-since": http_date(MODIFIED)}, 200),  # ETag wins
])
def test_conditional_status(headers, status):
    resp = conditional(Response(200, BODY), headers, MODIFIED)
    assert resp.status == status


def test_conditional_adds_etag_and_keeps_only_validators_on_304():
    resp = Response(200, BODY, headers={"Last-Modified": http_date(MODIFIED), "X-Other": "1"})
    assert conditional(resp, {}).headers["ETag"] == etag_of(BODY)
    not_modified = conditional(resp, {"if-none-match": etag_of(BODY)})
    assert not_modified.body == b"" and set(not_modified.headers) == {"ETag", "Last-Modified"}


def test_conditional_leaves_streamed_bodies_alone():
    resp = Response(200, iter([b"a"]), length=1)
    assert conditional(resp, {"if-none-match": "*"}) is resp and "ETag" not in resp.headers
