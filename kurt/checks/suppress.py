"""Inline suppressions: a comment in the draft that silences a rule where the writer knows better.

In the markdown body (HTML comments, so they never show once published)::

    <!-- kurt: ignore grounding/specific -->        the next line, or the next paragraph
    Text. <!-- kurt: ignore style/banned-phrase -->  at the end of a line: that line
    <!-- kurt: ignore-start code -->               from here ...
    <!-- kurt: ignore-end -->                       ... to here (or the end of the file)
    <!-- kurt: ignore-file style -->                the whole file

In the frontmatter, a YAML comment does the same for one line:
``created: 2025-13-01  # kurt: ignore frontmatter/date`` (at the end of the line),
or alone on a line for the line after it.

Rules are named as everywhere else: a family (``style``) or an id
(``structure/placeholder``, ``style/Google.Passive``), separated by commas or
spaces; naming none silences every rule. "The next paragraph" is the next block
after blank lines: the lines up to the next blank line, a whole fenced code
block, or a heading line. A comment inside a code block is code, not a directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.checks.selection import matches

_DIRECTIVE = re.compile(
    r"<!--\s*kurt\s*:\s*(ignore-file|ignore-start|ignore-end|ignore)\b(.*?)-->", re.DOTALL)
_YAML_DIRECTIVE = re.compile(r"(?:^|\s)#\s*kurt\s*:\s*ignore\b(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ALL = "*"


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]  # selectors; ("*",) for every rule
    first: int  # file lines, inclusive
    last: int
    line: int  # where the comment is

    def covers(self, rule_id: str, line: int) -> bool:
        return self.first <= line <= self.last and any(
            r == ALL or matches(r, rule_id) for r in self.rules)


@dataclass
class Suppressions:
    items: list[Suppression] = field(default_factory=list)

    def silences(self, rule_id: str, line: int) -> bool:
        return any(item.covers(rule_id, line) for item in self.items)


def _names(text: str) -> tuple[str, ...]:
    names = tuple(n for n in re.split(r"[\s,]+", text.strip()) if n)
    return names or (ALL,)


def _block_end(lines: list[str], start: int) -> int:
    """Index of the last line of the block starting at ``start`` (0-based)."""
    fence = _FENCE.match(lines[start])
    if fence:
        marker = fence.group(1)
        for i in range(start + 1, len(lines)):
            stripped = lines[i].strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                return i
        return len(lines) - 1
    if lines[start].lstrip().startswith("#"):
        return start
    end = start
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    return end


def parse(text: str, *, body_line: int = 1, yaml_lines: tuple[int, int] | None = None
          ) -> Suppressions:
    """The suppressions of a file's ``text``. ``body_line`` is the file line where the body
    starts (directives above it are not read as HTML comments); ``yaml_lines`` the first and
    last file lines of the frontmatter's YAML."""
    lines = text.split("\n")
    found = Suppressions()
    total = len(lines)
    if yaml_lines is not None:
        first, last = yaml_lines
        for number in range(first, min(last, total) + 1):
            line = lines[number - 1]
            match = _YAML_DIRECTIVE.search(line)
            if match is None:
                continue
            names = _names(match.group(1))
            own = line[: match.start()].strip() == ""
            target = number + 1 if own else number
            found.items.append(Suppression(names, target, target, number))
    fence = None
    open_regions: list[tuple[tuple[str, ...], int]] = []
    for index in range(max(body_line - 1, 0), total):
        line = lines[index]
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        for match in _DIRECTIVE.finditer(line):
            kind, names = match.group(1), _names(match.group(2))
            number = index + 1
            if kind == "ignore-file":
                found.items.append(Suppression(names, 1, total, number))
            elif kind == "ignore-start":
                open_regions.append((names, number))
            elif kind == "ignore-end":
                if open_regions:
                    names_open, start = open_regions.pop()
                    found.items.append(Suppression(names_open, start, number, start))
            else:
                rest = (line[: match.start()] + line[match.end():]).strip()
                if rest:  # at the end of a line of content: that line
                    found.items.append(Suppression(names, number, number, number))
                    continue
                nxt = index + 1
                while nxt < total and not lines[nxt].strip():
                    nxt += 1
                if nxt < total:
                    found.items.append(Suppression(names, number, _block_end(lines, nxt) + 1,
                                                   number))
    for names, start in open_regions:
        found.items.append(Suppression(names, start, total, start))
    return found
