"""From collected characters to the blocks rules read, and plain-text files.

A reader (markdown, plain text) collects the characters of one piece of prose
and the file offset of each in a ``Collector``; ``BlockMaker.finish`` then masks
bare URLs and the config's ``TokenIgnores`` (as ``*``, so the prose keeps its
shape), records the quotations in it, and adds its blocks to the document:
the block itself, and for a paragraph also a ``paragraph`` block, one
``sentence`` block per sentence, and the ``link``/``strong``/``emphasis``
spans inside it.
"""

from __future__ import annotations

import re

from kurt.checks.vale.blocks import Block, Document
from kurt.checks.vale.sentences import sentence_spans

URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]")
QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("«", "»"))
MASK = "*"
PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")


class Collector:
    """The characters of one block and the file offset of each, plus its inline spans."""

    def __init__(self):
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.spans: list[tuple[str, int, int]] = []  # (scope, start, end) of link/strong/emphasis

    def add(self, text: str, offsets) -> None:
        self.chars.extend(text)
        self.offsets.extend(offsets)

    def __len__(self) -> int:
        return len(self.chars)


def blank_spans(text: str, spans) -> str:
    """``text`` with the characters of every [start, end) span turned to spaces (newlines kept)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for index in range(max(start, 0), min(end, len(chars))):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)


class BlockMaker:
    def __init__(self, doc: Document, token_ignores=(), *, code_only: bool = False):
        self.doc = doc
        self.ext = doc.ext
        self.token_ignores = sorted(token_ignores)
        self.code_only = code_only  # keep blocks of inline code alone ("| `fra` |")

    def finish(self, collected: Collector, scope: frozenset[str], kind: str, *,
               sentences: bool = False, summary: bool = False) -> None:
        offsets = collected.offsets
        text = self._mask(("".join(collected.chars)), offsets)
        if not any(char not in " \t\n" + MASK for char in text) \
                and not (self.code_only and MASK in text):
            return
        block = Block(text, offsets, scope, scope, kind)
        self._quotes(block)
        if sentences:
            self.doc.blocks.append(block.slice(0, len(text), frozenset({"paragraph", self.ext}),
                                               scope, "paragraph"))
            for start, end in sentence_spans(text):
                self.doc.blocks.append(block.slice(start, end, frozenset({"sentence", self.ext}),
                                                   scope, "sentence"))
        self.doc.blocks.append(block)
        if summary:
            self.doc.summary_parts.append(block)
        for name, start, end in collected.spans:
            self.doc.blocks.append(block.slice(start, end, frozenset({name, self.ext}),
                                               scope | {name}, name))

    def _mask(self, text: str, offsets: list[int]) -> str:
        chars = None
        for found in URL.finditer(text):
            chars = chars if chars is not None else list(text)
            for k in range(found.start(), found.end()):
                if chars[k] != "\n":
                    chars[k] = MASK
            self.doc.mask(offsets[found.start()], offsets[found.end() - 1] + 1)
        if self.token_ignores:
            for k, offset in enumerate(offsets):
                if any(start <= offset < stop for start, stop in self.token_ignores):
                    chars = chars if chars is not None else list(text)
                    if chars[k] != "\n":
                        chars[k] = MASK
        return text if chars is None else "".join(chars)

    def _quotes(self, block: Block) -> None:
        text = block.text
        for opener, closer in QUOTE_PAIRS:
            start = text.find(opener)
            while start >= 0:
                end = text.find(closer, start + 1)
                if end < 0:
                    break
                if end > start + 1:
                    self.doc.quotes.append((block.offsets[start + 1], block.offsets[end]))
                start = text.find(opener, end + 1)


def read_plain_text(text: str, *, token_ignores=(), block_ignores=()) -> Document:
    """A plain-text file: each run of lines between blank lines is a paragraph."""
    doc = Document(text, "txt")
    maker = BlockMaker(doc, token_ignores)
    for start, stop in [*block_ignores, *maker.token_ignores]:
        doc.mask(start, stop)
    source = blank_spans(text, block_ignores)
    for found in PARAGRAPH.finditer(source):
        raw = found.group(0).rstrip()
        collected = Collector()
        collected.add(raw, range(found.start(), found.start() + len(raw)))
        maker.finish(collected, frozenset({"text", "txt"}), "text", sentences=True, summary=True)
    return doc
