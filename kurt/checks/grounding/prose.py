"""The prose of a draft, in the units the grounding checks read, mapped back to the file.

The markdown reader of the style checks (``kurt.checks.vale.markdown``) decides
what is prose: frontmatter, fenced and indented code, HTML comments (the
``<!-- Source: -->`` citations), block quotes, HTML and MDX are not. Its blocks
give the units here: each sentence of a paragraph or list item, each table
cell, each heading, every character mapped to its offset in the file.

Inline code and URLs stay in a unit as ``*`` characters (so sentences keep
their shape); ``Unit.code`` and ``Unit.urls`` give their contents, read back
from the file, so the checks can compare a command or an environment variable
while never reading a number inside code. ``Unit.links`` are the spans of link
text, whose numbers are titles rather than claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.checks.vale.prose import URL

MASK = "*"
_MASK_RUN = re.compile(r"\*+")


@dataclass
class Unit:
    kind: str  # "sentence", "cell", "heading"
    text: str  # the prose, code and URLs masked
    offsets: list[int]  # file offset of each character of text
    line: int  # 1-based line of the first character
    code: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, content)
    urls: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)  # link text spans
    strong: list[tuple[int, int]] = field(default_factory=list)  # bold text spans
    list_item: bool = False

    def prose(self) -> str:
        """The unit with each code span and URL written out (for lexical comparison)."""
        pieces, last = [], 0
        for start, end, content in sorted(self.code + self.urls):
            pieces.append(self.text[last:start])
            pieces.append(f" {content} ")
            last = end
        pieces.append(self.text[last:])
        return "".join(pieces)


_METADATA = re.compile(
    r"^[\W_]*(?:last updated|last reviewed|updated|published|publication date|date|authors?|"
    r"written by|reading time|read time)[*_]*\s*:", re.IGNORECASE)
_FENCE_INFO = re.compile(r"^ {0,3}(?:`{3,}|~{3,})\s*([\w+#.-]+)", re.MULTILINE)
LANGUAGE_NAMES = {"js": "javascript", "jsx": "javascript", "mjs": "javascript", "node": "node.js",
                  "ts": "typescript", "tsx": "typescript", "py": "python", "python3": "python",
                  "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "yml": "yaml",
                  "rb": "ruby", "rs": "rust", "golang": "go", "kt": "kotlin", "cs": "c#",
                  "psql": "postgresql", "pgsql": "postgresql", "dockerfile": "docker"}


def is_metadata(unit: Unit) -> bool:
    """A line about the draft itself (``**Last updated:** 2026-11-30``, ``Author: ...``):
    no source states it, and none should."""
    return _METADATA.match(unit.text) is not None


def code_languages(text: str) -> set[str]:
    """The languages of the draft's fenced code blocks, lowercase, common tags spelled out
    (``js`` -> ``javascript``): the draft shows them, so naming them needs no source."""
    found = set()
    for match in _FENCE_INFO.finditer(text):
        tag = match.group(1).lower()
        found |= {tag, LANGUAGE_NAMES.get(tag, tag)}
    return found


@dataclass
class DraftProse:
    text: str
    units: list[Unit]
    _line_starts: list[int] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)  # of its fenced code blocks

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a file offset."""
        import bisect

        if not self._line_starts:
            self._line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, unit: Unit, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of unit.text[start:end], end inclusive."""
        first = unit.offsets[min(start, len(unit.offsets) - 1)]
        last = unit.offsets[min(max(end - 1, start), len(unit.offsets) - 1)]
        line, column = self.position(first)
        end_line, end_column = self.position(max(first, last))
        return line, column, end_line, end_column


def read_prose(text: str) -> DraftProse:
    """The units of a markdown draft (see the module docstring)."""
    from kurt.checks.vale.markdown import read_markdown

    doc = read_markdown(text, code_only=True)  # a table's column of names is read too
    prose = DraftProse(text, [], languages=code_languages(text))
    link_blocks = [b for b in doc.blocks if b.kind == "link"]
    for block in doc.blocks:
        if block.kind not in ("sentence", "cell", "heading") or not block.offsets:
            continue
        kind = block.kind
        unit = Unit(kind, *_apart(block.text, block.offsets, text),
                    doc.position(block.offsets[0])[0], list_item="list" in block.parent)
        _masked(unit, text)
        first, last = block.offsets[0], block.offsets[-1]
        for link in link_blocks:
            if link.offsets and first <= link.offsets[0] and link.offsets[-1] <= last:
                start = _index_of(block.offsets, link.offsets[0])
                end = _index_of(block.offsets, link.offsets[-1])
                if start is not None and end is not None:
                    unit.links.append((start, end + 1))
        unit.strong = _strong_spans(unit, text)
        prose.units.append(unit)
    prose.units += command_units(text)
    prose.units.sort(key=lambda u: u.offsets[0])
    return prose


SHELL_TAGS = frozenset({"bash", "sh", "shell", "zsh", "console", "terminal", "shell-session"})
FENCED_BLOCK = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^ {0,3}\1[ \t]*$",
                    re.MULTILINE | re.DOTALL)
_SEPARATOR = re.compile(r"\s(?:&&|\|\||\||;)\s|;\s*$")


def command_units(text: str) -> list[Unit]:
    """One ``command`` unit per command of the draft's shell blocks (```` ```bash ````): a
    line with its ``\\`` continuations, split at ``&&``, ``||``, ``|`` and ``;``, its prompt
    (``$ ``) left out; comments and, in a ``console`` block, output are not commands. The
    unit's text is masked like inline code; ``Unit.code`` holds the command."""
    units = []
    for fence in FENCED_BLOCK.finditer(text):
        tag = fence.group(2).lower()
        if tag not in SHELL_TAGS:
            continue
        prompted = tag in ("console", "terminal", "shell-session")
        body_start = fence.start(3)
        lines = fence.group(3).split("\n")
        offset, index = body_start, 0
        while index < len(lines):
            chars: list[tuple[str, int]] = []
            line = lines[index]
            start = offset
            stripped = line.lstrip()
            lead = len(line) - len(stripped)
            is_command = stripped and not stripped.startswith("#")
            if prompted:
                is_command = is_command and stripped.startswith(("$ ", "> "))
            if stripped.startswith(("$ ", "> ")):
                lead += 2
            while True:  # the line and its continuations
                body = lines[index]
                chars += [(c, start + i) for i, c in enumerate(body) if i >= lead]
                offset += len(body) + 1
                index += 1
                if not body.rstrip().endswith("\\") or index >= len(lines):
                    break
                chars = chars[:len(chars) - 1 - (len(body) - len(body.rstrip()))]  # the "\\"
                chars.append((" ", start + len(body)))
                start, lead = offset, 0
            if is_command:
                units += _command_pieces(text, chars)
    for fence in FENCED_BLOCK.finditer(text):
        if fence.group(2).lower() in ("yaml", "yml"):
            units += _run_steps(text, fence.start(3), fence.group(3))
    return units


def _command_pieces(text: str, chars: list[tuple[str, int]]) -> list[Unit]:
    """The command units of one command line (its characters with their file offsets),
    split at ``&&``, ``||``, ``|`` and ``;``."""
    units = []
    joined = "".join(c for c, _ in chars)
    pieces, last = [], 0
    for sep in _SEPARATOR.finditer(joined):
        pieces.append((last, sep.start()))
        last = sep.end()
    pieces.append((last, len(joined)))
    for first, end in pieces:
        while first < end and joined[first].isspace():
            first += 1
        while end > first and joined[end - 1].isspace():
            end -= 1
        if end - first < 2:
            continue
        content = joined[first:end]
        offsets = [o for _, o in chars[first:end]]
        line_no = text.count("\n", 0, offsets[0]) + 1
        units.append(Unit("command", MASK * len(content), offsets, line_no,
                          code=[(0, len(content), content)]))
    return units


_RUN_KEY = re.compile(r"^(\s*)(?:-\s+)?run:[ \t]*(.*)$")


def _run_steps(text: str, offset: int, body: str) -> list[Unit]:
    """The commands of a CI file's ``run:`` steps (GitHub Actions and the like): the value
    of ``run: railway up``, or each line of a ``run: |`` block."""
    units = []
    lines = body.split("\n")
    starts = [offset]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    index = 0
    while index < len(lines):
        found = _RUN_KEY.match(lines[index])
        index += 1
        if not found:
            continue
        value = found.group(2)
        if value and value[0] not in "|>":
            value_at = starts[index - 1] + found.start(2)
            command = value.split(" #")[0].rstrip()
            units += _command_pieces(text, [(c, value_at + i) for i, c in enumerate(command)])
            continue
        indent = len(found.group(1))
        while index < len(lines) and (not lines[index].strip()
                                       or len(lines[index]) - len(lines[index].lstrip()) > indent):
            line = lines[index]
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                lead = len(line) - len(line.lstrip())
                command = stripped.split(" #")[0].rstrip()
                units += _command_pieces(text, [(c, starts[index] + lead + i)
                                                for i, c in enumerate(command)])
            index += 1
    return units


_STRONG = re.compile(r"(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_])\1")


def _strong_spans(unit: Unit, text: str) -> list[tuple[int, int]]:
    """The spans of the unit's text written in bold (``**Make Leader**``) in the file."""
    first, last = unit.offsets[0], unit.offsets[-1]
    if "**" not in text[first:last + 3] and "__" not in text[first:last + 3]:
        return []
    base = max(first - 2, 0)
    spans = []
    for match in _STRONG.finditer(text, base, last + 3):
        start = _index_of(unit.offsets, match.start(2))
        end = _index_of(unit.offsets, match.end(2) - 1)
        if start is not None and end is not None and end - start == match.end(2) - 1 - match.start(2):
            spans.append((start, end + 1))
    return spans


def _index_of(offsets: list[int], offset: int) -> int | None:
    import bisect

    index = bisect.bisect_left(offsets, offset)
    return index if index < len(offsets) and offsets[index] == offset else None


_TAG_BETWEEN = re.compile(r"[^\w<]*<[^<>]*>")


def _apart(chars: str, offsets: list[int], text: str) -> tuple[str, list[int]]:
    """The block's text with a space where an inline HTML tag stood between two word
    characters (``2<sup>30</sup>`` reads "2 30", as the sources' reader has it, not "230"),
    and where a paragraph wraps onto its next line ("within 10" / "minutes" reads "within 10
    minutes")."""
    chars = chars.replace("\n", " ")
    joins = [i for i in range(len(chars) - 1) if offsets[i + 1] - offsets[i] > 1
             and chars[i].isalnum() and chars[i + 1].isalnum()
             and _TAG_BETWEEN.match(text, offsets[i] + 1, offsets[i + 1])]
    if not joins:
        return chars, offsets
    out, where, last = [], list(offsets), 0
    for count, i in enumerate(joins):
        out.append(chars[last:i + 1])
        out.append(" ")
        where.insert(i + 1 + count, offsets[i] + 1)
        last = i + 1
    out.append(chars[last:])
    return "".join(out), where


def _masked(unit: Unit, text: str) -> None:
    """Find the code spans and URLs behind each run of ``*`` in the unit."""
    for run in _MASK_RUN.finditer(unit.text):
        start, end = run.span()
        first, last = unit.offsets[start], unit.offsets[end - 1]
        if text[first:first + 1] == MASK and text[last:last + 1] == MASK \
                and text[max(first - 1, 0)] != "`":
            continue  # a literal * in the prose
        content = text[first:last + 1]
        before = text[max(first - 1, 0):first]
        if before == "`" or text[max(first - 2, 0):first].endswith("` "):
            unit.code.append((start, end, content.replace("\n", " ")))
        elif URL.match(content) or before == "<":
            unit.urls.append((start, end, content))
        else:
            unit.code.append((start, end, content.replace("\n", " ")))
