"""``sources/*``: what the draft says it is based on exists, is cited, and has not changed.

Every source of the frontmatter (the ``sources`` inventory and each outline
section's ``sources``) and every ``<!-- Source: ... -->`` citation must be an
ingested document (a citation's line range must lie within its file); a cited
document whose content hash differs from the one the evidence file recorded
changed since the writer read it; sources listed and never cited, cited
documents not listed, and outline sections with no source are reported. The
citation syntax and its statuses come from kurt.writing.citations.
"""

from __future__ import annotations

import difflib

from kurt.checks.corpus import DELETED
from kurt.checks.finding import Evidence
from kurt.writing import citations as cit


def check(ctx):
    if not ctx.is_draft:
        return
    corpus = ctx.corpus
    if corpus.document_count() == 0:
        named = ctx.inventory or any(i.sources for i in ctx.outline) or \
            cit.find_comments(ctx.body.citable)
        if named:
            yield ctx.finding("sources/empty-store",
                              "the workspace has no ingested documents, so no source can be "
                              "checked: ingest them with 'kurt content add URL|FOLDER'",
                              (ctx.yaml_first_line or 1, 1))
        return
    yield from _frontmatter_sources(ctx)
    yield from _citations(ctx)


def _paths(ctx) -> list[str]:
    cache = ctx.shared.cache
    if "content_paths" not in cache:
        store = ctx.corpus.store
        rows = store.query("SELECT content_path FROM documents WHERE content_path IS NOT NULL") \
            if store is not None else []
        cache["content_paths"] = [str(r["content_path"]) for r in rows]
    return cache["content_paths"]


def _did_you_mean(ctx, ref: str) -> str | None:
    close = difflib.get_close_matches(ref.lstrip("/"), _paths(ctx), n=1, cutoff=0.75)
    return f"did you mean {close[0]}?" if close else None


def _unresolved(ctx, ref: str, where, role: str):
    resolved = ctx.resolve(ref)
    if resolved.ok:
        return None
    if resolved.status == DELETED:
        doc = resolved.document
        return ctx.finding("sources/deleted",
                           f"{role} {ref}: {resolved.reason} (document {doc.id}): fetch it "
                           f"again with 'kurt content fetch {doc.id} --refetch', or remove it",
                           where)
    hint = _did_you_mean(ctx, ref)
    return ctx.finding("sources/not-ingested",
                       f"{role} {ref} is not an ingested document: fix the path, or ingest it "
                       "with 'kurt content add'", where, suggestion=hint)


def _frontmatter_sources(ctx):
    seen: set[str] = set()
    for item in ctx.inventory:
        key = item.path.lstrip("/")
        if key in seen:
            continue
        seen.add(key)
        found = _unresolved(ctx, item.path, item.where, "source")
        if found:
            yield found
    for item in ctx.outline:
        if not item.sources:
            yield ctx.finding("sources/section-without-source",
                              f"the outline section '{item.key}' has no source: add one with "
                              f"'kurt draft add-source {ctx.rel} {item.key} DOC'", item.where)
        for ref, where in zip(item.sources, item.source_spans, strict=False):
            key = ref.lstrip("/")
            if key in seen:
                continue
            seen.add(key)
            found = _unresolved(ctx, ref, where, f"source of '{item.key}'")
            if found:
                yield found


def _quote(ctx, path: str, start: int, end: int) -> str:
    text = ctx.corpus.text(path) or ""
    lines = text.split("\n")[start - 1:end]
    return "\n".join(lines).strip()


def _citations(ctx):
    cited_ids: set[str] = set()
    inventory_ids: set[str] = set()
    for item in ctx.inventory:
        for doc in ctx.resolve(item.path).documents:
            inventory_ids.add(doc.id)
    comments = cit.find_comments(ctx.body.citable)
    for at in ctx.citations:
        c = at.citation
        where = (at.line, at.column, at.line, at.end_column)
        if c.document_id:
            cited_ids.add(c.document_id)
        if c.status == cit.NEEDS_BRACKETS:
            yield ctx.finding("sources/citation-syntax",
                              f"'{c.cited}' is a path with spaces: write it between angle "
                              f"brackets: <!-- Source: {c.fix} -->", where,
                              suggestion=f"<!-- Source: {c.fix} -->")
        elif c.status == cit.NOT_INGESTED:
            found = _unresolved(ctx, c.path, where, "cited")
            if found is None:  # resolves through the corpus (a folder): nothing to report
                continue
            yield found
        elif c.status == cit.OUT_OF_RANGE:
            resolved = ctx.resolve(c.path)
            total = ctx.corpus.line_counts.get(resolved.path or c.path)
            size = f": the file has {total} lines" if total else ""
            yield ctx.finding("sources/line-range",
                              f"{cit.line_span(c.line_start, c.line_end)} of {c.path} do not "
                              f"exist{size}: cite the lines you draw on (kurt draft evidence "
                              "quotes them with their ranges)", where)
        elif c.status == cit.CHANGED:
            resolved = ctx.resolve(c.path)
            evidence = None
            if c.line_start and resolved.path:
                evidence = Evidence(resolved.path, c.line_start, c.line_end or c.line_start,
                                    _quote(ctx, resolved.path, c.line_start,
                                           c.line_end or c.line_start))
            yield ctx.finding("sources/stale",
                              f"{c.path} changed since the evidence quoted it: re-read it and "
                              f"check what the draft says, then run 'kurt draft evidence "
                              f"{ctx.rel}' again", where, evidence=evidence)
        elif c.resolved and c.document_id and inventory_ids and \
                c.document_id not in inventory_ids:
            yield ctx.finding("sources/uninventoried",
                              f"{c.path} is cited but not listed in the frontmatter sources: "
                              f"add it with 'kurt draft add-source {ctx.rel} SECTION {c.path}'",
                              where)
    if not comments:
        has_sources = bool(ctx.inventory) or any(i.sources for i in ctx.outline)
        what = "its sources" if has_sources else "any source"
        yield ctx.finding("sources/no-citation",
                          f"the prose cites {what} nowhere: cite each claim with the lines it "
                          "draws on, e.g. <!-- Source: sources/x.md:8-12 --> "
                          "(kurt draft evidence quotes them)", (ctx.first_line, 1))
        return
    for item in ctx.inventory:
        resolved = ctx.resolve(item.path)
        if not resolved.ok:
            continue
        if not any(doc.id in cited_ids for doc in resolved.documents):
            yield ctx.finding("sources/uncited",
                              f"the source {item.path} is never cited: cite it where the draft "
                              f"uses it, or drop it with 'kurt draft remove-source {ctx.rel} "
                              f"all {item.path}'", item.where)
