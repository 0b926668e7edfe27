"""Drafts: a template's structure turned into ``projects/P/drafts/<template>-<name>.md``.

A new draft gets the template's frontmatter (project, document, template,
created, status, the sources inventory and the outline) and its body skeleton
with the variables filled in. Every outline section is given sources proposed
from the corpus (``kurt.writing.source_proposal``), so the writer starts from
real ground truth; the plan records the document and its sources.
``set_status`` moves a draft outline -> draft -> final and keeps plan.md in
step; ``cited_sources`` checks the ``<!-- Source: ... -->`` comments of the
prose.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import Conflict, FormatError, NotFound, UsageError
from kurt.writing.names import validate_name
from kurt.writing.placeholders import fill_variables  # re-exported
from kurt.writing.source_proposal import ProposedSource, propose_sources  # re-exported

STATUSES = ("outline", "draft", "final")
NO_SOURCE = "# no source found: add one with kurt draft add-source FILE SECTION DOC"
_VAR_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RESERVED = ("project", "document", "format_template", "created", "status", "variables",
             "sources", "outline")


@dataclass
class OutlineEntry:
    key: str
    purpose: str
    sources: list[str] = field(default_factory=list)


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


@dataclass
class Draft:
    path: Path
    project: str
    project_dir: Path
    document: str
    status: str
    template: str | None
    variables: dict
    outline: list[OutlineEntry]
    data: dict


@dataclass
class StatusChange:
    path: str
    document: str
    old: str
    new: str
    changed: bool
    warnings: list[str] = field(default_factory=list)  # what is still open in the draft
    project: str = ""
    errors: int = 0  # kurt draft check errors when the status changed
    forced: bool = False  # 'final' despite errors (recorded as final_forced in the frontmatter)


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
    from kurt.workspace import write_atomic
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

def resolve_draft(ws, ident: str) -> Path:
    """A draft by path (from the current folder or the workspace root) or by document name."""
    raw = str(ident or "").strip()
    if not raw:
        raise UsageError("Give a draft file, e.g. projects/launch/drafts/integration-page-stripe.md")
    candidates = [Path.cwd() / raw, ws.root / raw]
    if "/" not in raw and "\\" not in raw:
        stem = raw[:-3] if raw.endswith(".md") else raw
        candidates += sorted(ws.projects_dir.glob(f"*/drafts/{stem}.md"))
    for candidate in candidates:
        if candidate.is_file():
            path = candidate.resolve()
            try:
                path.relative_to(ws.projects_dir.resolve())
            except ValueError:
                raise UsageError(f"{raw} is not a draft inside {ws.relative(ws.projects_dir)}/: "
                                 "drafts live in projects/<project>/drafts/") from None
            return path
    raise NotFound(f"No draft '{raw}': create one with 'kurt draft new PROJECT --template T --name N'")


def read_draft(ws, ident: str) -> Draft:
    from kurt.writing import frontmatter

    path = resolve_draft(ws, ident)
    data = frontmatter.parse(path.read_text(encoding="utf-8"), ws.relative(path)).data
    parts = path.relative_to(ws.projects_dir.resolve()).parts
    project = parts[0]
    outline_data = data.get("outline") or {}
    if not isinstance(outline_data, dict):
        raise FormatError(path, None, "'outline' must map section names to their purpose and sources")
    outline = []
    for key, entry in outline_data.items():
        entry = entry if isinstance(entry, dict) else {}
        sources = entry.get("sources") or []
        if isinstance(sources, str):
            sources = [sources]
        outline.append(OutlineEntry(str(key), str(entry.get("purpose") or key), [str(s) for s in sources]))
    variables = data.get("variables") if isinstance(data.get("variables"), dict) else {}
    template = data.get("format_template")
    return Draft(
        path=path, project=project, project_dir=ws.projects_dir.resolve() / project,
        document=str(data.get("document") or path.stem), status=str(data.get("status") or "outline"),
        template=Path(str(template)).stem if template else None,
        variables=variables, outline=outline, data=data,
    )


def set_status(ws, ident: str, status: str, *, force: bool = False, store=None) -> StatusChange:
    """Move a draft one step along outline -> draft -> final (back or skipping needs ``force``).

    Moving forward runs ``kurt draft check`` on the draft (kurt.checks; the rules
    that read the store need ``store``) and reports its errors: placeholders and
    example text left, citations that do not resolve, missing sections, code that
    does not parse... ``final`` is refused while an error remains, unless
    ``force``, which records ``final_forced: {at, errors}`` in the frontmatter;
    ``draft`` only warns.
    """
    from kurt.writing import frontmatter
    from kurt.writing.projects import (
        PlanDocument,
        edit_plan,
        load_project,
        plan_documents,
        set_plan_document,
        sync_tracking,
    )

    status = status.strip().lower()
    if status not in STATUSES:
        raise UsageError(f"Unknown status '{status}': use outline, draft or final")
    draft = read_draft(ws, ident)
    relative = ws.relative(draft.path)
    if not frontmatter.parse(draft.path.read_text(encoding="utf-8"), relative).has_frontmatter:
        from kurt.suggest import command

        raise UsageError(f"{relative} has no frontmatter: create drafts with "
                         f"{command('kurt draft new', draft.project)} --template T --name N "
                         "(the file was left as it is)")
    old = draft.status
    if old == status:
        return StatusChange(relative, draft.document, old, status, False, project=draft.project)
    if old in STATUSES and not force:
        step = STATUSES.index(status) - STATUSES.index(old)
        if step < 0:
            raise Conflict(f"{draft.document} is '{old}': moving it back to '{status}' needs --force")
        if step > 1:
            raise Conflict(f"{draft.document} is '{old}': move it to "
                             f"'{STATUSES[STATUSES.index(old) + 1]}' first (or use --force)")
    forward = old not in STATUSES or STATUSES.index(status) > STATUSES.index(old)
    errors = 0
    warnings: list[str] = []
    if status == "final" or (forward and status != "outline"):
        report = draft_check(ws, store, draft)
        errors = report.errors
        warnings = error_summary(report)
    updates: dict = {"status": status}
    if errors and status == "final":
        from kurt.suggest import command, in_quotes

        if not force:
            raise UsageError(
                f"{draft.document} is not ready for 'final': {errors} error(s): "
                f"{'; '.join(warnings)}. See them with "
                f"{in_quotes(command('kurt draft check', relative))}, fix them, or add --force "
                "if the user accepts it as it is (recorded in the frontmatter)")
        updates["final_forced"] = {
            "at": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "errors": errors}
    frontmatter.update_file(draft.path, updates)
    forced = "final_forced" in updates
    try:
        project = load_project(ws, draft.project)
    except NotFound:
        return StatusChange(relative, draft.document, old, status, True, warnings, draft.project,
                            errors, forced)

    def record(text: str) -> str:
        row = next((d for d in plan_documents(text) if d.document == draft.document), None)
        return set_plan_document(text, PlanDocument(
            draft.document, (row.template if row else None) or draft.template, status,
            (row.path if row else None) or relative))

    edit_plan(project, record)
    sync_tracking(ws, project)
    return StatusChange(relative, draft.document, old, status, True, warnings, draft.project,
                        errors, forced)


def draft_check(ws, store, draft: Draft):
    """``kurt draft check`` on one draft (kurt.checks): the report ``set_status`` decides on.
    Without a store, the rules that read it (sources, links) are left out."""
    from kurt.checks.runner import CheckOptions, check

    skip = () if store is not None else ("sources", "links")
    return check(ws, [draft.path], CheckOptions(skip=skip), store=store)


def open_items(ws, store, draft: Draft) -> list[str]:
    """What keeps a draft from being done: its ``kurt draft check`` errors, one line per rule
    (how many, and the first message)."""
    report = draft_check(ws, store, draft)
    return error_summary(report)


def error_summary(report) -> list[str]:
    by_rule: dict[str, list] = {}
    for finding in report.findings:
        if finding.severity == "error":
            by_rule.setdefault(finding.rule, []).append(finding)
    items = []
    for rule, findings in by_rule.items():
        first = findings[0]
        message = first.message if len(first.message) <= 90 else first.message[:89] + "…"
        items.append(f"{rule} x{len(findings)} (line {first.line}: {message})")
    return items


def cited_sources(ws, store, ident: str):
    """Every ``<!-- Source: path[:lines] -->`` of the draft's body, checked (see kurt.writing.citations)."""
    from kurt.writing.citations import check_citations

    return check_citations(ws, store, ident)


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
