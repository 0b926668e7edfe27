"""``kurt project``: projects with plan.md, research/ and drafts/."""

from __future__ import annotations

import click

from kurt.cli.app import pass_app
from kurt.cli.options import format_option
from kurt.cli.output import emit_json, emit_table
from kurt.suggest import command


@click.group()
def project() -> None:
    """Plan content: a project holds plan.md, research/ and drafts/.

    \b
    Example:
      kurt project new q3-integrations --goal "Integration pages for our top partners"
      kurt project add-source q3-integrations https://docs.example.com/api --purpose "API reference"
      kurt project show q3-integrations
    """


@project.command("new")
@click.argument("name")
@click.option("--goal", required=True, metavar="TEXT", help="What the project should achieve.")
@format_option("text", "json", default="text")
@pass_app
def new(app, name: str, goal: str, output_format: str) -> None:
    """Create projects/NAME/ with plan.md, research/ and drafts/.

    \b
    Example:
      kurt project new q3-integrations --goal "Integration pages for our top partners"
    """
    from kurt.writing.projects import create_project

    ws = app.workspace
    created = create_project(ws, name, goal)
    if output_format == "json":
        emit_json({"name": created.name, "path": ws.relative(created.path),
                   "plan": ws.relative(created.plan_path), "goal": created.goal})
        return
    click.echo(f"Created {ws.relative(created.plan_path)}")
    click.echo(f"Next: {command('kurt draft new', name)} --template TEMPLATE --name NAME   "
               "(see 'kurt template list')")


@project.command("add-source")
@click.argument("name")
@click.argument("documents", nargs=-1, required=True, metavar="DOC...")
@click.option("--purpose", metavar="TEXT", help="Why these sources matter to the project.")
@format_option("text", "json", default="text")
@pass_app
def add_source(app, name: str, documents: tuple[str, ...], purpose: str | None,
               output_format: str) -> None:
    """Record documents (id, URL or path) as Sources of Ground Truth in plan.md.

    \b
    Example:
      kurt project add-source q3-integrations https://docs.railway.com/docs/integrations/stripe \\
        --purpose "partner setup steps"
    """
    from kurt.writing.projects import add_sources

    result = add_sources(app.workspace, app.store, name, list(documents), purpose)
    if output_format == "json":
        emit_json({"project": name, "added": result.added, "already": result.already})
        return
    for source in result.added:
        click.echo(f"added    {source.document_id}  {source.path or source.url}")
    for source in result.already:
        click.echo(f"already  {source.document_id}  {source.path or source.url}")


@project.command("list")
@format_option("table", "json")
@pass_app
def list_projects(app, output_format: str) -> None:
    """List projects with their progress.

    \b
    Example:
      kurt project list --format json
    """
    from kurt.writing.projects import list_projects as collect

    found = collect(app.workspace)
    if output_format == "json":
        from kurt.paging import page_of

        emit_json(page_of(found).to_dict("projects"))
        return
    rows = [{
        "name": p.name,
        "documents": _by_status(p.documents_by_status),
        "tasks": f"{p.tasks_done}/{p.tasks_done + p.tasks_open} done",
        "sources": p.sources,
        "goal": p.goal,
    } for p in found]
    emit_table(rows, [("name", "PROJECT"), ("documents", "DOCUMENTS"), ("tasks", "TASKS"),
                      ("sources", "SOURCES"), ("goal", "GOAL")],
               empty="No projects yet: kurt project new NAME --goal \"...\"")


@project.command("show")
@click.argument("name")
@format_option("text", "json", default="text")
@pass_app
def show(app, name: str, output_format: str) -> None:
    """Show a project's goal, documents by status, open tasks and sources.

    \b
    Example:
      kurt project show q3-integrations
    """
    from kurt.writing.projects import project_progress

    progress = project_progress(app.workspace, name)
    if output_format == "json":
        emit_json(progress)
        return
    click.echo(f"Project: {progress.name}  ({progress.path}/plan.md)")
    click.echo(f"Goal: {progress.goal or '-'}")
    click.echo(f"Documents: {_by_status(progress.documents_by_status)}")
    for doc in progress.documents:
        click.echo(f"  {doc['status']:<9} {doc['document']}  {doc.get('path') or ''}".rstrip())
    click.echo(f"Sources of ground truth: {progress.sources}")
    click.echo(f"Tasks: {progress.tasks_done} done, {progress.tasks_open} open")
    for task in progress.open_tasks:
        click.echo(f"  [ ] {task}")


def _by_status(counts: dict[str, int]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
