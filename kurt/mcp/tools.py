"""What each MCP tool and resource does: a thin call into the library, a JSON-ready result.

Nothing here knows the MCP SDK (``kurt.mcp.server`` does): each function takes a
``Session`` and plain arguments, checks what the arguments name against the
``Sandbox``, calls the same library functions as the CLI, and returns a dict.
Expected failures are ``KurtError``; the server turns them into tool errors with the
same one-line message. Listings never cut silently: they carry ``total``, ``limit``,
``offset`` and ``next_offset`` (None at the end), like a page of results.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

from kurt.errors import KurtError, NotFound, UsageError
from kurt.mcp.guard import Sandbox, check_url, slug

MAX_CONTENT_CHARS = 30_000  # a document's text per call (under Claude Code's 50,000-character
# and 25,000-token result limits with the metadata); more comes by line range
LISTED = ("id", "url", "title", "status", "domain", "content_type", "word_count", "content_path",
          "fetched_at", "changed_at", "error")  # a listed document; get_document gives the rest
FILTER_KEYS = ("statuses", "url_prefix", "url_contains", "include", "exclude", "with_entities",
               "content_types", "clusters", "domains", "changed_since", "traffic_trends")

Progress = Callable[[int, int, str], None]  # (done, total, message)


class Cancelled(KurtError):
    """The client cancelled a long operation; what was done so far is kept."""


@dataclass
class Session:
    """The workspace a server serves, and what its tools may touch."""

    ws: object
    sandbox: Sandbox = field(init=False)
    # long calls the client cancelled that are still storing what they did: set when done
    winding_down: set[threading.Event] = field(init=False, default_factory=set)

    def __post_init__(self):
        self.sandbox = Sandbox.for_workspace(self.ws)

    def own_project(self, name: str | None = None) -> None:
        """UsageError when a file or folder of project ``name`` (every project: None) that the
        library reads or writes is a link leading outside the workspace."""
        projects = self.ws.projects_dir
        self.sandbox.own(projects, "projects folder")
        if not projects.is_dir():
            return
        folders = [projects / name] if name else sorted(  # the folders the library reads
            p for p in projects.iterdir() if (p / "plan.md").is_file() or p.is_symlink())
        for folder in folders:
            self.sandbox.own(folder, "project folder")
            for part in ("plan.md", "drafts", "research"):
                self.sandbox.own(folder / part)
            if (folder / "drafts").is_dir():
                for draft in sorted((folder / "drafts").glob("*.md")):
                    self.sandbox.own(draft, "draft")

    @contextmanager
    def store(self):
        """The workspace's store, opened for one call (SQLite connections stay in their thread)."""
        store = self.ws.open_store()
        try:
            yield store
        except sqlite3.DatabaseError as exc:  # about the file (damaged, read-only): one line
            from kurt.store.db import database_error

            error = database_error(store.path, exc, read_only=store.read_only)
            if error is None:
                raise  # not about the file: a bug
            raise error from exc
        finally:
            store.close()


def jsonable(value):
    """Dataclasses, tuples, sets and dates as plain JSON values."""
    def default(item):
        if is_dataclass(item) and not isinstance(item, type):
            return asdict(item)
        if isinstance(item, set | frozenset | tuple):
            return list(item)
        if hasattr(item, "isoformat"):
            return item.isoformat()
        return str(item)

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def document_filter(filters: dict | None):
    """A ``DocumentFilter`` from the tool's ``filters`` object (the filters of 'content list')."""
    from kurt.store.filters import DocumentFilter

    values = {key: value for key, value in (filters or {}).items() if value not in (None, [], "")}
    unknown = set(values) - set(FILTER_KEYS)
    if unknown:
        raise UsageError(f"Unknown filter(s) {', '.join(sorted(unknown))}: use {', '.join(FILTER_KEYS)}")
    if values.get("changed_since"):
        from datetime import datetime

        try:
            datetime.fromisoformat(values["changed_since"].replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"'{values['changed_since']}' is not a date: use YYYY-MM-DD") from None
    return DocumentFilter(**values)


def page(items: list, total: int, limit: int | None, offset: int) -> dict:
    shown = offset + len(items)
    return {"total": total, "limit": limit, "offset": offset,
            "next_offset": shown if shown < total else None}


# -- finding and reading ------------------------------------------------------------------

def search(session: Session, query: str, *, filters=None, limit: int = 10, offset: int = 0,
           per_document: int = 2, mode: str | None = None) -> dict:
    """The best passages, a page at a time as 'kurt content search': one passage past the
    page is asked for, so ``next_offset`` says when more match (``total`` is then None)."""
    from kurt.paging import probed_page
    from kurt.semantic import search_passages

    with session.store() as store:
        found = search_passages(session.ws, store, query, flt=document_filter(filters),
                                limit=offset + limit + 1, per_document=per_document or None,
                                mode=mode)
    chosen = probed_page(found.hits, limit, offset)
    return {"query": query, "mode": found.mode, "count": len(chosen.items),
            "total": chosen.total, "limit": limit, "offset": offset,
            "next_offset": chosen.next_offset, "notes": found.notes,
            "hits": [{**jsonable(hit), "citation": hit.citation} for hit in chosen.items]}


def list_documents(session: Session, *, filters=None, sort: str = "url", limit: int = 100,
                   offset: int = 0) -> dict:
    from kurt.store.filters import count_documents, select_documents

    flt = document_filter(filters)
    with session.store() as store:
        docs = select_documents(store, flt, sort=sort, limit=limit or None, offset=offset)
        total = count_documents(store, flt)
    rows = [doc.to_dict() for doc in docs]
    return {**page(docs, total, limit or None, offset),
            "documents": jsonable([{key: row.get(key) for key in LISTED} for row in rows])}


def get_document(session: Session, ident: str, *, content: bool = False,
                 line_start: int | None = None, line_end: int | None = None,
                 links: int = 50) -> dict:
    from kurt.store.details import document_details, read_content

    with session.store() as store:
        details = document_details(store, ident, session.ws.root)
        text = read_content(store, details.document, session.ws.root) \
            if content or line_start or line_end else None
    data = jsonable(details)
    data.pop("content", None)
    for key in ("links_out", "links_in"):  # a hub page has thousands: the first, and the count
        data[f"{key}_total"] = len(data[key])
        data[key] = data[key][:links]
    if text is None:
        return data
    lines = text.splitlines(keepends=True)
    first = line_start or 1
    last = min(line_end or len(lines), len(lines))
    if first > max(len(lines), 1) or last < first:
        raise UsageError(f"Lines {first}-{line_end or first} are not in {details.document.id}: "
                         f"it has {len(lines)} lines")
    chosen, size, end = [], 0, first - 1
    for line in lines[first - 1:last]:
        if chosen and size + len(line) > MAX_CONTENT_CHARS:
            break
        chosen.append(line)
        size += len(line)
        end += 1
    data.update(content="".join(chosen), line_start=first, line_end=end, line_count=len(lines),
                next_line=end + 1 if end < last else None)
    return data


def list_entities(session: Session, *, entity_type: str | None = None, filters=None,
                  min_docs: int = 1, limit: int = 100, offset: int = 0) -> dict:
    from kurt.index.entities import list_entities as run
    from kurt.index.entities import resolve_entity_type

    with session.store() as store:
        etype = resolve_entity_type(store, entity_type) if entity_type else None
        found = run(store, etype, document_filter(filters), min_docs=min_docs)
    chosen = found[offset:offset + limit] if limit else found[offset:]
    return {**page(chosen, len(found), limit or None, offset), "entities": jsonable(chosen)}


# -- sources ------------------------------------------------------------------------------

def _stopping(progress: Progress | None, stop: threading.Event, label: str):
    """A fetch ``progress(done, total, failed)`` callback that reports, and raises Cancelled
    once ``stop`` is set (the fetch then records what it did and releases the rest)."""
    def update(done: int, total: int, failed: int = 0) -> None:
        if stop.is_set():
            raise Cancelled(f"{label} cancelled after {done} of {total} documents: what was "
                            "fetched is kept; call it again to finish")
        if progress is not None:
            progress(done, total, f"{label}: {done}/{total}" + (f", {failed} failed" if failed else ""))

    return update


def add_sources(session: Session, sources: list[str], *, include=(), exclude=(),
                limit: int | None = None, max_depth: int | None = None,
                max_pages: int | None = None, progress: Progress | None = None,
                stop: threading.Event | None = None) -> dict:
    from kurt.ingest.add import add_sources as run

    stop = stop or threading.Event()
    with session.store() as store:
        checked = []
        for source in sources:
            if "://" in source:
                checked.append(check_url(session.ws, store, source))
            else:
                checked.append(str(session.sandbox.readable_folder(source)))
        report = run(session.ws, store, checked, include=tuple(include), exclude=tuple(exclude),
                     limit=limit, max_depth=max_depth, max_pages=max_pages,
                     progress=_stopping(progress, stop, "Adding"))
    data = report.to_dict()
    empty = [item.source for item in report.empty_sources]
    if empty and len(empty) == len(report.mapped) and not report.fetch.selected:
        problems = [p for m in report.empty_sources for p in getattr(m.report, "problems", [])[:1]]
        raise NotFound(f"Nothing found at {', '.join(empty)}"
                       + (f" ({'; '.join(problems)})" if problems else "")
                       + ": check the URL or path")
    return jsonable(data)


def fetch_documents(session: Session, *, filters=None, refetch: bool = False,
                    limit: int | None = None, progress: Progress | None = None,
                    stop: threading.Event | None = None) -> dict:
    from kurt.ingest.fetch import fetch_documents as run

    flt = document_filter(filters)
    if not flt.statuses and not refetch:
        flt.statuses = ["NOT_FETCHED"]
    with session.store() as store:
        report = run(session.ws, store, flt, refetch=refetch, limit=limit,
                     progress=_stopping(progress, stop or threading.Event(), "Fetching"))
    return jsonable(report.to_dict())


# -- projects, drafts, checks, templates ----------------------------------------------------

def workspace_status(session: Session) -> dict:
    from kurt.status import workspace_status as run

    session.own_project()
    with session.store() as store:
        return jsonable(run(session.ws, store))


def project_status(session: Session, name: str | None = None) -> dict:
    from kurt.writing.drafts import list_drafts
    from kurt.writing.projects import list_projects, project_progress

    session.own_project(slug(name, "project name") if name is not None else None)
    if name is None:
        return {"projects": jsonable(list_projects(session.ws))}
    progress = project_progress(session.ws, name)
    return {**jsonable(progress), "drafts": jsonable(list_drafts(session.ws, name))}


def new_draft(session: Session, project: str, template: str, name: str, *,
              variables: dict[str, str] | None = None, force: bool = False) -> dict:
    from kurt.writing.drafts import new_draft as run

    session.own_project(slug(project, "project name"))
    _own_template(session, slug(template, "template name"))
    with session.store() as store:
        return jsonable(run(session.ws, store, project, template, name, dict(variables or {}),
                            force=force))


def _draft(session: Session, draft: str) -> str:
    """A draft by document name (a slug) or by path inside the workspace."""
    if "/" not in draft and "\\" not in draft:
        return slug(draft[:-3] if draft.endswith(".md") else draft, "draft name")
    return str(session.sandbox.workspace_path(draft, "draft"))


def draft_evidence(session: Session, draft: str, *, per_section: int = 3) -> dict:
    from kurt.writing.draft_file import resolve_draft
    from kurt.writing.evidence import gather_evidence

    path = resolve_draft(session.ws, _draft(session, draft))  # refuses a draft outside projects/
    session.own_project(path.relative_to(session.ws.projects_dir.resolve()).parts[0])
    with session.store() as store:
        return jsonable(gather_evidence(session.ws, store, str(path), per_section=per_section))


def check_draft(session: Session, targets: list[str], *, rules=(), skip=(),
                strict: bool | None = None) -> dict:
    from kurt.checks.formats.jsondoc import document
    from kurt.checks.results import record_results
    from kurt.checks.runner import CheckOptions, check, needs_store

    named = []
    for target in targets:
        if "/" not in target and "\\" not in target:
            named.append(slug(target[:-3] if target.endswith(".md") else target,
                              "project or draft name"))
        else:
            named.append(str(session.sandbox.workspace_path(target, "draft")))
    from kurt.checks.runner import resolve_targets

    for file in resolve_targets(session.ws, named):  # the real files, links followed
        session.sandbox.own(file, "draft")
    options = CheckOptions(rules=tuple(rules), skip=tuple(skip), strict=strict)
    if needs_store(options, session.ws.config.checks):
        with session.store() as store:
            report = check(session.ws, named, options, store=store)
    else:
        report = check(session.ws, named, options)
    record_results(session.ws, report, options)
    return {**document(report), "files": report.files, "notices": report.notices}


def _own_template(session: Session, name: str) -> None:
    session.sandbox.own(session.ws.templates_dir / f"{name}.md", "template")


def template_show(session: Session, name: str) -> dict:
    from kurt.writing.templates import load_template

    _own_template(session, slug(name, "template name"))
    tpl = load_template(session.ws, name)
    return {**jsonable(tpl.to_dict()), "text": tpl.text}


def _own_rule(session: Session, name: str) -> None:
    from kurt.agents import RULES_DIR
    from kurt.topics import FORMAT_TEMPLATES

    if name == FORMAT_TEMPLATES:  # made from every template's title
        for path in sorted(session.ws.templates_dir.glob("*.md")):
            session.sandbox.own(path, "template")
    elif isinstance(name, str) and "/" not in name and "\\" not in name:
        session.sandbox.own(session.ws.root / RULES_DIR / f"{name}.md", "rule")


def show_topic(session: Session, topic: str) -> dict:
    from kurt.topics import read_topic

    _own_rule(session, topic)
    return jsonable(read_topic(topic, session.ws))


# -- resources ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ResourceFile:
    uri: str
    name: str
    description: str
    path: Path | None  # None: not a file (a workflow text)


def resource_files(session: Session) -> list[ResourceFile]:
    """What is served as resources: the workflow texts, format templates, each project's
    plan.md, drafts."""
    from kurt.topics import list_topics
    from kurt.writing.templates import list_templates

    ws = session.ws
    found = [ResourceFile(f"kurt://topics/{topic.name}", f"workflow {topic.name}",
                          topic.description, None) for topic in list_topics()]
    for info in list_templates(ws):
        if info.path:
            found.append(ResourceFile(f"kurt://templates/{info.name}", f"template {info.name}",
                                      info.title or "format template", ws.root / info.path))
    if ws.projects_dir.is_dir():
        for folder in sorted(p for p in ws.projects_dir.iterdir() if p.is_dir()):
            plan = folder / "plan.md"
            if plan.is_file():
                found.append(ResourceFile(f"kurt://projects/{folder.name}/plan",
                                          f"plan of {folder.name}", "the project's plan.md", plan))
            for draft in sorted((folder / "drafts").glob("*.md")):
                found.append(ResourceFile(f"kurt://projects/{folder.name}/drafts/{draft.stem}",
                                          f"draft {draft.stem}", f"a draft of {folder.name}", draft))
    return [_shown(session, item) for item in found]


def _shown(session: Session, item: ResourceFile) -> ResourceFile:
    """``item``, or, for a file that is a link leading outside the workspace, an entry that
    says so (reading it is refused) rather than a description taken from what it leads to."""
    if item.path is None:
        return item
    try:
        session.sandbox.own(item.path)
    except KurtError:
        return ResourceFile(item.uri, item.name, "a link that leads outside the workspace: not "
                            "served", item.path)
    return item


def read_topic(session: Session, name: str) -> str:
    from kurt.topics import read_topic as run

    _own_rule(session, slug(name, "topic"))
    return run(name, session.ws).text


def read_template(session: Session, name: str) -> str:
    from kurt.writing.templates import load_template

    _own_template(session, slug(name, "template name"))
    return load_template(session.ws, name).text


def read_plan(session: Session, project: str) -> str:
    from kurt.writing.projects import load_project

    session.own_project(slug(project, "project name"))
    return load_project(session.ws, project).plan_path.read_text(
        encoding="utf-8")


def read_draft(session: Session, project: str, draft: str) -> str:
    path = session.ws.projects_dir / slug(project, "project name") / "drafts" / (
        slug(draft, "draft name") + ".md")
    if not path.is_file():
        raise NotFound(f"No draft '{draft}' in project '{project}'")
    session.own_project(project)
    return path.read_text(encoding="utf-8")
