"""Sections: a stored markdown file split at its headings into citable passages.

Search ranks sections, ``get`` shows them as the headings outline, and the
indexer attaches entity mentions to them. Line numbers are 1-based and true to
the stored file (Kurt's YAML frontmatter included), so an agent can cite
``sources/docs.example.com/setup.md:12-30``.

A section is the text under one ATX heading (``#`` .. ``######``) up to the
next heading; headings inside fenced code blocks are not headings. The text
before the first heading is a section under the document title. A section
longer than ``MAX_WORDS`` is cut into passages of about ``TARGET_WORDS`` on
paragraph boundaries; the passages after the first keep the heading path and
level but have ``heading=None`` (so the outline lists each heading once).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

TARGET_WORDS = 320  # a passage closes once it holds this many words...
MAX_WORDS = 450  # ...but only sections longer than this are cut at all

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
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
    text = _INLINE_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def split_sections(text: str, *, title: str | None = None) -> list[Section]:
    """Split a stored markdown file into sections (see the module docstring)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    start = frontmatter_end(lines)
    title = clean_heading(title) if title else None

    # Pass 1: headings (outside fences) and which lines are inside fences.
    in_fence: list[bool] = [False] * len(lines)
    fence: tuple[str, int] | None = None
    heading_at: list[tuple[int, int, str]] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if fence is not None:
            in_fence[i] = True
            match = _FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1] \
                    and not match.group(2).strip():
                fence = None
            continue
        first = line[:1]
        if first in ("`", "~", " ", "\t"):
            match = _FENCE.match(line)
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = (match.group(1)[0], len(match.group(1)))
                in_fence[i] = True
                continue
        if "#" in line[:4]:
            match = _HEADING.match(line)
            if match:
                heading_at.append((i, len(match.group(1)), clean_heading(match.group(2) or "")))

    # Pass 2: sections between headings.
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, heading) of the enclosing headings
    # (first body line index, heading line index, heading, level)
    blocks = [(start, None, None, 0)] + [(i + 1, i, h, lvl) for i, lvl, h in heading_at]
    for n, (body_from, heading_idx, heading, level) in enumerate(blocks):
        body_to = heading_at[n][0] if n < len(heading_at) else len(lines)  # exclusive
        if heading_idx is None:
            path = title or ""
        else:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading or ""))
            path = _join_path(title, [h for _, h in stack])
        _emit(sections, lines, in_fence, body_from, body_to, heading_idx, heading, level, path)
    return sections


def _join_path(title: str | None, headings: list[str]) -> str:
    parts: list[str] = [title] if title else []
    for heading in headings:
        if heading and (not parts or parts[-1].lower() != heading.lower()):
            parts.append(heading)
    return " > ".join(parts)


def _emit(sections, lines, in_fence, body_from, body_to, heading_idx, heading, level, path) -> None:
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
        boundary = not lines[i].strip() and not in_fence[i]
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
    """Replace a document's sections (the FTS index follows through triggers); ids in order.

    Runs on the caller's connection, inside the caller's transaction.
    """
    conn.execute("DELETE FROM sections WHERE document_id = ?", (document_id,))
    ids: list[int] = []
    sql = (
        "INSERT INTO sections (document_id, position, heading, heading_path, level,"
        " line_start, line_end, body, search_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    for s in sections:
        cur = conn.execute(sql, (document_id, s.position, s.heading, s.heading_path, s.level,
                                 s.line_start, s.line_end, s.body, searchable_text(s.body)))
        ids.append(cur.lastrowid)
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
    text = _IMAGE.sub(r"\1", body)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    return _TAG.sub(" ", text)
