"""The HTTP server: ``serve(site)`` runs a Site on 127.0.0.1 in a daemon thread.

    with serve(site) as served:
        httpx.get(served.url("/docs/"))
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from kurt.sample_site.request_log import RequestRecord
from kurt.sample_site.response import Response, simple_page
from kurt.sample_site.site import Site


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr: tuple[str, int], handler: type, site: Site) -> None:
        self.site = site
        self.stop_event = threading.Event()
        self.connections: set[socket.socket] = set()
        self.conn_lock = threading.Lock()
        self.base_url = ""
        super().__init__(addr, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silence client disconnects and errors during shutdown."""
        exc = sys.exc_info()[1]
        if self.stop_event.is_set() or isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KurtSampleSite/1.0"
    timeout = 30
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.conn_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        with self.server.conn_lock:
            self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        site, server = self.server.site, self.server
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = site.respond(self.command, self.path, headers, server.base_url, server.stop_event)
        except Exception as exc:  # keep serving; report as 500
            resp = Response(500, simple_page("Internal server error", f"{type(exc).__name__}: {exc}"))
        site.requests.record(RequestRecord(
            method=self.command, path=urlsplit(self.path).path, status=resp.status,
            user_agent=headers.get("user-agent"), if_none_match=headers.get("if-none-match"),
            if_modified_since=headers.get("if-modified-since"), client=self.client_address[0], at=time.time(),
        ))
        body = resp.body
        length = len(body) if isinstance(body, bytes) else resp.length
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            for k, v in resp.headers.items():
                self.send_header(k, v)
            if length is not None and resp.status != 304:
                self.send_header("Content-Length", str(length))
            if resp.close or (length is None and resp.status != 304):
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if head or resp.status == 304:
                return
            if isinstance(body, bytes):
                self.wfile.write(body)
            else:
                for part in body:
                    if server.stop_event.is_set():
                        break
                    self.wfile.write(part)
                    self.wfile.flush()
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True
        finally:
            if resp.close:
                self.close_connection = True


@dataclass
class ServedSite:
    """A running server for a Site; use as a context manager."""

    site: Site
    base_url: str
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def close(self) -> None:
        """Stop the server, drop open connections and close the socket."""
        server = self._server
        if server.stop_event.is_set():
            return
        server.stop_event.set()
        server.shutdown()
        with server.conn_lock:
            conns = list(server.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ServedSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(site: Site, host: str = "127.0.0.1", port: int = 0) -> ServedSite:
    """Start serving ``site`` in a daemon thread; returns a ServedSite."""
    server = _Server((host, port), _Handler, site)
    real_host, real_port = server.server_address[:2]
    shown = f"[{real_host}]" if ":" in str(real_host) else real_host
    server.base_url = f"http://{shown}:{real_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"sample-site-{real_port}", daemon=True)
    thread.start()
    return ServedSite(site=site, base_url=server.base_url, _server=server, _thread=thread)
