"""``links/*``: the draft's links lead somewhere.

Read from the prose (code and comments are not links): inline links and
images, ``<autolinks>``, bare URLs and reference definitions.

- a link to a file of the workspace (``../research/notes.md``, ``images/x.png``,
  ``/sources/...``) must point at a file that exists; ``#a-heading`` (alone, or
  after a markdown file) at a heading that exists (GitHub's heading ids);
- a link to a site Kurt ingested must not point at a page that is gone (404 or
  410 when last fetched); one Kurt does not have is reported as information;
- with ``--check-links`` (or ``[checks] check_links = true``), every other
  ``http(s)`` link is requested politely (kurt.checks.linkcheck), once per run.

A root-relative link that does not look like a file (``/pricing``) is a path
of the site the draft will be published on, and is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_INLINE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_BARE = re.compile(r"(?<![\w(<\"'=/\]])https?://[^\s<>\[\]()\"'`]+")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*(<[^>\n]*>|\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TRAILING = ".,;:!?*_~'\""


def slug(heading: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def heading_ids(headings) -> set[str]:
    ids: set[str] = set()
    counts: dict[str, int] = {}
    for heading in headings:
        base = slug(heading.text)
        n = counts.get(base, 0)
        counts[base] = n + 1
        ids.add(base if n == 0 else f"{base}-{n}")
    return ids


def find_links(prose: str) -> list[tuple[int, int, str]]:
    """(start, end, target) of every link of ``prose`` (offsets of the target in the text)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _INLINE.finditer(prose):
        target = match.group(3)
        start = match.start(3)
        if target.startswith("<") and target.endswith(">"):
            target, start = target[1:-1], start + 1
        found.append((start, start + len(target), target))
        taken.append(match.span())
    for match in _DEFINITION.finditer(prose):
        target, start = match.group(2), match.start(2)
        if target.startswith("<") and target.endswith(">"):
            target, start = target[1:-1], start + 1
        found.append((start, start + len(target), target))
        taken.append(match.span())
    for match in _AUTOLINK.finditer(prose):
        found.append((match.start(1), match.end(1), match.group(1)))
        taken.append(match.span())
    for match in _BARE.finditer(prose):
        if any(s <= match.start() < e for s, e in taken):
            continue
        url = match.group(0).rstrip(_TRAILING)
        found.append((match.start(), match.start() + len(url), url))
    return sorted(found)


def check(ctx):
    if not ctx.is_draft:
        return
    body = ctx.body
    own_ids = heading_ids(body.headings)
    external: list[tuple[tuple, str]] = []
    for start, end, target in find_links(body.prose):
        line, column = body.position(start)
        where = (line, column, line, max(column + (end - start) - 1, column))
        if not target.strip():
            yield ctx.finding("links/empty", "this link has no target: add the URL or path",
                              (line, max(column - 2, 1)))
            continue
        if target.startswith("#"):
            anchor = unquote(target[1:])
            if anchor and anchor.lower() not in own_ids:
                yield ctx.finding("links/anchor",
                                  f"no heading of this file has the id '{anchor}': fix the "
                                  "anchor (GitHub's ids: lower case, spaces as hyphens)", where)
            continue
        if _SCHEME.match(target):
            scheme = target.split(":", 1)[0].lower()
            if scheme in ("http", "https"):
                if _is_external(ctx, target):
                    external.append((where, target))
                    continue
                problem = _web_link(ctx, target, where)
                if problem is not None:
                    yield problem
            continue
        problem = _file_link(ctx, target, where)
        if problem is not None:
            yield problem
    if external and ctx.shared.check_links:
        yield from _external(ctx, external)


def _is_external(ctx, url: str) -> bool:
    """A link to a site Kurt did not ingest."""
    host = (urlsplit(url).hostname or "").lower()
    return not host or host not in ctx.corpus.domains()


def _web_link(ctx, url: str, where):
    host = (urlsplit(url).hostname or "").lower()
    bare = url.split("#", 1)[0]
    doc = ctx.corpus.by_url(bare)
    if doc is None:
        return ctx.finding("links/not-ingested",
                           f"{bare} is on {host}, which Kurt ingested, but is not one of its "
                           "documents: check the URL, or ingest the page with 'kurt content add'",
                           where)
    if doc.status == "GONE":
        return ctx.finding("links/gone",
                           f"{bare} was gone (HTTP {doc.http_status or '404'}) when Kurt last "
                           f"fetched it (document {doc.id}): link to the page that replaced it, "
                           "or drop the link", where)
    return None


def _looks_like_file(path: str) -> bool:
    return bool(Path(path).suffix) and not path.endswith("/")


def _file_link(ctx, target: str, where):
    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    if not path_part:
        return None
    root = ctx.ws.root.resolve()
    if path_part.startswith("/"):
        first = path_part.lstrip("/").split("/", 1)[0]
        if not _looks_like_file(path_part) and not (root / first).exists():
            return None  # a path of the site the draft will be published on
        candidate = root / path_part.lstrip("/")
    else:
        candidate = ctx.path.parent / path_part
    try:
        resolved = candidate.resolve()
    except OSError:
        resolved = candidate
    if not resolved.exists() and resolved.is_relative_to(root / "sources"):
        ctx.corpus.text(resolved.relative_to(root).as_posix())  # a teammate's: from the store
    if not resolved.exists():
        shown = target.split("#", 1)[0]
        return ctx.finding("links/broken-file",
                           f"{shown} does not exist (looked for {_shown(ctx, resolved)}): fix "
                           "the path", where)
    if fragment and resolved.is_file() and resolved.suffix.lower() in (".md", ".mdx", ".markdown"):
        from kurt.checks.body import read_body
        from kurt.checks.context import read_file

        text, _problem = read_file(resolved)
        if text is not None and unquote(fragment).lower() not in heading_ids(read_body(text).headings):
            return ctx.finding("links/anchor",
                               f"{path_part} has no heading with the id '{fragment}': fix the "
                               "anchor", where)
    return None


def _shown(ctx, path: Path) -> str:
    try:
        return ctx.ws.relative(path)
    except ValueError:
        return str(path)


def _external(ctx, links: list[tuple[tuple, str]]):
    from kurt.checks.linkcheck import check_urls

    cache = ctx.shared.cache.setdefault("links", {})
    wanted = [url for _, url in links if url not in cache]
    if wanted:
        # no site is trusted: a link on a private or loopback address is requested only
        # when [ingest] allow_private_addresses says so (kurt.ingest.addresses)
        cache.update(check_urls(wanted, ctx.ws.config.ingest))
    for where, url in links:
        result = cache.get(url)
        if result is None or result.ok:
            continue
        if result.robots_blocked:
            yield ctx.finding("links/external",
                              f"{url} was not requested: {result.error}", where, severity="info")
        elif result.gone:
            yield ctx.finding("links/external",
                              f"{url} answers HTTP {result.status}: the page is gone: fix or "
                              "drop the link", where)
        else:
            yield ctx.finding("links/external",
                              f"{url} did not answer as expected: {result.error}", where,
                              severity="warning")
