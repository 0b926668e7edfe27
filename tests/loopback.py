"""The HTTP server every test serves from: ``LoopbackServer`` on 127.0.0.1 (or ::1).

A handler thread that fails must never print a traceback: on CPython 3.11 printing one
parses source with ``ast`` (for the carets), and that races with pytest parsing source in
the main thread ("SystemError: AST constructor recursion depth mismatch", an INTERNALERROR
that ends the whole run). A client that goes away (a timeout, a size cap) is what the
fault tests do on purpose, so a disconnect is not an error at all; any other exception is
kept in ``errors`` for the test to look at, unformatted.
"""

from __future__ import annotations

import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True  # a stalled handler does not hold up the shutdown
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], handler: type) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.errors: list[BaseException] = []
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, (ConnectionError, TimeoutError)):
            self.errors.append(exc)

    def start(self) -> LoopbackServer:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def slow_pages(site: Any, seconds: float, prefix: str = "/docs/") -> Any:
    """Make a sample site (``kurt.sample_site``) wait ``seconds`` before each page under
    ``prefix``, so a run can be caught mid-way; the server's stop event cuts the wait short."""
    from urllib.parse import urlsplit

    respond = site.respond

    def slow(method, target, headers, base_url, stop=None):
        if urlsplit(target).path.startswith(prefix):
            (stop or threading.Event()).wait(seconds)
        return respond(method, target, headers, base_url, stop)

    site.respond = slow
    return site
