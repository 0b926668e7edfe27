r"""Citations in a draft's prose: ``<!-- Source: ... -->`` comments, their syntax and checks.

This module is the one place that writes and reads the citation syntax: evidence
files, search results, ``kurt draft sources`` and ``kurt draft status`` all go
through it::

    <!-- Source: ITEM[, ITEM ...] -->   items separated by commas or spaces
    ITEM   = TARGET [RANGE]
    TARGET = PATH                       no space, comma, '<', '>' or '`' in it
           | <PATH>                     any path; '\', '<' and '>' inside are
                                        written '\\', '\<' and '\>'
    RANGE  = :START[-END] | #LSTART[-[L]END]

``sources/x.md:8-10``, ``sources/x.md#L8`` and ``<sources/local/docs/data load
tool (dlt).md>:8-12`` are citations. The angle-bracket form is the one CommonMark
uses for link destinations with spaces; Kurt writes it only when a path needs it
(``needs_brackets``) and reads both forms.

Each citation is checked: the path must be an ingested document, the range
must lie within its file, and when the draft's evidence file quoted that
document with a different content hash, the source changed since the writer
read it. A path with spaces written without brackets (``<!-- Source: sources/a
b.md:3 -->``) is recognised and reported with the form to write instead. The
frontmatter ``sources`` list is the inventory: paths it lists that no comment
cites are reported as uncited, and cited documents it does not list are
reported so the inventory can be completed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.store.content import source_text

OK = "ok"
NOT_INGESTED = "not ingested"
OUT_OF_RANGE = "lines out of range"
CHANGED = "changed since evidence"
NEEDS_BRACKETS = "path needs <...>"  # a path with spaces written bare: ambiguous

_CITATION = re.compile(r"<!--\s*Sources?\s*:\s*(.*?)\s*-->", re.IGNORECASE | re.DOTALL)
_RANGE_TEXT = r"(?::(?P<a>\d+)(?:-(?P<b>\d+))?|#L(?P<c>\d+)(?:-L?(?P<d>\d+))?)"
_RANGE = re.compile(rf"^(?P<path>.+?){_RANGE_TEXT}$")
_RANGE_ONLY = re.compile(rf"^{_RANGE_TEXT}$")
_RANGE_AT_END = re.compile(rf"{_RANGE_TEXT}$")
_SEPARATOR = re.compile(r"[,\s]")
_BARE_UNSAFE = re.compile(r"[\s,<>`]")
_EVIDENCE_SOURCE = re.compile(r"^- Source: (`+)(.+?)\1(?!`)")
_EVIDENCE_HASH = re.compile(r"^- Content hash: `([^`]+)`")
MAX_JOINED_WORDS = 20  # how many space-separated words an unbracketed path may span


# -- the syntax -------------------------------------------------------------------------

def needs_brackets(path: str) -> bool:
    """Whether ``path`` must be written ``<path>``: it holds a space, comma, '<', '>' or
    '`', starts with '/', or ends like a line range (a file named ``notes.md:3``)."""
    return (not path or bool(_BARE_UNSAFE.search(path)) or path.startswith("/")
            or bool(_RANGE_AT_END.search(path)))


def format_target(path: str) -> str:
    """The path as a citation writes it: bare, or ``<...>`` when it needs brackets."""
    if not needs_brackets(path):
        return path
    escaped = path.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    return f"<{escaped}>"


def format_item(path: str, start: int | None = None, end: int | None = None) -> str:
    """``sources/x.md:8-10``, or ``<sources/a b.md>:8-10`` for a path that needs brackets."""
    target = format_target(path)
    return target if start is None else f"{target}:{line_range(start, end)}"


def format_citation(path: str, start: int | None = None, end: int | None = None) -> str:
    """The whole comment: ``<!-- Source: sources/x.md:8-10 -->``."""
    return f"<!-- Source: {format_item(path, start, end)} -->"


def line_span(start: int, end: int | None) -> str:
    """How a quote's lines read in prose: ``line 8`` for one line, ``lines 8-10`` for more."""
    return f"line {start}" if end is None or end == start else f"lines {start}-{end}"


def line_range(start: int, end: int | None) -> str:
    """The ``start[-end]`` part of a citation: ``8`` for one line, ``8-10`` for more."""
    return f"{start}" if end is None or end == start else f"{start}-{end}"


def _range(match: re.Match) -> tuple[int, int]:
    start = int(match.group("a") or match.group("c"))
    end_text = match.group("b") or match.group("d")
    return start, int(end_text) if end_text else start


def parse_item(raw: str) -> tuple[str, int | None, int | None]:
    """One item -> ``(path, start, end)``; no range -> ``(path, None, None)``.

    ``"sources/x.md:8-10"`` -> ``("sources/x.md", 8, 10)``;
    ``"<sources/a b.md>#L8"`` -> ``("sources/a b.md", 8, 8)``. A bare path may be
    wrapped in backticks and start with '/' (both are dropped).
    """
    text = raw.strip()
    if text.startswith("<"):
        inner, rest, _ = _read_bracketed(text, 0)
        if inner is not None:
            if not rest:
                return inner, None, None
            match = _RANGE_ONLY.match(rest)
            if match:
                return (inner, *_range(match))
            return inner + rest, None, None  # text glued after '>': not a range
    text = text.strip("`").lstrip("/")
    match = _RANGE.match(text)
    if not match:
        return text, None, None
    return (match.group("path"), *_range(match))


parse_citation = parse_item  # the name the checks and tests have used


def _read_bracketed(text: str, at: int) -> tuple[str | None, str, int]:
    """The ``<...>`` starting at ``at``: (path inside, text glued after '>' up to a
    separator, index after that text); (None, "", at) when the '>' never comes."""
    out, i = [], at + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "\\<>":
            out.append(text[i + 1])
            i += 2
            continue
        if ch == ">":
            match = _SEPARATOR.search(text, i + 1)
            end = match.start() if match else len(text)
            return "".join(out), text[i + 1:end], end
        out.append(ch)
        i += 1
    return None, "", at


@dataclass(frozen=True)
class CitedItem:
    """One item of a Source comment, as written, with where it is."""

    raw: str
    path: str
    start: int | None
    end: int | None
    offset: int  # of the comment in the text searched
    bracketed: bool = False
    item_start: int = 0  # of the item inside the comment's content
    item_end: int = 0


def split_items(content: str, offset: int = 0) -> list[CitedItem]:
    """The items of one comment's content (the text between ``Source:`` and ``-->``)."""
    items, i = [], 0
    while i < len(content):
        if _SEPARATOR.match(content[i]):
            i += 1
            continue
        bracketed = False
        if content[i] == "<":
            inner, _, end = _read_bracketed(content, i)
            bracketed = inner is not None
        if not bracketed:
            match = _SEPARATOR.search(content, i)
            end = match.start() if match else len(content)
        raw = content[i:end]
        path, start, stop = parse_item(raw)
        items.append(CitedItem(raw, path, start, stop, offset, bracketed, i, end))
        i = end
    return items


def find_citations(text: str) -> list[CitedItem]:
    """Every item of every Source comment of ``text``, in order."""
    found = []
    for match in _CITATION.finditer(text):
        found += split_items(match.group(1), match.start())
    return found


def find_comments(text: str) -> list[tuple[int, int, str]]:
    """Every Source comment of ``text``: (offset of the comment, offset of its content,
    content), the content being what ``CitationChecker.comment`` reads."""
    return [(m.start(), m.start(1), m.group(1)) for m in _CITATION.finditer(text)]


# -- the evidence file's source lines --------------------------------------------------------

def code_span(text: str) -> str:
    """``text`` as a markdown code span, with enough backticks for any inside it."""
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_span_text(inner: str) -> str:
    """What a code span holds: one padding space each side is dropped (CommonMark)."""
    if len(inner) > 2 and inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        return inner[1:-1]
    return inner


def evidence_source_line(path: str) -> str:
    """The ``- Source: `path``` line of an evidence file (read back by ``evidence_hashes``)."""
    return f"- Source: {code_span(path)}"


def evidence_hashes(text: str) -> dict[str, str]:
    """path -> content hash recorded by ``kurt draft evidence`` for the passages it quoted."""
    hashes: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        source = _EVIDENCE_SOURCE.match(line)
        if source:
            current = _code_span_text(source.group(2))
            continue
        digest = _EVIDENCE_HASH.match(line)
        if digest and current and digest.group(1) != "unknown":
            hashes.setdefault(current, digest.group(1))
    return hashes


# -- checking a draft's citations ------------------------------------------------------------

@dataclass
class Citation:
    path: str
    line: int  # line of the draft holding the comment
    document_id: str | None
    url: str | None
    resolved: bool  # the citation points at ingested text (ok, or changed since evidence)
    line_start: int | None = None
    line_end: int | None = None
    status: str = OK
    cited: str = ""  # the citation as written
    fix: str | None = None  # the item to write instead (a path that needs brackets)

    @property
    def problem(self) -> bool:
        return self.status in (NOT_INGESTED, OUT_OF_RANGE, NEEDS_BRACKETS)


@dataclass
class CitationReport:
    draft: str
    citations: list[Citation]
    inventory: list[str]
    uncited: list[str]  # inventory paths no comment cites
    uninventoried: list[str] = field(default_factory=list)  # cited, ingested, not in the inventory

    @property
    def unresolved(self) -> list[Citation]:
        return [c for c in self.citations if not c.resolved]

    @property
    def changed(self) -> list[Citation]:
        return [c for c in self.citations if c.status == CHANGED]


class CitationChecker:
    """Resolves items against the store, reading each cited file's line count once
    (``line_counts`` may be shared by the checkers of several drafts)."""

    def __init__(self, ws, store, recorded: dict[str, str],
                 line_counts: dict[str, int | None] | None = None):
        self.ws, self.store, self.recorded = ws, store, recorded
        self.line_counts: dict[str, int | None] = {} if line_counts is None else line_counts

    def comment(self, content: str, line: int) -> list[Citation]:
        items = split_items(content)
        out, i = [], 0
        while i < len(items):
            item = items[i]
            citation = self.item(item.path, item.start, item.end, item.raw, line)
            if citation.status == NOT_INGESTED and not item.bracketed:
                joined = self._joined(content, items, i, line)
                if joined is not None:
                    citation, i = joined
                    out.append(citation)
                    continue
            out.append(citation)
            i += 1
        return out

    def _joined(self, content: str, items: list[CitedItem], i: int, line: int):
        """A path with spaces written bare: the longest run of items from ``i``, joined by the
        spaces between them, that names an ingested document; (citation, next index)."""
        last = i
        while last + 1 < len(items) and last + 1 - i < MAX_JOINED_WORDS \
                and not items[last + 1].bracketed \
                and not content[items[last].item_end:items[last + 1].item_start].count(","):
            last += 1
        for j in range(last, i, -1):
            raw = content[items[i].item_start:items[j].item_end]
            path, start, end = parse_item(raw)
            citation = self.item(path, start, end, raw, line)
            if citation.status != NOT_INGESTED:
                citation.status, citation.resolved = NEEDS_BRACKETS, False
                citation.fix = format_item(path, start, end)
                return citation, j + 1
        return None

    def item(self, path: str, start: int | None, end: int | None, raw: str, line: int) -> Citation:
        from kurt.errors import NotFound, UsageError
        from kurt.store.documents import get_document

        citation = Citation(path, line, None, None, False, start, end, NOT_INGESTED, raw)
        try:
            doc = get_document(self.store, path, self.ws.root)
        except (NotFound, UsageError):
            return citation
        citation.document_id, citation.url = doc.id, doc.url
        stored = doc.content_path or path
        if stored not in self.line_counts:
            self.line_counts[stored] = _line_count(source_text(self.ws.root, self.store, stored))
        total = self.line_counts[stored]
        if total is None:
            return citation  # in the store, but its file is gone: not ingested text
        if start is not None and not (1 <= start <= end <= total):
            citation.status = OUT_OF_RANGE
            return citation
        citation.resolved = True
        seen = self.recorded.get(stored)
        citation.status = CHANGED if seen and doc.content_hash and seen != doc.content_hash else OK
        return citation


def _line_count(text: str | None) -> int | None:
    if text is None:
        return None
    return len(text.split("\n")) - (1 if text.endswith("\n") else 0)
