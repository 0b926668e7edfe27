"""A draft's status: outline -> draft -> final, gated by ``kurt draft check``.

Moving forward runs the checks (kurt.checks) on the draft; ``final`` is refused while an
error remains unless forced. Kept apart from ``kurt.writing.drafts`` because the checks
read drafts: this module sits above both.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kurt.errors import Conflict, NotFound, UsageError
from kurt.writing.draft_file import STATUSES, Draft, read_draft


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
