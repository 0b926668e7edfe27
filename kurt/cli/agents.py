"""``kurt agents update``: refresh the agent files after an upgrade, keeping the user's edits."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json

KEPT_WHY = {
    "edited": "you edited it",
    "foreign": "it was not written by Kurt",
}


@click.group()
def agents() -> None:
    """The files that tell AI agents how to use this workspace.

    \b
    Example:
      kurt agents update
    """


@agents.command()
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@format_option("text", "json", default="text")
@pass_app
def update(app, dry_run: bool, output_format: str) -> None:
    """Refresh AGENTS.md, CLAUDE.md, the rules and the MCP entries; keep edited ones.

    A file (or MCP entry) Kurt wrote and nobody changed gets the text of this
    version of Kurt; one the user edited, or did not get from Kurt, is kept
    and listed. To take Kurt's text for a kept file, delete it and run again.

    \b
    Example:
      kurt agents update --dry-run
    """
    from kurt.agents import update_agents

    ws = app.workspace
    results = update_agents(ws, dry_run=dry_run)
    rows = [{"path": ws.relative(r.path), "action": r.action, "note": r.note} for r in results]
    if output_format == "json":
        emit_json({"dry_run": dry_run, "files": rows,
                   "kept": [row["path"] for row in rows if row["action"] in KEPT_WHY]})
        return
    verb = {"created": "would create" if dry_run else "created",
            "updated": "would update" if dry_run else "updated"}
    changed = [row for row in rows if row["action"] in verb]
    kept = [row for row in rows if row["action"] in KEPT_WHY]
    for row in changed:
        click.echo(f"  {verb[row['action']]:<13}{row['path']}")
    for row in kept:
        click.echo(f"  {'kept':<13}{row['path']}  ({row['note'] or KEPT_WHY[row['action']]})")
    unchanged = len(rows) - len(changed) - len(kept)
    click.echo(f"{len(changed)} {'to refresh' if dry_run else 'refreshed'}, {len(kept)} kept, "
               f"{unchanged} already up to date.")
    if any(not row["note"] for row in kept):  # an MCP file's note says what to do instead
        click.echo("To take Kurt's text for a kept file, delete it and run "
                   "'kurt agents update' again.", err=True)
