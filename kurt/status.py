"""The workspace at a glance (``kurt status``): what an agent reads at the start of a session.

Documents by status and domain; what is stale (fetched longer ago than ``stale_days``,
failed, source files edited by hand); the state of the index; the projects with their
drafts by status; and the next commands to run, worked out from all of that.

It has to stay fast on a large workspace (well under 0.3 s at 30,000 documents,
``bench/bench_status.py``): a few aggregate queries over ``documents``, and the
frontmatter of each draft (with its last check result, ``kurt.checks.results``,
while the draft is unchanged since). Hand edits are read from the database: a source file the
index read after someone edited it (``indexed_file_hash`` differs from the fetched
``content_hash``). Files edited since the last index run are found only with
``check_files`` (``kurt status --check-files``): one ``stat`` per source file, hashing
the ones whose stat signature changed (``kurt.index.edits``), about half a second at
30,000 documents. Draft checks are not run here (they read every cited source); the
next commands say which drafts to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from kurt.checks.results import CheckResult
from kurt.store.db import Store
from kurt.store.stats import IndexFreshness, error_reason
from kurt.suggest import command

__all__ = ["DraftState", "ProjectState", "Stale", "WorkspaceStatus", "workspace_status"]

STALE_DAYS = 30  # a document fetched longer ago than this is due for 'kurt content fetch --refetch'
REASONS_SHOWN = 5  # failure reasons listed (the count covers them all)


@dataclass
class FailureReason:
    reason: str
    count: int
    example: str


@dataclass
class Stale:
    days: int  # the threshold used
    not_fetched_for: int = 0  # FETCHED documents whose last fetch is older than ``days``
    oldest_fetch: str | None = None
    failed: int = 0  # documents in ERROR
    refetch_failed: int = 0  # FETCHED documents whose last refetch failed (the old copy is kept)
    failure_reasons_total: int = 0  # distinct reasons; failure_reasons lists the most frequent
    failure_reasons: list[FailureReason] = field(default_factory=list)  # most frequent first
    hand_edited: list[str] = field(default_factory=list)  # ids of source files edited by hand
    files_checked: bool = False  # the files were stat'ed for edits since the last index


@dataclass
class DraftState:
    path: str
    document: str
    template: str | None
    status: str
    sections_without_sources: list[str] = field(default_factory=list)
    error: str | None = None  # an unreadable draft says why
    check: CheckResult | None = None  # the last full 'kurt draft check' of this very text


@dataclass
class ProjectState:
    name: str
    goal: str | None
    drafts_by_status: dict[str, int] = field(default_factory=dict)
    drafts: list[DraftState] = field(default_factory=list)
    sources: int = 0  # Sources of Ground Truth recorded in plan.md
    error: str | None = None  # why its drafts could not be listed (a folder name Kurt refuses)


@dataclass
class WorkspaceStatus:
    workspace: str
    documents: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_domain: dict[str, int] = field(default_factory=dict)  # every domain, largest first
    last_fetched_at: str | None = None
    stale: Stale = field(default_factory=lambda: Stale(STALE_DAYS))
    index: IndexFreshness = field(default_factory=IndexFreshness)
    profile: bool = False  # whether 'kurt profile' names the company
    projects: list[ProjectState] = field(default_factory=list)
    next: list[str] = field(default_factory=list)  # commands to run, most useful first


def workspace_status(ws, store: Store, *, stale_days: int = STALE_DAYS,
                     now: datetime | None = None, check_files: bool = False) -> WorkspaceStatus:
    """Everything ``kurt status`` shows; ``check_files`` also looks at every source file
    for hand edits made since the last index run (one ``stat`` each)."""
    status = WorkspaceStatus(workspace=str(ws.root), stale=Stale(stale_days))
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=stale_days)).replace(microsecond=0)
    fetched = _documents(store, status, cutoff.isoformat().replace("+00:00", "Z"))
    _stale(ws, store, status.stale, fetched, check_files)
    _index(ws, store, status, fetched)
    status.profile = _has_profile(ws)
    status.projects = _projects(ws)
    status.next = next_commands(status)
    return status


# One pass over the documents: per status, its count and, for FETCHED, the freshness of
# fetches, of the index and of the files (hand edits the index has read).
_PER_STATUS = (
    "SELECT status, COUNT(*), MAX(fetched_at),"
    " SUM(CASE WHEN fetched_at < ? THEN 1 ELSE 0 END),"
    " MIN(CASE WHEN fetched_at < ? THEN fetched_at END),"
    " SUM(CASE WHEN indexed_hash IS NULL THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN indexed_hash = content_hash THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN indexed_hash IS NOT NULL AND indexed_hash <> COALESCE(content_hash, '')"
    "  THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN indexed_file_hash IS NOT NULL AND indexed_file_hash <> content_hash"
    "  THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN error IS NOT NULL THEN 1 ELSE 0 END)"
    " FROM documents GROUP BY status ORDER BY 2 DESC, 1")


def _documents(store: Store, status: WorkspaceStatus, cutoff: str) -> tuple:
    """Counts by status and domain; returns the FETCHED row of ``_PER_STATUS`` (or zeros)."""
    fetched: tuple = ("FETCHED", 0, None, 0, None, 0, 0, 0, 0, 0)
    for row in store.query(_PER_STATUS, (cutoff, cutoff)):
        status.by_status[row[0]] = int(row[1])
        if row[0] == "FETCHED":
            fetched = tuple(row)
    status.documents = sum(status.by_status.values())
    status.by_domain = {r[0]: int(r[1]) for r in store.query(
        "SELECT domain, COUNT(*) FROM documents GROUP BY domain ORDER BY 2 DESC, 1")}
    status.last_fetched_at = fetched[2]
    return fetched


def _stale(ws, store: Store, stale: Stale, fetched: tuple, check_files: bool) -> None:
    stale.not_fetched_for, stale.oldest_fetch = int(fetched[3] or 0), fetched[4]
    stale.refetch_failed = int(fetched[9] or 0)
    grouped: dict[str, FailureReason] = {}
    for reason, count, example in store.query(
            "SELECT error, COUNT(*), MIN(url) FROM documents WHERE status = 'ERROR' GROUP BY error"):
        key = error_reason(reason)
        known = grouped.setdefault(key, FailureReason(key, 0, example))
        known.count += int(count)
    stale.failed = sum(item.count for item in grouped.values())
    stale.failure_reasons = sorted(grouped.values(), key=lambda f: (-f.count, f.reason))[:REASONS_SHOWN]
    stale.failure_reasons_total = len(grouped)
    if fetched[8]:
        stale.hand_edited = [row[0] for row in store.query(
            "SELECT id FROM documents WHERE status = 'FETCHED' AND indexed_file_hash IS NOT NULL"
            " AND indexed_file_hash <> content_hash ORDER BY id")]
    if check_files:
        from kurt.index.edits import edited_documents
        from kurt.store.filters import DocumentFilter

        found = edited_documents(ws.root, store, DocumentFilter())
        stale.hand_edited = sorted({*stale.hand_edited, *found})
        stale.files_checked = True


def _index(ws, store: Store, status: WorkspaceStatus, fetched: tuple) -> None:
    index = status.index
    index.not_indexed, index.indexed, index.stale = (int(v or 0) for v in fetched[5:8])
    if index.indexed + index.stale:
        from kurt.store.stats import _vocabulary_changed

        if _vocabulary_changed(ws, store):
            index.vocabulary_changed = True
            index.stale += index.indexed
            index.indexed = 0
    index.sections = int(store.query_one("SELECT COUNT(*) FROM sections")[0])
    index.entities = int(store.query_one("SELECT COUNT(*) FROM entities")[0])
    index.links = int(store.query_one("SELECT COUNT(*) FROM links")[0])
    index.clusters = int(store.query_one("SELECT COUNT(*) FROM clusters")[0])


def _has_profile(ws) -> bool:
    from kurt.errors import FormatError
    from kurt.writing.profile import load_profile

    try:
        profile = load_profile(ws)
    except FormatError:
        return True  # it exists; 'kurt profile' says what is wrong with it
    return bool(profile and profile.company)


def _projects(ws) -> list[ProjectState]:
    from kurt.checks.results import cached_result, read_results
    from kurt.errors import KurtError
    from kurt.writing.drafts import list_drafts
    from kurt.writing.projects import PLAN_NAME, plan_goal, plan_sources

    if not ws.projects_dir.is_dir():
        return []
    found, results = [], read_results(ws)
    for folder in sorted(p for p in ws.projects_dir.iterdir() if (p / PLAN_NAME).is_file()):
        text = (folder / PLAN_NAME).read_text(encoding="utf-8", errors="replace")
        project = ProjectState(folder.name, plan_goal(text), sources=len(plan_sources(text)))
        try:
            drafts = list_drafts(ws, folder.name)
        except KurtError as exc:  # a folder name Kurt would not create: shown, with why
            project.error, drafts = exc.message, []
        for draft in drafts:
            project.drafts.append(DraftState(draft.path, draft.document, draft.template,
                                             draft.status, list(draft.empty_sections), draft.error,
                                             cached_result(ws, draft.path, results)))
            project.drafts_by_status[draft.status] = project.drafts_by_status.get(draft.status, 0) + 1
        found.append(project)
    return found


def next_commands(status: WorkspaceStatus) -> list[str]:
    """The commands that move the workspace forward, most useful first."""
    steps: list[str] = []
    by_status = status.by_status
    if not status.profile:
        steps.append('kurt profile --company NAME --product NAME --audience "..." --voice "..."')
    if not status.documents:
        steps.append("kurt content add https://docs.example.com")
    if by_status.get("NOT_FETCHED"):
        steps.append("kurt content fetch")
    if status.stale.failed:
        steps.append("kurt content fetch --status ERROR")
    index = status.index
    if index.not_indexed or index.stale:
        steps.append("kurt content index")
    if status.stale.hand_edited:
        edited = status.stale.hand_edited  # their published text comes back with a refetch
        steps.append(command("kurt content fetch --refetch", *edited) if len(edited) <= 10
                     else "kurt content fetch --refetch")
    if status.stale.not_fetched_for:
        steps.append("kurt content fetch --refetch")
    if status.documents and not status.projects:
        steps.append('kurt project new NAME --goal "..."')
    for project in status.projects:
        if project.error:
            continue
        if not project.drafts:
            steps.append(f"{command('kurt draft new', project.name)} --template TEMPLATE --name NAME")
        for draft in project.drafts:
            if draft.status == "outline":
                steps.append(command("kurt draft evidence", draft.path))
            elif draft.status == "draft" and (draft.check is None or draft.check.errors):
                steps.append(command("kurt draft check", draft.path))
    return steps
