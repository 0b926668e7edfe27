"""Drafts: a template's structure turned into ``projects/P/drafts/<template>-<name>.md``.

A new draft gets the template's frontmatter (project, document, template,
created, status, the sources inventory and the outline) and its body skeleton
with the variables filled in. Every outline section is given sources proposed
from the corpus (``kurt.writing.source_proposal``), so the writer starts from
real ground truth; the plan records the document and its sources.
``kurt.writing.status`` moves a draft outline -> draft -> final; ``cited_sources`` checks the ``<!-- Source: ... -->`` comments of the
prose.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from kurt.errors import Conflict, FormatError, UsageError
from kurt.writing.draft_file import (
    OutlineEntry,
    read_draft,
)
from kurt.writing.names import validate_name
from kurt.writing.placeholders import fill_variables  # re-exported
from kurt.writing.source_proposal import ProposedSource, propose_sources  # re-exported

NO_SOURCE = "# no source found: add one with kurt draft add-source FILE SECTION DOC"
_VAR_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RESERVED = ("project", "document", "format_template", "created", "status", "variables",
             "sources", "outline")


@dataclass
class DraftResult:
    project: str
    document: str
    template: str
    path: str  # relative to the workspace
    status: str
    outline: list[OutlineEntry]
    sources: list[ProposedSource]
    empty_sections: list[str]
    unfilled_placeholders: list[str]
    warnings: list[str] = field(default_factory=list)
    examples: int = 0  # body lines marked [EXAMPLE: ...] (see kurt.writing.placeholders)
    facts: list = field(default_factory=list)  # placeholders filled from a source, cited


# -- variables ----------------------------------------------------------------------

def parse_variables(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["partner=Stripe"]`` -> ``{"partner": "Stripe"}``."""
    variables: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not _VAR_NAME.match(name) or not value:
            raise UsageError(f"--var takes NAME=VALUE, e.g. --var partner=Stripe (got '{pair}')")
        variables[name.lower()] = value
    return variables


# -- creating a draft -------------------------------------------------------------------

def draft_document_name(template: str, name: str) -> str:
    return f"{template}-{validate_name(name, 'draft name')}"


def new_draft(ws, store, project: str, template: str, name: str, variables: dict[str, str],
              *, force: bool = False, propose: bool = True, per_section: int = 2,
              today: _dt.date | None = None) -> DraftResult:
    """Create ``projects/PROJECT/drafts/<template>-<name>.md`` and record it in plan.md."""
    from kurt.fileio import write_atomic
    from kurt.writing.profile import load_profile
    from kurt.writing.projects import (
        PlanDocument,
        PlanSource,
        curated_sources,
        draft_source_purpose,
        edit_plan,
        load_project,
        set_plan_document,
        sync_draft_sources,
        sync_tracking,
    )
    from kurt.writing.templates import load_template

    proj = load_project(ws, project)
    document = draft_document_name(template, name)
    tmpl = load_template(ws, template)
    target = proj.drafts_dir / f"{document}.md"
    if target.exists() and not force:
        raise Conflict(
            f"{ws.relative(target)} already exists: edit it, or add --force to replace it"
        )
    today = today or _dt.date.today()
    profile = load_profile(ws)
    outline = [OutlineEntry(s.key, s.purpose) for s in tmpl.outline]
    sources: list[ProposedSource] = []
    warnings: list[str] = []
    recorded = curated_sources(proj.plan_path.read_text(encoding="utf-8"))
    if propose:
        sources, warnings = propose_sources(ws, store, outline, variables, per_section=per_section,
                                            project_sources=recorded)
    else:  # no search: the project's own sources still make the inventory
        sources = [ProposedSource(s.path or s.url, s.document_id, s.url, None,
                                  note=" ".join(s.purpose.split()) if s.purpose else
                                  "a project source (plan.md)")
                   for s in recorded if s.path or s.url]
    template_path = (ws.relative(ws.root / tmpl.path) if tmpl.origin == "workspace" and tmpl.path
                     else f"kurt/templates/formats/{template}.md")
    head = render_frontmatter(
        project=project, document=document, template_path=template_path, created=today,
        variables=variables, sources=sources, outline=outline,
        extra={k: v for k, v in tmpl.frontmatter.items() if k not in _RESERVED},
        fill=lambda text: fill_variables(text, variables, profile),
    )
    from kurt.writing.placeholders import fill_body

    facts = None
    if store is not None:
        from kurt.writing.source_facts import SourceFacts

        facts = SourceFacts(ws, store, [s.document_id for s in sources])
    filled = fill_body(tmpl.skeleton, variables, profile, facts)
    body = filled.text.replace("YYYY-MM-DD", today.isoformat())
    write_atomic(target, f"---\n{head}---\n\n{body.lstrip(chr(10))}")

    relative = ws.relative(target)

    def record(text: str) -> str:
        # a run with --force replaces what the previous run recorded for this document
        text = set_plan_document(text, PlanDocument(document, template, "outline", relative))
        used = [PlanSource(s.document_id, s.path, s.url, draft_source_purpose(document, s.sections))
                for s in sources if s.sections]
        return sync_draft_sources(text, document, [e.key for e in outline], used)

    edit_plan(proj, record)
    sync_tracking(ws, proj)
    from kurt.writing.template_parse import find_placeholders

    return DraftResult(
        project=project, document=document, template=template, path=relative, status="outline",
        outline=outline, sources=sources,
        empty_sections=[e.key for e in outline if not e.sources],
        unfilled_placeholders=sorted(set(find_placeholders(body))),
        warnings=warnings, examples=filled.examples, facts=filled.facts,
    )


def render_frontmatter(*, project, document, template_path, created, variables, sources,
                       outline, extra, fill) -> str:
    """The draft's YAML frontmatter, written by hand so it can carry comments."""
    from kurt.writing.frontmatter import render_block, render_value

    out = [
        f"project: {render_value(project)}",
        f"document: {render_value(document)}",
        f"format_template: {render_value(template_path)}",
        f"created: {created.isoformat()}",
        "status: outline",
    ]
    for key, value in extra.items():
        if isinstance(value, str):
            value = fill(value)
        out.append(render_block(str(key), value).rstrip("\n"))
    if variables:
        out.append("variables:")
        out += [f"  {render_value(k)}: {render_value(v)}" for k, v in variables.items()]
    out.append("")
    if sources:
        out.append("sources:")
        for s in sources:
            out += [
                f"  - path: {render_value(s.path)}",
                f"    purpose: {render_value(s.purpose)}",
                f"    document_id: {render_value(s.document_id)}",
                f"    url: {render_value(s.url)}",
            ]
    else:
        out.append(f"sources: []  {NO_SOURCE}")
    out += ["", "outline:"]
    for entry in outline:
        out.append(f"  {render_value(entry.key)}:")
        if entry.sources:
            out.append("    sources:")
            out += [f"      - {render_value(p)}" for p in entry.sources]
        else:
            out.append(f"    sources: []  {NO_SOURCE}")
        out.append(f"    purpose: {render_value(entry.purpose)}")
    return "\n".join(out) + "\n"


# -- reading and moving drafts ------------------------------------------------------------

def cited_sources(ws, store, ident: str):
    """Every ``<!-- Source: path[:lines] -->`` of the draft's body with its status (see
    kurt.writing.citations), and the inventory paths left uncited."""
    from kurt.writing import frontmatter
    from kurt.writing.citations import (
        CitationChecker,
        CitationReport,
        evidence_hashes,
        find_comments,
    )

    draft = read_draft(ws, ident)
    text = draft.path.read_text(encoding="utf-8")
    fm = frontmatter.parse(text, draft.path)
    offset = text[: len(text) - len(fm.body)].count("\n")
    evidence_path = draft.project_dir / "research" / f"{draft.document}-evidence.md"
    recorded = evidence_hashes(evidence_path.read_text(encoding="utf-8")) \
        if evidence_path.is_file() else {}
    check = CitationChecker(ws, store, recorded)
    citations = []
    for start, _inner, comment in find_comments(fm.body):
        line = offset + fm.body.count("\n", 0, start) + 1
        citations += check.comment(comment, line)
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


@dataclass
class DraftSummary:
    project: str
    document: str
    path: str
    template: str | None
    status: str
    sections: int
    sections_with_sources: int
    empty_sections: list[str]
    sources: int  # entries of the frontmatter inventory
    words: int  # words of the body, comments left out
    error: str | None = None


def list_drafts(ws, project: str | None = None) -> list[DraftSummary]:
    """Every draft of the workspace (or of ``project``) with its progress; unreadable ones say why."""
    from kurt.writing.projects import load_project

    if project is not None:
        folders = [load_project(ws, project).path]
    else:
        folders = sorted(p for p in ws.projects_dir.iterdir() if p.is_dir()) \
            if ws.projects_dir.is_dir() else []
    found = []
    for folder in folders:
        for path in sorted((folder / "drafts").glob("*.md")):
            relative = ws.relative(path)
            try:
                draft = read_draft(ws, str(path))
            except FormatError as exc:
                found.append(DraftSummary(folder.name, path.stem, relative, None, "unreadable",
                                          0, 0, [], 0, 0, error=str(exc)))
                continue
            from kurt.writing import frontmatter

            body = frontmatter.parse(path.read_text(encoding="utf-8"), relative).body
            words = len(_COMMENT.sub(" ", body).split())
            inventory = draft.data.get("sources")
            found.append(DraftSummary(
                project=folder.name, document=draft.document, path=relative,
                template=draft.template, status=draft.status, sections=len(draft.outline),
                sections_with_sources=sum(1 for e in draft.outline if e.sources),
                empty_sections=[e.key for e in draft.outline if not e.sources],
                sources=len(inventory) if isinstance(inventory, list) else 0, words=words,
            ))
    return found
