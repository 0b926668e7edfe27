"""A markdown file's body as the checks read it: headings, code blocks, prose, word count.

Everything keeps file positions: lines are 1-based lines of the whole file
(frontmatter included), so a finding points at the line an editor shows.
``prose`` is the file's text with what is not prose blanked out (frontmatter,
fenced and indented code, inline code, HTML comments), character for
character and newline for newline, so a regex over it gives exact offsets and
never matches inside code.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_WORD = re.compile(r"[^\W_](?:[\w'’.,-]*[^\W_])?")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    column: int  # where the heading's text starts


@dataclass(frozen=True)
class CodeBlock:
    line_start: int  # the opening fence (or the first line of an indented block)
    line_end: int  # the closing fence (or the last line)
    language: str  # first word of the info string, lower case ("" when none)
    info: str
    content: str
    fenced: bool = True

    @property
    def content_line(self) -> int:
        """File line of the block's first line of code."""
        return self.line_start + 1 if self.fenced else self.line_start


def blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by spaces (newlines kept)."""
    return blank_spans(text, [(start, end)])


def blank_spans(text: str, spans) -> str:
    """``text`` with every ``[start, end)`` of ``spans`` replaced by spaces (newlines kept)."""
    spans = sorted(spans)
    if not spans:
        return text
    out, at = [], 0
    for start, end in spans:
        start = max(start, at)
        if end <= start:
            continue
        out.append(text[at:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass
class Body:
    text: str  # the whole file (newlines normalised)
    first_line: int  # file line where the body starts (after the frontmatter)
    headings: list[Heading] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    prose: str = ""  # frontmatter, code, inline code and comments blanked
    citable: str = ""  # the same with the comments kept (where citations are read)
    words: int = 0
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset of the file."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        return self._line_starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self._line_starts):
            start = self._line_starts[line - 1]
            end = self.text.find("\n", start)
            return self.text[start:] if end == -1 else self.text[start:end]
        return ""

    def in_code(self, line: int) -> bool:
        return any(b.line_start <= line <= b.line_end for b in self.code_blocks)

    @cached_property
    def without_comments(self) -> str:
        """The file with the frontmatter and HTML comments blanked (code kept)."""
        text = blank(self.text, 0, self._line_starts[self.first_line - 1]
                     if self.first_line - 1 < len(self._line_starts) else len(self.text))
        return blank_spans(text, [m.span() for m in _COMMENT.finditer(text)])

    def section_at(self, line: int, level: int = 2) -> Heading | None:
        """The last heading of ``level`` or above at or before ``line``."""
        found = None
        for heading in self.headings:
            if heading.line > line:
                break
            if heading.level <= level:
                found = heading
        return found


def read_body(text: str, first_line: int = 1) -> Body:
    """Parse ``text`` (a whole file) whose body starts at file line ``first_line``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    body = Body(text=text, first_line=first_line, _line_starts=starts)
    head_end = starts[first_line - 1] if first_line - 1 < len(starts) else len(text)
    source = blank(text, 0, head_end)
    tokens = _parser().parse(source)
    code_spans = []
    words = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            line = token.map[0] + 1
            raw = body.line_text(line)
            column = len(raw) - len(raw.lstrip(" #")) + 1 if raw.lstrip().startswith("#") else 1
            body.headings.append(Heading(line, int(token.tag[1]), inline.content.strip(), column))
        elif token.type in ("fence", "code_block") and token.map:
            first, last = token.map[0] + 1, token.map[1]
            fenced = token.type == "fence"
            info = token.info.strip() if fenced else ""
            language = info.split()[0].lower().strip("{}.") if info else ""
            body.code_blocks.append(CodeBlock(first, last, language, info, token.content, fenced))
            code_spans.append((starts[first - 1],
                               starts[last] - 1 if last < len(starts) else len(source)))
        elif token.type == "inline" and token.children is not None:
            for child in token.children:
                if child.type == "text":
                    words += len(_WORD.findall(child.content))
                elif child.type == "code_inline":
                    words += 1
    masked = blank_spans(source, code_spans)
    prose = blank_spans(masked, [m.span() for m in _COMMENT.finditer(masked)])
    inline = [m.span() for m in _INLINE_CODE.finditer(prose)]
    citable = blank_spans(masked, inline)
    prose = blank_spans(prose, inline)
    body.prose = prose
    body.citable = citable
    body.words = words
    return body


def word_count(text: str) -> int:
    """Words of a markdown text, code and comments left out (what ``length/*`` counts)."""
    return read_body(text).words
