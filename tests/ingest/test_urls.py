import pytest

from kurt.errors import UsageError
from kurt.ingest.urls import (
    check_user_url,
    domain_of,
    glob_regex,
    is_http_url,
    normalize_url,
    origin_of,
    prefix_folder,
    same_site,
    site_key,
    strip_userinfo,
    web_url,
)


@pytest.mark.parametrize("url,expected", [
    ("HTTP://Example.COM/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/a#section", "https://example.com/a"),
    ("https://example.com/a?utm_source=x&b=2&fbclid=y", "https://example.com/a?b=2"),
    ("https://example.com/a?z=1&a=2", "https://example.com/a?z=1&a=2"),
    ("https://example.com/%7euser", "https://example.com/~user"),  # unreserved: decoded
    ("https://example.com/%7Euser", "https://example.com/~user"),
    ("https://example.com/a%2fb%3f", "https://example.com/a%2Fb%3F"),  # reserved: kept, upper-cased
    ("https://example.com/%41%2D%5f%2e", "https://example.com/A-_."),
    ("https://example.com/café", "https://example.com/caf%C3%A9"),  # IRI -> URI (RFC 3987 3.1)
    ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
    ("https://example.com/s?q=über&x=%7e", "https://example.com/s?q=%C3%BCber&x=~"),
    ("https://example.com/a/%2e%2E/b", "https://example.com/b"),  # an escaped dot segment too
    ("https://example.com/bad-%zz", "https://example.com/bad-%zz"),  # a stray % as written
    ("https://Bücher.de/a", "https://xn--bcher-kva.de/a"),  # IDNA
    ("https://xn--bcher-kva.de/a", "https://xn--bcher-kva.de/a"),
    ("https://MÜNCHEN.example/", "https://xn--mnchen-3ya.example/"),
    ("https://user:secret@example.com/a", "https://example.com/a"),  # never credentials
    ("https://user@Example.com:8443/a", "https://example.com:8443/a"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected  # a normal form stays as it is


def test_an_internationalised_host_is_one_site_with_its_punycode_form():
    assert domain_of("https://www.bücher.de/x") == "xn--bcher-kva.de"
    assert same_site("https://bücher.de/a", "https://xn--bcher-kva.de/b")


@pytest.mark.parametrize("url,expected", [
    ("https://x.com/a", True), ("http://x.com", True), ("ftp://x.com", False),
    ("/relative", False), ("mailto:a@b.c", False), ("https://", False),
])
def test_is_http_url(url, expected):
    assert is_http_url(url) is expected


@pytest.mark.parametrize("a,b,expected", [
    ("https://x.com/a", "http://x.com/b", True),
    ("https://www.x.com/a", "https://x.com/b", True),
    ("https://docs.x.com/", "https://x.com/", False),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:9000/", False),
])
def test_same_site(a, b, expected):
    assert same_site(a, b) is expected


@pytest.mark.parametrize("url,expected", [
    ("https://www.Example.com/a", "example.com"), ("http://127.0.0.1:8000/", "127.0.0.1"),
])
def test_domain_of(url, expected):
    assert domain_of(url) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://x.com/", "/"), ("https://x.com/docs", "/docs/"), ("https://x.com/docs/", "/docs/"),
    ("https://x.com/docs/sitemap.xml", "/docs/"),
])
def test_prefix_folder(url, expected):
    assert prefix_folder(url) == expected


@pytest.mark.parametrize("text,message", [
    ("", "Give a URL"),
    ("ftp://x.com/file", "unsupported URL scheme 'ftp'"),
    ("file:///tmp/a.md", "kurt content map folder"),
    ("not a url", "start it with https://"),
    ("http://x.com:99999/", "not a valid URL"),
    ("https://user:secret@x.com/docs", "user name or password are refused"),
])
def test_check_user_url_rejects_with_a_reason(text, message):
    with pytest.raises(UsageError, match=message):
        check_user_url(text)


def test_check_user_url_adds_https_to_a_bare_host():
    assert check_user_url("docs.example.com/guides") == "https://docs.example.com/guides"


@pytest.mark.parametrize("pattern,url,expected", [
    ("*/guides/*", "https://x.com/guides/a", True),
    ("/guides/*", "https://x.com/guides/a", True),
    ("/guides/*", "https://x.com/docs/a", False),
    ("https://x.com/docs/*", "https://x.com/docs/a/b", True),
    ("*.pdf", "https://x.com/a.PDF", True),
])
def test_glob_regex(pattern, url, expected):
    assert bool(glob_regex(pattern).match(url)) is expected


@pytest.mark.parametrize("href,base,expected", [
    ("/docs/a", "https://x.com/sitemap.xml", "https://x.com/docs/a"),
    ("b#part", "https://x.com/docs/a", "https://x.com/docs/b"),
    ("https://user:pass@x.com/a", "", "https://x.com/a"),
    ("http://admin:hunter2@10.0.0.1:8080/x?q=1", "", "http://10.0.0.1:8080/x?q=1"),
    ("https://p@ss@x.com/a", "", "https://x.com/a"),  # the last '@' ends the user info
    ("//other.com/a", "https://x.com/", "https://other.com/a"),
    ("  https://x.com/a?utm_source=keep  ", "", "https://x.com/a?utm_source=keep"),  # as written
    ("javascript:alert(1)", "https://x.com/", None),
    ("mailto:a@x.com", "https://x.com/", None),
    ("ftp://x.com/a", "", None),
    ("/relative", "", None),  # no base: not absolute
    ("http:///no-host", "", None),
    ("http://[::1/", "", None),  # malformed
    ("http://x.com:99999/", "", None),  # bad port
    ("", "https://x.com/", None),
])
def test_web_url(href, base, expected):
    assert web_url(href, base) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://user:pass@x.com/a", "https://x.com/a"),
    ("https://x.com/a@b", "https://x.com/a@b"),  # an '@' in the path is not user info
    ("file://me@host/etc/x", "file://host/etc/x"),
    ("https://x.com/", "https://x.com/"),
])
def test_strip_userinfo(url, expected):
    assert strip_userinfo(url) == expected


@pytest.mark.parametrize("url,expected", [
    ("https://www.X.com/a", ("x.com", None)),
    ("http://x.com:80/", ("x.com", None)),
    ("https://x.com:443/", ("x.com", None)),
    ("http://x.com:443/", ("x.com", 443)),  # not the default port of http
    ("http://127.0.0.1:8000/a", ("127.0.0.1", 8000)),
    ("http://x.com:99999/", None),
    ("file:///tmp/a", None),
])
def test_site_key(url, expected):
    assert site_key(url) == expected


@pytest.mark.parametrize("url, origin", [
    ("https://Example.com/docs/a", "https://example.com"),
    ("http://example.com:80/a", "http://example.com"),
    ("http://example.com:8080/a", "http://example.com:8080"),
    ("http://[::1]:8631/page", "http://[::1]:8631"),  # an IPv6 literal keeps its brackets
    ("https://[2001:db8::1]/", "https://[2001:db8::1]"),
])
def test_origin_of(url, origin):
    assert origin_of(url) == origin
