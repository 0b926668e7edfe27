"""HTTP responses of the sample site: the Response value, plain pages, conditional GET."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


@dataclass
class Response:
    """An HTTP response produced by ``Site.respond``."""

    status: int
    body: bytes | Iterable[bytes] = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # Content-Length for streamed bodies
    close: bool = False  # close the connection afterwards


def etag_of(body: bytes) -> str:
    """A strong ETag for ``body`` (quoted sha256 prefix)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def simple_page(title: str, text: str, extra: str = "", charset: str = "utf-8") -> bytes:
    """A minimal HTML page (errors, misbehaving routes)."""
    e = html.escape
    return (f'<!doctype html>\n<html lang="en">\n<head><meta charset="{charset}"><title>{e(title)}</title></head>\n'
            f"<body><main><article><h1>{e(title)}</h1>\n<p>{e(text)}</p>{extra}</article></main></body>\n</html>\n").encode()


def conditional(resp: Response, headers: dict[str, str], modified: float | None = None) -> Response:
    """Turn ``resp`` into a 304 when the request's validators still match.

    ``headers`` are the request headers with lowercase names; an ETag is added
    to byte bodies that have none. Streamed bodies are returned unchanged.
    """
    if not isinstance(resp.body, bytes):
        return resp
    etag = resp.headers.setdefault("ETag", etag_of(resp.body))
    inm = headers.get("if-none-match")
    ims = headers.get("if-modified-since")
    not_modified = False
    if inm is not None:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        not_modified = "*" in tags or etag in tags
    elif ims and modified is not None:
        try:
            not_modified = int(modified) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            not_modified = False
    if not_modified:
        return Response(304, b"", resp.content_type, {k: v for k, v in resp.headers.items()
                                                      if k in ("ETag", "Last-Modified")})
    return resp
