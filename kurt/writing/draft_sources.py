"""A draft's sources, edited by command: one outline section's ``sources:``, the
frontmatter ``sources`` inventory and plan.md's Sources of Ground Truth, in step.

``add_source`` records ingested documents (by id, URL or path) for a section;
``remove_source`` takes one back out. Only the lines of the keys that change are
rewritten: the body, the other keys and their comments stay as they were. A
document that is not in the store, or a section the outline does not have, stops
the command before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kurt.errors import NotFound, UsageError


@dataclass
class SourceRef:
    document_id: str | None
    path: str
    url: str | None
    title: str | None = None


@dataclass
class SourceEdit:
    draft: str  # the draft file, relative to the workspace
    section: str
    sources: list[str]  # the section's sources after the edit
    added: list[SourceRef] = field(default_factory=list)
    already: list[SourceRef] = field(default_factory=list)  # listed in the section before
    removed: list[SourceRef] = field(default_factory=list)
    inventory_added: list[str] = field(default_factory=list)
    inventory_removed: list[str] = field(default_factory=list)
    plan_updated: bool = False


def add_source(ws, store, ident: str, section: str, documents: list[str],
               purpose: str | None = None) -> SourceEdit:
    """Add ingested ``documents`` to ``section`` of the draft, its inventory and the plan."""
    from kurt.fileio import write_atomic
    from kurt.writing import frontmatter
    from kurt.writing.draft_file import read_draft

    draft = read_draft(ws, ident)
    entry = _section(draft, section, ws)
    if not documents:
        from kurt.suggest import command

        raise UsageError("Give at least one document: "
                         f"{command('kurt draft add-source', ws.relative(draft.path), entry.key)}"
                         " DOC_ID_OR_URL")
    refs = _resolve(ws, store, documents)
    relative = ws.relative(draft.path)
    result = SourceEdit(relative, entry.key, list(entry.sources))
    listed = {_norm(p) for p in entry.sources}
    for ref in refs:
        if _norm(ref.path) in listed:
            result.already.append(ref)
        else:
            listed.add(_norm(ref.path))
            result.added.append(ref)
            result.sources.append(ref.path)
    text = draft.path.read_text(encoding="utf-8")
    new_text = text
    if result.added:
        new_text = frontmatter.set_in(new_text, ["outline", entry.key, "sources"], result.sources,
                                      relative)
    inventory = {_norm(_item_path(item)) for item in draft.data.get("sources") or []}
    for ref in refs:
        if _norm(ref.path) in inventory:
            continue
        inventory.add(_norm(ref.path))
        note = " ".join(purpose.split()) if purpose and purpose.strip() else \
            f"{ref.title or ref.path}: for {entry.key}"
        item = {"path": ref.path, "purpose": note, "document_id": ref.document_id, "url": ref.url}
        new_text = frontmatter.append_item(new_text, "sources", item, relative)
        result.inventory_added.append(ref.path)
    if new_text != text:
        write_atomic(draft.path, new_text)
    result.plan_updated = _sync_plan(ws, store, draft.path)
    return result


ALL_SECTIONS = "all"  # remove-source's SECTION for every section and the inventory


def remove_source(ws, store, ident: str, section: str, document: str) -> SourceEdit:
    """Take ``document`` out of ``section``; out of the inventory and plan when no section uses it.

    ``section`` ``all`` takes it out of every section and out of the inventory, even a
    document that only the inventory lists (a project source no section uses).
    """
    from kurt.fileio import write_atomic
    from kurt.writing import frontmatter
    from kurt.writing.drafts import NO_SOURCE, read_draft

    draft = read_draft(ws, ident)
    everywhere = str(section or "").strip().lower() == ALL_SECTIONS and not any(
        e.key.lower() == ALL_SECTIONS for e in draft.outline)
    entries = list(draft.outline) if everywhere else [_section(draft, section, ws)]
    relative = ws.relative(draft.path)
    wanted = {_norm(document)}
    try:
        doc = _resolve(ws, store, [document])[0]
        wanted.add(_norm(doc.path))
    except (NotFound, UsageError):
        doc = None  # a deleted document can still be taken out by its path
    listed = [_item_path(item) for item in draft.data.get("sources") or []]
    in_inventory = [p for p in listed if _norm(p) in wanted] if everywhere else []
    text = draft.path.read_text(encoding="utf-8")
    new_text = text
    remaining = {e.key: list(e.sources) for e in draft.outline}
    gone: list[str] = []
    for entry in entries:
        kept = [p for p in entry.sources if _norm(p) not in wanted]
        if len(kept) == len(entry.sources):
            continue
        gone += [p for p in entry.sources if _norm(p) in wanted]
        remaining[entry.key] = kept
        new_text = frontmatter.set_in(new_text, ["outline", entry.key, "sources"], kept, relative,
                                      comment="" if kept else NO_SOURCE)
    if not gone and not in_inventory:
        if everywhere:
            raise UsageError(f"'{document}' is not a source of {relative}: its sources are "
                             f"{', '.join(listed) or 'none'}")
        shown = ", ".join(entries[0].sources) or "none"
        raise UsageError(f"'{document}' is not a source of '{entries[0].key}' (its sources: {shown})")
    key = ALL_SECTIONS if everywhere else entries[0].key
    result = SourceEdit(relative, key, [] if everywhere else remaining[key],
                        removed=[SourceRef(doc.document_id if doc else None, p,
                                           doc.url if doc else None)
                                 for p in dict.fromkeys(gone or in_inventory)])
    still_used = {_norm(p) for sources in remaining.values() for p in sources}
    drop = {_norm(p) for p in gone + in_inventory} - still_used
    if drop:
        new_text = frontmatter.remove_items(
            new_text, "sources", lambda item: _norm(_item_path(item)) in drop, relative,
            comment=NO_SOURCE)
        result.inventory_removed = sorted(drop)
    if new_text != text:
        write_atomic(draft.path, new_text)
    result.plan_updated = _sync_plan(ws, store, draft.path)
    return result


def _section(draft, section: str, ws):
    wanted = str(section or "").strip()
    for entry in draft.outline:
        if entry.key == wanted:
            return entry
    for entry in draft.outline:
        if entry.key.lower() == wanted.lower():
            return entry
    keys = ", ".join(e.key for e in draft.outline) or "none (the draft has no outline)"
    raise UsageError(f"No section '{wanted}' in {ws.relative(draft.path)}: its sections are {keys}")


def _resolve(ws, store, idents: list[str]) -> list[SourceRef]:
    """Every identifier as an ingested document; any unknown one stops it all."""
    from kurt.store.documents import get_document

    refs, missing, unfetched = [], [], []
    for ident in idents:
        try:
            doc = get_document(store, str(ident).strip().lstrip("/"), ws.root)
        except (NotFound, UsageError):
            missing.append(ident)
            continue
        if not doc.content_path:
            unfetched.append(ident)
            continue
        refs.append(SourceRef(doc.id, doc.content_path, doc.url, doc.title))
    if missing:
        raise NotFound(f"Not in the store: {', '.join(missing)}. Nothing was changed: find sources "
                       "with 'kurt content search' or ingest them with 'kurt content add'")
    if unfetched:
        raise UsageError(f"Not fetched yet: {', '.join(unfetched)}. Nothing was changed: "
                         "fetch them first with 'kurt content fetch'")
    return refs


def _sync_plan(ws, store, draft_path) -> bool:
    """Make the plan's Kurt-written source lines for this draft match its inventory."""
    from kurt.store.documents import get_document
    from kurt.writing.draft_file import read_draft
    from kurt.writing.projects import (
        PlanSource,
        draft_source_purpose,
        edit_plan,
        load_project,
        sync_draft_sources,
    )

    draft = read_draft(ws, str(draft_path))
    try:
        project = load_project(ws, draft.project)
    except NotFound:
        return False
    keys = [e.key for e in draft.outline]
    generated = re.compile(rf".*: for (?:{'|'.join(re.escape(k) for k in keys)})"
                           rf"(?:, (?:{'|'.join(re.escape(k) for k in keys)}))*") if keys else None
    sources = []
    for item in draft.data.get("sources") or []:
        path = _item_path(item)
        if not path:
            continue
        sections = [e.key for e in draft.outline if _norm(path) in {_norm(p) for p in e.sources}]
        if not sections:
            continue
        doc_id = item.get("document_id") if isinstance(item, dict) else None
        url = item.get("url") if isinstance(item, dict) else None
        if not doc_id:
            try:
                doc = get_document(store, _norm(path), ws.root)
            except (NotFound, UsageError):
                continue
            doc_id, url = doc.id, doc.url
        note = item.get("purpose") if isinstance(item, dict) else None
        if note and generated is not None and generated.fullmatch(str(note)):
            note = None
        sources.append(PlanSource(str(doc_id), _norm(path), url,
                                  draft_source_purpose(draft.document, sections, note)))
    before = project.plan_path.read_text(encoding="utf-8")
    after = edit_plan(project, lambda text: sync_draft_sources(text, draft.document, keys, sources))
    return after != before


def _item_path(item) -> str:
    return str(item.get("path") if isinstance(item, dict) else item or "")


def _norm(path: str) -> str:
    return str(path or "").strip().lstrip("/")
