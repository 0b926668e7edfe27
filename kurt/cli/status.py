"""``kurt status``: the workspace at a glance (kurt.status)."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import count, format_option
from kurt.cli.output import emit_json

DOMAINS_SHOWN = 10


@click.command()
@click.option("--stale-days", default=30, show_default=True, type=count(1, 36500), metavar="N",
              help="Count documents last fetched more than N days ago as stale.")
@click.option("--check-files", is_flag=True,
              help="Also look at every source file for hand edits made since the last "
                   "index run (one stat per file: slower on a large workspace).")
@format_option("text", "json", default="text")
@pass_app
def status(app, stale_days: int, check_files: bool, output_format: str) -> None:
    """Documents, staleness, index, projects and drafts, and the next commands to run.

    \b
    Example:
      kurt status
      kurt status --format json
    """
    from kurt.status import workspace_status

    result = workspace_status(app.workspace, app.store, stale_days=stale_days,
                              check_files=check_files)
    if output_format == "json":
        emit_json(result)
        return
    _render(result)


def _render(result) -> None:
    docs = result.documents
    parts = ", ".join(f"{n} {s.lower().replace('_', ' ')}" for s, n in result.by_status.items())
    click.echo(f"Documents: {docs}" + (f" ({parts})" if parts else ""))
    if result.by_domain:
        shown = list(result.by_domain.items())
        line = ", ".join(f"{d} {n}" for d, n in shown[:DOMAINS_SHOWN])
        more = len(shown) - DOMAINS_SHOWN
        click.echo(f"Domains:   {line}" + (f", and {more} more (--format json lists them all)"
                                            if more > 0 else ""))
    stale = result.stale
    notes = []
    if stale.not_fetched_for:
        notes.append(f"{stale.not_fetched_for} fetched more than {stale.days} days ago "
                     f"(oldest {stale.oldest_fetch})")
    if stale.failed:
        notes.append(f"{stale.failed} failed")
    if stale.refetch_failed:
        notes.append(f"{stale.refetch_failed} could not be refetched (the old copy is kept)")
    if stale.hand_edited:
        n = len(stale.hand_edited)
        notes.append(f"{n} source file{'' if n == 1 else 's'} edited by hand")
    if not notes:
        notes.append("nothing")
    if not stale.files_checked and result.documents:
        notes.append("source files not read for hand edits (add --check-files)")
    click.echo("Stale:     " + "; ".join(notes))
    for reason in stale.failure_reasons:
        click.echo(f"           {reason.count:>6}  {reason.reason}  (e.g. {reason.example})")
    more = stale.failure_reasons_total - len(stale.failure_reasons)
    if more:
        click.echo(f"           and {more} more reason{'' if more == 1 else 's'}: "
                   "kurt content list --status ERROR")
    idx = result.index
    click.echo(f"Index:     {idx.indexed} up to date, {idx.stale} stale, {idx.not_indexed} not "
               f"indexed; {idx.sections} passages, {idx.entities} entities"
               + ("; the vocabulary changed since the last index" if idx.vocabulary_changed else ""))
    click.echo(f"Profile:   {'set' if result.profile else 'empty'}")
    if result.projects:
        click.echo("Projects:")
        for project in result.projects:
            counts = ", ".join(f"{n} {s}" for s, n in sorted(project.drafts_by_status.items()))
            n = len(project.drafts)
            click.echo(f"  {project.name}: {n} draft{'' if n == 1 else 's'}"
                       + (f" ({counts})" if counts else "") + f", {project.sources} sources"
                       + (f"; {project.error}" if project.error else ""))
            for draft in project.drafts:
                empty = (f"; no source for {', '.join(draft.sections_without_sources)}"
                         if draft.sections_without_sources else "")
                check = draft.check
                checked = (f"; checked: {check.errors} errors, {check.warnings} warnings"
                           if check else "")
                click.echo(f"    {draft.status:<10}{draft.path}{checked}{empty}")
    else:
        click.echo("Projects:  none")
    if result.next:
        click.echo("Next:")
        for step in result.next:
            click.echo(f"  {step}")
