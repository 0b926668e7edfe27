"""Evidence for a draft: the passages of its sources that each outline section should quote.

``gather_evidence`` reads the draft's outline, searches each section's sources
(the section's purpose and the draft's variables as the query, restricted to
those documents) and writes ``research/<document>-evidence.md``: every passage
quoted verbatim from the stored file, with the document id, URL, heading path,
line range and content hash, so the writer drafts from quotes, not memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kurt.index.boilerplate import common_keys, is_common_line
from kurt.store.content import source_text
from kurt.writing.queries import WORD, build_query, query_terms, run_search

MAX_QUOTE_LINES = 30
MIN_PASSAGE_WORDS = 12


@dataclass
class Passage:
    document_id: str
    url: str
    title: str | None
    path: str  # workspace path of the stored file
    heading_path: str | None
    line_start: int
    line_end: int
    content_hash: str | None
    text: str  # the file's lines line_start..line_end, verbatim
    truncated: bool = False


@dataclass
class SectionEvidence:
    key: str
    purpose: str
    query: str
    sources: list[str]
    passages: list[Passage] = field(default_factory=list)
    method: str = "search"  # search | fallback | none
    missing_sources: list[str] = field(default_factory=list)


@dataclass
class EvidenceResult:
    draft: str
    path: str  # the evidence file, relative to the workspace
    document: str
    sections: list[SectionEvidence]

    @property
    def passage_count(self) -> int:
        return sum(len(s.passages) for s in self.sections)


# -- queries and search ---------------------------------------------------------------

# -- passages ---------------------------------------------------------------------------

def document_sections(ws, store, doc) -> list:
    """The document's sections from the index, else split from its stored file; the
    passages the index flags as boilerplate (``kurt.index.boilerplate``) left out."""
    rows = store.query(
        "SELECT id, heading_path, line_start, line_end, body, boilerplate FROM sections"
        " WHERE document_id = ? ORDER BY position", (doc.id,))
    if rows:
        return [{k: row[k] for k in ("id", "heading_path", "line_start", "line_end", "body")}
                for row in rows if not row["boilerplate"]]
    text = source_text(ws.root, store, doc.content_path)
    if text is None:
        return []
    from kurt.index.sections import split_sections

    return [
        {"id": None, "heading_path": s.heading_path, "line_start": s.line_start,
         "line_end": s.line_end, "body": s.body}
        for s in split_sections(text, title=doc.title)
    ]


def quote(ws, store, doc, heading_path: str | None, line_start: int, line_end: int,
          body: str | None = None) -> Passage | None:
    """The passage at ``line_start..line_end`` of the document's file, verbatim and trimmed."""
    text = source_text(ws.root, store, doc.content_path)
    if text is None:
        return None
    lines = text.split("\n")
    line_start, line_end = _locate(lines, line_start, line_end, body)
    start, end = line_start - 1, min(line_end, len(lines))
    # blank lines, and the site's common lines (a banner, a call to action) at either end
    common = common_keys(store, doc.id) if getattr(doc, "id", None) else set()
    while start < end and (not lines[start].strip() or is_common_line(lines[start], common)):
        start += 1
    while end > start and (not lines[end - 1].strip() or is_common_line(lines[end - 1], common)):
        end -= 1
    if start >= end:
        return None
    truncated = False
    if end - start > MAX_QUOTE_LINES:
        end, truncated = _cut(lines, start, start + MAX_QUOTE_LINES), True
    return Passage(
        document_id=doc.id, url=doc.url, title=doc.title, path=doc.content_path,
        heading_path=heading_path, line_start=start + 1, line_end=end,
        content_hash=doc.content_hash, text="\n".join(lines[start:end]), truncated=truncated,
    )


def _locate(lines: list[str], line_start: int, line_end: int, body: str | None) -> tuple[int, int]:
    """Trust the stored line numbers when the body is there; otherwise find the body in the file."""
    first = next((ln for ln in (body or "").split("\n") if ln.strip()), None)
    if first is None:
        return line_start, line_end
    window = lines[max(line_start - 1, 0):line_end]
    if first in window:
        return line_start, line_end
    try:
        found = lines.index(first) + 1
    except ValueError:
        return line_start, line_end
    return found, found + (line_end - line_start)


def _cut(lines: list[str], start: int, end: int) -> int:
    """End a long quote at ``end`` without leaving a code fence open."""
    fences = [i for i in range(start, end) if lines[i].lstrip().startswith(("```", "~~~"))]
    if len(fences) % 2 == 0:
        return end
    opener = fences[-1]
    if opener - start >= 3:
        return opener
    for i in range(end, min(len(lines), end + 40)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            return i + 1
    return end


def best_sections(sections: list[dict], terms: list[str], n: int) -> list[dict]:
    """Up to ``n`` sections sharing the most query terms (by stem), else the first substantial ones."""
    stems = [t[:5] for t in terms]

    def overlap(section: dict) -> int:
        words = {w.lower()[:5] for w in WORD.findall(f"{section['heading_path']} {section['body']}")}
        return sum(1 for stem in stems if stem in words)

    substantial = [s for s in sections if len(s["body"].split()) >= MIN_PASSAGE_WORDS] or sections
    scored = sorted(((overlap(s), i, s) for i, s in enumerate(substantial)), key=lambda x: (-x[0], x[1]))
    chosen = [s for score, _, s in scored if score > 0][:n]
    return chosen or substantial[:n]


# -- the evidence file ------------------------------------------------------------------

def gather_evidence(ws, store, draft_ident: str, *, per_section: int = 3) -> EvidenceResult:
    """Write ``research/<document>-evidence.md`` for the draft and return what it holds."""
    from kurt.errors import NotFound, UsageError
    from kurt.fileio import write_atomic
    from kurt.store.documents import get_document
    from kurt.writing.draft_file import read_draft

    if per_section < 1:
        raise UsageError("--per-section must be at least 1")
    draft = read_draft(ws, draft_ident)
    from kurt.writing.subject import subject_of

    values = [str(v) for v in draft.variables.values() if str(v).strip() and '"' not in str(v)]
    subject = subject_of(store, values)
    sections: list[SectionEvidence] = []
    for position, entry in enumerate(draft.outline):
        purpose_terms = query_terms(entry.key, entry.purpose)
        terms = query_terms(entry.key, entry.purpose, " ".join(values))
        section = SectionEvidence(entry.key, entry.purpose, build_query(terms), list(entry.sources))
        docs = {}
        for source in entry.sources:
            try:
                doc = get_document(store, str(source).lstrip("/"), ws.root)
            except (NotFound, UsageError):
                section.missing_sources.append(str(source))
                continue
            docs[doc.id] = doc
        if docs:
            queries: list = []
            if subject and purpose_terms:  # passages naming the subject and the purpose first
                queries.append((subject, " OR ".join(build_query(purpose_terms).split())))
            queries.append(section.query)
            lead = position == 0  # the opening section draws on the opening of its first source
            _fill(ws, store, section, docs, terms, per_section, queries, lead=lead)
        if not section.passages:
            section.method = "none"
        sections.append(section)
    target = draft.project_dir / "research" / f"{draft.document}-evidence.md"
    result = EvidenceResult(ws.relative(draft.path), ws.relative(target), draft.document, sections)
    write_atomic(target, render_evidence(result, draft))
    from kurt.writing.projects import load_project, sync_tracking

    try:
        sync_tracking(ws, load_project(ws, draft.project))
    except NotFound:
        pass  # a draft folder without plan.md: nothing to track
    return result


def _fill(ws, store, section: SectionEvidence, docs: dict, terms: list[str], n: int,
          queries: list[str], *, lead: bool = False) -> None:
    if lead:
        first = next(iter(docs.values()))
        sections = [s for s in document_sections(ws, store, first)
                    if len(s["body"].split()) >= MIN_PASSAGE_WORDS]
        if sections:
            s = sections[0]
            passage = quote(ws, store, first, s["heading_path"], s["line_start"], s["line_end"], s["body"])
            if passage:
                section.passages.append(passage)
    hits = []
    for query in queries:
        if len(section.passages) + len(hits) >= n:
            break
        if isinstance(query, tuple):  # (subject, extra): every word of a value, phrase first
            from kurt.writing.subject import search_subject

            hits += search_subject(store, query[0], query[1], list(docs), limit=n, per_document=n)
        else:
            hits += run_search(store, query, list(docs), limit=n, per_document=n)
    for hit in hits:
        if len(section.passages) >= n:
            break
        doc = docs.get(hit.document_id)
        body = store.query_one("SELECT body FROM sections WHERE id = ?", (hit.section_id,)) \
            if getattr(hit, "section_id", None) is not None else None
        passage = quote(ws, store, doc, hit.heading_path, hit.line_start, hit.line_end,
                        body["body"] if body else None) if doc else None
        if passage and not _duplicate(section.passages, passage):
            section.passages.append(passage)
    if section.passages:
        return
    section.method = "fallback"
    pool = []
    for doc in docs.values():
        for s in best_sections(document_sections(ws, store, doc), terms, n):
            pool.append((doc, s))
    # round-robin over documents so every source gets a say
    ordered, index = [], 0
    while pool and len(ordered) < n:
        per_doc: dict[str, list] = {}
        for doc, s in pool:
            per_doc.setdefault(doc.id, []).append((doc, s))
        for items in per_doc.values():
            if index < len(items) and len(ordered) < n:
                ordered.append(items[index])
        index += 1
        if all(index >= len(items) for items in per_doc.values()):
            break
    for doc, s in ordered:
        passage = quote(ws, store, doc, s["heading_path"], s["line_start"], s["line_end"], s["body"])
        if passage and not _duplicate(section.passages, passage):
            section.passages.append(passage)


def _duplicate(passages: list[Passage], new: Passage) -> bool:
    return any(p.document_id == new.document_id and p.line_start == new.line_start for p in passages)


def render_evidence(result: EvidenceResult, draft) -> str:
    from kurt.writing.citations import code_span, evidence_source_line, format_citation, line_span

    out = [
        f"# Evidence: {result.document}",
        "",
        f"Draft: {code_span(result.draft)}. Generated by `kurt draft evidence`; running it again "
        "replaces this file.",
        "Write from these quotes and cite each claim with the lines it draws on: copy the "
        "passage's `Cite:` comment (`<!-- Source: PATH:START-END -->`; a path with spaces is "
        "written `<PATH>:START-END`).",
        "",
    ]
    for section in result.sections:
        out += [f"## {section.key}", "", f"Purpose: {section.purpose}", ""]
        if section.missing_sources:
            out += [f"Not in the store (ingest or fix the path): {', '.join(section.missing_sources)}", ""]
        if not section.passages:
            out += ["No passages: add sources to this section's `sources:` in the draft's "
                    "frontmatter (find them with `kurt content search`).", ""]
            continue
        for number, p in enumerate(section.passages, 1):
            out += [
                f"### {number}. {p.heading_path or p.title or p.path}",
                "",
                f"{evidence_source_line(p.path)} {line_span(p.line_start, p.line_end)}"
                + (" (passage continues)" if p.truncated else ""),
                f"- Document: `{p.document_id}` <{p.url}>",
                f"- Content hash: `{p.content_hash or 'unknown'}`",
                f"- Cite: {code_span(format_citation(p.path, p.line_start, p.line_end))}",
                "",
            ]
            out += [f"> {line}".rstrip() for line in p.text.split("\n")]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
