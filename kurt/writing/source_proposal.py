"""Source proposal: which ingested documents each outline section of a new draft starts from.

``propose_sources`` fills the ``sources`` of every outline entry with the
documents whose passages fit the section's purpose: the project's own Sources
of Ground Truth (plan.md) first, then the corpus, restricted to documents about
the draft's subject (its ``--var`` values, see ``kurt.writing.subject``). A
document that only mentions the subject in passing is not proposed: a section
keeps one strong source rather than gain a weak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kurt.writing.names import slugify

if TYPE_CHECKING:
    from kurt.writing.draft_file import OutlineEntry

__all__ = ["ProposedSource", "propose_sources"]


@dataclass
class ProposedSource:
    path: str
    document_id: str
    url: str
    title: str | None
    sections: list[str] = field(default_factory=list)
    note: str | None = None  # the purpose recorded in plan.md for a project source

    @property
    def purpose(self) -> str:
        if self.note:
            return f"{self.note} (for {', '.join(self.sections)})" if self.sections else self.note
        name = self.title or self.path
        return f"{name}: for {', '.join(self.sections)}" if self.sections else name


# A document that is not about the subject (its title and URL do not name it) is
# proposed only on a strong signal that the passage is about the subject too:
STRONG_PASSAGE_MENTIONS = 2  # the passage names the subject at least this often, or
STRONG_DOCUMENT_MENTIONS = 4  # the document does, or a heading names it
SECOND_PICK_FRACTION = 0.5  # a later pick of one search scores at least this much of its best
# Sections whose words ask for a structure the index flags on documents.
_STRUCTURE_WORDS = {
    "has_code": {"code", "examples", "example", "snippet", "snippets", "implementation"},
    "has_troubleshooting": {"troubleshooting", "troubleshoot", "issues", "errors", "fixes"},
}


def propose_sources(ws, store, outline: list[OutlineEntry], variables: dict[str, str], *,
                    per_section: int = 2, project_sources: list | None = None,
                    ) -> tuple[list[ProposedSource], list[str]]:
    """Fill each entry's ``sources`` with the passages that fit its purpose.

    The project's own Sources of Ground Truth (``project_sources``, PlanSource
    rows of plan.md) come first: their passages are ranked for the section's
    purpose and the subject, restricted to those documents, and a relevant one
    (see ``_relevant``) takes a slot. Then the corpus: with variables, only
    documents that mention the subject (every word of a value, see
    ``kurt.writing.subject``) are candidates. Documents naming it in their title
    or URL (the subject's own pages) come first, found by the section's key and
    purpose or, failing that, by the structure the section asks for (code,
    troubleshooting). Other documents must name the subject in the matching
    passage itself, and strongly (see ``STRONG_PASSAGE_MENTIONS``): a section
    keeps one strong source rather than gain a weak one. Without variables the
    whole corpus is searched. A project source relevant to no section is still
    returned (with no sections), so the draft's inventory lists it.
    """
    from kurt.writing.queries import build_query, query_terms, run_search
    from kurt.writing.subject import search_subject, subject_of

    warnings: list[str] = []
    subject = subject_of(store, variables)
    primary, secondary = _candidates(store, subject)
    corpus = True
    if variables and not (primary or secondary):
        shown = ", ".join(variables.values())
        warnings.append(f"No ingested document mentions {shown}: ingest its docs with "
                        "'kurt content add URL', then fill the outline sources")
        corpus = False
    own = _project_documents(store, project_sources or [])
    copies = _Copies(store)
    found: dict[str, ProposedSource] = {}
    strength = _SubjectStrength(store, subject)

    def add(entry: OutlineEntry, chosen: list[str], document_id: str, path: str, url: str,
            title: str | None) -> None:
        chosen.append(document_id)
        source = found.get(document_id)
        if source is None:
            source = found[document_id] = ProposedSource(path, document_id, url, title)
        source.sections.append(entry.key)
        entry.sources.append(source.path)

    def take(entry: OutlineEntry, chosen: list[str], hits, *, strong_only: bool = False) -> None:
        best = max((h.score for h in hits), default=0.0)
        for hit in hits:
            if len(chosen) >= per_section:
                return
            if hit.document_id in chosen or not hit.content_path:
                continue
            if copies.shown_elsewhere(hit.document_id, chosen):
                continue  # a copy of a page already chosen (a folder export of it, say)
            if chosen and best > 0 and hit.score < SECOND_PICK_FRACTION * best:
                return  # ranked far below the best: a weak second pick
            if strong_only and not strength.strong(hit):
                continue
            add(entry, chosen, hit.document_id, hit.content_path, hit.url, hit.title)

    for position, entry in enumerate(outline):
        terms = query_terms(entry.key, entry.purpose)
        chosen: list[str] = []
        if own:  # the writer's curated sources first
            hits = _project_hits(store, subject, terms, list(own), per_section)
            take(entry, chosen, [h for h in hits if _relevant(store, h, terms, own, subject)])
        if not corpus or len(chosen) >= per_section:
            continue
        if not variables:
            take(entry, chosen, run_search(store, build_query(terms), None,
                                           limit=per_section * 3, per_document=1))
            continue
        main = _main_page(store, primary, subject) if position == 0 else None
        if main and main["id"] not in chosen:  # the opening section introduces the subject
            add(entry, chosen, main["id"], main["content_path"], main["url"], main["title"])
        # documents about the subject: a passage matching the purpose is enough
        take(entry, chosen, run_search(store, build_query(terms), primary,
                                       limit=per_section * 3, per_document=1))
        if position == 0 and not chosen and primary:
            # the opening section introduces the subject: its own pages are the source
            take(entry, chosen, search_subject(store, subject, "", primary, limit=per_section,
                                               per_document=1))
        if not chosen and primary:
            for row in _with_structure(store, primary, terms, per_section):
                add(entry, chosen, row["id"], row["content_path"], row["url"], row["title"])
        # other documents: the passage itself must name the subject, strongly, and match the purpose
        if secondary and len(chosen) < per_section and terms and subject:
            extra = " OR ".join(build_query(terms).split())
            take(entry, chosen, search_subject(store, subject, extra, secondary,
                                               limit=per_section * 4, per_document=1),
                 strong_only=True)
    for source in project_sources or []:
        row = own.get(source.document_id)
        proposed = found.get(source.document_id)
        if proposed is None:
            path = (row["content_path"] if row else None) or source.path or source.url
            if not path:
                continue
            proposed = found[source.document_id] = ProposedSource(
                path, source.document_id, (row["url"] if row else None) or source.url,
                row["title"] if row else None)
        proposed.note = " ".join(source.purpose.split()) if source.purpose else \
            "a project source (plan.md)"
    return list(found.values()), warnings


# A project source's passage is proposed for a section when it shares this many of
# the section's words, or one of them and the subject or the source's recorded purpose.
PROJECT_SOURCE_TERMS = 2


def _project_documents(store, sources: list) -> dict[str, dict]:
    """The fetched documents among the project's sources: id -> row (with its recorded purpose)."""
    purposes = {s.document_id: s.purpose for s in sources if s.document_id}
    if not purposes or store is None:
        return {}
    marks = ",".join("?" * len(purposes))
    rows = store.query(
        "SELECT id, content_path, url, title FROM documents WHERE status = 'FETCHED'"
        f" AND content_path IS NOT NULL AND id IN ({marks})", list(purposes))
    return {row["id"]: {**dict(row), "purpose": purposes.get(row["id"]) or ""} for row in rows}


def _project_hits(store, subject, terms: list[str], ids: list[str], per_section: int) -> list:
    """The project sources' passages for a section: naming the subject and its purpose first."""
    from kurt.writing.queries import build_query, run_search
    from kurt.writing.subject import search_subject

    if not terms:
        return []
    hits = []
    if subject:
        hits += search_subject(store, subject, " OR ".join(build_query(terms).split()), ids,
                               limit=per_section * 3, per_document=1)
    seen = {h.document_id for h in hits}
    hits += [h for h in run_search(store, build_query(terms), ids, limit=per_section * 3,
                                   per_document=1) if h.document_id not in seen]
    return hits


def _relevant(store, hit, terms: list[str], own: dict[str, dict], subject) -> bool:
    """Whether a project source's passage fits the section (see ``PROJECT_SOURCE_TERMS``)."""
    from kurt.writing.queries import WORD as _WORD

    row = store.query_one("SELECT body FROM sections WHERE id = ?", (hit.section_id,))
    text = f"{hit.heading_path} {row['body'] if row else ''}"
    words = {w.lower()[:5] for w in _WORD.findall(text)}
    shared = sum(1 for t in terms if t[:5] in words)
    if shared >= PROJECT_SOURCE_TERMS:
        return True
    if not shared:
        return False
    purpose = {w.lower()[:5] for w in _WORD.findall(own.get(hit.document_id, {}).get("purpose", ""))}
    return bool(subject and subject.count(text)) or any(t[:5] in purpose for t in terms)


def _with_structure(store, ids: list[str], terms: list[str], limit: int) -> list:
    """The subject's pages with the structure a section asks for (code for code examples...)."""
    if not ids or not terms:
        return []
    flags = [flag for flag, words in _STRUCTURE_WORDS.items() if words & set(terms)]
    marks = ",".join("?" * len(ids))
    rows = store.query(
        "SELECT id, content_path, url, title, has_code, has_troubleshooting FROM documents"
        f" WHERE id IN ({marks}) AND content_path IS NOT NULL", ids)

    def fits(row) -> tuple[int, int]:
        # a folder named for the section ("/troubleshooting/") beats a structure flag
        segments = set(row["url"].lower().split("://", 1)[-1].split("/")[1:-1])
        return (1 if segments & set(terms) else 0, 1 if any(row[f] for f in flags) else 0)

    order = {doc_id: i for i, doc_id in enumerate(ids)}
    ranked = sorted((r for r in rows if any(fits(r))), key=lambda r: (-fits(r)[0], order[r["id"]]))
    return ranked[:limit]


def _main_page(store, ids: list[str], subject) -> dict | None:
    """The subject's own page: titled after it alone, or at a URL ending in its name."""
    slugs = {slugify(v) for v in subject.names}
    for doc_id in ids:
        row = store.query_one("SELECT id, content_path, url, title FROM documents WHERE id = ?",
                              (doc_id,))
        if row is None or not row["content_path"]:
            continue
        last = row["url"].rstrip("/").rsplit("/", 1)[-1].lower()
        title = (row["title"] or "").strip().lower()
        if title in {v.lower() for v in subject.names} or last in slugs or subject.titled(title):
            return dict(row)
    return None


class _SubjectStrength:
    """Whether a passage of a document not named after the subject is still about it."""

    def __init__(self, store, subject):
        self.store = store
        self.subject = subject
        self.documents: dict[str, tuple[int, bool]] = {}

    def count(self, text: str | None) -> int:
        return self.subject.count(text)

    def strong(self, hit) -> bool:
        if self.count(hit.heading_path):
            return True
        row = self.store.query_one("SELECT body FROM sections WHERE id = ?", (hit.section_id,))
        if row is not None and self.count(row["body"]) >= STRONG_PASSAGE_MENTIONS:
            return True
        if hit.document_id not in self.documents:
            rows = self.store.query("SELECT heading_path, body FROM sections WHERE document_id = ?"
                                    " AND boilerplate = 0", (hit.document_id,))
            self.documents[hit.document_id] = (
                sum(self.count(r["body"]) for r in rows),
                any(self.count(r["heading_path"]) for r in rows),
            )
        mentions, in_heading = self.documents[hit.document_id]
        return in_heading or mentions >= STRONG_DOCUMENT_MENTIONS


def _candidates(store, subject) -> tuple[list[str], list[str]]:
    """(documents naming the subject in title or URL, other documents mentioning it).

    The first are ordered with titles holding a value as written first, then by
    URL length (the shortest is the subject's own page more often than not).
    """
    if not subject or store is None:
        return [], []
    from kurt.writing.subject import search_subject

    rows = store.query(
        "SELECT id, title, url FROM documents WHERE status = 'FETCHED' AND content_path IS NOT NULL")
    named = []
    for row in rows:
        title = row["title"] or ""
        if subject.count(title, aliases=False) or subject.in_url(row["url"]):
            named.append((0 if subject.exact(title) else 1, len(row["url"]), row["id"]))
    primary = _one_copy(store, [doc_id for _, _, doc_id in sorted(named)])
    secondary = []
    known = set(primary)
    for hit in search_subject(store, subject, "", None, limit=50, per_document=1):
        if hit.document_id not in known:
            known.add(hit.document_id)
            secondary.append(hit.document_id)
    return primary, _one_copy(store, secondary, shown=primary)


class _Copies:
    """The copy key of documents (``kurt.index.duplicates``), read once each."""

    def __init__(self, store):
        self.store = store
        self.keys: dict[str, str | None] = {}

    def key(self, document_id: str) -> str | None:
        if document_id not in self.keys:
            from kurt.search import copy_keys

            self.keys[document_id] = copy_keys(self.store, [document_id]).get(document_id)
        return self.keys[document_id]

    def shown_elsewhere(self, document_id: str, chosen: list[str]) -> bool:
        key = self.key(document_id)
        return key is not None and any(self.key(other) == key for other in chosen
                                       if other != document_id)


def _one_copy(store, ids: list[str], shown: list[str] = ()) -> list[str]:
    """``ids`` in order, without a document whose copy is earlier in them or in ``shown``."""
    copies = _Copies(store)
    seen = {copies.key(doc_id) for doc_id in shown} - {None}
    kept = []
    for doc_id in ids:
        key = copies.key(doc_id)
        if key is not None and key in seen:
            continue
        seen.add(key)
        kept.append(doc_id)
    return kept
