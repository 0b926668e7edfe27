"""Which source passages back each part of a draft: ``section_sources(ctx)``.

The body is cut where the draft context cuts it (``DraftContext.body_sections``:
at level-1 and level-2 headings; a deeper heading belongs to the part above it,
text before the first heading is a part of its own). Each part gets, narrowest
scope first:

- ``section``: the documents its outline entry lists, and what the citations
  inside it point at: the exact cited lines of ``<!-- Source: path:12-30 -->``,
  the whole document of a citation without lines;
- ``draft``: every other document the draft names: the frontmatter ``sources``
  inventory, every outline entry, every citation anywhere in the body;
- ``project``: the documents of the project's plan.md (Sources of Ground Truth)
  and of the project's other drafts.

Every source resolves through the run's ``Corpus`` (a path, a URL or a document
id; a folder names every document under it), and a document is cut into
passages as the index cuts it (the index's stored sections, else
``kurt.index.sections.split_sections`` of its file), once per run. A source
that does not resolve is left out: the ``sources/*`` rules report it.
``draft_sections(ws, path, store)`` does the same for one file outside a run.
"""

from __future__ import annotations

import re
from pathlib import Path

from kurt.checks.passages import Passage, SectionSources, about_passage, line_passage

_SOURCE_PATH = re.compile(r"(?<![\w/])(sources/[^\s`'\"<>)]+?\.(?:md|mdx|txt|html))")


def section_sources(ctx) -> list[SectionSources]:
    """Each body section of ``ctx`` (a ``DraftContext``) with its passages (see above)."""
    if ctx.body is None:
        return []
    by_key = {item.key: item for item in ctx.outline}
    cited = [c.citation for c in ctx.citations if c.citation.resolved]
    draft_refs = ([i.path for i in ctx.inventory] + [s for i in ctx.outline for s in i.sources]
                  + [c.path for c in cited])
    project_refs = project_sources(ctx)
    result = []
    for start, end, heading, key in ctx.body_sections:
        here = [c for c in cited if start <= c.line <= end]
        whole = list(by_key[key].sources) if key in by_key else []
        whole += [c.path for c in here if c.line_start is None]
        passages: list[Passage] = []
        seen: set[str] = set()
        for citation in here:
            if citation.line_start is not None:
                passages += _cited_lines(ctx, citation)
        for scope, refs in (("section", whole), ("draft", draft_refs), ("project", project_refs)):
            for ref in refs:
                for doc in ctx.resolve(ref).documents:
                    if doc.id not in seen:
                        seen.add(doc.id)
                        passages += document_passages(ctx, doc, scope)
        result.append(SectionSources(start, end, heading, tuple(passages)))
    return result


def document_passages(ctx, doc, scope: str) -> list[Passage]:
    """The passages of one document in ``scope`` (cut once per run)."""
    cache = ctx.shared.cache.setdefault("passages", {})
    if doc.id not in cache:
        text = ctx.corpus.text(doc.content_path)
        lines = text.split("\n") if text else []
        cache[doc.id] = [Passage(doc.content_path,
                                 body_start(lines, int(s["line_start"]), int(s["line_end"]),
                                            str(s["body"])),
                                 int(s["line_end"]), str(s["body"]), "section",
                                 s.get("heading_path") or None)
                         for s in ctx.corpus.sections(doc) if str(s["body"]).strip()]
        about = about_passage(doc.content_path, text, title=getattr(doc, "title", None),
                              description=getattr(doc, "description", None)) if text else None
        if about is not None:  # the page's title and meta description state facts too
            cache[doc.id].insert(0, about)
    key = (doc.id, scope)
    if key not in cache:  # the same Passage objects for every draft of the run
        cache[key] = [p if p.scope == scope else p.with_scope(scope) for p in cache[doc.id]]
    return cache[key]


def body_start(lines: list[str], line_start: int, line_end: int, body: str) -> int:
    """The file line of a stored passage's first line of text. A section's range starts at
    its heading (``kurt.index.sections``), its text after the heading and the blank lines
    below it: the checks count a fact's line from the text's first line, so a citation
    names the line that says it."""
    first = body.split("\n", 1)[0]
    for number in range(line_start, min(line_end, len(lines)) + 1):
        if lines[number - 1] == first:
            return number
    return line_start  # the file changed since it was indexed: the stored range as it is


def _cited_lines(ctx, citation) -> list[Passage]:
    text = ctx.corpus.text(citation.path)
    if text is None:
        return []
    return [line_passage(citation.path, text, citation.line_start,
                         citation.line_end or citation.line_start, scope="section")]


def project_sources(ctx) -> list[str]:
    """What the draft's project names as sources: plan.md's Sources of Ground Truth, and every
    stored file the project's other drafts mention."""
    if ctx.project_dir is None:
        return []
    from kurt.writing.projects import PLAN_NAME, plan_sources

    refs: list[str] = []
    plan = _read(ctx.project_dir / PLAN_NAME)
    if plan is not None:
        refs += [s.path or s.document_id for s in plan_sources(plan) if s.path or s.document_id]
    for other in sorted((ctx.project_dir / "drafts").glob("*.md")):
        if other.resolve() == ctx.path.resolve():
            continue
        text = _read(other)
        if text is not None:
            refs += [m.group(1) for m in _SOURCE_PATH.finditer(text)]
    return list(dict.fromkeys(refs))


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def draft_sections(ws, path, store, *, config=None) -> list[SectionSources]:
    """The ``SectionSources`` of the draft at ``path`` outside a check run (``store``: the
    workspace's open store; None resolves nothing)."""
    from kurt.checks.context import Shared, build_context
    from kurt.checks.corpus import Corpus

    shared = Shared(ws=ws, corpus=Corpus(ws, store),
                    config=config if config is not None else ws.config.checks)
    return section_sources(build_context(shared, Path(path)))
