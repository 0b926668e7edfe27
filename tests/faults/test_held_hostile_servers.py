"""Hostile and broken web servers that hold today: pages that never answer, trickle, stop
half-way, lie about their length, type or encoding, loop through redirects, or are far too big.

One fetch runs over every hostile page at once, with one good page among them (as a real
batch would meet them), and each case then checks its own document: the reason recorded,
no file written, and the good page fetched all the same. A few cases run alone to check the
one-line message a user sees, and the gzip bomb is run alone to measure its memory.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pytest

from kurt.sample_site import build_gzip_bomb, build_text_pdf
from tests.faults.conftest import (
    Route,
    assert_consistent,
    documents,
    make_workspace,
    ok,
    page,
    page_html,
    peak_rss,
    redirect,
    send,
    serving,
)

MB = 1024 * 1024
MEMORY_CEILING = 500 * MB  # a 1 GB gzip bomb must not get anywhere near this
PDF_TEXT = "This PDF says it is an HTML page."
TAIL = "TAIL-PAST-CONTENT-LENGTH"


def _trickle(handler) -> None:
    """Headers promising 100 kB, then one byte every 50 ms until the client gives up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(100_000):
        if handler.server.stop_flag.wait(0.05):
            return
        handler.wfile.write(b"<")
        handler.wfile.flush()


def _never(handler) -> None:
    handler.server.stop_flag.wait(30)


def _stops_half_way(handler) -> None:
    body = page_html("Half a page")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(len(body) * 2))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])


def _chunked(parts, count: int) -> Route:
    def route(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(count):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(parts), parts))
        handler.wfile.write(b"0\r\n\r\n")
    return route


def _raw(data: bytes) -> Route:
    def route(handler) -> None:
        handler.wfile.write(data)
    return route


def _huge_header(handler) -> None:
    handler.send_response(200)
    handler.send_header("X-Padding", "a" * 200_000)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _bad_chunk(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    handler.wfile.write(b"5\r\nhello\r\nZZZ\r\nnot a chunk size\r\n")


def _short_length(handler) -> None:
    body = page_html("Shorter than sent")
    send(handler, 200, body + f"<p>{TAIL}</p>".encode(), length=len(body))


@dataclass
class Case:
    path: str
    route: Route
    status: str  # the document's status afterwards
    reason: str | None  # what its error says (a part of it); None: no error


BIG_PAGE = page_html("Big page") + b"<p>" + b"word " * (11 * MB // 5) + b"</p>"
BOMB = build_gzip_bomb(1024 * MB)

CASES = [
    Case("/never-answers", _never, "ERROR", "timeout after 1s"),
    Case("/trickles", _trickle, "ERROR",
         "timeout: no complete response within 2s (total deadline)"),
    Case("/stops-half-way", _stops_half_way, "ERROR", "connection dropped by the server"),
    Case("/content-length-too-long",
         lambda h: send(h, 200, page_html("Long"), length=len(page_html("Long")) + 5000),
         "ERROR", "connection dropped by the server"),
    Case("/content-length-too-short", _short_length, "FETCHED", None),
    Case("/redirect-loop", redirect("/redirect-loop-b"), "ERROR",
         "redirect loop at {base}/redirect-loop (from {base}/redirect-loop-b)"),
    Case("/hop/0", redirect("/hop/1"), "ERROR", "too many redirects (more than 5)"),
    Case("/redirect-without-location", redirect(""), "ERROR",
         "HTTP 302 redirect without a Location header"),
    Case("/redirect-to-a-broken-url", redirect("http://[::1/x"), "ERROR",
         "redirect to http://[::1/x refused: invalid URL"),
    Case("/eleven-megabytes", ok(BIG_PAGE), "ERROR", "response larger than 10 MB (max_bytes)"),
    Case("/eleven-megabytes-chunked", _chunked(b"<p>" + b"word " * 20_000 + b"</p>", 120),
         "ERROR", "response larger than 10 MB (max_bytes)"),
    Case("/gzip-bomb", ok(BOMB, headers={"Content-Encoding": "gzip"}), "ERROR",
         "response larger than 10 MB (max_bytes)"),
    Case("/corrupt-gzip", ok(gzip.compress(page_html("Gz"))[:40] + b"garbage" * 20,
                             headers={"Content-Encoding": "gzip"}),
         "ERROR", "corrupt gzip body"),
    Case("/brotli", ok(page_html("Br"), headers={"Content-Encoding": "br"}), "ERROR",
         "unsupported content encoding 'br'"),
    Case("/not-http", _raw(b"THIS IS NOT HTTP\r\n\r\n" + page_html("x")), "ERROR",
         "connection dropped by the server"),
    Case("/huge-header", _huge_header, "ERROR", "connection dropped by the server"),
    Case("/bad-chunk", _bad_chunk, "ERROR", "connection dropped by the server"),
    Case("/status-999", lambda h: send(h, 999, page_html("Odd")), "ERROR", "HTTP 999"),
    Case("/unasked-304", lambda h: send(h, 304, b""), "ERROR", "HTTP 304"),
    Case("/retry-after-a-week", lambda h: send(h, 503, b"", headers={"Retry-After": "604800"}),
         "ERROR", "the server asks to wait 604800 s (Retry-After), more than 120 s; try again later"),
    Case("/pdf-as-html", ok(build_text_pdf([PDF_TEXT]), "text/html"), "FETCHED", None),
    Case("/unknown-charset", ok(page_html("Odd charset", "Plain words."),
                                "text/html; charset=x-no-such-charset"), "FETCHED", None),
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """(workspace root, fetch result, server) of one fetch over every case and a good page."""
    from tests.conftest import run_kurt

    with serving() as server:
        server.routes["/good"] = page("Good page", "Nothing wrong here.")
        server.routes["/redirect-loop-b"] = redirect("/redirect-loop")
        for hop in range(1, 10):
            server.routes[f"/hop/{hop}"] = redirect(f"/hop/{hop + 1}")
        for case in CASES:
            server.routes[case.path] = case.route
        root = make_workspace(tmp_path_factory.mktemp("hostile"))
        urls = [server.url("/good"), *(server.url(case.path) for case in CASES)]
        result = run_kurt("content", "fetch", "--format", "json", *urls, cwd=root)
        yield root, result, server


@pytest.mark.parametrize("case", CASES, ids=[c.path.strip("/") for c in CASES])
def test_hostile_response_is_recorded_with_its_reason(batch, case):
    root, result, server = batch
    url = server.url(case.path)
    status, error = documents(root)[url]
    assert status == case.status, error
    if case.reason is None:
        assert error is None
    else:
        assert case.reason.format(base=server.base) in error
        reported = {d["url"]: d for d in result.json()["documents"]}[url]
        assert reported["outcome"] == "failed" and reported["content_path"] is None
        assert reported["reason"] == error


def test_the_good_page_of_a_hostile_batch_is_fetched_and_nothing_is_left_half_done(batch):
    root, result, server = batch
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert documents(root)[server.url("/good")] == ("FETCHED", None)
    assert_consistent(root)
    fetched = [Path(p).name for p in (root / "sources" / "127.0.0.1").iterdir()]
    assert sorted(fetched) == ["content-length-too-short.md", "good.md", "pdf-as-html.md",
                               "unknown-charset.md"]


def test_content_length_shorter_than_the_body_keeps_only_what_it_declared(batch):
    root, _, _ = batch
    text = (root / "sources" / "127.0.0.1" / "content-length-too-short.md").read_text()
    assert "Shorter than sent" in text and TAIL not in text


def test_a_pdf_served_as_html_is_read_as_the_pdf_it_is(batch):
    root, _, _ = batch
    text = (root / "sources" / "127.0.0.1" / "pdf-as-html.md").read_text()
    assert PDF_TEXT in text and "%PDF" not in text


@pytest.mark.parametrize("path, reason", [
    ("/never-answers", "timeout after 1s"),
    ("/redirect-loop", "redirect loop at"),
    ("/eleven-megabytes", "response larger than 10 MB (max_bytes)"),
], ids=["never-answers", "redirect-loop", "too-big"])
def test_a_lone_hostile_page_fails_with_one_line_naming_the_reason(kurt, tmp_path, server,
                                                                   path, reason):
    server.routes.update({c.path: c.route for c in CASES})
    server.routes["/redirect-loop-b"] = redirect("/redirect-loop")
    root = make_workspace(tmp_path)
    result = kurt("content", "fetch", server.url(path), cwd=root)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("Error: all 1 documents failed")
    assert reason in errors[0]
    assert documents(root)[server.url(path)][0] == "ERROR"
    assert_consistent(root)


def test_a_gzip_bomb_page_is_capped_in_bounded_memory(tmp_path, server):
    """1 GB of HTML in 1 MB of gzip: reading stops at max_bytes, memory stays small."""
    server.routes["/bomb"] = ok(BOMB, headers={"Content-Encoding": "gzip"})
    root = make_workspace(tmp_path)
    code, peak, output = peak_rss(["content", "fetch", server.url("/bomb")], root)
    assert code == 1 and "Traceback" not in output
    assert "response larger than 10 MB (max_bytes)" in output
    assert 0 < peak < MEMORY_CEILING, f"peak resident memory {peak / MB:.0f} MB"
    assert list((root / "sources").rglob("*.md")) == []
