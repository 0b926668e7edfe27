"""The prose of a document, cut into blocks that rules read, each mapped back to the file.

A ``Block`` is a piece of prose (a heading, a paragraph, one of its sentences, a
list item, a table cell, alt text, link text) with its Vale scope and, for
every character of its text, the offset of that character in the file. A rule
reports character ranges of a block's text; ``Document.position`` turns a file
offset into a 1-based line and column, so a finding points at the exact place
in the file whatever markup surrounded the text.

``Document`` also keeps what is not prose (``masked`` offset ranges: code,
URLs, frontmatter, comments, quotations) so a match that lies wholly inside it
is never reported, the quotations inside prose (``quotes``), the counts the
``metric`` rules use, and Vale's comment controls.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from kurt.checks.vale.controls import Control


@dataclass
class Block:
    text: str
    offsets: list[int]  # file offset of each character of text
    scope: frozenset[str]
    parent: frozenset[str]
    kind: str  # "heading", "paragraph", "sentence", "text", "cell", "alt", "link", "raw", "summary"

    def span(self, start: int, end: int) -> tuple[int, int]:
        """File offsets of the first and last character of text[start:end]."""
        if not self.offsets:
            return 0, 0
        first = self.offsets[min(start, len(self.offsets) - 1)]
        last = self.offsets[min(max(end - 1, start), len(self.offsets) - 1)]
        return first, max(first, last)

    def slice(self, start: int, end: int, scope: frozenset[str], parent: frozenset[str],
              kind: str) -> Block:
        return Block(self.text[start:end], self.offsets[start:end], scope, parent, kind)


@dataclass
class Document:
    text: str
    ext: str  # "md" or "txt": the last part of every block's scope
    blocks: list[Block] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)  # [start, end) not prose
    quotes: list[tuple[int, int]] = field(default_factory=list)  # [start, end) inside quotes
    controls: list[Control] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # "pre", "list", "heading_h2", ...
    summary_parts: list[Block] = field(default_factory=list)
    _line_starts: list[int] | None = None
    _masked_merged: tuple[list[int], list[int]] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of file offset ``offset``."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(i + 1 for i, char in enumerate(self.text) if char == "\n")
            self._line_starts = starts
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def count(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    def mask(self, start: int, end: int) -> None:
        if end > start:
            self.masked.append((start, end))
            self._masked_merged = None

    def _merged(self) -> tuple[list[int], list[int]]:
        if self._masked_merged is None:
            starts: list[int] = []
            ends: list[int] = []
            for start, end in sorted(self.masked):
                if starts and start <= ends[-1]:
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            self._masked_merged = (starts, ends)
        return self._masked_merged

    def is_masked(self, first: int, last: int) -> bool:
        """True when every character from ``first`` to ``last`` (inclusive) is not prose."""
        starts, ends = self._merged()
        index = bisect.bisect_right(starts, first) - 1
        return index >= 0 and ends[index] > last

    def in_quotes(self, first: int, last: int) -> bool:
        """True when the text from ``first`` to ``last`` lies inside one quotation."""
        return any(start <= first and last < end for start, end in self.quotes)

    def summary(self) -> Block:
        """All paragraphs and list items, one after the other (Vale's ``summary`` scope)."""
        text: list[str] = []
        offsets: list[int] = []
        for part in self.summary_parts:
            if text:
                text.append("\n\n")
                offsets.extend([offsets[-1]] * 2)
            text.append(part.text)
            offsets.extend(part.offsets)
        scope = frozenset({"summary", self.ext})
        return Block("".join(text), offsets, scope, frozenset(), "summary")

    def raw(self) -> Block:
        """The whole file with what is not prose blanked out (Vale's ``raw`` scope)."""
        chars = list(self.text)
        starts, ends = self._merged()
        for start, end in zip(starts, ends, strict=True):
            for i in range(start, min(end, len(chars))):
                if chars[i] != "\n":
                    chars[i] = " "
        scope = frozenset({"raw", self.ext})
        return Block("".join(chars), list(range(len(chars))), scope, frozenset(), "raw")
