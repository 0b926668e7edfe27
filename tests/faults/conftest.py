"""Shared parts of the fault suite: a loopback server whose routes a test writes byte by byte,
a workspace with small timeouts, and the checks a user would make afterwards.

A route is a function given the request handler; it writes whatever it wants to the socket
(a clean response, a wrong Content-Length, a body that trickles or stops half-way, nothing at
all), so each hostile server is a few lines in the test that uses it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kurt.workspace import init_workspace
from tests.loopback import LoopbackServer

WORDS = ("Kurt keeps a local copy of every page it fetches, as markdown with a small frontmatter. "
         "This paragraph is long enough to count as the main text of an article, so the "
         "extractor keeps it and the index has something to search. ")

Route = Callable[[BaseHTTPRequestHandler], None]


def page_html(title: str, text: str = "", extra: str = "") -> bytes:
    """A small article page that extraction keeps (a title, a heading, two paragraphs)."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><main><article><h1>{title}</h1><p>{text}</p><p>{WORDS * 3}</p>{extra}"
            "</article></main></body></html>").encode()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None,
         *, length: int | None = None) -> None:
    """Write one response; ``length`` overrides the Content-Length header (a lie, if asked)."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


def ok(body: bytes, content_type: str = "text/html; charset=utf-8",
       headers: dict[str, str] | None = None) -> Route:
    return lambda h: send(h, 200, body, content_type, headers)


def page(title: str, text: str = "", extra: str = "") -> Route:
    return ok(page_html(title, text, extra))


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: send(h, status, b"", headers={"Location": location})


def urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode()


def sitemap_index(urls: list[str]) -> bytes:
    locs = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}'
            "</sitemapindex>").encode()


@dataclass
class Server:
    """A loopback HTTP server with the routes a test gives it; records every path requested.

    ``stop`` is set when the test ends, so a route that stalls can wait on it and let go.
    A path with no route is a 404; ``fallback`` (when set) answers every unknown path.
    """

    routes: dict[str, Route] = field(default_factory=dict)
    fallback: Callable[[BaseHTTPRequestHandler, str], None] | None = None
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def host(self) -> str:
        return self.base.removeprefix("http://")


@contextmanager
def serving(host: str = "127.0.0.1") -> Iterator[Server]:
    """Run a Server on ``host`` (127.0.0.1, or ::1) whose robots.txt allows everything."""
    state = Server()
    state.routes["/robots.txt"] = ok(b"User-agent: *\nAllow: /\n", "text/plain")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (the name http.server calls)
            state.requests.append(self.path)
            route = state.routes.get(self.path)
            self.close_connection = True
            try:
                if route is not None:
                    route(self)
                elif state.fallback is not None:
                    state.fallback(self, self.path)
                else:
                    send(self, 404, b"<html><body><h1>Not found</h1></body></html>")
            except OSError:  # the client gave up (a timeout, a size cap): nothing to do
                pass

        def log_message(self, *args):
            pass

    httpd = LoopbackServer((host, 0), Handler)
    httpd.stop_flag = state.stop  # what a stalling route waits on: set when the test ends
    state.base = httpd.start().base
    try:
        yield state
    finally:
        state.stop.set()
        httpd.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    """A running Server (see ``serving``)."""
    with serving() as running:
        yield running


# -- workspaces -----------------------------------------------------------------------


def make_workspace(tmp_path: Path, ingest: str = "", *, index: bool = False) -> Path:
    """A fresh workspace with small timeouts, no retries, and (unless asked) no auto-index."""
    ws = init_workspace(tmp_path / "ws").workspace
    ws.config_path.write_text(
        f"[ingest]\ntimeout = 1.0\nretries = 0\nextract_workers = 1\n{ingest}\n"
        f"[index]\nauto = {'true' if index else 'false'}\n", encoding="utf-8")
    return ws.root


def tiny_corpus(folder: Path, n: int) -> Path:
    """``n`` short markdown pages (quick to index), each with two sections."""
    for i in range(n):
        page = folder / f"page-{i:03d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: Page {i}\n---\n\n# Page {i}\n\nHow to deploy service {i} "
                        f"with PostgreSQL and Redis.\n\n## Settings\n\nSet PORT to {8000 + i} and "
                        "redeploy; the health check waits for the port.\n", encoding="utf-8")
    return folder


def db_rows(root: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(root / ".kurt" / "kurt.db")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def documents(root: Path) -> dict[str, tuple[str, str | None]]:
    """url -> (status, error) of every document."""
    return {url: (status, error) for url, status, error in
            db_rows(root, "SELECT url, status, error FROM documents")}


def statuses(root: Path) -> dict[str, int]:
    return dict(db_rows(root, "SELECT status, COUNT(*) FROM documents GROUP BY status"))


def integrity(root: Path) -> str:
    return db_rows(root, "PRAGMA integrity_check")[0][0]


def source_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "sources").rglob("*") if p.is_file())


def tmp_leftovers(root: Path) -> list[Path]:
    """Half-written files an atomic write would leave behind (``.NAME.PID.tmp`` and the like)."""
    return [p for p in root.rglob("*") if p.is_file() and ".tmp" in p.name]


def assert_sound(root: Path) -> None:
    """A sound database whose FETCHED rows each have their file, inside sources/."""
    assert integrity(root) == "ok"
    sources = (root / "sources").resolve()
    for (path,) in db_rows(root, "SELECT content_path FROM documents WHERE status = 'FETCHED'"):
        assert path, "a FETCHED document without a content path"
        target = (root / path).resolve()
        assert target.is_relative_to(sources) and target.is_file(), path


def assert_consistent(root: Path, *, check_tmp: bool = True) -> None:
    """What a finished run must leave: ``assert_sound``, every file under sources/ owned by a
    row, and (unless ``check_tmp`` is False) no half-written .tmp file."""
    assert_sound(root)
    owned = {(root / p).resolve() for (p,) in db_rows(
        root, "SELECT content_path FROM documents WHERE content_path IS NOT NULL")}
    orphans = [p for p in source_files(root) if p.resolve() not in owned]
    assert [p for p in orphans if p not in tmp_leftovers(root)] == []
    if check_tmp:
        assert tmp_leftovers(root) == []


def one_line_error(output: str) -> str:
    """The single error line a failed command printed (and that it printed no traceback)."""
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what or predicate}")


def peak_rss(args: list[str], cwd: Path, timeout: float = 120) -> tuple[int, int, str]:
    """Run ``kurt ARGS``; (exit code, the highest resident memory in bytes any of its
    processes reached, output). Linux reports each process's peak (VmHWM); elsewhere the
    resident size is sampled."""
    import subprocess

    import psutil

    from tests.conftest import kurt_command

    proc = subprocess.Popen([*kurt_command(), *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for member in family:
            peak = max(peak, _peak_of(member))
        time.sleep(0.01)
    output, _ = proc.communicate(timeout=timeout)
    return proc.returncode, peak, output


def _peak_of(process) -> int:
    import psutil

    try:
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0
