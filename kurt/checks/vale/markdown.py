"""A markdown file as Vale sees it: blocks of prose with their scopes, mapped to file offsets.

markdown-it-py parses the file (CommonMark with tables and strikethrough). Its
inline tokens carry the raw source of each block without its container
prefixes; Kurt finds each line of that source in the file, then walks the
inline tokens with a cursor over the raw source (``text_join`` is off, so
escapes and entities keep their raw spelling), which gives every character of
the prose the file offset it came from.

What becomes a block (the scope in brackets, then ``.md``):

- headings [``text.heading.h1``..``h6``]; paragraphs [``text``], each also as a
  ``paragraph`` block and ``sentence`` blocks; paragraphs in list items
  [``text.list``], also with ``paragraph`` and ``sentence`` blocks;
  table cells [``text.table.header`` / ``text.table.cell``]; image alt text
  [``text.attr.alt``]; and, inside those, link text [``link``], bold
  [``strong``] and italics [``emphasis``].

What is never prose: fenced and indented code, inline code (kept as ``*``
characters of the same length, as Vale does, so sentences keep their shape),
URLs (autolinks, link destinations, bare URLs in text), YAML/TOML frontmatter,
HTML blocks and inline tags, HTML comments (read for Vale's comment controls),
block quotes (quoted material is not the writer's prose), MDX ``import`` and
``export`` lines, JSX component tags (``<Tabs items={[...]}>``, the text
between them is prose) and ``{`...`}`` code in them (in .md files too).
A match that lies wholly inside any of these is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kurt.checks.vale.blocks import Document
from kurt.checks.vale.controls import parse_comment
from kurt.checks.vale.prose import MASK, BlockMaker, Collector, blank_spans

COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
JSX_COMMENT = re.compile(r"\{/\*(.*?)\*/\}", re.DOTALL)
JSX_CODE = re.compile(r"\{`.*?`\}", re.DOTALL)  # {`code`} in MDX components, also found in .md
JSX_TAG = re.compile(r"(?<![\w<])</?[A-Z][\w.]*(?=[\s/>])")
MDX_ESM = re.compile(r"^(?:import|export)\s[^\n]*(?:\n(?!\s*\n)[^\n]*)*", re.MULTILINE)
CODE_TAGS = frozenset({"code", "kbd", "tt", "pre", "samp", "var", "script", "style"})
TAG = re.compile(r"^<\s*(/?)\s*([A-Za-z][\w-]*)")

INLINE_SCOPES = {"strong_open": "strong", "em_open": "emphasis", "link_open": "link"}
CLOSERS = {"strong_close": "strong", "em_close": "emphasis", "link_close": "link"}


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")


def frontmatter_end(text: str) -> int:
    """Offset just after a YAML (``---``) or TOML (``+++``) frontmatter, or 0 when there is none."""
    first = text.split("\n", 1)[0].rstrip()
    if first not in ("---", "+++"):
        return 0
    closers = ("---", "...") if first == "---" else ("+++",)
    offset = len(text.split("\n", 1)[0]) + 1
    while offset < len(text):
        end = text.find("\n", offset)
        line = text[offset:] if end == -1 else text[offset:end]
        if line.rstrip() in closers:
            return len(text) if end == -1 else end + 1
        if end == -1:
            break
        offset = end + 1
    return 0


@dataclass
class _Span:
    scope: str
    start: int  # index in the block text


def _tag_end(text: str, start: int) -> int:
    """End of the JSX tag opening at ``start``: its ``>``, past quoted strings and ``{...}``."""
    depth, quote, j = 0, "", start + 1
    while j < len(text):
        char = text[j]
        if quote:
            if char == "\\":
                j += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            return j + 1
        elif char == "\n" and depth == 0 and text.startswith("\n", j + 1):
            break  # a blank line: not a tag after all
        j += 1
    return start


def jsx_spans(text: str) -> list[tuple[int, int]]:
    """Spans of JSX (MDX components such as ``<Tabs items={[...]}>``, ``{`code`}``): not prose."""
    spans = [m.span() for m in JSX_CODE.finditer(text)]
    for found in JSX_TAG.finditer(text):
        if any(start <= found.start() < end for start, end in spans):
            continue
        end = _tag_end(text, found.start())
        if end > found.start():
            spans.append((found.start(), end))
    return sorted(spans)


class MarkdownReader:
    """Turns one markdown file into a ``Document`` of blocks (see the module docstring)."""

    def __init__(self, text: str, *, ext: str = "md", token_ignores=(), block_ignores=(),
                 ignored_scopes=frozenset(), mdx: bool = False, code_only: bool = False):
        self.doc = Document(text, ext)
        self.ext = ext
        self.ignored_scopes = frozenset(ignored_scopes)
        self.maker = BlockMaker(self.doc, token_ignores, code_only=code_only)
        end = frontmatter_end(text)
        hidden = [(0, end)] if end else []
        hidden.extend(block_ignores)
        source = blank_spans(text, hidden)
        hidden.extend(jsx_spans(source))
        if mdx:
            hidden.extend(self._mdx_spans(source))
        for start, stop in [*hidden, *self.maker.token_ignores]:
            self.doc.mask(start, stop)
        self.source = blank_spans(text, hidden)
        self.line_starts = [0]
        self.line_starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")

    def _mdx_spans(self, source: str) -> list[tuple[int, int]]:
        """MDX comments (read for controls) and import/export lines."""
        for found in JSX_COMMENT.finditer(source):
            control = parse_comment(found.group(1), found.start())
            if control is not None:
                self.doc.controls.append(control)
        return [m.span() for pattern in (JSX_COMMENT, MDX_ESM) for m in pattern.finditer(source)]

    def line_bounds(self, index: int) -> tuple[int, int]:
        start = self.line_starts[index] if index < len(self.line_starts) else len(self.source)
        end = self.source.find("\n", start)
        return start, (len(self.source) if end == -1 else end)

    def lines_span(self, token) -> tuple[int, int]:
        first, last = token.map
        start = self.line_bounds(first)[0]
        end = self.line_bounds(last - 1)[1] if last > first else start
        return start, end

    def content_map(self, content: str, first_line: int) -> list[int]:
        """File offset of each character of an inline token's raw content."""
        cmap: list[int] = []
        lines = content.split("\n")
        for k, cline in enumerate(lines):
            start, end = self.line_bounds(first_line + k)
            fline = self.source[start:end]
            pos = fline.rfind(cline) if cline else len(fline)
            if pos < 0:
                pos = max(0, len(fline) - len(cline))
            cmap.extend(range(start + pos, start + pos + len(cline)))
            if k < len(lines) - 1:
                cmap.append(end)
        return cmap

    def cell_map(self, content: str, row: int, cursor: dict) -> list[int]:
        start, end = self.line_bounds(row)
        fline = self.source[start:end]
        pos = fline.find(content, cursor.get(row, 0)) if content else -1
        if pos < 0:
            pos = cursor.get(row, 0)
        cursor[row] = pos + len(content)
        return list(range(start + pos, start + pos + len(content)))

    def read(self) -> Document:
        tokens = _parser().parse(self.source)
        self._comments_in_html()
        quote_depth = 0
        list_depth = 0
        cells: dict[int, int] = {}
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "blockquote_open":
                if quote_depth == 0:
                    self.doc.count("blockquote")
                    start, end = self.lines_span(token)
                    self.doc.mask(start, end)
                quote_depth += 1
            elif kind == "blockquote_close":
                quote_depth -= 1
            elif quote_depth:
                pass
            elif kind in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            elif kind == "list_item_open":
                self.doc.count("list")
            elif kind in ("fence", "code_block"):
                self.doc.count("pre")
                self.doc.mask(*self.lines_span(token))
            elif kind == "html_block":
                self.doc.mask(*self.lines_span(token))
            elif kind == "heading_open":
                self.doc.count(f"heading_{token.tag}")
                inline = tokens[i + 1]
                scope = {"text", "heading", token.tag}
                self._prose(inline, self.content_map(inline.content, inline.map[0]), scope,
                            "heading")
                i += 1
            elif kind == "paragraph_open":
                inline = tokens[i + 1]
                scope = {"text", "list"} if list_depth else {"text"}
                self._prose(inline, self.content_map(inline.content, inline.map[0]), scope,
                            "text")
                i += 1
            elif kind in ("th_open", "td_open"):
                inline = tokens[i + 1]
                cell = "header" if kind == "th_open" else "cell"
                cmap = self.cell_map(inline.content, inline.map[0], cells) if inline.map else []
                self._prose(inline, cmap, {"text", "table", cell}, "cell")
                i += 1
            i += 1
        self.doc.controls.sort(key=lambda c: c.offset)
        return self.doc

    def _comments_in_html(self) -> None:
        for found in COMMENT.finditer(self.source):
            self.doc.mask(found.start(), found.end())
            control = parse_comment(found.group(1), found.start())
            if control is not None:
                self.doc.controls.append(control)

    def _prose(self, inline, cmap: list[int], scope: set[str], kind: str) -> None:
        content = inline.content
        if not content or len(cmap) != len(content):
            return
        builder = Collector()
        self._walk(inline.children or [], content, cmap, builder, 0)
        self._finish(builder, frozenset(scope | {self.ext}), kind)

    def _walk(self, children, content: str, cmap: list[int], builder: Collector,
              cursor: int) -> int:
        open_spans: list[_Span] = []
        code_depth = 0
        skip_until_close = False
        for child in children:
            kind = child.type
            if skip_until_close:
                if kind == "link_close":
                    skip_until_close = False
                continue
            if kind == "text":
                pos = content.find(child.content, cursor)
                pos = cursor if pos < 0 else pos
                masked = code_depth > 0 or self._ignored(open_spans)
                self._emit(builder, child.content, cmap, pos, masked)
                cursor = pos + len(child.content)
            elif kind == "text_special":
                pos = content.find(child.markup, cursor)
                pos = cursor if pos < 0 else pos
                target = pos + 1 if child.info == "escape" else pos
                offset = cmap[min(target, len(cmap) - 1)]
                builder.add(child.content, [offset] * len(child.content))
                cursor = pos + len(child.markup)
            elif kind in ("softbreak", "hardbreak"):
                pos = content.find("\n", cursor)
                if pos < 0:
                    continue
                builder.add("\n", [cmap[pos]])
                cursor = pos + 1
                while cursor < len(content) and content[cursor] in " \t":
                    cursor += 1
            elif kind == "code_inline":
                cursor = self._code(child, content, cmap, builder, cursor)
            elif kind in ("em_open", "strong_open", "em_close", "strong_close",
                          "s_open", "s_close"):
                pos = content.find(child.markup, cursor)
                cursor = (cursor if pos < 0 else pos) + len(child.markup)
                if kind in INLINE_SCOPES:
                    open_spans.append(_Span(INLINE_SCOPES[kind], len(builder)))
                elif kind in CLOSERS:
                    self._close_span(open_spans, CLOSERS[kind], builder)
            elif kind == "link_open":
                if child.markup in ("autolink", "linkify") or child.info == "auto":
                    cursor = self._autolink(child, content, cmap, builder, cursor)
                    skip_until_close = True
                else:
                    pos = content.find("[", cursor)
                    cursor = (cursor if pos < 0 else pos) + 1
                    open_spans.append(_Span("link", len(builder)))
            elif kind == "link_close":
                cursor = self._destination(content, cmap, cursor)
                self._close_span(open_spans, "link", builder)
            elif kind == "image":
                cursor = self._image(child, content, cmap, cursor)
            elif kind == "html_inline":
                pos = content.find(child.content, cursor)
                pos = cursor if pos < 0 else pos
                end = pos + len(child.content)
                if end > pos:
                    self.doc.mask(cmap[pos], cmap[min(end, len(cmap)) - 1] + 1)
                tag = TAG.match(child.content)
                if tag and tag.group(2).lower() in CODE_TAGS:
                    code_depth += -1 if tag.group(1) else 1
                    code_depth = max(code_depth, 0)
                cursor = end
        return cursor

    def _ignored(self, open_spans: list[_Span]) -> bool:
        return any(span.scope in self.ignored_scopes for span in open_spans)

    def _emit(self, builder: Collector, text: str, cmap: list[int], pos: int,
              masked: bool) -> None:
        last = len(cmap) - 1
        offsets = [cmap[min(pos + k, last)] for k in range(len(text))]
        if masked:
            text = "".join("\n" if c == "\n" else MASK for c in text)
            if offsets:
                self.doc.mask(offsets[0], offsets[-1] + 1)
        builder.add(text, offsets)

    def _close_span(self, open_spans: list[_Span], scope: str, builder: Collector) -> None:
        for index in range(len(open_spans) - 1, -1, -1):
            if open_spans[index].scope == scope:
                span = open_spans.pop(index)
                if len(builder) > span.start:
                    builder.spans.append((scope, span.start, len(builder)))
                return

    def _code(self, child, content: str, cmap: list[int], builder: Collector,
              cursor: int) -> int:
        ticks = child.markup or "`"
        pos = content.find(ticks, cursor)
        if pos < 0:
            return cursor
        inner = pos + len(ticks)
        close = inner
        while True:
            close = content.find(ticks, close)
            if close < 0 or not content.startswith("`", close + len(ticks)):
                break
            close += len(ticks) + 1
        close = len(content) if close < 0 else close
        last = len(cmap) - 1
        start_offset = cmap[min(pos, last)]
        end_offset = cmap[min(close + len(ticks), len(cmap)) - 1] + 1
        self.doc.mask(start_offset, end_offset)
        width = max(len(child.content), 1)
        offsets = [cmap[min(inner + k, max(close - 1, inner), last)] for k in range(width)]
        builder.add(MASK * width, offsets)
        return close + len(ticks)

    def _autolink(self, child, content: str, cmap: list[int], builder: Collector,
                  cursor: int) -> int:
        pos = content.find("<", cursor)
        if pos < 0:
            return cursor
        close = content.find(">", pos)
        close = len(content) - 1 if close < 0 else close
        self.doc.mask(cmap[pos], cmap[close] + 1)
        width = max(close - pos - 1, 1)
        builder.add(MASK * width, [cmap[min(pos + 1 + k, close)] for k in range(width)])
        return close + 1

    def _destination(self, content: str, cmap: list[int], cursor: int) -> int:
        """Skip ``](url "title")``, ``][ref]`` or ``]`` after a link's text; mask the URL."""
        pos = content.find("]", cursor)
        if pos < 0:
            return cursor
        end = pos + 1
        if end < len(content) and content[end] == "(":
            depth, j, quote = 0, end, ""
            while j < len(content):
                char = content[j]
                if quote:
                    if char == quote:
                        quote = ""
                elif char == "\\":
                    j += 1
                elif char in "\"'" and depth == 1 and content[j - 1] in " \t\n":
                    quote = char
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            end = min(j + 1, len(content))
        elif end < len(content) and content[end] == "[":
            close = content.find("]", end)
            end = len(content) if close < 0 else close + 1
        self.doc.mask(cmap[pos], cmap[end - 1] + 1)
        return end

    def _image(self, child, content: str, cmap: list[int], cursor: int) -> int:
        pos = content.find("![", cursor)
        if pos < 0:
            return cursor
        builder = Collector()
        after = self._walk(child.children or [], content, cmap, builder, pos + 2)
        self._finish(builder, frozenset({"text", "attr", "alt", self.ext}), "alt")
        return self._destination(content, cmap, after)

    def _finish(self, collected: Collector, scope: frozenset[str], kind: str) -> None:
        paragraph = kind == "text"
        self.maker.finish(collected, scope, kind, sentences=paragraph, summary=paragraph)


def read_markdown(text: str, **options) -> Document:
    """The ``Document`` of markdown ``text`` (see ``MarkdownReader`` for the options)."""
    return MarkdownReader(text, **options).read()
