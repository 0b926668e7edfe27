"""Sections: a stored markdown file split at its headings into citable passages.

Search ranks sections, ``get`` shows them as the headings outline, and the
indexer attaches entity mentions to them. Line numbers are 1-based and true to
the stored file (Kurt's YAML frontmatter included), so an agent can cite
``sources/docs.example.com/setup.md:12-30``.

A section is the text under one heading up to the next heading. Headings are
what CommonMark says they are, read from markdown-it-py's block tokens: ATX
(``#`` .. ``######``) and setext (a line underlined with ``===`` or ``---``)
headings at the top level of the document; lines that look like headings inside
code blocks, HTML blocks, list items or block quotes do not start a section.
Most documents hold none of the constructs where a line-by-line reading can go
wrong (setext underlines, HTML blocks, indented headings or fences outside a
list item...): those are read line by line, which gives the same answer as
markdown-it-py five times faster (the tests check both on whole corpora).
The text before the first heading is a section under the document title. A section
longer than ``MAX_WORDS`` is cut into passages of about ``TARGET_WORDS`` on
paragraph boundaries; the passages after the first keep the heading path and
level but have ``heading=None`` (so the outline lists each heading once).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass, field

TARGET_WORDS = 320  # a passage closes once it holds this many words...
MAX_WORDS = 450  # ...but only sections longer than this are cut at all

_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_ATX = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")  # at the margin (see _scan)
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})(.*)$")  # on the line without its indentation
_LIST_ITEM = re.compile(r"^( *)([-+*]|\d{1,9}[.)])( {1,4})(?=\S)")
_MARKER_STARTS = frozenset("-+*0123456789")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_HTML_LONG = re.compile(r"^ {0,3}<(?:!|\?|(?i:script|pre|style|textarea)(?:[ \t>]|$))")
_BLOCK_START = re.compile(r"^ {0,3}(?:#|`{3}|~{3})")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_CODE_SPAN = re.compile(r"`+([^`]+)`+")  # split: the code's text at odd positions
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass
class Section:
    position: int
    heading: str | None
    heading_path: str  # "Title > Setup > Step 2"
    level: int  # 0 for the text before the first heading, else 1..6
    line_start: int  # 1-based, inclusive, in the stored file
    line_end: int
    body: str
    # The body as search indexes it (``searchable_text``), worked out where the passage is
    # analysed (an index worker) rather than where it is written; None: not yet.
    search_body: str | None = field(default=None, compare=False, repr=False)


def frontmatter_end(lines: list[str]) -> int:
    """The number of lines taken by a leading YAML frontmatter block (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0  # unclosed: not frontmatter, keep everything


def clean_heading(raw: str) -> str:
    """Heading text without markdown decoration: links, emphasis, code ticks, tags, closing #s."""
    text = _CLOSING_HASHES.sub("", raw.strip())
    # a code span is kept as written: `timeout[Symbol.toPrimitive]()` is not a link
    pieces = _CODE_SPAN.split(text)
    for i in range(0, len(pieces), 2):
        piece = _INLINE_LINK.sub(r"\1", pieces[i])
        pieces[i] = _EMPHASIS.sub("", _TAG.sub("", piece))
    return _SPACES.sub(" ", "".join(pieces)).strip()


def split_sections(text: str, *, title: str | None = None) -> list[Section]:
    """Split a stored markdown file into sections (see the module docstring)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = frontmatter_end(lines)
    title = clean_heading(title) if title else None
    headings, in_code = _blocks(lines, start)

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, heading) of the enclosing headings
    # (first body line index, first heading line index, heading, level)
    blocks = [(start, None, None, 0)] + [(end, first, h, lvl) for first, end, lvl, h in headings]
    for n, (body_from, heading_idx, heading, level) in enumerate(blocks):
        body_to = headings[n][0] if n < len(headings) else len(lines)  # exclusive
        if heading_idx is None:
            path = title or ""
        else:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading or ""))
            path = _join_path(title, [h for _, h in stack])
        _emit(sections, lines, in_code, body_from, body_to, heading_idx, heading, level, path)
    return sections


def _blocks(lines: list[str], start: int) -> tuple[list[tuple[int, int, int, str]], list[bool]]:
    """The top-level headings of ``lines[start:]`` as (first line, line after, level, text),
    and which lines are inside fenced code blocks.

    markdown-it-py decides (``_parse``). A document with none of the constructs in which a
    line-by-line reading can go wrong is read by ``_scan`` instead, which gives the same
    answer several times faster (tests/index/test_sections.py checks that the two agree
    on whole corpora).
    """
    scanned = _scan(lines, start)
    return scanned if scanned is not None else _parse(lines, start)


@functools.cache
def _parser():
    """A CommonMark block parser (markdown-it-py); inline parsing is off: blocks are all we need."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def _parse(lines: list[str], start: int):
    """``_blocks`` by markdown-it-py's block tokens.

    Headings nested in a list item or a block quote do not start sections; neither do
    heading-like lines inside code or HTML blocks. ``\r`` is dropped so that markdown-it
    sees the same lines as ``text.split("\n")``.
    """
    in_code = [False] * len(lines)
    headings: list[tuple[int, int, int, str]] = []
    if start >= len(lines):
        return headings, in_code
    tokens = _parser().parse("\n".join(lines[start:]).replace("\r", ""))
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "heading_open" and token.level == 0:
            first, end = token.map
            headings.append((first + start, end + start, int(token.tag[1]),
                             clean_heading(tokens[i + 1].content)))
        elif token.type == "fence":
            first, end = token.map
            in_code[first + start:end + start] = [True] * (end - first)
    return headings, in_code


def _scan(lines: list[str], start: int):
    """``_blocks`` line by line, or None when a line may mean something else to CommonMark.

    The scan knows ATX headings at the margin, fences indented by at most three spaces,
    and fences inside a list item (indented to the item's text). It gives up (None) on a
    setext underline after a line of text, a heading-like line that is indented, a
    fence-like line indented by four columns or more outside a list item it is sure of
    (indented code?), a fence in a block quote, an HTML block that holds a heading-like or
    fence line before its blank line, an HTML comment, processing instruction or
    ``<pre>``-like block (they run past blank lines), a fence that is unclosed or holds a
    line less indented than its opening line (a list item that ends inside it), and
    carriage returns.
    """
    in_code = [False] * len(lines)
    headings: list[tuple[int, int, int, str]] = []
    fence: tuple[str, int, int, int] | None = None  # (character, length, indentation, item column)
    item: int | None = None  # the text column of the list item the lines are in, when sure
    previous_blank = True
    for i in range(start, len(lines)):
        line = lines[i]
        if "\r" in line:
            return None  # markdown-it reads a lone CR as a line break
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if fence is not None:
            in_code[i] = True
            if fence[3] <= indent <= fence[3] + 3 and stripped.startswith(fence[0] * fence[1]) \
                    and not stripped.rstrip(" \t").strip(fence[0]):
                fence = None
            elif fence[2] and stripped and indent < fence[2]:
                return None
            previous_blank = False
            continue
        if not stripped or stripped.isspace():
            previous_blank = True
            continue
        lead = stripped[0]
        if lead == "#":
            if indent:
                return None  # a heading in a list item, or in indented code
            match = _ATX.match(line)
            if match:
                headings.append((i, i + 1, len(match.group(1)), clean_heading(match.group(2) or "")))
        elif lead in ("`", "~") and stripped[:3] in ("```", "~~~"):
            column = 0 if indent <= 3 else item
            if column is None or indent > column + 3:
                return None  # indented code, or a list item the scan is not sure of
            match = _FENCE_OPEN.match(stripped)
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = (match.group(1)[0], len(match.group(1)), indent, column)
                in_code[i] = True
        elif lead == "\t":
            return None
        elif lead in ("=", "-") and not previous_blank and _SETEXT_UNDERLINE.match(line):
            return None
        elif lead == "<" and _html_block_needs_parser(lines, i):
            return None
        elif lead == ">" and stripped.lstrip("> \t")[:3] in ("```", "~~~"):
            return None  # code in a block quote
        marker = _LIST_ITEM.match(line) if lead in _MARKER_STARTS else None
        if marker and (indent <= 3 or (item is not None and item <= indent <= item + 3)) \
                and (previous_blank or item is not None or marker.group(2) in ("-", "+", "*", "1.", "1)")) \
                and not _THEMATIC_BREAK.match(line):
            item = marker.end()
        elif item is not None and indent < item:
            item = None  # the list ended, or a lazy line: no longer sure
        previous_blank = False
    return None if fence is not None and fence[2] else (headings, in_code)


def _html_block_needs_parser(lines: list[str], i: int) -> bool:
    if _HTML_LONG.match(lines[i]):
        return True
    for line in lines[i + 1:]:
        if not line.strip():
            return False
        if _BLOCK_START.match(line):
            return True
    return False


def _join_path(title: str | None, headings: list[str]) -> str:
    parts: list[str] = [title] if title else []
    for heading in headings:
        if heading and (not parts or parts[-1].lower() != heading.lower()):
            parts.append(heading)
    return " > ".join(parts)


def _emit(sections, lines, in_code, body_from, body_to, heading_idx, heading, level, path) -> None:
    """Append the section (or its passages) whose body is lines[body_from:body_to]."""
    while body_to > body_from and not lines[body_to - 1].strip():
        body_to -= 1
    first = body_from
    while first < body_to and not lines[first].strip():
        first += 1
    if heading_idx is None and first >= body_to:
        return  # nothing before the first heading
    body_lines = lines[first:body_to]
    words = sum(len(line.split()) for line in body_lines)
    line_start = (heading_idx if heading_idx is not None else first) + 1
    if words <= MAX_WORDS:
        sections.append(Section(len(sections), heading, path, level, line_start,
                                max(body_to, line_start), "\n".join(body_lines)))
        return
    # Long: passages on paragraph boundaries (blank lines outside code fences).
    chunk_from, count, chunk_heading = first, 0, heading
    for i in range(first, body_to):
        count += len(lines[i].split())
        boundary = not lines[i].strip() and not in_code[i]
        if boundary and count >= TARGET_WORDS and body_to - i > 1:
            end = i
            while end > chunk_from and not lines[end - 1].strip():
                end -= 1
            sections.append(Section(len(sections), chunk_heading, path, level,
                                    line_start, end, "\n".join(lines[chunk_from:end])))
            chunk_heading = None
            chunk_from = i + 1
            while chunk_from < body_to and not lines[chunk_from].strip():
                chunk_from += 1
            line_start = chunk_from + 1
            count = 0
    if chunk_from < body_to:
        sections.append(Section(len(sections), chunk_heading, path, level, line_start,
                                body_to, "\n".join(lines[chunk_from:body_to])))


def replace_sections(conn: sqlite3.Connection, document_id: str, sections: list[Section]) -> list[int]:
    """Replace a document's sections and their full-text entries; ids in order.

    Runs on the caller's connection, inside the caller's transaction (``Store.transaction``).
    On SQLite the passages go in with one statement, their ids noted in ``search_pending``,
    and reach the full-text indexes when the transaction commits, all the documents of the
    transaction in one statement (``kurt.store.db.flush_search``, migration 0018): FTS5
    writes a segment per statement, so a trigger per row cost a segment per document.
    """
    conn.execute("DELETE FROM sections WHERE document_id = ?", (document_id,))
    rows = [(document_id, s.position, s.heading, s.heading_path, s.level, s.line_start, s.line_end,
             s.body, searchable_text(s.body) if s.search_body is None else s.search_body)
            for s in sections]
    columns = ("document_id, position, heading, heading_path, level, line_start, line_end, body,"
               " search_body")
    if not isinstance(conn, sqlite3.Connection):  # PostgreSQL: ids from its sequence, one by one
        sql = f"INSERT INTO sections ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return [conn.execute(sql, row).lastrowid for row in rows]
    if not rows:
        return []
    # Under the write lock (BEGIN IMMEDIATE): nobody else can take these ids meanwhile.
    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM sections").fetchone()[0]
    ids = list(range(first, first + len(rows)))
    conn.execute("INSERT OR REPLACE INTO search_pending (first, last) VALUES (?, ?)", (first, ids[-1]))
    conn.executemany(f"INSERT INTO sections (id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(i, *row) for i, row in zip(ids, rows, strict=True)])
    return ids


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")


def searchable_text(body: str) -> str:
    """The passage as search sees it: link and image targets and HTML tags removed.

    ``[Manage Projects](https://x/integrations/api)`` indexes as "Manage Projects", so
    a word in a link's URL does not make a passage match; bare URLs in the text stay.
    """
    text = body
    if "](" in text:  # (each pattern only where it can match)
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
    if "][" in text:
        text = _REF_LINK.sub(r"\1", text)
    return _TAG.sub(" ", text) if "<" in text else text
