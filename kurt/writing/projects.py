"""Projects: ``projects/NAME/`` with plan.md, research/ and drafts/, and the plan's bookkeeping.

plan.md belongs to the writer. Kurt edits it one ``## Section`` at a time
(replacing a table row, appending a line) and leaves every other line as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import Conflict, FormatError, NotFound, UsageError
from kurt.suggest import command, in_quotes
from kurt.writing.names import validate_name

PLAN_NAME = "plan.md"
DOCUMENTS = "Documents to Create"
SOURCES = "Sources of Ground Truth"
RESEARCH = "Research Required"
PUBLISHING = "Publishing Plan"
TRACKING = "Tracking"
DOC_TABLE_HEADER = "| Document | Template | Status | Path |\n|----------|----------|--------|------|\n"
_CHECKBOX = re.compile(r"^\s*[-*] \[([ xX])\]\s+(.*)$")
_TRACKING_BOX = re.compile(r"^(\s*[-*] \[)([ xX])(\]\s+(.*?))\s*$")
_SOURCE_LINE = re.compile(r"^\s*[-*]\s+`?([0-9a-f]{12})`?(?:\s|$)")
# The Tracking checkboxes Kurt writes, by the step a document reaches; Kurt ticks
# exactly these lines (their text as written here) when every document has reached it.
TRACKING_STEPS = (
    ("outline", "Outline every document with sources (`kurt draft new`)"),
    ("evidence", "Gather evidence for every document (`kurt draft evidence`)"),
    ("draft", "Write the drafts from the evidence (`kurt draft status FILE draft`)"),
    ("final", "Review and mark final (`kurt draft status FILE final`)"),
)


@dataclass
class PlanSource:
    document_id: str
    path: str | None
    url: str | None
    purpose: str | None


@dataclass
class PlanDocument:
    document: str
    template: str | None
    status: str | None
    path: str | None


@dataclass
class Project:
    name: str
    path: Path  # the project folder
    goal: str | None = None

    @property
    def plan_path(self) -> Path:
        return self.path / PLAN_NAME

    @property
    def drafts_dir(self) -> Path:
        return self.path / "drafts"

    @property
    def research_dir(self) -> Path:
        return self.path / "research"


@dataclass
class ProjectProgress:
    name: str
    path: str
    goal: str | None
    documents: list[dict] = field(default_factory=list)  # document, template, status, path
    documents_by_status: dict[str, int] = field(default_factory=dict)
    tasks_open: int = 0
    tasks_done: int = 0
    open_tasks: list[str] = field(default_factory=list)
    sources: int = 0


@dataclass
class AddSourcesResult:
    project: str
    added: list[PlanSource] = field(default_factory=list)
    already: list[PlanSource] = field(default_factory=list)


# -- markdown sections -------------------------------------------------------------

def find_section(text: str, heading: str, level: int = 2) -> tuple[int, int, int] | None:
    """(heading line index, first body line index, end line index) of ``## heading``.

    Headings inside fenced code blocks are ignored; the section ends at the next
    heading of the same or a higher level.
    """
    lines = text.splitlines(keepends=True)
    wanted = heading.strip().lower()
    start = None
    fence = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line.rstrip("\r\n"))
        if not match:
            continue
        depth = len(match.group(1))
        if start is not None and depth <= level:
            return start, start + 1, index
        if start is None and depth == level and match.group(2).strip().lower() == wanted:
            start = index
    if start is None:
        return None
    return start, start + 1, len(lines)


def section_body(text: str, heading: str) -> str | None:
    found = find_section(text, heading)
    if found is None:
        return None
    lines = text.splitlines(keepends=True)
    return "".join(lines[found[1]:found[2]])


def replace_section_body(text: str, heading: str, body: str) -> str:
    """Replace the body of ``## heading`` (created at the end when missing)."""
    if body and not body.endswith("\n"):
        body += "\n"
    found = find_section(text, heading)
    lines = text.splitlines(keepends=True)
    if found is None:
        if text and not text.endswith("\n"):
            text += "\n"
        return f"{text}\n## {heading}\n\n{body}"
    _, first, end = found
    trailing = "\n" if end < len(lines) and not body.endswith("\n\n") else ""
    return "".join(lines[:first]) + "\n" + body.lstrip("\n") + trailing + "".join(lines[end:])


def append_to_section(text: str, heading: str, new_lines: list[str], after: re.Pattern | None = None) -> str:
    """Add lines to ``## heading`` (created when missing).

    They go after the last line matching ``after`` (outside code blocks) when
    there is one, else after the section's last non-blank line.
    """
    if not new_lines:
        return text
    addition = "".join(line.rstrip("\n") + "\n" for line in new_lines)
    found = find_section(text, heading)
    if found is None:
        return replace_section_body(text, heading, addition)
    lines = text.splitlines(keepends=True)
    _, first, end = found
    insert = end
    while insert > first and not lines[insert - 1].strip():
        insert -= 1
    if after is not None:
        fence, last_match = False, None
        for index in range(first, end):
            if lines[index].strip().startswith(("```", "~~~")):
                fence = not fence
            elif not fence and after.match(lines[index]):
                last_match = index
        if last_match is not None:
            insert = last_match + 1
    if insert == first:  # empty section: keep one blank line after the heading
        return "".join(lines[:first]) + "\n" + addition + ("\n" if end < len(lines) else "") + "".join(lines[end:])
    if not lines[insert - 1].endswith("\n"):
        lines[insert - 1] += "\n"
    return "".join(lines[:insert]) + addition + "".join(lines[insert:])


# -- plan.md -----------------------------------------------------------------------

def render_plan(name: str, goal: str) -> str:
    return f"""# Project: {name}

## Goal

{goal.strip()}

## {DOCUMENTS}

{DOC_TABLE_HEADER}
## {SOURCES}

<!-- One line per source: `document id` path <url> — purpose. Add with:
     kurt project add-source {name} DOC... --purpose "..." -->

## {RESEARCH}

- [ ] List what must be researched beyond the ingested sources

## {PUBLISHING}

- Where: (docs site, blog, newsletter, ...)
- When: (target date)
- Who reviews: (names)

## {TRACKING}

{_tracking_lines()}- [ ] Publish
"""


def _tracking_lines() -> str:
    return "".join(f"- [ ] {label}\n" for _, label in TRACKING_STEPS)


def set_tracking(text: str, reached: dict[str, bool]) -> str:
    """Tick (or untick) the Kurt-written Tracking checkbox of each step in ``reached``.

    Only lines whose text is exactly one of ``TRACKING_STEPS`` change, and only
    their ``[ ]``/``[x]``; the writer's own checkboxes are never touched.
    """
    found = find_section(text, TRACKING)
    if found is None:
        return text
    labels = {label: step for step, label in TRACKING_STEPS}
    lines = text.splitlines(keepends=True)
    _, first, end = found
    for index in range(first, end):
        match = _TRACKING_BOX.match(lines[index])
        if not match or match.group(4).strip() not in labels:
            continue
        step = labels[match.group(4).strip()]
        if step not in reached:
            continue
        mark = "x" if reached[step] else " "
        if (match.group(2) != " ") != reached[step]:
            lines[index] = match.group(1) + mark + lines[index][match.end(2):]
    return "".join(lines)


def tracking_progress(ws, project: Project) -> dict[str, bool]:
    """Whether every document of the project reached each tracking step (outline .. final).

    The documents are the plan's Documents to Create and the drafts; a document
    has reached "evidence" when ``research/<document>-evidence.md`` exists. With
    no documents at all, nothing is reached.
    """
    progress = project_progress(ws, project.name)
    if not progress.documents:
        return {step: False for step, _ in TRACKING_STEPS}
    order = {"outline": 1, "draft": 2, "final": 3}
    ranks = [order.get(str(doc.get("status")), 0) for doc in progress.documents]
    evidence = [bool(doc.get("path")) and (project.research_dir / f"{doc['document']}-evidence.md").is_file()
                for doc in progress.documents]
    return {
        "outline": all(rank >= 1 for rank in ranks),
        "evidence": all(evidence),
        "draft": all(rank >= 2 for rank in ranks),
        "final": all(rank >= 3 for rank in ranks),
    }


def sync_tracking(ws, project: Project) -> bool:
    """Make the plan's Kurt-written Tracking checkboxes reflect the documents; True when changed."""
    reached = tracking_progress(ws, project)
    before = project.plan_path.read_text(encoding="utf-8")
    return edit_plan(project, lambda text: set_tracking(text, reached)) != before


def plan_documents(text: str) -> list[PlanDocument]:
    """Rows of the Documents to Create table (or `- [ ] document` checklist lines)."""
    body = section_body(text, DOCUMENTS) or ""
    found = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [c.strip().strip("`") for c in stripped.strip("|").split("|")]
            if not cells or not cells[0] or cells[0].lower() == "document" or set(cells[0]) <= set("-: "):
                continue
            cells += [""] * (4 - len(cells))
            found.append(PlanDocument(cells[0], cells[1] or None, cells[2] or None, cells[3] or None))
        else:
            match = _CHECKBOX.match(line)
            if match:
                name = match.group(2).strip().strip("`").split()[0] if match.group(2).strip() else ""
                if name:
                    found.append(PlanDocument(name, None, "done" if match.group(1) != " " else None, None))
    return found


def set_plan_document(text: str, doc: PlanDocument) -> str:
    """Add or update the row of ``doc.document`` in the Documents to Create table."""
    row = f"| {doc.document} | {doc.template or ''} | {doc.status or ''} | {doc.path or ''} |\n"
    found = find_section(text, DOCUMENTS)
    if found is None:
        return replace_section_body(text, DOCUMENTS, DOC_TABLE_HEADER + row)
    lines = text.splitlines(keepends=True)
    _, first, end = found
    last_table = None
    for index in range(first, end):
        stripped = lines[index].strip()
        if not stripped.startswith("|"):
            continue
        last_table = index
        cells = [c.strip().strip("`") for c in stripped.strip("|").split("|")]
        if cells and cells[0] == doc.document:
            lines[index] = row
            return "".join(lines)
    if last_table is None:
        return append_to_section(text, DOCUMENTS, (DOC_TABLE_HEADER + row).splitlines())
    return "".join(lines[: last_table + 1]) + row + "".join(lines[last_table + 1:])


def plan_sources(text: str) -> list[PlanSource]:
    body = section_body(text, SOURCES) or ""
    found = []
    for line in body.splitlines():
        match = _SOURCE_LINE.match(line)
        if not match:
            continue
        rest = line[match.end():].strip()
        purpose = None
        if " — " in rest:
            rest, purpose = rest.split(" — ", 1)
        url_match = re.search(r"<([^>]+)>", rest)
        url = url_match.group(1) if url_match else None
        path = rest.replace(url_match.group(0), "").strip() if url_match else rest.strip()
        found.append(PlanSource(match.group(1), path.strip("`") or None, url, purpose))
    return found


def curated_sources(text: str) -> list[PlanSource]:
    """The plan's Sources of Ground Truth the writer recorded (``kurt project add-source``
    or by hand): every source line except those Kurt wrote for a draft's outline
    (purpose ``<document>: <sections>``, see ``draft_source_purpose``)."""
    documents = [d.document for d in plan_documents(text)]
    return [s for s in plan_sources(text)
            if not (s.purpose and any(s.purpose.startswith(f"{d}: ") for d in documents))]


def source_line(source: PlanSource) -> str:
    parts = [f"- `{source.document_id}`"]
    if source.path:
        parts.append(source.path)
    if source.url:
        parts.append(f"<{source.url}>")
    line = " ".join(parts)
    if source.purpose:
        line += f" — {' '.join(source.purpose.split())}"
    return line


def add_plan_sources(text: str, sources: list[PlanSource]) -> tuple[str, list[PlanSource], list[PlanSource]]:
    """(new text, added, already listed): sources are keyed by document id, never duplicated."""
    known = {s.document_id for s in plan_sources(text)}
    added, already = [], []
    for source in sources:
        if source.document_id in known:
            already.append(source)
        else:
            known.add(source.document_id)
            added.append(source)
    return append_to_section(text, SOURCES, [source_line(s) for s in added], after=_SOURCE_LINE), added, already


def draft_source_purpose(document: str, sections: list[str], note: str | None = None) -> str:
    """How Kurt labels a plan source it records for a draft: ``<document>: <sections>[; note]``."""
    purpose = f"{document}: {', '.join(sections)}"
    return f"{purpose}; {' '.join(note.split())}" if note else purpose


def written_for_draft(purpose: str | None, document: str, keys: list[str]) -> bool:
    """True when a plan source line's purpose is one Kurt wrote for ``document``."""
    if not purpose or not keys:
        return False
    names = "|".join(re.escape(k) for k in keys)
    pattern = rf"{re.escape(document)}: (?:{names})(?:, (?:{names}))*(?:; .*)?"
    return re.fullmatch(pattern, purpose.strip()) is not None


def sync_draft_sources(text: str, document: str, keys: list[str],
                       sources: list[PlanSource]) -> str:
    """Replace the source lines Kurt wrote for draft ``document`` with ``sources``.

    A line is Kurt's when its purpose reads ``<document>: <outline keys>``; every
    other line (the writer's, another draft's) stays where it is, and a document
    it already lists is not listed again.
    """
    wanted = {s.document_id: s for s in sources}
    found = find_section(text, SOURCES)
    if found is not None:
        lines = text.splitlines(keepends=True)
        _, first, end = found
        kept = []
        for line in lines[first:end]:
            parsed = plan_sources(f"## {SOURCES}\n{line}")
            if parsed and written_for_draft(parsed[0].purpose, document, keys):
                source = wanted.pop(parsed[0].document_id, None)
                if source is not None:  # still a source: its line is rewritten where it is
                    kept.append(source_line(source) + "\n")
                continue
            kept.append(line)
        text = "".join(lines[:first] + kept + lines[end:])
    return add_plan_sources(text, [s for s in sources if s.document_id in wanted])[0]


def checkboxes(text: str) -> list[tuple[bool, str]]:
    """Every ``- [ ]`` / ``- [x]`` line of the plan, outside code fences: (done, text)."""
    found, fence = [], False
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
            continue
        match = None if fence else _CHECKBOX.match(line)
        if match:
            found.append((match.group(1) != " ", match.group(2).strip()))
    return found


def plan_goal(text: str) -> str | None:
    body = section_body(text, "Goal")
    if body is None:
        return None
    goal = " ".join(body.split())
    return goal or None


# -- projects ----------------------------------------------------------------------

def project_path(ws, name: str) -> Path:
    return ws.projects_dir / validate_name(name, "project name")


def create_project(ws, name: str, goal: str) -> Project:
    """Lay out ``projects/NAME/`` with plan.md, research/ and drafts/; refuses an existing plan."""
    from kurt.fileio import make_dirs, write_atomic

    if not goal or not goal.strip():
        raise UsageError("Give the project a goal: --goal \"what this project should achieve\"")
    folder = project_path(ws, name)
    project = Project(name, folder, goal.strip())
    if project.plan_path.exists():
        raise Conflict(
            f"Project '{name}' already exists ({ws.relative(project.plan_path)}): "
            f"see {in_quotes(command('kurt project show', name))}"
        )
    make_dirs(project.research_dir)
    make_dirs(project.drafts_dir)
    write_atomic(project.plan_path, render_plan(name, goal))
    return project


def load_project(ws, name: str) -> Project:
    folder = project_path(ws, name)
    project = Project(name, folder)
    if not project.plan_path.is_file():
        raise NotFound(
            f"No project '{name}': create it with "
            f"{in_quotes(command('kurt project new', name) + ' --goal ...')}"
            " or see 'kurt project list'"
        )
    project.goal = plan_goal(project.plan_path.read_text(encoding="utf-8"))
    return project


def list_projects(ws) -> list[ProjectProgress]:
    if not ws.projects_dir.is_dir():
        return []
    found = []
    for folder in sorted(ws.projects_dir.iterdir()):
        if (folder / PLAN_NAME).is_file():
            found.append(project_progress(ws, folder.name))
    return found


def edit_plan(project: Project, edit) -> str:
    """Apply ``edit(text) -> text`` to plan.md and write it atomically when it changed."""
    from kurt.fileio import write_atomic

    text = project.plan_path.read_text(encoding="utf-8")
    new_text = edit(text)
    if new_text != text:
        write_atomic(project.plan_path, new_text)
    return new_text


def add_sources(ws, store, name: str, idents: list[str], purpose: str | None) -> AddSourcesResult:
    """Record documents (by id, URL or path) in the plan; any unknown one stops it all."""
    from kurt.store.documents import get_document

    project = load_project(ws, name)
    if not idents:
        raise UsageError("Give at least one document: "
                         f"{command('kurt project add-source', name)} DOC_ID_OR_URL")
    documents, missing = [], []
    for ident in idents:
        try:
            documents.append(get_document(store, ident, ws.root))
        except NotFound:
            missing.append(ident)
    if missing:
        raise NotFound(
            f"Not in the store: {', '.join(missing)}. Nothing was recorded: find sources with "
            "'kurt content search' or ingest them with 'kurt content add'"
        )
    sources = [
        PlanSource(doc.id, doc.content_path or doc.source_path, doc.url, purpose)
        for doc in documents
    ]
    result = AddSourcesResult(name)

    def edit(text: str) -> str:
        new_text, result.added, result.already = add_plan_sources(text, sources)
        return new_text

    edit_plan(project, edit)
    return result


def project_progress(ws, name: str) -> ProjectProgress:
    """Progress read from plan.md and the drafts' frontmatter."""
    from kurt.writing import frontmatter

    project = load_project(ws, name)
    text = project.plan_path.read_text(encoding="utf-8")
    documents: dict[str, dict] = {}
    for row in plan_documents(text):
        documents[row.document] = {
            "document": row.document, "template": row.template,
            "status": row.status or "planned", "path": row.path,
        }
    if project.drafts_dir.is_dir():
        for path in sorted(project.drafts_dir.glob("*.md")):
            try:
                data = frontmatter.read(path).data
            except FormatError as exc:
                data = {"status": "unreadable", "error": exc.message}
            document = str(data.get("document") or path.stem)
            entry = documents.setdefault(document, {"document": document, "template": None})
            template = data.get("format_template")
            entry.update(
                status=str(data.get("status") or "unknown"),
                path=ws.relative(path),
                template=entry.get("template") or (Path(str(template)).stem if template else None),
            )
    tasks = checkboxes(text)
    by_status: dict[str, int] = {}
    for doc in documents.values():
        by_status[doc["status"]] = by_status.get(doc["status"], 0) + 1
    return ProjectProgress(
        name=name,
        path=ws.relative(project.path),
        goal=plan_goal(text),
        documents=list(documents.values()),
        documents_by_status=by_status,
        tasks_open=sum(1 for done, _ in tasks if not done),
        tasks_done=sum(1 for done, _ in tasks if done),
        open_tasks=[label for done, label in tasks if not done],
        sources=len(plan_sources(text)),
    )
