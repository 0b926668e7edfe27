"""Citations in a draft's prose: ``<!-- Source: path[:lines] -->`` comments, checked.

A citation names a stored file, optionally with the lines it draws on, the way
search and evidence report them: ``sources/x.md:8-10``, ``sources/x.md:8``,
``sources/x.md#L8-L10`` or ``sources/x.md#L8``. Each is checked: the path must be
an ingested document, the range must lie within its file, and when the draft's
evidence file quoted that document with a different content hash, the source
changed since the writer read it. The frontmatter ``sources`` list is the
inventory: paths it lists that no comment cites are reported as uncited, and
cited documents it does not list are reported so the inventory can be completed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OK = "ok"
NOT_INGESTED = "not ingested"
OUT_OF_RANGE = "lines out of range"
CHANGED = "changed since evidence"

_CITATION = re.compile(r"<!--\s*Sources?\s*:\s*(.*?)\s*-->", re.IGNORECASE | re.DOTALL)
_RANGE = re.compile(r"^(?P<path>.+?)(?::(?P<a>\d+)(?:-(?P<b>\d+))?|#L(?P<c>\d+)(?:-L?(?P<d>\d+))?)$")
_EVIDENCE_SOURCE = re.compile(r"^- Source: `([^`]+)`")
_EVIDENCE_HASH = re.compile(r"^- Content hash: `([^`]+)`")


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

    @property
    def problem(self) -> bool:
        return self.status in (NOT_INGESTED, OUT_OF_RANGE)


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


def line_span(start: int, end: int | None) -> str:
    """How a quote's lines read in prose: ``line 8`` for one line, ``lines 8-10`` for more."""
    return f"line {start}" if end is None or end == start else f"lines {start}-{end}"


def line_range(start: int, end: int | None) -> str:
    """The ``start[-end]`` part of a citation: ``8`` for one line, ``8-10`` for more."""
    return f"{start}" if end is None or end == start else f"{start}-{end}"


def parse_citation(raw: str) -> tuple[str, int | None, int | None]:
    """``"sources/x.md:8-10"`` -> ``("sources/x.md", 8, 10)``; no range -> ``(path, None, None)``."""
    text = raw.strip().strip("`").lstrip("/")
    match = _RANGE.match(text)
    if not match:
        return text, None, None
    start = int(match.group("a") or match.group("c"))
    end_text = match.group("b") or match.group("d")
    return match.group("path"), start, int(end_text) if end_text else start


def split_citations(body: str) -> list[tuple[int, str]]:
    """(offset in ``body``, cited text) for every item of every Source comment."""
    found = []
    for match in _CITATION.finditer(body):
        for raw in re.split(r"[,\s]+", match.group(1)):
            if raw.strip():
                found.append((match.start(), raw.strip()))
    return found


def evidence_hashes(text: str) -> dict[str, str]:
    """path -> content hash recorded by ``kurt draft evidence`` for the passages it quoted."""
    hashes: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        source = _EVIDENCE_SOURCE.match(line)
        if source:
            current = source.group(1)
            continue
        digest = _EVIDENCE_HASH.match(line)
        if digest and current and digest.group(1) != "unknown":
            hashes.setdefault(current, digest.group(1))
    return hashes


def check_citations(ws, store, ident: str) -> CitationReport:
    """Every citation of the draft's body with its status, and the inventory paths left uncited."""
    from kurt.errors import NotFound, UsageError
    from kurt.store.documents import get_document
    from kurt.writing import frontmatter
    from kurt.writing.drafts import read_draft

    draft = read_draft(ws, ident)
    text = draft.path.read_text(encoding="utf-8")
    fm = frontmatter.parse(text, draft.path)
    offset = text[: len(text) - len(fm.body)].count("\n")
    evidence_path = draft.project_dir / "research" / f"{draft.document}-evidence.md"
    recorded = evidence_hashes(evidence_path.read_text(encoding="utf-8")) \
        if evidence_path.is_file() else {}
    line_counts: dict[str, int | None] = {}
    citations = []
    for position, raw in split_citations(fm.body):
        line = offset + fm.body.count("\n", 0, position) + 1
        path, start, end = parse_citation(raw)
        citation = Citation(path, line, None, None, False, start, end, NOT_INGESTED, raw)
        citations.append(citation)
        try:
            doc = get_document(store, path, ws.root)
        except (NotFound, UsageError):
            continue
        citation.document_id, citation.url = doc.id, doc.url
        stored = doc.content_path or path
        if stored not in line_counts:
            line_counts[stored] = _line_count(ws.root / stored)
        total = line_counts[stored]
        if total is None:
            continue  # in the store, but its file is gone: not ingested text
        if start is not None and not (1 <= start <= end <= total):
            citation.status = OUT_OF_RANGE
            continue
        citation.resolved = True
        seen = recorded.get(stored)
        citation.status = CHANGED if seen and doc.content_hash and seen != doc.content_hash else OK
    inventory = []
    for item in draft.data.get("sources") or []:
        path = item.get("path") if isinstance(item, dict) else item
        if path:
            inventory.append(str(path).lstrip("/"))
    cited = {c.path for c in citations}
    listed = set(inventory)
    outside = list(dict.fromkeys(c.path for c in citations if c.resolved and c.path not in listed))
    return CitationReport(ws.relative(draft.path), citations, inventory,
                          [p for p in inventory if p not in cited], outside)


def _line_count(path) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    return len(text.split("\n")) - (1 if text.endswith("\n") else 0)
