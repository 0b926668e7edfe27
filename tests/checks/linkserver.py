"""A tiny HTTP server on 127.0.0.1 for the link checks: each path answers as told, and every
request is recorded with its method."""

from __future__ import annotations

from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.loopback import LoopbackServer

ROUTES = {
    "/ok": {"HEAD": 200, "GET": 200},
    "/gone": {"HEAD": 404, "GET": 404},
    "/no-head": {"HEAD": 405, "GET": 200},
    "/head-not-implemented": {"HEAD": 501, "GET": 200},
    "/broken": {"HEAD": 500, "GET": 500},
    "/robots.txt": {"HEAD": 200, "GET": 200},
}
ROBOTS = b"User-agent: *\nDisallow: /private\n"


@contextmanager
def link_server():
    """Yields (base URL, list of (method, path) requests)."""
    requests: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self, method: str) -> None:
            requests.append((method, self.path))
            status = ROUTES.get(self.path, {}).get(method, 404)
            body = ROBOTS if self.path == "/robots.txt" else b"<html><body>page</body></html>"
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt"
                             else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.answer("GET")

        def do_HEAD(self):  # noqa: N802
            self.answer("HEAD")

        def log_message(self, *args):
            pass

    server = LoopbackServer(("127.0.0.1", 0), Handler).start()
    try:
        yield server.base, requests
    finally:
        server.stop()
