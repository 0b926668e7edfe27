"""Keeping research: the markdown file, the plan's record, and the ingested pages.

- The file: ``projects/NAME/research/`` with ``--project NAME``, else the
  workspace's ``research/`` folder; named ``YYYY-MM-DD-<provider>-<query slug>.md``
  (``-2``, ``-3``... when that name is taken), written atomically.
- The plan (with a project): under "Research Required", an open checkbox whose
  text matches the query is ticked and pointed at the file; otherwise a ticked
  line naming the query, the provider, the date and the file is added. The pages
  ingested with ``--ingest`` are added under "Sources of Ground Truth" (by document
  id, as ``kurt project add-source`` records them), with the query as purpose.
- Ingestion (``--ingest``): the referenced pages (not the forum threads) are added
  as documents discovered via ``research`` and fetched through the same path as
  ``kurt content fetch URL``; each reference then names its document id, so drafts
  can cite it and checks can verify against it. Pages that fail are listed with
  their reason; the research itself is kept either way. The cited URLs come from a
  third party, not from the user, so before they become workspace documents (whose
  sites fetch trusts) they pass the same address check as a link found on a page:
  one on a loopback, private or link-local address is refused unless its site is
  already in the workspace or ``[ingest] allow_private_addresses`` is true.
"""

from __future__ import annotations

import re
from pathlib import Path

from kurt.integrations.research.results import ResearchResult, provider_label, render_markdown

_CHECKBOX = re.compile(r"^(\s*[-*] \[)([ xX])(\]\s+)(.*?)\s*$")
_ANY_CHECKBOX = re.compile(r"^\s*[-*] \[[ xX]\]")


def keep(ws, result: ResearchResult, *, store=None, project=None, ingest: bool = False,
         save: bool = True, progress=None, transport=None) -> ResearchResult:
    """Ingest the referenced pages (``ingest``, needs ``store``), save the markdown
    (``save``) and record it in ``project``'s plan; the result, with what was done."""
    if ingest:
        ingest_references(ws, store, result, progress=progress, transport=transport)
    if save:
        path = save_result(ws, result, project=project)
        if project is not None:
            record_in_plan(ws, store, project, result, path)
    return result


def research_folder(ws, project=None) -> Path:
    return project.research_dir if project is not None else ws.root / "research"


def save_result(ws, result: ResearchResult, *, project=None) -> Path:
    """Write ``result`` as markdown (see the module docstring); its path."""
    from kurt.fileio import make_dirs, write_atomic
    from kurt.writing.names import slugify

    folder = research_folder(ws, project)
    make_dirs(folder)
    stem = f"{result.searched_at[:10]}-{result.provider}-{slugify(result.query)[:60].strip('-') or 'research'}"
    path = folder / f"{stem}.md"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.md"
        number += 1
    result.path = ws.relative(path)
    write_atomic(path, render_markdown(result))
    return path


def record_in_plan(ws, store, project, result: ResearchResult, path: Path) -> None:
    """Record the research (and the ingested pages) in the project's plan.md."""
    from kurt.errors import NotFound
    from kurt.store.documents import get_document
    from kurt.writing.projects import PlanSource, add_plan_sources, edit_plan

    relative = path.relative_to(project.path).as_posix()
    sources = []
    for ref in result.references:
        if ref.document_id and store is not None:
            try:
                doc = get_document(store, ref.document_id)
            except NotFound:  # deleted meanwhile
                continue
            sources.append(PlanSource(doc.id, doc.content_path, doc.url, f"research: {result.query}"))

    def edit(text: str) -> str:
        text = tick_research(text, result, relative)
        if sources:
            text = add_plan_sources(text, sources)[0]
        return text

    edit_plan(project, edit)
    result.recorded_in = ws.relative(project.plan_path)


def tick_research(text: str, result: ResearchResult, relative: str) -> str:
    """Tick the open "Research Required" item matching the query, or add a ticked one."""
    from kurt.writing.projects import RESEARCH, append_to_section, find_section

    note = f"{provider_label(result)}, {result.searched_at[:10]}: {relative}"
    found = find_section(text, RESEARCH)
    if found is not None:
        lines = text.splitlines(keepends=True)
        _, first, end = found
        wanted = _words(result.query)
        for index in range(first, end):
            match = _CHECKBOX.match(lines[index])
            if not match or match.group(2) != " ":
                continue
            item = _words(match.group(4))
            if item and (item == wanted or (len(item) >= 8 and (item in wanted or wanted in item))):
                ending = "\n" if lines[index].endswith("\n") else ""
                lines[index] = (f"{match.group(1)}x{match.group(3)}{match.group(4)} "
                                f"({note}){ending}")
                return "".join(lines)
    line = f"- [x] {' '.join(result.query.split())} ({note})"
    return append_to_section(text, RESEARCH, [line], after=_ANY_CHECKBOX)


def ingest_references(ws, store, result: ResearchResult, *, progress=None, transport=None):
    """Add and fetch the referenced pages (see the module docstring); the fetch report."""
    from kurt.errors import NotFound, UsageError
    from kurt.ingest.fetch import fetch_documents
    from kurt.ingest.urls import check_user_url, domain_of
    from kurt.store.documents import Discovered, add_discovered, document_id, get_document
    from kurt.store.filters import DocumentFilter

    wanted: dict[str, str] = {}  # reference url -> normalized url
    for ref in result.references:
        if ref.is_discussion:
            continue
        try:
            wanted[ref.url] = check_user_url(ref.url)
        except UsageError as exc:
            result.ingested[ref.url] = f"not ingested: {exc}"
    for url, why in _refused(ws, store, wanted).items():
        del wanted[url]
        result.ingested[url] = f"not ingested: refused: {why}"
    if not wanted:
        return None
    add_discovered(store, [Discovered(url=url, domain=domain_of(url), via="research")
                           for url in dict.fromkeys(wanted.values())])
    ids = [document_id(url) for url in dict.fromkeys(wanted.values())]
    flt = DocumentFilter(ids=ids, statuses=["NOT_FETCHED", "ERROR"])
    report = fetch_documents(ws, store, flt, progress=progress, transport=transport)
    for ref in result.references:
        normalized = wanted.get(ref.url)
        if normalized is None:
            continue
        try:
            doc = get_document(store, document_id(normalized))
        except NotFound:
            result.ingested[ref.url] = "not ingested: deleted meanwhile"
            continue
        if doc.status == "FETCHED":
            ref.document_id = doc.id
            result.ingested[ref.url] = doc.id
        else:
            result.ingested[ref.url] = f"not ingested: {doc.error or doc.status}"
    return report


def _refused(ws, store, wanted: dict[str, str]) -> dict[str, str]:
    """The cited URLs on addresses Kurt does not go to unasked (module docstring)."""
    import asyncio

    from kurt.ingest.addresses import AddressPolicy
    from kurt.store.documents import web_origins

    policy = AddressPolicy(web_origins(store), allow_private=ws.config.ingest.allow_private_addresses)

    async def check() -> dict[str, str]:
        reasons = await asyncio.gather(*(policy.check(url) for url in wanted.values()))
        return {ref: why for ref, why in zip(wanted, reasons, strict=True) if why}

    return asyncio.run(check()) if wanted else {}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
