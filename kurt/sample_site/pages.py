"""Pages of the sample site: metadata, markdown/MDX cleanup, URL and date helpers.

Pure functions shared by the page sources (folder, synthetic) and the Site.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import unquote

INDEX_STEMS = ("index", "readme")


@dataclass(frozen=True)
class PageMeta:
    """Metadata of one page (cheap to hold for every page)."""

    path: str
    title: str
    description: str = ""
    date: str | None = None
    author: str | None = None
    modified: float = 0.0  # unix seconds, drives Last-Modified and <lastmod>


class PageSource(Protocol):
    """Where the pages of a Site come from."""

    def paths(self) -> list[str]: ...

    def meta(self, path: str) -> PageMeta | None: ...

    def markdown(self, path: str) -> str | None: ...

    def version(self, path: str) -> object: ...

    def resolve_file(self, from_path: str, target: str) -> str | None: ...


_FRONTMATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})[^\n]*(?:\n|\Z)")
_IMPORT_RE = re.compile(r"(?:import\s+(?:[\w*{}\s,]+\s+from\s+)?['\"][^'\"\n]+['\"];?|export\s+(?:const|default|function|let)\b[^\n]*)[ \t]*(?:\n|\Z)")
_TAG_START_RE = re.compile(r"<(/?)([A-Z][A-Za-z0-9_.]*)(?=[\s/>])")
_STR_ATTR_RE = re.compile(r"""(\w+)=(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})""")
_QUERY_ATTR_RE = re.compile(r"query=\{`(.*?)`\}", re.S)
_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_OPEN, _CLOSE = "\x01", "\x02"


def split_frontmatter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML frontmatter from markdown; return (data, body)."""
    m = _FRONTMATTER_RE.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError:
        data = {}
    return (data if isinstance(data, dict) else {}), text[m.end():]


def _parse_jsx_tag(text: str, start: int) -> tuple[int, str, str, bool, bool] | None:
    """Parse a JSX tag at ``start``; return (end, name, attrs, closing, self_closing)."""
    m = _TAG_START_RE.match(text, start)
    if not m or not any(ch.islower() for ch in m.group(2)):
        return None  # <SERVICE>-style placeholders are not components
    j, depth, quote, n = m.end(), 0, None, len(text)
    while j < n:
        ch = text[j]
        if quote:
            if ch == "\\":
                j += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ">" and depth <= 0:
            attrs = text[m.end():j]
            return j + 1, m.group(2), attrs, bool(m.group(1)), attrs.rstrip().endswith("/")
        j += 1
    return None


def _component_markdown(name: str, attrs: str) -> str:
    """Markdown kept for a component's attributes (image, query, title)."""
    values = {k: a or b or c for k, a, b, c in _STR_ATTR_RE.findall(attrs)}
    short = name.rsplit(".", 1)[-1]
    if short == "Image" and values.get("src"):
        return f"\n\n![{values.get('alt', '')}]({values['src']})\n\n"
    q = _QUERY_ATTR_RE.search(attrs)
    if q:
        lang = "graphql" if "GraphQL" in name else ""
        return f"\n\n```{lang}\n{q.group(1).strip()}\n```\n\n"
    if values.get("title"):
        return f"\n\n**{values['title']}**\n\n"
    return ""


def strip_mdx(text: str) -> str:
    """Remove MDX imports/exports and JSX component tags, keeping inner text."""
    out: list[str] = []
    i, n, line_start = 0, len(text), True
    while i < n:
        if line_start:
            fm = _FENCE_RE.match(text, i)
            if fm:
                fence = fm.group(1)
                close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
                cm = close.search(text, fm.end())
                end = n if cm is None else min(n, cm.end() + 1)
                out.append(text[i:end])
                i = end
                continue
            im = _IMPORT_RE.match(text, i)
            if im:
                i = im.end()
                continue
        ch = text[i]
        line_start = False
        if ch == "\n":
            out.append(ch)
            i += 1
            line_start = True
        elif ch == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            ticks = text[i:j]
            k = text.find(ticks, j)
            if k != -1 and "\n\n" not in text[j:k]:
                out.append(text[i:k + len(ticks)])
                i = k + len(ticks)
            else:
                out.append(ticks)
                i = j
        elif ch == "{" and text.startswith('{" "}', i):
            out.append(" ")
            i += 5
        elif ch == "{" and text.startswith("{/*", i) and text.find("*/}", i) != -1:
            i = text.find("*/}", i) + 3
        elif ch == "<":
            tag = _parse_jsx_tag(text, i)
            if tag is None:
                out.append(ch)
                i += 1
                continue
            end, name, attrs, closing, self_closing = tag
            at_block = text[text.rfind("\n", 0, i) + 1:i].strip() == ""
            if closing:
                out.append(_CLOSE if at_block else "")
            else:
                out.append(_component_markdown(name, attrs))
                if not self_closing and at_block:
                    out.append(_OPEN)
            i = end
        else:
            out.append(ch)
            i += 1
    result = "".join(out)
    block = re.compile(_OPEN + "([^" + _OPEN + _CLOSE + "]*)" + _CLOSE)
    while True:
        result, count = block.subn(lambda m: "\n\n" + textwrap.dedent(m.group(1)).strip("\n") + "\n\n", result)
        if not count:
            break
    result = result.replace(_OPEN, "").replace(_CLOSE, "")
    return re.sub(r"\n{4,}", "\n\n\n", result)


def slugify(text: str) -> str:
    """Lowercase ASCII slug: ``"How to Deploy"`` -> ``"how-to-deploy"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def title_from_slug(slug: str) -> str:
    """A readable title from a URL slug (``Home`` for an empty one)."""
    return slug.replace("-", " ").replace("_", " ").strip().capitalize() or "Home"


def file_to_url(rel: str) -> str:
    """Map a relative markdown file path to its site URL path."""
    rel = rel.replace("\\", "/")
    stem, _ = posixpath.splitext(rel)
    parent, name = posixpath.split(stem)
    if name.lower() in INDEX_STEMS:
        return "/" + (parent + "/" if parent else "")
    return "/" + stem


def http_date(ts: float) -> str:
    """RFC 7231 date (Last-Modified, pubDate) of unix seconds."""
    return formatdate(int(ts), usegmt=True)


def iso_utc(ts: float) -> str:
    """ISO 8601 UTC timestamp (``2024-01-01T00:00:00Z``) of unix seconds."""
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_to_ts(value: str | None) -> float | None:
    """Unix seconds of an ISO date/datetime string, or None if absent or invalid."""
    if not value:
        return None
    try:
        d = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return d.timestamp()


def meta_from_markdown(path: str, text: str, modified: float) -> PageMeta:
    """Build PageMeta from frontmatter (title/description/date/author) or content."""
    data, body = split_frontmatter(text)
    title = data.get("title")
    if not title:
        m = _H1_RE.search(body)
        title = m.group(1) if m else title_from_slug(path.rstrip("/").rsplit("/", 1)[-1])
    date = data.get("date")
    author = data.get("author") or data.get("authors")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    return PageMeta(
        path=path,
        title=str(title).strip(),
        description=str(data.get("description") or "").strip(),
        date=str(date) if date else None,
        author=str(author) if author else None,
        modified=modified,
    )


def markdown_renderer() -> Any:
    """A CommonMark renderer with tables (markdown-it-py, imported on use)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def parent_dir(path: str) -> str:
    """Folder URL of a page: ``/a/b`` -> ``/a/``, ``/a/b/`` -> ``/a/``."""
    return posixpath.dirname(path.rstrip("/")).rstrip("/") + "/"


def normalize_path(path: str) -> str:
    """Decode a request path and make sure it starts with ``/``."""
    path = unquote(path or "/")
    return path if path.startswith("/") else "/" + path
